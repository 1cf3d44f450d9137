//! Architectures as the gallery shows them: a tree of layers with branches (Inception's
//! concatenation), residual connections (ResNet's F(x) + x) and auxiliary heads (GoogLeNet's), and
//! the shape inference that turns such a tree into a table of rows — each layer's output shape,
//! parameters and multiply-accumulates.
//!
//! The trainable models stay sequential (`ModelSpec`, `spec.rs`); this is a separate, read-only
//! description. Every layer a `ModelSpec` can hold is inferred here by `spec.rs`'s own code, and
//! every window through the one output-size formula (`tensor::conv_output_size`, with its
//! `ceil_mode` sibling), so the gallery and the trainable models cannot disagree.
//!
//! Unlike `ModelSpec::infer`, which stops at the first mistake, the gallery walks on: a row can
//! carry the output size its author *claimed* (as a comment in a paper or a script would) next to
//! the real one, and a layer that does not fit what arrives gets an error row, after which the
//! rows go on as far as the sizes are still known. That is what shows a learner where the sizes
//! stop adding up.
//!
//! Counting, as torchvision's tables count: parameters are what `sum(p.numel() for p in
//! model.parameters())` sums (batch norm's γ and β, 2·C, but not its running statistics);
//! MACs are the multiply-accumulates of the convolutions and dense layers for one example
//! (pooling, normalisation, activations and the residual addition are not counted).

use serde::Serialize;

use super::spec::{infer_layer, LayerSpec, ModelSpec, SpecError};
use crate::message::{Explain, Message};
use crate::tensor::{conv_output_size, conv_output_size_ceil, Shape};

/// What one layer computes. The layers a trainable `ModelSpec` has are `Op::Layer`; the others
/// are what the classic architectures need beyond them.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// A layer of the trainable models, inferred by `ModelSpec::infer`'s own code.
    Layer(LayerSpec),
    /// `nn.Conv2d(..., bias=False)`: the convolutions batch norm follows (its β does the bias's work).
    Conv2dNoBias { in_channels: usize, out_channels: usize, kernel: usize, stride: usize, padding: usize },
    /// `nn.Conv2d(..., groups=groups)` with a bias: the channels are split into `groups` groups
    /// and each output channel reads only its group's `in_channels / groups` inputs (AlexNet's
    /// split over two GPUs). Parameters C_out·(C_in/groups)·F·F + C_out; MACs likewise a
    /// `groups`-th of the ungrouped convolution's.
    GroupedConv2d { in_channels: usize, out_channels: usize, kernel: usize, stride: usize, padding: usize, groups: usize },
    /// `nn.MaxPool2d(kernel, stride, padding, ceil_mode)`: padding counts as −∞; with `ceil_mode`
    /// a last, partial window is kept.
    MaxPool2d { kernel: usize, stride: usize, padding: usize, ceil_mode: bool },
    /// `nn.AdaptiveAvgPool2d(size)`: whatever arrives, `size`×`size` comes out (1 = global
    /// average pooling).
    AdaptiveAvgPool2d { size: usize },
    /// `nn.LocalResponseNorm(size)`: AlexNet's normalisation across `size` neighbouring channels.
    /// It has no parameters.
    LocalResponseNorm { size: usize },
}

impl Op {
    /// A short label as a textbook table writes it.
    pub fn label(&self) -> Message {
        use text::*;
        match *self {
            Op::Layer(ref l) => l.label(),
            Op::Conv2dNoBias { in_channels, out_channels, kernel, stride, padding } => {
                let spec = LayerSpec::Conv2d { in_channels: Some(in_channels), out_channels, kernel, stride, padding, bias: true };
                Message::new(NO_BIAS).nested("conv", spec.label())
            }
            Op::GroupedConv2d { in_channels, out_channels, kernel, stride, padding, groups } => {
                let spec = LayerSpec::Conv2d { in_channels: Some(in_channels), out_channels, kernel, stride, padding, bias: true };
                Message::new(GROUPED).nested("conv", spec.label()).with("groups", groups)
            }
            Op::MaxPool2d { kernel, stride, padding, ceil_mode } => {
                let template = match (padding != 0, ceil_mode) {
                    (false, false) => MAX_POOL,
                    (true, false) => MAX_POOL_PAD,
                    (false, true) => MAX_POOL_CEIL,
                    (true, true) => MAX_POOL_PAD_CEIL,
                };
                let m = Message::new(template).with("kernel", kernel).with("stride", stride);
                if padding != 0 {
                    m.with("padding", padding)
                } else {
                    m
                }
            }
            Op::AdaptiveAvgPool2d { size: 1 } => GLOBAL_AVG_POOL.into(),
            Op::AdaptiveAvgPool2d { size } => Message::new(ADAPTIVE_AVG_POOL).with("size", size),
            Op::LocalResponseNorm { size } => Message::new(LRN).with("size", size),
        }
    }
}

/// One layer of an architecture.
#[derive(Clone, Debug, PartialEq)]
pub struct ArchLayer {
    /// Its name in the reference implementation (torchvision's module path, e.g.
    /// "layer2.0.downsample.0"), or "" where that applies it as a function (`F.relu`).
    pub name: String,
    pub op: Op,
    /// The output size the description claims for one example — (C, H, W) or (F) — as a comment
    /// or a paper's figure would; checked against the real one.
    pub claimed: Option<Vec<usize>>,
}

/// A node of the architecture tree.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Layer(ArchLayer),
    /// Nodes applied in order. With a label it is a block of the table (a header row with its
    /// totals, its rows indented); without, its rows stand at the level of the parent.
    Sequence { name: String, label: Option<Message>, nodes: Vec<Node> },
    /// Branches that all read the same input; their outputs are concatenated on the channels
    /// (an Inception block).
    Concat { name: String, label: Message, branches: Vec<Node> },
    /// body(x) + shortcut(x), the shortcut being the identity when `None` (a residual block).
    Residual { name: String, label: Message, body: Box<Node>, shortcut: Option<Box<Node>> },
    /// A head computed from this point whose output leaves the network (GoogLeNet's auxiliary
    /// classifiers, used in training only). The main path goes on with its input unchanged.
    Aux { name: String, label: Message, body: Box<Node> },
}

/// An architecture: one input example's (C, H, W) and the nodes applied to it in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Arch {
    pub name: String,
    pub title: String,
    pub input: [usize; 3],
    pub nodes: Vec<Node>,
}

/// What a row of the table is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// The network's input.
    Input,
    Layer,
    /// The header of a block (a labelled sequence, an Inception block, a residual block, an
    /// auxiliary head): its output and the totals of everything inside it.
    Block,
    /// Where branches meet: the concatenation, the addition F(x) + x, or the identity shortcut.
    Merge,
}

/// Whether a row's sizes add up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    /// The description claims another output size than the real one.
    Mismatch,
    /// The layer cannot take what arrives (or branches cannot be merged).
    Error,
}

/// One row of the gallery's table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// Nesting level, 0 at the top, for indenting branches and blocks.
    pub depth: usize,
    pub kind: RowKind,
    /// The reference implementation's module path, or "".
    pub name: String,
    pub label: Message,
    /// The real output size of one example, (C, H, W) or (F); `None` where an earlier error
    /// leaves it unknown.
    pub shape: Option<Vec<usize>>,
    /// The same written as "(N, C, H, W)".
    pub output: Option<String>,
    /// The claimed output, "(N, C, H, W)", where the description states one.
    pub claimed: Option<String>,
    /// Parameters (for a block: all of its rows); `None` where they cannot be known.
    pub params: Option<u64>,
    /// Multiply-accumulates per example (for a block: all of its rows).
    pub macs: Option<u64>,
    pub status: Status,
    /// What does not add up, in words, naming both numbers.
    pub message: Option<Message>,
}

/// The gallery's table for one architecture.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GalleryTable {
    pub name: String,
    pub title: String,
    /// "(N, 3, 224, 224)".
    pub input: String,
    pub rows: Vec<Row>,
    /// Totals over the whole network; `None` where some layer's count is unknown.
    pub params: Option<u64>,
    pub macs: Option<u64>,
    /// How many rows do not add up (status `mismatch` or `error`).
    pub problems: usize,
    /// Whether the rows' names are torchvision's module paths (`features.0`); else they are the
    /// module paths of the network as the notebook writes it (`0`, `features.conv1`).
    pub torchvision: bool,
}

/// The gallery's sentences: the labels of its own layers, blocks and merges, and what does not
/// add up.
pub mod text {
    crate::templates! {
        NO_BIAS = "gallery.noBias": "{conv}, no bias";
        GROUPED = "gallery.grouped": "{conv}, {groups} groups";
        GROUPS_DIVIDE = "gallery.groupsDivide": "{groups} groups must divide both the {inputs} input and the {outputs} output channels";
        MAX_POOL = "gallery.maxPool": "MaxPool2d {kernel}×{kernel}, stride {stride}";
        MAX_POOL_PAD = "gallery.maxPoolPad": "MaxPool2d {kernel}×{kernel}, stride {stride}, pad {padding}";
        MAX_POOL_CEIL = "gallery.maxPoolCeil": "MaxPool2d {kernel}×{kernel}, stride {stride}, ceil";
        MAX_POOL_PAD_CEIL = "gallery.maxPoolPadCeil": "MaxPool2d {kernel}×{kernel}, stride {stride}, pad {padding}, ceil";
        GLOBAL_AVG_POOL = "gallery.globalAvgPool": "global average pool (AdaptiveAvgPool2d 1×1)";
        ADAPTIVE_AVG_POOL = "gallery.adaptiveAvgPool": "AdaptiveAvgPool2d → {size}×{size}";
        LRN = "gallery.lrn": "LocalResponseNorm (size {size})";
        BATCH_NORM_C = "gallery.batchNorm": "BatchNorm2d({c})";
        DENSE_IN_OUT = "gallery.dense": "Dense {inputs} → {units}";
        INPUT = "gallery.input": "Input";
        CONCAT = "gallery.concat": "concatenate on channels";
        CONCAT_SUM = "gallery.concatSum": "concatenate on channels: {parts} = {total}";
        SHORTCUT_IDENTITY = "gallery.shortcutIdentity": "shortcut: identity, x";
        ADD_IDENTITY = "gallery.addIdentity": "add: F(x) + x";
        ADD_SHORTCUT = "gallery.addShortcut": "add: F(x) + shortcut(x)";
        EXPECTS_INPUTS = "gallery.expectsInputs": "expects {expected} inputs but receives {got}";
        EXPECTS_CHANNELS = "gallery.expectsChannels": "expects {expected} input channels but receives {got}";
        DOES_NOT_FIT = "gallery.doesNotFit": "a {kernel}×{kernel} window with padding {padding} does not fit its input {input}";
        NEEDS_IMAGE = "gallery.needsImage": "needs an image (N, C, H, W) but receives {input}";
        NEEDS_FLAT = "gallery.needsFlat": "needs a flat input (N, F) but receives {input}: a Flatten is missing before it";
        PAD_TOO_LARGE = "gallery.padTooLarge": "padding {padding} is more than half the {kernel}×{kernel} window";
        OUTPUT_AT_LEAST_ONE = "gallery.outputAtLeastOne": "the output size must be at least 1";
        LRN_AT_LEAST_ONE = "gallery.lrnAtLeastOne": "the window must span at least 1 channel";
        CLAIMED = "gallery.claimed": "claimed {claimed} but the sizes give {real}";
        NO_BRANCHES = "gallery.noBranches": "a concatenation needs at least one branch";
        BRANCHES_DIFFER = "gallery.branchesDiffer": "the branches give {shapes}: concatenating on the channels needs the same H×W in every branch";
        CANNOT_ADD = "gallery.cannotAdd": "F(x) gives {body} but the shortcut gives {shortcut}: they cannot be added (a 1×1 convolution with a stride on the shortcut would make them match)";
        D2L_BRANCH_1 = "gallery.d2lBranch1": "path 1: 1×1 convolution";
        D2L_BRANCH_2 = "gallery.d2lBranch2": "path 2: 1×1 → 3×3 convolution";
        D2L_BRANCH_3 = "gallery.d2lBranch3": "path 3: 1×1 → 5×5 convolution";
        D2L_BRANCH_4 = "gallery.d2lBranch4": "path 4: 3×3 max pool → 1×1 convolution";
        ZERO_INPUT = "gallery.zeroInput": "the input {input} has a zero dimension";
    }
}

fn does_not_fit(kernel: usize, padding: usize, input: &Shape) -> Message {
    Message::new(text::DOES_NOT_FIT).with("kernel", kernel).with("padding", padding).with("input", input)
}

fn needs_image(input: &Shape) -> Message {
    Message::new(text::NEEDS_IMAGE).with("input", input)
}

/// What a node gives the node after it: its output and counts.
#[derive(Clone, Debug, PartialEq)]
struct Flow {
    output: Option<Shape>,
    params: Option<u64>,
    macs: Option<u64>,
}

/// `a + b`, unknown if either is (or the sum overflows).
fn add(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    a?.checked_add(b?)
}

/// `a · b · …` in u64, `None` on overflow.
fn product(factors: &[usize]) -> Option<u64> {
    factors.iter().try_fold(1u64, |acc, &f| acc.checked_mul(f as u64))
}

/// 9216 → "9,216", as the messages write numbers.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A per-example size written with the batch as N: [256, 6, 6] → "(N, 256, 6, 6)".
fn written(dims: &[usize]) -> String {
    Shape(std::iter::once(0).chain(dims.iter().copied()).collect()).to_string()
}

/// The result of inferring one layer: output, counts and the problem, if any.
struct Outcome {
    output: Option<Shape>,
    params: Option<u64>,
    macs: Option<u64>,
    problem: Option<Message>,
    /// A label that needs the input to be written (batch norm's channel count), if any.
    label: Option<Message>,
}

impl Outcome {
    fn ok(output: Shape, params: u64, macs: u64) -> Self {
        Outcome { output: Some(output), params: Some(params), macs: Some(macs), problem: None, label: None }
    }
}

/// What a layer gives when what arrives is unknown (after an earlier error): what can be known
/// from the layer alone. A dense layer's output is (N, units) whatever arrives, so the rows
/// after it are complete again.
fn without_input(layer: &LayerSpec) -> (Option<Shape>, Option<u64>, Option<u64>) {
    match *layer {
        LayerSpec::Conv2d { in_channels, out_channels, kernel, bias, .. } => {
            let bias = if bias { out_channels as u64 } else { 0 };
            let params = in_channels.and_then(|c| add(product(&[out_channels, c, kernel, kernel]), Some(bias)));
            (None, params, None)
        }
        LayerSpec::Dense { in_features, units } => {
            let macs = in_features.and_then(|f| product(&[f, units]));
            (Some(Shape::nf(0, units)), add(macs, Some(units as u64)), macs)
        }
        LayerSpec::BatchNorm2d { .. } => (None, None, Some(0)),
        LayerSpec::MaxPool2d { .. }
        | LayerSpec::AvgPool2d { .. }
        | LayerSpec::Flatten
        | LayerSpec::Sigmoid
        | LayerSpec::Tanh
        | LayerSpec::Relu
        | LayerSpec::LeakyRelu { .. }
        | LayerSpec::Dropout { .. }
        | LayerSpec::GlobalAvgPool => (None, Some(0), Some(0)),
        // `Arch::from_spec` opens blocks into the tree's own nodes.
        LayerSpec::Residual { .. } | LayerSpec::Inception { .. } => unreachable!("a block is a Node, not a layer"),
    }
}

/// A `LayerSpec` through `spec.rs`'s `infer_layer`; where it reports a mistake, the message in
/// the gallery's words and, where the layer still defines its output, the rest of the way.
fn infer_spec_layer(layer: &LayerSpec, input: Option<&Shape>) -> Outcome {
    let Some(input) = input else {
        let (output, params, macs) = without_input(layer);
        return Outcome { output, params, macs, problem: None, label: None };
    };
    // Labels that say more in a table of a whole network: batch norm's channels, and a dense
    // layer's declared inputs (what a mistaken flatten fails to match).
    let label = match (layer, input.dims()) {
        (LayerSpec::BatchNorm2d { .. }, &[_, c, _, _]) => Some(Message::new(text::BATCH_NORM_C).with("c", c)),
        (LayerSpec::Dense { in_features: Some(f), units }, _) => Some(Message::new(text::DENSE_IN_OUT).with("inputs", f).with("units", units)),
        _ => None,
    };
    let err = match infer_layer(0, layer, input) {
        Ok((output, params, macs)) => return Outcome { label, ..Outcome::ok(output, params, macs) },
        Err(e) => e,
    };
    // Where the layer's own settings say what it would take, infer it on that, so that its
    // parameters, MACs and output are still shown (nn.Linear(9216, 4096) has its 37.7 M
    // parameters whatever arrives).
    let (problem, assumed) = match &err {
        SpecError::FeatureMismatch { expected, got, .. } => (
            Message::new(text::EXPECTS_INPUTS).with("expected", thousands(*expected as u64)).with("got", thousands(*got as u64)),
            Some(Shape::nf(0, *expected)),
        ),
        SpecError::ChannelMismatch { expected, input, .. } => {
            let mut assumed = input.clone();
            // A batch norm passes its input's shape on: the rows after it go on with the real
            // channels. A convolution's output does not depend on them.
            if !matches!(layer, LayerSpec::BatchNorm2d { .. }) {
                assumed.0[1] = *expected;
            }
            (Message::new(text::EXPECTS_CHANNELS).with("expected", expected).with("got", input.0[1]), Some(assumed))
        }
        SpecError::WindowTooLarge { input, kernel, padding, .. } => {
            (does_not_fit(*kernel, *padding, input), None)
        }
        SpecError::NeedsImage { input, .. } => (needs_image(input), None),
        SpecError::NeedsFlat { input, .. } => (Message::new(text::NEEDS_FLAT).with("input", input), None),
        SpecError::BadSetting { reason, .. } => (reason.clone(), None),
        // Merges are the tree's own nodes (`Walker::concat`, `Walker::residual`).
        SpecError::CannotAdd { .. } | SpecError::CannotConcat { .. } => (err.message(), None),
        // infer_layer reports none of these (they are about a whole spec); said as they are.
        SpecError::EmptyInput { .. } | SpecError::InputTooLarge { .. } | SpecError::BufferOverBudget { .. } | SpecError::OverBudget { .. } => {
            (err.message(), None)
        }
    };
    let unchecked = match *layer {
        LayerSpec::BatchNorm2d { eps, momentum, .. } => LayerSpec::BatchNorm2d { eps, momentum, num_features: None },
        ref other => other.clone(),
    };
    let (output, params, macs) = match assumed.map(|a| infer_layer(0, &unchecked, &a)) {
        Some(Ok((output, params, macs))) => (Some(output), Some(params), Some(macs)),
        _ => without_input(layer),
    };
    Outcome { output, params, macs, problem: Some(problem), label }
}

/// Shape inference for one gallery layer.
fn infer_op(op: &Op, input: Option<&Shape>) -> Outcome {
    // The gallery's own ops all need an image; the LayerSpec ones say what they need themselves.
    let image = |input: Option<&Shape>| -> Result<Option<(usize, usize, usize)>, Message> {
        match input {
            None => Ok(None),
            Some(s) if s.dims().len() == 4 => Ok(Some(s.chw())),
            Some(s) => Err(needs_image(s)),
        }
    };
    let failed = |problem: Message, params: Option<u64>| Outcome { output: None, params, macs: Some(0), problem: Some(problem), label: None };
    let unknown = |params: Option<u64>, macs: Option<u64>| Outcome { output: None, params, macs, problem: None, label: None };
    match *op {
        Op::Layer(ref layer) => infer_spec_layer(layer, input),
        Op::Conv2dNoBias { in_channels, out_channels, kernel, stride, padding } => {
            let with_bias = LayerSpec::Conv2d { in_channels: Some(in_channels), out_channels, kernel, stride, padding, bias: true };
            let mut out = infer_spec_layer(&with_bias, input);
            out.params = out.params.map(|p| p - out_channels as u64);
            out
        }
        Op::GroupedConv2d { in_channels, out_channels, kernel, stride, padding, groups } => {
            if groups == 0 || !in_channels.is_multiple_of(groups) || !out_channels.is_multiple_of(groups) {
                let problem = Message::new(text::GROUPS_DIVIDE).with("groups", groups).with("inputs", in_channels).with("outputs", out_channels);
                return Outcome { output: None, params: None, macs: None, problem: Some(problem), label: None };
            }
            // The ungrouped convolution's shape inference and checks; each output channel then
            // reads a `groups`-th of the inputs, so its weights and MACs are a `groups`-th.
            let whole = LayerSpec::Conv2d { in_channels: Some(in_channels), out_channels, kernel, stride, padding, bias: true };
            let mut out = infer_spec_layer(&whole, input);
            let bias = out_channels as u64;
            out.params = out.params.map(|p| (p - bias) / groups as u64 + bias);
            out.macs = out.macs.map(|m| m / groups as u64);
            out
        }
        Op::MaxPool2d { kernel, stride, padding, ceil_mode } => {
            if kernel == 0 || stride == 0 {
                return failed(super::text::POOL_AT_LEAST_ONE.into(), Some(0));
            }
            if padding > kernel / 2 {
                // PyTorch's rule: otherwise a window could lie wholly in the padding.
                return failed(Message::new(text::PAD_TOO_LARGE).with("padding", padding).with("kernel", kernel), Some(0));
            }
            let (c, h, w) = match image(input) {
                Ok(Some(chw)) => chw,
                Ok(None) => return unknown(Some(0), Some(0)),
                Err(e) => return failed(e, Some(0)),
            };
            let size = |s| if ceil_mode { conv_output_size_ceil(s, kernel, stride, padding) } else { conv_output_size(s, kernel, stride, padding) };
            match (size(h), size(w)) {
                (Some(ho), Some(wo)) => Outcome::ok(Shape::nchw(0, c, ho, wo), 0, 0),
                _ => failed(does_not_fit(kernel, padding, input.expect("known")), Some(0)),
            }
        }
        Op::AdaptiveAvgPool2d { size } => {
            if size == 0 {
                return failed(text::OUTPUT_AT_LEAST_ONE.into(), Some(0));
            }
            match image(input) {
                Ok(Some((c, _, _))) => Outcome::ok(Shape::nchw(0, c, size, size), 0, 0),
                Ok(None) => unknown(Some(0), Some(0)),
                Err(e) => failed(e, Some(0)),
            }
        }
        Op::LocalResponseNorm { size } => {
            if size == 0 {
                return failed(text::LRN_AT_LEAST_ONE.into(), Some(0));
            }
            match image(input) {
                Ok(Some(_)) => Outcome::ok(input.expect("known").clone(), 0, 0),
                Ok(None) => unknown(Some(0), Some(0)),
                Err(e) => failed(e, Some(0)),
            }
        }
    }
}

/// One spec layer as a node of the tree, named `name`.
fn spec_node(layer: &LayerSpec, name: String) -> Node {
    let leaf = |name: String, layer: LayerSpec| Node::Layer(ArchLayer { name, op: Op::Layer(layer), claimed: None });
    let sequence = |layers: &[LayerSpec], prefix: &str| Node::Sequence {
        name: String::new(),
        label: None,
        nodes: layers.iter().enumerate().map(|(i, l)| spec_node(l, format!("{prefix}{i}"))).collect(),
    };
    match layer {
        LayerSpec::Residual { body, shortcut } => {
            let shortcut = match shortcut.as_slice() {
                [] => None,
                [one] => Some(Box::new(spec_node(one, format!("{name}.shortcut")))),
                more => Some(Box::new(sequence(more, &format!("{name}.shortcut.")))),
            };
            Node::Residual { label: layer.label(), body: Box::new(sequence(body, &format!("{name}.body."))), shortcut, name }
        }
        &LayerSpec::Inception { in_channels, c1, c2, c3, c4 } => {
            let labels = [text::D2L_BRANCH_1, text::D2L_BRANCH_2, text::D2L_BRANCH_3, text::D2L_BRANCH_4];
            let branches = super::graph::inception_paths(in_channels, c1, c2, c3, c4)
                .into_iter()
                .zip(labels)
                .map(|(steps, label)| Node::Sequence {
                    name: String::new(),
                    label: Some(Message::new(label)),
                    nodes: steps.into_iter().map(|(part, l)| leaf(if part.is_empty() { String::new() } else { format!("{name}.{part}") }, l)).collect(),
                })
                .collect();
            Node::Concat { label: layer.label(), branches, name }
        }
        leaf_layer => leaf(name, leaf_layer.clone()),
    }
}

/// Walks the tree, writing rows.
struct Walker {
    rows: Vec<Row>,
}

impl Walker {
    fn push(&mut self, depth: usize, kind: RowKind, name: &str, label: Message, flow: &Flow) -> usize {
        let shape = flow.output.as_ref().map(|s| s.dims()[1..].to_vec());
        self.rows.push(Row {
            depth,
            kind,
            name: name.to_string(),
            label,
            output: shape.as_ref().map(|d| written(d)),
            shape,
            claimed: None,
            params: flow.params,
            macs: flow.macs,
            status: Status::Ok,
            message: None,
        });
        self.rows.len() - 1
    }

    fn fail(&mut self, row: usize, message: Message) {
        self.rows[row].status = Status::Error;
        self.rows[row].message = Some(message);
    }

    /// A block: a header row now, its contents below it, and the header filled in with the
    /// block's output and totals when they are known.
    fn block(&mut self, depth: usize, name: &str, label: &Message, contents: impl FnOnce(&mut Self) -> Flow) -> Flow {
        let unknown = Flow { output: None, params: None, macs: None };
        let header = self.push(depth, RowKind::Block, name, label.clone(), &unknown);
        let flow = contents(self);
        let shape = flow.output.as_ref().map(|s| s.dims()[1..].to_vec());
        let row = &mut self.rows[header];
        row.output = shape.as_ref().map(|d| written(d));
        row.shape = shape;
        row.params = flow.params;
        row.macs = flow.macs;
        flow
    }

    fn sequence(&mut self, nodes: &[Node], input: Option<Shape>, depth: usize) -> Flow {
        let mut flow = Flow { output: input, params: Some(0), macs: Some(0) };
        for node in nodes {
            let next = self.node(node, flow.output.clone(), depth);
            flow = Flow { output: next.output, params: add(flow.params, next.params), macs: add(flow.macs, next.macs) };
        }
        flow
    }

    fn node(&mut self, node: &Node, input: Option<Shape>, depth: usize) -> Flow {
        match node {
            Node::Layer(layer) => self.layer(layer, input.as_ref(), depth),
            Node::Sequence { name, label: None, nodes } => {
                debug_assert!(name.is_empty(), "an unlabelled sequence has no row to carry its name {name}");
                self.sequence(nodes, input, depth)
            }
            Node::Sequence { name, label: Some(label), nodes } => self.block(depth, name, label, |w| w.sequence(nodes, input, depth + 1)),
            Node::Concat { name, label, branches } => self.block(depth, name, label, |w| w.concat(branches, input, depth + 1)),
            Node::Residual { name, label, body, shortcut } => {
                self.block(depth, name, label, |w| w.residual(body, shortcut.as_deref(), input, depth + 1))
            }
            Node::Aux { name, label, body } => {
                let head = self.block(depth, name, label, |w| w.node(body, input.clone(), depth + 1));
                // The head's output leaves the network; the main path goes on with its input.
                Flow { output: input, ..head }
            }
        }
    }

    fn layer(&mut self, layer: &ArchLayer, input: Option<&Shape>, depth: usize) -> Flow {
        let out = infer_op(&layer.op, input);
        let flow = Flow { output: out.output, params: out.params, macs: out.macs };
        let label = out.label.unwrap_or_else(|| layer.op.label());
        let row = self.push(depth, RowKind::Layer, &layer.name, label, &flow);
        if let Some(problem) = out.problem {
            self.fail(row, problem);
        }
        if let Some(claimed) = &layer.claimed {
            let row = &mut self.rows[row];
            row.claimed = Some(written(claimed));
            if let (Some(real), Status::Ok) = (&row.shape, row.status) {
                if real != claimed {
                    row.status = Status::Mismatch;
                    row.message = Some(Message::new(text::CLAIMED).with("claimed", written(claimed)).with("real", written(real)));
                }
            }
        }
        flow
    }

    fn concat(&mut self, branches: &[Node], input: Option<Shape>, depth: usize) -> Flow {
        let flows: Vec<Flow> = branches.iter().map(|b| self.node(b, input.clone(), depth)).collect();
        let params = flows.iter().try_fold(0u64, |acc, f| add(Some(acc), f.params));
        let macs = flows.iter().try_fold(0u64, |acc, f| add(Some(acc), f.macs));
        let outputs: Option<Vec<&Shape>> = flows.iter().map(|f| f.output.as_ref()).collect();
        let mut problem = None;
        let output = match outputs {
            // An earlier error left a branch unknown: that row already says so.
            None => None,
            Some(outs) if outs.is_empty() => {
                problem = Some(text::NO_BRANCHES.into());
                None
            }
            Some(outs) if outs.iter().all(|s| s.dims().len() == 4) && outs.windows(2).all(|p| p[0].dims()[2..] == p[1].dims()[2..]) => {
                let c = outs.iter().try_fold(0usize, |acc, s| acc.checked_add(s.dims()[1]));
                c.map(|c| {
                    let (_, h, w) = outs[0].chw();
                    Shape::nchw(0, c, h, w)
                })
            }
            Some(outs) => {
                let list: Vec<String> = outs.iter().map(|s| s.to_string()).collect();
                problem = Some(Message::new(text::BRANCHES_DIFFER).with("shapes", list.join(", ")));
                None
            }
        };
        let label = match &output {
            Some(_) => {
                let parts: Vec<String> = flows.iter().map(|f| f.output.as_ref().expect("known").dims()[1].to_string()).collect();
                Message::new(text::CONCAT_SUM).with("parts", parts.join(" + ")).with("total", output.as_ref().expect("known").dims()[1])
            }
            None => text::CONCAT.into(),
        };
        let merged = Flow { output, params: Some(0), macs: Some(0) };
        let row = self.push(depth, RowKind::Merge, "", label, &merged);
        if let Some(p) = problem {
            self.fail(row, p);
        }
        Flow { output: merged.output, params, macs }
    }

    fn residual(&mut self, body: &Node, shortcut: Option<&Node>, input: Option<Shape>, depth: usize) -> Flow {
        let f = self.node(body, input.clone(), depth);
        let s = match shortcut {
            Some(node) => self.node(node, input, depth),
            None => {
                let identity = Flow { output: input, params: Some(0), macs: Some(0) };
                self.push(depth, RowKind::Merge, "", text::SHORTCUT_IDENTITY.into(), &identity);
                identity
            }
        };
        let what = if shortcut.is_some() { text::ADD_SHORTCUT } else { text::ADD_IDENTITY };
        let (output, problem) = match (&f.output, &s.output) {
            (Some(a), Some(b)) if a == b => (Some(a.clone()), None),
            (Some(a), Some(b)) => (
                None,
                Some(Message::new(text::CANNOT_ADD).with("body", a).with("shortcut", b)),
            ),
            _ => (None, None),
        };
        let added = Flow { output, params: Some(0), macs: Some(0) };
        let row = self.push(depth, RowKind::Merge, "", what.into(), &added);
        if let Some(p) = problem {
            self.fail(row, p);
        }
        Flow { output: added.output, params: add(f.params, s.params), macs: add(f.macs, s.macs) }
    }
}

impl Arch {
    /// The same layers as a trainable spec, named as PyTorch names its modules ("0", "1", …,
    /// "3.body.0", "3.shortcut", "5.p2_2": `graph`'s names): the gallery and the editor can show
    /// the notebook's own models and the learner's, blocks opened.
    pub fn from_spec(spec: &ModelSpec, title: &str) -> Arch {
        let nodes = spec.layers.iter().enumerate().map(|(i, l)| spec_node(l, i.to_string())).collect();
        Arch { name: spec.name.clone(), title: title.to_string(), input: spec.input, nodes }
    }

    /// Shape inference over the whole tree: one row per layer, block and merge, in order.
    /// Never stops early: a problem is a row with its message, and the rows after it go on as
    /// far as the sizes are known.
    pub fn table(&self) -> GalleryTable {
        let input = Shape::nchw(0, self.input[0], self.input[1], self.input[2]);
        let mut w = Walker { rows: Vec::new() };
        let start = Flow { output: Some(input.clone()), params: Some(0), macs: Some(0) };
        let row = w.push(0, RowKind::Input, "", text::INPUT.into(), &start);
        if self.input.contains(&0) {
            w.fail(row, Message::new(text::ZERO_INPUT).with("input", &input));
        }
        let total = w.sequence(&self.nodes, if self.input.contains(&0) { None } else { Some(input.clone()) }, 0);
        let problems = w.rows.iter().filter(|r| r.status != Status::Ok).count();
        GalleryTable {
            name: self.name.clone(),
            title: self.title.clone(),
            input: input.to_string(),
            rows: w.rows,
            params: total.params,
            macs: total.macs,
            problems,
            torchvision: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(name: &str, op: Op) -> Node {
        Node::Layer(ArchLayer { name: name.into(), op, claimed: None })
    }
    fn conv(c_in: usize, c_out: usize, kernel: usize, stride: usize, padding: usize) -> Op {
        Op::Layer(LayerSpec::Conv2d { in_channels: Some(c_in), out_channels: c_out, kernel, stride, padding, bias: true })
    }

    #[test]
    fn numbers_are_written_with_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(6400), "6,400");
        assert_eq!(thousands(9216), "9,216");
        assert_eq!(thousands(138_357_544), "138,357,544");
    }

    #[test]
    fn a_spec_in_the_gallery_has_the_counts_of_model_spec_infer() {
        let spec = crate::model::zoo::lenet_d2l();
        let table = Arch::from_spec(&spec, "LeNet").table();
        let infos = spec.infer().unwrap();
        assert_eq!(table.rows.len(), infos.len() + 1, "an input row, then one row per layer");
        for (row, info) in table.rows[1..].iter().zip(&infos) {
            assert_eq!(row.output.as_deref(), Some(info.output.to_string().as_str()));
            assert_eq!((row.params, row.macs), (Some(info.params), Some(info.macs)));
            assert_eq!(row.name, info.index.to_string());
            assert_eq!(row.status, Status::Ok);
        }
        assert_eq!(table.params, Some(spec.param_count().unwrap()));
        assert_eq!(table.macs, Some(spec.macs().unwrap()));
    }

    #[test]
    fn branches_that_disagree_on_height_and_width_get_an_error_row() {
        let branch = |stride| Node::Sequence { name: String::new(), label: Some(format!("stride {stride}").as_str().into()), nodes: vec![layer("", conv(3, 4, 3, stride, 1))] };
        let arch = Arch {
            name: "t".into(),
            title: "t".into(),
            input: [3, 8, 8],
            nodes: vec![Node::Concat { name: "mix".into(), label: "mix".into(), branches: vec![branch(1), branch(2)] }, layer("", Op::Layer(LayerSpec::Relu))],
        };
        let t = arch.table();
        let merge = t.rows.iter().find(|r| r.kind == RowKind::Merge).unwrap();
        assert_eq!(merge.status, Status::Error);
        let msg = merge.message.as_ref().unwrap().to_string();
        assert!(msg.contains("(N, 4, 8, 8), (N, 4, 4, 4)"), "{msg}");
        // The rows after it are still listed, with an unknown size; the parameters are known.
        assert_eq!(t.rows.last().unwrap().label, "ReLU");
        assert_eq!(t.rows.last().unwrap().output, None);
        assert_eq!(t.params, Some(2 * (4 * 3 * 9 + 4)));
        assert_eq!(t.problems, 1);
    }

    #[test]
    fn a_concatenation_of_nothing_is_an_error_row() {
        let arch = Arch { name: "t".into(), title: "t".into(), input: [1, 2, 2], nodes: vec![Node::Concat { name: String::new(), label: "none".into(), branches: vec![] }] };
        let t = arch.table();
        assert_eq!(t.rows.last().unwrap().message.as_ref().map(ToString::to_string).as_deref(), Some("a concatenation needs at least one branch"));
        assert_eq!(t.problems, 1);
    }

    #[test]
    fn a_residual_block_whose_shapes_differ_says_both() {
        let body = Node::Sequence { name: String::new(), label: Some("F(x)".into()), nodes: vec![layer("", conv(4, 8, 3, 2, 1))] };
        let arch = Arch {
            name: "t".into(),
            title: "t".into(),
            input: [4, 8, 8],
            nodes: vec![Node::Residual { name: "block".into(), label: "block".into(), body: Box::new(body), shortcut: None }],
        };
        let t = arch.table();
        let add = t.rows.iter().find(|r| r.label.to_string().starts_with("add")).unwrap();
        assert_eq!(add.status, Status::Error);
        assert!(add.message.as_ref().map(ToString::to_string).as_deref().unwrap().contains("F(x) gives (N, 8, 4, 4) but the shortcut gives (N, 4, 8, 8)"), "{add:?}");
        let identity = t.rows.iter().find(|r| r.label.to_string().contains("identity")).unwrap();
        assert_eq!(identity.output.as_deref(), Some("(N, 4, 8, 8)"));
    }

    #[test]
    fn after_a_window_that_does_not_fit_a_dense_layer_makes_the_sizes_known_again() {
        let arch = Arch {
            name: "t".into(),
            title: "t".into(),
            input: [1, 4, 4],
            nodes: vec![
                layer("0", conv(1, 2, 5, 1, 0)),
                layer("1", Op::Layer(LayerSpec::Flatten)),
                layer("2", Op::Layer(LayerSpec::Dense { in_features: Some(8), units: 3 })),
                layer("3", Op::Layer(LayerSpec::Relu)),
            ],
        };
        let t = arch.table();
        assert_eq!(t.rows[1].status, Status::Error);
        assert!(t.rows[1].message.as_ref().map(ToString::to_string).as_deref().unwrap().contains("a 5×5 window with padding 0 does not fit its input (N, 1, 4, 4)"));
        assert_eq!(t.rows[1].params, Some(2 * 25 + 2), "the parameters are known from the layer alone");
        assert_eq!(t.rows[2].output, None);
        assert_eq!(t.rows[3].output.as_deref(), Some("(N, 3)"));
        assert_eq!(t.rows[4].output.as_deref(), Some("(N, 3)"));
        assert_eq!(t.rows[3].status, Status::Ok, "nothing is known to contradict it");
        assert_eq!(t.macs, None, "the convolution's MACs depend on a size that is unknown");
        assert_eq!(t.problems, 1);
    }

    #[test]
    fn a_conv_expecting_other_channels_names_both_and_goes_on() {
        let arch = Arch { name: "t".into(), title: "t".into(), input: [3, 8, 8], nodes: vec![layer("0", conv(1, 2, 3, 1, 1))] };
        let t = arch.table();
        let row = &t.rows[1];
        assert_eq!(row.status, Status::Error);
        assert_eq!(row.message.as_ref().map(ToString::to_string).as_deref(), Some("expects 1 input channels but receives 3"));
        assert_eq!(row.output.as_deref(), Some("(N, 2, 8, 8)"));
        assert_eq!(row.params, Some(2 * 9 + 2));
    }

    /// AlexNet's conv2 as the paper splits it: 96 → 256 channels, 5×5, two groups on 27×27.
    /// By hand: 256·(96/2)·5·5 + 256 = 307,456 parameters (614,656 without groups), and
    /// 27·27·256·48·25 = 223,948,800 MACs. PyTorch (/tmp/torchvenv):
    ///     print(sum(p.numel() for p in nn.Conv2d(96, 256, 5, padding=2, groups=2).parameters()))
    /// prints 307456.
    #[test]
    fn a_grouped_convolution_counts_a_groups_th_of_the_weights() {
        let grouped = |groups| Arch {
            name: "t".into(),
            title: "t".into(),
            input: [96, 27, 27],
            nodes: vec![layer("conv2", Op::GroupedConv2d { in_channels: 96, out_channels: 256, kernel: 5, stride: 1, padding: 2, groups })],
        };
        let t = grouped(2).table();
        assert_eq!((t.params, t.macs), (Some(307_456), Some(223_948_800)));
        assert_eq!(t.rows[1].output.as_deref(), Some("(N, 256, 27, 27)"));
        assert_eq!(t.rows[1].label.to_string(), "Conv2d 256@5×5, pad 2, 2 groups");
        let one = grouped(1).table();
        assert_eq!((one.params, one.macs), (Some(614_656), Some(447_897_600)));
        let bad = grouped(5).table();
        assert_eq!(bad.rows[1].status, Status::Error);
        assert_eq!(bad.rows[1].message.as_ref().map(ToString::to_string).as_deref(), Some("5 groups must divide both the 96 input and the 256 output channels"));
    }

    #[test]
    fn gallery_pooling_checks_its_settings() {
        let pool = |padding, ceil_mode| Arch {
            name: "t".into(),
            title: "t".into(),
            input: [1, 4, 4],
            nodes: vec![layer("", Op::MaxPool2d { kernel: 3, stride: 2, padding, ceil_mode })],
        };
        // F.max_pool2d(torch.zeros(1, 1, 4, 4), 3, 2, 1, ceil_mode=True).shape == (1, 1, 3, 3)
        assert_eq!(pool(1, true).table().rows[1].output.as_deref(), Some("(N, 1, 3, 3)"));
        assert_eq!(pool(0, true).table().rows[1].output.as_deref(), Some("(N, 1, 2, 2)"));
        assert_eq!(pool(0, false).table().rows[1].output.as_deref(), Some("(N, 1, 1, 1)"));
        let bad = pool(2, false).table();
        assert_eq!(bad.rows[1].status, Status::Error);
        assert_eq!(bad.rows[1].message.as_ref().map(ToString::to_string).as_deref(), Some("padding 2 is more than half the 3×3 window"));
    }
}
