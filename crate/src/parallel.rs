//! Data parallelism on the CPU path: every core of the learner's machine trains one step.
//!
//! A step's batch of N examples is cut into one shard per worker (`shard_bounds`). Every worker
//! holds a copy of the network (a `Trainer` built from the same spec: a *replica*) and receives,
//! with its shard, the current weights; it runs forward and backward on its shard and sends back
//! its gradient, weighted by its share of the batch (n_k / N), followed by its shard's metric sums.
//! The coordinator (the worker that owns the run: its data, shuffling, optimizer and schedule)
//! computes shard 0 itself meanwhile, then adds the results in worker order — always the same
//! order, so a run is the same for a given number of workers — and takes the one update:
//!
//! ```text
//! g = Σₖ (nₖ / N) · gₖ        (gₖ: the mean gradient over shard k)
//! ```
//!
//! which is the gradient of the mean loss over the whole batch, the one a single worker computes.
//! This is what PyTorch's DistributedDataParallel does on many GPUs ("all-reduce" of the
//! gradients); here the weights go back to the workers instead of the summed gradient, so the
//! optimizer's state lives in one place.
//!
//! Two kinds of layer are not split: batch normalisation (a shard's mean and variance are not the
//! batch's, and syncing them would need an exchange inside every forward and backward pass) and
//! dropout (its masks are drawn per step from one random stream). A network with either trains
//! on one worker, and `refusal` says why.

use serde::Serialize;

use crate::backend::{Backend, METRICS_LEN};
use crate::message::{Explain, Message};
use crate::model::spec::{LayerSpec, ModelSpec};
use crate::model::Mode;
use crate::session::Session;
use crate::train::{LossKind, Trainer};

pub mod text {
    crate::templates! {
        BATCH_NORM = "parallel.batchNorm": "this network has batch normalisation: a worker's shard would be normalised with its own mean and variance, not the batch's, so it trains on one worker";
        DROPOUT = "parallel.dropout": "this network has dropout: its masks come from one random stream per step, so it trains on one worker";
    }
}

/// The examples [lo, hi) of a batch of `n` that each of `workers` workers computes, in order:
/// as equal as can be (the first n mod workers get one more), none empty.
pub fn shard_bounds(n: usize, workers: usize) -> Vec<(usize, usize)> {
    let workers = workers.clamp(1, n.max(1));
    let (base, extra) = (n / workers, n % workers);
    let mut lo = 0;
    (0..workers)
        .map(|k| {
            let hi = lo + base + usize::from(k < extra);
            let shard = (lo, hi);
            lo = hi;
            shard
        })
        .collect()
}

/// The part of a batch of `n` that the shard [lo, hi) is: its gradient's weight in the sum.
pub fn share((lo, hi): (usize, usize), n: usize) -> f32 {
    (hi - lo) as f32 / n as f32
}

/// Why a network trains on one worker only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Refusal {
    BatchNorm,
    Dropout,
}

impl Explain for Refusal {
    fn message(&self) -> Message {
        match self {
            Refusal::BatchNorm => text::BATCH_NORM.into(),
            Refusal::Dropout => text::DROPOUT.into(),
        }
    }
}

/// `None` when `spec` can be split across workers; else the reason it cannot.
pub fn refusal(spec: &ModelSpec) -> Option<Refusal> {
    fn scan(layers: &[LayerSpec]) -> Option<Refusal> {
        layers.iter().find_map(|l| match l {
            LayerSpec::BatchNorm2d { .. } => Some(Refusal::BatchNorm),
            LayerSpec::Dropout { .. } => Some(Refusal::Dropout),
            LayerSpec::Residual { body, shortcut } => scan(body).or_else(|| scan(shortcut)),
            _ => None,
        })
    }
    scan(&spec.layers)
}

/// How many values a worker's result holds for a network of `params` parameters: the weighted
/// gradient, then the metric sums [Σ loss, correct, examples].
pub fn result_len(params: usize) -> usize {
    params + METRICS_LEN
}

impl<B: Backend> Trainer<B> {
    /// Every parameter's value, in the network's order, as one vector.
    pub fn weights(&self, b: &B) -> Vec<f32> {
        let mut out = Vec::with_capacity(self.weight_count());
        for p in self.model.params() {
            out.extend_from_slice(&b.read(&p.value));
        }
        out
    }

    /// How many values `weights` holds.
    pub fn weight_count(&self) -> usize {
        self.model.params().iter().map(|p| p.shape.len()).sum()
    }

    /// Overwrite every parameter with `weights` (as `weights` lays them out).
    pub fn set_weights(&mut self, b: &B, weights: &[f32]) {
        let mut at = 0;
        for p in self.model.params_mut() {
            let n = p.shape.len();
            b.write(&mut p.value, &weights[at..at + n]);
            at += n;
        }
        assert_eq!(at, weights.len(), "weights for another network");
    }

    /// One worker's part of a step: forward and backward on `images`/`labels` (a shard), then the
    /// gradient weighted by `share` (the shard's part of the batch) and the shard's metric sums.
    /// Leaves the weights and the running metrics as they were: nothing is updated here.
    pub fn shard_gradient(&mut self, b: &B, images: &[f32], labels: &[f32], share: f32) -> Vec<f32> {
        let before = b.read(&self.metrics);
        self.model.set_input(b, images, labels.len());
        self.forward_loss(b, labels, Mode::Train);
        self.model.backward(b);
        let mut out = Vec::with_capacity(result_len(self.weight_count()));
        for p in self.model.params() {
            out.extend(b.read(&p.grad).iter().map(|g| g * share));
        }
        let after = b.read(&self.metrics);
        out.extend(after.iter().zip(&before).map(|(a, b)| a - b));
        b.write(&mut self.metrics, &before);
        out
    }

    /// The one update of a step from the workers' results added up (`shard_gradient`'s layout):
    /// the gradient goes to the optimizer, the metric sums to the running metrics.
    pub fn apply_summed(&mut self, b: &B, summed: &[f32]) {
        let (grad, sums) = summed.split_at(summed.len() - METRICS_LEN);
        let mut at = 0;
        for p in self.model.params_mut() {
            let n = p.shape.len();
            b.write(&mut p.grad, &grad[at..at + n]);
            at += n;
        }
        assert_eq!(at, grad.len(), "a gradient for another network");
        self.optimizer.step(b, self.model.trainable_params_mut());
        let metrics: Vec<f32> = b.read(&self.metrics).iter().zip(sums).map(|(m, s)| m + s).collect();
        b.write(&mut self.metrics, &metrics);
        b.submit();
    }
}

/// Add the workers' results in worker order (the order fixes the rounding, so a run is the same
/// each time for a given number of workers).
pub fn add_in_order(results: &[Vec<f32>]) -> Vec<f32> {
    let mut sum = results[0].clone();
    for r in &results[1..] {
        assert_eq!(r.len(), sum.len(), "results of different networks");
        for (s, v) in sum.iter_mut().zip(r) {
            *s += v;
        }
    }
    sum
}

/// The other workers, as the coordinator sees them (the page's Web Workers; in-process replicas
/// in the tests).
#[allow(async_fn_in_trait)]
pub trait Peers {
    /// What `dispatch` hands back to wait on.
    type Pending;
    /// How many workers there are besides the coordinator.
    fn count(&self) -> usize;
    /// Start worker k (1 ≤ k < bounds.len()) on examples `bounds[k]` of the batch at `weights`;
    /// returns at once, while they work.
    fn dispatch(&self, weights: &[f32], images: &[f32], labels: &[f32], bounds: &[(usize, usize)], loss: LossKind) -> Self::Pending;
    /// Their results (`Trainer::shard_gradient`'s layout), in worker order.
    async fn collect(&self, pending: Self::Pending) -> Result<Vec<Vec<f32>>, crate::Error>;
    /// Whether anyone looks at the steps (`observe` is then called after each).
    fn watching(&self) -> bool {
        false
    }
    /// What a step did, for the page's view of its workers.
    fn observe(&self, _view: &StepView) {}
}

/// How many gradient entries a `StepView` shows of each worker: the first convolution's first
/// weight, enough to see the workers' parts add up.
pub const SAMPLE: usize = 1;

/// One worker's part of a step, or (`StepView::sum`) the whole batch's.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PartView {
    /// The examples [lo, hi) of the batch.
    pub lo: usize,
    pub hi: usize,
    /// Mean loss over them.
    pub loss: f32,
    /// The length of the (weighted) gradient it contributes.
    pub grad_norm: f32,
    /// Its first `SAMPLE` gradient entries (weighted: the workers' add up to the sum's).
    pub sample: Vec<f32>,
}

/// What one data-parallel step did: each worker's part and their sum, the update's gradient.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepView {
    pub batch: usize,
    pub workers: Vec<PartView>,
    pub sum: PartView,
}

impl StepView {
    fn of(bounds: &[(usize, usize)], results: &[Vec<f32>], summed: &[f32]) -> StepView {
        let part = |(lo, hi): (usize, usize), r: &[f32]| {
            let (grad, sums) = r.split_at(r.len() - METRICS_LEN);
            PartView {
                lo,
                hi,
                loss: sums[0] / sums[2].max(1.0),
                grad_norm: grad.iter().map(|g| g * g).sum::<f32>().sqrt(),
                sample: grad.iter().take(SAMPLE).copied().collect(),
            }
        };
        let n = bounds.last().map_or(0, |b| b.1);
        StepView { batch: n, workers: bounds.iter().zip(results).map(|(&b, r)| part(b, r)).collect(), sum: part((0, n), summed) }
    }
}

/// One data-parallel step of `session` on the next batch: the coordinator's shard here, the
/// others on `peers`, their results added in worker order, one update. Returns true when the
/// step finished an epoch (as `Session::step`).
pub async fn step<B: Backend, P: Peers>(b: &B, session: &mut Session<B>, peers: &P) -> Result<bool, crate::Error> {
    let workers = peers.count() + 1;
    session.next_batch();
    let (images, labels, trainer) = session.batch_and_trainer();
    let n = labels.len();
    let bounds = shard_bounds(n, workers);
    let weights = trainer.weights(b);
    let pending = peers.dispatch(&weights, images, labels, &bounds, trainer.loss_kind());
    let per_example = images.len() / n;
    let (lo, hi) = bounds[0];
    let own = trainer.shard_gradient(b, &images[lo * per_example..hi * per_example], &labels[lo..hi], share((lo, hi), n));
    let mut results = vec![own];
    results.extend(peers.collect(pending).await?);
    if results.len() != bounds.len() || results.iter().any(|r| r.len() != result_len(weights.len())) {
        return Err(crate::Error::Invalid(format!("a worker answered for another network ({} results for {} shards)", results.len(), bounds.len())));
    }
    let summed = add_in_order(&results);
    trainer.apply_summed(b, &summed);
    if peers.watching() {
        peers.observe(&StepView::of(&bounds, &results, &summed));
    }
    Ok(session.finish_step())
}

/// A worker that is not the coordinator: a copy of the network that computes shard gradients.
pub struct Replica<B: Backend> {
    trainer: Trainer<B>,
}

impl<B: Backend> Replica<B> {
    /// A replica of `spec` (its weights arrive with every shard).
    pub fn new(b: &B, spec: ModelSpec) -> Result<Self, crate::Error> {
        let model = crate::model::Sequential::new(b, spec, crate::init::Init::Uniform { a: 0.0 }, 0)?;
        Ok(Replica { trainer: Trainer::from_model(b, model, crate::optim::OptimKind::Sgd, 0.1) })
    }

    /// `Trainer::shard_gradient` at `weights`, with the loss the run trains with.
    pub fn gradient(&mut self, b: &B, weights: &[f32], images: &[f32], labels: &[f32], share: f32, loss: LossKind) -> Vec<f32> {
        self.trainer.set_loss(loss);
        self.trainer.set_weights(b, weights);
        self.trainer.shard_gradient(b, images, labels, share)
    }

    pub fn weight_count(&self) -> usize {
        self.trainer.weight_count()
    }
}

/// Peers for the tests (here and in `training_run`): the other workers in this process.
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) mod local {
    use super::*;
    use crate::Cpu;
    use std::cell::{Cell, RefCell};

    /// Replicas computing in turn (the order of the sum, not the threads, is what the tests are
    /// about), counting the shards they are given.
    pub(crate) struct LocalPeers {
        b: Cpu,
        replicas: RefCell<Vec<Replica<Cpu>>>,
        pub(crate) dispatched: Cell<usize>,
    }

    impl LocalPeers {
        /// `count` replicas of `spec`.
        pub(crate) fn new(spec: &ModelSpec, count: usize) -> LocalPeers {
            let b = Cpu::new();
            let replicas = (0..count).map(|_| Replica::new(&b, spec.clone()).expect("a replica of a valid spec")).collect();
            LocalPeers { b, replicas: RefCell::new(replicas), dispatched: Cell::new(0) }
        }
    }

    impl Peers for LocalPeers {
        type Pending = Vec<Vec<f32>>;
        fn count(&self) -> usize {
            self.replicas.borrow().len()
        }
        fn dispatch(&self, weights: &[f32], images: &[f32], labels: &[f32], bounds: &[(usize, usize)], loss: LossKind) -> Self::Pending {
            let (n, px) = (labels.len(), images.len() / labels.len());
            self.dispatched.set(self.dispatched.get() + bounds.len() - 1);
            let mut replicas = self.replicas.borrow_mut();
            bounds[1..]
                .iter()
                .zip(replicas.iter_mut())
                .map(|(&(lo, hi), r)| r.gradient(&self.b, weights, &images[lo * px..hi * px], &labels[lo..hi], share((lo, hi), n), loss))
                .collect()
        }
        async fn collect(&self, pending: Self::Pending) -> Result<Vec<Vec<f32>>, crate::Error> {
            Ok(pending)
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::data::{Dataset, Split};
    use crate::rng::{Rng, Stream};
    use crate::train::TrainConfig;
    use crate::Cpu;
    use std::rc::Rc;

    /// Class k is bright in row band k, under noise: learnable, and every image different.
    fn bands(n: usize, seed: u64) -> Dataset {
        let mut rng = Rng::stream(seed, Stream::Shuffle);
        let mut images: Vec<f32> = (0..n * 784).map(|_| 0.3 * rng.uniform()).collect();
        let labels: Vec<u8> = (0..n).map(|i| (i % 10) as u8).collect();
        for (i, &k) in labels.iter().enumerate() {
            for y in k as usize * 2..k as usize * 2 + 3 {
                images[i * 784 + y * 28..i * 784 + y * 28 + 28].iter_mut().for_each(|v| *v += 1.0);
            }
        }
        Dataset { name: "bands".into(), dims: [1, 28, 28], images, labels, classes: (0..10).map(|k| k.to_string()).collect() }
    }

    /// The loss after each of `steps` steps of LeNet with ReLU (Adam, batch 64) on `workers`.
    fn losses(workers: usize, steps: usize) -> (Vec<f32>, Vec<f32>) {
        let b = Cpu::new();
        let split = Rc::new(Split { train: bands(640, 1), test: bands(64, 2) });
        let spec = crate::model::zoo::lenet_relu();
        let cfg = TrainConfig { batch_size: 64, lr: 0.01, optimizer: crate::optim::OptimKind::ADAM, init: crate::init::Init::HeNormal, seed: 7, ..TrainConfig::default() };
        let mut s = Session::from_config(&b, spec.clone(), split, &cfg).unwrap();
        let peers = local::LocalPeers::new(&spec, workers - 1);
        let mut out = Vec::new();
        for _ in 0..steps {
            if workers == 1 {
                s.step(&b);
            } else {
                pollster::block_on(step(&b, &mut s, &peers)).unwrap();
            }
            out.push(s.read_metrics_blocking(&b).unwrap().loss);
        }
        (out, s.trainer.weights(&b))
    }

    #[test]
    fn n_workers_train_as_one_does() {
        let (one, w1) = losses(1, 50);
        assert!(one[49] < 0.5 * one[0], "it learns: {} → {}", one[0], one[49]);
        for workers in [2, 3, 4] {
            let (many, wn) = losses(workers, 50);
            for (k, (a, b)) in one.iter().zip(&many).enumerate() {
                assert!((a - b).abs() <= 1e-5, "{workers} workers, step {k}: loss {b} vs {a} on one");
            }
            let far = w1.iter().zip(&wn).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
            // Adam divides by √v: where a gradient is near 0 its rounding shows in the step. Still
            // within a tenth of one step (lr = 0.01) after 50.
            assert!(far < 1e-3, "{workers} workers: weights {far} apart after 50 steps");
            // The same number of workers gives the same run, bit for bit: the sum's order is fixed.
            assert_eq!(losses(workers, 5).0, many[..5].to_vec());
        }
    }

    #[test]
    fn shards_cover_the_batch_in_order_as_equal_as_can_be() {
        assert_eq!(shard_bounds(10, 3), vec![(0, 4), (4, 7), (7, 10)]);
        assert_eq!(shard_bounds(256, 2), vec![(0, 128), (128, 256)]);
        assert_eq!(shard_bounds(3, 8), vec![(0, 1), (1, 2), (2, 3)], "never an empty shard");
        assert_eq!(shard_bounds(5, 1), vec![(0, 5)]);
        for n in 1..40 {
            for w in 1..9 {
                let s = shard_bounds(n, w);
                assert_eq!(s[0].0, 0);
                assert_eq!(s.last().unwrap().1, n);
                assert!(s.windows(2).all(|p| p[0].1 == p[1].0));
                let sizes: Vec<usize> = s.iter().map(|(a, b)| b - a).collect();
                assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1);
            }
        }
    }

    #[test]
    fn a_step_view_adds_the_workers_parts_up_to_the_sum() {
        let results = vec![vec![0.5, -1.0, 2.0, 0.0, 6.0, 2.0, 4.0], vec![0.25, 1.0, -1.0, 3.0, 2.0, 1.0, 2.0]];
        let summed = add_in_order(&results);
        let v = StepView::of(&[(0, 4), (4, 6)], &results, &summed);
        assert_eq!(v.batch, 6);
        assert_eq!(v.workers[1].lo, 4);
        assert_eq!(v.workers[0].loss, 1.5, "Σ loss 6 over 4 examples");
        assert_eq!(v.sum.loss, 8.0 / 6.0);
        assert_eq!(v.sum.sample, vec![0.75]);
        assert_eq!(v.workers[0].grad_norm, (0.25f32 + 1.0 + 4.0).sqrt());
    }

    #[test]
    fn batch_norm_and_dropout_train_on_one_worker() {
        let lenet = crate::model::zoo::lenet_d2l();
        assert_eq!(refusal(&lenet), None);
        let mut bn = lenet.clone();
        bn.layers.insert(1, LayerSpec::BatchNorm2d { eps: 1e-5, momentum: 0.1, num_features: None });
        assert_eq!(refusal(&bn), Some(Refusal::BatchNorm));
        let mut inside = lenet.clone();
        inside.layers.insert(0, LayerSpec::Residual { body: vec![LayerSpec::Dropout { p: 0.5 }], shortcut: vec![] });
        assert_eq!(refusal(&inside), Some(Refusal::Dropout));
    }
}
