//! `cnn eval`: the test accuracy of a saved model.

use std::path::PathBuf;

use clap::Args;
use cnn_core::train::Trainer;
use cnn_core::{Cpu, Error};

#[derive(Args)]
pub struct EvalArgs {
    /// A model file written by `cnn train --save`.
    #[arg(long)]
    model: PathBuf,
    /// mnist or fashion-mnist.
    #[arg(long, default_value = "mnist")]
    dataset: String,
    #[arg(long)]
    json: bool,
}

/// The batch evaluation runs in, when the model fits the memory budget at it.
const EVAL_BATCH: usize = 500;

pub fn run(a: EvalArgs) -> Result<(), Error> {
    let bytes = super::read_model(&a.model)?;
    let b = Cpu::new();
    let model = cnn_core::format::load_model(&b, &bytes)?;
    let test = cnn_core::data::load(&a.dataset)?.test;
    // The sizes must match before the images are padded: a model of 100,000×100,000 inputs
    // must not make 10,000 padded copies first.
    let ([c, h, w], [c0, h0, w0]) = (model.spec.input, test.dims);
    if c != c0 || h < h0 || w < w0 {
        return Err(Error::Invalid(format!("{} has images of {:?} but the model expects {:?}", test.name, test.dims, model.spec.input)));
    }
    let test = test.padded_to(h, w)?;
    // The largest batch up to EVAL_BATCH that fits the memory budget (the model fits at 1).
    let mut batch = EVAL_BATCH;
    while batch > 1 && model.check_batch(batch).is_err() {
        batch /= 2;
    }
    let name = model.spec.name.clone();
    let mut trainer = Trainer::from_model(&b, model, cnn_core::optim::OptimKind::Sgd, 0.1);
    let m = trainer.evaluate(&b, &test, batch);
    if a.json {
        println!("{}", serde_json::json!({"model": name, "dataset": test.name, "examples": m.examples, "loss": m.loss, "accuracy": m.accuracy}));
    } else {
        println!("{name} on {} ({} test examples): accuracy {:.4}, loss {:.4}", test.name, m.examples, m.accuracy, m.loss);
    }
    Ok(())
}
