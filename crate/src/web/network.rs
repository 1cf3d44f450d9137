//! The learner's own network for the page's editor (`model::own`): the table of the code as it
//! stands, and a fresh model file of it to train.

use wasm_bindgen::prelude::*;

use super::{js_error, to_js};
use crate::model::own;

/// The editor's view of `code` for an input written "C, H, W" (`own::EditorView`: the rows with
/// their lines, the totals, the code's error, why it cannot be trained on the digits).
#[wasm_bindgen(js_name = readNetwork)]
pub fn read_network(code: &str, input: &str) -> JsValue {
    to_js(&own::view(code, input))
}

/// A model file of the network in `code` for the digits, its weights drawn fresh with `init`
/// (xavier, he, gaussian:σ, uniform:a) from `seed`.
#[wasm_bindgen(js_name = networkFile)]
pub fn network_file(code: &str, init: &str, seed: u32) -> Result<Vec<u8>, JsValue> {
    let init = crate::check::init(init).map_err(js_error)?;
    own::fresh_file(code, init, seed as u64).map_err(js_error)
}

/// A fresh model file of a preset network for the digits (the page's benchmark trains the
/// residual preset of the degradation experiment through the page's own loop).
#[wasm_bindgen(js_name = presetFile)]
pub fn preset_file(name: &str, init: &str, seed: u32) -> Result<Vec<u8>, JsValue> {
    let init = crate::check::init(init).map_err(js_error)?;
    own::spec_file(super::preset(name)?, init, seed as u64).map_err(js_error)
}
