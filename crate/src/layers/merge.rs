//! Joining branches, the reference: the residual sum of ResNet and the channel concatenation of
//! Inception. Each op also serves its own backward pass: the gradient of a sum is added on, the
//! gradient of a concatenation is copied back out of its slice.
//!
//! Shapes (N batch, C channels, H×W images; HW = H·W values per channel):
//!   add_into:       x, y hold the same number of values, any shape
//!   copy_channels:  src (N, C_src, H, W), dst (N, C_dst, H, W), the same N, H, W
//!
//!   residual  y = f(x) + x            forward: y ← f(x), then y += x (add_into)
//!                                     backward: ∂L/∂x = dy through f, plus dy itself (add_into)
//!   concat    y = [a, b] on channels  forward: a into channels 0..C_a of y, b into C_a..C_a + C_b
//!                                     backward: da, db are the same slices of dy, copied out
//!
//! A tensor that two branches read gets its gradient from each: the first writes it, the second
//! adds to it (add_into).

use crate::backend::ChannelCopy;

// ANCHOR: add_into
/// y ← y + x, value by value: the residual sum, and a gradient arriving from a second branch.
pub fn add_into(x: &[f32], y: &mut [f32]) {
    assert_eq!(x.len(), y.len(), "add_into: x holds {} values, y {}", x.len(), y.len());
    for i in 0..y.len() {
        y[i] += x[i];
    }
}
// ANCHOR_END: add_into

// ANCHOR: copy_channels
/// dst[n, dst_c0 + k, :, :] ← src[n, src_c0 + k, :, :] for k < `channels`, every example n; dst's
/// other channels keep their values. A channel of an image is HW values in a row, so each
/// (n, k) copies one run of HW values.
pub fn copy_channels(src: &[f32], dst: &mut [f32], g: &ChannelCopy) {
    g.check(src.len(), dst.len());
    for n in 0..g.n {
        for k in 0..g.channels {
            for p in 0..g.hw {
                dst[(n * g.dst_c + g.dst_c0 + k) * g.hw + p] = src[(n * g.src_c + g.src_c0 + k) * g.hw + p];
            }
        }
    }
}
// ANCHOR_END: copy_channels
