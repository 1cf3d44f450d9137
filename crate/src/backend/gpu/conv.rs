//! Dispatches of the convolutions (`shaders/conv2d_*.wgsl` + `shaders/gemm.wgsl`): forward, and
//! backward as three products — dx (gathered per input pixel), dw (split over the batch, then
//! summed in order) and db (a per-channel sum of dy).
//!
//! Legend: x (N, C_in, H, W), w (C_out, C_in, F, F), b (C_out), y and dy (N, C_out, H', W').

use super::kernels::{Kernel, Tile};
use super::record::linear_groups;
use super::tensor::GpuTensor;
use super::Gpu;
use crate::backend::ConvGeom;


fn check(op: &str, g: &ConvGeom, x: &GpuTensor, w: &GpuTensor, y: &GpuTensor) {
    assert!(
        x.len() == g.n * g.c_in * g.h_in * g.w_in && w.len() == g.c_out * g.c_in * g.kernel * g.kernel && y.len() == g.n * g.c_out * g.h_out * g.w_out,
        "{op}: x {}, w {}, y/dy {} do not fit {g:?}",
        x.shape,
        w.shape,
        y.shape
    );
    assert!(g.stride > 0 && g.kernel > 0, "{op}: kernel and stride must be positive in {g:?}");
}

/// The words of the conv shaders' Params: m, n, k, k_chunk, then the geometry.
fn params(m: usize, n: usize, k: usize, k_chunk: usize, c: usize, g: &ConvGeom) -> [u32; 12] {
    [m, n, k, k_chunk, c, g.h_in, g.w_in, g.h_out, g.w_out, g.kernel, g.stride, g.padding].map(|v| v as u32)
}

/// Workgroups for an M×N product in tiles of `tile`, with `splits` slices of K.
pub(crate) fn gemm_groups(tile: Tile, m: usize, n: usize, splits: usize) -> [u32; 3] {
    let (bm, bn) = tile.size();
    [n.div_ceil(bn) as u32, m.div_ceil(bm) as u32, splits as u32]
}

/// How to slice a long sum (K) so that about 256 workgroups share an M×N product, with at least
/// 1,024 terms each: (k_chunk, splits).
pub(crate) fn split_k(tile: Tile, m: usize, n: usize, k: usize) -> (usize, usize) {
    let (bm, bn) = tile.size();
    let tiles = m.div_ceil(bm) * n.div_ceil(bn);
    let want = (256 / tiles.max(1)).max(1);
    let chunk = k.div_ceil(want).max(1024).next_multiple_of(16);
    let chunk = chunk.min(k.max(1));
    (chunk, k.div_ceil(chunk).max(1))
}

impl Gpu {
    pub(crate) fn conv2d_forward_op(&self, x: &GpuTensor, w: &GpuTensor, b: &GpuTensor, y: &GpuTensor, g: &ConvGeom) {
        check("conv2d_forward", g, x, w, y);
        assert_eq!(b.len(), g.c_out, "conv2d_forward: b {} for {} output channels", b.shape, g.c_out);
        let (m, n, k) = (g.c_out, g.n * g.h_out * g.w_out, g.c_in * g.kernel * g.kernel);
        let t = Tile::for_product(m, n);
        self.dispatch(Kernel::Conv2dForward(t), &params(m, n, k, k, g.c_in, g), &[&x.buf, &w.buf, &b.buf, &y.buf], gemm_groups(t, m, n, 1));
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn conv2d_backward_op(&self, x: &GpuTensor, w: &GpuTensor, dy: &GpuTensor, dx: Option<&GpuTensor>, dw: &GpuTensor, db: &GpuTensor, g: &ConvGeom) {
        check("conv2d_backward", g, x, w, dy);
        assert!(dw.len() == w.len() && db.len() == g.c_out, "conv2d_backward: dw {} and db {} do not fit w {}", dw.shape, db.shape, w.shape);
        let plane_out = g.h_out * g.w_out;

        // db[co] = Σ_{n, p} dy[n, co, p]
        self.dispatch(Kernel::ChannelSum, &[g.n as u32, g.c_out as u32, plane_out as u32], &[&dy.buf, &db.buf], [g.c_out as u32, 1, 1]);

        // dw = dy·x_colᵀ, summed over every output pixel of the batch, in slices.
        let (m, n, k) = (g.c_out, g.c_in * g.kernel * g.kernel, g.n * plane_out);
        let t = Tile::for_product(m, n);
        let (k_chunk, splits) = split_k(t, m, n, k);
        let p = params(m, n, k, k_chunk, g.c_in, g);
        if splits == 1 {
            self.dispatch(Kernel::Conv2dBackwardFilter(t), &p, &[&x.buf, &dy.buf, &dw.buf], gemm_groups(t, m, n, 1));
        } else {
            let parts = self.scratch("conv2d dw partial sums", splits * m * n);
            self.dispatch(Kernel::Conv2dBackwardFilter(t), &p, &[&x.buf, &dy.buf, &parts], gemm_groups(t, m, n, splits));
            self.dispatch(Kernel::SumSplits, &[(m * n) as u32, splits as u32], &[&parts, &dw.buf], linear_groups(m * n));
        }

        // dx: every input pixel gathers from the outputs that read it.
        if let Some(dx) = dx {
            assert_eq!(dx.len(), x.len(), "conv2d_backward: dx {} for x {}", dx.shape, x.shape);
            let (m, n, k) = (g.c_in, g.n * g.h_in * g.w_in, g.c_out * g.kernel * g.kernel);
            let t = Tile::for_product(m, n);
            self.dispatch(Kernel::Conv2dBackwardData(t), &params(m, n, k, k, g.c_out, g), &[&dy.buf, &w.buf, &dx.buf], gemm_groups(t, m, n, 1));
        }
    }
}
