//! One file per layer family, forward and backward side by side. A layer only describes the math
//! and its parameters; the arithmetic is the backend's kernels.
//!
//! Legend: N batch, C channels, H height, W width, F kernel size; `x` the layer's input, `y` its
//! output, `dy` = ∂L/∂y arriving from above, `dx` = ∂L/∂x passed below.

pub mod activation;
pub mod batchnorm;
pub mod conv2d;
pub mod dense;
pub mod dropout;
pub mod pool;

use crate::backend::Backend;
use crate::tensor::Shape;

/// A learnable tensor with its gradient and optimizer state. `name` follows PyTorch's
/// `nn.Sequential` state-dict naming (`"0.weight"`, `"3.bias"`), so exported weights load there.
pub struct Param<B: Backend> {
    pub name: String,
    pub shape: Shape,
    pub value: B::Tensor,
    pub grad: B::Tensor,
    /// Momentum's velocity, or Adam's first moment.
    pub state1: B::Tensor,
    /// Adam's second moment.
    pub state2: B::Tensor,
}

impl<B: Backend> Param<B> {
    pub fn new(b: &B, name: String, shape: Shape, value: &[f32]) -> Self {
        Param {
            name,
            value: b.upload(&shape, value),
            grad: b.zeros(&shape),
            state1: b.zeros(&shape),
            state2: b.zeros(&shape),
            shape,
        }
    }

    /// Forget the optimizer's memory (a new run, or a new optimizer).
    pub fn reset_state(&mut self, b: &B) {
        b.fill(&mut self.state1, 0.0);
        b.fill(&mut self.state2, 0.0);
    }
}

/// A non-learnable tensor saved with the model (batch norm's running statistics).
pub struct Buffer<B: Backend> {
    pub name: String,
    pub shape: Shape,
    pub value: B::Tensor,
}
