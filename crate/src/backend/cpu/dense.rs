//! Dense (fully connected): x (N, I), w (O, I) as PyTorch stores it, b (O), y (N, O).
//!
//!   y = x·wᵀ + b
//!   dx = dy·w      (N × O)(O × I)
//!   dw = dyᵀ·x     (O × N)(N × I)
//!   db = Σ_n dy[n, :]
//!
//! Each is one matrix product; wᵀ and dyᵀ are strided views, never copies.

use super::gemm::{matmul, Mat};
use super::simd::F4;

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
        // outputs; dot products straight from w's rows cost a fraction of that. Four rows of
        // w at a time share each load of x and give eight independent sums.
        for (xr, yr) in x.chunks_exact(i).zip(y.chunks_exact_mut(o)) {
            let mut rows = w.chunks_exact(4 * i);
            let mut j = 0;
            for w4 in &mut rows {
                let d = dots::<4>(xr, w4);
                for (r, dr) in d.iter().enumerate() {
                    yr[j + r] = b[j + r] + dr;
                }
                j += 4;
            }
            for wj in rows.remainder().chunks_exact(i) {
                yr[j] = b[j] + dot(xr, wj);
                j += 1;
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

/// Σ a·b, in the order `dots` sums.
fn dot(a: &[f32], b: &[f32]) -> f32 {
    dots::<1>(a, b)[0]
}

/// `Σ a·w_r` for the R rows w_r of `w` (R × a.len() values). Each row keeps two 4-lane partial
/// sums (elements 8q..8q+4 and 8q+4..8q+8), adds the lanes pairwise and then the tail, in that
/// fixed order, so every R gives the same bits; with R = 4 one load of `a` serves four rows and
/// eight sums are in flight instead of two (one row alone waits on its adds). `F4` is
/// WebAssembly SIMD in the browser, where the compiler does not vectorise a plain loop on its own.
fn dots<const R: usize>(a: &[f32], w: &[f32]) -> [f32; R] {
    let n = a.len();
    assert_eq!(w.len(), R * n, "dots: {} weights for {R} rows of {n}", w.len());
    let zero = F4::splat(0.0);
    let (mut lo, mut hi) = ([zero; R], [zero; R]);
    let mut i = 0;
    while i + 8 <= n {
        // SAFETY: i + 8 <= n, so a[i..i+8] and, for r < R, w[r·n + i..r·n + i + 8] lie inside
        // their slices (w holds R·n values, checked).
        unsafe {
            let (x0, x1) = (F4::load(a.as_ptr().add(i)), F4::load(a.as_ptr().add(i + 4)));
            for r in 0..R {
                let p = w.as_ptr().add(r * n + i);
                lo[r] = lo[r].mul_add(x0, F4::load(p));
                hi[r] = hi[r].mul_add(x1, F4::load(p.add(4)));
            }
        }
        i += 8;
    }
    std::array::from_fn(|r| {
        let wr = &w[r * n..][..n];
        let tail: f32 = a[i..].iter().zip(&wr[i..]).map(|(x, y)| x * y).sum();
        let (l, h) = (lo[r].to_array(), hi[r].to_array());
        (l[0] + h[0]) + (l[1] + h[1]) + (l[2] + h[2]) + (l[3] + h[3]) + tail
    })
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

    /// Four rows at once give one row's results bit for bit, for lengths with every tail (0..7
    /// past a multiple of 8) and below 8, and both are the dot product; dense_forward with one
    /// row uses four rows for each group of four outputs and `dot` for the rest (O not a
    /// multiple of 4).
    #[test]
    fn four_rows_at_once_match_one_at_a_time_bit_for_bit() {
        for n in [1, 3, 7, 8, 9, 15, 16, 84, 120, 400, 403] {
            let a: Vec<f32> = (0..n).map(|i| ((i * 37 % 101) as f32 - 50.0) / 50.0).collect();
            let w: Vec<f32> = (0..4 * n).map(|i| ((i * 13 % 29) as f32 - 14.0) / 14.0).collect();
            let d = dots::<4>(&a, &w);
            for r in 0..4 {
                let row = &w[r * n..][..n];
                assert_eq!(d[r].to_bits(), dot(&a, row).to_bits(), "n {n}, row {r}");
                let exact: f64 = a.iter().zip(row).map(|(x, y)| *x as f64 * *y as f64).sum();
                assert!((d[r] as f64 - exact).abs() <= 1e-5 * exact.abs().max(1.0), "n {n}, row {r}: {} vs {exact}", d[r]);
            }
        }
        for (i, o) in [(400, 120), (120, 84), (84, 10), (5, 1), (3, 7)] {
            let x: Vec<f32> = (0..i).map(|k| (k as f32 * 0.7).sin()).collect();
            let w: Vec<f32> = (0..o * i).map(|k| (k as f32 * 1.3).cos()).collect();
            let b: Vec<f32> = (0..o).map(|k| k as f32 * 0.1).collect();
            let mut y = vec![f32::NAN; o];
            dense_forward(&x, &w, &b, &mut y);
            for j in 0..o {
                assert_eq!(y[j].to_bits(), (b[j] + dot(&x, &w[j * i..][..i])).to_bits(), "{i}->{o}: output {j}");
            }
        }
    }
}
