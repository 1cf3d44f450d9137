//! Dispatches of the convolutions (`shaders/conv2d_*.wgsl` + `shaders/gemm.wgsl`): forward, and
//! backward as three products — dx, dw (split over the batch, then summed in order) and db (a
//! per-channel sum of dy). dx is gathered per input pixel (conv2d_backward_data.wgsl), or, where
//! that would compute mostly zeros, unfolded: dcol = wᵀ·dy, then col2im (`unfold_chunk`).
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

/// The terms an M×N×K product computes in gemm.wgsl: its tile's whole rows and K's whole steps.
fn product_terms(m: u64, n: u64, k: u64) -> u64 {
    let t = Tile::for_product(usize::try_from(m).unwrap_or(usize::MAX), usize::try_from(n).unwrap_or(usize::MAX));
    let (bm, bk) = (t.size().0 as u64, t.depth() as u64);
    m.div_ceil(bm).saturating_mul(bm).saturating_mul(n).saturating_mul(k.div_ceil(bk).saturating_mul(bk))
}

/// The most values the unfolded input gradient's scratch holds (4 MiB of f32): the batch goes
/// through in chunks of images whose dcol fits (LeNet's second convolution: 69 images a chunk).
/// The memory budget counts it (`model/budget.rs`).
pub const UNFOLD_VALUES: u64 = 1 << 20;

/// At most this many dcol columns per chunk, so that no product has more workgroups along a grid
/// dimension than WebGPU allows (65,535 tiles of the narrowest tile's 32 columns).
const UNFOLD_COLUMNS: u64 = 65_535 * 32;

/// How `conv2d_backward` computes dx for a convolution of `n` images, `c_in` → `c_out` channels,
/// an F×F kernel, `plane_in` = H·W and `plane_out` = H'·W': `None` gathers (one product over
/// every input pixel and every (co, kh, kw), zeros where a tap falls outside dy);
/// `Some(images)` unfolds, `images` at a time (dcol = wᵀ·dy over the output pixels, then
/// col2im adds each input pixel's taps).
///
/// The choice counts the terms each computes (a value of dcol written or read counts as one):
/// LeNet's second convolution (6 → 16 channels, 5×5, 14×14 → 10×10) gathers 16 rows for 6
/// channels over 400 taps of which half land outside dy, 3.7 times the unfolded path's terms;
/// a padded 3×3 convolution of 16 channels (ResNet's) wastes nothing by gathering, and gathers.
pub fn unfold_chunk(n: u64, c_in: u64, c_out: u64, kernel: u64, plane_in: u64, plane_out: u64) -> Option<u64> {
    let rows = c_in.saturating_mul(kernel.saturating_mul(kernel));
    let per_image = rows.saturating_mul(plane_out);
    if n == 0 || per_image == 0 || per_image > UNFOLD_VALUES || plane_out > UNFOLD_COLUMNS {
        return None;
    }
    let gather = product_terms(c_in, n.saturating_mul(plane_in), c_out.saturating_mul(kernel * kernel));
    let unfold = product_terms(rows, n.saturating_mul(plane_out), c_out)
        .saturating_add(per_image.saturating_mul(n).saturating_mul(2))
        .saturating_add(c_in.saturating_mul(n).saturating_mul(plane_in));
    (unfold < gather).then(|| (UNFOLD_VALUES / per_image).min(UNFOLD_COLUMNS / plane_out).clamp(1, n))
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

        if let Some(dx) = dx {
            assert_eq!(dx.len(), x.len(), "conv2d_backward: dx {} for x {}", dx.shape, x.shape);
            let [n, c_in, c_out, f, plane_in] = [g.n, g.c_in, g.c_out, g.kernel, g.h_in * g.w_in].map(|v| v as u64);
            match unfold_chunk(n, c_in, c_out, f, plane_in, plane_out as u64) {
                Some(images) => self.conv2d_backward_unfolded(w, dy, dx, g, images as usize),
                None => {
                    // dx: every input pixel gathers from the outputs that read it.
                    let (m, n, k) = (g.c_in, g.n * g.h_in * g.w_in, g.c_out * g.kernel * g.kernel);
                    let t = Tile::for_product(m, n);
                    self.dispatch(Kernel::Conv2dBackwardData(t), &params(m, n, k, k, g.c_out, g), &[&dy.buf, &w.buf, &dx.buf], gemm_groups(t, m, n, 1));
                }
            }
        }
    }

    /// dx = col2im(wᵀ·dy), `images` images of the batch at a time through one dcol scratch.
    fn conv2d_backward_unfolded(&self, w: &GpuTensor, dy: &GpuTensor, dx: &GpuTensor, g: &ConvGeom, images: usize) {
        let (plane_in, plane_out) = (g.h_in * g.w_in, g.h_out * g.w_out);
        let m = g.c_in * g.kernel * g.kernel;
        let dcol = self.scratch("conv2d dx unfolded", m * images * plane_out);
        for image0 in (0..g.n).step_by(images) {
            let count = images.min(g.n - image0);
            let cols = count * plane_out;
            let t = Tile::for_product(m, cols);
            let p = [m, cols, g.c_out, g.c_out, plane_out, image0].map(|v| v as u32);
            self.dispatch(Kernel::Conv2dBackwardUnfold(t), &p, &[&dy.buf, &w.buf, &dcol], gemm_groups(t, m, cols, 1));
            let len = count * g.c_in * plane_in;
            let p = [len, g.c_in, g.h_in, g.w_in, g.h_out, g.w_out, g.kernel, g.stride, g.padding, image0, cols].map(|v| v as u32);
            self.dispatch(Kernel::Col2im, &p, &[&dcol, &dx.buf], linear_groups(len));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenet_unfolds_where_the_gather_computes_mostly_zeros_and_resnet_gathers() {
        // LeNet's second convolution at batch 256: 6 → 16 channels, 5×5, 14×14 → 10×10.
        assert_eq!(unfold_chunk(256, 6, 16, 5, 196, 100), Some(UNFOLD_VALUES / 15_000));
        // The agreement suite's 80 images of it go through in two chunks (69 and 11).
        assert_eq!(unfold_chunk(80, 6, 16, 5, 196, 100), Some(69));
        // ResNet-20's 3×3 convolutions of 16 channels, padded: nothing to save.
        assert_eq!(unfold_chunk(64, 16, 16, 3, 1024, 1024), None);
        // One image whose dcol would not fit the scratch gathers.
        assert_eq!(unfold_chunk(1, 64, 64, 5, 512 * 512, 508 * 508), None);
    }
}
