//! The chapter "init" (`lessons::init`) for the page: the 2-2-1 network's equal or random start
//! and its steps, and the deep network's activations per layer.

use wasm_bindgen::prelude::*;

use super::{js_error, to_js};
use crate::lessons::init;

/// The 2-2-1 network's start: every weight equal and biases 0, or (`random`) Xavier from the
/// lesson's seed; 9 values in the tiny lesson's order.
#[wasm_bindgen(js_name = initTinyStart)]
pub fn init_tiny_start(random: bool) -> Vec<f32> {
    let start = if random { init::Start::Random { seed: init::RANDOM_SEED } } else { init::Start::Equal };
    init::tiny_start(start).to_vec()
}

/// One full-batch SGD step on the 24 points of the batches chapter, the two hidden units side by
/// side (`init::SymmetryStep`).
#[wasm_bindgen(js_name = initTinyStep)]
pub fn init_tiny_step(params: &[f32], lr: f32) -> Result<JsValue, JsValue> {
    Ok(to_js(&init::symmetry_step(params, lr).map_err(js_error)?))
}

/// The symmetry demo's learning rate.
#[wasm_bindgen(js_name = initTinyLearningRate)]
pub fn init_tiny_learning_rate() -> f32 {
    init::SYMMETRY_LR
}

/// The deep network's activations, layer by layer (`init::DeepRun`), for an initialisation
/// (`gaussian:0.01`, `xavier`, `he`, …) and an activation (`sigmoid`, `tanh`, `relu`).
#[wasm_bindgen(js_name = initDeepActivations)]
pub fn init_deep_activations(init_name: &str, activation: &str) -> Result<JsValue, JsValue> {
    Ok(to_js(&init::deep_activations(init_name, activation).map_err(js_error)?))
}
