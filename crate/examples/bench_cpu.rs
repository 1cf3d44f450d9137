//! Throwaway: time lenet-d2l training and inference on the CPU backend.
use cnn_core::{bench, model::zoo, Cpu};
fn main() {
    let cpu = Cpu::new();
    let secs: f64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(3.0);
    for _ in 0..2 {
        let (c0, t0) = (cpu_seconds(), std::time::Instant::now());
        let eps = bench::training_throughput(&cpu, zoo::lenet_d2l(), 256, secs);
        let (c1, t1) = (cpu_seconds(), t0.elapsed().as_secs_f64());
        let ex = eps * secs; // examples in the timed part (approx.)
        println!("cpu-time based: {:.0} ex/s per core-second, x2 cores = {:.0} ex/s (wall {t1:.1}s, cpu {:.1}s)", ex / (c1 - c0), 2.0 * ex / (c1 - c0), c1 - c0);
        let lat = bench::inference_latency(&cpu, zoo::lenet_d2l(), 2000);
        println!("train {eps:.0} ex/s   infer {:.1} us", lat * 1e6);
    }
}
/// Process CPU seconds (user + system) from /proc/self/stat.
pub fn cpu_seconds() -> f64 {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap();
    let f: Vec<&str> = s.rsplit(')').next().unwrap().split_whitespace().collect();
    (f[11].parse::<f64>().unwrap() + f[12].parse::<f64>().unwrap()) / 100.0
}
