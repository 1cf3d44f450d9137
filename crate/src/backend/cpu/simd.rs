//! A 4-lane f32 vector for the hand-written kernels (`direct.rs`, `small_gemm.rs`, the dot
//! products of `dense.rs`): WebAssembly SIMD128 in the
//! browser build, a plain `[f32; 4]` everywhere else. The kernels are written once against this
//! type, so native tests run the very code the browser runs, only with portable lanes.
//!
//! There is no fused multiply-add: WebAssembly has none outside relaxed SIMD (which Safari and
//! Firefox refuse to load), so `mul_add` is a multiply then an add, natively too, and both
//! builds round the same way.

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod lanes {
    use core::arch::wasm32::*;

    #[derive(Clone, Copy)]
    pub struct F4(v128);

    impl F4 {
        #[inline(always)]
        pub fn splat(x: f32) -> F4 {
            F4(f32x4_splat(x))
        }

        /// `p[0..4]`.
        ///
        /// # Safety
        /// `p` must point to 4 readable f32 values (no alignment needed).
        #[inline(always)]
        pub unsafe fn load(p: *const f32) -> F4 {
            F4(v128_load(p as *const v128))
        }

        /// `p[0..4] ← self`.
        ///
        /// # Safety
        /// `p` must point to 4 writable f32 values (no alignment needed).
        #[inline(always)]
        pub unsafe fn store(self, p: *mut f32) {
            v128_store(p as *mut v128, self.0)
        }

        /// self + a·b, lane by lane.
        #[inline(always)]
        pub fn mul_add(self, a: F4, b: F4) -> F4 {
            F4(f32x4_add(self.0, f32x4_mul(a.0, b.0)))
        }

        #[inline(always)]
        pub fn add(self, b: F4) -> F4 {
            F4(f32x4_add(self.0, b.0))
        }

        #[inline(always)]
        pub fn to_array(self) -> [f32; 4] {
            [f32x4_extract_lane::<0>(self.0), f32x4_extract_lane::<1>(self.0), f32x4_extract_lane::<2>(self.0), f32x4_extract_lane::<3>(self.0)]
        }
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod lanes {
    #[derive(Clone, Copy)]
    pub struct F4([f32; 4]);

    impl F4 {
        #[inline(always)]
        pub fn splat(x: f32) -> F4 {
            F4([x; 4])
        }

        /// `p[0..4]`.
        ///
        /// # Safety
        /// `p` must point to 4 readable f32 values (no alignment needed).
        #[inline(always)]
        pub unsafe fn load(p: *const f32) -> F4 {
            F4((p as *const [f32; 4]).read_unaligned())
        }

        /// `p[0..4] ← self`.
        ///
        /// # Safety
        /// `p` must point to 4 writable f32 values (no alignment needed).
        #[inline(always)]
        pub unsafe fn store(self, p: *mut f32) {
            (p as *mut [f32; 4]).write_unaligned(self.0)
        }

        /// self + a·b, lane by lane (two roundings, as in the browser).
        #[inline(always)]
        pub fn mul_add(self, a: F4, b: F4) -> F4 {
            F4(std::array::from_fn(|i| self.0[i] + a.0[i] * b.0[i]))
        }

        #[inline(always)]
        pub fn add(self, b: F4) -> F4 {
            F4(std::array::from_fn(|i| self.0[i] + b.0[i]))
        }

        #[inline(always)]
        pub fn to_array(self) -> [f32; 4] {
            self.0
        }
    }
}

pub use lanes::F4;
