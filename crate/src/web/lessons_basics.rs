//! Bindings of chapters 1, 2 and 4 (neuron, activations, losses): see `lessons::basics`, whose
//! results cross as plain objects. Every function answers a typed error for anything the core
//! cannot use (an unknown activation, lengths that differ, NaN, a class out of range).

use wasm_bindgen::prelude::*;

use super::{js_error, to_js};
use crate::lessons::basics;

/// a = h(x₁w₁ + … + b) with h named `sigmoid`, `tanh`, `relu` or `leaky-relu`: { products, z, a, slope }.
#[wasm_bindgen(js_name = neuronForward)]
pub fn neuron_forward(inputs: Vec<f32>, weights: Vec<f32>, bias: f32, activation: &str) -> Result<JsValue, JsValue> {
    let kind = basics::parse_activation(activation).map_err(js_error)?;
    Ok(to_js(&basics::neuron(&inputs, &weights, bias, kind).map_err(js_error)?))
}

/// h(x) and h'(x) at each x, from the backend's activation kernels: { xs, ys, slopes }.
#[wasm_bindgen(js_name = activationValues)]
pub fn activation_values(activation: &str, xs: Vec<f32>) -> Result<JsValue, JsValue> {
    let kind = basics::parse_activation(activation).map_err(js_error)?;
    Ok(to_js(&basics::activation_curve(kind, &xs).map_err(js_error)?))
}

/// MSE of one example's outputs against its targets (`Cpu::regression_loss_forward`/`_backward`): { loss, grad }.
#[wasm_bindgen(js_name = mseLoss)]
pub fn mse_loss(pred: Vec<f32>, target: Vec<f32>) -> Result<JsValue, JsValue> {
    Ok(to_js(&basics::mse(&pred, &target).map_err(js_error)?))
}

/// Softmax + cross-entropy (the training kernel): { probs, loss, grad, predicted }.
#[wasm_bindgen(js_name = softmaxCrossEntropy)]
pub fn softmax_cross_entropy(logits: Vec<f32>, true_class: usize) -> Result<JsValue, JsValue> {
    Ok(to_js(&basics::softmax_cross_entropy(&logits, true_class).map_err(js_error)?))
}
