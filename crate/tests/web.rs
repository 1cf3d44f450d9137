//! The wasm boundary tested where it runs: in headless Chromium, through
//! `wasm-pack test --headless --chrome crate` (scripts/test.sh). Natively this file is empty.
#![cfg(target_arch = "wasm32")]

use cnn_core::web::{layer_table, preprocess, presets, Predictor};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The message JavaScript would see for an error from the boundary.
fn message(err: JsValue) -> String {
    err.dyn_into::<js_sys::Error>().expect("a JS Error").message().into()
}

/// A property of a JS object, as a string ("" when absent).
fn prop(target: &JsValue, name: &str) -> String {
    js_sys::Reflect::get(target, &name.into()).ok().and_then(|v| v.as_string()).unwrap_or_default()
}

/// A fixed batch of n 28×28 images: image i is a bright vertical bar at column 4 + 5·(i % 4),
/// labelled i % 4, so the classes are easy to tell apart.
fn bars(n: usize) -> (Vec<f32>, Vec<u8>) {
    let mut images = vec![0.0f32; n * 28 * 28];
    let mut labels = Vec::with_capacity(n);
    for i in 0..n {
        let class = i % 4;
        let col = 4 + 5 * class;
        for y in 4..24 {
            for x in col..col + 3 {
                images[i * 784 + y * 28 + x] = 1.0;
            }
        }
        labels.push(class as u8);
    }
    (images, labels)
}

#[wasm_bindgen_test]
fn presets_are_listed() {
    assert_eq!(presets(), vec!["lenet-d2l", "lenet5", "lenet-relu", "plain-20", "resnet-20"]);
}

/// The value at a dotted path of a plain object ("rows.0.label.en").
fn at(v: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(v.clone(), |v, key| js_sys::Reflect::get(&v, &key.into()).expect("an object"))
}

fn num(v: &JsValue, path: &str) -> f64 {
    at(v, path).as_f64().unwrap_or_else(|| panic!("{path} is not a number"))
}

fn floats(v: &JsValue, path: &str) -> Vec<f64> {
    js_sys::Array::from(&at(v, path)).iter().map(|x| x.as_f64().expect("a number")).collect()
}

fn text(v: &JsValue, path: &str) -> String {
    at(v, path).as_string().unwrap_or_else(|| panic!("{path} is not a string"))
}

#[wasm_bindgen_test]
fn lenet_d2l_layer_table_has_61706_parameters() {
    let t = layer_table("lenet-d2l").unwrap();
    assert_eq!((text(&t, "name"), text(&t, "input")), ("lenet-d2l".into(), "(N, 1, 28, 28)".into()));
    assert_eq!(num(&t, "rows.length"), 12.0);
    assert_eq!(num(&t, "totalParams"), 61_706.0);
    // conv1: 6·1·5·5 + 6 = 156 parameters and 6·28·28·(1·5·5) = 117,600 MACs per image; its label
    // comes as a sentence for the page's language.
    assert_eq!((text(&t, "rows.0.label.en"), text(&t, "rows.0.label.key"), text(&t, "rows.0.output")), ("Conv2d 6@5×5, pad 2".into(), "layer.convPad".into(), "(N, 6, 28, 28)".into()));
    assert_eq!((num(&t, "rows.0.params"), num(&t, "rows.0.macs")), (156.0, 117_600.0));
    assert_eq!(text(&t, "rows.11.output"), "(N, 10)");
    // conv2 16·10·10·(6·5·5) = 240,000; dense 400·120 + 120·84 + 84·10.
    assert_eq!(num(&t, "totalMacs"), (117_600 + 240_000 + 48_000 + 10_080 + 840) as f64);
}

#[wasm_bindgen_test]
fn an_unknown_preset_is_an_error_that_lists_the_presets() {
    let msg = message(layer_table("alexnet-xl").unwrap_err());
    assert!(msg.contains("unknown preset 'alexnet-xl'") && msg.contains("lenet-d2l"), "{msg}");
}

/// A pad of w×h RGBA pixels with an ink rectangle (x, y, width, height) in the alpha channel.
fn pad(w: usize, h: usize, rect: (usize, usize, usize, usize)) -> Vec<u8> {
    let mut px = vec![0u8; w * h * 4];
    for y in rect.1..rect.1 + rect.3 {
        for x in rect.0..rect.0 + rect.2 {
            px[(y * w + x) * 4 + 3] = 255;
        }
    }
    px
}

#[wasm_bindgen_test]
fn preprocessing_fits_the_ink_and_refuses_a_wrong_size() {
    assert_eq!(preprocess(&pad(280, 280, (0, 0, 0, 0)), 280, 280).map_err(JsValue::from).unwrap(), None, "an empty pad");
    let img = preprocess(&pad(280, 280, (130, 30, 20, 220)), 280, 280).map_err(JsValue::from).unwrap().expect("ink");
    assert_eq!(img.len(), 784);
    // A tall stroke becomes 20 rows tall, centred.
    let rows: Vec<usize> = (0..28).filter(|y| img[y * 28..(y + 1) * 28].iter().any(|&v| v > 0.0)).collect();
    assert_eq!((rows.len(), rows[0]), (20, 4));
    let msg = message(preprocess(&[0; 10], 280, 280).unwrap_err());
    assert!(msg.contains("313600 bytes, not 10"), "{msg}");
}

#[wasm_bindgen_test]
fn regression_an_image_size_whose_byte_count_overflows_is_refused_not_a_panic() {
    // Issue 16: the refusal recomputed width·height·4 unchecked, which panics in this debug build.
    let msg = message(preprocess(&[0; 10], usize::MAX, 2).unwrap_err());
    assert!(msg.contains(&format!("has more than {} bytes, not 10", usize::MAX)), "{msg}");
}

/// A fresh digit LeNet with `activation`, as a model file.
fn fresh_file(activation: cnn_core::backend::ActKind, seed: u64) -> Vec<u8> {
    let cpu = cnn_core::Cpu::new();
    let model = cnn_core::model::Sequential::new(&cpu, cnn_core::digit::network(activation), cnn_core::init::Init::XavierUniform, seed).unwrap();
    cnn_core::format::save_model(&cpu, &model)
}

#[wasm_bindgen_test]
fn a_network_predicts_shows_every_layer_and_explains_a_conv_value() {
    let mut p = Predictor::from_file(&fresh_file(cnn_core::backend::ActKind::Tanh, 3)).unwrap();
    assert_eq!(p.activation(), "tanh");
    assert!(message(p.output(0).unwrap_err()).contains("predict first"));
    let (images, _) = bars(1);
    let prediction = p.predict(&images).unwrap();
    let probs: Vec<f32> = (0..10).map(|k| num(&prediction, &format!("probs.{k}")) as f32).collect();
    assert!((probs.iter().sum::<f32>() - 1.0).abs() < 1e-5);
    let best = (0..10).max_by(|&a, &b| probs[a].total_cmp(&probs[b])).unwrap();
    assert_eq!(num(&prediction, "predicted"), best as f64);
    // lenet: 12 layers, then the softmax row, each naming its reference functions.
    let layers = p.layers();
    assert_eq!(num(&layers, "length"), 13.0);
    assert_eq!((text(&layers, "0.kind"), text(&layers, "0.shape"), num(&layers, "0.params")), ("conv".into(), "(N, 6, 28, 28)".into(), 156.0));
    assert_eq!((text(&layers, "0.forward"), text(&layers, "0.weights")), ("conv2d_forward".into(), "0.weight".into()));
    assert_eq!((text(&layers, "12.kind"), text(&layers, "12.shape")), ("softmax".into(), "(N, 10)".into()));
    for i in 0..13 {
        let len = [num(&layers, &format!("{i}.channels")), num(&layers, &format!("{i}.height")).max(1.0), num(&layers, &format!("{i}.width")).max(1.0)].iter().product::<f64>();
        assert_eq!(p.output(i).unwrap().len() as f64, len, "layer {i}");
    }
    assert_eq!(p.output(12).unwrap(), probs);
    let parts = p.inspect(3, 15, 9, 4).unwrap();
    assert_eq!((num(&parts, "inChannels"), num(&parts, "kernel"), num(&parts, "window.length")), (6.0, 5.0, 150.0));
    assert!((num(&parts, "value") - num(&parts, "stored")).abs() < 1e-4);
    assert_eq!(num(&parts, "activated") as f32, (num(&parts, "stored") as f32).tanh());
    let err = p.inspect(2, 0, 0, 0).unwrap_err();
    // A learner-caused error carries its sentence as data, for the page to translate.
    assert_eq!(prop(&err, "key"), "inspect.notConv");
    let args = js_sys::Reflect::get(&err, &"args".into()).unwrap();
    assert_eq!(prop(&args, "layer"), "2");
    assert!(message(err).contains("not a convolution"));
    let msg = message(p.predict(&images[..100]).unwrap_err());
    assert!(msg.contains("784 values") && msg.contains("not 100"), "{msg}");
}

#[wasm_bindgen_test]
fn the_shipped_model_reads_a_drawn_one_and_a_bad_file_changes_nothing() {
    let shipped = include_bytes!("../../www/models/lenet-mnist.cnn");
    let mut p = Predictor::from_file(shipped).unwrap();
    let one = preprocess(&pad(280, 280, (130, 30, 22, 220)), 280, 280).unwrap().unwrap();
    let probs = floats(&p.predict(&one).unwrap(), "probs");
    assert_eq!(num(&p.predict(&one).unwrap(), "predicted"), 1.0);
    // A truncated file, then one for other images: refused, and the weights stay.
    assert!(message(p.update(&shipped[..shipped.len() / 2]).unwrap_err()).contains("truncated"));
    assert!(Predictor::from_file(&shipped[..40]).is_err());
    assert_eq!(floats(&p.predict(&one).unwrap(), "probs"), probs);
    // A good file of the same network replaces the weights; saving gives the file back.
    let other = fresh_file(cnn_core::backend::ActKind::Relu, 1);
    p.update(&other).unwrap();
    assert_ne!(floats(&p.predict(&one).unwrap(), "probs"), probs);
    assert_eq!(p.to_file(), other);
}
