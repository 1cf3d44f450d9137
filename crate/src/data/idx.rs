//! IDX files, the format LeCun's MNIST page and Fashion-MNIST ship in, plain or gzip-compressed.
//!
//! Layout (all integers big-endian):
//!
//! ```text
//! offset 0   magic: 0x00 0x00, a type code (0x08 = unsigned byte), the number of dimensions d
//! offset 4   d sizes, one u32 each          labels: [N]       images: [N, rows, cols]
//! offset 4+4d  the values, row-major        N bytes           N·rows·cols bytes
//! ```
//!
//! So labels start with the magic 0x00000801 and images with 0x00000803. A file comes from a
//! user, so nothing in its header is trusted: every size is multiplied with overflow checks and
//! compared with the bytes that are really there *before* anything is allocated. A header that
//! claims 4 billion images in a 100-byte file is an [`IdxError::SizeMismatch`], not an attempt to
//! allocate 3 terabytes.
//!
//! The caller says what it expects ([`Expect`]: at most how many items, and the image size), and
//! the header is checked against that *before* any data is read or inflated: a 2 MB gzip file
//! that declares 2 GiB of 65,536×32,768 "images" is refused after its 16-byte header, not after
//! inflating it. Whatever is expected, a file declares at most [`MAX_DATA`] bytes, and a gzip
//! stream is read one byte past its declared size at most.

use std::io::Read;

use flate2::read::GzDecoder;

/// Magic of an IDX file of unsigned bytes with one dimension (labels).
pub const LABELS_MAGIC: u32 = 0x0000_0801;
/// Magic of an IDX file of unsigned bytes with three dimensions (images).
pub const IMAGES_MAGIC: u32 = 0x0000_0803;

/// The two bytes every gzip stream starts with (RFC 1952).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// The most data bytes an IDX file may declare: Fashion-MNIST's largest file holds 47 MB.
pub const MAX_DATA: u64 = if cfg!(target_arch = "wasm32") { 256 << 20 } else { 1 << 30 };

/// What the caller expects of a file, checked against its header before any data is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expect {
    /// The most items (images or labels) the file may declare.
    pub max_count: u32,
    /// The size of every image, (rows, cols); `None` accepts any (labels have none).
    pub image: Option<(u32, u32)>,
}

impl Expect {
    /// Any count and any image size, up to [`MAX_DATA`] bytes.
    pub const ANY: Expect = Expect { max_count: u32::MAX, image: None };
}

/// A stack of grey-scale images: `count` images of `rows`×`cols` bytes, row-major.
#[derive(Clone, Debug, PartialEq)]
pub struct IdxImages {
    pub count: usize,
    pub rows: usize,
    pub cols: usize,
    pub pixels: Vec<u8>,
}

/// Why bytes are not the IDX file we expected.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum IdxError {
    #[error("the file is too short for an IDX header: {len} bytes, the header needs {need}")]
    TooShort { len: usize, need: usize },
    #[error("not an IDX {what} file: magic number 0x{found:08x}, expected 0x{expected:08x}")]
    BadMagic { what: &'static str, found: u32, expected: u32 },
    #[error("the header declares sizes {dims:?}, which overflow")]
    Overflow { dims: Vec<u32> },
    #[error("the header declares sizes {dims:?}, {declared} bytes of data, but the file holds {found}{more}", more = if *.truncated_read { " or more" } else { "" })]
    SizeMismatch {
        dims: Vec<u32>,
        declared: u64,
        found: u64,
        /// Reading stopped early (a gzip stream with more data than declared).
        truncated_read: bool,
    },
    #[error("the gzip stream is damaged: {0}")]
    Gzip(String),
    #[error("the header declares {count} items; at most {max} are expected here")]
    TooMany { count: u32, max: u32 },
    #[error("the header declares images of {rows}×{cols}; these must be {expected_rows}×{expected_cols}")]
    WrongImageSize { rows: u32, cols: u32, expected_rows: u32, expected_cols: u32 },
    #[error("the header declares sizes {dims:?}, {declared} bytes of data; at most {max} are read")]
    TooLarge { dims: Vec<u32>, declared: u64, max: u64 },
}

/// Read an IDX file of labels (magic 0x00000801), plain or gzip, of at most `expect.max_count`.
pub fn read_labels(bytes: &[u8], expect: Expect) -> Result<Vec<u8>, IdxError> {
    let (_, data) = read_u8(bytes, LABELS_MAGIC, "labels", expect)?;
    Ok(data)
}

/// Read an IDX file of images (magic 0x00000803: count, rows, cols), plain or gzip, as `expect`
/// says: at most `max_count` images of `image` size.
pub fn read_images(bytes: &[u8], expect: Expect) -> Result<IdxImages, IdxError> {
    let (dims, pixels) = read_u8(bytes, IMAGES_MAGIC, "images", expect)?;
    Ok(IdxImages { count: dims[0] as usize, rows: dims[1] as usize, cols: dims[2] as usize, pixels })
}

/// Read an unsigned-byte IDX file whose magic must be `magic`; returns its sizes and values.
fn read_u8(bytes: &[u8], magic: u32, what: &'static str, expect: Expect) -> Result<(Vec<u32>, Vec<u8>), IdxError> {
    if bytes.starts_with(&GZIP_MAGIC) {
        read_gzip(bytes, magic, what, expect)
    } else {
        read_plain(bytes, magic, what, expect)
    }
}

/// Check the magic and read the `d` sizes from `header` (exactly 4 + 4d bytes, d = magic's last
/// byte) against `expect` and [`MAX_DATA`]. Returns the sizes and the number of data bytes they
/// declare.
fn parse_header(header: &[u8], magic: u32, what: &'static str, expect: Expect) -> Result<(Vec<u32>, u64), IdxError> {
    let found = u32::from_be_bytes(header[..4].try_into().expect("4 bytes"));
    if found != magic {
        return Err(IdxError::BadMagic { what, found, expected: magic });
    }
    let dims: Vec<u32> = header[4..].chunks_exact(4).map(|c| u32::from_be_bytes(c.try_into().expect("4 bytes"))).collect();
    let declared = dims.iter().try_fold(1u64, |acc, &d| acc.checked_mul(d as u64));
    let declared = match declared {
        // The data must also be addressable on this platform (wasm32 has a 32-bit usize).
        Some(n) if usize::try_from(n).is_ok() => n,
        _ => return Err(IdxError::Overflow { dims }),
    };
    if let Some(&count) = dims.first() {
        if count > expect.max_count {
            return Err(IdxError::TooMany { count, max: expect.max_count });
        }
    }
    if let (Some((expected_rows, expected_cols)), [_, rows, cols]) = (expect.image, dims.as_slice()) {
        if (*rows, *cols) != (expected_rows, expected_cols) {
            return Err(IdxError::WrongImageSize { rows: *rows, cols: *cols, expected_rows, expected_cols });
        }
    }
    if declared > MAX_DATA {
        return Err(IdxError::TooLarge { dims, declared, max: MAX_DATA });
    }
    Ok((dims, declared))
}

/// Header length for a magic: 4 bytes of magic and 4 per dimension.
fn header_len(magic: u32) -> usize {
    4 + 4 * (magic & 0xff) as usize
}

fn read_plain(bytes: &[u8], magic: u32, what: &'static str, expect: Expect) -> Result<(Vec<u32>, Vec<u8>), IdxError> {
    let need = header_len(magic);
    if bytes.len() < 4 {
        return Err(IdxError::TooShort { len: bytes.len(), need });
    }
    // Check the magic before the length, so a wrong file says "wrong file", not "too short".
    let found = u32::from_be_bytes(bytes[..4].try_into().expect("4 bytes"));
    if found != magic {
        return Err(IdxError::BadMagic { what, found, expected: magic });
    }
    if bytes.len() < need {
        return Err(IdxError::TooShort { len: bytes.len(), need });
    }
    let (dims, declared) = parse_header(&bytes[..need], magic, what, expect)?;
    let data = &bytes[need..];
    // Compare before copying: the copy is then exactly as large as the file.
    if data.len() as u64 != declared {
        return Err(IdxError::SizeMismatch { dims, declared, found: data.len() as u64, truncated_read: false });
    }
    Ok((dims, data.to_vec()))
}

fn read_gzip(bytes: &[u8], magic: u32, what: &'static str, expect: Expect) -> Result<(Vec<u32>, Vec<u8>), IdxError> {
    let gz_err = |e: std::io::Error| IdxError::Gzip(e.to_string());
    let mut dec = GzDecoder::new(bytes);
    let need = header_len(magic);
    let mut header = vec![0u8; need];
    let got = read_up_to(&mut dec, &mut header).map_err(gz_err)?;
    if got < 4 {
        return Err(IdxError::TooShort { len: got, need });
    }
    let found = u32::from_be_bytes(header[..4].try_into().expect("4 bytes"));
    if found != magic {
        return Err(IdxError::BadMagic { what, found, expected: magic });
    }
    if got < need {
        return Err(IdxError::TooShort { len: got, need });
    }
    // The header is checked against what the caller expects before anything is inflated.
    let (dims, declared) = parse_header(&header, magic, what, expect)?;
    // The decompressed size is unknown until we decompress, so we never reserve `declared`
    // bytes up front: the buffer grows with data that really arrives, and reading stops one
    // byte past the declared size (itself at most MAX_DATA). Deflate expands at most ~1032:1,
    // so memory stays bounded by the file's length however large the header claims to be.
    let mut data = Vec::new();
    (&mut dec).take(declared + 1).read_to_end(&mut data).map_err(gz_err)?;
    if data.len() as u64 != declared {
        let truncated_read = data.len() as u64 > declared;
        return Err(IdxError::SizeMismatch { dims, declared, found: data.len() as u64, truncated_read });
    }
    Ok((dims, data))
}

/// Fill as much of `buf` as the stream has; returns how many bytes were read.
fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Write an unsigned-byte IDX file (uncompressed): the inverse of the readers, used by tests and
/// handy for exporting a dataset.
pub fn write_u8(magic: u32, dims: &[u32], data: &[u8]) -> Vec<u8> {
    assert_eq!(dims.len(), (magic & 0xff) as usize, "write_u8: magic 0x{magic:08x} needs {} dims, got {dims:?}", magic & 0xff);
    let expected: u64 = dims.iter().map(|&d| d as u64).product();
    assert_eq!(data.len() as u64, expected, "write_u8: dims {dims:?} need {expected} bytes, got {}", data.len());
    let mut out = Vec::with_capacity(header_len(magic) + data.len());
    out.extend_from_slice(&magic.to_be_bytes());
    for d in dims {
        out.extend_from_slice(&d.to_be_bytes());
    }
    out.extend_from_slice(data);
    out
}

/// An IDX file of images (magic 0x00000803) from `count` images of `rows`×`cols` pixels in
/// [0, 1], row-major: each pixel becomes the byte round(255·v), as MNIST's bytes were scaled
/// (byte / 255), so a dataset read from IDX is written back byte for byte. A value outside [0, 1]
/// is clamped and NaN is 0; callers holding user data check it first (`data::pair::to_idx`).
/// Panics (a programmer error) when `pixels` is not `count`·`rows`·`cols` long.
pub fn write_images(pixels: &[f32], count: u32, rows: u32, cols: u32) -> Vec<u8> {
    let bytes: Vec<u8> = pixels.iter().map(|&v| if v.is_nan() { 0 } else { (v.clamp(0.0, 1.0) * 255.0).round() as u8 }).collect();
    write_u8(IMAGES_MAGIC, &[count, rows, cols], &bytes)
}

/// An IDX file of labels (magic 0x00000801), one byte each.
pub fn write_labels(labels: &[u8]) -> Vec<u8> {
    let count = u32::try_from(labels.len()).expect("write_labels: more labels than an IDX header can count");
    write_u8(LABELS_MAGIC, &[count], labels)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{write::GzEncoder, Compression};
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    /// Two 2×3 images with pixel values 0..12.
    fn two_images() -> Vec<u8> {
        write_u8(IMAGES_MAGIC, &[2, 2, 3], &(0..12).collect::<Vec<u8>>())
    }

    #[test]
    fn reads_labels_plain_and_gzip() {
        let file = write_u8(LABELS_MAGIC, &[5], &[3, 1, 4, 1, 5]);
        // The header by hand: magic 00 00 08 01, then N = 5 big-endian.
        assert_eq!(&file[..8], &[0, 0, 8, 1, 0, 0, 0, 5]);
        assert_eq!(read_labels(&file, Expect::ANY).unwrap(), vec![3, 1, 4, 1, 5]);
        assert_eq!(read_labels(&gzip(&file), Expect::ANY).unwrap(), vec![3, 1, 4, 1, 5]);
    }

    #[test]
    fn reads_images_plain_and_gzip() {
        let want = IdxImages { count: 2, rows: 2, cols: 3, pixels: (0..12).collect() };
        assert_eq!(read_images(&two_images(), Expect::ANY).unwrap(), want);
        assert_eq!(read_images(&gzip(&two_images()), Expect::ANY).unwrap(), want);
    }

    #[test]
    fn empty_file_is_too_short() {
        assert_eq!(read_labels(&[], Expect::ANY), Err(IdxError::TooShort { len: 0, need: 8 }));
        assert_eq!(read_images(&gzip(&[]), Expect::ANY), Err(IdxError::TooShort { len: 0, need: 16 }));
    }

    #[test]
    fn truncated_header_is_too_short() {
        let file = two_images();
        assert_eq!(read_images(&file[..10], Expect::ANY), Err(IdxError::TooShort { len: 10, need: 16 }));
        assert_eq!(read_images(&gzip(&file[..10]), Expect::ANY), Err(IdxError::TooShort { len: 10, need: 16 }));
    }

    #[test]
    fn truncated_data_is_a_size_mismatch() {
        let file = two_images();
        let cut = &file[..file.len() - 1];
        let want = IdxError::SizeMismatch { dims: vec![2, 2, 3], declared: 12, found: 11, truncated_read: false };
        assert_eq!(read_images(cut, Expect::ANY), Err(want.clone()));
        assert_eq!(read_images(&gzip(cut), Expect::ANY), Err(want));
    }

    #[test]
    fn trailing_bytes_are_a_size_mismatch() {
        let mut file = two_images();
        file.push(99);
        let e = read_images(&file, Expect::ANY).unwrap_err();
        assert_eq!(e, IdxError::SizeMismatch { dims: vec![2, 2, 3], declared: 12, found: 13, truncated_read: false });
        let e = read_images(&gzip(&file), Expect::ANY).unwrap_err();
        assert_eq!(e, IdxError::SizeMismatch { dims: vec![2, 2, 3], declared: 12, found: 13, truncated_read: true });
        assert!(e.to_string().contains("13 or more"), "{e}");
    }

    #[test]
    fn a_truncated_gzip_stream_is_an_error() {
        let gz = gzip(&two_images());
        // Cutting the compressed stream short leaves deflate without its end (or the gzip
        // trailer missing): either way a typed error, never a panic.
        for cut in [gz.len() - 1, gz.len() - 8, gz.len() / 2, 11, 3] {
            let e = read_images(&gz[..cut], Expect::ANY).unwrap_err();
            assert!(matches!(e, IdxError::Gzip(_) | IdxError::TooShort { .. } | IdxError::SizeMismatch { .. }), "cut at {cut}: {e:?}");
        }
    }

    #[test]
    fn garbled_gzip_is_an_error() {
        let mut gz = gzip(&two_images());
        for b in &mut gz[10..] {
            *b ^= 0x5a;
        }
        assert!(read_images(&gz, Expect::ANY).is_err());
    }

    #[test]
    fn wrong_magic_says_what_it_found() {
        // Labels given where images are expected, and the other way round.
        let labels = write_u8(LABELS_MAGIC, &[2], &[0, 1]);
        assert_eq!(read_images(&labels, Expect::ANY), Err(IdxError::BadMagic { what: "images", found: 0x801, expected: 0x803 }));
        assert_eq!(read_labels(&two_images(), Expect::ANY), Err(IdxError::BadMagic { what: "labels", found: 0x803, expected: 0x801 }));
        // A PNG is not an IDX file; neither is a gzipped PNG.
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        let e = read_labels(png, Expect::ANY).unwrap_err();
        assert!(matches!(e, IdxError::BadMagic { found: 0x8950_4e47, .. }), "{e:?}");
        assert!(e.to_string().contains("0x89504e47"), "{e}");
        assert!(matches!(read_labels(&gzip(png), Expect::ANY), Err(IdxError::BadMagic { .. })));
    }

    #[test]
    fn a_header_that_lies_about_sizes_allocates_nothing_large() {
        // 4 billion images of 4 billion × 4 billion pixels in a 16-byte file: the product
        // overflows u64.
        let mut lie = IMAGES_MAGIC.to_be_bytes().to_vec();
        for _ in 0..3 {
            lie.extend_from_slice(&u32::MAX.to_be_bytes());
        }
        let dims = vec![u32::MAX; 3];
        assert_eq!(read_images(&lie, Expect::ANY), Err(IdxError::Overflow { dims: dims.clone() }));
        assert_eq!(read_images(&gzip(&lie), Expect::ANY), Err(IdxError::Overflow { dims }));
        // Large but representable: (2³² − 1)·2³² bytes declared, none there: more than any
        // file may declare.
        let mut lie = IMAGES_MAGIC.to_be_bytes().to_vec();
        for d in [u32::MAX, 65536, 65536] {
            lie.extend_from_slice(&d.to_be_bytes());
        }
        let e = read_images(&lie, Expect::ANY).unwrap_err();
        assert!(matches!(e, IdxError::TooLarge { max: MAX_DATA, .. }), "{e:?}");

        // 60,000 images of 28×28 declared (47 MB), three bytes present: a mismatch, found before
        // any buffer of the declared size exists (the gzip path grows only with real data).
        let mut lie = write_u8(IMAGES_MAGIC, &[60_000, 28, 28], &vec![0; 60_000 * 28 * 28])[..16].to_vec();
        lie.extend_from_slice(&[1, 2, 3]);
        let want = IdxError::SizeMismatch { dims: vec![60_000, 28, 28], declared: 47_040_000, found: 3, truncated_read: false };
        assert_eq!(read_images(&lie, Expect::ANY), Err(want.clone()));
        assert_eq!(read_images(&gzip(&lie), Expect::ANY), Err(want));

        // The largest label file a u32 count allows, with no data: over MAX_DATA.
        let lie = [0, 0, 8, 1, 0xff, 0xff, 0xff, 0xff];
        let e = read_labels(&lie, Expect::ANY).unwrap_err();
        assert_eq!(e, IdxError::TooLarge { dims: vec![u32::MAX], declared: u32::MAX as u64, max: MAX_DATA });
        // A label file of 60,000 where at most 10,000 are expected.
        let lie = write_u8(LABELS_MAGIC, &[60_000], &[0; 60_000]);
        assert_eq!(read_labels(&lie, Expect { max_count: 10_000, image: None }), Err(IdxError::TooMany { count: 60_000, max: 10_000 }));
    }

    #[test]
    fn the_header_is_checked_against_what_is_expected_before_the_data_is_inflated() {
        let fashion = Expect { max_count: 60_000, image: Some((28, 28)) };
        // Headers followed by a gzip stream cut short: had the reader inflated the data first, it
        // would report the damaged stream, not the header.
        let cut = |dims: &[u32]| {
            let mut h = IMAGES_MAGIC.to_be_bytes().to_vec();
            for d in dims {
                h.extend_from_slice(&d.to_be_bytes());
            }
            h.resize(16 + 100_000, 0);
            let gz = gzip(&h);
            gz[..gz.len() / 2].to_vec()
        };
        let e = read_images(&cut(&[1, 65_536, 32_768]), fashion).unwrap_err();
        assert_eq!(e, IdxError::WrongImageSize { rows: 65_536, cols: 32_768, expected_rows: 28, expected_cols: 28 });
        assert_eq!(e.to_string(), "the header declares images of 65536×32768; these must be 28×28");
        assert_eq!(read_images(&cut(&[2_739_200, 28, 28]), fashion), Err(IdxError::TooMany { count: 2_739_200, max: 60_000 }));
        assert!(matches!(read_images(&cut(&[2_739_200, 28, 28]), Expect::ANY), Err(IdxError::TooLarge { declared: 2_147_532_800, .. })));
        // What is expected reads as before.
        let ok = write_u8(IMAGES_MAGIC, &[2, 28, 28], &[7; 2 * 784]);
        assert_eq!(read_images(&gzip(&ok), fashion).unwrap().count, 2);
    }

    #[test]
    fn a_gzip_bomb_stops_at_the_declared_size() {
        // Declares 10 labels, then inflates to 10 MB of zeros: reading stops at 11 bytes.
        let mut big = write_u8(LABELS_MAGIC, &[10], &[0; 10]);
        big.resize(10 << 20, 0);
        let e = read_labels(&gzip(&big), Expect::ANY).unwrap_err();
        assert_eq!(e, IdxError::SizeMismatch { dims: vec![10], declared: 10, found: 11, truncated_read: true });
    }

    #[test]
    fn written_images_and_labels_read_back() {
        // Pixels as MNIST's are stored (byte / 255), plus values between two bytes.
        let pixels: Vec<f32> = (0..2 * 2 * 3).map(|i| (i * 23) as f32 / 255.0).collect();
        let file = write_images(&pixels, 2, 2, 3);
        assert_eq!(&file[..16], &[0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3], "magic, then N, rows, cols big-endian");
        let back = read_images(&file, Expect { max_count: 2, image: Some((2, 3)) }).unwrap();
        assert_eq!((back.count, back.rows, back.cols), (2, 2, 3));
        assert_eq!(back.pixels, (0..12).map(|i| (i * 23) as u8).collect::<Vec<u8>>(), "byte / 255 comes back as the byte");
        // Rounded to the nearest byte; out of range clamped; NaN is 0.
        let odd = write_images(&[0.5, 0.998, -1.0, 7.0, f32::NAN, 1.0 / 510.0], 1, 2, 3);
        assert_eq!(&odd[16..], &[128, 254, 0, 255, 0, 1]);

        let labels = write_labels(&[3, 1, 4, 1, 5, 9]);
        assert_eq!(&labels[..8], &[0, 0, 8, 1, 0, 0, 0, 6]);
        assert_eq!(read_labels(&labels, Expect { max_count: 6, image: None }).unwrap(), vec![3, 1, 4, 1, 5, 9]);
        // An empty set is a valid pair of files.
        assert_eq!(read_labels(&write_labels(&[]), Expect::ANY).unwrap(), Vec::<u8>::new());
        assert_eq!(read_images(&write_images(&[], 0, 28, 28), Expect::ANY).unwrap().count, 0);
    }

    #[test]
    #[should_panic(expected = "write_u8")]
    fn writing_images_of_the_wrong_length_is_a_programmer_error() {
        write_images(&[0.0; 5], 1, 2, 3);
    }
}
