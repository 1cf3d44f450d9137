//! Losses, each with its gradient, and the running metrics [Σ loss, #correct, N].
//!
//! Softmax + cross-entropy for logits z (N, K) and labels y (N):
//!   p = softmax(z) = e^(z − max z) / Σ e^(z − max z)   (subtracting max z keeps e^· ≤ 1: no overflow)
//!   loss_n = −log p[y_n] = log Σ e^(z − max z) − (z[y_n] − max z)
//!   L = mean_n loss_n,   ∂L/∂z = (p − onehot(y))/N
//!
//! MSE for pred, target (N, …):  L = mean((pred − target)²),  ∂L/∂pred = 2(pred − target)/len.

use crate::backend::METRICS_LEN;

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

pub fn mse(pred: &[f32], target: &[f32], n: usize, dpred: &mut [f32], metrics: &mut [f32]) {
    assert!(pred.len() == target.len() && pred.len() == dpred.len(), "mse: pred, target, dpred hold {}, {}, {} values", pred.len(), target.len(), dpred.len());
    assert!(n > 0 && pred.len().is_multiple_of(n), "mse: {} values for a batch of {n}", pred.len());
    assert_eq!(metrics.len(), METRICS_LEN, "mse: metrics holds {} values", metrics.len());
    let per = pred.len() / n;
    let scale = 2.0 / pred.len() as f32;
    let mut total = 0.0f64;
    for (row, (p, t)) in pred.chunks(per).zip(target.chunks(per)).enumerate() {
        let mut sq = 0.0f64;
        for (j, (&pj, &tj)) in p.iter().zip(t).enumerate() {
            let e = pj - tj;
            dpred[row * per + j] = scale * e;
            sq += (e * e) as f64;
        }
        total += sq / per as f64;
    }
    metrics[0] += total as f32;
    metrics[2] += n as f32;
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
    fn mse_sums_per_example_means() {
        let (mut d, mut m) = ([0.0; 4], [1.0, 0.0, 2.0]);
        mse(&[1.0, 2.0, 3.0, 5.0], &[0.0, 0.0, 3.0, 3.0], 2, &mut d, &mut m);
        // Example 0: (1 + 4)/2 = 2.5; example 1: (0 + 4)/2 = 2.
        assert_eq!(m, [5.5, 0.0, 4.0]);
        assert_eq!(d, [0.5, 1.0, 0.0, 1.0]);
    }
}
