//! Models: the serde spec, shape inference, the presets, and the sequential network built from a
//! spec on any backend; and, read-only, the architecture gallery's trees with branches and
//! residual connections (`arch`, `gallery`).
pub mod arch;
pub mod graph;
pub mod freeze;
pub mod own;
pub mod budget;
pub mod gallery;
pub mod gallery_notes;
pub mod sequential;
pub mod spec;
pub mod view;
pub mod text;
pub mod torch_code;
pub mod per_batch;
pub mod zoo;

pub use crate::layers::Param;
pub use sequential::{Layer, Mode, NamedTensor, Sequential, StateError};
pub use budget::{Budget, Needs};
pub use freeze::FreezeError;
pub use spec::{LayerInfo, LayerSpec, LayerTable, ModelSpec, SpecError};
pub use view::LayerView;
