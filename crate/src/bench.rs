//! Speed measurements for `cnn bench`, on any backend: training throughput (examples per second
//! through `Trainer::train_step`) and single-image inference latency. Inputs are random (speed
//! does not depend on the values); weights are initialised from a fixed seed.
//!
//! These are benchmarks, never timed tests: numbers depend on the machine and its load.

use std::time::Instant;

use crate::backend::gpu::profile::KernelProfile;
use crate::backend::gpu::Gpu;
use crate::backend::Backend;
use crate::init::Init;
use crate::model::{Mode, ModelSpec, Sequential};
use crate::rng::{Rng, Stream};
use crate::train::{TrainConfig, Trainer};

/// Batches of random data cycled through while timing, so the caches see fresh inputs.
const DATA_BATCHES: usize = 4;

/// The number of classes a spec's output has (its last dimension).
fn classes(spec: &ModelSpec) -> usize {
    let out = spec.output_shape(1).expect("bench: the model spec is invalid (bench runs presets)");
    *out.dims().last().expect("an output shape has a dimension")
}

/// `DATA_BATCHES` batches of `batch` random images of `image_len` values and labels below `k`.
fn random_batches(batch: usize, image_len: usize, k: usize) -> Vec<(Vec<f32>, Vec<f32>)> {
    let mut rng = Rng::stream(0, Stream::Data);
    (0..DATA_BATCHES)
        .map(|_| ((0..batch * image_len).map(|_| rng.uniform()).collect(), (0..batch).map(|_| rng.below(k) as f32).collect()))
        .collect()
}

/// Training examples per second for `spec` at batch size `batch`, timing repeated
/// `Trainer::train_step` (forward, loss, backward, SGD update) for about `seconds` after a
/// warm-up. The metrics are read back at the end of the timed loop, so a backend that queues
/// work is measured to completion.
///
/// Panics when `spec` is invalid: benchmarks run presets, which are.
pub fn training_throughput<B: Backend>(b: &B, spec: ModelSpec, batch: usize, seconds: f64) -> f64 {
    assert!(batch > 0, "training_throughput: batch size 0");
    let k = classes(&spec);
    let image_len: usize = spec.input.iter().product();
    let cfg = TrainConfig { batch_size: batch, ..TrainConfig::default() };
    let mut trainer = Trainer::new(b, spec, &cfg).expect("bench: the model spec is invalid (bench runs presets)");
    let data = random_batches(batch, image_len, k);

    // Warm-up: sizes the buffers, grows the scratch memory, wakes the thread pool.
    for (images, labels) in data.iter().cycle().take(3) {
        trainer.train_step(b, images, labels);
    }
    trainer.take_metrics(b);

    let start = Instant::now();
    let mut steps = 0usize;
    for (images, labels) in data.iter().cycle() {
        trainer.train_step(b, images, labels);
        steps += 1;
        if steps >= 3 && start.elapsed().as_secs_f64() >= seconds {
            break;
        }
    }
    trainer.take_metrics(b);
    (steps * batch) as f64 / start.elapsed().as_secs_f64()
}

/// One training step of a model on the GPU, kernel by kernel (`cnn bench --profile`).
pub struct StepProfile {
    /// The median wall time of three unprofiled steps, each to its end on the device (its
    /// metrics read back), in milliseconds.
    pub wall_ms: f64,
    /// The profiled step's wall time, reading its timestamps included: much longer when each
    /// dispatch was waited for (`Timing::WallClock`).
    pub profiled_wall_ms: f64,
    pub kernels: KernelProfile,
}

/// Profile one `Trainer::train_step` of `spec` at batch `batch` on `gpu` (opened with
/// `Gpu::new_profiling`), after warm-up steps that build the pipelines and buffers.
///
/// Panics when `spec` is invalid: benchmarks run presets, which are.
pub fn training_step_profile(gpu: &Gpu, spec: ModelSpec, batch: usize) -> StepProfile {
    assert!(batch > 0, "training_step_profile: batch size 0");
    let k = classes(&spec);
    let image_len: usize = spec.input.iter().product();
    let cfg = TrainConfig { batch_size: batch, ..TrainConfig::default() };
    let mut trainer = Trainer::new(gpu, spec, &cfg).expect("bench: the model spec is invalid (bench runs presets)");
    let data = random_batches(batch, image_len, k);
    let mut steps = data.iter().cycle();
    let mut step = |trainer: &mut Trainer<Gpu>| {
        let (images, labels) = steps.next().expect("a cycle never ends");
        trainer.train_step(gpu, images, labels);
    };
    for _ in 0..2 {
        step(&mut trainer);
    }
    trainer.take_metrics(gpu);
    let mut walls: Vec<f64> = (0..3)
        .map(|_| {
            let start = Instant::now();
            step(&mut trainer);
            trainer.take_metrics(gpu);
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    walls.sort_by(f64::total_cmp);
    gpu.profile_begin();
    let start = Instant::now();
    step(&mut trainer);
    let kernels = gpu.profile_end();
    let profiled_wall_ms = start.elapsed().as_secs_f64() * 1e3;
    StepProfile { wall_ms: walls[1], profiled_wall_ms, kernels }
}

/// Median seconds to infer one image: `set_input` and a forward pass in evaluation mode that
/// keeps every layer's activation (as the page shows them), then reading the output back.
/// Timed over `runs` runs after a warm-up.
///
/// Panics when `spec` is invalid: benchmarks run presets, which are.
pub fn inference_latency<B: Backend>(b: &B, spec: ModelSpec, runs: usize) -> f64 {
    let image_len: usize = spec.input.iter().product();
    let mut model = Sequential::new(b, spec, Init::XavierUniform, 0).expect("bench: the model spec is invalid (bench runs presets)");
    let mut rng = Rng::stream(0, Stream::Data);
    let images: Vec<Vec<f32>> = (0..DATA_BATCHES).map(|_| (0..image_len).map(|_| rng.uniform()).collect()).collect();
    let mut infer = |image: &[f32]| {
        model.set_input(b, image, 1);
        model.forward(b, Mode::Eval);
        std::hint::black_box(b.read(model.output()));
    };
    for image in images.iter().cycle().take(10) {
        infer(image);
    }
    let mut times: Vec<f64> = images
        .iter()
        .cycle()
        .take(runs.max(1))
        .map(|image| {
            let start = Instant::now();
            infer(image);
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::zoo;
    use crate::Cpu;

    #[test]
    fn both_measurements_return_positive_figures() {
        let cpu = Cpu::new();
        let eps = training_throughput(&cpu, zoo::lenet_d2l(), 8, 0.0);
        assert!(eps.is_finite() && eps > 0.0, "{eps}");
        let s = inference_latency(&cpu, zoo::lenet_d2l(), 5);
        assert!(s.is_finite() && s > 0.0, "{s}");
    }
}
