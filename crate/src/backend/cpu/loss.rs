//! Losses, each with its gradient, and the running metrics [Σ loss, #correct, N].
//!
//! Softmax + cross-entropy for logits z (N, K) and labels y (N):
//!   p = softmax(z) = e^(z − max z) / Σ e^(z − max z)   (subtracting max z keeps e^· ≤ 1: no overflow)
//!   loss_n = −log p[y_n] = log Σ e^(z − max z) − (z[y_n] − max z)
//!   L = mean_n loss_n,   ∂L/∂z = (p − onehot(y))/N
//!
//! MSE against one-hot targets for a classifier, logits z (N, K):
//!   loss_n = mean_k (z − onehot(y))²,   ∂L/∂z = 2(z − onehot(y))/(N·K)
//!
//! Regression losses for pred, target (N, P), d = pred − target, L = mean over N·P of ℓ(d)
//! (`RegressionLoss`: L1, MSE, smooth L1): the forward pass sums each row's ℓ and adds
//! [Σ_n mean_p ℓ, 0, N]; the backward pass writes ℓ'(d)/(N·P). ℓ is chosen once per call and
//! handed to one generic loop, so each loop body is a plain closure the compiler inlines.

use crate::backend::{RegressionLoss, METRICS_LEN};

/// The class index held (as f32) in a label; panics with the op's name on anything else.
fn class(op: &str, label: f32, k: usize) -> usize {
    assert!(label >= 0.0 && label.fract() == 0.0 && (label as usize) < k, "{op}: label {label} is not a class index in 0..{k}");
    label as usize
}

pub fn softmax_cross_entropy(logits: &[f32], labels: &[f32], probs: &mut [f32], dlogits: &mut [f32], metrics: &mut [f32]) {
    let n = labels.len();
    assert!(n > 0 && logits.len().is_multiple_of(n), "softmax_cross_entropy: {} logits for {n} labels", logits.len());
    let k = logits.len() / n;
    assert!(probs.len() == logits.len() && dlogits.len() == logits.len(), "softmax_cross_entropy: logits, probs, dlogits hold {}, {}, {} values", logits.len(), probs.len(), dlogits.len());
    assert_eq!(metrics.len(), METRICS_LEN, "softmax_cross_entropy: metrics holds {} values", metrics.len());
    let inv_n = 1.0 / n as f32;
    let (mut loss_sum, mut correct) = (0.0f64, 0usize);
    for (row, ((z, p), d)) in logits.chunks(k).zip(probs.chunks_mut(k)).zip(dlogits.chunks_mut(k)).enumerate() {
        let y = class("softmax_cross_entropy", labels[row], k);
        // The first maximum is both the shift and the prediction.
        let mut arg = 0;
        for j in 1..k {
            if z[j] > z[arg] {
                arg = j;
            }
        }
        let max = z[arg];
        let mut sum = 0.0f32;
        for (pj, &zj) in p.iter_mut().zip(z) {
            *pj = (zj - max).exp();
            sum += *pj;
        }
        let inv = 1.0 / sum;
        for (dj, pj) in d.iter_mut().zip(p.iter_mut()) {
            *pj *= inv;
            *dj = *pj * inv_n;
        }
        d[y] -= inv_n;
        loss_sum += (sum.ln() - (z[y] - max)) as f64;
        correct += (arg == y) as usize;
    }
    metrics[0] += loss_sum as f32;
    metrics[1] += correct as f32;
    metrics[2] += n as f32;
}

/// probs ← softmax(logits) row by row, K = `k` classes: the arithmetic of the probabilities in
/// `softmax_cross_entropy` above, in the same order, so both give the same bits.
pub fn softmax(logits: &[f32], probs: &mut [f32], k: usize) {
    assert!(k > 0 && logits.len().is_multiple_of(k) && probs.len() == logits.len(), "softmax: {} logits, {} probs for {k} classes", logits.len(), probs.len());
    for (z, p) in logits.chunks(k).zip(probs.chunks_mut(k)) {
        let mut arg = 0;
        for j in 1..k {
            if z[j] > z[arg] {
                arg = j;
            }
        }
        let max = z[arg];
        let mut sum = 0.0f32;
        for (pj, &zj) in p.iter_mut().zip(z) {
            *pj = (zj - max).exp();
            sum += *pj;
        }
        let inv = 1.0 / sum;
        for pj in p.iter_mut() {
            *pj *= inv;
        }
    }
}

pub fn mse_one_hot(logits: &[f32], labels: &[f32], dlogits: &mut [f32], metrics: &mut [f32]) {
    let n = labels.len();
    assert!(n > 0 && logits.len().is_multiple_of(n), "mse_one_hot: {} logits for {n} labels", logits.len());
    let k = logits.len() / n;
    assert_eq!(dlogits.len(), logits.len(), "mse_one_hot: logits, dlogits hold {}, {} values", logits.len(), dlogits.len());
    assert_eq!(metrics.len(), METRICS_LEN, "mse_one_hot: metrics holds {} values", metrics.len());
    let scale = 2.0 / logits.len() as f32;
    let (mut loss_sum, mut correct) = (0.0f64, 0usize);
    for (row, (z, d)) in logits.chunks(k).zip(dlogits.chunks_mut(k)).enumerate() {
        let y = class("mse_one_hot", labels[row], k);
        let mut arg = 0;
        for j in 1..k {
            if z[j] > z[arg] {
                arg = j;
            }
        }
        let mut sq = 0.0f32;
        for (j, (dj, &zj)) in d.iter_mut().zip(z).enumerate() {
            let e = zj - if j == y { 1.0 } else { 0.0 };
            *dj = scale * e;
            sq += e * e;
        }
        loss_sum += (sq / k as f32) as f64;
        correct += (arg == y) as usize;
    }
    metrics[0] += loss_sum as f32;
    metrics[1] += correct as f32;
    metrics[2] += n as f32;
}

/// The slope of |d|: −1, 0 at d = 0 (as PyTorch), 1.
fn sign(d: f32) -> f32 {
    if d > 0.0 {
        1.0
    } else if d < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// Checks the regression loss's arguments; P, the values per example.
fn check_regression(kind: RegressionLoss, pred: &[f32], target: &[f32], n: usize) -> usize {
    assert_eq!(pred.len(), target.len(), "{kind:?}: pred, target hold {}, {} values", pred.len(), target.len());
    assert!(n > 0 && pred.len().is_multiple_of(n), "{kind:?}: {} values for a batch of {n}", pred.len());
    if let RegressionLoss::SmoothL1 { beta } = kind {
        assert!(beta.is_finite() && beta > 0.0, "smooth L1: beta {beta} must be a positive number");
    }
    pred.len() / n
}

pub fn regression_loss_forward(kind: RegressionLoss, pred: &[f32], target: &[f32], n: usize, metrics: &mut [f32]) {
    let per = check_regression(kind, pred, target, n);
    assert_eq!(metrics.len(), METRICS_LEN, "{kind:?}: metrics holds {} values", metrics.len());
    let total = match kind {
        RegressionLoss::L1 => row_means(pred, target, per, |d| d.abs()),
        RegressionLoss::Mse => row_means(pred, target, per, |d| d * d),
        RegressionLoss::SmoothL1 { beta } => row_means(pred, target, per, |d| if d.abs() < beta { 0.5 * d * d / beta } else { d.abs() - 0.5 * beta }),
    };
    metrics[0] += total as f32;
    metrics[2] += n as f32;
}

/// Σ over rows of P values of the row's mean of ℓ(pred − target), summed in f64.
fn row_means(pred: &[f32], target: &[f32], per: usize, loss: impl Fn(f32) -> f32) -> f64 {
    let mut total = 0.0f64;
    for (p, t) in pred.chunks(per).zip(target.chunks(per)) {
        let sum: f32 = p.iter().zip(t).map(|(&pj, &tj)| loss(pj - tj)).sum();
        total += (sum / per as f32) as f64;
    }
    total
}

pub fn regression_loss_backward(kind: RegressionLoss, pred: &[f32], target: &[f32], dpred: &mut [f32]) {
    check_regression(kind, pred, target, 1);
    assert_eq!(dpred.len(), pred.len(), "{kind:?}: pred, dpred hold {}, {} values", pred.len(), dpred.len());
    let inv = 1.0 / pred.len() as f32;
    let each = |slope: &dyn Fn(f32) -> f32, dpred: &mut [f32]| {
        for ((dj, &pj), &tj) in dpred.iter_mut().zip(pred).zip(target) {
            *dj = slope(pj - tj) * inv;
        }
    };
    match kind {
        RegressionLoss::L1 => each(&sign, dpred),
        RegressionLoss::Mse => each(&|d| 2.0 * d, dpred),
        RegressionLoss::SmoothL1 { beta } => each(&|d| if d.abs() < beta { d / beta } else { sign(d) }, dpred),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_entropy_of_a_known_row_and_huge_logits() {
        // Uniform logits over 4 classes: p = 1/4, loss = ln 4.
        let (mut p, mut d, mut m) = ([0.0; 8], [0.0; 8], [0.0; 3]);
        softmax_cross_entropy(&[0.0, 0.0, 0.0, 0.0, 1000.0, 0.0, 0.0, -1000.0], &[2.0, 0.0], &mut p, &mut d, &mut m);
        assert!(p[..4].iter().all(|&v| (v - 0.25).abs() < 1e-7));
        assert_eq!(&p[4..], &[1.0, 0.0, 0.0, 0.0]);
        assert!((m[0] - 4f32.ln()).abs() < 1e-6, "loss {}", m[0]);
        // Row 0 ties: argmax is class 0, label 2 → wrong; row 1 right.
        assert_eq!(&m[1..], &[1.0, 2.0]);
        assert!((d[2] - (0.25 - 1.0) / 2.0).abs() < 1e-7 && (d[0] - 0.125).abs() < 1e-7);
        assert_eq!(&d[4..], &[0.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn regression_losses_sum_per_example_means() {
        let (pred, target) = ([1.0, 2.0, 3.0, 5.0], [0.0, 0.0, 3.0, 3.0]);
        let mut m = [1.0, 0.0, 2.0];
        regression_loss_forward(RegressionLoss::Mse, &pred, &target, 2, &mut m);
        // Example 0: (1 + 4)/2 = 2.5; example 1: (0 + 4)/2 = 2.
        assert_eq!(m, [5.5, 0.0, 4.0]);
        let mut d = [0.0; 4];
        regression_loss_backward(RegressionLoss::Mse, &pred, &target, &mut d);
        assert_eq!(d, [0.5, 1.0, 0.0, 1.0]);
        // L1: (1 + 2)/2 + (0 + 2)/2 = 2.5; its slope is 0 where pred = target.
        let mut m = [0.0; 3];
        regression_loss_forward(RegressionLoss::L1, &pred, &target, 2, &mut m);
        assert_eq!(m, [2.5, 0.0, 2.0]);
        regression_loss_backward(RegressionLoss::L1, &pred, &target, &mut d);
        assert_eq!(d, [0.25, 0.25, 0.0, 0.25]);
        // Smooth L1, β = 2: d = 1 is inside (1/4), d = 2 on the edge (2 − 1 = 1): (1/4 + 1)/2 + (0 + 1)/2.
        let mut m = [0.0; 3];
        regression_loss_forward(RegressionLoss::SmoothL1 { beta: 2.0 }, &pred, &target, 2, &mut m);
        assert_eq!(m, [1.125, 0.0, 2.0]);
        regression_loss_backward(RegressionLoss::SmoothL1 { beta: 2.0 }, &pred, &target, &mut d);
        assert_eq!(d, [0.125, 0.25, 0.0, 0.25]);
    }

    #[test]
    fn mse_one_hot_pushes_the_label_to_one_and_the_rest_to_zero() {
        let (mut d, mut m) = ([0.0; 6], [0.0; 3]);
        // Row 0: label 1, logits (0, 1, 0): loss 0, right. Row 1: label 2, logits (1, 0, 0): loss (1 + 0 + 1)/3, wrong.
        mse_one_hot(&[0.0, 1.0, 0.0, 1.0, 0.0, 0.0], &[1.0, 2.0], &mut d, &mut m);
        assert_eq!(m, [2.0 / 3.0, 1.0, 2.0]);
        assert_eq!(d, [0.0, 0.0, 0.0, 1.0 / 3.0, 0.0, -1.0 / 3.0]);
    }
}
