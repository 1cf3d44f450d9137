//! Models: the serde spec, shape inference, the presets, and the sequential network built from a
//! spec on any backend.
pub mod sequential;
pub mod spec;
pub mod zoo;

pub use crate::layers::Param;
pub use sequential::{Layer, Mode, NamedTensor, Sequential, StateError};
pub use spec::{LayerInfo, LayerSpec, ModelSpec, SpecError};
