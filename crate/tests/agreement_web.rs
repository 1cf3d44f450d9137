//! The agreement suite (tests/agreement) in headless Chromium: the reference against
//! - the CPU backend's browser build: direct stride-1 convolutions on WebAssembly SIMD, four-row
//!   dot products for a single image's dense layers, vectorised ReLU and 2×2 max-pool backward
//!   passes — paths that native tests never execute;
//! - the WebGPU backend (SwiftShader where there is no GPU).
//!
//!   wasm-pack test --headless --chrome crate --test agreement_web
//!
//! (crate/webdriver.json passes --enable-unsafe-webgpu --enable-features=Vulkan.) Every read is
//! `read_async` awaited: nothing blocks in the browser. No GPU adapter is a failure, not a skip.
#![cfg(target_arch = "wasm32")]

mod agreement;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod cpu {
    use cnn_core::Cpu;

    crate::agreement::device_tests!(web, async { Cpu::new() });
}

mod gpu {
    use cnn_core::backend::gpu::Gpu;
    use cnn_core::Backend;
    use wasm_bindgen_test::console_log;

    /// The device, or a failure that says why there is none.
    async fn gpu() -> Gpu {
        match Gpu::new().await {
            Ok(dev) => {
                console_log!("device: {}", dev.name());
                dev
            }
            Err(e) => panic!(
                "no WebGPU adapter in this browser, so the GPU backend cannot be tested: {e}. Chromium needs \
                 --enable-unsafe-webgpu (crate/webdriver.json) and, on Linux, --enable-features=Vulkan"
            ),
        }
    }

    crate::agreement::device_tests!(web, gpu(), training_does_not_grow_gpu_resources, epochs_with_evaluations_create_no_buffers, merge_ops_create_nothing_per_step);
}
