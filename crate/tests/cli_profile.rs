//! `cnn bench --profile` run as a user would, on the GPU backend (lavapipe on machines without a
//! GPU): its table names kernels that exist in the shaders, counts the dispatches one LeNet step
//! makes, and its shares add up to the whole.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;
use std::process::Command;

fn cnn(args: &[&str]) -> (bool, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cnn"));
    // Mesa's Vulkan drivers want a runtime directory; the README's commands set it the same way.
    if std::env::var_os("XDG_RUNTIME_DIR").is_none() {
        cmd.env("XDG_RUNTIME_DIR", "/tmp");
    }
    let out = cmd.args(args).output().expect("run cnn");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Every compute entry point of the shaders, and the family of each tiled product (the file
/// that says where A, B and C live, gemm.wgsl's main loop appended to it: the profile names
/// those "conv2d_forward (wide tile)").
fn kernels_in_the_shaders() -> BTreeSet<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/backend/gpu/shaders");
    let mut names = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).expect("the shaders folder") {
        let path = entry.expect("a shader file").path();
        let src = std::fs::read_to_string(&path).expect("a WGSL file");
        if src.contains("fn load_a(") {
            names.insert(path.file_stem().unwrap().to_string_lossy().into_owned());
        }
        let mut lines = src.lines();
        while let Some(line) = lines.next() {
            if line.trim_start().starts_with("@compute") {
                let decl = lines.next().expect("a function after @compute");
                let name = decl.trim_start().strip_prefix("fn ").and_then(|r| r.split('(').next()).expect("fn name(");
                if name != "main" {
                    names.insert(name.to_string());
                }
            }
        }
    }
    names
}

/// One row of the table: kernel, dispatches, milliseconds, share in percent.
fn row(line: &str) -> (String, usize, f64, f64) {
    let words: Vec<&str> = line.split_whitespace().collect();
    let n = words.len();
    assert!(n >= 5 && words[n - 1] == "%", "not a table row: {line:?}");
    let number = |w: &str| w.parse::<f64>().unwrap_or_else(|_| panic!("{w:?} in {line:?}"));
    (words[..n - 4].join(" "), words[n - 4].parse().expect("dispatches"), number(words[n - 3]), number(words[n - 2]))
}

#[test]
fn profile_names_real_kernels_and_its_shares_make_the_whole() {
    let (ok, out, err) = cnn(&["bench", "--profile", "--preset", "lenet-d2l", "--batch-size", "8"]);
    assert!(ok, "{err}\n{out}");
    let lines: Vec<&str> = out.lines().collect();
    let dashes = lines.iter().position(|l| l.starts_with("---")).unwrap_or_else(|| panic!("no table in\n{out}"));
    let sum_at = lines.iter().position(|l| l.starts_with("sum of the kernels:")).unwrap_or_else(|| panic!("no sum line in\n{out}"));
    let header = lines[dashes - 1];
    assert!(header.contains("GPU ms") || header.contains("wall ms"), "{header}");
    let rows: Vec<_> = lines[dashes + 1..sum_at].iter().map(|l| row(l)).collect();

    let known = kernels_in_the_shaders();
    for (kernel, dispatches, ms, _) in &rows {
        let entry = kernel.split(" (").next().unwrap();
        assert!(known.contains(entry), "{kernel:?} is no kernel of the shaders ({known:?})");
        assert!(*dispatches > 0 && ms.is_finite() && *ms >= 0.0, "{kernel}: {dispatches} dispatches, {ms} ms");
    }
    let of = |name: &str| rows.iter().filter(|r| r.0.starts_with(name)).map(|r| r.1).sum::<usize>();
    // LeNet: two convolutions and three dense layers forward, ten parameter tensors updated.
    assert_eq!(of("conv2d_forward"), 2, "{out}");
    assert_eq!(of("dense"), 3 * 3, "forward, dw and dx for each of the three (a convolution is before them): {out}");
    assert_eq!(of("sgd"), 10, "{out}");
    assert_eq!(of("softmax_cross_entropy"), 1, "{out}");

    let shares: f64 = rows.iter().map(|r| r.3).sum();
    assert!((shares - 100.0).abs() <= 0.05 * rows.len() as f64 + 0.01, "shares add up to {shares} %:\n{out}");
    let total: f64 = rows.iter().map(|r| r.2).sum();
    let said: f64 = lines[sum_at].split_whitespace().nth(4).and_then(|w| w.parse().ok()).unwrap_or_else(|| panic!("{}", lines[sum_at]));
    assert!((total - said).abs() <= 0.001 * rows.len() as f64, "rows sum to {total} ms, the sum line says {said}");
    assert!(out.contains("step wall time:"), "{out}");
}

#[test]
fn profile_refuses_the_cpu() {
    let (ok, _, err) = cnn(&["bench", "--profile", "--device", "cpu"]);
    assert!(!ok && err.contains("--profile times the GPU's kernels"), "{err}");
}
