//! Inverted dropout: in training each unit is kept with probability 1−p and scaled by 1/(1−p),
//! so evaluation needs no rescaling and is the identity. The mask comes from a counter-based hash
//! of (key, element index), so CPU and GPU draw the same mask for the same seed and step.

use crate::backend::Backend;

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
