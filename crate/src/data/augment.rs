//! Augmentation of a training batch: random shifts of a few pixels (digits are not always
//! centred) and, for datasets where it keeps the meaning, horizontal flips (a shoe flipped is a
//! shoe; a flipped 2 is not a 2). Every draw comes from the run's augmentation stream.

use serde::{Deserialize, Serialize};

use super::DataError;
use crate::rng::Rng;

/// The augmentation that keeps each dataset's meaning: shifts of up to 2 pixels for both (a
/// tenth of a 28-pixel digit's width, about how far MNIST's centring by centre of mass varies),
/// flips only for Fashion-MNIST — a sandal pointing left is still a sandal, a mirrored 7 is
/// not a 7.
pub fn default_augment(dataset: &str) -> Result<Augment, DataError> {
    match dataset {
        "mnist" => Ok(Augment { max_shift: 2, flip: false }),
        "fashion-mnist" => Ok(Augment { max_shift: 2, flip: true }),
        _ => Err(DataError::Unknown(dataset.to_string())),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Augment {
    /// Each image moves by up to this many pixels in x and y; uncovered pixels are 0.
    pub max_shift: usize,
    /// Flip half the images left–right.
    pub flip: bool,
}

impl Augment {
    /// Augment a batch of images (N, C, H, W) in place.
    pub fn apply(&self, images: &mut [f32], dims: [usize; 3], rng: &mut Rng) {
        let [c, h, w] = dims;
        let len = c * h * w;
        let mut scratch = vec![0.0f32; len];
        for img in images.chunks_exact_mut(len) {
            let span = 2 * self.max_shift + 1;
            let dy = rng.below(span) as isize - self.max_shift as isize;
            let dx = rng.below(span) as isize - self.max_shift as isize;
            let flip = self.flip && rng.below(2) == 1;
            if dx == 0 && dy == 0 && !flip {
                continue;
            }
            for ch in 0..c {
                for y in 0..h {
                    for x in 0..w {
                        // Output pixel (y, x) reads source (y − dy, x' − dx), x' mirrored when flipping.
                        let sx = if flip { w - 1 - x } else { x } as isize - dx;
                        let sy = y as isize - dy;
                        scratch[(ch * h + y) * w + x] = if (0..h as isize).contains(&sy) && (0..w as isize).contains(&sx) {
                            img[(ch * h + sy as usize) * w + sx as usize]
                        } else {
                            0.0
                        };
                    }
                }
            }
            img.copy_from_slice(&scratch);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifts_move_ink_and_keep_its_amount_inside_the_frame() {
        // A single lit pixel in the middle of a 9×9 image moves by at most 2 pixels.
        let dims = [1, 9, 9];
        let mut img = vec![0.0; 81];
        img[4 * 9 + 4] = 1.0;
        let aug = Augment { max_shift: 2, flip: false };
        let mut rng = Rng::new(3);
        let mut moved = 0;
        for _ in 0..50 {
            let mut b = img.clone();
            aug.apply(&mut b, dims, &mut rng);
            let pos = b.iter().position(|&v| v == 1.0).expect("the pixel stays inside");
            let (y, x) = (pos / 9, pos % 9);
            assert!((2..=6).contains(&y) && (2..=6).contains(&x));
            assert_eq!(b.iter().sum::<f32>(), 1.0);
            moved += (pos != 40) as usize;
        }
        assert!(moved > 30, "only {moved} of 50 moved");
    }

    #[test]
    fn digits_are_never_flipped_clothes_may_be() {
        assert!(!default_augment("mnist").unwrap().flip);
        assert!(default_augment("fashion-mnist").unwrap().flip);
        assert!(matches!(default_augment("cifar"), Err(DataError::Unknown(_))));
    }

    #[test]
    fn flips_mirror_left_and_right() {
        let dims = [1, 1, 4];
        let aug = Augment { max_shift: 0, flip: true };
        let mut rng = Rng::new(5);
        let mut seen_flip = false;
        for _ in 0..20 {
            let mut b = vec![1.0, 2.0, 3.0, 4.0];
            aug.apply(&mut b, dims, &mut rng);
            assert!(b == [1.0, 2.0, 3.0, 4.0] || b == [4.0, 3.0, 2.0, 1.0]);
            seen_flip |= b[0] == 4.0;
        }
        assert!(seen_flip);
    }
}
