//! Where a training step's GPU time goes, kernel by kernel (`cnn bench --profile`).
//!
//! A module of its own because profiling changes how work is recorded, and that must cost nothing
//! when nobody asked: a `Gpu` from `Gpu::new()` holds no `Profiler` — it requests no feature,
//! creates no query set, and `dispatch` and `flush` only find `None`. `Gpu::new_profiling()` asks
//! for timestamp queries when the adapter offers them. Then, between `profile_begin` and
//! `profile_end`:
//!
//! - with timestamp queries, every compute pass writes a GPU timestamp at its start and its end
//!   (the pass's `timestamp_writes`, the one placement WebGPU has); `flush` resolves the pass's
//!   queries into a buffer and copies them into a readback buffer of that submission, and
//!   `profile_end` reads them all. The step itself is recorded and submitted as usual.
//! - without them (natively only), each dispatch is submitted alone and waited for, timed by the
//!   host's clock: that adds a submission and a wait per kernel, so these figures are labelled as
//!   wall clock, and a step takes longer than unprofiled.
//! - in the browser without them there is no way to wait, so the profile says `Unavailable`.
//!
//! Copies and host writes are not compute passes and are not timed: the step's wall time minus
//! the kernels' sum is what they, the gaps between passes and the host cost.

use super::context::Gpu;
use super::kernels::Kernel;

/// How the kernels were timed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Timing {
    /// GPU timestamps written at each compute pass's start and end.
    Timestamps,
    /// The host's clock around each dispatch submitted alone and waited for (no timestamp queries).
    WallClock,
    /// Neither: the adapter has no timestamp queries and this platform cannot wait (the browser).
    Unavailable,
}

/// One kernel's share of the profiled work.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct KernelTime {
    /// The kernel: its WGSL entry point, and for the tiled products the family and tile.
    pub kernel: &'static str,
    pub dispatches: usize,
    pub ms: f64,
}

/// The kernels run between `profile_begin` and `profile_end`, most time first.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct KernelProfile {
    pub timing: Timing,
    /// Whether the device had timestamp queries turned on.
    pub timestamp_query: bool,
    pub kernels: Vec<KernelTime>,
}

impl KernelProfile {
    /// The sum of every kernel's time, in milliseconds.
    pub fn total_ms(&self) -> f64 {
        self.kernels.iter().map(|k| k.ms).sum()
    }

    /// Dispatches profiled.
    pub fn dispatches(&self) -> usize {
        self.kernels.iter().map(|k| k.dispatches).sum()
    }
}

/// Passes one query set holds (two timestamps each; WebGPU allows 4,096 queries in a set). More
/// passes than this in one encoder submit what is recorded first.
const PASSES: u32 = 2048;

/// The timestamp queries of a profiling `Gpu`.
struct Queries {
    set: wgpu::QuerySet,
    /// Where `flush` resolves the set, to be copied into a readback buffer.
    resolve: wgpu::Buffer,
    /// Nanoseconds per timestamp tick.
    period: f64,
}

pub(crate) struct Profiler {
    queries: Option<Queries>,
    recording: bool,
    /// Kernels of the passes recorded in the encoder not yet submitted: pass i wrote queries 2i
    /// and 2i + 1.
    open: Vec<&'static str>,
    /// Submitted passes whose timestamps wait in a readback buffer.
    submitted: Vec<(wgpu::Buffer, Vec<&'static str>)>,
    /// Times measured: (kernel, nanoseconds).
    samples: Vec<(&'static str, f64)>,
}

/// What a dispatch does for the profile.
pub(crate) enum PassProfile {
    Off,
    /// Write timestamps at these indices of this set.
    Timestamps(wgpu::QuerySet, u32),
    /// Submit this dispatch alone and time it (natively: the browser cannot wait for it).
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    WallClock(&'static str),
}

impl Profiler {
    pub(crate) fn new(device: &wgpu::Device, queue: &wgpu::Queue, timestamps: bool) -> Profiler {
        let queries = timestamps.then(|| Queries {
            set: device.create_query_set(&wgpu::QuerySetDescriptor { label: Some("profile"), ty: wgpu::QueryType::Timestamp, count: 2 * PASSES }),
            resolve: device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("profile resolve"),
                size: 2 * PASSES as u64 * wgpu::QUERY_SIZE as u64,
                usage: wgpu::BufferUsages::QUERY_RESOLVE | wgpu::BufferUsages::COPY_SRC,
                mapped_at_creation: false,
            }),
            period: queue.get_timestamp_period() as f64,
        });
        Profiler { queries, recording: false, open: Vec::new(), submitted: Vec::new(), samples: Vec::new() }
    }

    fn timing(&self) -> Timing {
        match (&self.queries, cfg!(target_arch = "wasm32")) {
            (Some(_), _) => Timing::Timestamps,
            (None, false) => Timing::WallClock,
            (None, true) => Timing::Unavailable,
        }
    }

    /// Record the resolve of the passes in `encoder` (called by `flush` just before it submits).
    pub(crate) fn resolve(&mut self, device: &wgpu::Device, encoder: &mut wgpu::CommandEncoder) {
        let Some(q) = &self.queries else { return };
        if self.open.is_empty() {
            return;
        }
        let count = 2 * self.open.len() as u32;
        let bytes = count as u64 * wgpu::QUERY_SIZE as u64;
        encoder.resolve_query_set(&q.set, 0..count, &q.resolve, 0);
        let readback = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("profile readback"),
            size: bytes,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        encoder.copy_buffer_to_buffer(&q.resolve, 0, &readback, 0, bytes);
        self.submitted.push((readback, std::mem::take(&mut self.open)));
    }

    /// Turn a mapped readback buffer's timestamps into samples.
    fn read(&mut self, readback: &wgpu::Buffer, kernels: &[&'static str]) {
        let period = self.queries.as_ref().map_or(1.0, |q| q.period);
        {
            let view = readback.slice(..).get_mapped_range().expect("profile: the readback buffer is mapped");
            let ticks: Vec<u64> = view.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes"))).collect();
            for (i, &k) in kernels.iter().enumerate() {
                let (start, end) = (ticks[2 * i], ticks[2 * i + 1]);
                // A clock that went backwards gives no time rather than a huge one.
                self.samples.push((k, end.saturating_sub(start) as f64 * period));
            }
        }
        readback.unmap();
    }

    /// The samples gathered since `profile_begin`, as a table, and a fresh start.
    fn finish(&mut self, timestamp_query: bool) -> KernelProfile {
        let mut kernels: Vec<KernelTime> = Vec::new();
        for (k, ns) in self.samples.drain(..) {
            match kernels.iter_mut().find(|r| r.kernel == k) {
                Some(r) => {
                    r.dispatches += 1;
                    r.ms += ns / 1e6;
                }
                None => kernels.push(KernelTime { kernel: k, dispatches: 1, ms: ns / 1e6 }),
            }
        }
        kernels.sort_by(|a, b| b.ms.total_cmp(&a.ms).then(a.kernel.cmp(b.kernel)));
        KernelProfile { timing: self.timing(), timestamp_query, kernels }
    }
}

impl Gpu {
    /// Open a device for profiling: as `Gpu::new()`, plus timestamp queries when the adapter
    /// offers them. Profile a step with `profile_begin` … `profile_end`.
    pub async fn new_profiling() -> Result<Gpu, super::GpuError> {
        Gpu::open(Some(true)).await
    }

    /// A device profiled by the host's clock even where the adapter has timestamp queries: the
    /// fallback of adapters without them, to test it and to compare the two.
    pub async fn new_profiling_by_clock() -> Result<Gpu, super::GpuError> {
        Gpu::open(Some(false)).await
    }

    /// Whether the device has timestamp queries turned on (only a profiling device asks for them).
    pub fn has_timestamp_queries(&self) -> bool {
        self.device.features().contains(wgpu::Features::TIMESTAMP_QUERY)
    }

    /// `Gpu::new_profiling()` for native code without an executor (the CLI).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn new_profiling_blocking() -> Result<Gpu, super::GpuError> {
        pollster::block_on(Gpu::new_profiling())
    }

    /// How this device times kernels: `None` when it was not opened for profiling.
    pub fn profile_timing(&self) -> Option<Timing> {
        self.profiler.borrow().as_ref().map(Profiler::timing)
    }

    /// Start timing every dispatch from now on (work recorded before is submitted first, untimed).
    /// Panics when the device was not opened with `new_profiling`.
    pub fn profile_begin(&self) {
        self.flush();
        let mut p = self.profiler.borrow_mut();
        let p = p.as_mut().expect("profile_begin: open the device with Gpu::new_profiling");
        p.samples.clear();
        p.recording = true;
    }

    /// Stop timing, wait for the work timed and return its kernels (native: blocks).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn profile_end(&self) -> KernelProfile {
        self.flush();
        let submitted = self.stop_recording();
        for (readback, kernels) in submitted {
            let (tx, rx) = std::sync::mpsc::channel();
            readback.slice(..).map_async(wgpu::MapMode::Read, move |r| {
                let _ = tx.send(r);
            });
            self.wait();
            rx.recv().expect("profile: the mapping callback was dropped").unwrap_or_else(|e| panic!("profile: mapping the timestamps failed ({e})"));
            self.with_profiler(|p| p.read(&readback, &kernels));
        }
        self.with_profiler(|p| p.finish(self.has_timestamp_queries()))
    }

    /// Stop timing and return the kernels once the device has written their timestamps (the
    /// browser: awaits the mappings, never blocks).
    pub async fn profile_end_async(&self) -> KernelProfile {
        self.flush();
        let submitted = self.stop_recording();
        for (readback, kernels) in submitted {
            let (tx, rx) = futures_channel::oneshot::channel();
            readback.slice(..).map_async(wgpu::MapMode::Read, move |r| {
                let _ = tx.send(r);
            });
            #[cfg(not(target_arch = "wasm32"))]
            self.wait();
            rx.await.expect("profile: the mapping callback was dropped").unwrap_or_else(|e| panic!("profile: mapping the timestamps failed ({e})"));
            self.with_profiler(|p| p.read(&readback, &kernels));
        }
        self.with_profiler(|p| p.finish(self.has_timestamp_queries()))
    }

    fn stop_recording(&self) -> Vec<(wgpu::Buffer, Vec<&'static str>)> {
        self.with_profiler(|p| {
            p.recording = false;
            std::mem::take(&mut p.submitted)
        })
    }

    fn with_profiler<T>(&self, f: impl FnOnce(&mut Profiler) -> T) -> T {
        f(self.profiler.borrow_mut().as_mut().expect("profile: open the device with Gpu::new_profiling"))
    }

    /// Block until the device has finished everything submitted (native only).
    #[cfg(not(target_arch = "wasm32"))]
    fn wait(&self) {
        self.device.poll(wgpu::PollType::wait_indefinitely()).unwrap_or_else(|e| panic!("profile: waiting for the GPU failed: {e}"));
    }

    /// Called by `dispatch` before it records `kernel`: what the pass does for the profile. Off
    /// unless a profile is being recorded.
    pub(crate) fn profile_pass(&self, kernel: Kernel) -> PassProfile {
        let timing = match self.profiler.borrow().as_ref() {
            Some(p) if p.recording => p.timing(),
            _ => return PassProfile::Off,
        };
        match timing {
            Timing::Timestamps => {
                if self.with_profiler(|p| p.open.len() as u32 >= PASSES) {
                    // The query set is full: submit (and resolve) what is recorded.
                    self.flush();
                }
                self.with_profiler(|p| {
                    let index = 2 * p.open.len() as u32;
                    p.open.push(kernel.label());
                    PassProfile::Timestamps(p.queries.as_ref().expect("timestamps have queries").set.clone(), index)
                })
            }
            Timing::WallClock => {
                // Let the work before this dispatch finish, so the clock times this one alone.
                #[cfg(not(target_arch = "wasm32"))]
                {
                    self.flush();
                    self.wait();
                }
                PassProfile::WallClock(kernel.label())
            }
            Timing::Unavailable => PassProfile::Off,
        }
    }

    /// Called by `dispatch` after it recorded the pass: a wall-clock profile submits it alone and
    /// times it to completion.
    pub(crate) fn profile_after(&self, pass: PassProfile) {
        #[cfg(not(target_arch = "wasm32"))]
        if let PassProfile::WallClock(kernel) = pass {
            let start = std::time::Instant::now();
            self.flush();
            self.wait();
            let ns = start.elapsed().as_secs_f64() * 1e9;
            self.with_profiler(|p| p.samples.push((kernel, ns)));
        }
        #[cfg(target_arch = "wasm32")]
        let _ = pass;
    }
}
