//! The optimizers and validation chapters (`lessons::optimizers`, `lessons::kfold`) for the page:
//! settings in, the core's plain objects out.

use wasm_bindgen::prelude::*;

use super::{js_error, to_js};
use crate::lessons::{kfold, optimizers};

/// SGD, momentum and Adam from the surface's start, `steps` steps each (`optimizers::Race`:
/// surface, start, view, paths of { optimizer, points, losses }).
#[wasm_bindgen(js_name = optimizerRace)]
pub fn optimizer_race(surface: &str, lr: f32, momentum: f32, beta1: f32, beta2: f32, steps: usize) -> Result<JsValue, JsValue> {
    let s = optimizers::Settings { lr, momentum, beta1, beta2 };
    Ok(to_js(&optimizers::race_checked(surface, s, steps).map_err(js_error)?))
}

/// The surface's loss on a cols × rows grid over its view, rows from the top.
#[wasm_bindgen(js_name = optimizerSurface)]
pub fn optimizer_surface(surface: &str, cols: usize, rows: usize) -> Result<Vec<f32>, JsValue> {
    optimizers::grid_checked(surface, cols, rows).map_err(js_error)
}

/// k-fold cross-validation on the chapter's 120 points (`kfold::CrossValidation`).
#[wasm_bindgen(js_name = crossValidate)]
pub fn cross_validate(k: usize) -> JsValue {
    to_js(&kfold::cross_validate(k, kfold::SEED))
}
