//! Matrix multiply on strided f32 matrices, a thin safe wrapper over the `gemm` crate:
//!
//!   C ← A·B      or, with `accumulate`,   C ← C + A·B
//!
//! A is m×k, B is k×n, C is m×n. Each matrix is a slice with a row stride `rs` and a column
//! stride `cs` (element (i, j) at `i·rs + j·cs`), so a transpose is just swapped strides and
//! no copy is made. The `gemm` crate packs and tiles for the cache and the vector units.

/// A read-only strided matrix view: element (i, j) is `data[i·rs + j·cs]`.
#[derive(Clone, Copy)]
pub struct Mat<'a> {
    pub data: &'a [f32],
    pub rs: usize,
    pub cs: usize,
}

impl<'a> Mat<'a> {
    /// A row-major `rows`×`cols` matrix.
    pub fn rows(data: &'a [f32], cols: usize) -> Self {
        Mat { data, rs: cols, cs: 1 }
    }
    /// The transpose of a row-major matrix with `cols` columns (a view, no copy).
    pub fn rows_t(data: &'a [f32], cols: usize) -> Self {
        Mat { data, rs: 1, cs: cols }
    }
}

/// Below this many multiply-accumulates a product runs on the calling thread: waking the pool
/// costs more than it saves.
#[cfg(not(target_arch = "wasm32"))]
const PARALLEL_MIN_MACS: usize = 1 << 20;

/// Does a `rows`×`cols` view with these strides fit in `len` values?
fn fits(len: usize, rows: usize, cols: usize, rs: usize, cs: usize) -> bool {
    rows == 0 || cols == 0 || (rows - 1) * rs + (cols - 1) * cs < len
}

/// C (m×n, strides c_rs, c_cs) ← [C +] A·B. `parallel` lets a large product use every core
/// (never on wasm32). Panics (a programmer error) when a view does not fit its slice.
#[allow(clippy::too_many_arguments)]
pub fn matmul(m: usize, n: usize, k: usize, c: &mut [f32], c_rs: usize, c_cs: usize, accumulate: bool, a: Mat, b: Mat, parallel: bool) {
    assert!(fits(c.len(), m, n, c_rs, c_cs), "matmul: C ({m}×{n}, strides {c_rs},{c_cs}) does not fit {} values", c.len());
    assert!(fits(a.data.len(), m, k, a.rs, a.cs), "matmul: A ({m}×{k}, strides {},{}) does not fit {} values", a.rs, a.cs, a.data.len());
    assert!(fits(b.data.len(), k, n, b.rs, b.cs), "matmul: B ({k}×{n}, strides {},{}) does not fit {} values", b.rs, b.cs, b.data.len());
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        // An empty sum: C ← C + 0, or C ← 0.
        if !accumulate {
            for i in 0..m {
                for j in 0..n {
                    c[i * c_rs + j * c_cs] = 0.0;
                }
            }
        }
        return;
    }
    #[cfg(not(target_arch = "wasm32"))]
    let par = if parallel && m * n * k >= PARALLEL_MIN_MACS { gemm::Parallelism::Rayon(0) } else { gemm::Parallelism::None };
    #[cfg(target_arch = "wasm32")]
    let par = {
        let _ = parallel;
        gemm::Parallelism::None
    };
    // SAFETY: the three views were checked to lie inside their slices above; `c` is borrowed
    // mutably, so it cannot alias `a` or `b`. The gemm crate computes
    // dst ← alpha·dst + beta·lhs·rhs and reads dst only when `read_dst` is true.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            c.as_mut_ptr(),
            c_cs as isize,
            c_rs as isize,
            accumulate,
            a.data.as_ptr(),
            a.cs as isize,
            a.rs as isize,
            b.data.as_ptr(),
            b.cs as isize,
            b.rs as isize,
            1.0f32,
            1.0f32,
            false,
            false,
            false,
            par,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook triple loop, to check the strided views against.
    fn naive(m: usize, n: usize, k: usize, a: Mat, b: Mat) -> Vec<f32> {
        let mut c = vec![0.0; m * n];
        for i in 0..m {
            for j in 0..n {
                c[i * n + j] = (0..k).map(|p| a.data[i * a.rs + p * a.cs] * b.data[p * b.rs + j * b.cs]).sum();
            }
        }
        c
    }

    #[test]
    fn strided_products_match_the_triple_loop() {
        let (m, n, k) = (7, 5, 9);
        let a: Vec<f32> = (0..m * k).map(|i| (i as f32 * 0.37).sin()).collect();
        let b: Vec<f32> = (0..k * n).map(|i| (i as f32 * 0.91).cos()).collect();
        for (av, bv) in [(Mat::rows(&a, k), Mat::rows(&b, n)), (Mat::rows_t(&a, m), Mat::rows_t(&b, k))] {
            let want = naive(m, n, k, av, bv);
            let mut c = vec![0.0; m * n];
            matmul(m, n, k, &mut c, n, 1, false, av, bv, false);
            for (x, y) in c.iter().zip(&want) {
                assert!((x - y).abs() < 1e-5, "{x} vs {y}");
            }
            // Accumulate adds to what is there; a transposed destination is another stride.
            let mut ct = vec![1.0; m * n];
            matmul(m, n, k, &mut ct, 1, m, true, av, bv, true);
            for i in 0..m {
                for j in 0..n {
                    assert!((ct[j * m + i] - 1.0 - want[i * n + j]).abs() < 1e-5);
                }
            }
        }
    }

    #[test]
    fn an_empty_inner_dimension_gives_zeros() {
        let mut c = vec![5.0; 4];
        matmul(2, 2, 0, &mut c, 2, 1, false, Mat::rows(&[], 0), Mat::rows(&[], 2), false);
        assert_eq!(c, vec![0.0; 4]);
    }
}
