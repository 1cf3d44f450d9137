//! Dispatches of the dense layer (`shaders/dense.wgsl` + `shaders/gemm.wgsl`):
//! x (N, I), w (O, I) as PyTorch stores it, b (O), y (N, O).
//!
//!   y = x·wᵀ + b,   dx = dy·w,   dw = dyᵀ·x,   db = Σ_n dy[n, :]
//!
//! One tiled product each; the transposes are strides in the shader's parameters.

use super::conv::gemm_groups;
use super::kernels::{Kernel, Tile};
use super::tensor::GpuTensor;
use super::Gpu;

/// (N, I, O) from the tensor sizes, as the CPU finds them; panics with the shapes when they disagree.
fn dims(op: &str, x: &GpuTensor, w: &GpuTensor, b: usize, y: &GpuTensor) -> (usize, usize, usize) {
    let o = b;
    let i = if o == 0 { 0 } else { w.len() / o };
    let n = if i == 0 { 0 } else { x.len() / i };
    assert!(
        o > 0 && i > 0 && i * o == w.len() && n * i == x.len() && n * o == y.len(),
        "{op}: x {}, w {}, b of {b} and y/dy {} are not (N, I), (O, I), (O), (N, O)",
        x.shape,
        w.shape,
        y.shape
    );
    (n, i, o)
}

/// Parameters of dense.wgsl: C (m×n) = A (m×k)·B (k×n) with A[r, k] = a[r·a_row + k·a_col] and
/// B[k, c] = b[k·b_row + c·b_col].
#[allow(clippy::too_many_arguments)]
fn product(m: usize, n: usize, k: usize, a_row: usize, a_col: usize, b_row: usize, b_col: usize, bias: bool) -> [u32; 9] {
    [m, n, k, k, a_row, a_col, b_row, b_col, bias as usize].map(|v| v as u32)
}

impl Gpu {
    pub(crate) fn dense_forward_op(&self, x: &GpuTensor, w: &GpuTensor, b: &GpuTensor, y: &GpuTensor) {
        let (n, i, o) = dims("dense_forward", x, w, b.len(), y);
        // y (N×O) = x (N×I) · wᵀ (I×O): wᵀ[k, c] = w[c·I + k].
        let t = Tile::for_product(n, o);
        self.dispatch(Kernel::Dense(t), &product(n, o, i, i, 1, 1, i, true), &[&x.buf, &w.buf, &b.buf, &y.buf], gemm_groups(t, n, o, 1));
    }

    pub(crate) fn dense_backward_op(&self, x: &GpuTensor, w: &GpuTensor, dy: &GpuTensor, dx: Option<&GpuTensor>, dw: &GpuTensor, db: &GpuTensor) {
        let (n, i, o) = dims("dense_backward", x, w, db.len(), dy);
        assert_eq!(dw.len(), w.len(), "dense_backward: dw {} for w {}", dw.shape, w.shape);
        // db[o] = Σ_n dy[n, o]: a per-channel sum with one value per plane.
        self.dispatch(Kernel::ChannelSum, &[n as u32, o as u32, 1], &[&dy.buf, &db.buf], [o as u32, 1, 1]);
        // dw (O×I) = dyᵀ (O×N) · x (N×I): dyᵀ[r, k] = dy[k·O + r]. (No bias: dy fills the unused binding.)
        let t = Tile::for_product(o, i);
        self.dispatch(Kernel::Dense(t), &product(o, i, n, 1, o, i, 1, false), &[&dy.buf, &x.buf, &dy.buf, &dw.buf], gemm_groups(t, o, i, 1));
        if let Some(dx) = dx {
            assert_eq!(dx.len(), x.len(), "dense_backward: dx {} for x {}", dx.shape, x.shape);
            // dx (N×I) = dy (N×O) · w (O×I).
            let t = Tile::for_product(n, i);
            self.dispatch(Kernel::Dense(t), &product(n, i, o, o, 1, i, 1, false), &[&dy.buf, &w.buf, &dy.buf, &dx.buf], gemm_groups(t, n, i, 1));
        }
    }
}
