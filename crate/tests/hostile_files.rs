//! Issue 16's reproducers, one named regression test each: model files under 1 KB that used to
//! pass `decode` and `load_model` and then crash the first forward pass (or print wrapped
//! totals), and the sizes that overflowed in debug builds. Each is now refused with a typed error
//! naming the layer, before anything is allocated.
//!
//! The files are built here (`hostile_file`) and kept, byte for byte, in
//! `crate/tests/data/hostile/`, where the page's test (`tests/hostile-files.test.mjs`) loads the
//! ones a browser can read. `the_kept_files_are_the_ones_built_here` fails when they drift; run
//! it with `HOSTILE_WRITE=1` to write them again.
// Native only: files, processes and 64-bit sizes (the wasm build runs crate/tests/web.rs).
#![cfg(not(target_arch = "wasm32"))]

use cnn_core::format::{self, FormatError};
use cnn_core::model::{Budget, LayerSpec, ModelSpec, SpecError};
use cnn_core::{Cpu, Error};

/// A model file written by hand: the spec as raw JSON (so that 1e39 stays 1e39, which serde would
/// write as null), and one tensor per (name, shape), every value 0.5.
fn model_file(spec_json: &str, tensors: &[(&str, &[usize])]) -> Vec<u8> {
    let mut header = serde_json::Map::new();
    let meta = serde_json::json!({ "format": format::FORMAT, "version": "1", "spec": spec_json });
    header.insert("__metadata__".into(), meta);
    let mut data = Vec::new();
    for (name, shape) in tensors {
        let len: usize = shape.iter().product();
        let start = data.len();
        for _ in 0..len {
            data.extend_from_slice(&0.5f32.to_le_bytes());
        }
        header.insert(name.to_string(), serde_json::json!({ "dtype": "F32", "shape": shape, "data_offsets": [start, data.len()] }));
    }
    let mut h = serde_json::to_vec(&serde_json::Value::Object(header)).unwrap();
    h.resize(h.len().next_multiple_of(8), b' ');
    let mut out = (h.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(&h);
    out.extend_from_slice(&data);
    out
}

/// A digit-shaped spec (input 1×28×28, 10 outputs) around `conv`: conv, a pool over the whole
/// output down to 1×1, flatten, dense 10 — what the page's `check_digit_model` let through.
fn digit_around(conv: &str, pool: u64) -> String {
    format!(
        r#"{{"name":"hostile","input":[1,28,28],"layers":[{conv},{{"type":"max_pool2d","kernel":{pool},"stride":{pool}}},{{"type":"flatten"}},{{"type":"dense","units":10}}]}}"#
    )
}

const DIGIT_WEIGHTS: [(&str, &[usize]); 4] = [("0.weight", &[1, 1, 1, 1]), ("0.bias", &[1]), ("3.weight", &[10, 1]), ("3.bias", &[10])];

/// The reproducers: (file name, bytes). The page refuses those with sizes past 2³² already when
/// it reads the spec (a usize of the 32-bit browser build cannot hold them).
fn hostile_files() -> Vec<(&'static str, Vec<u8>)> {
    let conv = |stride: u64, padding: u64| format!(r#"{{"type":"conv2d","out_channels":1,"kernel":1,"stride":{stride},"padding":{padding}}}"#);
    // The output side for a 1×1 kernel: (28 + 2P − 1)/S + 1, pooled to 1×1 by a window that size.
    let side = |stride: u64, padding: u64| (28 + 2 * padding - 1) / stride + 1;
    let lenet_with = |activation: &str| {
        format!(
            r#"{{"name":"hostile","input":[1,28,28],"layers":[{{"type":"conv2d","out_channels":1,"kernel":1}},{activation},{{"type":"max_pool2d","kernel":28,"stride":28}},{{"type":"flatten"}},{{"type":"dense","units":10}}]}}"#
        )
    };
    let lenet_weights: [(&str, &[usize]); 4] = [("0.weight", &[1, 1, 1, 1]), ("0.bias", &[1]), ("4.weight", &[10, 1]), ("4.bias", &[10])];
    vec![
        // A 1×1 conv with padding 100,000 and a huge stride: "1 MAC", and a 149 GiB padded copy.
        ("conv1x1-pad100000.cnn", model_file(&digit_around(&conv(1_000_000, 100_000), side(1_000_000, 100_000)), &DIGIT_WEIGHTS)),
        // Stride 2³² and padding 2³¹ − 14: the padded length wrapped to 0 (a panic).
        ("conv-stride2p32-pad2p31.cnn", model_file(&digit_around(&conv(1 << 32, (1 << 31) - 14), 1), &DIGIT_WEIGHTS)),
        // The same wrap on wasm32: stride 65,536 and padding 32,754.
        ("conv-stride65536-pad32754.cnn", model_file(&digit_around(&conv(65_536, 32_754), side(65_536, 32_754)), &DIGIT_WEIGHTS)),
        // Padding 20,000: a 40,028² activation, 3.2 TB asked at once.
        ("conv1x1-pad20000.cnn", model_file(&digit_around(&conv(1, 20_000), side(1, 20_000)), &DIGIT_WEIGHTS)),
        // An input of 1×100,000×100,000 with 20 weights.
        (
            "input-100000x100000.cnn",
            model_file(
                r#"{"name":"hostile","input":[1,100000,100000],"layers":[{"type":"conv2d","out_channels":2,"kernel":3,"stride":99999}]}"#,
                &[("0.weight", &[2, 1, 3, 3]), ("0.bias", &[2])],
            ),
        ),
        // Batch norm over 2⁶³ channels: 2·C wrapped to 0 parameters.
        ("batchnorm-2p63-channels.cnn", model_file(r#"{"name":"hostile","input":[9223372036854775808,1,1],"layers":[{"type":"batch_norm2d"}]}"#, &[])),
        // Three 1×1 convolutions of 2⁶³ − 2³² MACs each: a wrapped total.
        (
            "three-convs-2p63-macs.cnn",
            model_file(
                r#"{"name":"hostile","input":[1,4294967296,2147483647],"layers":[{"type":"conv2d","out_channels":1,"kernel":1},{"type":"conv2d","out_channels":1,"kernel":1},{"type":"conv2d","out_channels":1,"kernel":1}]}"#,
                &[("0.weight", &[1, 1, 1, 1]), ("0.bias", &[1]), ("1.weight", &[1, 1, 1, 1]), ("1.bias", &[1]), ("2.weight", &[1, 1, 1, 1]), ("2.bias", &[1])],
            ),
        ),
        // A leaky ReLU's slope and a batch norm's eps of 1e39: infinity in f32.
        ("leaky-relu-slope-1e39.cnn", model_file(&lenet_with(r#"{"type":"leaky_relu","slope":1e39}"#), &lenet_weights)),
        (
            "batchnorm-eps-1e39.cnn",
            model_file(&lenet_with(r#"{"type":"batch_norm2d","eps":1e39}"#), &[
                ("0.weight", &[1, 1, 1, 1]),
                ("0.bias", &[1]),
                ("1.weight", &[1]),
                ("1.bias", &[1]),
                ("1.running_mean", &[1]),
                ("1.running_var", &[1]),
                ("4.weight", &[10, 1]),
                ("4.bias", &[10]),
            ]),
        ),
    ]
}

fn file(name: &str) -> Vec<u8> {
    hostile_files().into_iter().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("no file {name}")).1
}

/// Decoding refuses the file with a spec error; loading it does too, and nothing is built.
fn refused(name: &str) -> SpecError {
    let bytes = file(name);
    assert!(bytes.len() < 1024, "{name}: the reproducers are under 1 KB, this one is {}", bytes.len());
    let e = match format::decode(&bytes) {
        Err(FormatError::Spec(e)) => e,
        other => panic!("{name}: expected a spec error, got {other:?}"),
    };
    match format::load_model(&Cpu::new(), &bytes) {
        Err(Error::Format(FormatError::Spec(again))) => assert_eq!(again, e),
        Err(other) => panic!("{name}: load_model gave {other:?}"),
        Ok(_) => panic!("{name}: load_model built the model"),
    }
    e
}

fn layer_of(e: &SpecError) -> Option<usize> {
    match e {
        SpecError::BadSetting { index, .. } | SpecError::WindowTooLarge { index, .. } => Some(*index),
        SpecError::BufferOverBudget { at, .. } | SpecError::OverBudget { at, .. } => at.as_ref().map(|(i, _)| *i),
        _ => None,
    }
}

#[test]
fn regression_conv1x1_with_padding_100000_is_refused_not_a_149_gib_padded_copy() {
    let e = refused("conv1x1-pad100000.cnn");
    assert!(matches!(e, SpecError::BadSetting { index: 0, .. }), "{e:?}");
    assert_eq!(
        e.to_string(),
        "layer 0 (Conv2d 1@1×1, stride 1000000, pad 100000): padding 100000 is more than the kernel size less one (0): the outer windows would see nothing but padding"
    );
}

#[test]
fn regression_stride_2p32_padding_2p31_no_longer_wraps_to_a_zero_chunk() {
    let e = refused("conv-stride2p32-pad2p31.cnn");
    assert_eq!(layer_of(&e), Some(0), "{e}");
    assert!(e.to_string().contains("padding 2147483634 is more than the kernel size less one"), "{e}");
}

#[test]
fn regression_stride_65536_padding_32754_the_wasm32_wrap() {
    let e = refused("conv-stride65536-pad32754.cnn");
    assert_eq!(layer_of(&e), Some(0), "{e}");
    assert!(e.to_string().contains("padding 32754"), "{e}");
}

#[test]
fn regression_padding_20000_no_40028_squared_activation() {
    let e = refused("conv1x1-pad20000.cnn");
    assert_eq!(layer_of(&e), Some(0), "{e}");
    // Within the padding rule (a 20,001×20,001 kernel may pad 20,000), the budget refuses it:
    // 400 million weights, 20,028² outputs, a 40,028² padded copy.
    let spec: ModelSpec = serde_json::from_str(&digit_around(r#"{"type":"conv2d","out_channels":1,"kernel":20001,"padding":20000}"#, 20_028)).unwrap();
    let e = spec.check_budget(1, Budget::NATIVE).unwrap_err();
    assert!(matches!(e, SpecError::BufferOverBudget { at: Some((0, _)), .. }), "{e:?}");
    assert!(e.to_string().starts_with("layer 0 (Conv2d 1@20001×20001, pad 20000): "), "{e}");
    assert!(e.to_string().contains("one buffer may take at most 4 GiB here"), "{e}");
    // And Sequential::new, which is what every path builds through, refuses it the same way.
    assert!(cnn_core::model::Sequential::new(&Cpu::new(), spec, cnn_core::init::Init::HeNormal, 0).is_err());
}

#[test]
fn regression_input_100000_squared_with_20_weights_is_over_the_budget() {
    let e = refused("input-100000x100000.cnn");
    assert!(matches!(e, SpecError::BufferOverBudget { bytes, .. } if bytes >= 40_000_000_000), "{e:?}");
    assert!(e.to_string().contains("37.3 GiB at batch 1"), "{e}");
}

#[test]
fn regression_batch_norm_over_2p63_channels_is_not_zero_parameters() {
    let e = refused("batchnorm-2p63-channels.cnn");
    assert_eq!(e.to_string(), "layer 0 (BatchNorm2d): the layer is too large to count");
}

#[test]
fn regression_three_convs_of_2p63_macs_do_not_print_a_wrapped_total() {
    let e = refused("three-convs-2p63-macs.cnn");
    assert_eq!(e.to_string(), "layer 2 (Conv2d 1@1×1): the network's multiply-accumulates add up past 2⁶⁴ here, too many to count");
}

#[test]
fn regression_a_slope_of_1e39_is_infinity_and_refused() {
    let e = refused("leaky-relu-slope-1e39.cnn");
    assert_eq!(e.to_string(), "layer 1 (LeakyReLU(inf)): slope is inf, not a finite number");
}

#[test]
fn regression_an_eps_of_1e39_is_infinity_and_refused() {
    let e = refused("batchnorm-eps-1e39.cnn");
    assert_eq!(e.to_string(), "layer 1 (BatchNorm2d): eps is inf, not a finite number");
    // A finite model saves as JSON that loads again: nothing writes null.
    let spec: ModelSpec = serde_json::from_str(&digit_around(r#"{"type":"conv2d","out_channels":1,"kernel":1}"#, 28)).unwrap();
    let model = cnn_core::model::Sequential::new(&Cpu::new(), spec, cnn_core::init::Init::HeNormal, 0).unwrap();
    let bytes = format::save_model(&Cpu::new(), &model);
    assert!(format::load_model(&Cpu::new(), &bytes).is_ok());
}

#[test]
fn regression_an_input_whose_size_overflows_is_a_typed_error() {
    // Debug builds panicked computing C·H·W in shape inference.
    let spec = ModelSpec { name: "x".into(), input: [1 << 32, 1 << 32, 1 << 32], layers: vec![LayerSpec::Flatten] };
    assert_eq!(spec.infer(), Err(SpecError::InputTooLarge { input: [1 << 32, 1 << 32, 1 << 32] }));
    let spec = ModelSpec { name: "x".into(), input: [usize::MAX, 2, 1], layers: vec![] };
    assert!(matches!(spec.infer(), Err(SpecError::InputTooLarge { .. })));
}

#[test]
fn regression_classroom_layer_index_usize_max_is_an_error_not_an_overflow() {
    let b = Cpu::new();
    let model = cnn_core::model::Sequential::new(&b, cnn_core::model::zoo::lenet_relu(), cnn_core::init::Init::HeNormal, 0).unwrap();
    let mut c = cnn_core::classroom::Classroom::new(model);
    c.forward(&vec![0.5; 784], 3).unwrap();
    c.backward().unwrap();
    assert_eq!(c.output_grad(usize::MAX).unwrap_err(), format!("there is no layer {}", usize::MAX));
    assert!(c.output_grad(0).is_ok());
}

#[test]
fn a_batch_over_the_budget_is_refused_where_it_is_chosen() {
    let b = Cpu::new();
    let model = cnn_core::model::Sequential::new(&b, cnn_core::model::zoo::lenet_d2l(), cnn_core::init::Init::HeNormal, 0).unwrap();
    assert!(model.check_batch(256).is_ok());
    let e = model.check_batch(100_000).unwrap_err();
    assert!(matches!(e, SpecError::OverBudget { batch: 100_000, .. }), "{e:?}");
    assert!(e.to_string().starts_with("the model would need "), "{e}");
    assert!(e.to_string().contains("at batch 100000, more than the 8 GiB it may use here; layer "), "{e}");
    // The trainer refuses it as a setting, before the first step.
    let split = std::rc::Rc::new(cnn_core::data::Split { train: tiny_digits(4), test: tiny_digits(2) });
    let trainer = cnn_core::train::Trainer::from_model(&b, model, cnn_core::optim::OptimKind::Sgd, 0.1);
    let e = cnn_core::session::Session::new(trainer, split, cnn_core::session::MAX_BATCH, 0).err().expect("over the budget");
    assert!(e.to_string().starts_with("invalid setting: the model would need"), "{e}");
}

fn tiny_digits(n: usize) -> cnn_core::data::Dataset {
    cnn_core::data::Dataset {
        name: "tiny".into(),
        dims: [1, 28, 28],
        images: vec![0.25; n * 784],
        labels: (0..n as u8).collect(),
        classes: (0..10).map(|d| d.to_string()).collect(),
    }
}

#[test]
fn the_budget_leaves_every_preset_and_the_bundled_model_alone() {
    for name in cnn_core::model::zoo::PRESETS {
        let spec = cnn_core::model::zoo::preset(name).unwrap();
        for batch in [1, 256, 10_000] {
            let needs = spec.check_budget(batch, Budget::NATIVE).unwrap_or_else(|e| panic!("{name} at {batch}: {e}"));
            // The LeNets need under 2 GiB even for 10,000 images at once; the 20-layer pair keeps
            // 40 activations of 16 maps each (4.3 GB at 10,000), still well inside the 8 GiB.
            let most: u64 = if name.starts_with("lenet") { 2 << 30 } else { 5 << 30 };
            assert!(needs.total < most, "{name} at batch {batch}: {}", needs.total);
        }
        // The page trains at most 1,024 and evaluates 500 at a time.
        spec.check_budget(1024, Budget::WASM32).unwrap_or_else(|e| panic!("{name} in the browser: {e}"));
    }
}

/// The kept copies match what `hostile_files` builds.
#[test]
fn the_kept_files_are_the_ones_built_here() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/hostile");
    let write = std::env::var_os("HOSTILE_WRITE").is_some();
    for (name, bytes) in hostile_files() {
        let path = dir.join(name);
        if write {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &bytes).unwrap();
        }
        let kept = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e} (run with HOSTILE_WRITE=1)", path.display()));
        assert!(kept == bytes, "{} differs from the file built here (run with HOSTILE_WRITE=1)", path.display());
    }
    let kept = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(kept, hostile_files().len(), "{} holds files this test does not build", dir.display());
}
