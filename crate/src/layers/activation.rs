//! Element-wise activations and their derivatives:
//!
//!   sigmoid σ(x) = 1/(1+e^−x)        σ' = σ(1−σ)        (≤ 1/4: gradients shrink layer by layer)
//!   tanh(x)                           tanh' = 1 − tanh²
//!   relu(x) = max(0, x)               relu' = [x > 0]
//!   leaky(x) = x if x > 0 else αx     leaky' = 1 or α

use crate::backend::{ActKind, Backend};

#[derive(Clone, Copy, Debug)]
pub struct Activation {
    pub kind: ActKind,
}

impl Activation {
    pub fn activation_forward<B: Backend>(&self, b: &B, x: &B::Tensor, y: &mut B::Tensor) {
        b.activation_forward(self.kind, x, y);
    }

    pub fn activation_backward<B: Backend>(&self, b: &B, x: &B::Tensor, y: &B::Tensor, dy: &B::Tensor, dx: &mut B::Tensor) {
        b.activation_backward(self.kind, x, y, dy, dx);
    }
}
