//! Model files: a trained network in one file that any safetensors reader can open.
//!
//! A model file **is** a safetensors file (github.com/huggingface/safetensors):
//!
//! ```text
//! 8 bytes        N, the header's length, little-endian u64
//! N bytes        a JSON header: for every tensor {"dtype": "F32", "shape": [...], "data_offsets": [a, b]},
//!                plus "__metadata__": {"format": "cnn-notebook-model", "version": "2",
//!                                      "spec": "<the ModelSpec as JSON>", ["config": "...", "note": "..."]}
//! the rest       the tensors' bytes, little-endian f32, back to back
//! ```
//!
//! The tensors are the model's state with PyTorch's state-dict names ("0.weight", "0.bias",
//! "3.running_mean", …), so `safetensors.torch.load_file` reads our weights and the spec says how
//! to arrange them. Floats are stored bit for bit: save → load gives back exactly the same model.
//!
//! A file comes from a user, so decoding trusts nothing. The header's length, every tensor's
//! offsets and the spec's sizes are checked against the bytes really present before anything is
//! allocated, and each way a file can be wrong is its own [`FormatError`]: truncated, garbled, not
//! a safetensors file, another format, a newer version, a spec that is missing, unreadable or
//! impossible, a tensor of the wrong type or holding NaN. Missing tensors and shape mismatches
//! are found when the weights are loaded into the model ([`crate::model::StateError`]).
//!
//! **Versions.** `version` is an integer in a string (safetensors metadata is string → string).
//! A reader accepts every version up to its own and refuses newer ones with a message saying so;
//! a new version may add metadata keys, and readers ignore keys they do not know.
//! - version 1: sequential specs.
//! - version 2: specs may hold residual and Inception blocks, convolutions without bias and
//!   padded or global pooling (new spec fields have defaults, so every version 1 file reads as
//!   it did).

use safetensors::{Dtype, SafeTensors};

use crate::backend::Backend;
use crate::init::Init;
use crate::model::{Budget, ModelSpec, NamedTensor, Sequential, SpecError};
use crate::message::{Explain, Message};
use crate::tensor::Shape;

/// The value of `__metadata__.format`.
pub const FORMAT: &str = "cnn-notebook-model";
/// The version this code writes, and the newest it reads.
pub const VERSION: u64 = 2;
/// The largest header we read, as the safetensors crate does: a spec and a few hundred tensor
/// entries take a few kilobytes.
const MAX_HEADER: u64 = 100_000_000;
/// The largest model file read or decoded: a model's weights may take at most a quarter of the
/// memory budget (each weight also has a gradient and two optimizer states), so a larger file
/// could not be loaded anyway. 2 GiB natively, 256 MiB in the browser.
pub const MAX_FILE: u64 = Budget::HERE.total / 4;

/// A decoded model file.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelFile {
    pub spec: ModelSpec,
    /// Sorted by layer index, then name ("0.bias", "0.weight", "3.bias", …, "10.weight").
    pub tensors: Vec<NamedTensor>,
    /// Optional free text kept with the model, e.g. the training settings as JSON.
    pub config: Option<String>,
    /// Optional free text kept with the model, e.g. "LeNet on MNIST, 98.4 % test accuracy".
    pub note: Option<String>,
}

/// Why bytes are not a model file this version can read. Its sentences are `text`'s templates.
#[derive(Clone, Debug, PartialEq)]
pub enum FormatError {
    Truncated { len: usize, needed: u64 },
    NotSafetensors { reason: Message },
    Garbled { reason: Message },
    NotAModel,
    WrongFormat { found: String },
    UnsupportedVersion { found: u64 },
    BadVersion { found: String },
    MissingSpec,
    /// `reason` is serde_json's own words.
    InvalidSpec { reason: String },
    Spec(SpecError),
    TooFewValues { needed: u64, stored: u64 },
    WrongDtype { name: String, dtype: String },
    NonFinite(crate::check::NotFinite),
    SpecMismatch { detail: Message },
    /// More bytes than [`MAX_FILE`], found or declared by the header.
    TooLarge { bytes: u64, limit: u64 },
}

/// The sentences of model files: what is wrong with one, and where.
pub mod text {
    crate::templates! {
        TRUNCATED = "file.truncated": "the file is truncated: it has {len} bytes but needs {needed}";
        NOT_SAFETENSORS = "file.notSafetensors": "this is not a model file (not a safetensors file: {reason})";
        NO_HEADER = "file.noHeader": "it does not start with a length and a JSON header";
        HEADER_SIZE = "file.headerSize": "its first 8 bytes declare a header of {n} bytes";
        GARBLED = "file.garbled": "the model file is damaged: {reason}";
        HEADER_NOT_UTF8 = "file.headerNotUtf8": "the header is not UTF-8 text ({detail})";
        HEADER_NOT_JSON = "file.headerNotJson": "the header is not valid JSON ({detail})";
        METADATA_NOT_MAP = "file.metadataNotMap": "__metadata__ is not a map of strings";
        METADATA_NOT_STRING = "file.metadataNotString": "metadata {key} is not a string";
        NO_OFFSETS = "file.noOffsets": "the entry of tensor {name} has no valid data_offsets";
        TRAILING = "file.trailing": "{n} bytes follow the last tensor";
        SAFETENSORS = "file.safetensors": "the safetensors reader says: {detail}";
        NOT_A_MODEL = "file.notAModel": "this is a safetensors file but not a cnn-notebook model: its metadata has no \"format\": \"{format}\"";
        WRONG_FORMAT = "file.wrongFormat": "this is a {found} file, not a cnn-notebook model ({format})";
        NEWER_VERSION = "file.newerVersion": "this file was written by a newer cnn-notebook, version {found}; this one reads version {version}";
        BAD_VERSION = "file.badVersion": "the file's format version {found} is not a version number (1, 2, …)";
        MISSING_SPEC = "file.missingSpec": "the file has no model spec (metadata key \"spec\")";
        INVALID_SPEC = "file.invalidSpec": "the file's model spec cannot be read: {reason}";
        IMPOSSIBLE_SPEC = "file.impossibleSpec": "the file's model spec is impossible: {reason}";
        TOO_FEW_VALUES = "file.tooFewValues": "the file's model spec needs {needed} weights but the file stores only {stored}";
        WRONG_DTYPE = "file.wrongDtype": "tensor {name} holds {dtype} values; model files hold F32";
        OTHER_MODEL = "file.otherModel": "the file holds another model than this one: {detail}";
        OTHER_INPUT = "file.otherInput": "its input is {found}, this model's {expected}";
        OTHER_LAYER = "file.otherLayer": "layer {index} is {found}, in this model {expected}";
        OTHER_DEPTH = "file.otherDepth": "it has {found} layers, this model {expected}";
        TOO_LARGE = "file.tooLarge": "the file is {size} long or says it is; model files of at most {limit} are read here";
    }
}

impl Explain for FormatError {
    fn message(&self) -> Message {
        use text::*;
        match self {
            FormatError::Truncated { len, needed } => Message::new(TRUNCATED).with("len", len).with("needed", needed),
            FormatError::NotSafetensors { reason } => Message::new(NOT_SAFETENSORS).nested("reason", reason.clone()),
            FormatError::Garbled { reason } => Message::new(GARBLED).nested("reason", reason.clone()),
            FormatError::NotAModel => Message::new(NOT_A_MODEL).with("format", FORMAT),
            FormatError::WrongFormat { found } => Message::new(WRONG_FORMAT).with("found", format!("{found:?}")).with("format", format!("{FORMAT:?}")),
            FormatError::UnsupportedVersion { found } => Message::new(NEWER_VERSION).with("found", found).with("version", VERSION),
            FormatError::BadVersion { found } => Message::new(BAD_VERSION).with("found", format!("{found:?}")),
            FormatError::MissingSpec => MISSING_SPEC.into(),
            FormatError::InvalidSpec { reason } => Message::new(INVALID_SPEC).with("reason", reason),
            FormatError::Spec(e) => Message::new(IMPOSSIBLE_SPEC).nested("reason", e.message()),
            FormatError::TooFewValues { needed, stored } => Message::new(TOO_FEW_VALUES).with("needed", needed).with("stored", stored),
            FormatError::WrongDtype { name, dtype } => Message::new(WRONG_DTYPE).with("name", name).with("dtype", dtype),
            FormatError::NonFinite(e) => e.message(),
            FormatError::SpecMismatch { detail } => Message::new(OTHER_MODEL).nested("detail", detail.clone()),
            FormatError::TooLarge { bytes, limit } => {
                Message::new(TOO_LARGE).with("size", crate::model::budget::bytes(*bytes)).with("limit", crate::model::budget::bytes(*limit))
            }
        }
    }
}
crate::explained_error!(FormatError);

impl From<SpecError> for FormatError {
    fn from(e: SpecError) -> Self {
        FormatError::Spec(e)
    }
}

/// Write a model file holding `spec` and `tensors` (a model's [`Sequential::state`]).
/// Panics (a programmer error) if two tensors share a name or a tensor's data does not fill its shape.
pub fn encode(spec: &ModelSpec, tensors: &[NamedTensor]) -> Vec<u8> {
    encode_parts(spec, tensors, None, None)
}

/// [`encode`] with the optional `config` and `note` of a [`ModelFile`].
pub fn encode_file(file: &ModelFile) -> Vec<u8> {
    encode_parts(&file.spec, &file.tensors, file.config.as_deref(), file.note.as_deref())
}

fn encode_parts(spec: &ModelSpec, tensors: &[NamedTensor], config: Option<&str>, note: Option<&str>) -> Vec<u8> {
    use serde_json::{json, Map, Value};
    // We write the header ourselves rather than through `safetensors::serialize`, whose
    // metadata is a HashMap: its random order would make the same model give different bytes.
    // serde_json's Map keeps keys sorted, so the file is a function of the model alone.
    let mut meta = Map::new();
    meta.insert("format".into(), FORMAT.into());
    meta.insert("version".into(), VERSION.to_string().into());
    meta.insert("spec".into(), serde_json::to_string(spec).expect("a ModelSpec serialises").into());
    if let Some(c) = config {
        meta.insert("config".into(), c.into());
    }
    if let Some(n) = note {
        meta.insert("note".into(), n.into());
    }
    let mut header = Map::new();
    header.insert("__metadata__".into(), Value::Object(meta));
    // The data: each tensor's f32 values little-endian, back to back in the order given.
    // to_le_bytes/from_le_bytes round-trip every f32 exactly (NaN payloads, −0, subnormals).
    let mut data = Vec::with_capacity(4 * tensors.iter().map(|t| t.data.len()).sum::<usize>());
    for t in tensors {
        assert_eq!(t.data.len(), t.shape.len(), "format::encode: tensor {} has {} values for shape {}", t.name, t.data.len(), t.shape);
        assert!(t.name != "__metadata__", "format::encode: a tensor may not be named __metadata__");
        let start = data.len();
        data.extend(t.data.iter().flat_map(|v| v.to_le_bytes()));
        let entry = json!({ "dtype": "F32", "shape": t.shape.0, "data_offsets": [start, data.len()] });
        let previous = header.insert(t.name.clone(), entry);
        assert!(previous.is_none(), "format::encode: two tensors named {}", t.name);
    }
    let mut header = serde_json::to_vec(&Value::Object(header)).expect("JSON of strings and numbers");
    // Pad the header with spaces to a multiple of 8 bytes, as safetensors does, so the data is
    // aligned for readers that map it in place.
    header.resize(header.len().next_multiple_of(8), b' ');
    let mut out = Vec::with_capacity(8 + header.len() + data.len());
    out.extend_from_slice(&(header.len() as u64).to_le_bytes());
    out.extend_from_slice(&header);
    out.extend_from_slice(&data);
    out
}

/// Read a model file. Checks everything about the file that does not need a model: framing,
/// format tag, version, spec (parsed and shape-inferred), tensor types and values.
pub fn decode(bytes: &[u8]) -> Result<ModelFile, FormatError> {
    if bytes.len() as u64 > MAX_FILE {
        return Err(FormatError::TooLarge { bytes: bytes.len() as u64, limit: MAX_FILE });
    }
    // 1. The framing: 8 bytes of header length, then a JSON object.
    if bytes.len() < 8 {
        return Err(FormatError::Truncated { len: bytes.len(), needed: 8 });
    }
    let n = u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes"));
    if bytes.len() > 8 && bytes[8] != b'{' {
        return Err(FormatError::NotSafetensors { reason: text::NO_HEADER.into() });
    }
    if n > MAX_HEADER {
        return Err(FormatError::NotSafetensors { reason: Message::new(text::HEADER_SIZE).with("n", n) });
    }
    let header_end = 8 + n; // ≤ 8 + 10⁸: no overflow
    if header_end > bytes.len() as u64 {
        return Err(FormatError::Truncated { len: bytes.len(), needed: header_end });
    }
    let header_end = header_end as usize;
    let header = std::str::from_utf8(&bytes[8..header_end])
        .map_err(|e| FormatError::Garbled { reason: Message::new(text::HEADER_NOT_UTF8).with("detail", e) })?;
    let header: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(header).map_err(|e| FormatError::Garbled { reason: Message::new(text::HEADER_NOT_JSON).with("detail", e) })?;

    // 2. What kind of file this is: the tag, then the version, before anything else, so a
    //    future file gets the "newer version" message even if its layout has changed.
    let meta = match header.get("__metadata__") {
        Some(serde_json::Value::Object(m)) => m,
        Some(_) => return Err(FormatError::Garbled { reason: text::METADATA_NOT_MAP.into() }),
        None => return Err(FormatError::NotAModel),
    };
    let text = |key: &str| -> Result<Option<String>, FormatError> {
        match meta.get(key) {
            None => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(FormatError::Garbled { reason: Message::new(text::METADATA_NOT_STRING).with("key", format!("{key:?}")) }),
        }
    };
    match text("format")? {
        None => return Err(FormatError::NotAModel),
        Some(f) if f != FORMAT => return Err(FormatError::WrongFormat { found: f }),
        Some(_) => {}
    }
    let version = text("version")?.unwrap_or_default();
    match version.trim().parse::<u64>() {
        Ok(v) if v > VERSION => return Err(FormatError::UnsupportedVersion { found: v }),
        Ok(v) if v >= 1 => {}
        _ => return Err(FormatError::BadVersion { found: version }),
    }

    // 3. The data section must be exactly as long as the tensors' offsets say: shorter is a
    //    truncated file, longer is damage. (safetensors checks this too, with one message for
    //    both; we tell the user which.)
    let data_end = data_end(&header)?;
    let available = (bytes.len() - header_end) as u64;
    if data_end > available {
        return Err(FormatError::Truncated { len: bytes.len(), needed: (header_end as u64).saturating_add(data_end) });
    }
    if data_end < available {
        return Err(FormatError::Garbled { reason: Message::new(text::TRAILING).with("n", available - data_end) });
    }
    // The rest of safetensors' checks: offsets contiguous, each tensor's bytes = its shape × 4, …
    let st = SafeTensors::deserialize(bytes).map_err(|e| FormatError::Garbled { reason: Message::new(text::SAFETENSORS).with("detail", e) })?;

    // 4. The spec, checked before the tensors are copied: its sizes must be computable and
    //    covered by the values the file really holds (so a lying spec allocates nothing).
    let spec_text = text("spec")?.ok_or(FormatError::MissingSpec)?;
    let spec: ModelSpec = serde_json::from_str(&spec_text).map_err(|e| FormatError::InvalidSpec { reason: e.to_string() })?;
    let stored: u64 = st.iter().map(|(_, v)| (v.data().len() / 4) as u64).sum();
    check_spec_sizes(&spec, stored)?;

    // 5. The tensors: f32 only, finite only.
    let mut tensors = Vec::with_capacity(st.len());
    for (name, view) in st.iter() {
        if view.dtype() != Dtype::F32 {
            return Err(FormatError::WrongDtype { name: name.to_string(), dtype: view.dtype().to_string() });
        }
        let data: Vec<f32> = view.data().chunks_exact(4).map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes"))).collect();
        crate::check::finite(crate::check::tensor(name), &data).map_err(FormatError::NonFinite)?;
        tensors.push(NamedTensor { name: name.to_string(), shape: Shape(view.shape().to_vec()), data });
    }
    tensors.sort_by(|a, b| order_key(&a.name).cmp(&order_key(&b.name)));

    Ok(ModelFile { spec, tensors, config: text("config")?, note: text("note")? })
}

/// Where the last tensor's data ends (bytes after the header), as the header's offsets say.
fn data_end(header: &serde_json::Map<String, serde_json::Value>) -> Result<u64, FormatError> {
    let mut data_end = 0u64;
    for (name, entry) in header.iter().filter(|(k, _)| *k != "__metadata__") {
        let end = entry.get("data_offsets").and_then(|o| o.get(1)).and_then(|e| e.as_u64());
        let end = end.ok_or_else(|| FormatError::Garbled { reason: Message::new(text::NO_OFFSETS).with("name", name) })?;
        data_end = data_end.max(end);
    }
    Ok(data_end)
}

/// Read a model file from `path` — a file, a pipe or a device — reading no more than its header
/// declares and never more than [`MAX_FILE`]: the 8-byte length first, then the header, then
/// exactly the data its offsets announce. Bytes that are not a model file stop the reading early
/// (`/dev/zero` after 9 bytes) and are returned for [`decode`] to say what is wrong; bytes past the
/// declared end are counted, not kept. Errors reading the path are `Err(io error)`.
#[cfg(not(target_arch = "wasm32"))]
pub fn read_file(path: &std::path::Path) -> std::io::Result<Result<Vec<u8>, FormatError>> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    // 1. The header's length and the byte after it, '{' in a safetensors file.
    (&mut f).take(9).read_to_end(&mut bytes)?;
    if bytes.len() < 9 {
        return Ok(Ok(bytes));
    }
    let n = u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes"));
    if n == 0 || n > MAX_HEADER || bytes[8] != b'{' {
        return Ok(Ok(bytes));
    }
    if 8 + n > MAX_FILE {
        return Ok(Err(FormatError::TooLarge { bytes: 8 + n, limit: MAX_FILE }));
    }
    // 2. The rest of the header; its offsets say how long the data is.
    (&mut f).take(n - 1).read_to_end(&mut bytes)?;
    let header = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&bytes[8..]).ok();
    let Some(Ok(end)) = header.as_ref().map(data_end) else { return Ok(Ok(bytes)) };
    match (8 + n).checked_add(end) {
        Some(total) if total <= MAX_FILE => {}
        total => return Ok(Err(FormatError::TooLarge { bytes: total.unwrap_or(u64::MAX), limit: MAX_FILE })),
    }
    // 3. The data, then anything after it: damage, counted without keeping it.
    (&mut f).take(end).read_to_end(&mut bytes)?;
    let extra = std::io::copy(&mut (&mut f).take(MAX_FILE), &mut std::io::sink())?;
    if extra > 0 {
        return Ok(Err(FormatError::Garbled { reason: Message::new(text::TRAILING).with("n", extra) }));
    }
    Ok(Ok(bytes))
}

/// "12.weight" sorts as (12, "12.weight"): layer order, not string order.
fn order_key(name: &str) -> (u64, &str) {
    (name.split('.').next().and_then(|p| p.parse().ok()).unwrap_or(u64::MAX), name)
}

/// How many weights a spec may need beyond twice what its file stores (4 MB of f32).
const ALLOWANCE: u64 = 1 << 20;

/// A spec read from a file must be a model this platform can hold (shape inference is checked
/// and the memory budget of `model::budget` is applied at batch 1), and its parameters must not
/// be far more than the values the file stores (at most twice as many plus [`ALLOWANCE`]): a spec
/// that claims a billion weights in a file of a few hundred would otherwise allocate gigabytes
/// before `load_state` found them missing. Some slack, so that a file missing a tensor or two
/// decodes and `load_state` names them.
fn check_spec_sizes(spec: &ModelSpec, stored: u64) -> Result<(), FormatError> {
    let infos = spec.infer()?;
    spec.check_budget(1, Budget::HERE)?;
    // infer has checked that the sum fits.
    let params: u64 = infos.iter().map(|l| l.params).sum();
    if params > stored.saturating_mul(2).saturating_add(ALLOWANCE) {
        return Err(FormatError::TooFewValues { needed: params, stored });
    }
    Ok(())
}

/// Save a model: its spec and every tensor of its state.
pub fn save_model<B: Backend>(b: &B, model: &Sequential<B>) -> Vec<u8> {
    encode(&model.spec, &model.state(b))
}

/// Build the model a file describes and load its weights. (Its dropout stream starts from seed 0;
/// to continue a seeded run, build the model with `Sequential::new` and use [`load_into`].)
pub fn load_model<B: Backend>(b: &B, bytes: &[u8]) -> Result<Sequential<B>, crate::Error> {
    let file = decode(bytes)?;
    // Every weight is overwritten by load_state; zeros are the cheapest initialisation.
    let mut model = Sequential::new(b, file.spec, Init::Uniform { a: 0.0 }, 0)?;
    model.load_state(b, &file.tensors)?;
    Ok(model)
}

/// Replace the weights of `model` with a file's, which must hold the same network (input and
/// layers; the name may differ). On any error the model is left exactly as it was.
pub fn load_into<B: Backend>(b: &B, model: &mut Sequential<B>, bytes: &[u8]) -> Result<(), crate::Error> {
    let file = decode(bytes)?;
    if let Some(detail) = spec_difference(&model.spec, &file.spec) {
        return Err(FormatError::SpecMismatch { detail }.into());
    }
    // load_state checks every tensor before it writes any.
    model.load_state(b, &file.tensors)?;
    Ok(())
}

/// The first way `found` differs from `expected` (ignoring names), in words.
fn spec_difference(expected: &ModelSpec, found: &ModelSpec) -> Option<Message> {
    if expected.input != found.input {
        return Some(Message::new(text::OTHER_INPUT).with("found", format!("{:?}", found.input)).with("expected", format!("{:?}", expected.input)));
    }
    for (i, (e, f)) in expected.layers.iter().zip(&found.layers).enumerate() {
        if e != f {
            return Some(Message::new(text::OTHER_LAYER).with("index", i).nested("found", f.label()).nested("expected", e.label()));
        }
    }
    if expected.layers.len() != found.layers.len() {
        return Some(Message::new(text::OTHER_DEPTH).with("found", found.layers.len()).with("expected", expected.layers.len()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{zoo, LayerSpec};
    use std::collections::HashMap;
    use crate::rng::Rng;

    /// A small spec: conv 2@3×3 on 1×6×6, ReLU, max-pool 2, flatten, dense 3.
    fn tiny_spec() -> ModelSpec {
        serde_json::from_str(
            r#"{"name": "tiny", "input": [1, 6, 6], "layers": [
                {"type": "conv2d", "out_channels": 2, "kernel": 3}, {"type": "relu"},
                {"type": "max_pool2d", "kernel": 2, "stride": 2}, {"type": "flatten"},
                {"type": "dense", "units": 3}]}"#,
        )
        .unwrap()
    }

    /// Its state with values that exercise the bits: negative zero, subnormals, extremes.
    fn tiny_state() -> Vec<NamedTensor> {
        let mut rng = Rng::new(7);
        let mut t = |name: &str, dims: Vec<usize>| {
            let shape = Shape(dims);
            let mut data: Vec<f32> = (0..shape.len()).map(|_| rng.normal()).collect();
            data[0] = -0.0;
            NamedTensor { name: name.into(), shape, data }
        };
        let mut v = vec![t("0.weight", vec![2, 1, 3, 3]), t("0.bias", vec![2]), t("4.weight", vec![3, 8]), t("4.bias", vec![3])];
        v[0].data[1] = f32::MIN_POSITIVE / 8.0;
        v[0].data[2] = f32::MAX;
        v[2].data[5] = f32::MIN;
        v
    }

    fn sorted(mut v: Vec<NamedTensor>) -> Vec<NamedTensor> {
        v.sort_by(|a, b| order_key(&a.name).cmp(&order_key(&b.name)));
        v
    }

    fn bits(ts: &[NamedTensor]) -> Vec<(String, Vec<usize>, Vec<u32>)> {
        ts.iter().map(|t| (t.name.clone(), t.shape.0.clone(), t.data.iter().map(|v| v.to_bits()).collect())).collect()
    }

    /// A safetensors file written by hand: `header` JSON (padded to 8 bytes), then `data`.
    fn raw(header: &str, data: &[u8]) -> Vec<u8> {
        let mut h = header.as_bytes().to_vec();
        h.resize(h.len().next_multiple_of(8), b' ');
        let mut out = (h.len() as u64).to_le_bytes().to_vec();
        out.extend_from_slice(&h);
        out.extend_from_slice(data);
        out
    }

    /// The metadata of a valid file with some entries replaced (`None` removes one).
    fn file_with_meta(changes: &[(&str, Option<&str>)]) -> Vec<u8> {
        let mut meta: HashMap<String, String> = HashMap::new();
        meta.insert("format".into(), FORMAT.into());
        meta.insert("version".into(), "1".into());
        meta.insert("spec".into(), serde_json::to_string(&tiny_spec()).unwrap());
        for (k, v) in changes {
            match v {
                Some(v) => meta.insert(k.to_string(), v.to_string()),
                None => meta.remove(*k),
            };
        }
        let state = tiny_state();
        let bytes: Vec<Vec<u8>> = state.iter().map(|t| t.data.iter().flat_map(|v| v.to_le_bytes()).collect()).collect();
        let views: Vec<_> =
            state.iter().zip(&bytes).map(|(t, b)| (t.name.clone(), safetensors::tensor::TensorView::new(Dtype::F32, t.shape.0.clone(), b).unwrap())).collect();
        safetensors::serialize(views.iter().map(|(n, v)| (n.as_str(), v)), Some(meta)).unwrap()
    }

    #[test]
    fn encode_then_decode_is_bit_exact() {
        let bytes = encode(&tiny_spec(), &tiny_state());
        let file = decode(&bytes).unwrap();
        assert_eq!(file.spec, tiny_spec());
        assert_eq!(bits(&file.tensors), bits(&sorted(tiny_state())));
        assert_eq!((file.config, file.note), (None, None));
        // Deterministic bytes: the same model gives the same file.
        assert_eq!(encode(&tiny_spec(), &tiny_state()), bytes);
    }

    #[test]
    fn config_and_note_round_trip() {
        let f = ModelFile {
            spec: zoo::lenet_d2l(),
            tensors: Vec::new(),
            config: Some(r#"{"lr": 0.9}"#.into()),
            note: Some("LeNet, ünïcödé 中文".into()),
        };
        assert_eq!(decode(&encode_file(&f)).unwrap(), f);
        let f = ModelFile { spec: tiny_spec(), tensors: sorted(tiny_state()), ..f };
        assert_eq!(decode(&encode_file(&f)).unwrap(), f);
    }

    #[test]
    fn the_file_is_a_plain_safetensors_file() {
        // Any safetensors reader sees our tensors and metadata (here: the crate itself).
        let bytes = encode(&tiny_spec(), &tiny_state());
        let st = SafeTensors::deserialize(&bytes).unwrap();
        let t = st.tensor("0.weight").unwrap();
        assert_eq!((t.dtype(), t.shape()), (Dtype::F32, &[2usize, 1, 3, 3][..]));
        let (_, meta) = SafeTensors::read_metadata(&bytes).unwrap();
        let meta = meta.metadata().clone().unwrap();
        assert_eq!(meta["format"], "cnn-notebook-model");
        assert_eq!(meta["version"], "2");
    }

    #[test]
    fn a_version_1_file_written_by_hand_still_decodes() {
        // The layout this module promises, byte by byte: if this test breaks, old files break.
        let spec = r#"{\"name\":\"d\",\"input\":[1,1,2],\"layers\":[{\"type\":\"flatten\"},{\"type\":\"dense\",\"units\":1}]}"#;
        let header = format!(
            r#"{{"__metadata__":{{"format":"cnn-notebook-model","version":"1","spec":"{spec}"}},"1.bias":{{"dtype":"F32","shape":[1],"data_offsets":[0,4]}},"1.weight":{{"dtype":"F32","shape":[1,2],"data_offsets":[4,12]}}}}"#
        );
        let data: Vec<u8> = [0.5f32, 1.0, -2.0].iter().flat_map(|v| v.to_le_bytes()).collect();
        let file = decode(&raw(&header, &data)).unwrap();
        assert_eq!(file.spec.layers, vec![LayerSpec::Flatten, LayerSpec::Dense { in_features: None, units: 1 }]);
        assert_eq!(file.tensors[0], NamedTensor { name: "1.bias".into(), shape: Shape(vec![1]), data: vec![0.5] });
        assert_eq!(file.tensors[1], NamedTensor { name: "1.weight".into(), shape: Shape(vec![1, 2]), data: vec![1.0, -2.0] });
    }

    #[test]
    fn tensors_come_back_in_layer_order() {
        assert!(order_key("2.weight") < order_key("10.bias"));
        assert!(order_key("10.weight") < order_key("x"));
    }

    #[test]
    fn every_truncation_is_an_error() {
        let bytes = encode(&tiny_spec(), &tiny_state());
        for len in 0..bytes.len() {
            let e = decode(&bytes[..len]).unwrap_err();
            assert!(matches!(e, FormatError::Truncated { .. }), "cut at {len}: {e:?}");
        }
        // Cut inside the data: the message gives both lengths.
        let e = decode(&bytes[..bytes.len() - 3]).unwrap_err();
        assert_eq!(e, FormatError::Truncated { len: bytes.len() - 3, needed: bytes.len() as u64 });
        assert!(e.to_string().contains("truncated"), "{e}");
    }

    #[test]
    fn garbled_bytes_are_errors_not_panics() {
        let bytes = encode(&tiny_spec(), &tiny_state());
        let header_end = 8 + u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
        // Flip each byte of the length and header in turn (damage there is always detected:
        // JSON, offsets and the spec are all checked).
        for i in 0..header_end {
            let mut b = bytes.clone();
            b[i] ^= 0x55;
            // Flipping a byte of the pad spaces or of a float's digits can still be a valid file;
            // what matters is that nothing panics and that the result is a file or a typed error.
            let _ = decode(&b);
        }
        // Flip one byte of the length: now the header ends elsewhere.
        let mut b = bytes.clone();
        b[0] ^= 0x01;
        assert!(decode(&b).is_err());
        // Damage the JSON structure.
        let mut b = bytes.clone();
        let brace = b.iter().rposition(|&c| c == b'}').unwrap();
        b[brace] = b'#';
        assert!(matches!(decode(&b), Err(FormatError::Garbled { .. })), "{:?}", decode(&b));
        // Invalid UTF-8 in the header.
        let mut b = bytes.clone();
        b[9] = 0xff;
        assert!(matches!(decode(&b), Err(FormatError::Garbled { .. })));
        // Bytes appended after the last tensor.
        let mut b = bytes.clone();
        b.extend_from_slice(&[0; 4]);
        assert_eq!(decode(&b), Err(FormatError::Garbled { reason: Message::new(text::TRAILING).with("n", 4) }));
        // Random bytes of many lengths, and random bytes behind a plausible header length.
        let mut rng = Rng::new(11);
        for len in 0..300 {
            let mut b: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
            assert!(decode(&b).is_err());
            if len > 9 {
                b[..8].copy_from_slice(&((len as u64 - 8) / 2).to_le_bytes());
                b[8] = b'{';
                assert!(decode(&b).is_err());
            }
        }
    }

    #[test]
    fn other_files_are_not_model_files() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x1c\0\0\0\x1c";
        assert!(matches!(decode(png), Err(FormatError::NotSafetensors { .. })), "{:?}", decode(png));
        let json = br#"{"name": "lenet", "input": [1, 28, 28], "layers": []}"#;
        assert!(matches!(decode(json), Err(FormatError::NotSafetensors { .. })));
        let e = decode(b"hello, world\n").unwrap_err();
        assert!(e.to_string().contains("not a model file"), "{e}");
    }

    #[test]
    fn a_header_length_that_lies_allocates_nothing() {
        let mut b = encode(&tiny_spec(), &tiny_state());
        b[..8].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(matches!(decode(&b), Err(FormatError::NotSafetensors { .. })));
        // Just under safetensors' limit, but past the end of the file.
        b[..8].copy_from_slice(&90_000_000u64.to_le_bytes());
        assert_eq!(decode(&b), Err(FormatError::Truncated { len: b.len(), needed: 90_000_008 }));
    }

    #[test]
    fn tensor_offsets_that_lie_are_errors() {
        let meta = format!(r#""__metadata__":{{"format":"{FORMAT}","version":"1","spec":"{{}}"}}"#);
        let data = [0u8; 8];
        // Past the end of the file: a truncation.
        let h = format!(r#"{{{meta},"a":{{"dtype":"F32","shape":[1000000],"data_offsets":[0,4000000]}}}}"#);
        let f = raw(&h, &data);
        assert_eq!(decode(&f), Err(FormatError::Truncated { len: f.len(), needed: (f.len() - 8 + 4_000_000) as u64 }));
        // Past the end of memory.
        let h = format!(r#"{{{meta},"a":{{"dtype":"F32","shape":[1],"data_offsets":[0,18446744073709551615]}}}}"#);
        assert!(matches!(decode(&raw(&h, &data)), Err(FormatError::Truncated { .. })));
        // A shape whose size overflows, offsets that fit the data.
        let h = format!(r#"{{{meta},"a":{{"dtype":"F32","shape":[4294967296,4294967296,2],"data_offsets":[0,8]}}}}"#);
        assert!(matches!(decode(&raw(&h, &data)), Err(FormatError::Garbled { .. })), "{:?}", decode(&raw(&h, &data)));
        // Offsets that do not match the shape, or overlap.
        let h = format!(r#"{{{meta},"a":{{"dtype":"F32","shape":[1],"data_offsets":[0,8]}}}}"#);
        assert!(matches!(decode(&raw(&h, &data)), Err(FormatError::Garbled { .. })));
        let h = format!(
            r#"{{{meta},"a":{{"dtype":"F32","shape":[2],"data_offsets":[0,8]}},"b":{{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}}}"#
        );
        assert!(matches!(decode(&raw(&h, &data)), Err(FormatError::Garbled { .. })));
        // No offsets at all.
        let h = format!(r#"{{{meta},"a":{{"dtype":"F32","shape":[2]}}}}"#);
        assert!(matches!(decode(&raw(&h, &data)), Err(FormatError::Garbled { .. })));
    }

    #[test]
    fn a_safetensors_file_of_another_kind_is_refused() {
        assert_eq!(decode(&file_with_meta(&[("format", None)])), Err(FormatError::NotAModel));
        let e = decode(&file_with_meta(&[("format", Some("pytorch"))])).unwrap_err();
        assert_eq!(e, FormatError::WrongFormat { found: "pytorch".into() });
        // No __metadata__ at all (a typical safetensors checkpoint).
        let h = r#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#;
        assert_eq!(decode(&raw(h, &[0; 4])), Err(FormatError::NotAModel));
    }

    #[test]
    fn a_newer_version_says_so() {
        let e = decode(&file_with_meta(&[("version", Some("3"))])).unwrap_err();
        assert_eq!(e, FormatError::UnsupportedVersion { found: 3 });
        assert_eq!(e.to_string(), "this file was written by a newer cnn-notebook, version 3; this one reads version 2");
        // Checked before the rest: a future file whose spec we cannot read still gets this message.
        let e = decode(&file_with_meta(&[("version", Some("7")), ("spec", Some("a graph"))])).unwrap_err();
        assert_eq!(e, FormatError::UnsupportedVersion { found: 7 });
        for bad in ["", "one", "0", "-1", "1.5"] {
            assert_eq!(decode(&file_with_meta(&[("version", Some(bad))])), Err(FormatError::BadVersion { found: bad.into() }));
        }
        assert_eq!(decode(&file_with_meta(&[("version", None)])), Err(FormatError::BadVersion { found: "".into() }));
    }

    #[test]
    fn a_missing_or_invalid_spec_is_refused() {
        assert_eq!(decode(&file_with_meta(&[("spec", None)])), Err(FormatError::MissingSpec));
        let e = decode(&file_with_meta(&[("spec", Some(r#"{"name": "x", "input": [1, 6, 6], "layers": [{"type": "conv3d"}]}"#))]));
        assert!(matches!(e, Err(FormatError::InvalidSpec { .. })), "{e:?}");
        let e = decode(&file_with_meta(&[("spec", Some("not json"))]));
        assert!(matches!(e, Err(FormatError::InvalidSpec { .. })), "{e:?}");
        // A spec that parses but cannot be built: a 7×7 kernel on a 6×6 input.
        let impossible = r#"{"name": "x", "input": [1, 6, 6], "layers": [{"type": "conv2d", "out_channels": 1, "kernel": 7}]}"#;
        let e = decode(&file_with_meta(&[("spec", Some(impossible))])).unwrap_err();
        assert!(matches!(e, FormatError::Spec(SpecError::WindowTooLarge { index: 0, .. })), "{e:?}");
    }

    #[test]
    fn a_spec_that_lies_about_sizes_is_refused_before_allocating() {
        let spec = |layers: &str, input: &str| format!(r#"{{"name": "x", "input": {input}, "layers": [{layers}]}}"#);
        // Sizes whose products overflow: they would panic in a debug build's shape inference.
        for s in [
            spec(r#"{"type": "flatten"}"#, "[4294967296, 4294967296, 4294967296]"),
            spec(r#"{"type": "conv2d", "out_channels": 1, "kernel": 1, "padding": 9223372036854775807}"#, "[1, 6, 6]"),
            spec(r#"{"type": "conv2d", "out_channels": 4294967296, "kernel": 4294967296, "padding": 4294967296}"#, "[1, 6, 6]"),
            spec(r#"{"type": "flatten"}, {"type": "dense", "units": 18446744073709551615}"#, "[1, 6, 6]"),
        ] {
            let e = decode(&file_with_meta(&[("spec", Some(&s))])).unwrap_err();
            assert!(matches!(e, FormatError::Spec(SpecError::BadSetting { .. } | SpecError::InputTooLarge { .. })), "{s}: {e:?}");
        }
        // Sizes that compute but are far over the memory budget: 37 billion weights.
        let s = spec(r#"{"type": "flatten"}, {"type": "dense", "units": 1000000000}"#, "[1, 6, 6]");
        let e = decode(&file_with_meta(&[("spec", Some(&s))])).unwrap_err();
        assert!(matches!(e, FormatError::Spec(SpecError::BufferOverBudget { at: Some((1, _)), .. })), "{e:?}");
        // Within the budget, but needing far more weights than the file holds (the tiny state
        // has 47): building the model would allocate 59 MB for nothing.
        let s = spec(r#"{"type": "flatten"}, {"type": "dense", "units": 100000}"#, "[1, 6, 6]");
        let e = decode(&file_with_meta(&[("spec", Some(&s))])).unwrap_err();
        assert_eq!(e, FormatError::TooFewValues { needed: 3_700_000, stored: 47 });
    }

    #[test]
    fn a_wrong_dtype_is_refused() {
        let meta = serde_json::to_string(&tiny_spec()).unwrap().replace('"', "\\\"");
        let h = format!(
            r#"{{"__metadata__":{{"format":"{FORMAT}","version":"1","spec":"{meta}"}},"0.weight":{{"dtype":"F64","shape":[2,1,3,3],"data_offsets":[0,144]}},"0.bias":{{"dtype":"F32","shape":[2],"data_offsets":[144,152]}},"4.weight":{{"dtype":"F32","shape":[3,8],"data_offsets":[152,248]}},"4.bias":{{"dtype":"F32","shape":[3],"data_offsets":[248,260]}}}}"#
        );
        let e = decode(&raw(&h, &[0u8; 260])).unwrap_err();
        assert_eq!(e, FormatError::WrongDtype { name: "0.weight".into(), dtype: "F64".into() });
    }

    #[test]
    fn non_finite_weights_are_refused() {
        for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
            let mut state = tiny_state();
            state[2].data[7] = bad;
            let e = decode(&encode(&tiny_spec(), &state)).unwrap_err();
            assert!(matches!(&e, FormatError::NonFinite(f) if f.index == Some(7) && f.value.to_bits() == bad.to_bits()), "{e:?}");
            assert!(e.to_string().starts_with("tensor 4.weight: value 7 is "), "{e}");
        }
    }

    #[test]
    #[should_panic(expected = "two tensors named 0.bias")]
    fn encoding_duplicate_names_is_a_programmer_error() {
        let mut state = tiny_state();
        state.push(state[1].clone());
        encode(&tiny_spec(), &state);
    }

    // Round trips through a model on the CPU backend.

    use crate::backend::cpu::Cpu;
    use crate::model::{Mode, StateError};

    /// LeNet with batch normalisation and dropout, so the state holds running statistics too.
    fn bn_spec() -> ModelSpec {
        serde_json::from_str(
            r#"{"name": "bn", "input": [1, 8, 8], "layers": [
                {"type": "conv2d", "out_channels": 3, "kernel": 3, "padding": 1}, {"type": "batch_norm2d"},
                {"type": "relu"}, {"type": "avg_pool2d", "kernel": 2, "stride": 2}, {"type": "flatten"},
                {"type": "dropout", "p": 0.5}, {"type": "dense", "units": 4}]}"#,
        )
        .unwrap()
    }

    /// Eval-mode outputs of `model` for a fixed batch of two inputs.
    fn outputs(b: &Cpu, model: &mut Sequential<Cpu>) -> Vec<f32> {
        let [c, h, w] = model.spec.input;
        let mut rng = Rng::new(3);
        let x: Vec<f32> = (0..2 * c * h * w).map(|_| rng.uniform()).collect();
        model.set_input(b, &x, 2);
        model.forward(b, Mode::Eval);
        b.read(model.output())
    }

    #[test]
    fn save_then_load_is_bit_exact() {
        let b = Cpu::new();
        for spec in [zoo::lenet_d2l(), zoo::lenet5(), bn_spec()] {
            let mut model = Sequential::new(&b, spec.clone(), Init::XavierUniform, 42).unwrap();
            // Move the running statistics away from their initial 0 and 1.
            let mut rng = Rng::new(9);
            let [c, h, w] = spec.input;
            let x: Vec<f32> = (0..4 * c * h * w).map(|_| rng.normal()).collect();
            model.set_input(&b, &x, 4);
            model.forward(&b, Mode::Train);

            let bytes = save_model(&b, &model);
            let mut loaded = load_model(&b, &bytes).unwrap();
            assert_eq!(loaded.spec, spec);
            assert_eq!(bits(&sorted(loaded.state(&b))), bits(&sorted(model.state(&b))), "{}", spec.name);
            let (a, z) = (outputs(&b, &mut model), outputs(&b, &mut loaded));
            assert_eq!(a.iter().map(|v| v.to_bits()).collect::<Vec<_>>(), z.iter().map(|v| v.to_bits()).collect::<Vec<_>>());
            // And saving the loaded model gives the same file.
            assert_eq!(save_model(&b, &loaded), bytes);
        }
    }

    #[test]
    fn lenet_d2l_file_holds_its_61706_parameters() {
        let b = Cpu::new();
        let model = Sequential::new(&b, zoo::lenet_d2l(), Init::XavierUniform, 1).unwrap();
        let file = decode(&save_model(&b, &model)).unwrap();
        assert_eq!(file.tensors.iter().map(|t| t.data.len()).sum::<usize>(), 61_706);
        let names: Vec<&str> = file.tensors.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["0.bias", "0.weight", "3.bias", "3.weight", "7.bias", "7.weight", "9.bias", "9.weight", "11.bias", "11.weight"]);
    }

    #[test]
    fn a_missing_tensor_is_a_state_error() {
        let b = Cpu::new();
        let mut state = tiny_state();
        state.retain(|t| t.name != "0.bias");
        match load_model(&b, &encode(&tiny_spec(), &state)) {
            Err(crate::Error::State(StateError::Missing { name, shape })) => assert_eq!((name.as_str(), shape), ("0.bias", Shape(vec![2]))),
            other => panic!("expected a missing tensor, got {:?}", other.err()),
        }
    }

    #[test]
    fn a_shape_mismatch_is_a_state_error() {
        // Same number of values, transposed: decodes, but does not fit the dense layer.
        let b = Cpu::new();
        let mut state = tiny_state();
        state[2].shape = Shape(vec![8, 3]);
        let e = load_model(&b, &encode(&tiny_spec(), &state)).err().expect("a shape mismatch");
        assert!(
            matches!(&e, crate::Error::State(StateError::ShapeMismatch { name, expected, found })
                if name == "4.weight" && expected == &Shape(vec![3, 8]) && found == &Shape(vec![8, 3])),
            "{e:?}"
        );
        assert_eq!(e.to_string(), "tensor 4.weight has shape (8, 3) but the model needs (3, 8)");
    }

    #[test]
    fn an_extra_tensor_is_a_state_error() {
        let b = Cpu::new();
        let mut state = tiny_state();
        state.push(NamedTensor { name: "9.weight".into(), shape: Shape(vec![1]), data: vec![1.0] });
        let e = load_model(&b, &encode(&tiny_spec(), &state)).err().expect("an unexpected tensor");
        assert!(matches!(e, crate::Error::State(StateError::Unexpected { .. })), "{e:?}");
    }

    #[test]
    fn load_into_replaces_weights_only_when_everything_fits() {
        let b = Cpu::new();
        let mut model = Sequential::new(&b, tiny_spec(), Init::HeNormal, 5).unwrap();
        let before = bits(&model.state(&b));

        // Another network: refused, the model untouched.
        let other = Sequential::new(&b, zoo::lenet_d2l(), Init::XavierUniform, 1).unwrap();
        let e = load_into(&b, &mut model, &save_model(&b, &other)).unwrap_err();
        assert!(matches!(e, crate::Error::Format(FormatError::SpecMismatch { .. })), "{e:?}");
        assert!(e.to_string().contains("input is [1, 28, 28]"), "{e}");
        assert_eq!(bits(&model.state(&b)), before);

        // The same network with a tensor missing, or a damaged file: refused, untouched.
        let mut state = tiny_state();
        state.pop();
        assert!(matches!(load_into(&b, &mut model, &encode(&tiny_spec(), &state)), Err(crate::Error::State(StateError::Missing { .. }))));
        let good = encode(&tiny_spec(), &tiny_state());
        assert!(matches!(load_into(&b, &mut model, &good[..good.len() - 1]), Err(crate::Error::Format(FormatError::Truncated { .. }))));
        assert_eq!(bits(&model.state(&b)), before);

        // A file of the same network under another name: loaded.
        let mut renamed = tiny_spec();
        renamed.name = "tiny, trained".into();
        load_into(&b, &mut model, &encode(&renamed, &tiny_state())).unwrap();
        assert_eq!(bits(&sorted(model.state(&b))), bits(&sorted(tiny_state())));
        assert_eq!(model.spec.name, "tiny");
    }

    #[test]
    fn spec_differences_are_described() {
        let a = tiny_spec();
        let mut b = a.clone();
        b.name = "renamed".into();
        assert_eq!(spec_difference(&a, &b), None);
        b.layers[1] = LayerSpec::Tanh;
        assert_eq!(spec_difference(&a, &b).unwrap(), "layer 1 is Tanh, in this model ReLU");
        b.layers.truncate(1);
        b.input = [3, 6, 6];
        assert!(spec_difference(&a, &b).unwrap().to_string().contains("[3, 6, 6]"));
    }
}
