//! The PyTorch export, checked by PyTorch itself. The script below ran the exported code (which
//! builds the `nn.Sequential`, with the `Residual` and `Inception` classes it defines where the
//! network has those blocks, and loads the exported weights with `strict=True`), printed the
//! `state_dict()` PyTorch built and the model's outputs for a fixed input, and the FNV-1a hashes
//! of the two files it read. This test rebuilds those files and requires
//! 1. the same bytes (same hashes): the code and weights are exactly what PyTorch accepted;
//! 2. our file's tensors = PyTorch's `state_dict()`: names, dtypes, shapes, order;
//! 3. our forward pass (on the reference backend) = PyTorch's outputs on that model, to 1e-5.
//!
//! Torch is not installed by the README's test command, so nothing here runs Python (as in
//! `pytorch_reference.rs`); a change to the exporter changes the bytes and fails (1) until the
//! script is run again (`cargo test -p cnn-core --test pytorch_export` writes the files to
//! `target/tmp/pytorch_export/`, in `CARGO_TARGET_DIR` when that is set; then `python3 script.py
//! target/tmp/pytorch_export`) and its output pasted here. It was run with torch 2.15 twice
//! (the last time for all four networks): once without the `safetensors` package
//! (the code's own torch-only reader) and once with safetensors 0.8 (`safetensors.torch.load_file`),
//! with the same output.
//!
//! The weights are `pattern`s (small integers times a scale) rather than a random
//! initialisation: random draws go through `ln`/`cos`, whose last bit may differ between
//! platforms, and that would change the file's bytes; these are the same everywhere.
//!
//! ```python
//! import os, struct, sys
//! import torch
//! def pat(n, mul, mod, scale, offset):  # common::pattern
//!     return ((torch.arange(n) * mul) % mod).float() * scale + offset
//! def show(name, t):  # a Rust array literal; each f32 in the fewest digits that read back exactly
//!     same = lambda s, v: struct.unpack("f", struct.pack("f", float(s)))[0] == v
//!     vals = [next(s for s in ("%.*g" % (d, v) for d in range(1, 10)) if same(s, v)) for v in t.detach().flatten().tolist()]
//!     vals = [s if any(c in s for c in ".en") else s + ".0" for s in vals]
//!     print(f"const {name}: [f32; {len(vals)}] = [{', '.join(vals)}];")
//! def fnv(data):  # FNV-1a, 64 bits
//!     h = 0xCBF29CE484222325
//!     for b in data:
//!         h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
//!     return h
//! os.chdir(sys.argv[1])
//! for name, (c, h, w) in [("lenet5", (1, 32, 32)), ("every_layer", (2, 10, 10)), ("resnet-20", (1, 28, 28)), ("graph_blocks", (3, 8, 8))]:
//!     code, weights = open(f"{name}.py", "rb").read(), open(f"{name}.safetensors", "rb").read()
//!     ns = {}
//!     exec(code, ns)  # builds the nn.Sequential, loads the weights with strict=True, model.eval()
//!     model = ns["model"]
//!     print(f"// {name}: code {len(code)} bytes, FNV-1a {fnv(code):#018x}; weights {len(weights)} bytes, FNV-1a {fnv(weights):#018x}")
//!     print(", ".join(f'"{k} {v.dtype} {tuple(v.shape)}"' for k, v in model.state_dict().items()))
//!     x = pat(2 * c * h * w, 7, 19, 0.1, -0.9).reshape(2, c, h, w)
//!     with torch.no_grad():
//!         show("Y", model(x))
//! ```

mod common;

use cnn_core::backend::Backend;
use cnn_core::export::{pytorch_code, pytorch_safetensors, weights_file_name};
use cnn_core::init::Init;
use cnn_core::model::{zoo, Mode, ModelSpec, NamedTensor, Sequential};
use common::*;

/// Every layer kind a spec can hold, batch norm included; the dense layers are not square, so
/// a transposed weight could not load.
fn every_layer() -> ModelSpec {
    serde_json::from_str(
        r#"{"name":"every_layer","input":[2,10,10],"layers":[
        {"type":"conv2d","out_channels":4,"kernel":3,"padding":1},{"type":"batch_norm2d"},
        {"type":"leaky_relu","slope":0.1},{"type":"max_pool2d","kernel":2,"stride":2},
        {"type":"conv2d","out_channels":6,"kernel":3,"stride":2,"padding":1},{"type":"relu"},
        {"type":"avg_pool2d","kernel":2,"stride":1},{"type":"dropout","p":0.3},{"type":"flatten"},
        {"type":"dense","units":7},{"type":"sigmoid"},{"type":"dense","units":5},{"type":"tanh"},
        {"type":"dense","units":3}]}"#,
    )
    .unwrap()
}

/// The graph's pieces in one small net: bias-free convolutions, padded max and average pooling,
/// an Inception block, a projection block whose shortcut is a convolution and a batch norm
/// (an `nn.Sequential`: "5.shortcut.0.weight"), global average pooling.
fn graph_blocks() -> ModelSpec {
    serde_json::from_str(
        r#"{"name":"graph_blocks","input":[3,8,8],"layers":[
        {"type":"conv2d","out_channels":4,"kernel":3,"padding":1,"bias":false},{"type":"batch_norm2d"},
        {"type":"relu"},{"type":"max_pool2d","kernel":3,"stride":2,"padding":1},
        {"type":"inception","in_channels":4,"c1":2,"c2":[2,3],"c3":[1,2],"c4":2},
        {"type":"residual","body":[
            {"type":"conv2d","out_channels":6,"kernel":3,"stride":2,"padding":1,"bias":false},{"type":"batch_norm2d"},
            {"type":"relu"},{"type":"conv2d","out_channels":6,"kernel":3,"padding":1}],
         "shortcut":[{"type":"conv2d","out_channels":6,"kernel":1,"stride":2,"bias":false},{"type":"batch_norm2d"}]},
        {"type":"relu"},{"type":"avg_pool2d","kernel":3,"stride":1,"padding":1},{"type":"global_avg_pool"},
        {"type":"flatten"},{"type":"dense","units":4}]}"#,
    )
    .unwrap()
}

/// Distinct values for every tensor of the state (a bias equal to zero, or γ = 1 and β = 0,
/// would let a swapped name pass unnoticed), in [−11, 11]·`step`; running variances positive.
fn patterned_state(model: &Sequential<Reference>, b: &Reference, step: f32) -> Vec<NamedTensor> {
    let mut state = model.state(b);
    for (k, t) in state.iter_mut().enumerate() {
        t.data = if t.name.ends_with("running_var") {
            pattern(t.data.len(), 3, 7, 0.125, 0.5)
        } else {
            pattern(t.data.len(), 5 + 2 * k, 23, step, -11.0 * step)
        };
    }
    state
}

/// FNV-1a, 64 bits: the script's `fnv`.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xCBF2_9CE4_8422_2325, |h, &b| (h ^ b as u64).wrapping_mul(0x100_0000_01B3))
}

/// A shape as Python prints a tuple: (), (4,), (4, 2, 3, 3).
fn py_tuple(dims: &[usize]) -> String {
    match dims {
        [d] => format!("({d},)"),
        _ => format!("({})", dims.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", ")),
    }
}

/// Export `spec` with patterned weights, write both files where the script reads them, and
/// check them against what PyTorch printed.
fn check(spec: ModelSpec, step: f32, hashes: (usize, u64, usize, u64), state_dict: &[&str], torch_y: &[f32]) {
    let b = reference();
    let mut model = Sequential::new(&b, spec.clone(), Init::XavierUniform, 0).unwrap();
    let state = patterned_state(&model, &b, step);
    model.load_state(&b, &state).unwrap();
    let code = pytorch_code(&spec).unwrap();
    let weights = pytorch_safetensors(&spec, &state).unwrap();

    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("pytorch_export");
    std::fs::create_dir_all(&dir).unwrap();
    let file = weights_file_name(&spec);
    let stem = file.trim_end_matches(".safetensors");
    std::fs::write(dir.join(format!("{stem}.py")), &code).unwrap();
    std::fs::write(dir.join(&file), &weights).unwrap();

    // 1. The very files PyTorch ran.
    let ours = (code.len(), fnv(code.as_bytes()), weights.len(), fnv(&weights));
    assert_eq!(
        ours,
        hashes,
        "{}: the export is not what PyTorch checked; run the script at the top of this file on {} and paste its output",
        spec.name,
        dir.display()
    );

    // 2. The file's tensors are PyTorch's state_dict, in its order.
    let st = safetensors::SafeTensors::deserialize(&weights).unwrap();
    let mut entries: Vec<(usize, String)> = st
        .iter()
        .map(|(name, view)| {
            let dtype = match view.dtype() {
                safetensors::Dtype::F32 => "torch.float32",
                safetensors::Dtype::I64 => "torch.int64",
                other => panic!("{name}: unexpected dtype {other}"),
            };
            let order = state_dict.iter().position(|e| e.split(' ').next() == Some(name)).unwrap_or(usize::MAX);
            (order, format!("{name} {dtype} {}", py_tuple(view.shape())))
        })
        .collect();
    entries.sort();
    let entries: Vec<&str> = entries.iter().map(|(_, e)| e.as_str()).collect();
    assert_eq!(entries, state_dict, "{}: the file's tensors against PyTorch's state_dict()", spec.name);

    // 3. The same outputs: our forward pass (the reference's) in evaluation mode against PyTorch's model.eval().
    let [c, h, w] = spec.input;
    let x = pattern(2 * c * h * w, 7, 19, 0.1, -0.9);
    model.set_input(&b, &x, 2);
    model.forward(&b, Mode::Eval);
    let y = b.read(model.output());
    assert_close(&format!("{}: our forward pass vs PyTorch on the exported model", spec.name), &y, torch_y, Tol { abs: 1e-5, rel: 1e-5 });
}

#[test]
fn lenet5_exports_to_pytorch() {
    // lenet5: code 2202 bytes, FNV-1a 0x9330358b378d2842; weights 247568 bytes, FNV-1a 0xe247d7c1929c0bb8
    const STATE_DICT: &[&str] = &["0.weight torch.float32 (6, 1, 5, 5)", "0.bias torch.float32 (6,)", "3.weight torch.float32 (16, 6, 5, 5)", "3.bias torch.float32 (16,)", "7.weight torch.float32 (120, 400)", "7.bias torch.float32 (120,)", "9.weight torch.float32 (84, 120)", "9.bias torch.float32 (84,)", "11.weight torch.float32 (10, 84)", "11.bias torch.float32 (10,)"];
    const Y: [f32; 20] = [0.07557526, -0.31950516, -0.04439483, -0.160846, -0.151564, 0.07116105, -0.14000618, 0.028507799, -0.10968772, -0.20792763, 0.02355884, -0.16743125, -0.1571492, -0.038248017, -0.25171846, 0.2030498, -0.19228654, 0.021076962, -0.106899485, -0.3241699];
    check(zoo::lenet5(), 0.01, (2202, 0x9330358b378d2842, 247568, 0xe247d7c1929c0bb8), STATE_DICT, &Y);
}

#[test]
fn every_layer_kind_exports_to_pytorch() {
    // every_layer: code 2343 bytes, FNV-1a 0x768136cee7dd741c; weights 3244 bytes, FNV-1a 0xb787f75255431870
    const STATE_DICT: &[&str] = &["0.weight torch.float32 (4, 2, 3, 3)", "0.bias torch.float32 (4,)", "1.weight torch.float32 (4,)", "1.bias torch.float32 (4,)", "1.running_mean torch.float32 (4,)", "1.running_var torch.float32 (4,)", "1.num_batches_tracked torch.int64 ()", "4.weight torch.float32 (6, 4, 3, 3)", "4.bias torch.float32 (6,)", "9.weight torch.float32 (7, 24)", "9.bias torch.float32 (7,)", "11.weight torch.float32 (5, 7)", "11.bias torch.float32 (5,)", "13.weight torch.float32 (3, 5)", "13.bias torch.float32 (3,)"];
    const Y: [f32; 6] = [0.24533194, -1.094921, 0.20399714, 0.23319334, -1.1029592, 0.24837977];
    check(every_layer(), 0.06, (2343, 0x768136cee7dd741c, 3244, 0xb787f75255431870), STATE_DICT, &Y);
}

#[test]
fn a_residual_network_exports_to_pytorch() {
    // resnet-20: code 9498 bytes, FNV-1a 0xa59dcc47aa871a95; weights 181504 bytes, FNV-1a 0x00a009371b4adfd0
    const STATE_DICT: &[&str] = &["0.weight torch.float32 (16, 1, 3, 3)", "1.weight torch.float32 (16,)", "1.bias torch.float32 (16,)", "1.running_mean torch.float32 (16,)", "1.running_var torch.float32 (16,)", "1.num_batches_tracked torch.int64 ()", "4.body.0.weight torch.float32 (16, 16, 3, 3)", "4.body.1.weight torch.float32 (16,)", "4.body.1.bias torch.float32 (16,)", "4.body.1.running_mean torch.float32 (16,)", "4.body.1.running_var torch.float32 (16,)", "4.body.1.num_batches_tracked torch.int64 ()", "4.body.3.weight torch.float32 (16, 16, 3, 3)", "4.body.4.weight torch.float32 (16,)", "4.body.4.bias torch.float32 (16,)", "4.body.4.running_mean torch.float32 (16,)", "4.body.4.running_var torch.float32 (16,)", "4.body.4.num_batches_tracked torch.int64 ()", "6.body.0.weight torch.float32 (16, 16, 3, 3)", "6.body.1.weight torch.float32 (16,)", "6.body.1.bias torch.float32 (16,)", "6.body.1.running_mean torch.float32 (16,)", "6.body.1.running_var torch.float32 (16,)", "6.body.1.num_batches_tracked torch.int64 ()", "6.body.3.weight torch.float32 (16, 16, 3, 3)", "6.body.4.weight torch.float32 (16,)", "6.body.4.bias torch.float32 (16,)", "6.body.4.running_mean torch.float32 (16,)", "6.body.4.running_var torch.float32 (16,)", "6.body.4.num_batches_tracked torch.int64 ()", "8.body.0.weight torch.float32 (16, 16, 3, 3)", "8.body.1.weight torch.float32 (16,)", "8.body.1.bias torch.float32 (16,)", "8.body.1.running_mean torch.float32 (16,)", "8.body.1.running_var torch.float32 (16,)", "8.body.1.num_batches_tracked torch.int64 ()", "8.body.3.weight torch.float32 (16, 16, 3, 3)", "8.body.4.weight torch.float32 (16,)", "8.body.4.bias torch.float32 (16,)", "8.body.4.running_mean torch.float32 (16,)", "8.body.4.running_var torch.float32 (16,)", "8.body.4.num_batches_tracked torch.int64 ()", "10.body.0.weight torch.float32 (16, 16, 3, 3)", "10.body.1.weight torch.float32 (16,)", "10.body.1.bias torch.float32 (16,)", "10.body.1.running_mean torch.float32 (16,)", "10.body.1.running_var torch.float32 (16,)", "10.body.1.num_batches_tracked torch.int64 ()", "10.body.3.weight torch.float32 (16, 16, 3, 3)", "10.body.4.weight torch.float32 (16,)", "10.body.4.bias torch.float32 (16,)", "10.body.4.running_mean torch.float32 (16,)", "10.body.4.running_var torch.float32 (16,)", "10.body.4.num_batches_tracked torch.int64 ()", "12.body.0.weight torch.float32 (16, 16, 3, 3)", "12.body.1.weight torch.float32 (16,)", "12.body.1.bias torch.float32 (16,)", "12.body.1.running_mean torch.float32 (16,)", "12.body.1.running_var torch.float32 (16,)", "12.body.1.num_batches_tracked torch.int64 ()", "12.body.3.weight torch.float32 (16, 16, 3, 3)", "12.body.4.weight torch.float32 (16,)", "12.body.4.bias torch.float32 (16,)", "12.body.4.running_mean torch.float32 (16,)", "12.body.4.running_var torch.float32 (16,)", "12.body.4.num_batches_tracked torch.int64 ()", "14.body.0.weight torch.float32 (16, 16, 3, 3)", "14.body.1.weight torch.float32 (16,)", "14.body.1.bias torch.float32 (16,)", "14.body.1.running_mean torch.float32 (16,)", "14.body.1.running_var torch.float32 (16,)", "14.body.1.num_batches_tracked torch.int64 ()", "14.body.3.weight torch.float32 (16, 16, 3, 3)", "14.body.4.weight torch.float32 (16,)", "14.body.4.bias torch.float32 (16,)", "14.body.4.running_mean torch.float32 (16,)", "14.body.4.running_var torch.float32 (16,)", "14.body.4.num_batches_tracked torch.int64 ()", "16.body.0.weight torch.float32 (16, 16, 3, 3)", "16.body.1.weight torch.float32 (16,)", "16.body.1.bias torch.float32 (16,)", "16.body.1.running_mean torch.float32 (16,)", "16.body.1.running_var torch.float32 (16,)", "16.body.1.num_batches_tracked torch.int64 ()", "16.body.3.weight torch.float32 (16, 16, 3, 3)", "16.body.4.weight torch.float32 (16,)", "16.body.4.bias torch.float32 (16,)", "16.body.4.running_mean torch.float32 (16,)", "16.body.4.running_var torch.float32 (16,)", "16.body.4.num_batches_tracked torch.int64 ()", "18.body.0.weight torch.float32 (16, 16, 3, 3)", "18.body.1.weight torch.float32 (16,)", "18.body.1.bias torch.float32 (16,)", "18.body.1.running_mean torch.float32 (16,)", "18.body.1.running_var torch.float32 (16,)", "18.body.1.num_batches_tracked torch.int64 ()", "18.body.3.weight torch.float32 (16, 16, 3, 3)", "18.body.4.weight torch.float32 (16,)", "18.body.4.bias torch.float32 (16,)", "18.body.4.running_mean torch.float32 (16,)", "18.body.4.running_var torch.float32 (16,)", "18.body.4.num_batches_tracked torch.int64 ()", "20.body.0.weight torch.float32 (16, 16, 3, 3)", "20.body.1.weight torch.float32 (16,)", "20.body.1.bias torch.float32 (16,)", "20.body.1.running_mean torch.float32 (16,)", "20.body.1.running_var torch.float32 (16,)", "20.body.1.num_batches_tracked torch.int64 ()", "20.body.3.weight torch.float32 (16, 16, 3, 3)", "20.body.4.weight torch.float32 (16,)", "20.body.4.bias torch.float32 (16,)", "20.body.4.running_mean torch.float32 (16,)", "20.body.4.running_var torch.float32 (16,)", "20.body.4.num_batches_tracked torch.int64 ()", "24.weight torch.float32 (10, 16)", "24.bias torch.float32 (10,)"];
    const Y: [f32; 20] = [-0.16813537, -0.17494515, 0.024029892, 0.17490405, -0.20407754, -0.06435372, 0.018477429, 0.14811137, -0.21247171, 0.025812313, -0.16798592, -0.17507392, 0.023966685, 0.17485684, -0.20399523, -0.06415436, 0.018379755, 0.14810944, -0.2124722, 0.025937833];
    check(zoo::deep(true), 0.02, (9498, 0xa59dcc47aa871a95, 181504, 0x00a009371b4adfd0), STATE_DICT, &Y);
}

#[test]
fn a_network_of_blocks_exports_to_pytorch() {
    // graph_blocks: code 4430 bytes, FNV-1a 0x0b3f2ce317bf1d99; weights 7416 bytes, FNV-1a 0xffbdc641912954e8
    const STATE_DICT: &[&str] = &["0.weight torch.float32 (4, 3, 3, 3)", "1.weight torch.float32 (4,)", "1.bias torch.float32 (4,)", "1.running_mean torch.float32 (4,)", "1.running_var torch.float32 (4,)", "1.num_batches_tracked torch.int64 ()", "4.p1_1.weight torch.float32 (2, 4, 1, 1)", "4.p1_1.bias torch.float32 (2,)", "4.p2_1.weight torch.float32 (2, 4, 1, 1)", "4.p2_1.bias torch.float32 (2,)", "4.p2_2.weight torch.float32 (3, 2, 3, 3)", "4.p2_2.bias torch.float32 (3,)", "4.p3_1.weight torch.float32 (1, 4, 1, 1)", "4.p3_1.bias torch.float32 (1,)", "4.p3_2.weight torch.float32 (2, 1, 5, 5)", "4.p3_2.bias torch.float32 (2,)", "4.p4_2.weight torch.float32 (2, 4, 1, 1)", "4.p4_2.bias torch.float32 (2,)", "5.body.0.weight torch.float32 (6, 9, 3, 3)", "5.body.1.weight torch.float32 (6,)", "5.body.1.bias torch.float32 (6,)", "5.body.1.running_mean torch.float32 (6,)", "5.body.1.running_var torch.float32 (6,)", "5.body.1.num_batches_tracked torch.int64 ()", "5.body.3.weight torch.float32 (6, 6, 3, 3)", "5.body.3.bias torch.float32 (6,)", "5.shortcut.0.weight torch.float32 (6, 9, 1, 1)", "5.shortcut.1.weight torch.float32 (6,)", "5.shortcut.1.bias torch.float32 (6,)", "5.shortcut.1.running_mean torch.float32 (6,)", "5.shortcut.1.running_var torch.float32 (6,)", "5.shortcut.1.num_batches_tracked torch.int64 ()", "10.weight torch.float32 (4, 6)", "10.bias torch.float32 (4,)"];
    const Y: [f32; 8] = [-0.6031544, -0.16481376, 0.1572144, 0.37650853, -0.6016996, -0.1635532, 0.15515012, 0.37845466];
    check(graph_blocks(), 0.05, (4430, 0x0b3f2ce317bf1d99, 7416, 0xffbdc641912954e8), STATE_DICT, &Y);
}
