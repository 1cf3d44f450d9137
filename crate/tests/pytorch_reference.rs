//! The primitives against fixed values computed by PyTorch 2.15 (CPU, float32). Each test has the
//! script that printed its constants pasted above it; run it with `python3` to regenerate them.
//! Inputs are `pattern(...)`s: small integers times a scale, bit-identical in both programs.
//! For each op: the forward output and every gradient (dx, dw, db) for a fixed upstream dy. Then
//! two whole networks built by `Sequential` (a residual one and an Inception one, the graph's
//! blocks): logits, loss and every parameter's gradient of one training step.
//! The ops run on the reference backend (the plain loops of `crate::layers`); the fast backends
//! inherit these values through the agreement tests (tests/agreement), which hold them to it.

mod common;

use cnn_core::backend::{Backend, ConvGeom, PoolGeom, PoolKind, RegressionLoss, METRICS_LEN};
use cnn_core::init::Init;
use cnn_core::model::{LayerSpec, Mode, ModelSpec, NamedTensor, Sequential};
use cnn_core::tensor::{conv_output_size, Shape};
use common::*;

#[allow(clippy::too_many_arguments)]
fn conv(n: usize, c_in: usize, h: usize, w: usize, c_out: usize, kernel: usize, stride: usize, padding: usize) -> ConvGeom {
    let out = |s| conv_output_size(s, kernel, stride, padding).expect("test geometry fits");
    ConvGeom { n, c_in, h_in: h, w_in: w, c_out, h_out: out(h), w_out: out(w), kernel, stride, padding }
}

fn pool(n: usize, c: usize, h: usize, w: usize, kernel: usize, stride: usize) -> PoolGeom {
    padded_pool(n, c, h, w, kernel, stride, 0)
}

fn padded_pool(n: usize, c: usize, h: usize, w: usize, kernel: usize, stride: usize, padding: usize) -> PoolGeom {
    let out = |s| conv_output_size(s, kernel, stride, padding).expect("test geometry fits");
    PoolGeom { n, c, h_in: h, w_in: w, h_out: out(h), w_out: out(w), kernel, stride, padding }
}

/// Forward and backward of one convolution against PyTorch's y, dx, dw, db.
fn check_conv(g: &ConvGeom, x: &[f32], w: &[f32], bias: &[f32], dy: &[f32], want: (&[f32], &[f32], &[f32], &[f32])) {
    let b = reference();
    let xs = [g.n, g.c_in, g.h_in, g.w_in];
    let ws = [g.c_out, g.c_in, g.kernel, g.kernel];
    let ys = [g.n, g.c_out, g.h_out, g.w_out];
    let (xt, wt, bt, dyt) = (upload(&b, &xs, x), upload(&b, &ws, w), upload(&b, &[g.c_out], bias), upload(&b, &ys, dy));
    let mut y = garbage(&b, &ys);
    b.conv2d_forward(&xt, &wt, &bt, &mut y, g);
    assert_close(&format!("conv2d y vs PyTorch {g:?}"), &b.read(&y), want.0, Tol::TORCH);
    let (mut dx, mut dw, mut db) = (garbage(&b, &xs), garbage(&b, &ws), garbage(&b, &[g.c_out]));
    b.conv2d_backward(&xt, &wt, &dyt, Some(&mut dx), &mut dw, &mut db, g);
    assert_close(&format!("conv2d dx vs PyTorch {g:?}"), &b.read(&dx), want.1, Tol::TORCH);
    assert_close(&format!("conv2d dw vs PyTorch {g:?}"), &b.read(&dw), want.2, Tol::TORCH);
    assert_close(&format!("conv2d db vs PyTorch {g:?}"), &b.read(&db), want.3, Tol::TORCH);
}

/// Forward and backward of one pooling layer against PyTorch's y and dx.
fn check_pool(kind: PoolKind, g: &PoolGeom, x: &[f32], dy: &[f32], want_y: &[f32], want_dx: &[f32]) {
    let b = reference();
    let (xs, ys) = ([g.n, g.c, g.h_in, g.w_in], [g.n, g.c, g.h_out, g.w_out]);
    let xt = upload(&b, &xs, x);
    let mut y = garbage(&b, &ys);
    b.pool2d_forward(kind, &xt, &mut y, g);
    assert_close(&format!("{kind:?} pool y vs PyTorch {g:?}"), &b.read(&y), want_y, Tol::TORCH);
    let mut dx = garbage(&b, &xs);
    b.pool2d_backward(kind, &xt, &upload(&b, &ys, dy), &mut dx, g);
    assert_close(&format!("{kind:?} pool dx vs PyTorch {g:?}"), &b.read(&dx), want_dx, Tol::TORCH);
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
// F = torch.nn.functional
// x = pat(2 * 2 * 5 * 4, 7, 11, 0.1, -0.5).reshape(2, 2, 5, 4).requires_grad_()
// w = pat(3 * 2 * 3 * 3, 5, 13, 0.05, -0.3).reshape(3, 2, 3, 3).requires_grad_()
// b = torch.tensor([0.1, -0.2, 0.3], requires_grad=True)
// y = F.conv2d(x, w, b, stride=2, padding=1)
// dy = pat(y.numel(), 3, 7, 0.25, -0.75).reshape(y.shape)
// y.backward(dy)
// print(tuple(y.shape))
// show("Y", y); show("DX", x.grad); show("DW", w.grad); show("DB", b.grad)
#[test]
fn conv2d_3x3_stride2_pad1_matches_pytorch() {
    const Y: [f32; 36] = [
        0.20500001, 0.485, -0.065000005, 0.050000023, 0.050000023, 0.11499998, 0.10000001, -0.165,
        -0.095, -0.70000005, 0.07000004, -0.51500005, 0.405, 0.31, 0.28500003, -0.13000003,
        0.565, -0.01999998, -0.14000002, 0.14000003, -0.010000028, 0.285, 0.285, -0.23500007,
        -0.615, -0.155, -0.45500004, 0.175, -0.06499998, -0.185, 0.034999996, 0.6750001,
        0.22500001, 0.345, 0.45000002, 0.34,
    ];
    const DX: [f32; 80] = [
        -0.012499981, -0.14999999, -0.012500003, -0.1375, -0.0375, 0.39999998, -0.12499999, 0.3625,
        0.074999996, -0.06249997, -0.0124999955, 0.1125, -0.037499994, -0.12500003, 0.049999997, -0.2125,
        -0.012500018, 0.28750002, -0.012499988, -0.075, 0.17500001, 0.05000002, -0.16250001, 0.0375,
        0.3125, -0.062499985, 0.19999997, -0.12500001, -0.41250002, 0.08749998, 0.3, -0.0625,
        0.2625, -0.075, -0.2, 0.024999999, -0.03750001, -0.13750002, 0.23750001, 0.012500003,
        -0.012500018, 0.28750002, -0.012499988, -0.075, 0.04999999, 0.40000004, 0.050000004, -0.2625,
        -0.01250001, 0.28750002, -0.012499981, -0.2625, 0.049999997, -0.12499997, -0.0375, 0.03749998,
        -0.012500003, -0.0625, 0.074999996, 0.07500002, -0.03750001, -0.13750002, 0.23750001, 0.012500003,
        -0.22500001, -0.0875, -0.1625, 0.17500001, -0.10000001, -0.1, 0.17500001, 0.087500006,
        -0.1875, -0.012499988, 0.3125, 0.062500015, -0.16250001, 0.1125, -0.41250002, 0.074999996,
    ];
    const DW: [f32; 54] = [
        0.25, -0.225, -1.075, 0.0, -0.100000024, 0.45000005, -0.27499998, -0.22500004,
        0.35000002, 0.19999999, -0.17500001, 0.35000002, -1.0, 0.45, 0.45000008, 0.175,
        0.825, -1.075, -0.27499998, 1.0, -0.099999994, 2.9802322e-08, 0.07500001, -0.65,
        0.25, 0.29999998, -0.07499999, 0.1, -0.37500003, -0.10000001, 0.45000002, 0.14999998,
        -0.024999961, -0.8, -0.6, 0.40000004, -0.27499998, -0.22500004, 0.35000002, 0.34999996,
        -0.27500004, -0.35000005, -0.275, -0.5749999, 0.725, 0.175, 0.825, -1.075,
        -0.025000028, -0.6750001, 0.8999999, 0.15, 0.95000005, -0.225,
    ];
    const DB: [f32; 3] = [
        0.0, -0.25, -0.5,
    ];
    let (x, w, bias) = (pattern(80, 7, 11, 0.1, -0.5), pattern(54, 5, 13, 0.05, -0.3), [0.1, -0.2, 0.3]);
    let dy = pattern(36, 3, 7, 0.25, -0.75);
    check_conv(&conv(2, 2, 5, 4, 3, 3, 2, 1), &x, &w, &bias, &dy, (&Y, &DX, &DW, &DB));
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
// F = torch.nn.functional
// x = pat(1 * 1 * 6 * 7, 5, 17, 0.1, -0.8).reshape(1, 1, 6, 7).requires_grad_()
// w = pat(2 * 1 * 5 * 5, 3, 11, 0.04, -0.2).reshape(2, 1, 5, 5).requires_grad_()
// b = torch.tensor([-0.5, 0.25], requires_grad=True)
// y = F.conv2d(x, w, b, stride=1, padding=2)
// dy = pat(y.numel(), 5, 9, 0.2, -0.8).reshape(y.shape)
// y.backward(dy)
// print(tuple(y.shape))
// show("Y", y); show("DX", x.grad); show("DW", w.grad); show("DB", b.grad)
#[test]
fn conv2d_5x5_pad2_single_channel_in_matches_pytorch() {
    const Y: [f32; 84] = [
        -0.40399998, -0.33600003, -0.292, -0.42, -0.684, -0.412, -0.608, -0.524,
        -0.28800005, -0.67999995, -0.34000003, -0.68000007, -0.28800002, -0.524, -0.62399995, -0.58,
        -0.36399996, -0.21199998, -0.6040001, -0.384, -0.076000035, -0.608, -0.576, -0.18400002,
        -0.57600003, -0.56, -0.672, -0.24800003, -0.64000005, -0.13599998, -0.39199996, -0.85999995,
        -0.58, -0.356, -0.34000003, -0.54800004, -0.35999998, -0.39599997, -0.708, -0.68,
        -0.14000005, -0.62, 0.22600004, 0.106000006, 0.37800002, -0.029999971, 0.17399998, 0.43,
        0.20199998, 0.15, 0.298, 0.19400004, 0.19000001, 0.25399992, -0.07799998, 0.34600002,
        0.15799999, 0.42600003, 0.10200004, 0.28599998, 0.06199999, 0.35400003, -0.002000004, 0.14200002,
        0.538, 0.43800002, 0.07799998, 0.39799994, 0.354, 0.018000007, 0.238, 0.24599999,
        0.08200005, 0.23799996, 0.66599995, -0.07800001, 0.39, 0.35, 0.022000074, 0.23000002,
        0.38599998, 0.406, 0.43, 0.24599999,
    ];
    const DX: [f32; 42] = [
        0.05599996, -0.024000045, -0.7359999, 0.952, -0.74399996, 0.08799999, 0.16800003, -0.2,
        -0.055999942, 0.25599992, -0.40000004, -0.55199987, 0.8000001, -0.4799999, 0.31200004, 0.61599994,
        -0.06400004, -0.27199996, 0.45599994, -0.36799997, -0.40799987, 0.2, -0.35999998, 0.28000006,
        0.576, -0.06400004, -0.18399993, 0.45599997, -0.48799992, -0.19200008, 0.25600007, -0.456,
        0.4880001, 0.031999987, 0.08799993, -0.29599997, 0.584, -0.62399995, -0.023999967, 1.9580126e-08,
        -0.23999998, 0.22400002,
    ];
    const DW: [f32; 50] = [
        0.040000115, -0.10000006, 0.42, -0.22000006, 0.63999987, 1.1200001, -1.8600004, -0.7599999,
        -1.1999998, 1.0, 1.5999999, -1.16, -1.26, -2.1999998, 0.4600001, 0.59999985,
        -0.21999995, 0.099999964, -0.54000014, -0.7, -0.87999994, 0.20000021, 0.7199999, 0.40000007,
        0.49999994, 0.64000005, -0.21999983, 0.41999996, -0.10000005, 0.040000107, -1.2199999, 0.5400001,
        1.4600002, -0.059999947, 1.3599999, -3.0200002, 0.52, 0.54000014, 0.31999996, 2.26,
        -0.9, 0.25999996, -1.4, 0.54000014, 0.74, 0.44000003, 0.019999977, 0.36000007,
        -0.85999995, -1.4200001,
    ];
    const DB: [f32; 2] = [
        -0.6000001, -0.6000001,
    ];
    let (x, w, bias) = (pattern(42, 5, 17, 0.1, -0.8), pattern(50, 3, 11, 0.04, -0.2), [-0.5, 0.25]);
    let dy = pattern(84, 5, 9, 0.2, -0.8);
    check_conv(&conv(1, 1, 6, 7, 2, 5, 1, 2), &x, &w, &bias, &dy, (&Y, &DX, &DW, &DB));
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
// F = torch.nn.functional
// x = pat(2 * 2 * 7 * 7, 37, 199, 0.05, -4.95).reshape(2, 2, 7, 7)  # distinct values: no ties
// for name, pool in [("MAX", F.max_pool2d), ("AVG", F.avg_pool2d)]:
//     xg = x.clone().requires_grad_()
//     y = pool(xg, kernel_size=3, stride=2)  # overlapping windows
//     dy = pat(y.numel(), 5, 11, 0.1, -0.5).reshape(y.shape)
//     y.backward(dy)
//     print(tuple(y.shape))
//     show(f"{name}_Y", y); show(f"{name}_DX", xg.grad)
#[test]
fn pool_3x3_stride2_overlapping_matches_pytorch() {
    const MAX_Y: [f32; 36] = [
        4.75, 4.75, 4.3, 4.75, 4.75, 4.5, 4.950001, 4.5,
        4.5, 4.0, 4.700001, 3.5500002, 4.0, 3.75, 4.450001, 4.9000006,
        4.9000006, 3.5, 3.9500008, 4.6500006, 4.6500006, 3.25, 4.8500004, 4.4000006,
        4.1500006, 4.8500004, 4.6000004, 4.3500004, 3.9000006, 3.6500006, 4.3500004, 4.8,
        4.8, 4.1000004, 4.1000004, 4.55,
    ];
    const MAX_DX: [f32; 196] = [
        0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        -0.19999999, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        -0.3, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.3, 0.0, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.100000024, 0.0, 0.0, 0.0, 0.0,
        -0.4, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, -0.099999994, 0.0, 0.0, 0.0, 0.0,
        0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.20000005, 0.0,
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        0.3, 0.0, 0.0, 0.0, 0.0, 0.0, -0.20000002, 0.0,
        0.0, 0.0, 0.0, -0.3, 0.0, 0.0, 0.0, 0.0,
        0.100000024, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        0.0, -0.6, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0,
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        0.0, 0.40000004, 0.0, 0.0, 0.0, 0.0, 0.3, 0.0,
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.3, 0.0,
        0.0, 0.0, 0.0, 0.0, -0.29999998, 0.0, 0.0, 0.0,
        0.0, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.0,
    ];
    const AVG_Y: [f32; 36] = [
        -0.0999998, 0.28333354, -0.4388886, 0.3722224, 0.7555557, 0.03333354, 0.8444448, 0.12222237,
        0.5055557, -0.105555326, 0.27777806, -0.44444418, -0.7388887, -0.35555527, 0.027778069, 0.8388892,
        0.116666876, -0.6055553, -0.11111082, 0.27222264, 0.65555584, -0.7444441, 0.7444447, 0.022222625,
        -0.27222192, 0.111111455, 0.49444485, -0.11666637, -0.8388887, -0.45555517, 0.35555586, 0.73888916,
        0.016666915, -0.2777775, 0.105555855, 0.48888916,
    ];
    const AVG_DX: [f32; 196] = [
        -0.055555556, -0.055555556, -0.055555556, 0.0, 0.055555556, 0.055555556, 0.055555556, -0.055555556,
        -0.055555556, -0.055555556, 0.0, 0.055555556, 0.055555556, 0.055555556, -0.06666666, -0.06666666,
        -0.022222213, 0.04444445, 0.07777779, 0.033333335, 0.033333335, -0.01111111, -0.01111111, 0.03333334,
        0.04444445, 0.022222228, -0.02222222, -0.02222222, 0.022222225, 0.022222225, 0.033333343, 0.011111114,
        0.011111114, 0.0, 0.0, 0.033333335, 0.033333335, 0.0, -0.033333335, -0.011111114,
        0.02222222, 0.02222222, 0.033333335, 0.033333335, 0.0, -0.033333335, -0.011111114, 0.02222222,
        0.02222222, -0.044444446, -0.044444446, -0.03333333, 0.011111114, -0.04444444, -0.055555556, -0.055555556,
        -0.044444446, -0.044444446, -0.03333333, 0.011111114, -0.04444444, -0.055555556, -0.055555556, -0.044444446,
        -0.044444446, 0.022222225, 0.06666667, 3.7252903e-09, -0.06666666, -0.06666666, 0.0, 0.0,
        0.055555556, 0.055555556, 0.044444446, -0.01111111, -0.01111111, 0.04444445, 0.04444445, 0.07777779,
        0.033333335, 0.05555556, 0.022222225, 0.022222225, 0.04444445, 0.04444445, 0.022222228, -0.02222222,
        0.011111114, 0.033333335, 0.033333335, 0.04444445, 0.04444445, 0.022222228, -0.02222222, 0.011111114,
        0.033333335, 0.033333335, -0.033333335, -0.033333335, -0.011111114, 0.02222222, -0.022222225, -0.044444446,
        -0.044444446, -0.033333335, -0.033333335, -0.011111114, 0.02222222, -0.022222225, -0.044444446, -0.044444446,
        -0.02222222, -0.02222222, -0.055555556, -0.033333335, -0.07777778, -0.044444446, -0.044444446, 0.011111114,
        0.011111114, -0.04444444, -0.055555556, -0.055555556, 0.0, 0.0, 0.06666667, 0.06666667,
        3.7252903e-09, -0.06666666, -0.022222213, 0.04444445, 0.04444445, 0.055555556, 0.055555556, 0.044444446,
        -0.01111111, 0.03333334, 0.04444445, 0.04444445, 0.055555556, 0.055555556, 0.044444446, -0.01111111,
        0.03333334, 0.04444445, 0.04444445, -0.02222222, -0.02222222, 0.011111114, 0.033333335, 0.0,
        -0.033333335, -0.033333335, -0.02222222, -0.02222222, 0.011111114, 0.033333335, 0.0, -0.033333335,
        -0.033333335, 0.0, 0.0, -0.01111111, -0.01111111, -0.03333333, -0.02222222, -0.02222222,
        0.02222222, 0.02222222, -0.022222225, -0.044444446, -0.03333333, 0.011111114, 0.011111114, -0.033333335,
        -0.033333335, -0.07777778, -0.044444446, 0.022222225, 0.06666667, 0.06666667, -0.055555556, -0.055555556,
        -0.055555556, 0.0, 0.055555556, 0.055555556, 0.055555556, -0.055555556, -0.055555556, -0.055555556,
        0.0, 0.055555556, 0.055555556, 0.055555556,
    ];
    let (g, x, dy) = (pool(2, 2, 7, 7, 3, 2), pattern(196, 37, 199, 0.05, -4.95), pattern(36, 5, 11, 0.1, -0.5));
    check_pool(PoolKind::Max, &g, &x, &dy, &MAX_Y, &MAX_DX);
    check_pool(PoolKind::Avg, &g, &x, &dy, &AVG_Y, &AVG_DX);
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
// F = torch.nn.functional
// x = pat(1 * 3 * 4 * 6, 7, 73, 0.1, -3.6).reshape(1, 3, 4, 6)  # distinct values: no ties
// for name, pool in [("MAX", F.max_pool2d), ("AVG", F.avg_pool2d)]:
//     xg = x.clone().requires_grad_()
//     y = pool(xg, kernel_size=2, stride=2)
//     dy = pat(y.numel(), 3, 5, 0.5, -1.0).reshape(y.shape)
//     y.backward(dy)
//     print(tuple(y.shape))
//     show(f"{name}_Y", y); show(f"{name}_DX", xg.grad)
#[test]
fn pool_2x2_stride2_non_square_matches_pytorch() {
    const MAX_Y: [f32; 18] = [
        1.3000002, 2.7000003, 3.4, 2.4, 3.1000004, 1.0, 3.5, 0.7000003,
        2.1000004, 0.4000001, 1.8000002, 3.2000003, 1.5, 2.9, 3.6000004, 2.6000004,
        3.3000002, 2.3000002,
    ];
    const MAX_DX: [f32; 72] = [
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0,
        0.0, 0.5, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0,
        0.0, -1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, -0.5, 0.0, 1.0, 0.0, 0.5,
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0,
        0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        0.0, -0.5, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.0, 0.0, -1.0, 0.5, 0.0,
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5,
    ];
    const AVG_Y: [f32; 18] = [
        -1.1499999, 0.25000018, -0.1749999, -0.049999833, -0.47499985, -0.8999999, 1.0500002, -1.1999998,
        0.2000002, -1.4999999, -0.099999815, 1.3000002, -0.39999986, 1.0000002, 0.57500017, 0.7000002,
        0.2750001, -0.14999986,
    ];
    const AVG_DX: [f32; 72] = [
        -0.25, -0.25, 0.125, 0.125, -0.125, -0.125, -0.25, -0.25,
        0.125, 0.125, -0.125, -0.125, 0.25, 0.25, 0.0, 0.0,
        -0.25, -0.25, 0.25, 0.25, 0.0, 0.0, -0.25, -0.25,
        0.125, 0.125, -0.125, -0.125, 0.25, 0.25, 0.125, 0.125,
        -0.125, -0.125, 0.25, 0.25, 0.0, 0.0, -0.25, -0.25,
        0.125, 0.125, 0.0, 0.0, -0.25, -0.25, 0.125, 0.125,
        -0.125, -0.125, 0.25, 0.25, 0.0, 0.0, -0.125, -0.125,
        0.25, 0.25, 0.0, 0.0, -0.25, -0.25, 0.125, 0.125,
        -0.125, -0.125, -0.25, -0.25, 0.125, 0.125, -0.125, -0.125,
    ];
    let (g, x, dy) = (pool(1, 3, 4, 6, 2, 2), pattern(72, 7, 73, 0.1, -3.6), pattern(18, 3, 5, 0.5, -1.0));
    check_pool(PoolKind::Max, &g, &x, &dy, &MAX_Y, &MAX_DX);
    check_pool(PoolKind::Avg, &g, &x, &dy, &AVG_Y, &AVG_DX);
}

// PyTorch's rules for padding: max pooling never picks a padded cell, average pooling counts it
// as 0 and divides by F² (count_include_pad=True, the default). Two pools of the networks' blocks:
// Inception's 3×3 stride 1 padding 1 on x = 1..9 (3×3), and ResNet's stem 3×3 stride 2 padding 1
// on x = 0..15 (4×4), where each window of the second covers rows (and columns) {0, 1} or
// {1, 2, 3}; dy = 1, 2, … on the outputs. (These agree with the values worked out by hand from
// the rules: e.g. 3×3 max dx puts dy 1 on 5, 2 + 3 on 6, 4 + 7 on 8 and 5 + 6 + 8 + 9 on 9.)
// import struct
// import torch
// def show(name, t):  # a Rust array literal; each f32 in the fewest digits that read back exactly
//     same = lambda s, v: struct.unpack("f", struct.pack("f", float(s)))[0] == v
//     vals = [next(s for s in ("%.*g" % (d, v) for d in range(1, 10)) if same(s, v)) for v in t.detach().flatten().tolist()]
//     vals = [s if any(c in s for c in ".en") else s + ".0" for s in vals]
//     print(f"const {name}: [f32; {len(vals)}] = [{', '.join(vals)}];")
// F = torch.nn.functional
// for (h, k, s, p) in [(3, 3, 1, 1), (4, 3, 2, 1)]:
//     x = torch.arange(h * h).float().reshape(1, 1, h, h) + (1 if h == 3 else 0)
//     for name, pool in [("MAX", F.max_pool2d), ("AVG", F.avg_pool2d)]:
//         xg = x.clone().requires_grad_()
//         y = pool(xg, kernel_size=k, stride=s, padding=p)
//         dy = torch.arange(1, y.numel() + 1).float().reshape(y.shape)
//         y.backward(dy)
//         show(f"{name}_Y_{h}X{h}", y); show(f"{name}_DX_{h}X{h}", xg.grad)
#[test]
fn padded_pools_follow_pytorchs_rules() {
    const MAX_Y_3X3: [f32; 9] = [5.0, 6.0, 6.0, 8.0, 9.0, 9.0, 8.0, 9.0, 9.0];
    const MAX_DX_3X3: [f32; 9] = [0.0, 0.0, 0.0, 0.0, 1.0, 5.0, 0.0, 11.0, 28.0];
    const AVG_Y_3X3: [f32; 9] = [1.3333334, 2.3333333, 1.7777778, 3.0, 5.0, 3.6666667, 2.6666667, 4.3333335, 3.1111112];
    const AVG_DX_3X3: [f32; 9] = [1.3333334, 2.3333335, 1.7777779, 3.0, 5.0, 3.6666667, 2.6666667, 4.3333335, 3.1111112];
    const MAX_Y_4X4: [f32; 4] = [5.0, 7.0, 13.0, 15.0];
    const MAX_DX_4X4: [f32; 16] = [0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 3.0, 0.0, 4.0];
    const AVG_Y_4X4: [f32; 4] = [1.1111112, 2.6666667, 5.6666665, 1e+01];
    const AVG_DX_4X4: [f32; 16] = [0.11111111, 0.33333334, 0.22222222, 0.22222222, 0.44444445, 1.1111112, 0.6666667, 0.6666667, 0.33333334, 0.7777778, 0.44444445, 0.44444445, 0.33333334, 0.7777778, 0.44444445, 0.44444445];
    let (x, dy) = (arange(9, 1.0, 1.0), arange(9, 1.0, 1.0));
    let g = padded_pool(1, 1, 3, 3, 3, 1, 1);
    check_pool(PoolKind::Max, &g, &x, &dy, &MAX_Y_3X3, &MAX_DX_3X3);
    check_pool(PoolKind::Avg, &g, &x, &dy, &AVG_Y_3X3, &AVG_DX_3X3);

    let (x, dy) = (arange(16, 1.0, 0.0), arange(4, 1.0, 1.0));
    let g = padded_pool(1, 1, 4, 4, 3, 2, 1);
    check_pool(PoolKind::Max, &g, &x, &dy, &MAX_Y_4X4, &MAX_DX_4X4);
    check_pool(PoolKind::Avg, &g, &x, &dy, &AVG_Y_4X4, &AVG_DX_4X4);
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
// x = pat(3 * 5, 7, 11, 0.1, -0.5).reshape(3, 5).requires_grad_()
// lin = torch.nn.Linear(5, 4)
// with torch.no_grad():
//     lin.weight.copy_(pat(4 * 5, 3, 13, 0.05, -0.3).reshape(4, 5))
//     lin.bias.copy_(torch.tensor([0.1, -0.2, 0.3, -0.4]))
// y = lin(x)
// dy = pat(y.numel(), 5, 7, 0.25, -0.75).reshape(y.shape)
// y.backward(dy)
// show("Y", y); show("DX", x.grad); show("DW", lin.weight.grad); show("DB", lin.bias.grad)
#[test]
fn dense_matches_pytorch_linear() {
    const Y: [f32; 12] = [
        0.32500002, -0.030000001, 0.155, -0.535, 0.16, -0.335, 0.425, -0.27499998,
        0.32500002, -0.31, 0.31, -0.4,
    ];
    const DX: [f32; 15] = [
        0.125, 0.0124999955, -0.10000001, 0.112500004, -0.32500002, -0.25, -0.25, -0.25,
        0.4, 0.23750003, -0.1, 0.01250001, 0.12500001, 0.075, 0.1875,
    ];
    const DW: [f32; 20] = [
        0.099999994, -0.09999998, 0.24999999, -0.775, 0.39999998, -0.325, 0.2, -0.099999994,
        0.15, 0.12500001, 0.125, 0.14999999, -0.099999994, 0.19999999, -0.325, 0.40000004,
        -0.775, 0.24999999, -0.09999998, 0.099999964,
    ];
    const DB: [f32; 4] = [
        0.5, 0.75, -0.75, -0.5,
    ];
    let b = reference();
    let (n, i, o) = (3, 5, 4);
    let x = upload(&b, &[n, i], &pattern(15, 7, 11, 0.1, -0.5));
    let w = upload(&b, &[o, i], &pattern(20, 3, 13, 0.05, -0.3));
    let bias = upload(&b, &[o], &[0.1, -0.2, 0.3, -0.4]);
    let dy = upload(&b, &[n, o], &pattern(12, 5, 7, 0.25, -0.75));
    let mut y = garbage(&b, &[n, o]);
    b.dense_forward(&x, &w, &bias, &mut y);
    assert_close("dense y vs PyTorch", &b.read(&y), &Y, Tol::TORCH);
    let (mut dx, mut dw, mut db) = (garbage(&b, &[n, i]), garbage(&b, &[o, i]), garbage(&b, &[o]));
    b.dense_backward(&x, &w, &dy, Some(&mut dx), &mut dw, &mut db);
    assert_close("dense dx vs PyTorch", &b.read(&dx), &DX, Tol::TORCH);
    assert_close("dense dw vs PyTorch", &b.read(&dw), &DW, Tol::TORCH);
    assert_close("dense db vs PyTorch", &b.read(&db), &DB, Tol::TORCH);
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
// F = torch.nn.functional
// logits = pat(3 * 5, 7, 11, 0.5, -2.5).reshape(3, 5).requires_grad_()
// labels = torch.tensor([1, 0, 4])
// loss = F.cross_entropy(logits, labels)  # mean over the batch
// loss.backward()
// show("LOSS", loss.reshape(1))
// show("PROBS", F.softmax(logits, dim=1)); show("DLOGITS", logits.grad)
#[test]
fn softmax_cross_entropy_matches_pytorch() {
    const LOSS: [f32; 1] = [
        2.0618412,
    ];
    const PROBS: [f32; 15] = [
        0.0048286817, 0.15990399, 0.02164065, 0.71663994, 0.09698667, 0.016866475, 0.55854094, 0.0755903,
        0.010230035, 0.3387722, 0.03800967, 0.00514405, 0.17034754, 0.023054032, 0.76344466,
    ];
    const DLOGITS: [f32; 15] = [
        0.0016095605, -0.280032, 0.0072135497, 0.23887998, 0.03232889, -0.3277112, 0.18618032, 0.02519676,
        0.003410011, 0.11292407, 0.012669891, 0.0017146831, 0.056782514, 0.0076846774, -0.07885178,
    ];
    let b = reference();
    let (n, k) = (3, 5);
    let logits = upload(&b, &[n, k], &pattern(15, 7, 11, 0.5, -2.5));
    let labels = upload(&b, &[n], &[1.0, 0.0, 4.0]);
    let (mut probs, mut dlogits) = (garbage(&b, &[n, k]), garbage(&b, &[n, k]));
    let mut metrics = upload(&b, &[METRICS_LEN], &[0.0; METRICS_LEN]);
    b.softmax_cross_entropy(&logits, &labels, &mut probs, &mut dlogits, &mut metrics);
    assert_close("softmax vs PyTorch", &b.read(&probs), &PROBS, Tol::TORCH);
    assert_close("dlogits vs PyTorch", &b.read(&dlogits), &DLOGITS, Tol::TORCH);
    // metrics hold the summed loss, PyTorch prints the mean. The rows' argmax (3, 1, 4 in PROBS)
    // against the labels (1, 0, 4): one correct.
    let m = b.read(&metrics);
    assert_close("mean loss vs PyTorch", &[m[0] / n as f32], &LOSS, Tol::TORCH);
    assert_close("#correct and N", &m[1..], &[1.0f32, 3.0], Tol::EXACT);
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
// nn, F = torch.nn, torch.nn.functional
// target = pat(3 * 4, 5, 7, 0.5, -1.5).reshape(3, 4)
// for name, loss_fn in [("L1", nn.L1Loss()), ("MSE", nn.MSELoss()), ("SMOOTH_L1", nn.SmoothL1Loss(beta=0.75))]:
//     pred = pat(3 * 4, 7, 11, 0.4, -2.0).reshape(3, 4).requires_grad_()
//     loss = loss_fn(pred, target)  # reduction 'mean' over all 12 values
//     loss.backward()
//     show(f"{name}_LOSS", loss.reshape(1)); show(f"{name}_DPRED", pred.grad)
// logits = pat(3 * 5, 7, 11, 0.5, -2.5).reshape(3, 5).requires_grad_()
// labels = torch.tensor([1, 0, 4])
// loss = nn.MSELoss()(logits, F.one_hot(labels, 5).float())  # mean over N·K
// loss.backward()
// show("ONE_HOT_LOSS", loss.reshape(1)); show("ONE_HOT_DLOGITS", logits.grad)
#[test]
fn regression_losses_match_pytorch() {
    const L1_LOSS: [f32; 1] = [1.5666666];
    const L1_DPRED: [f32; 12] = [
        -0.083333336, -0.083333336, -0.083333336, 0.083333336, -0.083333336, -0.083333336, 0.083333336, 0.083333336, -0.083333336, 0.083333336,
        0.083333336, -0.083333336,
    ];
    const MSE_LOSS: [f32; 1] = [3.458333];
    const MSE_DPRED: [f32; 12] = [
        -0.083333336, -0.033333343, -0.13333333, 0.5, -0.18333332, -0.28333336, 0.35000002, 0.25, -0.43333334, 0.20000002, 0.10000001, -0.5833334,
    ];
    const SMOOTH_L1_LOSS: [f32; 1] = [1.2131945];
    const SMOOTH_L1_DPRED: [f32; 12] = [
        -0.055555556, -0.022222228, -0.083333336, 0.083333336, -0.083333336, -0.083333336, 0.083333336, 0.083333336, -0.083333336, 0.083333336,
        0.06666667, -0.083333336,
    ];
    let b = reference();
    let (n, k) = (3, 4);
    let pred = upload(&b, &[n, k], &pattern(12, 7, 11, 0.4, -2.0));
    let target = upload(&b, &[n, k], &pattern(12, 5, 7, 0.5, -1.5));
    for (kind, loss, dpred) in [
        (RegressionLoss::L1, &L1_LOSS, &L1_DPRED),
        (RegressionLoss::Mse, &MSE_LOSS, &MSE_DPRED),
        (RegressionLoss::SmoothL1 { beta: 0.75 }, &SMOOTH_L1_LOSS, &SMOOTH_L1_DPRED),
    ] {
        let mut metrics = upload(&b, &[METRICS_LEN], &[0.0; METRICS_LEN]);
        b.regression_loss_forward(kind, &pred, &target, &mut metrics);
        let mut d = garbage(&b, &[n, k]);
        b.regression_loss_backward(kind, &pred, &target, &mut d);
        // metrics hold the sum of the examples' own means, PyTorch prints the mean of all values:
        // the same number once divided by N (every example has K values).
        let m = b.read(&metrics);
        assert_close(&format!("{kind:?} mean loss vs PyTorch"), &[m[0] / n as f32], loss, Tol::TORCH);
        assert_close(&format!("{kind:?} metrics [_, 0, N]"), &m[1..], &[0.0f32, n as f32], Tol::EXACT);
        assert_close(&format!("{kind:?} dpred vs PyTorch"), &b.read(&d), dpred, Tol::TORCH);
    }
}

// The script above also printed, for MSELoss()(logits, F.one_hot(labels, 5).float()):
#[test]
fn mse_on_one_hot_targets_matches_pytorch() {
    const ONE_HOT_LOSS: [f32; 1] = [2.7333333];
    const ONE_HOT_DLOGITS: [f32; 15] = [
        -0.33333334, 0.0, -0.13333334, 0.33333334, 0.06666667, -0.33333334, 0.26666668, 0.0, -0.26666668, 0.20000002, -0.06666667, -0.33333334,
        0.13333334, -0.13333334, 0.20000002,
    ];
    let b = reference();
    let (n, k) = (3, 5);
    let logits = upload(&b, &[n, k], &pattern(15, 7, 11, 0.5, -2.5));
    let labels = upload(&b, &[n], &[1.0, 0.0, 4.0]);
    let mut dlogits = garbage(&b, &[n, k]);
    let mut metrics = upload(&b, &[METRICS_LEN], &[0.0; METRICS_LEN]);
    b.mse_one_hot(&logits, &labels, &mut dlogits, &mut metrics);
    assert_close("dlogits vs PyTorch", &b.read(&dlogits), &ONE_HOT_DLOGITS, Tol::TORCH);
    // The same logits as the cross-entropy test: argmax (3, 1, 4) against the labels (1, 0, 4).
    let m = b.read(&metrics);
    assert_close("mean loss vs PyTorch", &[m[0] / n as f32], &ONE_HOT_LOSS, Tol::TORCH);
    assert_close("#correct and N", &m[1..], &[1.0f32, 3.0], Tol::EXACT);
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
// x = pat(2 * 3 * 3 * 4, 7, 23, 0.2, -1.5).reshape(2, 3, 3, 4).requires_grad_()
// bn = torch.nn.BatchNorm2d(3, eps=1e-5, momentum=0.1)
// with torch.no_grad():
//     bn.weight.copy_(torch.tensor([1.5, 0.5, -1.0]))
//     bn.bias.copy_(torch.tensor([0.1, 0.0, -0.2]))
// y = bn(x)  # training mode: batch statistics
// dy = pat(y.numel(), 5, 13, 0.1, -0.6).reshape(y.shape)
// y.backward(dy)
// show("Y", y); show("DX", x.grad); show("DGAMMA", bn.weight.grad); show("DBETA", bn.bias.grad)
// show("RUNNING_MEAN", bn.running_mean); show("RUNNING_VAR", bn.running_var)
// bn.eval()
// show("Y_EVAL", bn(x))
#[test]
fn batchnorm2d_matches_pytorch_in_train_and_eval() {
    const Y: [f32; 72] = [
        -2.1435602, -0.60511893, 0.9333223, 2.4717638, -1.0446736, 0.4937678, 2.032209, -1.4842281,
        0.054213047, 1.5926543, -1.9237828, -0.38534158, 0.2350396, 0.7478534, -0.42429236, 0.08852144,
        0.60133517, -0.5708106, -0.057996813, 0.454817, -0.71732885, -0.20451503, 0.30829874, -0.863847,
        0.36839673, -0.7683966, -1.9051902, 0.6931948, -0.44359866, -1.5803919, 1.0179929, -0.11880046,
        -1.2555939, 1.342791, 0.20599763, -0.9307957, 2.691541, -0.8248962, 0.71354514, 2.2519863,
        -1.2644509, 0.27399042, 1.8124318, -1.7040056, -0.1655642, 1.372877, -2.1435602, -0.60511893,
        0.16178048, 0.67459434, -0.4975515, 0.015262314, 0.52807605, -0.6440697, -0.13125594, 0.38155785,
        -0.7905879, -0.27777416, 0.2350396, 0.7478534, 0.5307957, -0.60599774, -1.7427909, 0.85559386,
        -0.28119954, -1.417993, 1.180392, 0.043598533, -1.0931948, 1.5051901, 0.36839673, -0.7683966,
    ];
    const DX: [f32; 72] = [
        -0.73103297, -0.12614392, 0.47874516, -0.34491843, 0.07779176, 0.6826809, -0.14098276, 0.28172755,
        -0.5419361, 0.06295296, 0.48566318, -0.33800042, 0.080110915, -0.17133643, -0.08324942, 0.14148742,
        -0.10995993, -0.021872915, 0.20286396, -0.048583403, 0.039503608, -0.21194373, 0.0127931135, 0.10088012,
        0.25400853, -0.22694202, 0.34770125, 0.113024615, -0.36792594, 0.20671736, -0.027959315, -0.50890994,
        0.0657334, -0.16894327, 0.40570003, -0.075250536, 0.65200037, -0.35384205, 0.25104702, -0.5726167,
        -0.14990638, 0.4549827, -0.3686809, 0.0540293, 0.6589184, -0.16474523, 0.2579651, -0.5656985,
        0.00091051497, 0.22564737, -0.16244984, 0.062287033, -0.18916032, -0.101073325, 0.12366354, -0.12778382,
        -0.039696805, 0.18504007, -0.0664073, 0.15832956, 0.42711514, -0.05383542, -0.534786, 0.2861312,
        -0.19481935, 0.37982392, 0.1451473, -0.33580324, 0.23884006, 0.0041633607, -0.47678724, 0.0978561,
    ];
    const DGAMMA: [f32; 3] = [
        -1.1806924, -2.6568637, -1.9487886,
    ];
    const DBETA: [f32; 3] = [
        -0.20000023, 0.7999997, -0.8000002,
    ];
    const RUNNING_MEAN: [f32; 3] = [
        0.05416667, 0.08583334, 0.060000002,
    ];
    const RUNNING_VAR: [f32; 3] = [
        1.0944275, 1.0944276, 1.0582609,
    ];
    const Y_EVAL: [f32; 72] = [
        -2.128401, -0.12104786, 1.8863053, 3.8936589, -0.69457734, 1.312776, 3.320129, -1.2681067,
        0.73924637, 2.7465997, -1.8416362, 0.16571695, 0.6758886, 1.3450063, -0.18440564, 0.48471215,
        1.1538298, -0.37558216, 0.2935356, 0.9626534, -0.5667587, 0.10235911, 0.77147686, -0.75793517,
        -0.04446734, -1.4053779, -2.7662888, 0.34436423, -1.0165465, -2.377457, 0.7331958, -0.62771475,
        -1.9886254, 1.1220274, -0.23888318, -1.5997937, 4.1804233, -0.4078125, 1.5995408, 3.6068938,
        -0.981342, 1.0260112, 3.0333645, -1.5548716, 0.45248175, 2.4598348, -2.128401, -0.12104786,
        0.5803003, 1.2494183, -0.27999392, 0.38912386, 1.0582415, -0.4711704, 0.19794732, 0.86706513,
        -0.6623469, 0.0067708404, 0.6758886, 1.3450063, 0.14994839, -1.2109623, -2.5718727, 0.53878003,
        -0.8221306, -2.1830413, 0.92761165, -0.43329903, -1.7942096, 1.3164432, -0.04446734, -1.4053779,
    ];
    let b = reference();
    let dims = [2, 3, 3, 4];
    let x = upload(&b, &dims, &pattern(72, 7, 23, 0.2, -1.5));
    let (gamma, beta) = (upload(&b, &[3], &[1.5, 0.5, -1.0]), upload(&b, &[3], &[0.1, 0.0, -0.2]));
    let (mut rm, mut rv) = (upload(&b, &[3], &[0.0; 3]), upload(&b, &[3], &[1.0; 3]));
    let (mut y, mut mean, mut invstd) = (garbage(&b, &dims), garbage(&b, &[3]), garbage(&b, &[3]));
    b.batchnorm2d_forward_train(&x, &gamma, &beta, &mut y, &mut mean, &mut invstd, &mut rm, &mut rv, 0.1, 1e-5);
    assert_close("batchnorm train y vs PyTorch", &b.read(&y), &Y, Tol::TORCH);
    assert_close("running_mean vs PyTorch", &b.read(&rm), &RUNNING_MEAN, Tol::TORCH);
    assert_close("running_var vs PyTorch", &b.read(&rv), &RUNNING_VAR, Tol::TORCH);
    let dy = upload(&b, &dims, &pattern(72, 5, 13, 0.1, -0.6));
    let (mut dx, mut dgamma, mut dbeta) = (garbage(&b, &dims), garbage(&b, &[3]), garbage(&b, &[3]));
    b.batchnorm2d_backward(&x, &gamma, &dy, &mean, &invstd, &mut dx, &mut dgamma, &mut dbeta);
    assert_close("batchnorm dx vs PyTorch", &b.read(&dx), &DX, Tol::TORCH);
    assert_close("batchnorm dgamma vs PyTorch", &b.read(&dgamma), &DGAMMA, Tol::TORCH);
    assert_close("batchnorm dbeta vs PyTorch", &b.read(&dbeta), &DBETA, Tol::TORCH);
    let mut y_eval = garbage(&b, &dims);
    b.batchnorm2d_forward_eval(&x, &gamma, &beta, &rm, &rv, &mut y_eval, 1e-5);
    assert_close("batchnorm eval y vs PyTorch", &b.read(&y_eval), &Y_EVAL, Tol::TORCH);
}

// ---- whole networks: the graph's blocks ---------------------------------------------------

fn conv_layer(c_in: usize, c_out: usize, kernel: usize, stride: usize, padding: usize, bias: bool) -> LayerSpec {
    LayerSpec::Conv2d { in_channels: Some(c_in), out_channels: c_out, kernel, stride, padding, bias }
}

/// The state both programs load: the model's tensors in `Sequential::state`'s order (parameters,
/// then the batch norms' running statistics), tensor i patterned as the scripts' `patterned`
/// (biases positive, so that no ReLU path of these small nets is dead; running variances
/// positive).
fn patterned_state(model: &Sequential<Reference>, b: &Reference) -> Vec<NamedTensor> {
    let mut state = model.state(b);
    for (i, t) in state.iter_mut().enumerate() {
        let n = t.data.len();
        t.data = if t.name.ends_with("running_var") {
            pattern(n, 3, 7, 0.125, 0.5)
        } else if t.name.ends_with("bias") {
            pattern(n, 3, 7, 0.05, 0.1)
        } else {
            pattern(n, 5 + 2 * (i % 7), 23, 0.05, -0.53)
        };
    }
    state
}

/// One training step of `spec` on the reference backend with the patterned state: forward in
/// `Mode::Train` on input `x` (batch 2), the backend's softmax cross-entropy against `labels`,
/// backward. Checks the logits, the mean loss, every parameter's gradient (all of them, by name
/// and in PyTorch's `named_parameters()` order) and the batch norms' updated running statistics
/// against PyTorch's.
fn check_training_step(spec: ModelSpec, x: &[f32], labels: &[f32], logits: &[f32], loss: f32, grads: &[(&str, &[f32])], running: &[(&str, &[f32])]) {
    let b = reference();
    let name = spec.name.clone();
    let mut model = Sequential::new(&b, spec, Init::XavierUniform, 0).unwrap();
    let state = patterned_state(&model, &b);
    model.load_state(&b, &state).unwrap();
    let n = labels.len();
    model.set_input(&b, x, n);
    model.forward(&b, Mode::Train);
    assert_close(&format!("{name}: logits vs PyTorch"), &b.read(model.output()), logits, Tol::TORCH);

    let k = b.shape(model.output()).per_example();
    let mut probs = b.zeros(&Shape::nf(n, k));
    let mut metrics = b.zeros(&Shape(vec![METRICS_LEN]));
    let label_t = upload(&b, &[n], labels);
    let (out, dlogits) = model.output_and_grad_mut();
    b.softmax_cross_entropy(out, &label_t, &mut probs, dlogits, &mut metrics);
    // metrics hold the summed loss; PyTorch's F.cross_entropy is the mean.
    assert_close(&format!("{name}: mean loss vs PyTorch"), &[b.read(&metrics)[0] / n as f32], &[loss], Tol::TORCH);
    model.backward(&b);

    let params = model.params();
    let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
    let torch_names: Vec<&str> = grads.iter().map(|(k, _)| *k).collect();
    assert_eq!(names, torch_names, "{name}: parameter names vs PyTorch's named_parameters()");
    for (p, (pname, want)) in params.iter().zip(grads) {
        assert_close(&format!("{name}: ∂L/∂{pname} vs PyTorch"), &b.read(&p.grad), want, Tol::TORCH);
    }
    let stats: Vec<NamedTensor> = model.state(&b).into_iter().filter(|t| t.name.contains(".running_")).collect();
    let stat_names: Vec<&str> = stats.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(stat_names, running.iter().map(|(k, _)| *k).collect::<Vec<_>>(), "{name}: batch-norm buffers vs PyTorch's");
    for (t, (sname, want)) in stats.iter().zip(running) {
        assert_close(&format!("{name}: {sname} after the step vs PyTorch"), &t.data, want, Tol::TORCH);
    }
}

/// A projection block (a strided 3×3 convolution without bias, batch norm, ReLU, 3×3 on one
/// path; a strided 1×1 convolution without bias on the shortcut, the module "1.shortcut"), then
/// an identity block (x + f(x), two batch norms), global average pooling and a dense layer.
fn residual_net() -> ModelSpec {
    use LayerSpec::*;
    let bn = || BatchNorm2d { eps: 1e-5, momentum: 0.1, num_features: None };
    ModelSpec {
        name: "residual".into(),
        input: [2, 6, 6],
        layers: vec![
            conv_layer(2, 3, 3, 1, 1, true),
            Residual { body: vec![conv_layer(3, 4, 3, 2, 1, false), bn(), Relu, conv_layer(4, 4, 3, 1, 1, true)], shortcut: vec![conv_layer(3, 4, 1, 2, 0, false)] },
            Relu,
            Residual { body: vec![conv_layer(4, 4, 3, 1, 1, false), bn(), Relu, conv_layer(4, 4, 3, 1, 1, false), bn()], shortcut: vec![] },
            Relu,
            GlobalAvgPool,
            Flatten,
            Dense { in_features: Some(4), units: 3 },
        ],
    }
}

/// d2l's Inception block on the input (every path alive), padded average pooling, a 1×1
/// convolution without bias and a dense layer.
fn inception_net() -> ModelSpec {
    use LayerSpec::*;
    ModelSpec {
        name: "inception".into(),
        input: [3, 5, 5],
        layers: vec![
            Inception { in_channels: 3, c1: 2, c2: [2, 3], c3: [1, 2], c4: 2 },
            AvgPool2d { kernel: 3, stride: 2, padding: 1 },
            conv_layer(9, 4, 1, 1, 0, false),
            Flatten,
            Dense { in_features: Some(36), units: 3 },
        ],
    }
}

// import struct
// import torch
// from torch import nn
// F = torch.nn.functional
// def pat(n, mul, mod, scale, offset):  # common::pattern: ((i·mul) mod m)·scale + offset, exact in f32
//     return ((torch.arange(n) * mul) % mod).float() * scale + offset
// def lits(t):  # each f32 in the fewest digits that read back exactly
//     same = lambda s, v: struct.unpack("f", struct.pack("f", float(s)))[0] == v
//     vals = [next(s for s in ("%.*g" % (d, v) for d in range(1, 10)) if same(s, v)) for v in t.detach().flatten().tolist()]
//     return ", ".join(s if any(c in s for c in ".en") else s + ".0" for s in vals)
// def show(name, t):  # a Rust array literal
//     print(f"const {name}: [f32; {t.numel()}] = [{lits(t)}];")
// def show_named(name, pairs):  # a Rust array of (name, values)
//     print(f"const {name}: [(&str, &[f32]); {len(pairs)}] = [")
//     for k, t in pairs:
//         print(f'    ("{k}", &[{lits(t)}]),')
//     print("];")
// def patterned(i, k, n):  # patterned_state: tensor i of the state, named k, of n values
//     if k.endswith("running_var"):
//         return pat(n, 3, 7, 0.125, 0.5)
//     if k.endswith("bias"):  # positive, so that no ReLU path is dead
//         return pat(n, 3, 7, 0.05, 0.1)
//     return pat(n, 5 + 2 * (i % 7), 23, 0.05, -0.53)
// class Residual(nn.Module):  # as export::pytorch_code writes it
//     def __init__(self, *body, shortcut=None):
//         super().__init__()
//         self.body = nn.Sequential(*body)
//         self.shortcut = shortcut
//     def forward(self, x):
//         return self.body(x) + (x if self.shortcut is None else self.shortcut(x))
// model = nn.Sequential(  # pytorch_code(&residual_net())
//     nn.Conv2d(2, 3, kernel_size=3, stride=1, padding=1),
//     Residual(
//         nn.Conv2d(3, 4, kernel_size=3, stride=2, padding=1, bias=False),
//         nn.BatchNorm2d(4, eps=1e-5, momentum=0.1),
//         nn.ReLU(),
//         nn.Conv2d(4, 4, kernel_size=3, stride=1, padding=1),
//         shortcut=nn.Conv2d(3, 4, kernel_size=1, stride=2, padding=0, bias=False),
//     ),
//     nn.ReLU(),
//     Residual(
//         nn.Conv2d(4, 4, kernel_size=3, stride=1, padding=1, bias=False),
//         nn.BatchNorm2d(4, eps=1e-5, momentum=0.1),
//         nn.ReLU(),
//         nn.Conv2d(4, 4, kernel_size=3, stride=1, padding=1, bias=False),
//         nn.BatchNorm2d(4, eps=1e-5, momentum=0.1),
//     ),
//     nn.ReLU(),
//     nn.AdaptiveAvgPool2d(1),
//     nn.Flatten(),
//     nn.Linear(4, 3),
// )
// # Sequential::state's order: the parameters, then the batch norms' running statistics.
// params = list(model.named_parameters())
// state = params + [(k, v) for k, v in model.named_buffers() if not k.endswith("num_batches_tracked")]
// with torch.no_grad():
//     for i, (k, t) in enumerate(state):
//         t.copy_(patterned(i, k, t.numel()).reshape(t.shape))
// x = pat(2 * 2 * 6 * 6, 7, 19, 0.1, -0.9).reshape(2, 2, 6, 6)
// labels = torch.tensor([2, 0])
// model.train()  # batch norm on the batch's statistics
// logits = model(x)
// loss = F.cross_entropy(logits, labels)  # mean over the batch
// loss.backward()
// show("LOGITS", logits); show("LOSS", loss.reshape(1))
// show_named("GRADS", [(k, p.grad) for k, p in params])
// show_named("RUNNING", [(k, t) for k, t in state[len(params):]])
#[test]
fn a_residual_network_trains_as_in_pytorch() {
    const LOGITS: [f32; 6] = [-0.32365307, 0.057721928, 0.52142036, -0.3142634, 0.022388726, 0.5473118];
    const LOSS: [f32; 1] = [1.1418568];
    const GRADS: [(&str, &[f32]); 16] = [
        ("0.weight", &[
            -0.04835081, 0.0017697193, 0.0016644299, -0.011315401, 0.087049626, -0.055089023, 0.004076222, -0.021854449,
            -0.003973829, -0.014600011, 0.07782987, -0.04734303, 0.007664118, -0.0146876965, 0.015228935, 0.036634754,
            -0.01829995, 0.012169656, -0.01789971, -0.018500894, 0.026922315, 0.07980492, -0.072484724, 0.017187849,
            -0.0012682402, 0.014449715, 0.108807266, 0.039657228, -0.084782824, -0.006902856, -0.056182448, 0.012826234,
            0.07574518, -0.012779243, 0.036628377, -0.02123342, -0.03057872, -0.02344556, -0.022565808, -0.017229667,
            0.08387049, -0.054128114, -0.031813566, -0.034843385, -0.007974308, -0.024248196, 0.12289861, -0.027221996,
            0.019275637, -0.056372777, 0.0015260258, 0.02816154, -0.01447881, -0.007056812,
        ]),
        ("0.bias", &[-0.13430503, -0.030616, -0.0059437603]),
        ("1.body.0.weight", &[
            -0.009340236, -0.010843089, -0.003036432, -0.007615288, 0.018492013, -0.0056113577, -0.018778961, 0.012452866,
            -0.00020616734, -0.0036934153, -0.005032987, -0.0016428452, 0.011768025, 0.0014485235, 0.0021488518, -0.01072214,
            -0.014387498, 0.039721984, 0.0032405313, 0.010079, -0.0048846235, 0.026117466, 0.0007790099, -0.010784559,
            0.013092035, -0.021656612, 0.016133199, -0.00069636124, -0.0014335181, 0.0012078746, -0.0003126143, -0.00034682106,
            0.0007144073, 0.00043599005, 0.00070583186, 0.0027321363, 0.0011302124, -0.0007085757, -0.0008996675, 0.0007710483,
            -0.0022912638, -0.0018362779, 0.0017205096, 0.00074016437, 0.0016344644, 0.0009770673, 0.0007665455, -0.00043112598,
            0.0001604229, -0.0014925572, -0.0027724626, 0.0014507298, -0.00025434443, 0.0005828423, -0.016403347, -0.023684157,
            0.01677112, -0.0336806, 0.028488588, 0.009431125, -0.028479634, -0.026161594, 0.04473643, 0.022882603,
            -0.037837412, 0.033897087, 0.042340785, 0.008194702, 0.01441596, 0.012901932, -0.008021902, 0.049900703,
            0.039887104, -0.0026944205, -0.008307348, 0.042054407, -0.03113337, 0.030521229, 0.033352274, -0.0062618833,
            0.033640474, 0.0006942302, 0.0006881482, -0.00016253038, 0.0005647264, -0.00091109326, -0.00028473535, 0.0018395429,
            0.0009935041, -0.0013197826, 0.000612234, 0.0013715983, -0.0005789752, -0.0013054248, -0.0005092317, -0.00010411738,
            0.0005256879, 0.0011687921, -0.0011091805, -0.001047184, -0.00016978278, 0.00033820936, -0.0011252428, -0.00027179014,
            1.22728525e-05, -0.0009794276, 0.0010661626, 0.00066238636,
        ]),
        ("1.body.1.weight", &[-0.0373078, 0.09760742, 0.011685077, 0.020013742]),
        ("1.body.1.bias", &[0.07575185, -0.067148894, 0.028805329, 0.012167066]),
        ("1.body.3.weight", &[
            0.02445263, 0.006560171, -0.00505441, 0.02522843, 0.03069424, -0.00071598956, 0.028815867, 0.0736162,
            0.040627047, 0.013062708, 0.014443582, -0.003192532, 0.02368001, 0.0367341, 0.008869788, 0.019831125,
            0.032375652, 0.010835046, 0.014428819, 0.03995418, -0.0055325776, 0.07241613, 0.046790358, -0.0011095068,
            0.08364623, 0.020372236, 0.051492475, 0.0100617, 0.009810073, -0.0025700436, 0.01840209, 0.029820772,
            0.008161942, 0.014882241, 0.027941812, 0.007267699, 0.014545852, 0.04361149, 0.014137301, 0.0073843496,
            -0.024300661, 0.0033901334, -0.023385886, -0.01555546, -0.00682679, 0.004556656, 0.0019599143, 0.009017235,
            -0.0049122525, -0.010221647, -0.000993941, -0.012585798, -0.0200616, -0.012571072, -0.019692484, -0.0068573654,
            0.013825927, 0.044362158, 0.017263487, -0.018902507, -0.0132707, 0.011806263, 0.001848042, 0.006451851,
            0.0022691563, 0.0058420803, -0.0031993967, -0.0066356063, -0.0009403713, -0.010364672, -0.017156746, -0.011034108,
            -0.020869013, -0.0029507298, 0.005233839, 0.0031853644, -0.010197397, -0.010812363, 0.0010216812, -0.025068657,
            -0.01006159, -0.0022723041, -0.005509522, -0.0019166782, -0.0019350983, -0.007443052, 0.00018446986, -0.0027202119,
            -0.0084021855, -0.0016319021, -0.008987228, -0.013959268, 0.006070377, -0.04923509, -0.00814205, 0.008876213,
            -0.006603251, -0.014798169, -0.029648408, -0.0008566994, -0.00366092, -0.0018586293, -0.001510608, -0.007987635,
            -0.00033813296, -0.002179395, -0.0067575304, -0.00039261812, -0.01746751, -0.039541256, -0.019222986, 0.0053868787,
            -0.0052411277, -0.023455985, 0.0018273833, -0.002237888, -0.009033136, -0.0063611716, -0.01203583, -0.012460847,
            0.00023265462, -0.010939049, -0.01611016, 0.0043519, -0.0016297083, -0.006218751, -0.0056607495, -0.024711752,
            -0.027301699, -0.011367198, -0.04383579, -0.039063405, 0.0022603488, -0.026723636, -0.02119028, -0.0056119594,
            -0.00972729, -0.009356119, -0.0009236615, -0.009361802, -0.01270134, 0.0041437186, -0.0012179506, -0.0048738318,
        ]),
        ("1.body.3.bias", &[0.14477874, -0.040965945, -0.028387293, -0.0438358]),
        ("1.shortcut.weight", &[
            -0.035948433, -0.039640456, 0.020599075, 0.038259722, 0.00062723085, 0.023103124, -0.011510871, 0.01690789,
            0.0010751933, -0.03242634, -0.02780836, -0.043141276,
        ]),
        ("3.body.0.weight", &[
            -0.00017088195, 0.011620009, 0.06663519, 0.0009686403, -0.002469109, 0.0012907851, 7.6402226e-05, -0.019034171,
            0.013729789, 0.04077811, 0.04705883, 0.0076146135, 0.03946326, 0.0068099108, 0.0037520677, 0.005043174,
            -0.03387135, -0.022871848, 0.061677456, 0.005990036, 0.020492002, -0.036087427, 0.031129882, -0.0021538872,
            0.025859874, -0.018362908, 0.021226512, 0.010285833, 0.027430803, 0.0071912473, 0.061532013, -0.007008488,
            -0.0021858322, -0.005384667, -0.01921571, -0.020341828, 0.0014079418, 0.003295242, 0.0044258838, 0.00029030401,
            -0.0039607943, 0.0010192827, 0.0021861235, 0.0010437543, 0.0060961945, 0.0030580217, 0.0026479228, 0.0013566805,
            -0.001464806, -0.0010610467, -0.0018434117, 0.002575624, 0.0013400768, -0.0017583547, 0.0037663307, 0.0030435985,
            0.0004774204, 0.0038388518, 0.0025556409, -7.0518814e-05, 0.0017760048, -0.00078863243, -0.0011138814, 0.0005160838,
            0.0019941, 3.825908e-05, 0.0012789033, -4.7931273e-05, -0.0014067835, 0.0017398123, -0.0010754983, -0.00043603184,
            -0.0031884972, 0.0058213742, 0.005225571, -0.00903738, -0.011404995, 0.00062429556, -0.0043343594, -0.0027818424,
            0.008036897, 0.008906776, 0.0020475998, -0.0031877076, 0.00069622486, 0.0023546591, 0.0054797335, 0.0042418414,
            0.0056780903, 0.00018524723, -0.017336477, -0.018011406, 0.0034219648, -0.009383251, 0.0011791522, 0.008635954,
            -0.0011741773, -0.015768513, 0.012571162, 0.0070818807, 0.0035012355, -0.0014394212, 0.001543724, -0.0024623054,
            0.0021861754, -0.002587298, 0.01207004, 3.060262e-05, 7.424876e-05, -0.0047545834, 0.007068499, 0.0054417965,
            -0.005098117, -0.002261259, -0.00041097807, 0.008917234, 0.0027768975, 0.0008323109, 0.002561153, -0.00082432636,
            -0.005790015, -0.0010143628, -0.0021831207, 0.005278055, -0.0046224343, -0.0020177504, 0.0069957166, -0.0050814482,
            -0.0016626376, 0.009912109, 0.007271839, -0.0061616357, -0.0040585394, -0.0010967574, -0.003222342, -0.0041750385,
            0.0033593338, -0.00039346737, 0.0018440816, -0.0052532847, -0.0013124167, 0.00543484, -0.005189324, -0.0017091996,
        ]),
        ("3.body.1.weight", &[-0.012562001, -0.04050537, -0.04249899, -0.022873959]),
        ("3.body.1.bias", &[0.0010612626, 0.007539831, -0.012196454, 0.0058381734]),
        ("3.body.3.weight", &[
            0.013669298, -0.019957684, -0.015014866, 0.039061006, -0.015401512, 0.020264171, 0.026931953, -0.013020579,
            0.035070837, -0.002697112, -0.014545109, -0.010892794, 0.0026541464, -0.009003557, 0.0025897995, 0.0061135925,
            -0.008318774, 0.0082531795, -0.0007448718, 0.0015885755, -0.009849023, -0.015275978, 0.006006755, 0.0056720935,
            -0.036236677, 0.040333837, -0.006659426, -0.011655821, -0.03026798, -0.027993478, 0.0032161465, -0.02151329,
            -0.009770729, 0.005121761, -0.022800434, 0.009447368, 0.004811624, 0.0016083168, 0.0035118638, -0.0034896703,
            0.00027718768, -0.00023005903, -0.015674934, -0.010413833, -0.007899284, 0.0019359384, 0.0013903175, 0.0009507891,
            -0.0007733302, 0.0010323133, 0.0016266517, -0.0025785808, -0.0007507801, 0.00026558898, -0.009162903, -0.0062827896,
            -0.0008991938, -0.0023667105, 0.00027251244, -0.0014065839, 0.0047228467, 1.2919307e-05, 0.002350877, 0.0028741122,
            0.004891336, 0.006147258, 0.003308522, 0.0050032903, 0.006935658, -0.0019089279, 0.0033422755, 0.0047621634,
            -0.0018166597, 0.0019931202, 0.0004979919, -0.0037405938, -0.00077952165, 0.000644214, -0.004549488, -0.0035158154,
            -0.0013603331, -0.0003973809, 0.0006550709, -4.2220112e-05, -0.00077537214, 0.00055015273, 0.0005046725, -0.000695355,
            0.00021084026, 0.0003102827, -0.0029471936, -0.0036565075, 0.00111089, 0.00012914091, -0.0005272692, 0.0004975782,
            0.0016864394, 0.00095635373, 0.00086201867, 0.00089171703, 0.0025451053, 0.00084841857, 0.0003340838, 0.0027448921,
            0.0013001491, -0.0005901352, 0.0016156235, 0.0013917582, 0.0053034406, -0.006064797, -0.004886805, 0.013464188,
            0.004564384, 0.001676634, 0.011745877, 0.0050019, -0.00030795764, -0.00015012827, -0.0028722119, -0.0044011893,
            0.003953997, 0.0018081311, -0.006068362, 0.002108397, 0.0012229085, -0.005971728, 0.0032134969, 0.00041093305,
            0.00020594709, 0.002433721, -0.0086969435, -0.012175958, 0.00482771, -0.009923983, -0.012859837, -0.0043868273,
            -0.0054345448, -0.013230947, 0.0018933726, 0.0031548087, -0.012024321, 0.0021539815, 0.0077530355, -0.00820682,
        ]),
        ("3.body.4.weight", &[-0.05348596, 0.016575042, -0.012346815, -0.008793452]),
        ("3.body.4.bias", &[0.27426982, -0.04663971, -0.042289853, -0.043614868]),
        ("7.weight", &[
            -0.17374286, -0.23096007, -0.37592065, -0.2206746, 0.18104869, 0.21602875, 0.38033032, 0.1922313,
            -0.0073058605, 0.014931306, -0.0044097304, 0.028443307,
        ]),
        ("7.bias", &[-0.2907844, 0.29963636, -0.008852005]),
    ];
    const RUNNING: [(&str, &[f32]); 6] = [
        ("1.body.1.running_mean", &[-0.47284806, -0.051788323, 0.34698057, -0.27113807]),
        ("1.body.1.running_var", &[0.5499637, 0.87992185, 1.176435, 0.7739276]),
        ("3.body.1.running_mean", &[-0.46932176, 0.14737381, -0.2870708, 0.29488716]),
        ("3.body.1.running_var", &[0.50056213, 0.84921336, 1.232751, 0.81698763]),
        ("3.body.4.running_mean", &[-0.4612436, 0.2981916, 0.035948142, -0.23198572]),
        ("3.body.4.running_var", &[0.4634898, 0.8073597, 1.140241, 0.68970585]),
    ];
    let x = pattern(2 * 2 * 6 * 6, 7, 19, 0.1, -0.9);
    check_training_step(residual_net(), &x, &[2.0, 0.0], &LOGITS, LOSS[0], &GRADS, &RUNNING);
}

// import struct
// import torch
// from torch import nn
// F = torch.nn.functional
// def pat(n, mul, mod, scale, offset):  # common::pattern: ((i·mul) mod m)·scale + offset, exact in f32
//     return ((torch.arange(n) * mul) % mod).float() * scale + offset
// def lits(t):  # each f32 in the fewest digits that read back exactly
//     same = lambda s, v: struct.unpack("f", struct.pack("f", float(s)))[0] == v
//     vals = [next(s for s in ("%.*g" % (d, v) for d in range(1, 10)) if same(s, v)) for v in t.detach().flatten().tolist()]
//     return ", ".join(s if any(c in s for c in ".en") else s + ".0" for s in vals)
// def show(name, t):  # a Rust array literal
//     print(f"const {name}: [f32; {t.numel()}] = [{lits(t)}];")
// def show_named(name, pairs):  # a Rust array of (name, values)
//     print(f"const {name}: [(&str, &[f32]); {len(pairs)}] = [")
//     for k, t in pairs:
//         print(f'    ("{k}", &[{lits(t)}]),')
//     print("];")
// def patterned(i, k, n):  # patterned_state: tensor i of the state, named k, of n values
//     if k.endswith("running_var"):
//         return pat(n, 3, 7, 0.125, 0.5)
//     if k.endswith("bias"):  # positive, so that no ReLU path is dead
//         return pat(n, 3, 7, 0.05, 0.1)
//     return pat(n, 5 + 2 * (i % 7), 23, 0.05, -0.53)
// class Inception(nn.Module):  # as export::pytorch_code writes it (d2l's)
//     def __init__(self, in_channels, c1, c2, c3, c4):
//         super().__init__()
//         self.p1_1 = nn.Conv2d(in_channels, c1, kernel_size=1)
//         self.p2_1 = nn.Conv2d(in_channels, c2[0], kernel_size=1)
//         self.p2_2 = nn.Conv2d(c2[0], c2[1], kernel_size=3, padding=1)
//         self.p3_1 = nn.Conv2d(in_channels, c3[0], kernel_size=1)
//         self.p3_2 = nn.Conv2d(c3[0], c3[1], kernel_size=5, padding=2)
//         self.p4_1 = nn.MaxPool2d(kernel_size=3, stride=1, padding=1)
//         self.p4_2 = nn.Conv2d(in_channels, c4, kernel_size=1)
//     def forward(self, x):
//         p1 = F.relu(self.p1_1(x))
//         p2 = F.relu(self.p2_2(F.relu(self.p2_1(x))))
//         p3 = F.relu(self.p3_2(F.relu(self.p3_1(x))))
//         p4 = F.relu(self.p4_2(self.p4_1(x)))
//         return torch.cat((p1, p2, p3, p4), dim=1)
// model = nn.Sequential(  # pytorch_code(&inception_net())
//     Inception(3, 2, (2, 3), (1, 2), 2),
//     nn.AvgPool2d(kernel_size=3, stride=2, padding=1),
//     nn.Conv2d(9, 4, kernel_size=1, stride=1, padding=0, bias=False),
//     nn.Flatten(),
//     nn.Linear(36, 3),
// )
// params = list(model.named_parameters())  # Sequential::state's order (no batch norm here)
// with torch.no_grad():
//     for i, (k, t) in enumerate(params):
//         t.copy_(patterned(i, k, t.numel()).reshape(t.shape))
// x = pat(2 * 3 * 5 * 5, 37, 151, 0.02, -1.5).reshape(2, 3, 5, 5)  # distinct values: no ties in the max pool
// labels = torch.tensor([1, 2])
// logits = model(x)
// loss = F.cross_entropy(logits, labels)  # mean over the batch
// loss.backward()
// show("LOGITS", logits); show("LOSS", loss.reshape(1))
// show_named("GRADS", [(k, p.grad) for k, p in params])
#[test]
fn an_inception_block_trains_as_in_pytorch() {
    const LOGITS: [f32; 6] = [0.51597685, 0.32429793, 0.5015331, 0.056532823, 0.6413143, 0.4023021];
    const LOSS: [f32; 1] = [1.1582214];
    const GRADS: [(&str, &[f32]); 15] = [
        ("0.p1_1.weight", &[0.016068654, 0.021748742, 0.02742884, 0.0029178294, -0.003037489, 0.00853655]),
        ("0.p1_1.bias", &[0.014947608, 0.0058362978]),
        ("0.p2_1.weight", &[-0.021072991, 0.029863246, 0.08079948, 0.023610465, 0.06478265, 0.10595482]),
        ("0.p2_1.bias", &[0.13404274, 0.10834782]),
        ("0.p2_2.weight", &[
            0.024847463, 0.021343384, -0.008141082, 0.072688684, 0.024806743, 0.048644166, 0.026782991, 0.054470636,
            0.05036913, 0.042171456, 0.06924089, -0.016938146, 0.11408764, 0.05839354, 0.029246297, 0.06933688,
            0.06765377, 0.051268876, 0.029609155, 0.0123954825, -0.006856416, 0.026371935, 0.004045691, 0.032258194,
            0.014920023, 0.017611844, 0.045799967, 0.03875573, 0.07522238, 0.015115024, 0.054829016, 0.034601625,
            0.019356081, 0.042967893, 0.017474826, 0.0302883, 0.009483838, 0.008225203, 0.006421253, 0.0072431797,
            -0.0022071889, 0.004047062, 0.00097532384, 0.003639336, -0.0061717713, -0.0027345226, 0.009717931, 0.010393337,
            0.009509426, -2.1543354e-05, 0.0076502627, 0.0062460834, 0.005052983, 0.004484636,
        ]),
        ("0.p2_2.bias", &[0.15971492, 0.089954644, 0.0004040217]),
        ("0.p3_1.weight", &[-0.03968932, -0.014981824, -0.03613714]),
        ("0.p3_1.bias", &[0.065019764]),
        ("0.p3_2.weight", &[
            0.013479961, -0.00070026517, -0.0014271848, -0.0021141507, -0.003960943, 0.047185626, 0.024092767, 0.0024035666,
            0.01694958, 0.0025181137, 0.022403864, 0.019924955, 0.031907953, 0.04650551, 0.009354867, 0.008120814,
            0.036420174, 0.053458534, 0.024163477, 0.011941804, 0.010247551, 0.0551087, 0.02105948, 0.013435868,
            0.014594869, 0.013764284, 0.020746743, 0.015532386, 0.003478203, 0.0023004743, 0.032614455, 0.024225932,
            -0.0035309116, -0.002844267, 0.0057429634, 0.03560283, 0.01641212, -0.008568391, 0.012223672, 0.0069513544,
            0.014132002, 0.0034299549, 0.00070164073, 0.02178362, 0.018336624, -0.010529932, -0.0005529169, 0.0032395814,
            0.006114321, 0.0057147765,
        ]),
        ("0.p3_2.bias", &[0.12739374, 0.04809238]),
        ("0.p4_2.weight", &[-0.027810123, -0.030994829, -0.024259448, -0.13673317, -0.0904564, -0.20549971]),
        ("0.p4_2.bias", &[-0.014349102, -0.1492551]),
        ("2.weight", &[
            -0.008336265, 0.08106372, 0.06946095, 0.13608648, 0.025894755, 0.011704417, -0.0052634478, -0.022736289,
            0.093491435, 0.0007161014, -0.0053608287, 0.008941978, 0.07434794, 0.046274416, 0.043871984, 0.11341645,
            0.07060996, 0.03291229, -0.08681528, -0.073003724, -0.1079133, -0.17960681, -0.1696742, -0.056653697,
            -0.116258375, -0.08104084, -0.1881326, 0.05348222, 0.114332154, 0.13114417, 0.19038212, 0.1318109,
            0.038592286, 0.061873626, 0.0329819, 0.1994197,
        ]),
        ("4.weight", &[
            0.015791226, 0.055628702, 0.023608997, 0.046017367, 0.07139477, 0.04828974, 0.0060225953, 0.03429192,
            0.040242534, 0.0029157978, -0.004948347, 0.0012845763, -0.0039526843, 0.0068217274, 0.017269962, -0.0066429446,
            0.009718994, 0.027102288, 0.034150153, 0.056854777, 0.04568284, 0.053665124, 0.09809394, 0.081615984,
            0.028251987, 0.06492928, 0.067199595, 0.04802732, 0.086677805, 0.05401171, 0.07546599, 0.1267026,
            0.06705779, 0.069747284, 0.096457265, 0.053734273, 0.05816375, -0.09403142, -0.025348373, -0.09240096,
            -0.06961666, 0.0055364706, -0.02825247, 0.015487868, -0.10083912, -0.017738266, -0.027705628, 0.014776266,
            -0.029237539, -0.014236095, -0.012678793, 0.017556012, -0.013459148, -0.017912572, 0.007546697, -0.024404712,
            0.008901261, -0.02696814, -0.0096251145, -0.017260551, 0.016945649, -0.016118307, -0.016268618, -0.015281141,
            -0.013895012, -0.03161859, 0.010950662, -0.03697432, -0.020977046, -0.038626015, -0.036732532, 0.0012066364,
            -0.073954985, 0.03840273, 0.0017393734, 0.04638359, -0.0017781146, -0.053826213, 0.022229875, -0.049779788,
            0.060596593, 0.01482247, 0.032653976, -0.016060844, 0.033190224, 0.0074143675, -0.004591169, -0.0109130675,
            0.0037401556, -0.009189716, -0.04169685, -0.03245007, -0.054584105, -0.026696984, -0.088468835, -0.06435544,
            -0.045197636, -0.048810974, -0.050930984, -0.03274618, -0.072782785, -0.022393119, -0.08641666, -0.089728296,
            -0.046080753, -0.031121265, -0.059724737, -0.05494091,
        ]),
        ("4.bias", &[0.2966884, -0.13991244, -0.15677598]),
    ];
    let x = pattern(2 * 3 * 5 * 5, 37, 151, 0.02, -1.5);
    check_training_step(inception_net(), &x, &[1.0, 2.0], &LOGITS, LOSS[0], &GRADS, &[]);
}
