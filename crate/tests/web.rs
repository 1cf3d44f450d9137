//! The wasm boundary tested where it runs: in headless Chromium, through
//! `wasm-pack test --headless --chrome crate` (scripts/test.sh). Natively this file is empty.
#![cfg(target_arch = "wasm32")]

use cnn_core::web::{layer_table, presets, Network};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The message JavaScript would see for an error from the boundary.
fn message(err: wasm_bindgen::JsError) -> String {
    JsValue::from(err).dyn_into::<js_sys::Error>().expect("a JS Error").message().into()
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
    let msg = message(Network::new("lenet-d2l", "rmsprop", 0.1, 0).err().expect("an error"));
    assert!(msg.contains("unknown optimizer 'rmsprop'"), "{msg}");
}

#[wasm_bindgen_test]
fn a_forward_pass_gives_ten_probabilities() {
    let mut net = Network::new("lenet-d2l", "sgd", 0.9, 0).map_err(JsValue::from).unwrap();
    assert_eq!(net.input_dims(), vec![1, 28, 28]);
    let (images, _) = bars(1);
    let p = net.predict(&images).map_err(JsValue::from).unwrap();
    assert_eq!(p.len(), 10);
    assert!(p.iter().all(|&x| x.is_finite() && x > 0.0 && x < 1.0), "{p:?}");
    let sum: f32 = p.iter().sum();
    assert!((sum - 1.0).abs() < 1e-5, "probabilities sum to {sum}");
    // The same image through the same weights gives the same answer.
    assert_eq!(net.predict(&images).map_err(JsValue::from).unwrap(), p);
    let msg = message(net.predict(&images[..100]).unwrap_err());
    assert!(msg.contains("784 values") && msg.contains("not 100"), "{msg}");
}

#[wasm_bindgen_test]
fn training_steps_in_wasm_lower_the_loss_and_repeat_bit_for_bit() {
    let (images, labels) = bars(8);
    let run = || {
        let mut net = Network::new("lenet-d2l", "sgd", 0.9, 7).map_err(JsValue::from).unwrap();
        (0..15).map(|_| net.train_step(&images, &labels).map_err(JsValue::from).unwrap()).collect::<Vec<f32>>()
    };
    let losses = run();
    // Ten classes at a random start: the loss is near ln 10 ≈ 2.30.
    assert!((losses[0] - 10f32.ln()).abs() < 0.5, "first loss {}", losses[0]);
    assert!(losses[14] < 0.9 * losses[0], "loss did not fall: {losses:?}");
    // Every random choice comes from the seed: a second run is identical.
    assert_eq!(run(), losses);

    let mut net = Network::new("lenet-d2l", "sgd", 0.9, 7).map_err(JsValue::from).unwrap();
    let msg = message(net.train_step(&images, &[0, 1, 12, 3, 0, 1, 2, 3]).unwrap_err());
    assert!(msg.contains("label 12 is out of range"), "{msg}");
}
