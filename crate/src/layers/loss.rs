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
//! Mean squared error:  L = mean over all values of (pred − target)²,  ∂L/∂pred = 2(pred − target)/len.

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

// ANCHOR: mse
/// dpred ← ∂L/∂pred for L the mean squared error over every value; adds [Σ over examples of
/// their own mean squared error, 0, N] to metrics.
pub fn mse(pred: &[f32], target: &[f32], batch: usize, dpred: &mut [f32], metrics: &mut [f32]) {
    assert!(pred.len() == target.len() && pred.len() == dpred.len(), "mse: pred, target, dpred hold {}, {}, {} values", pred.len(), target.len(), dpred.len());
    assert!(batch > 0 && pred.len().is_multiple_of(batch), "mse: {} values for a batch of {batch}", pred.len());
    assert_eq!(metrics.len(), METRICS_LEN, "mse: metrics holds {} values", metrics.len());
    let per_example = pred.len() / batch;
    let mut loss = 0.0;
    for n in 0..batch {
        let mut squares = 0.0;
        for k in 0..per_example {
            let i = n * per_example + k;
            let e = pred[i] - target[i];
            dpred[i] = 2.0 * e / pred.len() as f32;
            squares += e * e;
        }
        loss += squares / per_example as f32;
    }
    metrics[0] += loss;
    metrics[2] += batch as f32;
}
// ANCHOR_END: mse
