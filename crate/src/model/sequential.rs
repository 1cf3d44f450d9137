//! A network built from a spec on any backend: the spec's layers unrolled into nodes (`graph`),
//! run in order — a plain sequence, or one with residual additions and channel concatenations.
//! It owns its parameters and one buffer per activation and per activation gradient, allocated
//! once per batch size and reused (the evaluation's batch size beside the training's, see
//! `per_batch`), so a training step allocates nothing.
//!
//! Backward runs the nodes in reverse. An activation read by two nodes (a residual block's x:
//! by f and by the sum) receives a gradient from each; the first one written goes straight into
//! its gradient buffer, the others into a spare buffer that is then added to it.

use crate::message::{Explain, Message};
use super::budget::Budget;
use super::per_batch::PerBatch;
use super::graph::NodeOp;
use super::freeze::FreezeError;
use super::spec::{LayerInfo, LayerSpec, ModelSpec, SpecError};
use crate::backend::{Backend, PoolKind};
use crate::init::Init;
use crate::layers::{
    activation::Activation, batchnorm::BatchNorm2d, conv2d::Conv2d, dense::Dense, dropout::Dropout, pool::Pool2d, Buffer, Param,
};
use crate::rng::{mix64, Rng, Stream};
use crate::tensor::Shape;



/// Training uses batch statistics and dropout; evaluation uses running statistics and no dropout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Train,
    Eval,
}

pub enum Layer<B: Backend> {
    Conv2d(Conv2d<B>),
    Pool2d(Pool2d),
    Dense(Dense<B>),
    Flatten,
    Activation(Activation),
    Dropout(Dropout<B>),
    BatchNorm2d(BatchNorm2d<B>),
    /// A residual block's sum of its two inputs.
    Add,
    /// An Inception block's concatenation of its inputs on the channels.
    Concat,
}

/// A named tensor on the host, as saved in model files.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedTensor {
    pub name: String,
    pub shape: Shape,
    pub data: Vec<f32>,
}

/// Loading weights that do not fit the model.
#[derive(Clone, Debug, PartialEq)]
pub enum StateError {
    Missing { name: String, shape: Shape },
    ShapeMismatch { name: String, expected: Shape, found: Shape },
    Unexpected { name: String },
    WrongLength { name: String, shape: Shape, len: usize, expected: usize },
    NonFinite(crate::check::NotFinite),
}

impl Explain for StateError {
    fn message(&self) -> Message {
        use super::text::*;
        match self {
            StateError::Missing { name, shape } => Message::new(STATE_MISSING).with("name", name).with("shape", shape),
            StateError::ShapeMismatch { name, expected, found } => Message::new(STATE_SHAPE).with("name", name).with("found", found).with("expected", expected),
            StateError::Unexpected { name } => Message::new(STATE_UNEXPECTED).with("name", name),
            StateError::WrongLength { name, shape, len, expected } => {
                Message::new(STATE_LENGTH).with("name", name).with("len", len).with("shape", shape).with("expected", expected)
            }
            StateError::NonFinite(e) => e.message(),
        }
    }
}
crate::explained_error!(StateError);

/// The buffers of one batch size.
struct Activations<B: Backend> {
    /// acts[0] is the input, acts[i+1] the output of node i.
    acts: Vec<B::Tensor>,
    /// grads[i] = ∂L/∂acts[i].
    grads: Vec<B::Tensor>,
    /// For an activation read by more than one node: where the second and later gradients are
    /// written before they are added to grads[i].
    spares: Vec<Option<B::Tensor>>,
    shapes: Vec<Shape>,
}

pub struct Sequential<B: Backend> {
    pub spec: ModelSpec,
    pub layers: Vec<Layer<B>>,
    infos: Vec<LayerInfo>,
    /// The activation buffers of the current batch size (and of the others the run uses).
    bufs: PerBatch<Activations<B>>,
    dropout_seed: u64,
    train_forwards: u32,
    /// The platform's memory budget, with the backend's largest buffer.
    budget: Budget,
    /// For each top-level spec layer, whether it is frozen (`model::freeze`): its parameters
    /// are left out of `trainable_params_mut`, so the optimizer never changes them.
    frozen: Vec<bool>,
    /// For each node, the top-level spec layer it belongs to (`freeze::top_levels`).
    top_levels: Vec<usize>,
}

impl<B: Backend> Sequential<B> {
    /// Build the network and initialise its weights from `seed`'s init stream. A spec whose
    /// buffers at batch 1 exceed the memory budget (`model::budget`) is refused before anything
    /// is allocated.
    pub fn new(b: &B, spec: ModelSpec, init: Init, seed: u64) -> Result<Self, SpecError> {
        let infos = spec.infer()?;
        let budget = Budget::HERE.with_buffer_limit(b.max_buffer_bytes());
        budget.check(&infos, &super::budget::needs(&spec, &infos, 1))?;
        let mut rng = Rng::stream(seed, Stream::Init);
        let mut layers = Vec::with_capacity(infos.len());
        for (i, info) in infos.iter().enumerate() {
            let input = match info.inputs[0] {
                0 => spec.input_shape(0),
                j => infos[j - 1].output.clone(),
            };
            let name = &info.name;
            let l = match &info.op {
                NodeOp::Layer(l) => l,
                NodeOp::Add { .. } => {
                    layers.push(Layer::Add);
                    continue;
                }
                NodeOp::Concat => {
                    layers.push(Layer::Concat);
                    continue;
                }
            };
            layers.push(match *l {
                LayerSpec::Conv2d { out_channels, kernel, stride, padding, bias, .. } => {
                    let c_in = input.chw().0;
                    let (fan_in, fan_out) = (c_in * kernel * kernel, out_channels * kernel * kernel);
                    let ws = Shape(vec![out_channels, c_in, kernel, kernel]);
                    let w = init.sample(&mut rng, ws.len(), fan_in, fan_out);
                    Layer::Conv2d(Conv2d {
                        weight: Param::new(b, format!("{name}.weight"), ws, &w),
                        bias: Param::new(b, format!("{name}.bias"), Shape(vec![out_channels]), &vec![0.0; out_channels]),
                        has_bias: bias,
                        c_in,
                        c_out: out_channels,
                        kernel,
                        stride,
                        padding,
                    })
                }
                LayerSpec::MaxPool2d { kernel, stride, padding } => Layer::Pool2d(Pool2d { kind: PoolKind::Max, kernel, stride, padding }),
                LayerSpec::AvgPool2d { kernel, stride, padding } => Layer::Pool2d(Pool2d { kind: PoolKind::Avg, kernel, stride, padding }),
                // One window over the whole (square: shape inference checked) image.
                LayerSpec::GlobalAvgPool => {
                    let (_, h, _) = input.chw();
                    Layer::Pool2d(Pool2d { kind: PoolKind::Avg, kernel: h, stride: h, padding: 0 })
                }
                LayerSpec::Flatten => Layer::Flatten,
                LayerSpec::Dense { units, .. } => {
                    let inputs = input.per_example();
                    let ws = Shape(vec![units, inputs]);
                    let w = init.sample(&mut rng, ws.len(), inputs, units);
                    Layer::Dense(Dense {
                        weight: Param::new(b, format!("{name}.weight"), ws, &w),
                        bias: Param::new(b, format!("{name}.bias"), Shape(vec![units]), &vec![0.0; units]),
                        inputs,
                        outputs: units,
                    })
                }
                LayerSpec::Sigmoid | LayerSpec::Tanh | LayerSpec::Relu | LayerSpec::LeakyRelu { .. } => {
                    Layer::Activation(Activation { kind: l.activation().expect("an activation layer") })
                }
                LayerSpec::Dropout { p } => Layer::Dropout(Dropout { p, mask: None }),
                LayerSpec::BatchNorm2d { eps, momentum, .. } => Layer::BatchNorm2d(BatchNorm2d::new(b, name, input.chw().0, eps, momentum)),
                LayerSpec::Residual { .. } | LayerSpec::Inception { .. } => unreachable!("node {i}: blocks are unrolled into nodes"),
            });
        }
        Ok(Sequential {
            frozen: vec![false; spec.layers.len()],
            top_levels: super::freeze::top_levels(&spec, &infos),
            spec,
            layers,
            infos,
            bufs: PerBatch::default(),
            dropout_seed: mix64(seed ^ Stream::Dropout as u64),
            train_forwards: 0,
            budget,
        })
    }

    /// Freeze (or unfreeze) top-level layer `layer` of the spec, `nn.Sequential`'s module
    /// `layer`, a block with everything inside it: from the next step on the optimizer leaves
    /// its parameters (and their momentum or Adam state) as they are. A layer that does not
    /// exist or holds no parameters is refused.
    pub fn set_frozen(&mut self, layer: usize, frozen: bool) -> Result<(), FreezeError> {
        super::freeze::check(&self.spec, &self.infos, layer)?;
        self.frozen[layer] = frozen;
        Ok(())
    }

    /// The frozen top-level layers, in order.
    pub fn frozen_layers(&self) -> Vec<usize> {
        self.frozen.iter().enumerate().filter(|(_, &f)| f).map(|(i, _)| i).collect()
    }

    /// What shape inference found for each layer (output shapes with batch N).
    pub fn infos(&self) -> &[LayerInfo] {
        &self.infos
    }

    /// Whether batch size `n` fits the memory budget: every caller that takes a batch size from
    /// a person (the CLI, the trainer's settings, the page's session) checks it here first.
    pub fn check_batch(&self, n: usize) -> Result<(), SpecError> {
        self.budget.check(&self.infos, &super::budget::needs(&self.spec, &self.infos, n))
    }

    /// Allocate activation and gradient buffers for batch size n (no-op when already sized; the
    /// buffers of other sizes are kept for the next switch back while they fit the budget).
    /// Panics (a programmer error) when `n` is over the budget: check it with `check_batch`.
    pub fn prepare(&mut self, b: &B, n: usize) {
        if n == self.bufs.batch() {
            return;
        }
        if let Err(e) = self.check_batch(n) {
            panic!("Sequential::prepare({n}) without check_batch: {e}");
        }
        let (spec, infos, budget) = (&self.spec, &self.infos, &self.budget);
        let total = |m: usize| super::budget::needs(spec, infos, m).total;
        let fit = |sizes: &[usize]| sizes.iter().fold(0u64, |sum, &m| sum.saturating_add(total(m))) <= budget.total;
        self.bufs.switch(n, fit, || {
            let shapes: Vec<Shape> = std::iter::once(spec.input_shape(n)).chain(infos.iter().map(|l| l.output.with_batch(n))).collect();
            let readers = super::graph::readers(infos);
            // The input gets no gradient, so never a spare.
            let spares = shapes.iter().zip(&readers).enumerate().map(|(k, (s, &r))| (k > 0 && r > 1).then(|| b.zeros(s))).collect();
            Activations { acts: shapes.iter().map(|s| b.zeros(s)).collect(), grads: shapes.iter().map(|s| b.zeros(s)).collect(), spares, shapes }
        });
    }

    pub fn batch(&self) -> usize {
        self.bufs.batch()
    }

    /// Copy a batch of n inputs (n·C·H·W values) into the input buffer.
    pub fn set_input(&mut self, b: &B, data: &[f32], n: usize) {
        self.prepare(b, n);
        b.write(&mut self.bufs.get_mut().expect("prepared above").acts[0], data);
    }

    /// Run every node on the current input.
    pub fn forward(&mut self, b: &B, mode: Mode) {
        assert!(self.batch() > 0, "forward before set_input");
        if mode == Mode::Train {
            self.train_forwards = self.train_forwards.wrapping_add(1);
        }
        let Activations { acts, shapes, .. } = self.bufs.get_mut().expect("prepared");
        for i in 0..self.layers.len() {
            // Every input comes before the node's own output, acts[i + 1].
            let (lo, hi) = acts.split_at_mut(i + 1);
            let inputs = &self.infos[i].inputs;
            let (x, y, xs) = (&lo[inputs[0]], &mut hi[0], &shapes[inputs[0]]);
            match &mut self.layers[i] {
                Layer::Conv2d(l) => l.conv2d_forward(b, x, xs, y),
                Layer::Pool2d(l) => l.pool2d_forward(b, x, xs, y),
                Layer::Dense(l) => l.dense_forward(b, x, y),
                Layer::Flatten => b.copy(x, y),
                Layer::Activation(l) => l.activation_forward(b, x, y),
                Layer::Dropout(l) => match mode {
                    Mode::Train => {
                        let key = mix64(self.dropout_seed ^ ((self.train_forwards as u64) << 16) ^ i as u64) as u32;
                        l.dropout_forward(b, x, y, key)
                    }
                    Mode::Eval => b.copy(x, y),
                },
                Layer::BatchNorm2d(l) => l.batchnorm2d_forward(b, x, y, mode == Mode::Train),
                Layer::Add => {
                    b.copy(x, y);
                    b.add_into(&lo[inputs[1]], y);
                }
                Layer::Concat => {
                    let mut at = 0;
                    for &k in inputs {
                        let c = shapes[k].chw().0;
                        b.copy_channels(&lo[k], 0, y, at, c);
                        at += c;
                    }
                }
            }
        }
    }

    /// Back-propagate from ∂L/∂output, which the loss has written into `output_grad_mut()`.
    /// Fills every parameter's gradient. Must follow a `Mode::Train` forward pass.
    pub fn backward(&mut self, b: &B) {
        let Activations { acts, grads, spares, shapes } = self.bufs.get_mut().expect("backward before forward");
        // How many gradients each activation has received so far.
        let mut received = vec![0usize; acts.len()];
        for i in (0..self.layers.len()).rev() {
            let (lo, hi) = grads.split_at_mut(i + 1);
            let dy = &hi[0];
            let inputs = &self.infos[i].inputs;
            let (x, y, xs) = (&acts[inputs[0]], &acts[i + 1], &shapes[inputs[0]]);
            // Where the gradient for input slot `k` goes: its own buffer the first time, its spare
            // (added afterwards by `settle`) after that. The input needs no gradient: skipping it
            // saves the most expensive dx of all.
            let target = |k: usize, received: &mut [usize]| -> Option<bool> {
                (k > 0).then(|| {
                    received[k] += 1;
                    received[k] > 1
                })
            };
            let settle = |k: usize, spare: bool, lo: &mut [B::Tensor], spares: &[Option<B::Tensor>]| {
                if spare {
                    b.add_into(spares[k].as_ref().expect("an activation read twice has a spare"), &mut lo[k]);
                }
            };
            match &mut self.layers[i] {
                Layer::Add => {
                    for &k in inputs {
                        if let Some(spare) = target(k, &mut received) {
                            let dx = if spare { spares[k].as_mut().expect("spare") } else { &mut lo[k] };
                            b.copy(dy, dx);
                            settle(k, spare, lo, spares);
                        }
                    }
                }
                Layer::Concat => {
                    let mut at = 0;
                    for &k in inputs {
                        let c = shapes[k].chw().0;
                        if let Some(spare) = target(k, &mut received) {
                            let dx = if spare { spares[k].as_mut().expect("spare") } else { &mut lo[k] };
                            b.copy_channels(dy, at, dx, 0, c);
                            settle(k, spare, lo, spares);
                        }
                        at += c;
                    }
                }
                layer => {
                    let k = inputs[0];
                    let want = target(k, &mut received);
                    let mut dx = match want {
                        Some(true) => Some(spares[k].as_mut().expect("spare")),
                        Some(false) => Some(&mut lo[k]),
                        None => None,
                    };
                    match layer {
                        Layer::Conv2d(l) => l.conv2d_backward(b, x, xs, dy, dx.take()),
                        Layer::Dense(l) => l.dense_backward(b, x, dy, dx.take()),
                        _ if dx.is_none() => {}
                        Layer::Pool2d(l) => l.pool2d_backward(b, x, xs, dy, dx.take().expect("wanted")),
                        Layer::Flatten => b.copy(dy, dx.take().expect("wanted")),
                        Layer::Activation(l) => l.activation_backward(b, x, y, dy, dx.take().expect("wanted")),
                        Layer::Dropout(l) => l.dropout_backward(b, dy, dx.take().expect("wanted")),
                        Layer::BatchNorm2d(l) => l.batchnorm2d_backward(b, x, dy, dx.take().expect("wanted")),
                        Layer::Add | Layer::Concat => unreachable!("matched above"),
                    }
                    if let Some(spare) = want {
                        settle(k, spare, lo, spares);
                    }
                }
            }
        }
    }

    /// The network's output (logits) for the current batch.
    pub fn output(&self) -> &B::Tensor {
        self.bufs.get().and_then(|a| a.acts.last()).expect("prepared: set_input comes first")
    }

    /// The output together with the buffer the loss writes ∂L/∂output into.
    pub fn output_and_grad_mut(&mut self) -> (&B::Tensor, &mut B::Tensor) {
        let Activations { acts, grads, .. } = self.bufs.get_mut().expect("prepared");
        (acts.last().expect("a model has an output"), grads.last_mut().expect("a model has an output"))
    }

    /// Every activation of the last forward pass: [input, output of layer 0, …].
    pub fn activations(&self) -> &[B::Tensor] {
        self.bufs.get().map_or(&[], |a| &a.acts)
    }

    /// Every activation gradient of the last backward pass, aligned with `activations()`.
    pub fn activation_grads(&self) -> &[B::Tensor] {
        self.bufs.get().map_or(&[], |a| &a.grads)
    }

    /// Shapes of `activations()` at the current batch size.
    pub fn activation_shapes(&self) -> &[Shape] {
        self.bufs.get().map_or(&[], |a| &a.shapes)
    }

    pub fn params(&self) -> Vec<&Param<B>> {
        let mut out = Vec::new();
        for l in &self.layers {
            match l {
                Layer::Conv2d(c) if !c.has_bias => out.push(&c.weight),
                Layer::Conv2d(c) => out.extend([&c.weight, &c.bias]),
                Layer::Dense(d) => out.extend([&d.weight, &d.bias]),
                Layer::BatchNorm2d(n) => out.extend([&n.gamma, &n.beta]),
                _ => {}
            }
        }
        out
    }

    pub fn params_mut(&mut self) -> Vec<&mut Param<B>> {
        Self::params_of(self.layers.iter_mut())
    }

    /// The parameters of the layers that are not frozen: what a training step updates.
    pub fn trainable_params_mut(&mut self) -> Vec<&mut Param<B>> {
        let (frozen, tops) = (&self.frozen, &self.top_levels);
        Self::params_of(self.layers.iter_mut().zip(tops).filter(|(_, &t)| !frozen[t]).map(|(l, _)| l))
    }

    fn params_of<'a>(layers: impl Iterator<Item = &'a mut Layer<B>>) -> Vec<&'a mut Param<B>> {
        let mut out = Vec::new();
        for l in layers {
            match l {
                Layer::Conv2d(c) => {
                    out.push(&mut c.weight);
                    if c.has_bias {
                        out.push(&mut c.bias);
                    }
                }
                Layer::Dense(d) => out.extend([&mut d.weight, &mut d.bias]),
                Layer::BatchNorm2d(n) => out.extend([&mut n.gamma, &mut n.beta]),
                _ => {}
            }
        }
        out
    }

    fn buffers_mut(&mut self) -> Vec<&mut Buffer<B>> {
        let mut out = Vec::new();
        for l in &mut self.layers {
            if let Layer::BatchNorm2d(n) = l {
                out.extend([&mut n.running_mean, &mut n.running_var]);
            }
        }
        out
    }

    /// The tensors a model file saves, in order: parameters, then batch-norm buffers.
    fn saved(&self) -> Vec<(&str, &Shape, &B::Tensor)> {
        let mut out: Vec<(&str, &Shape, &B::Tensor)> = self.params().into_iter().map(|p| (p.name.as_str(), &p.shape, &p.value)).collect();
        for l in &self.layers {
            if let Layer::BatchNorm2d(n) = l {
                for buf in [&n.running_mean, &n.running_var] {
                    out.push((buf.name.as_str(), &buf.shape, &buf.value));
                }
            }
        }
        out
    }

    /// Every saved tensor (parameters, then buffers) with its PyTorch state-dict name.
    pub fn state(&self, b: &B) -> Vec<NamedTensor> {
        self.saved().into_iter().map(|(name, shape, t)| NamedTensor { name: name.to_string(), shape: shape.clone(), data: b.read(t) }).collect()
    }

    /// `state` without blocking, for the browser.
    pub async fn state_async(&self, b: &B) -> Vec<NamedTensor> {
        let mut out = Vec::new();
        for (name, shape, t) in self.saved() {
            out.push(NamedTensor { name: name.to_string(), shape: shape.clone(), data: b.read_async(t).await });
        }
        out
    }

    /// Replace every saved tensor. All of `tensors` is checked before anything is written, so a
    /// bad set leaves the model exactly as it was.
    pub fn load_state(&mut self, b: &B, tensors: &[NamedTensor]) -> Result<(), StateError> {
        let wanted: Vec<(String, Shape)> = self.saved().into_iter().map(|(name, shape, _)| (name.to_string(), shape.clone())).collect();
        let find = |name: &str| tensors.iter().find(|t| t.name == name);
        for (name, shape) in &wanted {
            let t = find(name).ok_or_else(|| StateError::Missing { name: name.clone(), shape: shape.clone() })?;
            if &t.shape != shape {
                return Err(StateError::ShapeMismatch { name: name.clone(), expected: shape.clone(), found: t.shape.clone() });
            }
            if t.data.len() != shape.len() {
                return Err(StateError::WrongLength { name: name.clone(), shape: shape.clone(), len: t.data.len(), expected: shape.len() });
            }
            crate::check::finite(crate::check::tensor(name), &t.data).map_err(StateError::NonFinite)?;
        }
        if let Some(extra) = tensors.iter().find(|t| !wanted.iter().any(|(n, _)| n == &t.name)) {
            return Err(StateError::Unexpected { name: extra.name.clone() });
        }
        for p in self.params_mut() {
            b.write(&mut p.value, &find(&p.name).expect("checked").data);
            p.reset_state(b);
        }
        for buf in self.buffers_mut() {
            b.write(&mut buf.value, &find(&buf.name).expect("checked").data);
        }
        Ok(())
    }
}
