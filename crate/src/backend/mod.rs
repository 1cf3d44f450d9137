//! The kernels a backend supplies. Layers, models, training and the page are written once on top
//! of this trait. Three backends implement it: `Reference` (`reference.rs`), which runs the plain
//! loops of `crate::layers` — the specification — and two fast versions checked against it by the
//! agreement tests: `cpu` (im2col + GEMM, SIMD, threads) and `gpu` (WebGPU compute shaders).
//!
//! Conventions for every op (a legend used throughout):
//! N batch, C channels, H height, W width, K classes, I inputs, O outputs, F kernel size.
//! Tensors are dense, row-major, NCHW. Outputs are written (overwritten), never accumulated,
//! unless the doc says "adds". Gradients are named `dx`, `dw`, `db` after what they are ∂L/∂ of.

pub mod choose;
pub mod cpu;
pub mod gpu;
pub mod race;
pub mod reference;

use crate::tensor::Shape;

/// Geometry of a 2-D convolution: square kernel F×F, stride S, zero padding P on every side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConvGeom {
    pub n: usize,
    pub c_in: usize,
    pub h_in: usize,
    pub w_in: usize,
    pub c_out: usize,
    pub h_out: usize,
    pub w_out: usize,
    pub kernel: usize,
    pub stride: usize,
    pub padding: usize,
}

/// Geometry of a 2-D pooling window: square window F×F, stride S, padding P on every side
/// (channels are pooled independently). As in PyTorch, a padded cell is −∞ to max pooling (never
/// chosen) and 0 to average pooling, which divides by F² whatever the window covers
/// (`count_include_pad=True`). P ≤ F/2, as PyTorch requires: every window holds an input value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolGeom {
    pub n: usize,
    pub c: usize,
    pub h_in: usize,
    pub w_in: usize,
    pub h_out: usize,
    pub w_out: usize,
    pub kernel: usize,
    pub stride: usize,
    pub padding: usize,
}

/// What `Backend::copy_channels` copies, read off the two tensors' shapes: channels
/// src_c0..src_c0 + channels of every example of src (N, src_c, H, W) into channels
/// dst_c0..dst_c0 + channels of dst (N, dst_c, H, W); hw = H·W values per channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChannelCopy {
    pub n: usize,
    pub hw: usize,
    pub src_c: usize,
    pub src_c0: usize,
    pub dst_c: usize,
    pub dst_c0: usize,
    pub channels: usize,
}

impl ChannelCopy {
    /// The copy between tensors of shapes `src` and `dst`. Panics (a programmer error) unless
    /// both are (N, C, H, W) with the same N, H, W and both channel ranges lie inside them.
    pub fn new(src: &Shape, src_c0: usize, dst: &Shape, dst_c0: usize, channels: usize) -> ChannelCopy {
        let (&[n, src_c, h, w], &[dst_n, dst_c, dst_h, dst_w]) = (src.dims(), dst.dims()) else {
            panic!("copy_channels: src {src} and dst {dst} must both be (N, C, H, W)");
        };
        assert!((n, h, w) == (dst_n, dst_h, dst_w), "copy_channels: src {src} and dst {dst} differ in N, H or W (only C may differ)");
        let g = ChannelCopy { n, hw: h * w, src_c, src_c0, dst_c, dst_c0, channels };
        g.check(src.len(), dst.len());
        g
    }

    /// Panics unless slices of `src_len` and `dst_len` values hold this copy's tensors and both
    /// channel ranges lie inside them.
    pub fn check(&self, src_len: usize, dst_len: usize) {
        assert!(
            self.src_c0 + self.channels <= self.src_c && self.dst_c0 + self.channels <= self.dst_c,
            "copy_channels: channels {}..{} of {} into channels {}..{} of {}: out of range",
            self.src_c0,
            self.src_c0 + self.channels,
            self.src_c,
            self.dst_c0,
            self.dst_c0 + self.channels,
            self.dst_c
        );
        assert!(
            src_len == self.n * self.src_c * self.hw && dst_len == self.n * self.dst_c * self.hw,
            "copy_channels: {src_len} and {dst_len} values do not hold {} examples of {} and {} channels of {} values",
            self.n,
            self.src_c,
            self.dst_c,
            self.hw
        );
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoolKind {
    Max,
    Avg,
}

/// Element-wise activation functions. `LeakyRelu` carries its negative slope.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ActKind {
    Sigmoid,
    Tanh,
    Relu,
    LeakyRelu { slope: f32 },
}

impl ActKind {
    /// `sigmoid`, `tanh`, `relu`, `leaky-relu` (slope 0.01) or `leaky-relu:SLOPE`: the names the
    /// CLI and the page use.
    pub fn parse(s: &str) -> Option<ActKind> {
        let (name, arg) = s.split_once(':').map(|(n, a)| (n, Some(a))).unwrap_or((s, None));
        match (name, arg) {
            ("sigmoid", None) => Some(ActKind::Sigmoid),
            ("tanh", None) => Some(ActKind::Tanh),
            ("relu", None) => Some(ActKind::Relu),
            ("leaky-relu" | "leaky_relu", None) => Some(ActKind::LeakyRelu { slope: 0.01 }),
            ("leaky-relu" | "leaky_relu", Some(a)) => a.parse().ok().filter(|s: &f32| s.is_finite()).map(|slope| ActKind::LeakyRelu { slope }),
            _ => None,
        }
    }

    /// The name `parse` reads back (the slope is left out when it is the default 0.01).
    pub fn name(&self) -> String {
        match *self {
            ActKind::Sigmoid => "sigmoid".into(),
            ActKind::Tanh => "tanh".into(),
            ActKind::Relu => "relu".into(),
            ActKind::LeakyRelu { slope } if slope == 0.01 => "leaky-relu".into(),
            ActKind::LeakyRelu { slope } => format!("leaky-relu:{slope}"),
        }
    }
}

/// A regression loss of a prediction against a target, value by value (d = pred − target), as
/// PyTorch's `nn.L1Loss`, `nn.MSELoss` and `nn.SmoothL1Loss(beta=β)` with reduction 'mean':
///   L1:        ℓ(d) = |d|                               ℓ'(d) = sign(d)   (0 at d = 0)
///   Mse:       ℓ(d) = d²                                ℓ'(d) = 2d
///   SmoothL1:  ℓ(d) = d²/(2β) if |d| < β, else |d| − β/2   ℓ'(d) = d/β if |d| < β, else sign(d)
/// Smooth L1 is L2 near zero (a gradient that shrinks as the error does) and L1 far from it (a
/// gradient that an outlier cannot make larger than 1); β > 0 is where it switches.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RegressionLoss {
    L1,
    Mse,
    SmoothL1 { beta: f32 },
}

/// Hyper-parameters of one optimizer update, as the kernels need them. Every rule takes
/// `weight_decay` λ as PyTorch's optimizers do (L2, not AdamW's decoupled decay): the gradient it
/// uses is g + λ·θ, the gradient of the loss plus λ/2·‖θ‖². λ = 0 is the plain rule.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum UpdateRule {
    /// θ ← θ − η·g
    Sgd { lr: f32, weight_decay: f32 },
    /// v ← μ·v + g;  θ ← θ − η·v   (PyTorch's formulation)
    Momentum { lr: f32, momentum: f32, weight_decay: f32 },
    /// Adam with bias correction; `t` is the 1-based step number.
    Adam { lr: f32, beta1: f32, beta2: f32, eps: f32, t: u32, weight_decay: f32 },
}

/// Running sums a training step adds to on the device, read back only when the page or the CLI
/// asks: [loss summed over examples, correctly classified examples, examples seen].
pub const METRICS_LEN: usize = 3;

pub trait Backend {
    /// A dense f32 tensor living on this backend's device.
    type Tensor;

    /// A human-readable name for the badge and the CLI, e.g. "CPU (ndarray)".
    fn name(&self) -> String;

    /// The largest buffer this backend can hold, in bytes (the memory budget's per-buffer limit
    /// is lowered to it). No limit of its own by default.
    fn max_buffer_bytes(&self) -> u64 {
        u64::MAX
    }

    /// Why this backend's results mean nothing now (a lost GPU device, an uncaught GPU error),
    /// or `None`. A CPU never fails this way.
    fn fault(&self) -> Option<crate::message::Message> {
        None
    }

    // ---- memory -------------------------------------------------------------------------
    /// A tensor of zeros.
    fn zeros(&self, shape: &Shape) -> Self::Tensor;
    /// A tensor holding `data` (row-major, `shape.len()` values).
    fn upload(&self, shape: &Shape, data: &[f32]) -> Self::Tensor;
    /// Overwrite an existing tensor with host data of the same length (reuses the buffer).
    fn write(&self, t: &mut Self::Tensor, data: &[f32]);
    /// Copy a tensor back to the host, blocking until it is ready. Native code only: in the
    /// browser nothing may block, so a GPU backend there must be read with `read_async`.
    fn read(&self, t: &Self::Tensor) -> Vec<f32>;
    /// Copy a tensor back to the host without blocking (what the page uses).
    #[allow(async_fn_in_trait)]
    async fn read_async(&self, t: &Self::Tensor) -> Vec<f32> {
        self.read(t)
    }
    /// Hand the work recorded so far to the device. A GPU backend records a whole training step
    /// into one command encoder and submits it here; the CPU has computed everything already.
    fn submit(&self) {}
    /// The tensor's shape.
    fn shape(&self, t: &Self::Tensor) -> Shape;
    /// dst ← src (same number of elements; shapes may differ, as in Flatten).
    fn copy(&self, src: &Self::Tensor, dst: &mut Self::Tensor);
    /// t ← value everywhere.
    fn fill(&self, t: &mut Self::Tensor, value: f32);

    // ---- joining branches: residual sums (ResNet) and channel concatenation (Inception) ------
    /// y ← y + x, value by value (same number of elements): adds. The residual sum y = f(x) + x,
    /// and the gradient of a tensor that two branches read, arriving from each in turn.
    fn add_into(&self, x: &Self::Tensor, y: &mut Self::Tensor);
    /// dst[n, dst_c0 + k, :, :] ← src[n, src_c0 + k, :, :] for k < `channels`; dst's other channels
    /// are left as they are. src and dst are (N, C, H, W) with the same N, H, W and their own C.
    /// A concatenation's forward pass copies each branch into its slice of the output; its
    /// backward pass copies each branch's gradient back out. Panics on shapes that do not fit
    /// (see [`ChannelCopy::new`]).
    fn copy_channels(&self, src: &Self::Tensor, src_c0: usize, dst: &mut Self::Tensor, dst_c0: usize, channels: usize);

    // ---- convolution: x (N, C_in, H, W), w (C_out, C_in, F, F), b (C_out), y (N, C_out, H', W')
    fn conv2d_forward(&self, x: &Self::Tensor, w: &Self::Tensor, b: &Self::Tensor, y: &mut Self::Tensor, g: &ConvGeom);
    /// dw, db ← ∂L/∂w, ∂L/∂b; dx ← ∂L/∂x when asked (the first layer needs no dx).
    fn conv2d_backward(
        &self,
        x: &Self::Tensor,
        w: &Self::Tensor,
        dy: &Self::Tensor,
        dx: Option<&mut Self::Tensor>,
        dw: &mut Self::Tensor,
        db: &mut Self::Tensor,
        g: &ConvGeom,
    );

    // ---- pooling: x (N, C, H, W) -> y (N, C, H', W'), H' = floor((H + 2P − F)/S) + 1 ----------
    fn pool2d_forward(&self, kind: PoolKind, x: &Self::Tensor, y: &mut Self::Tensor, g: &PoolGeom);
    /// Max pooling routes each dy to the first maximum of its window in x (recomputed, so no
    /// index tensor is stored); average pooling spreads dy/F² over the window's input cells (the
    /// padding's shares go nowhere). Overlapping windows add.
    fn pool2d_backward(&self, kind: PoolKind, x: &Self::Tensor, dy: &Self::Tensor, dx: &mut Self::Tensor, g: &PoolGeom);

    // ---- dense: x (N, I), w (O, I) as in PyTorch, b (O), y (N, O) -------------------------
    fn dense_forward(&self, x: &Self::Tensor, w: &Self::Tensor, b: &Self::Tensor, y: &mut Self::Tensor);
    fn dense_backward(
        &self,
        x: &Self::Tensor,
        w: &Self::Tensor,
        dy: &Self::Tensor,
        dx: Option<&mut Self::Tensor>,
        dw: &mut Self::Tensor,
        db: &mut Self::Tensor,
    );

    // ---- activations, element-wise -------------------------------------------------------
    fn activation_forward(&self, kind: ActKind, x: &Self::Tensor, y: &mut Self::Tensor);
    /// dx ← dy · h'(x); sigmoid and tanh use y = h(x), the ReLUs use x.
    fn activation_backward(&self, kind: ActKind, x: &Self::Tensor, y: &Self::Tensor, dy: &Self::Tensor, dx: &mut Self::Tensor);

    // ---- dropout (inverted: kept units are scaled by 1/(1−p) in training) -------------------
    /// mask ← 1/(1−p) where hash_uniform(key, i) ≥ p, else 0; y ← x·mask.
    fn dropout_forward(&self, x: &Self::Tensor, mask: &mut Self::Tensor, y: &mut Self::Tensor, p: f32, key: u32);
    /// dx ← dy·mask
    fn dropout_backward(&self, dy: &Self::Tensor, mask: &Self::Tensor, dx: &mut Self::Tensor);

    // ---- batch norm over (N, H, W) per channel; gamma, beta, stats are (C) -------------------
    /// Training mode: normalise with the batch's statistics, save mean and 1/√(var+eps) for the
    /// backward pass, and update the running statistics
    /// (running ← (1−momentum)·running + momentum·batch, with the unbiased variance, as PyTorch).
    #[allow(clippy::too_many_arguments)]
    fn batchnorm2d_forward_train(
        &self,
        x: &Self::Tensor,
        gamma: &Self::Tensor,
        beta: &Self::Tensor,
        y: &mut Self::Tensor,
        save_mean: &mut Self::Tensor,
        save_invstd: &mut Self::Tensor,
        running_mean: &mut Self::Tensor,
        running_var: &mut Self::Tensor,
        momentum: f32,
        eps: f32,
    );
    /// Evaluation mode: normalise with the running statistics.
    #[allow(clippy::too_many_arguments)]
    fn batchnorm2d_forward_eval(
        &self,
        x: &Self::Tensor,
        gamma: &Self::Tensor,
        beta: &Self::Tensor,
        running_mean: &Self::Tensor,
        running_var: &Self::Tensor,
        y: &mut Self::Tensor,
        eps: f32,
    );
    #[allow(clippy::too_many_arguments)]
    fn batchnorm2d_backward(
        &self,
        x: &Self::Tensor,
        gamma: &Self::Tensor,
        dy: &Self::Tensor,
        save_mean: &Self::Tensor,
        save_invstd: &Self::Tensor,
        dx: &mut Self::Tensor,
        dgamma: &mut Self::Tensor,
        dbeta: &mut Self::Tensor,
    );

    // ---- losses --------------------------------------------------------------------------
    /// Numerically stable softmax + cross-entropy, mean over the batch.
    /// logits (N, K), labels (N) holding class indices as f32.
    /// probs ← softmax(logits); dlogits ← (probs − onehot)/N;
    /// adds [Σ loss, #correct (argmax = label), N] to `metrics` (length METRICS_LEN).
    fn softmax_cross_entropy(
        &self,
        logits: &Self::Tensor,
        labels: &Self::Tensor,
        probs: &mut Self::Tensor,
        dlogits: &mut Self::Tensor,
        metrics: &mut Self::Tensor,
    );
    /// Probabilities only, for a prediction: probs ← softmax(logits), row by row; logits and
    /// probs (N, K). The same values `softmax_cross_entropy` writes to its `probs`, without a
    /// label, a loss or a gradient.
    fn softmax(&self, logits: &Self::Tensor, probs: &mut Self::Tensor);
    /// A classifier trained with the mean squared error against one-hot targets, PyTorch's
    /// `MSELoss()(logits, one_hot(labels, K).float())`: logits (N, K), labels (N) as in
    /// `softmax_cross_entropy`. With t = onehot(label):
    /// dlogits ← 2(logits − t)/(N·K); adds [Σ_n mean_k (logits[n,k] − t[n,k])², #correct
    /// (argmax = label), N] to `metrics`, so that Σ/N is the loss and the accuracy reads alike.
    fn mse_one_hot(&self, logits: &Self::Tensor, labels: &Self::Tensor, dlogits: &mut Self::Tensor, metrics: &mut Self::Tensor);
    /// A regression loss's value (see [`RegressionLoss`]): pred and target (N, …) of the same
    /// length, L = mean over all N·P values of ℓ(pred − target). Adds [Σ_n loss_n, 0, N] to
    /// `metrics`, with loss_n = mean over example n's P values of ℓ, so Σ/N is L.
    /// Panics unless SmoothL1's β is finite and > 0.
    fn regression_loss_forward(&self, kind: RegressionLoss, pred: &Self::Tensor, target: &Self::Tensor, metrics: &mut Self::Tensor);
    /// Its gradient: dpred ← ∂L/∂pred = ℓ'(pred − target)/(N·P), value by value.
    fn regression_loss_backward(&self, kind: RegressionLoss, pred: &Self::Tensor, target: &Self::Tensor, dpred: &mut Self::Tensor);

    // ---- optimizer -----------------------------------------------------------------------
    /// One update of `param` from `grad`. `state1`/`state2` are the rule's state tensors,
    /// shaped like param (momentum: velocity in state1; Adam: m in state1, v in state2).
    fn update(&self, rule: UpdateRule, param: &mut Self::Tensor, grad: &Self::Tensor, state1: &mut Self::Tensor, state2: &mut Self::Tensor);
}
