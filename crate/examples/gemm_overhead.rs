//! Throwaway: per-call cost of small gemm products as in lenet's convolutions.
use std::time::Instant;
fn run(m: usize, n: usize, k: usize, a_rs: isize, a_cs: isize, b_rs: isize, b_cs: isize, reps: usize) {
    let a = vec![0.5f32; m * k];
    let b = vec![0.25f32; k * n];
    let mut c = vec![0.0f32; m * n];
    let t = Instant::now();
    for _ in 0..reps {
        unsafe {
            gemm::gemm(m, n, k, c.as_mut_ptr(), 1, n as isize, true, a.as_ptr(), a_cs, a_rs, b.as_ptr(), b_cs, b_rs, 1.0, 1.0, false, false, false, gemm::Parallelism::None);
        }
    }
    let s = t.elapsed().as_secs_f64() / reps as f64;
    println!("{m}x{n}x{k}: {:.2} us/call, {:.1} GFLOP/s", s * 1e6, 2.0 * (m * n * k) as f64 / s / 1e9);
}
fn main() {
    for _ in 0..2 {
        run(6, 784, 25, 25, 1, 784, 1, 20000); // conv1 fwd
        run(6, 25, 784, 784, 1, 1, 784, 20000); // conv1 dW
        run(16, 100, 150, 150, 1, 100, 1, 20000); // conv2 fwd
        run(16, 150, 100, 100, 1, 1, 100, 20000); // conv2 dW
        run(150, 100, 16, 1, 150, 100, 1, 20000); // conv2 dcols
        run(16, 800, 150, 150, 1, 800, 1, 2500); // conv2 fwd x8 images
        run(16, 150, 800, 800, 1, 1, 800, 2500); // conv2 dW x8
        run(150, 800, 16, 1, 150, 800, 1, 2500); // conv2 dcols x8
        run(6, 6272, 25, 25, 1, 6272, 1, 2500); // conv1 fwd x8
        run(6, 25, 6272, 6272, 1, 1, 6272, 2500); // conv1 dW x8
        run(2, 2, 2, 2, 1, 2, 1, 100000); // overhead
    }
}
