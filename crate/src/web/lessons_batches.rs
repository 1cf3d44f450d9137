//! The chapter "batches" (`lessons::batches`) for the page: the training set, each epoch's
//! shuffled batches, one update on a batch, and the full-batch / mini-batch / single-example
//! comparison.

use wasm_bindgen::prelude::*;

use super::{js_error, to_js};
use crate::lessons::batches;

/// The training set as [x₁, x₂, y, x₁, x₂, y, …] (`batches::N` examples).
#[wasm_bindgen(js_name = batchesDataset)]
pub fn batches_dataset() -> Vec<f32> {
    batches::dataset().iter().flat_map(|e| [e.x[0], e.x[1], e.y]).collect()
}

/// The strip's settings: { n, lr, sizes, epochs } (sizes: the batch sizes it offers; epochs:
/// those of the comparison).
#[wasm_bindgen(js_name = batchesSettings)]
pub fn batches_settings() -> JsValue {
    #[derive(serde::Serialize)]
    struct Settings {
        n: usize,
        lr: f32,
        sizes: Vec<usize>,
        compare: Vec<usize>,
        epochs: usize,
    }
    to_js(&Settings { n: batches::N, lr: batches::LR, sizes: batches::STRIP_SIZES.to_vec(), compare: batches::COMPARE_SIZES.to_vec(), epochs: batches::EPOCHS })
}

/// The batches of epoch `epoch` (0 first) for batch size `batch`: an array of index arrays.
#[wasm_bindgen(js_name = batchesEpoch)]
pub fn batches_epoch(batch: usize, epoch: usize) -> Result<JsValue, JsValue> {
    Ok(to_js(&batches::epoch_order_checked(batch, epoch).map_err(js_error)?))
}

/// One update on the examples `indices` (`batches::BatchStep`).
#[wasm_bindgen(js_name = batchesStep)]
pub fn batches_step(params: &[f32], indices: &[u32], lr: f32) -> Result<JsValue, JsValue> {
    let indices: Vec<usize> = indices.iter().map(|&i| i as usize).collect();
    Ok(to_js(&batches::batch_step_checked(params, &indices, lr).map_err(js_error)?))
}

/// Full batch, mini-batch and single example for `epochs` epochs (`batches::Run`s).
#[wasm_bindgen(js_name = batchesCompare)]
pub fn batches_compare(epochs: usize) -> JsValue {
    to_js(&batches::compare(epochs))
}
