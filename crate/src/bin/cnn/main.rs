//! `cnn`: train, evaluate, inspect and benchmark the notebook's networks from a terminal.
//! The same core the page runs in the browser, compiled natively.

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

// The CLI is native only; the wasm build of the crate is a library for the page.
#[cfg(target_arch = "wasm32")]
fn main() {}
