//! A trainable model as PyTorch: `nn.Sequential` code with exactly the spec's layers, and its
//! weights as a safetensors file that this code's `model.load_state_dict(..., strict=True)`
//! accepts.
//!
//! The mapping is one to one, because the core stores everything as PyTorch does:
//! - layer i of the spec is module `i` of the `nn.Sequential`, so its tensors are named
//!   `"{i}.weight"`, `"{i}.bias"` (and for batch norm `"{i}.running_mean"`, `"{i}.running_var"`,
//!   `"{i}.num_batches_tracked"`) — the names `Sequential::state` already uses;
//! - a convolution's weight is (C_out, C_in, F, F) and a dense layer's (out, in), `nn.Conv2d`'s and
//!   `nn.Linear`'s layouts (`layers/conv2d.rs`, `layers/dense.rs`): nothing is transposed;
//! - `Flatten` copies an (N, C, H, W) batch row-major into (N, C·H·W), as `nn.Flatten` does, so the
//!   first dense layer's columns line up.
//!
//! The one tensor PyTorch has and the core does not is batch norm's `num_batches_tracked` (an
//! int64 scalar). It only matters with `momentum=None` (a cumulative average), which the core does
//! not offer; we write 0, so `strict=True` finds every tensor it expects.

use serde_json::{json, Map, Value};

use crate::model::graph::NodeOp;
use crate::model::{LayerInfo, LayerSpec, ModelSpec, NamedTensor, SpecError, StateError};
use crate::tensor::Shape;

/// A tensor of PyTorch's `state_dict()` for a spec's `nn.Sequential`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateEntry {
    pub name: String,
    pub shape: Shape,
    /// The safetensors dtype: "F32", or "I64" for `num_batches_tracked`.
    pub dtype: &'static str,
}

/// The `state_dict()` of the spec's `nn.Sequential`, in PyTorch's order: module by module (a
/// block's modules in the order its class registers them), each module's parameters, then its
/// buffers.
pub fn state_dict_layout(spec: &ModelSpec) -> Result<Vec<StateEntry>, SpecError> {
    let infos = spec.infer()?;
    let mut out = Vec::new();
    let mut entry = |name: String, dims: Vec<usize>, dtype| out.push(StateEntry { name, shape: Shape(dims), dtype });
    for info in &infos {
        let NodeOp::Layer(layer) = &info.op else { continue };
        let input = input_of(spec, &infos, info);
        let name = &info.name;
        match *layer {
            LayerSpec::Conv2d { out_channels, kernel, bias, .. } => {
                entry(format!("{name}.weight"), vec![out_channels, input.chw().0, kernel, kernel], "F32");
                if bias {
                    entry(format!("{name}.bias"), vec![out_channels], "F32");
                }
            }
            LayerSpec::Dense { units, .. } => {
                entry(format!("{name}.weight"), vec![units, input.per_example()], "F32");
                entry(format!("{name}.bias"), vec![units], "F32");
            }
            LayerSpec::BatchNorm2d { .. } => {
                let c = input.chw().0;
                for part in ["weight", "bias", "running_mean", "running_var"] {
                    entry(format!("{name}.{part}"), vec![c], "F32");
                }
                entry(format!("{name}.num_batches_tracked"), vec![], "I64");
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The shape of one example arriving at node `info` (its first input).
fn input_of(spec: &ModelSpec, infos: &[LayerInfo], info: &LayerInfo) -> Shape {
    match info.inputs[0] {
        0 => spec.input_shape(0),
        i => infos[i - 1].output.clone(),
    }
}

/// A file name for the exported weights: the spec's name with anything but letters, digits,
/// '.', '-' and '_' replaced, so it is safe in a Python string and on any file system.
pub fn weights_file_name(spec: &ModelSpec) -> String {
    let name: String = spec.name.chars().map(|c| if c.is_ascii_alphanumeric() || "._-".contains(c) { c } else { '_' }).collect();
    let name = name.trim_start_matches('.');
    format!("{}.safetensors", if name.is_empty() { "model" } else { name })
}

/// An f32 as a Python float literal that reads back as the same f32 (Rust's shortest
/// round-trip form: 0.1, 1e-5).
fn py_float(v: f32) -> String {
    if v.is_finite() {
        format!("{v:?}")
    } else if v.is_nan() {
        "float(\"nan\")".into()
    } else if v > 0.0 {
        "float(\"inf\")".into()
    } else {
        "float(\"-inf\")".into()
    }
}

/// The reader used where the `safetensors` package is not installed: torch alone reads the file
/// (8 bytes of little-endian header length, a JSON header, the raw little-endian data).
const FALLBACK_READER: &str = r#"try:
    from safetensors.torch import load_file  # pip install safetensors
except ImportError:
    def load_file(path):
        """Read a safetensors file with torch alone."""
        with open(path, "rb") as f:
            data = f.read()
        n = int.from_bytes(data[:8], "little")
        header = json.loads(data[8:8 + n])
        dtypes = {"F32": torch.float32, "I64": torch.int64}
        tensors = {}
        for name, entry in header.items():
            if name == "__metadata__":
                continue
            start, end = entry["data_offsets"]
            raw = bytearray(data[8 + n + start:8 + n + end])
            tensors[name] = torch.frombuffer(raw, dtype=dtypes[entry["dtype"]]).reshape(entry["shape"])
        return tensors
"#;

/// The Python classes of the notebook's two blocks, written into the code only where the model
/// uses them. `Residual` keeps its layers in `self.body` and its projection in `self.shortcut`,
/// and `Inception` is d2l's class, so the state-dict names are the ones `graph::unroll` gives.
const RESIDUAL_CLASS: &str = r#"class Residual(nn.Module):
    """x + body(x), or shortcut(x) + body(x) with a projection (ResNet's 1x1 convolution)."""

    def __init__(self, *body, shortcut=None):
        super().__init__()
        self.body = nn.Sequential(*body)
        self.shortcut = shortcut

    def forward(self, x):
        return self.body(x) + (x if self.shortcut is None else self.shortcut(x))
"#;

const INCEPTION_CLASS: &str = r#"class Inception(nn.Module):
    """d2l's Inception block: four paths concatenated on the channels."""

    def __init__(self, in_channels, c1, c2, c3, c4):
        super().__init__()
        self.p1_1 = nn.Conv2d(in_channels, c1, kernel_size=1)
        self.p2_1 = nn.Conv2d(in_channels, c2[0], kernel_size=1)
        self.p2_2 = nn.Conv2d(c2[0], c2[1], kernel_size=3, padding=1)
        self.p3_1 = nn.Conv2d(in_channels, c3[0], kernel_size=1)
        self.p3_2 = nn.Conv2d(c3[0], c3[1], kernel_size=5, padding=2)
        self.p4_1 = nn.MaxPool2d(kernel_size=3, stride=1, padding=1)
        self.p4_2 = nn.Conv2d(in_channels, c4, kernel_size=1)

    def forward(self, x):
        p1 = F.relu(self.p1_1(x))
        p2 = F.relu(self.p2_2(F.relu(self.p2_1(x))))
        p3 = F.relu(self.p3_2(F.relu(self.p3_1(x))))
        p4 = F.relu(self.p4_2(self.p4_1(x)))
        return torch.cat((p1, p2, p3, p4), dim=1)
"#;

/// The lines of the `nn.Sequential(...)`: each module's code with the output shape it gives, a
/// block opened over several lines. `infos` are the spec's nodes; `by_source` finds a spec
/// layer's node (its merge, for a block) by its pre-order number.
struct Printer<'a> {
    spec: &'a ModelSpec,
    infos: &'a [LayerInfo],
    /// The pre-order number of the next spec layer.
    source: usize,
    /// (code, output comment) per line.
    lines: Vec<(String, String)>,
    uses: (bool, bool),
}

impl Printer<'_> {
    /// The node a spec layer became (for a block, the merge that ends it).
    fn node(&self, source: usize) -> &LayerInfo {
        self.infos.iter().rev().find(|i| i.source == source).expect("every spec layer has a node")
    }

    fn layers(&mut self, layers: &[LayerSpec], indent: usize, numbered: &str) {
        for (i, layer) in layers.iter().enumerate() {
            self.layer(layer, indent, &format!("{numbered}{i}"), "");
        }
    }

    /// One module at `indent`, written after `keyword` ("shortcut=" or "").
    fn layer(&mut self, layer: &LayerSpec, indent: usize, path: &str, keyword: &str) {
        let source = self.source;
        self.source += 1;
        let pad = "    ".repeat(indent);
        match layer {
            LayerSpec::Residual { body, shortcut } => {
                self.uses.0 = true;
                self.lines.push((format!("{pad}{keyword}Residual("), format!("{path}: x + f(x)")));
                self.layers(body, indent + 1, &format!("{path}.body."));
                match shortcut.as_slice() {
                    [] => {}
                    [one] => self.layer(one, indent + 1, &format!("{path}.shortcut"), "shortcut="),
                    more => {
                        self.lines.push((format!("{pad}    shortcut=nn.Sequential("), String::new()));
                        self.layers(more, indent + 2, &format!("{path}.shortcut."));
                        self.lines.push((format!("{pad}    ),"), String::new()));
                    }
                }
                let out = self.node(source).output.to_string();
                self.lines.push((format!("{pad}),"), format!("{path}: {out}")));
            }
            &LayerSpec::Inception { in_channels, c1, c2, c3, c4 } => {
                self.uses.1 = true;
                let out = self.node(source).output.to_string();
                let code = format!("{pad}{keyword}Inception({in_channels}, {c1}, ({}, {}), ({}, {}), {c4}),", c2[0], c2[1], c3[0], c3[1]);
                self.lines.push((code, format!("{path}: {out}")));
            }
            leaf => {
                let info = self.node(source);
                let input = input_of(self.spec, self.infos, info);
                let code = format!("{pad}{keyword}{},", module(leaf, &input));
                self.lines.push((code, format!("{path}: {}", info.output)));
            }
        }
    }
}

/// One leaf layer as `torch.nn` code, given the shape that arrives.
fn module(layer: &LayerSpec, input: &Shape) -> String {
    match *layer {
        LayerSpec::Conv2d { out_channels, kernel, stride, padding, bias, .. } => {
            let bias = if bias { "" } else { ", bias=False" };
            format!("nn.Conv2d({}, {out_channels}, kernel_size={kernel}, stride={stride}, padding={padding}{bias})", input.chw().0)
        }
        LayerSpec::MaxPool2d { kernel, stride, padding } | LayerSpec::AvgPool2d { kernel, stride, padding } => {
            let kind = if matches!(layer, LayerSpec::MaxPool2d { .. }) { "Max" } else { "Avg" };
            let padding = if padding == 0 { String::new() } else { format!(", padding={padding}") };
            format!("nn.{kind}Pool2d(kernel_size={kernel}, stride={stride}{padding})")
        }
        LayerSpec::GlobalAvgPool => "nn.AdaptiveAvgPool2d(1)".into(),
        LayerSpec::Flatten => "nn.Flatten()".into(),
        LayerSpec::Dense { units, .. } => format!("nn.Linear({}, {units})", input.per_example()),
        LayerSpec::Sigmoid => "nn.Sigmoid()".into(),
        LayerSpec::Tanh => "nn.Tanh()".into(),
        LayerSpec::Relu => "nn.ReLU()".into(),
        LayerSpec::LeakyRelu { slope } => format!("nn.LeakyReLU(negative_slope={})", py_float(slope)),
        LayerSpec::Dropout { p } => format!("nn.Dropout(p={})", py_float(p)),
        LayerSpec::BatchNorm2d { eps, momentum, .. } => {
            format!("nn.BatchNorm2d({}, eps={}, momentum={})", input.chw().0, py_float(eps), py_float(momentum))
        }
        LayerSpec::Residual { .. } | LayerSpec::Inception { .. } => unreachable!("blocks are written by Printer::layer"),
    }
}

/// Runnable Python: `model = nn.Sequential(...)` with exactly the spec's layers (and the classes
/// of the blocks it uses), then loading [`weights_file_name`] (written by
/// [`pytorch_safetensors`]) with `strict=True`.
pub fn pytorch_code(spec: &ModelSpec) -> Result<String, SpecError> {
    let infos = spec.infer()?;
    let mut p = Printer { spec, infos: &infos, source: 0, lines: Vec::new(), uses: (false, false) };
    p.layers(&spec.layers, 1, "");
    let width = p.lines.iter().map(|(code, _)| code.chars().count()).max().unwrap_or(0);
    let [c, h, w] = spec.input;
    let output = infos.last().map(|l| l.output.clone()).unwrap_or_else(|| spec.input_shape(0));
    let file = weights_file_name(spec);
    let mut s = String::new();
    s += &format!("# The cnn-notebook model {:?} as PyTorch code.\n", spec.name);
    s += &format!("# Input: float32 images (N, {c}, {h}, {w}); output: {output}.\n");
    s += "import json\n\nimport torch\nfrom torch import nn\n";
    if p.uses.1 {
        s += "import torch.nn.functional as F\n";
    }
    s += "\n";
    for (used, class) in [(p.uses.0, RESIDUAL_CLASS), (p.uses.1, INCEPTION_CLASS)] {
        if used {
            s += "\n";
            s += class;
            s += "\n";
        }
    }
    s += "model = nn.Sequential(\n";
    for (code, comment) in &p.lines {
        if comment.is_empty() {
            s += &format!("{code}\n");
        } else {
            s += &format!("{code:<width$}  # {comment}\n");
        }
    }
    s += ")\n\n";
    s += &format!("# The weights, exported by cnn-notebook as {file}: their names and layouts are this\n");
    s += "# model's state_dict(), so strict loading accepts them.\n";
    s += FALLBACK_READER;
    s += "\n";
    s += &format!("model.load_state_dict(load_file(\"{file}\"), strict=True)\n");
    s += "model.eval()  # dropout off; batch norm uses its running statistics\n\n";
    s += &format!("# x = torch.rand(1, {c}, {h}, {w})\n");
    s += "# print(model(x).softmax(dim=1))\n";
    Ok(s)
}

/// The weights as a safetensors file for [`pytorch_code`]'s model: exactly its `state_dict()`'s
/// names, shapes and dtypes. `tensors` are the model's state (`Sequential::state`); each must be
/// there with its shape, and nothing else.
pub fn pytorch_safetensors(spec: &ModelSpec, tensors: &[NamedTensor]) -> Result<Vec<u8>, crate::Error> {
    let layout = state_dict_layout(spec)?;
    let find = |name: &str| tensors.iter().find(|t| t.name == name);
    for e in layout.iter().filter(|e| e.dtype == "F32") {
        let t = find(&e.name).ok_or_else(|| StateError::Missing { name: e.name.clone(), shape: e.shape.clone() })?;
        if t.shape != e.shape {
            return Err(StateError::ShapeMismatch { name: e.name.clone(), expected: e.shape.clone(), found: t.shape.clone() }.into());
        }
        if t.data.len() != e.shape.len() {
            return Err(StateError::WrongLength { name: e.name.clone(), shape: e.shape.clone(), len: t.data.len(), expected: e.shape.len() }.into());
        }
    }
    if let Some(extra) = tensors.iter().find(|t| !layout.iter().any(|e| e.dtype == "F32" && e.name == t.name)) {
        return Err(StateError::Unexpected { name: extra.name.clone() }.into());
    }
    // The data: the int64 scalars first, then the f32 tensors in state_dict order. 8-byte values
    // first keep every tensor aligned to its size (the header is padded to 8 bytes), as the
    // safetensors library itself orders them.
    let mut header = Map::new();
    header.insert("__metadata__".into(), json!({ "format": "pt" }));
    let mut data = Vec::new();
    for e in layout.iter().filter(|e| e.dtype == "I64") {
        let start = data.len();
        data.extend_from_slice(&0i64.to_le_bytes());
        header.insert(e.name.clone(), json!({ "dtype": "I64", "shape": e.shape.0, "data_offsets": [start, data.len()] }));
    }
    for e in layout.iter().filter(|e| e.dtype == "F32") {
        let start = data.len();
        data.extend(find(&e.name).expect("checked").data.iter().flat_map(|v| v.to_le_bytes()));
        header.insert(e.name.clone(), json!({ "dtype": "F32", "shape": e.shape.0, "data_offsets": [start, data.len()] }));
    }
    let mut header = serde_json::to_vec(&Value::Object(header)).expect("JSON of strings and numbers");
    header.resize(header.len().next_multiple_of(8), b' ');
    let mut out = Vec::with_capacity(8 + header.len() + data.len());
    out.extend_from_slice(&(header.len() as u64).to_le_bytes());
    out.extend_from_slice(&header);
    out.extend_from_slice(&data);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::init::Init;
    use crate::model::{zoo, Sequential};
    use crate::Cpu;

    /// Every layer kind the spec has, batch norm included.
    fn every_layer() -> ModelSpec {
        serde_json::from_str(
            r#"{"name":"every layer","input":[2,10,10],"layers":[
            {"type":"conv2d","out_channels":4,"kernel":3,"padding":1},{"type":"batch_norm2d"},
            {"type":"leaky_relu","slope":0.1},{"type":"max_pool2d","kernel":2,"stride":2},
            {"type":"conv2d","out_channels":6,"kernel":3,"stride":2,"padding":1},{"type":"relu"},
            {"type":"avg_pool2d","kernel":2,"stride":1},{"type":"dropout","p":0.3},{"type":"flatten"},
            {"type":"dense","units":7},{"type":"sigmoid"},{"type":"dense","units":5},{"type":"tanh"},
            {"type":"dense","units":3}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn the_layout_is_pytorchs_state_dict() {
        let layout = state_dict_layout(&every_layer()).unwrap();
        let got: Vec<String> = layout.iter().map(|e| format!("{} {} {}", e.name, e.dtype, e.shape)).collect();
        // print([f"{k} {v.dtype} {tuple(v.shape)}" for k, v in model.state_dict().items()]) for
        // the code below: the same names and shapes in the same order.
        assert_eq!(
            got,
            [
                "0.weight F32 (4, 2, 3, 3)",
                "0.bias F32 (4)",
                "1.weight F32 (4)",
                "1.bias F32 (4)",
                "1.running_mean F32 (4)",
                "1.running_var F32 (4)",
                "1.num_batches_tracked I64 ()",
                "4.weight F32 (6, 4, 3, 3)",
                "4.bias F32 (6)",
                "9.weight F32 (7, 24)",
                "9.bias F32 (7)",
                "11.weight F32 (5, 7)",
                "11.bias F32 (5)",
                "13.weight F32 (3, 5)",
                "13.bias F32 (3)",
            ]
        );
    }

    #[test]
    fn the_model_state_has_the_layouts_f32_names_and_shapes() {
        let b = Cpu::new();
        for spec in [every_layer(), zoo::lenet5(), zoo::lenet_d2l()] {
            let state = Sequential::new(&b, spec.clone(), Init::XavierUniform, 1).unwrap().state(&b);
            let mut ours: Vec<(String, Shape)> = state.iter().map(|t| (t.name.clone(), t.shape.clone())).collect();
            let mut layout: Vec<(String, Shape)> = state_dict_layout(&spec).unwrap().into_iter().filter(|e| e.dtype == "F32").map(|e| (e.name, e.shape)).collect();
            ours.sort_by(|a, b| a.0.cmp(&b.0));
            layout.sort_by(|a, b| a.0.cmp(&b.0));
            assert_eq!(ours, layout, "{}", spec.name);
        }
    }

    #[test]
    fn the_code_for_lenet5_is_an_nn_sequential_of_its_layers() {
        let code = pytorch_code(&zoo::lenet5()).unwrap();
        let model = code.split("model = nn.Sequential(\n").nth(1).unwrap().split("\n)\n").next().unwrap();
        assert_eq!(
            model,
            "    nn.Conv2d(1, 6, kernel_size=5, stride=1, padding=0),   # 0: (N, 6, 28, 28)
    nn.Tanh(),                                             # 1: (N, 6, 28, 28)
    nn.MaxPool2d(kernel_size=2, stride=2),                 # 2: (N, 6, 14, 14)
    nn.Conv2d(6, 16, kernel_size=5, stride=1, padding=0),  # 3: (N, 16, 10, 10)
    nn.Tanh(),                                             # 4: (N, 16, 10, 10)
    nn.MaxPool2d(kernel_size=2, stride=2),                 # 5: (N, 16, 5, 5)
    nn.Flatten(),                                          # 6: (N, 400)
    nn.Linear(400, 120),                                   # 7: (N, 120)
    nn.Tanh(),                                             # 8: (N, 120)
    nn.Linear(120, 84),                                    # 9: (N, 84)
    nn.Tanh(),                                             # 10: (N, 84)
    nn.Linear(84, 10),                                     # 11: (N, 10)"
        );
        assert!(code.contains("model.load_state_dict(load_file(\"lenet5.safetensors\"), strict=True)\n"), "{code}");
        assert!(code.contains("from safetensors.torch import load_file"), "{code}");
        let bn = pytorch_code(&every_layer()).unwrap();
        assert!(bn.contains("nn.BatchNorm2d(4, eps=1e-5, momentum=0.1),"), "{bn}");
        assert!(bn.contains("nn.LeakyReLU(negative_slope=0.1),"), "{bn}");
        assert!(bn.contains("nn.Dropout(p=0.3),"), "{bn}");
        assert!(bn.contains("nn.AvgPool2d(kernel_size=2, stride=1),"), "{bn}");
        assert!(bn.contains("nn.Linear(24, 7),"), "{bn}");
        assert!(bn.contains("load_file(\"every_layer.safetensors\")"), "{bn}");
    }

    #[test]
    fn weights_file_names_are_safe() {
        let named = |name: &str| weights_file_name(&ModelSpec { name: name.into(), input: [1, 1, 1], layers: vec![] });
        assert_eq!(named("lenet-relu"), "lenet-relu.safetensors");
        assert_eq!(named("my \"net\"\n"), "my__net__.safetensors");
        assert_eq!(named(""), "model.safetensors");
        assert_eq!(named("../x"), "_x.safetensors");
        assert_eq!(py_float(1e-5), "1e-5");
        assert_eq!(py_float(f32::NAN), "float(\"nan\")");
    }

    #[test]
    fn the_file_holds_every_tensor_of_the_state_dict_and_checks_what_it_is_given() {
        let b = Cpu::new();
        let spec = every_layer();
        let state = Sequential::new(&b, spec.clone(), Init::XavierUniform, 1).unwrap().state(&b);
        let bytes = pytorch_safetensors(&spec, &state).unwrap();
        let st = safetensors::SafeTensors::deserialize(&bytes).unwrap();
        let layout = state_dict_layout(&spec).unwrap();
        assert_eq!(st.len(), layout.len());
        for e in &layout {
            let view = st.tensor(&e.name).unwrap();
            assert_eq!(view.shape(), e.shape.dims(), "{}", e.name);
            assert_eq!(view.dtype().to_string(), e.dtype, "{}", e.name);
            if e.dtype == "F32" {
                let want = &state.iter().find(|t| t.name == e.name).unwrap().data;
                let got: Vec<f32> = view.data().chunks_exact(4).map(|c| f32::from_le_bytes(c.try_into().unwrap())).collect();
                assert_eq!(&got, want, "{}", e.name);
            } else {
                assert_eq!(view.data(), 0i64.to_le_bytes(), "{}", e.name);
            }
        }
        let (_, meta) = safetensors::SafeTensors::read_metadata(&bytes).unwrap();
        assert_eq!(meta.metadata().as_ref().and_then(|m| m.get("format")).map(String::as_str), Some("pt"));

        let mut missing = state.clone();
        missing.retain(|t| t.name != "1.running_var");
        let err = pytorch_safetensors(&spec, &missing).unwrap_err();
        assert!(err.to_string().contains("no tensor named 1.running_var"), "{err}");
        let mut transposed = state.clone();
        let dense = transposed.iter_mut().find(|t| t.name == "9.weight").unwrap();
        dense.shape = Shape(vec![24, 7]);
        let err = pytorch_safetensors(&spec, &transposed).unwrap_err();
        assert!(err.to_string().contains("tensor 9.weight has shape (24, 7) but the model needs (7, 24)"), "{err}");
        let mut extra = state;
        extra.push(NamedTensor { name: "1.num_batches_tracked".into(), shape: Shape(vec![]), data: vec![0.0] });
        let err = pytorch_safetensors(&spec, &extra).unwrap_err();
        assert!(err.to_string().contains("1.num_batches_tracked is not part of this model"), "{err}");
    }
}
