//! The one epoch loop: a training run that walks the shuffled batches of its data epoch after
//! epoch, judged by `health` as its metrics are read. The page's training worker drives it a few
//! steps at a time (reading the metrics without blocking, changing the learning rate, the
//! optimizer or the batch size between chunks); the CLI runs whole epochs of it with `fit`.
//! Both validate a run the same way and evaluate in batches of `EVAL_BATCH`. Written once for
//! every backend.

use crate::message::{Explain, Message};
use std::rc::Rc;

use crate::backend::Backend;
use crate::data::augment::Augment;
use crate::data::{epoch_batches_of, Holdout, Split};
use crate::health::{Health, Patience};
use crate::optim::{OptimKind, Optimizer};
use crate::rng::{Rng, Stream};
use crate::schedule::StepLr;
use crate::train::{EpochReport, Event, LossKind, Metrics, TrainError, Trainer};

/// Where the run is: epochs completed so far, and the position in the current one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Epochs completed.
    pub epoch: usize,
    /// Batches done in the current epoch, of `batches`.
    pub batch: usize,
    pub batches: usize,
    /// Training steps since the run began.
    pub steps: u64,
}

impl Progress {
    /// Epochs as a real number (2.5 = half-way through the third), the x axis of the curves.
    pub fn epochs(&self) -> f64 {
        self.epoch as f64 + self.batch as f64 / self.batches.max(1) as f64
    }
}

pub struct Session<B: Backend> {
    pub trainer: Trainer<B>,
    split: Rc<Split>,
    batch_size: usize,
    shuffle: Rng,
    /// This epoch's batches, and how many of them are done.
    order: Vec<Vec<usize>>,
    done: usize,
    epoch: usize,
    steps: u64,
    images: Vec<f32>,
    labels: Vec<f32>,
    /// Random shifts and flips of each training batch, from the seed's own stream.
    augment: Option<(Augment, Rng)>,
    /// Judges every metrics read: a run that fails stops with an explanation.
    health: Health,
    /// A run that is not learning (yet): said, while it lasts, without stopping the run.
    warning: Option<TrainError>,
    /// The training examples this run trains on and those it validates with (indices into
    /// `split.train`); by default every one trains.
    holdout: Holdout,
    /// StepLR and the learning rate it starts from: applied as each epoch begins.
    schedule: Option<(StepLr, f32)>,
}

impl<B: Backend> Session<B> {
    /// Start a run of `trainer` on `split` (shuffled from `seed`'s shuffle stream). The data must
    /// be the model's input size, the learning rate positive, and the batch (and evaluation's)
    /// must fit the memory budget.
    pub fn new(trainer: Trainer<B>, split: Rc<Split>, batch_size: usize, seed: u64) -> Result<Self, TrainError> {
        let model = trainer.model.spec.input;
        if split.train.dims != model || split.test.dims != model {
            return Err(TrainError::InputMismatch { data: split.train.dims, model });
        }
        check_lr(trainer.optimizer.lr)?;
        check_weight_decay(trainer.optimizer.weight_decay)?;
        check_batch(batch_size)?;
        fits(&trainer, batch_size)?;
        let loss = trainer.loss_kind();
        let mut s = Session {
            trainer,
            split: Rc::clone(&split),
            batch_size,
            shuffle: Rng::stream(seed, Stream::Shuffle),
            order: Vec::new(),
            done: 0,
            epoch: 0,
            steps: 0,
            images: Vec::new(),
            labels: Vec::new(),
            augment: None,
            health: Health::new(split.train.classes.len(), loss, Patience::for_dataset(split.train.len())),
            warning: None,
            holdout: Holdout::none(split.train.len()),
            schedule: None,
        };
        s.new_epoch();
        Ok(s)
    }

    /// A run of `spec` from fresh weights as `cfg` describes it (`cfg.epochs` and `cfg.schedule`
    /// are `fit`'s): what the CLI and the tests start.
    pub fn from_config(b: &B, spec: crate::model::ModelSpec, split: Rc<Split>, cfg: &crate::train::TrainConfig) -> Result<Self, crate::Error> {
        let trainer = Trainer::new(b, spec, cfg)?;
        Ok(Session::new(trainer, split, cfg.batch_size, cfg.seed)?.augmented(cfg.augment, cfg.seed))
    }

    /// Augment every training batch with `augment` (random from `seed`'s augmentation stream).
    pub fn augmented(mut self, augment: Option<Augment>, seed: u64) -> Self {
        self.augment = augment.map(|a| (a, Rng::stream(seed, Stream::Augment)));
        self
    }

    /// Train on `holdout.train` and validate on `holdout.validation` (indices into the split's
    /// training set) instead of all of it. Starts the epoch again.
    pub fn with_holdout(mut self, holdout: Holdout) -> Result<Self, TrainError> {
        let len = self.split.train.len();
        if holdout.train.is_empty() || holdout.train.iter().chain(&holdout.validation).any(|&i| i >= len) {
            return Err(TrainError::Setting(Message::new(crate::train::text::NO_TRAINING_EXAMPLES)));
        }
        self.health = Health::new(self.split.train.classes.len(), self.trainer.loss_kind(), Patience::for_dataset(holdout.train.len()));
        self.holdout = holdout;
        self.new_epoch();
        Ok(self)
    }

    /// How many examples train and how many validate.
    pub fn sizes(&self) -> [usize; 3] {
        [self.holdout.train.len(), self.holdout.validation.len(), self.split.test.len()]
    }

    /// Follow `schedule` (StepLR) from the current learning rate, from the current epoch on.
    pub fn set_schedule(&mut self, schedule: Option<StepLr>) {
        self.schedule = schedule.map(|s| (s, self.trainer.optimizer.lr));
        self.apply_schedule();
    }

    fn apply_schedule(&mut self) {
        if let Some((s, base)) = self.schedule {
            self.trainer.optimizer.lr = s.lr_at(base, self.epoch);
        }
    }

    /// The learning rate of the next step.
    pub fn lr(&self) -> f32 {
        self.trainer.optimizer.lr
    }

    fn new_epoch(&mut self) {
        self.order = epoch_batches_of(&self.holdout.train, self.batch_size, Some(&mut self.shuffle));
        self.done = 0;
    }

    /// One training step on the next batch. Returns true when it finished an epoch (the next
    /// step starts a freshly shuffled one). Reads nothing back.
    pub fn step(&mut self, b: &B) -> bool {
        self.next_batch();
        self.trainer.train_step(b, &self.images, &self.labels);
        self.finish_step()
    }

    /// The next batch, gathered (and augmented) as `step` trains on it: (images, labels). A
    /// data-parallel step (`parallel`) splits it between workers, then calls `finish_step`.
    pub fn next_batch(&mut self) -> (&[f32], &[f32]) {
        self.split.train.gather(&self.order[self.done], &mut self.images, &mut self.labels);
        if let Some((a, rng)) = &mut self.augment {
            a.apply(&mut self.images, self.split.train.dims, rng);
        }
        (&self.images, &self.labels)
    }

    /// The batch `next_batch` gathered, beside the trainer that will learn from it.
    pub fn batch_and_trainer(&mut self) -> (&[f32], &[f32], &mut Trainer<B>) {
        (&self.images, &self.labels, &mut self.trainer)
    }

    /// Count the step `next_batch` began; true when it finished an epoch (as `step`).
    pub fn finish_step(&mut self) -> bool {
        self.done += 1;
        self.steps += 1;
        if self.done == self.order.len() {
            self.epoch += 1;
            self.apply_schedule();
            self.new_epoch();
            true
        } else {
            false
        }
    }

    pub fn progress(&self) -> Progress {
        Progress { epoch: self.epoch, batch: self.done, batches: self.order.len(), steps: self.steps }
    }

    /// The mean loss and accuracy of the steps since the last read, without blocking. A run that
    /// fails (`health`: a loss that is not a number, far above its start, or stuck at chance)
    /// ends with an error that explains it.
    pub async fn read_metrics(&mut self, b: &B) -> Result<Metrics, TrainError> {
        let m = self.trainer.take_metrics_async(b).await;
        self.check(m)
    }

    /// `read_metrics` for native callers (tests), blocking.
    pub fn read_metrics_blocking(&mut self, b: &B) -> Result<Metrics, TrainError> {
        let m = self.trainer.take_metrics(b);
        self.check(m)
    }

    fn check(&mut self, m: Metrics) -> Result<Metrics, TrainError> {
        let verdict = self.health.observe(&m).map_err(|failure| TrainError::Diverged { epoch: self.epoch, batch: self.done, lr: self.trainer.optimizer.lr, failure });
        self.warning = None;
        match verdict {
            Err(TrainError::Diverged { failure, .. }) if !failure.is_fatal() => {
                self.warning = verdict.err();
                Ok(m)
            }
            Err(e) => Err(e),
            Ok(()) => Ok(m),
        }
    }

    /// Why the run seems not to be learning, as of the last read; `None` once it learns.
    pub fn warning(&self) -> Option<&TrainError> {
        self.warning.as_ref()
    }

    /// Loss and accuracy on the held-out test set, without blocking. Before the first step, this
    /// is where the run starts from (`Health::baseline`).
    pub async fn evaluate(&mut self, b: &B) -> Metrics {
        let split = Rc::clone(&self.split);
        let m = self.trainer.evaluate_async(b, &split.test, EVAL_BATCH).await;
        self.evaluated(m)
    }

    pub fn evaluate_blocking(&mut self, b: &B) -> Metrics {
        let split = Rc::clone(&self.split);
        let m = self.trainer.evaluate(b, &split.test, EVAL_BATCH);
        self.evaluated(m)
    }

    /// Loss and accuracy on the held-out validation examples (`with_holdout`), without blocking;
    /// `None` when the run validates on nothing.
    pub async fn evaluate_validation(&mut self, b: &B) -> Option<Metrics> {
        if self.holdout.validation.is_empty() {
            return None;
        }
        let split = Rc::clone(&self.split);
        Some(self.trainer.evaluate_subset_async(b, &split.train, &self.holdout.validation, EVAL_BATCH).await)
    }

    /// The test set's loss and accuracy and every test example's class probabilities (N × K),
    /// without blocking: what the confusion matrix is made of.
    pub async fn evaluate_predictions(&mut self, b: &B) -> (Metrics, Vec<f32>) {
        let split = Rc::clone(&self.split);
        let r = self.trainer.evaluate_predictions_async(b, &split.test, EVAL_BATCH).await;
        self.evaluated(r.0);
        r
    }

    fn evaluated(&mut self, m: Metrics) -> Metrics {
        if self.steps == 0 {
            self.health.baseline(&m);
        }
        m
    }

    /// Takes effect on the next step; the optimizer's state (momentum, Adam's moments) is kept.
    pub fn set_lr(&mut self, lr: f32) -> Result<(), TrainError> {
        check_lr(lr)?;
        self.trainer.optimizer.lr = lr;
        // A schedule goes on from the new rate, as if the run had started with it.
        if let Some((s, _)) = self.schedule {
            self.schedule = Some((s, lr / s.lr_at(1.0, self.epoch)));
        }
        Ok(())
    }

    /// Train with another loss from the next step on, keeping the weights and the optimizer's
    /// state. The health check judges the run against that loss's chance level from the next
    /// read; the metrics summed since the last read are the old loss's.
    pub fn set_loss(&mut self, kind: LossKind) {
        self.trainer.set_loss(kind);
        self.health.set_loss(self.split.train.classes.len(), kind);
    }

    /// λ of the updates from the next step on (0: none); the optimizer's state is kept.
    pub fn set_weight_decay(&mut self, weight_decay: f32) -> Result<(), TrainError> {
        check_weight_decay(weight_decay)?;
        self.trainer.optimizer.weight_decay = weight_decay;
        Ok(())
    }

    /// Freeze (or unfreeze) top-level layer `layer` from the next step on (`Sequential::set_frozen`).
    pub fn set_frozen(&mut self, layer: usize, frozen: bool) -> Result<(), TrainError> {
        self.trainer.model.set_frozen(layer, frozen).map_err(|e| TrainError::Setting(e.message()))
    }

    pub fn frozen_layers(&self) -> Vec<usize> {
        self.trainer.model.frozen_layers()
    }

    /// Switch the optimizer, keeping the weights, the learning rate and the weight decay. The
    /// old optimizer's state means nothing to the new one, so every parameter's state starts
    /// again from zero.
    pub fn set_optimizer(&mut self, b: &B, kind: OptimKind) {
        let Optimizer { lr, weight_decay, .. } = self.trainer.optimizer;
        self.trainer.optimizer = Optimizer { weight_decay, ..Optimizer::new(kind, lr) };
        for p in self.trainer.model.params_mut() {
            p.reset_state(b);
        }
    }

    /// Use batches of `n` from the next step on: the examples this epoch has not seen yet are
    /// re-cut into batches of n, so no example is skipped or repeated.
    pub fn set_batch_size(&mut self, n: usize) -> Result<(), TrainError> {
        check_batch(n)?;
        fits(&self.trainer, n)?;
        self.batch_size = n;
        let rest: Vec<usize> = self.order[self.done..].iter().flatten().copied().collect();
        self.order = rest.chunks(n).map(|c| c.to_vec()).collect();
        self.done = 0;
        if self.order.is_empty() {
            self.new_epoch();
        }
        Ok(())
    }

    pub fn batch_size(&self) -> usize {
        self.batch_size
    }
}

impl<B: Backend> Session<B> {
    /// Train for `epochs` whole epochs, blocking (the CLI, the tests), evaluating on the test set
    /// before the first step and after each epoch. The learning rate follows `schedule` from the
    /// trainer's own. `now` returns seconds. The metrics are read every `read_every` batches, to
    /// report the running loss and to stop a failing run early; nobody watches this run, so a
    /// run that is not learning stops too.
    pub fn fit(&mut self, b: &B, epochs: usize, schedule: Option<StepLr>, read_every: usize, now: &dyn Fn() -> f64, on_event: &mut dyn FnMut(&Event)) -> Result<Vec<EpochReport>, TrainError> {
        if schedule.is_some() {
            self.set_schedule(schedule);
        }
        if self.steps == 0 {
            self.evaluate_blocking(b);
        }
        let mut reports = Vec::new();
        for _ in 0..epochs {
            let epoch = self.epoch;
            // The schedule moves the rate as the epoch ends: report the rate it trained with.
            let lr = self.trainer.optimizer.lr;
            let start = now();
            let (batches, mut sums) = (self.order.len(), [0.0f64; 3]);
            loop {
                let batch = self.done;
                let ended = self.step(b);
                let loss = if (batch + 1).is_multiple_of(read_every.max(1)) || ended {
                    let m = self.read_metrics_blocking(b)?;
                    if let Some(w) = self.warning.take() {
                        return Err(w);
                    }
                    for (sum, v) in sums.iter_mut().zip([m.loss, m.accuracy, 1.0]) {
                        *sum += (v * m.examples as f32) as f64;
                    }
                    Some((sums[0] / sums[2]) as f32)
                } else {
                    None
                };
                on_event(&Event::Batch { epoch, batch, batches, loss });
                if ended {
                    break;
                }
            }
            let seconds = now() - start;
            let test = self.evaluate_blocking(b);
            let report = EpochReport {
                epoch,
                lr,
                train_loss: (sums[0] / sums[2]) as f32,
                train_accuracy: (sums[1] / sums[2]) as f32,
                test_loss: test.loss,
                test_accuracy: test.accuracy,
                examples_per_second: self.holdout.train.len() as f64 / seconds.max(1e-9),
                seconds,
            };
            on_event(&Event::Epoch(report.clone()));
            reports.push(report);
        }
        Ok(reports)
    }
}

/// Batch size of evaluation passes: large enough to be quick, small enough for any device.
pub const EVAL_BATCH: usize = 500;
/// The largest batch: Fashion-MNIST's whole training set is 60,000. (The memory budget refuses
/// far smaller ones for large networks, and the page offers up to 1,024.)
pub const MAX_BATCH: usize = 65_536;

fn check_batch(n: usize) -> Result<(), TrainError> {
    if (1..=MAX_BATCH).contains(&n) {
        Ok(())
    } else {
        Err(TrainError::Setting(Message::new(crate::train::text::BATCH_RANGE).with("max", MAX_BATCH).with("got", n)))
    }
}

/// Batches of `n` (and evaluation's) must fit the model's memory budget.
fn fits<B: Backend>(trainer: &Trainer<B>, n: usize) -> Result<(), TrainError> {
    trainer.model.check_batch(n.max(EVAL_BATCH)).map_err(|e| TrainError::Setting(e.message()))
}

/// PyTorch's optimizers refuse a negative weight decay too.
pub fn check_weight_decay(weight_decay: f32) -> Result<(), TrainError> {
    if weight_decay.is_finite() && weight_decay >= 0.0 {
        Ok(())
    } else {
        Err(TrainError::Setting(Message::new(crate::train::text::WEIGHT_DECAY).with("got", weight_decay)))
    }
}

pub fn check_lr(lr: f32) -> Result<(), TrainError> {
    if lr.is_finite() && lr > 0.0 {
        Ok(())
    } else {
        Err(TrainError::Setting(Message::new(crate::train::text::LR_POSITIVE).with("got", lr)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Dataset;
    use crate::init::Init;
    use crate::model::{zoo, Sequential};
    use crate::Cpu;

    /// A tiny learnable problem: class k images are bright in row band k.
    fn bands(n: usize) -> Dataset {
        let mut images = Vec::new();
        let mut labels = Vec::new();
        for i in 0..n {
            let k = i % 10;
            let mut img = vec![0.0f32; 784];
            for y in k * 2..k * 2 + 3 {
                for x in 4..24 {
                    img[y * 28 + x] = 1.0;
                }
            }
            images.extend(img);
            labels.push(k as u8);
        }
        Dataset { name: "bands".into(), dims: [1, 28, 28], images, labels, classes: (0..10).map(|k| k.to_string()).collect() }
    }

    fn session(lr: f32, batch: usize) -> (Cpu, Session<Cpu>) {
        let b = Cpu::new();
        let model = Sequential::new(&b, zoo::lenet_relu(), Init::HeNormal, 1).unwrap();
        let trainer = Trainer::from_model(&b, model, OptimKind::ADAM, lr);
        let split = Rc::new(Split { train: bands(100), test: bands(30) });
        let s = Session::new(trainer, split, batch, 0).unwrap();
        (b, s)
    }

    #[test]
    fn steps_count_through_epochs_and_the_loss_falls() {
        let (b, mut s) = session(0.003, 32);
        assert_eq!(s.progress(), Progress { epoch: 0, batch: 0, batches: 4, steps: 0 });
        let before = s.evaluate_blocking(&b);
        let ended: Vec<bool> = (0..8).map(|_| s.step(&b)).collect();
        assert_eq!(ended, [false, false, false, true, false, false, false, true]);
        assert_eq!(s.progress(), Progress { epoch: 2, batch: 0, batches: 4, steps: 8 });
        let m = s.read_metrics_blocking(&b).unwrap();
        assert_eq!(m.examples, 200);
        for _ in 0..40 {
            s.step(&b);
        }
        let after = s.evaluate_blocking(&b);
        assert!(after.loss < before.loss * 0.5, "test loss {} -> {}", before.loss, after.loss);
    }

    #[test]
    fn changing_the_batch_size_mid_epoch_skips_and_repeats_nothing() {
        let (b, mut s) = session(0.001, 32);
        s.step(&b);
        s.set_batch_size(10).unwrap();
        // 100 − 32 = 68 examples left: 6 batches of 10 and one of 8.
        assert_eq!(s.progress().batches, 7);
        let seen: usize = s.order.iter().map(Vec::len).sum();
        assert_eq!(seen, 68);
        for _ in 0..7 {
            s.step(&b);
        }
        assert_eq!(s.progress().epoch, 1);
        assert_eq!(s.progress().batches, 10, "the next epoch uses batches of 10");
        assert!(s.set_batch_size(0).is_err());
        assert!(s.set_batch_size(MAX_BATCH + 1).is_err());
    }

    #[test]
    fn a_learning_rate_that_blows_up_stops_with_an_explanation() {
        let (b, mut s) = session(1.0, 32);
        s.set_optimizer(&b, OptimKind::Sgd);
        s.set_lr(1e6).unwrap();
        let mut err = None;
        for _ in 0..20 {
            s.step(&b);
            if let Err(e) = s.read_metrics_blocking(&b) {
                err = Some(e);
                break;
            }
        }
        let msg = err.expect("the loss diverges").to_string();
        assert!(msg.contains("learning rate") && msg.contains("1000000"), "{msg}");
        assert!(s.set_lr(f32::NAN).is_err() && s.set_lr(0.0).is_err());
    }

    #[test]
    fn weight_decay_and_frozen_layers_are_settings_of_the_run() {
        let (b, mut s) = session(0.001, 32);
        for bad in [-0.1, f32::NAN, f32::INFINITY] {
            let e = s.set_weight_decay(bad).unwrap_err().to_string();
            assert!(e.contains("weight decay must be a number of at least 0"), "{e}");
        }
        s.set_weight_decay(1e-3).unwrap();
        s.set_optimizer(&b, OptimKind::MOMENTUM);
        assert_eq!((s.trainer.optimizer.weight_decay, s.trainer.optimizer.lr), (1e-3, 0.001), "a new optimizer keeps λ and η");

        // lenet-relu: 0 conv, 1 ReLU, 3 conv, 7 dense.
        s.set_frozen(3, true).unwrap();
        s.set_frozen(0, true).unwrap();
        assert_eq!(s.frozen_layers(), [0, 3]);
        let e = s.set_frozen(1, true).unwrap_err().to_string();
        assert!(e.contains("layer 1 (ReLU) has no weights to freeze"), "{e}");
        let e = s.set_frozen(12, true).unwrap_err().to_string();
        assert!(e.contains("there is no layer 12: the network's layers are numbered 0 to 11"), "{e}");
        let conv = |s: &Session<Cpu>| b.read(&s.trainer.model.params()[0].value);
        let before = conv(&s);
        for _ in 0..3 {
            s.step(&b);
        }
        assert_eq!(conv(&s), before, "a frozen convolution does not train");
        s.set_frozen(0, false).unwrap();
        s.step(&b);
        assert_ne!(conv(&s), before, "unfrozen, it trains again");
        assert_eq!(s.frozen_layers(), [3]);
    }

    #[test]
    fn data_of_another_size_is_refused() {
        let b = Cpu::new();
        let model = Sequential::new(&b, zoo::lenet5(), Init::HeNormal, 1).unwrap();
        let trainer = Trainer::from_model(&b, model, OptimKind::ADAM, 0.001);
        let split = Rc::new(Split { train: bands(10), test: bands(10) });
        let err = Session::new(trainer, split, 8, 0).err().expect("lenet5 takes 32×32");
        assert!(matches!(err, TrainError::InputMismatch { .. }), "{err}");
    }
}
