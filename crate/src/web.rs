//! The wasm-bindgen boundary: the only module that knows about JavaScript. It is kept thin —
//! each function converts its arguments, calls the core, and converts the answer back — so
//! everything it shows is computed by the same code the native tests check.
//!
//! Errors the page can cause (an unknown preset, an image of the wrong size) come back as
//! `JsError`, which JavaScript receives as a thrown `Error` with the core's message. A panic is a
//! bug in the core: the panic hook installed by `start` prints its message to the console, and
//! the page shows it instead of freezing.

use wasm_bindgen::prelude::*;

use crate::backend::{Backend, METRICS_LEN};
use crate::init::Init;
use crate::model::{zoo, Mode, ModelSpec, Sequential};
use crate::optim::OptimKind;
use crate::tensor::Shape;
use crate::train::Trainer;
use crate::Cpu;

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

fn preset(name: &str) -> Result<ModelSpec, JsError> {
    zoo::preset(name).ok_or_else(|| JsError::new(&format!("unknown preset '{name}'; the presets are: {}", zoo::PRESETS.join(", "))))
}

/// One row of a layer table: what shape inference found for one layer.
#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug)]
pub struct LayerRow {
    /// 0-based position in the network.
    pub index: usize,
    /// "Conv2d 6@5×5, pad 2", as a textbook table writes it.
    pub label: String,
    /// "(N, 6, 28, 28)": the batch is written as N.
    pub output: String,
    /// Counts are f64 for JavaScript: exact up to 2^53, where a u64 would arrive as a BigInt.
    pub params: f64,
    /// Multiply-accumulates per example.
    pub macs: f64,
}

/// A network's layer table with its totals.
#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug)]
pub struct LayerTable {
    pub name: String,
    /// "(N, 1, 28, 28)"
    pub input: String,
    pub rows: Vec<LayerRow>,
    #[wasm_bindgen(js_name = totalParams)]
    pub total_params: f64,
    #[wasm_bindgen(js_name = totalMacs)]
    pub total_macs: f64,
}

/// The layer table of a preset: each layer's output shape, parameters and MACs, from
/// `ModelSpec::infer`.
#[wasm_bindgen(js_name = layerTable)]
pub fn layer_table(preset_name: &str) -> Result<LayerTable, JsError> {
    let spec = preset(preset_name)?;
    let infos = spec.infer()?;
    let rows: Vec<LayerRow> = infos
        .iter()
        .map(|l| LayerRow { index: l.index, label: l.label.clone(), output: l.output.to_string(), params: l.params as f64, macs: l.macs as f64 })
        .collect();
    Ok(LayerTable {
        name: spec.name.clone(),
        input: spec.input_shape(0).to_string(),
        total_params: rows.iter().map(|r| r.params).sum(),
        total_macs: rows.iter().map(|r| r.macs).sum(),
        rows,
    })
}

/// A network on the CPU backend, built from a preset and trained one step at a time by the page.
#[wasm_bindgen]
pub struct Network {
    cpu: Cpu,
    trainer: Trainer<Cpu>,
    /// Scratch for `predict`: the loss kernel computes the softmax (its label and loss unused).
    probs: <Cpu as Backend>::Tensor,
    dlogits: <Cpu as Backend>::Tensor,
    label: <Cpu as Backend>::Tensor,
    metrics: <Cpu as Backend>::Tensor,
}

#[wasm_bindgen]
impl Network {
    /// Build `preset` with Xavier-uniform weights drawn from `seed`, trained by `optimizer`
    /// ("sgd", "momentum" or "adam") at learning rate `lr`.
    #[wasm_bindgen(constructor)]
    pub fn new(preset_name: &str, optimizer: &str, lr: f32, seed: u32) -> Result<Network, JsError> {
        let spec = preset(preset_name)?;
        let kind = OptimKind::parse(optimizer)
            .ok_or_else(|| JsError::new(&format!("unknown optimizer '{optimizer}'; use sgd, momentum or adam")))?;
        if !(lr.is_finite() && lr > 0.0) {
            return Err(JsError::new(&format!("the learning rate must be a positive number, not {lr}")));
        }
        let cpu = Cpu::new();
        let model = Sequential::new(&cpu, spec, Init::XavierUniform, seed as u64)?;
        let classes = model.infos().last().map(|l| l.output.per_example()).unwrap_or(0);
        let out = Shape::nf(1, classes);
        Ok(Network {
            probs: cpu.zeros(&out),
            dlogits: cpu.zeros(&out),
            label: cpu.zeros(&Shape(vec![1])),
            metrics: cpu.zeros(&Shape(vec![METRICS_LEN])),
            trainer: Trainer::from_model(&cpu, model, kind, lr),
            cpu,
        })
    }

    /// The backend's name, e.g. "CPU (ndarray)".
    #[wasm_bindgen(getter)]
    pub fn backend(&self) -> String {
        self.cpu.name()
    }

    /// (C, H, W) of one input image.
    #[wasm_bindgen(getter, js_name = inputDims)]
    pub fn input_dims(&self) -> Vec<usize> {
        self.trainer.model.spec.input.to_vec()
    }

    /// Values in one input image, C·H·W.
    fn image_len(&self) -> usize {
        self.trainer.model.spec.input.iter().product()
    }

    /// Class probabilities for one image (C·H·W values, row-major), in evaluation mode.
    pub fn predict(&mut self, image: &[f32]) -> Result<Vec<f32>, JsError> {
        let want = self.image_len();
        if image.len() != want {
            return Err(JsError::new(&format!(
                "an image for this network has {want} values ({:?}), not {}",
                self.trainer.model.spec.input,
                image.len()
            )));
        }
        let b = &self.cpu;
        let model = &mut self.trainer.model;
        model.set_input(b, image, 1);
        model.forward(b, Mode::Eval);
        b.softmax_cross_entropy(model.output(), &self.label, &mut self.probs, &mut self.dlogits, &mut self.metrics);
        Ok(b.read(&self.probs))
    }

    /// One step of mini-batch training on `labels.len()` images (concatenated in `images`);
    /// returns the batch's mean cross-entropy loss before the update.
    #[wasm_bindgen(js_name = trainStep)]
    pub fn train_step(&mut self, images: &[f32], labels: &[u8]) -> Result<f32, JsError> {
        let n = labels.len();
        let classes = self.probs_len();
        if n == 0 || images.len() != n * self.image_len() {
            return Err(JsError::new(&format!(
                "a batch of {n} labels needs {} image values, not {}",
                n * self.image_len(),
                images.len()
            )));
        }
        if let Some(&bad) = labels.iter().find(|&&l| l as usize >= classes) {
            return Err(JsError::new(&format!("label {bad} is out of range: this network has {classes} classes")));
        }
        let labels: Vec<f32> = labels.iter().map(|&l| l as f32).collect();
        self.trainer.train_step(&self.cpu, images, &labels);
        Ok(self.trainer.take_metrics(&self.cpu).loss)
    }

    fn probs_len(&self) -> usize {
        self.cpu.shape(&self.probs).per_example()
    }
}
