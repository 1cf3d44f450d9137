//! 2-D convolution, the reference: plain loops, forward and backward side by side.
//!
//! Shapes (N batch, C channels, H×W images, F×F kernel, S stride, P zero padding):
//!   x  (N, C_in, H, W)       w  (C_out, C_in, F, F)      b  (C_out)
//!   y  (N, C_out, H', W')    H' = floor((H − F + 2P)/S) + 1, W' likewise
//!   dy, dx, dw, db: shaped like y, x, w, b (∂L/∂ of each)
//!
//!   y[n,o,i,j] = b[o] + Σ_c Σ_u Σ_v w[o,c,u,v] · x[n, c, i·S + u − P, j·S + v − P]
//!
//! (x is 0 outside the image: that is the zero padding.) Backward, from the same sum:
//!   db[o]       = Σ_n,i,j dy[n,o,i,j]
//!   dw[o,c,u,v] = Σ_n,i,j dy[n,o,i,j] · x[n, c, i·S + u − P, j·S + v − P]
//!   dx[n,c,r,s] = Σ of dy[n,o,i,j] · w[o,c,u,v] over every (o, i, j, u, v) whose window puts
//!                 kernel cell (u, v) on input pixel (r, s)
//!
//! The backends compute the same sums faster (`backend/cpu`: im2col and a GEMM, direct SIMD
//! kernels in the browser; `backend/gpu`: WGSL); the agreement tests check them against these.

use super::Param;
use crate::backend::{Backend, ConvGeom};
use crate::tensor::{conv_output_size, Shape};

// ANCHOR: conv2d_forward
/// y ← conv(x, w) + b: the seven nested loops of a convolution.
pub fn conv2d_forward(x: &[f32], w: &[f32], b: &[f32], y: &mut [f32], g: &ConvGeom) {
    check("conv2d_forward", g, x.len(), w.len(), b.len(), y.len());
    let (f, s, p) = (g.kernel, g.stride, g.padding);
    for n in 0..g.n {
        for o in 0..g.c_out {
            for i in 0..g.h_out {
                for j in 0..g.w_out {
                    let mut sum = b[o];
                    for c in 0..g.c_in {
                        for u in 0..f {
                            for v in 0..f {
                                // The input pixel under kernel cell (u, v); outside the image
                                // it is padding, whose zeros add nothing.
                                let row = (i * s + u) as isize - p as isize;
                                let col = (j * s + v) as isize - p as isize;
                                if row < 0 || col < 0 || row >= g.h_in as isize || col >= g.w_in as isize {
                                    continue;
                                }
                                let (row, col) = (row as usize, col as usize);
                                sum += w[((o * g.c_in + c) * f + u) * f + v] * x[((n * g.c_in + c) * g.h_in + row) * g.w_in + col];
                            }
                        }
                    }
                    y[((n * g.c_out + o) * g.h_out + i) * g.w_out + j] = sum;
                }
            }
        }
    }
}
// ANCHOR_END: conv2d_forward

// ANCHOR: conv2d_terms
/// One output value y[n, o, i, j], taken apart term by term: what `conv2d_forward` adds up for
/// it, kept instead of summed. The convolution inspector and the convolution chapter show these.
#[derive(Clone, Debug, PartialEq)]
pub struct ConvTerms {
    /// Top-left input position of the window, (i·S − P, j·S − P): negative where the window
    /// starts in the padding.
    pub top: i64,
    pub left: i64,
    /// (C_in, F, F): the input values under the kernel; 0 where the window covers padding.
    pub window: Vec<f32>,
    /// (C_in, F, F): which window cells lie in the padding (they are not the input).
    pub padding: Vec<bool>,
    /// (C_in, F, F): the kernel's weights, w[o, c, u, v].
    pub weights: Vec<f32>,
    /// window · weights, cell by cell.
    pub products: Vec<f32>,
    /// Σ products of each input channel (C_in).
    pub channel_sums: Vec<f32>,
    /// Σ channel_sums: every product.
    pub sum: f32,
    /// b[o].
    pub bias: f32,
    /// sum + bias: y[n, o, i, j] (equal to what `conv2d_forward` stores up to the order in which
    /// the terms were added).
    pub value: f32,
}

/// Output (n, o, i, j) of the convolution of x with w and b, term by term.
#[allow(clippy::too_many_arguments)]
pub fn conv2d_terms(x: &[f32], w: &[f32], b: &[f32], g: &ConvGeom, n: usize, o: usize, i: usize, j: usize) -> ConvTerms {
    check("conv2d_terms", g, x.len(), w.len(), b.len(), g.n * g.c_out * g.h_out * g.w_out);
    assert!(n < g.n && o < g.c_out && i < g.h_out && j < g.w_out, "conv2d_terms: no output ({n}, {o}, {i}, {j}) in {g:?}");
    let (f, s, p) = (g.kernel, g.stride, g.padding);
    let top = (i * s) as i64 - p as i64;
    let left = (j * s) as i64 - p as i64;
    let cells = g.c_in * f * f;
    let (mut window, mut padding, mut weights) = (Vec::with_capacity(cells), Vec::with_capacity(cells), Vec::with_capacity(cells));
    for c in 0..g.c_in {
        for u in 0..f {
            for v in 0..f {
                let (row, col) = (top + u as i64, left + v as i64);
                let inside = (0..g.h_in as i64).contains(&row) && (0..g.w_in as i64).contains(&col);
                padding.push(!inside);
                window.push(if inside { x[((n * g.c_in + c) * g.h_in + row as usize) * g.w_in + col as usize] } else { 0.0 });
                weights.push(w[((o * g.c_in + c) * f + u) * f + v]);
            }
        }
    }
    let products: Vec<f32> = window.iter().zip(&weights).map(|(x, w)| x * w).collect();
    let channel_sums: Vec<f32> = products.chunks(f * f).map(|channel| channel.iter().sum()).collect();
    let sum: f32 = channel_sums.iter().sum();
    ConvTerms { top, left, window, padding, weights, products, channel_sums, sum, bias: b[o], value: sum + b[o] }
}
// ANCHOR_END: conv2d_terms

// ANCHOR: conv2d_backward
/// db, dw ← ∂L/∂b, ∂L/∂w; dx ← ∂L/∂x when asked (a network's first layer needs none). Every
/// term w·x of the forward sum sends dy·x to its weight and dy·w to its input pixel.
pub fn conv2d_backward(x: &[f32], w: &[f32], dy: &[f32], mut dx: Option<&mut [f32]>, dw: &mut [f32], db: &mut [f32], g: &ConvGeom) {
    check("conv2d_backward", g, x.len(), w.len(), db.len(), dy.len());
    assert_eq!(dw.len(), w.len(), "conv2d_backward: dw holds {} values, w {}", dw.len(), w.len());
    let (f, s, p) = (g.kernel, g.stride, g.padding);
    db.fill(0.0);
    dw.fill(0.0);
    if let Some(dx) = dx.as_deref_mut() {
        assert_eq!(dx.len(), x.len(), "conv2d_backward: dx holds {} values, x {}", dx.len(), x.len());
        dx.fill(0.0);
    }
    for n in 0..g.n {
        for o in 0..g.c_out {
            for i in 0..g.h_out {
                for j in 0..g.w_out {
                    let d = dy[((n * g.c_out + o) * g.h_out + i) * g.w_out + j];
                    db[o] += d;
                    for c in 0..g.c_in {
                        for u in 0..f {
                            for v in 0..f {
                                let row = (i * s + u) as isize - p as isize;
                                let col = (j * s + v) as isize - p as isize;
                                if row < 0 || col < 0 || row >= g.h_in as isize || col >= g.w_in as isize {
                                    continue;
                                }
                                let xi = ((n * g.c_in + c) * g.h_in + row as usize) * g.w_in + col as usize;
                                let wi = ((o * g.c_in + c) * f + u) * f + v;
                                dw[wi] += d * x[xi];
                                if let Some(dx) = dx.as_deref_mut() {
                                    dx[xi] += d * w[wi];
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
// ANCHOR_END: conv2d_backward

/// Panics (a programmer error) naming the op and the shapes when the slices do not fit `g`.
fn check(op: &str, g: &ConvGeom, x: usize, w: usize, b: usize, y: usize) {
    let f = g.kernel;
    assert!(
        x == g.n * g.c_in * g.h_in * g.w_in && w == g.c_out * g.c_in * f * f && b == g.c_out && y == g.n * g.c_out * g.h_out * g.w_out,
        "{op}: slices of {x}, {w}, {b}, {y} values do not fit x ({}, {}, {}, {}), w ({}, {}, {f}, {f}), b ({}), y ({}, {}, {}, {})",
        g.n, g.c_in, g.h_in, g.w_in, g.c_out, g.c_in, g.c_out, g.n, g.c_out, g.h_out, g.w_out
    );
}

// ---- the layer: its parameters, and the geometry it hands to a backend's kernels ----------

pub struct Conv2d<B: Backend> {
    pub weight: Param<B>,
    /// With `bias=False` it stays zero and is neither trained nor saved (`has_bias`).
    pub bias: Param<B>,
    pub has_bias: bool,
    pub c_in: usize,
    pub c_out: usize,
    pub kernel: usize,
    pub stride: usize,
    pub padding: usize,
}

impl<B: Backend> Conv2d<B> {
    /// The kernel geometry for an input of shape x.
    pub fn geom(&self, x: &Shape) -> ConvGeom {
        let (c_in, h_in, w_in) = x.chw();
        debug_assert_eq!(c_in, self.c_in, "conv2d: input {x} has the wrong channel count");
        ConvGeom {
            n: x.batch(),
            c_in,
            h_in,
            w_in,
            c_out: self.c_out,
            h_out: conv_output_size(h_in, self.kernel, self.stride, self.padding).expect("conv2d: checked by shape inference"),
            w_out: conv_output_size(w_in, self.kernel, self.stride, self.padding).expect("conv2d: checked by shape inference"),
            kernel: self.kernel,
            stride: self.stride,
            padding: self.padding,
        }
    }

    pub fn conv2d_forward(&self, b: &B, x: &B::Tensor, xs: &Shape, y: &mut B::Tensor) {
        b.conv2d_forward(x, &self.weight.value, &self.bias.value, y, &self.geom(xs));
    }

    pub fn conv2d_backward(&mut self, b: &B, x: &B::Tensor, xs: &Shape, dy: &B::Tensor, dx: Option<&mut B::Tensor>) {
        let g = self.geom(xs);
        b.conv2d_backward(x, &self.weight.value, dy, dx, &mut self.weight.grad, &mut self.bias.grad, &g);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every output's terms add up to what `conv2d_forward` stored there, the window holds x
    /// where it lies on the image and 0 (marked as padding) where it does not, and the weights
    /// are the output channel's kernel.
    #[test]
    fn the_terms_of_every_output_add_up_to_the_forward_value() {
        // 2 examples, 2 → 3 channels, a 5×4 image, 3×3 kernel, stride 2, padding 1.
        let g = ConvGeom { n: 2, c_in: 2, h_in: 5, w_in: 4, c_out: 3, h_out: 3, w_out: 2, kernel: 3, stride: 2, padding: 1 };
        let x: Vec<f32> = (0..2 * 2 * 5 * 4).map(|i| (i as f32 * 0.37).sin()).collect();
        let w: Vec<f32> = (0..3 * 2 * 9).map(|i| (i as f32 * 0.71).cos()).collect();
        let b = [0.5, -0.25, 0.125];
        let mut y = vec![f32::NAN; 2 * 3 * 3 * 2];
        conv2d_forward(&x, &w, &b, &mut y, &g);
        for n in 0..2 {
            for o in 0..3 {
                for i in 0..3 {
                    for j in 0..2 {
                        let t = conv2d_terms(&x, &w, &b, &g, n, o, i, j);
                        let stored = y[((n * 3 + o) * 3 + i) * 2 + j];
                        assert!((t.value - stored).abs() <= 1e-6 * (1.0 + stored.abs()), "({n}, {o}, {i}, {j}): {} vs {stored}", t.value);
                        assert_eq!((t.top, t.left), (2 * i as i64 - 1, 2 * j as i64 - 1));
                        assert_eq!(t.weights, w[o * 18..(o + 1) * 18]);
                        for (cell, (&v, &pad)) in t.window.iter().zip(&t.padding).enumerate() {
                            let (c, u, vv) = (cell / 9, (cell / 3) % 3, cell % 3);
                            let (row, col) = (t.top + u as i64, t.left + vv as i64);
                            let inside = (0..5).contains(&row) && (0..4).contains(&col);
                            assert_eq!(pad, !inside, "({n}, {o}, {i}, {j}) cell {cell}");
                            let want = if inside { x[((n * 2 + c) * 5 + row as usize) * 4 + col as usize] } else { 0.0 };
                            assert_eq!(v, want, "({n}, {o}, {i}, {j}) cell {cell}");
                        }
                        assert_eq!(t.channel_sums.len(), 2);
                        assert_eq!(t.bias, b[o]);
                    }
                }
            }
        }
        // The corner window hangs over the padding on two sides: 5 of its 9 cells per channel.
        assert_eq!(conv2d_terms(&x, &w, &b, &g, 0, 0, 0, 0).padding.iter().filter(|&&p| p).count(), 2 * 5);
    }
}
