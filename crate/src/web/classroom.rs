//! Backprop in a CNN, one step at a time, for the page's classroom chapter (`classroom.rs`).

use wasm_bindgen::prelude::*;

use super::{js_error, plain, to_js};
use crate::classroom;
use crate::{check, digit, Cpu};

#[wasm_bindgen]
pub struct Classroom {
    inner: classroom::Classroom,
}

#[wasm_bindgen]
impl Classroom {
    /// A copy of a digit network from its model file (the pad's, so the lesson never changes it).
    #[wasm_bindgen(js_name = fromFile)]
    pub fn from_file(bytes: &[u8]) -> Result<Classroom, JsValue> {
        Ok(Classroom { inner: classroom::Classroom::new(digit::load_model(&Cpu::new(), bytes).map_err(js_error)?) })
    }

    /// The rows of the lesson (`model::LayerView`s), the softmax last.
    pub fn layers(&self) -> JsValue {
        to_js(&self.inner.model.views())
    }

    /// Forward pass and cross-entropy loss of `image` (784 values) labelled `label`: { loss, probs }.
    pub fn forward(&mut self, image: &[f32], label: usize) -> Result<JsValue, JsValue> {
        let (loss, probs) = self.inner.forward(image, label).map_err(|e| plain(&e))?;
        Ok(to_js(&classroom::Loss { loss, probs }))
    }

    pub fn backward(&mut self) -> Result<(), JsValue> {
        self.inner.backward().map_err(|e| plain(&e))
    }

    /// Layer `index`'s part of the backward pass (`classroom::LayerGradient`).
    #[wasm_bindgen(js_name = layerGradient)]
    pub fn layer_gradient(&self, index: usize) -> Result<JsValue, JsValue> {
        Ok(to_js(&self.inner.layer_gradient(index).map_err(|e| plain(&e))?))
    }

    /// What the network reads in `image`, and the runner-up to use as the lesson's label.
    pub fn suggest(&mut self, image: &[f32]) -> Result<JsValue, JsValue> {
        Ok(to_js(&self.inner.suggest(image).map_err(|e| plain(&e))?))
    }

    /// ∂L/∂logits = softmax − one-hot.
    #[wasm_bindgen(js_name = logitGrad)]
    pub fn logit_grad(&self) -> Vec<f32> {
        self.inner.logit_grad()
    }

    /// θ ← θ − η·∂L/∂θ for every parameter (plain SGD): each tensor's `classroom::Update`.
    pub fn step(&mut self, lr: f32) -> Result<JsValue, JsValue> {
        Ok(to_js(&self.inner.step(lr).map_err(|e| plain(&e))?))
    }
}

/// ‖∂L/∂W‖ of each dense layer (input side first) of a `depth`-layer network of `width` units
/// with `activation`, after one backward pass on `image` labelled `label`.
#[wasm_bindgen(js_name = gradientNorms)]
pub fn gradient_norms(activation: &str, depth: usize, width: usize, image: &[f32], label: usize, seed: u32) -> Result<Vec<f32>, JsValue> {
    let act = check::activation(activation).map_err(js_error)?;
    if !(1..=32).contains(&depth) || !(1..=512).contains(&width) {
        return Err(plain("choose 1 to 32 layers of 1 to 512 units"));
    }
    classroom::gradient_norms(act, depth, width, image, label, seed as u64).map_err(|e| plain(&e))
}
