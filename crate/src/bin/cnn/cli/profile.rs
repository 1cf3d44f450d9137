//! `cnn bench --profile`: one training step on the GPU, kernel by kernel, as a table sorted by
//! time (the measuring is `cnn_core::bench::training_step_profile`, the timing
//! `backend/gpu/profile.rs`).

use cnn_core::backend::gpu::profile::Timing;
use cnn_core::backend::gpu::Gpu;
use cnn_core::bench::training_step_profile;
use cnn_core::model::ModelSpec;
use cnn_core::Error;

use super::table::render;

/// `cnn_core::Error` is every subcommand's one error type, large as it is.
#[allow(clippy::result_large_err)]
pub fn run(spec: &ModelSpec, batch: usize, cpu_asked: bool) -> Result<(), Error> {
    if cpu_asked {
        return Err(Error::Invalid("--profile times the GPU's kernels; drop --device cpu".into()));
    }
    let gpu = Gpu::new_profiling_blocking().map_err(|e| Error::Invalid(format!("--profile needs a GPU: {e}")))?;
    let p = training_step_profile(&gpu, spec.clone(), batch);
    println!("{}, batch {batch}: one training step on {}", spec.name, gpu.adapter_info());
    let time_column = match p.kernels.timing {
        Timing::Timestamps => {
            println!("timed by GPU timestamps at each compute pass's start and end");
            "GPU ms"
        }
        Timing::WallClock | Timing::Unavailable => {
            println!(
                "this adapter has no timestamp queries: each dispatch was submitted alone and timed by the host's clock to its end (submission and wait included)"
            );
            "wall ms"
        }
    };
    let total = p.kernels.total_ms();
    let rows: Vec<Vec<String>> = p
        .kernels
        .kernels
        .iter()
        .map(|k| {
            let share = if total > 0.0 { 100.0 * k.ms / total } else { 0.0 };
            vec![k.kernel.to_string(), String::new(), k.dispatches.to_string(), format!("{:.3}", k.ms), format!("{share:.1} %")]
        })
        .collect();
    print!("{}", render(&["kernel", "", "dispatches", time_column, "share"], &rows));
    println!("sum of the kernels: {total:.3} ms over {} dispatches", p.kernels.dispatches());
    println!("step wall time: {:.3} ms (median of 3 unprofiled steps, metrics read back); the profiled step: {:.3} ms", p.wall_ms, p.profiled_wall_ms);
    if gpu.is_software() {
        println!("note: {} emulates a GPU on the CPU; its timings say little about a real GPU", gpu.adapter_info());
    }
    Ok(())
}
