//! Bindings of the chapter "Regression losses": see `lessons::regression`, whose results cross as
//! plain objects. A β that is not a number above 0, an outlier outside the plot or an error d that
//! is not a number is a typed error.

use wasm_bindgen::prelude::*;

use super::{js_error, to_js};
use crate::lessons::regression;

/// The lesson's fixed numbers: { points, outlier_start, x_range, y_range, steps, learning_rate, default_beta }.
#[wasm_bindgen(js_name = regressionSetup)]
pub fn regression_setup() -> JsValue {
    to_js(&regression::setup())
}

/// ℓ(d) and ℓ'(d) of MSE, L1 and smooth L1 (β = `beta`) at each d: [{ loss: { kind, beta? }, values, slopes }].
#[wasm_bindgen(js_name = regressionCurves)]
pub fn regression_curves(beta: f32, ds: Vec<f32>) -> Result<JsValue, JsValue> {
    Ok(to_js(&regression::curves(beta, &ds).map_err(js_error)?))
}

/// The lines MSE, L1 and smooth L1 fit to the lesson's points with the outlier at (x, y):
/// { points, fits: [{ loss, w, b, value }] }.
#[wasm_bindgen(js_name = regressionFit)]
pub fn regression_fit(outlier_x: f32, outlier_y: f32, beta: f32) -> Result<JsValue, JsValue> {
    Ok(to_js(&regression::fit([outlier_x, outlier_y], beta).map_err(js_error)?))
}
