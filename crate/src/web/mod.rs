//! The wasm-bindgen boundary: the only module that knows about JavaScript. It is kept thin —
//! each function converts its arguments, calls the core, and converts the answer back — so
//! everything it shows is computed by the same code the native tests check.
//!
//! Errors the page can cause (an unknown preset, an image of the wrong size) come back as
//! `JsError`, which JavaScript receives as a thrown `Error` with the core's message. A panic is a
//! bug in the core: the panic hook installed by `start` prints its message to the console, and
//! the page shows it instead of freezing.

use wasm_bindgen::prelude::*;

use crate::model::{zoo, ModelSpec};

mod classroom;
mod curves;
mod gallery;
mod lessons_basics;
mod lessons_tiny;
mod lessons_convpool;
mod predictor;
mod training;

pub use classroom::{gradient_norms, Classroom, LossView, ParamView, UpdateView};
pub use curves::{CurveLabels, Curves};
pub use gallery::{gallery, gallery_names, GalleryRow, GalleryTable};
pub use lessons_basics::{activation_values, mse_loss, neuron_forward, softmax_cross_entropy, ActivationValues, CrossEntropyOut, MseOut, NeuronOut};
pub use lessons_tiny::*;
pub use lessons_convpool::{
    channel_demo, conv_input_preset, conv_input_presets, conv_kernel_preset, conv_kernel_presets, conv_output_size, receptive_field, stack_demo,
    ChannelDemo, ConvDemo, ConvStepView, OutputSizeView, PoolDemo, PoolStepView, RfTermView, StackDemo,
};
pub use predictor::{ConvParts, LayerView, Predictor};
pub use training::{EvalReport, RunReport, Training};

/// Runs once when the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The core's version, shown in the page footer.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Names of the preset networks, in the order the page lists them.
#[wasm_bindgen]
pub fn presets() -> Vec<String> {
    zoo::PRESETS.iter().map(|s| s.to_string()).collect()
}

pub(crate) fn preset(name: &str) -> Result<ModelSpec, JsError> {
    zoo::preset(name).ok_or_else(|| JsError::new(&format!("unknown preset '{name}'; the presets are: {}", zoo::PRESETS.join(", "))))
}

/// One row of a layer table: what shape inference found for one layer.
#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug)]
pub struct LayerRow {
    /// 0-based position in the network.
    pub index: usize,
    /// "Conv2d 6@5×5, pad 2", as a textbook table writes it.
    pub label: String,
    /// "(N, 6, 28, 28)": the batch is written as N.
    pub output: String,
    /// Counts are f64 for JavaScript: exact up to 2^53, where a u64 would arrive as a BigInt.
    pub params: f64,
    /// Multiply-accumulates per example.
    pub macs: f64,
}

/// A network's layer table with its totals.
#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug)]
pub struct LayerTable {
    pub name: String,
    /// "(N, 1, 28, 28)"
    pub input: String,
    pub rows: Vec<LayerRow>,
    #[wasm_bindgen(js_name = totalParams)]
    pub total_params: f64,
    #[wasm_bindgen(js_name = totalMacs)]
    pub total_macs: f64,
}

/// The layer table of a preset: each layer's output shape, parameters and MACs, from
/// `ModelSpec::infer`.
#[wasm_bindgen(js_name = layerTable)]
pub fn layer_table(preset_name: &str) -> Result<LayerTable, JsError> {
    let spec = preset(preset_name)?;
    let infos = spec.infer()?;
    let rows: Vec<LayerRow> = infos
        .iter()
        .map(|l| LayerRow { index: l.index, label: l.label.clone(), output: l.output.to_string(), params: l.params as f64, macs: l.macs as f64 })
        .collect();
    Ok(LayerTable {
        name: spec.name.clone(),
        input: spec.input_shape(0).to_string(),
        total_params: rows.iter().map(|r| r.params).sum(),
        total_macs: rows.iter().map(|r| r.macs).sum(),
        rows,
    })
}

/// The 28×28 image a digit network sees for a drawing: `rgba` is the pad's pixels
/// (`getImageData`, ink in the alpha channel), `width`×`height`. MNIST's own preprocessing (see
/// `digit.rs`). `undefined` for an empty pad.
#[wasm_bindgen]
pub fn preprocess(rgba: &[u8], width: usize, height: usize) -> Result<Option<Vec<f32>>, JsError> {
    let want = width.checked_mul(height).and_then(|p| p.checked_mul(4));
    if want != Some(rgba.len()) || width == 0 || height == 0 {
        return Err(JsError::new(&format!("a {width}×{height} RGBA image has {} bytes, not {}", width * height * 4, rgba.len())));
    }
    Ok(crate::digit::preprocess(&crate::digit::ink_from_rgba(rgba), width, height))
}

/// A JavaScript `Error` carrying `err`'s message.
pub(crate) fn js_error(err: impl std::fmt::Display) -> JsError {
    JsError::new(&err.to_string())
}
