//! One error type for everything a user can get wrong: a spec, a file, a dataset, a setting, a
//! run that diverges. Programmer errors inside the core panic with the op and shapes instead.

use crate::data::DataError;
use crate::digit::DigitModelError;
use crate::format::FormatError;
use crate::message::{Explain, Message};
use crate::model::{SpecError, StateError};
use crate::train::TrainError;

#[derive(Debug)]
pub enum Error {
    Spec(SpecError),
    /// A model that cannot read the drawing pad's digits.
    Digit(DigitModelError),
    State(StateError),
    Format(FormatError),
    /// Datasets are read by the CLI and the tests; their messages name files and stay English.
    Data(DataError),
    Train(TrainError),
    /// A name or a number a person gave that the core cannot use (`check`).
    Check(Message),
    /// The GPU was lost or failed: its results mean nothing.
    Device(Message),
    /// The CLI's own complaints (a path it cannot read, an unknown name on its command line).
    Invalid(String),
}

/// Sentences that are not translated: another library's or the CLI's words, passed through.
pub mod text {
    crate::templates! {
        AS_IS = "error.asIs": "{detail}";
    }
}

impl Explain for Error {
    fn message(&self) -> Message {
        match self {
            Error::Spec(e) => e.message(),
            Error::Digit(e) => e.message(),
            Error::State(e) => e.message(),
            Error::Format(e) => e.message(),
            Error::Train(e) => e.message(),
            Error::Check(m) | Error::Device(m) => m.clone(),
            Error::Data(e) => Message::new(text::AS_IS).with("detail", e),
            Error::Invalid(s) => Message::new(text::AS_IS).with("detail", s),
        }
    }
}
crate::explained_error!(Error);

macro_rules! from {
    ($($variant:ident($ty:ty)),*) => {
        $(impl From<$ty> for Error {
            fn from(e: $ty) -> Self {
                Error::$variant(e)
            }
        })*
    };
}
from!(Spec(SpecError), Digit(DigitModelError), State(StateError), Format(FormatError), Data(DataError), Train(TrainError));

macro_rules! from_check {
    ($($ty:ty),*) => {
        $(impl From<$ty> for Error {
            fn from(e: $ty) -> Self {
                Error::Check(e.message())
            }
        })*
    };
}
from_check!(crate::check::NotFinite, crate::check::UnknownActivation, crate::check::UnknownInit, crate::check::UnknownOptimizer, crate::model::FreezeError);
