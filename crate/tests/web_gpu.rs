//! The agreement bodies (tests/agreement) on the WebGPU backend in headless Chromium:
//!
//!   wasm-pack test --headless --chrome crate
//!
//! (crate/webdriver.json passes --enable-unsafe-webgpu --enable-features=Vulkan.) Every read is
//! `read_async` awaited: nothing blocks in the browser. No adapter is a failure, not a skip.
#![cfg(target_arch = "wasm32")]

mod agreement;

use cnn_core::backend::gpu::Gpu;
use cnn_core::Backend;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

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

#[wasm_bindgen_test]
async fn memory_agrees() {
    agreement::memory_agrees(&gpu().await).await;
}

#[wasm_bindgen_test]
async fn conv2d_agrees() {
    agreement::conv2d_agrees(&gpu().await).await;
}

#[wasm_bindgen_test]
async fn pool2d_agrees() {
    agreement::pool2d_agrees(&gpu().await).await;
}

#[wasm_bindgen_test]
async fn dense_agrees() {
    agreement::dense_agrees(&gpu().await).await;
}

#[wasm_bindgen_test]
async fn activations_agree() {
    agreement::activations_agree(&gpu().await).await;
}

#[wasm_bindgen_test]
async fn dropout_agrees() {
    agreement::dropout_agrees(&gpu().await).await;
}

#[wasm_bindgen_test]
async fn batchnorm_agrees() {
    agreement::batchnorm_agrees(&gpu().await).await;
}

#[wasm_bindgen_test]
async fn softmax_cross_entropy_agrees() {
    agreement::softmax_cross_entropy_agrees(&gpu().await).await;
}

#[wasm_bindgen_test]
async fn mse_agrees() {
    agreement::mse_agrees(&gpu().await).await;
}

#[wasm_bindgen_test]
async fn updates_agree() {
    agreement::updates_agree(&gpu().await).await;
}

#[wasm_bindgen_test]
async fn lenet_d2l_losses_agree() {
    agreement::lenet_d2l_losses_agree(&gpu().await).await;
}

#[wasm_bindgen_test]
async fn every_layer_losses_agree() {
    agreement::every_layer_losses_agree(&gpu().await).await;
}

#[wasm_bindgen_test]
async fn training_does_not_grow_gpu_resources() {
    agreement::growth::training_does_not_grow(&gpu().await).await;
}
