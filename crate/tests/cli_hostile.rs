//! Issue 16 on the command line: hostile model files, devices and pipes as model files, numeric
//! options out of range, a `--save` that cannot be written, and a failed run's model file. Each
//! is refused with a message and a failing exit code, before any training starts.
// Native only: files, processes and 64-bit sizes (the wasm build runs crate/tests/web.rs).
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn cnn(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cnn")).args(args).output().expect("run cnn");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn hostile(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/hostile").join(name).to_str().unwrap().to_string()
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cnn-cli-hostile-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn every_hostile_model_file_is_refused_by_info_and_eval() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/hostile");
    let mut names: Vec<String> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert!(names.len() >= 9, "{names:?}");
    for name in names {
        let path = hostile(&name);
        for cmd in ["info", "eval"] {
            let started = Instant::now();
            let (ok, out, err) = cnn(&[cmd, "--model", &path]);
            assert!(!ok, "{cmd} {name} succeeded: {out}");
            assert!(err.starts_with("error: the file's model spec is impossible: "), "{cmd} {name}: {err}");
            assert!(out.is_empty(), "{cmd} {name} printed {out}");
            assert!(started.elapsed() < Duration::from_secs(20), "{cmd} {name} took {:?}", started.elapsed());
        }
    }
}

#[test]
fn regression_info_of_a_conv_with_padding_100000_is_refused_not_1_mac() {
    let (ok, out, err) = cnn(&["info", "--model", &hostile("conv1x1-pad100000.cnn")]);
    assert!(!ok && out.is_empty(), "{out}");
    assert!(err.contains("layer 0 (Conv2d 1@1×1, stride 1000000, pad 100000): padding 100000 is more than the kernel size less one (0)"), "{err}");
}

#[test]
fn regression_eval_refuses_a_100000_squared_input_before_padding_the_test_set() {
    let (ok, _, err) = cnn(&["eval", "--model", &hostile("input-100000x100000.cnn"), "--dataset", "mnist"]);
    assert!(!ok && err.contains("37.3 GiB at batch 1; one buffer may take at most 4 GiB here"), "{err}");
}

#[test]
fn regression_a_device_or_a_pipe_as_model_file_is_read_no_further_than_it_declares() {
    // /dev/zero never ends: its first 9 bytes say it is no model file.
    let started = Instant::now();
    let (ok, _, err) = cnn(&["info", "--model", "/dev/zero"]);
    assert!(!ok && err.contains("this is not a model file"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(20), "{:?}", started.elapsed());
    // A pipe that sends a valid model file and then more bytes: counted, not kept.
    let dir = temp_dir("pipe");
    let model = dir.join("m.cnn");
    let (ok, _, err) = cnn(&["train", "--preset", "lenet-relu", "--dataset", "mnist", "--epochs", "1", "--limit", "64", "--save", model.to_str().unwrap(), "--json"]);
    assert!(ok, "{err}");
    let script = format!("cat {} /dev/zero | head -c $(( $(stat -c %s {}) + 1000 ))", model.display(), model.display());
    let out = Command::new("bash")
        .args(["-c", &format!("{script} | {} info --model /dev/stdin", env!("CARGO_BIN_EXE_cnn"))])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("the model file is damaged: 1000 bytes follow the last tensor"), "{err}");
    // The same file through a pipe alone reads as the file.
    let out = Command::new("bash").args(["-c", &format!("cat {} | {} info --model /dev/stdin", model.display(), env!("CARGO_BIN_EXE_cnn"))]).output().unwrap();
    assert!(out.status.success() && String::from_utf8_lossy(&out.stdout).contains("61,706"), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn numeric_options_out_of_range_are_refused_before_anything_runs() {
    for (args, says) in [
        (vec!["--epochs", "1000000000000"], "--epochs must be between 1 and 100000, not 1000000000000"),
        (vec!["--epochs", "0"], "--epochs must be between 1 and 100000, not 0"),
        (vec!["--limit", "0"], "--limit must be at least 1"),
        (vec!["--batch-size", "0"], "--batch-size must be between 1 and 65536, not 0"),
        (vec!["--batch-size", "1000000"], "--batch-size must be between 1 and 65536, not 1000000"),
        (vec!["--lr", "NaN"], "--lr must be a positive number, not NaN"),
        (vec!["--lr", "inf"], "--lr must be a positive number, not inf"),
        (vec!["--lr=-0.1"], "--lr must be a positive number, not -0.1"),
        (vec!["--lr", "0"], "--lr must be a positive number, not 0"),
        (vec!["--gamma", "nan", "--step-size", "1"], "--gamma must be a positive number, not NaN"),
        (vec!["--gamma", "0"], "--gamma must be a positive number, not 0"),
        (vec!["--step-size", "0"], "--step-size must be at least 1"),
        (vec!["--weight-decay=-0.1"], "--weight-decay must be a number of at least 0, not -0.1"),
        (vec!["--weight-decay", "inf"], "--weight-decay must be a number of at least 0, not inf"),
        (vec!["--freeze", "1"], "--freeze 1: layer 1 (Sigmoid) has no weights to freeze"),
        (vec!["--freeze", "0,12"], "--freeze 12: there is no layer 12: the network's layers are numbered 0 to 11"),
    ] {
        let started = Instant::now();
        let mut all = vec!["train", "--dataset", "mnist"];
        all.extend(&args);
        let (ok, out, err) = cnn(&all);
        assert!(!ok && err.contains(says), "{args:?}: {err}");
        assert!(out.is_empty() && !err.contains("training "), "{args:?} started: {err}");
        assert!(started.elapsed() < Duration::from_secs(20), "{args:?} took {:?}", started.elapsed());
    }
    let (ok, _, err) = cnn(&["train", "--init", "gaussian:inf"]);
    assert!(!ok && err.contains("unknown initialisation"), "{err}");
    for (args, says) in [
        (vec!["--seconds", "inf"], "--seconds must be more than 0"),
        (vec!["--seconds=-1"], "--seconds must be more than 0"),
        (vec!["--runs", "0"], "--runs must be between 1 and 1000"),
        (vec!["--batch-size", "0"], "--batch-size must be between 1"),
    ] {
        let mut all = vec!["bench"];
        all.extend(&args);
        let (ok, _, err) = cnn(&all);
        assert!(!ok && err.contains(says), "{args:?}: {err}");
    }
}

#[test]
fn regression_epochs_0_with_save_writes_no_untrained_model() {
    let dir = temp_dir("epochs0");
    let model = dir.join("m.cnn");
    let (ok, _, err) = cnn(&["train", "--dataset", "mnist", "--epochs", "0", "--save", model.to_str().unwrap()]);
    assert!(!ok && err.contains("a run of 0 epochs would save an untrained model"), "{err}");
    assert!(!model.exists());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_save_path_that_cannot_be_written_is_refused_before_training() {
    let dir = temp_dir("save");
    for (path, says) in [
        (dir.join("missing/m.cnn"), "does not exist"),
        (dir.clone(), "this is a directory"),
        (PathBuf::from("/proc/m.cnn"), "cannot write there"),
    ] {
        let started = Instant::now();
        let (ok, out, err) = cnn(&["train", "--dataset", "mnist", "--epochs", "1", "--save", path.to_str().unwrap()]);
        assert!(!ok && err.contains(says), "{}: {err}", path.display());
        assert!(out.is_empty() && !err.contains("training "), "{} trained first: {err}", path.display());
        assert!(started.elapsed() < Duration::from_secs(20), "{:?}", started.elapsed());
    }
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "nothing was left behind");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_failed_run_leaves_the_model_file_as_it_was_and_says_so() {
    // Weights drawn from U(−3·10³⁸, 3·10³⁸) make the loss NaN: the run stops at its first reading.
    let dir = temp_dir("failed");
    let model = dir.join("m.cnn");
    std::fs::write(&model, b"the previous model").unwrap();
    let (ok, out, err) = cnn(&[
        "train", "--preset", "lenet-relu", "--dataset", "mnist", "--epochs", "1", "--limit", "256", "--init", "uniform:3e38", "--json", "--save",
        model.to_str().unwrap(),
    ]);
    assert!(!ok, "{out}");
    assert!(err.contains("the loss became") && err.contains(&format!("the model was not saved: {} is left as it was", model.display())), "{err}");
    assert_eq!(std::fs::read(&model).unwrap(), b"the previous model");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn regression_a_learning_rate_of_100_or_1e30_stops_the_run_with_an_explanation() {
    // It ran to losses of 1.7e31, exited 0 and overwrote the old model file.
    let dir = temp_dir("runaway");
    for lr in ["100", "1e30"] {
        let model = dir.join(format!("m-{lr}.cnn"));
        std::fs::write(&model, b"the previous model").unwrap();
        let (ok, out, err) =
            cnn(&["train", "--preset", "lenet-d2l", "--dataset", "mnist", "--epochs", "3", "--limit", "2000", "--lr", lr, "--json", "--save", model.to_str().unwrap()]);
        assert!(!ok, "--lr {lr} exited 0: {out}");
        assert!(err.contains("the loss rose to") && err.contains("far above where it started"), "--lr {lr}: {err}");
        assert!(err.contains(&format!("the learning rate ({}) is too high", lr.parse::<f32>().unwrap())), "--lr {lr}: {err}");
        assert!(err.contains("the model was not saved"), "--lr {lr}: {err}");
        assert_eq!(std::fs::read(&model).unwrap(), b"the previous model", "--lr {lr} overwrote the model");
    }
    std::fs::remove_dir_all(&dir).ok();
}
