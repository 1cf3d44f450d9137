//! Issue 16: a 2 MB gzip IDX file that inflates to 2 GiB. Rows and columns used to be checked
//! only after inflating (2.1 GB resident before the typed error); now the header is checked
//! against Fashion-MNIST's sizes before anything is inflated. Alone in its test binary, so that
//! the process's peak memory is this test's.
// Native only: files, processes and 64-bit sizes (the wasm build runs crate/tests/web.rs).
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;

use cnn_core::data::idx::{IdxError, IMAGES_MAGIC, LABELS_MAGIC};
use cnn_core::data::{fashion, DataError};
use flate2::{write::GzEncoder, Compression};

/// The process's peak resident memory (VmHWM), in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).expect("VmHWM");
    line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() * 1024
}

/// An IDX images header declaring `dims`, then `zeros` bytes of zeros, gzip-compressed.
fn gzip_idx(dims: [u32; 3], zeros: u64) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::best());
    gz.write_all(&IMAGES_MAGIC.to_be_bytes()).unwrap();
    for d in dims {
        gz.write_all(&d.to_be_bytes()).unwrap();
    }
    let chunk = vec![0u8; 1 << 20];
    let mut left = zeros;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        gz.write_all(&chunk[..n]).unwrap();
        left -= n as u64;
    }
    gz.finish().unwrap()
}

#[test]
fn regression_a_2_mb_gzip_that_inflates_to_2_gib_is_refused_from_its_header() {
    // 1 image of 65,536×32,768 bytes: 2 GiB of zeros in about 2 MB.
    let bomb = gzip_idx([1, 65_536, 32_768], 2 << 30);
    assert!(bomb.len() < 3 << 20, "the bomb is {} bytes", bomb.len());
    let dir = std::env::temp_dir().join(format!("cnn-idx-bomb-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("train-images-idx3-ubyte.gz"), &bomb).unwrap();
    let labels = cnn_core::data::idx::write_u8(LABELS_MAGIC, &[1], &[0]);
    std::fs::write(dir.join("train-labels-idx1-ubyte"), labels).unwrap();
    let before = peak_rss();
    let e = fashion::load(Some(&dir)).unwrap_err();
    let after = peak_rss();
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        matches!(e, DataError::Idx { source: IdxError::WrongImageSize { rows: 65_536, cols: 32_768, expected_rows: 28, expected_cols: 28 }, .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("train-images-idx3-ubyte.gz: the header declares images of 65536×32768; these must be 28×28"), "{e}");
    // Nothing was inflated: the peak grew by far less than the 2 GiB the stream holds.
    assert!(after < before + (64 << 20), "peak memory grew from {before} to {after} bytes");
}

#[test]
fn regression_a_gzip_declaring_2_gib_of_28x28_images_is_refused_from_its_header() {
    // 2,739,200 images of 28×28 (2.1 GB) where Fashion-MNIST has 60,000: refused before the
    // data; the stream here holds only 1 MiB of it, which is never read.
    let bomb = gzip_idx([2_739_200, 28, 28], 1 << 20);
    let e = cnn_core::data::idx::read_images(&bomb, cnn_core::data::idx::Expect { max_count: 60_000, image: Some((28, 28)) }).unwrap_err();
    assert_eq!(e, IdxError::TooMany { count: 2_739_200, max: 60_000 });
}
