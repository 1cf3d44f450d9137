//! `cnn bench`: training throughput and single-image inference latency, as a table. Speed
//! targets are checked here, never by timed assertions in tests.

use clap::Args;
use cnn_core::bench::{inference_latency, training_throughput};
use cnn_core::{Backend, Cpu, Error};

use super::table::render;

#[derive(Args)]
pub struct BenchArgs {
    /// Network preset to train.
    #[arg(long, default_value = "lenet-d2l")]
    preset: String,
    #[arg(long, default_value_t = 256)]
    batch_size: usize,
    /// Seconds of training per measurement.
    #[arg(long, default_value_t = 3.0)]
    seconds: f64,
    /// Measurements; the table shows their median.
    #[arg(long, default_value_t = 5)]
    runs: usize,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

pub fn run(a: BenchArgs) -> Result<(), Error> {
    let spec = super::preset(&a.preset)?;
    let b = Cpu::new();
    let runs = a.runs.max(1);
    let train: Vec<f64> = (0..runs).map(|_| training_throughput(&b, spec.clone(), a.batch_size, a.seconds)).collect();
    let infer: Vec<f64> = (0..runs).map(|_| inference_latency(&b, spec.clone(), 2000)).collect();
    let (tm, im) = (median(train.clone()), median(infer.clone()));
    println!("{} — median of {runs} runs", spec.name);
    let rows = vec![
        vec![
            format!("training, batch {}", a.batch_size),
            b.name(),
            format!("{tm:.0} examples/s"),
            format!("{:.0} – {:.0}", train.iter().cloned().fold(f64::INFINITY, f64::min), train.iter().cloned().fold(0.0, f64::max)),
        ],
        vec![
            "inference, 1 image (all activations kept)".into(),
            b.name(),
            format!("{:.1} µs", im * 1e6),
            format!(
                "{:.1} – {:.1} µs",
                infer.iter().cloned().fold(f64::INFINITY, f64::min) * 1e6,
                infer.iter().cloned().fold(0.0, f64::max) * 1e6
            ),
        ],
    ];
    print!("{}", render(&["measurement", "backend", "median", "range"], &rows));
    Ok(())
}
