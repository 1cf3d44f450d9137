//! 2-D convolution as a matrix product (im2col).
//! N batch, C_in/C_out channels, H×W input, H'×W' output, F kernel, S stride, P padding;
//! K = C_in·F·F (one row per weight of a filter), HW' = H'·W' (one column per output pixel).
//!
//! For each image, `im2col` lays out every receptive field as a column:
//!   cols[(c,u,v), (i,j)] = x[c, i·S+u−P, j·S+v−P]   (0 outside the image: the zero padding)
//! and then the convolution is one product:
//!   y (C_out × HW') = w (C_out × K) · cols (K × HW') + b
//! Backward, per image, with dy (C_out × HW'):
//!   dw += dy · colsᵀ        db += Σ_(i,j) dy
//!   dcols = wᵀ · dy         dx = col2im(dcols)  (each column added back where it came from)
//!
//! In the browser, stride-1 convolutions of LeNet's size skip im2col and the GEMM: see
//! `direct.rs`, `forward_direct` and `backward_direct`.
//!
//! The batch is split into a fixed number of chunks of images that run on both cores; each
//! chunk keeps its own im2col buffer and its own partial dw, db, and the partials are added in
//! chunk order, so the result does not depend on the number of threads.

use super::direct;
use super::gemm::{matmul, Mat};
use super::small_gemm::matmul_tn;
use super::par;
use crate::backend::ConvGeom;

/// One chunk's working memory, kept between calls (grown, never shrunk) so that a training
/// step allocates nothing.
#[derive(Default)]
pub struct ConvScratch {
    /// One zero-padded input image.
    pad: Vec<f32>,
    cols: Vec<f32>,
    dcols: Vec<f32>,
    /// A group's outputs (forward) or output gradients (backward) side by side.
    wide: Vec<f32>,
    dw: Vec<f32>,
    db: Vec<f32>,
}

/// `v[..len]`, growing `v` first when it is shorter. Callers overwrite what they take, so a
/// buffer that must grow is replaced, not extended: the old one is freed first and the new one
/// holds exactly `len` values (a `resize` would keep both during the copy and could double the
/// capacity), which is what the memory budget (`model::budget`) counts.
fn take(v: &mut Vec<f32>, len: usize) -> &mut [f32] {
    if v.len() < len {
        *v = Vec::new();
        v.resize(len, 0.0);
    }
    &mut v[..len]
}

/// Sizes derived from the geometry: (values per input image, per output image, K, HW').
fn sizes(g: &ConvGeom) -> (usize, usize, usize, usize) {
    let hw = g.h_out * g.w_out;
    (g.c_in * g.h_in * g.w_in, g.c_out * hw, g.c_in * g.kernel * g.kernel, hw)
}

/// A 1×1 kernel with stride 1 and no padding needs no im2col: the image is its own cols.
fn is_pointwise(g: &ConvGeom) -> bool {
    g.kernel == 1 && g.stride == 1 && g.padding == 0
}

/// Size of one zero-padded channel plane: (H + 2P) × (W + 2P).
fn padded_dims(g: &ConvGeom) -> (usize, usize) {
    (g.h_in + 2 * g.padding, g.w_in + 2 * g.padding)
}

/// xp (C_in × (H+2P) × (W+2P)) ← x (C_in × H × W) with a border of P zeros. With the padding
/// written out once per image, im2col below is pure copying with no bounds tests.
fn pad_image(x: &[f32], g: &ConvGeom, xp: &mut [f32]) {
    let (hp, wp) = padded_dims(g);
    let p = g.padding;
    for (plane, pplane) in x.chunks(g.h_in * g.w_in).zip(xp.chunks_mut(hp * wp)) {
        pplane[..p * wp].fill(0.0);
        pplane[(p + g.h_in) * wp..].fill(0.0);
        for (row, prow) in plane.chunks(g.w_in).zip(pplane[p * wp..].chunks_mut(wp)) {
            prow[..p].fill(0.0);
            prow[p..p + g.w_in].copy_from_slice(row);
            prow[p + g.w_in..].fill(0.0);
        }
    }
}

/// out ← src (equal lengths). Rows here are short (10–32 values): a memcpy call (memory.copy on
/// wasm) costs more than the copy itself, so the copy is written inline.
#[inline(always)]
fn copy_row(out: &mut [f32], src: &[f32]) {
    let n = out.len().min(src.len());
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::{v128, v128_load, v128_store};
        let mut i = 0;
        while i + 4 <= n {
            // SAFETY: i + 4 <= n <= both lengths: the 16-byte load and store stay inside src
            // and out, which do not overlap (one is borrowed mutably); no alignment is needed.
            unsafe { v128_store(out.as_mut_ptr().add(i) as *mut v128, v128_load(src.as_ptr().add(i) as *const v128)) };
            i += 4;
        }
        for k in i..n {
            // `+ 0.0` keeps the compiler from turning this into a memcpy call (see below).
            out[k] = src[k] + 0.0;
        }
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    for (o, &x) in out[..n].iter_mut().zip(&src[..n]) {
        // `+ 0.0` (it only turns −0 into +0, the same in any sum) keeps this an inline vector
        // loop: as a plain copy the compiler would call memcpy per row.
        *o = x + 0.0;
    }
}

/// cols (K × HW') ← the receptive fields of one image, read from its padded copy xp:
/// cols[(c,u,v), (i,j)] = xp[c, i·S+u, j·S+v]. Row (c,u,v) starts at `(c,u,v)·ld` in `cols`
/// (ld = HW' for one image; larger when several images sit side by side).
fn im2col(xp: &[f32], g: &ConvGeom, cols: &mut [f32], ld: usize) {
    let (f, s) = (g.kernel, g.stride);
    let (hp, wp) = padded_dims(g);
    let hw = g.h_out * g.w_out;
    for c in 0..g.c_in {
        let plane = &xp[c * hp * wp..(c + 1) * hp * wp];
        for u in 0..f {
            for v in 0..f {
                let row = &mut cols[((c * f + u) * f + v) * ld..][..hw];
                if s == 1 {
                    // Stride 1: row i of the window starts wp values after row i − 1.
                    let base = u * wp + v;
                    let w_out = g.w_out;
                    for (i, out) in row.chunks_exact_mut(w_out).enumerate() {
                        let src = &plane[base + i * wp..][..w_out];
                        copy_row(out, src);
                    }
                    continue;
                }
                for (i, out) in row.chunks_exact_mut(g.w_out).enumerate() {
                    let src = &plane[(i * s + u) * wp + v..];
                    if s == 1 {
                        // A short contiguous copy. `+ 0.0` (it only turns −0 into +0, the same
                        // in any sum) keeps it an inline vector loop: as a plain copy the compiler
                        // would call memcpy per row, which costs more than the copy.
                        for (o, &x) in out.iter_mut().zip(src) {
                            *o = x + 0.0;
                        }
                    } else {
                        for (j, o) in out.iter_mut().enumerate() {
                            *o = src[j * s];
                        }
                    }
                }
            }
        }
    }
}

/// dx (C_in × H × W) ← col2im(dcols): the reverse of `im2col`, adding where receptive fields
/// overlap, into the padded scratch xp; then the inside of xp is dx (the border is the padding,
/// which has no gradient to pass on). dx is overwritten; `ld` as for `im2col`.
fn col2im(dcols: &[f32], g: &ConvGeom, xp: &mut [f32], dx: &mut [f32], ld: usize) {
    let (f, s, p) = (g.kernel, g.stride, g.padding);
    let (hp, wp) = padded_dims(g);
    let hw = g.h_out * g.w_out;
    xp.fill(0.0);
    for c in 0..g.c_in {
        let plane = &mut xp[c * hp * wp..(c + 1) * hp * wp];
        for u in 0..f {
            for v in 0..f {
                let row = &dcols[((c * f + u) * f + v) * ld..][..hw];
                for (i, src) in row.chunks_exact(g.w_out).enumerate() {
                    let dst = &mut plane[(i * s + u) * wp + v..];
                    if s == 1 {
                        for (d, &x) in dst.iter_mut().zip(src) {
                            *d += x;
                        }
                    } else {
                        for (j, &x) in src.iter().enumerate() {
                            dst[j * s] += x;
                        }
                    }
                }
            }
        }
    }
    for (plane, pplane) in dx.chunks_mut(g.h_in * g.w_in).zip(xp.chunks(hp * wp)) {
        for (row, prow) in plane.chunks_mut(g.w_in).zip(pplane[p * wp..].chunks(wp)) {
            row.copy_from_slice(&prow[p..p + g.w_in]);
        }
    }
}

/// Σ v, in 16 interleaved partial sums added at the end (one SIMD register's worth): a plain
/// running sum is a chain of dependent additions the compiler may not reorder. The order is
/// fixed, so the result is reproducible.
fn sum(v: &[f32]) -> f32 {
    const LANES: usize = 16;
    let mut acc = [0.0f32; LANES];
    let mut it = v.chunks_exact(LANES);
    for c in &mut it {
        for (a, &x) in acc.iter_mut().zip(c) {
            *a += x;
        }
    }
    for (a, &x) in acc.iter_mut().zip(it.remainder()) {
        *a += x;
    }
    acc.iter().sum()
}

fn check(op: &str, g: &ConvGeom, x: usize, w: usize, b: usize, y: usize) {
    let (xin, yout, k, _) = sizes(g);
    assert!(
        x == g.n * xin && w == g.c_out * k && b == g.c_out && y == g.n * yout,
        "{op}: tensors of {x}, {w}, {b}, {y} values do not fit x ({}, {}, {}, {}), w ({}, {}, {f}, {f}), y (.., {}, {}, {})",
        g.n,
        g.c_in,
        g.h_in,
        g.w_in,
        g.c_out,
        g.c_in,
        g.c_out,
        g.h_out,
        g.w_out,
        f = g.kernel
    );
}

/// How many images each chunk takes, and how many chunks there are.
fn split(g: &ConvGeom) -> (usize, usize) {
    let (_, _, k, hw) = sizes(g);
    let chunks = par::chunk_count(g.n, g.c_out * k * hw);
    let per = par::chunk_len(g.n, chunks);
    (per, g.n.div_ceil(per))
}

fn ensure_scratch(scratch: &mut Vec<ConvScratch>, chunks: usize) {
    if scratch.len() < chunks {
        scratch.resize_with(chunks, ConvScratch::default);
    }
}

/// Images per matrix product. A product over one small image (10×10 outputs, say) is dominated
/// by its fixed cost; placing a group's output pixels side by side, about `GROUP_COLS` columns,
/// makes fewer, larger products. Not too many: the group's cols should stay in the core's L2
/// cache (measured on lenet-d2l: 400 beat 1024).
const GROUP_COLS: usize = 400;

fn group_size(g: &ConvGeom, per_chunk: usize) -> usize {
    let hw = g.h_out * g.w_out;
    // A 1×1 convolution reads its cols straight from x, one image at a time.
    if is_pointwise(g) || hw == 0 {
        1
    } else {
        (GROUP_COLS / hw).clamp(1, per_chunk.max(1))
    }
}

/// cols (K × gn·HW') ← the receptive fields of `gn` images side by side (image t in columns
/// t·HW'..(t+1)·HW'), each padded first.
fn group_cols(xg: &[f32], g: &ConvGeom, gn: usize, pad: &mut [f32], cols: &mut [f32]) {
    let (xin, _, _, hw) = sizes(g);
    for t in 0..gn {
        let xn = &xg[t * xin..(t + 1) * xin];
        // Without padding the image is its own padded copy.
        let xp: &[f32] = if g.padding == 0 {
            xn
        } else {
            pad_image(xn, g, pad);
            pad
        };
        im2col(xp, g, &mut cols[t * hw..], gn * hw);
    }
}

/// y ← conv(x, w) + b
pub fn conv2d_forward(x: &[f32], w: &[f32], b: &[f32], y: &mut [f32], g: &ConvGeom, scratch: &mut Vec<ConvScratch>) {
    check("conv2d_forward", g, x.len(), w.len(), b.len(), y.len());
    if g.n == 0 {
        return;
    }
    let (xin, yout, k, hw) = sizes(g);
    // In the browser (one thread, 128-bit vectors) packing operands for the gemm crate costs more
    // than LeNet-sized products themselves: measured in Chromium, the direct kernels take half
    // the time of im2col + GEMM for LeNet's convolutions.
    #[cfg(target_arch = "wasm32")]
    if direct::applies(g) {
        ensure_scratch(scratch, 1);
        return forward_direct(x, w, b, y, g, &mut scratch[0]);
    }
    let padded_len = g.c_in * padded_dims(g).0 * padded_dims(g).1;
    let (per, chunks) = split(g);
    let group = group_size(g, per);
    // A batch too small to split over the cores (one large image, say) lets the gemm crate
    // split each large product instead.
    let one_chunk = chunks == 1;
    ensure_scratch(scratch, chunks);
    par::zip_chunks(y, per * yout, scratch, |ci, y, s| {
        for (gi, yg) in y.chunks_mut(group * yout).enumerate() {
            let n0 = ci * per + gi * group;
            let gn = yg.len() / yout;
            let xg = &x[n0 * xin..(n0 + gn) * xin];
            let ld = gn * hw;
            let cols: &[f32] = if is_pointwise(g) {
                xg
            } else {
                let cols = take(&mut s.cols, k * ld);
                group_cols(xg, g, gn, take(&mut s.pad, padded_len), cols);
                cols
            };
            if gn == 1 {
                // Start from the bias, then add the product, straight into y.
                for (o, row) in yg.chunks_mut(hw).enumerate() {
                    row.fill(b[o]);
                }
                matmul(g.c_out, hw, k, yg, hw, 1, true, Mat::rows(w, k), Mat::rows(cols, hw), one_chunk);
            } else {
                // wide (C_out × gn·HW') = w · cols, then each image's block plus the bias.
                let wide = take(&mut s.wide, g.c_out * ld);
                matmul(g.c_out, ld, k, wide, ld, 1, false, Mat::rows(w, k), Mat::rows(cols, ld), one_chunk);
                for (t, yn) in yg.chunks_mut(yout).enumerate() {
                    for (o, row) in yn.chunks_mut(hw).enumerate() {
                        for (yv, &v) in row.iter_mut().zip(&wide[o * ld + t * hw..][..hw]) {
                            *yv = v + b[o];
                        }
                    }
                }
            }
        }
    });
}

/// y ← conv(x, w) + b image by image with `direct::forward`, for stride 1: the browser's path
/// (no threads there to split a batch over, and no im2col copy).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn forward_direct(x: &[f32], w: &[f32], b: &[f32], y: &mut [f32], g: &ConvGeom, s: &mut ConvScratch) {
    let (xin, yout, _, _) = sizes(g);
    let xp = take(&mut s.pad, direct::padded_len(g));
    let image_len = xp.len() - direct::SLACK;
    xp[image_len..].fill(0.0);
    for (xn, yn) in x.chunks_exact(xin).zip(y.chunks_exact_mut(yout)) {
        pad_image(xn, g, &mut xp[..image_len]);
        direct::forward(xp, w, b, yn, g);
    }
}

/// `conv2d_backward` image by image for stride 1, the browser's path: dw from
/// `direct::weight_grad` (read from the padded image, no im2col), dx as dcols = wᵀ·dy
/// (`matmul_tn`, nothing packed) then col2im.
#[allow(clippy::too_many_arguments)]
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn backward_direct(x: &[f32], w: &[f32], dy: &[f32], mut dx: Option<&mut [f32]>, dw: &mut [f32], db: &mut [f32], g: &ConvGeom, s: &mut ConvScratch) {
    let (xin, yout, k, hw) = sizes(g);
    let w4 = direct::dy_row_len(g);
    let ConvScratch { pad, dcols, wide, dw: part, .. } = s;
    let part = take(part, 4 * g.c_out * k);
    part.fill(0.0);
    db.fill(0.0);
    let xp = take(pad, direct::padded_len(g));
    let image_len = xp.len() - direct::SLACK;
    xp[image_len..].fill(0.0);
    // ∂L/∂y with rows padded by zeros to a multiple of 4 (the tails are never written).
    let dyz = take(wide, g.c_out * g.h_out * w4);
    dyz.fill(0.0);
    for n in 0..g.n {
        let dyn_ = &dy[n * yout..][..yout];
        for (o, row) in dyn_.chunks_exact(hw).enumerate() {
            db[o] += sum(row);
        }
        pad_image(&x[n * xin..][..xin], g, &mut xp[..image_len]);
        let dyr: &[f32] = if w4 == g.w_out {
            dyn_
        } else {
            for (zrow, row) in dyz.chunks_exact_mut(w4).zip(dyn_.chunks_exact(g.w_out)) {
                zrow[..g.w_out].copy_from_slice(row);
            }
            dyz
        };
        direct::weight_grad(xp, dyr, part, g);
        if let Some(dx) = dx.as_deref_mut() {
            // dcols (K × HW') = wᵀ (K × C_out) · dy (C_out × HW'); col2im then reuses the
            // padded image's buffer (this image's dw is done with it).
            let dc = take(dcols, k * hw);
            matmul_tn(k, hw, g.c_out, w, dyn_, dc);
            col2im(dc, g, &mut xp[..image_len], &mut dx[n * xin..][..xin], hw);
        }
    }
    direct::reduce_lanes(part, dw);
}

/// dw, db ← ∂L/∂w, ∂L/∂b; dx ← ∂L/∂x when asked.
#[allow(clippy::too_many_arguments)]
pub fn conv2d_backward(
    x: &[f32],
    w: &[f32],
    dy: &[f32],
    dx: Option<&mut [f32]>,
    dw: &mut [f32],
    db: &mut [f32],
    g: &ConvGeom,
    scratch: &mut Vec<ConvScratch>,
) {
    check("conv2d_backward", g, x.len(), w.len(), db.len(), dy.len());
    assert_eq!(dw.len(), w.len(), "conv2d_backward: dw holds {} values, w {}", dw.len(), w.len());
    if let Some(dx) = &dx {
        assert_eq!(dx.len(), x.len(), "conv2d_backward: dx holds {} values, x {}", dx.len(), x.len());
    }
    // The browser's path, as in `conv2d_forward` (measured: 1.4× faster LeNet training steps).
    #[cfg(target_arch = "wasm32")]
    if direct::applies(g) {
        ensure_scratch(scratch, 1);
        return backward_direct(x, w, dy, dx, dw, db, g, &mut scratch[0]);
    }
    let (xin, yout, k, hw) = sizes(g);
    let padded_len = g.c_in * padded_dims(g).0 * padded_dims(g).1;
    let (per, chunks) = split(g);
    let group = group_size(g, per);
    let one_chunk = chunks == 1;
    ensure_scratch(scratch, chunks);
    let scratch = &mut scratch[..chunks];

    // Each chunk's partial dw is kept transposed (K × C_out) when K is large: the gemm crate
    // then reads cols in place instead of first copying all of it into its packed layout
    // (measured: twice as fast for lenet's second convolution, no gain for the first, K = 25).
    let dw_transposed = k >= 64;
    let (dw_rs, dw_cs) = if dw_transposed { (1, g.c_out) } else { (k, 1) };

    // One chunk of images: its dw, db partials, and (optionally) its part of dx.
    let chunk = |ci: usize, s: &mut ConvScratch, mut dx: Option<&mut [f32]>| {
        let ConvScratch { pad, cols, dcols, wide, dw, db } = s;
        let dw = take(dw, g.c_out * k);
        let db = take(db, g.c_out);
        dw.fill(0.0);
        db.fill(0.0);
        let first = ci * per;
        let last = (first + per).min(g.n);
        for n0 in (first..last).step_by(group) {
            let gn = group.min(last - n0);
            let ld = gn * hw;
            // dy of the group as one C_out × gn·HW' matrix (for one image, dy itself).
            let dyg: &[f32] = if gn == 1 {
                &dy[n0 * yout..(n0 + 1) * yout]
            } else {
                let d = take(wide, g.c_out * ld);
                for t in 0..gn {
                    for o in 0..g.c_out {
                        d[o * ld + t * hw..][..hw].copy_from_slice(&dy[(n0 + t) * yout + o * hw..][..hw]);
                    }
                }
                d
            };
            for (o, row) in dyg.chunks(ld).enumerate() {
                db[o] += sum(row);
            }
            let xg = &x[n0 * xin..(n0 + gn) * xin];
            let cols: &[f32] = if is_pointwise(g) {
                xg
            } else {
                let c = take(cols, k * ld);
                group_cols(xg, g, gn, take(pad, padded_len), c);
                c
            };
            // dw (C_out × K) += dy (C_out × gn·HW') · colsᵀ (gn·HW' × K)
            matmul(g.c_out, k, ld, dw, dw_rs, dw_cs, true, Mat::rows(dyg, ld), Mat::rows_t(cols, ld), one_chunk);
            if let Some(dx) = dx.as_deref_mut() {
                let dxg = &mut dx[(n0 - first) * xin..(n0 - first + gn) * xin];
                if is_pointwise(g) {
                    // dx (C_in × HW) = wᵀ (C_in × C_out) · dy, written straight into dx.
                    matmul(k, hw, g.c_out, dxg, hw, 1, false, Mat::rows_t(w, k), Mat::rows(dyg, hw), one_chunk);
                } else {
                    // dcols (K × gn·HW') = wᵀ (K × C_out) · dy (C_out × gn·HW'), then each image's
                    // columns are added back into its dx.
                    let dc = take(dcols, k * ld);
                    matmul(k, ld, g.c_out, dc, ld, 1, false, Mat::rows_t(w, k), Mat::rows(dyg, ld), one_chunk);
                    let xp = take(pad, padded_len);
                    for (t, dxn) in dxg.chunks_mut(xin).enumerate() {
                        col2im(&dc[t * hw..], g, xp, dxn, ld);
                    }
                }
            }
        }
    };
    match dx {
        Some(dx) => par::zip_chunks(dx, per * xin, scratch, |ci, dx, s| chunk(ci, s, Some(dx))),
        None => par::each(scratch, |ci, s| chunk(ci, s, None)),
    }

    // Add the chunks' partial sums in chunk order (deterministic).
    dw.fill(0.0);
    db.fill(0.0);
    for s in scratch.iter() {
        if dw_transposed {
            for (kk, row) in s.dw[..w.len()].chunks(g.c_out).enumerate() {
                for (o, &p) in row.iter().enumerate() {
                    dw[o * k + kk] += p;
                }
            }
        } else {
            for (a, &p) in dw.iter_mut().zip(&s.dw[..w.len()]) {
                *a += p;
            }
        }
        for (a, &p) in db.iter_mut().zip(&s.db[..g.c_out]) {
            *a += p;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::conv2d as reference;

    #[allow(clippy::too_many_arguments)]
    fn geom(n: usize, c_in: usize, h: usize, w: usize, c_out: usize, f: usize, s: usize, p: usize) -> ConvGeom {
        let out = |d: usize| (d + 2 * p - f) / s + 1;
        ConvGeom { n, c_in, h_in: h, w_in: w, c_out, h_out: out(h), w_out: out(w), kernel: f, stride: s, padding: p }
    }

    /// The convolution is linear in x and in w, so for L(x, w) = <dy, conv(x, w) − b> the
    /// gradients satisfy <dx, e> = L(e, w) and <dw, e> = L(x, e) for every direction e, and
    /// db = Σ dy per channel. Checked along a few pseudo-random directions, with groups, chunks,
    /// strides and padding.
    #[test]
    fn backward_is_the_adjoint_of_forward() {
        let wave = |len: usize, seed: f32| -> Vec<f32> { (0..len).map(|i| ((i as f32 + seed) * 0.731).sin()).collect() };
        let dot = |a: &[f32], b: &[f32]| -> f64 { a.iter().zip(b).map(|(x, y)| (*x as f64) * (*y as f64)).sum() };
        for g in [geom(3, 2, 7, 6, 4, 3, 1, 1), geom(37, 3, 9, 8, 5, 3, 2, 2), geom(2, 4, 5, 5, 3, 1, 1, 0), geom(300, 2, 14, 14, 4, 5, 1, 0), geom(21, 6, 14, 14, 16, 5, 1, 0)] {
            let (xin, yout, k, _) = sizes(&g);
            let (x, w, dy) = (wave(g.n * xin, 0.0), wave(g.c_out * k, 1.0), wave(g.n * yout, 2.0));
            let zero_b = vec![0.0; g.c_out];
            let mut scratch = Vec::new();
            let loss = |x: &[f32], w: &[f32], scratch: &mut Vec<ConvScratch>| {
                let mut y = vec![0.0; g.n * yout];
                conv2d_forward(x, w, &zero_b, &mut y, &g, scratch);
                dot(&dy, &y)
            };
            let (mut dx, mut dw, mut db) = (vec![f32::NAN; x.len()], vec![f32::NAN; w.len()], vec![f32::NAN; g.c_out]);
            conv2d_backward(&x, &w, &dy, Some(&mut dx), &mut dw, &mut db, &g, &mut scratch);
            for seed in [3.0, 4.0] {
                let (ex, ew) = (wave(x.len(), seed), wave(w.len(), seed));
                let (lx, lw) = (loss(&ex, &w, &mut scratch), loss(&x, &ew, &mut scratch));
                assert!((dot(&dx, &ex) - lx).abs() < 1e-3 * lx.abs().max(1.0), "{g:?}: dx {} vs {lx}", dot(&dx, &ex));
                assert!((dot(&dw, &ew) - lw).abs() < 1e-3 * lw.abs().max(1.0), "{g:?}: dw {} vs {lw}", dot(&dw, &ew));
            }
            for o in 0..g.c_out {
                let want: f64 = (0..g.n).map(|n| dy[n * yout + o * g.h_out * g.w_out..][..g.h_out * g.w_out].iter().map(|&v| v as f64).sum::<f64>()).sum();
                assert!((db[o] as f64 - want).abs() < 1e-3 * want.abs().max(1.0), "{g:?}: db[{o}] {} vs {want}", db[o]);
            }
            // Without dx, the same dw and db.
            let (mut dw2, mut db2) = (vec![0.0; w.len()], vec![0.0; g.c_out]);
            conv2d_backward(&x, &w, &dy, None, &mut dw2, &mut db2, &g, &mut scratch);
            assert_eq!((dw2, db2), (dw, db));
        }
    }

    /// The browser's per-image path (direct kernels) against the reference (`layers::conv2d`),
    /// forward and backward, on stride-1 shapes with odd sizes, padding, 1×1 kernels, batches
    /// and dx asked or not. Natively only this test runs it, on the portable lanes; the
    /// agreement suite runs it on WebAssembly SIMD in Chromium (tests/agreement_web.rs).
    #[test]
    fn direct_path_matches_the_reference() {
        for g in [geom(3, 1, 28, 28, 6, 5, 1, 2), geom(5, 6, 14, 14, 16, 5, 1, 0), geom(2, 3, 7, 9, 5, 3, 1, 1), geom(1, 1, 1, 1, 1, 1, 1, 0), geom(4, 2, 5, 6, 7, 1, 1, 0), geom(2, 4, 9, 7, 13, 2, 1, 1), geom(33, 1, 6, 6, 2, 5, 1, 2)] {
            let (xin, yout, k, _) = sizes(&g);
            let wave = |len: usize, seed: f32| -> Vec<f32> { (0..len).map(|i| ((i as f32 + seed) * 0.731).sin()).collect() };
            let (x, w, b, dy) = (wave(g.n * xin, 0.0), wave(g.c_out * k, 1.0), wave(g.c_out, 2.0), wave(g.n * yout, 3.0));
            // Within 1e-4 of the tensor's largest value (the agreement suite's forward bound): the
            // reference adds its terms one after another in f32 (a weight's gradient here sums
            // 2,352), the direct kernels in four lanes.
            let close = |a: &[f32], e: &[f32], what: &str| {
                let scale = e.iter().fold(1.0f32, |m, v| m.max(v.abs()));
                for (p, q) in a.iter().zip(e) {
                    assert!((p - q).abs() <= 1e-4 * scale, "{g:?} {what}: {p} vs {q} (scale {scale})");
                }
            };
            let mut s = ConvScratch::default();
            let (mut y, mut y2) = (vec![0.0; g.n * yout], vec![f32::NAN; g.n * yout]);
            reference::conv2d_forward(&x, &w, &b, &mut y, &g);
            forward_direct(&x, &w, &b, &mut y2, &g, &mut s);
            close(&y2, &y, "y");
            let (mut dx, mut dw, mut db) = (vec![0.0; x.len()], vec![0.0; w.len()], vec![0.0; g.c_out]);
            reference::conv2d_backward(&x, &w, &dy, Some(&mut dx), &mut dw, &mut db, &g);
            let (mut dx2, mut dw2, mut db2) = (vec![f32::NAN; x.len()], vec![f32::NAN; w.len()], vec![f32::NAN; g.c_out]);
            backward_direct(&x, &w, &dy, Some(&mut dx2), &mut dw2, &mut db2, &g, &mut s);
            close(&dx2, &dx, "dx");
            close(&dw2, &dw, "dw");
            close(&db2, &db, "db");
            let (mut dw3, mut db3) = (vec![f32::NAN; w.len()], vec![f32::NAN; g.c_out]);
            backward_direct(&x, &w, &dy, None, &mut dw3, &mut db3, &g, &mut s);
            assert_eq!((dw3, db3), (dw2, db2));
        }
    }

    /// col2im is the adjoint of im2col: <im2col(x), c> = <x, col2im(c)> for any x, c.
    #[test]
    fn col2im_is_the_adjoint_of_im2col() {
        for g in [geom(1, 2, 7, 6, 1, 3, 1, 1), geom(1, 3, 9, 8, 1, 3, 2, 2), geom(1, 1, 5, 7, 1, 4, 3, 0)] {
            let (xin, _, k, hw) = sizes(&g);
            let x: Vec<f32> = (0..xin).map(|i| (i as f32 * 0.7).sin()).collect();
            let c: Vec<f32> = (0..k * hw).map(|i| (i as f32 * 1.3).cos()).collect();
            let mut xp = vec![f32::NAN; g.c_in * padded_dims(&g).0 * padded_dims(&g).1];
            pad_image(&x, &g, &mut xp);
            let mut cols = vec![0.0; k * hw];
            im2col(&xp, &g, &mut cols, hw);
            let mut back = vec![f32::NAN; xin];
            col2im(&c, &g, &mut xp, &mut back, hw);
            let lhs: f64 = cols.iter().zip(&c).map(|(a, b)| (a * b) as f64).sum();
            let rhs: f64 = x.iter().zip(&back).map(|(a, b)| (a * b) as f64).sum();
            assert!((lhs - rhs).abs() < 1e-3, "{g:?}: {lhs} vs {rhs}");
        }
    }
}
