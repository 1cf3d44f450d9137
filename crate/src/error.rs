//! One error type for everything a user can get wrong: a spec, a file, a dataset, a setting, a
//! run that diverges. Programmer errors inside the core panic with the op and shapes instead.

use crate::data::DataError;
use crate::format::FormatError;
use crate::model::{SpecError, StateError};
use crate::train::TrainError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Spec(#[from] SpecError),
    #[error(transparent)]
    State(#[from] StateError),
    #[error(transparent)]
    Format(#[from] FormatError),
    #[error(transparent)]
    Data(#[from] DataError),
    #[error(transparent)]
    Train(#[from] TrainError),
    #[error("{0}")]
    Invalid(String),
}
