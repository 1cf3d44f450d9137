//! Fashion-MNIST (Xiao, Rasul, Vollgraf 2017): 70,000 grey 28×28 photos of clothes in ten
//! classes, as Zalando ships them and Debian packages them in `dataset-fashion-mnist`:
//! `/usr/share/datasets/fashion-mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz`, four IDX
//! files (see [`super::idx`]). The split is the published one: the 60,000 `train` images for
//! training and the 10,000 `t10k` images for testing, in the files' order.

use std::path::{Path, PathBuf};

use super::idx::{self, Expect, IdxError};
use super::{DataError, Dataset, Split};

/// Where Debian's package puts the files.
pub const DEFAULT_DIR: &str = "/usr/share/datasets/fashion-mnist";
/// Environment variable naming another directory with the same four files.
pub const ENV_DIR: &str = "CNN_FASHION_DIR";
pub const TRAIN_LEN: usize = 60_000;
pub const TEST_LEN: usize = 10_000;
/// The class names, index = label, as in the dataset's README.
pub const CLASSES: [&str; 10] = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

const HINT: &str = "Install it with `sudo apt-get install dataset-fashion-mnist` (the README's test command does this), or \
                    set CNN_FASHION_DIR to a directory holding the four IDX files";

/// The directory to read: `explicit`, else `$CNN_FASHION_DIR`, else Debian's [`DEFAULT_DIR`].
pub fn dir(explicit: Option<&Path>) -> PathBuf {
    explicit
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os(ENV_DIR).filter(|v| !v.is_empty()).map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from(DEFAULT_DIR))
}

/// Load the 60,000/10,000 split from `dir` (see [`dir`] for `None`).
pub fn load(explicit: Option<&Path>) -> Result<Split, DataError> {
    let dir = dir(explicit);
    Ok(Split { train: load_part(&dir, "train", "fashion-mnist-train")?, test: load_part(&dir, "t10k", "fashion-mnist-test")? })
}

fn load_part(dir: &Path, prefix: &str, name: &str) -> Result<Dataset, DataError> {
    let (images_path, images) = read_file(dir, &format!("{prefix}-images-idx3-ubyte"))?;
    let (labels_path, labels) = read_file(dir, &format!("{prefix}-labels-idx1-ubyte"))?;
    parse_part(prefix, name, [&images, &labels], [&images_path.display().to_string(), &labels_path.display().to_string()])
}

/// The four files as the page fetches them (train images, train labels, t10k images, t10k
/// labels; gzipped or not), each checked as [`load`] checks the installed ones.
pub fn from_files(files: [&[u8]; 4]) -> Result<Split, DataError> {
    let names = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];
    Ok(Split {
        train: parse_part("train", "fashion-mnist-train", [files[0], files[1]], [names[0], names[1]])?,
        test: parse_part("t10k", "fashion-mnist-test", [files[2], files[3]], [names[2], names[3]])?,
    })
}

fn parse_part(prefix: &str, name: &str, [images, labels]: [&[u8]; 2], [images_path, labels_path]: [&str; 2]) -> Result<Dataset, DataError> {
    // The header is checked against Fashion-MNIST's sizes before anything is inflated.
    let count = if prefix == "train" { TRAIN_LEN } else { TEST_LEN } as u32;
    let images = idx::read_images(images, Expect { max_count: count, image: Some((28, 28)) }).map_err(|e| idx_error(images_path, e))?;
    let labels = idx::read_labels(labels, Expect { max_count: count, image: None }).map_err(|e| idx_error(labels_path, e))?;
    from_idx(name, images, labels).map_err(|reason| DataError::Malformed { path: format!("{images_path} and {labels_path}"), reason, hint: HINT.into() })
}

fn idx_error(path: &str, source: IdxError) -> DataError {
    DataError::Idx { path: path.to_string(), source, hint: HINT.into() }
}

/// Read `name.gz`, or `name` when only the uncompressed file is there (someone ran gunzip).
fn read_file(dir: &Path, name: &str) -> Result<(PathBuf, Vec<u8>), DataError> {
    let gz = dir.join(format!("{name}.gz"));
    let plain = dir.join(name);
    let path = if !gz.exists() && plain.exists() { plain } else { gz };
    // No IDX file declares more than MAX_DATA bytes; gzip adds well under 1/64 to data it
    // cannot compress. Nothing larger is read, from a file, a pipe or a device.
    match super::read_capped(&path, idx::MAX_DATA + (idx::MAX_DATA >> 6)) {
        Ok(bytes) => Ok((path, bytes)),
        Err(reason) => Err(DataError::File { path: path.display().to_string(), reason, hint: HINT.into() }),
    }
}

/// Images and labels that belong together → a dataset with pixels scaled to [0, 1].
/// The error says what does not fit.
pub fn from_idx(name: &str, images: idx::IdxImages, labels: Vec<u8>) -> Result<Dataset, String> {
    if (images.rows, images.cols) != (28, 28) {
        return Err(format!("the images are {}×{}, Fashion-MNIST's are 28×28", images.rows, images.cols));
    }
    if images.count != labels.len() {
        return Err(format!("{} images but {} labels", images.count, labels.len()));
    }
    if let Some(i) = labels.iter().position(|&l| l as usize >= CLASSES.len()) {
        return Err(format!("label {i} is {}, but there are only {} classes", labels[i], CLASSES.len()));
    }
    Ok(Dataset {
        name: name.into(),
        dims: [1, 28, 28],
        images: images.pixels.iter().map(|&p| p as f32 / 255.0).collect(),
        labels,
        classes: CLASSES.iter().map(|s| s.to_string()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use idx::{write_u8, IMAGES_MAGIC, LABELS_MAGIC};

    #[test]
    fn from_idx_scales_pixels_and_checks_the_parts_fit() {
        let images = idx::IdxImages { count: 2, rows: 28, cols: 28, pixels: (0..2 * 784).map(|i| (i % 256) as u8).collect() };
        let d = from_idx("t", images.clone(), vec![9, 0]).unwrap();
        assert_eq!(d.dims, [1, 28, 28]);
        assert_eq!(d.image(0)[255], 1.0);
        assert_eq!(d.image(0)[51], 0.2);
        assert_eq!(d.classes[9], "Ankle boot");
        assert!(from_idx("t", images.clone(), vec![1]).unwrap_err().contains("2 images but 1 labels"));
        assert!(from_idx("t", images.clone(), vec![1, 10]).unwrap_err().contains("label 1 is 10"));
        let small = idx::IdxImages { count: 1, rows: 2, cols: 2, pixels: vec![0; 4] };
        assert!(from_idx("t", small, vec![1]).unwrap_err().contains("2×2"));
    }

    /// A temporary directory with a tiny Fashion-MNIST: 3 training and 2 test examples.
    fn tiny_dir(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("cnn-fashion-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (prefix, n) in [("train", 3u32), ("t10k", 2)] {
            let px = vec![255u8; n as usize * 784];
            std::fs::write(dir.join(format!("{prefix}-images-idx3-ubyte")), write_u8(IMAGES_MAGIC, &[n, 28, 28], &px)).unwrap();
            let labels: Vec<u8> = (0..n as u8).collect();
            std::fs::write(dir.join(format!("{prefix}-labels-idx1-ubyte")), write_u8(LABELS_MAGIC, &[n], &labels)).unwrap();
        }
        dir
    }

    #[test]
    fn reads_uncompressed_files_from_a_named_directory() {
        let dir = tiny_dir("plain");
        let s = load(Some(&dir));
        std::fs::remove_dir_all(&dir).unwrap();
        let s = s.unwrap();
        assert_eq!((s.train.len(), s.test.len()), (3, 2));
        assert_eq!(s.train.labels, [0, 1, 2]);
        assert!(s.test.images.iter().all(|&p| p == 1.0));
    }

    #[test]
    fn a_missing_file_names_it_and_says_how_to_install() {
        let e = load(Some(Path::new("/nonexistent/fashion"))).unwrap_err();
        let msg = e.to_string();
        assert!(matches!(e, DataError::File { .. }));
        assert!(msg.contains("/nonexistent/fashion/train-images-idx3-ubyte.gz"), "{msg}");
        assert!(msg.contains("apt-get install dataset-fashion-mnist"), "{msg}");
    }

    #[test]
    fn a_malformed_file_names_it() {
        let dir = tiny_dir("bad");
        // Truncate the test labels: the header says 2, one byte is left.
        let path = dir.join("t10k-labels-idx1-ubyte");
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.pop();
        std::fs::write(&path, bytes).unwrap();
        let e = load(Some(&dir)).unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        let msg = e.to_string();
        assert!(matches!(e, DataError::Idx { source: IdxError::SizeMismatch { declared: 2, found: 1, .. }, .. }), "{e:?}");
        assert!(msg.contains("t10k-labels-idx1-ubyte") && msg.contains("apt-get install dataset-fashion-mnist"), "{msg}");
    }
}
