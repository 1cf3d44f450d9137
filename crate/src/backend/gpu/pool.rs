//! Dispatches of pooling (`shaders/pool.wgsl`): x (N, C, H, W) -> y (N, C, H', W'), padding P on
//! every side (never the max, 0 to the average). Forward: one invocation per output; backward:
//! one per input value, gathering from the windows that cover it (max pooling recomputes each
//! window's first maximum).

use super::kernels::Kernel;
use super::record::{f, linear_groups};
use super::tensor::GpuTensor;
use super::Gpu;
use crate::backend::{PoolGeom, PoolKind};

fn check(op: &str, g: &PoolGeom, x: &GpuTensor, y: &GpuTensor) {
    let planes = g.n * g.c;
    assert!(
        x.len() == planes * g.h_in * g.w_in && y.len() == planes * g.h_out * g.w_out,
        "{op}: x {} and y/dy {} do not fit {g:?}",
        x.shape,
        y.shape
    );
    let fits = |inp: usize, out: usize| out == 0 || (out - 1) * g.stride + g.kernel <= inp + 2 * g.padding;
    // F ≥ 2P: every window holds an input value (the shader's window clipping relies on it).
    assert!(
        g.kernel > 0 && g.stride > 0 && 2 * g.padding <= g.kernel && fits(g.h_in, g.h_out) && fits(g.w_in, g.w_out),
        "{op}: the window does not fit {g:?} (or the padding exceeds half the window)"
    );
}

fn params(len: usize, kind: PoolKind, g: &PoolGeom) -> [u32; 10] {
    let kind = match kind {
        PoolKind::Max => 0,
        PoolKind::Avg => 1,
    };
    // 1/F² in f32, as the CPU computes it.
    let inv_area = 1.0 / (g.kernel * g.kernel) as f32;
    [len as u32, g.h_in as u32, g.w_in as u32, g.h_out as u32, g.w_out as u32, g.kernel as u32, g.stride as u32, g.padding as u32, kind, f(inv_area)]
}

impl Gpu {
    pub(crate) fn pool2d_forward_op(&self, kind: PoolKind, x: &GpuTensor, y: &GpuTensor, g: &PoolGeom) {
        check("pool2d_forward", g, x, y);
        let len = y.len();
        self.dispatch(Kernel::PoolForward, &params(len, kind, g), &[&x.buf, &y.buf], linear_groups(len));
    }

    pub(crate) fn pool2d_backward_op(&self, kind: PoolKind, x: &GpuTensor, dy: &GpuTensor, dx: &GpuTensor, g: &PoolGeom) {
        check("pool2d_backward", g, x, dy);
        assert_eq!(dx.len(), x.len(), "pool2d_backward: dx {} for x {}", dx.shape, x.shape);
        let len = x.len();
        self.dispatch(Kernel::PoolBackward, &params(len, kind, g), &[&x.buf, &dy.buf, &dx.buf], linear_groups(len));
    }
}
