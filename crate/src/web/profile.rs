//! The page's benchmark (bench/page.mjs): one training step on WebGPU, kernel by kernel
//! (`step_profile`, timed by `backend/gpu/profile.rs`).

use wasm_bindgen::prelude::*;

use super::{js_error, preset, to_js};

/// Profile one training step of the preset `name` at batch `batch` on a WebGPU device of its
/// own (`label`: the adapter's name from `GPUAdapterInfo`). Resolves to `{ adapter, preset,
/// batch, profile: { timing, timestamp_query, kernels: [{ kernel, dispatches, ms }] } }`, most
/// time first; `timing` is "Timestamps", or "Unavailable" where the adapter offers no
/// timestamp queries (then `kernels` is empty).
#[wasm_bindgen(js_name = profileGpuStep)]
pub async fn profile_gpu_step(name: String, batch: usize, label: Option<String>) -> Result<JsValue, JsValue> {
    let spec = preset(&name)?;
    let step = crate::step_profile::profile_training_step(spec, batch, label).await.map_err(js_error)?;
    Ok(to_js(&step))
}
