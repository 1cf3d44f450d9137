//! The chapter "init": why a network's first weights matter.
//!
//! 1. Symmetry. Start the 2-2-1 network of `lessons::tiny` with every weight equal: both hidden
//!    units compute the same value, receive the same gradient and take the same step, so they
//!    stay identical forever — the network has, in effect, one hidden unit. Random weights break
//!    the tie. `tiny_start` gives either start, `symmetry_step` one full-batch SGD step on the 24
//!    points of `lessons::batches` (the tiny lesson's own backprop, averaged) with the two units'
//!    weights side by side. Not the descent chapter's single example: the network learns that in
//!    one step, and every step after it would change nothing a learner can see.
//! 2. Depth. A deep stack of dense layers (`DEPTH` × `WIDTH`) on a batch of random inputs, run
//!    forward on the Cpu backend under an initialisation (too-small Gaussian, Xavier, He) and an
//!    activation (sigmoid, tanh, ReLU): each layer's activations as a histogram with their mean
//!    and standard deviation, to see which pairs keep the signal alive.

use serde::Serialize;

use crate::backend::{ActKind, Backend};
use crate::check::{self, UnknownActivation, UnknownInit};
use crate::init::Init;
use crate::lessons::batches::{self, BatchError};
use crate::lessons::tiny::{self, Params};
use crate::message::{Explain, Message};
use crate::model::sequential::{Mode, Sequential};
use crate::model::spec::{LayerSpec, ModelSpec};
use crate::rng::{Rng, Stream};
use crate::Cpu;

// --- 1. Symmetry on the 2-2-1 network ----------------------------------------------------------

/// The value of every weight in the "all equal" start (biases 0). The hidden sigmoids are
/// positive, so z₃ = 0.5·(a₁₁ + a₁₂) > 0 on every point: the ReLU passes gradients from the start.
pub const EQUAL_WEIGHT: f32 = 0.5;
/// The seed of the "random" start's Xavier draw.
pub const RANDOM_SEED: u64 = 11;
/// The learning rate of the symmetry demo.
pub const SYMMETRY_LR: f32 = 0.5;

/// How the 2-2-1 network starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    /// Every weight `EQUAL_WEIGHT`, every bias 0.
    Equal,
    /// Xavier-uniform weights per layer (fan 2→2, then 2→1) from `seed`, biases 0.
    Random { seed: u64 },
}

/// The starting parameters, in `tiny::Params` order.
pub fn tiny_start(start: Start) -> Params {
    match start {
        Start::Equal => {
            let mut p = [EQUAL_WEIGHT; tiny::N_PARAMS];
            p[tiny::B1] = 0.0;
            p[tiny::B2] = 0.0;
            p[tiny::B3] = 0.0;
            p
        }
        Start::Random { seed } => {
            let mut rng = Rng::stream(seed, Stream::Init);
            let hidden = Init::XavierUniform.sample(&mut rng, 4, 2, 2);
            let out = Init::XavierUniform.sample(&mut rng, 2, 2, 1);
            let mut p = [0.0; tiny::N_PARAMS];
            // Hidden unit 1 reads x₁ through w₁₁ and x₂ through w₁₃; unit 2 through w₁₂ and w₁₄.
            p[tiny::W11] = hidden[0];
            p[tiny::W13] = hidden[1];
            p[tiny::W12] = hidden[2];
            p[tiny::W14] = hidden[3];
            p[tiny::W21] = out[0];
            p[tiny::W22] = out[1];
            p
        }
    }
}

/// One hidden unit's parameters: its two input weights, its bias and its outgoing weight.
pub fn unit(p: &Params, which: usize) -> [f32; 4] {
    if which == 0 {
        [p[tiny::W11], p[tiny::W13], p[tiny::B1], p[tiny::W21]]
    } else {
        [p[tiny::W12], p[tiny::W14], p[tiny::B2], p[tiny::W22]]
    }
}

/// The largest difference between the two hidden units' matching parameters: 0 while they are
/// identical.
pub fn unit_gap(p: &Params) -> f32 {
    let (a, b) = (unit(p, 0), unit(p, 1));
    a.iter().zip(&b).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max)
}

/// One step of the symmetry demo as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SymmetryStep {
    /// The parameters after the step.
    pub params: Params,
    /// Mean loss on the 24 points before and after the step.
    pub loss: f32,
    pub new_loss: f32,
    /// Hidden unit 1 and 2 after the step: [w_in1, w_in2, bias, w_out].
    pub unit1: [f32; 4],
    pub unit2: [f32; 4],
    /// The gradients each unit's parameters received, in the same order.
    pub grad1: [f32; 4],
    pub grad2: [f32; 4],
    /// `unit_gap` after the step.
    pub gap: f32,
}

/// One full-batch SGD step of the tiny network (its forward, backprop and update, the gradient
/// averaged over the 24 points of `lessons::batches`).
pub fn symmetry_step(values: &[f32], lr: f32) -> Result<SymmetryStep, BatchError> {
    let all: Vec<usize> = (0..batches::N).collect();
    let s = batches::batch_step_checked(values, &all, lr)?;
    let g = &s.grads;
    Ok(SymmetryStep {
        params: s.new,
        loss: s.loss,
        new_loss: s.new_loss,
        unit1: unit(&s.new, 0),
        unit2: unit(&s.new, 1),
        grad1: unit(g, 0),
        grad2: unit(g, 1),
        gap: unit_gap(&s.new),
    })
}

// --- 2. Activations through a deep network -----------------------------------------------------

/// Dense layers in the deep network, units per layer, inputs in the batch, histogram bins.
pub const DEPTH: usize = 10;
pub const WIDTH: usize = 100;
pub const BATCH: usize = 200;
pub const BINS: usize = 20;
/// The seed of the inputs and of the weights.
pub const DEEP_SEED: u64 = 5;
/// The choices the page offers: the too-small Gaussian, Xavier, He; sigmoid, tanh, ReLU.
pub const INITS: [&str; 3] = ["gaussian:0.01", "xavier", "he"];
pub const ACTIVATIONS: [&str; 3] = ["sigmoid", "tanh", "relu"];

/// `DEPTH` × (Dense `WIDTH` → activation) on `WIDTH` inputs.
pub fn deep_spec(act: ActKind) -> ModelSpec {
    let mut layers = vec![LayerSpec::Flatten];
    for _ in 0..DEPTH {
        layers.push(LayerSpec::Dense { in_features: None, units: WIDTH });
        layers.push(LayerSpec::from_activation(act));
    }
    ModelSpec { name: format!("deep-{DEPTH}x{WIDTH}-{}", act.name()), input: [WIDTH, 1, 1], layers }
}

/// One layer's activations, summarised.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerStats {
    /// 1 for the first hidden layer.
    pub layer: usize,
    pub mean: f32,
    /// Population standard deviation over every unit of every input: the histogram's spread.
    pub std: f32,
    /// The signal: how much the layer's output depends on the input, √(mean over units of the
    /// variance over the batch). A unit that gives every input the same value carries none, however
    /// far apart the units are (sigmoid's layers drift to such constants).
    pub signal: f32,
    /// Counts per bin over [lo, hi] (values on the edges go to the end bins); they sum to
    /// `WIDTH × BATCH`.
    pub counts: Vec<u32>,
}

/// The deep network's activations under one initialisation and activation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DeepRun {
    pub init: String,
    pub activation: String,
    /// The histograms' range, the same for every layer so that layers compare: the activation's
    /// range for sigmoid [0, 1] and tanh [−1, 1], else the smallest and largest value seen.
    pub lo: f32,
    pub hi: f32,
    pub width: usize,
    pub batch: usize,
    pub layers: Vec<LayerStats>,
    /// The last layer's signal over the first's, and what it says (`verdict`).
    pub ratio: f32,
    pub verdict: &'static str,
}

/// "alive" when the last layer keeps between a fifth and five times the first layer's signal,
/// "dying" below, "growing" above.
pub fn verdict(ratio: f32) -> &'static str {
    if ratio < 0.2 {
        "dying"
    } else if ratio > 5.0 {
        "growing"
    } else {
        "alive"
    }
}

/// √(mean over units of the variance over the batch) of `v`, laid out (batch, units).
pub fn signal(v: &[f32], units: usize) -> f32 {
    let n = (v.len() / units) as f64;
    let mut total = 0.0f64;
    for j in 0..units {
        let column = || v.iter().skip(j).step_by(units).map(|&x| x as f64);
        let mean = column().sum::<f64>() / n;
        total += column().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    }
    (total / units as f64).sqrt() as f32
}

/// Mean and population standard deviation (in f64, then rounded).
pub fn mean_std(v: &[f32]) -> (f32, f32) {
    let n = v.len() as f64;
    let mean = v.iter().map(|&x| x as f64).sum::<f64>() / n;
    let var = v.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / n;
    (mean as f32, var.sqrt() as f32)
}

/// Counts of `v` in `bins` equal bins over [lo, hi]; values outside go to the end bins.
pub fn histogram(v: &[f32], lo: f32, hi: f32, bins: usize) -> Vec<u32> {
    let mut counts = vec![0u32; bins];
    let width = (hi - lo).max(f32::MIN_POSITIVE);
    for &x in v {
        let i = (((x - lo) / width) * bins as f32).floor();
        let i = if i.is_nan() { 0 } else { (i.max(0.0) as usize).min(bins - 1) };
        counts[i] += 1;
    }
    counts
}

/// What the page can ask for that the deep demo does not know.
#[derive(Clone, Debug, PartialEq)]
pub enum DeepError {
    Init(UnknownInit),
    Activation(UnknownActivation),
}

impl Explain for DeepError {
    fn message(&self) -> Message {
        match self {
            DeepError::Init(e) => e.message(),
            DeepError::Activation(e) => e.message(),
        }
    }
}
crate::explained_error!(DeepError);

/// The activations of each layer of `deep_spec(activation)` with weights drawn by `init` (names
/// as `check::init` and `check::activation` read them), on `BATCH` inputs drawn from N(0, 1),
/// forward on the Cpu backend.
pub fn deep_activations(init: &str, activation: &str) -> Result<DeepRun, DeepError> {
    let init_kind = check::init(init).map_err(DeepError::Init)?;
    let act = check::activation(activation).map_err(DeepError::Activation)?;
    let b = Cpu::new();
    // A fixed, small network: 10 × 100 × 100 weights and 200 inputs fit every budget.
    let mut model = Sequential::new(&b, deep_spec(act), init_kind, DEEP_SEED).expect("the deep demo's fixed network fits the budget");
    model.check_batch(BATCH).expect("the deep demo's fixed batch fits the budget");
    let mut rng = Rng::stream(DEEP_SEED, Stream::Data);
    let inputs: Vec<f32> = (0..BATCH * WIDTH).map(|_| rng.normal()).collect();
    model.set_input(&b, &inputs, BATCH);
    model.forward(&b, Mode::Eval);
    // Node 0 is the flatten; dense k is node 2k + 1 and its activation node 2k + 2, which writes
    // activation buffer 2k + 3.
    let outs: Vec<Vec<f32>> = (0..DEPTH).map(|k| b.read(&model.activations()[2 * k + 3])).collect();
    let (lo, hi) = match act {
        ActKind::Sigmoid => (0.0, 1.0),
        ActKind::Tanh => (-1.0, 1.0),
        ActKind::Relu | ActKind::LeakyRelu { .. } => {
            let lo = outs.iter().flatten().copied().fold(f32::INFINITY, f32::min);
            let hi = outs.iter().flatten().copied().fold(f32::NEG_INFINITY, f32::max);
            (lo.min(0.0), if hi > lo { hi } else { lo + 1.0 })
        }
    };
    let layers = outs
        .iter()
        .enumerate()
        .map(|(k, v)| {
            let (mean, std) = mean_std(v);
            LayerStats { layer: k + 1, mean, std, signal: signal(v, WIDTH), counts: histogram(v, lo, hi, BINS) }
        })
        .collect::<Vec<_>>();
    let first = layers[0].signal;
    let ratio = if first > 0.0 { layers[DEPTH - 1].signal / first } else { 0.0 };
    Ok(DeepRun { init: init.to_string(), activation: activation.to_string(), lo, hi, width: WIDTH, batch: BATCH, layers, ratio, verdict: verdict(ratio) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::tiny::TinyError;

    #[test]
    fn equal_start_keeps_the_hidden_units_identical() {
        let mut p = tiny_start(Start::Equal);
        assert_eq!(unit_gap(&p), 0.0);
        let first = symmetry_step(&p, SYMMETRY_LR).unwrap().loss;
        let mut last = first;
        for k in 0..100 {
            let s = symmetry_step(&p, SYMMETRY_LR).unwrap();
            // Same inputs, same weights → same gradients, bit for bit, so the units never part.
            assert_eq!(s.grad1, s.grad2);
            assert_eq!(s.unit1, s.unit2);
            assert_eq!(s.gap, 0.0);
            // Every step still moves the weights and lowers the loss: the lesson never shows a
            // step that changes nothing (a gradient the page would write as 0.0000).
            assert!(s.new_loss < s.loss, "step {k}: {} → {}", s.loss, s.new_loss);
            assert!(s.grad1.iter().any(|g| g.abs() > 1e-3), "step {k}: {:?}", s.grad1);
            last = s.new_loss;
            p = s.params;
        }
        // It does learn — as a network with one hidden unit, copied twice.
        assert!(last < 0.9 * first, "{first} → {last}");
        assert_ne!(unit(&p, 0), unit(&tiny_start(Start::Equal), 0), "the weights moved");
    }

    #[test]
    fn random_start_gives_two_different_units() {
        let mut p = tiny_start(Start::Random { seed: RANDOM_SEED });
        let g0 = unit_gap(&p);
        assert!(g0 > 0.05, "{p:?}");
        let s = symmetry_step(&p, SYMMETRY_LR).unwrap();
        assert_ne!(s.grad1, s.grad2);
        for _ in 0..20 {
            p = symmetry_step(&p, SYMMETRY_LR).unwrap().params;
        }
        assert!(unit_gap(&p) > 0.05);
        // Xavier for 2 → 2: |w| < √(6/4).
        let a = (6.0f32 / 4.0).sqrt();
        assert!(tiny_start(Start::Random { seed: 3 }).iter().all(|w| w.abs() < a));
    }

    #[test]
    fn bad_parameters_are_refused() {
        assert!(matches!(symmetry_step(&[0.0; 3], 0.1), Err(BatchError::Tiny(TinyError::Count { got: 3 }))));
        assert!(symmetry_step(&tiny_start(Start::Equal), f32::NAN).is_err());
        assert!(matches!(deep_activations("zeros", "relu"), Err(DeepError::Init(_))));
        assert!(matches!(deep_activations("he", "swish"), Err(DeepError::Activation(_))));
    }

    #[test]
    fn histograms_count_every_value() {
        assert_eq!(histogram(&[0.0, 0.5, 1.0, -3.0, 7.0, 0.26], 0.0, 1.0, 4), vec![2, 1, 1, 2]);
        let run = deep_activations("he", "relu").unwrap();
        assert_eq!(run.layers.len(), DEPTH);
        for l in &run.layers {
            assert_eq!(l.counts.len(), BINS);
            assert_eq!(l.counts.iter().sum::<u32>() as usize, WIDTH * BATCH);
        }
    }

    fn stds(init: &str, act: &str) -> Vec<f32> {
        deep_activations(init, act).unwrap().layers.iter().map(|l| l.std).collect()
    }

    #[test]
    fn signal_is_the_spread_across_inputs() {
        // Two units over three inputs: unit 0 constant (no signal), unit 1 takes 0, 3, 6 (variance 6).
        let v = [5.0, 0.0, 5.0, 3.0, 5.0, 6.0];
        assert!((signal(&v, 2) - 3.0f32.sqrt()).abs() < 1e-6);
        assert_eq!(verdict(0.1), "dying");
        assert_eq!(verdict(1.0), "alive");
        assert_eq!(verdict(6.0), "growing");
    }

    /// He keeps ReLU's signal; N(0, 0.01²) shrinks it ~14× a layer (σ·√(100/2) ≈ 0.07); Xavier
    /// keeps tanh's; the too-small Gaussian kills tanh's too. Xavier with ReLU halves the variance
    /// at each layer (0.5^4.5 ≈ 0.04 after 9); sigmoid, not centred at 0, loses the signal even
    /// under Xavier while its units drift to constants.
    #[test]
    fn he_keeps_relu_alive_and_the_small_gaussian_collapses() {
        let verdicts: Vec<(&str, &str, &str)> = INITS
            .iter()
            .flat_map(|&i| ACTIVATIONS.iter().map(move |&a| (i, a, deep_activations(i, a).unwrap().verdict)))
            .collect();
        let want = [
            ("gaussian:0.01", "sigmoid", "dying"),
            ("gaussian:0.01", "tanh", "dying"),
            ("gaussian:0.01", "relu", "dying"),
            ("xavier", "sigmoid", "dying"),
            ("xavier", "tanh", "alive"),
            ("xavier", "relu", "dying"),
            ("he", "sigmoid", "dying"),
            ("he", "tanh", "alive"),
            ("he", "relu", "alive"),
        ];
        assert_eq!(verdicts, want);
        let he = stds("he", "relu");
        let ratio = he[DEPTH - 1] / he[0];
        assert!((0.5..2.0).contains(&ratio), "He + ReLU: {he:?}");
        let small = stds("gaussian:0.01", "relu");
        assert!(small[DEPTH - 1] < 1e-6 * small[0], "N(0, 0.01²) + ReLU: {small:?}");
        let xt = stds("xavier", "tanh");
        assert!(xt[DEPTH - 1] > 0.2 * xt[0], "Xavier + tanh: {xt:?}");
        let st = stds("gaussian:0.01", "tanh");
        assert!(st[DEPTH - 1] < 1e-6, "N(0, 0.01²) + tanh: {st:?}");
        let sig_mean = deep_activations("gaussian:0.01", "sigmoid").unwrap().layers[DEPTH - 1].mean;
        assert!((sig_mean - 0.5).abs() < 0.01, "sigmoid(0) = 0.5 everywhere: {sig_mean}");
    }
}
