//! Every primitive of the reference backend (the plain loops of `crate::layers`), forward against
//! the textbook formula evaluated in f64 and backward against central finite differences of its
//! own forward pass. The fast backends inherit these checks through the agreement tests
//! (tests/agreement), which hold every op of theirs to the reference; that is also where large
//! batches, which the CPU backend splits over the cores, are checked.
//!
//! The scalar each backward is checked through is L = Σ r·y with fixed, varied weights r (see
//! `common::dot`), so ∂L/∂y = r is the `dy` handed to the backward kernel. Inputs are chosen away
//! from kinks: ReLU inputs are never within a step of 0 and max-pool windows never tie.
//! Output buffers start as NaN, so a kernel that accumulates into (or reads) its outputs fails.

mod common;

use cnn_core::backend::{ActKind, Backend, ConvGeom, PoolGeom, PoolKind, RegressionLoss, METRICS_LEN};
use cnn_core::rng::hash_uniform;
use cnn_core::tensor::conv_output_size;
use common::*;

// ---- convolution ---------------------------------------------------------------------------

#[allow(clippy::too_many_arguments)]
fn conv_geom(n: usize, c_in: usize, h: usize, w: usize, c_out: usize, kernel: usize, stride: usize, padding: usize) -> ConvGeom {
    ConvGeom {
        n,
        c_in,
        h_in: h,
        w_in: w,
        c_out,
        h_out: conv_output_size(h, kernel, stride, padding).expect("test geometry fits"),
        w_out: conv_output_size(w, kernel, stride, padding).expect("test geometry fits"),
        kernel,
        stride,
        padding,
    }
}

/// y[n,o,i,j] = b[o] + Σ_c Σ_u Σ_v w[o,c,u,v] · x[n, c, i·S + u − P, j·S + v − P], zero outside.
fn conv2d_reference(x: &[f32], w: &[f32], b: &[f32], g: &ConvGeom) -> Vec<f64> {
    let f = g.kernel;
    let mut y = vec![0.0f64; g.n * g.c_out * g.h_out * g.w_out];
    for n in 0..g.n {
        for o in 0..g.c_out {
            for i in 0..g.h_out {
                for j in 0..g.w_out {
                    let mut acc = b[o] as f64;
                    for c in 0..g.c_in {
                        for u in 0..f {
                            for v in 0..f {
                                let (r, s) = ((i * g.stride + u) as isize - g.padding as isize, (j * g.stride + v) as isize - g.padding as isize);
                                if r < 0 || s < 0 || r >= g.h_in as isize || s >= g.w_in as isize {
                                    continue;
                                }
                                let xv = x[((n * g.c_in + c) * g.h_in + r as usize) * g.w_in + s as usize] as f64;
                                acc += w[((o * g.c_in + c) * f + u) * f + v] as f64 * xv;
                            }
                        }
                    }
                    y[((n * g.c_out + o) * g.h_out + i) * g.w_out + j] = acc;
                }
            }
        }
    }
    y
}

fn conv2d_run(b: &Reference, x: &[f32], w: &[f32], bias: &[f32], g: &ConvGeom) -> Vec<f32> {
    let xt = upload(b, &[g.n, g.c_in, g.h_in, g.w_in], x);
    let wt = upload(b, &[g.c_out, g.c_in, g.kernel, g.kernel], w);
    let bt = upload(b, &[g.c_out], bias);
    let mut y = garbage(b, &[g.n, g.c_out, g.h_out, g.w_out]);
    b.conv2d_forward(&xt, &wt, &bt, &mut y, g);
    b.read(&y)
}

/// Forward against the formula, then dx, dw, db against finite differences, then the same dw, db
/// when dx is not asked for.
fn check_conv2d(g: ConvGeom) {
    let b = reference();
    let f = g.kernel;
    let x = sin_data(g.n * g.c_in * g.h_in * g.w_in, 1.0, 0.0);
    let w = sin_data(g.c_out * g.c_in * f * f, 0.5, 2.0);
    let bias = sin_data(g.c_out, 0.3, 5.0);
    let name = format!("conv2d {g:?}");

    let y = conv2d_run(&b, &x, &w, &bias, &g);
    assert_close(&format!("{name} forward"), &y, &conv2d_reference(&x, &w, &bias, &g), Tol::F32);

    let r = projection(y.len());
    let (xt, wt) = (upload(&b, &[g.n, g.c_in, g.h_in, g.w_in], &x), upload(&b, &[g.c_out, g.c_in, f, f], &w));
    let dyt = upload(&b, &[g.n, g.c_out, g.h_out, g.w_out], &r);
    let mut dx = garbage(&b, &[g.n, g.c_in, g.h_in, g.w_in]);
    let mut dw = garbage(&b, &[g.c_out, g.c_in, f, f]);
    let mut db = garbage(&b, &[g.c_out]);
    b.conv2d_backward(&xt, &wt, &dyt, Some(&mut dx), &mut dw, &mut db, &g);
    let (dx, dw, db) = (b.read(&dx), b.read(&dw), b.read(&db));

    // The forward pass is linear in each argument, so eps only has to beat rounding.
    let eps = 1e-2;
    check_grad(&format!("{name} dx"), &dx, &x, eps, Tol::FD, |xv| dot(&conv2d_run(&b, xv, &w, &bias, &g), &r));
    check_grad(&format!("{name} dw"), &dw, &w, eps, Tol::FD, |wv| dot(&conv2d_run(&b, &x, wv, &bias, &g), &r));
    check_grad(&format!("{name} db"), &db, &bias, eps, Tol::FD, |bv| dot(&conv2d_run(&b, &x, &w, bv, &g), &r));

    // The first layer of a network asks for no dx; dw and db must not change.
    let mut dw2 = garbage(&b, &[g.c_out, g.c_in, f, f]);
    let mut db2 = garbage(&b, &[g.c_out]);
    b.conv2d_backward(&xt, &wt, &dyt, None, &mut dw2, &mut db2, &g);
    assert_close(&format!("{name} dw without dx"), &b.read(&dw2), &dw, Tol::F32);
    assert_close(&format!("{name} db without dx"), &b.read(&db2), &db, Tol::F32);
}

#[test]
fn conv2d_3x3_stride1_pad1_non_square_batch2() {
    check_conv2d(conv_geom(2, 3, 7, 5, 4, 3, 1, 1));
}

#[test]
fn conv2d_1x1_pointwise() {
    check_conv2d(conv_geom(2, 4, 4, 6, 3, 1, 1, 0));
}

#[test]
fn conv2d_5x5_lenet_like_no_padding() {
    check_conv2d(conv_geom(2, 2, 9, 8, 3, 5, 1, 0));
}

#[test]
fn conv2d_5x5_stride2_pad2() {
    check_conv2d(conv_geom(3, 2, 9, 10, 2, 5, 2, 2));
}

#[test]
fn conv2d_3x3_stride2_no_padding_drops_the_last_row() {
    // (8 − 3)/2 = 2.5 → H' = 3: the last input row is never covered and must get dx = 0.
    check_conv2d(conv_geom(2, 3, 8, 7, 2, 3, 2, 0));
}

#[test]
fn conv2d_padding_as_large_as_the_kernel_radius_plus_one() {
    // Padding 2 around a 3×3 kernel: some outputs see only one input pixel.
    check_conv2d(conv_geom(1, 2, 4, 5, 3, 3, 1, 2));
}

#[test]
fn conv2d_single_channel_in_many_out() {
    check_conv2d(conv_geom(2, 1, 6, 6, 6, 5, 1, 2));
}

// ---- pooling --------------------------------------------------------------------------------

fn pool_geom(n: usize, c: usize, h: usize, w: usize, kernel: usize, stride: usize) -> PoolGeom {
    padded_pool_geom(n, c, h, w, kernel, stride, 0)
}

fn padded_pool_geom(n: usize, c: usize, h: usize, w: usize, kernel: usize, stride: usize, padding: usize) -> PoolGeom {
    PoolGeom {
        n,
        c,
        h_in: h,
        w_in: w,
        h_out: conv_output_size(h, kernel, stride, padding).expect("test geometry fits"),
        w_out: conv_output_size(w, kernel, stride, padding).expect("test geometry fits"),
        kernel,
        stride,
        padding,
    }
}

/// The textbook pooling in f64: each window's input cells (the part of it inside the image); the
/// max of those, or their sum over F² (PyTorch's count_include_pad: padding counts as 0).
fn pool_reference(kind: PoolKind, x: &[f32], g: &PoolGeom) -> Vec<f64> {
    let inside = |start: usize, k: usize, len: usize| (start + k).checked_sub(g.padding).filter(|&at| at < len);
    let mut y = Vec::with_capacity(g.n * g.c * g.h_out * g.w_out);
    for nc in 0..g.n * g.c {
        for i in 0..g.h_out {
            for j in 0..g.w_out {
                let window = (0..g.kernel)
                    .flat_map(|u| (0..g.kernel).map(move |v| (u, v)))
                    .filter_map(|(u, v)| Some((inside(i * g.stride, u, g.h_in)?, inside(j * g.stride, v, g.w_in)?)))
                    .map(|(r, c)| x[(nc * g.h_in + r) * g.w_in + c] as f64);
                y.push(match kind {
                    PoolKind::Max => window.fold(f64::NEG_INFINITY, f64::max),
                    PoolKind::Avg => window.sum::<f64>() / (g.kernel * g.kernel) as f64,
                });
            }
        }
    }
    y
}

fn pool_run(b: &Reference, kind: PoolKind, x: &[f32], g: &PoolGeom) -> Vec<f32> {
    let xt = upload(b, &[g.n, g.c, g.h_in, g.w_in], x);
    let mut y = garbage(b, &[g.n, g.c, g.h_out, g.w_out]);
    b.pool2d_forward(kind, &xt, &mut y, g);
    b.read(&y)
}

fn check_pool(kind: PoolKind, g: PoolGeom) {
    let b = reference();
    let len = g.n * g.c * g.h_in * g.w_in;
    // Max pooling: distinct values 0.05 apart and eps 0.01, so no step changes a window's winner.
    let x = match kind {
        PoolKind::Max => distinct_scrambled(len, 0.05),
        PoolKind::Avg => sin_data(len, 1.0, 0.5),
    };
    let name = format!("{kind:?} pool {g:?}");
    let y = pool_run(&b, kind, &x, &g);
    assert_close(&format!("{name} forward"), &y, &pool_reference(kind, &x, &g), Tol::F32);

    let r = projection(y.len());
    let mut dx = garbage(&b, &[g.n, g.c, g.h_in, g.w_in]);
    b.pool2d_backward(kind, &upload(&b, &[g.n, g.c, g.h_in, g.w_in], &x), &upload(&b, &[g.n, g.c, g.h_out, g.w_out], &r), &mut dx, &g);
    check_grad(&format!("{name} dx"), &b.read(&dx), &x, 1e-2, Tol::FD, |xv| dot(&pool_run(&b, kind, xv, &g), &r));
}

#[test]
fn maxpool_2x2_stride2() {
    check_pool(PoolKind::Max, pool_geom(2, 3, 6, 8, 2, 2));
}

#[test]
fn maxpool_3x3_stride2_overlapping_windows_add() {
    check_pool(PoolKind::Max, pool_geom(2, 2, 7, 9, 3, 2));
}

#[test]
fn maxpool_3x3_stride1_heavy_overlap() {
    check_pool(PoolKind::Max, pool_geom(1, 2, 5, 6, 3, 1));
}

#[test]
fn maxpool_odd_input_leaves_the_remainder_without_gradient() {
    check_pool(PoolKind::Max, pool_geom(2, 2, 7, 5, 2, 2));
}

#[test]
fn avgpool_2x2_stride2() {
    check_pool(PoolKind::Avg, pool_geom(2, 3, 6, 8, 2, 2));
}

#[test]
fn avgpool_3x3_stride2_overlapping_windows_add() {
    check_pool(PoolKind::Avg, pool_geom(2, 2, 7, 9, 3, 2));
}

#[test]
fn avgpool_odd_input_non_square() {
    check_pool(PoolKind::Avg, pool_geom(1, 3, 5, 7, 2, 2));
}

/// Inception's MaxPool2d(3, stride=1, padding=1): the output keeps the input's size, and border
/// windows are clipped (padding is never the max).
#[test]
fn maxpool_3x3_stride1_padding1_keeps_the_size() {
    check_pool(PoolKind::Max, padded_pool_geom(2, 2, 5, 6, 3, 1, 1));
}

/// ResNet's stem MaxPool2d(3, 2, 1), on odd and even sizes.
#[test]
fn maxpool_3x3_stride2_padding1() {
    check_pool(PoolKind::Max, padded_pool_geom(1, 3, 7, 6, 3, 2, 1));
}

/// A window of 5 with padding 2 (the most PyTorch allows): corner windows hold 9 of 25 cells.
#[test]
fn maxpool_5x5_stride2_padding2() {
    check_pool(PoolKind::Max, padded_pool_geom(1, 2, 6, 5, 5, 2, 2));
}

/// Average pooling with padding divides by F² whatever the window covers (count_include_pad).
#[test]
fn avgpool_3x3_stride1_padding1_counts_the_padding() {
    check_pool(PoolKind::Avg, padded_pool_geom(2, 2, 5, 6, 3, 1, 1));
}

#[test]
fn avgpool_3x3_stride2_padding1() {
    check_pool(PoolKind::Avg, padded_pool_geom(1, 3, 7, 6, 3, 2, 1));
}

#[test]
fn avgpool_2x2_stride2_padding1_odd_input() {
    check_pool(PoolKind::Avg, padded_pool_geom(1, 2, 5, 7, 2, 2, 1));
}

/// All-negative input under padding: if padding counted as 0 the border maxima would be 0.
#[test]
fn maxpool_padding_is_never_the_maximum() {
    let b = reference();
    let g = padded_pool_geom(1, 1, 2, 2, 3, 1, 1);
    let x = [-4.0, -3.0, -2.0, -1.0];
    assert_close("max pool of negatives with padding", &pool_run(&b, PoolKind::Max, &x, &g), &[-1.0f32; 4], Tol::EXACT);
    let avg = pool_run(&b, PoolKind::Avg, &x, &g);
    assert_close("avg pool of negatives with padding: Σ/9", &avg, &[-10.0f32 / 9.0; 4], Tol::F32);
}

#[test]
fn maxpool_ties_route_the_gradient_to_the_first_maximum() {
    // The trait's rule (and PyTorch's): with equal values the first maximum in row-major window
    // order wins. Window 0 is all 1.0; window 1 has its maximum 2.0 twice (positions 1 and 2).
    let b = reference();
    let g = pool_geom(1, 1, 2, 4, 2, 2);
    let x = [1.0, 1.0, 0.0, 2.0, 1.0, 1.0, 2.0, -1.0];
    let y = pool_run(&b, PoolKind::Max, &x, &g);
    assert_close("tied max forward", &y, &[1.0f32, 2.0], Tol::EXACT);
    let mut dx = garbage(&b, &[1, 1, 2, 4]);
    b.pool2d_backward(PoolKind::Max, &upload(&b, &[1, 1, 2, 4], &x), &upload(&b, &[1, 1, 1, 2], &[10.0, 20.0]), &mut dx, &g);
    assert_close("tied max dx", &b.read(&dx), &[10.0f32, 0.0, 0.0, 20.0, 0.0, 0.0, 0.0, 0.0], Tol::EXACT);
}

// ---- dense ----------------------------------------------------------------------------------

fn dense_run(b: &Reference, x: &[f32], w: &[f32], bias: &[f32], n: usize, i: usize, o: usize) -> Vec<f32> {
    let mut y = garbage(b, &[n, o]);
    b.dense_forward(&upload(b, &[n, i], x), &upload(b, &[o, i], w), &upload(b, &[o], bias), &mut y);
    b.read(&y)
}

#[test]
fn dense_forward_and_backward() {
    let b = reference();
    let (n, i, o) = (3, 7, 5);
    let x = sin_data(n * i, 1.0, 0.0);
    let w = sin_data(o * i, 0.5, 1.0);
    let bias = sin_data(o, 0.3, 2.0);
    // y[n,o] = b[o] + Σ_i x[n,i]·w[o,i]   (w stored (O, I) as in PyTorch)
    let want: Vec<f64> = (0..n * o)
        .map(|k| {
            let (r, c) = (k / o, k % o);
            bias[c] as f64 + (0..i).map(|j| x[r * i + j] as f64 * w[c * i + j] as f64).sum::<f64>()
        })
        .collect();
    let y = dense_run(&b, &x, &w, &bias, n, i, o);
    assert_close("dense forward", &y, &want, Tol::F32);

    let r = projection(n * o);
    let (xt, wt, dyt) = (upload(&b, &[n, i], &x), upload(&b, &[o, i], &w), upload(&b, &[n, o], &r));
    let (mut dx, mut dw, mut db) = (garbage(&b, &[n, i]), garbage(&b, &[o, i]), garbage(&b, &[o]));
    b.dense_backward(&xt, &wt, &dyt, Some(&mut dx), &mut dw, &mut db);
    let (dx, dw, db) = (b.read(&dx), b.read(&dw), b.read(&db));
    check_grad("dense dx", &dx, &x, 1e-2, Tol::FD, |v| dot(&dense_run(&b, v, &w, &bias, n, i, o), &r));
    check_grad("dense dw", &dw, &w, 1e-2, Tol::FD, |v| dot(&dense_run(&b, &x, v, &bias, n, i, o), &r));
    check_grad("dense db", &db, &bias, 1e-2, Tol::FD, |v| dot(&dense_run(&b, &x, &w, v, n, i, o), &r));

    let (mut dw2, mut db2) = (garbage(&b, &[o, i]), garbage(&b, &[o]));
    b.dense_backward(&xt, &wt, &dyt, None, &mut dw2, &mut db2);
    assert_close("dense dw without dx", &b.read(&dw2), &dw, Tol::F32);
    assert_close("dense db without dx", &b.read(&db2), &db, Tol::F32);
}

// ---- activations ----------------------------------------------------------------------------

fn act_run(b: &Reference, kind: ActKind, x: &[f32]) -> Vec<f32> {
    let mut y = garbage(b, &[2, x.len() / 2]);
    b.activation_forward(kind, &upload(b, &[2, x.len() / 2], x), &mut y);
    b.read(&y)
}

fn check_activation(kind: ActKind, formula: impl Fn(f64) -> f64) {
    let b = reference();
    // Up to ±4 (sigmoid and tanh saturate there), never closer to 0 than 0.05.
    let x = away_from_zero(2 * 3 * 4 * 5, 4.0, 0.05);
    let dims = [2, 3, 4, 5];
    let mut yt = garbage(&b, &dims);
    let xt = upload(&b, &dims, &x);
    b.activation_forward(kind, &xt, &mut yt);
    let y = b.read(&yt);
    let want: Vec<f64> = x.iter().map(|&v| formula(v as f64)).collect();
    assert_close(&format!("{kind:?} forward"), &y, &want, Tol::F32);

    let r = projection(x.len());
    let mut dx = garbage(&b, &dims);
    b.activation_backward(kind, &xt, &yt, &upload(&b, &dims, &r), &mut dx);
    check_grad(&format!("{kind:?} dx"), &b.read(&dx), &x, 1e-2, Tol::FD, |v| dot(&act_run(&b, kind, v), &r));
}

#[test]
fn sigmoid() {
    check_activation(ActKind::Sigmoid, |x| 1.0 / (1.0 + (-x).exp()));
}

#[test]
fn tanh() {
    check_activation(ActKind::Tanh, f64::tanh);
}

#[test]
fn relu() {
    check_activation(ActKind::Relu, |x| x.max(0.0));
}

#[test]
fn leaky_relu() {
    for slope in [0.01f32, 0.2] {
        check_activation(ActKind::LeakyRelu { slope }, move |x| if x > 0.0 { x } else { slope as f64 * x });
    }
}

#[test]
fn sigmoid_and_tanh_saturate_without_nan() {
    // e^{-x} overflows f32 for x < −88: a naive 1/(1+e^{−x}) still gives 0, but x·e^{x}-style
    // rewrites can give NaN. Both ends must be exact limits with a zero derivative.
    let b = reference();
    let x = [-1000.0f32, -100.0, 100.0, 1000.0];
    let y = act_run(&b, ActKind::Sigmoid, &x);
    assert_close("sigmoid(±huge)", &y, &[0.0f32, 0.0, 1.0, 1.0], Tol { abs: 1e-30, rel: 0.0 });
    let t = act_run(&b, ActKind::Tanh, &x);
    assert_close("tanh(±huge)", &t, &[-1.0f32, -1.0, 1.0, 1.0], Tol::EXACT);
}

// ---- dropout --------------------------------------------------------------------------------

#[test]
fn dropout_mask_follows_the_hash_and_backward_is_exact() {
    let b = reference();
    let (p, key) = (0.3f32, 0xC0FFEE);
    let dims = [4, 3, 5, 5];
    let x = sin_data(300, 1.0, 0.0);
    let run = |xv: &[f32]| {
        let (mut mask, mut y) = (garbage(&b, &dims), garbage(&b, &dims));
        b.dropout_forward(&upload(&b, &dims, xv), &mut mask, &mut y, p, key);
        (b.read(&mask), b.read(&y))
    };
    let (mask, y) = run(&x);
    // The contract: mask_i = 1/(1−p) where hash_uniform(key, i) ≥ p, else 0; y = x·mask.
    let scale = 1.0 / (1.0 - p);
    let want_mask: Vec<f32> = (0..300).map(|i| if hash_uniform(key, i as u32) >= p { scale } else { 0.0 }).collect();
    assert_close("dropout mask", &mask, &want_mask, Tol::EXACT);
    let want_y: Vec<f32> = x.iter().zip(&want_mask).map(|(a, m)| a * m).collect();
    assert_close("dropout y", &y, &want_y, Tol::EXACT);
    let kept = mask.iter().filter(|&&m| m != 0.0).count();
    assert!((180..=240).contains(&kept), "dropout p = 0.3 kept {kept} of 300 units");

    // With the key fixed the mask is fixed, so y is linear in x and the finite difference exact.
    let r = projection(300);
    let mut dx = garbage(&b, &dims);
    b.dropout_backward(&upload(&b, &dims, &r), &upload(&b, &dims, &mask), &mut dx);
    let dx = b.read(&dx);
    let want_dx: Vec<f32> = r.iter().zip(&mask).map(|(a, m)| a * m).collect();
    assert_close("dropout dx = dy·mask", &dx, &want_dx, Tol::EXACT);
    check_grad("dropout dx", &dx, &x, 1e-2, Tol::FD, |v| dot(&run(v).1, &r));

    // Another key draws another mask.
    let (mut other, mut y2) = (garbage(&b, &dims), garbage(&b, &dims));
    b.dropout_forward(&upload(&b, &dims, &x), &mut other, &mut y2, p, key + 1);
    assert_ne!(b.read(&other), mask, "dropout masks for keys {key} and {} are identical", key + 1);
}

// ---- batch norm -----------------------------------------------------------------------------

/// Per channel over (N, H, W): the mean, the biased variance (used to normalise) and the unbiased
/// variance (what the running estimate tracks, as in PyTorch).
fn channel_stats(x: &[f32], dims: [usize; 4]) -> Vec<(f64, f64, f64)> {
    let [n, c, h, w] = dims;
    let m = (n * h * w) as f64;
    (0..c)
        .map(|ch| {
            let vals: Vec<f64> = (0..n).flat_map(|i| (0..h * w).map(move |k| ((i * c + ch) * h * w) + k)).map(|k| x[k] as f64).collect();
            let mean = vals.iter().sum::<f64>() / m;
            let ss = vals.iter().map(|v| (v - mean).powi(2)).sum::<f64>();
            (mean, ss / m, ss / (m - 1.0))
        })
        .collect()
}

struct BnOut {
    y: Vec<f32>,
    save_mean: Vec<f32>,
    save_invstd: Vec<f32>,
    running_mean: Vec<f32>,
    running_var: Vec<f32>,
}

#[allow(clippy::too_many_arguments)]
fn bn_train(b: &Reference, x: &[f32], gamma: &[f32], beta: &[f32], dims: [usize; 4], running: (&[f32], &[f32]), momentum: f32, eps: f32) -> BnOut {
    let c = dims[1];
    let (mut y, mut sm, mut si) = (garbage(b, &dims), garbage(b, &[c]), garbage(b, &[c]));
    let (mut rm, mut rv) = (upload(b, &[c], running.0), upload(b, &[c], running.1));
    b.batchnorm2d_forward_train(&upload(b, &dims, x), &upload(b, &[c], gamma), &upload(b, &[c], beta), &mut y, &mut sm, &mut si, &mut rm, &mut rv, momentum, eps);
    BnOut { y: b.read(&y), save_mean: b.read(&sm), save_invstd: b.read(&si), running_mean: b.read(&rm), running_var: b.read(&rv) }
}

#[test]
fn batchnorm2d_train_forward_statistics_and_backward() {
    let b = reference();
    let dims = [3, 2, 4, 5];
    let (c, hw) = (dims[1], dims[2] * dims[3]);
    let len = dims.iter().product::<usize>();
    // An offset and a scale per channel, so normalising has something to undo.
    let x: Vec<f32> = sin_data(len, 1.5, 0.0).iter().enumerate().map(|(i, v)| v + 0.7 * ((i / hw) % c) as f32 - 0.2).collect();
    let gamma = [1.3f32, 0.6];
    let beta = [0.2f32, -0.4];
    let (momentum, eps) = (0.1f32, 1e-5f32);
    let (rm0, rv0) = ([0.5f32, -0.25], [2.0f32, 0.5]);

    let out = bn_train(&b, &x, &gamma, &beta, dims, (&rm0, &rv0), momentum, eps);
    let stats = channel_stats(&x, dims);
    let want_y: Vec<f64> = (0..len)
        .map(|i| {
            let ch = (i / hw) % c;
            let (mean, var, _) = stats[ch];
            gamma[ch] as f64 * (x[i] as f64 - mean) / (var + eps as f64).sqrt() + beta[ch] as f64
        })
        .collect();
    assert_close("batchnorm train y", &out.y, &want_y, Tol::F32);
    assert_close("batchnorm save_mean", &out.save_mean, &stats.iter().map(|s| s.0).collect::<Vec<_>>(), Tol::F32);
    assert_close("batchnorm save_invstd", &out.save_invstd, &stats.iter().map(|s| 1.0 / (s.1 + eps as f64).sqrt()).collect::<Vec<_>>(), Tol::F32);
    // PyTorch: running ← (1 − momentum)·running + momentum·batch, the variance unbiased (÷ m−1).
    let m = momentum as f64;
    let want_rm: Vec<f64> = (0..c).map(|ch| (1.0 - m) * rm0[ch] as f64 + m * stats[ch].0).collect();
    let want_rv: Vec<f64> = (0..c).map(|ch| (1.0 - m) * rv0[ch] as f64 + m * stats[ch].2).collect();
    assert_close("batchnorm running_mean", &out.running_mean, &want_rm, Tol::F32);
    assert_close("batchnorm running_var (unbiased)", &out.running_var, &want_rv, Tol::F32);

    // Backward, through the batch statistics: x̂ depends on every x of its channel.
    let r = projection(len);
    let (mut dx, mut dgamma, mut dbeta) = (garbage(&b, &dims), garbage(&b, &[c]), garbage(&b, &[c]));
    b.batchnorm2d_backward(
        &upload(&b, &dims, &x),
        &upload(&b, &[c], &gamma),
        &upload(&b, &dims, &r),
        &upload(&b, &[c], &out.save_mean),
        &upload(&b, &[c], &out.save_invstd),
        &mut dx,
        &mut dgamma,
        &mut dbeta,
    );
    let y_of = |xv: &[f32], gv: &[f32], bv: &[f32]| bn_train(&b, xv, gv, bv, dims, (&rm0, &rv0), momentum, eps).y;
    check_grad("batchnorm dx", &b.read(&dx), &x, 1e-2, Tol::FD, |v| dot(&y_of(v, &gamma, &beta), &r));
    check_grad("batchnorm dgamma", &b.read(&dgamma), &gamma, 1e-2, Tol::FD, |v| dot(&y_of(&x, v, &beta), &r));
    check_grad("batchnorm dbeta", &b.read(&dbeta), &beta, 1e-2, Tol::FD, |v| dot(&y_of(&x, &gamma, v), &r));
}

#[test]
fn batchnorm2d_eval_uses_the_running_statistics() {
    let b = reference();
    let dims = [2, 3, 2, 3];
    let (c, hw) = (3, 6);
    let x = sin_data(36, 2.0, 0.4);
    let (gamma, beta) = ([0.5f32, 1.5, -1.0], [0.1f32, 0.0, 0.3]);
    let (rm, rv) = ([0.25f32, -1.0, 2.0], [0.5f32, 4.0, 0.01]);
    let eps = 1e-3f32;
    let mut y = garbage(&b, &dims);
    b.batchnorm2d_forward_eval(
        &upload(&b, &dims, &x),
        &upload(&b, &[c], &gamma),
        &upload(&b, &[c], &beta),
        &upload(&b, &[c], &rm),
        &upload(&b, &[c], &rv),
        &mut y,
        eps,
    );
    // y = γ·(x − running_mean)/√(running_var + ε) + β: the batch's own statistics play no part.
    let want: Vec<f64> = (0..36)
        .map(|i| {
            let ch = (i / hw) % c;
            gamma[ch] as f64 * (x[i] as f64 - rm[ch] as f64) / (rv[ch] as f64 + eps as f64).sqrt() + beta[ch] as f64
        })
        .collect();
    assert_close("batchnorm eval y", &b.read(&y), &want, Tol::F32);
}

#[test]
fn batchnorm2d_running_statistics_converge_over_repeated_batches() {
    // After k identical batches: running_mean = (1 − (1−m)^k)·μ (from 0), as PyTorch's would be.
    let b = reference();
    let dims = [2, 1, 3, 3];
    let x = sin_data(18, 1.0, 0.0).iter().map(|v| v + 3.0).collect::<Vec<_>>();
    let stats = channel_stats(&x, dims);
    let (gamma, beta) = (upload(&b, &[1], &[1.0]), upload(&b, &[1], &[0.0]));
    let xt = upload(&b, &dims, &x);
    let (mut rm, mut rv) = (upload(&b, &[1], &[0.0]), upload(&b, &[1], &[1.0]));
    let (mut y, mut sm, mut si) = (garbage(&b, &dims), garbage(&b, &[1]), garbage(&b, &[1]));
    for _ in 0..10 {
        b.batchnorm2d_forward_train(&xt, &gamma, &beta, &mut y, &mut sm, &mut si, &mut rm, &mut rv, 0.1, 1e-5);
    }
    let decay = 0.9f64.powi(10);
    assert_close("running_mean after 10 steps", &b.read(&rm), &[(1.0 - decay) * stats[0].0], Tol::F32);
    assert_close("running_var after 10 steps", &b.read(&rv), &[decay * 1.0 + (1.0 - decay) * stats[0].2], Tol::F32);
}

// ---- losses ---------------------------------------------------------------------------------

struct CeOut {
    probs: Vec<f32>,
    dlogits: Vec<f32>,
    metrics: Vec<f32>,
}

fn cross_entropy(b: &Reference, logits: &[f32], labels: &[f32]) -> CeOut {
    let (n, k) = (labels.len(), logits.len() / labels.len());
    let (mut probs, mut dl) = (garbage(b, &[n, k]), garbage(b, &[n, k]));
    let mut metrics = upload(b, &[METRICS_LEN], &[0.0; METRICS_LEN]);
    b.softmax_cross_entropy(&upload(b, &[n, k], logits), &upload(b, &[n], labels), &mut probs, &mut dl, &mut metrics);
    CeOut { probs: b.read(&probs), dlogits: b.read(&dl), metrics: b.read(&metrics) }
}

#[test]
fn softmax_cross_entropy_values_gradient_and_metrics() {
    let b = reference();
    let (n, k) = (4, 5);
    let logits = sin_data(n * k, 2.0, 0.0);
    let labels = [3.0f32, 0.0, 4.0, 1.0];
    let out = cross_entropy(&b, &logits, &labels);

    // softmax and loss in f64: p = e^{z − max}/Σ e^{z − max}, loss_n = −log p[label].
    let mut want_p = Vec::new();
    let (mut loss, mut correct) = (0.0f64, 0.0);
    for i in 0..n {
        let z: Vec<f64> = logits[i * k..(i + 1) * k].iter().map(|&v| v as f64).collect();
        let max = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let s: f64 = z.iter().map(|v| (v - max).exp()).sum();
        let p: Vec<f64> = z.iter().map(|v| (v - max).exp() / s).collect();
        loss -= p[labels[i] as usize].ln();
        let argmax = (0..k).fold(0, |a, j| if z[j] > z[a] { j } else { a });
        correct += (argmax == labels[i] as usize) as u8 as f64;
        want_p.extend(p);
    }
    assert_close("softmax probs", &out.probs, &want_p, Tol::F32);
    assert_close("cross-entropy metrics [Σ loss, #correct, N]", &out.metrics, &[loss, correct, n as f64], Tol::F32);
    assert!(correct > 0.0 && correct < n as f64, "the test data should have both right and wrong predictions");

    // dlogits = (p − onehot)/N, checked against differences of the mean loss Σloss/N.
    let mean_loss = |z: &[f32]| cross_entropy(&b, z, &labels).metrics[0] as f64 / n as f64;
    check_grad("cross-entropy dlogits", &out.dlogits, &logits, 1e-2, Tol::FD, mean_loss);

    // The metrics are sums the kernel adds to, so two calls give twice the sums.
    let mut metrics = upload(&b, &[METRICS_LEN], &[0.0; METRICS_LEN]);
    let (mut probs, mut dl) = (garbage(&b, &[n, k]), garbage(&b, &[n, k]));
    let (lt, yt) = (upload(&b, &[n, k], &logits), upload(&b, &[n], &labels));
    b.softmax_cross_entropy(&lt, &yt, &mut probs, &mut dl, &mut metrics);
    b.softmax_cross_entropy(&lt, &yt, &mut probs, &mut dl, &mut metrics);
    assert_close("metrics after two calls", &b.read(&metrics), &[2.0 * loss, 2.0 * correct, 2.0 * n as f64], Tol::F32);
}

#[test]
fn softmax_cross_entropy_is_stable_for_huge_logits() {
    // e^1000 overflows: a stable kernel subtracts the row maximum first. Example 0 is confidently
    // right (loss 0), example 1 confidently wrong (loss = 1000 − (−1000) = 2000).
    let b = reference();
    let logits = [1000.0f32, -1000.0, 0.0, 1000.0, -1000.0, 0.0];
    let labels = [0.0f32, 1.0];
    let out = cross_entropy(&b, &logits, &labels);
    assert!(out.probs.iter().chain(&out.dlogits).chain(&out.metrics).all(|v| v.is_finite()), "non-finite values: {:?}", out.probs);
    assert_close("huge-logit probs", &out.probs, &[1.0f32, 0.0, 0.0, 1.0, 0.0, 0.0], Tol { abs: 1e-30, rel: 0.0 });
    assert_close("huge-logit metrics", &out.metrics, &[2000.0f32, 1.0, 2.0], Tol::F32);
    // (p − onehot)/N with N = 2.
    assert_close("huge-logit dlogits", &out.dlogits, &[0.0f32, 0.0, 0.0, 0.5, -0.5, 0.0], Tol { abs: 1e-30, rel: 0.0 });
}

/// ℓ(d) and ℓ'(d) of each regression loss in f64, from PyTorch's definitions.
fn regression_loss_f64(kind: RegressionLoss, d: f64) -> (f64, f64) {
    let sign = if d > 0.0 { 1.0 } else if d < 0.0 { -1.0 } else { 0.0 };
    match kind {
        RegressionLoss::L1 => (d.abs(), sign),
        RegressionLoss::Mse => (d * d, 2.0 * d),
        RegressionLoss::SmoothL1 { beta } => {
            let beta = beta as f64;
            if d.abs() < beta {
                (0.5 * d * d / beta, d / beta)
            } else {
                (d.abs() - 0.5 * beta, sign)
            }
        }
    }
}

#[test]
fn regression_losses_value_gradient_and_metrics() {
    let b = reference();
    let (n, k) = (3, 5);
    let pred = sin_data(n * k, 1.0, 0.0);
    let target = sin_data(n * k, 0.8, 3.0);
    let eps = 1e-2;
    for kind in [RegressionLoss::L1, RegressionLoss::Mse, RegressionLoss::SmoothL1 { beta: 0.5 }, RegressionLoss::SmoothL1 { beta: 1.0 }] {
        let run = |p: &[f32]| {
            let mut metrics = upload(&b, &[METRICS_LEN], &[0.0; METRICS_LEN]);
            let (pt, tt) = (upload(&b, &[n, k], p), upload(&b, &[n, k], &target));
            b.regression_loss_forward(kind, &pt, &tt, &mut metrics);
            let mut dp = garbage(&b, &[n, k]);
            b.regression_loss_backward(kind, &pt, &tt, &mut dp);
            (b.read(&dp), b.read(&metrics))
        };
        let (dpred, metrics) = run(&pred);
        // Central differences need every error away from the kinks (0 for L1, ±β for smooth L1).
        let d: Vec<f64> = pred.iter().zip(&target).map(|(&p, &t)| p as f64 - t as f64).collect();
        let kinks = match kind {
            RegressionLoss::SmoothL1 { beta } => vec![0.0, beta as f64],
            _ => vec![0.0],
        };
        assert!(d.iter().all(|d| kinks.iter().all(|&c| (d.abs() - c).abs() > 2.0 * eps as f64)), "{kind:?}: an error within eps of a kink: {d:?}");
        if let RegressionLoss::SmoothL1 { beta } = kind {
            assert!(d.iter().any(|d| d.abs() < beta as f64) && d.iter().any(|d| d.abs() > beta as f64), "{kind:?}: both branches should be taken");
        }
        // L = mean over all n·k of ℓ(p − t); metrics[0] sums each example's own mean, so it is N·L.
        let per_example: f64 = (0..n).map(|i| d[i * k..(i + 1) * k].iter().map(|&d| regression_loss_f64(kind, d).0).sum::<f64>() / k as f64).sum();
        assert_close(&format!("{kind:?} metrics [Σ per-example loss, 0, N]"), &metrics, &[per_example, 0.0, n as f64], Tol::F32);
        let want_dp: Vec<f64> = d.iter().map(|&d| regression_loss_f64(kind, d).1 / (n * k) as f64).collect();
        assert_close(&format!("{kind:?} dpred = ℓ'(p − t)/len"), &dpred, &want_dp, Tol::F32);
        check_grad(&format!("{kind:?} dpred"), &dpred, &pred, eps, Tol::FD, |p| run(p).1[0] as f64 / n as f64);
    }
}

#[test]
fn l1_and_smooth_l1_slopes_at_zero_and_at_beta() {
    // |d|'s slope at d = 0 is taken as 0 (PyTorch's sign); smooth L1 at |d| = β is on its linear
    // piece (|d| < β is the quadratic one), where both pieces have slope ±1 and value β/2.
    // PyTorch 2.15.0 agrees:
    //   p = torch.tensor([1.0, 1.5, 0.5, -2.0], requires_grad=True); t = torch.tensor([1.0, 1.0, 1.0, -2.0])
    //   torch.nn.L1Loss()(p, t).backward(); p.grad            → [0.0, 0.25, -0.25, 0.0]
    //   p.grad = None; l = torch.nn.SmoothL1Loss(beta=0.5)(p, t); l.backward()
    //   l, p.grad                                            → 0.125, [0.0, 0.25, -0.25, 0.0]
    let b = reference();
    let pred = [1.0f32, 1.5, 0.5, -2.0];
    let target = [1.0f32, 1.0, 1.0, -2.0];
    let (pt, tt) = (upload(&b, &[1, 4], &pred), upload(&b, &[1, 4], &target));
    let mut dp = garbage(&b, &[1, 4]);
    b.regression_loss_backward(RegressionLoss::L1, &pt, &tt, &mut dp);
    assert_close("L1 slopes", &b.read(&dp), &[0.0f32, 0.25, -0.25, 0.0], Tol::EXACT);
    b.regression_loss_backward(RegressionLoss::SmoothL1 { beta: 0.5 }, &pt, &tt, &mut dp);
    assert_close("smooth L1 slopes at 0 and ±β", &b.read(&dp), &[0.0f32, 0.25, -0.25, 0.0], Tol::EXACT);
    let mut metrics = upload(&b, &[METRICS_LEN], &[0.0; METRICS_LEN]);
    b.regression_loss_forward(RegressionLoss::SmoothL1 { beta: 0.5 }, &pt, &tt, &mut metrics);
    assert_close("smooth L1 at ±β is β/2", &b.read(&metrics), &[0.25f32 * 2.0 / 4.0, 0.0, 1.0], Tol::F32);
}

#[test]
fn mse_one_hot_value_gradient_and_metrics() {
    // A classifier trained with MSE: L = mean over N·K of (z − onehot(y))², argmax for accuracy.
    let b = reference();
    let (n, k) = (4, 5);
    let logits = sin_data(n * k, 2.0, 0.0);
    let labels = [3.0f32, 0.0, 4.0, 1.0];
    let run = |z: &[f32]| {
        let mut metrics = upload(&b, &[METRICS_LEN], &[0.0; METRICS_LEN]);
        let mut dz = garbage(&b, &[n, k]);
        b.mse_one_hot(&upload(&b, &[n, k], z), &upload(&b, &[n], &labels), &mut dz, &mut metrics);
        (b.read(&dz), b.read(&metrics))
    };
    let (dlogits, metrics) = run(&logits);
    let (mut loss, mut correct, mut want_dz) = (0.0f64, 0.0, Vec::new());
    for i in 0..n {
        let z: Vec<f64> = logits[i * k..(i + 1) * k].iter().map(|&v| v as f64).collect();
        let t = |j: usize| if j == labels[i] as usize { 1.0 } else { 0.0 };
        loss += (0..k).map(|j| (z[j] - t(j)).powi(2)).sum::<f64>() / k as f64;
        want_dz.extend((0..k).map(|j| 2.0 * (z[j] - t(j)) / (n * k) as f64));
        let argmax = (0..k).fold(0, |a, j| if z[j] > z[a] { j } else { a });
        correct += (argmax == labels[i] as usize) as u8 as f64;
    }
    assert!(correct > 0.0 && correct < n as f64, "the test data should have both right and wrong predictions");
    assert_close("mse_one_hot metrics [Σ loss, #correct, N]", &metrics, &[loss, correct, n as f64], Tol::F32);
    assert_close("mse_one_hot dlogits = 2(z − onehot)/(N·K)", &dlogits, &want_dz, Tol::F32);
    check_grad("mse_one_hot dlogits", &dlogits, &logits, 1e-2, Tol::FD, |z| run(z).1[0] as f64 / n as f64);
}

// ---- memory ops -----------------------------------------------------------------------------

#[test]
fn memory_ops_round_trip() {
    let b = reference();
    let data = arange(24, 0.5, -3.0);
    let mut t = upload(&b, &[2, 3, 4], &data);
    assert_eq!(b.shape(&t).0, vec![2, 3, 4]);
    assert_close("upload/read", &b.read(&t), &data, Tol::EXACT);
    // Flatten's copy: same elements, another shape.
    let mut flat = garbage(&b, &[2, 12]);
    b.copy(&t, &mut flat);
    assert_eq!(b.shape(&flat).0, vec![2, 12]);
    assert_close("copy", &b.read(&flat), &data, Tol::EXACT);
    let other = sin_data(24, 1.0, 0.0);
    b.write(&mut t, &other);
    assert_close("write", &b.read(&t), &other, Tol::EXACT);
    b.fill(&mut t, 2.5);
    assert_close("fill", &b.read(&t), &[2.5f32; 24], Tol::EXACT);
    assert_close("zeros", &b.read(&b.zeros(&cnn_core::tensor::Shape(vec![3, 2]))), &[0.0f32; 6], Tol::EXACT);
}
