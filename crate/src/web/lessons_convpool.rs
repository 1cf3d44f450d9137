//! The chapters "Convolution" and "Pooling" on the page: thin wrappers over
//! `lessons::convpool`, which runs the backend's own convolution and pooling kernels. Counts
//! arrive in JavaScript as f64 (exact to 2^53), flags as 0/1 bytes.

use wasm_bindgen::prelude::*;

use super::js_error;
use crate::lessons::convpool::{self as lesson, ConvLesson, OutputSize, PoolLesson, RfTerm};

/// floor((W − F + 2P)/S) + 1 with its numbers.
#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug)]
pub struct OutputSizeView {
    pub input: usize,
    pub kernel: usize,
    pub stride: usize,
    pub padding: usize,
    /// W − F + 2P (negative when the window does not fit).
    pub span: f64,
    /// Whether the window fits the padded input at all.
    pub fits: bool,
    /// The output side; 0 when the window does not fit.
    pub size: usize,
    /// Rows/columns of the padded input no window reaches (span mod S).
    pub unused: usize,
}

impl From<&OutputSize> for OutputSizeView {
    fn from(s: &OutputSize) -> Self {
        OutputSizeView {
            input: s.input,
            kernel: s.kernel,
            stride: s.stride,
            padding: s.padding,
            span: s.span as f64,
            fits: s.size.is_some(),
            size: s.size.unwrap_or(0),
            unused: s.unused,
        }
    }
}

/// The output size for one side of a W×W input, an F×F window, stride S and padding P.
#[wasm_bindgen(js_name = convOutputSize)]
pub fn conv_output_size(input: usize, kernel: usize, stride: usize, padding: usize) -> Result<OutputSizeView, JsValue> {
    Ok((&lesson::output_size(input, kernel, stride, padding).map_err(js_error)?).into())
}

/// Names of the input presets (edge, square, diagonal, random).
#[wasm_bindgen(js_name = convInputPresets)]
pub fn conv_input_presets() -> Vec<String> {
    lesson::INPUT_PRESETS.iter().map(|s| s.to_string()).collect()
}

/// Names of the kernel presets (vertical-edge, horizontal-edge, blur, sharpen, identity, random).
#[wasm_bindgen(js_name = convKernelPresets)]
pub fn conv_kernel_presets() -> Vec<String> {
    lesson::KERNEL_PRESETS.iter().map(|s| s.to_string()).collect()
}

/// A width×width input grid, row-major; `seed` picks the random one.
#[wasm_bindgen(js_name = convInputPreset)]
pub fn conv_input_preset(name: &str, width: usize, seed: u32) -> Result<Vec<f32>, JsValue> {
    lesson::input_preset(name, width, seed as u64).map_err(js_error)
}

/// An F×F kernel, row-major; `seed` picks the random one.
#[wasm_bindgen(js_name = convKernelPreset)]
pub fn conv_kernel_preset(name: &str, kernel: usize, seed: u32) -> Result<Vec<f32>, JsValue> {
    lesson::kernel_preset(name, kernel, seed as u64).map_err(js_error)
}

/// One output position of the convolution taken apart.
#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug)]
pub struct ConvStepView {
    pub y: usize,
    pub x: usize,
    /// Top-left cell of the window, in padded coordinates.
    pub top: usize,
    pub left: usize,
    /// F×F values under the kernel.
    pub window: Vec<f32>,
    /// 1 where the window cell is padding.
    pub padding: Vec<u8>,
    pub products: Vec<f32>,
    pub sum: f32,
    pub bias: f32,
    /// What the backend's convolution computed here.
    pub value: f32,
    /// The products, their sum, the bias and the value as the page writes them, at `decimals`
    /// (at most): the written products add up to the written sum, and sum + bias to the value.
    #[wasm_bindgen(js_name = writtenProducts)]
    pub written_products: Vec<f64>,
    #[wasm_bindgen(js_name = writtenSum)]
    pub written_sum: f64,
    #[wasm_bindgen(js_name = writtenBias)]
    pub written_bias: f64,
    #[wasm_bindgen(js_name = writtenValue)]
    pub written_value: f64,
    pub decimals: usize,
}

/// One input channel, one kernel, stride, padding and bias, convolved by the CPU backend.
#[wasm_bindgen]
pub struct ConvDemo {
    inner: ConvLesson,
}

#[wasm_bindgen]
impl ConvDemo {
    /// `input` is width×width and `kernel` F×F, both row-major.
    pub fn compute(input: &[f32], width: usize, kernel: &[f32], f: usize, stride: usize, padding: usize, bias: f32) -> Result<ConvDemo, JsValue> {
        Ok(ConvDemo { inner: lesson::conv_lesson(input, width, kernel, f, stride, padding, bias).map_err(js_error)? })
    }

    #[wasm_bindgen(getter)]
    pub fn size(&self) -> OutputSizeView {
        (&self.inner.size).into()
    }

    /// O×O output, row-major; empty when the window does not fit.
    pub fn output(&self) -> Vec<f32> {
        self.inner.output.clone()
    }

    /// The input with its border of P zeros, (W+2P)×(W+2P).
    pub fn padded(&self) -> Vec<f32> {
        self.inner.padded.clone()
    }

    #[wasm_bindgen(getter, js_name = paddedWidth)]
    pub fn padded_width(&self) -> usize {
        self.inner.padded_width()
    }

    pub fn step(&self, y: usize, x: usize) -> Result<ConvStepView, JsValue> {
        let s = self.inner.step(y, x).map_err(js_error)?;
        Ok(ConvStepView {
            y: s.y,
            x: s.x,
            top: s.top,
            left: s.left,
            window: s.window,
            padding: s.padding.iter().map(|&p| u8::from(p)).collect(),
            products: s.products,
            sum: s.sum,
            bias: s.bias,
            value: s.value,
            decimals: s.written.decimals,
            written_sum: s.written.total,
            written_products: s.written.terms,
            written_bias: s.written_bias,
            written_value: s.written_value,
        })
    }
}

/// C_in input channels through C_out kernels of depth C_in (random small integers), by the CPU
/// backend, with the parameter count from shape inference.
#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug)]
pub struct ChannelDemo {
    #[wasm_bindgen(js_name = cIn)]
    pub c_in: usize,
    #[wasm_bindgen(js_name = cOut)]
    pub c_out: usize,
    pub width: usize,
    pub kernel: usize,
    /// Whether the window fits, and the output side (0 when it does not).
    pub fits: bool,
    #[wasm_bindgen(js_name = outSize)]
    pub out_size: usize,
    /// (C_in, W, W)
    pub input: Vec<f32>,
    /// (C_out, C_in, F, F)
    pub kernels: Vec<f32>,
    pub biases: Vec<f32>,
    /// (C_out, O, O); empty when the window does not fit.
    pub output: Vec<f32>,
    /// F·F·C_in·C_out
    pub weights: f64,
    /// C_out
    #[wasm_bindgen(js_name = biasCount)]
    pub bias_count: f64,
    pub params: f64,
}

#[wasm_bindgen(js_name = channelDemo)]
pub fn channel_demo(
    width: usize,
    kernel: usize,
    stride: usize,
    padding: usize,
    c_in: usize,
    c_out: usize,
    seed: u32,
) -> Result<ChannelDemo, JsValue> {
    let c = lesson::channel_lesson(width, kernel, stride, padding, c_in, c_out, seed as u64).map_err(js_error)?;
    Ok(ChannelDemo {
        c_in: c.c_in,
        c_out: c.c_out,
        width,
        kernel,
        fits: c.size.size.is_some(),
        out_size: c.size.size.unwrap_or(0),
        input: c.input,
        kernels: c.kernels,
        biases: c.biases,
        output: c.output,
        weights: c.weights as f64,
        bias_count: c.bias_count as f64,
        params: c.params as f64,
    })
}

/// One window of the pooling, with the max's winner.
#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug)]
pub struct PoolStepView {
    pub y: usize,
    pub x: usize,
    pub top: usize,
    pub left: usize,
    pub window: Vec<f32>,
    /// Index in `window` of the value max pooling kept; -1 for average pooling.
    pub winner: i32,
    pub sum: f32,
    pub value: f32,
}

/// Max or average pooling (no padding) by the CPU backend's pooling kernel.
#[wasm_bindgen]
pub struct PoolDemo {
    inner: PoolLesson,
}

#[wasm_bindgen]
impl PoolDemo {
    /// `kind` is "max" or "avg"; `input` is width×width, row-major.
    pub fn compute(kind: &str, input: &[f32], width: usize, f: usize, stride: usize) -> Result<PoolDemo, JsValue> {
        let kind = lesson::parse_pool_kind(kind).map_err(js_error)?;
        Ok(PoolDemo { inner: lesson::pool_lesson(kind, input, width, f, stride).map_err(js_error)? })
    }

    #[wasm_bindgen(getter)]
    pub fn size(&self) -> OutputSizeView {
        (&self.inner.size).into()
    }

    pub fn output(&self) -> Vec<f32> {
        self.inner.output.clone()
    }

    pub fn step(&self, y: usize, x: usize) -> Result<PoolStepView, JsValue> {
        let s = self.inner.step(y, x).map_err(js_error)?;
        Ok(PoolStepView {
            y: s.y,
            x: s.x,
            top: s.top,
            left: s.left,
            window: s.window,
            winner: s.winner.map_or(-1, |w| w as i32),
            sum: s.sum,
            value: s.value,
        })
    }
}

/// One layer's share of a receptive field: (F − 1)·jump, and the field after it.
#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug)]
pub struct RfTermView {
    pub kernel: usize,
    /// Product of the strides before this layer.
    pub jump: f64,
    pub grows: f64,
    pub field: f64,
}

impl From<&RfTerm> for RfTermView {
    fn from(t: &RfTerm) -> Self {
        RfTermView { kernel: t.kernel, jump: t.jump as f64, grows: t.grows as f64, field: t.field as f64 }
    }
}

/// rf = 1 + Σ (Fᵢ − 1)·Π strides before i, term by term, for layers (kernels[i], strides[i]).
#[wasm_bindgen(js_name = receptiveField)]
pub fn receptive_field(kernels: Vec<usize>, strides: Vec<usize>) -> Result<Vec<RfTermView>, JsValue> {
    Ok(lesson::receptive_field_terms(&kernels, &strides).map_err(js_error)?.iter().map(RfTermView::from).collect())
}

/// k stacked 3×3 convolutions against one (2k+1)×(2k+1), C channels in and out.
#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug)]
pub struct StackDemo {
    pub layers: usize,
    pub channels: usize,
    pub terms: Vec<RfTermView>,
    pub field: f64,
    #[wasm_bindgen(js_name = singleKernel)]
    pub single_kernel: usize,
    #[wasm_bindgen(js_name = singleField)]
    pub single_field: f64,
    /// 9C² + C
    #[wasm_bindgen(js_name = layerParams)]
    pub layer_params: f64,
    #[wasm_bindgen(js_name = stackedParams)]
    pub stacked_params: f64,
    #[wasm_bindgen(js_name = singleParams)]
    pub single_params: f64,
}

#[wasm_bindgen(js_name = stackDemo)]
pub fn stack_demo(layers: usize, channels: usize) -> Result<StackDemo, JsValue> {
    let c = lesson::stack_comparison(layers, channels).map_err(js_error)?;
    Ok(StackDemo {
        layers: c.layers,
        channels: c.channels,
        terms: c.terms.iter().map(RfTermView::from).collect(),
        field: c.field as f64,
        single_kernel: c.single_kernel,
        single_field: c.single_field as f64,
        layer_params: c.layer_params as f64,
        stacked_params: c.stacked_params as f64,
        single_params: c.single_params as f64,
    })
}
