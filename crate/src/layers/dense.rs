//! Dense (fully connected), the reference: plain loops, forward and backward side by side.
//!
//! Shapes (N batch, I inputs, O outputs):
//!   x  (N, I)     w  (O, I), as PyTorch stores it     b  (O)     y  (N, O)
//!   dy, dx, dw, db: shaped like y, x, w, b
//!
//!   y[n,o] = b[o] + Σ_k w[o,k] · x[n,k]          (y = x·wᵀ + b)
//!   db[o]   = Σ_n dy[n,o]
//!   dw[o,k] = Σ_n dy[n,o] · x[n,k]                (dw = dyᵀ·x)
//!   dx[n,k] = Σ_o dy[n,o] · w[o,k]                (dx = dy·w)

use super::Param;
use crate::backend::Backend;

// ANCHOR: dense_forward
/// y ← x·wᵀ + b: every output unit o of every example n is its bias plus a weighted sum of the
/// inputs k.
pub fn dense_forward(x: &[f32], w: &[f32], b: &[f32], y: &mut [f32]) {
    let (batch, inputs, outputs) = dims("dense_forward", x.len(), w.len(), b.len(), y.len());
    for n in 0..batch {
        for o in 0..outputs {
            let mut sum = b[o];
            for k in 0..inputs {
                sum += w[o * inputs + k] * x[n * inputs + k];
            }
            y[n * outputs + o] = sum;
        }
    }
}
// ANCHOR_END: dense_forward

// ANCHOR: dense_backward
/// db, dw ← ∂L/∂b, ∂L/∂w; dx ← ∂L/∂x when asked. Each term w[o,k]·x[n,k] of the forward sum
/// sends dy[n,o]·x[n,k] to its weight and dy[n,o]·w[o,k] to its input.
pub fn dense_backward(x: &[f32], w: &[f32], dy: &[f32], mut dx: Option<&mut [f32]>, dw: &mut [f32], db: &mut [f32]) {
    let (batch, inputs, outputs) = dims("dense_backward", x.len(), w.len(), db.len(), dy.len());
    assert_eq!(dw.len(), w.len(), "dense_backward: dw holds {} values, w {}", dw.len(), w.len());
    db.fill(0.0);
    dw.fill(0.0);
    if let Some(dx) = dx.as_deref_mut() {
        assert_eq!(dx.len(), x.len(), "dense_backward: dx holds {} values, x {}", dx.len(), x.len());
        dx.fill(0.0);
    }
    for n in 0..batch {
        for o in 0..outputs {
            let d = dy[n * outputs + o];
            db[o] += d;
            for k in 0..inputs {
                dw[o * inputs + k] += d * x[n * inputs + k];
                if let Some(dx) = dx.as_deref_mut() {
                    dx[n * inputs + k] += d * w[o * inputs + k];
                }
            }
        }
    }
}
// ANCHOR_END: dense_backward

/// (N, I, O) from the slices' lengths; panics (a programmer error) naming the op when they are
/// not (N, I), (O, I), (O), (N, O).
fn dims(op: &str, x: usize, w: usize, b: usize, y: usize) -> (usize, usize, usize) {
    let outputs = b;
    let inputs = w.checked_div(outputs).unwrap_or(0);
    let batch = x.checked_div(inputs).unwrap_or(0);
    assert!(
        outputs > 0 && inputs > 0 && inputs * outputs == w && batch * inputs == x && batch * outputs == y,
        "{op}: x of {x} values, w of {w}, b of {b} and y of {y} are not (N, I), (O, I), (O), (N, O)"
    );
    (batch, inputs, outputs)
}

// ---- the layer: its parameters, handed to a backend's kernels -----------------------------

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
