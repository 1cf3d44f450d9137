//! The architecture gallery for the page: each classic network's layer table from the core's
//! shape inference (`model::gallery`), branches and residual connections included, with the rows
//! where a written-down architecture stops adding up.

use wasm_bindgen::prelude::*;

use super::{js_error, message_js};
use crate::model::arch::{RowKind, Status};
use crate::model::gallery;

/// One row of a gallery table.
#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug)]
pub struct GalleryRow {
    /// Nesting level: 0 at the top; the layers of a block or branch are one deeper.
    pub depth: usize,
    /// input, layer, block (a block's header, with its totals) or merge (concat, F(x) + x).
    pub kind: String,
    /// The reference implementation's module path (torchvision), or "".
    pub name: String,
    /// English, and as a sentence for the page's language (`{ key, args }`).
    pub label: String,
    #[wasm_bindgen(js_name = labelText)]
    pub label_text: JsValue,
    /// "(N, C, H, W)"; undefined where an earlier error leaves it unknown.
    pub output: Option<String>,
    /// The size the description claims, where it states one.
    pub claimed: Option<String>,
    /// Counts as f64 (exact below 2^53; VGG16's 15.5 G MACs are far below).
    pub params: Option<f64>,
    pub macs: Option<f64>,
    /// ok, mismatch (the claimed size is not the real one) or error (the layer cannot take its input).
    pub status: String,
    /// What does not add up, naming both numbers: English, and as a sentence for the page.
    pub message: Option<String>,
    #[wasm_bindgen(js_name = messageText)]
    pub message_text: JsValue,
}

#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug)]
pub struct GalleryTable {
    pub name: String,
    pub title: String,
    pub input: String,
    pub rows: Vec<GalleryRow>,
    pub params: Option<f64>,
    pub macs: Option<f64>,
    /// Rows that do not add up.
    pub problems: usize,
}

/// The gallery's networks, in the page's order.
#[wasm_bindgen(js_name = galleryNames)]
pub fn gallery_names() -> Vec<String> {
    gallery::NAMES.iter().map(|s| s.to_string()).collect()
}

/// One network's table.
#[wasm_bindgen]
pub fn gallery(name: &str) -> Result<GalleryTable, JsValue> {
    let t = gallery::table(name).map_err(js_error)?;
    Ok(GalleryTable {
        name: t.name,
        title: t.title,
        input: t.input,
        params: t.params.map(|v| v as f64),
        macs: t.macs.map(|v| v as f64),
        problems: t.problems,
        rows: t
            .rows
            .into_iter()
            .map(|r| GalleryRow {
                depth: r.depth,
                kind: match r.kind {
                    RowKind::Input => "input",
                    RowKind::Layer => "layer",
                    RowKind::Block => "block",
                    RowKind::Merge => "merge",
                }
                .into(),
                name: r.name,
                label: r.label.to_string(),
                label_text: message_js(&r.label),
                output: r.output,
                claimed: r.claimed,
                params: r.params.map(|v| v as f64),
                macs: r.macs.map(|v| v as f64),
                status: match r.status {
                    Status::Ok => "ok",
                    Status::Mismatch => "mismatch",
                    Status::Error => "error",
                }
                .into(),
                message_text: r.message.as_ref().map_or(JsValue::UNDEFINED, message_js),
                message: r.message.map(|m| m.to_string()),
            })
            .collect(),
    })
}
