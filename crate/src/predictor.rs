//! The network behind the drawing pad: a digit model on the CPU backend, one image at a time,
//! every layer's output kept for the layer-by-layer views and the convolution inspector. It runs
//! on the CPU even when training uses a GPU: one 28×28 image takes tens of microseconds, less
//! than a single GPU readback would wait. A model file (the shipped LeNet, one the learner
//! loaded, or the weights the training worker sends) replaces what it holds.

use serde::Serialize;

use crate::backend::Backend;
use crate::check;
use crate::digit;
use crate::format;
use crate::inspect::{inspect_conv, ConvInspection, InspectError};
use crate::message::{Explain, Message};
use crate::model::{LayerView, Mode, Sequential};
use crate::tensor::Shape;
use crate::{Cpu, Error};

/// One prediction: the ten probabilities and the digit with the largest.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Prediction {
    pub probs: Vec<f32>,
    pub predicted: usize,
}

/// Why a prediction cannot be made.
#[derive(Clone, Debug, PartialEq)]
pub enum PredictError {
    /// Not 784 values (a bug in the caller).
    WrongSize { got: usize, want: usize },
    NotFinite(check::NotFinite),
    /// The weights gave probabilities that are not numbers: they have blown up.
    BlownUp,
}

pub mod text {
    crate::templates! {
        WRONG_SIZE = "predict.wrongSize": "an image for this network has {want} values (1×28×28), not {got}";
        IMAGE = "predict.image": "the image";
    }
}

impl Explain for PredictError {
    fn message(&self) -> Message {
        match self {
            PredictError::WrongSize { got, want } => Message::new(text::WRONG_SIZE).with("want", want).with("got", got),
            PredictError::NotFinite(e) => e.message(),
            PredictError::BlownUp => crate::train::text::BLOWN_UP.into(),
        }
    }
}
crate::explained_error!(PredictError);

pub struct Predictor {
    cpu: Cpu,
    pub model: Sequential<Cpu>,
    probs: <Cpu as Backend>::Tensor,
    /// Whether every layer holds the output of a prediction (not of a benchmark's passes).
    predicted: bool,
}

impl Predictor {
    /// The network of a model file, which must read the pad's 28×28 digits and name ten classes.
    /// Any problem — not a model file, truncated, made for other images, too large — is an error
    /// and nothing is kept.
    pub fn from_file(bytes: &[u8]) -> Result<Predictor, Error> {
        let cpu = Cpu::new();
        let model = digit::load_model(&cpu, bytes)?;
        let probs = cpu.zeros(&Shape::nf(1, digit::CLASSES));
        Ok(Predictor { cpu, model, probs, predicted: false })
    }

    /// Replace the network with a model file's (the training worker's new weights, or another
    /// model altogether). On any error the current network is left exactly as it was.
    pub fn update(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let file = format::decode(bytes)?;
        if file.spec == self.model.spec {
            // load_state checks every tensor before it writes any.
            self.model.load_state(&self.cpu, &file.tensors)?;
        } else {
            self.model = digit::load_model(&self.cpu, bytes)?;
        }
        self.predicted = false;
        Ok(())
    }

    /// The network as a model file.
    pub fn to_file(&self) -> Vec<u8> {
        format::save_model(&self.cpu, &self.model)
    }

    /// The weights as a safetensors file whose names and layouts are the `state_dict()` of the
    /// network's PyTorch code.
    pub fn pytorch_weights(&self) -> Result<Vec<u8>, Error> {
        crate::export::pytorch_safetensors(&self.model.spec, &self.model.state(&self.cpu))
    }

    /// The activation of the network's hidden layers ("relu"), or "" if it has none.
    pub fn activation(&self) -> String {
        self.model.spec.layers.iter().find_map(|l| l.activation()).map(|k| k.name()).unwrap_or_default()
    }

    /// Class probabilities of one 28×28 image (784 values, ink 1 on paper 0), in evaluation mode,
    /// by the backend's softmax. Every layer's output is kept for `output`.
    pub fn predict(&mut self, image: &[f32]) -> Result<Prediction, PredictError> {
        let want: usize = digit::INPUT.iter().product();
        if image.len() != want {
            return Err(PredictError::WrongSize { got: image.len(), want });
        }
        check::finite(text::IMAGE, image).map_err(PredictError::NotFinite)?;
        self.forward(image);
        self.cpu.softmax(self.model.output(), &mut self.probs);
        self.predicted = true;
        let probs = self.cpu.read(&self.probs);
        if probs.iter().any(|p| !p.is_finite()) {
            return Err(PredictError::BlownUp);
        }
        // The first of equal largest values, as PyTorch's argmax.
        let predicted = (0..probs.len()).fold(0, |best, k| if probs[k] > probs[best] { k } else { best });
        Ok(Prediction { probs, predicted })
    }

    /// The image through every layer, every output kept (what `predict` and the bench time).
    pub fn forward(&mut self, image: &[f32]) {
        self.model.set_input(&self.cpu, image, 1);
        self.model.forward(&self.cpu, Mode::Eval);
        self.predicted = false;
    }

    /// The rows of the layer-by-layer view: every layer, then the softmax.
    pub fn views(&self) -> Vec<LayerView> {
        self.model.views()
    }

    /// The output of row `index` of `views()` for the last prediction (channel-major, as the
    /// shape says); the softmax row gives the probabilities. `None` before any prediction, or for
    /// a row there is not.
    pub fn output(&self, index: usize) -> Option<Vec<f32>> {
        if !self.predicted {
            return None;
        }
        let layers = self.model.layers.len();
        match index {
            i if i < layers => Some(self.cpu.read(&self.model.activations()[i + 1])),
            i if i == layers => Some(self.cpu.read(&self.probs)),
            _ => None,
        }
    }

    /// The 28×28 image of the last prediction: what the network saw.
    pub fn input(&self) -> Option<Vec<f32>> {
        self.predicted.then(|| self.cpu.read(&self.model.activations()[0]))
    }

    /// Take apart output (channel, y, x) of conv layer `layer` for the last prediction.
    pub fn inspect(&self, layer: usize, channel: usize, y: usize, x: usize) -> Result<ConvInspection, InspectError> {
        if !self.predicted {
            return Err(InspectError::NoForwardPass);
        }
        inspect_conv(&self.cpu, &self.model, layer, channel, y, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Vec<u8> {
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../www/models/lenet-mnist.cnn")).unwrap()
    }

    #[test]
    fn the_shipped_lenet_reads_a_sample_digit_and_keeps_every_layer() {
        let mut p = Predictor::from_file(&shipped()).unwrap();
        assert_eq!(p.output(0), None, "nothing before a prediction");
        let r = p.predict(&digit::sample(7).unwrap()).unwrap();
        assert_eq!(r.predicted, 7);
        assert!((r.probs.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        assert_eq!(p.output(12).unwrap(), r.probs, "the softmax row is the prediction");
        assert_eq!(p.output(0).unwrap().len(), 6 * 28 * 28);
        assert_eq!(p.input().unwrap(), digit::sample(7).unwrap());
        assert!(p.inspect(0, 0, 14, 14).is_ok());
        assert!(matches!(p.predict(&[0.0; 10]), Err(PredictError::WrongSize { got: 10, want: 784 })));
        let mut nan = digit::sample(1).unwrap();
        nan[3] = f32::NAN;
        assert_eq!(p.predict(&nan).unwrap_err().to_string(), "the image: value 3 is NaN, not a finite number");
    }

    #[test]
    fn a_bad_file_leaves_the_network_as_it_was() {
        let mut p = Predictor::from_file(&shipped()).unwrap();
        let before = p.to_file();
        assert!(p.update(b"not a model").is_err());
        assert!(p.update(&shipped()[..100]).is_err());
        assert_eq!(p.to_file(), before);
        assert!(Predictor::from_file(b"").is_err());
    }
}
