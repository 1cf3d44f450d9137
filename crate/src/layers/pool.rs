//! Max and average pooling, the reference: plain loops, forward and backward side by side.
//!
//! Shapes (N batch, C channels, F×F window, S stride, no padding):
//!   x  (N, C, H, W)      y  (N, C, H', W')    H' = floor((H − F)/S) + 1, W' likewise
//!   dy, dx: shaped like y, x
//!
//! Window (i, j) covers rows i·S .. i·S + F − 1 and columns j·S .. j·S + F − 1 of one channel;
//! every (n, c) plane is pooled on its own.
//!   max:  y = the window's largest value     backward: dy goes to the window's first maximum
//!                                            (row-major order; the others get nothing)
//!   avg:  y = Σ window / F²                  backward: dy/F² to every cell of the window
//! Windows that overlap (S < F) add their contributions to dx.

use crate::backend::{Backend, PoolGeom, PoolKind};
use crate::tensor::{conv_output_size, Shape};

// ANCHOR: pool2d_forward
/// y ← the max or the mean of each F×F window of x.
pub fn pool2d_forward(kind: PoolKind, x: &[f32], y: &mut [f32], g: &PoolGeom) {
    check("pool2d_forward", g, x.len(), y.len());
    let (f, s) = (g.kernel, g.stride);
    for n in 0..g.n {
        for c in 0..g.c {
            for i in 0..g.h_out {
                for j in 0..g.w_out {
                    // The window's largest value and its sum; `kind` picks one.
                    let mut best = f32::NEG_INFINITY;
                    let mut sum = 0.0;
                    for u in 0..f {
                        for v in 0..f {
                            let value = x[((n * g.c + c) * g.h_in + i * s + u) * g.w_in + j * s + v];
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
/// forward pass) and hands it all of dy; average pooling shares dy equally.
pub fn pool2d_backward(kind: PoolKind, x: &[f32], dy: &[f32], dx: &mut [f32], g: &PoolGeom) {
    check("pool2d_backward", g, x.len(), dy.len());
    assert_eq!(dx.len(), x.len(), "pool2d_backward: dx holds {} values, x {}", dx.len(), x.len());
    let (f, s) = (g.kernel, g.stride);
    dx.fill(0.0);
    for n in 0..g.n {
        for c in 0..g.c {
            for i in 0..g.h_out {
                for j in 0..g.w_out {
                    let d = dy[((n * g.c + c) * g.h_out + i) * g.w_out + j];
                    let mut best_at = ((n * g.c + c) * g.h_in + i * s) * g.w_in + j * s;
                    for u in 0..f {
                        for v in 0..f {
                            let at = ((n * g.c + c) * g.h_in + i * s + u) * g.w_in + j * s + v;
                            match kind {
                                PoolKind::Max => {
                                    if x[at] > x[best_at] {
                                        best_at = at;
                                    }
                                }
                                PoolKind::Avg => dx[at] += d / (f * f) as f32,
                            }
                        }
                    }
                    if kind == PoolKind::Max {
                        dx[best_at] += d;
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
    let fits = |inp: usize, out: usize| out == 0 || (out - 1) * g.stride + g.kernel <= inp;
    assert!(
        g.kernel > 0 && g.stride > 0 && fits(g.h_in, g.h_out) && fits(g.w_in, g.w_out),
        "{op}: a {0}×{0} window with stride {1} does not fit {2}×{3} -> {4}×{5}",
        g.kernel, g.stride, g.h_in, g.w_in, g.h_out, g.w_out
    );
}

// ---- the layer: its window, and the geometry it hands to a backend's kernels ---------------

#[derive(Clone, Copy, Debug)]
pub struct Pool2d {
    pub kind: PoolKind,
    pub kernel: usize,
    pub stride: usize,
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
            h_out: conv_output_size(h_in, self.kernel, self.stride, 0).expect("pool2d: checked by shape inference"),
            w_out: conv_output_size(w_in, self.kernel, self.stride, 0).expect("pool2d: checked by shape inference"),
            kernel: self.kernel,
            stride: self.stride,
        }
    }

    pub fn pool2d_forward<B: Backend>(&self, b: &B, x: &B::Tensor, xs: &Shape, y: &mut B::Tensor) {
        b.pool2d_forward(self.kind, x, y, &self.geom(xs));
    }

    pub fn pool2d_backward<B: Backend>(&self, b: &B, x: &B::Tensor, xs: &Shape, dy: &B::Tensor, dx: &mut B::Tensor) {
        b.pool2d_backward(self.kind, x, dy, dx, &self.geom(xs));
    }
}
