//! Command-line parsing and dispatch. Each subcommand lives in its own file.

mod bench;
mod eval;
mod info;
mod profile;
mod table;
mod train;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use cnn_core::backend::gpu::Gpu;

#[derive(Parser)]
#[command(name = "cnn", version, about = "Train, evaluate, inspect and benchmark cnn-notebook's networks")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Train a preset on a dataset, printing loss and accuracy per epoch.
    Train(train::TrainArgs),
    /// Test accuracy of a saved model.
    Eval(eval::EvalArgs),
    /// The layer table of a preset or a saved model: output shapes, parameters, MACs.
    Info(info::InfoArgs),
    /// Training throughput and single-image inference latency.
    Bench(bench::BenchArgs),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Train(a) => train::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Info(a) => info::run(a),
        Command::Bench(a) => bench::run(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Look up a preset, listing the valid names when it is unknown.
fn preset(name: &str) -> Result<cnn_core::model::ModelSpec, cnn_core::Error> {
    cnn_core::model::zoo::preset(name).ok_or_else(|| {
        cnn_core::Error::Invalid(format!("unknown preset {name:?}; choose one of: {}", cnn_core::model::zoo::PRESETS.join(", ")))
    })
}

/// A model file from `path` (a file, a pipe or a device), read no further than its header
/// declares and never past `format::MAX_FILE`.
fn read_model(path: &std::path::Path) -> Result<Vec<u8>, cnn_core::Error> {
    let bytes = cnn_core::format::read_file(path).map_err(|e| cnn_core::Error::Invalid(format!("cannot read {}: {e}", path.display())))?;
    Ok(bytes?)
}

/// Where the network runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Device {
    /// The CPU backend (im2col + GEMM, threads).
    Cpu,
    /// WebGPU compute shaders through wgpu (Vulkan natively).
    Gpu,
}

/// Open the GPU, or say why not: the caller then falls back to the CPU and tells the user.
fn open_gpu() -> Result<Gpu, String> {
    Gpu::new_blocking().map_err(|e| e.to_string())
}
