//! The reference: one file per layer family, its arithmetic written as plain loops over slices,
//! forward and backward side by side (`conv2d_forward` / `conv2d_backward`), llm.c style — no
//! SIMD, no threads, no `cfg`, no matrix library. This is what a student reads, and the
//! specification: the `Reference` backend (`backend/reference.rs`) runs these functions, and the
//! fast backends (`backend/cpu`, `backend/gpu`) are checked against it by the agreement tests
//! (`crate/tests/agreement`). Each function is marked `// ANCHOR: name` … `// ANCHOR_END: name`
//! so that the page can show its source.
//!
//! After the functions, each file keeps its layer: the parameters (`Param`) and settings a model
//! (`model/sequential.rs`) holds, and the calls into whichever backend it runs on.
//!
//! Legend: N batch, C channels, H height, W width, F kernel size; `x` the layer's input, `y` its
//! output, `dy` = ∂L/∂y arriving from above, `dx` = ∂L/∂x passed below; `dw`, `db` the weights'
//! and biases' gradients.

pub mod activation;
pub mod batchnorm;
pub mod conv2d;
pub mod dense;
pub mod dropout;
pub mod loss;
pub mod pool;
pub mod update;

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
