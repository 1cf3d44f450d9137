//! Max and average pooling over F×F windows with stride S and padding P, each (n, c) plane on
//! its own. x (N, C, H, W) -> y (N, C, H', W');  window (i, j) covers rows i·S−P..i·S−P+F and
//! columns j·S−P..j·S−P+F, and padding is never the max and adds 0 to the sum.
//!
//!   max:  y = max over the window     backward: dy goes to the first maximum (row-major order)
//!   avg:  y = Σ window / F²           backward: dy/F² to every input position of the window
//!
//! Planes are independent, so large batches are split into chunks of planes over the cores.
//! Without padding, the loops run over whole rows (and 2×2/2 has a path of its own); with
//! padding, each window is clipped to the input and pooled one at a time (`padded_forward`).

use super::par;
use crate::backend::{PoolGeom, PoolKind};

fn check(op: &str, g: &PoolGeom, x: usize, y: usize) {
    let planes = g.n * g.c;
    assert!(
        x == planes * g.h_in * g.w_in && y == planes * g.h_out * g.w_out,
        "{op}: tensors of {x} and {y} values do not fit x ({}, {}, {}, {}) and y (.., {}, {})",
        g.n,
        g.c,
        g.h_in,
        g.w_in,
        g.h_out,
        g.w_out
    );
    let fits = |inp: usize, out: usize| out == 0 || (out - 1) * g.stride + g.kernel <= inp + 2 * g.padding;
    assert!(
        g.kernel > 0 && g.stride > 0 && 2 * g.padding <= g.kernel && fits(g.h_in, g.h_out) && fits(g.w_in, g.w_out),
        "{op}: a {0}×{0} window with stride {1} and padding {2} does not fit {3}×{4} -> {5}×{6} (or the padding exceeds half the window)",
        g.kernel,
        g.stride,
        g.padding,
        g.h_in,
        g.w_in,
        g.h_out,
        g.w_out
    );
}

/// Planes per chunk, for a pass that touches every input value about once.
fn planes_per_chunk(g: &PoolGeom) -> usize {
    let planes = g.n * g.c;
    par::chunk_len(planes, par::chunk_count(planes, g.h_in * g.w_in))
}

pub fn pool2d_forward(kind: PoolKind, x: &[f32], y: &mut [f32], g: &PoolGeom) {
    check("pool2d_forward", g, x.len(), y.len());
    let (pin, pout) = (g.h_in * g.w_in, g.h_out * g.w_out);
    if pout == 0 {
        return;
    }
    let (f, s) = (g.kernel, g.stride);
    let inv_area = 1.0 / (f * f) as f32;
    par::chunks(y, planes_per_chunk(g) * pout, |y, off| {
        let first_plane = off / pout;
        for (k, yp) in y.chunks_mut(pout).enumerate() {
            let xp = &x[(first_plane + k) * pin..][..pin];
            if g.padding > 0 {
                padded_forward(kind, xp, yp, g);
                continue;
            }
            if f == 2 && s == 2 {
                pool2x2_forward(kind, xp, yp, g);
                continue;
            }
            for (i, yrow) in yp.chunks_mut(g.w_out).enumerate() {
                // Row by row: for each offset (u, v) in the window, combine x's row i·S+u
                // (columns j·S+v) into the whole output row, so the inner loop runs over j.
                match kind {
                    PoolKind::Max => yrow.fill(f32::NEG_INFINITY),
                    PoolKind::Avg => yrow.fill(0.0),
                }
                for u in 0..f {
                    let xrow = &xp[(i * s + u) * g.w_in..][..g.w_in];
                    for v in 0..f {
                        for (j, yv) in yrow.iter_mut().enumerate() {
                            let xv = xrow[j * s + v];
                            match kind {
                                PoolKind::Max => *yv = if xv > *yv { xv } else { *yv },
                                PoolKind::Avg => *yv += xv,
                            }
                        }
                    }
                }
                if kind == PoolKind::Avg {
                    yrow.iter_mut().for_each(|v| *v *= inv_area);
                }
            }
        }
    });
}

/// dx ← ∂L/∂x (overwritten; overlapping windows add).
pub fn pool2d_backward(kind: PoolKind, x: &[f32], dy: &[f32], dx: &mut [f32], g: &PoolGeom) {
    check("pool2d_backward", g, x.len(), dy.len());
    assert_eq!(dx.len(), x.len(), "pool2d_backward: dx holds {} values, x {}", dx.len(), x.len());
    let (pin, pout) = (g.h_in * g.w_in, g.h_out * g.w_out);
    if pin == 0 {
        return;
    }
    let (f, s) = (g.kernel, g.stride);
    let inv_area = 1.0 / (f * f) as f32;
    par::chunks(dx, planes_per_chunk(g) * pin, |dx, off| {
        let first_plane = off / pin;
        for (k, dxp) in dx.chunks_mut(pin).enumerate() {
            let plane = first_plane + k;
            let (xp, dyp) = (&x[plane * pin..][..pin], &dy[plane * pout..][..pout]);
            if g.padding > 0 {
                padded_backward(kind, xp, dyp, dxp, g);
                continue;
            }
            if f == 2 && s == 2 {
                pool2x2_backward(kind, xp, dyp, dxp, g);
                continue;
            }
            dxp.fill(0.0);
            for i in 0..g.h_out {
                for j in 0..g.w_out {
                    let d = dyp[i * g.w_out + j];
                    match kind {
                        PoolKind::Max => {
                            // Recompute the window's first maximum (no index tensor is stored).
                            let mut best = (i * s) * g.w_in + j * s;
                            for u in 0..f {
                                for v in 0..f {
                                    let at = (i * s + u) * g.w_in + j * s + v;
                                    if xp[at] > xp[best] {
                                        best = at;
                                    }
                                }
                            }
                            dxp[best] += d;
                        }
                        PoolKind::Avg => {
                            let share = d * inv_area;
                            for u in 0..f {
                                let row = &mut dxp[(i * s + u) * g.w_in + j * s..][..f];
                                row.iter_mut().for_each(|v| *v += share);
                            }
                        }
                    }
                }
            }
        }
    });
}

/// The input rows (or columns) that window `i` covers, i·S − P .. i·S − P + F, clipped to the
/// input's `len`: the rest of the window is padding. (F ≥ 2P, so the end does not underflow.)
fn clipped(i: usize, len: usize, g: &PoolGeom) -> std::ops::Range<usize> {
    (i * g.stride).saturating_sub(g.padding)..(i * g.stride + g.kernel - g.padding).min(len)
}

/// Pooling with padding on one plane, window by window over the part of it inside the input, in
/// the reference's order (so max is bit for bit the reference's). Correct rather than fast:
/// padded pools are few and small (Inception's 3×3/1, ResNet's 3×3/2 stem), so they get no
/// special path.
fn padded_forward(kind: PoolKind, xp: &[f32], yp: &mut [f32], g: &PoolGeom) {
    let inv_area = 1.0 / (g.kernel * g.kernel) as f32;
    for i in 0..g.h_out {
        for j in 0..g.w_out {
            let (mut best, mut sum) = (f32::NEG_INFINITY, 0.0);
            for r in clipped(i, g.h_in, g) {
                for &v in &xp[r * g.w_in..][clipped(j, g.w_in, g)] {
                    best = if v > best { v } else { best };
                    sum += v;
                }
            }
            yp[i * g.w_out + j] = match kind {
                PoolKind::Max => best,
                PoolKind::Avg => sum * inv_area,
            };
        }
    }
}

/// Backward of `padded_forward` on one plane: dy to the first maximum of the window's input
/// cells, or dy/F² to each of them (the padding's shares go nowhere); overlapping windows add.
fn padded_backward(kind: PoolKind, xp: &[f32], dyp: &[f32], dxp: &mut [f32], g: &PoolGeom) {
    let inv_area = 1.0 / (g.kernel * g.kernel) as f32;
    dxp.fill(0.0);
    for i in 0..g.h_out {
        let rows = clipped(i, g.h_in, g);
        for j in 0..g.w_out {
            let (cols, d) = (clipped(j, g.w_in, g), dyp[i * g.w_out + j]);
            match kind {
                PoolKind::Max => {
                    // The window's top-left input cell first, then a strictly larger value wins.
                    let mut best = rows.start * g.w_in + cols.start;
                    for r in rows.clone() {
                        for at in r * g.w_in + cols.start..r * g.w_in + cols.end {
                            if xp[at] > xp[best] {
                                best = at;
                            }
                        }
                    }
                    dxp[best] += d;
                }
                PoolKind::Avg => {
                    let share = d * inv_area;
                    for r in rows.clone() {
                        dxp[r * g.w_in..][cols.clone()].iter_mut().for_each(|v| *v += share);
                    }
                }
            }
        }
    }
}

/// The common 2×2 window with stride 2 on one plane: the same arithmetic, in the same order, as
/// the general loops above, written out so the compiler sees four loads per output instead of
/// a strided inner loop.
fn pool2x2_forward(kind: PoolKind, xp: &[f32], yp: &mut [f32], g: &PoolGeom) {
    let (wi, wo) = (g.w_in, g.w_out);
    for (i, yrow) in yp.chunks_mut(wo).enumerate() {
        let (r0, r1) = (&xp[2 * i * wi..][..wi], &xp[(2 * i + 1) * wi..][..wi]);
        let done = if kind == PoolKind::Max { max2x2_simd(r0, r1, yrow) } else { 0 };
        for (j, yv) in yrow.iter_mut().enumerate().skip(done) {
            let (a, b, c, d) = (r0[2 * j], r0[2 * j + 1], r1[2 * j], r1[2 * j + 1]);
            *yv = match kind {
                PoolKind::Avg => (((a + b) + c) + d) * 0.25,
                PoolKind::Max => {
                    let mut m = f32::NEG_INFINITY;
                    for v in [a, b, c, d] {
                        m = if v > m { v } else { m };
                    }
                    m
                }
            };
        }
    }
}

/// The max of `pool2x2_forward` four outputs at a time with WebAssembly vectors (the drawing
/// pad's prediction runs it on every stroke); returns how many outputs of the row it wrote.
/// pmax(m, v) is `if v > m { v } else { m }` exactly, so the result is bit for bit the loop's.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn max2x2_simd(r0: &[f32], r1: &[f32], yrow: &mut [f32]) -> usize {
    use core::arch::wasm32::*;
    let mut j = 0;
    while 2 * j + 8 <= r0.len().min(r1.len()) && j + 4 <= yrow.len() {
        // SAFETY: 2j + 8 ≤ the rows' lengths, so the 16-byte loads at 2j and 2j + 4 are inside
        // them; j + 4 ≤ yrow.len() for the store; unaligned access is allowed.
        unsafe {
            let load = |r: &[f32], k: usize| v128_load(r.as_ptr().add(k) as *const v128);
            let (t0, t1) = (load(r0, 2 * j), load(r0, 2 * j + 4));
            let (u0, u1) = (load(r1, 2 * j), load(r1, 2 * j + 4));
            // Even and odd columns: the window's left and right values for four outputs.
            let (a, b) = (i32x4_shuffle::<0, 2, 4, 6>(t0, t1), i32x4_shuffle::<1, 3, 5, 7>(t0, t1));
            let (c, d) = (i32x4_shuffle::<0, 2, 4, 6>(u0, u1), i32x4_shuffle::<1, 3, 5, 7>(u0, u1));
            let m = f32x4_pmax(f32x4_pmax(f32x4_pmax(f32x4_pmax(f32x4_splat(f32::NEG_INFINITY), a), b), c), d);
            v128_store(yrow.as_mut_ptr().add(j) as *mut v128, m);
        }
        j += 4;
    }
    j
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn max2x2_simd(_r0: &[f32], _r1: &[f32], _yrow: &mut [f32]) -> usize {
    0
}

/// Backward of `pool2x2_forward`: windows do not overlap, so every dx value is written once
/// (positions no window covers, past the last full window, get 0).
fn pool2x2_backward(kind: PoolKind, xp: &[f32], dyp: &[f32], dxp: &mut [f32], g: &PoolGeom) {
    let (wi, wo) = (g.w_in, g.w_out);
    for (i, dyrow) in dyp.chunks(wo).enumerate() {
        let (top, bottom) = dxp[2 * i * wi..(2 * i + 2) * wi].split_at_mut(wi);
        let (r0, r1) = (&xp[2 * i * wi..][..wi], &xp[(2 * i + 1) * wi..][..wi]);
        let done = if kind == PoolKind::Max { max2x2_backward_simd(r0, r1, dyrow, top, bottom) } else { 0 };
        for (j, &d) in dyrow.iter().enumerate().skip(done) {
            let (j0, j1) = (2 * j, 2 * j + 1);
            match kind {
                PoolKind::Avg => {
                    let share = d * 0.25;
                    (top[j0], top[j1], bottom[j0], bottom[j1]) = (share, share, share, share);
                }
                PoolKind::Max => {
                    // The first maximum in row-major order gets dy; the others 0.
                    let (a, b, c, e) = (r0[j0], r0[j1], r1[j0], r1[j1]);
                    let (mut best, mut at) = (a, 0);
                    for (k, v) in [(1, b), (2, c), (3, e)] {
                        if v > best {
                            (best, at) = (v, k);
                        }
                    }
                    let pick = |k: usize| if at == k { d } else { 0.0 };
                    (top[j0], top[j1], bottom[j0], bottom[j1]) = (pick(0), pick(1), pick(2), pick(3));
                }
            }
        }
        top[2 * wo..].fill(0.0);
        bottom[2 * wo..].fill(0.0);
    }
    dxp[2 * g.h_out * wi..].fill(0.0);
}

/// The max branch of `pool2x2_backward` four outputs at a time with WebAssembly vectors (the
/// training loop's backward pass runs it on every step); returns how many outputs of the row it
/// did. The same comparisons in the same order as the loop (a strict `>` against the best so
/// far, so the first maximum wins and NaN never does), and dy or +0 selected by bit masks: bit
/// for bit the loop's values.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn max2x2_backward_simd(r0: &[f32], r1: &[f32], dyrow: &[f32], top: &mut [f32], bottom: &mut [f32]) -> usize {
    use core::arch::wasm32::*;
    let rows = r0.len().min(r1.len()).min(top.len()).min(bottom.len());
    let mut j = 0;
    while 2 * j + 8 <= rows && j + 4 <= dyrow.len() {
        // SAFETY: 2j + 8 ≤ the length of r0, r1, top and bottom, so the 16-byte loads and
        // stores at 2j and 2j + 4 are inside them; j + 4 ≤ dyrow.len() for the load of dy;
        // unaligned access is allowed.
        unsafe {
            let load = |r: &[f32], k: usize| v128_load(r.as_ptr().add(k) as *const v128);
            let (t0, t1) = (load(r0, 2 * j), load(r0, 2 * j + 4));
            let (u0, u1) = (load(r1, 2 * j), load(r1, 2 * j + 4));
            // Each window's four values, in the loop's order: top left, top right, bottom left,
            // bottom right.
            let (a, b) = (i32x4_shuffle::<0, 2, 4, 6>(t0, t1), i32x4_shuffle::<1, 3, 5, 7>(t0, t1));
            let (c, e) = (i32x4_shuffle::<0, 2, 4, 6>(u0, u1), i32x4_shuffle::<1, 3, 5, 7>(u0, u1));
            let d = load(dyrow, j);
            // g_k: value k beats the best of the values before it.
            let g1 = f32x4_gt(b, a);
            let best = v128_bitselect(b, a, g1);
            let g2 = f32x4_gt(c, best);
            let best = v128_bitselect(c, best, g2);
            let g3 = f32x4_gt(e, best);
            // The window's winner is the last value that beat the best so far.
            let p3 = g3;
            let p2 = v128_andnot(g2, g3);
            let p1 = v128_andnot(v128_andnot(g1, g2), g3);
            let p0 = v128_not(v128_or(v128_or(g1, g2), g3));
            let (v0, v1, v2, v3) = (v128_and(p0, d), v128_and(p1, d), v128_and(p2, d), v128_and(p3, d));
            // Back to row order: top row a0 b0 a1 b1 …, bottom row c0 e0 c1 e1 …
            let store = |r: &mut [f32], k: usize, v: v128| v128_store(r.as_mut_ptr().add(k) as *mut v128, v);
            store(top, 2 * j, i32x4_shuffle::<0, 4, 1, 5>(v0, v1));
            store(top, 2 * j + 4, i32x4_shuffle::<2, 6, 3, 7>(v0, v1));
            store(bottom, 2 * j, i32x4_shuffle::<0, 4, 1, 5>(v2, v3));
            store(bottom, 2 * j + 4, i32x4_shuffle::<2, 6, 3, 7>(v2, v3));
        }
        j += 4;
    }
    j
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn max2x2_backward_simd(_r0: &[f32], _r1: &[f32], _dyrow: &[f32], _top: &mut [f32], _bottom: &mut [f32]) -> usize {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geom(n: usize, c: usize, h: usize, w: usize, f: usize, s: usize) -> PoolGeom {
        PoolGeom { n, c, h_in: h, w_in: w, h_out: (h - f) / s + 1, w_out: (w - f) / s + 1, kernel: f, stride: s, padding: 0 }
    }

    #[test]
    fn max_and_avg_of_a_small_image() {
        // 1×1×4×4, 2×2 windows, stride 2.
        let x: Vec<f32> = (0..16).map(|v| v as f32).collect();
        let g = geom(1, 1, 4, 4, 2, 2);
        let mut y = vec![0.0; 4];
        pool2d_forward(PoolKind::Max, &x, &mut y, &g);
        assert_eq!(y, vec![5.0, 7.0, 13.0, 15.0]);
        pool2d_forward(PoolKind::Avg, &x, &mut y, &g);
        assert_eq!(y, vec![2.5, 4.5, 10.5, 12.5]);
        let mut dx = vec![9.0; 16];
        pool2d_backward(PoolKind::Max, &x, &[1.0, 2.0, 3.0, 4.0], &mut dx, &g);
        assert_eq!(dx, vec![0., 0., 0., 0., 0., 1., 0., 2., 0., 0., 0., 0., 0., 3., 0., 4.]);
    }

    /// The 2×2 fast path against the definition, on sizes that leave a row and a column over.
    #[test]
    fn the_2x2_fast_path_matches_the_general_loops_on_odd_sizes() {
        let g = geom(2, 3, 7, 9, 2, 2);
        let x: Vec<f32> = (0..g.n * g.c * 63).map(|i| ((i * 7919) % 23) as f32 - 11.0).collect();
        let dy: Vec<f32> = (0..g.n * g.c * g.h_out * g.w_out).map(|i| i as f32 * 0.5 - 3.0).collect();
        for kind in [PoolKind::Max, PoolKind::Avg] {
            let (mut y, mut dx) = (vec![0.0; dy.len()], vec![7.0; x.len()]);
            pool2d_forward(kind, &x, &mut y, &g);
            pool2d_backward(kind, &x, &dy, &mut dx, &g);
            // The definitions, as loops.
            let (mut y_ref, mut dx_ref) = (vec![0.0; dy.len()], vec![0.0; x.len()]);
            for p in 0..g.n * g.c {
                for i in 0..g.h_out {
                    for j in 0..g.w_out {
                        let at: Vec<usize> = (0..4).map(|k| p * 63 + (2 * i + k / 2) * 9 + 2 * j + k % 2).collect();
                        let o = (p * g.h_out + i) * g.w_out + j;
                        match kind {
                            PoolKind::Avg => {
                                y_ref[o] = at.iter().map(|&a| x[a]).sum::<f32>() / 4.0;
                                at.iter().for_each(|&a| dx_ref[a] += dy[o] / 4.0);
                            }
                            PoolKind::Max => {
                                let best = at.iter().copied().fold(at[0], |b, a| if x[a] > x[b] { a } else { b });
                                y_ref[o] = x[best];
                                dx_ref[best] += dy[o];
                            }
                        }
                    }
                }
            }
            assert_eq!(y, y_ref, "{kind:?}");
            assert_eq!(dx, dx_ref, "{kind:?}");
        }
    }

    /// Inception's 3×3/1/1 over a plane of negatives: a zero from the padding would win every max.
    #[test]
    fn padding_is_never_the_max_and_adds_zero_to_the_average() {
        let g = PoolGeom { n: 1, c: 1, h_in: 2, w_in: 2, h_out: 2, w_out: 2, kernel: 3, stride: 1, padding: 1 };
        let x = [-4.0, -3.0, -2.0, -1.0];
        let mut y = vec![0.0; 4];
        pool2d_forward(PoolKind::Max, &x, &mut y, &g);
        assert_eq!(y, vec![-1.0; 4]);
        pool2d_forward(PoolKind::Avg, &x, &mut y, &g);
        assert_eq!(y, vec![-10.0 * (1.0 / 9.0); 4]);
        // Every window covers the whole plane, so every dy goes to −1 (the last cell).
        let mut dx = vec![9.0; 4];
        pool2d_backward(PoolKind::Max, &x, &[1.0, 2.0, 3.0, 4.0], &mut dx, &g);
        assert_eq!(dx, vec![0.0, 0.0, 0.0, 10.0]);
    }

    #[test]
    fn overlapping_windows_add_and_ties_go_to_the_first() {
        // 3×3 windows, stride 1 over a constant 4×4 plane: every window ties; the first
        // position of window (i, j) is (i, j) itself.
        let x = vec![1.0f32; 16];
        let g = geom(1, 1, 4, 4, 3, 1);
        let mut dx = vec![0.0; 16];
        pool2d_backward(PoolKind::Max, &x, &[1.0, 1.0, 1.0, 1.0], &mut dx, &g);
        assert_eq!(dx, vec![1., 1., 0., 0., 1., 1., 0., 0., 0., 0., 0., 0., 0., 0., 0., 0.]);
        pool2d_backward(PoolKind::Avg, &x, &[9.0, 9.0, 9.0, 9.0], &mut dx, &g);
        assert_eq!(dx, vec![1., 2., 2., 1., 2., 4., 4., 2., 2., 4., 4., 2., 1., 2., 2., 1.]);
    }
}
