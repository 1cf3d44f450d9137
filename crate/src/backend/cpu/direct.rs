//! Direct convolution for stride 1, on one zero-padded image: the browser's path for small
//! convolutions (a LeNet's), where im2col + a packed GEMM spends most of its time copying.
//!
//! With stride 1, row (c,u,v) of the im2col matrix restricted to output row i is a contiguous
//! run of the padded input: cols[(c,u,v), (i, j..j+4)] = xp[c, i+u, j+v .. j+v+4]. So the
//! product y = w · cols can read its right-hand side straight from xp, four output pixels per
//! vector load, and nothing is copied. A tile of R output channels × 4·NV pixels of one output
//! row keeps its R·NV vector sums in registers over the whole K = C_in·F·F loop:
//!
//!   acc[r][t] += w[o0+r, (c,u,v)] · xp[c, i+u, j0+4t+v .. +4]
//!   y[o0+r, i, j0+4t .. +4] = b[o0+r] + acc[r][t]
//!
//! A row whose width is not a multiple of 4 ends with one vector that reads up to 3 values past
//! the row (the next row's, or the `SLACK` after the image: finite numbers either way) and
//! stores only the lanes inside the row.
//!
//! The sum over K runs in the same order as the textbook loop (c, then u, then v), then the bias
//! is added, as the GEMM path does: results agree with it to rounding.
//!
//! The weight gradient reads xp the same way: dw[o, (c,u,v)] = Σ_(i,j) dy[o,i,j]·xp[c, i+u, j+v]
//! is a sum over the same shifted runs, kept as 4-lane partial sums per weight over the batch
//! (`weight_grad`, then `reduce_lanes` once).

use super::simd::F4;
use crate::backend::ConvGeom;

/// Values the padded image must be followed by (any finite numbers): the reach of the last
/// vector of a row whose width is not a multiple of 4.
pub const SLACK: usize = 3;

/// Output channels per tile, with two vectors (8 pixels) each: 8 sums, two loaded inputs and a
/// broadcast weight stay within the 16 vector registers of an x86-64 core (the browser's wasm
/// runs on SSE/AVX registers, one kept by V8 for itself). Measured in Chromium: 6 channels
/// (12 sums) spill and run 10–20% slower.
const ROWS: usize = 4;

/// The values of one padded image xp (C_in × (H+2P) × (W+2P)) that `forward` reads: the image
/// plus the slack.
pub fn padded_len(g: &ConvGeom) -> usize {
    g.c_in * (g.h_in + 2 * g.padding) * (g.w_in + 2 * g.padding) + SLACK
}

/// The largest padded image (values) the browser sends down this path. LeNet's are about a
/// thousand; the kernels have no cache blocking, so for images much larger than the L1/L2 caches
/// the gemm crate's tiled products are the safer choice (not measured against them).
const MAX_PADDED: usize = 1 << 16;

/// Should the browser compute this convolution here? Stride 1 only (with a larger stride the
/// input pixels of neighbouring outputs are not contiguous), and images of a small network.
pub fn applies(g: &ConvGeom) -> bool {
    g.stride == 1 && g.kernel >= 1 && padded_len(g) <= MAX_PADDED
}

/// y (C_out × H' × W', one image) ← b + w ⋆ xp, xp the padded image followed by `SLACK` values.
/// Panics (a programmer error) when the slices do not fit the geometry.
pub fn forward(xp: &[f32], w: &[f32], b: &[f32], y: &mut [f32], g: &ConvGeom) {
    let k = g.c_in * g.kernel * g.kernel;
    assert!(g.stride == 1 && g.kernel >= 1, "direct::forward: stride {} (only 1)", g.stride);
    assert!(
        xp.len() >= padded_len(g) && w.len() == g.c_out * k && b.len() == g.c_out && y.len() == g.c_out * g.h_out * g.w_out,
        "direct::forward: xp {}, w {}, b {}, y {} values do not fit {g:?}",
        xp.len(),
        w.len(),
        b.len(),
        y.len()
    );
    assert!(g.h_out + g.kernel - 1 <= g.h_in + 2 * g.padding && g.w_out + g.kernel - 1 <= g.w_in + 2 * g.padding, "direct::forward: output larger than {g:?} allows");
    // The kernel size as a constant for the common sizes: the loop over v unrolls (measured:
    // 10% faster for 5×5).
    match g.kernel {
        5 => blocks::<2, 5>(xp, w, b, y, g),
        3 => blocks::<2, 3>(xp, w, b, y, g),
        _ => blocks::<2, 0>(xp, w, b, y, g),
    }
}

/// Every output channel, `ROWS` at a time; F the kernel size, or 0 to read it from g.
fn blocks<const NV: usize, const F: usize>(xp: &[f32], w: &[f32], b: &[f32], y: &mut [f32], g: &ConvGeom) {
    let mut o0 = 0;
    while o0 < g.c_out {
        let rows = ROWS.min(g.c_out - o0);
        // One monomorphised tile per row count, so that the sums stay in registers.
        match rows {
            4 => channel_block::<4, NV, F>(xp, w, b, y, o0, g),
            3 => channel_block::<3, NV, F>(xp, w, b, y, o0, g),
            2 => channel_block::<2, NV, F>(xp, w, b, y, o0, g),
            _ => channel_block::<1, NV, F>(xp, w, b, y, o0, g),
        }
        o0 += rows;
    }
}

/// Output channels o0..o0+R, every output pixel: tiles of 4·NV pixels along each output row,
/// then tiles of 4 (the last one partly outside the row).
#[inline(always)]
fn channel_block<const R: usize, const NV: usize, const F: usize>(xp: &[f32], w: &[f32], b: &[f32], y: &mut [f32], o0: usize, g: &ConvGeom) {
    let (wp, hw) = (g.w_in + 2 * g.padding, g.h_out * g.w_out);
    for i in 0..g.h_out {
        let mut j0 = 0;
        while j0 + 4 * NV <= g.w_out {
            let acc = tile::<R, NV, F>(xp, w, o0, i * wp + j0, g);
            store::<R, NV>(&acc, b, y, o0, hw, i * g.w_out + j0, 4 * NV);
            j0 += 4 * NV;
        }
        while j0 < g.w_out {
            let acc = tile::<R, 1, F>(xp, w, o0, i * wp + j0, g);
            store::<R, 1>(&acc, b, y, o0, hw, i * g.w_out + j0, (g.w_out - j0).min(4));
            j0 += 4;
        }
    }
}

/// The R × NV vector sums of the tile whose output pixels start at row i, column j0; `at` is
/// i·Wp + j0, where that tile's window starts in each padded channel plane.
#[inline(always)]
fn tile<const R: usize, const NV: usize, const F: usize>(xp: &[f32], w: &[f32], o0: usize, at: usize, g: &ConvGeom) -> [[F4; NV]; R] {
    let f = if F > 0 { F } else { g.kernel };
    let k = g.c_in * f * f;
    let (hp, wp) = (g.h_in + 2 * g.padding, g.w_in + 2 * g.padding);
    let mut acc = [[F4::splat(0.0); NV]; R];
    let wrow = w[o0 * k..].as_ptr();
    let mut kk = 0;
    for c in 0..g.c_in {
        for u in 0..f {
            let row = c * hp * wp + u * wp + at;
            for v in 0..f {
                // SAFETY (both reads): `forward` checked that xp holds the padded image plus
                // SLACK values and that the output fits inside the padded image, so
                // row + v + 4·NV − 1 ≤ (last value of the image) + 3; and that w holds C_out
                // rows of k weights, so (o0 + r)·k + kk < C_out·k for r < R, kk < k.
                let x: [F4; NV] = std::array::from_fn(|t| unsafe { F4::load(xp.as_ptr().add(row + v + 4 * t)) });
                for (r, acc_r) in acc.iter_mut().enumerate() {
                    let a = F4::splat(unsafe { *wrow.add(r * k + kk) });
                    for t in 0..NV {
                        acc_r[t] = acc_r[t].mul_add(a, x[t]);
                    }
                }
                kk += 1;
            }
        }
    }
    acc
}

/// y[o0+r, p + 4t + lane] ← b[o0+r] + acc[r][t] for the first `valid` pixels of the tile.
#[inline(always)]
fn store<const R: usize, const NV: usize>(acc: &[[F4; NV]; R], b: &[f32], y: &mut [f32], o0: usize, hw: usize, p: usize, valid: usize) {
    for (r, acc_r) in acc.iter().enumerate() {
        let bias = F4::splat(b[o0 + r]);
        let out = &mut y[(o0 + r) * hw + p..][..valid];
        if valid == 4 * NV {
            for (t, a) in acc_r.iter().enumerate() {
                // SAFETY: `out` holds 4·NV values, so out[4t..4t+4] is inside it.
                unsafe { bias.add(*a).store(out.as_mut_ptr().add(4 * t)) };
            }
        } else {
            for (t, a) in acc_r.iter().enumerate() {
                for (o, v) in out.iter_mut().skip(4 * t).zip(bias.add(*a).to_array()) {
                    *o = v;
                }
            }
        }
    }
}

/// Output channels × kernel taps per tile of `weight_grad`: 12 sums, and per vector of pixels
/// R + Q loads for R·Q products. 4 × 3 unless the channel count divides by 3 and not by 4
/// (LeNet's first convolution: 6 channels).
fn grad_tile(c_out: usize) -> (usize, usize) {
    if !c_out.is_multiple_of(4) && c_out.is_multiple_of(3) {
        (3, 4)
    } else {
        (4, 3)
    }
}

/// Row length of the zero-tailed ∂L/∂y copy that `weight_grad` reads: W' rounded up to 4.
pub fn dy_row_len(g: &ConvGeom) -> usize {
    g.w_out.div_ceil(4) * 4
}

/// part[o, (c,u,v)] += Σ_(i,j) dyz[o, i, j] · xp[c, i+u, j+v] for one image, four lanes of
/// partial sums per weight (part holds 4·C_out·K values; the caller adds the lanes up once the
/// whole batch is in). dyz is ∂L/∂y with each row of W' values followed by zeros up to
/// `dy_row_len`, so the pixels a row's last vector reads past its end are multiplied by 0;
/// xp is the padded image followed by `SLACK` values, as for `forward`.
pub fn weight_grad(xp: &[f32], dyz: &[f32], part: &mut [f32], g: &ConvGeom) {
    let (f, w4) = (g.kernel, dy_row_len(g));
    let k = g.c_in * f * f;
    assert!(g.stride == 1 && g.kernel >= 1, "direct::weight_grad: stride {} (only 1)", g.stride);
    assert!(
        xp.len() >= padded_len(g) && dyz.len() == g.c_out * g.h_out * w4 && part.len() == 4 * g.c_out * k,
        "direct::weight_grad: xp {}, dyz {}, part {} values do not fit {g:?}",
        xp.len(),
        dyz.len(),
        part.len()
    );
    assert!(g.h_out + f - 1 <= g.h_in + 2 * g.padding && g.w_out + f - 1 <= g.w_in + 2 * g.padding, "direct::weight_grad: output larger than {g:?} allows");
    match grad_tile(g.c_out) {
        (3, 4) => grad_tiles::<3, 4>(xp, dyz, part, g),
        _ => grad_tiles::<4, 3>(xp, dyz, part, g),
    }
}

/// Every R × Q tile of (channels, taps). The last tile in each direction may stick out: its
/// extra rows and taps repeat the last real one, and their sums are dropped.
#[inline(always)]
fn grad_tiles<const R: usize, const Q: usize>(xp: &[f32], dyz: &[f32], part: &mut [f32], g: &ConvGeom) {
    let f = g.kernel;
    let k = g.c_in * f * f;
    let (hp, wp, w4) = (g.h_in + 2 * g.padding, g.w_in + 2 * g.padding, dy_row_len(g));
    let plane = g.h_out * w4;
    // Where tap (c,u,v) starts in xp.
    let tap = |kk: usize| (kk / (f * f)) * hp * wp + (kk / f % f) * wp + kk % f;
    for o0 in (0..g.c_out).step_by(R) {
        let rows: [usize; R] = std::array::from_fn(|r| (o0 + r).min(g.c_out - 1));
        for q0 in (0..k).step_by(Q) {
            let taps: [usize; Q] = std::array::from_fn(|q| tap((q0 + q).min(k - 1)));
            let mut acc = [[F4::splat(0.0); Q]; R];
            for i in 0..g.h_out {
                for j in (0..w4).step_by(4) {
                    // SAFETY: rows[r] < C_out, i < H', j + 4 ≤ w4, so the dyz read lies inside
                    // dyz (C_out·H'·w4 values, checked); taps[q] + i·Wp + j + 3 is at most 3
                    // past the padded image's last value (the output fits inside the padded
                    // image, checked), which the SLACK covers.
                    let d: [F4; R] = std::array::from_fn(|r| unsafe { F4::load(dyz.as_ptr().add(rows[r] * plane + i * w4 + j)) });
                    let x: [F4; Q] = std::array::from_fn(|q| unsafe { F4::load(xp.as_ptr().add(taps[q] + i * wp + j)) });
                    for r in 0..R {
                        for q in 0..Q {
                            acc[r][q] = acc[r][q].mul_add(d[r], x[q]);
                        }
                    }
                }
            }
            for (r, acc_r) in acc.iter().enumerate().take(g.c_out - o0) {
                for (q, a) in acc_r.iter().enumerate().take(k - q0) {
                    let at = 4 * ((o0 + r) * k + q0 + q);
                    // SAFETY: o0 + r < C_out and q0 + q < k, so part[at..at + 4] lies inside
                    // part (4·C_out·k values, checked).
                    unsafe {
                        let p = part.as_mut_ptr().add(at);
                        F4::load(p).add(*a).store(p);
                    }
                }
            }
        }
    }
}

/// dw[o, k] ← the sum of the four lanes of part[o, k], in a fixed order.
pub fn reduce_lanes(part: &[f32], dw: &mut [f32]) {
    for (d, l) in dw.iter_mut().zip(part.chunks_exact(4)) {
        *d = (l[0] + l[1]) + (l[2] + l[3]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geom(c_in: usize, h: usize, w: usize, c_out: usize, f: usize, p: usize) -> ConvGeom {
        ConvGeom { n: 1, c_in, h_in: h, w_in: w, c_out, h_out: h + 2 * p - f + 1, w_out: w + 2 * p - f + 1, kernel: f, stride: 1, padding: p }
    }

    /// The definition on the padded image, accumulated in f64.
    fn reference(xp: &[f32], w: &[f32], b: &[f32], g: &ConvGeom) -> Vec<f64> {
        let (hp, wp) = (g.h_in + 2 * g.padding, g.w_in + 2 * g.padding);
        let mut y = vec![0.0; g.c_out * g.h_out * g.w_out];
        for o in 0..g.c_out {
            for i in 0..g.h_out {
                for j in 0..g.w_out {
                    let mut s = b[o] as f64;
                    for c in 0..g.c_in {
                        for u in 0..g.kernel {
                            for v in 0..g.kernel {
                                s += w[((o * g.c_in + c) * g.kernel + u) * g.kernel + v] as f64 * xp[(c * hp + i + u) * wp + j + v] as f64;
                            }
                        }
                    }
                    y[(o * g.h_out + i) * g.w_out + j] = s;
                }
            }
        }
        y
    }

    /// Every tile shape and every row tail: channel counts 1..=13 (full and partial blocks of
    /// `ROWS` = 4), widths giving w_out ≡ 0..3 mod 4 and below 4, kernels 1 to 5.
    #[test]
    fn matches_the_definition_on_many_shapes() {
        for (c_in, h, w, c_out, f, p) in [
            (1, 28, 28, 6, 5, 2),
            (6, 14, 14, 16, 5, 0),
            (1, 1, 1, 1, 1, 0),
            (2, 3, 5, 1, 1, 0),
            (3, 7, 9, 5, 3, 1),
            (1, 6, 6, 13, 2, 0),
            (4, 5, 11, 7, 3, 0),
            (2, 9, 12, 12, 4, 2),
            (1, 3, 2, 2, 3, 1),
        ] {
            let g = geom(c_in, h, w, c_out, f, p);
            let len = padded_len(&g);
            let xp: Vec<f32> = (0..len).map(|i| ((i * 37 % 101) as f32 - 50.0) / 50.0).collect();
            let wt: Vec<f32> = (0..c_out * c_in * f * f).map(|i| ((i * 13 % 29) as f32 - 14.0) / 14.0).collect();
            let b: Vec<f32> = (0..c_out).map(|o| o as f32 * 0.1 - 0.3).collect();
            let mut y = vec![f32::NAN; c_out * g.h_out * g.w_out];
            forward(&xp, &wt, &b, &mut y, &g);
            for (a, e) in y.iter().zip(reference(&xp, &wt, &b, &g)) {
                assert!((*a as f64 - e).abs() <= 1e-5 * e.abs().max(1.0), "{g:?}: {a} vs {e}");
            }
        }
    }

    /// weight_grad (lanes added up) is Σ_(i,j) dy[o,i,j]·xp[c,i+u,j+v], on shapes with every
    /// tile remainder: channels 1..=16 (tiles of 3 and of 4), taps not multiples of 3 or 4,
    /// widths W' ≡ 0..3 mod 4.
    #[test]
    fn weight_grad_matches_the_definition() {
        for (c_in, h, w, c_out, f, p) in [(1, 28, 28, 6, 5, 2), (6, 14, 14, 16, 5, 0), (1, 1, 1, 1, 1, 0), (2, 5, 6, 5, 2, 1), (3, 7, 9, 7, 3, 0), (1, 4, 7, 3, 1, 0), (2, 6, 5, 9, 3, 1)] {
            let g = geom(c_in, h, w, c_out, f, p);
            let (hp, wp, w4) = (h + 2 * p, w + 2 * p, dy_row_len(&g));
            let k = c_in * f * f;
            let xp: Vec<f32> = (0..padded_len(&g)).map(|i| ((i * 37 % 101) as f32 - 50.0) / 50.0).collect();
            let dy: Vec<f32> = (0..c_out * g.h_out * g.w_out).map(|i| ((i * 13 % 29) as f32 - 14.0) / 14.0).collect();
            let mut dyz = vec![0.0; c_out * g.h_out * w4];
            for (row, src) in dyz.chunks_mut(w4).zip(dy.chunks(g.w_out)) {
                row[..g.w_out].copy_from_slice(src);
            }
            // Two images' worth into the same partial sums: they add.
            let mut part = vec![0.0; 4 * c_out * k];
            weight_grad(&xp, &dyz, &mut part, &g);
            weight_grad(&xp, &dyz, &mut part, &g);
            let mut dw = vec![f32::NAN; c_out * k];
            reduce_lanes(&part, &mut dw);
            for o in 0..c_out {
                for c in 0..c_in {
                    for u in 0..f {
                        for v in 0..f {
                            let mut s = 0.0f64;
                            for i in 0..g.h_out {
                                for j in 0..g.w_out {
                                    s += dy[(o * g.h_out + i) * g.w_out + j] as f64 * xp[(c * hp + i + u) * wp + j + v] as f64;
                                }
                            }
                            let got = dw[o * k + (c * f + u) * f + v] as f64;
                            assert!((got - 2.0 * s).abs() <= 1e-5 * s.abs().max(1.0), "{g:?} o{o} c{c} u{u} v{v}: {got} vs {}", 2.0 * s);
                        }
                    }
                }
            }
        }
    }
}
