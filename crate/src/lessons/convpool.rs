//! The arithmetic behind the chapters "Convolution" and "Pooling": a kernel sliding over a small
//! input with stride and padding, the output-size formula with its numbers, where the channels go
//! and what they cost in parameters, max and average pooling window by window, and the receptive
//! field of stacked convolutions.
//!
//! Every output shown comes from the CPU backend's own kernels (`Cpu::conv2d_forward`,
//! `Cpu::pool2d_forward`), every size from `tensor::conv_output_size`, and every parameter count
//! from shape inference (`ModelSpec::infer`), so the chapter shows the numbers the networks use.
//! The textbook view of one position — the window, the products, their sum — is the reference's
//! (`layers::conv2d::conv2d_terms`, shared with the convolution inspector), and the tests check
//! it against what the kernels computed.

use crate::inspect::{written_sum, Written};
use serde::Serialize;

use crate::check::{self, NotFinite};
use crate::layers::conv2d::conv2d_terms;
use crate::message::{Explain, Message, Template};
use crate::backend::{Backend, ConvGeom, PoolGeom, PoolKind};
use crate::model::{LayerSpec, ModelSpec};
use crate::rng::Rng;
use crate::tensor::{conv_output_size, Shape};
use crate::Cpu;

/// The largest input side the chapter accepts: its grids show every value as a number.
pub const MAX_WIDTH: usize = 16;
/// The largest kernel (and pooling window) side.
pub const MAX_KERNEL: usize = 9;
/// The largest stride and padding.
pub const MAX_STRIDE: usize = 8;
pub const MAX_PADDING: usize = 8;
/// The largest channel count for the convolutions the chapter actually runs.
pub const MAX_CHANNELS: usize = 16;
/// The largest channel count the parameter comparison counts (VGG's widest layers have 512).
pub const MAX_COUNT_CHANNELS: usize = 4096;
/// The most stacked 3×3 convolutions the receptive-field comparison stacks.
pub const MAX_STACK: usize = 8;

/// The input presets, in the order the page lists them.
pub const INPUT_PRESETS: &[&str] = &["edge", "square", "diagonal", "random"];
/// The kernel presets, in the order the page lists them.
pub const KERNEL_PRESETS: &[&str] = &["vertical-edge", "horizontal-edge", "blur", "sharpen", "identity", "random"];

/// What the learner can set wrong. The page shows the message as it is.
#[derive(Clone, Debug, PartialEq)]
pub enum LessonError {
    OutOfRange { what: Template, min: usize, max: usize, got: usize },
    WrongLength { what: Template, side: usize, want: usize, got: usize },
    NotFinite(NotFinite),
    UnknownPreset { what: Template, name: String, choices: String },
    DoesNotFit { input: usize, kernel: usize, padding: usize },
    NoSuchPosition { y: usize, x: usize, size: usize },
    TooLarge,
    NoLayers,
    Mismatched { kernels: usize, strides: usize },
}

/// The sentences of the convolution and pooling chapters, and the names of what the learner sets.
pub mod text {
    crate::templates! {
        OUT_OF_RANGE = "lesson.outOfRange": "{what} must be between {min} and {max}, not {got}";
        WRONG_LENGTH = "lesson.wrongLength": "a {side}×{side} {what} has {want} values, not {got}";
        UNKNOWN_PRESET = "lesson.unknownPreset": "unknown {what} '{name}'; the choices are: {choices}";
        DOES_NOT_FIT = "lesson.doesNotFit": "a {kernel}×{kernel} window with padding {padding} does not fit a {input}×{input} input: there is no output";
        NO_SUCH_POSITION = "lesson.noSuchPosition": "there is no output position (row {y}, column {x}): the output is {size}×{size}";
        TOO_LARGE = "lesson.rfTooLarge": "the receptive field is too large to count";
        NO_LAYERS = "lesson.rfNoLayers": "the receptive field needs at least one layer";
        MISMATCHED = "lesson.rfMismatched": "the lists of kernel sizes ({kernels}) and strides ({strides}) have different lengths";
        INPUT_SIZE = "lesson.inputSize": "the input size W";
        KERNEL_SIZE = "lesson.kernelSize": "the kernel size F";
        STRIDE = "lesson.stride": "the stride S";
        PADDING = "lesson.padding": "the padding P";
        INPUT_CHANNELS = "lesson.inputChannels": "the input channels C_in";
        OUTPUT_CHANNELS = "lesson.outputChannels": "the output channels C_out";
        STACK = "lesson.stack": "the number of stacked 3×3 convolutions";
        CHANNELS = "lesson.channels": "the channels C";
        INPUT = "lesson.input": "input";
        KERNEL = "lesson.kernel": "kernel";
        BIAS = "lesson.bias": "bias";
        INPUT_PRESET = "lesson.inputPreset": "input preset";
        KERNEL_PRESET = "lesson.kernelPreset": "kernel preset";
        POOLING = "lesson.pooling": "pooling";
    }
}

impl Explain for LessonError {
    fn message(&self) -> Message {
        use text::*;
        match self {
            LessonError::OutOfRange { what, min, max, got } => Message::new(OUT_OF_RANGE).nested("what", (*what).into()).with("min", min).with("max", max).with("got", got),
            LessonError::WrongLength { what, side, want, got } => {
                Message::new(WRONG_LENGTH).with("side", side).nested("what", (*what).into()).with("want", want).with("got", got)
            }
            LessonError::NotFinite(e) => e.message(),
            LessonError::UnknownPreset { what, name, choices } => Message::new(UNKNOWN_PRESET).nested("what", (*what).into()).with("name", name).with("choices", choices),
            LessonError::DoesNotFit { input, kernel, padding } => Message::new(DOES_NOT_FIT).with("kernel", kernel).with("padding", padding).with("input", input),
            LessonError::NoSuchPosition { y, x, size } => Message::new(NO_SUCH_POSITION).with("y", y).with("x", x).with("size", size),
            LessonError::TooLarge => TOO_LARGE.into(),
            LessonError::NoLayers => NO_LAYERS.into(),
            LessonError::Mismatched { kernels, strides } => Message::new(MISMATCHED).with("kernels", kernels).with("strides", strides),
        }
    }
}
crate::explained_error!(LessonError);

fn in_range(what: Template, got: usize, min: usize, max: usize) -> Result<usize, LessonError> {
    if (min..=max).contains(&got) {
        Ok(got)
    } else {
        Err(LessonError::OutOfRange { what, min, max, got })
    }
}

/// A side×side grid of values: the right length and every value finite.
fn check_grid(what: Template, values: &[f32], side: usize) -> Result<(), LessonError> {
    if values.len() != side * side {
        return Err(LessonError::WrongLength { what, side, want: side * side, got: values.len() });
    }
    check::finite(what, values).map_err(LessonError::NotFinite)
}

// ---------------------------------------------------------------------------------------------
// The output size, worked out.

/// floor((W − F + 2P) / S) + 1 with every intermediate number, as the chapter writes it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutputSize {
    pub input: usize,
    pub kernel: usize,
    pub stride: usize,
    pub padding: usize,
    /// W − F + 2P: how far the window can travel; negative when it does not fit.
    pub span: i64,
    /// floor(span / S) + 1 from `conv_output_size`; `None` when the window does not fit.
    pub size: Option<usize>,
    /// span mod S: rows (and columns) at the bottom (right) of the padded input that no window
    /// reaches, because the floor drops the last partial step.
    pub unused: usize,
}

/// The output size for one side. Stride 0 is refused (the formula divides by it); a window larger
/// than the padded input is not an error but `size: None`, which the chapter explains.
pub fn output_size(input: usize, kernel: usize, stride: usize, padding: usize) -> Result<OutputSize, LessonError> {
    in_range(text::INPUT_SIZE, input, 1, MAX_WIDTH)?;
    in_range(text::KERNEL_SIZE, kernel, 1, MAX_KERNEL)?;
    in_range(text::STRIDE, stride, 1, MAX_STRIDE)?;
    in_range(text::PADDING, padding, 0, MAX_PADDING)?;
    let span = input as i64 - kernel as i64 + 2 * padding as i64;
    let size = conv_output_size(input, kernel, stride, padding);
    let unused = if size.is_some() { (span as usize) % stride } else { 0 };
    Ok(OutputSize { input, kernel, stride, padding, span, size, unused })
}

// ---------------------------------------------------------------------------------------------
// Presets.

/// A side×side input grid. `edge`: bright (10) left half, dark (0) right half, the classic
/// vertical-edge example; `square`: a bright square in the middle; `diagonal`: bright on and below
/// the diagonal; `random`: integers 0..9 from `seed`. Integers keep the products readable.
pub fn input_preset(name: &str, side: usize, seed: u64) -> Result<Vec<f32>, LessonError> {
    in_range(text::INPUT_SIZE, side, 1, MAX_WIDTH)?;
    let mut rng = Rng::new(seed);
    let (lo, hi) = (side / 4, side - 1 - side / 4);
    let mut out = Vec::with_capacity(side * side);
    for i in 0..side {
        for j in 0..side {
            out.push(match name {
                "edge" => {
                    if j < side / 2 {
                        10.0
                    } else {
                        0.0
                    }
                }
                "square" => {
                    if (lo..=hi).contains(&i) && (lo..=hi).contains(&j) && side > 2 {
                        10.0
                    } else {
                        0.0
                    }
                }
                "diagonal" => {
                    if j <= i {
                        10.0
                    } else {
                        0.0
                    }
                }
                "random" => rng.below(10) as f32,
                _ => return Err(unknown(text::INPUT_PRESET, name, INPUT_PRESETS)),
            });
        }
    }
    Ok(out)
}

fn unknown(what: Template, name: &str, choices: &[&str]) -> LessonError {
    LessonError::UnknownPreset { what, name: name.to_string(), choices: choices.join(", ") }
}

/// An F×F kernel. The 3×3 ones are the textbook's:
///   vertical-edge   [1 0 −1; 1 0 −1; 1 0 −1]   (bright left, dark right gives a large output)
///   horizontal-edge its transpose
///   blur            every weight 1/F² (the mean of the window)
///   sharpen         [0 −1 0; −1 5 −1; 0 −1 0] (weights add up to 1)
///   identity        1 in the middle
///   random          integers −2..2 from `seed`
/// Other sizes follow the same rule; "the middle" of an even kernel is the cell above and left
/// of its centre, as PyTorch's `same` padding leans.
pub fn kernel_preset(name: &str, f: usize, seed: u64) -> Result<Vec<f32>, LessonError> {
    in_range(text::KERNEL_SIZE, f, 1, MAX_KERNEL)?;
    let mid = (f - 1) / 2;
    // +1 before the middle column, 0 on it, −1 after it (comparing 2v with F − 1 handles both
    // parities: an even kernel has no middle column).
    let side = |v: usize| match (2 * v).cmp(&(f - 1)) {
        std::cmp::Ordering::Less => 1.0,
        std::cmp::Ordering::Equal => 0.0,
        std::cmp::Ordering::Greater => -1.0,
    };
    let mut rng = Rng::new(seed ^ 0x6b65_726e_656c);
    let mut out = Vec::with_capacity(f * f);
    for u in 0..f {
        for v in 0..f {
            out.push(match name {
                "vertical-edge" => side(v),
                "horizontal-edge" => side(u),
                "blur" => 1.0 / (f * f) as f32,
                "identity" => f32::from(u == mid && v == mid),
                "sharpen" => {
                    let neighbour = u.abs_diff(mid) + v.abs_diff(mid) == 1;
                    if u == mid && v == mid {
                        // 1 plus one for each −1 around it, so the weights add up to 1.
                        let around = [mid > 0, mid + 1 < f].iter().filter(|&&b| b).count() * 2;
                        1.0 + around as f32
                    } else if neighbour {
                        -1.0
                    } else {
                        0.0
                    }
                }
                "random" => rng.below(5) as f32 - 2.0,
                _ => return Err(unknown(text::KERNEL_PRESET, name, KERNEL_PRESETS)),
            });
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// One kernel over one input.

/// One input channel convolved with one kernel (plus a bias) by the CPU backend.
#[derive(Clone, Debug, PartialEq)]
pub struct ConvLesson {
    pub size: OutputSize,
    /// W×W input, row-major.
    pub input: Vec<f32>,
    /// F×F kernel, row-major.
    pub kernel: Vec<f32>,
    pub bias: f32,
    /// (W + 2P)×(W + 2P): the input with its border of P zeros.
    pub padded: Vec<f32>,
    /// O×O output of `Cpu::conv2d_forward`; empty when the window does not fit.
    pub output: Vec<f32>,
}

/// One output position taken apart: the window under the kernel, the products, their sum.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConvStep {
    pub y: usize,
    pub x: usize,
    /// Top-left cell of the window in padded coordinates (0..W+2P): row y·S, column x·S.
    pub top: usize,
    pub left: usize,
    /// F×F values under the kernel (0 where the window covers padding).
    pub window: Vec<f32>,
    /// Which window cells are padding.
    pub padding: Vec<bool>,
    /// window · kernel, cell by cell.
    pub products: Vec<f32>,
    /// Σ products, added in reading order.
    pub sum: f32,
    pub bias: f32,
    /// What the backend's convolution wrote at (y, x): sum + bias up to rounding order.
    pub value: f32,
    /// The products and their sum as the page writes them (`inspect::written_sum`), so that the
    /// written products add up to the written sum; then the bias and the value at the same
    /// decimals, the value written as the written sum plus the written bias.
    pub written: Written,
    pub written_bias: f64,
    pub written_value: f64,
}

/// Run the convolution the chapter shows: input W×W, kernel F×F, stride S, padding P, bias b.
pub fn conv_lesson(
    input: &[f32],
    width: usize,
    kernel: &[f32],
    f: usize,
    stride: usize,
    padding: usize,
    bias: f32,
) -> Result<ConvLesson, LessonError> {
    let size = output_size(width, f, stride, padding)?;
    check_grid(text::INPUT, input, width)?;
    check_grid(text::KERNEL, kernel, f)?;
    check::finite_one(text::BIAS, bias).map_err(LessonError::NotFinite)?;
    let padded = pad(input, width, padding);
    let output = match size.size {
        Some(o) => {
            let g = ConvGeom { n: 1, c_in: 1, h_in: width, w_in: width, c_out: 1, h_out: o, w_out: o, kernel: f, stride, padding };
            cpu_conv(input, kernel, &[bias], &g)
        }
        None => Vec::new(),
    };
    Ok(ConvLesson { size, input: input.to_vec(), kernel: kernel.to_vec(), bias, padded, output })
}

/// `Cpu::conv2d_forward` on one example.
fn cpu_conv(input: &[f32], weights: &[f32], bias: &[f32], g: &ConvGeom) -> Vec<f32> {
    let b = Cpu::new();
    let x = b.upload(&Shape::nchw(1, g.c_in, g.h_in, g.w_in), input);
    let w = b.upload(&Shape::nchw(g.c_out, g.c_in, g.kernel, g.kernel), weights);
    let bias = b.upload(&Shape(vec![g.c_out]), bias);
    let mut y = b.zeros(&Shape::nchw(1, g.c_out, g.h_out, g.w_out));
    b.conv2d_forward(&x, &w, &bias, &mut y, g);
    b.read(&y)
}

/// The W×W grid with a border of P zeros.
fn pad(input: &[f32], width: usize, padding: usize) -> Vec<f32> {
    let wp = width + 2 * padding;
    let mut out = vec![0.0; wp * wp];
    for (i, row) in input.chunks(width).enumerate() {
        out[(i + padding) * wp + padding..][..width].copy_from_slice(row);
    }
    out
}

impl ConvLesson {
    pub fn padded_width(&self) -> usize {
        self.size.input + 2 * self.size.padding
    }

    /// Output position (y, x) taken apart.
    pub fn step(&self, y: usize, x: usize) -> Result<ConvStep, LessonError> {
        let s = &self.size;
        let Some(o) = s.size else {
            return Err(LessonError::DoesNotFit { input: s.input, kernel: s.kernel, padding: s.padding });
        };
        if y >= o || x >= o {
            return Err(LessonError::NoSuchPosition { y, x, size: o });
        }
        // The reference's account of output (y, x) (`layers::conv2d::conv2d_terms`, the function
        // the convolution inspector uses too), its window's corner moved to padded coordinates.
        let g = ConvGeom { n: 1, c_in: 1, h_in: s.input, w_in: s.input, c_out: 1, h_out: o, w_out: o, kernel: s.kernel, stride: s.stride, padding: s.padding };
        let t = conv2d_terms(&self.input, &self.kernel, &[self.bias], &g, 0, 0, y, x);
        let (top, left) = ((t.top + s.padding as i64) as usize, (t.left + s.padding as i64) as usize);
        let (window, padding, products) = (t.window, t.padding, t.products);
        let (sum, bias) = (t.sum, t.bias);
        let written = written_sum(&products, 2, 4);
        let unit = 10f64.powi(-(written.decimals as i32));
        let written_bias = (bias as f64 / unit).round() * unit;
        let written_value = written.total + written_bias;
        Ok(ConvStep { y, x, top, left, window, padding, products, sum, bias, value: self.output[y * o + x], written, written_bias, written_value })
    }
}

// ---------------------------------------------------------------------------------------------
// Channels: kernel depth = input depth, one output map per kernel.

/// C_in input channels, C_out kernels of depth C_in, C_out output maps, computed by the backend,
/// and the parameter count from shape inference.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelLesson {
    pub c_in: usize,
    pub c_out: usize,
    pub size: OutputSize,
    /// (C_in, W, W): integers 0..9.
    pub input: Vec<f32>,
    /// (C_out, C_in, F, F): integers −1..1. Kernel k's slice c meets input channel c.
    pub kernels: Vec<f32>,
    /// C_out biases: integers −2..2.
    pub biases: Vec<f32>,
    /// (C_out, O, O); empty when the window does not fit.
    pub output: Vec<f32>,
    /// F·F·C_in·C_out.
    pub weights: u64,
    /// C_out: one bias per kernel.
    pub bias_count: u64,
    /// weights + biases, from `ModelSpec::infer` of this one layer.
    pub params: u64,
}

pub fn channel_lesson(
    width: usize,
    f: usize,
    stride: usize,
    padding: usize,
    c_in: usize,
    c_out: usize,
    seed: u64,
) -> Result<ChannelLesson, LessonError> {
    let size = output_size(width, f, stride, padding)?;
    in_range(text::INPUT_CHANNELS, c_in, 1, MAX_CHANNELS)?;
    in_range(text::OUTPUT_CHANNELS, c_out, 1, MAX_CHANNELS)?;
    let mut rng = Rng::new(seed);
    let input: Vec<f32> = (0..c_in * width * width).map(|_| rng.below(10) as f32).collect();
    let kernels: Vec<f32> = (0..c_out * c_in * f * f).map(|_| rng.below(3) as f32 - 1.0).collect();
    let biases: Vec<f32> = (0..c_out).map(|_| rng.below(5) as f32 - 2.0).collect();
    let output = match size.size {
        Some(o) => {
            let g = ConvGeom { n: 1, c_in, h_in: width, w_in: width, c_out, h_out: o, w_out: o, kernel: f, stride, padding };
            cpu_conv(&input, &kernels, &biases, &g)
        }
        None => Vec::new(),
    };
    let params = conv_params(c_in, c_out, f)?;
    Ok(ChannelLesson { c_in, c_out, size, input, kernels, biases, output, weights: (f * f * c_in * c_out) as u64, bias_count: c_out as u64, params })
}

/// Parameters of one F×F convolution from C_in to C_out channels, as shape inference counts them.
fn conv_params(c_in: usize, c_out: usize, f: usize) -> Result<u64, LessonError> {
    stack_params(&[f], c_in, c_out)
}

/// Parameters of convolutions stacked one after another (the first from c_in channels, the
/// others from c_out), each F×F with stride 1 and padding (F − 1)/2, from `ModelSpec::infer`.
/// The count does not depend on the image size; an image as large as the largest kernel fits.
fn stack_params(kernels: &[usize], c_in: usize, c_out: usize) -> Result<u64, LessonError> {
    let side = kernels.iter().copied().max().unwrap_or(1);
    let spec = ModelSpec {
        name: "lesson".into(),
        input: [c_in, side, side],
        layers: kernels
            .iter()
            .map(|&k| LayerSpec::Conv2d { in_channels: None, out_channels: c_out, kernel: k, stride: 1, padding: (k - 1) / 2, bias: true })
            .collect(),
    };
    // The sizes above always fit; a count too large for u64 cannot arise under the limits.
    Ok(spec.param_count().expect("a stack of same-padded convolutions always fits"))
}

// ---------------------------------------------------------------------------------------------
// Pooling.

/// Max or average pooling of one W×W input by the backend's pooling kernel (no padding).
#[derive(Clone, Debug, PartialEq)]
pub struct PoolLesson {
    pub kind: PoolKind,
    pub size: OutputSize,
    pub input: Vec<f32>,
    /// O×O, empty when the window does not fit.
    pub output: Vec<f32>,
}

/// One pooling window: its values and, for max pooling, which one won.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PoolStep {
    pub y: usize,
    pub x: usize,
    pub top: usize,
    pub left: usize,
    /// F×F values of the window.
    pub window: Vec<f32>,
    /// Max pooling: the index in `window` of the first largest value in reading order (the one
    /// the backward pass sends the gradient to). `None` for average pooling.
    pub winner: Option<usize>,
    /// Σ window (what average pooling divides by F²).
    pub sum: f32,
    /// What the backend's pooling wrote at (y, x).
    pub value: f32,
}

pub fn parse_pool_kind(kind: &str) -> Result<PoolKind, LessonError> {
    match kind {
        "max" => Ok(PoolKind::Max),
        "avg" | "average" => Ok(PoolKind::Avg),
        _ => Err(unknown(text::POOLING, kind, &["max", "avg"])),
    }
}

pub fn pool_lesson(kind: PoolKind, input: &[f32], width: usize, f: usize, stride: usize) -> Result<PoolLesson, LessonError> {
    let size = output_size(width, f, stride, 0)?;
    check_grid(text::INPUT, input, width)?;
    let output = match size.size {
        Some(o) => {
            let b = Cpu::new();
            let g = PoolGeom { n: 1, c: 1, h_in: width, w_in: width, h_out: o, w_out: o, kernel: f, stride, padding: 0 };
            let x = b.upload(&Shape::nchw(1, 1, width, width), input);
            let mut y = b.zeros(&Shape::nchw(1, 1, o, o));
            b.pool2d_forward(kind, &x, &mut y, &g);
            b.read(&y)
        }
        None => Vec::new(),
    };
    Ok(PoolLesson { kind, size, input: input.to_vec(), output })
}

impl PoolLesson {
    pub fn step(&self, y: usize, x: usize) -> Result<PoolStep, LessonError> {
        let s = &self.size;
        let Some(o) = s.size else {
            return Err(LessonError::DoesNotFit { input: s.input, kernel: s.kernel, padding: 0 });
        };
        if y >= o || x >= o {
            return Err(LessonError::NoSuchPosition { y, x, size: o });
        }
        let (f, w) = (s.kernel, s.input);
        let (top, left) = (y * s.stride, x * s.stride);
        let window: Vec<f32> = (0..f * f).map(|k| self.input[(top + k / f) * w + left + k % f]).collect();
        let winner = match self.kind {
            // The first strict maximum, as the backend's backward pass picks it.
            PoolKind::Max => Some((1..window.len()).fold(0, |best, k| if window[k] > window[best] { k } else { best })),
            PoolKind::Avg => None,
        };
        let sum = window.iter().sum();
        Ok(PoolStep { y, x, top, left, window, winner, sum, value: self.output[y * o + x] })
    }
}

// ---------------------------------------------------------------------------------------------
// Receptive field.

/// One layer's share of the receptive field: (F − 1) times the product of the strides before it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RfTerm {
    pub kernel: usize,
    /// Π strides of the layers before this one (1 for the first).
    pub jump: u64,
    /// (F − 1)·jump.
    pub grows: u64,
    /// The receptive field after this layer: 1 + Σ of the terms so far.
    pub field: u64,
}

/// rf = 1 + Σᵢ (Fᵢ − 1)·Πⱼ<ᵢ Sⱼ for layers (Fᵢ, Sᵢ) applied in order, term by term. Each layer
/// widens what one of its outputs sees by F − 1 of its input cells, and one input cell of layer i
/// is Πⱼ<ᵢ Sⱼ cells of the image.
pub fn receptive_field_terms(kernels: &[usize], strides: &[usize]) -> Result<Vec<RfTerm>, LessonError> {
    if kernels.len() != strides.len() {
        return Err(LessonError::Mismatched { kernels: kernels.len(), strides: strides.len() });
    }
    if kernels.is_empty() {
        return Err(LessonError::NoLayers);
    }
    let (mut jump, mut field) = (1u64, 1u64);
    let mut terms = Vec::with_capacity(kernels.len());
    for (&f, &s) in kernels.iter().zip(strides) {
        // Any kernel a network uses (AlexNet's 11, a (2k+1) that matches k stacked 3×3s).
        in_range(text::KERNEL_SIZE, f, 1, 255)?;
        in_range(text::STRIDE, s, 1, MAX_STRIDE)?;
        let grows = (f as u64 - 1).checked_mul(jump).ok_or(LessonError::TooLarge)?;
        field = field.checked_add(grows).ok_or(LessonError::TooLarge)?;
        terms.push(RfTerm { kernel: f, jump, grows, field });
        jump = jump.checked_mul(s as u64).ok_or(LessonError::TooLarge)?;
    }
    Ok(terms)
}

pub fn receptive_field(kernels: &[usize], strides: &[usize]) -> Result<u64, LessonError> {
    Ok(receptive_field_terms(kernels, strides)?.last().map_or(1, |t| t.field))
}

/// k stacked 3×3 convolutions (stride 1) against one (2k+1)×(2k+1) convolution that sees the same
/// region, both from C channels to C channels.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StackComparison {
    pub layers: usize,
    pub channels: usize,
    /// The stack's terms: fields 3, 5, 7, … after each layer.
    pub terms: Vec<RfTerm>,
    /// The stack's receptive field, 2k + 1.
    pub field: u64,
    /// The single kernel with the same field, 2k + 1, and its receptive field (checked equal).
    pub single_kernel: usize,
    pub single_field: u64,
    /// One 3×3 layer: 9C² + C.
    pub layer_params: u64,
    /// k·(9C² + C), from shape inference of the stack.
    pub stacked_params: u64,
    /// (2k+1)²C² + C, from shape inference of the single layer.
    pub single_params: u64,
}

pub fn stack_comparison(layers: usize, channels: usize) -> Result<StackComparison, LessonError> {
    in_range(text::STACK, layers, 1, MAX_STACK)?;
    in_range(text::CHANNELS, channels, 1, MAX_COUNT_CHANNELS)?;
    let stack = vec![3; layers];
    let terms = receptive_field_terms(&stack, &vec![1; layers])?;
    let field = terms.last().map_or(1, |t| t.field);
    let single_kernel = 2 * layers + 1;
    let single_field = receptive_field(&[single_kernel], &[1])?;
    Ok(StackComparison {
        layers,
        channels,
        terms,
        field,
        single_kernel,
        single_field,
        layer_params: stack_params(&[3], channels, channels)?,
        stacked_params: stack_params(&stack, channels, channels)?,
        single_params: stack_params(&[single_kernel], channels, channels)?,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_steps_written_sums_add_up_at_its_decimals() {
        // A blur kernel of ninths: nine products of x/9 rarely add up when each is rounded.
        let input: Vec<f32> = (0..25).map(|i| (i % 7) as f32).collect();
        let lesson = conv_lesson(&input, 5, &[1.0 / 9.0; 9], 3, 1, 0, 0.05).unwrap();
        for (y, x) in (0..3).flat_map(|y| (0..3).map(move |x| (y, x))) {
            let s = lesson.step(y, x).unwrap();
            let unit = 10f64.powi(-(s.written.decimals as i32));
            let units = |v: f64| (v / unit).round();
            let terms: f64 = s.written.terms.iter().map(|&t| units(t)).sum();
            assert_eq!(terms, units(s.written.total), "({y}, {x}): {:?}", s.written);
            assert_eq!(units(s.written.total) + units(s.written_bias), units(s.written_value));
            assert!((s.written_value - s.value as f64).abs() <= 2.0 * unit, "({y}, {x})");
        }
        // Whole numbers are written as they are.
        let whole = conv_lesson(&input, 5, &[1.0, 0.0, -1.0, 1.0, 0.0, -1.0, 1.0, 0.0, -1.0], 3, 1, 0, 1.0).unwrap();
        assert_eq!(whole.step(1, 1).unwrap().written.decimals, 2);
    }

    use super::*;

    #[test]
    fn output_size_is_the_formula_with_its_numbers() {
        // 7×7, 3×3, stride 2, pad 1: (7 − 3 + 2)/2 + 1 = 4, nothing left over.
        let s = output_size(7, 3, 2, 1).unwrap();
        assert_eq!((s.span, s.size, s.unused), (6, Some(4), 0));
        // 7×7, 3×3, stride 3, no padding: floor(4/3) + 1 = 2, one column never reached.
        let s = output_size(7, 3, 3, 0).unwrap();
        assert_eq!((s.span, s.size, s.unused), (4, Some(2), 1));
        // A 5×5 kernel on a 3×3 input without padding does not fit; with padding 1 it does.
        let s = output_size(3, 5, 1, 0).unwrap();
        assert_eq!((s.span, s.size), (-2, None));
        assert_eq!(output_size(3, 5, 1, 1).unwrap().size, Some(1));
        assert!(matches!(output_size(7, 3, 0, 0), Err(LessonError::OutOfRange { what: text::STRIDE, .. })));
        assert!(output_size(0, 3, 1, 0).is_err());
        assert!(output_size(MAX_WIDTH + 1, 3, 1, 0).is_err());
    }

    #[test]
    fn presets_are_the_textbook_grids() {
        let edge = input_preset("edge", 6, 0).unwrap();
        assert_eq!(&edge[..6], &[10.0, 10.0, 10.0, 0.0, 0.0, 0.0]);
        let v = kernel_preset("vertical-edge", 3, 0).unwrap();
        assert_eq!(v, vec![1.0, 0.0, -1.0, 1.0, 0.0, -1.0, 1.0, 0.0, -1.0]);
        let h = kernel_preset("horizontal-edge", 3, 0).unwrap();
        assert_eq!(h, vec![1.0, 1.0, 1.0, 0.0, 0.0, 0.0, -1.0, -1.0, -1.0]);
        assert_eq!(kernel_preset("sharpen", 3, 0).unwrap(), vec![0.0, -1.0, 0.0, -1.0, 5.0, -1.0, 0.0, -1.0, 0.0]);
        assert_eq!(kernel_preset("identity", 3, 0).unwrap(), vec![0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0]);
        assert_eq!(kernel_preset("vertical-edge", 2, 0).unwrap(), vec![1.0, -1.0, 1.0, -1.0]);
        // Sharpen and blur keep the brightness of a flat region at every size: weights add to 1.
        for f in 1..=MAX_KERNEL {
            for name in ["sharpen", "blur", "identity"] {
                let sum: f32 = kernel_preset(name, f, 0).unwrap().iter().sum();
                assert!((sum - 1.0).abs() < 1e-5, "{name} {f}: {sum}");
            }
        }
        let r = input_preset("random", 7, 3).unwrap();
        assert!(r.iter().all(|&v| v == v.round() && (0.0..=9.0).contains(&v)));
        assert_eq!(r, input_preset("random", 7, 3).unwrap());
        assert_ne!(r, input_preset("random", 7, 4).unwrap());
        assert!(matches!(input_preset("stripes", 7, 0), Err(LessonError::UnknownPreset { .. })));
        assert!(matches!(kernel_preset("emboss", 3, 0), Err(LessonError::UnknownPreset { .. })));
    }

    #[test]
    fn the_vertical_edge_kernel_finds_the_edge() {
        // Andrew Ng's example: 6×6 bright-left/dark-right, the vertical-edge kernel, 4×4 output
        // whose middle columns are 30 and the outer ones 0.
        let x = input_preset("edge", 6, 0).unwrap();
        let k = kernel_preset("vertical-edge", 3, 0).unwrap();
        let c = conv_lesson(&x, 6, &k, 3, 1, 0, 0.0).unwrap();
        assert_eq!(c.size.size, Some(4));
        for row in c.output.chunks(4) {
            assert_eq!(row, &[0.0, 30.0, 30.0, 0.0]);
        }
    }

    #[test]
    fn each_step_adds_up_to_what_the_backend_computed() {
        let x = input_preset("random", 7, 11).unwrap();
        let k = kernel_preset("random", 3, 5).unwrap();
        for &(s, p) in &[(1, 0), (2, 1), (3, 2), (2, 0)] {
            let c = conv_lesson(&x, 7, &k, 3, s, p, 0.5).unwrap();
            let o = c.size.size.unwrap();
            assert_eq!(c.output.len(), o * o);
            for y in 0..o {
                for xx in 0..o {
                    let st = c.step(y, xx).unwrap();
                    // Independently: the window read straight from the unpadded input.
                    let mut want = 0.5f32;
                    for u in 0..3 {
                        for v in 0..3 {
                            let (r, col) = ((y * s + u) as i64 - p as i64, (xx * s + v) as i64 - p as i64);
                            if (0..7).contains(&r) && (0..7).contains(&col) {
                                want += x[r as usize * 7 + col as usize] * k[u * 3 + v];
                            }
                        }
                    }
                    assert_eq!(st.sum + st.bias, want, "s={s} p={p} ({y},{xx})");
                    assert!((st.value - want).abs() < 1e-4, "backend {} vs {want}", st.value);
                    assert_eq!(
                        st.padding.iter().filter(|&&b| b).count() == 0,
                        (st.top >= p && st.left >= p && st.top + 3 <= p + 7 && st.left + 3 <= p + 7)
                    );
                }
            }
        }
    }

    #[test]
    fn padding_cells_are_zero_and_marked() {
        let x = vec![1.0; 9];
        let k = vec![1.0; 9];
        let c = conv_lesson(&x, 3, &k, 3, 1, 1, 0.0).unwrap();
        assert_eq!(c.padded.len(), 25);
        let corner = c.step(0, 0).unwrap();
        assert_eq!(corner.padding, vec![true, true, true, true, false, false, true, false, false]);
        assert_eq!(corner.sum, 4.0);
        assert_eq!(c.output, vec![4.0, 6.0, 4.0, 6.0, 9.0, 6.0, 4.0, 6.0, 4.0]);
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        let k = vec![0.0; 9];
        assert!(matches!(conv_lesson(&[0.0; 8], 3, &k, 3, 1, 0, 0.0), Err(LessonError::WrongLength { what: text::INPUT, .. })));
        assert!(matches!(conv_lesson(&[0.0; 9], 3, &k[..4], 3, 1, 0, 0.0), Err(LessonError::WrongLength { what: text::KERNEL, .. })));
        let mut x = vec![0.0; 9];
        x[4] = f32::NAN;
        let e = conv_lesson(&x, 3, &k, 3, 1, 0, 0.0).unwrap_err();
        assert!(matches!(&e, LessonError::NotFinite(NotFinite { index: Some(4), value, .. }) if value.is_nan()), "{e:?}");
        assert_eq!(e.to_string(), "input: value 4 is NaN, not a finite number");
        // A window that does not fit gives no output, and stepping says why.
        let c = conv_lesson(&[0.0; 4], 2, &k, 3, 1, 0, 0.0).unwrap();
        assert!(c.output.is_empty());
        assert!(matches!(c.step(0, 0), Err(LessonError::DoesNotFit { .. })));
        let c = conv_lesson(&[0.0; 9], 3, &k, 3, 1, 0, 0.0).unwrap();
        assert_eq!(c.step(1, 0), Err(LessonError::NoSuchPosition { y: 1, x: 0, size: 1 }));
    }

    #[test]
    fn kernel_depth_is_input_depth_and_each_kernel_makes_one_map() {
        let c = channel_lesson(5, 3, 1, 0, 3, 4, 9).unwrap();
        assert_eq!(c.input.len(), 3 * 25);
        assert_eq!(c.kernels.len(), 4 * 3 * 9);
        assert_eq!(c.output.len(), 4 * 3 * 3);
        assert_eq!((c.weights, c.bias_count, c.params), (3 * 3 * 3 * 4, 4, 3 * 3 * 3 * 4 + 4));
        // Output map k at (0, 0): Σ over the three channels of window · kernel slice, + bias k.
        for k in 0..4 {
            let mut want = c.biases[k];
            for ch in 0..3 {
                for u in 0..3 {
                    for v in 0..3 {
                        want += c.input[ch * 25 + u * 5 + v] * c.kernels[((k * 3 + ch) * 3 + u) * 3 + v];
                    }
                }
            }
            assert_eq!(c.output[k * 9], want, "map {k}");
        }
        // The textbook's counts: a 5×5 conv from 3 to 6 channels has 5·5·3·6 + 6 = 456.
        assert_eq!(channel_lesson(8, 5, 1, 2, 3, 6, 0).unwrap().params, 456);
        assert!(channel_lesson(5, 3, 1, 0, 0, 4, 9).is_err());
    }

    #[test]
    fn pooling_takes_the_max_or_the_mean_of_each_window() {
        #[rustfmt::skip]
        let x = vec![
            1.0, 3.0, 2.0, 0.0,
            5.0, 6.0, 1.0, 2.0,
            7.0, 2.0, 9.0, 9.0,
            0.0, 1.0, 3.0, 4.0,
        ];
        let max = pool_lesson(PoolKind::Max, &x, 4, 2, 2).unwrap();
        assert_eq!(max.output, vec![6.0, 2.0, 7.0, 9.0]);
        let avg = pool_lesson(PoolKind::Avg, &x, 4, 2, 2).unwrap();
        assert_eq!(avg.output, vec![3.75, 1.25, 2.5, 6.25]);
        let st = max.step(1, 1).unwrap();
        assert_eq!((st.top, st.left, st.window.clone()), (2, 2, vec![9.0, 9.0, 3.0, 4.0]));
        // Two nines: the first in reading order wins.
        assert_eq!(st.winner, Some(0));
        assert_eq!(max.step(0, 0).unwrap().winner, Some(3));
        let st = avg.step(0, 1).unwrap();
        assert_eq!((st.winner, st.sum, st.value), (None, 5.0, 1.25));
        // Overlapping 3×3 windows with stride 1 on the same input: floor((4 − 3)/1) + 1 = 2.
        let over = pool_lesson(PoolKind::Max, &x, 4, 3, 1).unwrap();
        assert_eq!(over.output, vec![9.0, 9.0, 9.0, 9.0]);
        assert_eq!(parse_pool_kind("avg"), Ok(PoolKind::Avg));
        assert!(parse_pool_kind("min").is_err());
        assert!(pool_lesson(PoolKind::Max, &x, 4, 5, 1).unwrap().output.is_empty());
    }

    #[test]
    fn receptive_fields_by_hand() {
        // Stacked 3×3 with stride 1: 3, 5, 7, 9.
        let fields: Vec<u64> = receptive_field_terms(&[3, 3, 3, 3], &[1, 1, 1, 1]).unwrap().iter().map(|t| t.field).collect();
        assert_eq!(fields, vec![3, 5, 7, 9]);
        assert_eq!(receptive_field(&[7], &[1]).unwrap(), 7);
        // LeNet-5: conv 5, pool 2/2, conv 5, pool 2/2. Jumps (strides before) 1, 1, 2, 2;
        // terms 4·1, 1·1, 4·2, 1·2 → 1 + 4 + 1 + 8 + 2 = 16.
        assert_eq!(receptive_field(&[5, 2, 5, 2], &[1, 2, 1, 2]).unwrap(), 16);
        // A stride before a layer multiplies what that layer adds: 3/2 then 3/1 → 1 + 2 + 2·2 = 7.
        let t = receptive_field_terms(&[3, 3], &[2, 1]).unwrap();
        assert_eq!((t[1].jump, t[1].grows, t[1].field), (2, 4, 7));
        // The stride of the last layer does not matter.
        assert_eq!(receptive_field(&[3, 3], &[1, 4]).unwrap(), 5);
        assert_eq!(receptive_field(&[], &[]), Err(LessonError::NoLayers));
        assert_eq!(receptive_field(&[3; 40], &[8; 40]), Err(LessonError::TooLarge));
        assert!(matches!(receptive_field(&[3], &[]), Err(LessonError::Mismatched { .. })));
    }

    #[test]
    fn receptive_field_matches_a_convolution_that_sees_it() {
        // Independent check: push a single 1 through k stacked 3×3 all-ones convolutions (stride 1,
        // padding 1) on the backend; the cells of the output it reaches are exactly the ones whose
        // receptive field contains it, a (2k+1)×(2k+1) square.
        let side = 11;
        for k in 1..=4 {
            let mut x = vec![0.0f32; side * side];
            x[5 * side + 5] = 1.0;
            for _ in 0..k {
                let g = ConvGeom { n: 1, c_in: 1, h_in: side, w_in: side, c_out: 1, h_out: side, w_out: side, kernel: 3, stride: 1, padding: 1 };
                x = cpu_conv(&x, &[1.0; 9], &[0.0], &g);
            }
            let reached = x.iter().filter(|&&v| v > 0.0).count() as u64;
            let rf = receptive_field(&vec![3; k], &vec![1; k]).unwrap();
            assert_eq!(reached, rf * rf, "k = {k}");
        }
    }

    #[test]
    fn three_stacked_3x3_see_a_7x7_with_fewer_parameters() {
        let c = stack_comparison(3, 64).unwrap();
        assert_eq!((c.field, c.single_kernel, c.single_field), (7, 7, 7));
        assert_eq!(c.layer_params, 9 * 64 * 64 + 64);
        assert_eq!(c.stacked_params, 3 * (9 * 64 * 64 + 64));
        assert_eq!(c.single_params, 49 * 64 * 64 + 64);
        assert_eq!((c.stacked_params, c.single_params), (110_784, 200_768));
        for k in 1..=MAX_STACK {
            let c = stack_comparison(k, 1).unwrap();
            assert_eq!(c.field, 2 * k as u64 + 1);
            assert_eq!(c.field, c.single_field);
        }
        assert!(stack_comparison(0, 64).is_err());
        assert!(stack_comparison(3, 0).is_err());
    }
}
