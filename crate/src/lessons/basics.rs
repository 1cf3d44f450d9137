//! Chapters 1, 2 and 4 of the notebook: one neuron, the activation functions with their
//! derivatives, and the two losses (MSE, softmax cross-entropy) with their gradients.
//!
//! Everything goes through the CPU backend's kernels (`Cpu::activation_forward/backward`,
//! `Cpu::regression_loss_forward/backward`, `Cpu::softmax_cross_entropy`), so a chapter shows exactly what a layer of a
//! trained network computes. These functions take the learner's numbers straight from the page,
//! so every input is checked here and a bad one is a typed error, never a panic in a kernel.

use serde::Serialize;

use crate::check::{self, NotFinite, UnknownActivation};
use crate::message::{Explain, Message, Template};
use crate::backend::{ActKind, Backend, RegressionLoss, METRICS_LEN};
use crate::tensor::Shape;
use crate::Cpu;

/// What the page can get wrong when it hands numbers to a lesson.
#[derive(Debug, PartialEq)]
pub enum LessonError {
    UnknownActivation(UnknownActivation),
    LengthMismatch { what: Template, a: usize, b: usize },
    Empty { what: Template },
    NotFinite(NotFinite),
    BadClass { class: usize, k: usize },
}

/// The sentences of the first chapters, and the names of what the page hands over.
pub mod text {
    crate::templates! {
        LENGTH_MISMATCH = "basics.lengthMismatch": "{what}: {a} and {b} values do not match";
        EMPTY = "basics.empty": "{what}: at least one value is needed";
        BAD_CLASS = "basics.badClass": "the true class {class} is not one of the {k} classes 0..{k}";
        ACTIVATION_INPUTS = "basics.activationInputs": "activation inputs";
        NEURON_INPUTS_WEIGHTS = "basics.neuronInputsWeights": "neuron inputs and weights";
        NEURON_INPUTS = "basics.neuronInputs": "neuron inputs";
        NEURON_WEIGHTS = "basics.neuronWeights": "neuron weights";
        NEURON_BIAS = "basics.neuronBias": "neuron bias";
        PREDICTIONS_TARGETS = "basics.predictionsTargets": "predictions and targets";
        PREDICTIONS = "basics.predictions": "predictions";
        TARGETS = "basics.targets": "targets";
        LOGITS = "basics.logits": "logits";
    }
}

impl Explain for LessonError {
    fn message(&self) -> Message {
        use text::*;
        match self {
            LessonError::UnknownActivation(e) => e.message(),
            LessonError::LengthMismatch { what, a, b } => Message::new(LENGTH_MISMATCH).nested("what", (*what).into()).with("a", a).with("b", b),
            LessonError::Empty { what } => Message::new(EMPTY).nested("what", (*what).into()),
            LessonError::NotFinite(e) => e.message(),
            LessonError::BadClass { class, k } => Message::new(BAD_CLASS).with("class", class).with("k", k),
        }
    }
}
crate::explained_error!(LessonError);

/// The activation named as the page and the CLI name it (`sigmoid`, `tanh`, `relu`,
/// `leaky-relu`, `leaky-relu:0.1`).
pub fn parse_activation(name: &str) -> Result<ActKind, LessonError> {
    check::activation(name).map_err(LessonError::UnknownActivation)
}

fn check_finite(what: Template, xs: &[f32]) -> Result<(), LessonError> {
    check::finite(what, xs).map_err(LessonError::NotFinite)
}

fn check_same_len(what: Template, a: usize, b: usize) -> Result<(), LessonError> {
    if a != b {
        return Err(LessonError::LengthMismatch { what, a, b });
    }
    if a == 0 {
        return Err(LessonError::Empty { what });
    }
    Ok(())
}

/// h(x) and h'(x) at every x, from the backend's activation kernels: the forward pass gives
/// y = h(x), the backward pass with upstream gradient dy = 1 gives dx = h'(x).
/// An activation sampled at some points: h(x) and h'(x) at each x (chapter 2's plots).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActivationCurve {
    pub xs: Vec<f32>,
    pub ys: Vec<f32>,
    pub slopes: Vec<f32>,
}

/// `activation_values` with the points it was sampled at.
pub fn activation_curve(kind: ActKind, xs: &[f32]) -> Result<ActivationCurve, LessonError> {
    let (ys, slopes) = activation_values(kind, xs)?;
    Ok(ActivationCurve { xs: xs.to_vec(), ys, slopes })
}

pub fn activation_values(kind: ActKind, xs: &[f32]) -> Result<(Vec<f32>, Vec<f32>), LessonError> {
    check_finite(text::ACTIVATION_INPUTS, xs)?;
    if xs.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let cpu = Cpu::new();
    let shape = Shape::nf(1, xs.len());
    let x = cpu.upload(&shape, xs);
    let mut y = cpu.zeros(&shape);
    cpu.activation_forward(kind, &x, &mut y);
    let ones = cpu.upload(&shape, &vec![1.0; xs.len()]);
    let mut dx = cpu.zeros(&shape);
    cpu.activation_backward(kind, &x, &y, &ones, &mut dx);
    Ok((cpu.read(&y), cpu.read(&dx)))
}

/// One neuron: the products xᵢwᵢ, the pre-activation z = Σ xᵢwᵢ + b and the output a = h(z).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Neuron {
    pub products: Vec<f32>,
    pub z: f32,
    pub a: f32,
    /// h'(z): how much a moves per unit of z (what backpropagation multiplies by).
    pub slope: f32,
}

/// a = h(x₁w₁ + x₂w₂ + … + b). The sum is accumulated left to right in f32 like a dense
/// layer's dot product; h is the backend's activation kernel.
pub fn neuron(inputs: &[f32], weights: &[f32], bias: f32, kind: ActKind) -> Result<Neuron, LessonError> {
    check_same_len(text::NEURON_INPUTS_WEIGHTS, inputs.len(), weights.len())?;
    check_finite(text::NEURON_INPUTS, inputs)?;
    check_finite(text::NEURON_WEIGHTS, weights)?;
    check_finite(text::NEURON_BIAS, &[bias])?;
    let products: Vec<f32> = inputs.iter().zip(weights).map(|(x, w)| x * w).collect();
    let z = products.iter().sum::<f32>() + bias;
    let (a, slope) = activation_values(kind, &[z])?;
    Ok(Neuron { products, z, a: a[0], slope: slope[0] })
}

/// A loss and its gradient with respect to the prediction (or the logits).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mse {
    /// L = mean over the outputs of (ŷ − y)², PyTorch's `MSELoss()` (reduction "mean").
    pub loss: f32,
    /// ∂L/∂ŷᵢ = 2(ŷᵢ − yᵢ)/n.
    pub grad: Vec<f32>,
}

/// Mean squared error of one example's outputs, from the CPU's regression loss kernels (a batch
/// of one).
pub fn mse(pred: &[f32], target: &[f32]) -> Result<Mse, LessonError> {
    check_same_len(text::PREDICTIONS_TARGETS, pred.len(), target.len())?;
    check_finite(text::PREDICTIONS, pred)?;
    check_finite(text::TARGETS, target)?;
    let cpu = Cpu::new();
    let shape = Shape::nf(1, pred.len());
    let p = cpu.upload(&shape, pred);
    let t = cpu.upload(&shape, target);
    let mut d = cpu.zeros(&shape);
    let mut metrics = cpu.zeros(&Shape(vec![METRICS_LEN]));
    cpu.regression_loss_forward(RegressionLoss::Mse, &p, &t, &mut metrics);
    cpu.regression_loss_backward(RegressionLoss::Mse, &p, &t, &mut d);
    // metrics[0] is the sum over the batch of each example's mean: here one example.
    Ok(Mse { loss: cpu.read(&metrics)[0], grad: cpu.read(&d) })
}

/// Softmax cross-entropy of one example.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CrossEntropy {
    /// p = softmax(z)
    pub probs: Vec<f32>,
    /// L = −log p[true class]
    pub loss: f32,
    /// ∂L/∂z = p − onehot(true class)
    pub grad: Vec<f32>,
    /// argmax z (the first one on a tie), what the network would answer.
    pub predicted: usize,
}

/// Softmax + cross-entropy of one row of logits, from `Cpu::softmax_cross_entropy`, the kernel
/// every classifier in the notebook trains with.
pub fn softmax_cross_entropy(logits: &[f32], true_class: usize) -> Result<CrossEntropy, LessonError> {
    if logits.is_empty() {
        return Err(LessonError::Empty { what: text::LOGITS });
    }
    check_finite(text::LOGITS, logits)?;
    if true_class >= logits.len() {
        return Err(LessonError::BadClass { class: true_class, k: logits.len() });
    }
    let cpu = Cpu::new();
    let shape = Shape::nf(1, logits.len());
    let z = cpu.upload(&shape, logits);
    let labels = cpu.upload(&Shape(vec![1]), &[true_class as f32]);
    let mut p = cpu.zeros(&shape);
    let mut d = cpu.zeros(&shape);
    let mut metrics = cpu.zeros(&Shape(vec![METRICS_LEN]));
    cpu.softmax_cross_entropy(&z, &labels, &mut p, &mut d, &mut metrics);
    let m = cpu.read(&metrics);
    let probs = cpu.read(&p);
    let mut predicted = 0;
    for j in 1..logits.len() {
        if logits[j] > logits[predicted] {
            predicted = j;
        }
    }
    debug_assert_eq!(m[1] == 1.0, predicted == true_class);
    Ok(CrossEntropy { probs, loss: m[0], grad: cpu.read(&d), predicted })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [ActKind; 4] = [ActKind::Sigmoid, ActKind::Tanh, ActKind::Relu, ActKind::LeakyRelu { slope: 0.01 }];

    fn close(a: f32, b: f32, tol: f32) -> bool {
        (a - b).abs() <= tol * (1.0 + b.abs())
    }

    #[test]
    fn neuron_of_the_issue_example() {
        // a = ReLU(0.50·1.20 + (−0.30)·0.80 + 0.10) = ReLU(0.46) = 0.46
        let n = neuron(&[0.5, -0.3], &[1.2, 0.8], 0.1, ActKind::Relu).unwrap();
        assert!(close(n.products[0], 0.6, 1e-6) && close(n.products[1], -0.24, 1e-6));
        assert!(close(n.z, 0.46, 1e-6) && close(n.a, 0.46, 1e-6), "{n:?}");
        assert_eq!(n.slope, 1.0);
        // Below zero ReLU outputs 0 and passes no gradient; sigmoid(0) = 1/2 with slope 1/4.
        let n = neuron(&[1.0, 1.0, 1.0], &[-1.0, 0.5, 0.2], 0.3, ActKind::Relu).unwrap();
        assert_eq!((n.a, n.slope), (0.0, 0.0));
        let n = neuron(&[1.0, 2.0, -1.0], &[0.5, -0.5, -0.5], 0.0, ActKind::Sigmoid).unwrap();
        assert!(close(n.z, 0.0, 1e-7) && close(n.a, 0.5, 1e-6) && close(n.slope, 0.25, 1e-6), "{n:?}");
    }

    #[test]
    fn neuron_refuses_bad_input() {
        assert_eq!(neuron(&[1.0, 2.0], &[1.0], 0.0, ActKind::Relu), Err(LessonError::LengthMismatch { what: text::NEURON_INPUTS_WEIGHTS, a: 2, b: 1 }));
        assert!(matches!(neuron(&[], &[], 0.0, ActKind::Relu), Err(LessonError::Empty { .. })));
        assert!(matches!(neuron(&[f32::NAN], &[1.0], 0.0, ActKind::Relu), Err(LessonError::NotFinite(NotFinite { index: Some(0), .. }))));
        assert!(matches!(neuron(&[1.0], &[1.0], f32::INFINITY, ActKind::Relu), Err(LessonError::NotFinite { .. })));
        assert_eq!(parse_activation("softplus"), Err(LessonError::UnknownActivation(UnknownActivation("softplus".into()))));
        assert_eq!(parse_activation("leaky-relu"), Ok(ActKind::LeakyRelu { slope: 0.01 }));
    }

    #[test]
    fn activations_match_their_formulas() {
        let xs: Vec<f32> = (-60..=60).map(|i| i as f32 / 10.0).collect();
        for kind in ALL {
            let (y, dy) = activation_values(kind, &xs).unwrap();
            for (i, &x) in xs.iter().enumerate() {
                let x64 = x as f64;
                let (want, dwant) = match kind {
                    ActKind::Sigmoid => {
                        let s = 1.0 / (1.0 + (-x64).exp());
                        (s, s * (1.0 - s))
                    }
                    ActKind::Tanh => (x64.tanh(), 1.0 - x64.tanh().powi(2)),
                    ActKind::Relu => (x64.max(0.0), if x > 0.0 { 1.0 } else { 0.0 }),
                    ActKind::LeakyRelu { slope } => (if x > 0.0 { x64 } else { slope as f64 * x64 }, if x > 0.0 { 1.0 } else { slope as f64 }),
                };
                assert!((y[i] as f64 - want).abs() < 1e-6, "{kind:?}({x}) = {} not {want}", y[i]);
                assert!((dy[i] as f64 - dwant).abs() < 1e-6, "{kind:?}'({x}) = {} not {dwant}", dy[i]);
            }
        }
    }

    #[test]
    fn derivatives_agree_with_finite_differences_away_from_the_kink() {
        let h = 1e-3f32;
        for kind in ALL {
            for &x in &[-4.0f32, -1.3, -0.2, 0.3, 0.9, 2.5] {
                let (y, dy) = activation_values(kind, &[x - h, x + h, x]).unwrap();
                let fd = (y[1] - y[0]) / (2.0 * h);
                assert!((fd - dy[2]).abs() < 2e-3, "{kind:?} at {x}: fd {fd}, backward {}", dy[2]);
            }
        }
    }

    #[test]
    fn saturation_bounds_the_chapter_states() {
        let xs: Vec<f32> = (-600..=600).map(|i| i as f32 / 100.0).collect();
        let (_, ds) = activation_values(ActKind::Sigmoid, &xs).unwrap();
        let max = ds.iter().cloned().fold(0.0, f32::max);
        assert!(close(max, 0.25, 1e-6), "sigmoid' peaks at {max}");
        let (_, dt) = activation_values(ActKind::Tanh, &xs).unwrap();
        for (x, d) in xs.iter().zip(&dt) {
            assert!(*d <= 1.0 + 1e-6);
            if x.abs() > 3.0 {
                assert!(*d < 0.01, "tanh'({x}) = {d}");
            }
        }
    }

    #[test]
    fn mse_is_pytorchs_mean_with_its_gradient() {
        let m = mse(&[0.5], &[2.0]).unwrap();
        assert!(close(m.loss, 2.25, 1e-6) && close(m.grad[0], -3.0, 1e-6), "{m:?}");
        // Three outputs: mean of squares, gradient 2e/n.
        let m = mse(&[1.0, 0.0, 3.0], &[0.0, 0.0, 1.0]).unwrap();
        assert!(close(m.loss, 5.0 / 3.0, 1e-6));
        for (g, want) in m.grad.iter().zip([2.0 / 3.0, 0.0, 4.0 / 3.0]) {
            assert!(close(*g, want, 1e-6));
        }
        // Finite differences on the loss.
        let (p, t) = ([0.3f32, -1.2], [1.0f32, 0.5]);
        let m = mse(&p, &t).unwrap();
        let h = 1e-3;
        for i in 0..2 {
            let (mut lo, mut hi) = (p, p);
            lo[i] -= h;
            hi[i] += h;
            let fd = (mse(&hi, &t).unwrap().loss - mse(&lo, &t).unwrap().loss) / (2.0 * h);
            assert!((fd - m.grad[i]).abs() < 1e-3, "output {i}: fd {fd}, grad {}", m.grad[i]);
        }
        assert!(matches!(mse(&[1.0], &[1.0, 2.0]), Err(LessonError::LengthMismatch { .. })));
        assert!(matches!(mse(&[f32::NAN], &[1.0]), Err(LessonError::NotFinite { .. })));
    }

    #[test]
    fn cross_entropy_by_hand_and_by_finite_differences() {
        // Equal logits: p = 1/K, L = log K, gradient 1/K − onehot.
        let ce = softmax_cross_entropy(&[0.7, 0.7, 0.7, 0.7], 2).unwrap();
        assert!(close(ce.loss, 4f32.ln(), 1e-6));
        for (j, (p, g)) in ce.probs.iter().zip(&ce.grad).enumerate() {
            assert!(close(*p, 0.25, 1e-6));
            assert!(close(*g, 0.25 - (j == 2) as u8 as f32, 1e-6));
        }
        // A worked row: z = (2, 1, 0.1), class 0.
        let z = [2.0f32, 1.0, 0.1];
        let e: Vec<f64> = z.iter().map(|&v| (v as f64).exp()).collect();
        let s: f64 = e.iter().sum();
        let ce = softmax_cross_entropy(&z, 0).unwrap();
        assert!(close(ce.loss, -(e[0] / s).ln() as f32, 1e-6));
        assert_eq!(ce.predicted, 0);
        assert!(ce.grad.iter().sum::<f32>().abs() < 1e-6, "the gradient sums to 0");
        let h = 1e-2;
        for j in 0..3 {
            let (mut lo, mut hi) = (z, z);
            lo[j] -= h;
            hi[j] += h;
            let fd = (softmax_cross_entropy(&hi, 0).unwrap().loss - softmax_cross_entropy(&lo, 0).unwrap().loss) / (2.0 * h);
            assert!((fd - ce.grad[j]).abs() < 1e-3, "logit {j}: fd {fd}, grad {}", ce.grad[j]);
        }
        // Raising the true logit lowers the loss.
        let up = softmax_cross_entropy(&[3.0, 1.0, 0.1], 0).unwrap();
        assert!(up.loss < ce.loss && up.probs[0] > ce.probs[0]);
        assert_eq!(softmax_cross_entropy(&z, 3), Err(LessonError::BadClass { class: 3, k: 3 }));
        assert!(matches!(softmax_cross_entropy(&[], 0), Err(LessonError::Empty { .. })));
        assert!(matches!(softmax_cross_entropy(&[1.0, f32::INFINITY], 0), Err(LessonError::NotFinite(NotFinite { index: Some(1), .. }))));
    }
}
