//! The WebGPU compute backend: every op of [`Backend`] as a WGSL compute shader, through `wgpu`
//! (WebGPU in the browser, Vulkan natively). The reference (`crate::layers`, run by `Reference`) is
//! its specification; the agreement tests (crate/tests/agreement) run both on the same inputs.
//!
//! - `context.rs`: getting an adapter and a device (`Gpu::new`), and what `Gpu::stats` counts.
//! - `tensor.rs`: `GpuTensor`, a storage buffer with a shape and a unique id.
//! - `kernels.rs`: the shaders (one `.wgsl` per kernel family, in `shaders/`) and their
//!   pipelines, built once. `cache.rs`: bind groups, cached by (kernel, buffers).
//! - `record.rs`: ops record into one command encoder; `submit()` hands a whole training step to
//!   the queue. Kernel parameters live in a uniform arena bound at dynamic offsets, and host
//!   writes that follow recorded work go through an upload arena, so nothing is created per step
//!   and a step is one submission. Reads copy into a staging buffer and map it (awaited, never
//!   polled, on wasm).
//! - `profile.rs`: per-kernel GPU time of a step (`cnn bench --profile`), timestamp queries
//!   around each compute pass on a device opened with `Gpu::new_profiling`; absent otherwise.
//! - Dense layers and the three convolution products share one tiled GEMM main loop
//!   (`shaders/gemm.wgsl`, workgroup-memory tiles, 4×4 or 2×4 outputs per invocation) in five tile
//!   shapes picked per product (`kernels::Tile`); convolutions are implicit GEMMs (no im2col
//!   buffer), the filter gradient split over the batch and summed in order (no atomics).
//! - One file per op family issues its dispatches: `elementwise.rs`, `merge.rs`, `conv.rs`,
//!   `dense.rs`, `pool.rs`, `batchnorm.rs`, `loss.rs`, `optim.rs`.
//!
//! Parameters, activations, gradients and optimizer state stay on the device; a training step
//! reads nothing back (the loss and accuracy accumulate in a metrics tensor on the device).

mod batchnorm;
mod cache;
mod context;
/// The GPU backend's sentences (see `crate::message`).
pub use context::text;
pub(crate) mod conv;
mod dense;
mod elementwise;
pub mod kernels;
mod loss;
mod merge;
mod optim;
mod pool;
pub mod profile;
mod record;
mod tensor;

pub use context::{Gpu, GpuError, GpuStats};
pub use tensor::GpuTensor;

use super::{ActKind, Backend, ConvGeom, PoolGeom, PoolKind, RegressionLoss, UpdateRule};
use crate::tensor::Shape;
use tensor::Buf;

/// Every tensor can be bound as storage, copied from (reads, `copy`) and written (`write`, `copy`).
const TENSOR_USAGE: wgpu::BufferUsages = wgpu::BufferUsages::STORAGE.union(wgpu::BufferUsages::COPY_SRC).union(wgpu::BufferUsages::COPY_DST);

impl Backend for Gpu {
    type Tensor = GpuTensor;

    fn name(&self) -> String {
        format!("GPU (wgpu: {})", self.adapter_info())
    }

    /// The device's largest storage binding (every tensor is bound as one).
    fn max_buffer_bytes(&self) -> u64 {
        let limits = self.device.limits();
        limits.max_storage_buffer_binding_size.min(limits.max_buffer_size)
    }

    fn fault(&self) -> Option<crate::message::Message> {
        Gpu::fault(self)
    }

    fn zeros(&self, shape: &Shape) -> GpuTensor {
        // wgpu hands out buffers zeroed.
        let buf = Buf::new(&self.device, &self.tracker, "tensor", (shape.len() * 4) as u64, TENSOR_USAGE, false);
        GpuTensor { buf, shape: shape.clone() }
    }

    fn upload(&self, shape: &Shape, data: &[f32]) -> GpuTensor {
        assert_eq!(data.len(), shape.len(), "upload: {} values for shape {shape}", data.len());
        // A new buffer, filled while mapped at creation: no ordering with recorded work to keep.
        let buf = Buf::new(&self.device, &self.tracker, "tensor", (shape.len() * 4) as u64, TENSOR_USAGE, true);
        if !data.is_empty() {
            let mut view = buf.buffer.slice(..(data.len() * 4) as u64).get_mapped_range_mut().expect("upload: mapped at creation");
            view.copy_from_slice(bytemuck::cast_slice(data));
        }
        buf.buffer.unmap();
        GpuTensor { buf, shape: shape.clone() }
    }

    fn write(&self, t: &mut GpuTensor, data: &[f32]) {
        assert_eq!(data.len(), t.len(), "write: {} values into a tensor of shape {}", data.len(), t.shape);
        if data.is_empty() {
            return;
        }
        // In order with recorded work (see record.rs).
        self.write_buf(&t.buf, bytemuck::cast_slice(data));
    }

    fn read(&self, t: &GpuTensor) -> Vec<f32> {
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.read_blocking(&t.buf, t.len())
        }
        #[cfg(target_arch = "wasm32")]
        {
            panic!("read: a GPU tensor {} cannot be read blocking in the browser; use read_async", t.shape)
        }
    }

    async fn read_async(&self, t: &GpuTensor) -> Vec<f32> {
        self.read_async_buf(&t.buf, t.len()).await
    }

    fn submit(&self) {
        self.flush();
    }

    fn shape(&self, t: &GpuTensor) -> Shape {
        t.shape.clone()
    }

    fn copy(&self, src: &GpuTensor, dst: &mut GpuTensor) {
        self.copy_op(src, dst);
    }

    fn fill(&self, t: &mut GpuTensor, value: f32) {
        self.fill_op(t, value);
    }

    fn add_into(&self, x: &GpuTensor, y: &mut GpuTensor) {
        self.add_into_op(x, y);
    }

    fn copy_channels(&self, src: &GpuTensor, src_c0: usize, dst: &mut GpuTensor, dst_c0: usize, channels: usize) {
        self.copy_channels_op(src, src_c0, dst, dst_c0, channels);
    }

    fn conv2d_forward(&self, x: &GpuTensor, w: &GpuTensor, b: &GpuTensor, y: &mut GpuTensor, g: &ConvGeom) {
        self.conv2d_forward_op(x, w, b, y, g);
    }

    fn conv2d_backward(&self, x: &GpuTensor, w: &GpuTensor, dy: &GpuTensor, dx: Option<&mut GpuTensor>, dw: &mut GpuTensor, db: &mut GpuTensor, g: &ConvGeom) {
        self.conv2d_backward_op(x, w, dy, dx.map(|d| &*d), dw, db, g);
    }

    fn pool2d_forward(&self, kind: PoolKind, x: &GpuTensor, y: &mut GpuTensor, g: &PoolGeom) {
        self.pool2d_forward_op(kind, x, y, g);
    }

    fn pool2d_backward(&self, kind: PoolKind, x: &GpuTensor, dy: &GpuTensor, dx: &mut GpuTensor, g: &PoolGeom) {
        self.pool2d_backward_op(kind, x, dy, dx, g);
    }

    fn dense_forward(&self, x: &GpuTensor, w: &GpuTensor, b: &GpuTensor, y: &mut GpuTensor) {
        self.dense_forward_op(x, w, b, y);
    }

    fn dense_backward(&self, x: &GpuTensor, w: &GpuTensor, dy: &GpuTensor, dx: Option<&mut GpuTensor>, dw: &mut GpuTensor, db: &mut GpuTensor) {
        self.dense_backward_op(x, w, dy, dx.map(|d| &*d), dw, db);
    }

    fn activation_forward(&self, kind: ActKind, x: &GpuTensor, y: &mut GpuTensor) {
        self.activation_forward_op(kind, x, y);
    }

    fn activation_backward(&self, kind: ActKind, x: &GpuTensor, y: &GpuTensor, dy: &GpuTensor, dx: &mut GpuTensor) {
        self.activation_backward_op(kind, x, y, dy, dx);
    }

    fn dropout_forward(&self, x: &GpuTensor, mask: &mut GpuTensor, y: &mut GpuTensor, p: f32, key: u32) {
        self.dropout_forward_op(x, mask, y, p, key);
    }

    fn dropout_backward(&self, dy: &GpuTensor, mask: &GpuTensor, dx: &mut GpuTensor) {
        self.dropout_backward_op(dy, mask, dx);
    }

    fn batchnorm2d_forward_train(
        &self,
        x: &GpuTensor,
        gamma: &GpuTensor,
        beta: &GpuTensor,
        y: &mut GpuTensor,
        save_mean: &mut GpuTensor,
        save_invstd: &mut GpuTensor,
        running_mean: &mut GpuTensor,
        running_var: &mut GpuTensor,
        momentum: f32,
        eps: f32,
    ) {
        self.batchnorm2d_forward_train_op(x, gamma, beta, y, save_mean, save_invstd, running_mean, running_var, momentum, eps);
    }

    fn batchnorm2d_forward_eval(
        &self,
        x: &GpuTensor,
        gamma: &GpuTensor,
        beta: &GpuTensor,
        running_mean: &GpuTensor,
        running_var: &GpuTensor,
        y: &mut GpuTensor,
        eps: f32,
    ) {
        self.batchnorm2d_forward_eval_op(x, gamma, beta, running_mean, running_var, y, eps);
    }

    fn batchnorm2d_backward(
        &self,
        x: &GpuTensor,
        gamma: &GpuTensor,
        dy: &GpuTensor,
        save_mean: &GpuTensor,
        save_invstd: &GpuTensor,
        dx: &mut GpuTensor,
        dgamma: &mut GpuTensor,
        dbeta: &mut GpuTensor,
    ) {
        self.batchnorm2d_backward_op(x, gamma, dy, save_mean, save_invstd, dx, dgamma, dbeta);
    }

    fn softmax_cross_entropy(&self, logits: &GpuTensor, labels: &GpuTensor, probs: &mut GpuTensor, dlogits: &mut GpuTensor, metrics: &mut GpuTensor) {
        self.softmax_cross_entropy_op(logits, labels, probs, dlogits, metrics);
    }

    fn softmax(&self, logits: &GpuTensor, probs: &mut GpuTensor) {
        self.softmax_op(logits, probs);
    }

    fn mse_one_hot(&self, logits: &GpuTensor, labels: &GpuTensor, dlogits: &mut GpuTensor, metrics: &mut GpuTensor) {
        self.mse_one_hot_op(logits, labels, dlogits, metrics);
    }

    fn regression_loss_forward(&self, kind: RegressionLoss, pred: &GpuTensor, target: &GpuTensor, metrics: &mut GpuTensor) {
        self.regression_loss_forward_op(kind, pred, target, metrics);
    }

    fn regression_loss_backward(&self, kind: RegressionLoss, pred: &GpuTensor, target: &GpuTensor, dpred: &mut GpuTensor) {
        self.regression_loss_backward_op(kind, pred, target, dpred);
    }

    fn update(&self, rule: UpdateRule, param: &mut GpuTensor, grad: &GpuTensor, state1: &mut GpuTensor, state2: &mut GpuTensor) {
        self.update_op(rule, param, grad, state1, state2);
    }
}
