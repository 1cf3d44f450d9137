//! Max and average pooling, the reference: plain loops, forward and backward side by side.
//!
//! Shapes (N batch, C channels, F×F window, S stride, P padding on every side):
//!   x  (N, C, H, W)      y  (N, C, H', W')    H' = floor((H + 2P − F)/S) + 1, W' likewise
//!   dy, dx: shaped like y, x
//!
//! Window (i, j) covers rows i·S − P .. i·S − P + F − 1 and columns j·S − P .. j·S − P + F − 1 of
//! one channel; every (n, c) plane is pooled on its own. Cells outside the input are padding, as
//! in PyTorch: max pooling never picks one (they count as −∞), average pooling counts them as
//! zeros and still divides by F² (`count_include_pad=True`). P ≤ F/2, so every window holds at
//! least one input value.
//!   max:  y = the window's largest value     backward: dy goes to the window's first maximum
//!                                            (row-major order; the others get nothing)
//!   avg:  y = Σ window / F²                  backward: dy/F² to every input cell of the window
//! Windows that overlap (S < F) add their contributions to dx.

use crate::backend::{Backend, PoolGeom, PoolKind};
use crate::tensor::{conv_output_size, Shape};

// ANCHOR: pool2d_forward
/// y ← the max or the mean of each F×F window of x.
pub fn pool2d_forward(kind: PoolKind, x: &[f32], y: &mut [f32], g: &PoolGeom) {
    check("pool2d_forward", g, x.len(), y.len());
    let (f, s, p) = (g.kernel, g.stride, g.padding);
    for n in 0..g.n {
        for c in 0..g.c {
            for i in 0..g.h_out {
                for j in 0..g.w_out {
                    // The window's largest value and its sum; `kind` picks one.
                    let mut best = f32::NEG_INFINITY;
                    let mut sum = 0.0;
                    for u in 0..f {
                        for v in 0..f {
                            // The input cell under window cell (u, v); outside the image it is
                            // padding, which is never the largest and adds 0 to the sum.
                            let row = (i * s + u) as isize - p as isize;
                            let col = (j * s + v) as isize - p as isize;
                            if row < 0 || col < 0 || row >= g.h_in as isize || col >= g.w_in as isize {
                                continue;
                            }
                            let (row, col) = (row as usize, col as usize);
                            let value = x[((n * g.c + c) * g.h_in + row) * g.w_in + col];
                            if value > best {
                                best = value;
                            }
                            sum += value;
                        }
                    }
                    y[((n * g.c + c) * g.h_out + i) * g.w_out + j] = match kind {
                        PoolKind::Max => best,
                        PoolKind::Avg => sum / (f * f) as f32,
                    };
                }
            }
        }
    }
}
// ANCHOR_END: pool2d_forward

// ANCHOR: pool2d_backward
/// dx ← ∂L/∂x. Max pooling finds each window's first maximum again (no index is stored by the
/// forward pass) and hands it all of dy; average pooling shares dy equally, F² ways (the shares
/// of padding cells go nowhere).
pub fn pool2d_backward(kind: PoolKind, x: &[f32], dy: &[f32], dx: &mut [f32], g: &PoolGeom) {
    check("pool2d_backward", g, x.len(), dy.len());
    assert_eq!(dx.len(), x.len(), "pool2d_backward: dx holds {} values, x {}", dx.len(), x.len());
    let (f, s, p) = (g.kernel, g.stride, g.padding);
    dx.fill(0.0);
    for n in 0..g.n {
        for c in 0..g.c {
            for i in 0..g.h_out {
                for j in 0..g.w_out {
                    let d = dy[((n * g.c + c) * g.h_out + i) * g.w_out + j];
                    // Where the window's first maximum is: none until an input cell is seen.
                    let mut best_at: Option<usize> = None;
                    for u in 0..f {
                        for v in 0..f {
                            let row = (i * s + u) as isize - p as isize;
                            let col = (j * s + v) as isize - p as isize;
                            if row < 0 || col < 0 || row >= g.h_in as isize || col >= g.w_in as isize {
                                continue;
                            }
                            let (row, col) = (row as usize, col as usize);
                            let at = ((n * g.c + c) * g.h_in + row) * g.w_in + col;
                            match kind {
                                PoolKind::Max => {
                                    if best_at.is_none_or(|best| x[at] > x[best]) {
                                        best_at = Some(at);
                                    }
                                }
                                PoolKind::Avg => dx[at] += d / (f * f) as f32,
                            }
                        }
                    }
                    if let (PoolKind::Max, Some(best)) = (kind, best_at) {
                        dx[best] += d;
                    }
                }
            }
        }
    }
}
// ANCHOR_END: pool2d_backward

/// Panics (a programmer error) naming the op and the shapes when the slices or the window do not
/// fit `g`.
fn check(op: &str, g: &PoolGeom, x: usize, y: usize) {
    assert!(
        x == g.n * g.c * g.h_in * g.w_in && y == g.n * g.c * g.h_out * g.w_out,
        "{op}: slices of {x} and {y} values do not fit x ({}, {}, {}, {}) and y (.., {}, {})",
        g.n, g.c, g.h_in, g.w_in, g.h_out, g.w_out
    );
    let fits = |inp: usize, out: usize| out == 0 || (out - 1) * g.stride + g.kernel <= inp + 2 * g.padding;
    assert!(
        g.kernel > 0 && g.stride > 0 && 2 * g.padding <= g.kernel && fits(g.h_in, g.h_out) && fits(g.w_in, g.w_out),
        "{op}: a {0}×{0} window with stride {1} and padding {2} does not fit {3}×{4} -> {5}×{6} (or the padding exceeds half the window)",
        g.kernel, g.stride, g.padding, g.h_in, g.w_in, g.h_out, g.w_out
    );
}

// ---- the layer: its window, and the geometry it hands to a backend's kernels ---------------

#[derive(Clone, Copy, Debug)]
pub struct Pool2d {
    pub kind: PoolKind,
    pub kernel: usize,
    pub stride: usize,
    /// Padding on every side (−∞ to max pooling, 0 to average pooling).
    pub padding: usize,
}

impl Pool2d {
    pub fn geom(&self, x: &Shape) -> PoolGeom {
        let (c, h_in, w_in) = x.chw();
        PoolGeom {
            n: x.batch(),
            c,
            h_in,
            w_in,
            h_out: conv_output_size(h_in, self.kernel, self.stride, self.padding).expect("pool2d: checked by shape inference"),
            w_out: conv_output_size(w_in, self.kernel, self.stride, self.padding).expect("pool2d: checked by shape inference"),
            kernel: self.kernel,
            stride: self.stride,
            padding: self.padding,
        }
    }

    pub fn pool2d_forward<B: Backend>(&self, b: &B, x: &B::Tensor, xs: &Shape, y: &mut B::Tensor) {
        b.pool2d_forward(self.kind, x, y, &self.geom(xs));
    }

    pub fn pool2d_backward<B: Backend>(&self, b: &B, x: &B::Tensor, xs: &Shape, dy: &B::Tensor, dx: &mut B::Tensor) {
        b.pool2d_backward(self.kind, x, dy, dx, &self.geom(xs));
    }
}
