//! Bind groups, cached by (kernel, buffer ids): a training step binds the same buffers to the same
//! kernels every time, so after the first step it creates none. Kernel parameters do not enter the
//! key: they live in the uniform arena, bound at a dynamic offset (see `record.rs`). When a buffer
//! is dropped, every bind group naming it is forgotten (which also lets wgpu free the buffer).

use std::collections::{HashMap, HashSet};

use super::kernels::{Kernel, PARAMS_BYTES};
use super::tensor::{Buf, Tracker};

#[derive(Default)]
pub struct BindGroups {
    groups: HashMap<(Kernel, Vec<u64>), wgpu::BindGroup>,
}

impl BindGroups {
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Forget bind groups that name buffers dropped since the last call.
    pub fn evict_dead(&mut self, tracker: &Tracker) {
        if !tracker.has_dead() {
            return;
        }
        let dead: HashSet<u64> = tracker.take_dead().into_iter().collect();
        self.groups.retain(|(_, ids), _| !ids.iter().any(|id| dead.contains(id)));
    }

    /// The bind group of `kernel` over `arena` (binding 0) and `bufs` (bindings 1..).
    pub fn get(&mut self, device: &wgpu::Device, layout: &wgpu::BindGroupLayout, kernel: Kernel, arena: &Buf, bufs: &[&Buf]) -> wgpu::BindGroup {
        let key = (kernel, bufs.iter().map(|b| b.id).collect::<Vec<_>>());
        if let Some(g) = self.groups.get(&key) {
            return g.clone();
        }
        let mut entries = vec![wgpu::BindGroupEntry {
            binding: 0,
            resource: wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                buffer: &arena.buffer,
                offset: 0,
                size: wgpu::BufferSize::new(PARAMS_BYTES),
            }),
        }];
        for (i, b) in bufs.iter().enumerate() {
            entries.push(wgpu::BindGroupEntry { binding: 1 + i as u32, resource: b.buffer.as_entire_binding() });
        }
        let g = device.create_bind_group(&wgpu::BindGroupDescriptor { label: None, layout, entries: &entries });
        self.groups.insert(key, g.clone());
        g
    }
}
