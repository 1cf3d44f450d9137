//! The network behind the drawing pad (`predictor::Predictor`), on the page's own thread.

use wasm_bindgen::prelude::*;

use super::{js_error, plain, to_js};
use crate::predictor;

#[wasm_bindgen]
pub struct Predictor {
    inner: predictor::Predictor,
}

#[wasm_bindgen]
impl Predictor {
    /// Load a model file (the page's shipped LeNet, or one the learner saved); any problem is an
    /// error that says what, and nothing is built.
    #[wasm_bindgen(js_name = fromFile)]
    pub fn from_file(bytes: &[u8]) -> Result<Predictor, JsValue> {
        Ok(Predictor { inner: predictor::Predictor::from_file(bytes).map_err(js_error)? })
    }

    /// Replace the weights (or the whole network) with a model file's; on any error nothing changes.
    pub fn update(&mut self, bytes: &[u8]) -> Result<(), JsValue> {
        self.inner.update(bytes).map_err(js_error)
    }

    /// The network as a model file, to save.
    #[wasm_bindgen(js_name = toFile)]
    pub fn to_file(&self) -> Vec<u8> {
        self.inner.to_file()
    }

    /// The network's spec as JSON (what `Training.buildSpec` rebuilds fresh).
    #[wasm_bindgen(getter, js_name = specJson)]
    pub fn spec_json(&self) -> String {
        serde_json::to_string(&self.inner.model.spec).expect("a spec serialises")
    }

    /// The network as PyTorch code that loads `pytorchWeights()` (strict).
    #[wasm_bindgen(js_name = pytorchCode)]
    pub fn pytorch_code(&self) -> Result<String, JsValue> {
        crate::export::pytorch_code(&self.inner.model.spec).map_err(js_error)
    }

    /// The weights as a safetensors file holding the `state_dict()` of `pytorchCode()`'s model.
    #[wasm_bindgen(js_name = pytorchWeights)]
    pub fn pytorch_weights(&self) -> Result<Vec<u8>, JsValue> {
        self.inner.pytorch_weights().map_err(js_error)
    }

    /// The file name `pytorchCode()` loads the weights from.
    #[wasm_bindgen(getter, js_name = pytorchWeightsName)]
    pub fn pytorch_weights_name(&self) -> String {
        crate::export::weights_file_name(&self.inner.model.spec)
    }

    /// The spec's name, e.g. "lenet-relu".
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.inner.model.spec.name.clone()
    }

    /// The activation of the network's hidden layers ("relu"), or "" if it has none.
    #[wasm_bindgen(getter)]
    pub fn activation(&self) -> String {
        self.inner.activation()
    }

    /// One 28×28 image's `{ probs, predicted }`; every layer's output is kept for `output`.
    pub fn predict(&mut self, image: &[f32]) -> Result<JsValue, JsValue> {
        Ok(to_js(&self.inner.predict(image).map_err(js_error)?))
    }

    /// For the page's benchmark: microseconds per forward pass over `reps` passes of `image`,
    /// timed inside wasm (`performance.now()`), so the JavaScript call and its copies are not
    /// counted.
    #[wasm_bindgen(js_name = benchForward)]
    pub fn bench_forward(&mut self, image: &[f32], reps: u32) -> Result<f64, JsValue> {
        let perf = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).map_err(|_| plain("no performance clock"))?;
        let now: js_sys::Function = js_sys::Reflect::get(&perf, &"now".into()).map_err(|_| plain("no performance.now"))?.into();
        let clock = || now.call0(&perf).ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
        if image.len() != 784 || reps == 0 {
            return Err(plain("benchForward needs a 784-value image and at least one repetition"));
        }
        let t0 = clock();
        for _ in 0..reps {
            self.inner.forward(image);
        }
        Ok((clock() - t0) * 1000.0 / reps as f64)
    }

    /// The rows of the layer-by-layer view (`model::LayerView`s): every layer, then the softmax.
    pub fn layers(&self) -> JsValue {
        to_js(&self.inner.views())
    }

    /// The output of row `index` of `layers()` for the last prediction (channel-major).
    pub fn output(&self, index: usize) -> Result<Vec<f32>, JsValue> {
        self.inner.output(index).ok_or_else(|| plain(&format!("no output {index}: predict first, and ask for a row of layers()")))
    }

    /// The 28×28 image of the last prediction: what the network saw.
    pub fn input(&self) -> Result<Vec<f32>, JsValue> {
        self.inner.input().ok_or_else(|| plain("nothing has been predicted yet"))
    }

    /// Output (channel, y, x) of conv layer `layer` taken apart (`inspect::ConvInspection`).
    pub fn inspect(&self, layer: usize, channel: usize, y: usize, x: usize) -> Result<JsValue, JsValue> {
        Ok(to_js(&self.inner.inspect(layer, channel, y, x).map_err(js_error)?))
    }
}
