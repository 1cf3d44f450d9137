//! The primitives against fixed values computed by PyTorch 2.15 (CPU, float32). Each test has the
//! script that printed its constants pasted above it; run it with `python3` to regenerate them.
//! Inputs are `pattern(...)`s: small integers times a scale, bit-identical in both programs.
//! For each op: the forward output and every gradient (dx, dw, db) for a fixed upstream dy.

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
    let out = |s| conv_output_size(s, kernel, stride, 0).expect("test geometry fits");
    PoolGeom { n, c, h_in: h, w_in: w, h_out: out(h), w_out: out(w), kernel, stride }
}

/// Forward and backward of one convolution against PyTorch's y, dx, dw, db.
fn check_conv(g: &ConvGeom, x: &[f32], w: &[f32], bias: &[f32], dy: &[f32], want: (&[f32], &[f32], &[f32], &[f32])) {
    let b = cpu();
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
    let b = cpu();
    let (xs, ys) = ([g.n, g.c, g.h_in, g.w_in], [g.n, g.c, g.h_out, g.w_out]);
    let xt = upload(&b, &xs, x);
    let mut y = garbage(&b, &ys);
    b.pool2d_forward(kind, &xt, &mut y, g);
    assert_close(&format!("{kind:?} pool y vs PyTorch {g:?}"), &b.read(&y), want_y, Tol::TORCH);
    let mut dx = garbage(&b, &xs);
    b.pool2d_backward(kind, &xt, &upload(&b, &ys, dy), &mut dx, g);
    assert_close(&format!("{kind:?} pool dx vs PyTorch {g:?}"), &b.read(&dx), want_dx, Tol::TORCH);
}

// import torch
// def pat(n, mul, mod, scale, offset):  # common::pattern: ((i·mul) mod m)·scale + offset, exact in f32
//     return ((torch.arange(n) * mul) % mod).float() * scale + offset
// def show(name, t):  # a Rust array literal; 9 significant digits round-trip an f32
//     vals = ["%.9g" % v for v in t.detach().flatten().tolist()]
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
        0.205000013, 0.485000014, -0.0650000051, 0.0500000231, 0.0500000231, 0.11499998, 0.100000009, -0.165000007,
        -0.0949999988, -0.700000048, 0.0700000376, -0.515000045, 0.405000001, 0.310000002, 0.285000026, -0.130000025,
        0.564999998, -0.0199999809, -0.140000015, 0.14000003, -0.0100000277, 0.284999996, 0.284999996, -0.235000074,
        -0.61500001, -0.155000001, -0.455000043, 0.174999997, -0.0649999827, -0.185000002, 0.0349999964, 0.675000072,
        0.225000009, 0.344999999, 0.450000018, 0.340000004,
    ];
    const DX: [f32; 80] = [
        -0.0124999806, -0.149999991, -0.012500003, -0.137500003, -0.0375000015, 0.399999976, -0.124999993, 0.362500012,
        0.0749999955, -0.0624999702, -0.0124999955, 0.112499997, -0.037499994, -0.12500003, 0.049999997, -0.212500006,
        -0.0125000179, 0.287500024, -0.0124999881, -0.075000003, 0.175000012, 0.0500000194, -0.162500009, 0.0375000015,
        0.3125, -0.0624999851, 0.199999973, -0.125000015, -0.412500024, 0.0874999836, 0.300000012, -0.0625,
        0.262499988, -0.075000003, -0.200000003, 0.0249999985, -0.0375000089, -0.137500018, 0.237500012, 0.012500003,
        -0.0125000179, 0.287500024, -0.0124999881, -0.075000003, 0.0499999896, 0.400000036, 0.0500000045, -0.262499988,
        -0.0125000104, 0.287500024, -0.0124999806, -0.262499988, 0.049999997, -0.12499997, -0.0375000015, 0.0374999791,
        -0.012500003, -0.0625, 0.0749999955, 0.0750000179, -0.0375000089, -0.137500018, 0.237500012, 0.012500003,
        -0.225000009, -0.0874999985, -0.162499994, 0.175000012, -0.100000009, -0.100000001, 0.175000012, 0.087500006,
        -0.1875, -0.0124999881, 0.3125, 0.0625000149, -0.162500009, 0.112499997, -0.412500024, 0.0749999955,
    ];
    const DW: [f32; 54] = [
        0.25, -0.224999994, -1.07500005, 0.0, -0.100000024, 0.450000048, -0.274999976, -0.225000039,
        0.350000024, 0.199999988, -0.175000012, 0.350000024, -1.0, 0.449999988, 0.450000077, 0.174999997,
        0.824999988, -1.07500005, -0.274999976, 1.0, -0.099999994, 2.98023224e-08, 0.0750000104, -0.649999976,
        0.25, 0.299999982, -0.0749999881, 0.100000001, -0.37500003, -0.100000009, 0.450000018, 0.149999976,
        -0.0249999613, -0.800000012, -0.600000024, 0.400000036, -0.274999976, -0.225000039, 0.350000024, 0.349999964,
        -0.275000036, -0.350000054, -0.275000006, -0.574999928, 0.725000024, 0.174999997, 0.824999988, -1.07500005,
        -0.0250000283, -0.675000072, 0.899999917, 0.150000006, 0.950000048, -0.224999994,
    ];
    const DB: [f32; 3] = [
        0.0, -0.25, -0.5,
    ];
    let (x, w, bias) = (pattern(80, 7, 11, 0.1, -0.5), pattern(54, 5, 13, 0.05, -0.3), [0.1, -0.2, 0.3]);
    let dy = pattern(36, 3, 7, 0.25, -0.75);
    check_conv(&conv(2, 2, 5, 4, 3, 3, 2, 1), &x, &w, &bias, &dy, (&Y, &DX, &DW, &DB));
}

// import torch
// def pat(n, mul, mod, scale, offset):  # common::pattern: ((i·mul) mod m)·scale + offset, exact in f32
//     return ((torch.arange(n) * mul) % mod).float() * scale + offset
// def show(name, t):  # a Rust array literal; 9 significant digits round-trip an f32
//     vals = ["%.9g" % v for v in t.detach().flatten().tolist()]
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
        -0.403999984, -0.336000025, -0.291999996, -0.419999987, -0.684000015, -0.412, -0.60799998, -0.523999989,
        -0.288000047, -0.679999948, -0.340000033, -0.680000067, -0.288000017, -0.523999989, -0.623999953, -0.579999983,
        -0.363999963, -0.211999983, -0.604000092, -0.384000003, -0.0760000348, -0.60799998, -0.575999975, -0.184000015,
        -0.576000035, -0.560000002, -0.671999991, -0.248000026, -0.640000045, -0.135999978, -0.39199996, -0.859999955,
        -0.579999983, -0.356000006, -0.340000033, -0.548000038, -0.359999985, -0.395999968, -0.708000004, -0.680000007,
        -0.140000045, -0.620000005, 0.226000041, 0.106000006, 0.378000021, -0.0299999714, 0.17399998, 0.430000007,
        0.201999977, 0.150000006, 0.298000008, 0.194000036, 0.190000013, 0.253999919, -0.0779999793, 0.346000016,
        0.157999992, 0.426000029, 0.102000043, 0.285999984, 0.0619999915, 0.354000032, -0.00200000405, 0.14200002,
        0.537999988, 0.438000023, 0.0779999793, 0.397999942, 0.354000002, 0.0180000067, 0.238000005, 0.245999992,
        0.082000047, 0.237999961, 0.665999949, -0.0780000091, 0.389999986, 0.349999994, 0.0220000744, 0.230000019,
        0.385999978, 0.405999988, 0.430000007, 0.245999992,
    ];
    const DX: [f32; 42] = [
        0.0559999608, -0.0240000449, -0.735999882, 0.952000022, -0.743999958, 0.0879999921, 0.168000028, -0.200000003,
        -0.0559999421, 0.255999923, -0.400000036, -0.551999867, 0.800000072, -0.4799999, 0.312000036, 0.615999937,
        -0.0640000403, -0.271999955, 0.455999941, -0.367999971, -0.407999873, 0.200000003, -0.359999985, 0.280000061,
        0.575999975, -0.0640000403, -0.183999926, 0.45599997, -0.487999916, -0.192000076, 0.256000072, -0.456,
        0.488000095, 0.0319999866, 0.0879999325, -0.295999974, 0.583999991, -0.623999953, -0.0239999667, 1.9580126e-08,
        -0.23999998, 0.224000022,
    ];
    const DW: [f32; 50] = [
        0.0400001146, -0.100000061, 0.419999987, -0.220000058, 0.639999866, 1.12000012, -1.86000037, -0.759999871,
        -1.19999981, 1.0, 1.5999999, -1.15999997, -1.25999999, -2.19999981, 0.460000098, 0.599999845,
        -0.219999954, 0.0999999642, -0.540000141, -0.699999988, -0.879999936, 0.200000212, 0.719999909, 0.400000066,
        0.49999994, 0.640000045, -0.219999835, 0.419999957, -0.100000054, 0.0400001071, -1.21999991, 0.540000081,
        1.46000016, -0.0599999465, 1.3599999, -3.02000022, 0.519999981, 0.540000141, 0.319999963, 2.25999999,
        -0.899999976, 0.259999961, -1.39999998, 0.540000141, 0.74000001, 0.440000027, 0.0199999772, 0.360000074,
        -0.859999955, -1.42000008,
    ];
    const DB: [f32; 2] = [
        -0.600000083, -0.600000083,
    ];
    let (x, w, bias) = (pattern(42, 5, 17, 0.1, -0.8), pattern(50, 3, 11, 0.04, -0.2), [-0.5, 0.25]);
    let dy = pattern(84, 5, 9, 0.2, -0.8);
    check_conv(&conv(1, 1, 6, 7, 2, 5, 1, 2), &x, &w, &bias, &dy, (&Y, &DX, &DW, &DB));
}

// import torch
// def pat(n, mul, mod, scale, offset):  # common::pattern: ((i·mul) mod m)·scale + offset, exact in f32
//     return ((torch.arange(n) * mul) % mod).float() * scale + offset
// def show(name, t):  # a Rust array literal; 9 significant digits round-trip an f32
//     vals = ["%.9g" % v for v in t.detach().flatten().tolist()]
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
        4.75, 4.75, 4.30000019, 4.75, 4.75, 4.5, 4.95000076, 4.5,
        4.5, 4.0, 4.70000076, 3.55000019, 4.0, 3.75, 4.45000076, 4.90000057,
        4.90000057, 3.5, 3.95000076, 4.65000057, 4.65000057, 3.25, 4.85000038, 4.40000057,
        4.15000057, 4.85000038, 4.60000038, 4.35000038, 3.90000057, 3.65000057, 4.35000038, 4.80000019,
        4.80000019, 4.10000038, 4.10000038, 4.55000019,
    ];
    const MAX_DX: [f32; 196] = [
        0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        -0.199999988, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        -0.300000012, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.300000012, 0.0, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.100000024, 0.0, 0.0, 0.0, 0.0,
        -0.400000006, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, -0.099999994, 0.0, 0.0, 0.0, 0.0,
        0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.200000048, 0.0,
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        0.300000012, 0.0, 0.0, 0.0, 0.0, 0.0, -0.200000018, 0.0,
        0.0, 0.0, 0.0, -0.300000012, 0.0, 0.0, 0.0, 0.0,
        0.100000024, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        0.0, -0.600000024, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0,
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        0.0, 0.400000036, 0.0, 0.0, 0.0, 0.0, 0.300000012, 0.0,
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.300000012, 0.0,
        0.0, 0.0, 0.0, 0.0, -0.299999982, 0.0, 0.0, 0.0,
        0.0, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.0,
    ];
    const AVG_Y: [f32; 36] = [
        -0.0999998003, 0.28333354, -0.438888609, 0.372222394, 0.755555689, 0.03333354, 0.844444811, 0.122222371,
        0.505555689, -0.105555326, 0.277778059, -0.44444418, -0.738888681, -0.355555266, 0.0277780686, 0.838889182,
        0.116666876, -0.605555296, -0.111110821, 0.272222638, 0.655555844, -0.744444072, 0.744444728, 0.0222226251,
        -0.272221923, 0.111111455, 0.494444847, -0.116666369, -0.838888705, -0.455555171, 0.355555862, 0.738889158,
        0.0166669153, -0.277777493, 0.105555855, 0.488889158,
    ];
    const AVG_DX: [f32; 196] = [
        -0.055555556, -0.055555556, -0.055555556, 0.0, 0.055555556, 0.055555556, 0.055555556, -0.055555556,
        -0.055555556, -0.055555556, 0.0, 0.055555556, 0.055555556, 0.055555556, -0.0666666627, -0.0666666627,
        -0.0222222134, 0.0444444492, 0.077777788, 0.0333333351, 0.0333333351, -0.0111111104, -0.0111111104, 0.0333333388,
        0.0444444492, 0.0222222283, -0.0222222209, -0.0222222209, 0.0222222246, 0.0222222246, 0.0333333425, 0.0111111142,
        0.0111111142, 0.0, 0.0, 0.0333333351, 0.0333333351, 0.0, -0.0333333351, -0.0111111142,
        0.0222222209, 0.0222222209, 0.0333333351, 0.0333333351, 0.0, -0.0333333351, -0.0111111142, 0.0222222209,
        0.0222222209, -0.0444444455, -0.0444444455, -0.0333333313, 0.0111111142, -0.0444444418, -0.055555556, -0.055555556,
        -0.0444444455, -0.0444444455, -0.0333333313, 0.0111111142, -0.0444444418, -0.055555556, -0.055555556, -0.0444444455,
        -0.0444444455, 0.0222222246, 0.0666666701, 3.7252903e-09, -0.0666666627, -0.0666666627, 0.0, 0.0,
        0.055555556, 0.055555556, 0.0444444455, -0.0111111104, -0.0111111104, 0.0444444492, 0.0444444492, 0.077777788,
        0.0333333351, 0.0555555597, 0.0222222246, 0.0222222246, 0.0444444492, 0.0444444492, 0.0222222283, -0.0222222209,
        0.0111111142, 0.0333333351, 0.0333333351, 0.0444444492, 0.0444444492, 0.0222222283, -0.0222222209, 0.0111111142,
        0.0333333351, 0.0333333351, -0.0333333351, -0.0333333351, -0.0111111142, 0.0222222209, -0.0222222246, -0.0444444455,
        -0.0444444455, -0.0333333351, -0.0333333351, -0.0111111142, 0.0222222209, -0.0222222246, -0.0444444455, -0.0444444455,
        -0.0222222209, -0.0222222209, -0.055555556, -0.0333333351, -0.0777777806, -0.0444444455, -0.0444444455, 0.0111111142,
        0.0111111142, -0.0444444418, -0.055555556, -0.055555556, 0.0, 0.0, 0.0666666701, 0.0666666701,
        3.7252903e-09, -0.0666666627, -0.0222222134, 0.0444444492, 0.0444444492, 0.055555556, 0.055555556, 0.0444444455,
        -0.0111111104, 0.0333333388, 0.0444444492, 0.0444444492, 0.055555556, 0.055555556, 0.0444444455, -0.0111111104,
        0.0333333388, 0.0444444492, 0.0444444492, -0.0222222209, -0.0222222209, 0.0111111142, 0.0333333351, 0.0,
        -0.0333333351, -0.0333333351, -0.0222222209, -0.0222222209, 0.0111111142, 0.0333333351, 0.0, -0.0333333351,
        -0.0333333351, 0.0, 0.0, -0.0111111104, -0.0111111104, -0.0333333313, -0.0222222209, -0.0222222209,
        0.0222222209, 0.0222222209, -0.0222222246, -0.0444444455, -0.0333333313, 0.0111111142, 0.0111111142, -0.0333333351,
        -0.0333333351, -0.0777777806, -0.0444444455, 0.0222222246, 0.0666666701, 0.0666666701, -0.055555556, -0.055555556,
        -0.055555556, 0.0, 0.055555556, 0.055555556, 0.055555556, -0.055555556, -0.055555556, -0.055555556,
        0.0, 0.055555556, 0.055555556, 0.055555556,
    ];
    let (g, x, dy) = (pool(2, 2, 7, 7, 3, 2), pattern(196, 37, 199, 0.05, -4.95), pattern(36, 5, 11, 0.1, -0.5));
    check_pool(PoolKind::Max, &g, &x, &dy, &MAX_Y, &MAX_DX);
    check_pool(PoolKind::Avg, &g, &x, &dy, &AVG_Y, &AVG_DX);
}

// import torch
// def pat(n, mul, mod, scale, offset):  # common::pattern: ((i·mul) mod m)·scale + offset, exact in f32
//     return ((torch.arange(n) * mul) % mod).float() * scale + offset
// def show(name, t):  # a Rust array literal; 9 significant digits round-trip an f32
//     vals = ["%.9g" % v for v in t.detach().flatten().tolist()]
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
        1.30000019, 2.70000029, 3.4000001, 2.4000001, 3.10000038, 1.0, 3.5, 0.700000286,
        2.10000038, 0.400000095, 1.80000019, 3.20000029, 1.5, 2.9000001, 3.60000038, 2.60000038,
        3.30000019, 2.30000019,
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
        -1.14999986, 0.250000179, -0.174999893, -0.0499998331, -0.474999845, -0.899999917, 1.05000019, -1.19999981,
        0.200000197, -1.49999988, -0.0999998152, 1.30000019, -0.399999857, 1.00000024, 0.575000167, 0.700000226,
        0.275000095, -0.149999857,
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

// import torch
// def pat(n, mul, mod, scale, offset):  # common::pattern: ((i·mul) mod m)·scale + offset, exact in f32
//     return ((torch.arange(n) * mul) % mod).float() * scale + offset
// def show(name, t):  # a Rust array literal; 9 significant digits round-trip an f32
//     vals = ["%.9g" % v for v in t.detach().flatten().tolist()]
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
        0.325000018, -0.0300000012, 0.155000001, -0.535000026, 0.159999996, -0.335000008, 0.425000012, -0.274999976,
        0.325000018, -0.310000002, 0.310000002, -0.400000006,
    ];
    const DX: [f32; 15] = [
        0.125, 0.0124999955, -0.100000009, 0.112500004, -0.325000018, -0.25, -0.25, -0.25,
        0.400000006, 0.237500027, -0.100000001, 0.0125000104, 0.125000015, 0.075000003, 0.1875,
    ];
    const DW: [f32; 20] = [
        0.099999994, -0.0999999791, 0.249999985, -0.774999976, 0.399999976, -0.324999988, 0.200000003, -0.099999994,
        0.150000006, 0.125000015, 0.125, 0.149999991, -0.099999994, 0.199999988, -0.324999988, 0.400000036,
        -0.774999976, 0.249999985, -0.0999999791, 0.0999999642,
    ];
    const DB: [f32; 4] = [
        0.5, 0.75, -0.75, -0.5,
    ];
    let b = cpu();
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

// import torch
// def pat(n, mul, mod, scale, offset):  # common::pattern: ((i·mul) mod m)·scale + offset, exact in f32
//     return ((torch.arange(n) * mul) % mod).float() * scale + offset
// def show(name, t):  # a Rust array literal; 9 significant digits round-trip an f32
//     vals = ["%.9g" % v for v in t.detach().flatten().tolist()]
//     vals = [s if any(c in s for c in ".en") else s + ".0" for s in vals]
//     print(f"const {name}: [f32; {len(vals)}] = [{', '.join(vals)}];")
// F = torch.nn.functional
// logits = pat(3 * 5, 7, 11, 0.5, -2.5).reshape(3, 5).requires_grad_()
// labels = torch.tensor([1, 0, 4])
// loss = F.cross_entropy(logits, labels)  # mean over the batch
// loss.backward()
// print("LOSS %.9g" % loss.item())
// show("PROBS", F.softmax(logits, dim=1)); show("DLOGITS", logits.grad)
#[test]
fn softmax_cross_entropy_matches_pytorch() {
    const LOSS: f32 = 2.06184125;
    const PROBS: [f32; 15] = [
        0.0048286817, 0.159903988, 0.0216406509, 0.716639936, 0.0969866663, 0.0168664753, 0.55854094, 0.0755902976,
        0.0102300346, 0.338772207, 0.0380096696, 0.00514404988, 0.170347542, 0.0230540317, 0.763444662,
    ];
    const DLOGITS: [f32; 15] = [
        0.00160956045, -0.280032009, 0.00721354969, 0.238879979, 0.0323288888, -0.327711195, 0.186180323, 0.0251967609,
        0.00341001106, 0.112924069, 0.0126698911, 0.00171468314, 0.0567825139, 0.00768467737, -0.0788517818,
    ];
    let b = cpu();
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
    assert_close("mean loss vs PyTorch", &[m[0] / n as f32], &[LOSS], Tol::TORCH);
    assert_close("#correct and N", &m[1..], &[1.0f32, 3.0], Tol::EXACT);
}

// import torch
// def pat(n, mul, mod, scale, offset):  # common::pattern: ((i·mul) mod m)·scale + offset, exact in f32
//     return ((torch.arange(n) * mul) % mod).float() * scale + offset
// def show(name, t):  # a Rust array literal; 9 significant digits round-trip an f32
//     vals = ["%.9g" % v for v in t.detach().flatten().tolist()]
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
        -2.14356017, -0.60511893, 0.93332231, 2.47176385, -1.04467356, 0.493767798, 2.03220892, -1.48422813,
        0.054213047, 1.59265435, -1.92378283, -0.385341585, 0.235039607, 0.747853398, -0.424292356, 0.0885214433,
        0.601335168, -0.570810616, -0.0579968132, 0.454816997, -0.717328846, -0.204515025, 0.308298737, -0.863847017,
        0.368396729, -0.768396616, -1.90519023, 0.693194807, -0.443598658, -1.58039188, 1.01799285, -0.118800461,
        -1.2555939, 1.34279096, 0.205997631, -0.930795729, 2.69154096, -0.824896216, 0.713545144, 2.25198627,
        -1.26445091, 0.273990422, 1.81243181, -1.7040056, -0.165564194, 1.372877, -2.14356017, -0.60511893,
        0.161780477, 0.674594343, -0.497551501, 0.0152623141, 0.528076053, -0.644069672, -0.13125594, 0.381557852,
        -0.790587902, -0.277774155, 0.235039607, 0.747853398, 0.530795693, -0.605997741, -1.74279094, 0.85559386,
        -0.281199545, -1.41799295, 1.18039203, 0.0435985327, -1.09319484, 1.50519013, 0.368396729, -0.768396616,
    ];
    const DX: [f32; 72] = [
        -0.731032968, -0.126143917, 0.478745162, -0.34491843, 0.0777917579, 0.682680905, -0.140982762, 0.281727552,
        -0.5419361, 0.062952958, 0.485663176, -0.338000417, 0.080110915, -0.171336427, -0.0832494199, 0.14148742,
        -0.10995993, -0.0218729153, 0.202863961, -0.0485834032, 0.0395036079, -0.211943731, 0.0127931135, 0.100880124,
        0.254008532, -0.226942018, 0.347701252, 0.113024615, -0.367925942, 0.206717357, -0.0279593151, -0.508909941,
        0.065733403, -0.168943271, 0.405700028, -0.0752505362, 0.652000368, -0.35384205, 0.251047015, -0.572616696,
        -0.149906382, 0.454982698, -0.368680894, 0.0540293008, 0.658918381, -0.164745227, 0.257965088, -0.565698504,
        0.000910514966, 0.225647375, -0.162449837, 0.0622870326, -0.189160317, -0.101073325, 0.123663537, -0.12778382,
        -0.0396968052, 0.185040072, -0.0664073005, 0.158329561, 0.427115142, -0.0538354218, -0.534785986, 0.286131203,
        -0.194819346, 0.379823923, 0.145147294, -0.335803241, 0.238840058, 0.00416336069, -0.476787239, 0.0978560969,
    ];
    const DGAMMA: [f32; 3] = [
        -1.18069243, -2.65686369, -1.94878864,
    ];
    const DBETA: [f32; 3] = [
        -0.200000226, 0.799999714, -0.800000191,
    ];
    const RUNNING_MEAN: [f32; 3] = [
        0.0541666709, 0.0858333409, 0.0600000024,
    ];
    const RUNNING_VAR: [f32; 3] = [
        1.09442747, 1.09442759, 1.05826092,
    ];
    const Y_EVAL: [f32; 72] = [
        -2.12840104, -0.121047862, 1.88630533, 3.89365888, -0.694577336, 1.31277597, 3.32012892, -1.2681067,
        0.739246368, 2.74659967, -1.84163618, 0.165716946, 0.675888598, 1.34500635, -0.18440564, 0.484712154,
        1.15382981, -0.375582159, 0.29353559, 0.962653399, -0.566758692, 0.102359109, 0.771476865, -0.757935166,
        -0.0444673412, -1.40537786, -2.76628876, 0.344364226, -1.01654649, -2.3774569, 0.733195782, -0.627714753,
        -1.98862541, 1.1220274, -0.238883182, -1.59979367, 4.18042326, -0.407812506, 1.59954083, 3.60689378,
        -0.981342018, 1.02601123, 3.03336453, -1.55487156, 0.452481747, 2.45983481, -2.12840104, -0.121047862,
        0.580300272, 1.24941826, -0.279993922, 0.389123857, 1.05824149, -0.471170396, 0.197947323, 0.867065132,
        -0.6623469, 0.00677084038, 0.675888598, 1.34500635, 0.149948388, -1.2109623, -2.57187271, 0.538780034,
        -0.82213062, -2.18304133, 0.927611649, -0.433299035, -1.7942096, 1.3164432, -0.0444673412, -1.40537786,
    ];
    let b = cpu();
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
