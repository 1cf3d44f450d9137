//! Shared helpers for the integration tests: deterministic inputs, one comparison helper with
//! named tolerances, and a central-finite-difference gradient checker.
//!
//! Every test file includes this module with `mod common;`; not every file uses every helper.
#![allow(dead_code)]

use cnn_core::backend::Backend;
use cnn_core::tensor::Shape;
pub use cnn_core::Reference;

/// The backend under test: the reference (the plain loops of `crate::layers`), the
/// specification, which these tests pin down. The fast backends (CPU, GPU) inherit these checks
/// through the agreement tests (tests/agreement), which hold them to the reference.
pub fn reference() -> Reference {
    Reference
}

pub type Tensor = <Reference as Backend>::Tensor;

// ---- deterministic inputs ----------------------------------------------------------------

/// `scale·sin(i + phase)` for i = 0..len: bounded and different at every index, so a wrong index
/// in a kernel shows up as a wrong value. (The PyTorch references use `pattern` instead: two
/// libraries' sin may round differently in the last bit.)
pub fn sin_data(len: usize, scale: f32, phase: f32) -> Vec<f32> {
    (0..len).map(|i| scale * (i as f32 + phase).sin()).collect()
}

/// `start + step·i` for i = 0..len (`torch.arange(len) * step + start`).
pub fn arange(len: usize, step: f32, start: f32) -> Vec<f32> {
    (0..len).map(|i| start + step * i as f32).collect()
}

/// `((i·mul) mod m)·scale + offset` for i = 0..len: small integers times a scale, so the values
/// are bit-identical to PyTorch's `((torch.arange(len) * mul) % m).float() * scale + offset`
/// (the same two f32 roundings), which the reference tests rely on.
pub fn pattern(len: usize, mul: usize, m: usize, scale: f32, offset: f32) -> Vec<f32> {
    (0..len).map(|i| ((i * mul) % m) as f32 * scale + offset).collect()
}

/// Distinct values spaced at least `gap` apart, in a scrambled order: every window of max
/// pooling has a unique maximum separated from the runner-up by ≥ `gap`, so a finite difference
/// with eps < gap/2 never changes which element wins (no ties, no kinks).
pub fn distinct_scrambled(len: usize, gap: f32) -> Vec<f32> {
    // 7919 is prime, so i ↦ (i·7919) mod p is a permutation of 0..p for any p not divisible by it.
    let p = len;
    let centre = (p as f32 - 1.0) / 2.0;
    (0..len).map(|i| ((i * 7919) % p) as f32 * gap - centre * gap).collect()
}

/// Values whose magnitude is at least `min_abs`: `sin_data` pushed away from zero, keeping the
/// sign, so ReLU-type kinks at 0 are never within a finite-difference step.
pub fn away_from_zero(len: usize, scale: f32, min_abs: f32) -> Vec<f32> {
    sin_data(len, scale, 0.3).into_iter().map(|v| if v >= 0.0 { v + min_abs } else { v - min_abs }).collect()
}

// ---- comparison ----------------------------------------------------------------------------

/// How close two arrays must be, element by element: |got − want| ≤ abs + rel·|want|.
#[derive(Clone, Copy, Debug)]
pub struct Tol {
    pub abs: f64,
    pub rel: f64,
}

impl Tol {
    /// Bit-for-bit (copies, masks, routing of a single value).
    pub const EXACT: Tol = Tol { abs: 0.0, rel: 0.0 };
    /// A kernel against values computed in f64 or by PyTorch in f32: a few ulps of the sums.
    pub const F32: Tol = Tol { abs: 1e-6, rel: 1e-5 };
    /// Against values PyTorch computed in f32 (pasted as literals with 9 significant digits): the
    /// two sum in different orders, and near-cancelling sums keep only an absolute accuracy.
    pub const TORCH: Tol = Tol { abs: 2e-6, rel: 1e-5 };
    /// Analytic backward against central finite differences of an f32 forward pass. The
    /// difference quotient loses ~ulp(loss)/eps to rounding and O(eps²) to truncation.
    pub const FD: Tol = Tol { abs: 2e-4, rel: 5e-3 };
    /// The same through a whole network, where many more roundings pile up in the loss.
    pub const FD_MODEL: Tol = Tol { abs: 5e-4, rel: 3e-2 };
}

/// Compare `got` against `want`. On failure, panic with the largest absolute and relative
/// differences and the first few elements that differ, so the message says *where* it broke.
#[track_caller]
pub fn assert_close<W: Copy + Into<f64>>(what: &str, got: &[f32], want: &[W], tol: Tol) {
    assert_eq!(got.len(), want.len(), "{what}: got {} values, want {}", got.len(), want.len());
    let mut bad = Vec::new();
    let (mut max_abs, mut max_rel, mut at_abs, mut at_rel) = (0.0f64, 0.0f64, 0usize, 0usize);
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        let (g, w) = (g as f64, w.into());
        let diff = (g - w).abs();
        let rel = diff / w.abs().max(f64::MIN_POSITIVE);
        // NaN fails every comparison, so it must be caught explicitly.
        let ok = diff <= tol.abs + tol.rel * w.abs() && !g.is_nan() && !(w.is_nan());
        if diff.is_nan() || diff > max_abs {
            max_abs = diff;
            at_abs = i;
        }
        if rel.is_nan() || rel > max_rel {
            max_rel = rel;
            at_rel = i;
        }
        if !ok {
            bad.push((i, g, w));
        }
    }
    if !bad.is_empty() {
        let first: Vec<String> = bad.iter().take(8).map(|(i, g, w)| format!("  [{i}] got {g:.9e}  want {w:.9e}  diff {:.3e}", g - w)).collect();
        panic!(
            "{what}: {} of {} values differ beyond {tol:?}\n  max abs diff {max_abs:.3e} at [{at_abs}], max rel diff {max_rel:.3e} at [{at_rel}]\n  first differences:\n{}",
            bad.len(),
            got.len(),
            first.join("\n")
        );
    }
}

// ---- finite differences --------------------------------------------------------------------

/// Central finite differences of a scalar function of `x`, each difference quotient in f64:
/// ∂f/∂x_i ≈ (f(x + eps·e_i) − f(x − eps·e_i)) / 2eps.
/// `f` evaluates the (f32) forward pass and returns the loss accumulated in f64.
pub fn numeric_grad(x: &[f32], eps: f32, mut f: impl FnMut(&[f32]) -> f64) -> Vec<f64> {
    let mut xp = x.to_vec();
    let mut out = Vec::with_capacity(x.len());
    for i in 0..x.len() {
        let orig = xp[i];
        xp[i] = orig + eps;
        let plus = f(&xp);
        xp[i] = orig - eps;
        let minus = f(&xp);
        xp[i] = orig;
        // The step actually taken in f32 (orig ± eps is rounded), not the nominal eps.
        let h = (orig + eps) as f64 - (orig - eps) as f64;
        out.push((plus - minus) / h);
    }
    out
}

/// Check an analytic gradient against central finite differences of `f` at `x`.
#[track_caller]
pub fn check_grad(what: &str, analytic: &[f32], x: &[f32], eps: f32, tol: Tol, f: impl FnMut(&[f32]) -> f64) {
    let numeric = numeric_grad(x, eps, f);
    assert_close(&format!("{what} (analytic vs central differences, eps {eps})"), analytic, &numeric, tol);
}

/// The scalar a backward pass is checked through: L = Σ_i r_i·y_i with fixed weights r, summed
/// in f64. Its gradient ∂L/∂y is exactly r, which becomes the `dy` fed to the backward pass.
/// Using varied r (not all ones) makes a transposed or misplaced gradient visible.
pub fn dot(y: &[f32], r: &[f32]) -> f64 {
    assert_eq!(y.len(), r.len(), "dot: lengths differ");
    y.iter().zip(r).map(|(&a, &b)| a as f64 * b as f64).sum()
}

/// The projection weights r for an output of `len` values (see `dot`).
pub fn projection(len: usize) -> Vec<f32> {
    sin_data(len, 1.0, 1.7).into_iter().map(|v| v + 0.25).collect()
}

// ---- backend conveniences -------------------------------------------------------------------

pub fn upload(b: &Reference, dims: &[usize], data: &[f32]) -> Tensor {
    b.upload(&Shape(dims.to_vec()), data)
}

/// A tensor filled with NaN: a kernel that reads or accumulates into its output instead of
/// overwriting it (the trait's rule) leaves NaNs behind and fails the comparison.
pub fn garbage(b: &Reference, dims: &[usize]) -> Tensor {
    let s = Shape(dims.to_vec());
    b.upload(&s, &vec![f32::NAN; s.len()])
}
