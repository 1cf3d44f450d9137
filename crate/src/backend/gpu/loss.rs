//! Dispatches of the losses (`shaders/loss.wgsl`): one invocation per example computes its loss
//! and gradient row, then a single workgroup adds [Σ loss, #correct, N] into the metrics in a
//! fixed order. The softmax alone (a prediction) is one invocation per example too.

use super::kernels::Kernel;
use super::record::{f, linear_groups};
use super::tensor::GpuTensor;
use super::Gpu;
use crate::backend::METRICS_LEN;

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

    pub(crate) fn mse_op(&self, pred: &GpuTensor, target: &GpuTensor, dpred: &GpuTensor, metrics: &GpuTensor) {
        assert!(pred.len() == target.len() && pred.len() == dpred.len(), "mse: pred {}, target {}, dpred {}", pred.shape, target.shape, dpred.shape);
        let n = pred.shape.dims().first().copied().unwrap_or(1);
        assert!(n > 0 && pred.len().is_multiple_of(n), "mse: pred {} for a batch of {n}", pred.shape);
        assert_eq!(metrics.len(), METRICS_LEN, "mse: metrics {}", metrics.shape);
        let per = pred.len() / n;
        let rows = self.scratch("loss rows", 2 * n);
        let p = [n as u32, per as u32, f(2.0 / pred.len() as f32)];
        self.dispatch(Kernel::Mse, &p, &[&pred.buf, &target.buf, &dpred.buf, &rows], linear_groups(n));
        self.dispatch(Kernel::AddMetrics, &p, &[&rows, &metrics.buf], [1, 1, 1]);
    }
}
