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
fn bad_input_gives_a_clear_error_and_a_failing_exit_code() {
    let (ok, _, err) = cnn(&["train", "--preset", "resnet-9000"]);
    assert!(!ok && err.contains("unknown preset") && err.contains("lenet-d2l"), "{err}");
    let (ok, _, err) = cnn(&["train", "--optimizer", "rmsprop", "--epochs", "1"]);
    assert!(!ok && err.contains("unknown optimizer"), "{err}");
    let bogus = std::env::temp_dir().join(format!("cnn-cli-bogus-{}.cnn", std::process::id()));
    std::fs::write(&bogus, b"definitely not a model").unwrap();
    let (ok, _, err) = cnn(&["eval", "--model", bogus.to_str().unwrap()]);
    std::fs::remove_file(&bogus).ok();
    assert!(!ok && err.starts_with("error:"), "{err}");
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
