//! Dispatches of batch normalisation (`shaders/batchnorm.wgsl`): x, y (N, C, P) with P = H·W
//! (or 1), the per-channel tensors (C). Per-channel sums run one workgroup per channel; the
//! element-wise passes one invocation per value.

use super::kernels::Kernel;
use super::record::{f, linear_groups};
use super::tensor::GpuTensor;
use super::Gpu;

/// (N, C, P) from x's shape and the channel count; panics with the shapes when they disagree.
fn dims(op: &str, x: &GpuTensor, gamma: &GpuTensor, others: &[&GpuTensor]) -> (usize, usize, usize) {
    let c = gamma.len();
    let n = x.shape.dims().first().copied().unwrap_or(1);
    assert!(c > 0 && n > 0 && x.len() % (c * n) == 0, "batchnorm2d {op}: x {} does not fit {c} channels", x.shape);
    for t in others {
        assert_eq!(t.len(), c, "batchnorm2d {op}: a per-channel tensor {} for {c} channels", t.shape);
    }
    (n, c, x.len() / (c * n))
}

fn params(x: &GpuTensor, n: usize, c: usize, p: usize, momentum: f32, eps: f32) -> [u32; 6] {
    [x.len() as u32, n as u32, c as u32, p as u32, f(momentum), f(eps)]
}

impl Gpu {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn batchnorm2d_forward_train_op(
        &self,
        x: &GpuTensor,
        gamma: &GpuTensor,
        beta: &GpuTensor,
        y: &GpuTensor,
        save_mean: &GpuTensor,
        save_invstd: &GpuTensor,
        running_mean: &GpuTensor,
        running_var: &GpuTensor,
        momentum: f32,
        eps: f32,
    ) {
        let (n, c, p) = dims("forward_train", x, gamma, &[beta, save_mean, save_invstd, running_mean, running_var]);
        assert_eq!(y.len(), x.len(), "batchnorm2d forward_train: y {} for x {}", y.shape, x.shape);
        let pr = params(x, n, c, p, momentum, eps);
        self.dispatch(Kernel::BatchStats, &pr, &[&x.buf, &save_mean.buf, &save_invstd.buf, &running_mean.buf, &running_var.buf], [c as u32, 1, 1]);
        self.dispatch(Kernel::Normalize, &pr, &[&x.buf, &gamma.buf, &beta.buf, &save_mean.buf, &save_invstd.buf, &y.buf], linear_groups(x.len()));
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn batchnorm2d_forward_eval_op(
        &self,
        x: &GpuTensor,
        gamma: &GpuTensor,
        beta: &GpuTensor,
        running_mean: &GpuTensor,
        running_var: &GpuTensor,
        y: &GpuTensor,
        eps: f32,
    ) {
        let (n, c, p) = dims("forward_eval", x, gamma, &[beta, running_mean, running_var]);
        assert_eq!(y.len(), x.len(), "batchnorm2d forward_eval: y {} for x {}", y.shape, x.shape);
        let pr = params(x, n, c, p, 0.0, eps);
        self.dispatch(Kernel::NormalizeEval, &pr, &[&x.buf, &gamma.buf, &beta.buf, &running_mean.buf, &running_var.buf, &y.buf], linear_groups(x.len()));
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn batchnorm2d_backward_op(
        &self,
        x: &GpuTensor,
        gamma: &GpuTensor,
        dy: &GpuTensor,
        save_mean: &GpuTensor,
        save_invstd: &GpuTensor,
        dx: &GpuTensor,
        dgamma: &GpuTensor,
        dbeta: &GpuTensor,
    ) {
        let (n, c, p) = dims("backward", x, gamma, &[save_mean, save_invstd, dgamma, dbeta]);
        assert!(dy.len() == x.len() && dx.len() == x.len(), "batchnorm2d backward: x {}, dy {}, dx {}", x.shape, dy.shape, dx.shape);
        let pr = params(x, n, c, p, 0.0, 0.0);
        self.dispatch(Kernel::BatchNormBackwardStats, &pr, &[&x.buf, &dy.buf, &save_mean.buf, &save_invstd.buf, &dgamma.buf, &dbeta.buf], [c as u32, 1, 1]);
        self.dispatch(
            Kernel::BatchNormBackwardData,
            &pr,
            &[&x.buf, &gamma.buf, &dy.buf, &save_mean.buf, &save_invstd.buf, &dgamma.buf, &dbeta.buf, &dx.buf],
            linear_groups(x.len()),
        );
    }
}
