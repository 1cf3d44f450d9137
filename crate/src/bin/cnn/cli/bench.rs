//! `cnn bench`: training throughput and single-image inference latency, CPU and GPU side by
//! side, as a table of medians. Speed targets are checked here, never by timed assertions in tests.

use clap::{Args, ValueEnum};
use cnn_core::bench::{inference_latency, training_throughput};
use cnn_core::model::ModelSpec;
use cnn_core::{Backend, Cpu, Error};

use super::table::render;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Which {
    Cpu,
    Gpu,
    /// Both, side by side.
    All,
}

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
    /// Measurements per figure; the table shows their median and range.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Which backends to measure.
    #[arg(long, value_enum, default_value = "all")]
    device: Which,
    /// Instead of the speed table: one training step on the GPU, kernel by kernel (GPU timestamps
    /// where the adapter has timestamp queries, else each dispatch timed alone by the clock).
    #[arg(long)]
    profile: bool,
}

/// Median, min and max of a backend's measurements.
struct Figures {
    backend: String,
    train: Vec<f64>,
    infer: Vec<f64>,
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn range(v: &[f64], scale: f64) -> (f64, f64) {
    (v.iter().cloned().fold(f64::INFINITY, f64::min) * scale, v.iter().cloned().fold(0.0, f64::max) * scale)
}

fn measure<B: Backend>(b: &B, spec: &ModelSpec, a: &BenchArgs, inference_runs: usize) -> Figures {
    let runs = a.runs.max(1);
    Figures {
        backend: b.name(),
        train: (0..runs).map(|_| training_throughput(b, spec.clone(), a.batch_size, a.seconds)).collect(),
        infer: (0..runs).map(|_| inference_latency(b, spec.clone(), inference_runs)).collect(),
    }
}

pub fn run(a: BenchArgs) -> Result<(), Error> {
    let spec = super::preset(&a.preset)?;
    if !(1..=super::train::MAX_BATCH).contains(&a.batch_size) {
        return Err(Error::Invalid(format!("--batch-size must be between 1 and {}, not {}", super::train::MAX_BATCH, a.batch_size)));
    }
    if !(a.seconds.is_finite() && a.seconds > 0.0 && a.seconds <= 3600.0) {
        return Err(Error::Invalid(format!("--seconds must be more than 0 and at most 3600, not {}", a.seconds)));
    }
    if !(1..=1000).contains(&a.runs) {
        return Err(Error::Invalid(format!("--runs must be between 1 and 1000, not {}", a.runs)));
    }
    // The batch must fit the memory budget (the preset fits at batch 1).
    spec.check_budget(a.batch_size, cnn_core::model::Budget::HERE)?;
    if a.profile {
        return super::profile::run(&spec, a.batch_size, a.device == Which::Cpu);
    }
    let mut columns = Vec::new();
    let mut notes = Vec::new();
    if a.device != Which::Gpu {
        columns.push(measure(&Cpu::new(), &spec, &a, 2000));
    }
    if a.device != Which::Cpu {
        match super::open_gpu() {
            Ok(gpu) => {
                if gpu.is_software() {
                    notes.push(format!("note: {} emulates a GPU on the CPU; its timings say little about a real GPU", gpu.adapter_info()));
                }
                // A software adapter takes milliseconds per image: fewer runs keep the bench short.
                columns.push(measure(&gpu, &spec, &a, if gpu.is_software() { 100 } else { 2000 }));
            }
            Err(why) => notes.push(format!("GPU not measured: {why}")),
        }
    }
    if columns.is_empty() {
        return Err(Error::Invalid(notes.join("\n")));
    }
    println!("{}: median (min – max) of {} runs", spec.name, a.runs.max(1));
    let mut rows = vec![
        vec![format!("training, batch {} (examples/s)", a.batch_size)],
        vec!["inference, 1 image, all activations kept (µs)".to_string()],
    ];
    for f in &columns {
        let (lo, hi) = range(&f.train, 1.0);
        rows[0].push(format!("{:.0} ({lo:.0} – {hi:.0})", median(&f.train)));
        let (lo, hi) = range(&f.infer, 1e6);
        rows[1].push(format!("{:.1} ({lo:.1} – {hi:.1})", median(&f.infer) * 1e6));
    }
    let mut header = vec!["measurement".to_string()];
    header.extend(columns.iter().map(|f| f.backend.clone()));
    // The first two columns of `render` are left-aligned: keep the measurement alone on the left.
    header.insert(1, String::new());
    for r in &mut rows {
        r.insert(1, String::new());
    }
    print!("{}", render(&header.iter().map(|s| s.as_str()).collect::<Vec<_>>(), &rows));
    for n in notes {
        println!("{n}");
    }
    Ok(())
}
