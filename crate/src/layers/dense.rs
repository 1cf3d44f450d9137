//! Dense (fully connected). x (N, I), weight (O, I) as PyTorch stores it, bias (O), y (N, O):
//!
//!   y = x·wᵀ + b
//!
//! Backward: dx = dy·w, dw = dyᵀ·x, db = Σ_n dy.

use super::Param;
use crate::backend::Backend;

pub struct Dense<B: Backend> {
    pub weight: Param<B>,
    pub bias: Param<B>,
    pub inputs: usize,
    pub outputs: usize,
}

impl<B: Backend> Dense<B> {
    pub fn dense_forward(&self, b: &B, x: &B::Tensor, y: &mut B::Tensor) {
        b.dense_forward(x, &self.weight.value, &self.bias.value, y);
    }

    pub fn dense_backward(&mut self, b: &B, x: &B::Tensor, dy: &B::Tensor, dx: Option<&mut B::Tensor>) {
        b.dense_backward(x, &self.weight.value, dy, dx, &mut self.weight.grad, &mut self.bias.grad);
    }
}
