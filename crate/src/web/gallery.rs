//! The architecture gallery for the page: each classic network's layer table from the core's
//! shape inference (`model::gallery`), as a plain object of the core's `GalleryTable`.

use wasm_bindgen::prelude::*;

use super::{js_error, to_js};
use crate::model::gallery;

/// The gallery's networks, in the page's order.
#[wasm_bindgen(js_name = galleryNames)]
pub fn gallery_names() -> Vec<String> {
    gallery::NAMES.iter().map(|s| s.to_string()).collect()
}

/// One network's table (`GalleryTable`: rows with depth, kind, name, label, output, claimed,
/// params, macs, status and message).
#[wasm_bindgen]
pub fn gallery(name: &str) -> Result<JsValue, JsValue> {
    Ok(to_js(&gallery::table(name).map_err(js_error)?))
}
