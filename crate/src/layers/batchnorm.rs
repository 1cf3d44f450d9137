//! Batch normalisation over the channels of an image batch (Ioffe & Szegedy 2015), the
//! reference: plain loops, forward (training and evaluation) and backward side by side.
//!
//! Shapes (N batch, C channels, H×W planes; m = N·H·W values per channel):
//!   x, y, dy, dx  (N, C, H, W)
//!   gamma, beta, running_mean, running_var, save_mean, save_invstd, dgamma, dbeta  (C)
//!
//! For each channel c, over all (n, h, w):
//!   μ = Σx/m,  σ² = Σ(x − μ)²/m,  x̂ = (x − μ)/√(σ² + ε),  y = γ·x̂ + β
//!   running_mean ← (1 − momentum)·running_mean + momentum·μ
//!   running_var  ← (1 − momentum)·running_var  + momentum·σ²·m/(m − 1)   (unbiased, as PyTorch)
//! Training uses the batch's μ and σ² (and keeps μ and 1/√(σ² + ε) for the backward pass);
//! evaluation uses the running averages. Backward:
//!   dβ = Σ dy,   dγ = Σ dy·x̂,   dx = γ/√(σ² + ε) · (dy − dβ/m − x̂·dγ/m)
//!
//! The sums over a channel's m values (thousands in a batch of images) are kept in f64: the
//! reference should be the most accurate implementation, not the least.

use super::{Buffer, Param};
use crate::backend::Backend;
use crate::tensor::Shape;

// ANCHOR: batchnorm2d_forward_train
/// Training mode: normalise each channel with the batch's own mean and variance.
#[allow(clippy::too_many_arguments)]
pub fn batchnorm2d_forward_train(
    x: &[f32],
    batch: usize,
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
    let (channels, plane) = dims("batchnorm2d_forward_train", x.len(), y.len(), batch, gamma.len());
    for t in [beta.len(), save_mean.len(), save_invstd.len(), running_mean.len(), running_var.len()] {
        assert_eq!(t, channels, "batchnorm2d_forward_train: a per-channel slice holds {t} values, gamma {channels}");
    }
    let m = batch * plane;
    for c in 0..channels {
        let mut sum = 0.0f64;
        for n in 0..batch {
            for k in 0..plane {
                sum += x[(n * channels + c) * plane + k] as f64;
            }
        }
        let mean = sum / m as f64;
        let mut squares = 0.0f64;
        for n in 0..batch {
            for k in 0..plane {
                let d = x[(n * channels + c) * plane + k] as f64 - mean;
                squares += d * d;
            }
        }
        let var = squares / m as f64;
        save_mean[c] = mean as f32;
        save_invstd[c] = (1.0 / (var + eps as f64).sqrt()) as f32;
        // One value per channel has no spread to estimate: keep the biased variance then.
        let unbiased = if m > 1 { squares / (m - 1) as f64 } else { var };
        running_mean[c] = (1.0 - momentum) * running_mean[c] + momentum * mean as f32;
        running_var[c] = (1.0 - momentum) * running_var[c] + momentum * unbiased as f32;
        for n in 0..batch {
            for k in 0..plane {
                let i = (n * channels + c) * plane + k;
                let xhat = (x[i] - save_mean[c]) * save_invstd[c];
                y[i] = gamma[c] * xhat + beta[c];
            }
        }
    }
}
// ANCHOR_END: batchnorm2d_forward_train

// ANCHOR: batchnorm2d_forward_eval
/// Evaluation mode: normalise each channel with the running statistics.
#[allow(clippy::too_many_arguments)]
pub fn batchnorm2d_forward_eval(x: &[f32], batch: usize, gamma: &[f32], beta: &[f32], running_mean: &[f32], running_var: &[f32], y: &mut [f32], eps: f32) {
    let (channels, plane) = dims("batchnorm2d_forward_eval", x.len(), y.len(), batch, gamma.len());
    for t in [beta.len(), running_mean.len(), running_var.len()] {
        assert_eq!(t, channels, "batchnorm2d_forward_eval: a per-channel slice holds {t} values, gamma {channels}");
    }
    for c in 0..channels {
        let invstd = 1.0 / (running_var[c] + eps).sqrt();
        for n in 0..batch {
            for k in 0..plane {
                let i = (n * channels + c) * plane + k;
                let xhat = (x[i] - running_mean[c]) * invstd;
                y[i] = gamma[c] * xhat + beta[c];
            }
        }
    }
}
// ANCHOR_END: batchnorm2d_forward_eval

// ANCHOR: batchnorm2d_backward
/// dx, dgamma, dbeta ← ∂L/∂x, ∂L/∂γ, ∂L/∂β, from the mean and 1/√(σ² + ε) the training forward
/// pass saved (x̂ is recomputed from them).
#[allow(clippy::too_many_arguments)]
pub fn batchnorm2d_backward(
    x: &[f32],
    batch: usize,
    gamma: &[f32],
    dy: &[f32],
    save_mean: &[f32],
    save_invstd: &[f32],
    dx: &mut [f32],
    dgamma: &mut [f32],
    dbeta: &mut [f32],
) {
    let (channels, plane) = dims("batchnorm2d_backward", x.len(), dy.len(), batch, gamma.len());
    assert_eq!(dx.len(), x.len(), "batchnorm2d_backward: dx holds {} values, x {}", dx.len(), x.len());
    for t in [save_mean.len(), save_invstd.len(), dgamma.len(), dbeta.len()] {
        assert_eq!(t, channels, "batchnorm2d_backward: a per-channel slice holds {t} values, gamma {channels}");
    }
    let m = (batch * plane) as f64;
    for c in 0..channels {
        let (mut sum_dy, mut sum_dy_xhat) = (0.0f64, 0.0f64);
        for n in 0..batch {
            for k in 0..plane {
                let i = (n * channels + c) * plane + k;
                let xhat = (x[i] - save_mean[c]) * save_invstd[c];
                sum_dy += dy[i] as f64;
                sum_dy_xhat += (dy[i] * xhat) as f64;
            }
        }
        dbeta[c] = sum_dy as f32;
        dgamma[c] = sum_dy_xhat as f32;
        let (mean_dy, mean_dy_xhat) = ((sum_dy / m) as f32, (sum_dy_xhat / m) as f32);
        for n in 0..batch {
            for k in 0..plane {
                let i = (n * channels + c) * plane + k;
                let xhat = (x[i] - save_mean[c]) * save_invstd[c];
                dx[i] = gamma[c] * save_invstd[c] * (dy[i] - mean_dy - xhat * mean_dy_xhat);
            }
        }
    }
}
// ANCHOR_END: batchnorm2d_backward

/// (C, H·W) from the slices' lengths: x and y (or dy) hold N·C·H·W values, gamma C. Panics (a
/// programmer error) naming the op when they do not fit.
fn dims(op: &str, x: usize, y: usize, batch: usize, channels: usize) -> (usize, usize) {
    assert!(
        channels > 0 && batch > 0 && x.is_multiple_of(batch * channels) && y == x,
        "{op}: x of {x} values and y (or dy) of {y} do not fit {channels} channels and a batch of {batch}"
    );
    (channels, x / (batch * channels))
}

// ---- the layer: its parameters and running statistics, handed to a backend's kernels -------

pub struct BatchNorm2d<B: Backend> {
    pub gamma: Param<B>,
    pub beta: Param<B>,
    pub running_mean: Buffer<B>,
    pub running_var: Buffer<B>,
    pub eps: f32,
    pub momentum: f32,
    save_mean: B::Tensor,
    save_invstd: B::Tensor,
}

impl<B: Backend> BatchNorm2d<B> {
    pub fn new(b: &B, name: &str, channels: usize, eps: f32, momentum: f32) -> Self {
        let s = Shape(vec![channels]);
        BatchNorm2d {
            gamma: Param::new(b, format!("{name}.weight"), s.clone(), &vec![1.0; channels]),
            beta: Param::new(b, format!("{name}.bias"), s.clone(), &vec![0.0; channels]),
            running_mean: Buffer { name: format!("{name}.running_mean"), shape: s.clone(), value: b.zeros(&s) },
            running_var: Buffer { name: format!("{name}.running_var"), shape: s.clone(), value: b.upload(&s, &vec![1.0; channels]) },
            eps,
            momentum,
            save_mean: b.zeros(&s),
            save_invstd: b.zeros(&s),
        }
    }

    pub fn batchnorm2d_forward(&mut self, b: &B, x: &B::Tensor, y: &mut B::Tensor, train: bool) {
        if train {
            b.batchnorm2d_forward_train(
                x,
                &self.gamma.value,
                &self.beta.value,
                y,
                &mut self.save_mean,
                &mut self.save_invstd,
                &mut self.running_mean.value,
                &mut self.running_var.value,
                self.momentum,
                self.eps,
            );
        } else {
            b.batchnorm2d_forward_eval(x, &self.gamma.value, &self.beta.value, &self.running_mean.value, &self.running_var.value, y, self.eps);
        }
    }

    pub fn batchnorm2d_backward(&mut self, b: &B, x: &B::Tensor, dy: &B::Tensor, dx: &mut B::Tensor) {
        b.batchnorm2d_backward(x, &self.gamma.value, dy, &self.save_mean, &self.save_invstd, dx, &mut self.gamma.grad, &mut self.beta.grad);
    }
}
