//! A seeded mutator, for the stable driver (libFuzzer brings its own). Byte-level mutations as
//! libFuzzer makes them (bit flips, interesting integers, insertions, deletions, splices), plus
//! two that know the formats: numbers written as text (a spec's sizes, inside JSON or inside a
//! model file's header) replaced by interesting ones, and model files re-framed so that a
//! mutated header still has the right length — or rebuilt around a mutated spec with weights of
//! the right shapes — so that mutations reach shape inference, the budget and the forward pass
//! instead of stopping at the framing.

use std::io::Write;

use cnn_core::model::{LayerSpec, ModelSpec};
use serde_json::{json, Value};

/// SplitMix64: small, seeded, the same on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

/// Numbers that find off-by-ones and overflows, as text.
const NUMBERS: [&str; 32] = [
    "0", "1", "2", "3", "4", "5", "7", "8", "16", "28", "-1", "0.5", "1e39", "-1e39", "3.4e38", "NaN", "1e-45", "255", "256", "65535",
    "65536", "32754", "100000", "2147483647", "2147483648", "4294967295", "4294967296", "9223372036854775807", "9223372036854775808",
    "18446744073709551615", "18446744073709551616", "1.5",
];

/// Integers for binary fields, little- or big-endian.
const INTEGERS: [u64; 14] = [0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0xffff, 0x7fff_ffff, 0xffff_ffff, 0x1_0000_0000, i64::MAX as u64, u64::MAX];

/// Spans of ASCII digits (with a leading '-' and a fraction or exponent) in `data`.
fn numbers(data: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() {
        if data[i].is_ascii_digit() {
            let start = if i > 0 && data[i - 1] == b'-' { i - 1 } else { i };
            let mut j = i;
            while j < data.len() && (data[j].is_ascii_digit() || matches!(data[j], b'.' | b'e' | b'E' | b'+' | b'-')) {
                j += 1;
            }
            out.push((start, j));
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// One byte-level or text-level mutation of `data` (`other` is another corpus entry to splice).
pub fn mutate_bytes(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) {
    if data.is_empty() {
        data.push(rng.next_u64() as u8);
        return;
    }
    match rng.below(10) {
        0 => {
            let i = rng.below(data.len());
            data[i] ^= 1 << rng.below(8);
        }
        1 => {
            let i = rng.below(data.len());
            data[i] = [0, 0xff, 0x7f, 0x80, b'{', b'}', b'"', b'[', b']', b',', b'0', b'9'][rng.below(12)];
        }
        2 => {
            // An interesting integer, 1, 2, 4 or 8 bytes, either byte order.
            let width = [1, 2, 4, 8][rng.below(4)];
            if data.len() >= width {
                let i = rng.below(data.len() - width + 1);
                let v = INTEGERS[rng.below(INTEGERS.len())];
                let bytes = if rng.chance(2) { v.to_le_bytes() } else { v.to_be_bytes() };
                let bytes = if rng.chance(2) { &bytes[..width] } else { &bytes[8 - width..] };
                data[i..i + width].copy_from_slice(bytes);
            }
        }
        3..=5 => {
            // A number written as text, replaced.
            let spans = numbers(data);
            if spans.is_empty() {
                return mutate_bytes(rng, data, other);
            }
            let (a, b) = spans[rng.below(spans.len())];
            let n = NUMBERS[rng.below(NUMBERS.len())];
            data.splice(a..b, n.bytes());
        }
        6 => {
            let i = rng.below(data.len() + 1);
            let n = 1 + rng.below(8);
            let bytes: Vec<u8> = (0..n).map(|_| rng.next_u64() as u8).collect();
            data.splice(i..i, bytes);
        }
        7 => {
            let i = rng.below(data.len());
            let n = 1 + rng.below((data.len() - i).min(64));
            data.drain(i..i + n);
        }
        8 => {
            // Duplicate a range (a layer written twice, say).
            let i = rng.below(data.len());
            let n = 1 + rng.below((data.len() - i).min(128));
            let chunk = data[i..i + n].to_vec();
            let at = rng.below(data.len() + 1);
            data.splice(at..at, chunk);
        }
        _ => {
            // Splice: our head, the other's tail.
            if other.is_empty() {
                data.truncate(rng.below(data.len()) + 1);
            } else {
                let cut = rng.below(data.len());
                let from = rng.below(other.len());
                data.truncate(cut);
                data.extend_from_slice(&other[from..]);
            }
        }
    }
}

/// The layer types of a spec, for replacing one with another.
const LAYER_TYPES: [&str; 14] = [
    "conv2d", "max_pool2d", "avg_pool2d", "global_avg_pool", "flatten", "dense", "sigmoid", "tanh", "relu", "leaky_relu", "dropout", "batch_norm2d",
    "residual", "inception",
];

/// Channel counts for the blocks a mutation writes: small, so that the model still runs (0 now
/// and then: a block of no channels must be refused, not crash).
const SMALL: [u64; 7] = [1, 1, 2, 2, 3, 4, 0];

/// Where a list of layers sits in a spec: the steps from its `layers` down through residual
/// blocks (a layer's index, then "body" or "shortcut").
type ListPath = Vec<(usize, &'static str)>;

/// Every list of layers of a spec, in pre-order: `layers`, then each block's body and shortcut.
fn layer_lists(layers: &[Value], path: &mut ListPath, out: &mut Vec<ListPath>) {
    out.push(path.clone());
    for (i, l) in layers.iter().enumerate() {
        for key in ["body", "shortcut"] {
            if let Some(inner) = l.get(key).and_then(Value::as_array) {
                path.push((i, key));
                layer_lists(inner, path, out);
                path.pop();
            }
        }
    }
}

fn list_at<'a>(layers: &'a mut Vec<Value>, path: &[(usize, &'static str)]) -> Option<&'a mut Vec<Value>> {
    let mut list = layers;
    for &(i, key) in path {
        list = list.get_mut(i)?.get_mut(key)?.as_array_mut()?;
    }
    Some(list)
}

/// The (C, H, W) that `layers` give for an input of `input`, when they infer and end in an image.
fn image_after(input: [usize; 3], layers: &[Value]) -> Option<[usize; 3]> {
    let layers: Vec<LayerSpec> = serde_json::from_value(Value::Array(layers.to_vec())).ok()?;
    let spec = ModelSpec { name: String::new(), input, layers };
    let out = spec.infer().ok()?.last().map(|l| l.output.clone()).unwrap_or_else(|| spec.input_shape(0));
    if out.dims().len() != 4 {
        return None;
    }
    let (c, h, w) = out.chw();
    Some([c, h, w])
}

/// The image that arrives at position `at` of the list at `path`, when the spec infers that far.
fn image_at(spec: &Value, path: &[(usize, &'static str)], at: usize) -> Option<[usize; 3]> {
    let mut shape: [usize; 3] = serde_json::from_value(spec.get("input")?.clone()).ok()?;
    let mut list = spec.get("layers")?.as_array()?;
    for &(i, key) in path {
        shape = image_after(shape, list.get(..i)?)?;
        // A shortcut reads the block's input, as its body does.
        list = list.get(i)?.get(key)?.as_array()?;
    }
    image_after(shape, list.get(..at)?)
}

/// A projection from `from` to `to`, as ResNet writes one: a 1×1 convolution with the stride
/// that gives the size (when one does), now and then followed by a batch norm.
fn projection(rng: &mut Rng, from: Option<[usize; 3]>, to: Option<[usize; 3]>) -> Vec<Value> {
    let (channels, stride) = match (from, to) {
        (Some([_, h, w]), Some([c, oh, ow])) if !rng.chance(4) => {
            let s = (1..=h.max(1)).find(|&s| (h - 1) / s + 1 == oh && (w - 1) / s + 1 == ow).unwrap_or(1);
            (c as u64, s as u64)
        }
        _ => (SMALL[rng.below(SMALL.len())], 1 + rng.below(2) as u64),
    };
    let mut conv = json!({"type": "conv2d", "out_channels": channels, "kernel": 1, "stride": stride});
    if rng.chance(2) {
        conv["bias"] = false.into();
    }
    let mut out = vec![conv];
    if rng.chance(2) {
        out.push(json!({"type": "batch_norm2d"}));
    }
    out
}

/// A small Inception block for `channels` in (small channel counts, as d2l's but tiny).
fn inception(rng: &mut Rng, channels: Option<usize>) -> Value {
    let mut small = || SMALL[rng.below(SMALL.len())];
    let (c1, c2, c3, c4) = (small(), [small(), small()], [small(), small()], small());
    let in_channels = match channels {
        Some(c) => c as u64,
        None => small(),
    };
    json!({"type": "inception", "in_channels": in_channels, "c1": c1, "c2": c2, "c3": c3, "c4": c4})
}

/// A layer of the kinds graph specs brought: global average pooling, a bias-free convolution, a
/// padded pool.
fn graph_layer(rng: &mut Rng, channels: Option<usize>) -> Value {
    match rng.below(4) {
        0 => json!({"type": "global_avg_pool"}),
        1 => json!({"type": "conv2d", "out_channels": channels.unwrap_or(2), "kernel": 3, "padding": 1, "bias": false}),
        2 => json!({"type": "max_pool2d", "kernel": 3, "stride": 1 + rng.below(2), "padding": 1}),
        _ => json!({"type": "avg_pool2d", "kernel": 3, "stride": 1 + rng.below(2), "padding": rng.below(3)}),
    }
}

/// A mutation that knows a spec's JSON, in any list of layers (the top one, a residual body, a
/// shortcut): a layer deleted, duplicated, moved or given another type, a size set to an
/// interesting number, a run of layers wrapped into a residual block, a shortcut added or
/// removed, an Inception block or another layer of a graph inserted. `None` when `text` is not a
/// spec-like JSON object.
pub fn mutate_spec_json(rng: &mut Rng, text: &[u8]) -> Option<Vec<u8>> {
    let mut v: Value = serde_json::from_slice(text).ok()?;
    let mut paths = Vec::new();
    layer_lists(v.get("layers")?.as_array()?, &mut Vec::new(), &mut paths);
    let path = paths[rng.below(paths.len())].clone();
    let kind = rng.below(11);
    // Where to change, and the image that arrives there, worked out before the list is
    // borrowed for changing: a shortcut's change is at a residual block.
    let (n, at) = {
        let mut list = v.get("layers")?.as_array()?;
        for &(i, key) in &path {
            list = list.get(i)?.get(key)?.as_array()?;
        }
        let at = if kind == 7 {
            let blocks: Vec<usize> = (0..list.len()).filter(|&i| list[i].get("body").is_some()).collect();
            if blocks.is_empty() {
                return None;
            }
            blocks[rng.below(blocks.len())]
        } else {
            rng.below(list.len() + 1)
        };
        (list.len(), at)
    };
    let before = if (6..=9).contains(&kind) { image_at(&v, &path, at) } else { None };
    if kind == 4 {
        let dims = v.get_mut("input")?.as_array_mut()?;
        if !dims.is_empty() {
            let i = rng.below(dims.len());
            dims[i] = [1u64, 2, 3, 4, 5, 8, 16, 28, 32, 100, 65_536][rng.below(11)].into();
        }
        return serde_json::to_vec(&v).ok();
    }
    let layers = list_at(v.get_mut("layers")?.as_array_mut()?, &path)?;
    match kind {
        0 if n > 0 => {
            layers.remove(rng.below(n));
        }
        1 if n > 0 => {
            let l = layers[rng.below(n)].clone();
            layers.insert(rng.below(n + 1), l);
        }
        2 if n > 1 => {
            let (a, b) = (rng.below(n), rng.below(n));
            layers.swap(a, b);
        }
        3 if n > 0 => {
            let l = &mut layers[rng.below(n)];
            let t = LAYER_TYPES[rng.below(LAYER_TYPES.len())];
            let o = l.as_object_mut()?;
            o.insert("type".into(), t.into());
            // A block needs its fields to parse at all.
            match t {
                "residual" if !o.contains_key("body") => {
                    o.insert("body".into(), json!([{"type": "relu"}]));
                }
                "inception" if !o.contains_key("c1") => {
                    let Value::Object(fields) = inception(rng, None) else { unreachable!() };
                    for (k, f) in fields {
                        o.entry(k).or_insert(f);
                    }
                }
                _ => {}
            }
        }
        5 if n > 0 => {
            let l = &mut layers[rng.below(n)];
            if let Some(o) = l.as_object_mut() {
                let keys = ["out_channels", "kernel", "stride", "padding", "units", "in_channels", "in_features", "c1", "c2", "c3", "c4", "bias"];
                let key = keys[rng.below(keys.len())];
                let mut number = || -> u64 { [0u64, 1, 2, 3, 4, 5, 7, 9, 16, 27, 28, 29][rng.below(12)] };
                let value: Value = match key {
                    "bias" => rng.chance(2).into(),
                    "c2" | "c3" => json!([number(), number()]),
                    _ => number().into(),
                };
                o.insert(key.into(), value);
            }
        }
        6 if n > 0 => {
            // Wrap layers[i..j] into a residual block, with a projection half the time.
            let i = at.min(n - 1);
            let from = if i == at { before } else { None };
            let j = i + 1 + rng.below((n - i).min(4));
            let body: Vec<Value> = layers.drain(i..j).collect();
            let to = from.and_then(|f| image_after(f, &body));
            let mut block = json!({"type": "residual", "body": body});
            if rng.chance(2) {
                block["shortcut"] = projection(rng, from, to).into();
            }
            layers.insert(i, block);
        }
        7 => {
            // A residual block's shortcut: added (fitting its body when the shapes are known),
            // replaced by a random one, or removed (the identity).
            let o = layers.get_mut(at)?.as_object_mut()?;
            if o.contains_key("shortcut") && rng.chance(3) {
                o.remove("shortcut");
            } else {
                let body = o.get("body").and_then(Value::as_array).cloned().unwrap_or_default();
                let to = before.and_then(|f| image_after(f, &body));
                o.insert("shortcut".into(), projection(rng, before, to).into());
            }
        }
        8 => {
            let channels = before.map(|[c, _, _]| c).filter(|_| !rng.chance(5));
            let block = inception(rng, channels);
            layers.insert(at, block);
        }
        9 => {
            let layer = graph_layer(rng, before.map(|[c, _, _]| c));
            layers.insert(at, layer);
        }
        10 if n > 0 => {
            // A block's body or shortcut as a whole moved out into its list (unwrapping).
            let i = rng.below(n);
            let inner = ["body", "shortcut"].iter().find_map(|k| layers[i].get(*k).and_then(Value::as_array).cloned());
            let inner = inner?;
            layers.splice(i..i + 1, inner);
        }
        _ => return None,
    }
    serde_json::to_vec(&v).ok()
}

/// A model file's parts: its JSON header and its data.
fn split_model(data: &[u8]) -> Option<(serde_json::Map<String, serde_json::Value>, Vec<u8>)> {
    let n = u64::from_le_bytes(data.get(..8)?.try_into().ok()?) as usize;
    let header = serde_json::from_slice(data.get(8..8usize.checked_add(n)?)?).ok()?;
    Some((header, data[8 + n..].to_vec()))
}

fn frame(header: &serde_json::Map<String, serde_json::Value>, data: &[u8]) -> Vec<u8> {
    let h = serde_json::to_vec(header).expect("JSON of JSON values");
    let mut out = (h.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(&h);
    out.extend_from_slice(data);
    out
}

/// A model-file mutation: of the spec in its metadata (then either re-framed as it is, or rebuilt
/// with weights that fit the new spec), of a tensor's entry, or of the raw bytes.
pub fn mutate_model(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) {
    let Some((mut header, body)) = split_model(data) else { return mutate_bytes(rng, data, other) };
    match rng.below(4) {
        0 | 1 => {
            let Some(spec) = header.get("__metadata__").and_then(|m| m.get("spec")).and_then(|s| s.as_str()) else {
                return mutate_bytes(rng, data, other);
            };
            let mut text = spec.as_bytes().to_vec();
            for _ in 0..1 + rng.below(3) {
                match mutate_spec_json(rng, &text).filter(|_| rng.chance(2)) {
                    Some(t) => text = t,
                    None => mutate_bytes(rng, &mut text, other),
                }
            }
            let text = String::from_utf8_lossy(&text).into_owned();
            // Rebuilt with weights of the right shapes when the new spec is a small model (a
            // million parameters at most: drawing the weights of one that fills the fuzz budget
            // takes seconds).
            if !rng.chance(3) {
                if let Ok(spec) = serde_json::from_str::<cnn_core::model::ModelSpec>(&text) {
                    if spec.check_budget(2, crate::targets::FUZZ_BUDGET).is_ok() && spec.param_count().is_ok_and(|p| p <= 1 << 20) {
                        if let Some(file) = crate::seeds::model_file(&spec, rng.next_u64()) {
                            *data = file;
                            // Keep the spec's text as mutated (numbers as written, 1e39 stays).
                            if let Some((mut h, body)) = split_model(data) {
                                if let Some(serde_json::Value::Object(m)) = h.get_mut("__metadata__") {
                                    m.insert("spec".into(), text.into());
                                }
                                *data = frame(&h, &body);
                            }
                            return;
                        }
                    }
                }
            }
            if let Some(serde_json::Value::Object(m)) = header.get_mut("__metadata__") {
                m.insert("spec".into(), text.into());
            }
            *data = frame(&header, &body);
        }
        2 => {
            // A tensor's entry: its shape, offsets or dtype, as text.
            let names: Vec<String> = header.keys().filter(|k| *k != "__metadata__").cloned().collect();
            if names.is_empty() {
                return mutate_bytes(rng, data, other);
            }
            let name = &names[rng.below(names.len())];
            let mut text = serde_json::to_vec(&header[name]).expect("JSON");
            mutate_bytes(rng, &mut text, other);
            match serde_json::from_slice(&text) {
                Ok(v) => {
                    header.insert(name.clone(), v);
                }
                Err(_) => {
                    header.remove(name);
                }
            }
            *data = frame(&header, &body);
        }
        _ => mutate_bytes(rng, data, other),
    }
}

/// An IDX mutation: the header's sizes (big-endian at 4, 8, 12) or the bytes; gzip-compressed
/// afterwards now and then, so that the gzip path reads well-formed streams too.
pub fn mutate_idx(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) {
    let gz = data.starts_with(&[0x1f, 0x8b]);
    let mut plain = if gz {
        let mut out = Vec::new();
        let mut d = flate2::read::GzDecoder::new(&data[..]);
        // A corpus entry is small; read at most 1 MiB of it.
        use std::io::Read;
        if (&mut d).take(1 << 20).read_to_end(&mut out).is_err() {
            return mutate_bytes(rng, data, other);
        }
        out
    } else {
        data.clone()
    };
    if plain.len() >= 16 && rng.chance(2) {
        let at = [4, 8, 12][rng.below(3)];
        let v = [0u32, 1, 2, 27, 28, 29, 255, 65_535, 65_536, 60_000, 60_001, 0x7fff_ffff, u32::MAX][rng.below(13)];
        plain[at..at + 4].copy_from_slice(&v.to_be_bytes());
    } else {
        mutate_bytes(rng, &mut plain, other);
    }
    *data = if rng.chance(3) {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(&plain).expect("writing to a Vec");
        e.finish().expect("writing to a Vec")
    } else {
        plain
    };
}

/// Numbers as PyTorch code writes them: sizes, the flattened sizes learners get wrong, and what
/// Python's integer syntax allows.
const CODE_NUMBERS: [&str; 24] = [
    "0", "1", "2", "3", "5", "7", "10", "16", "28", "64", "120", "400", "784", "9216", "6400", "-1", "1e5", "2**31", "10**20", "0x10", "1_000", "3.5",
    "16 * 5 * 5", "(2, 2)",
];

/// Module names, the notebook's and some it does not have.
const MODULE_NAMES: [&str; 20] = [
    "Conv2d", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "Flatten", "Linear", "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Dropout", "BatchNorm2d",
    "Sequential", "Residual", "Inception", "Conv1d", "Softmax", "Dense", "Identity", "GELU",
];

const KEYWORDS: [&str; 12] =
    ["kernel_size", "stride", "padding", "bias", "shortcut", "p", "inplace", "in_channels", "c1", "c4", "negative_slope", "ceil_mode"];

/// Pieces a learner types: layers, blocks, keywords, Chinese comments and punctuation typed with
/// a Chinese keyboard.
const CODE_PIECES: [&str; 16] = [
    "nn.ReLU(), ",
    "nn.BatchNorm2d(6), ",
    "nn.AdaptiveAvgPool2d((1, 1)), ",
    "Residual(nn.Conv2d(6, 6, 3, padding=1, bias=False), nn.BatchNorm2d(6), nn.ReLU()), ",
    "Residual(nn.Conv2d(6, 16, 3, stride=2, padding=1), shortcut=nn.Conv2d(6, 16, 1, stride=2)), ",
    "Inception(6, 2, (2, 3), (1, 2), 1), ",
    "nn.MaxPool2d(3, stride=2, padding=1), ",
    "shortcut=nn.Sequential(nn.Conv2d(6, 16, 1, bias=False), nn.BatchNorm2d(16)), ",
    "bias=False, ",
    "padding=1, ",
    "  # 这里使用一个更大的窗口来捕捉对象",
    "  # 输出 10 类",
    "，",
    "（",
    "\"\"\"文档 nn.Sequential(\"\"\"\n",
    "\n    ",
];

/// Byte offsets of the starts of `text`'s lines.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect()
}

/// A random char boundary of `text` (its length included).
fn boundary(rng: &mut Rng, text: &str) -> usize {
    let n = text.chars().count();
    text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).nth(rng.below(n + 1)).unwrap_or(0)
}

/// A mutation that knows PyTorch code: a number swapped, a line deleted or duplicated, a bracket
/// or comma inserted or dropped, a module or keyword renamed, a piece of code (a layer, a block,
/// a Chinese comment) inserted; now and then a byte-level one.
pub fn mutate_code(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) {
    if rng.chance(6) {
        return mutate_bytes(rng, data, other);
    }
    let mut text = String::from_utf8_lossy(data).into_owned();
    match rng.below(9) {
        0 | 1 => {
            let spans = numbers(text.as_bytes());
            if spans.is_empty() {
                return mutate_bytes(rng, data, other);
            }
            // `numbers` splits at ASCII only, so each span is on char boundaries.
            let (a, b) = spans[rng.below(spans.len())];
            text.replace_range(a..b, CODE_NUMBERS[rng.below(CODE_NUMBERS.len())]);
        }
        2 => {
            let starts = line_starts(&text);
            let i = rng.below(starts.len());
            let end = starts.get(i + 1).copied().unwrap_or(text.len());
            text.replace_range(starts[i]..end, "");
        }
        3 => {
            let starts = line_starts(&text);
            let i = rng.below(starts.len());
            let end = starts.get(i + 1).copied().unwrap_or(text.len());
            let line = text[starts[i]..end].to_string();
            let at = starts[rng.below(starts.len())];
            text.insert_str(at, &line);
            if !line.ends_with('\n') {
                text.insert(at + line.len(), '\n');
            }
        }
        4 => {
            const PUNCT: [char; 7] = ['(', ')', ',', '[', ']', '=', ':'];
            let found: Vec<usize> = text.char_indices().filter(|(_, c)| PUNCT.contains(c)).map(|(i, _)| i).collect();
            if !found.is_empty() && rng.chance(2) {
                text.remove(found[rng.below(found.len())]);
            } else {
                let at = boundary(rng, &text);
                text.insert(at, PUNCT[rng.below(PUNCT.len())]);
            }
        }
        5 => {
            let found: Vec<(usize, &str)> = MODULE_NAMES.iter().flat_map(|m| text.match_indices(m).filter(|(i, _)| text[..*i].ends_with('.') || text[..*i].ends_with(['(', ' ', '\n']))).collect();
            if found.is_empty() {
                return mutate_bytes(rng, data, other);
            }
            let (at, name) = found[rng.below(found.len())];
            let len = name.len();
            text.replace_range(at..at + len, MODULE_NAMES[rng.below(MODULE_NAMES.len())]);
        }
        6 => {
            let found: Vec<(usize, &str)> = KEYWORDS.iter().flat_map(|k| text.match_indices(&format!("{k}=")).map(|(i, _)| (i, *k)).collect::<Vec<_>>()).collect();
            if found.is_empty() {
                let at = boundary(rng, &text);
                text.insert_str(at, &format!("{}=1, ", KEYWORDS[rng.below(KEYWORDS.len())]));
            } else {
                let (at, k) = found[rng.below(found.len())];
                text.replace_range(at..at + k.len(), KEYWORDS[rng.below(KEYWORDS.len())]);
            }
        }
        _ => {
            // A piece inserted after a comma or an opening bracket (where a layer may stand),
            // or anywhere.
            let places: Vec<usize> = text.match_indices([',', '(']).map(|(i, _)| i + 1).collect();
            let at = if places.is_empty() || rng.chance(4) { boundary(rng, &text) } else { places[rng.below(places.len())] };
            text.insert_str(at, CODE_PIECES[rng.below(CODE_PIECES.len())]);
        }
    }
    *data = text.into_bytes();
}

/// A mutation for `target`.
pub fn mutate(target: &str, rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) {
    match target {
        "model" => mutate_model(rng, data, other),
        "idx" => mutate_idx(rng, data, other),
        "code" => mutate_code(rng, data, other),
        "spec" => match mutate_spec_json(rng, data).filter(|_| rng.chance(2)) {
            Some(t) => *data = t,
            None => mutate_bytes(rng, data, other),
        },
        _ => mutate_bytes(rng, data, other),
    }
}
