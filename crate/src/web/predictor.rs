//! The network behind the drawing pad, on the page's own thread: predictions while the learner
//! draws, every layer's output for the step-through view, and the convolution inspector. It runs
//! on the CPU backend even when training uses WebGPU: one 28×28 image takes tens of
//! microseconds here, less than a single GPU readback would wait. The training worker sends its
//! weights over (as a model file) and `update` loads them.

use wasm_bindgen::prelude::*;

use super::{js_error, message_js, plain};
use crate::backend::{ActKind, Backend, METRICS_LEN};
use crate::digit;
use crate::format;
use crate::init::Init;
use crate::inspect::inspect_conv;
use crate::model::{zoo, Layer, Mode, ModelSpec, Sequential};
use crate::tensor::Shape;
use crate::Cpu;

/// Refuse, with a sentence the page can show, a network that cannot read the pad's digits or
/// that does not fit the browser's memory budget (`model::budget`): checked before anything of
/// it is allocated.
pub(crate) fn check_digit_model(spec: &ModelSpec) -> Result<(), JsValue> {
    digit::check_model(spec).map_err(js_error)?;
    spec.check_budget(1, crate::model::Budget::HERE).map_err(js_error)?;
    Ok(())
}

/// `lenet-relu` with another activation: the model the page trains.
pub(crate) fn digit_spec(activation: &str) -> Result<ModelSpec, JsValue> {
    let kind = ActKind::parse(activation)
        .ok_or_else(|| plain(&format!("unknown activation '{activation}'; choose sigmoid, tanh, relu or leaky-relu")))?;
    let mut spec = zoo::lenet_relu().with_activation(kind);
    spec.name = format!("lenet-{}", kind.name());
    Ok(spec)
}

pub(crate) fn parse_init(init: &str) -> Result<Init, JsValue> {
    Init::parse(init).ok_or_else(|| plain(&format!("unknown initialisation '{init}'; choose xavier, he, gaussian:SIGMA or uniform:A")))
}

/// One row of the step-through view.
#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug)]
pub struct LayerView {
    /// 0-based, as in the layer table; the softmax row has the index after the last layer.
    pub index: usize,
    /// "Conv2d 6@5×5, pad 2" (English)
    pub label: String,
    /// The same as a sentence for the page's language: `{ key, args }`.
    #[wasm_bindgen(js_name = labelText)]
    pub label_text: JsValue,
    /// conv, pool, activation, flatten, dense, dropout, batchnorm or softmax.
    pub kind: String,
    /// "(N, 6, 28, 28)": the shape as textbooks write it, the batch as N.
    pub shape: String,
    /// Output channels, height and width; a flat output has channels = features, height = width = 0.
    pub channels: usize,
    pub height: usize,
    pub width: usize,
    pub params: f64,
}

/// Everything that produced one value of a conv layer's output (see `inspect.rs`).
#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug)]
pub struct ConvParts {
    pub layer: usize,
    pub channel: usize,
    pub y: usize,
    pub x: usize,
    #[wasm_bindgen(js_name = inChannels)]
    pub in_channels: usize,
    pub kernel: usize,
    /// Input row and column of the window's top-left cell (negative inside the padding).
    pub top: i32,
    pub left: i32,
    pub window: Vec<f32>,
    /// 1 where the window cell is padding, else 0.
    pub padding: Vec<u8>,
    pub weights: Vec<f32>,
    pub products: Vec<f32>,
    /// Σ products of each input channel.
    #[wasm_bindgen(js_name = channelSums)]
    pub channel_sums: Vec<f32>,
    pub sum: f32,
    pub bias: f32,
    pub value: f32,
    pub stored: f32,
    /// The activation applied after the conv ("ReLU"), or undefined.
    pub activation: Option<String>,
    pub activated: Option<f32>,
    /// The sum as the page writes it (`inspect::written_sum`): the channels' sums then the bias,
    /// the value they add up to, and the decimals they are written with.
    #[wasm_bindgen(js_name = writtenTerms)]
    pub written_terms: Vec<f64>,
    #[wasm_bindgen(js_name = writtenValue)]
    pub written_value: f64,
    pub decimals: usize,
}

#[wasm_bindgen]
pub struct Predictor {
    cpu: Cpu,
    model: Sequential<Cpu>,
    /// The softmax is computed by the loss kernel; its label, gradient and metrics go unused.
    probs: <Cpu as Backend>::Tensor,
    dlogits: <Cpu as Backend>::Tensor,
    label: <Cpu as Backend>::Tensor,
    metrics: <Cpu as Backend>::Tensor,
    predicted: bool,
}

#[wasm_bindgen]
impl Predictor {
    /// Load a model file (the page's shipped LeNet, or one the learner saved). Any problem — not a
    /// model file, truncated, made for other images — is an error and nothing is built.
    #[wasm_bindgen(js_name = fromFile)]
    pub fn from_file(bytes: &[u8]) -> Result<Predictor, JsValue> {
        let cpu = Cpu::new();
        let file = format::decode(bytes).map_err(js_error)?;
        check_digit_model(&file.spec)?;
        let mut model = Sequential::new(&cpu, file.spec, Init::Uniform { a: 0.0 }, 0).map_err(js_error)?;
        model.load_state(&cpu, &file.tensors).map_err(js_error)?;
        Ok(Self::with_model(cpu, model))
    }

    /// A freshly initialised digit LeNet with `activation` (sigmoid, tanh, relu, leaky-relu) and
    /// `init` (xavier, he, gaussian:σ, uniform:a), drawn from `seed`.
    pub fn fresh(activation: &str, init: &str, seed: u32) -> Result<Predictor, JsValue> {
        let cpu = Cpu::new();
        let model = Sequential::new(&cpu, digit_spec(activation)?, parse_init(init)?, seed as u64).map_err(js_error)?;
        Ok(Self::with_model(cpu, model))
    }

    fn with_model(cpu: Cpu, model: Sequential<Cpu>) -> Predictor {
        let out = Shape::nf(1, digit::CLASSES);
        Predictor {
            probs: cpu.zeros(&out),
            dlogits: cpu.zeros(&out),
            label: cpu.zeros(&Shape(vec![1])),
            metrics: cpu.zeros(&Shape(vec![METRICS_LEN])),
            model,
            cpu,
            predicted: false,
        }
    }

    /// Replace the weights with those of a model file (sent by the training worker, or loaded by
    /// the learner). A file for another architecture rebuilds the network. On any error the
    /// current network is left exactly as it was.
    pub fn update(&mut self, bytes: &[u8]) -> Result<(), JsValue> {
        let file = format::decode(bytes).map_err(js_error)?;
        check_digit_model(&file.spec)?;
        if file.spec == self.model.spec {
            // load_state checks every tensor before it writes any.
            self.model.load_state(&self.cpu, &file.tensors).map_err(js_error)?;
        } else {
            let mut model = Sequential::new(&self.cpu, file.spec, Init::Uniform { a: 0.0 }, 0).map_err(js_error)?;
            model.load_state(&self.cpu, &file.tensors).map_err(js_error)?;
            self.model = model;
        }
        self.predicted = false;
        Ok(())
    }

    /// The network as a model file, to save.
    #[wasm_bindgen(js_name = toFile)]
    pub fn to_file(&self) -> Vec<u8> {
        format::save_model(&self.cpu, &self.model)
    }

    /// The network as PyTorch code: `model = nn.Sequential(...)` with exactly these layers, and
    /// the lines that load `pytorchWeights()` into it (strict).
    #[wasm_bindgen(js_name = pytorchCode)]
    pub fn pytorch_code(&self) -> Result<String, JsValue> {
        crate::export::pytorch_code(&self.model.spec).map_err(js_error)
    }

    /// The weights as a safetensors file whose names and layouts are the `state_dict()` of the
    /// `pytorchCode()` model.
    #[wasm_bindgen(js_name = pytorchWeights)]
    pub fn pytorch_weights(&self) -> Result<Vec<u8>, JsValue> {
        crate::export::pytorch_safetensors(&self.model.spec, &self.model.state(&self.cpu)).map_err(js_error)
    }

    /// The file name `pytorchCode()` loads the weights from.
    #[wasm_bindgen(getter, js_name = pytorchWeightsName)]
    pub fn pytorch_weights_name(&self) -> String {
        crate::export::weights_file_name(&self.model.spec)
    }

    /// The spec's name, e.g. "lenet-relu".
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.model.spec.name.clone()
    }

    /// The activation of the network's hidden layers ("relu"), or "" if it has none.
    #[wasm_bindgen(getter)]
    pub fn activation(&self) -> String {
        self.model.spec.layers.iter().find_map(|l| l.activation()).map(|k| k.name()).unwrap_or_default()
    }

    /// Class probabilities for one 28×28 image (784 values, ink 1 on paper 0), in evaluation
    /// mode. Every layer's output is kept for `output`.
    pub fn predict(&mut self, image: &[f32]) -> Result<Vec<f32>, JsValue> {
        let want: usize = digit::INPUT.iter().product();
        if image.len() != want {
            return Err(plain(&format!("an image for this network has {want} values (1×28×28), not {}", image.len())));
        }
        if let Some(i) = image.iter().position(|v| !v.is_finite()) {
            return Err(plain(&format!("pixel {i} of the image is {}, not a number", image[i])));
        }
        let b = &self.cpu;
        self.model.set_input(b, image, 1);
        self.model.forward(b, Mode::Eval);
        b.softmax_cross_entropy(self.model.output(), &self.label, &mut self.probs, &mut self.dlogits, &mut self.metrics);
        self.predicted = true;
        let probs = b.read(&self.probs);
        if probs.iter().any(|p| !p.is_finite()) {
            return Err(js_error(crate::message::Message::from(crate::train::text::BLOWN_UP)));
        }
        Ok(probs)
    }

    /// For the page's benchmark: microseconds per forward pass over `reps` passes of `image` —
    /// the input copied in and every layer run, every activation kept — timed inside wasm with
    /// `performance.now()`, so the JavaScript call and its copies are not counted (the bench
    /// reports `predict()` from JavaScript beside it).
    #[wasm_bindgen(js_name = benchForward)]
    pub fn bench_forward(&mut self, image: &[f32], reps: u32) -> Result<f64, JsValue> {
        let want: usize = digit::INPUT.iter().product();
        if image.len() != want || reps == 0 {
            return Err(plain(&format!("benchForward needs a {want}-value image and at least one repetition")));
        }
        let perf = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).map_err(|_| plain("no performance clock"))?;
        let now: js_sys::Function = js_sys::Reflect::get(&perf, &"now".into()).map_err(|_| plain("no performance.now"))?.into();
        let clock = || now.call0(&perf).ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
        let b = &self.cpu;
        let t0 = clock();
        for _ in 0..reps {
            self.model.set_input(b, image, 1);
            self.model.forward(b, Mode::Eval);
        }
        let micros = (clock() - t0) * 1000.0 / reps as f64;
        self.predicted = false;
        Ok(micros)
    }

    /// The rows of the step-through view: every layer, then the softmax.
    pub fn layers(&self) -> Vec<LayerView> {
        layer_views(&self.model)
    }

    /// The output of row `index` of `layers()` for the last prediction (channel-major, as the
    /// shape says); the softmax row gives the probabilities.
    pub fn output(&self, index: usize) -> Result<Vec<f32>, JsValue> {
        if !self.predicted {
            return Err(plain("nothing has been predicted yet: draw a digit first"));
        }
        let layers = self.model.layers.len();
        match index {
            i if i < layers => Ok(self.cpu.read(&self.model.activations()[i + 1])),
            i if i == layers => Ok(self.cpu.read(&self.probs)),
            i => Err(plain(&format!("there is no layer {i}; the network has {layers} layers and a softmax"))),
        }
    }

    /// The 28×28 image of the last prediction: what the network saw.
    pub fn input(&self) -> Result<Vec<f32>, JsValue> {
        if !self.predicted {
            return Err(plain("nothing has been predicted yet: draw a digit first"));
        }
        Ok(self.cpu.read(&self.model.activations()[0]))
    }

    /// Take apart output (channel, y, x) of conv layer `layer` for the last prediction.
    pub fn inspect(&self, layer: usize, channel: usize, y: usize, x: usize) -> Result<ConvParts, JsValue> {
        if !self.predicted {
            return Err(plain("nothing has been predicted yet: draw a digit first"));
        }
        let i = inspect_conv(&self.cpu, &self.model, layer, channel, y, x).map_err(js_error)?;
        Ok(ConvParts {
            layer: i.layer,
            channel: i.channel,
            y: i.y,
            x: i.x,
            in_channels: i.in_channels,
            kernel: i.kernel,
            top: i.top as i32,
            left: i.left as i32,
            window: i.window,
            padding: i.padding.iter().map(|&p| p as u8).collect(),
            weights: i.weights,
            products: i.products,
            channel_sums: i.channel_sums,
            sum: i.sum,
            bias: i.bias,
            value: i.value,
            stored: i.stored,
            activation: i.activation,
            activated: i.activated,
            written_terms: i.written.terms,
            written_value: i.written.total,
            decimals: i.written.decimals,
        })
    }
}

/// Every layer of `model` as a row of the step-through view, then the softmax.
pub(crate) fn layer_views(model: &Sequential<Cpu>) -> Vec<LayerView> {
    let mut rows: Vec<LayerView> = model
        .infos()
        .iter()
        .zip(&model.layers)
        .map(|(info, layer)| {
            let (channels, height, width) = match info.output.dims().len() {
                4 => info.output.chw(),
                _ => (info.output.per_example(), 0, 0),
            };
            LayerView {
                index: info.index,
                label: info.label.to_string(),
                label_text: message_js(&info.label),
                kind: kind(layer).into(),
                shape: info.output.to_string(),
                channels,
                height,
                width,
                params: info.params as f64,
            }
        })
        .collect();
    rows.push(LayerView {
        index: rows.len(),
        label: crate::model::text::SOFTMAX.en.into(),
        label_text: message_js(&crate::model::text::SOFTMAX.into()),
        kind: "softmax".into(),
        shape: Shape::nf(0, digit::CLASSES).to_string(),
        channels: digit::CLASSES,
        height: 0,
        width: 0,
        params: 0.0,
    });
    rows
}

fn kind(layer: &Layer<Cpu>) -> &'static str {
    match layer {
        Layer::Conv2d(_) => "conv",
        Layer::Pool2d(_) => "pool",
        Layer::Dense(_) => "dense",
        Layer::Flatten => "flatten",
        Layer::Activation(_) => "activation",
        Layer::Dropout(_) => "dropout",
        Layer::BatchNorm2d(_) => "batchnorm",
    }
}
