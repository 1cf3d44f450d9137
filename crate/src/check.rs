//! Checks on what a person hands the core, each with the one sentence that says what is wrong:
//! a number that must be finite, the name of an activation. Every place that takes such input —
//! the chapters' lessons, the pad's network, the CLI — uses these, so the learner meets one
//! wording for one mistake, in both languages.

use crate::backend::ActKind;
use crate::message::{Explain, Message};

/// A value that is NaN or infinite where a number is needed: the one not-a-number error of the
/// core, for a lesson's inputs, a spec's settings and a model file's or a model's weights.
#[derive(Clone, Debug, PartialEq)]
pub struct NotFinite {
    /// What the value belongs to ("neuron weights", "tensor 3.weight", "slope"…).
    pub what: Message,
    /// Its position among `what`'s values; `None` for a single number.
    pub index: Option<usize>,
    pub value: f32,
}

/// A name that is none of the activations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownActivation(pub String);

/// A name that is none of the initialisations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownInit(pub String);

/// A name that is none of the optimizers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownOptimizer(pub String);

pub mod text {
    crate::templates! {
        NOT_FINITE = "check.notFinite": "{what}: value {index} is {value}, not a finite number";
        NOT_FINITE_ONE = "check.notFiniteOne": "{what} is {value}, not a finite number";
        NAMED = "check.named": "{name}";
        TENSOR = "check.tensor": "tensor {name}";
        UNKNOWN_ACTIVATION = "check.unknownActivation": "unknown activation '{name}'; the activations are: sigmoid, tanh, relu, leaky-relu (or leaky-relu:slope)";
        UNKNOWN_INIT = "check.unknownInit": "unknown initialisation '{name}'; the initialisations are: xavier, he, gaussian:σ, uniform:a";
        UNKNOWN_OPTIMIZER = "check.unknownOptimizer": "unknown optimizer '{name}'; the optimizers are: sgd, momentum, adam";
    }
}

impl Explain for NotFinite {
    fn message(&self) -> Message {
        match self.index {
            Some(index) => Message::new(text::NOT_FINITE).nested("what", self.what.clone()).with("index", index).with("value", self.value),
            None => Message::new(text::NOT_FINITE_ONE).nested("what", self.what.clone()).with("value", self.value),
        }
    }
}
crate::explained_error!(NotFinite);

impl Explain for UnknownActivation {
    fn message(&self) -> Message {
        Message::new(text::UNKNOWN_ACTIVATION).with("name", &self.0)
    }
}
crate::explained_error!(UnknownActivation);

impl Explain for UnknownInit {
    fn message(&self) -> Message {
        Message::new(text::UNKNOWN_INIT).with("name", &self.0)
    }
}
crate::explained_error!(UnknownInit);

impl Explain for UnknownOptimizer {
    fn message(&self) -> Message {
        Message::new(text::UNKNOWN_OPTIMIZER).with("name", &self.0)
    }
}
crate::explained_error!(UnknownOptimizer);

/// The optimizer named as the page and the CLI name them (`sgd`, `momentum`, `adam`).
pub fn optimizer(name: &str) -> Result<crate::optim::OptimKind, UnknownOptimizer> {
    crate::optim::OptimKind::parse(name).ok_or_else(|| UnknownOptimizer(name.to_string()))
}

/// The initialisation named as the page and the CLI name them (`xavier`, `he`, `gaussian:0.01`,
/// `uniform:0.1`).
pub fn init(name: &str) -> Result<crate::init::Init, UnknownInit> {
    crate::init::Init::parse(name).ok_or_else(|| UnknownInit(name.to_string()))
}

/// Every value of `xs` (which belong to `what`) is a finite number.
pub fn finite(what: impl Into<Message>, xs: &[f32]) -> Result<(), NotFinite> {
    match xs.iter().position(|x| !x.is_finite()) {
        Some(index) => Err(NotFinite { what: what.into(), index: Some(index), value: xs[index] }),
        None => Ok(()),
    }
}

/// `value` (which is `what`) is a finite number.
pub fn finite_one(what: impl Into<Message>, value: f32) -> Result<(), NotFinite> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(NotFinite { what: what.into(), index: None, value })
    }
}

/// A tensor by its state-dict name ("3.weight"), for `finite`.
pub fn tensor(name: &str) -> Message {
    Message::new(text::TENSOR).with("name", name)
}

/// The activation named as the page and the CLI name them (`sigmoid`, `tanh`, `relu`,
/// `leaky-relu`, `leaky-relu:0.1`).
pub fn activation(name: &str) -> Result<ActKind, UnknownActivation> {
    ActKind::parse(name).ok_or_else(|| UnknownActivation(name.to_string()))
}

/// A value's own name (w₁₁, x₁), for `finite`.
pub fn named(name: &str) -> Message {
    Message::new(text::NAMED).with("name", name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_sentence_for_each_mistake() {
        let e = finite(named("w₁₁"), &[0.5, f32::NAN]).unwrap_err();
        assert_eq!(e.to_string(), "w₁₁: value 1 is NaN, not a finite number");
        assert_eq!(finite(tensor("3.weight"), &[0.0, 1.0, f32::INFINITY]).unwrap_err().to_string(), "tensor 3.weight: value 2 is inf, not a finite number");
        assert_eq!(finite_one(named("slope"), f32::INFINITY).unwrap_err().to_string(), "slope is inf, not a finite number");
        assert!(finite(named("x"), &[1.0, -2.0]).is_ok());
        assert_eq!(activation("relu"), Ok(ActKind::Relu));
        assert_eq!(activation("swish").unwrap_err().to_string(), "unknown activation 'swish'; the activations are: sigmoid, tanh, relu, leaky-relu (or leaky-relu:slope)");
    }
}
