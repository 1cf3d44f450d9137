//! One training step on the GPU, kernel by kernel, where nothing may block: the page's benchmark
//! (`profileGpuStep` in the browser, on WebGPU) asks for it. `cnn bench --profile` natively is
//! `bench::training_step_profile`, the same step with the wall times the CLI also prints. The
//! timing itself is `backend/gpu/profile.rs`.

use crate::backend::gpu::profile::KernelProfile;
use crate::backend::gpu::Gpu;
use crate::model::{Budget, ModelSpec};
use crate::rng::{Rng, Stream};
use crate::train::{TrainConfig, Trainer};
use crate::Error;

/// The adapter and the kernels of one profiled step.
#[derive(Clone, Debug, serde::Serialize)]
pub struct StepKernels {
    pub adapter: String,
    pub preset: String,
    pub batch: usize,
    pub profile: KernelProfile,
}

/// Open a profiling GPU (`label`: the adapter's name where its driver gives none), train `spec`
/// at batch `batch` on random data for two warm-up steps, then profile the third.
pub async fn profile_training_step(spec: ModelSpec, batch: usize, label: Option<String>) -> Result<StepKernels, Error> {
    spec.check_budget(batch.max(1), Budget::HERE)?;
    let gpu = Gpu::new_profiling().await.map_err(|e| Error::Device(crate::message::Explain::message(&e)))?.named(label);
    let classes = *spec.output_shape(1)?.dims().last().expect("an output shape has a dimension");
    let image_len: usize = spec.input.iter().product();
    let preset = spec.name.clone();
    let batch = batch.max(1);
    let cfg = TrainConfig { batch_size: batch, ..TrainConfig::default() };
    let mut trainer = Trainer::new(&gpu, spec, &cfg)?;
    let mut rng = Rng::stream(0, Stream::Data);
    let images: Vec<f32> = (0..batch * image_len).map(|_| rng.uniform()).collect();
    let labels: Vec<f32> = (0..batch).map(|_| rng.below(classes) as f32).collect();
    for _ in 0..2 {
        trainer.train_step(&gpu, &images, &labels);
    }
    trainer.take_metrics_async(&gpu).await;
    gpu.profile_begin();
    trainer.train_step(&gpu, &images, &labels);
    let profile = gpu.profile_end_async().await;
    Ok(StepKernels { adapter: gpu.adapter_info(), preset, batch, profile })
}
