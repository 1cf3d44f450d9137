//! The chapters "Batch normalisation" and "Dropout" on the page: thin wrappers over
//! `lessons::normdrop`, which runs the CPU backend's batch-norm and dropout kernels.

use wasm_bindgen::prelude::*;

use super::{js_error, to_js};
use crate::lessons::normdrop as lesson;

/// One batch of conv activations before and after batch norm, in both modes (`BatchNormView`):
/// γ, β, the running statistics after `steps` training steps with `momentum`, `bins` bins.
#[wasm_bindgen(js_name = batchNormDemo)]
pub fn batch_norm_demo(gamma: f32, beta: f32, momentum: f32, steps: usize, bins: usize) -> Result<JsValue, JsValue> {
    Ok(to_js(&lesson::batchnorm_lesson(gamma, beta, momentum, steps, bins).map_err(js_error)?))
}

/// A row of `units` units through dropout with rate `p` at step `step` (`DropoutView`).
#[wasm_bindgen(js_name = dropoutDemo)]
pub fn dropout_demo(units: usize, p: f32, step: usize, train: bool) -> Result<JsValue, JsValue> {
    Ok(to_js(&lesson::dropout_lesson(units, p, step, train).map_err(js_error)?))
}

/// The plain 20-layer network with and without its batch norms, as JSON for `Training.buildSpec`.
#[wasm_bindgen(js_name = batchNormRunSpecs)]
pub fn batch_norm_run_specs() -> Vec<String> {
    lesson::deep_pair().iter().map(|s| serde_json::to_string(s).expect("a spec serialises")).collect()
}
