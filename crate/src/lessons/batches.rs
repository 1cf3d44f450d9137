//! The chapter "batches": epochs, mini-batches and shuffling on the 2-2-1 network of
//! `lessons::tiny`.
//!
//! The training set is `N` points (`tiny::xor_points`). An epoch is one pass over all of them:
//! `data::epoch_batches` shuffles the order from the run's shuffle stream (`rng::Stream::Shuffle`,
//! as every training run does) and cuts it into batches of B, the last one smaller when B does not
//! divide N, so an epoch has ⌈N/B⌉ updates. Each update follows the mean gradient of its batch
//! (the tiny lesson's own backprop), θ ← θ − η·mean ∂L/∂θ. The next epoch is shuffled again.
//!
//! `compare` trains the same start with B = N (full batch), B = 8 (mini-batch) and B = 1
//! (single example, "stochastic"), recording the loss each update saw on its own batch — the
//! noisy curve a training run prints — and the loss over all N after each epoch.

use serde::Serialize;

use crate::check::{self, NotFinite};
use crate::data;
use crate::lessons::tiny::{self, Example, Params, TinyError};
use crate::message::{Explain, Message};
use crate::rng::{Rng, Stream};

/// Examples in the training set.
pub const N: usize = 24;
/// Seeds of the points and of the shuffles.
pub const DATA_SEED: u64 = tiny::BATCH_DATA_SEED;
pub const SHUFFLE_SEED: u64 = 3;
/// The learning rate of every run here: small enough that no run kills the output ReLU (at 0.3
/// single-example steps push z₃ below 0 for every point within a few epochs), so that the runs
/// differ only in their batches.
pub const LR: f32 = 0.05;
/// Batch sizes the strip offers (5 does not divide 24: its last batch has 4).
pub const STRIP_SIZES: [usize; 4] = [1, 5, 8, N];
/// The comparison: full batch, mini-batch, single example, for `EPOCHS` epochs.
pub const COMPARE_SIZES: [usize; 3] = [N, 8, 1];
pub const EPOCHS: usize = 20;
/// The most epochs the page may ask for.
pub const MAX_EPOCHS: usize = 1000;

/// The training set.
pub fn dataset() -> Vec<Example> {
    tiny::xor_points(N, DATA_SEED)
}

/// The batches of epoch `epoch` (0 first) for batch size `batch`: the shuffle stream is drawn
/// once per epoch, so every epoch has its own order and the same seed gives the same orders.
pub fn epoch_order(batch: usize, epoch: usize) -> Vec<Vec<usize>> {
    let mut rng = Rng::stream(SHUFFLE_SEED, Stream::Shuffle);
    let mut batches = Vec::new();
    for _ in 0..=epoch {
        batches = data::epoch_batches(N, batch, Some(&mut rng));
    }
    batches
}

/// The mean loss and mean gradient of the examples `indices` of `data`.
pub fn mean_gradient(p: &Params, data: &[Example], indices: &[usize]) -> (f32, Params) {
    let n = indices.len() as f32;
    let mut loss = 0.0;
    let mut g = [0.0f32; tiny::N_PARAMS];
    for &i in indices {
        let f = tiny::forward(p, data[i].x);
        let b = tiny::backward(p, &f, data[i].y);
        loss += b.loss / n;
        for (acc, gi) in g.iter_mut().zip(b.grads) {
            *acc += gi / n;
        }
    }
    (loss, g)
}

/// One update on one batch, as the strip shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchStep {
    pub indices: Vec<usize>,
    /// Mean loss over the batch before the update.
    pub batch_loss: f32,
    /// The mean gradient of the batch.
    pub grads: Params,
    pub lr: f32,
    pub old: Params,
    pub new: Params,
    /// Mean loss over the batch after the update.
    pub new_batch_loss: f32,
    /// Mean loss over all N before and after.
    pub loss: f32,
    pub new_loss: f32,
}

pub fn batch_step(p: &Params, data: &[Example], indices: &[usize], lr: f32) -> BatchStep {
    let (batch_loss, grads) = mean_gradient(p, data, indices);
    let new = tiny::sgd_update(p, &grads, lr);
    BatchStep {
        indices: indices.to_vec(),
        batch_loss,
        grads,
        lr,
        old: *p,
        new,
        new_batch_loss: mean_gradient(&new, data, indices).0,
        loss: tiny::mean_loss(p, data),
        new_loss: tiny::mean_loss(&new, data),
    }
}

/// One run of the comparison.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    pub batch: usize,
    /// ⌈N / batch⌉
    pub updates_per_epoch: usize,
    /// Examples whose gradient each update computes: the cost of one update.
    pub examples_per_update: usize,
    /// The loss of each update's own batch, before the update (epochs × updates_per_epoch).
    pub update_losses: Vec<f32>,
    /// Mean loss over all N before training and after each epoch (epochs + 1).
    pub epoch_losses: Vec<f32>,
    /// How often the loss went up from one update to the next: rises / (updates − 1).
    pub noise: f32,
}

/// The fraction of steps where a curve goes up.
pub fn noise(curve: &[f32]) -> f32 {
    if curve.len() < 2 {
        return 0.0;
    }
    tiny::rises(curve) as f32 / (curve.len() - 1) as f32
}

/// Train from the tiny lesson's start with batches of `batch` for `epochs` epochs.
pub fn run(batch: usize, epochs: usize) -> Run {
    let data = dataset();
    let mut p = tiny::DEFAULT_PARAMS;
    let mut update_losses = Vec::new();
    let mut epoch_losses = vec![tiny::mean_loss(&p, &data)];
    let mut rng = Rng::stream(SHUFFLE_SEED, Stream::Shuffle);
    for _ in 0..epochs {
        for indices in data::epoch_batches(N, batch, Some(&mut rng)) {
            let (loss, g) = mean_gradient(&p, &data, &indices);
            update_losses.push(loss);
            p = tiny::sgd_update(&p, &g, LR);
        }
        epoch_losses.push(tiny::mean_loss(&p, &data));
    }
    Run { batch, updates_per_epoch: N.div_ceil(batch), examples_per_update: batch, noise: noise(&update_losses), update_losses, epoch_losses }
}

/// The three runs of `COMPARE_SIZES` (`epochs` clamped to 1..=MAX_EPOCHS).
pub fn compare(epochs: usize) -> Vec<Run> {
    COMPARE_SIZES.iter().map(|&b| run(b, epochs.clamp(1, MAX_EPOCHS))).collect()
}

/// What the page can hand the strip that it cannot use.
#[derive(Clone, Debug, PartialEq)]
pub enum BatchError {
    Tiny(TinyError),
    /// A batch size outside 1..=N.
    BatchSize { batch: usize },
    /// An example index ≥ N, or an empty batch.
    Index { index: usize },
    EmptyBatch,
    EpochTooLate { epoch: usize },
}

pub mod text {
    crate::templates! {
        BATCH_SIZE = "batches.batchSize": "the batch size must be between 1 and {n}, not {batch}";
        INDEX = "batches.index": "the training set has {n} examples, numbered 0 to {last}; there is no example {index}";
        EMPTY = "batches.empty": "a batch needs at least one example";
        EPOCH = "batches.epoch": "the strip shows epochs 1 to {max}, not {epoch}";
    }
}

impl Explain for BatchError {
    fn message(&self) -> Message {
        match self {
            BatchError::Tiny(e) => e.message(),
            BatchError::BatchSize { batch } => Message::new(text::BATCH_SIZE).with("n", N).with("batch", batch),
            BatchError::Index { index } => Message::new(text::INDEX).with("n", N).with("last", N - 1).with("index", index),
            BatchError::EmptyBatch => Message::new(text::EMPTY),
            BatchError::EpochTooLate { epoch } => Message::new(text::EPOCH).with("max", MAX_EPOCHS).with("epoch", epoch + 1),
        }
    }
}
crate::explained_error!(BatchError);

/// `epoch_order` for the page: the batch size and the epoch checked.
pub fn epoch_order_checked(batch: usize, epoch: usize) -> Result<Vec<Vec<usize>>, BatchError> {
    if !(1..=N).contains(&batch) {
        return Err(BatchError::BatchSize { batch });
    }
    if epoch >= MAX_EPOCHS {
        return Err(BatchError::EpochTooLate { epoch });
    }
    Ok(epoch_order(batch, epoch))
}

/// `batch_step` for the page: the parameters, indices and learning rate checked.
pub fn batch_step_checked(values: &[f32], indices: &[usize], lr: f32) -> Result<BatchStep, BatchError> {
    let p = tiny::params(values).map_err(BatchError::Tiny)?;
    if indices.is_empty() {
        return Err(BatchError::EmptyBatch);
    }
    if let Some(&index) = indices.iter().find(|&&i| i >= N) {
        return Err(BatchError::Index { index });
    }
    let finite = |e: NotFinite| BatchError::Tiny(TinyError::NotFinite(e));
    check::finite_one(check::named("η"), lr).map_err(finite)?;
    if lr < 0.0 {
        return Err(BatchError::Tiny(TinyError::NegativeRate { lr }));
    }
    Ok(batch_step(&p, &dataset(), indices, lr))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_once_per_epoch_and_orders_differ() {
        for &b in &STRIP_SIZES {
            let mut previous: Option<Vec<usize>> = None;
            for epoch in 0..4 {
                let batches = epoch_order(b, epoch);
                assert_eq!(batches.len(), N.div_ceil(b), "batch {b}");
                assert!(batches[..batches.len() - 1].iter().all(|c| c.len() == b));
                let order: Vec<usize> = batches.concat();
                let mut sorted = order.clone();
                sorted.sort();
                assert_eq!(sorted, (0..N).collect::<Vec<_>>(), "each example once");
                if let Some(prev) = &previous {
                    assert_ne!(prev, &order, "epoch {epoch} reshuffled");
                }
                previous = Some(order);
            }
        }
        assert_eq!(epoch_order(5, 0).last().unwrap().len(), 4);
        assert_eq!(epoch_order(8, 2), epoch_order(8, 2), "seeded");
    }

    #[test]
    fn a_step_follows_the_mean_gradient_of_its_batch() {
        let data = dataset();
        let p = tiny::DEFAULT_PARAMS;
        let s = batch_step(&p, &data, &[3, 10], 0.3);
        for k in 0..tiny::N_PARAMS {
            let g = (0..2).map(|j| {
                let e = data[[3, 10][j]];
                tiny::backward(&p, &tiny::forward(&p, e.x), e.y).grads[k]
            });
            let mean = g.sum::<f32>() / 2.0;
            assert!((s.grads[k] - mean).abs() < 1e-7);
            assert!((s.new[k] - (p[k] - 0.3 * mean)).abs() < 1e-7);
        }
        assert!(s.new_batch_loss < s.batch_loss, "{s:?}");
    }

    #[test]
    fn full_batch_is_smooth_and_single_examples_are_noisy() {
        let runs = compare(EPOCHS);
        assert_eq!(runs.iter().map(|r| r.updates_per_epoch).collect::<Vec<_>>(), [1, 3, 24]);
        for r in &runs {
            assert_eq!(r.update_losses.len(), EPOCHS * r.updates_per_epoch);
            assert_eq!(r.epoch_losses.len(), EPOCHS + 1);
            assert!(r.epoch_losses[EPOCHS] < r.epoch_losses[0], "batch {} learned: {:?}", r.batch, r.epoch_losses);
        }
        // Full batch: each update's loss is the loss over all N, falling at every step.
        assert_eq!(runs[0].noise, 0.0, "{:?}", runs[0].update_losses);
        assert!(runs[2].noise > 0.25, "single examples: {}", runs[2].noise);
        assert!(runs[1].noise > runs[0].noise);
        // More updates per epoch: the single-example run is further down after the same epochs.
        assert!(runs[2].epoch_losses[EPOCHS] < runs[0].epoch_losses[EPOCHS]);
    }

    #[test]
    fn the_page_cannot_break_it() {
        assert_eq!(epoch_order_checked(0, 0), Err(BatchError::BatchSize { batch: 0 }));
        assert_eq!(epoch_order_checked(N + 1, 0), Err(BatchError::BatchSize { batch: N + 1 }));
        assert!(epoch_order_checked(N, MAX_EPOCHS).is_err());
        let p = tiny::DEFAULT_PARAMS;
        assert_eq!(batch_step_checked(&p, &[N], 0.1), Err(BatchError::Index { index: N }));
        assert_eq!(batch_step_checked(&p, &[], 0.1), Err(BatchError::EmptyBatch));
        assert!(batch_step_checked(&p, &[0], -1.0).is_err());
        assert!(batch_step_checked(&p[..4], &[0], 0.1).is_err());
        assert!(batch_step_checked(&p, &[0, 1], 0.1).is_ok());
    }
}
