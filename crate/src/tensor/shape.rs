//! NCHW shapes, written the way the textbooks write them: (N, C, H, W) for images,
//! (N, F) for flat feature vectors.

use std::fmt;

/// A tensor's dimensions, batch first. Images are 4-D (N, C, H, W); flat features 2-D (N, F).
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Shape(pub Vec<usize>);

impl Shape {
    pub fn nchw(n: usize, c: usize, h: usize, w: usize) -> Self {
        Shape(vec![n, c, h, w])
    }
    pub fn nf(n: usize, f: usize) -> Self {
        Shape(vec![n, f])
    }
    pub fn dims(&self) -> &[usize] {
        &self.0
    }
    /// Number of elements.
    pub fn len(&self) -> usize {
        self.0.iter().product()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn batch(&self) -> usize {
        self.0[0]
    }
    /// Elements per example (everything but N).
    pub fn per_example(&self) -> usize {
        self.0[1..].iter().product()
    }
    /// The same shape with another batch size.
    pub fn with_batch(&self, n: usize) -> Self {
        let mut d = self.0.clone();
        d[0] = n;
        Shape(d)
    }
    /// (C, H, W) of a 4-D shape. Panics (a programmer error) on other ranks.
    pub fn chw(&self) -> (usize, usize, usize) {
        assert_eq!(self.0.len(), 4, "chw() of a non-image shape {self}");
        (self.0[1], self.0[2], self.0[3])
    }
}

impl fmt::Display for Shape {
    /// `(N, 6, 28, 28)` style: the batch as N when it is 0 (shape inference without a batch).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "(")?;
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                write!(f, ", ")?;
            }
            if i == 0 && *d == 0 {
                write!(f, "N")?;
            } else {
                write!(f, "{d}")?;
            }
        }
        write!(f, ")")
    }
}

/// The output size of a convolution or pooling window sliding over `input` pixels:
/// floor((W − F + 2P) / S) + 1. Returns `None` when the window does not fit even once
/// (W + 2P < F) or the stride is zero.
pub fn conv_output_size(input: usize, kernel: usize, stride: usize, padding: usize) -> Option<usize> {
    // Checked: the numbers may come from a file or a page.
    let Some(padded) = padding.checked_mul(2).and_then(|p| p.checked_add(input)) else {
        return None;
    };
    if stride == 0 || kernel == 0 || padded < kernel {
        return None;
    }
    Some((padded - kernel) / stride + 1)
}

/// The output size of a pooling window with PyTorch's `ceil_mode=True` (as Caffe pooled, and as
/// torchvision's GoogLeNet does): ceil((W − F + 2P) / S) + 1, less one when the last window would
/// start in the right-hand padding, because PyTorch drops that window. `None` where
/// [`conv_output_size`] gives `None`.
pub fn conv_output_size_ceil(input: usize, kernel: usize, stride: usize, padding: usize) -> Option<usize> {
    let floor = conv_output_size(input, kernel, stride, padding)?;
    // conv_output_size checked that input + 2P fits and is at least F.
    let rest = (input + 2 * padding - kernel) % stride;
    let mut out = if rest == 0 { floor } else { floor + 1 };
    if (out - 1) * stride >= input + padding {
        out -= 1;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_size_matches_the_textbook_examples() {
        // LeNet: 28×28, 5×5 kernel, padding 2 keeps 28; the 2×2/2 pool halves it.
        assert_eq!(conv_output_size(28, 5, 1, 2), Some(28));
        assert_eq!(conv_output_size(28, 2, 2, 0), Some(14));
        assert_eq!(conv_output_size(14, 5, 1, 0), Some(10));
        // AlexNet's first layer: 227, 11×11, stride 4 → 55.
        assert_eq!(conv_output_size(227, 11, 4, 0), Some(55));
        // The floor: 7×7 stride 2 with pad 1 on 224 → floor(219/2)+1 = 110.
        assert_eq!(conv_output_size(224, 7, 2, 1), Some(110));
        // A kernel larger than its (padded) input does not fit.
        assert_eq!(conv_output_size(3, 5, 1, 0), None);
        assert_eq!(conv_output_size(3, 5, 1, 1), Some(1));
        assert_eq!(conv_output_size(3, 3, 0, 0), None);
        assert_eq!(conv_output_size(3, 3, 1, usize::MAX / 2 + 1), None, "overflowing padding");
    }

    #[test]
    fn ceil_mode_output_size_matches_pytorch() {
        // torchvision's GoogLeNet: 3×3/2 ceil pools take 112 → 56 → 28 → 14, the 2×2/2 one 14 → 7.
        assert_eq!(conv_output_size_ceil(112, 3, 2, 0), Some(56));
        assert_eq!(conv_output_size(112, 3, 2, 0), Some(55), "floor mode loses the last column");
        assert_eq!(conv_output_size_ceil(56, 3, 2, 0), Some(28));
        assert_eq!(conv_output_size_ceil(28, 3, 2, 0), Some(14));
        assert_eq!(conv_output_size_ceil(14, 2, 2, 0), Some(7));
        // Same-size pooling in an Inception branch: 3×3/1 pad 1.
        assert_eq!(conv_output_size_ceil(28, 3, 1, 1), Some(28));
        // PyTorch drops a window that would start in the right padding:
        // F.max_pool2d(torch.zeros(1, 1, 4, 4), 3, 2, 1, ceil_mode=True).shape[-1] == 3, not 4.
        assert_eq!(conv_output_size_ceil(4, 3, 2, 1), Some(3));
        // F.max_pool2d(torch.zeros(1, 1, 5, 5), 2, 2, ceil_mode=True).shape[-1] == 3.
        assert_eq!(conv_output_size_ceil(5, 2, 2, 0), Some(3));
        assert_eq!(conv_output_size_ceil(2, 3, 2, 0), None);
        assert_eq!(conv_output_size_ceil(3, 3, 0, 0), None);
    }

    #[test]
    fn shapes_print_like_the_textbook() {
        assert_eq!(Shape::nchw(0, 6, 28, 28).to_string(), "(N, 6, 28, 28)");
        assert_eq!(Shape::nf(256, 10).to_string(), "(256, 10)");
    }
}
