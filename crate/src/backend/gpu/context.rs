//! Getting a device: `Gpu::new()` asks for an adapter (Vulkan natively — Mesa's lavapipe on
//! machines without a GPU — WebGPU in the browser) and a device on it. When there is none, the
//! error says why, so the caller can fall back to the CPU and show the reason.

use crate::message::{Explain, Message};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::{Arc, Mutex};

use super::cache::BindGroups;
use super::kernels::{Pipelines, PARAMS_BYTES};
use super::profile::Profiler;
use super::record::Pending;
use super::tensor::{Buf, Tracker};

/// Why no GPU backend could be made.
#[derive(Clone, Debug, PartialEq)]
pub enum GpuError {
    NoAdapter { reason: Message },
    /// `reason` is the driver's own words.
    NoDevice { adapter: String, reason: String },
}

/// The GPU's sentences: why there is none, and what went wrong with one.
pub mod text {
    crate::templates! {
        NO_ADAPTER = "gpu.noAdapter": "no GPU adapter was found: {reason}";
        NO_DEVICE = "gpu.noDevice": "the GPU adapter {adapter} would not give a device: {reason}";
        NO_WEBGPU = "gpu.noWebgpu": "{detail}. This browser offers no WebGPU adapter (WebGPU needs a recent Chrome or Edge, or Firefox/Safari with WebGPU enabled)";
        NO_VULKAN = "gpu.noVulkan": "{detail}. No Vulkan driver was found; on Debian/Ubuntu `apt-get install mesa-vulkan-drivers` provides lavapipe, a Vulkan driver that runs on the CPU";
        LOST = "gpu.lost": "the GPU device was lost ({reason}: {detail})";
        ERROR = "gpu.error": "the GPU reported an error: {detail}";
        CPU_ASKED = "gpu.cpuAsked": "the CPU was asked for";
    }
}

impl Explain for GpuError {
    fn message(&self) -> Message {
        match self {
            GpuError::NoAdapter { reason } => Message::new(text::NO_ADAPTER).nested("reason", reason.clone()),
            GpuError::NoDevice { adapter, reason } => Message::new(text::NO_DEVICE).with("adapter", adapter).with("reason", reason),
        }
    }
}
crate::explained_error!(GpuError);

/// What `Gpu::stats()` counts: objects the backend has created and still holds. A training step
/// that creates nothing new leaves all three unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GpuStats {
    /// Buffers alive: tensors, scratch space, staging buffers for reads, the uniform arena.
    pub buffers: usize,
    /// Compute pipelines built (one per kernel that has run).
    pub pipelines: usize,
    /// Bind groups in the cache.
    pub bind_groups: usize,
    /// Command buffers submitted so far (one per training step, plus one per read).
    pub submissions: u64,
    /// Buffers created so far, alive or not: a loop that reallocates shows here even when the
    /// live count stays flat (in the browser every such buffer is a JS object to collect).
    pub created: u64,
}

/// The WebGPU compute backend. Not `Send`: on wasm the wgpu types live on the page's thread, so
/// everything here is `Rc`/`RefCell`.
pub struct Gpu {
    pub(crate) device: wgpu::Device,
    pub(crate) queue: wgpu::Queue,
    pub(crate) adapter: wgpu::AdapterInfo,
    pub(crate) tracker: Rc<Tracker>,
    pub(crate) pipelines: RefCell<Pipelines>,
    pub(crate) bind_groups: RefCell<BindGroups>,
    pub(crate) pending: RefCell<Pending>,
    /// Per-step kernel parameters: dispatch i reads its block at offset i·PARAMS_BYTES.
    pub(crate) arena: Buf,
    pub(crate) arena_slots: usize,
    /// Scratch buffers by purpose (split-K partial sums, per-example losses), grown when needed.
    pub(crate) scratch: RefCell<HashMap<&'static str, Rc<Buf>>>,
    /// Buffers for reading results back, reused.
    pub(crate) staging: RefCell<Vec<Buf>>,
    /// The first thing that went wrong with the device (lost, or an error no call site caught),
    /// set from wgpu's callbacks. The page checks it between chunks of steps and falls back to
    /// the CPU with this message, instead of training on a dead device.
    fault: Arc<Mutex<Option<Message>>>,
    /// Per-kernel timing, only on a device opened with `new_profiling` (profile.rs).
    pub(crate) profiler: RefCell<Option<Profiler>>,
}

impl Gpu {
    /// Find an adapter and open a device on it.
    pub async fn new() -> Result<Gpu, GpuError> {
        Gpu::open(None).await
    }

    /// Find an adapter and open a device on it. `profile`: `None` for no profiling (no feature
    /// asked for, no `Profiler`); `Some(true)` to time kernels with timestamp queries where the
    /// adapter offers them, `Some(false)` by the host's clock (see profile.rs).
    pub(crate) async fn open(profile: Option<bool>) -> Result<Gpu, GpuError> {
        let mut desc = wgpu::InstanceDescriptor::new_without_display_handle();
        desc.backends = if cfg!(target_arch = "wasm32") { wgpu::Backends::BROWSER_WEBGPU } else { wgpu::Backends::VULKAN };
        // wgpu validates every call anyway; the Vulkan validation layers (WGPU_VALIDATION=1) only slow us down.
        desc.flags = wgpu::InstanceFlags::empty().with_env();
        let instance = wgpu::Instance::new(desc);
        let adapter = instance
            .request_adapter(&wgpu::RequestAdapterOptions {
                power_preference: wgpu::PowerPreference::HighPerformance,
                force_fallback_adapter: false,
                compatible_surface: None,
                ..Default::default()
            })
            .await
            .map_err(|e| GpuError::NoAdapter { reason: no_adapter_reason(&e.to_string()) })?;
        let info = adapter.get_info();
        let timestamps = profile == Some(true) && adapter.features().contains(wgpu::Features::TIMESTAMP_QUERY);
        // Ask for what the adapter offers: large networks need buffers beyond WebGPU's 128 MiB default.
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("cnn-notebook"),
                required_features: if timestamps { wgpu::Features::TIMESTAMP_QUERY } else { wgpu::Features::empty() },
                required_limits: adapter.limits(),
                ..Default::default()
            })
            .await
            .map_err(|e| GpuError::NoDevice { adapter: info.name.clone(), reason: e.to_string() })?;
        let fault = Arc::new(Mutex::new(None::<Message>));
        let record = |fault: &Arc<Mutex<Option<Message>>>, message: Message| {
            if let Ok(mut f) = fault.lock() {
                f.get_or_insert(message);
            }
        };
        {
            let fault = Arc::clone(&fault);
            device.set_device_lost_callback(move |reason, message| record(&fault, Message::new(text::LOST).with("reason", format!("{reason:?}")).with("detail", message)));
        }
        {
            let fault = Arc::clone(&fault);
            device.on_uncaptured_error(Arc::new(move |e: wgpu::Error| record(&fault, Message::new(text::ERROR).with("detail", e))));
        }
        let slot = PARAMS_BYTES.max(device.limits().min_uniform_buffer_offset_alignment as u64);
        assert_eq!(slot, PARAMS_BYTES, "the device wants uniform offsets aligned to more than {PARAMS_BYTES} bytes");
        let tracker = Rc::new(Tracker::default());
        let arena_slots = 1024;
        let arena = Buf::new(
            &device,
            &tracker,
            "uniform arena",
            PARAMS_BYTES * arena_slots as u64,
            wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            false,
        );
        let profiler = profile.map(|_| Profiler::new(&device, &queue, timestamps));
        Ok(Gpu {
            profiler: RefCell::new(profiler),
            device,
            queue,
            adapter: info,
            tracker,
            pipelines: RefCell::new(Pipelines::default()),
            bind_groups: RefCell::new(BindGroups::default()),
            pending: RefCell::new(Pending::default()),
            arena,
            arena_slots,
            scratch: RefCell::new(HashMap::new()),
            staging: RefCell::new(Vec::new()),
            fault,
        })
    }

    /// What went wrong with the device, if anything has: lost, or an uncaught error. Once set,
    /// results from this device cannot be trusted.
    pub fn fault(&self) -> Option<Message> {
        self.fault.lock().ok().and_then(|f| f.clone())
    }

    /// Destroy the device, as a driver reset or an unplugged GPU would: for testing that the
    /// page notices and falls back to the CPU.
    pub fn lose_device(&self) {
        self.device.destroy();
    }

    /// `Gpu::new()` for native code without an executor (the CLI, benchmarks, tests).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn new_blocking() -> Result<Gpu, GpuError> {
        pollster::block_on(Gpu::new())
    }

    /// Counts of live GPU objects (see [`GpuStats`]).
    pub fn stats(&self) -> GpuStats {
        GpuStats {
            buffers: self.tracker.live(),
            pipelines: self.pipelines.borrow().count(),
            bind_groups: self.bind_groups.borrow().len(),
            submissions: self.pending.borrow().submissions,
            created: self.tracker.created(),
        }
    }

    /// The adapter's name, backend and type, e.g. "llvmpipe (LLVM 15.0.6, 256 bits), Vulkan, Cpu".
    pub fn adapter_info(&self) -> String {
        format!("{}, {:?}, {:?}", self.adapter.name, self.adapter.backend, self.adapter.device_type)
    }

    /// Name the adapter `label` when its driver gives it no name.
    pub fn named(mut self, label: Option<String>) -> Gpu {
        if let Some(label) = label.filter(|l| !l.is_empty()) {
            if self.adapter.name.is_empty() {
                self.adapter.name = label;
            }
        }
        self
    }

    /// The adapter's name as its driver gives it ("llvmpipe (LLVM 15.0.6, 256 bits)",
    /// "SwiftShader Device (Subzero)"), or its backend when the driver gives none.
    pub fn adapter_name(&self) -> String {
        if self.adapter.name.is_empty() {
            format!("{:?}", self.adapter.backend)
        } else {
            self.adapter.name.clone()
        }
    }

    /// True when the "GPU" is a CPU emulation (lavapipe natively, SwiftShader in Chromium, which
    /// WebGPU marks `isFallbackAdapter`): its timings mean little.
    pub fn is_software(&self) -> bool {
        self.adapter.device_type == wgpu::DeviceType::Cpu
    }

    /// A scratch buffer for `purpose` holding at least `len` f32 values. Grown (replaced) when
    /// too small; kept otherwise, so a repeated step reuses it.
    pub(crate) fn scratch(&self, purpose: &'static str, len: usize) -> Rc<Buf> {
        let bytes = (len.max(1) * 4) as u64;
        let mut s = self.scratch.borrow_mut();
        if let Some(b) = s.get(purpose) {
            if b.bytes >= bytes {
                return b.clone();
            }
        }
        let b = Rc::new(Buf::new(&self.device, &self.tracker, purpose, bytes, wgpu::BufferUsages::STORAGE, false));
        s.insert(purpose, b.clone());
        b
    }
}

fn no_adapter_reason(err: &str) -> Message {
    Message::new(if cfg!(target_arch = "wasm32") { text::NO_WEBGPU } else { text::NO_VULKAN }).with("detail", err)
}
