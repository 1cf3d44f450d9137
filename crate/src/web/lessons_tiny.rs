//! The 2-2-1 network of chapters 3 and 5 (`lessons::tiny`) for the page: parameters travel as a
//! `Float32Array` of 9 values in the order w₁₁, w₁₂, w₁₃, w₁₄, w₂₁, w₂₂, b₁, b₂, b₃; results
//! cross as plain objects of the core's types.

use wasm_bindgen::prelude::*;

use super::{js_error, to_js};
use crate::lessons::tiny;

/// The parameter names in the order of every parameter array.
#[wasm_bindgen(js_name = tinyParamNames)]
pub fn tiny_param_names() -> Vec<String> {
    tiny::PARAM_NAMES.iter().map(|s| s.to_string()).collect()
}

/// The lessons' starting parameters.
#[wasm_bindgen(js_name = tinyDefaultParams)]
pub fn tiny_default_params() -> Vec<f32> {
    tiny::DEFAULT_PARAMS.to_vec()
}

/// The lessons' example: [x₁, x₂, y].
#[wasm_bindgen(js_name = tinyDefaultExample)]
pub fn tiny_default_example() -> Vec<f32> {
    vec![tiny::DEFAULT_X[0], tiny::DEFAULT_X[1], tiny::DEFAULT_Y]
}

/// The forward pass (`tiny::Forward`: x, z1, z2, a11, a12, z3, a21).
#[wasm_bindgen(js_name = tinyForward)]
pub fn tiny_forward(params: &[f32], x1: f32, x2: f32) -> Result<JsValue, JsValue> {
    Ok(to_js(&tiny::forward_checked(params, [x1, x2]).map_err(js_error)?))
}

/// One step of gradient descent on (x₁, x₂, y) with learning rate `lr` (`tiny::Step`).
#[wasm_bindgen(js_name = tinyStep)]
pub fn tiny_step(params: &[f32], x1: f32, x2: f32, y: f32, lr: f32) -> Result<JsValue, JsValue> {
    Ok(to_js(&tiny::step_checked(params, [x1, x2], y, lr).map_err(js_error)?))
}

/// The learning-rate demo: three rates from the default start, `steps` steps each (`tiny::Curve`s).
#[wasm_bindgen(js_name = tinyLearningRateDemo)]
pub fn tiny_learning_rate_demo(steps: usize) -> JsValue {
    to_js(&tiny::learning_rate_curves(steps))
}

/// The batch demo: full batch, mini-batch and single example for `epochs` epochs.
#[wasm_bindgen(js_name = tinyBatchDemo)]
pub fn tiny_batch_demo(epochs: usize) -> JsValue {
    to_js(&tiny::batch_curves(epochs))
}

/// The batch demo's dataset as [x₁, x₂, y, x₁, x₂, y, …] (8 examples).
#[wasm_bindgen(js_name = tinyDataset)]
pub fn tiny_dataset() -> Vec<f32> {
    tiny::xor_dataset(tiny::BATCH_DATA_SEED).iter().flat_map(|e| [e.x[0], e.x[1], e.y]).collect()
}

/// The demos' fixed settings: [steps of the learning-rate demo, epochs of the batch demo].
#[wasm_bindgen(js_name = tinyDemoLengths)]
pub fn tiny_demo_lengths() -> Vec<usize> {
    vec![tiny::DEMO_STEPS, tiny::BATCH_EPOCHS]
}

/// The learning rate the batch demo uses for all three ways.
#[wasm_bindgen(js_name = tinyBatchLearningRate)]
pub fn tiny_batch_learning_rate() -> f32 {
    tiny::BATCH_LR
}
