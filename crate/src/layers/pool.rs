//! Max and average pooling over F×F windows with stride S, each channel on its own.
//! x (N, C, H, W) -> y (N, C, H', W'), H' = floor((H − F)/S) + 1.
//!
//! Max:  y = max over the window; backward sends dy to the (first) position of that max.
//! Avg:  y = mean over the window; backward spreads dy/F² over the window.

use crate::backend::{Backend, PoolGeom, PoolKind};
use crate::tensor::{conv_output_size, Shape};

#[derive(Clone, Copy, Debug)]
pub struct Pool2d {
    pub kind: PoolKind,
    pub kernel: usize,
    pub stride: usize,
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
