//! Dispatches of the branch-joining family (`shaders/merge.wgsl`): the residual sum
//! y ← y + x and the channel copy of a concatenation. One invocation per value written; like
//! every op they record into the step's encoder with parameters in the uniform arena and cached
//! bind groups, so a training step that uses them creates nothing.

use super::kernels::Kernel;
use super::record::linear_groups;
use super::tensor::GpuTensor;
use super::Gpu;
use crate::backend::ChannelCopy;

impl Gpu {
    pub(crate) fn add_into_op(&self, x: &GpuTensor, y: &GpuTensor) {
        assert_eq!(x.len(), y.len(), "add_into: tensors of shape {} and {} hold different numbers of values", x.shape, y.shape);
        let len = y.len();
        self.dispatch(Kernel::AddInto, &[len as u32], &[&x.buf, &y.buf], linear_groups(len));
    }

    pub(crate) fn copy_channels_op(&self, src: &GpuTensor, src_c0: usize, dst: &GpuTensor, dst_c0: usize, channels: usize) {
        let g = ChannelCopy::new(&src.shape, src_c0, &dst.shape, dst_c0, channels);
        let len = g.n * g.channels * g.hw;
        let params = [len, g.hw, g.channels, g.src_c, g.src_c0, g.dst_c, g.dst_c0].map(|v| v as u32);
        self.dispatch(Kernel::CopyChannels, &params, &[&src.buf, &dst.buf], linear_groups(len));
    }
}
