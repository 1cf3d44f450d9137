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

pub fn run(a: EvalArgs) -> Result<(), Error> {
    let bytes = std::fs::read(&a.model).map_err(|e| Error::Invalid(format!("cannot read {}: {e}", a.model.display())))?;
    let b = Cpu::new();
    let model = cnn_core::format::load_model(&b, &bytes)?;
    let [_, h, w] = model.spec.input;
    let test = cnn_core::data::load(&a.dataset)?.test.padded_to(h, w);
    if test.dims != model.spec.input {
        return Err(Error::Invalid(format!("{} has images of {:?} but the model expects {:?}", test.name, test.dims, model.spec.input)));
    }
    let name = model.spec.name.clone();
    let mut trainer = Trainer::from_model(&b, model, cnn_core::optim::OptimKind::Sgd, 0.1);
    let m = trainer.evaluate(&b, &test, 500);
    if a.json {
        println!("{}", serde_json::json!({"model": name, "dataset": test.name, "examples": m.examples, "loss": m.loss, "accuracy": m.accuracy}));
    } else {
        println!("{name} on {} ({} test examples): accuracy {:.4}, loss {:.4}", test.name, m.examples, m.accuracy, m.loss);
    }
    Ok(())
}
