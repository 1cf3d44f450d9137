//! The training lab's confusion matrix (`confusion::Predictions`): the test set's labels and
//! probabilities checked once, then its matrix, a cell's examples and the surest mistakes as
//! plain objects (`Confusion`, `Example[]`).

use wasm_bindgen::prelude::*;

use super::{js_error, to_js};
use crate::confusion;

/// A test set's predictions: `new Predictions(labels: Uint8Array, probs: Float32Array, k)`,
/// probs N × K row-major. A length, label or probability that does not fit is a thrown error
/// carrying its sentence.
#[wasm_bindgen]
pub struct Predictions {
    inner: confusion::Predictions,
}

#[wasm_bindgen]
impl Predictions {
    #[wasm_bindgen(constructor)]
    pub fn new(labels: Vec<u8>, probabilities: Vec<f32>, classes: usize) -> Result<Predictions, JsValue> {
        Ok(Predictions { inner: confusion::Predictions::new(labels, probabilities, classes).map_err(js_error)? })
    }

    /// `{ classes, counts, rowTotals, recall, total, correct, accuracy }`, counts K×K with row =
    /// true class.
    pub fn confusion(&self) -> JsValue {
        to_js(&self.inner.confusion())
    }

    /// The examples of true class `r` predicted as `c`, most confident first, at most `limit`:
    /// `[{ index, label, predicted, confidence, probabilities }]`.
    pub fn cell(&self, r: usize, c: usize, limit: usize) -> JsValue {
        to_js(&self.inner.cell(r, c, limit))
    }

    /// The wrong predictions with the highest probability on the predicted class, at most `limit`.
    pub fn mistakes(&self, limit: usize) -> JsValue {
        to_js(&self.inner.confident_mistakes(limit))
    }
}

/// One call for a demo or a test: `{ confusion, mistakes }` of labels and probabilities.
#[wasm_bindgen(js_name = confusionOf)]
pub fn confusion_of(labels: Vec<u8>, probabilities: Vec<f32>, classes: usize, mistakes: usize) -> Result<JsValue, JsValue> {
    let p = confusion::Predictions::new(labels, probabilities, classes).map_err(js_error)?;
    #[derive(serde::Serialize)]
    struct Both {
        confusion: confusion::Confusion,
        mistakes: Vec<confusion::Example>,
    }
    Ok(to_js(&Both { confusion: p.confusion(), mistakes: p.confident_mistakes(mistakes) }))
}
