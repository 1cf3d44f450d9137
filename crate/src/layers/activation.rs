//! Element-wise activations, the reference: plain loops, forward and backward side by side.
//!
//! Shapes: x, y, dy, dx all hold the same values, any shape (an activation acts on each alone).
//!
//!   sigmoid σ(x) = 1/(1+e^−x)        σ' = σ(1−σ) = y(1−y)   (≤ 1/4: gradients shrink layer by layer)
//!   tanh(x)                           tanh' = 1 − tanh² = 1 − y²
//!   relu(x) = max(0, x)               relu' = [x > 0]
//!   leaky(x) = x if x > 0 else αx     leaky' = 1 or α
//!
//! The sigmoid's and tanh's derivatives are written with y, the output the forward pass kept;
//! the ReLUs' with x (whose sign decides). At x = 0 exactly the ReLUs take the slope of the
//! negative side, as PyTorch does.

use crate::backend::{ActKind, Backend};

// ANCHOR: activation_forward
/// y ← h(x), value by value.
pub fn activation_forward(kind: ActKind, x: &[f32], y: &mut [f32]) {
    assert_eq!(x.len(), y.len(), "activation_forward: x holds {} values, y {}", x.len(), y.len());
    for i in 0..x.len() {
        y[i] = match kind {
            ActKind::Sigmoid => 1.0 / (1.0 + (-x[i]).exp()),
            ActKind::Tanh => x[i].tanh(),
            ActKind::Relu => {
                if x[i] > 0.0 {
                    x[i]
                } else {
                    0.0
                }
            }
            ActKind::LeakyRelu { slope } => {
                if x[i] > 0.0 {
                    x[i]
                } else {
                    slope * x[i]
                }
            }
        };
    }
}
// ANCHOR_END: activation_forward

// ANCHOR: activation_backward
/// dx ← dy · h'(x), value by value (the chain rule through an element-wise function).
pub fn activation_backward(kind: ActKind, x: &[f32], y: &[f32], dy: &[f32], dx: &mut [f32]) {
    assert!(
        x.len() == dx.len() && y.len() == dx.len() && dy.len() == dx.len(),
        "activation_backward: x, y, dy, dx hold {}, {}, {}, {} values",
        x.len(),
        y.len(),
        dy.len(),
        dx.len()
    );
    for i in 0..dx.len() {
        let slope = match kind {
            ActKind::Sigmoid => y[i] * (1.0 - y[i]),
            ActKind::Tanh => 1.0 - y[i] * y[i],
            ActKind::Relu => {
                if x[i] > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            ActKind::LeakyRelu { slope } => {
                if x[i] > 0.0 {
                    1.0
                } else {
                    slope
                }
            }
        };
        dx[i] = dy[i] * slope;
    }
}
// ANCHOR_END: activation_backward

// ---- the layer: which activation, handed to a backend's kernels -----------------------------

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
