//! The training loop, written once for every backend. A step runs forward, loss, backward and the
//! optimizer update without reading anything back; the loss and accuracy accumulate on the device
//! and are read only when the caller asks (every few steps for a progress bar, once per epoch).

use crate::message::{Explain, Message};
use serde::{Deserialize, Serialize};

use crate::backend::{Backend, METRICS_LEN};
use crate::data::augment::Augment;
use crate::data::{epoch_batches, epoch_batches_of, Dataset};
use crate::health::Failure;
use crate::init::Init;
use crate::model::per_batch::PerBatch;
use crate::model::{Mode, ModelSpec, Sequential, SpecError};
use crate::optim::{OptimKind, Optimizer};
use crate::schedule::StepLr;
use crate::tensor::Shape;

/// Everything that defines a run; with the same config and seed a CPU run repeats bit for bit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    pub epochs: usize,
    pub batch_size: usize,
    pub lr: f32,
    pub optimizer: OptimKind,
    /// λ of every update (PyTorch's `weight_decay`); 0 is none.
    #[serde(default)]
    pub weight_decay: f32,
    pub init: Init,
    /// What the classifier minimises; cross-entropy unless a run asks for MSE.
    #[serde(default)]
    pub loss: LossKind,
    pub seed: u64,
    pub schedule: Option<StepLr>,
    pub augment: Option<Augment>,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 10,
            batch_size: 256,
            lr: 0.9,
            optimizer: OptimKind::Sgd,
            weight_decay: 0.0,
            init: Init::XavierUniform,
            loss: LossKind::CrossEntropy,
            seed: 0,
            schedule: None,
            augment: None,
        }
    }
}

/// The loss a classifier is trained with, on its K outputs z and the label y.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LossKind {
    /// Softmax cross-entropy, −log softmax(z)[y] (PyTorch's `nn.CrossEntropyLoss`).
    #[default]
    CrossEntropy,
    /// Mean squared error against the one-hot target, mean_k (z_k − [k = y])² (PyTorch's
    /// `nn.MSELoss()(z, F.one_hot(y, K).float())`).
    Mse,
}

impl LossKind {
    /// `cross-entropy` or `mse`: the names the CLI and the page use.
    pub fn parse(name: &str) -> Option<LossKind> {
        match name {
            "cross-entropy" => Some(LossKind::CrossEntropy),
            "mse" => Some(LossKind::Mse),
            _ => None,
        }
    }

    /// The name `parse` reads.
    pub fn name(self) -> &'static str {
        match self {
            LossKind::CrossEntropy => "cross-entropy",
            LossKind::Mse => "mse",
        }
    }

    /// The loss of a network that knows nothing about its input, among K balanced classes: what
    /// a run stuck "at chance" sits at (`health`). Cross-entropy's best guess is 1/K for every
    /// class: −log(1/K) = ln K. MSE's best constant outputs are 1/K too (the mean of the one-hot
    /// targets), leaving the targets' variance: ((1 − 1/K)² + (K − 1)/K²)/K = (K − 1)/K²
    /// (0.09 for ten classes).
    pub fn chance(self, classes: usize) -> f32 {
        let k = classes.max(2) as f32;
        match self {
            LossKind::CrossEntropy => k.ln(),
            LossKind::Mse => (k - 1.0) / (k * k),
        }
    }
}

/// Mean loss and accuracy over the examples since the last read.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Metrics {
    pub loss: f32,
    pub accuracy: f32,
    pub examples: usize,
}

impl Metrics {
    fn from_sums(m: &[f32]) -> Metrics {
        let n = m[2].max(1.0);
        Metrics { loss: m[0] / n, accuracy: m[1] / n, examples: m[2] as usize }
    }
}

/// One epoch's summary, as the CLI prints it and the page plots it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EpochReport {
    pub epoch: usize,
    pub lr: f32,
    pub train_loss: f32,
    pub train_accuracy: f32,
    pub test_loss: f32,
    pub test_accuracy: f32,
    pub examples_per_second: f64,
    pub seconds: f64,
}

/// Progress while `fit` runs.
#[derive(Clone, Debug)]
pub enum Event {
    /// A batch finished; `loss` is the running mean of this epoch so far when it was read
    /// (every `read_every` batches), else `None`.
    Batch { epoch: usize, batch: usize, batches: usize, loss: Option<f32> },
    Epoch(EpochReport),
}

#[derive(Clone, Debug, PartialEq)]
pub enum TrainError {
    /// The run failed (see `health`): stopped at `epoch`, `batch`, with learning rate `lr`.
    Diverged { epoch: usize, batch: usize, lr: f32, failure: Failure },
    InputMismatch { data: [usize; 3], model: [usize; 3] },
    Setting(Message),
}

/// The sentences of training: settings it cannot use (a failed run is worded by `health`).
pub mod text {
    crate::templates! {
        INPUT_MISMATCH = "train.inputMismatch": "the dataset's images are {data} but the model expects {model}";
        SETTING = "train.setting": "invalid setting: {reason}";
        BATCH_RANGE = "train.batchRange": "the batch size must be between 1 and {max}, not {got}";
        LR_POSITIVE = "train.lrPositive": "the learning rate must be a positive number, not {got}";
        NO_TRAINING_EXAMPLES = "train.noTrainingExamples": "there is nothing to train on: the training set is empty or every example is held out for validation";
        WEIGHT_DECAY = "train.weightDecay": "the weight decay must be a number of at least 0, not {got}";
        BLOWN_UP = "train.blownUp": "the network's outputs are not numbers: its weights have blown up (a learning rate too high?). Reset it to start again";
    }
}

impl Explain for TrainError {
    fn message(&self) -> Message {
        use text::*;
        match self {
            TrainError::Diverged { epoch, batch, lr, failure } => crate::health::explain(failure, *epoch, *batch, *lr),
            TrainError::InputMismatch { data, model } => Message::new(INPUT_MISMATCH).with("data", format!("{data:?}")).with("model", format!("{model:?}")),
            TrainError::Setting(reason) => Message::new(SETTING).nested("reason", reason.clone()),
        }
    }
}
crate::explained_error!(TrainError);

/// A model with its optimizer and the buffers the loss needs.
pub struct Trainer<B: Backend> {
    pub model: Sequential<B>,
    pub optimizer: Optimizer,
    /// What the steps minimise (`set_loss` changes it between steps).
    loss_kind: LossKind,
    /// The loss's buffers for the current batch size: (labels, probabilities). Small (N·K
    /// values), so a set is kept for each of the sizes a run uses (`per_batch::KEPT`).
    loss: PerBatch<(B::Tensor, B::Tensor)>,
    /// Sums of the training steps since the last `take_metrics`.
    pub(crate) metrics: B::Tensor,
    /// Sums of the evaluation running now: kept apart so that evaluating never has to read
    /// (and restore) the training sums, and stays one readback at its end.
    eval_metrics: B::Tensor,
    /// Host-side staging for batches, reused.
    batch_images: Vec<f32>,
    batch_labels: Vec<f32>,
}

impl<B: Backend> Trainer<B> {
    pub fn new(b: &B, spec: ModelSpec, cfg: &TrainConfig) -> Result<Self, SpecError> {
        let model = Sequential::new(b, spec, cfg.init, cfg.seed)?;
        let mut trainer = Self::from_model(b, model, cfg.optimizer, cfg.lr);
        trainer.set_loss(cfg.loss);
        trainer.optimizer.weight_decay = cfg.weight_decay;
        Ok(trainer)
    }

    pub fn from_model(b: &B, model: Sequential<B>, optimizer: OptimKind, lr: f32) -> Self {
        Trainer {
            model,
            optimizer: Optimizer::new(optimizer, lr),
            loss_kind: LossKind::CrossEntropy,
            loss: PerBatch::default(),
            metrics: b.zeros(&Shape(vec![METRICS_LEN])),
            eval_metrics: b.zeros(&Shape(vec![METRICS_LEN])),
            batch_images: Vec::new(),
            batch_labels: Vec::new(),
        }
    }

    /// Train with `kind` from the next step on (a model built by `from_model` starts with
    /// cross-entropy). The metrics summed so far keep the loss they were summed with.
    pub fn set_loss(&mut self, kind: LossKind) {
        self.loss_kind = kind;
    }

    pub fn loss_kind(&self) -> LossKind {
        self.loss_kind
    }

    fn prepare(&mut self, b: &B, n: usize) {
        self.model.prepare(b, n);
        let out = self.model.activation_shapes().last().expect("prepared");
        self.loss.switch(n, |_| true, || (b.zeros(&Shape(vec![n])), b.zeros(out)));
    }

    /// Forward + loss on a batch already in the model's input; adds to the metrics.
    pub(crate) fn forward_loss(&mut self, b: &B, labels: &[f32], mode: Mode) {
        let n = labels.len();
        self.prepare(b, n);
        let (lt, probs) = self.loss.get_mut().expect("prepared");
        b.write(lt, labels);
        self.model.forward(b, mode);
        let (logits, dlogits) = self.model.output_and_grad_mut();
        let metrics = if mode == Mode::Train { &mut self.metrics } else { &mut self.eval_metrics };
        match self.loss_kind {
            LossKind::CrossEntropy => b.softmax_cross_entropy(logits, lt, probs, dlogits, metrics),
            LossKind::Mse => {
                b.mse_one_hot(logits, lt, dlogits, metrics);
                // What the network predicts is still read as probabilities: the softmax of its
                // outputs, whose largest is the class the accuracy counts.
                b.softmax(logits, probs);
            }
        }
    }

    /// One step of mini-batch gradient descent on n examples (n·C·H·W image values).
    pub fn train_step(&mut self, b: &B, images: &[f32], labels: &[f32]) {
        let n = labels.len();
        self.model.set_input(b, images, n);
        self.forward_loss(b, labels, Mode::Train);
        self.model.backward(b);
        self.optimizer.step(b, self.model.trainable_params_mut());
        b.submit();
    }

    /// Read the loss/accuracy accumulated since the last read, and start a new sum.
    pub fn take_metrics(&mut self, b: &B) -> Metrics {
        let m = Metrics::from_sums(&b.read(&self.metrics));
        b.fill(&mut self.metrics, 0.0);
        m
    }

    /// `take_metrics` without blocking, for the browser.
    pub async fn take_metrics_async(&mut self, b: &B) -> Metrics {
        let m = Metrics::from_sums(&b.read_async(&self.metrics).await);
        b.fill(&mut self.metrics, 0.0);
        m
    }

    /// Class probabilities of the last forward pass (N, K).
    pub fn probabilities(&self) -> Option<&B::Tensor> {
        self.loss.get().map(|(_, probs)| probs)
    }

    /// Run a whole dataset through the model in evaluation mode, summing into `eval_metrics`.
    fn run_evaluation(&mut self, b: &B, data: &Dataset, batch: usize) {
        b.fill(&mut self.eval_metrics, 0.0);
        for idx in epoch_batches(data.len(), batch, None) {
            self.evaluate_batch(b, data, &idx);
        }
        b.submit();
    }

    /// One batch of `data` (examples `idx`) forward in evaluation mode, into `eval_metrics`.
    fn evaluate_batch(&mut self, b: &B, data: &Dataset, idx: &[usize]) {
        data.gather(idx, &mut self.batch_images, &mut self.batch_labels);
        self.model.set_input(b, &self.batch_images, idx.len());
        let labels = std::mem::take(&mut self.batch_labels);
        self.forward_loss(b, &labels, Mode::Eval);
        self.batch_labels = labels;
    }

    /// `evaluate_async` over the examples `indices` of `data` only (a validation set).
    pub async fn evaluate_subset_async(&mut self, b: &B, data: &Dataset, indices: &[usize], batch: usize) -> Metrics {
        b.fill(&mut self.eval_metrics, 0.0);
        for idx in epoch_batches_of(indices, batch, None) {
            self.evaluate_batch(b, data, &idx);
        }
        b.submit();
        Metrics::from_sums(&b.read_async(&self.eval_metrics).await)
    }

    /// `evaluate_async`, keeping every example's class probabilities (N × K, in `data`'s order):
    /// one read per batch, for the confusion matrix.
    pub async fn evaluate_predictions_async(&mut self, b: &B, data: &Dataset, batch: usize) -> (Metrics, Vec<f32>) {
        b.fill(&mut self.eval_metrics, 0.0);
        let mut probs = Vec::new();
        for idx in epoch_batches(data.len(), batch, None) {
            self.evaluate_batch(b, data, &idx);
            b.submit();
            probs.extend(b.read_async(self.probabilities().expect("evaluated")).await);
        }
        (Metrics::from_sums(&b.read_async(&self.eval_metrics).await), probs)
    }

    /// Loss and accuracy over a whole dataset in evaluation mode. Leaves the weights and the
    /// training metrics accumulated so far alone.
    pub fn evaluate(&mut self, b: &B, data: &Dataset, batch: usize) -> Metrics {
        self.run_evaluation(b, data, batch);
        Metrics::from_sums(&b.read(&self.eval_metrics))
    }

    /// `evaluate` without blocking, for the browser.
    pub async fn evaluate_async(&mut self, b: &B, data: &Dataset, batch: usize) -> Metrics {
        self.run_evaluation(b, data, batch);
        Metrics::from_sums(&b.read_async(&self.eval_metrics).await)
    }
}
