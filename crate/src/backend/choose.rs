//! Which backend trains: the GPU when there is a real one, else the CPU — saying why. A software
//! adapter (Chromium's SwiftShader in the browser, Mesa's lavapipe natively: both a GPU emulated
//! on the CPU, which wgpu reports as `DeviceType::Cpu`) is never chosen on its own: the CPU
//! backend runs the same network a hundred times faster there. It stays one explicit choice away
//! (`Want::Gpu`), for anyone who wants to see the GPU path run.

use crate::backend::gpu::Gpu;
use crate::message::{Explain, Message};

/// What the caller asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Want {
    /// A real GPU if there is one, else the CPU.
    Auto,
    /// The CPU.
    Cpu,
    /// The GPU, even a software one.
    Gpu,
}

impl Want {
    /// "auto", "cpu" or "gpu".
    pub fn parse(s: &str) -> Option<Want> {
        match s {
            "auto" => Some(Want::Auto),
            "cpu" => Some(Want::Cpu),
            "gpu" => Some(Want::Gpu),
            _ => None,
        }
    }
}

/// What was chosen.
pub enum Chosen {
    Gpu(Gpu),
    /// The CPU, with the reason the GPU is not used, and the GPU adapter's name when there is one
    /// that could be chosen instead.
    Cpu { reason: Message, adapter: Option<String> },
}

pub mod text {
    crate::templates! {
        SOFTWARE = "choose.software": "the GPU adapter ({adapter}) is a software emulation that runs on the CPU: training on it is about a hundred times slower than on the CPU directly";
        RACED = "choose.raced": "it trained this network faster than the GPU ({adapter}) in a race of a few steps on each";
    }
}

/// Open the backend `want` asks for (see the module's documentation). `label` names the adapter
/// when its driver gives no name (wgpu has none in the browser; the page reads one from WebGPU's
/// `GPUAdapterInfo`).
pub async fn choose(want: Want, label: Option<String>) -> Chosen {
    if want == Want::Cpu {
        return Chosen::Cpu { reason: crate::backend::gpu::text::CPU_ASKED.into(), adapter: None };
    }
    match Gpu::new().await.map(|g| g.named(label)) {
        Ok(g) if want == Want::Auto && g.is_software() => {
            let adapter = g.adapter_name();
            Chosen::Cpu { reason: Message::new(text::SOFTWARE).with("adapter", &adapter), adapter: Some(adapter) }
        }
        Ok(g) => Chosen::Gpu(g),
        Err(e) => Chosen::Cpu { reason: e.message(), adapter: None },
    }
}
