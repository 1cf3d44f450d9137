//! Losses, the reference: each with its gradient, plus the softmax alone (for predictions).
//!
//! Shapes (N batch, K classes):
//!   logits, probs, dlogits  (N, K)     labels  (N): class indices held as f32
//!   pred, target, dpred     (N, …): any shape with the batch first
//!   metrics                 [Σ loss over examples, #correctly classified, N]: running sums
//!                           that a training step adds to and the trainer reads now and then
//!
//! Softmax and cross-entropy for logits z and labels y:
//!   p = softmax(z) = e^(z − max z) / Σ e^(z − max z)
//!   loss_n = −log p[n, y_n] = log Σ_k e^(z[n,k] − max z) − (z[n, y_n] − max z)
//!   L = mean_n loss_n,    ∂L/∂z[n,k] = (p[n,k] − [k = y_n]) / N
//! Subtracting the row's largest logit changes no probability (it divides the numerator and the
//! denominator by the same e^max) and keeps every e^· at most 1: no overflow, even for logits of
//! 1000; the loss is written with log Σ so that it stays finite when p[n, y_n] underflows to 0.
//!
//! The regression losses, for pred and target (N, P) of the same shape, d = pred − target, with
//! PyTorch's reduction 'mean' over all N·P values (`nn.L1Loss`, `nn.MSELoss`, `nn.SmoothL1Loss`):
//!   L1:         L = mean |d|                                 ∂L/∂pred = sign(d)/(N·P)
//!   MSE (L2):   L = mean d²                                  ∂L/∂pred = 2d/(N·P)
//!   smooth L1:  L = mean of d²/(2β) if |d| < β, |d| − β/2 beyond
//!                                                            ∂L/∂pred = (d/β if |d| < β, sign(d) beyond)/(N·P)
//! Each `*_forward` adds [Σ_n loss_n, 0, N] to metrics, where loss_n is the mean over example n's
//! own P values: Σ/N is then L, and a loss read over many batches is the mean over examples, as
//! for cross-entropy. Each `*_backward` writes the gradient.
//!
//! A classifier can be trained with MSE too, against one-hot targets (`mse_one_hot`): its K
//! outputs are pushed towards 1 for the label and 0 for every other class, instead of being
//! turned into probabilities first.

use crate::backend::METRICS_LEN;

// ANCHOR: softmax
/// probs ← softmax of each row of logits (N, K): the probabilities a classifier predicts.
pub fn softmax(logits: &[f32], probs: &mut [f32], classes: usize) {
    assert!(classes > 0 && logits.len().is_multiple_of(classes) && probs.len() == logits.len(), "softmax: {} logits, {} probs for {classes} classes", logits.len(), probs.len());
    let batch = logits.len() / classes;
    for n in 0..batch {
        let row = n * classes;
        let mut max = logits[row];
        for k in 1..classes {
            if logits[row + k] > max {
                max = logits[row + k];
            }
        }
        let mut sum = 0.0;
        for k in 0..classes {
            probs[row + k] = (logits[row + k] - max).exp();
            sum += probs[row + k];
        }
        for k in 0..classes {
            probs[row + k] /= sum;
        }
    }
}
// ANCHOR_END: softmax

// ANCHOR: softmax_cross_entropy
/// probs ← softmax(logits); dlogits ← ∂L/∂logits for L the mean cross-entropy over the batch;
/// adds [Σ loss, #correct, N] to metrics. An example is correct when its largest logit (the
/// first, on a tie) is its label's.
pub fn softmax_cross_entropy(logits: &[f32], labels: &[f32], probs: &mut [f32], dlogits: &mut [f32], metrics: &mut [f32]) {
    let batch = labels.len();
    assert!(batch > 0 && logits.len().is_multiple_of(batch), "softmax_cross_entropy: {} logits for {batch} labels", logits.len());
    assert!(probs.len() == logits.len() && dlogits.len() == logits.len(), "softmax_cross_entropy: logits, probs, dlogits hold {}, {}, {} values", logits.len(), probs.len(), dlogits.len());
    assert_eq!(metrics.len(), METRICS_LEN, "softmax_cross_entropy: metrics holds {} values", metrics.len());
    let classes = logits.len() / batch;
    let (mut loss, mut correct) = (0.0, 0.0);
    for (n, &label) in labels.iter().enumerate() {
        let row = n * classes;
        assert!(label >= 0.0 && label.fract() == 0.0 && (label as usize) < classes, "softmax_cross_entropy: label {label} is not a class index in 0..{classes}");
        let label = label as usize;
        // The largest logit: the shift that keeps e^· ≤ 1, and the prediction.
        let mut best = 0;
        for k in 1..classes {
            if logits[row + k] > logits[row + best] {
                best = k;
            }
        }
        let max = logits[row + best];
        let mut sum = 0.0;
        for k in 0..classes {
            sum += (logits[row + k] - max).exp();
        }
        for k in 0..classes {
            probs[row + k] = (logits[row + k] - max).exp() / sum;
            let target = if k == label { 1.0 } else { 0.0 };
            dlogits[row + k] = (probs[row + k] - target) / batch as f32;
        }
        loss += sum.ln() - (logits[row + label] - max);
        if best == label {
            correct += 1.0;
        }
    }
    metrics[0] += loss;
    metrics[1] += correct;
    metrics[2] += batch as f32;
}
// ANCHOR_END: softmax_cross_entropy

// ANCHOR: mse_one_hot
/// dlogits ← ∂L/∂logits for L the mean squared error between the logits (N, K) and the one-hot
/// targets of the labels, over all N·K values; adds [Σ_n loss_n, #correct, N] to metrics, where
/// loss_n = mean_k (logits[n, k] − [k = y_n])². An example is correct when its largest logit (the
/// first, on a tie) is its label's.
pub fn mse_one_hot(logits: &[f32], labels: &[f32], dlogits: &mut [f32], metrics: &mut [f32]) {
    let batch = labels.len();
    assert!(batch > 0 && logits.len().is_multiple_of(batch), "mse_one_hot: {} logits for {batch} labels", logits.len());
    assert_eq!(dlogits.len(), logits.len(), "mse_one_hot: logits, dlogits hold {}, {} values", logits.len(), dlogits.len());
    assert_eq!(metrics.len(), METRICS_LEN, "mse_one_hot: metrics holds {} values", metrics.len());
    let classes = logits.len() / batch;
    let (mut loss, mut correct) = (0.0, 0.0);
    for (n, &label) in labels.iter().enumerate() {
        let row = n * classes;
        assert!(label >= 0.0 && label.fract() == 0.0 && (label as usize) < classes, "mse_one_hot: label {label} is not a class index in 0..{classes}");
        let label = label as usize;
        let mut best = 0;
        let mut squares = 0.0;
        for k in 0..classes {
            if logits[row + k] > logits[row + best] {
                best = k;
            }
            let target = if k == label { 1.0 } else { 0.0 };
            let e = logits[row + k] - target;
            dlogits[row + k] = 2.0 * e / logits.len() as f32;
            squares += e * e;
        }
        loss += squares / classes as f32;
        if best == label {
            correct += 1.0;
        }
    }
    metrics[0] += loss;
    metrics[1] += correct;
    metrics[2] += batch as f32;
}
// ANCHOR_END: mse_one_hot

/// The checks every regression loss makes: pred and target the same length, a whole number of
/// examples, a metrics tensor of METRICS_LEN values. Returns P, the values per example.
fn check_regression(op: &str, pred: &[f32], target: &[f32], batch: usize, metrics: &[f32]) -> usize {
    assert_eq!(pred.len(), target.len(), "{op}: pred, target hold {}, {} values", pred.len(), target.len());
    assert!(batch > 0 && pred.len().is_multiple_of(batch), "{op}: {} values for a batch of {batch}", pred.len());
    assert_eq!(metrics.len(), METRICS_LEN, "{op}: metrics holds {} values", metrics.len());
    pred.len() / batch
}

/// The checks every regression gradient makes: pred, target and dpred the same length.
fn check_gradient(op: &str, pred: &[f32], target: &[f32], dpred: &[f32]) {
    assert!(pred.len() == target.len() && pred.len() == dpred.len(), "{op}: pred, target, dpred hold {}, {}, {} values", pred.len(), target.len(), dpred.len());
}

/// −1, 0 or 1: the slope of |d|, taken as 0 at d = 0 as PyTorch does (`f32::signum` gives 1).
fn sign(d: f32) -> f32 {
    if d > 0.0 {
        1.0
    } else if d < 0.0 {
        -1.0
    } else {
        0.0
    }
}

// ANCHOR: l1_forward
/// Adds [Σ_n mean_p |pred − target|, 0, N] to metrics (L1, `nn.L1Loss`).
pub fn l1_forward(pred: &[f32], target: &[f32], batch: usize, metrics: &mut [f32]) {
    let per_example = check_regression("l1_forward", pred, target, batch, metrics);
    let mut loss = 0.0;
    for n in 0..batch {
        let mut sum = 0.0;
        for p in 0..per_example {
            let i = n * per_example + p;
            let d = pred[i] - target[i];
            sum += d.abs();
        }
        loss += sum / per_example as f32;
    }
    metrics[0] += loss;
    metrics[2] += batch as f32;
}
// ANCHOR_END: l1_forward

// ANCHOR: l1_backward
/// dpred ← ∂L/∂pred = sign(pred − target)/len for L the mean absolute error.
pub fn l1_backward(pred: &[f32], target: &[f32], dpred: &mut [f32]) {
    check_gradient("l1_backward", pred, target, dpred);
    for i in 0..pred.len() {
        let d = pred[i] - target[i];
        dpred[i] = sign(d) / pred.len() as f32;
    }
}
// ANCHOR_END: l1_backward

// ANCHOR: mse_forward
/// Adds [Σ_n mean_p (pred − target)², 0, N] to metrics (MSE, `nn.MSELoss`).
pub fn mse_forward(pred: &[f32], target: &[f32], batch: usize, metrics: &mut [f32]) {
    let per_example = check_regression("mse_forward", pred, target, batch, metrics);
    let mut loss = 0.0;
    for n in 0..batch {
        let mut sum = 0.0;
        for p in 0..per_example {
            let i = n * per_example + p;
            let d = pred[i] - target[i];
            sum += d * d;
        }
        loss += sum / per_example as f32;
    }
    metrics[0] += loss;
    metrics[2] += batch as f32;
}
// ANCHOR_END: mse_forward

// ANCHOR: mse_backward
/// dpred ← ∂L/∂pred = 2(pred − target)/len for L the mean squared error.
pub fn mse_backward(pred: &[f32], target: &[f32], dpred: &mut [f32]) {
    check_gradient("mse_backward", pred, target, dpred);
    for i in 0..pred.len() {
        let d = pred[i] - target[i];
        dpred[i] = 2.0 * d / pred.len() as f32;
    }
}
// ANCHOR_END: mse_backward

// ANCHOR: smooth_l1_forward
/// Adds [Σ_n mean_p ℓ(pred − target), 0, N] to metrics, ℓ(d) = d²/(2β) where |d| < β and
/// |d| − β/2 beyond (smooth L1, `nn.SmoothL1Loss(beta=β)`). The two pieces meet at |d| = β with
/// the same value (β/2) and the same slope (±1).
pub fn smooth_l1_forward(pred: &[f32], target: &[f32], beta: f32, batch: usize, metrics: &mut [f32]) {
    assert!(beta.is_finite() && beta > 0.0, "smooth_l1_forward: beta {beta} must be a positive number");
    let per_example = check_regression("smooth_l1_forward", pred, target, batch, metrics);
    let mut loss = 0.0;
    for n in 0..batch {
        let mut sum = 0.0;
        for p in 0..per_example {
            let i = n * per_example + p;
            let d = pred[i] - target[i];
            if d.abs() < beta {
                sum += 0.5 * d * d / beta;
            } else {
                sum += d.abs() - 0.5 * beta;
            }
        }
        loss += sum / per_example as f32;
    }
    metrics[0] += loss;
    metrics[2] += batch as f32;
}
// ANCHOR_END: smooth_l1_forward

// ANCHOR: smooth_l1_backward
/// dpred ← ∂L/∂pred = ℓ'(pred − target)/len, ℓ'(d) = d/β where |d| < β and sign(d) beyond.
pub fn smooth_l1_backward(pred: &[f32], target: &[f32], beta: f32, dpred: &mut [f32]) {
    assert!(beta.is_finite() && beta > 0.0, "smooth_l1_backward: beta {beta} must be a positive number");
    check_gradient("smooth_l1_backward", pred, target, dpred);
    for i in 0..pred.len() {
        let d = pred[i] - target[i];
        let slope = if d.abs() < beta { d / beta } else { sign(d) };
        dpred[i] = slope / pred.len() as f32;
    }
}
// ANCHOR_END: smooth_l1_backward
