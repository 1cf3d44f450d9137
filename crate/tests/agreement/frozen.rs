//! Frozen layers (`Sequential::set_frozen`, transfer learning) on the reference and the device
//! alike: while frozen, a layer's parameters keep their bits and their optimizer state stays
//! untouched, every other parameter trains, batch norm's running statistics still move (as in
//! PyTorch's training mode), and the two backends' losses agree step by step; once unfrozen, the
//! layer trains again. Run with SGD, momentum and Adam, each with weight decay, so the decay of
//! whole training steps is compared too.

use super::{every_layer_spec, synthetic_batch, Checker, LOSS_ABS};
use cnn_core::backend::Backend;
use cnn_core::model::zoo;
use cnn_core::optim::OptimKind;
use cnn_core::rng::Rng;
use cnn_core::train::{TrainConfig, Trainer};
use cnn_core::Reference;

/// Every parameter as read back — (name, [value, state1, state2]) — then batch norm's running
/// statistics (name, [value, [], []]).
async fn snapshot<B: Backend>(b: &B, t: &Trainer<B>) -> Vec<(String, [Vec<f32>; 3])> {
    b.submit();
    let mut out = Vec::new();
    for p in t.model.params() {
        out.push((p.name.clone(), [b.read_async(&p.value).await, b.read_async(&p.state1).await, b.read_async(&p.state2).await]));
    }
    for s in t.model.state_async(b).await.into_iter().filter(|s| s.name.contains("running_")) {
        out.push((s.name, [s.data, Vec::new(), Vec::new()]));
    }
    out
}

/// `steps` training steps on both backends, their losses compared.
async fn train<B: Backend>(ck: &mut Checker, what: &str, dev: &B, on: (&mut Trainer<Reference>, &mut Trainer<B>), data: &mut Rng, cfg: &TrainConfig, input: [usize; 3], steps: usize) {
    let (on_ref, on_dev) = on;
    for step in 0..steps {
        let (images, labels) = synthetic_batch(data, cfg.batch_size, input);
        on_ref.train_step(&Reference, &images, &labels);
        on_dev.train_step(dev, &images, &labels);
        let (r, d) = (on_ref.take_metrics(&Reference).loss, on_dev.take_metrics_async(dev).await.loss);
        super::log!("  {what} step {step}: loss reference {r:.6} dev {d:.6}");
        ck.expect(&format!("{what} step {step}: losses {r} (reference) and {d} (device) within {LOSS_ABS:e}"), (r - d).abs() <= LOSS_ABS);
    }
}

pub async fn frozen_layers_agree<B: Backend>(dev: &B) {
    let mut ck = Checker::new("frozen layers");
    let base = TrainConfig { batch_size: 8, seed: 3, ..TrainConfig::default() };
    let cases = [
        // LeNet with its two convolutions frozen (layers 0 and 3), the dense layers retrained.
        (zoo::lenet_d2l(), TrainConfig { lr: 0.9, weight_decay: 1e-3, ..base.clone() }, vec![0, 3]),
        (zoo::lenet_d2l(), TrainConfig { lr: 0.05, optimizer: OptimKind::MOMENTUM, weight_decay: 5e-4, seed: 4, ..base.clone() }, vec![0, 3]),
        // A convolution, its batch norm and a second convolution frozen.
        (every_layer_spec(), TrainConfig { lr: 1e-3, optimizer: OptimKind::ADAM, weight_decay: 1e-2, seed: 5, ..base.clone() }, vec![0, 1, 4]),
    ];
    for (spec, cfg, frozen) in cases {
        let what = format!("{} {:?} λ {}, layers {frozen:?} frozen", spec.name, cfg.optimizer, cfg.weight_decay);
        let mut on_ref = Trainer::new(&Reference, spec.clone(), &cfg).expect("the spec is valid");
        let mut on_dev = Trainer::new(dev, spec.clone(), &cfg).expect("the spec is valid");
        for &l in &frozen {
            on_ref.model.set_frozen(l, true).expect("a layer with parameters");
            on_dev.model.set_frozen(l, true).expect("a layer with parameters");
        }
        ck.expect(&format!("{what}: frozen_layers() lists them"), on_ref.model.frozen_layers() == frozen && on_dev.model.frozen_layers() == frozen);
        let layer_of = |name: &str| name.split('.').next().and_then(|l| l.parse::<usize>().ok()).expect("a module path");
        let is_frozen = |name: &str| frozen.contains(&layer_of(name));
        let mut data = Rng::new(cfg.seed ^ 0xF0F0);
        let start = [snapshot(&Reference, &on_ref).await, snapshot(dev, &on_dev).await];
        train(&mut ck, &what, dev, (&mut on_ref, &mut on_dev), &mut data, &cfg, spec.input, 4).await;
        let trained = [snapshot(&Reference, &on_ref).await, snapshot(dev, &on_dev).await];
        for (side, (before, after)) in ["reference", "device"].iter().zip(start.iter().zip(&trained)) {
            for ((name, [v0, _, _]), (_, [v1, s1, s2])) in before.iter().zip(after) {
                let at = format!("{what}, {side}: {name}");
                if name.contains("running_") {
                    ck.expect(&format!("{at}: running statistics still updated"), v0 != v1);
                } else if is_frozen(name) {
                    ck.bits(&format!("{at}: frozen, unchanged"), v0, v1);
                    ck.expect(&format!("{at}: frozen, no optimizer state"), s1.iter().chain(s2).all(|&s| s.to_bits() == 0));
                } else {
                    ck.expect(&format!("{at}: trained"), v0 != v1);
                    if cfg.optimizer != OptimKind::Sgd {
                        ck.expect(&format!("{at}: has optimizer state"), s1.iter().any(|&s| s != 0.0));
                    }
                }
            }
        }
        // Unfrozen, the layers train again (Adam from its own t = 1 for them).
        for &l in &frozen {
            on_ref.model.set_frozen(l, false).expect("a layer with parameters");
            on_dev.model.set_frozen(l, false).expect("a layer with parameters");
        }
        ck.expect(&format!("{what}: none frozen after unfreezing"), on_ref.model.frozen_layers().is_empty() && on_dev.model.frozen_layers().is_empty());
        train(&mut ck, &format!("{what}, then unfrozen"), dev, (&mut on_ref, &mut on_dev), &mut data, &cfg, spec.input, 2).await;
        let unfrozen = [snapshot(&Reference, &on_ref).await, snapshot(dev, &on_dev).await];
        for (side, (before, after)) in ["reference", "device"].iter().zip(trained.iter().zip(&unfrozen)) {
            for ((name, [v0, _, _]), (_, [v1, _, _])) in before.iter().zip(after) {
                ck.expect(&format!("{what}, {side}: {name} trained once unfrozen"), v0 != v1);
            }
        }
    }
    ck.finish();
}
