//! Fuzzing cnn-core's parsers: the model file (decode → load → one forward pass and a training
//! step → save → decode), the model spec, graphs included (JSON → shape inference → the budget →
//! build, run, save, export), the editor's PyTorch code (parse → the table with lines → whether
//! the digits can train it → a fresh model file → the pad's predictor), IDX files (plain and
//! gzip) and the MNIST package's digit files.
//!
//! The targets (`targets`) are plain functions of bytes. Two ways to run them:
//!
//! - on stable Rust, this crate's driver (`src/main.rs`): `cargo run -p fuzz -- model 30s`, a
//!   seeded mutation loop (`mutate`) from the seed corpus (`seeds`, `fuzz/corpus/`), in the dev
//!   profile, whose overflow checks stay on;
//! - with libFuzzer on nightly: `cargo fuzz run model --features libfuzzer` (`fuzz_targets/`).
//!
//! A finding is a panic, an overflow, an allocation larger than the memory budget predicted for
//! the model (`alloc` counts every byte), or a save → decode round trip that changes a model.

pub mod alloc;
pub mod mutate;
pub mod seeds;
pub mod targets;

/// A target: any bytes in, what became of them out.
pub type Target = fn(&[u8]) -> String;

/// The targets by name, in the order `all` runs them.
pub const TARGETS: [(&str, Target); 5] =
    [("model", targets::model), ("spec", targets::spec), ("code", targets::code), ("idx", targets::idx), ("digits", targets::digits)];
