//! The seed corpus: small valid inputs of every target, from which mutation starts. Written to
//! `fuzz/corpus/<target>/` by `cargo run -p fuzz -- seed` (cargo-fuzz reads that folder too).

use std::io::Write;

use cnn_core::data::idx::{write_u8, IMAGES_MAGIC, LABELS_MAGIC};
use cnn_core::format;
use cnn_core::init::Init;
use cnn_core::model::{ModelSpec, Sequential};
use cnn_core::Cpu;

/// Small specs covering every layer type, stride, padding and both pools, and two graphs: a
/// residual network (identity and projection blocks, bias-free convolutions, global average
/// pooling) and an Inception network (padded pools).
pub const SPECS: [&str; 7] = [
    r#"{"name":"tiny","input":[1,6,6],"layers":[{"type":"conv2d","out_channels":2,"kernel":3},{"type":"relu"},{"type":"max_pool2d","kernel":2,"stride":2},{"type":"flatten"},{"type":"dense","units":3}]}"#,
    r#"{"name":"bn","input":[1,8,8],"layers":[{"type":"conv2d","out_channels":3,"kernel":3,"padding":1},{"type":"batch_norm2d"},{"type":"relu"},{"type":"avg_pool2d","kernel":2,"stride":2},{"type":"flatten"},{"type":"dropout","p":0.5},{"type":"dense","units":4}]}"#,
    r#"{"name":"strided","input":[2,9,7],"layers":[{"type":"conv2d","in_channels":2,"out_channels":2,"kernel":3,"stride":2,"padding":2},{"type":"leaky_relu","slope":0.1},{"type":"conv2d","out_channels":1,"kernel":1},{"type":"tanh"},{"type":"flatten"},{"type":"dense","in_features":30,"units":2},{"type":"sigmoid"}]}"#,
    r#"{"name":"mlp","input":[1,4,4],"layers":[{"type":"flatten"},{"type":"dense","units":5},{"type":"sigmoid"},{"type":"dense","units":2}]}"#,
    r#"{"name":"lenet-small","input":[1,12,12],"layers":[{"type":"conv2d","out_channels":2,"kernel":5,"padding":2},{"type":"sigmoid"},{"type":"avg_pool2d","kernel":2,"stride":2},{"type":"conv2d","out_channels":3,"kernel":3},{"type":"sigmoid"},{"type":"avg_pool2d","kernel":2,"stride":2},{"type":"flatten"},{"type":"dense","units":6},{"type":"dense","units":10}]}"#,
    r#"{"name":"resnet-tiny","input":[1,8,8],"layers":[{"type":"conv2d","out_channels":4,"kernel":3,"padding":1,"bias":false},{"type":"batch_norm2d"},{"type":"relu"},{"type":"residual","body":[{"type":"conv2d","in_channels":4,"out_channels":4,"kernel":3,"padding":1,"bias":false},{"type":"batch_norm2d"},{"type":"relu"},{"type":"conv2d","out_channels":4,"kernel":3,"padding":1,"bias":false},{"type":"batch_norm2d"}]},{"type":"relu"},{"type":"residual","body":[{"type":"conv2d","out_channels":6,"kernel":3,"stride":2,"padding":1,"bias":false},{"type":"batch_norm2d"},{"type":"relu"},{"type":"conv2d","out_channels":6,"kernel":3,"padding":1,"bias":false},{"type":"batch_norm2d"}],"shortcut":[{"type":"conv2d","out_channels":6,"kernel":1,"stride":2,"bias":false},{"type":"batch_norm2d"}]},{"type":"relu"},{"type":"global_avg_pool"},{"type":"flatten"},{"type":"dense","units":3}]}"#,
    r#"{"name":"googlenet-tiny","input":[1,8,8],"layers":[{"type":"conv2d","out_channels":4,"kernel":3,"padding":1},{"type":"relu"},{"type":"max_pool2d","kernel":3,"stride":2,"padding":1},{"type":"inception","in_channels":4,"c1":2,"c2":[2,3],"c3":[1,2],"c4":1},{"type":"inception","in_channels":8,"c1":1,"c2":[1,2],"c3":[1,1],"c4":1},{"type":"avg_pool2d","kernel":3,"stride":1,"padding":1},{"type":"global_avg_pool"},{"type":"flatten"},{"type":"dense","units":4}]}"#,
];

/// A model file for `spec`, weights drawn from `seed`.
pub fn model_file(spec: &ModelSpec, seed: u64) -> Option<Vec<u8>> {
    let b = Cpu::new();
    let model = Sequential::new(&b, spec.clone(), Init::Uniform { a: 0.5 }, seed).ok()?;
    Some(format::save_model(&b, &model))
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).expect("writing to a Vec");
    e.finish().expect("writing to a Vec")
}

/// The seeds of `target`, with a file name each.
pub fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    match target {
        "model" => SPECS
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("seed-{i}.cnn"), model_file(&serde_json::from_str(s).expect("a seed spec parses"), i as u64).expect("a seed spec builds")))
            .collect(),
        "spec" => SPECS.iter().enumerate().map(|(i, s)| (format!("seed-{i}.json"), s.as_bytes().to_vec())).collect(),
        "idx" => {
            let images = write_u8(IMAGES_MAGIC, &[2, 28, 28], &(0..2 * 784).map(|i| (i % 251) as u8).collect::<Vec<_>>());
            let small = write_u8(IMAGES_MAGIC, &[3, 2, 3], &(0..18).collect::<Vec<u8>>());
            let labels = write_u8(LABELS_MAGIC, &[5], &[3, 1, 4, 1, 5]);
            vec![
                ("images.idx".into(), images.clone()),
                ("images.idx.gz".into(), gzip(&images)),
                ("small.idx".into(), small.clone()),
                ("small.idx.gz".into(), gzip(&small)),
                ("labels.idx".into(), labels.clone()),
                ("labels.idx.gz".into(), gzip(&labels)),
            ]
        }
        // Hand-written code, kept only as the files in fuzz/corpus/code/.
        "code" => Vec::new(),
        "digits" => {
            let pixels: Vec<String> = (0..784).map(|i| if i % 3 == 0 { "0".into() } else { format!("{:.3}", (i % 100) as f32 / 100.0) }).collect();
            vec![("digit.json".into(), format!("{{\"data\": [{}]}}", pixels.join(", ")).into_bytes())]
        }
        other => panic!("no target {other}"),
    }
}
