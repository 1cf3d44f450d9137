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
    for row in y.chunks_mut(o) {
        row.copy_from_slice(b);
    }
    matmul(n, o, i, y, o, 1, true, Mat::rows(x, i), Mat::rows_t(w, i), true);
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
