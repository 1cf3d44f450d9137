//! A model written as data: the serde spec the CLI, the page and model files share, and the
//! shape inference that checks it before any weight is allocated.

use serde::{Deserialize, Serialize};

use crate::backend::{ActKind, PoolKind};
use crate::tensor::{conv_output_size, Shape};
use super::graph::{self, GraphNode, NodeOp, Part};
use super::text;
use crate::message::{Explain, Message, Template};

/// A sequential network: an input of (C, H, W) and layers applied in order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelSpec {
    pub name: String,
    /// (C, H, W) of one input example.
    pub input: [usize; 3],
    pub layers: Vec<LayerSpec>,
}

fn one() -> usize {
    1
}
fn default_bn_eps() -> f32 {
    1e-5
}
fn default_bn_momentum() -> f32 {
    0.1
}
fn yes() -> bool {
    true
}
fn is_true(b: &bool) -> bool {
    *b
}
fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// One layer of a spec, named as in PyTorch's `torch.nn`. The optional `in_*` sizes are checked
/// against what flows in (as `nn.Linear(400, 120)` would be); left out, they are inferred.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LayerSpec {
    Conv2d {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        in_channels: Option<usize>,
        out_channels: usize,
        kernel: usize,
        #[serde(default = "one")]
        stride: usize,
        #[serde(default)]
        padding: usize,
        /// `bias=False` leaves the bias out (before a batch norm, whose β does its work).
        #[serde(default = "yes", skip_serializing_if = "is_true")]
        bias: bool,
    },
    /// Padding counts as −∞ (PyTorch's rule): a padded cell is never the maximum.
    MaxPool2d {
        kernel: usize,
        stride: usize,
        #[serde(default, skip_serializing_if = "is_zero")]
        padding: usize,
    },
    /// Padding counts as zeros in the mean (PyTorch's default, `count_include_pad=True`).
    AvgPool2d {
        kernel: usize,
        stride: usize,
        #[serde(default, skip_serializing_if = "is_zero")]
        padding: usize,
    },
    /// `nn.AdaptiveAvgPool2d(1)`: global average pooling, (N, C, H, W) → (N, C, 1, 1).
    GlobalAvgPool,
    Flatten,
    Dense {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        in_features: Option<usize>,
        units: usize,
    },
    Sigmoid,
    Tanh,
    Relu,
    LeakyRelu {
        slope: f32,
    },
    Dropout {
        p: f32,
    },
    BatchNorm2d {
        #[serde(default = "default_bn_eps")]
        eps: f32,
        #[serde(default = "default_bn_momentum")]
        momentum: f32,
        /// `nn.BatchNorm2d(C)`'s C as written, checked against the channels that arrive (left
        /// out, it takes them).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        num_features: Option<usize>,
    },
    /// The notebook's `Residual(m1, m2, …, shortcut=…)`: body(x) + shortcut(x), the shortcut
    /// being the identity when empty (a projection, e.g. a strided 1×1 convolution, when the
    /// shapes differ, as in ResNet).
    Residual {
        body: Vec<LayerSpec>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        shortcut: Vec<LayerSpec>,
    },
    /// d2l's `Inception(in_channels, c1, (c2_reduce, c2), (c3_reduce, c3), c4)`: four paths —
    /// a 1×1 convolution; 1×1 then 3×3; 1×1 then 5×5; a 3×3 max pool then 1×1 — each ending in
    /// a ReLU, concatenated on the channels (c1 + c2 + c3 + c4 of them).
    Inception {
        in_channels: usize,
        c1: usize,
        c2: [usize; 2],
        c3: [usize; 2],
        c4: usize,
    },
}

impl LayerSpec {
    /// The activation this layer applies, if it is one.
    pub fn activation(&self) -> Option<ActKind> {
        match *self {
            LayerSpec::Sigmoid => Some(ActKind::Sigmoid),
            LayerSpec::Tanh => Some(ActKind::Tanh),
            LayerSpec::Relu => Some(ActKind::Relu),
            LayerSpec::LeakyRelu { slope } => Some(ActKind::LeakyRelu { slope }),
            _ => None,
        }
    }

    pub fn from_activation(kind: ActKind) -> Self {
        match kind {
            ActKind::Sigmoid => LayerSpec::Sigmoid,
            ActKind::Tanh => LayerSpec::Tanh,
            ActKind::Relu => LayerSpec::Relu,
            ActKind::LeakyRelu { slope } => LayerSpec::LeakyRelu { slope },
        }
    }

    pub fn pool_kind(&self) -> Option<PoolKind> {
        match self {
            LayerSpec::MaxPool2d { .. } => Some(PoolKind::Max),
            LayerSpec::AvgPool2d { .. } => Some(PoolKind::Avg),
            _ => None,
        }
    }

    /// A short label as a textbook table writes it, e.g. "Conv2d 6@5×5, pad 2".
    pub fn label(&self) -> Message {
        use super::text::*;
        match *self {
            LayerSpec::Conv2d { out_channels, kernel, stride, padding, bias, .. } => {
                let template = match (stride != 1, padding != 0) {
                    (false, false) => CONV,
                    (true, false) => CONV_STRIDE,
                    (false, true) => CONV_PAD,
                    (true, true) => CONV_STRIDE_PAD,
                };
                let m = Message::new(template).with("out", out_channels).with("kernel", kernel);
                let m = if stride != 1 { m.with("stride", stride) } else { m };
                let m = if padding != 0 { m.with("padding", padding) } else { m };
                if bias {
                    m
                } else {
                    Message::new(NO_BIAS).nested("conv", m)
                }
            }
            LayerSpec::MaxPool2d { kernel, stride, padding } | LayerSpec::AvgPool2d { kernel, stride, padding } => {
                let max = matches!(self, LayerSpec::MaxPool2d { .. });
                let template = match (max, padding != 0) {
                    (true, false) => MAX_POOL,
                    (true, true) => MAX_POOL_PAD,
                    (false, false) => AVG_POOL,
                    (false, true) => AVG_POOL_PAD,
                };
                let m = Message::new(template).with("kernel", kernel).with("stride", stride);
                if padding != 0 {
                    m.with("padding", padding)
                } else {
                    m
                }
            }
            LayerSpec::GlobalAvgPool => GLOBAL_AVG_POOL.into(),
            LayerSpec::Flatten => FLATTEN.into(),
            LayerSpec::Dense { units, .. } => Message::new(DENSE).with("units", units),
            LayerSpec::Sigmoid => SIGMOID.into(),
            LayerSpec::Tanh => TANH.into(),
            LayerSpec::Relu => RELU.into(),
            LayerSpec::LeakyRelu { slope } => Message::new(LEAKY_RELU).with("slope", slope),
            LayerSpec::Dropout { p } => Message::new(DROPOUT).with("p", p),
            LayerSpec::Residual { ref shortcut, .. } => if shortcut.is_empty() { RESIDUAL.into() } else { RESIDUAL_PROJECTION.into() },
            LayerSpec::Inception { in_channels, c1, c2, c3, c4 } => Message::new(INCEPTION)
                .with("inputs", in_channels)
                .with("outputs", c1.saturating_add(c2[1]).saturating_add(c3[1]).saturating_add(c4)),
            LayerSpec::BatchNorm2d { .. } => BATCH_NORM.into(),
        }
    }
}

/// What shape inference found for one node of the unrolled network (`graph`): for a spec
/// without blocks, one layer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerInfo {
    pub index: usize,
    /// What it computes (a leaf layer, an addition or a concatenation).
    #[serde(skip)]
    pub op: NodeOp,
    /// The activations it reads (0 is the input, i + 1 the output of node i).
    pub inputs: Vec<usize>,
    /// Its PyTorch module path (the state-dict prefix of its parameters).
    pub name: String,
    /// The spec layer it comes from, in pre-order (see `graph::GraphNode::source`).
    pub source: usize,
    /// How many blocks it is inside, and its place there.
    pub depth: usize,
    pub part: Part,
    /// Written in English by `Display`, in the page's language from its key.
    pub label: Message,
    /// Output shape with the batch written as N (batch 0); to the page as "(N, 6, 28, 28)".
    #[serde(serialize_with = "as_text")]
    pub output: Shape,
    /// Counted in u64: VGG16's 15.5 G multiply-accumulates overflow a 32-bit wasm usize.
    pub params: u64,
    /// Multiply-accumulates per example.
    pub macs: u64,
}

fn as_text<S: serde::Serializer>(shape: &Shape, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(shape)
}

/// A network's layer table as a textbook prints one: each layer's output shape, parameters and
/// multiply-accumulates, with the totals.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LayerTable {
    pub name: String,
    /// "(N, 1, 28, 28)"
    pub input: String,
    pub rows: Vec<LayerInfo>,
    pub total_params: u64,
    pub total_macs: u64,
}

/// A spec that cannot be built. Each variant names the layer (0-based index and label) and the
/// shapes involved, so the message tells the learner exactly where the sizes stop adding up.
#[derive(Clone, Debug, PartialEq)]
pub enum SpecError {
    WindowTooLarge { index: usize, label: Message, input: Shape, kernel: usize, padding: usize },
    ChannelMismatch { index: usize, label: Message, input: Shape, expected: usize },
    FeatureMismatch { index: usize, label: Message, input: Shape, expected: usize, got: usize },
    NeedsImage { index: usize, label: Message, input: Shape },
    NeedsFlat { index: usize, label: Message, input: Shape },
    /// A residual block whose f(x) and shortcut give different shapes.
    CannotAdd { index: usize, label: Message, body: Shape, shortcut: Shape },
    /// Branches whose H×W differ (or that are not images).
    CannotConcat { index: usize, label: Message, shapes: Vec<Shape> },
    BadSetting { index: usize, label: Message, reason: Message },
    EmptyInput { input: [usize; 3] },
    /// C·H·W of the input does not fit in this platform's sizes.
    InputTooLarge { input: [usize; 3] },
    /// One buffer (an activation, a weight tensor, a convolution's scratch) is larger than one
    /// buffer may be here. `at` names the layer (index, label), `None` for the input.
    BufferOverBudget { at: Option<(usize, Message)>, part: &'static Template, bytes: u64, limit: u64, batch: usize },
    /// Everything together is more than the budget; the layer named needs the most of it.
    OverBudget { bytes: u64, limit: u64, batch: usize, at: Option<(usize, Message)>, layer_bytes: u64 },
}

impl Explain for SpecError {
    fn message(&self) -> Message {
        use super::text::*;
        let at = |t, index: &usize, label: &Message| Message::new(t).with("index", index).nested("label", label.clone());
        match self {
            SpecError::WindowTooLarge { index, label, input, kernel, padding } => {
                at(WINDOW_TOO_LARGE, index, label).with("kernel", kernel).with("padding", padding).with("input", input)
            }
            SpecError::ChannelMismatch { index, label, input, expected } => at(CHANNEL_MISMATCH, index, label).with("expected", expected).with("input", input),
            SpecError::FeatureMismatch { index, label, input, expected, got } => {
                at(FEATURE_MISMATCH, index, label).with("expected", expected).with("input", input).with("got", got)
            }
            SpecError::NeedsImage { index, label, input } => at(NEEDS_IMAGE, index, label).with("input", input),
            SpecError::NeedsFlat { index, label, input } => at(NEEDS_FLAT, index, label).with("input", input),
            SpecError::CannotAdd { index, label, body, shortcut } => at(CANNOT_ADD, index, label).with("body", body).with("shortcut", shortcut),
            SpecError::CannotConcat { index, label, shapes } => {
                let shapes: Vec<String> = shapes.iter().map(|s| s.to_string()).collect();
                at(CANNOT_CONCAT, index, label).with("shapes", shapes.join(", "))
            }
            SpecError::BadSetting { index, label, reason } => at(BAD_SETTING, index, label).nested("reason", reason.clone()),
            SpecError::EmptyInput { input } => Message::new(EMPTY_INPUT).with("input", format!("{input:?}")),
            SpecError::InputTooLarge { input } => Message::new(INPUT_TOO_LARGE).with("input", format!("{input:?}")),
            SpecError::BufferOverBudget { at, part, bytes, limit, batch } => Message::new(BUFFER_OVER_BUDGET)
                .nested("at", where_(at))
                .nested("part", Message::new(**part))
                .with("size", crate::model::budget::bytes(*bytes))
                .with("batch", batch)
                .with("limit", crate::model::budget::bytes(*limit)),
            SpecError::OverBudget { bytes, limit, batch, at, layer_bytes } => Message::new(OVER_BUDGET)
                .with("size", crate::model::budget::bytes(*bytes))
                .with("batch", batch)
                .with("limit", crate::model::budget::bytes(*limit))
                .nested("at", where_(at))
                .with("part", crate::model::budget::bytes(*layer_bytes)),
        }
    }
}
crate::explained_error!(SpecError);

/// "layer 3 (Conv2d 6@5×5)", or "the input" where there is no layer.
fn where_(at: &Option<(usize, Message)>) -> Message {
    match at {
        Some((i, l)) => Message::new(text::AT_LAYER).with("index", i).nested("label", l.clone()),
        None => text::AT_INPUT.into(),
    }
}

impl ModelSpec {
    /// The input shape with batch N (0 prints as "N").
    pub fn input_shape(&self, n: usize) -> Shape {
        Shape::nchw(n, self.input[0], self.input[1], self.input[2])
    }

    /// The layer table (`infer`'s rows with their totals).
    pub fn table(&self) -> Result<LayerTable, SpecError> {
        let rows = self.infer()?;
        Ok(LayerTable {
            name: self.name.clone(),
            input: self.input_shape(0).to_string(),
            total_params: rows.iter().map(|r| r.params).sum(),
            total_macs: rows.iter().map(|r| r.macs).sum(),
            rows,
        })
    }

    /// Infer every layer's output shape, parameter count and MACs per example, through the one
    /// shared output-size formula. The batch is written as N. Every size is computed with
    /// checked arithmetic (a spec may come from a file or a page): a size that does not fit this
    /// platform, or totals past 2⁶⁴, are errors naming the layer, never a wrapped number.
    pub fn infer(&self) -> Result<Vec<LayerInfo>, SpecError> {
        if self.input.contains(&0) {
            return Err(SpecError::EmptyInput { input: self.input });
        }
        if self.input.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d)).is_none() {
            return Err(SpecError::InputTooLarge { input: self.input });
        }
        // shapes[0] is the input, shapes[i + 1] node i's output.
        let mut shapes = vec![self.input_shape(0)];
        let nodes = graph::unroll(&self.layers);
        let mut out = Vec::with_capacity(nodes.len());
        let (mut params, mut macs) = (0u64, 0u64);
        for (index, node) in nodes.into_iter().enumerate() {
            let inputs: Vec<&Shape> = node.inputs.iter().map(|&i| &shapes[i]).collect();
            let (label, next, p, m) = match &node.op {
                NodeOp::Layer(layer) => {
                    let (next, p, m) = infer_layer(index, layer, inputs[0])?;
                    (layer.label(), next, p, m)
                }
                &NodeOp::Add { projection } => {
                    let label: Message = if projection { text::ADD_PROJECTION.into() } else { text::ADD.into() };
                    if inputs[0] != inputs[1] {
                        return Err(SpecError::CannotAdd { index, label, body: inputs[0].clone(), shortcut: inputs[1].clone() });
                    }
                    (label, inputs[0].clone(), 0, 0)
                }
                NodeOp::Concat => {
                    let channels: Vec<usize> = inputs.iter().filter(|s| s.dims().len() == 4).map(|s| s.chw().0).collect();
                    let parts: Vec<String> = channels.iter().map(|c| c.to_string()).collect();
                    let total: usize = channels.iter().sum();
                    let label = Message::new(text::CONCAT).with("parts", parts.join(" + ")).with("total", total);
                    let same = |s: &&Shape| s.dims().len() == 4 && s.dims()[2..] == inputs[0].dims()[2..];
                    if !inputs.iter().all(same) {
                        return Err(SpecError::CannotConcat { index, label, shapes: inputs.into_iter().cloned().collect() });
                    }
                    let (_, h, w) = inputs[0].chw();
                    (label, Shape::nchw(0, total, h, w), 0, 0)
                }
            };
            // Totals are checked sums too: `cnn info` never prints a wrapped total.
            let total = |sum: u64, add: u64, what| {
                sum.checked_add(add).ok_or_else(|| SpecError::BadSetting { index, label: label.clone(), reason: Message::new(text::TOTAL_TOO_LARGE).nested("what", Message::new(what)) })
            };
            params = total(params, p, text::TOTAL_PARAMS)?;
            macs = total(macs, m, text::TOTAL_MACS)?;
            let GraphNode { op, inputs, name, source, depth, part } = node;
            out.push(LayerInfo { index, op, inputs, name, source, depth, part, label, output: next.clone(), params: p, macs: m });
            shapes.push(next);
        }
        Ok(out)
    }

    /// Output shape of the whole network for batch n.
    pub fn output_shape(&self, n: usize) -> Result<Shape, SpecError> {
        let infos = self.infer()?;
        Ok(infos.last().map(|l| l.output.with_batch(n)).unwrap_or_else(|| self.input_shape(n)))
    }

    /// The number of parameters (`infer` has checked that the sum fits).
    pub fn param_count(&self) -> Result<u64, SpecError> {
        Ok(self.infer()?.iter().map(|l| l.params).sum())
    }

    /// Multiply-accumulates per example (`infer` has checked that the sum fits).
    pub fn macs(&self) -> Result<u64, SpecError> {
        Ok(self.infer()?.iter().map(|l| l.macs).sum())
    }

    /// Every buffer this model needs at batch `n` (see [`super::budget`]), or why it cannot be
    /// counted.
    pub fn needs(&self, n: usize) -> Result<super::budget::Needs, SpecError> {
        Ok(super::budget::needs(self, &self.infer()?, n))
    }

    /// Refuse a model whose buffers at batch `n` exceed `budget`, before anything is allocated.
    pub fn check_budget(&self, n: usize, budget: super::budget::Budget) -> Result<super::budget::Needs, SpecError> {
        let infos = self.infer()?;
        let needs = super::budget::needs(self, &infos, n);
        budget.check(&infos, &needs)?;
        Ok(needs)
    }

    /// The same spec with every activation layer replaced by `kind` (the page's toggle), inside
    /// residual blocks too; an Inception block keeps its ReLUs (they are part of d2l's class).
    pub fn with_activation(&self, kind: ActKind) -> ModelSpec {
        fn replace(layers: &mut [LayerSpec], kind: ActKind) {
            for l in layers {
                match l {
                    LayerSpec::Residual { body, shortcut } => {
                        replace(body, kind);
                        replace(shortcut, kind);
                    }
                    l if l.activation().is_some() => *l = LayerSpec::from_activation(kind),
                    _ => {}
                }
            }
        }
        let mut s = self.clone();
        replace(&mut s.layers, kind);
        s
    }
}

/// Shape inference for one layer: (output shape, parameters, MACs per example). Every size is
/// checked: products in u64, shapes within this platform's `usize`, hyper-parameters finite.
pub(crate) fn infer_layer(index: usize, layer: &LayerSpec, input: &Shape) -> Result<(Shape, u64, u64), SpecError> {
    let label = || layer.label();
    let image = || -> Result<(usize, usize, usize), SpecError> {
        if input.dims().len() == 4 {
            Ok(input.chw())
        } else {
            Err(SpecError::NeedsImage { index, label: label(), input: input.clone() })
        }
    };
    let bad = |reason: Message| SpecError::BadSetting { index, label: label(), reason };
    // A spec may come from a file or a page: multiply in u64 and refuse what overflows.
    let product = |factors: &[usize]| -> Result<u64, SpecError> {
        factors.iter().try_fold(1u64, |acc, &f| acc.checked_mul(f as u64)).ok_or_else(|| bad(text::TOO_LARGE.into()))
    };
    // A size that becomes part of a shape must also fit this platform's usize (32 bits on wasm32).
    let size = |factors: &[usize]| -> Result<usize, SpecError> { product(factors).and_then(|v| usize::try_from(v).map_err(|_| bad(text::TOO_LARGE.into()))) };
    let sum = |a: u64, b: u64| a.checked_add(b).ok_or_else(|| bad(text::TOO_LARGE.into()));
    let finite = |name: &str, v: f32| crate::check::finite_one(crate::check::named(name), v).map_err(|e| bad(e.message()));
    Ok(match *layer {
        LayerSpec::Conv2d { in_channels, out_channels, kernel, stride, padding, bias } => {
            let (c, h, w) = image()?;
            if let Some(expected) = in_channels {
                if expected != c {
                    return Err(SpecError::ChannelMismatch { index, label: label(), input: input.clone(), expected });
                }
            }
            if out_channels == 0 || stride == 0 || kernel == 0 {
                return Err(bad(text::CONV_AT_LEAST_ONE.into()));
            }
            // A window further into the padding than this sees only zeros (PyTorch's pooling
            // allows half the kernel; a convolution here, the kernel less one).
            if padding > kernel - 1 {
                return Err(bad(Message::new(text::PADDING_TOO_LARGE).with("padding", padding).with("max", kernel - 1)));
            }
            let too_large = || SpecError::WindowTooLarge { index, label: label(), input: input.clone(), kernel, padding };
            let ho = conv_output_size(h, kernel, stride, padding).ok_or_else(too_large)?;
            let wo = conv_output_size(w, kernel, stride, padding).ok_or_else(too_large)?;
            size(&[out_channels, ho, wo])?;
            let params = sum(product(&[out_channels, c, kernel, kernel])?, if bias { out_channels as u64 } else { 0 })?;
            let macs = product(&[out_channels, ho, wo, c, kernel, kernel])?;
            (Shape::nchw(0, out_channels, ho, wo), params, macs)
        }
        LayerSpec::MaxPool2d { kernel, stride, padding } | LayerSpec::AvgPool2d { kernel, stride, padding } => {
            let (c, h, w) = image()?;
            if stride == 0 || kernel == 0 {
                return Err(bad(text::POOL_AT_LEAST_ONE.into()));
            }
            // PyTorch's limit: a window never lies wholly in the padding.
            if padding > kernel / 2 {
                return Err(bad(Message::new(text::POOL_PADDING_TOO_LARGE).with("padding", padding).with("kernel", kernel)));
            }
            let too_large = || SpecError::WindowTooLarge { index, label: label(), input: input.clone(), kernel, padding };
            let ho = conv_output_size(h, kernel, stride, padding).ok_or_else(too_large)?;
            let wo = conv_output_size(w, kernel, stride, padding).ok_or_else(too_large)?;
            (Shape::nchw(0, c, ho, wo), 0, 0)
        }
        LayerSpec::GlobalAvgPool => {
            let (c, h, w) = image()?;
            // It runs as one average-pooling window over the whole (square) image.
            if h != w {
                return Err(bad(Message::new(text::GLOBAL_POOL_SQUARE).with("input", input)));
            }
            (Shape::nchw(0, c, 1, 1), 0, 0)
        }
        LayerSpec::Flatten => (Shape::nf(0, size(&input.dims()[1..])?), 0, 0),
        LayerSpec::Dense { in_features, units } => {
            if input.dims().len() != 2 {
                return Err(SpecError::NeedsFlat { index, label: label(), input: input.clone() });
            }
            let got = input.per_example();
            if let Some(expected) = in_features {
                if expected != got {
                    return Err(SpecError::FeatureMismatch { index, label: label(), input: input.clone(), expected, got });
                }
            }
            if units == 0 {
                return Err(bad(text::DENSE_NO_UNITS.into()));
            }
            let macs = product(&[got, units])?;
            (Shape::nf(0, units), sum(macs, units as u64)?, macs)
        }
        LayerSpec::Sigmoid | LayerSpec::Tanh | LayerSpec::Relu => (input.clone(), 0, 0),
        LayerSpec::LeakyRelu { slope } => {
            finite("slope", slope)?;
            (input.clone(), 0, 0)
        }
        LayerSpec::Dropout { p } => {
            if !(0.0..1.0).contains(&p) {
                return Err(bad(text::DROPOUT_RANGE.into()));
            }
            (input.clone(), 0, 0)
        }
        LayerSpec::BatchNorm2d { eps, momentum, num_features } => {
            let (c, _, _) = image()?;
            if let Some(expected) = num_features {
                if expected != c {
                    return Err(SpecError::ChannelMismatch { index, label: label(), input: input.clone(), expected });
                }
            }
            finite("eps", eps)?;
            if eps <= 0.0 || !(0.0..=1.0).contains(&momentum) {
                return Err(bad(text::BATCH_NORM_RANGE.into()));
            }
            // γ and β, one each per channel.
            (input.clone(), product(&[2, c])?, 0)
        }
        // `graph::unroll` opens every block into leaves before inference.
        LayerSpec::Residual { .. } | LayerSpec::Inception { .. } => unreachable!("infer_layer({index}) on a block: unroll it first"),
    })
}
