//! Recording work and handing it to the device.
//!
//! Ops do not run when called: each records a compute pass into one command encoder held by the
//! `Gpu`, and `submit()` (the trainer calls it once per step) hands the whole step to the queue.
//! Kernel parameters go into the uniform arena: dispatch i of the encoder reads its parameter
//! block at offset i·256, and the arena is written once, just before the submit. (A
//! `queue.write_buffer` runs at submit time, before the encoder's commands, so parameters that
//! differ between dispatches of one encoder must not share a buffer; offsets into one arena give
//! each its own block without creating anything per step.)
//!
//! Host writes into tensors (`write`) have the same problem: `queue.write_buffer` would overtake
//! commands recorded earlier but not yet submitted. With nothing pending (the start of a training
//! step) a write goes straight to the queue; otherwise (say, after the metrics' reset that follows
//! a read) the data goes into an upload arena, written at submit like the parameters, and a copy
//! into the tensor is recorded in order. So a training step is one submission either way.

use super::context::Gpu;
use super::kernels::{Kernel, PARAMS_BYTES};
use super::profile::PassProfile;
use super::tensor::Buf;

#[derive(Default)]
pub struct Pending {
    encoder: Option<wgpu::CommandEncoder>,
    /// Parameter blocks of the recorded dispatches, PARAMS_BYTES each.
    params: Vec<u8>,
    /// Host data of the writes recorded as copies, and the buffer they are copied from.
    uploads: Vec<u8>,
    upload_buf: Option<Buf>,
    pub submissions: u64,
}

/// Workgroups of 256 for `count` invocations, laid out on a 2-D grid because one grid dimension
/// holds at most 65,535 workgroups; the shaders flatten (x, y) back into one index.
pub fn linear_groups(count: usize) -> [u32; 3] {
    let groups = count.div_ceil(256);
    let x = groups.min(65_535);
    let y = if x == 0 { 0 } else { groups.div_ceil(x) };
    [x as u32, y as u32, 1]
}

/// An f32 parameter as the u32 word the shader's struct holds.
pub fn f(x: f32) -> u32 {
    x.to_bits()
}

impl Gpu {
    /// Record one dispatch of `kernel` with parameters `params` (the words of its WGSL `Params`
    /// struct, in order) over `bufs` (bindings 1.., reads first).
    pub(crate) fn dispatch(&self, kernel: Kernel, params: &[u32], bufs: &[&Buf], groups: [u32; 3]) {
        if groups.contains(&0) {
            return;
        }
        let spec = kernel.spec();
        assert_eq!(bufs.len() as u32, spec.reads + spec.writes, "{kernel:?}: {} buffers for {} bindings", bufs.len(), spec.reads + spec.writes);
        assert!(params.len() * 4 <= PARAMS_BYTES as usize, "{kernel:?}: parameters too large");
        let (pipeline, layout) = self.pipelines.borrow_mut().get(&self.device, kernel);
        let bind_group = {
            let mut cache = self.bind_groups.borrow_mut();
            cache.evict_dead(&self.tracker);
            cache.get(&self.device, &layout, kernel, &self.arena, bufs)
        };
        // Off (nothing done) unless a profile is being recorded: see profile.rs.
        let profiled = self.profile_pass(kernel);
        if self.pending.borrow().params.len() as u64 >= PARAMS_BYTES * self.arena_slots as u64 {
            // The arena is full (a long evaluation without submits): hand over what we have.
            self.flush();
        }
        {
            let mut p = self.pending.borrow_mut();
            let offset = p.params.len();
            for w in params {
                p.params.extend_from_slice(&w.to_le_bytes());
            }
            p.params.resize(offset + PARAMS_BYTES as usize, 0);
            let device = &self.device;
            let encoder = p.encoder.get_or_insert_with(|| device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: Some("step") }));
            let timestamp_writes = match &profiled {
                PassProfile::Timestamps(set, i) => Some(wgpu::ComputePassTimestampWrites { query_set: set, beginning_of_pass_write_index: Some(*i), end_of_pass_write_index: Some(i + 1) }),
                _ => None,
            };
            let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor { label: Some(kernel.label()), timestamp_writes });
            pass.set_pipeline(&pipeline);
            pass.set_bind_group(0, &bind_group, &[offset as u32]);
            pass.dispatch_workgroups(groups[0], groups[1], groups[2]);
        }
        self.profile_after(profiled);
    }

    /// Record a buffer-to-buffer copy of `bytes` bytes.
    pub(crate) fn copy_buffer(&self, src: &Buf, dst: &Buf, bytes: u64) {
        if bytes == 0 {
            return;
        }
        let mut p = self.pending.borrow_mut();
        let device = &self.device;
        let encoder = p.encoder.get_or_insert_with(|| device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: Some("step") }));
        encoder.copy_buffer_to_buffer(&src.buffer, 0, &dst.buffer, 0, bytes);
    }

    /// Write host data into `dst`, in order with the work recorded so far.
    pub(crate) fn write_buf(&self, dst: &Buf, data: &[u8]) {
        if data.is_empty() {
            return;
        }
        let mut p = self.pending.borrow_mut();
        if p.encoder.is_none() {
            // Nothing recorded: the write runs before everything recorded from now on.
            self.queue.write_buffer(&dst.buffer, 0, data);
            return;
        }
        let bytes = data.len() as u64;
        let offset = p.uploads.len() as u64;
        let capacity = p.upload_buf.as_ref().map(|b| b.bytes).unwrap_or(0);
        if offset + bytes > capacity {
            if offset > 0 {
                // Copies recorded from the arena pin its size: submit them, then write directly.
                drop(p);
                self.flush();
                self.queue.write_buffer(&dst.buffer, 0, data);
                return;
            }
            // No copy from the arena is recorded yet: replace it with a larger one.
            p.upload_buf = Some(Buf::new(
                &self.device,
                &self.tracker,
                "upload arena",
                bytes.next_power_of_two().max(1024),
                wgpu::BufferUsages::COPY_SRC | wgpu::BufferUsages::COPY_DST,
                false,
            ));
        }
        p.uploads.extend_from_slice(data);
        // Copies need offsets in multiples of 4: f32 data keeps them so.
        debug_assert_eq!(p.uploads.len() % 4, 0);
        let Pending { encoder, upload_buf, .. } = &mut *p;
        let encoder = encoder.as_mut().expect("checked above");
        encoder.copy_buffer_to_buffer(&upload_buf.as_ref().expect("sized above").buffer, offset, &dst.buffer, 0, bytes);
    }

    /// Submit the recorded commands (with their parameters) to the queue.
    pub(crate) fn flush(&self) {
        let mut p = self.pending.borrow_mut();
        let Some(mut encoder) = p.encoder.take() else {
            return;
        };
        if let Some(profiler) = self.profiler.borrow_mut().as_mut() {
            profiler.resolve(&self.device, &mut encoder);
        }
        if !p.params.is_empty() {
            self.queue.write_buffer(&self.arena.buffer, 0, &p.params);
            p.params.clear();
        }
        if !p.uploads.is_empty() {
            let upload = &p.upload_buf.as_ref().expect("uploads have an arena").buffer;
            self.queue.write_buffer(upload, 0, &p.uploads);
            p.uploads.clear();
        }
        self.queue.submit([encoder.finish()]);
        p.submissions += 1;
    }

    /// A staging buffer of at least `bytes` for reading back, from the pool when one fits.
    fn take_staging(&self, bytes: u64) -> Buf {
        let mut pool = self.staging.borrow_mut();
        let best = pool.iter().enumerate().filter(|(_, b)| b.bytes >= bytes).min_by_key(|(_, b)| b.bytes).map(|(i, _)| i);
        match best {
            Some(i) => pool.swap_remove(i),
            None => Buf::new(
                &self.device,
                &self.tracker,
                "staging",
                bytes.max(256).next_power_of_two(),
                wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
                false,
            ),
        }
    }

    /// Copy `buf`'s first `len` values into a staging buffer and submit everything pending.
    /// Returns the staging buffer and a receiver that fires when it is mapped.
    fn start_read(&self, buf: &Buf, len: usize) -> (Buf, futures_channel::oneshot::Receiver<Result<(), wgpu::BufferAsyncError>>) {
        let bytes = (len * 4) as u64;
        let staging = self.take_staging(bytes.max(4));
        self.copy_buffer(buf, &staging, bytes);
        self.flush();
        let (tx, rx) = futures_channel::oneshot::channel();
        staging.buffer.slice(..bytes.max(4)).map_async(wgpu::MapMode::Read, move |r| {
            // The receiver is gone only when the reader gave up; nothing to tell then.
            let _ = tx.send(r);
        });
        (staging, rx)
    }

    fn finish_read(&self, staging: Buf, len: usize, mapped: Result<(), wgpu::BufferAsyncError>) -> Vec<f32> {
        mapped.unwrap_or_else(|e| panic!("read: mapping the staging buffer failed ({e}); the GPU device was probably lost"));
        let bytes = (len * 4) as u64;
        let out = {
            let view = staging.buffer.slice(..bytes.max(4)).get_mapped_range().expect("read: the staging buffer is mapped");
            view[..bytes as usize].chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()
        };
        staging.buffer.unmap();
        self.staging.borrow_mut().push(staging);
        out
    }

    /// Read `len` values of `buf`, blocking until the device has finished (native only).
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn read_blocking(&self, buf: &Buf, len: usize) -> Vec<f32> {
        let (staging, mut rx) = self.start_read(buf, len);
        self.device.poll(wgpu::PollType::wait_indefinitely()).unwrap_or_else(|e| panic!("read: waiting for the GPU failed: {e}"));
        let mapped = loop {
            match rx.try_recv() {
                Ok(Some(r)) => break r,
                // The wait returned before the mapping callback ran: wait once more.
                Ok(None) => {
                    self.device.poll(wgpu::PollType::wait_indefinitely()).unwrap_or_else(|e| panic!("read: waiting for the GPU failed: {e}"));
                }
                Err(_) => panic!("read: the mapping callback was dropped"),
            }
        };
        self.finish_read(staging, len, mapped)
    }

    /// Read `len` values of `buf` without blocking: the browser resolves the mapping when the GPU
    /// is done, and the future wakes then (no polling loop).
    pub(crate) async fn read_async_buf(&self, buf: &Buf, len: usize) -> Vec<f32> {
        let (staging, rx) = self.start_read(buf, len);
        #[cfg(not(target_arch = "wasm32"))]
        self.device.poll(wgpu::PollType::wait_indefinitely()).unwrap_or_else(|e| panic!("read: waiting for the GPU failed: {e}"));
        let mapped = rx.await.unwrap_or_else(|_| panic!("read: the mapping callback was dropped"));
        self.finish_read(staging, len, mapped)
    }
}
