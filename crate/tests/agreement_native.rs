//! The agreement suite (tests/agreement) natively: the reference against
//! - the CPU backend as it runs here (im2col + the gemm crate, the batch split over the cores),
//! - the WebGPU backend through wgpu on Vulkan: Mesa's lavapipe on machines without a GPU, the
//!   real GPU where there is one.
//!
//!   cargo test -p cnn-core --test agreement_native -- --nocapture    (prints every error measured)
//!   cargo test -p cnn-core --test agreement_native cpu::             (one device)
//!
//! No GPU adapter is a failure, not a skip: a CI machine that lost its Vulkan driver must not
//! report these kernels as tested.
#![cfg(not(target_arch = "wasm32"))]

mod agreement;

mod cpu {
    use cnn_core::Cpu;

    crate::agreement::device_tests!(native, Cpu::new());
}

mod gpu {
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

    crate::agreement::device_tests!(native, gpu(), training_does_not_grow_gpu_resources, epochs_with_evaluations_create_no_buffers, merge_ops_create_nothing_per_step);
}
