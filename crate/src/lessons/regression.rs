//! The chapter "Regression losses": L1, L2 (MSE) and smooth L1 side by side, and what one outlier
//! does to a line fitted with each.
//!
//! Both parts run on the CPU backend's regression loss kernels (`Cpu::regression_loss_forward`
//! and `_backward`, the ones a network trained with these losses uses):
//! - `curves`: ℓ(d) and ℓ'(d) at each error d = prediction − target, each one a batch of one
//!   example (forward: its loss; backward: its gradient, which for a batch of one is ℓ'(d));
//! - `fit`: a line y = w·x + b fitted to the lesson's points by gradient descent, once per loss.
//!   Each step runs the loss's backward pass on the predictions w·xᵢ + b and takes the chain rule
//!   the rest of the way: ∂L/∂w = Σᵢ ∂L/∂ŷᵢ · xᵢ and ∂L/∂b = Σᵢ ∂L/∂ŷᵢ.
//!
//! The L2 gradient 2d grows with the error, so the one point far from the line pulls hardest; the
//! L1 gradient sign(d) is ±1 however far a point is, so the outlier counts as much as any other
//! point; smooth L1 is L2 (scaled by 1/β) for |d| < β and L1 beyond.

use serde::Serialize;

use crate::backend::{Backend, RegressionLoss, METRICS_LEN};
use crate::check::{self, NotFinite};
use crate::message::{Explain, Message, Template};
use crate::tensor::Shape;
use crate::Cpu;

/// The lesson's points without the outlier: y ≈ 0.6·x + 0.4 with small fixed deviations.
pub const POINTS: [[f32; 2]; 9] = [
    [-2.0, -0.65],
    [-1.5, -0.7],
    [-1.0, -0.1],
    [-0.5, 0.35],
    [0.0, 0.3],
    [0.5, 0.45],
    [1.0, 1.2],
    [1.5, 1.25],
    [2.0, 1.7],
];
/// Where the outlier starts: far below the line the other points lie on.
pub const OUTLIER_START: [f32; 2] = [1.5, -3.0];
/// Where the outlier may go (and the plot's range): inside it every fit below converges.
pub const X_RANGE: [f32; 2] = [-2.5, 2.5];
pub const Y_RANGE: [f32; 2] = [-4.0, 4.0];
/// Gradient descent's steps, from w = b = 0.
pub const STEPS: usize = 300;
/// The first step's learning rate η₀; step t uses η₀·(1 − t/STEPS). L1's gradient keeps its size
/// near the optimum (±1 per point), so a fixed rate would leave its line jittering; the shrinking
/// rate lets it settle. η₀ is below 2/λ_max of MSE's curvature anywhere in the ranges above, so
/// MSE converges to the least-squares line.
pub const LEARNING_RATE: f32 = 0.4;
/// PyTorch's default β for `nn.SmoothL1Loss`.
pub const DEFAULT_BETA: f32 = 1.0;

/// The lesson's fixed numbers, for the page to lay out its plots and controls.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Setup {
    pub points: Vec<[f32; 2]>,
    pub outlier_start: [f32; 2],
    pub x_range: [f32; 2],
    pub y_range: [f32; 2],
    pub steps: usize,
    pub learning_rate: f32,
    pub default_beta: f32,
}

pub fn setup() -> Setup {
    Setup {
        points: POINTS.to_vec(),
        outlier_start: OUTLIER_START,
        x_range: X_RANGE,
        y_range: Y_RANGE,
        steps: STEPS,
        learning_rate: LEARNING_RATE,
        default_beta: DEFAULT_BETA,
    }
}

/// What the page can hand over wrong.
#[derive(Clone, Debug, PartialEq)]
pub enum RegressionError {
    /// Smooth L1's β is not a number greater than 0 (NaN included).
    BadBeta { beta: f32 },
    NotFinite(NotFinite),
    /// The outlier outside `X_RANGE` × `Y_RANGE`.
    Outside { what: Template, min: f32, max: f32, got: f32 },
}

pub mod text {
    crate::templates! {
        BAD_BETA = "regression.badBeta": "smooth L1's β must be a number greater than 0, not {beta}";
        OUTSIDE = "regression.outside": "{what} must be between {min} and {max}, not {got}";
        OUTLIER_X = "regression.outlierX": "the outlier's x";
        OUTLIER_Y = "regression.outlierY": "the outlier's y";
        ERRORS = "regression.errors": "the errors d";
    }
}

impl Explain for RegressionError {
    fn message(&self) -> Message {
        use text::*;
        match self {
            RegressionError::BadBeta { beta } => Message::new(BAD_BETA).with("beta", beta),
            RegressionError::NotFinite(e) => e.message(),
            RegressionError::Outside { what, min, max, got } => Message::new(OUTSIDE).nested("what", (*what).into()).with("min", min).with("max", max).with("got", got),
        }
    }
}
crate::explained_error!(RegressionError);

/// The three losses in the order the chapter shows them, smooth L1 with `beta` (checked).
pub fn losses(beta: f32) -> Result<[RegressionLoss; 3], RegressionError> {
    if !(beta.is_finite() && beta > 0.0) {
        return Err(RegressionError::BadBeta { beta });
    }
    Ok([RegressionLoss::Mse, RegressionLoss::L1, RegressionLoss::SmoothL1 { beta }])
}

/// One loss sampled at the errors d: ℓ(d) and ℓ'(d).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LossCurve {
    pub loss: RegressionLoss,
    pub values: Vec<f32>,
    pub slopes: Vec<f32>,
}

/// ℓ(d) and ℓ'(d) of MSE, L1 and smooth L1 (with `beta`) at every d in `ds`.
pub fn curves(beta: f32, ds: &[f32]) -> Result<Vec<LossCurve>, RegressionError> {
    let kinds = losses(beta)?;
    check::finite(text::ERRORS, ds).map_err(RegressionError::NotFinite)?;
    let cpu = Cpu::new();
    let one = Shape::nf(1, 1);
    let zero = cpu.upload(&one, &[0.0]);
    let mut metrics = cpu.zeros(&Shape(vec![METRICS_LEN]));
    let mut grad = cpu.zeros(&one);
    Ok(kinds
        .iter()
        .map(|&loss| {
            let (mut values, mut slopes) = (Vec::with_capacity(ds.len()), Vec::with_capacity(ds.len()));
            // A prediction d against the target 0: one example whose error is d. Its loss is the
            // metrics' sum (one example), its gradient ℓ'(d)/(N·P) with N·P = 1.
            for &d in ds {
                let pred = cpu.upload(&one, &[d]);
                cpu.fill(&mut metrics, 0.0);
                cpu.regression_loss_forward(loss, &pred, &zero, &mut metrics);
                cpu.regression_loss_backward(loss, &pred, &zero, &mut grad);
                values.push(cpu.read(&metrics)[0]);
                slopes.push(cpu.read(&grad)[0]);
            }
            LossCurve { loss, values, slopes }
        })
        .collect())
}

/// A line fitted with one loss.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LineFit {
    pub loss: RegressionLoss,
    /// The slope w and intercept b after `STEPS` steps.
    pub w: f32,
    pub b: f32,
    /// The loss L (mean over the points of ℓ(w·xᵢ + b − yᵢ)) of that line.
    pub value: f32,
}

/// The lesson's points with the outlier, and the line each loss fits to them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fits {
    /// `POINTS` then the outlier (the last point).
    pub points: Vec<[f32; 2]>,
    /// MSE, L1, smooth L1, as `losses` orders them.
    pub fits: Vec<LineFit>,
}

/// Fits y = w·x + b to `POINTS` plus the outlier at `outlier`, with each loss (smooth L1 with
/// `beta`). Deterministic: the same arguments give the same bits.
pub fn fit(outlier: [f32; 2], beta: f32) -> Result<Fits, RegressionError> {
    let kinds = losses(beta)?;
    for (what, got, [min, max]) in [(text::OUTLIER_X, outlier[0], X_RANGE), (text::OUTLIER_Y, outlier[1], Y_RANGE)] {
        check::finite_one(what, got).map_err(RegressionError::NotFinite)?;
        if !(min..=max).contains(&got) {
            return Err(RegressionError::Outside { what, min, max, got });
        }
    }
    let mut points = POINTS.to_vec();
    points.push(outlier);
    let fits = kinds.iter().map(|&loss| fit_line(&points, loss)).collect();
    Ok(Fits { points, fits })
}

/// Gradient descent on (w, b) from (0, 0): `STEPS` steps, the rate falling linearly from
/// `LEARNING_RATE` to 0. `points` must not be empty.
pub fn fit_line(points: &[[f32; 2]], loss: RegressionLoss) -> LineFit {
    assert!(!points.is_empty(), "fit_line: no points");
    let cpu = Cpu::new();
    // N examples of one value each: the loss is the mean over the points.
    let shape = Shape::nf(points.len(), 1);
    let xs: Vec<f32> = points.iter().map(|p| p[0]).collect();
    let ys: Vec<f32> = points.iter().map(|p| p[1]).collect();
    let target = cpu.upload(&shape, &ys);
    let mut pred = cpu.zeros(&shape);
    let mut dpred = cpu.zeros(&shape);
    let predict = |w: f32, b: f32| xs.iter().map(|x| w * x + b).collect::<Vec<f32>>();
    let (mut w, mut b) = (0.0f32, 0.0f32);
    for t in 0..STEPS {
        cpu.write(&mut pred, &predict(w, b));
        // ∂L/∂ŷᵢ from the kernel (ℓ'(ŷᵢ − yᵢ)/N), then the chain rule through ŷᵢ = w·xᵢ + b.
        cpu.regression_loss_backward(loss, &pred, &target, &mut dpred);
        let g = cpu.read(&dpred);
        let dw: f32 = g.iter().zip(&xs).map(|(gi, xi)| gi * xi).sum();
        let db: f32 = g.iter().sum();
        let rate = LEARNING_RATE * (1.0 - t as f32 / STEPS as f32);
        w -= rate * dw;
        b -= rate * db;
    }
    cpu.write(&mut pred, &predict(w, b));
    let mut metrics = cpu.zeros(&Shape(vec![METRICS_LEN]));
    cpu.regression_loss_forward(loss, &pred, &target, &mut metrics);
    let m = cpu.read(&metrics);
    LineFit { loss, w, b, value: m[0] / m[2] }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The least-squares line through `points`, in f64: w = cov(x, y)/var(x), b = ȳ − w·x̄.
    fn least_squares(points: &[[f32; 2]]) -> (f64, f64) {
        let n = points.len() as f64;
        let mx = points.iter().map(|p| p[0] as f64).sum::<f64>() / n;
        let my = points.iter().map(|p| p[1] as f64).sum::<f64>() / n;
        let sxy: f64 = points.iter().map(|p| (p[0] as f64 - mx) * (p[1] as f64 - my)).sum();
        let sxx: f64 = points.iter().map(|p| (p[0] as f64 - mx).powi(2)).sum();
        (sxy / sxx, my - sxy / sxx * mx)
    }

    /// The mean L1 loss of a line, in f64.
    fn l1_of(points: &[[f32; 2]], w: f64, b: f64) -> f64 {
        points.iter().map(|p| (w * p[0] as f64 + b - p[1] as f64).abs()).sum::<f64>() / points.len() as f64
    }

    /// The best L1 line: one passes through two of the points (a linear programme's vertex).
    fn least_absolute(points: &[[f32; 2]]) -> f64 {
        let mut best = f64::INFINITY;
        for (i, p) in points.iter().enumerate() {
            for q in &points[i + 1..] {
                if p[0] != q[0] {
                    let w = (q[1] as f64 - p[1] as f64) / (q[0] as f64 - p[0] as f64);
                    best = best.min(l1_of(points, w, p[1] as f64 - w * p[0] as f64));
                }
            }
        }
        best
    }

    #[test]
    fn curves_are_the_formulas() {
        let ds: Vec<f32> = (-30..=30).map(|i| i as f32 / 10.0).collect();
        let beta = 0.7f32;
        let c = curves(beta, &ds).unwrap();
        assert_eq!(c.iter().map(|c| c.loss).collect::<Vec<_>>(), losses(beta).unwrap());
        for (i, &d) in ds.iter().enumerate() {
            let sign = if d > 0.0 { 1.0 } else if d < 0.0 { -1.0 } else { 0.0 };
            let (smooth, dsmooth) = if d.abs() < beta { (d * d / (2.0 * beta), d / beta) } else { (d.abs() - beta / 2.0, sign) };
            for (curve, (v, s)) in c.iter().zip([(d * d, 2.0 * d), (d.abs(), sign), (smooth, dsmooth)]) {
                assert!((curve.values[i] - v).abs() < 1e-6 && (curve.slopes[i] - s).abs() < 1e-6, "{:?} at {d}: {} {}", curve.loss, curve.values[i], curve.slopes[i]);
            }
        }
        // Smooth L1 is continuous with a continuous slope at |d| = β: both pieces meet there.
        let at = curves(beta, &[beta - 1e-4, beta + 1e-4]).unwrap();
        assert!((at[2].values[0] - at[2].values[1]).abs() < 1e-3 && (at[2].slopes[0] - at[2].slopes[1]).abs() < 1e-3);
    }

    #[test]
    fn beta_and_the_outlier_are_checked() {
        for beta in [0.0, -1.0, f32::NAN, f32::INFINITY] {
            assert!(matches!(curves(beta, &[1.0]), Err(RegressionError::BadBeta { .. })), "{beta}");
            assert!(matches!(fit(OUTLIER_START, beta), Err(RegressionError::BadBeta { .. })), "{beta}");
        }
        assert_eq!(fit([3.0, 0.0], 1.0), Err(RegressionError::Outside { what: text::OUTLIER_X, min: -2.5, max: 2.5, got: 3.0 }));
        assert!(matches!(fit([0.0, -4.5], 1.0), Err(RegressionError::Outside { what: text::OUTLIER_Y, .. })));
        assert!(matches!(fit([f32::NAN, 0.0], 1.0), Err(RegressionError::NotFinite(_))));
        assert!(matches!(curves(1.0, &[0.0, f32::INFINITY]), Err(RegressionError::NotFinite(NotFinite { index: Some(1), .. }))));
        assert_eq!(RegressionError::BadBeta { beta: 0.0 }.to_string(), "smooth L1's β must be a number greater than 0, not 0");
    }

    #[test]
    fn mse_fits_the_least_squares_line() {
        for outlier in [OUTLIER_START, [-2.5, 4.0], [2.5, -4.0], [2.5, 4.0], [0.0, 0.0], [-1.2, 2.2]] {
            let f = fit(outlier, 1.0).unwrap();
            let (w, b) = least_squares(&f.points);
            let mse = &f.fits[0];
            assert_eq!(mse.loss, RegressionLoss::Mse);
            assert!((mse.w as f64 - w).abs() < 1e-3 && (mse.b as f64 - b).abs() < 1e-3, "{outlier:?}: ({}, {}) not ({w}, {b})", mse.w, mse.b);
            let sse = f.points.iter().map(|p| (w * p[0] as f64 + b - p[1] as f64).powi(2)).sum::<f64>() / f.points.len() as f64;
            assert!((mse.value as f64 - sse).abs() < 1e-4);
        }
    }

    #[test]
    fn l1_reaches_the_least_absolute_deviations_line() {
        for outlier in [OUTLIER_START, [-2.5, 4.0], [2.5, 4.0], [0.0, 0.0]] {
            let f = fit(outlier, 1.0).unwrap();
            let l1 = &f.fits[1];
            let best = least_absolute(&f.points);
            assert!((l1.value as f64) < best + 2e-3, "{outlier:?}: L1 {} vs the best {best}", l1.value);
        }
    }

    #[test]
    fn the_outlier_drags_mse_most() {
        // Moving the outlier from below the line (y = −3) to above it (y = 3) at x = 1.5:
        // MSE's slope goes 0.256 → 0.732 and L1's only 0.543 → 0.6 (it passes through two of the
        // other points either way); smooth L1 (β = 1) sits between, 0.498 → 0.698.
        let below = fit([1.5, -3.0], 1.0).unwrap();
        let above = fit([1.5, 3.0], 1.0).unwrap();
        let moved: Vec<(f32, f32)> = below.fits.iter().zip(&above.fits).map(|(a, b)| ((b.w - a.w).abs(), (b.b - a.b).abs())).collect();
        let [mse, l1, smooth] = [moved[0], moved[1], moved[2]];
        assert!((below.fits[0].w - 0.2558).abs() < 1e-3 && (above.fits[0].w - 0.7316).abs() < 1e-3, "{:?}", moved);
        assert!((below.fits[1].w - 0.5429).abs() < 5e-3 && (above.fits[1].w - 0.6).abs() < 5e-3, "{below:?} {above:?}");
        assert!(l1.0 < 0.1 && l1.0 < mse.0 / 4.0, "{moved:?}");
        assert!(smooth.0 < mse.0 && smooth.1 < mse.1 && l1.1 < mse.1, "{moved:?}");
        // A smaller β is closer to L1: the outlier moves it less.
        let small = |y| fit([1.5, y], 0.1).unwrap().fits[2].w;
        assert!((small(3.0) - small(-3.0)).abs() < smooth.0, "{} {}", small(3.0), small(-3.0));
    }

    #[test]
    fn fits_are_deterministic() {
        assert_eq!(fit([0.7, -2.1], 0.5).unwrap(), fit([0.7, -2.1], 0.5).unwrap());
    }
}
