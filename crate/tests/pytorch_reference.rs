//! The primitives against fixed values computed by PyTorch 2.15 (CPU, float32). Each test has the
//! script that printed its constants pasted above it; run it with `python3` to regenerate them.
//! Inputs are `pattern(...)`s: small integers times a scale, bit-identical in both programs.
//! For each op: the forward output and every gradient (dx, dw, db) for a fixed upstream dy.
//! The ops run on the reference backend (the plain loops of `crate::layers`); the fast backends
//! inherit these values through the agreement tests (tests/agreement), which hold them to it.

mod common;

use cnn_core::backend::{Backend, ConvGeom, PoolGeom, PoolKind, METRICS_LEN};
use cnn_core::tensor::conv_output_size;
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
