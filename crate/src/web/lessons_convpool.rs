//! The chapters "Convolution" and "Pooling" on the page: thin wrappers over
//! `lessons::convpool`, which runs the backend's own convolution and pooling kernels. Results
//! cross as plain objects of the core's types (an `OutputSize`'s `size` is null when the window
//! does not fit).

use wasm_bindgen::prelude::*;

use super::{js_error, to_js};
use crate::lessons::convpool::{self as lesson, ConvLesson, PoolLesson};

/// floor((W − F + 2P)/S) + 1 with its numbers, for one side of a W×W input.
#[wasm_bindgen(js_name = convOutputSize)]
pub fn conv_output_size(input: usize, kernel: usize, stride: usize, padding: usize) -> Result<JsValue, JsValue> {
    Ok(to_js(&lesson::output_size(input, kernel, stride, padding).map_err(js_error)?))
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

    /// The output size worked out (`OutputSize`).
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> JsValue {
        to_js(&self.inner.size)
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

    /// Output (y, x) taken apart (`ConvStep`: the window, the products and their sum as written).
    pub fn step(&self, y: usize, x: usize) -> Result<JsValue, JsValue> {
        Ok(to_js(&self.inner.step(y, x).map_err(js_error)?))
    }
}

/// C_in input channels through C_out kernels of depth C_in (`ChannelLesson`).
#[wasm_bindgen(js_name = channelDemo)]
pub fn channel_demo(width: usize, kernel: usize, stride: usize, padding: usize, c_in: usize, c_out: usize, seed: u32) -> Result<JsValue, JsValue> {
    Ok(to_js(&lesson::channel_lesson(width, kernel, stride, padding, c_in, c_out, seed as u64).map_err(js_error)?))
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
    pub fn size(&self) -> JsValue {
        to_js(&self.inner.size)
    }

    pub fn output(&self) -> Vec<f32> {
        self.inner.output.clone()
    }

    /// Window (y, x) (`PoolStep`: its values, and the max's winner or null).
    pub fn step(&self, y: usize, x: usize) -> Result<JsValue, JsValue> {
        Ok(to_js(&self.inner.step(y, x).map_err(js_error)?))
    }
}

/// rf = 1 + Σ (Fᵢ − 1)·Π strides before i, term by term (`RfTerm`s).
#[wasm_bindgen(js_name = receptiveField)]
pub fn receptive_field(kernels: Vec<usize>, strides: Vec<usize>) -> Result<JsValue, JsValue> {
    Ok(to_js(&lesson::receptive_field_terms(&kernels, &strides).map_err(js_error)?))
}

/// k stacked 3×3 convolutions against one (2k+1)×(2k+1), C channels in and out (`StackComparison`).
#[wasm_bindgen(js_name = stackDemo)]
pub fn stack_demo(layers: usize, channels: usize) -> Result<JsValue, JsValue> {
    Ok(to_js(&lesson::stack_comparison(layers, channels).map_err(js_error)?))
}
