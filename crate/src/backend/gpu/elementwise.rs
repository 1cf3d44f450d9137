//! Dispatches of the element-wise family (`shaders/elementwise.wgsl`): fill, copy, activations
//! and dropout. One invocation per value.

use super::kernels::Kernel;
use super::record::{f, linear_groups};
use super::tensor::GpuTensor;
use super::Gpu;
use crate::backend::ActKind;

fn check_len(op: &str, a: &GpuTensor, b: &GpuTensor) {
    assert_eq!(a.len(), b.len(), "{op}: tensors of shape {} and {} hold different numbers of values", a.shape, b.shape);
}

/// The shader's activation code and its slope (only LeakyRelu has one).
fn act_code(kind: ActKind) -> (u32, f32) {
    match kind {
        ActKind::Sigmoid => (0, 0.0),
        ActKind::Tanh => (1, 0.0),
        ActKind::Relu => (2, 0.0),
        ActKind::LeakyRelu { slope } => (3, slope),
    }
}

impl Gpu {
    pub(crate) fn fill_op(&self, t: &GpuTensor, value: f32) {
        let len = t.len();
        self.dispatch(Kernel::Fill, &[len as u32, 0, 0, f(value)], &[&t.buf], linear_groups(len));
    }

    pub(crate) fn copy_op(&self, src: &GpuTensor, dst: &GpuTensor) {
        check_len("copy", src, dst);
        self.copy_buffer(&src.buf, &dst.buf, (src.len() * 4) as u64);
    }

    pub(crate) fn activation_forward_op(&self, kind: ActKind, x: &GpuTensor, y: &GpuTensor) {
        check_len("activation_forward", x, y);
        let (code, slope) = act_code(kind);
        let len = x.len();
        self.dispatch(Kernel::ActivationForward, &[len as u32, code, 0, f(slope)], &[&x.buf, &y.buf], linear_groups(len));
    }

    pub(crate) fn activation_backward_op(&self, kind: ActKind, x: &GpuTensor, y: &GpuTensor, dy: &GpuTensor, dx: &GpuTensor) {
        check_len("activation_backward", x, dx);
        check_len("activation_backward", y, dx);
        check_len("activation_backward", dy, dx);
        let (code, slope) = act_code(kind);
        let len = x.len();
        self.dispatch(Kernel::ActivationBackward, &[len as u32, code, 0, f(slope)], &[&x.buf, &y.buf, &dy.buf, &dx.buf], linear_groups(len));
    }

    pub(crate) fn dropout_forward_op(&self, x: &GpuTensor, mask: &GpuTensor, y: &GpuTensor, p: f32, key: u32) {
        check_len("dropout_forward", x, mask);
        check_len("dropout_forward", x, y);
        assert!((0.0..=1.0).contains(&p), "dropout_forward: p = {p} is not a probability");
        // As the CPU: p = 1 drops everything, and the unused scale avoids 1/0.
        let scale = if p < 1.0 { 1.0 / (1.0 - p) } else { 0.0 };
        let len = x.len();
        self.dispatch(Kernel::DropoutForward, &[len as u32, 0, key, f(p), f(scale)], &[&x.buf, &mask.buf, &y.buf], linear_groups(len));
    }

    pub(crate) fn dropout_backward_op(&self, dy: &GpuTensor, mask: &GpuTensor, dx: &GpuTensor) {
        check_len("dropout_backward", dy, mask);
        check_len("dropout_backward", dy, dx);
        let len = dy.len();
        self.dispatch(Kernel::DropoutBackward, &[len as u32], &[&dy.buf, &mask.buf, &dx.buf], linear_groups(len));
    }
}
