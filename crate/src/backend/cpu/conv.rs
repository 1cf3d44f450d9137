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
//! The batch is split into a fixed number of chunks of images that run on both cores; each
//! chunk keeps its own im2col buffer and its own partial dw, db, and the partials are added in
//! chunk order, so the result does not depend on the number of threads.

use super::gemm::{matmul, Mat};
use super::par;
use crate::backend::ConvGeom;

/// One chunk's working memory, kept between calls (grown, never shrunk) so that a training
/// step allocates nothing.
#[derive(Default)]
pub struct ConvScratch {
    cols: Vec<f32>,
    dcols: Vec<f32>,
    dw: Vec<f32>,
    db: Vec<f32>,
}

/// `v[..len]`, growing `v` first when it is shorter.
fn take(v: &mut Vec<f32>, len: usize) -> &mut [f32] {
    if v.len() < len {
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

/// The output columns j whose input column j·S + v − P falls inside 0..W: a range lo..hi.
fn valid_cols(w_out: usize, w_in: usize, s: usize, v: usize, p: usize) -> (usize, usize) {
    let lo = if p > v { (p - v).div_ceil(s) } else { 0 };
    let hi = if w_in + p > v { ((w_in + p - v - 1) / s + 1).min(w_out) } else { 0 };
    (lo.min(hi), hi)
}

/// cols (K × HW') ← the receptive fields of one image x (C_in × H × W).
fn im2col(x: &[f32], g: &ConvGeom, cols: &mut [f32]) {
    let (f, s, p) = (g.kernel, g.stride, g.padding);
    let hw = g.h_out * g.w_out;
    for c in 0..g.c_in {
        let plane = &x[c * g.h_in * g.w_in..(c + 1) * g.h_in * g.w_in];
        for u in 0..f {
            for v in 0..f {
                let row = &mut cols[((c * f + u) * f + v) * hw..][..hw];
                let (lo, hi) = valid_cols(g.w_out, g.w_in, s, v, p);
                for i in 0..g.h_out {
                    let out = &mut row[i * g.w_out..(i + 1) * g.w_out];
                    let ih = i * s + u;
                    if ih < p || ih - p >= g.h_in {
                        out.fill(0.0);
                        continue;
                    }
                    let src = &plane[(ih - p) * g.w_in..(ih - p + 1) * g.w_in];
                    out[..lo].fill(0.0);
                    out[hi..].fill(0.0);
                    if s == 1 {
                        // Contiguous: a plain copy of the input row segment.
                        out[lo..hi].copy_from_slice(&src[lo + v - p..hi + v - p]);
                    } else {
                        for j in lo..hi {
                            out[j] = src[j * s + v - p];
                        }
                    }
                }
            }
        }
    }
}

/// dx (C_in × H × W) ← col2im(dcols): the exact reverse of `im2col`, adding where receptive
/// fields overlap. dx is overwritten.
fn col2im(dcols: &[f32], g: &ConvGeom, dx: &mut [f32]) {
    let (f, s, p) = (g.kernel, g.stride, g.padding);
    let hw = g.h_out * g.w_out;
    dx.fill(0.0);
    for c in 0..g.c_in {
        let plane = &mut dx[c * g.h_in * g.w_in..(c + 1) * g.h_in * g.w_in];
        for u in 0..f {
            for v in 0..f {
                let row = &dcols[((c * f + u) * f + v) * hw..][..hw];
                let (lo, hi) = valid_cols(g.w_out, g.w_in, s, v, p);
                for i in 0..g.h_out {
                    let ih = i * s + u;
                    if ih < p || ih - p >= g.h_in {
                        continue;
                    }
                    let src = &row[i * g.w_out..(i + 1) * g.w_out];
                    let dst = &mut plane[(ih - p) * g.w_in..(ih - p + 1) * g.w_in];
                    if s == 1 {
                        for (d, &v) in dst[lo + v - p..hi + v - p].iter_mut().zip(&src[lo..hi]) {
                            *d += v;
                        }
                    } else {
                        for j in lo..hi {
                            dst[j * s + v - p] += src[j];
                        }
                    }
                }
            }
        }
    }
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

/// y ← conv(x, w) + b
pub fn conv2d_forward(x: &[f32], w: &[f32], b: &[f32], y: &mut [f32], g: &ConvGeom, scratch: &mut Vec<ConvScratch>) {
    check("conv2d_forward", g, x.len(), w.len(), b.len(), y.len());
    if g.n == 0 {
        return;
    }
    let (xin, yout, k, hw) = sizes(g);
    let (per, chunks) = split(g);
    ensure_scratch(scratch, chunks);
    par::zip_chunks(y, per * yout, scratch, |ci, y, s| {
        for (local, yn) in y.chunks_mut(yout).enumerate() {
            let n = ci * per + local;
            let xn = &x[n * xin..(n + 1) * xin];
            // Start from the bias, then add the product.
            for (o, row) in yn.chunks_mut(hw).enumerate() {
                row.fill(b[o]);
            }
            let cols: &[f32] = if is_pointwise(g) {
                xn
            } else {
                let cols = take(&mut s.cols, k * hw);
                im2col(xn, g, cols);
                cols
            };
            matmul(g.c_out, hw, k, yn, hw, 1, true, Mat::rows(w, k), Mat::rows(cols, hw), false);
        }
    });
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
    let (xin, yout, k, hw) = sizes(g);
    let (per, chunks) = split(g);
    ensure_scratch(scratch, chunks);
    let scratch = &mut scratch[..chunks];

    // One chunk of images: its dw, db partials, and (optionally) its part of dx.
    let chunk = |ci: usize, s: &mut ConvScratch, dx: Option<&mut [f32]>| {
        let ConvScratch { cols, dcols, dw, db } = s;
        let dw = take(dw, g.c_out * k);
        let db = take(db, g.c_out);
        dw.fill(0.0);
        db.fill(0.0);
        let first = ci * per;
        let last = (first + per).min(g.n);
        let mut dx = dx;
        for n in first..last {
            let xn = &x[n * xin..(n + 1) * xin];
            let dyn_ = &dy[n * yout..(n + 1) * yout];
            for (o, row) in dyn_.chunks(hw).enumerate() {
                db[o] += row.iter().sum::<f32>();
            }
            let cols: &[f32] = if is_pointwise(g) {
                xn
            } else {
                let cols = take(cols, k * hw);
                im2col(xn, g, cols);
                cols
            };
            // dw (C_out × K) += dy (C_out × HW') · colsᵀ (HW' × K)
            matmul(g.c_out, k, hw, dw, k, 1, true, Mat::rows(dyn_, hw), Mat::rows_t(cols, hw), false);
            if let Some(dx) = dx.as_deref_mut() {
                let dxn = &mut dx[(n - first) * xin..(n - first + 1) * xin];
                if is_pointwise(g) {
                    // dx (C_in × HW) = wᵀ (C_in × C_out) · dy, written straight into dx.
                    matmul(k, hw, g.c_out, dxn, hw, 1, false, Mat::rows_t(w, k), Mat::rows(dyn_, hw), false);
                } else {
                    let dcols = take(dcols, k * hw);
                    // dcols (K × HW') = wᵀ (K × C_out) · dy (C_out × HW')
                    matmul(k, hw, g.c_out, dcols, hw, 1, false, Mat::rows_t(w, k), Mat::rows(dyn_, hw), false);
                    col2im(dcols, g, dxn);
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
        for (a, &p) in dw.iter_mut().zip(&s.dw[..w.len()]) {
            *a += p;
        }
        for (a, &p) in db.iter_mut().zip(&s.db[..g.c_out]) {
            *a += p;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geom(n: usize, c_in: usize, h: usize, w: usize, c_out: usize, f: usize, s: usize, p: usize) -> ConvGeom {
        let out = |d: usize| (d + 2 * p - f) / s + 1;
        ConvGeom { n, c_in, h_in: h, w_in: w, c_out, h_out: out(h), w_out: out(w), kernel: f, stride: s, padding: p }
    }

    /// The definition, y[n,o,i,j] = b[o] + Σ_c,u,v w[o,c,u,v]·x[n,c,i·S+u−P,j·S+v−P], as loops.
    fn direct(x: &[f32], w: &[f32], b: &[f32], g: &ConvGeom) -> Vec<f32> {
        let mut y = vec![0.0; g.n * g.c_out * g.h_out * g.w_out];
        for n in 0..g.n {
            for o in 0..g.c_out {
                for i in 0..g.h_out {
                    for j in 0..g.w_out {
                        let mut acc = b[o];
                        for c in 0..g.c_in {
                            for u in 0..g.kernel {
                                for v in 0..g.kernel {
                                    let (ih, iw) = ((i * g.stride + u) as isize - g.padding as isize, (j * g.stride + v) as isize - g.padding as isize);
                                    if ih >= 0 && iw >= 0 && (ih as usize) < g.h_in && (iw as usize) < g.w_in {
                                        acc += w[((o * g.c_in + c) * g.kernel + u) * g.kernel + v]
                                            * x[((n * g.c_in + c) * g.h_in + ih as usize) * g.w_in + iw as usize];
                                    }
                                }
                            }
                        }
                        y[((n * g.c_out + o) * g.h_out + i) * g.w_out + j] = acc;
                    }
                }
            }
        }
        y
    }

    #[test]
    fn im2col_product_matches_the_definition() {
        for g in [geom(3, 2, 7, 6, 4, 3, 1, 1), geom(2, 3, 9, 8, 5, 3, 2, 2), geom(2, 4, 5, 5, 3, 1, 1, 0), geom(40, 1, 6, 6, 2, 5, 1, 2)] {
            let x: Vec<f32> = (0..g.n * g.c_in * g.h_in * g.w_in).map(|i| ((i * 37 % 101) as f32 - 50.0) / 50.0).collect();
            let w: Vec<f32> = (0..g.c_out * g.c_in * g.kernel * g.kernel).map(|i| ((i * 13 % 29) as f32 - 14.0) / 14.0).collect();
            let b: Vec<f32> = (0..g.c_out).map(|o| o as f32 * 0.1).collect();
            let mut y = vec![f32::NAN; g.n * g.c_out * g.h_out * g.w_out];
            conv2d_forward(&x, &w, &b, &mut y, &g, &mut Vec::new());
            let want = direct(&x, &w, &b, &g);
            for (a, e) in y.iter().zip(&want) {
                assert!((a - e).abs() < 1e-4, "{g:?}: {a} vs {e}");
            }
        }
    }

    /// col2im is the adjoint of im2col: <im2col(x), c> = <x, col2im(c)> for any x, c.
    #[test]
    fn col2im_is_the_adjoint_of_im2col() {
        for g in [geom(1, 2, 7, 6, 1, 3, 1, 1), geom(1, 3, 9, 8, 1, 3, 2, 2), geom(1, 1, 5, 7, 1, 4, 3, 0)] {
            let (xin, _, k, hw) = sizes(&g);
            let x: Vec<f32> = (0..xin).map(|i| (i as f32 * 0.7).sin()).collect();
            let c: Vec<f32> = (0..k * hw).map(|i| (i as f32 * 1.3).cos()).collect();
            let mut cols = vec![0.0; k * hw];
            im2col(&x, &g, &mut cols);
            let mut back = vec![0.0; xin];
            col2im(&c, &g, &mut back);
            let lhs: f64 = cols.iter().zip(&c).map(|(a, b)| (a * b) as f64).sum();
            let rhs: f64 = x.iter().zip(&back).map(|(a, b)| (a * b) as f64).sum();
            assert!((lhs - rhs).abs() < 1e-3, "{g:?}: {lhs} vs {rhs}");
        }
    }
}
