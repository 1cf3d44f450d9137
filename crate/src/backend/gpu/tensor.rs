//! Device memory: `Buf`, a storage buffer with a unique id (the key of the bind-group cache), and
//! `GpuTensor`, a buffer with a shape. Every `Buf` reports its creation and its end to the
//! `Tracker`, so `Gpu::stats()` can count live buffers and the cache can forget bind groups that
//! name a buffer that is gone.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::tensor::Shape;

/// Counts live buffers and remembers which ones ended since the cache last looked.
#[derive(Default)]
pub(crate) struct Tracker {
    next_id: Cell<u64>,
    live: Cell<usize>,
    dead: RefCell<Vec<u64>>,
}

impl Tracker {
    pub(crate) fn live(&self) -> usize {
        self.live.get()
    }

    /// Buffers created so far (ids are handed out in order from 0).
    pub(crate) fn created(&self) -> u64 {
        self.next_id.get()
    }

    /// Ids of buffers dropped since the last call.
    pub(crate) fn take_dead(&self) -> Vec<u64> {
        std::mem::take(&mut *self.dead.borrow_mut())
    }

    pub(crate) fn has_dead(&self) -> bool {
        !self.dead.borrow().is_empty()
    }
}

/// A wgpu buffer with the id the caches know it by.
pub(crate) struct Buf {
    pub(crate) buffer: wgpu::Buffer,
    pub(crate) id: u64,
    /// Size in bytes (at least 4: WebGPU has no empty bindings).
    pub(crate) bytes: u64,
    tracker: Rc<Tracker>,
}

impl Buf {
    pub(crate) fn new(device: &wgpu::Device, tracker: &Rc<Tracker>, label: &str, bytes: u64, usage: wgpu::BufferUsages, mapped: bool) -> Buf {
        let bytes = bytes.max(4).next_multiple_of(4);
        let buffer = device.create_buffer(&wgpu::BufferDescriptor { label: Some(label), size: bytes, usage, mapped_at_creation: mapped });
        let id = tracker.next_id.get();
        tracker.next_id.set(id + 1);
        tracker.live.set(tracker.live.get() + 1);
        Buf { buffer, id, bytes, tracker: tracker.clone() }
    }
}

impl Drop for Buf {
    fn drop(&mut self) {
        // wgpu frees the memory once no recorded command or bind group uses it any more.
        self.tracker.live.set(self.tracker.live.get() - 1);
        self.tracker.dead.borrow_mut().push(self.id);
    }
}

/// A dense f32 tensor on the GPU: row-major, NCHW, `shape.len()` values.
pub struct GpuTensor {
    pub(crate) buf: Buf,
    pub(crate) shape: Shape,
}

impl GpuTensor {
    pub fn shape(&self) -> &Shape {
        &self.shape
    }

    /// Number of f32 values.
    pub fn len(&self) -> usize {
        self.shape.len()
    }

    pub fn is_empty(&self) -> bool {
        self.shape.is_empty()
    }

    /// The buffer's unique id (stable for the tensor's life).
    pub fn id(&self) -> u64 {
        self.buf.id
    }
}

impl std::fmt::Debug for GpuTensor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GpuTensor {{ id: {}, shape: {} }}", self.buf.id, self.shape)
    }
}
