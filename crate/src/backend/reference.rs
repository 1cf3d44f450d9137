//! The `Reference` backend: every op of [`Backend`] by calling the plain loops of
//! `crate::layers` on host vectors. It is the specification — the finite-difference checks and
//! the PyTorch values test it, and the agreement tests check the fast backends (`cpu`, `gpu`)
//! against it — and it is slow on purpose: nothing here is optimised, so nothing hides the math.
//!
//! This file only checks tensors' shapes where a kernel needs one of their dimensions (a batch
//! size, a class count) and hands their values over.

use super::{ActKind, Backend, ChannelCopy, ConvGeom, PoolGeom, PoolKind, RegressionLoss, UpdateRule};
use crate::layers::{activation, batchnorm, conv2d, dense, dropout, loss, merge, pool, update};
use crate::tensor::Shape;

/// The reference backend. It holds nothing: one value serves any number of models.
#[derive(Clone, Copy, Debug, Default)]
pub struct Reference;

/// A tensor on the host: its shape and its values, row-major.
#[derive(Clone, Debug, PartialEq)]
pub struct HostTensor {
    pub shape: Shape,
    pub data: Vec<f32>,
}

/// The batch size: a tensor's first dimension (1 for a tensor without dimensions).
fn batch(t: &HostTensor) -> usize {
    t.shape.dims().first().copied().unwrap_or(1)
}

impl Backend for Reference {
    type Tensor = HostTensor;

    fn name(&self) -> String {
        "Reference (plain loops)".into()
    }

    fn zeros(&self, shape: &Shape) -> HostTensor {
        HostTensor { shape: shape.clone(), data: vec![0.0; shape.len()] }
    }

    fn upload(&self, shape: &Shape, data: &[f32]) -> HostTensor {
        assert_eq!(data.len(), shape.len(), "upload: {} values for shape {shape}", data.len());
        HostTensor { shape: shape.clone(), data: data.to_vec() }
    }

    fn write(&self, t: &mut HostTensor, data: &[f32]) {
        assert_eq!(data.len(), t.data.len(), "write: {} values into a tensor of shape {}", data.len(), t.shape);
        t.data.copy_from_slice(data);
    }

    fn read(&self, t: &HostTensor) -> Vec<f32> {
        t.data.clone()
    }

    fn shape(&self, t: &HostTensor) -> Shape {
        t.shape.clone()
    }

    fn copy(&self, src: &HostTensor, dst: &mut HostTensor) {
        assert_eq!(src.data.len(), dst.data.len(), "copy: {} values into a tensor of {}", src.data.len(), dst.data.len());
        dst.data.copy_from_slice(&src.data);
    }

    fn fill(&self, t: &mut HostTensor, value: f32) {
        t.data.fill(value);
    }

    fn add_into(&self, x: &HostTensor, y: &mut HostTensor) {
        merge::add_into(&x.data, &mut y.data);
    }

    fn copy_channels(&self, src: &HostTensor, src_c0: usize, dst: &mut HostTensor, dst_c0: usize, channels: usize) {
        let g = ChannelCopy::new(&src.shape, src_c0, &dst.shape, dst_c0, channels);
        merge::copy_channels(&src.data, &mut dst.data, &g);
    }

    fn conv2d_forward(&self, x: &HostTensor, w: &HostTensor, b: &HostTensor, y: &mut HostTensor, g: &ConvGeom) {
        conv2d::conv2d_forward(&x.data, &w.data, &b.data, &mut y.data, g);
    }

    fn conv2d_backward(&self, x: &HostTensor, w: &HostTensor, dy: &HostTensor, dx: Option<&mut HostTensor>, dw: &mut HostTensor, db: &mut HostTensor, g: &ConvGeom) {
        conv2d::conv2d_backward(&x.data, &w.data, &dy.data, dx.map(|t| &mut t.data[..]), &mut dw.data, &mut db.data, g);
    }

    fn pool2d_forward(&self, kind: PoolKind, x: &HostTensor, y: &mut HostTensor, g: &PoolGeom) {
        pool::pool2d_forward(kind, &x.data, &mut y.data, g);
    }

    fn pool2d_backward(&self, kind: PoolKind, x: &HostTensor, dy: &HostTensor, dx: &mut HostTensor, g: &PoolGeom) {
        pool::pool2d_backward(kind, &x.data, &dy.data, &mut dx.data, g);
    }

    fn dense_forward(&self, x: &HostTensor, w: &HostTensor, b: &HostTensor, y: &mut HostTensor) {
        dense::dense_forward(&x.data, &w.data, &b.data, &mut y.data);
    }

    fn dense_backward(&self, x: &HostTensor, w: &HostTensor, dy: &HostTensor, dx: Option<&mut HostTensor>, dw: &mut HostTensor, db: &mut HostTensor) {
        dense::dense_backward(&x.data, &w.data, &dy.data, dx.map(|t| &mut t.data[..]), &mut dw.data, &mut db.data);
    }

    fn activation_forward(&self, kind: ActKind, x: &HostTensor, y: &mut HostTensor) {
        activation::activation_forward(kind, &x.data, &mut y.data);
    }

    fn activation_backward(&self, kind: ActKind, x: &HostTensor, y: &HostTensor, dy: &HostTensor, dx: &mut HostTensor) {
        activation::activation_backward(kind, &x.data, &y.data, &dy.data, &mut dx.data);
    }

    fn dropout_forward(&self, x: &HostTensor, mask: &mut HostTensor, y: &mut HostTensor, p: f32, key: u32) {
        dropout::dropout_forward(&x.data, &mut mask.data, &mut y.data, p, key);
    }

    fn dropout_backward(&self, dy: &HostTensor, mask: &HostTensor, dx: &mut HostTensor) {
        dropout::dropout_backward(&dy.data, &mask.data, &mut dx.data);
    }

    fn batchnorm2d_forward_train(
        &self,
        x: &HostTensor,
        gamma: &HostTensor,
        beta: &HostTensor,
        y: &mut HostTensor,
        save_mean: &mut HostTensor,
        save_invstd: &mut HostTensor,
        running_mean: &mut HostTensor,
        running_var: &mut HostTensor,
        momentum: f32,
        eps: f32,
    ) {
        batchnorm::batchnorm2d_forward_train(
            &x.data,
            batch(x),
            &gamma.data,
            &beta.data,
            &mut y.data,
            &mut save_mean.data,
            &mut save_invstd.data,
            &mut running_mean.data,
            &mut running_var.data,
            momentum,
            eps,
        );
    }

    fn batchnorm2d_forward_eval(&self, x: &HostTensor, gamma: &HostTensor, beta: &HostTensor, running_mean: &HostTensor, running_var: &HostTensor, y: &mut HostTensor, eps: f32) {
        batchnorm::batchnorm2d_forward_eval(&x.data, batch(x), &gamma.data, &beta.data, &running_mean.data, &running_var.data, &mut y.data, eps);
    }

    fn batchnorm2d_backward(
        &self,
        x: &HostTensor,
        gamma: &HostTensor,
        dy: &HostTensor,
        save_mean: &HostTensor,
        save_invstd: &HostTensor,
        dx: &mut HostTensor,
        dgamma: &mut HostTensor,
        dbeta: &mut HostTensor,
    ) {
        batchnorm::batchnorm2d_backward(&x.data, batch(x), &gamma.data, &dy.data, &save_mean.data, &save_invstd.data, &mut dx.data, &mut dgamma.data, &mut dbeta.data);
    }

    fn softmax_cross_entropy(&self, logits: &HostTensor, labels: &HostTensor, probs: &mut HostTensor, dlogits: &mut HostTensor, metrics: &mut HostTensor) {
        loss::softmax_cross_entropy(&logits.data, &labels.data, &mut probs.data, &mut dlogits.data, &mut metrics.data);
    }

    fn softmax(&self, logits: &HostTensor, probs: &mut HostTensor) {
        loss::softmax(&logits.data, &mut probs.data, logits.shape.per_example());
    }

    fn mse_one_hot(&self, logits: &HostTensor, labels: &HostTensor, dlogits: &mut HostTensor, metrics: &mut HostTensor) {
        loss::mse_one_hot(&logits.data, &labels.data, &mut dlogits.data, &mut metrics.data);
    }

    fn regression_loss_forward(&self, kind: RegressionLoss, pred: &HostTensor, target: &HostTensor, metrics: &mut HostTensor) {
        let (p, t, n, m) = (&pred.data, &target.data, batch(pred), &mut metrics.data);
        match kind {
            RegressionLoss::L1 => loss::l1_forward(p, t, n, m),
            RegressionLoss::Mse => loss::mse_forward(p, t, n, m),
            RegressionLoss::SmoothL1 { beta } => loss::smooth_l1_forward(p, t, beta, n, m),
        }
    }

    fn regression_loss_backward(&self, kind: RegressionLoss, pred: &HostTensor, target: &HostTensor, dpred: &mut HostTensor) {
        let (p, t, d) = (&pred.data, &target.data, &mut dpred.data);
        match kind {
            RegressionLoss::L1 => loss::l1_backward(p, t, d),
            RegressionLoss::Mse => loss::mse_backward(p, t, d),
            RegressionLoss::SmoothL1 { beta } => loss::smooth_l1_backward(p, t, beta, d),
        }
    }

    fn update(&self, rule: UpdateRule, param: &mut HostTensor, grad: &HostTensor, state1: &mut HostTensor, state2: &mut HostTensor) {
        update::update(rule, &mut param.data, &grad.data, &mut state1.data, &mut state2.data);
    }
}
