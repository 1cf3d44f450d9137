//! The GPU profile (backend/gpu/profile.rs) on lavapipe: off unless asked for, and the same
//! kernels and dispatch counts whether timed by timestamp queries or by the host's clock.
#![cfg(not(target_arch = "wasm32"))]

use cnn_core::backend::gpu::profile::{KernelProfile, Timing};
use cnn_core::backend::gpu::Gpu;
use cnn_core::bench::training_step_profile;
use cnn_core::model::zoo;

fn open(f: impl std::future::Future<Output = Result<Gpu, cnn_core::backend::gpu::GpuError>>) -> Gpu {
    pollster::block_on(f).unwrap_or_else(|e| panic!("these tests need a Vulkan driver (lavapipe: mesa-vulkan-drivers): {e}"))
}

/// (kernel, dispatches), in name order.
fn counts(p: &KernelProfile) -> Vec<(&'static str, usize)> {
    let mut c: Vec<_> = p.kernels.iter().map(|k| (k.kernel, k.dispatches)).collect();
    c.sort();
    c
}

#[test]
fn a_device_not_opened_for_profiling_asks_for_nothing() {
    let gpu = open(Gpu::new());
    assert_eq!(gpu.profile_timing(), None);
    assert!(!gpu.has_timestamp_queries());
}

#[test]
fn timestamps_and_the_clock_see_the_same_dispatches() {
    let stamped = open(Gpu::new_profiling());
    let by_clock = open(Gpu::new_profiling_by_clock());
    assert_eq!(by_clock.profile_timing(), Some(Timing::WallClock));
    assert!(!by_clock.has_timestamp_queries());
    let a = training_step_profile(&stamped, zoo::lenet_relu(), 4);
    let b = training_step_profile(&by_clock, zoo::lenet_relu(), 4);
    // lavapipe offers timestamp queries; another adapter may not, and then both use the clock.
    assert_eq!(a.kernels.timing, if stamped.has_timestamp_queries() { Timing::Timestamps } else { Timing::WallClock });
    assert_eq!(b.kernels.timing, Timing::WallClock);
    assert_eq!(counts(&a.kernels), counts(&b.kernels));
    for p in [&a, &b] {
        assert!(p.kernels.kernels.windows(2).all(|w| w[0].ms >= w[1].ms), "most time first: {:?}", p.kernels);
        assert!(p.kernels.kernels.iter().all(|k| k.ms.is_finite() && k.ms >= 0.0), "{:?}", p.kernels);
        assert!(p.wall_ms > 0.0 && p.profiled_wall_ms > 0.0);
    }
    // A profiled step leaves the device as it was: the next step profiles the same.
    let again = training_step_profile(&stamped, zoo::lenet_relu(), 4);
    assert_eq!(counts(&again.kernels), counts(&a.kernels));
}
