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
    assert_eq!(presets(), vec!["lenet-d2l", "lenet5", "lenet-relu"]);
}

#[wasm_bindgen_test]
fn lenet_d2l_layer_table_has_61706_parameters() {
    let t = layer_table("lenet-d2l").map_err(JsValue::from).unwrap();
    assert_eq!(t.name, "lenet-d2l");
    assert_eq!(t.input, "(N, 1, 28, 28)");
    assert_eq!(t.rows.len(), 12);
    assert_eq!(t.total_params, 61_706.0);
    // conv1: 6·1·5·5 + 6 = 156 parameters and 6·28·28·(1·5·5) = 117,600 MACs per image.
    assert_eq!((t.rows[0].label.as_str(), t.rows[0].output.as_str()), ("Conv2d 6@5×5, pad 2", "(N, 6, 28, 28)"));
    assert_eq!((t.rows[0].params, t.rows[0].macs), (156.0, 117_600.0));
    assert_eq!(t.rows[11].output, "(N, 10)");
    // conv2 16·10·10·(6·5·5) = 240,000; dense 400·120 + 120·84 + 84·10.
    assert_eq!(t.total_macs, (117_600 + 240_000 + 48_000 + 10_080 + 840) as f64);
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

#[wasm_bindgen_test]
fn a_fresh_network_predicts_shows_every_layer_and_explains_a_conv_value() {
    let mut p = Predictor::fresh("tanh", "xavier", 3).map_err(JsValue::from).unwrap();
    assert_eq!(p.activation(), "tanh");
    let msg = message(p.output(0).unwrap_err());
    assert!(msg.contains("draw a digit first"), "{msg}");
    let (images, _) = bars(1);
    let probs = p.predict(&images).map_err(JsValue::from).unwrap();
    assert_eq!(probs.len(), 10);
    assert!((probs.iter().sum::<f32>() - 1.0).abs() < 1e-5);
    let layers = p.layers();
    // lenet: 12 layers, then the softmax row.
    assert_eq!(layers.len(), 13);
    assert_eq!((layers[0].kind.as_str(), layers[0].shape.as_str(), layers[0].params), ("conv", "(N, 6, 28, 28)", 156.0));
    assert_eq!((layers[12].kind.as_str(), layers[12].shape.as_str()), ("softmax", "(N, 10)"));
    for l in &layers {
        let len = if l.height > 0 { l.channels * l.height * l.width } else { l.channels };
        assert_eq!(p.output(l.index).map_err(JsValue::from).unwrap().len(), len, "layer {} {}", l.index, l.label);
    }
    assert_eq!(p.output(12).map_err(JsValue::from).unwrap(), probs);
    let parts = p.inspect(3, 15, 9, 4).map_err(JsValue::from).unwrap();
    assert_eq!((parts.in_channels, parts.kernel, parts.window.len()), (6, 5, 150));
    assert!((parts.value - parts.stored).abs() < 1e-4, "{} vs {}", parts.value, parts.stored);
    assert_eq!(parts.activated, Some(parts.stored.tanh()));
    let err = p.inspect(2, 0, 0, 0).unwrap_err();
    // A learner-caused error carries its sentence as data, for the page to translate.
    assert_eq!(prop(&err, "key"), "inspect.notConv");
    let args = js_sys::Reflect::get(&err, &"args".into()).unwrap();
    assert_eq!(prop(&args, "layer"), "2");
    assert!(message(err).contains("not a convolution"));
    let msg = message(p.predict(&images[..100]).unwrap_err());
    assert!(msg.contains("784 values") && msg.contains("not 100"), "{msg}");
    assert!(message(Predictor::fresh("swish", "he", 0).err().unwrap()).contains("unknown activation 'swish'"));
    assert!(message(Predictor::fresh("relu", "zeros", 0).err().unwrap()).contains("unknown initialisation 'zeros'"));
}

#[wasm_bindgen_test]
fn the_shipped_model_reads_a_drawn_one_and_a_bad_file_changes_nothing() {
    let shipped = include_bytes!("../../www/models/lenet-mnist.cnn");
    let mut p = Predictor::from_file(shipped).map_err(JsValue::from).unwrap();
    let one = preprocess(&pad(280, 280, (130, 30, 22, 220)), 280, 280).map_err(JsValue::from).unwrap().unwrap();
    let probs = p.predict(&one).map_err(JsValue::from).unwrap();
    let best = (0..10).max_by(|&a, &b| probs[a].total_cmp(&probs[b])).unwrap();
    assert_eq!(best, 1, "{probs:?}");
    // A truncated file, then one for other images: refused, and the weights stay.
    assert!(message(p.update(&shipped[..shipped.len() / 2]).unwrap_err()).contains("truncated"));
    let other = Predictor::fresh("relu", "he", 1).map_err(JsValue::from).unwrap().to_file();
    assert!(Predictor::from_file(&shipped[..40]).is_err());
    assert_eq!(p.predict(&one).map_err(JsValue::from).unwrap(), probs);
    // A good file of the same network replaces the weights; saving gives the file back.
    p.update(&other).map_err(JsValue::from).unwrap();
    assert_ne!(p.predict(&one).map_err(JsValue::from).unwrap(), probs);
    assert_eq!(p.to_file(), other);
}
