//! Dense (fully connected): x (N, I), w (O, I) as PyTorch stores it, b (O), y (N, O).
//!
//!   y = x·wᵀ + b
//!   dx = dy·w      (N × O)(O × I)
//!   dw = dyᵀ·x     (O × N)(N × I)
//!   db = Σ_n dy[n, :]
//!
//! Each is one matrix product; wᵀ and dyᵀ are strided views, never copies.

use super::gemm::{matmul, Mat};

/// (N, I, O) from the tensor sizes; panics with the shapes when they disagree.
fn dims(op: &str, x: usize, w: usize, b: usize, y: usize) -> (usize, usize, usize) {
    let o = b;
    let i = w.checked_div(o).unwrap_or(0);
    let n = x.checked_div(i).unwrap_or(0);
    assert!(
        o > 0 && i > 0 && i * o == w && n * i == x && n * o == y,
        "{op}: x of {x} values, w of {w}, b of {b} and y of {y} are not (N, I), (O, I), (O), (N, O)"
    );
    (n, i, o)
}

/// y ← x·wᵀ + b
pub fn dense_forward(x: &[f32], w: &[f32], b: &[f32], y: &mut [f32]) {
    let (n, i, o) = dims("dense_forward", x.len(), w.len(), b.len(), y.len());
    if n <= GEMV_MAX_ROWS {
        // One image (the drawing pad): a GEMM would copy (pack) all of w for a single row of
        // outputs; dot products straight from w's rows cost a fraction of that.
        for (xr, yr) in x.chunks_exact(i).zip(y.chunks_exact_mut(o)) {
            for ((yj, wj), bj) in yr.iter_mut().zip(w.chunks_exact(i)).zip(b) {
                *yj = bj + dot(xr, wj);
            }
        }
        return;
    }
    for row in y.chunks_mut(o) {
        row.copy_from_slice(b);
    }
    matmul(n, o, i, y, o, 1, true, Mat::rows(x, i), Mat::rows_t(w, i), true);
}

/// Batches up to this size use dot products instead of a GEMM.
const GEMV_MAX_ROWS: usize = 2;

/// Σ a·b with eight independent partial sums: the compiler turns them into two 4-lane vector
/// accumulators (SSE/AVX natively) where one running sum would be a serial chain.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0.0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            acc[k] += x[k] * y[k];
        }
    }
    let tail: f32 = ra.iter().zip(rb).map(|(x, y)| x * y).sum();
    (acc[0] + acc[4]) + (acc[1] + acc[5]) + (acc[2] + acc[6]) + (acc[3] + acc[7]) + tail
}

/// The same sum, in the same order, with WebAssembly's 4-lane vectors written out: the compiler
/// does not vectorise the portable version for wasm32 on its own.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn dot(a: &[f32], b: &[f32]) -> f32 {
    use core::arch::wasm32::*;
    let n = a.len().min(b.len());
    let (mut lo, mut hi) = (f32x4_splat(0.0), f32x4_splat(0.0));
    let mut i = 0;
    while i + 8 <= n {
        // SAFETY: i + 8 <= n, so both 16-byte loads at i and i + 4 lie inside a and b;
        // v128_load has no alignment requirement.
        unsafe {
            let (pa, pb) = (a.as_ptr().add(i) as *const v128, b.as_ptr().add(i) as *const v128);
            lo = f32x4_add(lo, f32x4_mul(v128_load(pa), v128_load(pb)));
            hi = f32x4_add(hi, f32x4_mul(v128_load(pa.add(1)), v128_load(pb.add(1))));
        }
        i += 8;
    }
    let tail: f32 = a[i..n].iter().zip(&b[i..n]).map(|(x, y)| x * y).sum();
    let lane = |v: v128, k: usize| match k {
        0 => f32x4_extract_lane::<0>(v),
        1 => f32x4_extract_lane::<1>(v),
        2 => f32x4_extract_lane::<2>(v),
        _ => f32x4_extract_lane::<3>(v),
    };
    (lane(lo, 0) + lane(hi, 0)) + (lane(lo, 1) + lane(hi, 1)) + (lane(lo, 2) + lane(hi, 2)) + (lane(lo, 3) + lane(hi, 3)) + tail
}

/// dw, db ← ∂L/∂w, ∂L/∂b; dx ← ∂L/∂x when asked.
pub fn dense_backward(x: &[f32], w: &[f32], dy: &[f32], dx: Option<&mut [f32]>, dw: &mut [f32], db: &mut [f32]) {
    let (n, i, o) = dims("dense_backward", x.len(), w.len(), db.len(), dy.len());
    assert_eq!(dw.len(), w.len(), "dense_backward: dw holds {} values, w {}", dw.len(), w.len());
    // db: sum the rows of dy in order (a fixed order keeps runs bit-identical).
    db.fill(0.0);
    for row in dy.chunks(o) {
        for (d, &g) in db.iter_mut().zip(row) {
            *d += g;
        }
    }
    matmul(o, i, n, dw, i, 1, false, Mat::rows_t(dy, o), Mat::rows(x, i), true);
    if let Some(dx) = dx {
        assert_eq!(dx.len(), x.len(), "dense_backward: dx holds {} values, x {}", dx.len(), x.len());
        matmul(n, i, o, dx, i, 1, false, Mat::rows(dy, o), Mat::rows(w, i), true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_two_by_two_example_by_hand() {
        // x = [[1, 2], [3, 4]], w = [[1, 0], [1, 1], [0, 2]] (O = 3), b = [0.5, 0, -1]
        let (x, w, b) = ([1.0, 2.0, 3.0, 4.0], [1.0, 0.0, 1.0, 1.0, 0.0, 2.0], [0.5, 0.0, -1.0]);
        let mut y = [0.0; 6];
        dense_forward(&x, &w, &b, &mut y);
        assert_eq!(y, [1.5, 3.0, 3.0, 3.5, 7.0, 7.0]);
        let dy = [1.0, 0.0, 1.0, 0.0, 1.0, 0.0];
        let (mut dx, mut dw, mut db) = ([0.0; 4], [0.0; 6], [0.0; 3]);
        dense_backward(&x, &w, &dy, Some(&mut dx), &mut dw, &mut db);
        assert_eq!(db, [1.0, 1.0, 1.0]);
        // dw = dyᵀ·x: row o is Σ_n dy[n,o]·x[n]
        assert_eq!(dw, [1.0, 2.0, 3.0, 4.0, 1.0, 2.0]);
        // dx = dy·w: row n is Σ_o dy[n,o]·w[o]
        assert_eq!(dx, [1.0, 2.0, 1.0, 1.0]);
    }
}
