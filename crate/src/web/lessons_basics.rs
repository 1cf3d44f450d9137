//! Bindings of chapters 1, 2 and 4 (neuron, activations, losses): see `lessons::basics`.
//! Every function takes the page's numbers as they are and answers a typed error for anything
//! the core cannot use (an unknown activation, lengths that differ, NaN, a class out of range).

use wasm_bindgen::prelude::*;

use super::js_error;
use crate::lessons::basics;

/// One neuron's arithmetic.
#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug)]
pub struct NeuronOut {
    /// xᵢ·wᵢ for each input.
    pub products: Vec<f32>,
    /// z = Σ xᵢwᵢ + b
    pub z: f32,
    /// a = h(z)
    pub a: f32,
    /// h'(z)
    pub slope: f32,
}

/// a = h(x₁w₁ + … + b) with h named `sigmoid`, `tanh`, `relu` or `leaky-relu`.
#[wasm_bindgen(js_name = neuronForward)]
pub fn neuron_forward(inputs: Vec<f32>, weights: Vec<f32>, bias: f32, activation: &str) -> Result<NeuronOut, JsValue> {
    let kind = basics::parse_activation(activation).map_err(js_error)?;
    let n = basics::neuron(&inputs, &weights, bias, kind).map_err(js_error)?;
    Ok(NeuronOut { products: n.products, z: n.z, a: n.a, slope: n.slope })
}

/// An activation and its derivative at some points.
#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug)]
pub struct ActivationValues {
    pub xs: Vec<f32>,
    /// h(x)
    pub ys: Vec<f32>,
    /// h'(x)
    pub slopes: Vec<f32>,
}

/// h(x) and h'(x) at each x, from the backend's activation forward and backward kernels.
#[wasm_bindgen(js_name = activationValues)]
pub fn activation_values(activation: &str, xs: Vec<f32>) -> Result<ActivationValues, JsValue> {
    let kind = basics::parse_activation(activation).map_err(js_error)?;
    let (ys, slopes) = basics::activation_values(kind, &xs).map_err(js_error)?;
    Ok(ActivationValues { xs, ys, slopes })
}

/// Mean squared error and its gradient.
#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug)]
pub struct MseOut {
    /// mean of (ŷᵢ − yᵢ)²
    pub loss: f32,
    /// 2(ŷᵢ − yᵢ)/n
    pub grad: Vec<f32>,
}

/// MSE of one example's outputs against its targets (`Cpu::mse`).
#[wasm_bindgen(js_name = mseLoss)]
pub fn mse_loss(pred: Vec<f32>, target: Vec<f32>) -> Result<MseOut, JsValue> {
    let m = basics::mse(&pred, &target).map_err(js_error)?;
    Ok(MseOut { loss: m.loss, grad: m.grad })
}

/// Softmax cross-entropy of one row of logits.
#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug)]
pub struct CrossEntropyOut {
    pub probs: Vec<f32>,
    /// −log p[true class]
    pub loss: f32,
    /// p − onehot(true class)
    pub grad: Vec<f32>,
    /// argmax of the logits
    pub predicted: usize,
}

/// Softmax + cross-entropy (`Cpu::softmax_cross_entropy`, the training kernel).
#[wasm_bindgen(js_name = softmaxCrossEntropy)]
pub fn softmax_cross_entropy(logits: Vec<f32>, true_class: usize) -> Result<CrossEntropyOut, JsValue> {
    let ce = basics::softmax_cross_entropy(&logits, true_class).map_err(js_error)?;
    Ok(CrossEntropyOut { probs: ce.probs, loss: ce.loss, grad: ce.grad, predicted: ce.predicted })
}
