//! The architecture gallery for the page: each classic network's layer table from the core's
//! shape inference (`model::gallery`), as a plain object of the core's `GalleryTable`.

use wasm_bindgen::prelude::*;

use super::{js_error, to_js};
use crate::model::{gallery, gallery_notes};

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

/// The paper's AlexNet with its convolutions split into `groups` (2: its two GPUs; 1: none), as
/// a `GalleryTable`.
#[wasm_bindgen(js_name = galleryAlexnetPaper)]
pub fn gallery_alexnet_paper(groups: usize) -> Result<JsValue, JsValue> {
    // Only the paper's two choices: other counts would not divide its channels everywhere.
    let groups = if groups == 2 { 2 } else { 1 };
    Ok(to_js(&gallery::alexnet_paper(groups).table()))
}

/// AlexNet's split convolutions, in two groups and whole (`GroupsComparison`).
#[wasm_bindgen(js_name = galleryGroups)]
pub fn gallery_groups() -> JsValue {
    to_js(&gallery_notes::alexnet_groups())
}

/// GoogLeNet's Inception blocks, in order ("inception3a", …).
#[wasm_bindgen(js_name = galleryInceptionBlocks)]
pub fn gallery_inception_blocks() -> Vec<String> {
    gallery::INCEPTION_BLOCKS.iter().map(|b| b.name.to_string()).collect()
}

/// One Inception block's 3×3 and 5×5 paths with and without their 1×1 bottleneck (`Bottleneck`).
#[wasm_bindgen(js_name = galleryBottleneck)]
pub fn gallery_bottleneck(block: &str) -> Result<JsValue, JsValue> {
    Ok(to_js(&gallery_notes::bottleneck(block).map_err(js_error)?))
}

/// What `name`'s adaptive average pool does to a side×side input (`AdaptiveView`).
#[wasm_bindgen(js_name = galleryAdaptive)]
pub fn gallery_adaptive(name: &str, side: usize) -> Result<JsValue, JsValue> {
    Ok(to_js(&gallery_notes::adaptive(name, side).map_err(js_error)?))
}
