//! The memory budget: every buffer a model will need, counted before any is allocated.
//!
//! A model may come from a file, a spec, the page's editor or the command line, so its sizes are
//! not to be trusted: a 1×1 convolution with a padding of 100,000 has one multiply-accumulate per
//! output pixel but asks for a 149 GiB zero-padded copy of its input. [`needs`] walks the layers
//! after shape inference (`ModelSpec::infer`, itself checked) and adds up, in saturating u64
//! arithmetic (a sum past 2⁶⁴ is simply "more than any budget"):
//!
//! - the input batch, its gradient and the host copy a training step gathers it into (twice, as
//!   that vector may grow to);
//! - every layer's output and its gradient (and dropout's mask);
//! - every weight tensor with its gradient and the optimizer's two state tensors (Adam's
//!   moments): four copies, as `Param::new` allocates them; batch norm's running statistics;
//! - the convolution's scratch: on the CPU, per chunk of the batch (at most
//!   `MAX_CHUNKS`), the zero-padded input image, the im2col matrix and its gradient, the product
//!   of a group of images and the partial weight gradients; on the GPU, the split-K partial sums
//!   of the weight gradient and the unfolded input gradient (dcol, in chunks of images). The backend keeps one scratch for all layers, each part as large as
//!   the largest layer asked for, so each part is counted once at that size;
//! - the loss's probabilities and labels;
//! - while the model is built, the largest weight tensor once more (drawn on the host, then
//!   copied to the backend).
//!
//! [`Budget::check`] then refuses, with a [`SpecError`] that names the layer, the buffer and its
//! size, a model whose largest single buffer or whose total exceeds the budget of the platform
//! ([`Budget::NATIVE`], [`Budget::WASM32`]; a GPU lowers the per-buffer limit to what its device
//! can bind). `Sequential::new` checks at batch 1; a batch size is checked where it is chosen
//! (`Sequential::check_batch`, used by the trainer, the page's session and the CLI). The counts
//! are an upper bound computed once per model or batch size, never inside a training step.

use super::graph::NodeOp;
use super::spec::{LayerInfo, LayerSpec, ModelSpec, SpecError};
use super::text;
use crate::backend::gpu::conv::unfold_chunk;
use crate::message::Template;

/// Bytes of one f32.
const F32: u64 = 4;
/// The CPU backend splits a batch into at most this many chunks, each with its own scratch
/// (`backend/cpu/par.rs`).
const MAX_CHUNKS: u64 = 8;
/// The CPU convolution lays about this many output pixels side by side in one product
/// (`GROUP_COLS` in `backend/cpu/conv.rs`).
const GROUP_COLS: u64 = 400;
/// The GPU splits a weight gradient's sum into at most this many slices of at least this many
/// terms (`split_k` in `backend/gpu/conv.rs`).
const GPU_SPLITS: u64 = 256;
const GPU_SPLIT_TERMS: u64 = 1024;

/// How much memory a model may ask for, in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Every buffer together.
    pub total: u64,
    /// Any one buffer.
    pub buffer: u64,
}

impl Budget {
    /// Natively (the CLI, tests): 8 GiB in all, 4 GiB for one buffer. The presets train in a
    /// few hundred megabytes even at a batch of 10,000.
    pub const NATIVE: Budget = Budget { total: 8 << 30, buffer: 4 << 30 };
    /// In the browser: wasm32 addresses 4 GiB at most and the page runs two instances (the
    /// pad's and the training worker's), so 1 GiB in all and 256 MiB for one buffer.
    pub const WASM32: Budget = Budget { total: 1 << 30, buffer: 256 << 20 };
    /// The budget of the platform this code is compiled for.
    pub const HERE: Budget = if cfg!(target_arch = "wasm32") { Budget::WASM32 } else { Budget::NATIVE };

    /// This budget with no buffer larger than `bytes` (a GPU's largest storage binding).
    pub fn with_buffer_limit(self, bytes: u64) -> Budget {
        Budget { buffer: self.buffer.min(bytes), ..self }
    }

    /// Refuse `needs` (of the network whose nodes are `infos`) when one buffer or the total is
    /// over this budget.
    pub fn check(&self, infos: &[LayerInfo], needs: &Needs) -> Result<(), SpecError> {
        let at = |i: Option<usize>| i.and_then(|i| infos.get(i).map(|l| (i, l.label.clone())));
        let big = &needs.largest;
        if big.bytes > self.buffer {
            return Err(SpecError::BufferOverBudget {
                at: at(big.layer),
                part: big.part,
                bytes: big.bytes,
                limit: self.buffer,
                batch: needs.batch,
            });
        }
        if needs.total > self.total {
            // Name the layer that needs the most (the input when it does).
            let (index, layer_bytes) =
                needs.layers.iter().enumerate().map(|(i, &b)| (Some(i), b)).fold((None, needs.input), |best, x| if x.1 > best.1 { x } else { best });
            return Err(SpecError::OverBudget { bytes: needs.total, limit: self.total, batch: needs.batch, at: at(index), layer_bytes });
        }
        Ok(())
    }
}

/// One buffer: which layer (`None` for the input), what it is, and its size in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Part {
    pub layer: Option<usize>,
    pub part: &'static Template,
    pub bytes: u64,
}

/// What a model needs at one batch size, in bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Needs {
    pub batch: usize,
    /// Everything together.
    pub total: u64,
    /// The largest single buffer.
    pub largest: Part,
    /// The input batch, its gradient and its host copy.
    pub input: u64,
    /// Each layer's buffers, its convolution scratch included.
    pub layers: Vec<u64>,
}

/// Saturating product: past 2⁶⁴ is more than any budget.
fn prod(factors: &[u64]) -> u64 {
    factors.iter().fold(1u64, |acc, &f| acc.saturating_mul(f))
}

/// Every buffer `spec` (whose shape inference gave `infos`) needs at batch `n`.
pub fn needs(spec: &ModelSpec, infos: &[LayerInfo], n: usize) -> Needs {
    let n = n as u64;
    let mut largest = Part { layer: None, part: &text::PART_INPUT, bytes: 0 };
    let mut consider = |layer: Option<usize>, part: &'static Template, values: u64| {
        let bytes = values.saturating_mul(F32);
        if bytes > largest.bytes {
            largest = Part { layer, part, bytes };
        }
    };
    let [c, h, w] = spec.input.map(|v| v as u64);
    let image = prod(&[n, c, h, w]);
    consider(None, &text::PART_INPUT, image);
    // acts[0], grads[0] and the trainer's host batch (gathered image by image into a vector
    // that may grow to twice its length); without layers the input is the output, and the
    // loss's probabilities, labels and metrics come with it.
    let loss = if infos.is_empty() { image.saturating_add(n).saturating_add(6) } else { 0 };
    let input = prod(&[4, image]).saturating_add(loss).saturating_mul(F32);

    let mut layers = Vec::with_capacity(infos.len());
    // Every layer's buffers but the scratch, and the largest weight tensor (drawn on the host
    // while the model is built, before the backend copies it).
    let (mut own, mut draw_max) = (0u64, 0u64);
    // The convolutions' scratch, which the backend shares between layers: on the CPU each field
    // of each chunk's scratch at its largest over the layers; on the GPU the largest partials
    // and the largest unfolded dx (two buffers).
    let (mut cpu_fields, mut cpu_chunks, mut gpu_partials, mut gpu_unfolded) = ([0u64; 6], 0u64, 0u64, 0u64);
    let readers = super::graph::readers(infos);
    for (i, info) in infos.iter().enumerate() {
        let in_dims: Vec<u64> = match info.inputs[0] {
            0 => vec![c, h, w],
            k => infos[k - 1].output.dims()[1..].iter().map(|&d| d as u64).collect(),
        };
        let out_dims: Vec<u64> = info.output.dims()[1..].iter().map(|&d| d as u64).collect();
        let out = prod(&out_dims);
        let at = Some(i);
        consider(at, &text::PART_OUTPUT, prod(&[n, out]));
        // The output and its gradient, and a spare gradient when two nodes read it.
        let mut values = prod(&[if readers[i + 1] > 1 { 3 } else { 2 }, n, out]);
        let mut scratch = 0u64;
        let NodeOp::Layer(layer) = &info.op else {
            own = own.saturating_add(values.saturating_mul(F32));
            layers.push(values.saturating_mul(F32));
            continue;
        };
        match *layer {
            LayerSpec::Conv2d { out_channels, kernel, padding, .. } => {
                let (o, k, p) = (out_channels as u64, kernel as u64, padding as u64);
                let (ci, hi, wi) = (in_dims[0], in_dims[1], in_dims[2]);
                let hw = out_dims[1].saturating_mul(out_dims[2]);
                let weights = prod(&[o, ci, k, k]);
                consider(at, &text::PART_WEIGHTS, weights);
                draw_max = draw_max.max(weights);
                // Value, gradient and two optimizer states, for the weights and the bias.
                values = values.saturating_add(prod(&[4, weights.saturating_add(o)]));
                let kk = prod(&[ci, k, k]);
                let padded = prod(&[ci, hi.saturating_add(2 * p), wi.saturating_add(2 * p)]).saturating_add(4);
                consider(at, &text::PART_PADDED, padded);
                let cols = kk.saturating_mul(hw.max(GROUP_COLS));
                consider(at, &text::PART_COLS, cols);
                // Per chunk of the batch: the padded image, cols and dcols, a group's products,
                // the dw partials (4 lanes in the browser's direct kernel) and db.
                let fields = [padded, cols, cols, o.saturating_mul(hw.max(GROUP_COLS)), prod(&[4, o, kk]), o];
                let chunks = n.clamp(1, MAX_CHUNKS);
                scratch = prod(&[chunks, fields.iter().fold(0u64, |a, &f| a.saturating_add(f))]);
                // The backend keeps each field at the largest any layer asked for.
                for (max, f) in cpu_fields.iter_mut().zip(fields) {
                    *max = (*max).max(f);
                }
                cpu_chunks = cpu_chunks.max(chunks);
                let splits = n.saturating_mul(hw).div_ceil(GPU_SPLIT_TERMS).clamp(1, GPU_SPLITS);
                let gpu = prod(&[splits, o, kk]);
                consider(at, &text::PART_PARTIALS, gpu);
                gpu_partials = gpu_partials.max(gpu);
                // The GPU's unfolded dx (a layer that reads the network's input computes no dx):
                // at most `UNFOLD_VALUES`, far below any device's largest binding.
                let hw_in = hi.saturating_mul(wi);
                let unfolded = match (info.inputs[0], unfold_chunk(n, ci, o, k, hw_in, hw)) {
                    (0, _) | (_, None) => 0,
                    (_, Some(images)) => prod(&[images, kk, hw]),
                };
                gpu_unfolded = gpu_unfolded.max(unfolded);
                scratch = scratch.max(gpu.saturating_add(unfolded));
            }
            LayerSpec::Dense { units, .. } => {
                let o = units as u64;
                let weights = o.saturating_mul(prod(&in_dims));
                consider(at, &text::PART_WEIGHTS, weights);
                draw_max = draw_max.max(weights);
                values = values.saturating_add(prod(&[4, weights.saturating_add(o)]));
            }
            // γ and β with their gradients and states; the running mean and variance, and the
            // batch's saved mean and 1/σ.
            LayerSpec::BatchNorm2d { .. } => values = values.saturating_add(prod(&[12, in_dims[0]])),
            LayerSpec::Dropout { .. } => values = values.saturating_add(prod(&[n, out])),
            _ => {}
        }
        if i + 1 == infos.len() {
            // The loss: probabilities, labels and the metrics.
            values = values.saturating_add(prod(&[n, out])).saturating_add(n).saturating_add(6);
        }
        let (bytes, scratch) = (values.saturating_mul(F32), scratch.saturating_mul(F32));
        own = own.saturating_add(bytes);
        // What this layer alone needs, its scratch included (to name the layer that needs most).
        layers.push(bytes.saturating_add(scratch));
    }
    // The scratch counts once for all layers (a model runs on one backend: the larger of the
    // two), as does the largest initial draw.
    let cpu_scratch = prod(&[cpu_chunks, cpu_fields.iter().fold(0u64, |a, &f| a.saturating_add(f))]);
    let scratch = cpu_scratch.max(gpu_partials.saturating_add(gpu_unfolded)).saturating_mul(F32);
    let total = input.saturating_add(own).saturating_add(scratch).saturating_add(draw_max.saturating_mul(F32));
    Needs { batch: n as usize, total, largest, input, layers }
}

/// A number of bytes as people read it: "512 B", "8 GiB", "149 GiB", "2.91 TiB".
pub fn bytes(b: u64) -> String {
    const UNITS: [&str; 7] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if b < 1024 {
        return format!("{b} B");
    }
    let (mut v, mut u) = (b as f64, 0);
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    let digits = if v >= 100.0 { 0 } else if v >= 10.0 { 1 } else { 2 };
    let s = format!("{v:.digits$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    format!("{s} {}", UNITS[u])
}
