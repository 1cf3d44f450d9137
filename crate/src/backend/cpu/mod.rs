//! The fast CPU backend: every op of [`Backend`] on `ndarray` tensors in standard (row-major,
//! NCHW) layout. The specification is the reference (`crate::layers`, run by `Reference`); the
//! agreement tests (crate/tests/agreement) check every op here against it, natively and in the
//! browser. The files beside this one hold one op family each, written on plain slices, and this
//! file only checks tensors and hands their data over.
//!
//! Speed without obscuring the math: convolutions and dense layers are matrix products
//! (im2col + the `gemm` crate; in the browser, small stride-1 convolutions run the direct
//! kernels of `direct.rs` instead), element-wise loops are written so that they vectorise, scratch
//! memory is kept between calls (a training step allocates nothing), and natively a batch is
//! split into a fixed number of chunks over the cores (see `par`), so results never depend on
//! the thread count.

mod batchnorm;
mod conv;
mod dense;
// The browser's convolution path; natively only its tests run it.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod direct;
mod elementwise;
mod gemm;
mod loss;
mod merge;
mod optim;
mod par;
mod pool;
mod simd;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod small_gemm;

pub use elementwise::{exp_approx, sigmoid, tanh};

use std::sync::Mutex;

use ndarray::{ArrayD, IxDyn};

use super::{ActKind, Backend, ChannelCopy, ConvGeom, PoolGeom, PoolKind, RegressionLoss, UpdateRule};
use crate::tensor::Shape;

/// The CPU backend. It holds only reusable scratch memory, so it is cheap to create; one value
/// can serve any number of models.
pub struct Cpu {
    /// im2col buffers and per-chunk partial gradients of the convolutions.
    conv_scratch: Mutex<Vec<conv::ConvScratch>>,
}

impl Cpu {
    pub fn new() -> Self {
        Cpu { conv_scratch: Mutex::new(Vec::new()) }
    }

    fn conv_scratch(&self) -> std::sync::MutexGuard<'_, Vec<conv::ConvScratch>> {
        // The scratch holds no invariant a panic could break: recover it after one.
        self.conv_scratch.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Default for Cpu {
    fn default() -> Self {
        Cpu::new()
    }
}

/// A tensor's values; our tensors are always created in standard layout.
fn data(t: &ArrayD<f32>) -> &[f32] {
    t.as_slice().expect("cpu: tensors are contiguous and row-major")
}

fn data_mut(t: &mut ArrayD<f32>) -> &mut [f32] {
    t.as_slice_mut().expect("cpu: tensors are contiguous and row-major")
}

/// The batch size: a tensor's first dimension.
fn batch(t: &ArrayD<f32>) -> usize {
    t.shape().first().copied().unwrap_or(1)
}

impl Backend for Cpu {
    type Tensor = ArrayD<f32>;

    fn name(&self) -> String {
        "CPU (ndarray)".into()
    }

    fn zeros(&self, shape: &Shape) -> ArrayD<f32> {
        ArrayD::zeros(IxDyn(shape.dims()))
    }

    fn upload(&self, shape: &Shape, values: &[f32]) -> ArrayD<f32> {
        assert_eq!(values.len(), shape.len(), "upload: {} values for shape {shape}", values.len());
        ArrayD::from_shape_vec(IxDyn(shape.dims()), values.to_vec()).expect("upload: length checked above")
    }

    fn write(&self, t: &mut ArrayD<f32>, values: &[f32]) {
        let d = data_mut(t);
        assert_eq!(d.len(), values.len(), "write: {} values into a tensor of {}", values.len(), d.len());
        d.copy_from_slice(values);
    }

    fn read(&self, t: &ArrayD<f32>) -> Vec<f32> {
        data(t).to_vec()
    }

    fn shape(&self, t: &ArrayD<f32>) -> Shape {
        Shape(t.shape().to_vec())
    }

    fn copy(&self, src: &ArrayD<f32>, dst: &mut ArrayD<f32>) {
        let (s, d) = (data(src), data_mut(dst));
        assert_eq!(s.len(), d.len(), "copy: {} values into a tensor of {}", s.len(), d.len());
        d.copy_from_slice(s);
    }

    fn fill(&self, t: &mut ArrayD<f32>, value: f32) {
        data_mut(t).fill(value);
    }

    fn add_into(&self, x: &ArrayD<f32>, y: &mut ArrayD<f32>) {
        merge::add_into(data(x), data_mut(y));
    }

    fn copy_channels(&self, src: &ArrayD<f32>, src_c0: usize, dst: &mut ArrayD<f32>, dst_c0: usize, channels: usize) {
        let g = ChannelCopy::new(&Shape(src.shape().to_vec()), src_c0, &Shape(dst.shape().to_vec()), dst_c0, channels);
        merge::copy_channels(data(src), data_mut(dst), &g);
    }

    fn conv2d_forward(&self, x: &ArrayD<f32>, w: &ArrayD<f32>, b: &ArrayD<f32>, y: &mut ArrayD<f32>, g: &ConvGeom) {
        conv::conv2d_forward(data(x), data(w), data(b), data_mut(y), g, &mut self.conv_scratch());
    }

    fn conv2d_backward(
        &self,
        x: &ArrayD<f32>,
        w: &ArrayD<f32>,
        dy: &ArrayD<f32>,
        dx: Option<&mut ArrayD<f32>>,
        dw: &mut ArrayD<f32>,
        db: &mut ArrayD<f32>,
        g: &ConvGeom,
    ) {
        conv::conv2d_backward(data(x), data(w), data(dy), dx.map(data_mut), data_mut(dw), data_mut(db), g, &mut self.conv_scratch());
    }

    fn pool2d_forward(&self, kind: PoolKind, x: &ArrayD<f32>, y: &mut ArrayD<f32>, g: &PoolGeom) {
        pool::pool2d_forward(kind, data(x), data_mut(y), g);
    }

    fn pool2d_backward(&self, kind: PoolKind, x: &ArrayD<f32>, dy: &ArrayD<f32>, dx: &mut ArrayD<f32>, g: &PoolGeom) {
        pool::pool2d_backward(kind, data(x), data(dy), data_mut(dx), g);
    }

    fn dense_forward(&self, x: &ArrayD<f32>, w: &ArrayD<f32>, b: &ArrayD<f32>, y: &mut ArrayD<f32>) {
        dense::dense_forward(data(x), data(w), data(b), data_mut(y));
    }

    fn dense_backward(
        &self,
        x: &ArrayD<f32>,
        w: &ArrayD<f32>,
        dy: &ArrayD<f32>,
        dx: Option<&mut ArrayD<f32>>,
        dw: &mut ArrayD<f32>,
        db: &mut ArrayD<f32>,
    ) {
        dense::dense_backward(data(x), data(w), data(dy), dx.map(data_mut), data_mut(dw), data_mut(db));
    }

    fn activation_forward(&self, kind: ActKind, x: &ArrayD<f32>, y: &mut ArrayD<f32>) {
        elementwise::activation_forward(kind, data(x), data_mut(y));
    }

    fn activation_backward(&self, kind: ActKind, x: &ArrayD<f32>, y: &ArrayD<f32>, dy: &ArrayD<f32>, dx: &mut ArrayD<f32>) {
        elementwise::activation_backward(kind, data(x), data(y), data(dy), data_mut(dx));
    }

    fn dropout_forward(&self, x: &ArrayD<f32>, mask: &mut ArrayD<f32>, y: &mut ArrayD<f32>, p: f32, key: u32) {
        elementwise::dropout_forward(data(x), data_mut(mask), data_mut(y), p, key);
    }

    fn dropout_backward(&self, dy: &ArrayD<f32>, mask: &ArrayD<f32>, dx: &mut ArrayD<f32>) {
        elementwise::dropout_backward(data(dy), data(mask), data_mut(dx));
    }

    fn batchnorm2d_forward_train(
        &self,
        x: &ArrayD<f32>,
        gamma: &ArrayD<f32>,
        beta: &ArrayD<f32>,
        y: &mut ArrayD<f32>,
        save_mean: &mut ArrayD<f32>,
        save_invstd: &mut ArrayD<f32>,
        running_mean: &mut ArrayD<f32>,
        running_var: &mut ArrayD<f32>,
        momentum: f32,
        eps: f32,
    ) {
        batchnorm::batchnorm2d_forward_train(
            data(x),
            batch(x),
            data(gamma),
            data(beta),
            data_mut(y),
            data_mut(save_mean),
            data_mut(save_invstd),
            data_mut(running_mean),
            data_mut(running_var),
            momentum,
            eps,
        );
    }

    fn batchnorm2d_forward_eval(
        &self,
        x: &ArrayD<f32>,
        gamma: &ArrayD<f32>,
        beta: &ArrayD<f32>,
        running_mean: &ArrayD<f32>,
        running_var: &ArrayD<f32>,
        y: &mut ArrayD<f32>,
        eps: f32,
    ) {
        batchnorm::batchnorm2d_forward_eval(data(x), batch(x), data(gamma), data(beta), data(running_mean), data(running_var), data_mut(y), eps);
    }

    fn batchnorm2d_backward(
        &self,
        x: &ArrayD<f32>,
        gamma: &ArrayD<f32>,
        dy: &ArrayD<f32>,
        save_mean: &ArrayD<f32>,
        save_invstd: &ArrayD<f32>,
        dx: &mut ArrayD<f32>,
        dgamma: &mut ArrayD<f32>,
        dbeta: &mut ArrayD<f32>,
    ) {
        batchnorm::batchnorm2d_backward(
            data(x),
            batch(x),
            data(gamma),
            data(dy),
            data(save_mean),
            data(save_invstd),
            data_mut(dx),
            data_mut(dgamma),
            data_mut(dbeta),
        );
    }

    fn softmax_cross_entropy(
        &self,
        logits: &ArrayD<f32>,
        labels: &ArrayD<f32>,
        probs: &mut ArrayD<f32>,
        dlogits: &mut ArrayD<f32>,
        metrics: &mut ArrayD<f32>,
    ) {
        loss::softmax_cross_entropy(data(logits), data(labels), data_mut(probs), data_mut(dlogits), data_mut(metrics));
    }

    fn softmax(&self, logits: &ArrayD<f32>, probs: &mut ArrayD<f32>) {
        // K, the values per example (also for an empty batch).
        let k = logits.shape()[1..].iter().product();
        loss::softmax(data(logits), data_mut(probs), k);
    }

    fn mse_one_hot(&self, logits: &ArrayD<f32>, labels: &ArrayD<f32>, dlogits: &mut ArrayD<f32>, metrics: &mut ArrayD<f32>) {
        loss::mse_one_hot(data(logits), data(labels), data_mut(dlogits), data_mut(metrics));
    }

    fn regression_loss_forward(&self, kind: RegressionLoss, pred: &ArrayD<f32>, target: &ArrayD<f32>, metrics: &mut ArrayD<f32>) {
        loss::regression_loss_forward(kind, data(pred), data(target), batch(pred), data_mut(metrics));
    }

    fn regression_loss_backward(&self, kind: RegressionLoss, pred: &ArrayD<f32>, target: &ArrayD<f32>, dpred: &mut ArrayD<f32>) {
        loss::regression_loss_backward(kind, data(pred), data(target), data_mut(dpred));
    }

    fn update(&self, rule: UpdateRule, param: &mut ArrayD<f32>, grad: &ArrayD<f32>, state1: &mut ArrayD<f32>, state2: &mut ArrayD<f32>) {
        optim::update(rule, data_mut(param), data(grad), data_mut(state1), data_mut(state2));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::zoo;
    use crate::rng::{Rng, Stream};
    use crate::train::{TrainConfig, Trainer};

    /// The same seed and data give the same weights bit for bit, although the batch is split
    /// over threads: partial sums are combined in a fixed order.
    #[test]
    fn training_is_bit_reproducible() {
        let cpu = Cpu::new();
        let cfg = TrainConfig { batch_size: 96, ..TrainConfig::default() };
        let mut rng = Rng::stream(1, Stream::Data);
        let images: Vec<f32> = (0..96 * 784).map(|_| rng.uniform()).collect();
        let labels: Vec<f32> = (0..96).map(|_| rng.below(10) as f32).collect();
        let run = || {
            let mut t = Trainer::new(&cpu, zoo::lenet_d2l(), &cfg).expect("a preset");
            for _ in 0..3 {
                t.train_step(&cpu, &images, &labels);
            }
            let loss = t.take_metrics(&cpu).loss;
            (loss, t.model.state(&cpu))
        };
        let (a, b) = (run(), run());
        assert!(a.0.is_finite());
        assert_eq!(a.0.to_bits(), b.0.to_bits());
        for (x, y) in a.1.iter().zip(&b.1) {
            assert!(x.data.iter().zip(&y.data).all(|(p, q)| p.to_bits() == q.to_bits()), "{} differs", x.name);
        }
    }
}
