//! Batch normalisation over the channels of an image batch (Ioffe & Szegedy 2015).
//! For each channel c, over all (n, h, w):
//!
//!   x̂ = (x − μ_B)/√(σ²_B + ε),   y = γ·x̂ + β
//!
//! Training uses the batch's μ_B, σ²_B and updates running averages; evaluation uses the running
//! averages. Backward (with m = N·H·W):
//!   dγ = Σ dy·x̂,  dβ = Σ dy,  dx = γ/√(σ²+ε) · (dy − mean(dy) − x̂·mean(dy·x̂))

use super::{Buffer, Param};
use crate::backend::Backend;
use crate::tensor::Shape;

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
    pub fn new(b: &B, index: usize, channels: usize, eps: f32, momentum: f32) -> Self {
        let s = Shape(vec![channels]);
        BatchNorm2d {
            gamma: Param::new(b, format!("{index}.weight"), s.clone(), &vec![1.0; channels]),
            beta: Param::new(b, format!("{index}.bias"), s.clone(), &vec![0.0; channels]),
            running_mean: Buffer { name: format!("{index}.running_mean"), shape: s.clone(), value: b.zeros(&s) },
            running_var: Buffer { name: format!("{index}.running_var"), shape: s.clone(), value: b.upload(&s, &vec![1.0; channels]) },
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
