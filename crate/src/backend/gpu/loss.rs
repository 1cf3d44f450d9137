//! Dispatches of the losses (`shaders/loss.wgsl`): one invocation per example computes its loss
//! (and gradient row), then a single workgroup adds [Σ loss, #correct, N] into the metrics in a
//! fixed order. The softmax alone (a prediction) is one invocation per example too; a regression
//! loss's gradient is one invocation per value.

use super::kernels::Kernel;
use super::record::{f, linear_groups};
use super::tensor::GpuTensor;
use super::Gpu;
use crate::backend::{RegressionLoss, METRICS_LEN};

impl Gpu {
    pub(crate) fn softmax_cross_entropy_op(&self, logits: &GpuTensor, labels: &GpuTensor, probs: &GpuTensor, dlogits: &GpuTensor, metrics: &GpuTensor) {
        let n = labels.len();
        assert!(n > 0 && logits.len().is_multiple_of(n), "softmax_cross_entropy: logits {} for {n} labels", logits.shape);
        assert!(probs.len() == logits.len() && dlogits.len() == logits.len(), "softmax_cross_entropy: logits {}, probs {}, dlogits {}", logits.shape, probs.shape, dlogits.shape);
        assert_eq!(metrics.len(), METRICS_LEN, "softmax_cross_entropy: metrics {}", metrics.shape);
        let k = logits.len() / n;
        let rows = self.scratch("loss rows", 2 * n);
        // 1/N in f32, as the CPU computes it.
        let p = [n as u32, k as u32, f(1.0 / n as f32)];
        self.dispatch(Kernel::SoftmaxCrossEntropy, &p, &[&logits.buf, &labels.buf, &probs.buf, &dlogits.buf, &rows], linear_groups(n));
        self.dispatch(Kernel::AddMetrics, &p, &[&rows, &metrics.buf], [1, 1, 1]);
    }

    pub(crate) fn softmax_op(&self, logits: &GpuTensor, probs: &GpuTensor) {
        assert_eq!(probs.len(), logits.len(), "softmax: logits {}, probs {}", logits.shape, probs.shape);
        let (n, k) = (logits.shape.batch(), logits.shape.per_example());
        assert!(k > 0, "softmax: logits {} have no classes", logits.shape);
        let p = [n as u32, k as u32, f(0.0)];
        self.dispatch(Kernel::Softmax, &p, &[&logits.buf, &probs.buf], linear_groups(n));
    }

    pub(crate) fn mse_one_hot_op(&self, logits: &GpuTensor, labels: &GpuTensor, dlogits: &GpuTensor, metrics: &GpuTensor) {
        let n = labels.len();
        assert!(n > 0 && logits.len().is_multiple_of(n), "mse_one_hot: logits {} for {n} labels", logits.shape);
        assert_eq!(dlogits.len(), logits.len(), "mse_one_hot: logits {}, dlogits {}", logits.shape, dlogits.shape);
        assert_eq!(metrics.len(), METRICS_LEN, "mse_one_hot: metrics {}", metrics.shape);
        let k = logits.len() / n;
        let rows = self.scratch("loss rows", 2 * n);
        // 2/(N·K) in f32, as the CPU computes it.
        let p = [n as u32, k as u32, f(2.0 / logits.len() as f32)];
        self.dispatch(Kernel::MseOneHot, &p, &[&logits.buf, &labels.buf, &dlogits.buf, &rows], linear_groups(n));
        self.dispatch(Kernel::AddMetrics, &p, &[&rows, &metrics.buf], [1, 1, 1]);
    }

    pub(crate) fn regression_loss_forward_op(&self, kind: RegressionLoss, pred: &GpuTensor, target: &GpuTensor, metrics: &GpuTensor) {
        let (n, per) = check_regression(kind, pred, target);
        assert_eq!(metrics.len(), METRICS_LEN, "{kind:?}: metrics {}", metrics.shape);
        let rows = self.scratch("loss rows", 2 * n);
        let (code, beta) = regression_code(kind);
        let p = [n as u32, per as u32, f(0.0), code, f(beta)];
        self.dispatch(Kernel::RegressionForward, &p, &[&pred.buf, &target.buf, &rows], linear_groups(n));
        self.dispatch(Kernel::AddMetrics, &p, &[&rows, &metrics.buf], [1, 1, 1]);
    }

    pub(crate) fn regression_loss_backward_op(&self, kind: RegressionLoss, pred: &GpuTensor, target: &GpuTensor, dpred: &GpuTensor) {
        check_regression(kind, pred, target);
        assert_eq!(dpred.len(), pred.len(), "{kind:?}: pred {}, dpred {}", pred.shape, dpred.shape);
        let len = pred.len();
        let (code, beta) = regression_code(kind);
        // 1/(N·P) in f32, as the CPU computes it.
        let p = [len as u32, 0, f(1.0 / len as f32), code, f(beta)];
        self.dispatch(Kernel::RegressionBackward, &p, &[&pred.buf, &target.buf, &dpred.buf], linear_groups(len));
    }
}

/// Checks a regression loss's arguments; (N, P): the examples and the values per example.
fn check_regression(kind: RegressionLoss, pred: &GpuTensor, target: &GpuTensor) -> (usize, usize) {
    assert_eq!(pred.len(), target.len(), "{kind:?}: pred {}, target {}", pred.shape, target.shape);
    let n = pred.shape.dims().first().copied().unwrap_or(1);
    assert!(n > 0 && pred.len().is_multiple_of(n), "{kind:?}: pred {} for a batch of {n}", pred.shape);
    if let RegressionLoss::SmoothL1 { beta } = kind {
        assert!(beta.is_finite() && beta > 0.0, "smooth L1: beta {beta} must be a positive number");
    }
    (n, pred.len() / n)
}

/// The shader's code for the loss (`LOSS_*` in loss.wgsl) and its β (only smooth L1 has one).
fn regression_code(kind: RegressionLoss) -> (u32, f32) {
    match kind {
        RegressionLoss::L1 => (0, 0.0),
        RegressionLoss::Mse => (1, 0.0),
        RegressionLoss::SmoothL1 { beta } => (2, beta),
    }
}
