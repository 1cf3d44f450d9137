//! The optimizer updates (`Backend::update` through `optim::Optimizer`): SGD, momentum in
//! PyTorch's form, and Adam with bias correction — first by hand, then three steps against
//! `torch.optim` with the generating script pasted above the test. They run on the reference
//! backend (`layers::update`); the fast backends are held to it by the agreement tests.

mod common;

use cnn_core::backend::{Backend, UpdateRule};
use cnn_core::layers::Param;
use cnn_core::optim::{OptimKind, Optimizer};
use cnn_core::tensor::Shape;
use common::*;

/// One call of the update kernel; returns (θ, state1, state2) after it.
fn update(b: &Reference, rule: UpdateRule, theta: &mut Tensor, grad: &[f32], s1: &mut Tensor, s2: &mut Tensor) -> [Vec<f32>; 3] {
    let g = upload(b, &[grad.len()], grad);
    b.update(rule, theta, &g, s1, s2);
    [b.read(theta), b.read(s1), b.read(s2)]
}

#[test]
fn sgd_by_hand() {
    let b = reference();
    let mut theta = upload(&b, &[3], &[1.0, -2.0, 0.5]);
    let (mut s1, mut s2) = (b.zeros(&Shape(vec![3])), b.zeros(&Shape(vec![3])));
    // θ ← θ − η·g with η = 0.5: 1 − 0.5·0.25, −2 − 0.5·(−1), 0.5 − 0.5·2.
    let [t, _, _] = update(&b, UpdateRule::Sgd { lr: 0.5, weight_decay: 0.0 }, &mut theta, &[0.25, -1.0, 2.0], &mut s1, &mut s2);
    assert_close("sgd θ", &t, &[0.875f32, -1.5, -0.5], Tol::EXACT);
}

#[test]
fn momentum_by_hand_pytorch_form() {
    let b = reference();
    let rule = UpdateRule::Momentum { lr: 0.5, momentum: 0.75, weight_decay: 0.0 };
    let mut theta = upload(&b, &[2], &[1.0, -1.0]);
    let (mut v, mut s2) = (b.zeros(&Shape(vec![2])), b.zeros(&Shape(vec![2])));
    // Step 1: v = 0.75·0 + g = (1, −2);              θ = (1 − 0.5, −1 + 1) = (0.5, 0).
    let [t, vel, _] = update(&b, rule, &mut theta, &[1.0, -2.0], &mut v, &mut s2);
    assert_close("momentum v₁", &vel, &[1.0f32, -2.0], Tol::EXACT);
    assert_close("momentum θ₁", &t, &[0.5f32, 0.0], Tol::EXACT);
    // Step 2: v = 0.75·(1, −2) + (0.25, 0.5) = (1, −1); θ = (0.5 − 0.5, 0 + 0.5) = (0, 0.5).
    // (Not the "dampened" v = μv + (1−μ)g, nor θ −= η·g + μ·v: PyTorch's form, as the trait says.)
    let [t, vel, _] = update(&b, rule, &mut theta, &[0.25, 0.5], &mut v, &mut s2);
    assert_close("momentum v₂", &vel, &[1.0f32, -1.0], Tol::EXACT);
    assert_close("momentum θ₂", &t, &[0.0f32, 0.5], Tol::EXACT);
}

#[test]
fn adam_by_hand_with_bias_correction() {
    let b = reference();
    let (lr, beta1, beta2, eps) = (0.1f32, 0.9f32, 0.999f32, 1e-8f32);
    let mut theta = upload(&b, &[3], &[1.0, -1.0, 0.0]);
    let (mut m, mut v) = (b.zeros(&Shape(vec![3])), b.zeros(&Shape(vec![3])));
    // Step 1: m = 0.1·g, v = 0.001·g²; the bias correction divides them by 0.1 and 0.001 again,
    // so m̂/√v̂ = g/|g| and every weight moves by lr = 0.1 against its gradient's sign, however
    // small or large the gradient is (without the correction it would move by 0.1/√0.001 ≈ 3.2·lr).
    let g1 = [0.5f32, -0.001, 20.0];
    let [t, m1, v1] = update(&b, UpdateRule::Adam { lr, beta1, beta2, eps, t: 1, weight_decay: 0.0 }, &mut theta, &g1, &mut m, &mut v);
    // ≈ (0.05, −0.0001, 2) and (0.00025, 1e-9, 0.4); 1 − β in f64 from the f32 β as the kernel
    // sees it (0.999f32 is 0.99900001…), relative tolerance only, as v is tiny.
    let (b1, b2) = (beta1 as f64, beta2 as f64);
    let tight = Tol { abs: 0.0, rel: 1e-6 };
    assert_close("adam m₁ = (1−β₁)g", &m1, &g1.map(|g| (1.0 - b1) * g as f64), tight);
    assert_close("adam v₁ = (1−β₂)g²", &v1, &g1.map(|g| (1.0 - b2) * (g as f64).powi(2)), tight);
    assert_close("adam θ₁ = θ₀ − lr·sign(g)", &t, &[0.9f32, -0.9, -0.1], Tol { abs: 1e-6, rel: 1e-5 });
    // Step 2 in f64 from the formulas: m = β₁m + (1−β₁)g, v = β₂v + (1−β₂)g²,
    // θ −= lr·(m/(1−β₁²)) / (√(v/(1−β₂²)) + ε).
    let g2 = [-0.25f32, 0.002, 10.0];
    let [t2, m2, v2] = update(&b, UpdateRule::Adam { lr, beta1, beta2, eps, t: 2, weight_decay: 0.0 }, &mut theta, &g2, &mut m, &mut v);
    let mut want = [[0.0f64; 3]; 3];
    for i in 0..3 {
        let m = b1 * m1[i] as f64 + (1.0 - b1) * g2[i] as f64;
        let v = b2 * v1[i] as f64 + (1.0 - b2) * (g2[i] as f64).powi(2);
        let step = lr as f64 * (m / (1.0 - b1 * b1)) / ((v / (1.0 - b2 * b2)).sqrt() + eps as f64);
        want[0][i] = t[i] as f64 - step;
        want[1][i] = m;
        want[2][i] = v;
    }
    assert_close("adam m₂", &m2, &want[1], Tol::F32);
    assert_close("adam v₂", &v2, &want[2], Tol::F32);
    assert_close("adam θ₂", &t2, &want[0], Tol::F32);
}

// import struct
// import torch
// def pat(n, mul, mod, scale, offset):  # common::pattern: ((i·mul) mod m)·scale + offset, exact in f32
//     return ((torch.arange(n) * mul) % mod).float() * scale + offset
// def show(name, t):  # a Rust array literal; each f32 in the fewest digits that read back exactly
//     same = lambda s, v: struct.unpack("f", struct.pack("f", float(s)))[0] == v
//     vals = [next(s for s in ("%.*g" % (d, v) for d in range(1, 10)) if same(s, v)) for v in t.detach().flatten().tolist()]
//     vals = [s if any(c in s for c in ".en") else s + ".0" for s in vals]
//     print(f"const {name}: [f32; {len(vals)}] = [{', '.join(vals)}];")
// theta0 = torch.tensor([0.5, -1.5, 2.0, 0.01])
// grads = [torch.tensor([0.1, -0.2, 0.3, 1e-3]), torch.tensor([-0.4, 0.5, 0.05, 0.0]), torch.tensor([0.25, 0.25, -0.1, -2.0])]
// for name, make in [("SGD", lambda p: torch.optim.SGD(p, lr=0.1)),
//                    ("MOMENTUM", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
//                    ("ADAM", lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.9, 0.999), eps=1e-8))]:
//     p = theta0.clone().requires_grad_()
//     opt = make([p])
//     for t, g in enumerate(grads):
//         p.grad = g.clone()
//         opt.step()
//         show(f"{name}_{t + 1}", p)
#[test]
fn three_steps_match_torch_optim() {
    const SGD_1: [f32; 4] = [
        0.49, -1.48, 1.97, 0.0099,
    ];
    const SGD_2: [f32; 4] = [
        0.53000003, -1.53, 1.965, 0.0099,
    ];
    const SGD_3: [f32; 4] = [
        0.50500005, -1.555, 1.975, 0.2099,
    ];
    const MOMENTUM_1: [f32; 4] = [
        0.49, -1.48, 1.97, 0.0099,
    ];
    const MOMENTUM_2: [f32; 4] = [
        0.521, -1.512, 1.9380001, 0.00981,
    ];
    const MOMENTUM_3: [f32; 4] = [
        0.52390003, -1.5658, 1.9192001, 0.209729,
    ];
    const ADAM_1: [f32; 4] = [
        0.49, -1.49, 1.99, 1.0058284e-07,
    ];
    const ADAM_2: [f32; 4] = [
        0.49559504, -1.4944222, 1.9821668, -0.0067003868,
    ];
    const ADAM_3: [f32; 4] = [
        0.4959794, -1.5002135, 1.9784123, -0.00031484012,
    ];
    let b = reference();
    let theta0 = [0.5f32, -1.5, 2.0, 0.01];
    let grads = [[0.1f32, -0.2, 0.3, 1e-3], [-0.4, 0.5, 0.05, 0.0], [0.25, 0.25, -0.1, -2.0]];
    let cases: [(OptimKind, f32, [&[f32; 4]; 3]); 3] = [
        (OptimKind::Sgd, 0.1, [&SGD_1, &SGD_2, &SGD_3]),
        (OptimKind::Momentum { momentum: 0.9 }, 0.1, [&MOMENTUM_1, &MOMENTUM_2, &MOMENTUM_3]),
        (OptimKind::Adam { beta1: 0.9, beta2: 0.999, eps: 1e-8 }, 0.01, [&ADAM_1, &ADAM_2, &ADAM_3]),
    ];
    for (kind, lr, want) in cases {
        // Through `Optimizer::step`, which also counts Adam's t.
        let mut p = Param::new(&b, "w".into(), Shape(vec![4]), &theta0);
        let mut opt = Optimizer::new(kind, lr);
        for (step, g) in grads.iter().enumerate() {
            b.write(&mut p.grad, g);
            opt.step(&b, vec![&mut p]);
            assert_close(&format!("{kind:?} θ after step {}", step + 1), &b.read(&p.value), want[step], Tol::TORCH);
        }
        assert_eq!(opt.steps, 3);
    }
}

// Weight decay (PyTorch's `weight_decay`, L2): the same three steps as above with λ = 0.2, the
// gradient each rule uses being g + λ·θ (Adam is torch.optim.Adam, not AdamW). torch 2.15.0:
// import struct
// import torch
// def show(name, t):  # a Rust array literal; each f32 in the fewest digits that read back exactly
//     same = lambda s, v: struct.unpack("f", struct.pack("f", float(s)))[0] == v
//     vals = [next(s for s in ("%.*g" % (d, v) for d in range(1, 10)) if same(s, v)) for v in t.detach().flatten().tolist()]
//     vals = [s if any(c in s for c in ".en") else s + ".0" for s in vals]
//     print(f"const {name}: [f32; {len(vals)}] = [{', '.join(vals)}];")
// theta0 = torch.tensor([0.5, -1.5, 2.0, 0.01])
// grads = [torch.tensor([0.1, -0.2, 0.3, 1e-3]), torch.tensor([-0.4, 0.5, 0.05, 0.0]), torch.tensor([0.25, 0.25, -0.1, -2.0])]
// for name, make in [("SGD_WD", lambda p: torch.optim.SGD(p, lr=0.1, weight_decay=0.2)),
//                    ("MOMENTUM_WD", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.2)),
//                    ("ADAM_WD", lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.2))]:
//     p = theta0.clone().requires_grad_()
//     opt = make([p])
//     for t, g in enumerate(grads):
//         p.grad = g.clone()
//         opt.step()
//         show(f"{name}_{t + 1}", p)
// Output:
// const SGD_WD_1: [f32; 4] = [0.48, -1.45, 1.93, 0.009699999];
// const SGD_WD_2: [f32; 4] = [0.5104, -1.4710001, 1.8864, 0.009505999];
// const SGD_WD_3: [f32; 4] = [0.475192, -1.46658, 1.858672, 0.20931588];
// const MOMENTUM_WD_1: [f32; 4] = [0.48, -1.45, 1.93, 0.009699999];
// const MOMENTUM_WD_2: [f32; 4] = [0.4924, -1.426, 1.8233999, 0.009236];
// const MOMENTUM_WD_3: [f32; 4] = [0.468712, -1.40088, 1.7009919, 0.20863369];
// const ADAM_WD_1: [f32; 4] = [0.49, -1.49, 1.99, 3.4458935e-08];
// const ADAM_WD_2: [f32; 4] = [0.4925067, -1.4865763, 1.9803444, -0.006700533];
// const ADAM_WD_3: [f32; 4] = [0.48947206, -1.4833812, 1.9711688, -0.00032016123];
#[test]
fn three_steps_with_weight_decay_match_torch_optim() {
    const SGD_WD_1: [f32; 4] = [0.48, -1.45, 1.93, 0.009699999];
    const SGD_WD_2: [f32; 4] = [0.5104, -1.4710001, 1.8864, 0.009505999];
    const SGD_WD_3: [f32; 4] = [0.475192, -1.46658, 1.858672, 0.20931588];
    const MOMENTUM_WD_1: [f32; 4] = [0.48, -1.45, 1.93, 0.009699999];
    const MOMENTUM_WD_2: [f32; 4] = [0.4924, -1.426, 1.8233999, 0.009236];
    const MOMENTUM_WD_3: [f32; 4] = [0.468712, -1.40088, 1.7009919, 0.20863369];
    const ADAM_WD_1: [f32; 4] = [0.49, -1.49, 1.99, 3.4458935e-08];
    const ADAM_WD_2: [f32; 4] = [0.4925067, -1.4865763, 1.9803444, -0.006700533];
    const ADAM_WD_3: [f32; 4] = [0.48947206, -1.4833812, 1.9711688, -0.00032016123];
    let b = reference();
    let theta0 = [0.5f32, -1.5, 2.0, 0.01];
    let grads = [[0.1f32, -0.2, 0.3, 1e-3], [-0.4, 0.5, 0.05, 0.0], [0.25, 0.25, -0.1, -2.0]];
    let cases: [(OptimKind, f32, [&[f32; 4]; 3]); 3] = [
        (OptimKind::Sgd, 0.1, [&SGD_WD_1, &SGD_WD_2, &SGD_WD_3]),
        (OptimKind::Momentum { momentum: 0.9 }, 0.1, [&MOMENTUM_WD_1, &MOMENTUM_WD_2, &MOMENTUM_WD_3]),
        (OptimKind::Adam { beta1: 0.9, beta2: 0.999, eps: 1e-8 }, 0.01, [&ADAM_WD_1, &ADAM_WD_2, &ADAM_WD_3]),
    ];
    for (kind, lr, want) in cases {
        let mut p = Param::new(&b, "w".into(), Shape(vec![4]), &theta0);
        let mut opt = Optimizer { weight_decay: 0.2, ..Optimizer::new(kind, lr) };
        for (step, g) in grads.iter().enumerate() {
            b.write(&mut p.grad, g);
            opt.step(&b, vec![&mut p]);
            assert_close(&format!("{kind:?}, λ 0.2: θ after step {}", step + 1), &b.read(&p.value), want[step], Tol::TORCH);
        }
    }
}

/// λ = 0 is the rule without weight decay, bit for bit, signed zeros and huge weights included
/// (0·θ adds nothing): the first step written out as the rules were before weight decay.
#[test]
fn zero_weight_decay_changes_nothing() {
    let b = reference();
    let theta0 = [0.5f32, -1.5, 0.0, -0.0, -0.0, 3e-39, 1e30];
    let g = [0.1f32, -0.0, -0.0, -0.0, 0.0, 1e-3, -2.0];
    for kind in [OptimKind::Sgd, OptimKind::MOMENTUM] {
        let want: Vec<u32> = theta0
            .iter()
            .zip(&g)
            .map(|(&t, &g)| match kind {
                OptimKind::Sgd => t - 0.1 * g,
                // v = μ·0 + g (which turns a −0 gradient into +0), θ − η·v.
                _ => t - 0.1 * (0.9 * 0.0 + g),
            })
            .map(f32::to_bits)
            .collect();
        let mut p = Param::new(&b, "w".into(), Shape(vec![theta0.len()]), &theta0);
        b.write(&mut p.grad, &g);
        Optimizer::new(kind, 0.1).step(&b, vec![&mut p]);
        let got = b.read(&p.value);
        assert_eq!(got.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), want, "{kind:?}: {got:?}");
    }
}

// Adam's t is each parameter's own count, as PyTorch's state['step']: a tensor left out of the
// first two steps (a frozen layer: grad None, skipped) takes its first update, t = 1, at step 3.
// torch 2.15.0 (`show` as above):
// a = torch.tensor([0.5, -1.5]).requires_grad_()
// b = torch.tensor([2.0, 0.01]).requires_grad_()
// opt = torch.optim.Adam([a, b], lr=0.01, weight_decay=0.1)
// grads = [[0.1, -0.2], [-0.4, 0.5], [0.25, 0.25]]
// for t, g in enumerate(grads):
//     a.grad = torch.tensor(g) if t == 2 else None
//     b.grad = torch.tensor(g[::-1])
//     opt.step()
// show("A_3", a)
// show("B_3", b)
// print(opt.state[a]["step"].item(), opt.state[b]["step"].item())
// Output:
// const A_3: [f32; 2] = [0.49, -1.51];
// const B_3: [f32; 2] = [1.9842668, 0.005941349];
// 1.0 3.0
#[test]
fn adam_counts_each_parameters_own_steps_like_torch() {
    const A_3: [f32; 2] = [0.49, -1.51];
    const B_3: [f32; 2] = [1.9842668, 0.005941349];
    let b = reference();
    let mut pa = Param::new(&b, "a".into(), Shape(vec![2]), &[0.5, -1.5]);
    let mut pb = Param::new(&b, "b".into(), Shape(vec![2]), &[2.0, 0.01]);
    let mut opt = Optimizer { weight_decay: 0.1, ..Optimizer::new(OptimKind::ADAM, 0.01) };
    let grads = [[0.1f32, -0.2], [-0.4, 0.5], [0.25, 0.25]];
    for (step, g) in grads.iter().enumerate() {
        b.write(&mut pb.grad, &[g[1], g[0]]);
        if step == 2 {
            b.write(&mut pa.grad, g);
            opt.step(&b, vec![&mut pa, &mut pb]);
        } else {
            opt.step(&b, vec![&mut pb]);
        }
    }
    assert_eq!((pa.updates, pb.updates, opt.steps), (1, 3, 3));
    assert_close("a, first updated at step 3", &b.read(&pa.value), &A_3, Tol::TORCH);
    assert_close("b, updated at every step", &b.read(&pb.value), &B_3, Tol::TORCH);
}
