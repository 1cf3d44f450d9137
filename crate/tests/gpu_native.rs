//! The agreement bodies (tests/agreement) on the WebGPU backend natively, through wgpu on Vulkan:
//! Mesa's lavapipe on machines without a GPU, the real GPU where there is one.
//!
//!   cargo test -p cnn-core --test gpu_native -- --nocapture     (prints every error measured)
//!
//! No adapter is a failure, not a skip: a CI machine that lost its Vulkan driver must not report
//! these kernels as tested.
#![cfg(not(target_arch = "wasm32"))]

mod agreement;

use cnn_core::backend::gpu::Gpu;
use cnn_core::Backend;

/// The device, or a failure that says why there is none.
fn gpu() -> Gpu {
    match pollster::block_on(Gpu::new()) {
        Ok(dev) => {
            println!("device: {}", dev.name());
            dev
        }
        Err(e) => panic!(
            "no WebGPU adapter, so the GPU backend cannot be tested: {e}. Natively these tests need a Vulkan driver; on a \
             machine without a GPU install Mesa's lavapipe (Debian: mesa-vulkan-drivers) and check `vulkaninfo --summary`"
        ),
    }
}

#[test]
fn memory_agrees() {
    pollster::block_on(agreement::memory_agrees(&gpu()));
}

#[test]
fn conv2d_agrees() {
    pollster::block_on(agreement::conv2d_agrees(&gpu()));
}

#[test]
fn pool2d_agrees() {
    pollster::block_on(agreement::pool2d_agrees(&gpu()));
}

#[test]
fn dense_agrees() {
    pollster::block_on(agreement::dense_agrees(&gpu()));
}

#[test]
fn activations_agree() {
    pollster::block_on(agreement::activations_agree(&gpu()));
}

#[test]
fn dropout_agrees() {
    pollster::block_on(agreement::dropout_agrees(&gpu()));
}

#[test]
fn batchnorm_agrees() {
    pollster::block_on(agreement::batchnorm_agrees(&gpu()));
}

#[test]
fn softmax_cross_entropy_agrees() {
    pollster::block_on(agreement::softmax_cross_entropy_agrees(&gpu()));
}

#[test]
fn mse_agrees() {
    pollster::block_on(agreement::mse_agrees(&gpu()));
}

#[test]
fn updates_agree() {
    pollster::block_on(agreement::updates_agree(&gpu()));
}

#[test]
fn lenet_d2l_losses_agree() {
    pollster::block_on(agreement::lenet_d2l_losses_agree(&gpu()));
}

#[test]
fn every_layer_losses_agree() {
    pollster::block_on(agreement::every_layer_losses_agree(&gpu()));
}

#[test]
fn training_does_not_grow_gpu_resources() {
    pollster::block_on(agreement::growth::training_does_not_grow(&gpu()));
}
