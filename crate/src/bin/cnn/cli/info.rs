//! `cnn info`: the layer table shape inference computes.

use clap::Args;
use cnn_core::model::ModelSpec;

use super::table::{render, thousands};

#[derive(Args)]
pub struct InfoArgs {
    /// A preset: lenet-d2l, lenet5, lenet-relu, plain-20, resnet-20.
    #[arg(long, default_value = "lenet-d2l", conflicts_with = "model")]
    preset: String,
    /// A saved model file instead of a preset.
    #[arg(long)]
    model: Option<std::path::PathBuf>,
    /// Print the table as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(a: InfoArgs) -> Result<(), cnn_core::Error> {
    let spec: ModelSpec = match &a.model {
        Some(path) => cnn_core::format::decode(&super::read_model(path)?)?.spec,
        None => super::preset(&a.preset)?,
    };
    let infos = spec.infer()?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&infos).expect("layer infos serialise"));
        return Ok(());
    }
    let mut rows = vec![vec!["".into(), "Input".into(), spec.input_shape(0).to_string(), "".into(), "".into()]];
    for l in &infos {
        rows.push(vec![l.index.to_string(), l.label.to_string(), l.output.to_string(), thousands(l.params), thousands(l.macs)]);
    }
    // infer has checked that both sums fit.
    let (params, macs): (u64, u64) = (infos.iter().map(|l| l.params).sum(), infos.iter().map(|l| l.macs).sum());
    rows.push(vec!["".into(), "Total".into(), "".into(), thousands(params), thousands(macs)]);
    println!("{}", spec.name);
    print!("{}", render(&["#", "Layer", "Output shape", "Parameters", "MACs/example"], &rows));
    Ok(())
}
