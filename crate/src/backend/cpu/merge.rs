//! Joining branches: the residual sum (y ← y + x) and the channel copy of a concatenation.
//!
//! The sum is written one value at a time over zipped slices, so it compiles to SIMD, and large
//! tensors are split into chunks over the cores (as the activations are). A channel copy moves
//! one contiguous run per example: channels c0..c0 + k of an NCHW image are k·H·W values in a row.

use super::par;
use crate::backend::ChannelCopy;

/// y ← y + x
pub fn add_into(x: &[f32], y: &mut [f32]) {
    assert_eq!(x.len(), y.len(), "add_into: x holds {} values, y {}", x.len(), y.len());
    par::chunks(y, par::elementwise_chunk(x.len()), |y, off| {
        let x = &x[off..off + y.len()];
        for (y, &x) in y.iter_mut().zip(x) {
            *y += x;
        }
    });
}

/// dst[n, dst_c0 + k, :, :] ← src[n, src_c0 + k, :, :] for k < channels.
pub fn copy_channels(src: &[f32], dst: &mut [f32], g: &ChannelCopy) {
    g.check(src.len(), dst.len());
    let run = g.channels * g.hw;
    if run == 0 {
        return;
    }
    for n in 0..g.n {
        let from = &src[(n * g.src_c + g.src_c0) * g.hw..][..run];
        dst[(n * g.dst_c + g.dst_c0) * g.hw..][..run].copy_from_slice(from);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tensor::Shape;

    #[test]
    fn add_into_adds_across_chunks() {
        // Long enough to be split into several chunks over the cores.
        let n = 300_001;
        let x: Vec<f32> = (0..n).map(|i| i as f32).collect();
        let mut y = vec![0.5f32; n];
        add_into(&x, &mut y);
        assert!(y.iter().enumerate().all(|(i, &v)| v == i as f32 + 0.5));
    }

    #[test]
    fn copy_channels_fills_only_its_slice() {
        // src (2, 3, 1, 3) channels 1..3 into dst (2, 4, 1, 3) channels 2..4.
        let src: Vec<f32> = (0..18).map(|i| i as f32).collect();
        let mut dst = vec![-1.0f32; 24];
        let g = ChannelCopy::new(&Shape::nchw(2, 3, 1, 3), 1, &Shape::nchw(2, 4, 1, 3), 2, 2);
        copy_channels(&src, &mut dst, &g);
        let keep = [-1.0f32; 6];
        let want: Vec<f32> = [&keep[..], &[3., 4., 5., 6., 7., 8.], &keep[..], &[12., 13., 14., 15., 16., 17.]].concat();
        assert_eq!(dst, want);
    }

    #[test]
    #[should_panic(expected = "out of range")]
    fn copy_channels_past_the_last_channel_panics() {
        ChannelCopy::new(&Shape::nchw(1, 3, 2, 2), 2, &Shape::nchw(1, 5, 2, 2), 0, 2);
    }

    #[test]
    #[should_panic(expected = "differ in N, H or W")]
    fn copy_channels_between_different_images_panics() {
        ChannelCopy::new(&Shape::nchw(1, 3, 2, 2), 0, &Shape::nchw(1, 3, 2, 3), 0, 1);
    }
}
