//! The learner's drawings as a dataset: written as an IDX pair (`data::pair::to_idx`) for the
//! training lab's "Export as IDX", the two files `cnn train --train-images/--train-labels` reads.

use wasm_bindgen::prelude::*;

use super::js_error;
use crate::data::pair;

/// `images`: 28×28 images in [0, 1], one after another; `labels`: one digit 0…9 per image.
/// Returns `{ images: Uint8Array, labels: Uint8Array }`, the bytes of `…-images-idx3-ubyte` and
/// `…-labels-idx1-ubyte`. Lengths that disagree, a label over 9 or a pixel outside [0, 1] throw
/// an `Error` with the sentence as `key`/`args` (`pair.*`).
#[wasm_bindgen(js_name = idxPair)]
pub fn idx_pair(images: &[f32], labels: &[u8]) -> Result<JsValue, JsValue> {
    let pair = pair::to_idx(images, labels).map_err(js_error)?;
    let out = js_sys::Object::new();
    // Setting a field on an object we just made cannot fail.
    let _ = js_sys::Reflect::set(&out, &"images".into(), &js_sys::Uint8Array::from(&pair.images[..]));
    let _ = js_sys::Reflect::set(&out, &"labels".into(), &js_sys::Uint8Array::from(&pair.labels[..]));
    Ok(out.into())
}
