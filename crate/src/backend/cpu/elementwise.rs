//! Element-wise kernels: activations (forward and backward) and inverted dropout.
//!
//!   sigmoid σ(x) = 1/(1+e^−x)      σ'(x) = y(1−y)          with y = σ(x)
//!   tanh(x) = 1 − 2/(e^2x + 1)     tanh'(x) = 1 − y²        with y = tanh(x)
//!   relu(x) = max(0, x)            relu'(x) = [x > 0]
//!   leaky(x) = x or αx             leaky'(x) = 1 or α
//!
//! The loops are written one value at a time with no branches the compiler cannot turn into a
//! select, so they compile to SIMD (AVX2/AVX-512 natively, simd128 on wasm). Calling libm's
//! `expf` per element would stop that, so `exp_approx` below computes e^x with a polynomial.
//! Large tensors are split into chunks that run on both cores.

use super::par;
use crate::backend::ActKind;
use crate::rng::hash_uniform;

/// e^x for f32, vectorisable: write x = n·ln2 + r with integer n and |r| ≤ ln2/2, so that
/// e^x = 2^n · e^r; e^r is a degree-7 polynomial (Cephes `expf`, relative error ≈ 1e-7) and 2^n
/// is put straight into the exponent bits. Accurate on [−87.3, 88.3]; outside, x is clamped to
/// that range (results at most ~1e-38 or at least ~2e38), which the sigmoid and tanh built on it
/// cannot tell apart from the exact values.
#[inline(always)]
#[allow(clippy::excessive_precision)] // Cephes' coefficients, as published
pub fn exp_approx(x: f32) -> f32 {
    // 1.5·2^23: adding it leaves round(x·log2 e) in the low mantissa bits (round to nearest).
    const MAGIC: f32 = 12_582_912.0;
    // ln 2 split into a part exact in f32 and a correction (Cody–Waite), so r stays accurate.
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    let x = x.clamp(-87.3, 88.3);
    let t = x * std::f32::consts::LOG2_E + MAGIC;
    let n_f = t - MAGIC;
    let n = (t.to_bits() as i32).wrapping_sub(MAGIC.to_bits() as i32);
    let r = x - n_f * LN2_HI - n_f * LN2_LO;
    let p = ((((1.987_569_1e-4 * r + 1.398_199_9e-3) * r + 8.333_452e-3) * r + 4.166_579_6e-2) * r + 1.666_666_5e-1) * r + 5.000_000_1e-1;
    let e_r = p * (r * r) + r + 1.0;
    // 2^n with n in [−126, 127]: a normal float with biased exponent n + 127.
    e_r * f32::from_bits(((n + 127) as u32) << 23)
}

#[inline(always)]
pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + exp_approx(-x))
}

/// tanh: a short odd polynomial near 0 (where 1 − 2/(e^2x+1) would cancel), the exponential
/// form elsewhere (Cephes `tanhf`). Both are computed and one is selected, so it vectorises.
#[inline(always)]
#[allow(clippy::excessive_precision)] // Cephes' coefficients, as published
pub fn tanh(x: f32) -> f32 {
    let a = x.abs();
    let z = x * x;
    let small = ((((-5.704_988_7e-3 * z + 2.063_908_9e-2) * z - 5.373_971_6e-2) * z + 1.333_144_2e-1) * z - 3.333_328_2e-1) * z * x + x;
    let large = (1.0 - 2.0 / (exp_approx(2.0 * a) + 1.0)).copysign(x);
    if a < 0.625 {
        small
    } else {
        large
    }
}

fn check_len(op: &str, a: usize, b: usize) {
    assert_eq!(a, b, "{op}: tensors hold {a} and {b} values");
}

/// y ← h(x)
pub fn activation_forward(kind: ActKind, x: &[f32], y: &mut [f32]) {
    check_len("activation_forward", x.len(), y.len());
    par::chunks(y, par::elementwise_chunk(x.len()), |y, off| {
        let x = &x[off..off + y.len()];
        match kind {
            ActKind::Sigmoid => y.iter_mut().zip(x).for_each(|(y, &x)| *y = sigmoid(x)),
            ActKind::Tanh => y.iter_mut().zip(x).for_each(|(y, &x)| *y = tanh(x)),
            ActKind::Relu => y.iter_mut().zip(x).for_each(|(y, &x)| *y = if x > 0.0 { x } else { 0.0 }),
            ActKind::LeakyRelu { slope } => y.iter_mut().zip(x).for_each(|(y, &x)| *y = if x > 0.0 { x } else { slope * x }),
        }
    });
}

/// dx ← dy · h'(x); sigmoid and tanh read y = h(x), the ReLUs read x.
pub fn activation_backward(kind: ActKind, x: &[f32], y: &[f32], dy: &[f32], dx: &mut [f32]) {
    check_len("activation_backward", x.len(), dx.len());
    check_len("activation_backward", y.len(), dx.len());
    check_len("activation_backward", dy.len(), dx.len());
    par::chunks(dx, par::elementwise_chunk(x.len()), |dx, off| {
        let r = off..off + dx.len();
        let (x, y, dy) = (&x[r.clone()], &y[r.clone()], &dy[r]);
        // Zipped iterators, not indices: with three indexed slices the compiler keeps the bounds
        // checks and the loop stays scalar on wasm32 (measured: ReLU's backward 4× slower).
        match kind {
            ActKind::Sigmoid => {
                for (d, (&y, &g)) in dx.iter_mut().zip(y.iter().zip(dy)) {
                    *d = g * y * (1.0 - y);
                }
            }
            ActKind::Tanh => {
                for (d, (&y, &g)) in dx.iter_mut().zip(y.iter().zip(dy)) {
                    *d = g * (1.0 - y * y);
                }
            }
            ActKind::Relu => {
                for (d, (&x, &g)) in dx.iter_mut().zip(x.iter().zip(dy)) {
                    *d = if x > 0.0 { g } else { 0.0 };
                }
            }
            ActKind::LeakyRelu { slope } => {
                for (d, (&x, &g)) in dx.iter_mut().zip(x.iter().zip(dy)) {
                    *d = if x > 0.0 { g } else { slope * g };
                }
            }
        }
    });
}

/// mask ← 1/(1−p) where hash_uniform(key, i) ≥ p, else 0;  y ← x·mask.
/// The draw depends only on (key, i), so any split into chunks gives the same mask.
pub fn dropout_forward(x: &[f32], mask: &mut [f32], y: &mut [f32], p: f32, key: u32) {
    check_len("dropout_forward", x.len(), mask.len());
    check_len("dropout_forward", x.len(), y.len());
    assert!((0.0..=1.0).contains(&p), "dropout_forward: p = {p} is not a probability");
    // p = 1 drops everything (hash_uniform < 1 always); avoid 1/0 in the unused scale.
    let scale = if p < 1.0 { 1.0 / (1.0 - p) } else { 0.0 };
    for (i, (m, (y, &x))) in mask.iter_mut().zip(y.iter_mut().zip(x)).enumerate() {
        *m = if hash_uniform(key, i as u32) >= p { scale } else { 0.0 };
        *y = x * *m;
    }
}

/// dx ← dy · mask
pub fn dropout_backward(dy: &[f32], mask: &[f32], dx: &mut [f32]) {
    check_len("dropout_backward", dy.len(), mask.len());
    check_len("dropout_backward", dy.len(), dx.len());
    for i in 0..dx.len() {
        dx[i] = dy[i] * mask[i];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_approx_is_accurate_to_a_few_ulp() {
        let mut worst = 0.0f64;
        let mut x = -87.0f32;
        while x < 88.0 {
            let want = (x as f64).exp();
            let rel = ((exp_approx(x) as f64 - want) / want).abs();
            worst = worst.max(rel);
            x += 0.001_37;
        }
        assert!(worst < 3e-7, "worst relative error {worst}");
        assert_eq!(exp_approx(0.0), 1.0);
        // Clamped, never NaN or infinite.
        assert!(exp_approx(-1000.0) >= 0.0 && exp_approx(-1000.0) < 1e-37);
        assert!(exp_approx(1000.0).is_finite() && exp_approx(1000.0) > 1e38);
    }

    #[test]
    fn sigmoid_and_tanh_match_the_library_functions() {
        let mut x = -30.0f32;
        while x < 30.0 {
            let s = 1.0 / (1.0 + (-(x as f64)).exp());
            assert!((sigmoid(x) as f64 - s).abs() <= 2e-7 * s.max(1e-30) + 1e-38, "sigmoid({x})");
            let t = (x as f64).tanh();
            assert!((tanh(x) as f64 - t).abs() <= 3e-7 * t.abs() + 1e-9, "tanh({x}) = {} vs {t}", tanh(x));
            x += 0.003_1;
        }
        assert_eq!(sigmoid(-200.0).min(1e-30), sigmoid(-200.0));
        assert_eq!(sigmoid(200.0), 1.0);
        assert_eq!(tanh(50.0), 1.0);
        assert_eq!(tanh(-50.0), -1.0);
        assert_eq!(tanh(1e-6), 1e-6);
    }

    #[test]
    fn dropout_keeps_about_one_minus_p_and_scales_them() {
        let n = 10_000;
        let x = vec![2.0f32; n];
        let (mut mask, mut y) = (vec![0.0; n], vec![0.0; n]);
        dropout_forward(&x, &mut mask, &mut y, 0.25, 7);
        let kept = mask.iter().filter(|&&m| m != 0.0).count();
        assert!((kept as f64 / n as f64 - 0.75).abs() < 0.02, "kept {kept}");
        assert!(mask.iter().all(|&m| m == 0.0 || m == 1.0 / 0.75));
        assert!(y.iter().zip(&mask).all(|(&y, &m)| y == 2.0 * m));
        let mut dx = vec![0.0; n];
        dropout_backward(&x, &mask, &mut dx);
        assert_eq!(dx, y);
    }
}
