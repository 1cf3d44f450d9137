//! Throwaway: does lenet learn (memorise a fixed batch)?
use cnn_core::{model::zoo, optim::OptimKind, rng::{Rng, Stream}, train::{TrainConfig, Trainer}, Cpu};
fn main() {
    let cpu = Cpu::new();
    for (spec, opt, lr) in [(zoo::lenet_relu(), OptimKind::ADAM, 0.001f32), (zoo::lenet_d2l(), OptimKind::Sgd, 0.9), (zoo::lenet5(), OptimKind::MOMENTUM, 0.05)] {
        let name = spec.name.clone();
        let side = spec.input[1];
        let cfg = TrainConfig { batch_size: 64, optimizer: opt, lr, ..TrainConfig::default() };
        let mut t = Trainer::new(&cpu, spec, &cfg).unwrap();
        let mut rng = Rng::stream(3, Stream::Data);
        // 4 class prototypes + noise
        let protos: Vec<Vec<f32>> = (0..4).map(|_| (0..side * side).map(|_| rng.uniform()).collect()).collect();
        let labels: Vec<f32> = (0..64).map(|i| (i % 4) as f32).collect();
        let images: Vec<f32> = (0..64).flat_map(|i| protos[i % 4].iter().map(|&v| v + 0.3 * rng.uniform()).collect::<Vec<_>>()).collect();
        let mut line = format!("{name}:");
        for s in 0..1500 {
            t.train_step(&cpu, &images, &labels);
            if s % 300 == 299 { let m = t.take_metrics(&cpu); line += &format!(" [loss {:.3} acc {:.2}]", m.loss, m.accuracy); }
        }
        println!("{line}");
    }
}
