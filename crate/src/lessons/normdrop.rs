//! The arithmetic behind the chapters "Batch normalisation" and "Dropout".
//!
//! Batch norm: a batch of the pad's sample digits goes through one 3×3 convolution (the CPU
//! backend's `conv2d_forward`), and its activations — one channel, N·26·26 values — through the
//! backend's `batchnorm2d_forward_train` (the batch's own mean and variance) and
//! `batchnorm2d_forward_eval` (the running statistics). The running statistics start where
//! PyTorch starts them (mean 0, variance 1) and are updated by one training step per batch with
//! the learner's momentum, so "after k steps" means k batches have gone through in training mode.
//! Each batch is 8 of the 10 sample digits, chosen by the step's own random stream.
//!
//! Dropout: a row of units through the backend's `dropout_forward`, whose mask is the counter
//! hash of (key, unit) (`rng::hash_uniform`); the key of a step is mixed from the step number as
//! the network's own dropout layers mix theirs, so "next step" draws a new mask.
//!
//! Histograms are counted here, so the page only draws bars.

use serde::Serialize;

use crate::backend::{Backend, ConvGeom};
use crate::check::{self, NotFinite};
use crate::digit::{sample, CLASSES, SIDE};
use crate::message::{Explain, Message, Template};
use crate::model::{LayerSpec, ModelSpec};
use crate::rng::{mix64, Rng};
use crate::tensor::Shape;
use crate::Cpu;

/// Digits per batch of the batch-norm demo.
pub const BATCH: usize = 8;
/// The convolution's output side: 28 − 3 + 1.
pub const PLANE: usize = SIDE - 2;
/// PyTorch's default ε.
pub const EPS: f32 = 1e-5;
/// The most training steps the running statistics are followed for.
pub const MAX_STEPS: usize = 1000;
/// The most units the dropout row holds, and the most histogram bins.
pub const MAX_UNITS: usize = 64;
pub const MAX_BINS: usize = 64;

/// What the page can hand over wrong.
#[derive(Clone, Debug, PartialEq)]
pub enum LessonError {
    OutOfRange { what: Template, min: String, max: String, got: String },
    NotFinite(NotFinite),
}

/// The sentences of the two chapters and the names of what the learner sets.
pub mod text {
    crate::templates! {
        OUT_OF_RANGE = "normdrop.outOfRange": "{what} must be between {min} and {max}, not {got}";
        GAMMA = "normdrop.gamma": "the scale γ";
        BETA = "normdrop.beta": "the shift β";
        MOMENTUM = "normdrop.momentum": "the momentum";
        STEPS = "normdrop.steps": "the number of training steps";
        BINS = "normdrop.bins": "the number of histogram bins";
        RATE = "normdrop.rate": "the dropout rate p";
        UNITS = "normdrop.units": "the number of units";
    }
}

impl Explain for LessonError {
    fn message(&self) -> Message {
        match self {
            LessonError::OutOfRange { what, min, max, got } => {
                Message::new(text::OUT_OF_RANGE).nested("what", (*what).into()).with("min", min).with("max", max).with("got", got)
            }
            LessonError::NotFinite(e) => e.message(),
        }
    }
}
crate::explained_error!(LessonError);

impl From<NotFinite> for LessonError {
    fn from(e: NotFinite) -> Self {
        LessonError::NotFinite(e)
    }
}

fn in_range_f(what: Template, value: f32, min: f32, max: f32) -> Result<(), LessonError> {
    check::finite_one(what, value)?;
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(LessonError::OutOfRange { what, min: min.to_string(), max: max.to_string(), got: value.to_string() })
    }
}

fn in_range(what: Template, value: usize, min: usize, max: usize) -> Result<(), LessonError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(LessonError::OutOfRange { what, min: min.to_string(), max: max.to_string(), got: value.to_string() })
    }
}

/// Counts of values in `bins` equal bins from `lo` to `hi` (the last bin holds `hi`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Histogram {
    pub lo: f32,
    pub hi: f32,
    pub counts: Vec<u32>,
}

/// The values' histogram over their own range, their mean and their (biased) variance.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Described {
    pub histogram: Histogram,
    pub mean: f32,
    pub variance: f32,
}

/// `bins` equal bins over [min, max] of `values`; equal values all fall in the first bin.
pub fn histogram(values: &[f32], bins: usize) -> Histogram {
    let lo = values.iter().copied().fold(f32::INFINITY, f32::min);
    let hi = values.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut counts = vec![0u32; bins];
    if values.is_empty() || bins == 0 {
        return Histogram { lo: 0.0, hi: 0.0, counts };
    }
    let width = (hi - lo) / bins as f32;
    for &v in values {
        let k = if width > 0.0 { ((v - lo) / width) as usize } else { 0 };
        counts[k.min(bins - 1)] += 1;
    }
    Histogram { lo, hi, counts }
}

/// Mean and biased variance (what batch norm divides by), summed in f64.
pub fn mean_variance(values: &[f32]) -> (f32, f32) {
    let m = values.len().max(1) as f64;
    let mean = values.iter().map(|&v| v as f64).sum::<f64>() / m;
    let var = values.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / m;
    (mean as f32, var as f32)
}

fn describe(values: &[f32], bins: usize) -> Described {
    let (mean, variance) = mean_variance(values);
    Described { histogram: histogram(values, bins), mean, variance }
}

/// Which sample digits make batch `step`: 8 of the 10, chosen by the step's own stream.
pub fn batch_digits(step: usize) -> Vec<usize> {
    let mut digits: Vec<usize> = (0..CLASSES).collect();
    Rng::new(mix64(0xB47C_4000 ^ step as u64)).shuffle(&mut digits);
    digits.truncate(BATCH);
    digits
}

/// The convolution the demo normalises: a 3×3 sum of ink (every weight 0.5) plus a bias of 0.5,
/// so the activations sit far from mean 0 and variance 1 before batch norm moves them.
const CONV_WEIGHT: f32 = 0.5;
const CONV_BIAS: f32 = 0.5;

/// One channel of conv activations of batch `step`: BATCH × 26 × 26 values, by the CPU backend.
pub fn conv_activations(b: &Cpu, step: usize) -> Vec<f32> {
    let images: Vec<f32> = batch_digits(step).into_iter().flat_map(|d| sample(d).expect("a digit 0..9")).collect();
    let x = b.upload(&Shape::nchw(BATCH, 1, SIDE, SIDE), &images);
    let w = b.upload(&Shape::nchw(1, 1, 3, 3), &[CONV_WEIGHT; 9]);
    let bias = b.upload(&Shape::nf(1, 1), &[CONV_BIAS]);
    let mut y = b.zeros(&Shape::nchw(BATCH, 1, PLANE, PLANE));
    let g = ConvGeom { n: BATCH, c_in: 1, h_in: SIDE, w_in: SIDE, c_out: 1, h_out: PLANE, w_out: PLANE, kernel: 3, stride: 1, padding: 0 };
    b.conv2d_forward(&x, &w, &bias, &mut y, &g);
    b.read(&y)
}

/// What the batch-norm chapter shows for the batch of step `steps`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BatchNormView {
    /// The step whose batch is shown; the running statistics have seen `steps` batches before it.
    pub steps: usize,
    pub digits: Vec<usize>,
    pub input: Described,
    /// Training mode: normalised with the batch's own mean and variance.
    pub train: Described,
    /// Evaluation mode: normalised with the running statistics.
    pub eval: Described,
    pub running_mean: f32,
    pub running_var: f32,
    /// The running statistics after each of the `steps` updates (for the chart of their path).
    pub running_means: Vec<f32>,
    pub running_vars: Vec<f32>,
    /// The raw values (for the page's tests and a learner who wants them): input, train, eval.
    pub input_values: Vec<f32>,
    pub train_values: Vec<f32>,
    pub eval_values: Vec<f32>,
}

/// Batch norm of one batch of conv activations in both modes: γ and β as given, the running
/// statistics after `steps` training steps with `momentum`, histograms of `bins` bins.
pub fn batchnorm_lesson(gamma: f32, beta: f32, momentum: f32, steps: usize, bins: usize) -> Result<BatchNormView, LessonError> {
    in_range_f(text::GAMMA, gamma, -10.0, 10.0)?;
    in_range_f(text::BETA, beta, -10.0, 10.0)?;
    in_range_f(text::MOMENTUM, momentum, 0.0, 1.0)?;
    in_range(text::STEPS, steps, 0, MAX_STEPS)?;
    in_range(text::BINS, bins, 1, MAX_BINS)?;
    let b = Cpu::new();
    let one = Shape::nf(1, 1);
    let shape = Shape::nchw(BATCH, 1, PLANE, PLANE);
    let g = b.upload(&one, &[gamma]);
    let bt = b.upload(&one, &[beta]);
    let mut running_mean = b.upload(&one, &[0.0]);
    let mut running_var = b.upload(&one, &[1.0]);
    let (mut save_mean, mut save_invstd) = (b.zeros(&one), b.zeros(&one));
    let mut y = b.zeros(&shape);
    let (mut running_means, mut running_vars) = (Vec::with_capacity(steps), Vec::with_capacity(steps));
    // The steps before the one shown: each batch in training mode, which updates the running
    // statistics (its output is not needed).
    for step in 0..steps {
        let x = b.upload(&shape, &conv_activations(&b, step));
        b.batchnorm2d_forward_train(&x, &g, &bt, &mut y, &mut save_mean, &mut save_invstd, &mut running_mean, &mut running_var, momentum, EPS);
        running_means.push(b.read(&running_mean)[0]);
        running_vars.push(b.read(&running_var)[0]);
    }
    let input_values = conv_activations(&b, steps);
    let x = b.upload(&shape, &input_values);
    // Evaluation first: the training forward pass below would update the running statistics.
    b.batchnorm2d_forward_eval(&x, &g, &bt, &running_mean, &running_var, &mut y, EPS);
    let eval_values = b.read(&y);
    let (rm, rv) = (b.read(&running_mean)[0], b.read(&running_var)[0]);
    // Training mode on a copy of the statistics, so the view's running values stay those the
    // evaluation used.
    let (mut rm_copy, mut rv_copy) = (b.upload(&one, &[rm]), b.upload(&one, &[rv]));
    b.batchnorm2d_forward_train(&x, &g, &bt, &mut y, &mut save_mean, &mut save_invstd, &mut rm_copy, &mut rv_copy, momentum, EPS);
    let train_values = b.read(&y);
    Ok(BatchNormView {
        steps,
        digits: batch_digits(steps),
        input: describe(&input_values, bins),
        train: describe(&train_values, bins),
        eval: describe(&eval_values, bins),
        running_mean: rm,
        running_var: rv,
        running_means,
        running_vars,
        input_values,
        train_values,
        eval_values,
    })
}

/// What the dropout chapter shows for one step.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DropoutView {
    pub p: f32,
    pub step: usize,
    pub train: bool,
    /// 1/(1−p): what a kept unit is multiplied by (0 when p = 1).
    pub scale: f32,
    pub input: Vec<f32>,
    /// Per unit: the scale where kept, 0 where dropped; every unit is 1 in evaluation mode.
    pub mask: Vec<f32>,
    pub output: Vec<f32>,
    pub kept: usize,
    pub input_sum: f32,
    pub output_sum: f32,
    /// Each unit's output averaged over the steps 0..`AVERAGE_STEPS` in training mode: near its
    /// input, which is why the kept units are scaled.
    pub average: Vec<f32>,
}

/// The steps over which `DropoutView::average` is taken.
pub const AVERAGE_STEPS: usize = 1000;

/// A layer's `units` activations, fixed for the chapter: positive, as after a ReLU.
pub fn dropout_input(units: usize) -> Vec<f32> {
    let mut rng = Rng::new(0xD50F);
    (0..units).map(|_| (rng.uniform_range(0.2, 2.0) * 10.0).round() / 10.0).collect()
}

/// The dropout key of step `step`: mixed from the step as the network's layers mix theirs.
pub fn dropout_key(step: usize) -> u32 {
    mix64(0xD50F_0000 ^ step as u64) as u32
}

/// The row of `units` units through dropout with rate `p` at step `step`, in training mode (a
/// fresh mask each step, kept units ×1/(1−p)) or evaluation mode (the identity), on the CPU
/// backend's kernel.
pub fn dropout_lesson(units: usize, p: f32, step: usize, train: bool) -> Result<DropoutView, LessonError> {
    in_range(text::UNITS, units, 1, MAX_UNITS)?;
    in_range_f(text::RATE, p, 0.0, 0.95)?;
    in_range(text::STEPS, step, 0, usize::MAX / 2)?;
    let b = Cpu::new();
    let shape = Shape::nf(1, units);
    let input = dropout_input(units);
    let x = b.upload(&shape, &input);
    let (mut mask, mut y) = (b.zeros(&shape), b.zeros(&shape));
    let mut average = vec![0.0f32; units];
    for s in 0..AVERAGE_STEPS {
        b.dropout_forward(&x, &mut mask, &mut y, p, dropout_key(s));
        for (a, v) in average.iter_mut().zip(b.read(&y)) {
            *a += v / AVERAGE_STEPS as f32;
        }
    }
    let (mask, output) = if train {
        b.dropout_forward(&x, &mut mask, &mut y, p, dropout_key(step));
        (b.read(&mask), b.read(&y))
    } else {
        // Evaluation: a network's dropout layer passes its input through unchanged.
        (vec![1.0; units], input.clone())
    };
    let kept = mask.iter().filter(|&&m| m != 0.0).count();
    Ok(DropoutView {
        p,
        step,
        train,
        scale: 1.0 / (1.0 - p),
        input_sum: input.iter().sum(),
        output_sum: output.iter().sum(),
        input,
        mask,
        output,
        kept,
        average,
    })
}

/// The two networks of "why it lets deeper nets train": the notebook's plain 20-layer network
/// (`zoo::deep(false)`, batch norm after every convolution) and the same network with every
/// batch norm taken out — the same convolutions, ReLUs and initial weights of the same shapes.
pub fn deep_pair() -> [ModelSpec; 2] {
    let with = crate::model::zoo::deep(false);
    let mut without = with.clone();
    without.layers.retain(|l| !matches!(l, LayerSpec::BatchNorm2d { .. }));
    without.name = "plain-20-no-bn".into();
    [with, without]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_counts_every_value_once_and_puts_the_maximum_in_the_last_bin() {
        let h = histogram(&[0.0, 0.5, 1.0, 1.0, 2.0, 4.0], 4);
        assert_eq!((h.lo, h.hi), (0.0, 4.0));
        // bins [0,1) [1,2) [2,3) [3,4]
        assert_eq!(h.counts, vec![2, 2, 1, 1]);
        assert_eq!(histogram(&[3.0, 3.0], 3).counts, vec![2, 0, 0]);
    }

    #[test]
    fn mean_and_variance_are_the_biased_ones() {
        let (m, v) = mean_variance(&[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(m, 2.5);
        assert_eq!(v, 1.25);
    }

    #[test]
    fn training_mode_output_has_mean_beta_and_variance_gamma_squared() {
        let v = batchnorm_lesson(2.0, 1.0, 0.1, 0, 20).unwrap();
        assert_eq!(v.input_values.len(), BATCH * PLANE * PLANE);
        let var = v.input.variance;
        assert!(v.input.mean > 0.5, "the conv's activations sit above its bias: {}", v.input.mean);
        assert!((v.train.mean - 1.0).abs() < 1e-4, "{}", v.train.mean);
        let want = 4.0 * var / (var + EPS);
        assert!((v.train.variance - want).abs() < 1e-3 * want, "{} vs {want}", v.train.variance);
        assert_eq!(v.train.histogram.counts.iter().sum::<u32>() as usize, v.train_values.len());
    }

    #[test]
    fn at_step_zero_the_running_statistics_are_pytorchs_start_and_evaluation_is_almost_the_identity() {
        let v = batchnorm_lesson(1.0, 0.0, 0.1, 0, 10).unwrap();
        assert_eq!((v.running_mean, v.running_var), (0.0, 1.0));
        for (x, y) in v.input_values.iter().zip(&v.eval_values) {
            assert!((x / (1.0 + EPS).sqrt() - y).abs() < 1e-6);
        }
    }

    #[test]
    fn running_statistics_follow_the_momentum_rule() {
        // By hand: after one step, running_mean = 0.9·0 + 0.1·μ₀ and
        // running_var = 0.9·1 + 0.1·σ₀²·m/(m−1), with μ₀, σ₀² of batch 0.
        let m = (BATCH * PLANE * PLANE) as f32;
        let (mu0, var0) = mean_variance(&conv_activations(&Cpu::new(), 0));
        let v = batchnorm_lesson(1.0, 0.0, 0.1, 1, 10).unwrap();
        assert!((v.running_mean - 0.1 * mu0).abs() < 1e-5, "{} vs {}", v.running_mean, 0.1 * mu0);
        assert!((v.running_var - (0.9 + 0.1 * var0 * m / (m - 1.0))).abs() < 1e-4);
        // Momentum 1 forgets everything but the last batch; momentum 0 never moves.
        let one = batchnorm_lesson(1.0, 0.0, 1.0, 3, 10).unwrap();
        let (mu2, _) = mean_variance(&conv_activations(&Cpu::new(), 2));
        assert!((one.running_mean - mu2).abs() < 1e-5);
        let zero = batchnorm_lesson(1.0, 0.0, 0.0, 3, 10).unwrap();
        assert_eq!((zero.running_mean, zero.running_var), (0.0, 1.0));
        // With many steps the running mean settles near the batches' means, and evaluation's
        // output mean moves towards β = 0.
        let many = batchnorm_lesson(1.0, 0.0, 0.1, 100, 10).unwrap();
        assert_eq!(many.running_means.len(), 100);
        assert!(many.eval.mean.abs() < 0.25, "{}", many.eval.mean);
        assert!(v.eval.mean.abs() > 0.5, "{}", v.eval.mean);
    }

    #[test]
    fn batches_differ_from_step_to_step() {
        assert_eq!(batch_digits(0).len(), BATCH);
        assert_ne!(batch_digits(0), batch_digits(1));
    }

    #[test]
    fn bad_settings_are_refused_with_their_name() {
        assert!(matches!(batchnorm_lesson(f32::NAN, 0.0, 0.1, 0, 10), Err(LessonError::NotFinite(_))));
        let e = batchnorm_lesson(1.0, 0.0, 1.5, 0, 10).unwrap_err();
        assert_eq!(e.to_string(), "the momentum must be between 0 and 1, not 1.5");
        assert!(batchnorm_lesson(1.0, 0.0, 0.1, MAX_STEPS + 1, 10).is_err());
        assert!(dropout_lesson(20, 1.0, 0, true).is_err());
        assert!(dropout_lesson(0, 0.5, 0, true).is_err());
    }

    #[test]
    fn dropout_keeps_units_scaled_by_one_over_one_minus_p_and_evaluation_is_the_identity() {
        let v = dropout_lesson(20, 0.5, 3, true).unwrap();
        assert_eq!(v.scale, 2.0);
        for i in 0..20 {
            let kept = crate::rng::hash_uniform(dropout_key(3), i as u32) >= 0.5;
            assert_eq!(v.output[i], if kept { v.input[i] * 2.0 } else { 0.0 });
        }
        assert_eq!(v.kept, v.mask.iter().filter(|&&m| m == 2.0).count());
        assert!(v.kept > 0 && v.kept < 20, "{}", v.kept);
        // Another step, another mask; the same step, the same mask.
        assert_ne!(dropout_lesson(20, 0.5, 4, true).unwrap().mask, v.mask);
        assert_eq!(dropout_lesson(20, 0.5, 3, true).unwrap().mask, v.mask);
        let e = dropout_lesson(20, 0.5, 3, false).unwrap();
        assert_eq!(e.output, e.input);
        assert_eq!(e.kept, 20);
        // Averaged over 1000 steps each unit's output is near its input: the scaling keeps the
        // expected value.
        for (a, x) in v.average.iter().zip(&v.input) {
            assert!((a - x).abs() < 0.15 * x + 0.05, "{a} vs {x}");
        }
        // p = 0 keeps everything unscaled.
        let none = dropout_lesson(20, 0.0, 0, true).unwrap();
        assert_eq!(none.output, none.input);
    }

    #[test]
    fn the_deep_pair_differs_only_by_batch_norm() {
        let [with, without] = deep_pair();
        let bn = with.layers.iter().filter(|l| matches!(l, LayerSpec::BatchNorm2d { .. })).count();
        assert_eq!(bn, 19);
        assert_eq!(without.layers.len(), with.layers.len() - bn);
        // Batch norm's γ and β: two per channel, 16 channels, 19 layers.
        assert_eq!(with.param_count().unwrap() - without.param_count().unwrap(), 19 * 2 * 16);
    }
}
