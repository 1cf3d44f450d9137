//! The `cnn` command line, run as a user would: info, a short train with --save and --json,
//! eval of the saved file, and clear errors for bad input.

use std::process::Command;

fn cnn(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cnn")).args(args).output().expect("run cnn");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn info_prints_the_layer_table_with_totals() {
    let (ok, out, err) = cnn(&["info", "--preset", "lenet5"]);
    assert!(ok, "{err}");
    assert!(out.contains("(N, 6, 28, 28)") && out.contains("(N, 16, 5, 5)"), "{out}");
    let total = out.lines().find(|l| l.contains("Total")).expect("a total line");
    assert!(total.contains("61,706"), "{total}");
}

#[test]
fn train_json_save_then_eval_gives_the_same_accuracy() {
    let dir = std::env::temp_dir().join(format!("cnn-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let model = dir.join("tiny.cnn");
    let model_s = model.to_str().unwrap();
    let (ok, out, err) = cnn(&[
        "train", "--preset", "lenet-relu", "--dataset", "mnist", "--epochs", "2", "--limit", "1000", "--optimizer", "adam", "--lr", "0.002",
        "--batch-size", "50", "--init", "he", "--json", "--save", model_s,
    ]);
    assert!(ok, "{err}");
    let epochs: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect();
    assert_eq!(epochs.len(), 2);
    for key in ["train_loss", "train_accuracy", "test_accuracy", "examples_per_second"] {
        assert!(epochs[1][key].is_number(), "{key} missing in {}", epochs[1]);
    }
    let test_acc = epochs[1]["test_accuracy"].as_f64().unwrap();
    assert!(test_acc > 0.6, "test accuracy {test_acc}");

    let (ok, out, err) = cnn(&["eval", "--model", model_s, "--dataset", "mnist", "--json"]);
    assert!(ok, "{err}");
    let eval: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(eval["examples"], 2000);
    assert!((eval["accuracy"].as_f64().unwrap() - test_acc).abs() < 1e-6, "eval {eval} vs train's last epoch {test_acc}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn train_with_mse_learns() {
    let (ok, out, err) = cnn(&[
        "train", "--preset", "lenet-relu", "--dataset", "mnist", "--epochs", "2", "--limit", "1000", "--optimizer", "adam", "--lr", "0.002",
        "--batch-size", "50", "--init", "he", "--loss", "mse", "--json",
    ]);
    assert!(ok, "{err}");
    let epochs: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect();
    let loss = |e: usize| epochs[e]["train_loss"].as_f64().unwrap();
    assert!(loss(1) < loss(0) && loss(0) < 0.3, "MSE losses {} then {}", loss(0), loss(1));
    assert!(epochs[1]["test_accuracy"].as_f64().unwrap() > 0.6, "{}", epochs[1]);
}

#[test]
fn bad_input_gives_a_clear_error_and_a_failing_exit_code() {
    let (ok, _, err) = cnn(&["train", "--preset", "resnet-9000"]);
    assert!(!ok && err.contains("unknown preset") && err.contains("lenet-d2l"), "{err}");
    let (ok, _, err) = cnn(&["train", "--optimizer", "rmsprop", "--epochs", "1"]);
    assert!(!ok && err.contains("unknown optimizer"), "{err}");
    let (ok, _, err) = cnn(&["train", "--loss", "hinge", "--epochs", "1"]);
    assert!(!ok && err.contains("cross-entropy") && err.contains("mse"), "{err}");
    let bogus = std::env::temp_dir().join(format!("cnn-cli-bogus-{}.cnn", std::process::id()));
    std::fs::write(&bogus, b"definitely not a model").unwrap();
    let (ok, _, err) = cnn(&["eval", "--model", bogus.to_str().unwrap()]);
    std::fs::remove_file(&bogus).ok();
    assert!(!ok && err.starts_with("error:"), "{err}");
}

/// `cnn train` on a pair of one's own IDX files (what the notebook's "Export as IDX" writes),
/// tested on MNIST's test digits: 1,000 training digits written with the core's writer train a
/// network that reads the test digits; the same digits with every label moved by one train a
/// network that reads them wrong — the labels in the file are the ones it learns.
#[test]
fn train_on_an_idx_pair_of_ones_own() {
    let dir = std::env::temp_dir().join(format!("cnn-cli-pair-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let digits = cnn_core::data::load("mnist").unwrap_or_else(|e| panic!("{e}")).train.take(1000);
    let train = |labels: &[u8], tag: &str| {
        let pair = cnn_core::data::pair::to_idx(&digits.images, labels).unwrap();
        let (images, label_file) = (dir.join(format!("{tag}-images-idx3-ubyte")), dir.join(format!("{tag}-labels-idx1-ubyte")));
        std::fs::write(&images, &pair.images).unwrap();
        std::fs::write(&label_file, &pair.labels).unwrap();
        let (ok, out, err) = cnn(&[
            "train", "--preset", "lenet-relu", "--train-images", images.to_str().unwrap(), "--train-labels", label_file.to_str().unwrap(),
            "--epochs", "2", "--optimizer", "adam", "--lr", "0.002", "--batch-size", "50", "--init", "he", "--json",
        ]);
        assert!(ok, "{err}");
        let epochs: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect();
        assert_eq!(epochs.len(), 2);
        epochs[1]["test_accuracy"].as_f64().unwrap()
    };
    let right = train(&digits.labels, "right");
    assert!(right > 0.6, "trained on 1,000 of its own digits, test accuracy {right}");
    let shifted: Vec<u8> = digits.labels.iter().map(|l| (l + 1) % 10).collect();
    let wrong = train(&shifted, "wrong");
    assert!(wrong < 0.2, "trained on labels moved by one, test accuracy {wrong}");

    // Without --json it says what it trains on: the file's name and its size.
    let (images, labels) = (dir.join("right-images-idx3-ubyte"), dir.join("right-labels-idx1-ubyte"));
    let (ok, _, err) = cnn(&[
        "train", "--preset", "lenet-relu", "--train-images", images.to_str().unwrap(), "--train-labels", labels.to_str().unwrap(), "--epochs", "1",
        "--limit", "100",
    ]);
    assert!(ok && err.contains("on right-images-idx3-ubyte (100 train / 2000 test)"), "{err}");
    // Labels without images, a pair that does not fit, a missing file: refused before training.
    let (ok, _, err) = cnn(&["train", "--train-labels", labels.to_str().unwrap()]);
    assert!(!ok && err.contains("--train-images"), "{err}");
    std::fs::write(dir.join("short-labels"), cnn_core::data::idx::write_labels(&[1, 2, 3])).unwrap();
    let (ok, _, err) = cnn(&["train", "--train-images", images.to_str().unwrap(), "--train-labels", dir.join("short-labels").to_str().unwrap()]);
    assert!(!ok && err.contains("1000 images but 3 labels"), "{err}");
    let (ok, _, err) = cnn(&["train", "--train-images", labels.to_str().unwrap(), "--train-labels", labels.to_str().unwrap()]);
    assert!(!ok && err.contains("not an IDX images file"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

/// `--freeze 0,3` trains LeNet's dense layers only: the saved convolutions are the initial ones
/// of the seed, bit for bit, and the dense layers moved (with weight decay on, as a lab run would).
#[test]
fn train_with_frozen_convolutions_saves_them_untouched() {
    use cnn_core::init::Init;
    use cnn_core::model::{zoo, Sequential};
    let dir = std::env::temp_dir().join(format!("cnn-cli-freeze-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let model = dir.join("frozen.cnn");
    let (ok, _, err) = cnn(&[
        "train", "--preset", "lenet-relu", "--dataset", "mnist", "--epochs", "1", "--limit", "200", "--optimizer", "momentum", "--lr", "0.05",
        "--weight-decay", "0.0005", "--init", "he", "--seed", "7", "--freeze", "0,3", "--json", "--save", model.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let saved = cnn_core::format::decode(&std::fs::read(&model).unwrap()).unwrap().tensors;
    let b = cnn_core::Cpu::new();
    let initial = Sequential::new(&b, zoo::lenet_relu(), Init::HeNormal, 7).unwrap().state(&b);
    for t in &initial {
        let s = saved.iter().find(|s| s.name == t.name).unwrap();
        let frozen = t.name.starts_with("0.") || t.name.starts_with("3.");
        let same = s.data.iter().zip(&t.data).all(|(a, b)| a.to_bits() == b.to_bits());
        assert_eq!(same, frozen, "{}: {}", t.name, if frozen { "a frozen layer changed" } else { "a trained layer did not change" });
    }
    std::fs::remove_dir_all(&dir).ok();
}
