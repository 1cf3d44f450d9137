//! 2-D convolution. x (N, C_in, H, W), weight (C_out, C_in, F, F), bias (C_out),
//! y (N, C_out, H', W') with H' = floor((H − F + 2P)/S) + 1.
//!
//!   y[n,o,i,j] = b[o] + Σ_c Σ_u Σ_v w[o,c,u,v] · x[n, c, i·S + u − P, j·S + v − P]
//!
//! Backward: dw[o,c,u,v] = Σ_n,i,j dy[n,o,i,j]·x[n,c,i·S+u−P, j·S+v−P]; db[o] = Σ_n,i,j dy[n,o,i,j];
//! dx is the "full" correlation of dy with the flipped kernel.

use super::Param;
use crate::backend::{Backend, ConvGeom};
use crate::tensor::{conv_output_size, Shape};

pub struct Conv2d<B: Backend> {
    pub weight: Param<B>,
    pub bias: Param<B>,
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
