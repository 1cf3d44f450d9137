//! A training set of one's own as an IDX pair — an images file and a labels file in MNIST's own
//! format (see [`super::idx`]): the page's drawings go out through [`to_idx`] (the training lab's
//! "Export as IDX": `mine-images-idx3-ubyte`, `mine-labels-idx1-ubyte`), and any such pair comes
//! back in through [`load`] (`cnn train --train-images … --train-labels …`). Both sides take
//! 28×28 digits labelled 0–9, the shape of every network the notebook trains on digits.

use std::path::Path;

use super::idx::{self, Expect};
use super::{DataError, Dataset, MAX_BYTES};
use crate::message::{Explain, Message};

/// Rows and columns of every image.
pub const SIDE: u32 = 28;
/// Values per image.
pub const PIXELS: usize = (SIDE * SIDE) as usize;
/// Labels are the digits 0…9.
pub const CLASSES: u8 = 10;
/// The most images a pair may hold: as many as fit in [`MAX_BYTES`] once read as f32.
pub const MAX_IMAGES: u32 = (MAX_BYTES / (PIXELS as u64 * 4)) as u32;

const HINT: &str = "Write the pair with the notebook's \"Export as IDX\" (the training lab's drawings) or any tool that writes \
                    MNIST's IDX format: 28×28 images of unsigned bytes, and labels 0 to 9";

/// The two files of a pair, as bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdxPair {
    pub images: Vec<u8>,
    pub labels: Vec<u8>,
}

/// Why drawings cannot be written as an IDX pair.
#[derive(Clone, Debug, PartialEq)]
pub enum PairError {
    /// `values` pixel values arrived for `labels` labels, which need `labels`·784.
    WrongLength { values: usize, labels: usize },
    /// A label that is not a digit.
    BadLabel { index: usize, label: u8 },
    /// A pixel value that is not a number in [0, 1] (the image `index`).
    BadPixel { index: usize, value: f32 },
}

pub mod text {
    crate::templates! {
        WRONG_LENGTH = "pair.wrongLength": "{labels} labels need {need} pixel values (28×28 per image), but {values} were given";
        BAD_LABEL = "pair.badLabel": "drawing {index} is labelled {label}; the labels are the digits 0 to 9";
        BAD_PIXEL = "pair.badPixel": "drawing {index} holds the pixel value {value}; pixels lie between 0 and 1";
    }
}

impl Explain for PairError {
    fn message(&self) -> Message {
        match *self {
            PairError::WrongLength { values, labels } => Message::new(text::WRONG_LENGTH)
                .with("labels", labels)
                .with("need", (labels as u64).saturating_mul(PIXELS as u64))
                .with("values", values),
            PairError::BadLabel { index, label } => Message::new(text::BAD_LABEL).with("index", index).with("label", label),
            PairError::BadPixel { index, value } => Message::new(text::BAD_PIXEL).with("index", index).with("value", value),
        }
    }
}
crate::explained_error!(PairError);

/// 28×28 images (pixels in [0, 1], image after image, row-major) and their labels 0…9 as an IDX
/// pair. Everything is checked first: the lengths agree, every label is a digit, every pixel is
/// a number in [0, 1]. No image at all is a valid (empty) pair.
pub fn to_idx(images: &[f32], labels: &[u8]) -> Result<IdxPair, PairError> {
    let wrong_length = PairError::WrongLength { values: images.len(), labels: labels.len() };
    let count = u32::try_from(labels.len()).map_err(|_| wrong_length.clone())?;
    if labels.len().checked_mul(PIXELS) != Some(images.len()) {
        return Err(wrong_length);
    }
    if let Some((index, &label)) = labels.iter().enumerate().find(|(_, &l)| l >= CLASSES) {
        return Err(PairError::BadLabel { index, label });
    }
    if let Some(i) = images.iter().position(|v| !(0.0..=1.0).contains(v)) {
        return Err(PairError::BadPixel { index: i / PIXELS, value: images[i] });
    }
    Ok(IdxPair { images: idx::write_images(images, count, SIDE, SIDE), labels: idx::write_labels(labels) })
}

/// Read a pair from two files (each plain or gzip) as a training set of digits: pixels scaled to
/// [0, 1], classes "0"…"9", named after the images file. The headers are checked against
/// [`MAX_IMAGES`] images of 28×28 before any data is read; then the counts must agree, there must
/// be at least one image, and every label must be a digit.
pub fn load(images_path: &Path, labels_path: &Path) -> Result<Dataset, DataError> {
    let expect = |image| Expect { max_count: MAX_IMAGES, image };
    let images = read(images_path)?;
    let images = idx::read_images(&images, expect(Some((SIDE, SIDE)))).map_err(|e| idx_error(images_path, e))?;
    let labels = read(labels_path)?;
    let labels = idx::read_labels(&labels, expect(None)).map_err(|e| idx_error(labels_path, e))?;
    let malformed = |reason: String| DataError::Malformed {
        path: format!("{} and {}", images_path.display(), labels_path.display()),
        reason,
        hint: HINT.into(),
    };
    if images.count != labels.len() {
        return Err(malformed(format!("{} images but {} labels", images.count, labels.len())));
    }
    if labels.is_empty() {
        return Err(malformed("they hold no images: there is nothing to train on".into()));
    }
    if let Some(i) = labels.iter().position(|&l| l >= CLASSES) {
        return Err(malformed(format!("label {i} is {}, but the labels are the digits 0 to 9", labels[i])));
    }
    let name = images_path.file_name().map_or_else(|| images_path.display().to_string(), |n| n.to_string_lossy().into_owned());
    Ok(Dataset {
        name,
        dims: [1, SIDE as usize, SIDE as usize],
        images: images.pixels.iter().map(|&p| p as f32 / 255.0).collect(),
        labels,
        classes: (0..CLASSES).map(|d| d.to_string()).collect(),
    })
}

/// A file's bytes, no more than an IDX file may declare (plus gzip's framing).
fn read(path: &Path) -> Result<Vec<u8>, DataError> {
    super::read_capped(path, idx::MAX_DATA + (idx::MAX_DATA >> 6))
        .map_err(|reason| DataError::File { path: path.display().to_string(), reason, hint: HINT.into() })
}

fn idx_error(path: &Path, source: idx::IdxError) -> DataError {
    DataError::Idx { path: path.display().to_string(), source, hint: HINT.into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three 28×28 images: image k has every pixel k/4 (exact bytes 0, 64, 128 after rounding).
    fn three() -> (Vec<f32>, Vec<u8>) {
        let images = (0..3).flat_map(|k| vec![k as f32 / 4.0; PIXELS]).collect();
        (images, vec![3, 0, 9])
    }

    fn temp(tag: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("cnn-pair-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn drawings_written_as_a_pair_load_back_as_a_training_set() {
        let (images, labels) = three();
        let pair = to_idx(&images, &labels).unwrap();
        assert_eq!(&pair.images[..16], &[0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 28, 0, 0, 0, 28]);
        assert_eq!(pair.labels, vec![0, 0, 8, 1, 0, 0, 0, 3, 3, 0, 9]);
        let dir = temp("roundtrip");
        let (ip, lp) = (dir.join("mine-images-idx3-ubyte"), dir.join("mine-labels-idx1-ubyte"));
        std::fs::write(&ip, &pair.images).unwrap();
        std::fs::write(&lp, &pair.labels).unwrap();
        let d = load(&ip, &lp);
        std::fs::remove_dir_all(&dir).unwrap();
        let d = d.unwrap();
        assert_eq!((d.name.as_str(), d.dims, d.len()), ("mine-images-idx3-ubyte", [1, 28, 28], 3));
        assert_eq!(d.labels, labels);
        // 0.25 and 0.5 are not multiples of 1/255: they come back as the nearest byte, 64/255 and 128/255.
        assert_eq!((d.image(0)[0], d.image(1)[0], d.image(2)[783]), (0.0, 64.0 / 255.0, 128.0 / 255.0));
        assert_eq!(d.class_counts(), vec![1, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
    }

    #[test]
    fn what_cannot_be_a_pair_is_a_typed_error() {
        let (images, labels) = three();
        let e = to_idx(&images[1..], &labels).unwrap_err();
        assert_eq!(e, PairError::WrongLength { values: 3 * PIXELS - 1, labels: 3 });
        assert_eq!(e.to_string(), "3 labels need 2352 pixel values (28×28 per image), but 2351 were given");
        let e = to_idx(&images, &[3, 10, 1]).unwrap_err();
        assert_eq!(e, PairError::BadLabel { index: 1, label: 10 });
        assert_eq!(e.message().key(), "pair.badLabel");
        let mut bad = images.clone();
        bad[PIXELS * 2 + 5] = f32::NAN;
        assert!(matches!(to_idx(&bad, &labels), Err(PairError::BadPixel { index: 2, value }) if value.is_nan()));
        bad[PIXELS * 2 + 5] = 1.5;
        assert_eq!(to_idx(&bad, &labels), Err(PairError::BadPixel { index: 2, value: 1.5 }));
        // Nothing drawn yet: an empty pair, which `load` then refuses to train on.
        let empty = to_idx(&[], &[]).unwrap();
        assert_eq!(empty.labels, vec![0, 0, 8, 1, 0, 0, 0, 0]);
    }

    #[test]
    fn a_pair_that_does_not_fit_together_is_refused_with_both_names() {
        let dir = temp("bad");
        let (ip, lp) = (dir.join("i"), dir.join("l"));
        let (images, _) = three();
        std::fs::write(&ip, to_idx(&images, &[1, 2, 3]).unwrap().images).unwrap();
        let check = |labels: &[u8], want: &str| {
            std::fs::write(&lp, idx::write_labels(labels)).unwrap();
            let e = load(&ip, &lp).unwrap_err().to_string();
            assert!(e.contains(want) && e.contains("Export as IDX") && e.contains(&*lp.display().to_string()), "{e}");
        };
        check(&[1, 2], "3 images but 2 labels");
        check(&[1, 2, 11], "label 2 is 11");
        // Images of another size are refused from their header.
        std::fs::write(&ip, idx::write_images(&[0.0; 2 * 32 * 32], 2, 32, 32)).unwrap();
        let e = load(&ip, &lp).unwrap_err();
        assert!(matches!(e, DataError::Idx { source: idx::IdxError::WrongImageSize { rows: 32, .. }, .. }), "{e:?}");
        // No images.
        std::fs::write(&ip, idx::write_images(&[], 0, 28, 28)).unwrap();
        std::fs::write(&lp, idx::write_labels(&[])).unwrap();
        assert!(load(&ip, &lp).unwrap_err().to_string().contains("nothing to train on"));
        // The files swapped.
        let e = load(&lp, &ip).unwrap_err();
        assert!(matches!(e, DataError::Idx { source: idx::IdxError::BadMagic { .. }, .. }), "{e:?}");
        assert!(matches!(load(&dir.join("missing"), &lp), Err(DataError::File { .. })));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
