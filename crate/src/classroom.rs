//! Backprop in a CNN for the classroom: one training step on one image, taken apart so a
//! teacher can walk through it — the loss, then ∂L/∂(each layer's output) from the last layer
//! back to the first, the gradient of every kernel, and the update θ ← θ − η·∂L/∂θ with the
//! weights before and after. Also the per-layer gradient norms of a deep network, which show
//! gradients vanishing through sigmoids and not through ReLUs.

use serde::Serialize;

use crate::backend::{ActKind, Backend, PoolKind, METRICS_LEN};
use crate::init::Init;
use crate::message::Message;
use crate::model::{Layer, LayerSpec, Mode, ModelSpec, Sequential};
use crate::optim::{OptimKind, Optimizer};
use crate::tensor::Shape;
use crate::Cpu;

/// One parameter tensor's update, summarised by its largest-gradient entry.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Update {
    /// PyTorch state-dict name, e.g. "3.weight".
    pub name: String,
    /// Index (row-major) of the entry with the largest |gradient|.
    pub index: usize,
    pub before: f32,
    pub grad: f32,
    pub after: f32,
    /// ‖∂L/∂θ‖₂ over the whole tensor.
    pub grad_norm: f32,
}

/// What one layer's backward pass did, for the page's step "back one layer".
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LayerGradient {
    pub index: usize,
    /// ∂L/∂(the layer's output), shaped as that output.
    pub output_grad: Vec<f32>,
    /// ∂L/∂W of a conv (C_out, C_in, F, F) or dense (out, in) layer, with its norm ‖∂L/∂W‖₂.
    pub weight_grad: Option<Vec<f32>>,
    pub weight_norm: Option<f32>,
    /// For a conv layer's kernel images: input channels and kernel side.
    pub in_channels: usize,
    pub kernel: usize,
    /// What this layer's backward does, in a sentence with this step's numbers.
    pub story: Message,
}

/// The sentences of the backward pass, one per kind of layer: what arrives (∂L/∂ the output, shown
/// as maps) and what the layer makes of it.
pub mod text {
    crate::templates! {
        STORY_LAST = "bp.story.last": "The last layer's output gradient is ∂L/∂logits = softmax − one-hot: each digit's probability, minus 1 for the label. From it this dense layer gets ∂L/∂W = ∂L/∂(output) · (its input)ᵀ, one row per digit (‖∂L/∂W‖ = {norm}), and sends Wᵀ · ∂L/∂(output) down to layer {below}.";
        STORY_DENSE = "bp.story.dense": "A dense layer: its weights' gradient is ∂L/∂(output) · (its input)ᵀ, a row per output unit (‖∂L/∂W‖ = {norm}); the gradient it sends down to layer {below} is Wᵀ · ∂L/∂(output).";
        STORY_RELU = "bp.story.relu": "ReLU lets the gradient through unchanged where its input was positive and stops it where the input was negative: {passed} of {total} values reach layer {below}, the rest are 0.";
        STORY_SQUASH = "bp.story.squash": "{name} multiplies each value of the gradient by its slope at the input, {slope}: here by {mean} on average, so the gradient reaching layer {below} is that much smaller.";
        STORY_MAX_POOL = "bp.story.maxPool": "Max pooling sends each value of the gradient back to the one input that was largest in its {k}×{k} window; the others get 0: {passed} of {total} values of layer {below} receive some.";
        STORY_AVG_POOL = "bp.story.avgPool": "Average pooling shares each value of the gradient equally among the {n} inputs of its {k}×{k} window: each gets 1/{n} of it.";
        STORY_FLATTEN = "bp.story.flatten": "Flatten only reshapes: its {total} gradient values go back to layer {below} laid out as {shape}.";
        STORY_CONV = "bp.story.conv": "A convolution: each kernel's gradient adds up, over every position, the input window times the output's gradient there (‖∂L/∂W‖ = {norm}); the gradient sent down to layer {below} is the output's gradient convolved with the flipped kernels.";
        STORY_FIRST_CONV = "bp.story.firstConv": "The first convolution: each kernel's gradient adds up, over every position, the image's window times the output's gradient there (‖∂L/∂W‖ = {norm}). Below it is only the image, which does not learn: the backward pass ends here.";
        STORY_OTHER = "bp.story.other": "{label}: the gradient passes through it to layer {below}.";
        STORY_ADD = "bp.story.add": "The residual sum y = f(x) + x has ∂y/∂f = ∂y/∂x = 1: it hands its gradient unchanged to both terms — to layer {body} (the end of f) and straight back to layer {x} (x), past the block. That short path is why deep residual networks still train.";
        STORY_ADD_PROJECTION = "bp.story.addProjection": "The sum y = f(x) + shortcut(x) has ∂y/∂f = ∂y/∂shortcut = 1: it hands its gradient unchanged to both terms — to layer {body} (the end of f) and to layer {x}, the shortcut's 1×1 projection, one layer from the block's input.";
        STORY_CONCAT = "bp.story.concat": "The concatenation cuts its gradient back into {paths} slices by channel: each path gets the part that belongs to its own channels.";
    }
}

/// A number in a sentence: four significant digits, plain decimals.
fn figure(v: f32) -> String {
    if v == 0.0 || !v.is_finite() {
        return v.to_string();
    }
    let digits = (3 - v.abs().log10().floor() as i32).clamp(0, 9) as usize;
    format!("{v:.digits$}")
}

/// The digit a network reads in an image, and the one it ranks second (the lesson's label).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Suggestion {
    pub predicted: usize,
    pub suggested: usize,
    pub probs: Vec<f32>,
}

/// The loss of a forward pass and the probabilities it came from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Loss {
    pub loss: f32,
    pub probs: Vec<f32>,
}

/// A network, one image and its label, and the state of the step being taken apart.
pub struct Classroom {
    b: Cpu,
    pub model: Sequential<Cpu>,
    probs: <Cpu as Backend>::Tensor,
    dlogits: <Cpu as Backend>::Tensor,
    label: <Cpu as Backend>::Tensor,
    metrics: <Cpu as Backend>::Tensor,
    /// Loss of the last forward pass, and whether backward has run since.
    loss: Option<f32>,
    backward_done: bool,
}

impl Classroom {
    pub fn new(model: Sequential<Cpu>) -> Classroom {
        let b = Cpu::new();
        let classes = model.infos().last().map(|l| l.output.per_example()).unwrap_or(0);
        let out = Shape::nf(1, classes);
        Classroom {
            probs: b.zeros(&out),
            dlogits: b.zeros(&out),
            label: b.zeros(&Shape(vec![1])),
            metrics: b.zeros(&Shape(vec![METRICS_LEN])),
            b,
            model,
            loss: None,
            backward_done: false,
        }
    }

    pub fn classes(&self) -> usize {
        self.b.shape(&self.probs).per_example()
    }

    fn check_image(&self, image: &[f32]) -> Result<(), String> {
        let want: usize = self.model.spec.input.iter().product();
        if image.len() != want {
            return Err(format!("the image has {} values; this network reads {want}", image.len()));
        }
        Ok(())
    }

    /// Forward pass and cross-entropy loss for `image` labelled `label`; returns (loss, probabilities).
    pub fn forward(&mut self, image: &[f32], label: usize) -> Result<(f32, Vec<f32>), String> {
        self.check_image(image)?;
        if label >= self.classes() {
            return Err(format!("label {label} is not a class of this network (0 to {})", self.classes() - 1));
        }
        let b = &self.b;
        self.model.set_input(b, image, 1);
        b.write(&mut self.label, &[label as f32]);
        b.fill(&mut self.metrics, 0.0);
        // No dropout or batch norm in the page's LeNet: training mode computes what evaluation does.
        self.model.forward(b, Mode::Train);
        let (logits, dlogits) = self.model.output_and_grad_mut();
        b.softmax_cross_entropy(logits, &self.label, &mut self.probs, dlogits, &mut self.metrics);
        b.copy(self.model.output_and_grad_mut().1, &mut self.dlogits);
        let loss = b.read(&self.metrics)[0];
        self.loss = Some(loss);
        self.backward_done = false;
        Ok((loss, b.read(&self.probs)))
    }

    /// Back-propagate the last forward pass's loss through every layer.
    pub fn backward(&mut self) -> Result<(), String> {
        if self.loss.is_none() {
            return Err("run the forward pass first".into());
        }
        self.model.backward(&self.b);
        self.backward_done = true;
        Ok(())
    }

    /// ∂L/∂(output of layer i); i = number of layers gives ∂L/∂logits.
    pub fn output_grad(&self, i: usize) -> Result<Vec<f32>, String> {
        if !self.backward_done {
            return Err("run the backward pass first".into());
        }
        let grads = self.model.activation_grads();
        // i comes from the page: checked, as usize::MAX + 1 would overflow.
        i.checked_add(1).and_then(|j| grads.get(j)).map(|g| self.b.read(g)).ok_or_else(|| format!("there is no layer {i}"))
    }

    /// Layer `i`'s part of the backward pass: ∂L/∂(its output), its weights' gradient, and the
    /// sentence that says what it did (with the counts and norms of this step).
    pub fn layer_gradient(&self, i: usize) -> Result<LayerGradient, String> {
        let output_grad = self.output_grad(i)?;
        let layer = &self.model.layers[i];
        let b = &self.b;
        // What it reads: the layer before it, or for a block's first layer the block's input.
        let from = self.model.infos()[i].inputs[0];
        let dx = b.read(&self.model.activation_grads()[from]);
        let below = from.saturating_sub(1);
        let total = dx.len();
        let passed = dx.iter().filter(|v| **v != 0.0).count();
        let norm = |g: &[f32]| g.iter().map(|v| v * v).sum::<f32>().sqrt();
        let last = i + 1 == self.model.layers.len();
        let (weight_grad, in_channels, kernel) = match layer {
            Layer::Conv2d(c) => (Some(b.read(&c.weight.grad)), c.c_in, c.kernel),
            Layer::Dense(d) => (Some(b.read(&d.weight.grad)), 0, 0),
            _ => (None, 0, 0),
        };
        let weight_norm = weight_grad.as_deref().map(norm);
        let wn = figure(weight_norm.unwrap_or(0.0));
        use text::*;
        let story = match layer {
            Layer::Dense(_) if last => Message::new(STORY_LAST).with("norm", wn).with("below", below),
            Layer::Dense(_) => Message::new(STORY_DENSE).with("norm", wn).with("below", below),
            Layer::Conv2d(_) if from == 0 => Message::new(STORY_FIRST_CONV).with("norm", wn),
            Layer::Conv2d(_) => Message::new(STORY_CONV).with("norm", wn).with("below", below),
            Layer::Activation(a) => match a.kind {
                ActKind::Relu => Message::new(STORY_RELU).with("passed", passed).with("total", total).with("below", below),
                kind => {
                    // The mean factor the gradient was multiplied by: Σ dx / Σ dy over the values.
                    let dy = &output_grad;
                    let ratios: Vec<f32> = dx.iter().zip(dy).filter(|(_, y)| **y != 0.0).map(|(x, y)| x / y).collect();
                    let mean = ratios.iter().sum::<f32>() / ratios.len().max(1) as f32;
                    let slope = match kind {
                        ActKind::Sigmoid => "σ(x)·(1 − σ(x)) ≤ 0.25",
                        ActKind::Tanh => "1 − tanh²(x) ≤ 1",
                        _ => "1 or the leak",
                    };
                    Message::new(STORY_SQUASH).with("name", kind.name()).with("slope", slope).with("mean", figure(mean)).with("below", below)
                }
            },
            Layer::Pool2d(p) if p.kind == PoolKind::Max => {
                Message::new(STORY_MAX_POOL).with("k", p.kernel).with("passed", passed).with("total", total).with("below", below)
            }
            Layer::Pool2d(p) => Message::new(STORY_AVG_POOL).with("k", p.kernel).with("n", p.kernel * p.kernel),
            Layer::Flatten => Message::new(STORY_FLATTEN).with("total", total).with("below", below).with("shape", &self.model.activation_shapes()[from]),
            Layer::Add => {
                let info = &self.model.infos()[i];
                let template = if matches!(info.op, crate::model::graph::NodeOp::Add { projection: true }) { STORY_ADD_PROJECTION } else { STORY_ADD };
                Message::new(template).with("body", info.inputs[0].saturating_sub(1)).with("x", info.inputs[1].saturating_sub(1))
            }
            Layer::Concat => Message::new(STORY_CONCAT).with("paths", self.model.infos()[i].inputs.len()),
            _ => Message::new(STORY_OTHER).with("label", &self.model.infos()[i].label).with("below", below),
        };
        Ok(LayerGradient { index: i, output_grad, weight_grad, weight_norm, in_channels, kernel, story })
    }

    /// The digit this network reads in `image`, and the one it ranks second: the label a lesson
    /// should use, so that the step has something to correct.
    /// A prediction, not a step: the probabilities come from the softmax op, no loss is run, and
    /// a step under way must start again with `forward`.
    pub fn suggest(&mut self, image: &[f32]) -> Result<Suggestion, String> {
        self.check_image(image)?;
        let b = &self.b;
        self.model.set_input(b, image, 1);
        self.model.forward(b, Mode::Eval);
        b.softmax(self.model.output(), &mut self.probs);
        let probs = b.read(&self.probs);
        self.loss = None;
        self.backward_done = false;
        let mut order: Vec<usize> = (0..probs.len()).collect();
        order.sort_by(|&a, &b| probs[b].total_cmp(&probs[a]));
        Ok(Suggestion { predicted: order[0], suggested: order.get(1).copied().unwrap_or(order[0]), probs })
    }

    /// ∂L/∂logits = softmax − one-hot, as the loss kernel wrote it.
    pub fn logit_grad(&self) -> Vec<f32> {
        self.b.read(&self.dlogits)
    }

    /// (values, gradients) of the parameter named `name` ("0.weight").
    pub fn param(&self, name: &str) -> Result<(Vec<f32>, Vec<f32>), String> {
        let p = self.model.params().into_iter().find(|p| p.name == name).ok_or_else(|| format!("this network has no parameter {name}"))?;
        Ok((self.b.read(&p.value), self.b.read(&p.grad)))
    }

    /// One SGD step, θ ← θ − η·∂L/∂θ, with the core's optimizer; returns each tensor's largest-
    /// gradient entry before and after.
    pub fn step(&mut self, lr: f32) -> Result<Vec<Update>, String> {
        if !self.backward_done {
            return Err("run the backward pass first".into());
        }
        if !(lr.is_finite() && lr > 0.0) {
            return Err(format!("the learning rate must be a positive number, not {lr}"));
        }
        let b = &self.b;
        let before: Vec<(String, Vec<f32>, Vec<f32>)> = self.model.params().iter().map(|p| (p.name.clone(), b.read(&p.value), b.read(&p.grad))).collect();
        Optimizer::new(OptimKind::Sgd, lr).step(b, self.model.params_mut());
        let after: Vec<Vec<f32>> = self.model.params().iter().map(|p| b.read(&p.value)).collect();
        self.loss = None;
        self.backward_done = false;
        Ok(before
            .into_iter()
            .zip(after)
            .map(|((name, v, g), a)| {
                let index = (0..g.len()).max_by(|&i, &j| g[i].abs().total_cmp(&g[j].abs())).unwrap_or(0);
                let grad_norm = g.iter().map(|x| x * x).sum::<f32>().sqrt();
                Update { name, index, before: v[index], grad: g[index], after: a[index], grad_norm }
            })
            .collect())
    }
}

/// A deep fully connected network on 28×28 digits: `depth` hidden layers of `width` units with
/// activation `act`, then 10 outputs.
pub fn deep_mlp(act: ActKind, depth: usize, width: usize) -> ModelSpec {
    let mut layers = vec![LayerSpec::Flatten];
    for _ in 0..depth {
        layers.push(LayerSpec::Dense { in_features: None, units: width });
        layers.push(LayerSpec::from_activation(act));
    }
    layers.push(LayerSpec::Dense { in_features: None, units: 10 });
    ModelSpec { name: format!("mlp-{depth}x{width}-{}", act.name()), input: [1, 28, 28], layers }
}

/// ‖∂L/∂W‖₂ of every dense layer of `deep_mlp(act, depth, width)`, input side first, after one
/// backward pass on `image` labelled `label`. Weights are drawn from `seed` with the usual
/// initialisation for each activation (Xavier for sigmoid/tanh, He for ReLU), so the comparison
/// is the fair one.
pub fn gradient_norms(act: ActKind, depth: usize, width: usize, image: &[f32], label: usize, seed: u64) -> Result<Vec<f32>, String> {
    let b = Cpu::new();
    let init = match act {
        ActKind::Relu | ActKind::LeakyRelu { .. } => Init::HeNormal,
        _ => Init::XavierUniform,
    };
    let model = Sequential::new(&b, deep_mlp(act, depth, width), init, seed).map_err(|e| e.to_string())?;
    let mut c = Classroom::new(model);
    c.forward(image, label)?;
    c.backward()?;
    Ok(c
        .model
        .params()
        .iter()
        .filter(|p| p.name.ends_with(".weight"))
        .map(|p| c.b.read(&p.grad).iter().map(|g| g * g).sum::<f32>().sqrt())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::zoo;

    fn digit_like() -> Vec<f32> {
        // A thick ring: ink in a band around the centre, like a 0.
        (0..784)
            .map(|i| {
                let (y, x) = ((i / 28) as f32 - 13.5, (i % 28) as f32 - 13.5);
                let r = (x * x * 1.6 + y * y).sqrt();
                if (6.0..9.0).contains(&r) { 1.0 } else { 0.0 }
            })
            .collect()
    }

    fn lenet() -> Classroom {
        let b = Cpu::new();
        Classroom::new(Sequential::new(&b, zoo::lenet_relu(), Init::HeNormal, 4).unwrap())
    }

    #[test]
    fn a_step_moves_every_weight_by_minus_lr_times_its_gradient_and_lowers_the_loss() {
        let mut c = lenet();
        let img = digit_like();
        let (loss0, probs) = c.forward(&img, 0).unwrap();
        assert!((probs.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        assert!((loss0 + probs[0].ln()).abs() < 1e-4, "the loss is −log p(label)");
        c.backward().unwrap();
        let dlogits = c.logit_grad();
        let want: Vec<f32> = probs.iter().enumerate().map(|(k, p)| p - if k == 0 { 1.0 } else { 0.0 }).collect();
        for (a, b) in dlogits.iter().zip(&want) {
            assert!((a - b).abs() < 1e-6);
        }
        assert_eq!(c.output_grad(11).unwrap(), dlogits, "the last layer's output gradient is ∂L/∂logits");
        let (w, g) = c.param("0.weight").unwrap();
        let lr = 0.05;
        let updates = c.step(lr).unwrap();
        assert_eq!(updates.len(), 10);
        let (w1, _) = c.param("0.weight").unwrap();
        for i in 0..w.len() {
            assert!((w1[i] - (w[i] - lr * g[i])).abs() <= 1e-7 * (1.0 + w[i].abs()), "entry {i}");
        }
        for u in &updates {
            assert!((u.after - (u.before - lr * u.grad)).abs() <= 1e-6, "{u:?}");
        }
        let (loss1, _) = c.forward(&img, 0).unwrap();
        assert!(loss1 < loss0, "{loss0} -> {loss1}");
    }

    #[test]
    fn each_layer_says_what_its_backward_did_with_this_steps_numbers() {
        let mut c = lenet();
        let img = digit_like();
        let Suggestion { predicted: best, suggested: second, probs } = c.suggest(&img).unwrap();
        assert!(best != second && probs[best] >= probs[second]);
        assert!(probs.iter().all(|&p| p <= probs[best]) && probs.iter().enumerate().all(|(k, &p)| k == best || p <= probs[second]));
        c.forward(&img, second).unwrap();
        c.backward().unwrap();
        // lenet-relu: 0 conv, 1 relu, 2 maxpool, 3 conv, 4 relu, 5 maxpool, 6 flatten, 7 dense, 8 relu, 9 dense, 10 relu, 11 dense.
        let last = c.layer_gradient(11).unwrap();
        let (_, g) = c.param("11.weight").unwrap();
        let norm = g.iter().map(|v| v * v).sum::<f32>().sqrt();
        assert_eq!(last.weight_norm, Some(norm));
        assert_eq!(last.weight_grad.as_deref(), Some(&g[..]));
        assert!(last.story.to_string().starts_with("The last layer's output gradient is ∂L/∂logits"), "{}", last.story);
        let relu = c.layer_gradient(10).unwrap();
        let dx = c.output_grad(9).unwrap();
        let passed = dx.iter().filter(|v| **v != 0.0).count();
        assert!(relu.story.to_string().contains(&format!("{passed} of 84 values reach layer 9")), "{}", relu.story);
        let pool = c.layer_gradient(5).unwrap().story.to_string();
        assert!(pool.starts_with("Max pooling") && pool.contains("of 1600 values of layer 4"), "{pool}");
        let conv = c.layer_gradient(3).unwrap();
        assert_eq!((conv.in_channels, conv.kernel), (6, 5));
        assert_eq!(conv.weight_grad.as_ref().map(Vec::len), Some(16 * 6 * 25));
        assert!(c.layer_gradient(0).unwrap().story.to_string().starts_with("The first convolution"));
        assert!(c.layer_gradient(6).unwrap().story.to_string().contains("laid out as (1, 16, 5, 5)"));
        for i in 0..12 {
            assert!(c.layer_gradient(i).unwrap().story.is_complete(), "layer {i}");
        }
    }

    #[test]
    fn steps_out_of_order_are_refused() {
        let mut c = lenet();
        assert!(c.backward().is_err());
        assert!(c.output_grad(0).is_err());
        c.forward(&digit_like(), 3).unwrap();
        assert!(c.step(0.1).is_err(), "no gradients yet");
        c.backward().unwrap();
        assert!(c.step(f32::NAN).is_err());
        assert!(c.forward(&[0.0; 10], 0).is_err());
        assert!(c.forward(&digit_like(), 10).is_err());
    }

    #[test]
    fn gradients_vanish_through_deep_sigmoids_and_not_through_relus() {
        let img = digit_like();
        let sig = gradient_norms(ActKind::Sigmoid, 8, 32, &img, 3, 1).unwrap();
        let relu = gradient_norms(ActKind::Relu, 8, 32, &img, 3, 1).unwrap();
        assert_eq!(sig.len(), 9);
        // From the output layer to the first, sigmoid's gradient shrinks by orders of magnitude.
        assert!(sig[0] < sig[8] * 1e-3, "{sig:?}");
        assert!(relu[0] > relu[8] * 1e-1, "{relu:?}");
    }
}
