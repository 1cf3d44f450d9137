//! A seeded mutator, for the stable driver (libFuzzer brings its own). Byte-level mutations as
//! libFuzzer makes them (bit flips, interesting integers, insertions, deletions, splices), plus
//! two that know the formats: numbers written as text (a spec's sizes, inside JSON or inside a
//! model file's header) replaced by interesting ones, and model files re-framed so that a
//! mutated header still has the right length — or rebuilt around a mutated spec with weights of
//! the right shapes — so that mutations reach shape inference, the budget and the forward pass
//! instead of stopping at the framing.

use std::io::Write;

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
const LAYER_TYPES: [&str; 10] = ["conv2d", "max_pool2d", "avg_pool2d", "flatten", "dense", "sigmoid", "tanh", "relu", "leaky_relu", "batch_norm2d"];

/// A mutation that knows a spec's JSON: a layer deleted, duplicated, moved or given another
/// type, a size set to an interesting number. `None` when `text` is not a JSON object.
pub fn mutate_spec_json(rng: &mut Rng, text: &[u8]) -> Option<Vec<u8>> {
    let mut v: serde_json::Value = serde_json::from_slice(text).ok()?;
    let layers = v.get_mut("layers")?.as_array_mut()?;
    let n = layers.len();
    match rng.below(6) {
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
            if let Some(o) = l.as_object_mut() {
                o.insert("type".into(), LAYER_TYPES[rng.below(LAYER_TYPES.len())].into());
            }
        }
        4 => {
            let dims = v.get_mut("input")?.as_array_mut()?;
            if !dims.is_empty() {
                let i = rng.below(dims.len());
                dims[i] = [1u64, 2, 3, 4, 5, 8, 16, 28, 32, 100, 65_536][rng.below(11)].into();
            }
        }
        _ if n > 0 => {
            let l = &mut layers[rng.below(n)];
            if let Some(o) = l.as_object_mut() {
                let key = ["out_channels", "kernel", "stride", "padding", "units", "in_channels", "in_features"][rng.below(7)];
                o.insert(key.into(), [0u64, 1, 2, 3, 4, 5, 7, 9, 16, 27, 28, 29][rng.below(12)].into());
            }
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
            // Rebuilt with weights of the right shapes when the new spec is a small model.
            if !rng.chance(3) {
                if let Ok(spec) = serde_json::from_str::<cnn_core::model::ModelSpec>(&text) {
                    if spec.check_budget(2, crate::targets::FUZZ_BUDGET).is_ok() {
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

/// A mutation for `target`.
pub fn mutate(target: &str, rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) {
    match target {
        "model" => mutate_model(rng, data, other),
        "idx" => mutate_idx(rng, data, other),
        "spec" => match mutate_spec_json(rng, data).filter(|_| rng.chance(2)) {
            Some(t) => *data = t,
            None => mutate_bytes(rng, data, other),
        },
        _ => mutate_bytes(rng, data, other),
    }
}
