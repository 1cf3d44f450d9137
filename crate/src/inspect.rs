//! The convolution inspector: for one output value of a conv layer, everything that produced it —
//! the input window under the kernel (zeros where it hangs over the padding), the kernel, their
//! element-wise products, the sum, the bias, and the activation applied next — with the numbers
//! of the last forward pass. The terms come from the reference (`layers::conv2d::conv2d_terms`,
//! the same function the convolution chapter uses) and the sum they make is shown beside what the
//! forward pass stored, so the learner sees arithmetic that really adds up.

use crate::message::{Explain, Message};
use serde::Serialize;

use crate::backend::{ActKind, Backend};
use crate::layers::conv2d::conv2d_terms;
use crate::model::{Layer, Sequential};

/// One output value of a conv layer, taken apart.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConvInspection {
    /// The conv layer (0-based) and the output position (channel, row, column) inspected.
    pub layer: usize,
    pub channel: usize,
    pub y: usize,
    pub x: usize,
    pub in_channels: usize,
    pub kernel: usize,
    /// Top-left input position of the window; negative where it starts in the padding.
    pub top: i64,
    pub left: i64,
    /// (C_in, F, F) input values under the kernel; 0 where the window covers padding.
    pub window: Vec<f32>,
    /// Which window cells lie in the padding (shown differently: they are not the input).
    pub padding: Vec<bool>,
    /// (C_in, F, F) kernel weights of this output channel.
    pub weights: Vec<f32>,
    /// window · weights, element by element.
    pub products: Vec<f32>,
    /// Σ products of each input channel (C_in).
    pub channel_sums: Vec<f32>,
    /// Σ channel_sums: every product.
    pub sum: f32,
    pub bias: f32,
    /// sum + bias: the conv layer's output.
    pub value: f32,
    /// What the forward pass stored at this position (equal to `value` up to rounding order).
    pub stored: f32,
    /// The activation layer right after the conv, if any, and its output here.
    pub activation: Option<String>,
    pub activated: Option<f32>,
    /// The sum Σ channel_sums + bias = value as the page writes it (`written_sum`): the
    /// channels' sums, then the bias, as terms.
    pub written: Written,
}

/// A sum as the page writes it: each term and the total with `decimals` decimals, such that the
/// written terms add up to the written total — never "0.246 + 0.000 = 0.247".
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Written {
    pub terms: Vec<f64>,
    pub total: f64,
    pub decimals: usize,
}

/// Write the sum of `terms` (computed exactly, in f64) so that it adds up as written. The
/// decimals are the fewest from `min` to `max` at which every term and the total, each rounded
/// to the nearest, add up. When none does (many terms whose roundings pile up), at `max`
/// decimals the terms nearest a tie are rounded the other way instead, as many as it takes —
/// each written term stays within one unit of its last digit, and the sum still adds up.
pub fn written_sum(terms: &[f32], min: usize, max: usize) -> Written {
    let exact: f64 = terms.iter().map(|&t| t as f64).sum();
    for d in min..=max {
        let unit = 10f64.powi(-(d as i32));
        let units: Vec<f64> = terms.iter().map(|&t| (t as f64 / unit).round()).collect();
        let total = (exact / unit).round();
        if units.iter().sum::<f64>() == total {
            return Written { terms: units.iter().map(|u| u * unit).collect(), total: total * unit, decimals: d };
        }
    }
    let unit = 10f64.powi(-(max as i32));
    let mut units: Vec<f64> = terms.iter().map(|&t| (t as f64 / unit).round()).collect();
    let total = (exact / unit).round();
    let short = total - units.iter().sum::<f64>(); // units to add (or take away, if negative)
    // The terms whose rounding went furthest the wrong way go the other way first.
    let mut order: Vec<usize> = (0..terms.len()).collect();
    let residue = |i: usize| terms[i] as f64 / unit - units[i];
    order.sort_by(|&a, &b| (short.signum() * residue(b)).total_cmp(&(short.signum() * residue(a))));
    for &i in order.iter().take(short.abs() as usize) {
        units[i] += short.signum();
    }
    Written { terms: units.iter().map(|u| u * unit).collect(), total: total * unit, decimals: max }
}

/// Why a position cannot be inspected.
#[derive(Clone, Debug, PartialEq)]
pub enum InspectError {
    NotConv(usize),
    OutOfRange { layer: usize, channel: usize, y: usize, x: usize, shape: String },
    NoForwardPass,
}

/// The inspector's sentences.
pub mod text {
    crate::templates! {
        NOT_CONV = "inspect.notConv": "layer {layer} is not a convolution layer";
        OUT_OF_RANGE = "inspect.outOfRange": "layer {layer} has no output position (channel {channel}, row {y}, column {x}); its output is {shape}";
        NO_FORWARD = "inspect.noForward": "nothing has been run through the network yet";
    }
}

impl Explain for InspectError {
    fn message(&self) -> Message {
        match self {
            InspectError::NotConv(layer) => Message::new(text::NOT_CONV).with("layer", layer),
            InspectError::OutOfRange { layer, channel, y, x, shape } => {
                Message::new(text::OUT_OF_RANGE).with("layer", layer).with("channel", channel).with("y", y).with("x", x).with("shape", shape)
            }
            InspectError::NoForwardPass => text::NO_FORWARD.into(),
        }
    }
}
crate::explained_error!(InspectError);

/// Take apart output (channel, y, x) of conv layer `layer` for the first example of the last
/// forward pass of `model`.
pub fn inspect_conv<B: Backend>(
    b: &B,
    model: &Sequential<B>,
    layer: usize,
    channel: usize,
    y: usize,
    x: usize,
) -> Result<ConvInspection, InspectError> {
    let Some(Layer::Conv2d(conv)) = model.layers.get(layer) else { return Err(InspectError::NotConv(layer)) };
    if model.batch() == 0 {
        return Err(InspectError::NoForwardPass);
    }
    let shapes = model.activation_shapes();
    // The activation it reads: the one before it in a plain sequence, the block's input for
    // the first layer of a residual body or an Inception path.
    let from = model.infos()[layer].inputs[0];
    let c_in = shapes[from].chw().0;
    let (c_out, h_out, w_out) = shapes[layer + 1].chw();
    if channel >= c_out || y >= h_out || x >= w_out {
        return Err(InspectError::OutOfRange { layer, channel, y, x, shape: shapes[layer + 1].to_string() });
    }
    let acts = model.activations();
    // Only the first example's planes are needed; the CPU read is a copy of the buffer.
    let input = b.read(&acts[from]);
    let output = b.read(&acts[layer + 1]);
    let weights = b.read(&conv.weight.value);
    let biases = b.read(&conv.bias.value);
    // The reference's own account of this output value (layers::conv2d::conv2d_terms).
    let t = conv2d_terms(&input, &weights, &biases, &conv.geom(&shapes[from]), 0, channel, y, x);
    let terms: Vec<f32> = t.channel_sums.iter().copied().chain([t.bias]).collect();
    let written = written_sum(&terms, 3, 5);
    let stored = output[(channel * h_out + y) * w_out + x];

    // The activation applied to this convolution's output, if the next node is one that reads it.
    let reads_this = model.infos().get(layer + 1).is_some_and(|n| n.inputs == [layer + 1]);
    let (activation, activated) = match model.layers.get(layer + 1) {
        Some(Layer::Activation(a)) if reads_this => {
            let next = b.read(&acts[layer + 2]);
            (Some(act_label(a.kind)), Some(next[(channel * h_out + y) * w_out + x]))
        }
        _ => (None, None),
    };
    Ok(ConvInspection {
        layer,
        channel,
        y,
        x,
        in_channels: c_in,
        kernel: conv.kernel,
        top: t.top,
        left: t.left,
        window: t.window,
        padding: t.padding,
        weights: t.weights,
        products: t.products,
        channel_sums: t.channel_sums,
        sum: t.sum,
        bias: t.bias,
        value: t.value,
        stored,
        activation,
        activated,
        written,
    })
}

fn act_label(kind: ActKind) -> String {
    match kind {
        ActKind::Sigmoid => "sigmoid".into(),
        ActKind::Tanh => "tanh".into(),
        ActKind::Relu => "ReLU".into(),
        ActKind::LeakyRelu { slope } => format!("leaky ReLU ({slope})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::init::Init;
    use crate::model::{zoo, Mode};
    use crate::rng::{Rng, Stream};
    use crate::Cpu;

    fn model_after_forward() -> (Cpu, Sequential<Cpu>) {
        let b = Cpu::new();
        let mut m = Sequential::new(&b, zoo::lenet_relu(), Init::HeNormal, 3).unwrap();
        let mut rng = Rng::stream(5, Stream::Data);
        let image: Vec<f32> = (0..784).map(|_| rng.uniform()).collect();
        m.set_input(&b, &image, 1);
        m.forward(&b, Mode::Eval);
        (b, m)
    }

    #[test]
    fn the_parts_add_up_to_what_the_forward_pass_computed() {
        let (b, m) = model_after_forward();
        // lenet-relu: layer 0 is Conv2d 6@5×5 pad 2 (28×28 out), layer 3 is Conv2d 16@5×5 (10×10 out).
        for &(layer, c, y, x) in &[(0, 0, 0, 0), (0, 5, 13, 27), (0, 2, 27, 27), (3, 0, 0, 0), (3, 15, 9, 4)] {
            let ins = inspect_conv(&b, &m, layer, c, y, x).unwrap();
            assert_eq!(ins.window.len(), ins.in_channels * ins.kernel * ins.kernel);
            assert!((ins.value - ins.stored).abs() <= 1e-5 * (1.0 + ins.stored.abs()), "{layer} {c} {y} {x}: {} vs {}", ins.value, ins.stored);
            assert_eq!(ins.activation.as_deref(), Some("ReLU"));
            assert_eq!(ins.activated, Some(ins.stored.max(0.0)));
        }
    }

    /// The written terms add up to the written total, in whole units of the last digit.
    fn adds_up(w: &Written) -> bool {
        let unit = 10f64.powi(-(w.decimals as i32));
        let units = |v: f64| (v / unit).round();
        w.terms.iter().map(|&t| units(t)).sum::<f64>() == units(w.total)
    }

    #[test]
    fn a_written_sum_adds_up_at_the_decimals_shown() {
        // 0.2463 + 0.0004 = 0.2467: at three decimals 0.246 + 0.000 ≠ 0.247, at four it adds up.
        let w = written_sum(&[0.2463, 0.0004], 3, 5);
        assert_eq!(w.decimals, 4);
        assert!(adds_up(&w), "{w:?}");
        assert_eq!(written_sum(&[0.25, 0.5], 3, 5).decimals, 3);
        // Three thirds never add up by rounding each: one is written a unit up instead.
        let w = written_sum(&[1.0 / 3.0; 3], 2, 3);
        assert_eq!(w.decimals, 3);
        assert!(adds_up(&w), "{w:?}");
        assert!(w.terms.iter().all(|&t| (t - 1.0 / 3.0).abs() <= 0.001 + 1e-9), "{w:?}");
        assert!((w.total - 1.0).abs() < 1e-9);
        // And the same when rounding went up: six times 0.1667 is 1.000, not 1.002.
        let w = written_sum(&[1.0 / 6.0; 6], 3, 3);
        assert!(adds_up(&w) && (w.total - 1.0).abs() < 1e-9, "{w:?}");
        let (b, m) = model_after_forward();
        for &(layer, c, y, x) in &[(0, 0, 0, 0), (0, 5, 13, 27), (3, 15, 9, 4)] {
            let ins = inspect_conv(&b, &m, layer, c, y, x).unwrap();
            assert!(adds_up(&ins.written), "{layer} {c} {y} {x}: {:?}", ins.written);
            assert_eq!(ins.written.terms.len(), ins.in_channels + 1);
            assert!((ins.written.total - ins.value as f64).abs() <= 10f64.powi(-(ins.written.decimals as i32)));
        }
    }

    #[test]
    fn a_window_at_the_corner_hangs_over_the_padding() {
        let (b, m) = model_after_forward();
        let ins = inspect_conv(&b, &m, 0, 0, 0, 0).unwrap();
        assert_eq!((ins.top, ins.left), (-2, -2));
        // Rows 0 and 1 and columns 0 and 1 of the 5×5 window are padding: 25 − 9 = 16 cells.
        assert_eq!(ins.padding.iter().filter(|&&p| p).count(), 16);
        assert!(ins.window.iter().zip(&ins.padding).all(|(v, &p)| !p || *v == 0.0));
        let inner = inspect_conv(&b, &m, 0, 0, 14, 14).unwrap();
        assert!(inner.padding.iter().all(|&p| !p));
    }

    #[test]
    fn other_layers_and_positions_are_refused_with_a_reason() {
        let (b, m) = model_after_forward();
        assert_eq!(inspect_conv(&b, &m, 1, 0, 0, 0), Err(InspectError::NotConv(1)));
        let err = inspect_conv(&b, &m, 0, 6, 0, 0).unwrap_err();
        assert!(err.to_string().contains("(1, 6, 28, 28)"), "{err}");
        let fresh = Sequential::new(&b, zoo::lenet_relu(), Init::HeNormal, 3).unwrap();
        assert_eq!(inspect_conv(&b, &fresh, 0, 0, 0, 0), Err(InspectError::NoForwardPass));
    }
}
