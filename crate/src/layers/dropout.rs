//! Inverted dropout, the reference: plain loops, forward and backward side by side.
//!
//! Shapes: x, mask, y, dy, dx all hold the same values, any shape.
//!
//! In training each unit is kept with probability 1−p and scaled by 1/(1−p), so evaluation needs
//! no rescaling and is the identity:
//!   mask[i] = 1/(1−p) if hash_uniform(key, i) ≥ p, else 0;   y = x·mask;   dx = dy·mask
//! The draw comes from a counter-based hash of (key, element index) (`rng::hash_uniform`), not
//! from a stream of random numbers, so every backend draws the same mask for the same seed and
//! step, whatever order it visits the elements in.

use crate::backend::Backend;
use crate::rng::hash_uniform;

// ANCHOR: dropout_forward
/// mask ← 1/(1−p) where the unit is kept, 0 where it is dropped;  y ← x·mask.
pub fn dropout_forward(x: &[f32], mask: &mut [f32], y: &mut [f32], p: f32, key: u32) {
    assert!(x.len() == mask.len() && x.len() == y.len(), "dropout_forward: x, mask, y hold {}, {}, {} values", x.len(), mask.len(), y.len());
    assert!((0.0..=1.0).contains(&p), "dropout_forward: p = {p} is not a probability");
    // p = 1 drops every unit (hash_uniform is always below 1): no 1/0 for a scale never used.
    let scale = if p < 1.0 { 1.0 / (1.0 - p) } else { 0.0 };
    for i in 0..x.len() {
        mask[i] = if hash_uniform(key, i as u32) >= p { scale } else { 0.0 };
        y[i] = x[i] * mask[i];
    }
}
// ANCHOR_END: dropout_forward

// ANCHOR: dropout_backward
/// dx ← dy·mask: a dropped unit passes no gradient back, a kept one passes it scaled.
pub fn dropout_backward(dy: &[f32], mask: &[f32], dx: &mut [f32]) {
    assert!(dy.len() == mask.len() && dy.len() == dx.len(), "dropout_backward: dy, mask, dx hold {}, {}, {} values", dy.len(), mask.len(), dx.len());
    for i in 0..dx.len() {
        dx[i] = dy[i] * mask[i];
    }
}
// ANCHOR_END: dropout_backward

// ---- the layer: its rate and its mask, handed to a backend's kernels ------------------------

pub struct Dropout<B: Backend> {
    pub p: f32,
    /// 1/(1−p) where kept, 0 where dropped; reallocated when the batch size changes.
    pub mask: Option<B::Tensor>,
}

impl<B: Backend> Dropout<B> {
    pub fn dropout_forward(&mut self, b: &B, x: &B::Tensor, y: &mut B::Tensor, key: u32) {
        let shape = b.shape(x);
        let stale = self.mask.as_ref().map(|m| b.shape(m) != shape).unwrap_or(true);
        if stale {
            self.mask = Some(b.zeros(&shape));
        }
        let mask = self.mask.as_mut().expect("allocated above");
        b.dropout_forward(x, mask, y, self.p, key);
    }

    pub fn dropout_backward(&self, b: &B, dy: &B::Tensor, dx: &mut B::Tensor) {
        let mask = self.mask.as_ref().expect("dropout_backward before a training forward pass");
        b.dropout_backward(dy, mask, dx);
    }
}
