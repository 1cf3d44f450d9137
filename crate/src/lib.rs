//! cnn-notebook's core: convolutional-network primitives written as plain loops (`layers`, the
//! reference) with fast CPU and WebGPU backends checked against them, models built from serde
//! specs, training, datasets and model files. The same crate
//! compiles natively (tests, the `cnn` CLI, benchmarks) and to WebAssembly for the notebook page.
//!
//! Data flows one way: page or CLI -> model/trainer -> backend kernels. See ARCHITECTURE.md.

pub mod backend;
#[cfg(not(target_arch = "wasm32"))]
pub mod bench;
pub mod check;
pub mod classroom;
pub mod confusion;
pub mod data;
pub mod digit;
pub mod error;
pub mod export;
pub mod format;
pub mod health;
pub mod init;
pub mod inspect;
pub mod lab;
pub mod layers;
pub mod lessons;
pub mod message;
pub mod messages;
pub mod model;
pub mod optim;
pub mod parallel;
pub mod predictor;
pub mod rng;
pub mod schedule;
pub mod session;
pub mod step_profile;
pub mod tensor;
pub mod train;
pub mod training_run;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use backend::{cpu::Cpu, reference::Reference, Backend};
pub use error::Error;
