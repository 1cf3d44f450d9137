//! The 2-2-1 network of chapters 3 and 5 (`lessons::tiny`) for the page: parameters travel as a
//! `Float32Array` of 9 values in the order w₁₁, w₁₂, w₁₃, w₁₄, w₂₁, w₂₂, b₁, b₂, b₃.

// wasm-bindgen's generated getters for a field that is itself a bindgen struct (`TinyStep::before`)
// call `drop` on a plain struct; nothing to fix on our side.
#![allow(clippy::drop_non_drop)]

use wasm_bindgen::prelude::*;

use super::plain;

use crate::lessons::tiny::{self, Params, N_PARAMS};

/// One forward pass: every intermediate value.
#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug)]
pub struct TinyForward {
    pub x1: f32,
    pub x2: f32,
    pub z1: f32,
    pub z2: f32,
    pub a11: f32,
    pub a12: f32,
    pub z3: f32,
    pub a21: f32,
}

impl From<tiny::Forward> for TinyForward {
    fn from(f: tiny::Forward) -> Self {
        TinyForward { x1: f.x[0], x2: f.x[1], z1: f.z1, z2: f.z2, a11: f.a11, a12: f.a12, z3: f.z3, a21: f.a21 }
    }
}

/// One gradient-descent step on one example: the forward pass, the chain-rule factors, the
/// gradient of every parameter, the update and the loss before and after.
#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug)]
pub struct TinyStep {
    pub before: TinyForward,
    pub after: TinyForward,
    pub y: f32,
    pub lr: f32,
    pub loss: f32,
    #[wasm_bindgen(js_name = newLoss)]
    pub new_loss: f32,
    #[wasm_bindgen(js_name = dlDa21)]
    pub dl_da21: f32,
    #[wasm_bindgen(js_name = reluPrime)]
    pub relu_prime: f32,
    #[wasm_bindgen(js_name = dlDz3)]
    pub dl_dz3: f32,
    #[wasm_bindgen(js_name = dlDa11)]
    pub dl_da11: f32,
    #[wasm_bindgen(js_name = dlDa12)]
    pub dl_da12: f32,
    #[wasm_bindgen(js_name = sigPrime1)]
    pub sig_prime1: f32,
    #[wasm_bindgen(js_name = sigPrime2)]
    pub sig_prime2: f32,
    #[wasm_bindgen(js_name = dlDz1)]
    pub dl_dz1: f32,
    #[wasm_bindgen(js_name = dlDz2)]
    pub dl_dz2: f32,
    /// ∂L/∂θ, parameter order.
    pub grads: Vec<f32>,
    pub old: Vec<f32>,
    pub new: Vec<f32>,
}

/// One loss curve of a demo.
#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug)]
pub struct TinyCurve {
    /// The learning rate (learning-rate demo) or η shared by all (batch demo).
    pub lr: f32,
    /// Examples per step (batch demo); 1 in the learning-rate demo (one example).
    pub batch: usize,
    /// Loss at step/epoch 0, 1, …; may end early with a value that is not finite.
    pub losses: Vec<f32>,
    /// "crawling", "converged" or "diverged" (judged by `Verdict::of`).
    pub verdict: String,
    /// How many times the curve goes up from one point to the next.
    pub rises: usize,
}

fn params(p: &[f32]) -> Result<Params, JsValue> {
    let p: Params = p.try_into().map_err(|_| plain(&format!("the 2-2-1 network has {N_PARAMS} parameters, not {}", p.len())))?;
    if let Some(i) = p.iter().position(|v| !v.is_finite()) {
        return Err(plain(&format!("parameter {} is not a finite number", tiny::PARAM_NAMES[i])));
    }
    Ok(p)
}

fn finite(name: &str, v: f32) -> Result<f32, JsValue> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(plain(&format!("{name} is not a finite number")))
    }
}

/// The parameter names in the order of every parameter array: w11, w12, w13, w14, w21, w22, b1,
/// b2, b3.
#[wasm_bindgen(js_name = tinyParamNames)]
pub fn tiny_param_names() -> Vec<String> {
    tiny::PARAM_NAMES.iter().map(|s| s.to_string()).collect()
}

/// The lessons' starting parameters.
#[wasm_bindgen(js_name = tinyDefaultParams)]
pub fn tiny_default_params() -> Vec<f32> {
    tiny::DEFAULT_PARAMS.to_vec()
}

/// The lessons' example: [x₁, x₂, y].
#[wasm_bindgen(js_name = tinyDefaultExample)]
pub fn tiny_default_example() -> Vec<f32> {
    vec![tiny::DEFAULT_X[0], tiny::DEFAULT_X[1], tiny::DEFAULT_Y]
}

/// The forward pass of the 2-2-1 network.
#[wasm_bindgen(js_name = tinyForward)]
pub fn tiny_forward(params_: &[f32], x1: f32, x2: f32) -> Result<TinyForward, JsValue> {
    let p = params(params_)?;
    Ok(tiny::forward(&p, [finite("x₁", x1)?, finite("x₂", x2)?]).into())
}

/// One step of gradient descent on the example (x₁, x₂, y) with learning rate `lr`.
#[wasm_bindgen(js_name = tinyStep)]
pub fn tiny_step(params_: &[f32], x1: f32, x2: f32, y: f32, lr: f32) -> Result<TinyStep, JsValue> {
    let p = params(params_)?;
    let x = [finite("x₁", x1)?, finite("x₂", x2)?];
    let (y, lr) = (finite("y", y)?, finite("η", lr)?);
    if lr < 0.0 {
        return Err(plain("the learning rate η must not be negative"));
    }
    let s = tiny::step(&p, x, y, lr);
    let b = s.backward;
    Ok(TinyStep {
        before: s.before.into(),
        after: s.after.into(),
        y,
        lr,
        loss: b.loss,
        new_loss: s.new_loss,
        dl_da21: b.dl_da21,
        relu_prime: b.relu_prime,
        dl_dz3: b.dl_dz3,
        dl_da11: b.dl_da11,
        dl_da12: b.dl_da12,
        sig_prime1: b.sig_prime1,
        sig_prime2: b.sig_prime2,
        dl_dz1: b.dl_dz1,
        dl_dz2: b.dl_dz2,
        grads: b.grads.to_vec(),
        old: s.old.to_vec(),
        new: s.new.to_vec(),
    })
}

fn curve(lr: f32, batch: usize, losses: Vec<f32>) -> TinyCurve {
    TinyCurve { lr, batch, verdict: tiny::Verdict::of(&losses).name().to_string(), rises: tiny::rises(&losses), losses }
}

/// The learning-rate demo: the default start trained on the default example with a rate that is
/// too small, a good one and one too large, `steps` steps each (at most 1000).
#[wasm_bindgen(js_name = tinyLearningRateDemo)]
pub fn tiny_learning_rate_demo(steps: usize) -> Vec<TinyCurve> {
    tiny::learning_rate_demo(steps.clamp(1, 1000)).into_iter().map(|(lr, l)| curve(lr, 1, l)).collect()
}

/// The batch demo: full batch, mini-batch and single-example descent on the XOR-like dataset for
/// `epochs` epochs (at most 1000).
#[wasm_bindgen(js_name = tinyBatchDemo)]
pub fn tiny_batch_demo(epochs: usize) -> Vec<TinyCurve> {
    tiny::batch_demo(epochs.clamp(1, 1000)).into_iter().map(|(b, l)| curve(tiny::BATCH_LR, b, l)).collect()
}

/// The batch demo's dataset as [x₁, x₂, y, x₁, x₂, y, …] (8 examples).
#[wasm_bindgen(js_name = tinyDataset)]
pub fn tiny_dataset() -> Vec<f32> {
    tiny::xor_dataset(tiny::BATCH_DATA_SEED).iter().flat_map(|e| [e.x[0], e.x[1], e.y]).collect()
}

/// The demos' fixed settings: [steps of the learning-rate demo, epochs of the batch demo].
#[wasm_bindgen(js_name = tinyDemoLengths)]
pub fn tiny_demo_lengths() -> Vec<usize> {
    vec![tiny::DEMO_STEPS, tiny::BATCH_EPOCHS]
}

/// The learning rate the batch demo uses for all three ways.
#[wasm_bindgen(js_name = tinyBatchLearningRate)]
pub fn tiny_batch_learning_rate() -> f32 {
    tiny::BATCH_LR
}
