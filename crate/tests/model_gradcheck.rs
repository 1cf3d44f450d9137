//! Gradients through whole networks built by `Sequential` from specs: every preset of the zoo (as
//! shipped, and made smooth), a small net with Flatten, one with BatchNorm2d, Dropout's train/eval
//! behaviour in a model, one `Trainer` step, and bit-for-bit repeatability from a seed.
//! The loss is softmax cross-entropy, recomputed in f64 on the host from the logits for the
//! finite differences; the analytic gradient is the model's own backward pass. The models run on
//! the reference backend (the plain loops of `crate::layers`); the fast backends are held to it
//! by the agreement tests (tests/agreement), whole training runs included.

mod common;

use cnn_core::backend::{ActKind, Backend, METRICS_LEN};
use cnn_core::init::Init;
use cnn_core::model::{zoo, LayerSpec, Mode, ModelSpec, Sequential};
use cnn_core::optim::OptimKind;
use cnn_core::rng::hash_uniform;
use cnn_core::tensor::Shape;
use cnn_core::train::Trainer;
use common::*;

/// Mean cross-entropy of the logits (N, K) in f64, stable: log Σ e^{z−max} + max − z[label].
fn host_cross_entropy(logits: &[f32], labels: &[f32]) -> f64 {
    let k = logits.len() / labels.len();
    let mut total = 0.0;
    for (row, &label) in logits.chunks(k).zip(labels) {
        let max = row.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b)) as f64;
        let lse = row.iter().map(|&z| (z as f64 - max).exp()).sum::<f64>().ln() + max;
        total += lse - row[label as usize] as f64;
    }
    total / labels.len() as f64
}

/// Forward in training mode and return the loss.
fn loss(b: &Reference, model: &mut Sequential<Reference>, labels: &[f32]) -> f64 {
    model.forward(b, Mode::Train);
    host_cross_entropy(&b.read(model.output()), labels)
}

/// Forward, loss and backward on the model's current input: every parameter's gradient, by name.
fn backprop(b: &Reference, model: &mut Sequential<Reference>, labels: &[f32]) -> Vec<(String, Vec<f32>)> {
    let n = labels.len();
    model.forward(b, Mode::Train);
    let k = b.shape(model.output()).per_example();
    let mut probs = b.zeros(&Shape::nf(n, k));
    let mut metrics = b.zeros(&Shape(vec![METRICS_LEN]));
    let label_t = b.upload(&Shape(vec![n]), labels);
    let (logits, dlogits) = model.output_and_grad_mut();
    b.softmax_cross_entropy(logits, &label_t, &mut probs, dlogits, &mut metrics);
    model.backward(b);
    model.params().iter().map(|p| (p.name.clone(), b.read(&p.grad))).collect()
}

/// Check ∂L/∂θ for the chosen elements of every parameter tensor against central differences.
/// `pick(grad)` chooses which indices of a tensor to check.
fn check_model_grads(b: &Reference, model: &mut Sequential<Reference>, labels: &[f32], eps: f32, tol: Tol, pick: impl Fn(&[f32]) -> Vec<usize>) {
    let grads = backprop(b, model, labels);
    let name = model.spec.name.clone();
    for (pi, (pname, grad)) in grads.iter().enumerate() {
        let idx = pick(grad);
        let original = b.read(&model.params()[pi].value);
        let mut numeric = Vec::with_capacity(idx.len());
        for &i in &idx {
            let mut at = |v: f32| {
                let mut w = original.clone();
                w[i] = v;
                b.write(&mut model.params_mut()[pi].value, &w);
                loss(b, model, labels)
            };
            let (plus, minus) = (at(original[i] + eps), at(original[i] - eps));
            numeric.push((plus - minus) / ((original[i] + eps) as f64 - (original[i] - eps) as f64));
        }
        b.write(&mut model.params_mut()[pi].value, &original);
        let analytic: Vec<f32> = idx.iter().map(|&i| grad[i]).collect();
        assert_close(&format!("{name}: ∂L/∂{pname} at indices {idx:?}"), &analytic, &numeric, tol);
    }
}

/// The two largest gradients of a tensor: where a wrong one would matter most, and where the few
/// max-pool switches or ReLU kinks a finite step crosses change the difference quotient least.
fn largest_two(grad: &[f32]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..grad.len()).collect();
    order.sort_by(|&a, &b| grad[b].abs().total_cmp(&grad[a].abs()));
    order.truncate(2);
    order
}

/// The largest two and a few ordinary, smaller ones from fixed places.
fn largest_two_and_spread(grad: &[f32]) -> Vec<usize> {
    let mut idx = largest_two(grad);
    for i in [grad.len() / 2, grad.len() / 3, grad.len() - 1] {
        if !idx.contains(&i) {
            idx.push(i);
        }
    }
    idx
}

/// Images in [0, 1] (like normalised pixels), smooth but different everywhere.
fn images(n: usize, spec: &ModelSpec) -> Vec<f32> {
    let [c, h, w] = spec.input;
    sin_data(n * c * h * w, 0.5, 0.0).iter().enumerate().map(|(i, v)| 0.5 + v * (0.3 + 0.7 * ((i % 7) as f32 / 7.0))).collect()
}

fn has_kinks(spec: &ModelSpec) -> bool {
    spec.layers.iter().any(|l| matches!(l, LayerSpec::Relu | LayerSpec::LeakyRelu { .. } | LayerSpec::MaxPool2d { .. }))
}

/// Each preset as shipped. ReLU and max pooling are only piecewise smooth: a step of a first-layer
/// weight moves hundreds of pre-activations, and the few that cross 0 or overtake their window's
/// maximum bend the loss inside the step (measured: with eps 1e-2 a small gradient of lenet5 came
/// out 35% off, while the same net with average pooling agreed to 1e-4). So those presets get
/// eps 1e-3 and are checked at their largest gradients; the next test covers the rest smoothly.
#[test]
fn every_preset_backpropagates_the_loss_gradient() {
    let b = reference();
    // The 20-layer presets: ReLU and max pooling in twenty layers bend the loss within any step
    // f32 can resolve; their smooth versions are checked below, layer for layer the same.
    for name in zoo::PRESETS.iter().filter(|n| n.starts_with("lenet")) {
        let spec = zoo::preset(name).expect("a preset");
        let mut model = Sequential::new(&b, spec.clone(), Init::XavierUniform, 42).expect("the preset builds");
        model.set_input(&b, &images(2, &spec), 2);
        let labels = [3.0f32, 7.0];
        if has_kinks(&spec) {
            check_model_grads(&b, &mut model, &labels, 1e-3, Tol::FD_MODEL, largest_two);
        } else {
            check_model_grads(&b, &mut model, &labels, 1e-2, Tol::FD_MODEL, largest_two_and_spread);
        }
    }
}

/// Each preset made smooth (tanh for every activation, average for max pooling), so the whole
/// network is differentiable everywhere and ordinary, small gradients are checked tightly too.
#[test]
fn every_preset_made_smooth_matches_finite_differences_tightly() {
    let b = reference();
    for name in zoo::PRESETS {
        let deep = !name.starts_with("lenet");
        let mut spec = zoo::preset(name).expect("a preset").with_activation(ActKind::Tanh);
        for l in &mut spec.layers {
            if let LayerSpec::MaxPool2d { kernel, stride, padding } = *l {
                *l = LayerSpec::AvgPool2d { kernel, stride, padding };
            }
        }
        assert!(!has_kinks(&spec));
        let mut model = Sequential::new(&b, spec.clone(), Init::XavierUniform, 42).expect("the preset builds");
        model.set_input(&b, &images(2, &spec), 2);
        // Twenty layers bend the loss within a step of 1e-2 of a first-layer weight: the deep
        // presets take smaller steps, at the looser model tolerance (f32 rounding grows as the step shrinks).
        if deep {
            check_model_grads(&b, &mut model, &[3.0, 7.0], 1e-3, Tol::FD_MODEL, largest_two_and_spread);
        } else {
            check_model_grads(&b, &mut model, &[3.0, 7.0], 1e-2, Tol::FD, largest_two_and_spread);
        }
    }
}

/// A network with every piece of the graph: a residual block straight on the input (so the input
/// is read twice and gets no gradient), an identity block, a projection block whose shortcut is
/// a convolution without bias and a batch norm, padded average pooling and global average
/// pooling. Smooth (tanh, average pooling), so every element of every parameter is checked
/// tightly: the sum's gradient reaching both terms, and a tensor read twice adding both.
pub fn residual_spec() -> ModelSpec {
    use LayerSpec::*;
    let conv = |c_in, c_out, kernel, stride, padding, bias| Conv2d { in_channels: Some(c_in), out_channels: c_out, kernel, stride, padding, bias };
    ModelSpec {
        name: "residual".into(),
        input: [1, 7, 7],
        layers: vec![
            Residual { body: vec![conv(1, 1, 3, 1, 1, true), Tanh], shortcut: vec![] },
            conv(1, 3, 3, 1, 1, false),
            Tanh,
            Residual { body: vec![conv(3, 3, 3, 1, 1, true), Tanh, conv(3, 3, 3, 1, 1, true)], shortcut: vec![] },
            Tanh,
            Residual {
                body: vec![conv(3, 4, 3, 2, 1, true), Tanh, conv(4, 4, 3, 1, 1, true)],
                shortcut: vec![conv(3, 4, 1, 2, 0, false), BatchNorm2d { eps: 1e-5, momentum: 0.1, num_features: None }],
            },
            AvgPool2d { kernel: 3, stride: 1, padding: 1 },
            GlobalAvgPool,
            Flatten,
            Dense { in_features: Some(4), units: 5 },
        ],
    }
}

#[test]
fn residual_blocks_match_finite_differences_at_every_weight() {
    let b = reference();
    let spec = residual_spec();
    let mut model = Sequential::new(&b, spec.clone(), Init::XavierUniform, 11).unwrap();
    model.set_input(&b, &images(3, &spec), 3);
    check_model_grads(&b, &mut model, &[0.0, 4.0, 2.0], 1e-2, Tol::FD, |g| (0..g.len()).collect());
    // The names PyTorch's state_dict gives the exported Residual classes.
    let names: Vec<String> = model.params().iter().map(|p| p.name.clone()).collect();
    assert_eq!(names[..3], ["0.body.0.weight", "0.body.0.bias", "1.weight"]);
    assert!(names.contains(&"5.shortcut.0.weight".to_string()) && names.contains(&"5.shortcut.1.weight".to_string()), "{names:?}");
    assert!(!names.contains(&"5.shortcut.0.bias".to_string()), "bias=False has no bias: {names:?}");
}

/// d2l's Inception block between two layers: four paths, concatenated. Its paths end in ReLU and
/// one starts with a max pool (kinks), so the largest gradients of each weight tensor are
/// checked, as for the presets with ReLU. Not the biases: a bias moves every value of its
/// channel at once, and with 72 of them behind each ReLU some cross 0 inside any step (measured:
/// 8% off at eps 1e-3). PyTorch's values check the whole block exactly (pytorch_reference.rs).
#[test]
fn an_inception_block_backpropagates_through_its_four_paths() {
    let b = reference();
    let spec = ModelSpec {
        name: "inception".into(),
        input: [2, 6, 6],
        layers: vec![
            LayerSpec::Inception { in_channels: 2, c1: 2, c2: [2, 3], c3: [1, 2], c4: 2 },
            LayerSpec::AvgPool2d { kernel: 2, stride: 2, padding: 0 },
            LayerSpec::Flatten,
            LayerSpec::Dense { in_features: Some(81), units: 4 },
        ],
    };
    let mut model = Sequential::new(&b, spec.clone(), Init::XavierUniform, 5).unwrap();
    model.set_input(&b, &images(2, &spec), 2);
    check_model_grads(&b, &mut model, &[1.0, 3.0], 1e-3, Tol::FD_MODEL, |g| if g.len() > 4 { largest_two(g) } else { vec![] });
    let names: Vec<String> = model.params().iter().map(|p| p.name.clone()).filter(|n| n.ends_with("weight")).collect();
    assert_eq!(names, ["0.p1_1.weight", "0.p2_1.weight", "0.p2_2.weight", "0.p3_1.weight", "0.p3_2.weight", "0.p4_2.weight", "3.weight"]);
}

/// conv → sigmoid → Flatten → dense on a non-square input: Flatten's backward (a copy) joins the
/// dense gradient to the convolution's. Every parameter element is checked.
#[test]
fn flatten_joins_conv_and_dense_gradients() {
    let b = reference();
    let spec = ModelSpec {
        name: "conv-flatten-dense".into(),
        input: [2, 5, 4],
        layers: vec![
            LayerSpec::Conv2d { in_channels: Some(2), out_channels: 3, kernel: 3, stride: 1, padding: 1, bias: true },
            LayerSpec::Sigmoid,
            LayerSpec::Flatten,
            LayerSpec::Dense { in_features: Some(60), units: 4 },
        ],
    };
    let mut model = Sequential::new(&b, spec.clone(), Init::XavierUniform, 7).unwrap();
    model.set_input(&b, &images(3, &spec), 3);
    let labels = [0.0f32, 3.0, 1.0];
    check_model_grads(&b, &mut model, &labels, 1e-2, Tol::FD, |g| (0..g.len()).collect());

    // Flatten passes the gradient through unchanged: dL/d(conv activations) = dL/d(flat), reshaped.
    backprop(&b, &mut model, &labels);
    let grads = model.activation_grads();
    assert_eq!(b.shape(&grads[2]), Shape::nchw(3, 3, 5, 4));
    assert_eq!(b.shape(&grads[3]), Shape::nf(3, 60));
    assert_close("flatten dx = dy", &b.read(&grads[2]), &b.read(&grads[3]), Tol::EXACT);
    assert_close("flatten y = x", &b.read(&model.activations()[3]), &b.read(&model.activations()[2]), Tol::EXACT);
}

/// conv → BatchNorm2d → tanh → avg pool → flatten → dense, in training mode: the gradients flow
/// through the batch statistics (checked at every element of every parameter).
#[test]
fn batchnorm_in_a_model_backpropagates_and_eval_uses_running_stats() {
    let b = reference();
    let spec = ModelSpec {
        name: "conv-bn".into(),
        input: [1, 6, 6],
        layers: vec![
            LayerSpec::Conv2d { in_channels: Some(1), out_channels: 2, kernel: 3, stride: 1, padding: 0, bias: true },
            LayerSpec::BatchNorm2d { eps: 1e-5, momentum: 0.1, num_features: None },
            LayerSpec::Tanh,
            LayerSpec::AvgPool2d { kernel: 2, stride: 2, padding: 0 },
            LayerSpec::Flatten,
            LayerSpec::Dense { in_features: Some(8), units: 3 },
        ],
    };
    let mut model = Sequential::new(&b, spec.clone(), Init::XavierUniform, 3).unwrap();
    // γ and β away from 1 and 0, so their gradients are not the trivial ones.
    for p in model.params_mut() {
        if p.name == "1.weight" {
            b.write(&mut p.value, &[1.4, 0.7]);
        } else if p.name == "1.bias" {
            b.write(&mut p.value, &[0.3, -0.2]);
        }
    }
    let x = images(4, &spec);
    model.set_input(&b, &x, 4);
    let labels = [2.0f32, 0.0, 1.0, 2.0];
    check_model_grads(&b, &mut model, &labels, 1e-2, Tol::FD, |g| (0..g.len()).collect());

    // Evaluation: y = γ(x − running_mean)/√(running_var + ε) + β with the model's running stats,
    // which the training passes above have moved away from (0, 1).
    model.forward(&b, Mode::Eval);
    let state = model.state(&b);
    let get = |n: &str| state.iter().find(|t| t.name == n).unwrap_or_else(|| panic!("no tensor {n}")).data.clone();
    let (rm, rv, gamma, beta) = (get("1.running_mean"), get("1.running_var"), get("1.weight"), get("1.bias"));
    assert!(rm.iter().all(|&m| m != 0.0) && rv.iter().all(|&v| v != 1.0), "training did not update the running stats: {rm:?} {rv:?}");
    let conv_out = b.read(&model.activations()[1]);
    let want: Vec<f64> = conv_out
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let c = (i / 16) % 2; // the conv output is (4, 2, 4, 4): planes of 16 values
            gamma[c] as f64 * (v as f64 - rm[c] as f64) / (rv[c] as f64 + 1e-5).sqrt() + beta[c] as f64
        })
        .collect();
    assert_close("model batchnorm eval", &b.read(&model.activations()[2]), &want, Tol::F32);
}

#[test]
fn dropout_in_a_model_is_the_identity_in_eval_and_masks_in_train() {
    let b = reference();
    let p = 0.5f32;
    let spec = ModelSpec {
        name: "dropout".into(),
        input: [2, 3, 3],
        // Tanh first: the model computes no dx for its first layer, and we want dropout's.
        layers: vec![LayerSpec::Tanh, LayerSpec::Dropout { p }, LayerSpec::Flatten, LayerSpec::Dense { in_features: Some(18), units: 3 }],
    };
    let mut model = Sequential::new(&b, spec.clone(), Init::XavierUniform, 11).unwrap();
    let x = images(2, &spec);
    model.set_input(&b, &x, 2);

    model.forward(&b, Mode::Eval);
    let x = b.read(&model.activations()[1]);
    assert_close("dropout in eval is the identity", &b.read(&model.activations()[2]), &x, Tol::EXACT);

    let labels = [0.0f32, 2.0];
    backprop(&b, &mut model, &labels);
    let y = b.read(&model.activations()[2]);
    let dy = b.read(&model.activation_grads()[2]);
    let dx = b.read(&model.activation_grads()[1]);
    let kept = y.iter().filter(|&&v| v != 0.0).count();
    assert!(kept > 0 && kept < y.len(), "dropout p = {p} in training kept {kept} of {} units", y.len());
    for i in 0..y.len() {
        // Kept units are scaled by 1/(1−p) = 2 and pass their gradient scaled the same way.
        let scale = if y[i] == 0.0 { 0.0 } else { 2.0 };
        assert_eq!(y[i], x[i] * scale, "dropout y[{i}]");
        assert_eq!(dx[i], dy[i] * scale, "dropout dx[{i}]");
    }
    // Each training step draws a new mask from the model's seed.
    model.forward(&b, Mode::Train);
    assert_ne!(b.read(&model.activations()[2]), y, "two training steps drew the same dropout mask");
    // hash_uniform is the source the kernel must use (see gradcheck.rs); here only its rate.
    let rate = (0..10_000u32).filter(|&i| hash_uniform(99, i) < p).count();
    assert!((4_800..=5_200).contains(&rate), "hash_uniform < 0.5 for {rate} of 10000");
}

/// One `Trainer::train_step` with plain SGD moves every parameter by −lr·∂L/∂θ, where ∂L/∂θ is the
/// gradient checked above: the trainer wires loss, backward and update together correctly.
#[test]
fn a_trainer_step_with_sgd_moves_the_weights_against_the_gradient() {
    let b = reference();
    let spec = zoo::preset("lenet-d2l").unwrap();
    let x = images(2, &spec);
    let labels = [1.0f32, 8.0];
    let mut reference = Sequential::new(&b, spec.clone(), Init::XavierUniform, 5).unwrap();
    reference.set_input(&b, &x, 2);
    let grads = backprop(&b, &mut reference, &labels);
    let before: Vec<Vec<f32>> = reference.params().iter().map(|p| b.read(&p.value)).collect();

    let lr = 0.5f32;
    let mut trainer = Trainer::from_model(&b, Sequential::new(&b, spec, Init::XavierUniform, 5).unwrap(), OptimKind::Sgd, lr);
    trainer.train_step(&b, &x, &labels);
    for ((p, w0), (name, g)) in trainer.model.params().iter().zip(&before).zip(&grads) {
        let want: Vec<f32> = w0.iter().zip(g).map(|(w, g)| w - lr * g).collect();
        assert_close(&format!("{name} after one SGD step"), &b.read(&p.value), &want, Tol::F32);
    }
    let m = trainer.take_metrics(&b);
    let want_loss = host_cross_entropy(&b.read(reference.output()), &labels);
    assert_close("trainer's mean loss", &[m.loss], &[want_loss], Tol::F32);
    assert_eq!(m.examples, 2);
}

/// Every random choice (init, dropout masks) comes from the seed, and the kernels combine their
/// parallel partial sums in a fixed order: the same seed gives the same weights bit for bit.
#[test]
fn the_same_seed_gives_bit_identical_training_steps() {
    let b = reference();
    let spec = ModelSpec {
        name: "seeded".into(),
        input: [1, 12, 12],
        layers: vec![
            LayerSpec::Conv2d { in_channels: None, out_channels: 8, kernel: 3, stride: 1, padding: 1, bias: true },
            LayerSpec::BatchNorm2d { eps: 1e-5, momentum: 0.1, num_features: None },
            LayerSpec::Relu,
            LayerSpec::MaxPool2d { kernel: 2, stride: 2, padding: 0 },
            LayerSpec::Dropout { p: 0.25 },
            LayerSpec::Flatten,
            LayerSpec::Dense { in_features: None, units: 10 },
        ],
    };
    let n = 16;
    let x = images(n, &spec);
    let labels: Vec<f32> = (0..n).map(|i| (i % 10) as f32).collect();
    let run = |seed: u64| {
        let model = Sequential::new(&b, spec.clone(), Init::HeNormal, seed).unwrap();
        let mut t = Trainer::from_model(&b, model, OptimKind::ADAM, 1e-2);
        for _ in 0..3 {
            t.train_step(&b, &x, &labels);
        }
        t.model.state(&b)
    };
    let (a, again, other) = (run(9), run(9), run(10));
    for (p, q) in a.iter().zip(&again) {
        let bits = |v: &[f32]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&p.data), bits(&q.data), "{} differs between two runs with seed 9", p.name);
    }
    assert_ne!(a[0].data, other[0].data, "seeds 9 and 10 gave the same initial weights");
}
