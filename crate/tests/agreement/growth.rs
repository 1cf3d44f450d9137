//! Issue 3, item 2: pipelines, bind groups and buffers are created once and reused. After a
//! warm-up (which builds every pipeline and allocates every buffer the model needs), 100
//! more training steps — with the loss read back every 10 steps, as the CLI and the page do —
//! must leave the live counts of `Gpu::stats()` unchanged, and each step must submit one command
//! buffer (item 2: one command encoder per step).
//!
//! GPU-specific (the other backends have no such counts), but written once for both runners like
//! the bodies in mod.rs: `device_tests!` adds it to the GPU's tests natively and in the browser.

use cnn_core::backend::gpu::{Gpu, GpuStats};
use cnn_core::tensor::Shape;
use cnn_core::train::{TrainConfig, Trainer};
use cnn_core::Backend;

use super::{every_layer_spec, synthetic_batch, Checker};
use cnn_core::optim::OptimKind;
use cnn_core::rng::Rng;

const STEPS: usize = 100;
const READ_EVERY: usize = 10;

/// The counts that must not change (everything but the submission counter).
fn live(s: &GpuStats) -> (usize, usize, usize) {
    (s.buffers, s.pipelines, s.bind_groups)
}

pub async fn training_does_not_grow_gpu_resources(dev: &Gpu) {
    let mut ck = Checker::new("growth");
    // Every layer kind, Adam (two state tensors per parameter), dropout masks keyed per step.
    let cfg = TrainConfig { batch_size: 8, lr: 1e-3, optimizer: OptimKind::ADAM, seed: 9, ..TrainConfig::default() };
    let spec = every_layer_spec();
    let mut trainer = Trainer::new(dev, spec.clone(), &cfg).expect("the spec is valid");
    let mut data = Rng::new(17);

    // Warm-up: a step, a read, a step, a read — every path a steady-state step takes. The
    // second step is the first whose input write follows recorded work (the metrics reset that
    // the read records), which sizes the upload arena once.
    let mut warm = None;
    for _ in 0..2 {
        let (images, labels) = synthetic_batch(&mut data, cfg.batch_size, spec.input);
        trainer.train_step(dev, &images, &labels);
        warm = Some(trainer.take_metrics_async(dev).await);
    }
    let warm = warm.expect("two warm-up steps");
    let before = dev.stats();
    super::log!("growth: after the warm-up step (loss {:.4}): {before:?}", warm.loss);
    ck.expect(
        &format!("the warm-up step created buffers, pipelines and bind groups ({before:?})"),
        before.buffers > 0 && before.pipelines > 0 && before.bind_groups > 0,
    );

    let mut first_change = None;
    // Submissions made by each train_step call: exactly one command encoder per step, also for
    // the step after a read (its input write follows the recorded metrics reset and goes
    // through the upload arena into the same encoder).
    let mut per_step = Vec::with_capacity(STEPS);
    for step in 1..=STEPS {
        let (images, labels) = synthetic_batch(&mut data, cfg.batch_size, spec.input);
        let s0 = dev.stats().submissions;
        trainer.train_step(dev, &images, &labels);
        let made = dev.stats().submissions - s0;
        per_step.push(made);
        if made != 1 {
            ck.fail(format!("step {step} made {made} submissions (expected 1): one command encoder per step"));
        }
        if step % READ_EVERY == 0 {
            let m = trainer.take_metrics_async(dev).await;
            // The steps must really have trained: READ_EVERY batches counted, a finite loss.
            if !m.loss.is_finite() || m.examples != READ_EVERY * cfg.batch_size {
                ck.fail(format!(
                    "growth: steps {}..={step} gave loss {} over {} examples (expected {} examples)",
                    step + 1 - READ_EVERY,
                    m.loss,
                    m.examples,
                    READ_EVERY * cfg.batch_size
                ));
            }
        }
        let now = dev.stats();
        if first_change.is_none() && live(&now) != live(&before) {
            first_change = Some((step, now));
        }
    }
    let after = dev.stats();
    super::log!("growth: after {STEPS} more steps: {after:?}; submissions per train_step: {per_step:?}");
    match first_change {
        None => ck.expect(&format!("live buffers/pipelines/bind groups unchanged over {STEPS} steps ({before:?})"), true),
        Some((step, s)) => ck.fail(format!(
            "GPU objects grew during training: {before:?} after the warm-up, {s:?} after step {step}, {after:?} after {STEPS} steps"
        )),
    }
    ck.finish();
}

/// Issue 16, item 6: a run evaluates at every epoch's end in batches of `EVAL_BATCH`, a size
/// other than its training batch. The model's buffers for both sizes are made once and swapped:
/// after the first epoch, epochs create no buffer at all (`created` counts every buffer ever
/// made, so a loop that reallocates shows even while the live count stays flat). Before the fix,
/// every epoch's end made and dropped two sets of activations — in the browser a few dozen
/// `GPUBuffer`s per epoch for the garbage collector, which the hour-long soak saw climbing.
pub async fn epochs_with_evaluations_create_no_buffers(dev: &Gpu) {
    use cnn_core::data::Dataset;
    use cnn_core::session::EVAL_BATCH;
    let mut ck = Checker::new("growth across epochs");
    let cfg = TrainConfig { batch_size: 8, lr: 1e-3, optimizer: OptimKind::ADAM, seed: 9, ..TrainConfig::default() };
    let spec = every_layer_spec();
    let mut trainer = Trainer::new(dev, spec.clone(), &cfg).expect("the spec is valid");
    let mut data = Rng::new(23);
    // A test set of one and a half evaluation batches: a full batch and a smaller last one.
    let test_len = EVAL_BATCH + EVAL_BATCH / 2;
    let (images, labels) = synthetic_batch(&mut data, test_len, spec.input);
    let test = Dataset { name: "synthetic".into(), dims: spec.input, images, labels: labels.iter().map(|&l| l as u8).collect(), classes: Vec::new() };

    let mut created = Vec::new();
    for epoch in 0..4 {
        for _ in 0..5 {
            let (images, labels) = synthetic_batch(&mut data, cfg.batch_size, spec.input);
            trainer.train_step(dev, &images, &labels);
        }
        let train = trainer.take_metrics_async(dev).await;
        let eval = trainer.evaluate_async(dev, &test, EVAL_BATCH).await;
        ck.expect(&format!("epoch {epoch}: finite losses (training {}, test {})", train.loss, eval.loss), train.loss.is_finite() && eval.loss.is_finite());
        created.push(dev.stats().created);
    }
    super::log!("growth across epochs: buffers created by the end of each epoch: {created:?}");
    ck.expect(
        &format!("no buffer created after the first two epochs (created by each epoch's end: {created:?})"),
        created[1] == created[3],
    );
    ck.finish();
}

/// The ops that join branches (`add_into`, `copy_channels`) record as every other op does: after a
/// first round has built their pipelines and bind groups, more rounds — each one step's worth of a
/// concatenation forward, a residual sum and a slice copied back out, submitted, and read every
/// `READ_EVERY` rounds — create no buffer, pipeline or bind group. No model uses them yet; this
/// holds them to the rule above before a training loop does.
pub async fn merge_ops_create_nothing_per_step(dev: &Gpu) {
    const ROUNDS: usize = 50;
    let mut ck = Checker::new("growth of the merge ops");
    let (branch, joined) = (Shape::nchw(4, 3, 5, 7), Shape::nchw(4, 8, 5, 7));
    let a = dev.upload(&branch, &vec![1.0; branch.len()]);
    let (mut y, mut sum, mut back) = (dev.zeros(&joined), dev.zeros(&joined), dev.zeros(&branch));
    let mut before = None;
    for round in 0..=ROUNDS {
        dev.copy_channels(&a, 0, &mut y, 2, 3);
        dev.add_into(&y, &mut sum);
        dev.copy_channels(&sum, 2, &mut back, 0, 3);
        dev.submit();
        if round % READ_EVERY == 0 {
            // Channels 2..5 of `sum` gain 1 per round, and `back` is a copy of them.
            let got = dev.read_async(&back).await;
            let want = (round + 1) as f32;
            if got.iter().any(|&v| v != want) {
                ck.fail(format!("round {round}: the slice copied back out holds {:?}…, not {want}", &got[..4]));
            }
        }
        let now = dev.stats();
        match before {
            None => before = Some(now),
            Some(b) if (live(&now), now.created) != (live(&b), b.created) => {
                ck.fail(format!("round {round} created GPU objects: {b:?} after the first round, {now:?} now"));
                break;
            }
            Some(_) => {}
        }
    }
    ck.expect(&format!("{ROUNDS} rounds of add_into and copy_channels created nothing ({:?})", dev.stats()), before.is_some());
    ck.finish();
}
