//! Backprop in a CNN, one step at a time, for the page's classroom chapter (see `classroom.rs`).

use wasm_bindgen::prelude::*;

use super::predictor::{check_digit_model, layer_views, LayerView};
use super::{js_error, message_js, plain};
use crate::backend::ActKind;
use crate::classroom;
use crate::format;
use crate::init::Init;
use crate::model::Sequential;
use crate::Cpu;

/// The loss and the probabilities of a forward pass.
#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug)]
pub struct LossView {
    pub loss: f32,
    pub probs: Vec<f32>,
}

/// One layer's part of the backward pass (see `classroom::LayerGradient`).
#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug)]
pub struct LayerGradientView {
    pub index: usize,
    /// ∂L/∂(the layer's output), shaped as that output.
    #[wasm_bindgen(js_name = outputGrad)]
    pub output_grad: Vec<f32>,
    /// ∂L/∂W (conv: C_out·C_in·F·F values; dense: out·in), or undefined.
    #[wasm_bindgen(js_name = weightGrad)]
    pub weight_grad: Option<Vec<f32>>,
    #[wasm_bindgen(js_name = weightNorm)]
    pub weight_norm: Option<f32>,
    /// A conv layer's input channels and kernel side (0 for other layers).
    #[wasm_bindgen(js_name = inChannels)]
    pub in_channels: usize,
    pub kernel: usize,
    /// What the layer's backward did, as a sentence for the page's language (`{ key, args }`).
    pub story: JsValue,
}

/// The digit a network reads in an image and the one it ranks second.
#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug)]
pub struct Suggestion {
    pub predicted: usize,
    /// The runner-up: a label that gives the step something to correct.
    pub suggested: usize,
    pub probs: Vec<f32>,
}

/// One tensor's update, by its largest-gradient entry.
#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug)]
pub struct UpdateView {
    pub name: String,
    pub index: usize,
    pub before: f32,
    pub grad: f32,
    pub after: f32,
    #[wasm_bindgen(js_name = gradNorm)]
    pub grad_norm: f32,
}

#[wasm_bindgen]
pub struct Classroom {
    inner: classroom::Classroom,
}

#[wasm_bindgen]
impl Classroom {
    /// A copy of a digit network from its model file (the pad's, so the lesson never changes it).
    #[wasm_bindgen(js_name = fromFile)]
    pub fn from_file(bytes: &[u8]) -> Result<Classroom, JsValue> {
        let file = format::decode(bytes).map_err(js_error)?;
        check_digit_model(&file.spec)?;
        let cpu = Cpu::new();
        let mut model = Sequential::new(&cpu, file.spec, Init::Uniform { a: 0.0 }, 0).map_err(js_error)?;
        model.load_state(&cpu, &file.tensors).map_err(js_error)?;
        Ok(Classroom { inner: classroom::Classroom::new(model) })
    }

    pub fn layers(&self) -> Vec<LayerView> {
        layer_views(&self.inner.model)
    }

    /// Forward pass and cross-entropy loss of `image` (784 values) labelled `label`.
    pub fn forward(&mut self, image: &[f32], label: usize) -> Result<LossView, JsValue> {
        let (loss, probs) = self.inner.forward(image, label).map_err(|e| plain(&e))?;
        Ok(LossView { loss, probs })
    }

    pub fn backward(&mut self) -> Result<(), JsValue> {
        self.inner.backward().map_err(|e| plain(&e))
    }

    /// ∂L/∂(output of layer `index`), shaped as that output.
    #[wasm_bindgen(js_name = outputGrad)]
    pub fn output_grad(&self, index: usize) -> Result<Vec<f32>, JsValue> {
        self.inner.output_grad(index).map_err(|e| plain(&e))
    }

    /// ∂L/∂logits = softmax − one-hot.
    #[wasm_bindgen(js_name = logitGrad)]
    pub fn logit_grad(&self) -> Vec<f32> {
        self.inner.logit_grad()
    }

    /// Layer `index`'s part of the backward pass: its output's gradient, its weights' gradient
    /// and the sentence saying what it did.
    #[wasm_bindgen(js_name = layerGradient)]
    pub fn layer_gradient(&self, index: usize) -> Result<LayerGradientView, JsValue> {
        let g = self.inner.layer_gradient(index).map_err(|e| plain(&e))?;
        Ok(LayerGradientView {
            index: g.index,
            output_grad: g.output_grad,
            weight_grad: g.weight_grad,
            weight_norm: g.weight_norm,
            in_channels: g.in_channels,
            kernel: g.kernel,
            story: message_js(&g.story),
        })
    }

    /// What the network reads in `image`, and the runner-up to use as the lesson's label.
    pub fn suggest(&mut self, image: &[f32]) -> Result<Suggestion, JsValue> {
        let (predicted, suggested, probs) = self.inner.suggest(image).map_err(|e| plain(&e))?;
        Ok(Suggestion { predicted, suggested, probs })
    }

    /// θ ← θ − η·∂L/∂θ for every parameter (plain SGD, the core's optimizer).
    pub fn step(&mut self, lr: f32) -> Result<Vec<UpdateView>, JsValue> {
        let updates = self.inner.step(lr).map_err(|e| plain(&e))?;
        Ok(updates
            .into_iter()
            .map(|u| UpdateView { name: u.name, index: u.index, before: u.before, grad: u.grad, after: u.after, grad_norm: u.grad_norm })
            .collect())
    }
}

/// ‖∂L/∂W‖ of each dense layer (input side first) of a `depth`-layer network of `width` units
/// with `activation`, after one backward pass on `image` labelled `label`.
#[wasm_bindgen(js_name = gradientNorms)]
pub fn gradient_norms(activation: &str, depth: usize, width: usize, image: &[f32], label: usize, seed: u32) -> Result<Vec<f32>, JsValue> {
    let act = ActKind::parse(activation).ok_or_else(|| plain(&format!("unknown activation '{activation}'")))?;
    if !(1..=32).contains(&depth) || !(1..=512).contains(&width) {
        return Err(plain("choose 1 to 32 layers of 1 to 512 units"));
    }
    classroom::gradient_norms(act, depth, width, image, label, seed as u64).map_err(|e| plain(&e))
}
