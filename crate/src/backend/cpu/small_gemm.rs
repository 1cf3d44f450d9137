//! C ← Aᵀ·B for the small products of a convolution's backward pass in the browser
//! (dcols = wᵀ·dy: a few hundred rows, 6 to 16 terms per sum, one image's pixels as columns).
//! The `gemm` crate would copy (pack) both operands on every call, which costs as much as the
//! product at these sizes; here every operand is read where it lies.
//!
//! A is k×m and B is k×n, both row-major, so for a tile of R rows of C and 4·NV columns the
//! loop over k reads R consecutive values of A's row k (one broadcast each) and NV vectors of
//! B's row k:
//!
//!   acc[r][t] += A[kk, i0+r] · B[kk, j0+4t .. +4]
//!
//! Sums run over k in order, as in the textbook loop.

use super::simd::F4;

/// Rows of C per tile: 4 × 2 vectors = 8 sums, two loaded vectors and a broadcast stay in
/// registers (measured in Chromium: 3% faster training than 6 rows, whose 12 sums spill).
const ROWS: usize = 4;

/// c (m×n, row-major) ← aᵀ·b, a k×m and b k×n row-major. Panics (a programmer error) when a
/// slice does not hold its matrix.
pub fn matmul_tn(m: usize, n: usize, k: usize, a: &[f32], b: &[f32], c: &mut [f32]) {
    assert!(a.len() == k * m && b.len() == k * n && c.len() == m * n, "matmul_tn: a {}, b {}, c {} values for m {m}, n {n}, k {k}", a.len(), b.len(), c.len());
    let mut i0 = 0;
    while i0 < m {
        let rows = ROWS.min(m - i0);
        match rows {
            4 => row_block::<4>(n, m, k, a, b, c, i0),
            3 => row_block::<3>(n, m, k, a, b, c, i0),
            2 => row_block::<2>(n, m, k, a, b, c, i0),
            _ => row_block::<1>(n, m, k, a, b, c, i0),
        }
        i0 += rows;
    }
}

/// Rows i0..i0+R of c: vectors of 8 then 4 columns, and the last n mod 4 columns one by one.
#[inline(always)]
fn row_block<const R: usize>(n: usize, m: usize, k: usize, a: &[f32], b: &[f32], c: &mut [f32], i0: usize) {
    let mut j0 = 0;
    while j0 + 8 <= n {
        let acc = tile::<R, 2>(n, m, k, a, b, i0, j0);
        for (r, acc_r) in acc.iter().enumerate() {
            let out = &mut c[(i0 + r) * n + j0..][..8];
            // SAFETY: `out` holds 8 values, so the two 4-value stores lie inside it.
            unsafe {
                acc_r[0].store(out.as_mut_ptr());
                acc_r[1].store(out.as_mut_ptr().add(4));
            }
        }
        j0 += 8;
    }
    if j0 + 4 <= n {
        let acc = tile::<R, 1>(n, m, k, a, b, i0, j0);
        for (r, acc_r) in acc.iter().enumerate() {
            let out = &mut c[(i0 + r) * n + j0..][..4];
            // SAFETY: `out` holds 4 values.
            unsafe { acc_r[0].store(out.as_mut_ptr()) };
        }
        j0 += 4;
    }
    for j in j0..n {
        for r in 0..R {
            let mut s = 0.0;
            for kk in 0..k {
                s += a[kk * m + i0 + r] * b[kk * n + j];
            }
            c[(i0 + r) * n + j] = s;
        }
    }
}

#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn tile<const R: usize, const NV: usize>(n: usize, m: usize, k: usize, a: &[f32], b: &[f32], i0: usize, j0: usize) -> [[F4; NV]; R] {
    let mut acc = [[F4::splat(0.0); NV]; R];
    for kk in 0..k {
        // SAFETY: `matmul_tn` checked a (k·m values) and b (k·n values); the callers keep
        // i0 + R ≤ m and j0 + 4·NV ≤ n, and kk < k.
        let x: [F4; NV] = std::array::from_fn(|t| unsafe { F4::load(b.as_ptr().add(kk * n + j0 + 4 * t)) });
        for (r, acc_r) in acc.iter_mut().enumerate() {
            let w = F4::splat(unsafe { *a.as_ptr().add(kk * m + i0 + r) });
            for t in 0..NV {
                acc_r[t] = acc_r[t].mul_add(w, x[t]);
            }
        }
    }
    acc
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row remainder (m mod `ROWS` = 4) and column remainder (n mod 8, n mod 4), m = 1, k = 1.
    #[test]
    fn matches_the_triple_loop() {
        for (m, n, k) in [(150, 100, 16), (25, 784, 6), (1, 1, 1), (1, 9, 3), (7, 3, 1), (13, 13, 5), (6, 8, 2), (11, 22, 7), (4, 5, 4)] {
            let a: Vec<f32> = (0..k * m).map(|i| ((i * 37 % 101) as f32 - 50.0) / 50.0).collect();
            let b: Vec<f32> = (0..k * n).map(|i| ((i * 13 % 29) as f32 - 14.0) / 14.0).collect();
            let mut c = vec![f32::NAN; m * n];
            matmul_tn(m, n, k, &a, &b, &mut c);
            for i in 0..m {
                for j in 0..n {
                    let want: f64 = (0..k).map(|kk| a[kk * m + i] as f64 * b[kk * n + j] as f64).sum();
                    let got = c[i * n + j] as f64;
                    assert!((got - want).abs() <= 1e-5 * want.abs().max(1.0), "m{m} n{n} k{k} ({i},{j}): {got} vs {want}");
                }
            }
        }
    }
}
