//! Shapes and the one output-size formula every conv and pool layer shares.
pub mod shape;
pub use shape::{conv_output_size, conv_output_size_ceil, Shape};
