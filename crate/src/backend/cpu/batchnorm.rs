//! Batch normalisation over (N, H, W) for each channel c; x, y (N, C, H, W), the rest (C).
//! With m = N·H·W values per channel:
//!
//!   μ = Σx/m,  σ² = Σ(x−μ)²/m,  x̂ = (x−μ)/√(σ²+ε),  y = γ·x̂ + β
//!   running_mean ← (1−momentum)·running_mean + momentum·μ
//!   running_var  ← (1−momentum)·running_var  + momentum·σ²·m/(m−1)   (unbiased, as PyTorch)
//!
//! Backward (x̂ recomputed from the saved μ and 1/√(σ²+ε)):
//!   dβ = Σ dy,  dγ = Σ dy·x̂,  dx = γ/√(σ²+ε) · (dy − dβ/m − x̂·dγ/m)
//!
//! Sums are accumulated in f64 in a fixed order: accurate for large m and bit-reproducible.

/// (N, C, H·W) from the tensor sizes: x holds N·C·HW values and the per-channel tensors C.
fn dims(op: &str, x: usize, c: usize, n: usize) -> usize {
    assert!(c > 0 && n > 0 && x.is_multiple_of(c * n), "batchnorm2d {op}: x of {x} values does not fit {c} channels and batch {n}");
    x / (c * n)
}

/// Every contiguous run of one channel's values (one run per example), with its channel index.
fn planes(x: &[f32], c: usize, hw: usize) -> impl Iterator<Item = (usize, &[f32])> {
    x.chunks(hw).enumerate().map(move |(k, p)| (k % c, p))
}

#[allow(clippy::too_many_arguments)]
pub fn batchnorm2d_forward_train(
    x: &[f32],
    n: usize,
    gamma: &[f32],
    beta: &[f32],
    y: &mut [f32],
    save_mean: &mut [f32],
    save_invstd: &mut [f32],
    running_mean: &mut [f32],
    running_var: &mut [f32],
    momentum: f32,
    eps: f32,
) {
    let c = gamma.len();
    let hw = dims("forward_train", x.len(), c, n);
    for t in [beta.len(), save_mean.len(), save_invstd.len(), running_mean.len(), running_var.len()] {
        assert_eq!(t, c, "batchnorm2d forward_train: a per-channel tensor holds {t} values, gamma {c}");
    }
    assert_eq!(y.len(), x.len(), "batchnorm2d forward_train: y holds {} values, x {}", y.len(), x.len());
    let m = (n * hw) as f64;
    let mut sum = vec![0.0f64; c];
    for (ch, p) in planes(x, c, hw) {
        sum[ch] += p.iter().map(|&v| v as f64).sum::<f64>();
    }
    let mean: Vec<f64> = sum.iter().map(|s| s / m).collect();
    let mut sq = vec![0.0f64; c];
    for (ch, p) in planes(x, c, hw) {
        sq[ch] += p.iter().map(|&v| (v as f64 - mean[ch]).powi(2)).sum::<f64>();
    }
    for ch in 0..c {
        let var = sq[ch] / m;
        let invstd = 1.0 / (var + eps as f64).sqrt();
        save_mean[ch] = mean[ch] as f32;
        save_invstd[ch] = invstd as f32;
        // One value per channel has no spread to estimate: keep the biased variance then.
        let unbiased = if m > 1.0 { sq[ch] / (m - 1.0) } else { var };
        running_mean[ch] = (1.0 - momentum) * running_mean[ch] + momentum * mean[ch] as f32;
        running_var[ch] = (1.0 - momentum) * running_var[ch] + momentum * unbiased as f32;
    }
    for (k, yp) in y.chunks_mut(hw).enumerate() {
        let ch = k % c;
        let (mu, is, g, b) = (save_mean[ch], save_invstd[ch], gamma[ch], beta[ch]);
        for (yv, &xv) in yp.iter_mut().zip(&x[k * hw..(k + 1) * hw]) {
            *yv = g * ((xv - mu) * is) + b;
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub fn batchnorm2d_forward_eval(x: &[f32], n: usize, gamma: &[f32], beta: &[f32], running_mean: &[f32], running_var: &[f32], y: &mut [f32], eps: f32) {
    let c = gamma.len();
    let hw = dims("forward_eval", x.len(), c, n);
    for t in [beta.len(), running_mean.len(), running_var.len()] {
        assert_eq!(t, c, "batchnorm2d forward_eval: a per-channel tensor holds {t} values, gamma {c}");
    }
    assert_eq!(y.len(), x.len(), "batchnorm2d forward_eval: y holds {} values, x {}", y.len(), x.len());
    for (k, yp) in y.chunks_mut(hw).enumerate() {
        let ch = k % c;
        let is = 1.0 / (running_var[ch] + eps).sqrt();
        let (mu, g, b) = (running_mean[ch], gamma[ch], beta[ch]);
        for (yv, &xv) in yp.iter_mut().zip(&x[k * hw..(k + 1) * hw]) {
            *yv = g * ((xv - mu) * is) + b;
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub fn batchnorm2d_backward(
    x: &[f32],
    n: usize,
    gamma: &[f32],
    dy: &[f32],
    save_mean: &[f32],
    save_invstd: &[f32],
    dx: &mut [f32],
    dgamma: &mut [f32],
    dbeta: &mut [f32],
) {
    let c = gamma.len();
    let hw = dims("backward", x.len(), c, n);
    for t in [save_mean.len(), save_invstd.len(), dgamma.len(), dbeta.len()] {
        assert_eq!(t, c, "batchnorm2d backward: a per-channel tensor holds {t} values, gamma {c}");
    }
    assert!(dy.len() == x.len() && dx.len() == x.len(), "batchnorm2d backward: x, dy, dx hold {}, {}, {} values", x.len(), dy.len(), dx.len());
    let m = (n * hw) as f64;
    let (mut sdy, mut sdyx) = (vec![0.0f64; c], vec![0.0f64; c]);
    for (k, dyp) in dy.chunks(hw).enumerate() {
        let ch = k % c;
        let (mu, is) = (save_mean[ch], save_invstd[ch]);
        for (&d, &xv) in dyp.iter().zip(&x[k * hw..(k + 1) * hw]) {
            sdy[ch] += d as f64;
            sdyx[ch] += (d * ((xv - mu) * is)) as f64;
        }
    }
    for ch in 0..c {
        dbeta[ch] = sdy[ch] as f32;
        dgamma[ch] = sdyx[ch] as f32;
    }
    for (k, dxp) in dx.chunks_mut(hw).enumerate() {
        let ch = k % c;
        let (mu, is) = (save_mean[ch], save_invstd[ch]);
        let (mean_dy, mean_dyx) = ((sdy[ch] / m) as f32, (sdyx[ch] / m) as f32);
        let scale = gamma[ch] * is;
        for ((dxv, &d), &xv) in dxp.iter_mut().zip(&dy[k * hw..(k + 1) * hw]).zip(&x[k * hw..(k + 1) * hw]) {
            let xhat = (xv - mu) * is;
            *dxv = scale * (d - mean_dy - xhat * mean_dyx);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_each_channel_and_updates_running_stats() {
        // N = 2, C = 2, H·W = 2: channel 0 holds 1, 2, 3, 4; channel 1 holds 10 four times.
        let x = [1.0, 2.0, 10.0, 10.0, 3.0, 4.0, 10.0, 10.0];
        let (g, b) = ([1.0, 2.0], [0.0, 0.5]);
        let mut y = [0.0; 8];
        let (mut sm, mut si, mut rm, mut rv) = ([0.0; 2], [0.0; 2], [0.0, 0.0], [1.0, 1.0]);
        batchnorm2d_forward_train(&x, 2, &g, &b, &mut y, &mut sm, &mut si, &mut rm, &mut rv, 0.1, 1e-5);
        assert_eq!(sm, [2.5, 10.0]);
        // Channel 0: biased variance 1.25, unbiased 5/3.
        assert!((si[0] - 1.0 / (1.25f32 + 1e-5).sqrt()).abs() < 1e-6);
        assert!((rm[0] - 0.25).abs() < 1e-6 && (rm[1] - 1.0).abs() < 1e-6);
        assert!((rv[0] - (0.9 + 0.1 * 5.0 / 3.0)).abs() < 1e-6 && (rv[1] - 0.9).abs() < 1e-6);
        let mean0: f32 = [y[0], y[1], y[4], y[5]].iter().sum::<f32>() / 4.0;
        assert!(mean0.abs() < 1e-6);
        assert!([y[2], y[3], y[6], y[7]].iter().all(|&v| v == 0.5));
    }
}
