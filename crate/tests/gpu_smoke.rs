//! Quick checks of the GPU backend against the CPU (the specification) on a real Vulkan device —
//! Mesa's lavapipe on machines without a GPU. A machine with no adapter FAILS these tests: a GPU
//! backend that was never run is not a tested one.
//!
//! Each op runs on both backends from the same seeded inputs, with sizes that are not multiples
//! of the workgroup or the 64×64 tile, and the results must agree to 1e-4 forward and 1e-3
//! backward, relative to the size of the values.

#![cfg(not(target_arch = "wasm32"))]

use cnn_core::backend::gpu::Gpu;
use cnn_core::backend::{ActKind, Backend, ConvGeom, PoolGeom, PoolKind, UpdateRule, METRICS_LEN};
use cnn_core::model::{zoo, LayerSpec, ModelSpec};
use cnn_core::optim::OptimKind;
use cnn_core::rng::{Rng, Stream};
use cnn_core::tensor::Shape;
use cnn_core::train::{TrainConfig, Trainer};
use cnn_core::Cpu;

const FWD: f32 = 1e-4;
const BWD: f32 = 1e-3;

fn gpu() -> Gpu {
    pollster::block_on(Gpu::new()).unwrap_or_else(|e| panic!("the GPU tests need a Vulkan adapter (lavapipe will do): {e}"))
}

fn random(rng: &mut Rng, n: usize) -> Vec<f32> {
    (0..n).map(|_| rng.uniform_range(-1.0, 1.0)).collect()
}

/// max |gpu − cpu| relative to max |cpu| (at least 1), with the first values on failure.
#[track_caller]
fn assert_close(what: &str, gpu: &[f32], cpu: &[f32], tol: f32) {
    assert_eq!(gpu.len(), cpu.len(), "{what}: lengths");
    let scale = cpu.iter().fold(1.0f32, |m, v| m.max(v.abs()));
    let (mut worst, mut at) = (0.0f32, 0);
    for (i, (a, b)) in gpu.iter().zip(cpu).enumerate() {
        let d = (a - b).abs();
        if d.is_nan() || d > worst {
            worst = if d.is_nan() { f32::INFINITY } else { d };
            at = i;
        }
    }
    assert!(
        worst / scale <= tol,
        "{what}: max difference {worst} (relative {}) at {at}: gpu {} cpu {}; first values gpu {:?} cpu {:?}",
        worst / scale,
        gpu[at],
        cpu[at],
        &gpu[..gpu.len().min(6)],
        &cpu[..cpu.len().min(6)]
    );
}

/// The same tensor on both backends.
struct Pair {
    c: <Cpu as Backend>::Tensor,
    g: <Gpu as Backend>::Tensor,
}

fn pair(cpu: &Cpu, gpu: &Gpu, shape: &Shape, data: &[f32]) -> Pair {
    Pair { c: cpu.upload(shape, data), g: gpu.upload(shape, data) }
}

#[track_caller]
fn check(what: &str, cpu: &Cpu, gpu: &Gpu, p: &Pair, tol: f32) {
    assert_close(what, &gpu.read(&p.g), &cpu.read(&p.c), tol);
}

fn conv_geom(n: usize, c_in: usize, h: usize, w: usize, c_out: usize, kernel: usize, stride: usize, padding: usize) -> ConvGeom {
    let out = |x: usize| (x + 2 * padding - kernel) / stride + 1;
    ConvGeom { n, c_in, h_in: h, w_in: w, c_out, h_out: out(h), w_out: out(w), kernel, stride, padding }
}

#[test]
fn conv2d_forward_and_backward_agree_with_the_cpu() {
    let (cpu, gpu) = (Cpu::new(), gpu());
    let mut rng = Rng::new(1);
    for g in [
        conv_geom(2, 3, 7, 9, 5, 3, 1, 1),
        conv_geom(1, 1, 5, 5, 2, 5, 1, 2),
        conv_geom(3, 4, 11, 10, 70, 1, 2, 0),
        conv_geom(2, 3, 9, 9, 4, 3, 2, 1),
        // K = N·H'·W' = 6,272: the filter gradient is split over workgroups and summed.
        conv_geom(8, 2, 28, 28, 6, 5, 1, 2),
    ] {
        let xs = Shape::nchw(g.n, g.c_in, g.h_in, g.w_in);
        let ws = Shape::nchw(g.c_out, g.c_in, g.kernel, g.kernel);
        let ys = Shape::nchw(g.n, g.c_out, g.h_out, g.w_out);
        let bs = Shape(vec![g.c_out]);
        let x = pair(&cpu, &gpu, &xs, &random(&mut rng, xs.len()));
        let w = pair(&cpu, &gpu, &ws, &random(&mut rng, ws.len()));
        let b = pair(&cpu, &gpu, &bs, &random(&mut rng, bs.len()));
        let dy = pair(&cpu, &gpu, &ys, &random(&mut rng, ys.len()));
        let mut y = pair(&cpu, &gpu, &ys, &vec![0.0; ys.len()]);
        cpu.conv2d_forward(&x.c, &w.c, &b.c, &mut y.c, &g);
        gpu.conv2d_forward(&x.g, &w.g, &b.g, &mut y.g, &g);
        check(&format!("conv2d_forward y {g:?}"), &cpu, &gpu, &y, FWD);

        let mut dx = pair(&cpu, &gpu, &xs, &vec![7.0; xs.len()]);
        let mut dw = pair(&cpu, &gpu, &ws, &vec![7.0; ws.len()]);
        let mut db = pair(&cpu, &gpu, &bs, &vec![7.0; bs.len()]);
        cpu.conv2d_backward(&x.c, &w.c, &dy.c, Some(&mut dx.c), &mut dw.c, &mut db.c, &g);
        gpu.conv2d_backward(&x.g, &w.g, &dy.g, Some(&mut dx.g), &mut dw.g, &mut db.g, &g);
        check(&format!("conv2d_backward dx {g:?}"), &cpu, &gpu, &dx, BWD);
        check(&format!("conv2d_backward dw {g:?}"), &cpu, &gpu, &dw, BWD);
        check(&format!("conv2d_backward db {g:?}"), &cpu, &gpu, &db, BWD);
    }
}

#[test]
fn dense_forward_and_backward_agree_with_the_cpu() {
    let (cpu, gpu) = (Cpu::new(), gpu());
    let mut rng = Rng::new(2);
    for (n, i, o) in [(3, 70, 13), (130, 5, 67), (1, 400, 120)] {
        let x = pair(&cpu, &gpu, &Shape::nf(n, i), &random(&mut rng, n * i));
        let w = pair(&cpu, &gpu, &Shape::nf(o, i), &random(&mut rng, o * i));
        let b = pair(&cpu, &gpu, &Shape(vec![o]), &random(&mut rng, o));
        let dy = pair(&cpu, &gpu, &Shape::nf(n, o), &random(&mut rng, n * o));
        let mut y = pair(&cpu, &gpu, &Shape::nf(n, o), &vec![0.0; n * o]);
        cpu.dense_forward(&x.c, &w.c, &b.c, &mut y.c);
        gpu.dense_forward(&x.g, &w.g, &b.g, &mut y.g);
        check(&format!("dense_forward ({n}, {i}, {o})"), &cpu, &gpu, &y, FWD);
        let mut dx = pair(&cpu, &gpu, &Shape::nf(n, i), &vec![0.0; n * i]);
        let mut dw = pair(&cpu, &gpu, &Shape::nf(o, i), &vec![0.0; o * i]);
        let mut db = pair(&cpu, &gpu, &Shape(vec![o]), &vec![0.0; o]);
        cpu.dense_backward(&x.c, &w.c, &dy.c, Some(&mut dx.c), &mut dw.c, &mut db.c);
        gpu.dense_backward(&x.g, &w.g, &dy.g, Some(&mut dx.g), &mut dw.g, &mut db.g);
        check("dense_backward dx", &cpu, &gpu, &dx, BWD);
        check("dense_backward dw", &cpu, &gpu, &dw, BWD);
        check("dense_backward db", &cpu, &gpu, &db, BWD);
    }
}

#[test]
fn pooling_agrees_with_the_cpu_including_ties_and_overlapping_windows() {
    let (cpu, gpu) = (Cpu::new(), gpu());
    let mut rng = Rng::new(3);
    for (n, c, h, w, f, s) in [(2, 3, 8, 8, 2, 2), (1, 2, 7, 9, 3, 2), (3, 1, 5, 5, 2, 1)] {
        let out = |x: usize| (x - f) / s + 1;
        let g = PoolGeom { n, c, h_in: h, w_in: w, h_out: out(h), w_out: out(w), kernel: f, stride: s };
        let xs = Shape::nchw(n, c, h, w);
        let ys = Shape::nchw(n, c, g.h_out, g.w_out);
        // Values on a coarse grid, so windows hold ties: max pooling must pick the first maximum.
        let xv: Vec<f32> = (0..xs.len()).map(|_| rng.below(4) as f32 * 0.5).collect();
        let x = pair(&cpu, &gpu, &xs, &xv);
        let dy = pair(&cpu, &gpu, &ys, &random(&mut rng, ys.len()));
        for kind in [PoolKind::Max, PoolKind::Avg] {
            let mut y = pair(&cpu, &gpu, &ys, &vec![0.0; ys.len()]);
            cpu.pool2d_forward(kind, &x.c, &mut y.c, &g);
            gpu.pool2d_forward(kind, &x.g, &mut y.g, &g);
            check(&format!("pool2d_forward {kind:?} {g:?}"), &cpu, &gpu, &y, FWD);
            let mut dx = pair(&cpu, &gpu, &xs, &vec![3.0; xs.len()]);
            cpu.pool2d_backward(kind, &x.c, &dy.c, &mut dx.c, &g);
            gpu.pool2d_backward(kind, &x.g, &dy.g, &mut dx.g, &g);
            check(&format!("pool2d_backward {kind:?} {g:?}"), &cpu, &gpu, &dx, BWD);
        }
    }
}

#[test]
fn activations_agree_and_dropout_masks_match_bit_for_bit() {
    let (cpu, gpu) = (Cpu::new(), gpu());
    let mut rng = Rng::new(4);
    let s = Shape::nf(7, 151);
    // Wide inputs, so sigmoid and tanh saturate at both ends.
    let xv: Vec<f32> = (0..s.len()).map(|_| rng.uniform_range(-30.0, 30.0)).collect();
    let x = pair(&cpu, &gpu, &s, &xv);
    let dy = pair(&cpu, &gpu, &s, &random(&mut rng, s.len()));
    for kind in [ActKind::Sigmoid, ActKind::Tanh, ActKind::Relu, ActKind::LeakyRelu { slope: 0.1 }] {
        let mut y = pair(&cpu, &gpu, &s, &vec![0.0; s.len()]);
        cpu.activation_forward(kind, &x.c, &mut y.c);
        gpu.activation_forward(kind, &x.g, &mut y.g);
        check(&format!("activation_forward {kind:?}"), &cpu, &gpu, &y, FWD);
        // Backward from each backend's own y (as in training), compared.
        let mut dx = pair(&cpu, &gpu, &s, &vec![0.0; s.len()]);
        cpu.activation_backward(kind, &x.c, &y.c, &dy.c, &mut dx.c);
        gpu.activation_backward(kind, &x.g, &y.g, &dy.g, &mut dx.g);
        check(&format!("activation_backward {kind:?}"), &cpu, &gpu, &dx, BWD);
    }
    for (p, key) in [(0.5, 12345u32), (0.1, 7), (0.0, 1), (1.0, 2)] {
        let mut mask = pair(&cpu, &gpu, &s, &vec![0.0; s.len()]);
        let mut y = pair(&cpu, &gpu, &s, &vec![0.0; s.len()]);
        cpu.dropout_forward(&x.c, &mut mask.c, &mut y.c, p, key);
        gpu.dropout_forward(&x.g, &mut mask.g, &mut y.g, p, key);
        assert_eq!(gpu.read(&mask.g), cpu.read(&mask.c), "dropout mask p={p} key={key}");
        assert_eq!(gpu.read(&y.g), cpu.read(&y.c), "dropout y p={p} key={key}");
        let mut dx = pair(&cpu, &gpu, &s, &vec![0.0; s.len()]);
        cpu.dropout_backward(&dy.c, &mask.c, &mut dx.c);
        gpu.dropout_backward(&dy.g, &mask.g, &mut dx.g);
        assert_eq!(gpu.read(&dx.g), cpu.read(&dx.c), "dropout dx p={p}");
    }
}

#[test]
fn batchnorm_agrees_with_the_cpu_in_training_evaluation_and_backward() {
    let (cpu, gpu) = (Cpu::new(), gpu());
    let mut rng = Rng::new(5);
    for (n, c, h, w) in [(4, 3, 5, 7), (1, 2, 1, 1), (2, 5, 17, 17)] {
        let xs = Shape::nchw(n, c, h, w);
        let cs = Shape(vec![c]);
        let xv: Vec<f32> = (0..xs.len()).map(|_| rng.uniform_range(-1.0, 3.0)).collect();
        let x = pair(&cpu, &gpu, &xs, &xv);
        let gamma = pair(&cpu, &gpu, &cs, &random(&mut rng, c));
        let beta = pair(&cpu, &gpu, &cs, &random(&mut rng, c));
        let dy = pair(&cpu, &gpu, &xs, &random(&mut rng, xs.len()));
        let mut y = pair(&cpu, &gpu, &xs, &vec![0.0; xs.len()]);
        let mut sm = pair(&cpu, &gpu, &cs, &vec![0.0; c]);
        let mut si = pair(&cpu, &gpu, &cs, &vec![0.0; c]);
        let mut rm = pair(&cpu, &gpu, &cs, &vec![0.0; c]);
        let mut rv = pair(&cpu, &gpu, &cs, &vec![1.0; c]);
        for _ in 0..2 {
            cpu.batchnorm2d_forward_train(&x.c, &gamma.c, &beta.c, &mut y.c, &mut sm.c, &mut si.c, &mut rm.c, &mut rv.c, 0.1, 1e-5);
            gpu.batchnorm2d_forward_train(&x.g, &gamma.g, &beta.g, &mut y.g, &mut sm.g, &mut si.g, &mut rm.g, &mut rv.g, 0.1, 1e-5);
        }
        let what = format!("batchnorm ({n}, {c}, {h}, {w})");
        check(&format!("{what} y"), &cpu, &gpu, &y, FWD);
        check(&format!("{what} save_mean"), &cpu, &gpu, &sm, FWD);
        check(&format!("{what} save_invstd"), &cpu, &gpu, &si, FWD);
        check(&format!("{what} running_mean"), &cpu, &gpu, &rm, FWD);
        check(&format!("{what} running_var"), &cpu, &gpu, &rv, FWD);
        let mut ye = pair(&cpu, &gpu, &xs, &vec![0.0; xs.len()]);
        cpu.batchnorm2d_forward_eval(&x.c, &gamma.c, &beta.c, &rm.c, &rv.c, &mut ye.c, 1e-5);
        gpu.batchnorm2d_forward_eval(&x.g, &gamma.g, &beta.g, &rm.g, &rv.g, &mut ye.g, 1e-5);
        check(&format!("{what} eval y"), &cpu, &gpu, &ye, FWD);
        let mut dx = pair(&cpu, &gpu, &xs, &vec![0.0; xs.len()]);
        let mut dg = pair(&cpu, &gpu, &cs, &vec![0.0; c]);
        let mut dbt = pair(&cpu, &gpu, &cs, &vec![0.0; c]);
        cpu.batchnorm2d_backward(&x.c, &gamma.c, &dy.c, &sm.c, &si.c, &mut dx.c, &mut dg.c, &mut dbt.c);
        gpu.batchnorm2d_backward(&x.g, &gamma.g, &dy.g, &sm.g, &si.g, &mut dx.g, &mut dg.g, &mut dbt.g);
        check(&format!("{what} dx"), &cpu, &gpu, &dx, BWD);
        check(&format!("{what} dgamma"), &cpu, &gpu, &dg, BWD);
        check(&format!("{what} dbeta"), &cpu, &gpu, &dbt, BWD);
    }
}

#[test]
fn losses_agree_and_add_into_the_metrics() {
    let (cpu, gpu) = (Cpu::new(), gpu());
    let mut rng = Rng::new(6);
    let (n, k) = (300, 10);
    let ls = Shape::nf(n, k);
    // Large logits: the softmax must subtract the maximum.
    let logits = pair(&cpu, &gpu, &ls, &(0..n * k).map(|_| rng.uniform_range(-60.0, 60.0)).collect::<Vec<_>>());
    let labels = pair(&cpu, &gpu, &Shape(vec![n]), &(0..n).map(|_| rng.below(k) as f32).collect::<Vec<_>>());
    let mut probs = pair(&cpu, &gpu, &ls, &vec![0.0; n * k]);
    let mut dl = pair(&cpu, &gpu, &ls, &vec![0.0; n * k]);
    let mut metrics = pair(&cpu, &gpu, &Shape(vec![METRICS_LEN]), &[1.0, 2.0, 3.0]);
    for _ in 0..2 {
        cpu.softmax_cross_entropy(&logits.c, &labels.c, &mut probs.c, &mut dl.c, &mut metrics.c);
        gpu.softmax_cross_entropy(&logits.g, &labels.g, &mut probs.g, &mut dl.g, &mut metrics.g);
    }
    check("softmax probs", &cpu, &gpu, &probs, FWD);
    check("softmax dlogits", &cpu, &gpu, &dl, BWD);
    check("cross-entropy metrics", &cpu, &gpu, &metrics, FWD);
    assert_eq!(gpu.read(&metrics.g)[2], 3.0 + 2.0 * n as f32);

    let pred = pair(&cpu, &gpu, &ls, &random(&mut rng, n * k));
    let target = pair(&cpu, &gpu, &ls, &random(&mut rng, n * k));
    let mut dp = pair(&cpu, &gpu, &ls, &vec![0.0; n * k]);
    cpu.mse(&pred.c, &target.c, &mut dp.c, &mut metrics.c);
    gpu.mse(&pred.g, &target.g, &mut dp.g, &mut metrics.g);
    check("mse dpred", &cpu, &gpu, &dp, BWD);
    check("mse metrics", &cpu, &gpu, &metrics, FWD);
}

#[test]
fn optimizer_updates_agree_with_the_cpu() {
    let (cpu, gpu) = (Cpu::new(), gpu());
    let mut rng = Rng::new(7);
    let s = Shape::nf(3, 301);
    for rule in [
        UpdateRule::Sgd { lr: 0.1 },
        UpdateRule::Momentum { lr: 0.05, momentum: 0.9 },
        UpdateRule::Adam { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, t: 1 },
    ] {
        let mut p = pair(&cpu, &gpu, &s, &random(&mut rng, s.len()));
        let mut s1 = pair(&cpu, &gpu, &s, &vec![0.0; s.len()]);
        let mut s2 = pair(&cpu, &gpu, &s, &vec![0.0; s.len()]);
        for t in 1..=3 {
            let g = pair(&cpu, &gpu, &s, &random(&mut rng, s.len()));
            let rule = match rule {
                UpdateRule::Adam { lr, beta1, beta2, eps, .. } => UpdateRule::Adam { lr, beta1, beta2, eps, t },
                r => r,
            };
            cpu.update(rule, &mut p.c, &g.c, &mut s1.c, &mut s2.c);
            gpu.update(rule, &mut p.g, &g.g, &mut s1.g, &mut s2.g);
        }
        check(&format!("{rule:?} param"), &cpu, &gpu, &p, FWD);
        check(&format!("{rule:?} state1"), &cpu, &gpu, &s1, FWD);
        check(&format!("{rule:?} state2"), &cpu, &gpu, &s2, FWD);
    }
}

/// Host writes land in order with recorded (not yet submitted) work.
#[test]
fn writes_between_recorded_ops_keep_their_order() {
    let gpu = gpu();
    let s = Shape(vec![300]);
    let mut t = gpu.zeros(&s);
    let (mut before, mut after) = (gpu.zeros(&s), gpu.zeros(&s));
    gpu.fill(&mut t, 1.0);
    gpu.copy(&t, &mut before);
    gpu.write(&mut t, &vec![2.0; 300]);
    gpu.copy(&t, &mut after);
    assert_eq!(gpu.read(&before), vec![1.0; 300]);
    assert_eq!(gpu.read(&after), vec![2.0; 300]);
    let data: Vec<f32> = (0..300).map(|i| i as f32 * 0.5).collect();
    assert_eq!(gpu.read(&gpu.upload(&s, &data)), data);
    assert_eq!(gpu.read(&pollster::block_on(async { gpu.zeros(&Shape(vec![0])) })), Vec::<f32>::new());
    assert_eq!(pollster::block_on(gpu.read_async(&after)), vec![2.0; 300]);
}

/// The same training run on both backends: the same seed gives the same losses (to 1e-3).
fn train_both(spec: ModelSpec, optimizer: OptimKind, lr: f32, batch: usize, steps: usize) -> (Vec<f32>, Vec<f32>) {
    let (cpu, gpu) = (Cpu::new(), gpu());
    let cfg = TrainConfig { batch_size: batch, lr, optimizer, seed: 11, ..TrainConfig::default() };
    let image_len: usize = spec.input.iter().product();
    let classes = *spec.output_shape(1).expect("valid spec").dims().last().expect("has a dimension");
    let mut data = Rng::stream(3, Stream::Data);
    let batches: Vec<(Vec<f32>, Vec<f32>)> = (0..4)
        .map(|_| ((0..batch * image_len).map(|_| data.uniform()).collect(), (0..batch).map(|_| data.below(classes) as f32).collect()))
        .collect();
    let mut tc = Trainer::new(&cpu, spec.clone(), &cfg).expect("valid spec");
    let mut tg = Trainer::new(&gpu, spec, &cfg).expect("valid spec");
    let (mut lc, mut lg) = (Vec::new(), Vec::new());
    for (images, labels) in batches.iter().cycle().take(steps) {
        tc.train_step(&cpu, images, labels);
        tg.train_step(&gpu, images, labels);
        lc.push(tc.take_metrics(&cpu).loss);
        lg.push(tg.take_metrics(&gpu).loss);
    }
    (lc, lg)
}

#[test]
fn twenty_steps_of_lenet_d2l_give_the_same_losses_on_both_backends() {
    let (lc, lg) = train_both(zoo::lenet_d2l(), OptimKind::Sgd, 0.9, 16, 20);
    for (i, (c, g)) in lc.iter().zip(&lg).enumerate() {
        assert!((c - g).abs() <= 1e-3 * c.abs().max(1.0), "step {i}: cpu loss {c}, gpu loss {g}\ncpu {lc:?}\ngpu {lg:?}");
    }
}

/// A network with every layer kind (batch norm, dropout, max pooling, leaky ReLU), trained with Adam.
fn every_layer() -> ModelSpec {
    use LayerSpec::*;
    ModelSpec {
        name: "every-layer".into(),
        input: [2, 12, 12],
        layers: vec![
            Conv2d { in_channels: None, out_channels: 5, kernel: 3, stride: 1, padding: 1 },
            BatchNorm2d { eps: 1e-5, momentum: 0.1 },
            LeakyRelu { slope: 0.05 },
            MaxPool2d { kernel: 2, stride: 2 },
            Conv2d { in_channels: None, out_channels: 7, kernel: 3, stride: 2, padding: 0 },
            Tanh,
            Flatten,
            Dropout { p: 0.3 },
            Dense { in_features: None, units: 9 },
            Relu,
            Dense { in_features: None, units: 4 },
        ],
    }
}

#[test]
fn every_layer_kind_trains_alike_on_both_backends() {
    let (lc, lg) = train_both(every_layer(), OptimKind::ADAM, 0.01, 5, 10);
    for (i, (c, g)) in lc.iter().zip(&lg).enumerate() {
        assert!((c - g).abs() <= 1e-3 * c.abs().max(1.0), "step {i}: cpu loss {c}, gpu loss {g}\ncpu {lc:?}\ngpu {lg:?}");
    }
}

/// After the first step, a training step creates no buffer, pipeline or bind group, and submits
/// exactly one command buffer.
#[test]
fn a_hundred_training_steps_create_nothing_new() {
    let gpu = gpu();
    for (spec, optimizer) in [(zoo::lenet_d2l(), OptimKind::Sgd), (every_layer(), OptimKind::ADAM)] {
        let cfg = TrainConfig { batch_size: 8, lr: 0.01, optimizer, ..TrainConfig::default() };
        let image_len: usize = spec.input.iter().product();
        let mut t = Trainer::new(&gpu, spec, &cfg).expect("valid spec");
        let images = vec![0.5; 8 * image_len];
        let labels = vec![1.0; 8];
        t.train_step(&gpu, &images, &labels);
        let _ = t.take_metrics(&gpu);
        // The metrics' reset, recorded after that read, is submitted before the next step's input
        // is written: warm up one more step so the count below sees only steps.
        t.train_step(&gpu, &images, &labels);
        let before = gpu.stats();
        for _ in 0..100 {
            t.train_step(&gpu, &images, &labels);
        }
        let after = gpu.stats();
        assert_eq!((after.buffers, after.pipelines, after.bind_groups), (before.buffers, before.pipelines, before.bind_groups), "{before:?} -> {after:?}");
        assert_eq!(after.submissions - before.submissions, 100, "one submission per step");
        let m = t.take_metrics(&gpu);
        assert_eq!(m.examples, 808);
        assert!(m.loss.is_finite());
    }
}
