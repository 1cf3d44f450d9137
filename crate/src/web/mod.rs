//! The wasm-bindgen boundary: the only module that knows about JavaScript. It is kept thin —
//! each function converts its arguments, calls the core, and converts the answer back — so
//! everything it shows is computed by the same code the native tests check.
//!
//! Errors come back as a thrown JavaScript `Error`. Those a learner can cause (a damaged model
//! file, a window that does not fit) carry the sentence as data as well (`js_error`), so the page
//! writes them in the reader's language; those only a bug in the page can cause (an image of the
//! wrong size) are `JsError`s in English. A panic is a
//! bug in the core: the panic hook installed by `start` prints its message to the console, and
//! the page shows it instead of freezing.

use wasm_bindgen::prelude::*;

use crate::message::Explain;
use crate::model::{zoo, ModelSpec};

mod classroom;
mod confusion;
mod drawings;
mod gallery;
mod lessons_basics;
mod lessons_batches;
mod lessons_init;
mod lessons_tiny;
mod lessons_convpool;
mod lessons_regression;
mod lessons_optimizers;
mod lessons_normdrop;
mod network;
mod parallel;
mod predictor;
mod profile;
mod training;

pub use classroom::{gradient_norms, Classroom};
pub use confusion::{confusion_of, Predictions};
pub use drawings::idx_pair;
pub use gallery::{gallery, gallery_adaptive, gallery_alexnet_paper, gallery_bottleneck, gallery_groups, gallery_inception_blocks, gallery_names};
pub use network::{network_file, read_network};
pub use lessons_basics::{activation_values, mse_loss, neuron_forward, softmax_cross_entropy};
pub use lessons_batches::*;
pub use lessons_init::*;
pub use lessons_tiny::*;
pub use lessons_regression::{regression_curves, regression_fit, regression_setup};
pub use lessons_optimizers::{cross_validate, optimizer_race, optimizer_surface};
pub use lessons_convpool::{
    channel_demo, conv_input_preset, conv_input_presets, conv_kernel_preset, conv_kernel_presets, conv_output_size, receptive_field, stack_demo, ConvDemo,
    PoolDemo,
};
pub use lessons_normdrop::{batch_norm_demo, batch_norm_run_specs, dropout_demo};
pub use predictor::Predictor;
pub use training::Training;

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

pub(crate) fn preset(name: &str) -> Result<ModelSpec, JsValue> {
    zoo::preset(name).ok_or_else(|| plain(&format!("unknown preset '{name}'; the presets are: {}", zoo::PRESETS.join(", "))))
}

/// A preset's spec as JSON, for `Training.buildSpec` (the degradation experiment trains two).
#[wasm_bindgen(js_name = presetSpec)]
pub fn preset_spec(name: &str) -> Result<String, JsValue> {
    Ok(serde_json::to_string(&preset(name)?).expect("a spec serialises"))
}

/// The layer table of a preset (`ModelSpec::table`): each layer's output shape, parameters and
/// MACs, with the totals.
#[wasm_bindgen(js_name = layerTable)]
pub fn layer_table(preset_name: &str) -> Result<JsValue, JsValue> {
    Ok(to_js(&preset(preset_name)?.table().map_err(js_error)?))
}

/// The 28×28 image a digit network sees for a drawing: `rgba` is the pad's pixels
/// (`getImageData`, ink in the alpha channel), `width`×`height`. MNIST's own preprocessing (see
/// `digit.rs`). `undefined` for an empty pad.
#[wasm_bindgen]
pub fn preprocess(rgba: &[u8], width: usize, height: usize) -> Result<Option<Vec<f32>>, JsValue> {
    let want = width.checked_mul(height).and_then(|p| p.checked_mul(4));
    if want != Some(rgba.len()) || width == 0 || height == 0 {
        // `want` is None where width·height·4 overflows: say so rather than recompute it unchecked.
        let want = want.map_or_else(|| format!("more than {}", usize::MAX), |w| w.to_string());
        return Err(plain(&format!("a {width}×{height} RGBA image has {want} bytes, not {}", rgba.len())));
    }
    Ok(crate::digit::preprocess(&crate::digit::ink_from_rgba(rgba), width, height))
}

/// The sample of digit `d` (0…9), a test digit the shipped LeNet reads right: the 28×28 image
/// the pad holds when the page opens and its "sample digit" buttons show.
#[wasm_bindgen(js_name = sampleDigit)]
pub fn sample_digit(d: usize) -> Result<Vec<f32>, JsValue> {
    crate::digit::sample(d).ok_or_else(|| plain(&format!("the sample digits are 0 to 9, not {d}")))
}

/// The source of reference function `name` (`layers::source`): `{ name, file, lines }`, for the
/// page's "show the code".
#[wasm_bindgen(js_name = referenceSource)]
pub fn reference_source(name: &str) -> Result<JsValue, JsValue> {
    crate::layers::source(name).map(|s| to_js(&s)).ok_or_else(|| plain(&format!("no reference function is called '{name}'")))
}

/// A value of the core as a plain JavaScript object: its fields by their Rust names (as the core
/// names them in camelCase where a type asks for it), numbers as numbers, sentences as data
/// (`{ key, args }`, see `message::as_data`). Where a hand-written mirror type would only copy
/// fields, the page gets the core's own type this way.
pub(crate) fn to_js<T: serde::Serialize + ?Sized>(value: &T) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    crate::message::as_data(|| value.serialize(&serializer)).expect("the core's values serialise to JavaScript")
}

/// A JavaScript `Error` for something the learner did (a damaged file, a size that does not
/// fit): its `message` is the English sentence, and its `key` and `args` let the page write it
/// in the reader's language.
pub(crate) fn js_error(err: impl Explain) -> JsValue {
    let m = err.message();
    let e = js_sys::Error::new(&m.to_string());
    let data = to_js(&m);
    for field in ["key", "args"] {
        // Reading a field of a plain object we just made, and setting one on an Error, cannot fail.
        let value = js_sys::Reflect::get(&data, &field.into()).unwrap_or(JsValue::UNDEFINED);
        let _ = js_sys::Reflect::set(&e, &field.into(), &value);
    }
    e.into()
}

/// A JavaScript `Error` in English, for mistakes only the page's own code can make (a call out
/// of order, an image of the wrong size): a learner never sees one unless the page has a bug.
pub(crate) fn plain(message: &str) -> JsValue {
    JsError::new(message).into()
}

/// The English of every sentence the core writes, by key: the page's English table takes them
/// as they are and its other languages translate them (`tests/i18n.test.mjs` checks each one).
#[wasm_bindgen(js_name = messageTemplates)]
pub fn message_templates() -> JsValue {
    let all: std::collections::BTreeMap<&str, &str> = crate::messages::all().iter().map(|t| (t.key, t.en)).collect();
    to_js(&all)
}
