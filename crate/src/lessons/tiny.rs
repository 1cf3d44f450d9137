//! The smallest network the notebook takes apart by hand: two inputs, two sigmoid units, one
//! ReLU output (2-2-1), with the weights named as the lesson writes them:
//!
//! ```text
//! a₁₁ = sigmoid(x₁w₁₁ + x₂w₁₃ + b₁)
//! a₁₂ = sigmoid(x₁w₁₂ + x₂w₁₄ + b₂)
//! a₂₁ = relu(a₁₁w₂₁ + a₁₂w₂₂ + b₃)
//! ```
//!
//! Chapters 3 (forward propagation) and 5 (gradient descent and backprop) show every number
//! computed here: the forward pass, the chain-rule factors of the backward pass, the SGD update
//! θ ← θ − η·∂L/∂θ, and the small training runs behind the learning-rate and batch-size demos.
//! The loss is L = ½(a₂₁ − y)², so ∂L/∂a₂₁ = a₂₁ − y with no factor 2.
//!
//! The sigmoid is the core's own (`backend::cpu::sigmoid`, the one every sigmoid layer uses), and
//! the derivatives are the rules of the CPU backend's `activation_backward`:
//! sigmoid'(z) = a·(1 − a) read from the output a, relu'(z) = 1 if z > 0 else 0.

use serde::Serialize;

use crate::backend::cpu::sigmoid;
use crate::check::{self, NotFinite};
use crate::message::{Explain, Message};
use crate::rng::{Rng, Stream};

/// Number of parameters: six weights and three biases.
pub const N_PARAMS: usize = 9;

/// Parameter order everywhere in this module and at the wasm boundary.
pub const W11: usize = 0;
pub const W12: usize = 1;
pub const W13: usize = 2;
pub const W14: usize = 3;
pub const W21: usize = 4;
pub const W22: usize = 5;
pub const B1: usize = 6;
pub const B2: usize = 7;
pub const B3: usize = 8;

/// Names in the order above (ASCII; the page writes them with subscripts).
pub const PARAM_NAMES: [&str; N_PARAMS] = ["w11", "w12", "w13", "w14", "w21", "w22", "b1", "b2", "b3"];

/// The parameters: [w₁₁, w₁₂, w₁₃, w₁₄, w₂₁, w₂₂, b₁, b₂, b₃].
pub type Params = [f32; N_PARAMS];

/// The lesson's starting point: small weights of both signs, the ReLU active (z₃ > 0) so every
/// gradient is non-zero at the first step.
pub const DEFAULT_PARAMS: Params = [0.5, -0.4, -0.3, 0.8, 0.9, 0.6, 0.1, 0.0, 0.2];
/// The lesson's input (x₁, x₂).
pub const DEFAULT_X: [f32; 2] = [1.0, 0.5];
/// The lesson's target y. Above the start's output (a₂₁ ≈ 1.05), so training pushes it up, and
/// large enough that a dead ReLU (output 0) has a loss ½y² far above the start's.
pub const DEFAULT_Y: f32 = 1.5;

/// Every intermediate value of one forward pass.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Forward {
    pub x: [f32; 2],
    /// z₁ = x₁w₁₁ + x₂w₁₃ + b₁
    pub z1: f32,
    /// z₂ = x₁w₁₂ + x₂w₁₄ + b₂
    pub z2: f32,
    pub a11: f32,
    pub a12: f32,
    /// z₃ = a₁₁w₂₁ + a₁₂w₂₂ + b₃
    pub z3: f32,
    pub a21: f32,
}

/// The forward pass.
pub fn forward(p: &Params, x: [f32; 2]) -> Forward {
    let z1 = x[0] * p[W11] + x[1] * p[W13] + p[B1];
    let z2 = x[0] * p[W12] + x[1] * p[W14] + p[B2];
    let a11 = sigmoid(z1);
    let a12 = sigmoid(z2);
    let z3 = a11 * p[W21] + a12 * p[W22] + p[B3];
    let a21 = relu(z3);
    Forward { x, z1, z2, a11, a12, z3, a21 }
}

fn relu(z: f32) -> f32 {
    if z > 0.0 {
        z
    } else {
        0.0
    }
}

/// L = ½(a₂₁ − y)²
pub fn loss(p: &Params, x: [f32; 2], y: f32) -> f32 {
    let d = forward(p, x).a21 - y;
    0.5 * d * d
}

/// The backward pass for one example, factor by factor, as the lesson writes the chain rule.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Backward {
    pub loss: f32,
    /// ∂L/∂a₂₁ = a₂₁ − y
    pub dl_da21: f32,
    /// relu'(z₃): 1 if z₃ > 0, else 0
    pub relu_prime: f32,
    /// ∂L/∂z₃ = ∂L/∂a₂₁ · relu'(z₃)
    pub dl_dz3: f32,
    /// ∂L/∂a₁₁ = ∂L/∂z₃ · w₂₁
    pub dl_da11: f32,
    /// ∂L/∂a₁₂ = ∂L/∂z₃ · w₂₂
    pub dl_da12: f32,
    /// sigmoid'(z₁) = a₁₁(1 − a₁₁)
    pub sig_prime1: f32,
    /// sigmoid'(z₂) = a₁₂(1 − a₁₂)
    pub sig_prime2: f32,
    /// ∂L/∂z₁ = ∂L/∂a₁₁ · sigmoid'(z₁)
    pub dl_dz1: f32,
    /// ∂L/∂z₂ = ∂L/∂a₁₂ · sigmoid'(z₂)
    pub dl_dz2: f32,
    /// ∂L/∂θ in the order of `Params`.
    pub grads: Params,
}

/// Backpropagation through the 2-2-1 network for the example (x, y).
pub fn backward(p: &Params, f: &Forward, y: f32) -> Backward {
    let dl_da21 = f.a21 - y;
    let relu_prime = if f.z3 > 0.0 { 1.0 } else { 0.0 };
    let dl_dz3 = dl_da21 * relu_prime;
    let dl_da11 = dl_dz3 * p[W21];
    let dl_da12 = dl_dz3 * p[W22];
    let sig_prime1 = f.a11 * (1.0 - f.a11);
    let sig_prime2 = f.a12 * (1.0 - f.a12);
    let dl_dz1 = dl_da11 * sig_prime1;
    let dl_dz2 = dl_da12 * sig_prime2;
    let mut grads = [0.0; N_PARAMS];
    // ∂z₁/∂w₁₁ = x₁, ∂z₁/∂w₁₃ = x₂, ∂z₁/∂b₁ = 1; the same for z₂; ∂z₃/∂w₂₁ = a₁₁, ∂z₃/∂w₂₂ = a₁₂.
    grads[W11] = dl_dz1 * f.x[0];
    grads[W13] = dl_dz1 * f.x[1];
    grads[B1] = dl_dz1;
    grads[W12] = dl_dz2 * f.x[0];
    grads[W14] = dl_dz2 * f.x[1];
    grads[B2] = dl_dz2;
    grads[W21] = dl_dz3 * f.a11;
    grads[W22] = dl_dz3 * f.a12;
    grads[B3] = dl_dz3;
    Backward { loss: 0.5 * dl_da21 * dl_da21, dl_da21, relu_prime, dl_dz3, dl_da11, dl_da12, sig_prime1, sig_prime2, dl_dz1, dl_dz2, grads }
}

/// θ ← θ − η·∂L/∂θ for every parameter (plain SGD, `UpdateRule::Sgd`).
pub fn sgd_update(p: &Params, grads: &Params, lr: f32) -> Params {
    let mut out = *p;
    for (theta, g) in out.iter_mut().zip(grads) {
        *theta -= lr * g;
    }
    out
}

/// One gradient-descent step on one example, with everything the page shows about it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub before: Forward,
    pub backward: Backward,
    pub lr: f32,
    pub old: Params,
    pub new: Params,
    /// The forward pass and loss with the new parameters.
    pub after: Forward,
    pub new_loss: f32,
}

pub fn step(p: &Params, x: [f32; 2], y: f32, lr: f32) -> Step {
    let before = forward(p, x);
    let backward = backward(p, &before, y);
    let new = sgd_update(p, &backward.grads, lr);
    let after = forward(&new, x);
    let d = after.a21 - y;
    Step { before, backward, lr, old: *p, new, after, new_loss: 0.5 * d * d }
}

/// Train on the one example (x, y) for `steps` steps; returns the loss before each step and after
/// the last (`steps + 1` values). A loss that stops being finite ends the run early.
pub fn train_one(p: &Params, x: [f32; 2], y: f32, lr: f32, steps: usize) -> Vec<f32> {
    let mut p = *p;
    let mut losses = Vec::with_capacity(steps + 1);
    for _ in 0..steps {
        let s = step(&p, x, y, lr);
        losses.push(s.backward.loss);
        if !s.new_loss.is_finite() {
            losses.push(s.new_loss);
            return losses;
        }
        p = s.new;
    }
    losses.push(loss(&p, x, y));
    losses
}

/// How a loss curve ended, judged from its numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The last loss is above the first, or not finite.
    Diverged,
    /// The last loss is below 1% of the first.
    Converged,
    /// Falling, but slowly: still above 1% of the first.
    Crawling,
}

impl Verdict {
    pub fn of(losses: &[f32]) -> Verdict {
        let (first, last) = (losses[0], losses[losses.len() - 1]);
        if !last.is_finite() || last > first {
            Verdict::Diverged
        } else if last < 0.01 * first {
            Verdict::Converged
        } else {
            Verdict::Crawling
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Verdict::Diverged => "diverged",
            Verdict::Converged => "converged",
            Verdict::Crawling => "crawling",
        }
    }
}

/// The learning-rate demo's rates: too small, good, too large for the default start. Checked by
/// `learning_rates_behave_as_labelled`: 0.01 still crawls after 30 steps, 0.5 converges in a few,
/// 5 overshoots so far that z₃ < 0 — the ReLU outputs 0, its gradient is 0 and the network is
/// stuck at loss ½y², above where it started (a "dead ReLU").
pub const DEMO_RATES: [f32; 3] = [0.01, 0.5, 5.0];
pub const DEMO_STEPS: usize = 30;

/// A learning-rate run from the default start: the loss per step for each of `DEMO_RATES`.
pub fn learning_rate_demo(steps: usize) -> Vec<(f32, Vec<f32>)> {
    DEMO_RATES.iter().map(|&lr| (lr, train_one(&DEFAULT_PARAMS, DEFAULT_X, DEFAULT_Y, lr, steps))).collect()
}

/// One labelled example.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Example {
    pub x: [f32; 2],
    pub y: f32,
}

/// The batch demo's data: 8 points uniform in [−1, 1]² (fixed seed) with an XOR-like target:
/// y = 1 where x₁ and x₂ have the same sign, 0 where they differ.
pub fn xor_dataset(seed: u64) -> Vec<Example> {
    xor_points(8, seed)
}

/// `n` points of the same kind (the first 8 are `xor_dataset`'s): the batches chapter's strip.
pub fn xor_points(n: usize, seed: u64) -> Vec<Example> {
    let mut rng = Rng::stream(seed, Stream::Data);
    (0..n)
        .map(|_| {
            let x = [rng.uniform_range(-1.0, 1.0), rng.uniform_range(-1.0, 1.0)];
            Example { x, y: if x[0] * x[1] > 0.0 { 1.0 } else { 0.0 } }
        })
        .collect()
}

/// Mean loss over a dataset.
pub fn mean_loss(p: &Params, data: &[Example]) -> f32 {
    data.iter().map(|e| loss(p, e.x, e.y)).sum::<f32>() / data.len() as f32
}

/// Train with mini-batches of `batch` examples (the dataset's size: full batch; 1: one example
/// per step), each step following the mean gradient of its batch; the order is shuffled every
/// epoch from `seed`. Returns the mean loss over the whole dataset before training and after each
/// epoch (`epochs + 1` values).
pub fn train_batches(p: &Params, data: &[Example], batch: usize, lr: f32, epochs: usize, seed: u64) -> Vec<f32> {
    assert!(batch >= 1 && !data.is_empty(), "train_batches: batch {batch} on {} examples", data.len());
    let mut p = *p;
    let mut rng = Rng::stream(seed, Stream::Shuffle);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut curve = vec![mean_loss(&p, data)];
    for _ in 0..epochs {
        rng.shuffle(&mut order);
        for chunk in order.chunks(batch) {
            let mut g = [0.0f32; N_PARAMS];
            for &i in chunk {
                let f = forward(&p, data[i].x);
                let b = backward(&p, &f, data[i].y);
                for (acc, gi) in g.iter_mut().zip(b.grads) {
                    *acc += gi / chunk.len() as f32;
                }
            }
            p = sgd_update(&p, &g, lr);
        }
        curve.push(mean_loss(&p, data));
    }
    curve
}

/// The batch demo's settings: the dataset's seed, the shuffling seed, η, epochs, and the three
/// batch sizes (full batch, mini-batch, single example).
pub const BATCH_DATA_SEED: u64 = 7;
pub const BATCH_SHUFFLE_SEED: u64 = 3;
pub const BATCH_LR: f32 = 0.3;
pub const BATCH_EPOCHS: usize = 30;
pub const BATCH_SIZES: [usize; 3] = [8, 2, 1];

/// Full-batch, mini-batch and single-example descent from the default start on `xor_dataset`:
/// (batch size, mean loss per epoch) for each of `BATCH_SIZES`.
pub fn batch_demo(epochs: usize) -> Vec<(usize, Vec<f32>)> {
    let data = xor_dataset(BATCH_DATA_SEED);
    BATCH_SIZES.iter().map(|&b| (b, train_batches(&DEFAULT_PARAMS, &data, b, BATCH_LR, epochs, BATCH_SHUFFLE_SEED))).collect()
}

/// How many times a curve goes up from one point to the next: 0 for a smooth descent.
pub fn rises(curve: &[f32]) -> usize {
    curve.windows(2).filter(|w| w[1] > w[0]).count()
}

/// One loss curve of a demo, as the page plots and describes it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Curve {
    /// The learning rate.
    pub lr: f32,
    /// Examples per step (1 in the learning-rate demo: one example).
    pub batch: usize,
    /// Loss at step (or epoch) 0, 1, …; may end early with a value that is not finite.
    pub losses: Vec<f32>,
    /// "crawling", "converged" or "diverged" (`Verdict::of`).
    pub verdict: &'static str,
    /// How many times the curve goes up from one point to the next.
    pub rises: usize,
}

impl Curve {
    fn new(lr: f32, batch: usize, losses: Vec<f32>) -> Curve {
        Curve { lr, batch, verdict: Verdict::of(&losses).name(), rises: rises(&losses), losses }
    }
}

/// The learning-rate demo as curves (`steps` at most 1000).
pub fn learning_rate_curves(steps: usize) -> Vec<Curve> {
    learning_rate_demo(steps.clamp(1, 1000)).into_iter().map(|(lr, l)| Curve::new(lr, 1, l)).collect()
}

/// The batch demo as curves (`epochs` at most 1000).
pub fn batch_curves(epochs: usize) -> Vec<Curve> {
    batch_demo(epochs.clamp(1, 1000)).into_iter().map(|(b, l)| Curve::new(BATCH_LR, b, l)).collect()
}

/// What the page can hand the 2-2-1 lessons that they cannot use.
#[derive(Clone, Debug, PartialEq)]
pub enum TinyError {
    /// Not nine parameters (a bug in the page).
    Count { got: usize },
    /// A parameter, an input, the target or the learning rate that is not a number.
    NotFinite(NotFinite),
    NegativeRate { lr: f32 },
}

pub mod text {
    crate::templates! {
        COUNT = "tiny.count": "the 2-2-1 network has 9 parameters, not {got}";
        NEGATIVE_RATE = "tiny.negativeRate": "the learning rate η must not be negative, not {lr}";
    }
}

impl Explain for TinyError {
    fn message(&self) -> Message {
        match self {
            TinyError::Count { got } => Message::new(text::COUNT).with("got", got),
            TinyError::NotFinite(e) => e.message(),
            TinyError::NegativeRate { lr } => Message::new(text::NEGATIVE_RATE).with("lr", lr),
        }
    }
}
crate::explained_error!(TinyError);

/// Nine parameters as the page hands them over, each a finite number.
pub fn params(values: &[f32]) -> Result<Params, TinyError> {
    let p: Params = values.try_into().map_err(|_| TinyError::Count { got: values.len() })?;
    for (name, v) in PARAM_NAMES.iter().zip(&p) {
        check::finite_one(check::named(name), *v).map_err(TinyError::NotFinite)?;
    }
    Ok(p)
}

/// The forward pass for the page: the parameters and the inputs checked first.
pub fn forward_checked(values: &[f32], x: [f32; 2]) -> Result<Forward, TinyError> {
    let p = params(values)?;
    check::finite(check::named("x"), &x).map_err(TinyError::NotFinite)?;
    Ok(forward(&p, x))
}

/// One step for the page: everything checked first; the learning rate may be 0, not negative.
pub fn step_checked(values: &[f32], x: [f32; 2], y: f32, lr: f32) -> Result<Step, TinyError> {
    let p = params(values)?;
    check::finite(check::named("x"), &x).map_err(TinyError::NotFinite)?;
    check::finite_one(check::named("y"), y).map_err(TinyError::NotFinite)?;
    check::finite_one(check::named("η"), lr).map_err(TinyError::NotFinite)?;
    if lr < 0.0 {
        return Err(TinyError::NegativeRate { lr });
    }
    Ok(step(&p, x, y, lr))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f32, b: f32, tol: f32) -> bool {
        (a - b).abs() <= tol
    }

    /// The default forward pass, worked by hand in f64 from the formulas.
    #[test]
    fn forward_matches_the_formulas() {
        let s = |z: f64| 1.0 / (1.0 + (-z).exp());
        let (x1, x2) = (1.0f64, 0.5f64);
        let z1 = x1 * 0.5 + x2 * -0.3 + 0.1; // 0.45
        let z2 = x1 * -0.4 + x2 * 0.8 + 0.0; // 0
        let (a11, a12) = (s(z1), s(z2));
        let z3 = a11 * 0.9 + a12 * 0.6 + 0.2;
        let f = forward(&DEFAULT_PARAMS, DEFAULT_X);
        assert!(close(f.z1, 0.45, 1e-6) && close(f.z2, 0.0, 1e-6));
        assert!(close(f.a11, a11 as f32, 1e-6), "{} vs {a11}", f.a11);
        assert!(close(f.a12, 0.5, 1e-6));
        assert!(close(f.a21, z3 as f32, 1e-6), "{} vs {z3}", f.a21);
        // 0.6106·0.9 + 0.5·0.6 + 0.2 ≈ 1.0496
        assert!(close(f.a21, 1.0496, 1e-4));
    }

    #[test]
    fn relu_output_is_zero_for_negative_z3() {
        let mut p = DEFAULT_PARAMS;
        p[B3] = -5.0;
        let f = forward(&p, DEFAULT_X);
        assert!(f.z3 < 0.0);
        assert_eq!(f.a21, 0.0);
        let b = backward(&p, &f, 1.0);
        assert_eq!(b.relu_prime, 0.0);
        assert!(b.grads.iter().all(|&g| g == 0.0), "a dead ReLU passes no gradient: {:?}", b.grads);
        assert!(close(b.loss, 0.5, 1e-7));
    }

    /// Every gradient against central finite differences of the loss, at several points where
    /// the ReLU is active (and away from its kink, where the derivative is not defined).
    #[test]
    fn gradients_match_finite_differences() {
        let cases: [(Params, [f32; 2], f32); 4] = [
            (DEFAULT_PARAMS, DEFAULT_X, DEFAULT_Y),
            (DEFAULT_PARAMS, [-0.7, 1.3], 0.2),
            ([1.2, -0.8, 0.4, 0.3, -0.5, 1.1, -0.2, 0.3, 0.6], [0.3, -0.9], 2.0),
            ([-0.6, 0.9, 1.5, -1.1, 2.0, -0.7, 0.5, -0.4, 0.1], [1.7, 0.2], -0.5),
        ];
        for (p, x, y) in cases {
            let f = forward(&p, x);
            assert!(f.z3.abs() > 0.05, "test point too close to the ReLU's kink: z3 = {}", f.z3);
            let b = backward(&p, &f, y);
            for (i, name) in PARAM_NAMES.iter().enumerate() {
                let h = 1e-2f32;
                let (mut up, mut down) = (p, p);
                up[i] += h;
                down[i] -= h;
                let numeric = (loss(&up, x, y) - loss(&down, x, y)) / (2.0 * h);
                let tol = 2e-3 * (1.0 + numeric.abs());
                assert!(close(b.grads[i], numeric, tol), "∂L/∂{name} at {p:?}, x {x:?}, y {y}: backprop {} vs finite difference {numeric}", b.grads[i]);
            }
        }
    }

    /// The chain for w₁₁ written out as the lesson does equals the table's entry.
    #[test]
    fn the_long_chain_for_w11() {
        let f = forward(&DEFAULT_PARAMS, DEFAULT_X);
        let b = backward(&DEFAULT_PARAMS, &f, DEFAULT_Y);
        let chain = b.dl_da21 * b.relu_prime * DEFAULT_PARAMS[W21] * b.sig_prime1 * DEFAULT_X[0];
        assert!(close(chain, b.grads[W11], 1e-7));
        assert!(close(b.sig_prime2, 0.25, 1e-7), "sigmoid'(0) = 1/4");
    }

    #[test]
    fn a_small_step_lowers_the_loss_by_exactly_the_update() {
        let s = step(&DEFAULT_PARAMS, DEFAULT_X, DEFAULT_Y, 0.1);
        for (i, name) in PARAM_NAMES.iter().enumerate() {
            assert_eq!(s.new[i], s.old[i] - 0.1 * s.backward.grads[i]);
            assert_ne!(s.new[i], s.old[i], "{name} did not move");
        }
        assert!(s.new_loss < s.backward.loss, "{} → {}", s.backward.loss, s.new_loss);
        assert_eq!(s.new_loss, loss(&s.new, DEFAULT_X, DEFAULT_Y));
    }

    #[test]
    fn learning_rates_behave_as_labelled() {
        let runs = learning_rate_demo(DEMO_STEPS);
        let verdicts: Vec<Verdict> = runs.iter().map(|(_, l)| Verdict::of(l)).collect();
        assert_eq!(verdicts, [Verdict::Crawling, Verdict::Converged, Verdict::Diverged], "{runs:?}");
        let last: Vec<f32> = runs.iter().map(|(_, l)| *l.last().unwrap()).collect();
        assert!(last[1] < last[0] && last[1] < last[2], "the good rate ends lowest: {last:?}");
        // Too small is still falling at every step: it crawls, it does not stall or bounce.
        assert_eq!(rises(&runs[0].1), 0);
        assert!(last[0] > 0.2 * runs[0].1[0], "0.01 should still be far from the target: {:?}", runs[0].1);
    }

    #[test]
    fn the_dataset_is_xor_like_and_fixed() {
        let d = xor_dataset(BATCH_DATA_SEED);
        assert_eq!(d, xor_dataset(BATCH_DATA_SEED));
        assert_eq!(d.len(), 8);
        let ones = d.iter().filter(|e| e.y == 1.0).count();
        assert!((2..=6).contains(&ones), "both classes present: {ones} ones");
        for e in &d {
            assert!(e.x.iter().all(|v| (-1.0..1.0).contains(v)));
            assert_eq!(e.y, if e.x[0] * e.x[1] > 0.0 { 1.0 } else { 0.0 });
        }
    }

    #[test]
    fn full_batch_is_smooth_single_example_is_noisy() {
        let runs = batch_demo(BATCH_EPOCHS);
        for (b, curve) in &runs {
            assert_eq!(curve.len(), BATCH_EPOCHS + 1);
            assert!(curve.last().unwrap() < &curve[0], "batch {b} learned nothing: {curve:?}");
        }
        assert_eq!(rises(&runs[0].1), 0, "full batch falls at every epoch: {:?}", runs[0].1);
        assert!(rises(&runs[2].1) >= 3, "single-example descent should go up and down: {:?}", runs[2].1);
        assert!(rises(&runs[1].1) >= 1, "mini-batches are noisy too: {:?}", runs[1].1);
    }

    #[test]
    fn full_batch_step_is_the_mean_gradient() {
        let data = xor_dataset(BATCH_DATA_SEED);
        let curve = train_batches(&DEFAULT_PARAMS, &data, 8, 0.3, 1, 0);
        let mut g = [0.0f32; N_PARAMS];
        for e in &data {
            let b = backward(&DEFAULT_PARAMS, &forward(&DEFAULT_PARAMS, e.x), e.y);
            for (acc, gi) in g.iter_mut().zip(b.grads) {
                *acc += gi / 8.0;
            }
        }
        let want = mean_loss(&sgd_update(&DEFAULT_PARAMS, &g, 0.3), &data);
        assert!(close(curve[1], want, 1e-6), "{} vs {want}", curve[1]);
    }
}
