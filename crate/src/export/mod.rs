//! Exporting a trainable model to other frameworks. `pytorch`: `nn.Sequential` code and a
//! safetensors file its `load_state_dict` accepts.
pub mod pytorch;

pub use pytorch::{pytorch_code, pytorch_safetensors, state_dict_layout, weights_file_name, StateEntry};
