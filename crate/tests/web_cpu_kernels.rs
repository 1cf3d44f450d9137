//! The CPU backend's browser-only code paths, checked where they run: in headless Chromium on
//! WebAssembly SIMD (`wasm-pack test --headless --chrome crate -- --test web_cpu_kernels`).
//! On wasm32 the backend convolves with the direct kernels, takes four dense rows at a time and
//! runs SIMD ReLU and 2×2 max-pool backward passes; native tests never execute those lanes, so
//! here each op is compared with its definition (plain loops, f64 sums) on many shapes,
//! including odd ones: widths that are not multiples of 4, one channel, 1×1 kernels, batch 1.
//! Natively this file is empty.
#![cfg(target_arch = "wasm32")]

use cnn_core::backend::{ActKind, Backend, ConvGeom, PoolGeom, PoolKind};
use cnn_core::tensor::Shape;
use cnn_core::Cpu;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn wave(len: usize, seed: f32) -> Vec<f32> {
    (0..len).map(|i| ((i as f32 + seed) * 0.731).sin()).collect()
}

/// got matches the exact sums: (value, Σ |term|) pairs, computed in f64. The tolerance scales
/// with Σ |term| (f32 rounding grows with the terms' sizes, not with their sum's): 2e-6 of it,
/// which a missing or doubled term of a test's size (0.01 or more) far exceeds.
fn close(what: &str, got: &[f32], want: &[(f64, f64)]) {
    assert_eq!(got.len(), want.len(), "{what}: lengths");
    for (i, (g, (w, abs))) in got.iter().zip(want).enumerate() {
        assert!((*g as f64 - w).abs() <= 2e-6 * abs + 1e-7, "{what}[{i}]: {g} vs {w} (terms' sizes add up to {abs})");
    }
}

/// A sum and the sum of its terms' sizes.
fn acc(s: &mut (f64, f64), term: f64) {
    s.0 += term;
    s.1 += term.abs();
}

#[allow(clippy::too_many_arguments)]
fn geom(n: usize, c_in: usize, h: usize, w: usize, c_out: usize, f: usize, s: usize, p: usize) -> ConvGeom {
    let out = |d: usize| (d + 2 * p - f) / s + 1;
    ConvGeom { n, c_in, h_in: h, w_in: w, c_out, h_out: out(h), w_out: out(w), kernel: f, stride: s, padding: p }
}

/// x[n, c, i·S+u−P, j·S+v−P] or None in the padding.
fn at(g: &ConvGeom, n: usize, c: usize, i: usize, j: usize, u: usize, v: usize) -> Option<usize> {
    let (y, x) = ((i * g.stride + u) as isize - g.padding as isize, (j * g.stride + v) as isize - g.padding as isize);
    (y >= 0 && x >= 0 && (y as usize) < g.h_in && (x as usize) < g.w_in).then(|| ((n * g.c_in + c) * g.h_in + y as usize) * g.w_in + x as usize)
}

/// The definitions: y = b + Σ w·x; dw[o,c,u,v] = Σ dy·x; db[o] = Σ dy; dx[...] = Σ dy·w.
#[allow(clippy::type_complexity)]
fn conv_reference(x: &[f32], w: &[f32], b: &[f32], dy: &[f32], g: &ConvGeom) -> (Vec<(f64, f64)>, Vec<(f64, f64)>, Vec<(f64, f64)>, Vec<(f64, f64)>) {
    let f = g.kernel;
    let z = (0.0, 0.0);
    let (mut y, mut dx, mut dw, mut db) = (vec![z; dy.len()], vec![z; x.len()], vec![z; w.len()], vec![z; b.len()]);
    for n in 0..g.n {
        for o in 0..g.c_out {
            for i in 0..g.h_out {
                for j in 0..g.w_out {
                    let yi = ((n * g.c_out + o) * g.h_out + i) * g.w_out + j;
                    let d = dy[yi] as f64;
                    acc(&mut y[yi], b[o] as f64);
                    acc(&mut db[o], d);
                    for c in 0..g.c_in {
                        for u in 0..f {
                            for v in 0..f {
                                if let Some(xi) = at(g, n, c, i, j, u, v) {
                                    let wi = ((o * g.c_in + c) * f + u) * f + v;
                                    acc(&mut y[yi], w[wi] as f64 * x[xi] as f64);
                                    acc(&mut dw[wi], d * x[xi] as f64);
                                    acc(&mut dx[xi], d * w[wi] as f64);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    (y, dx, dw, db)
}

/// Direct stride-1 kernels (and the im2col path for stride 2) against the definition:
/// channel counts around the tiles (1, 3, 4, 5, 6, 13, 16), output widths ≡ 0, 1, 2, 3 mod 4
/// and below 4, kernels 1 to 5, padding, batch 1 and more, dx asked or not.
#[wasm_bindgen_test]
fn convolutions_match_the_definition() {
    let b = Cpu::new();
    for g in [
        geom(2, 1, 28, 28, 6, 5, 1, 2),
        geom(3, 6, 14, 14, 16, 5, 1, 0),
        geom(1, 1, 1, 1, 1, 1, 1, 0),
        geom(1, 2, 3, 5, 1, 1, 1, 0),
        geom(2, 3, 7, 9, 5, 3, 1, 1),
        geom(1, 1, 6, 6, 13, 2, 1, 0),
        geom(2, 4, 5, 11, 7, 3, 1, 0),
        geom(1, 2, 9, 12, 4, 4, 1, 2),
        geom(1, 1, 3, 2, 3, 3, 1, 1),
        geom(2, 3, 9, 8, 5, 3, 2, 2),
    ] {
        let (xn, wn, yn) = (g.n * g.c_in * g.h_in * g.w_in, g.c_out * g.c_in * g.kernel * g.kernel, g.n * g.c_out * g.h_out * g.w_out);
        let (x, w, bias, dy) = (wave(xn, 0.0), wave(wn, 1.0), wave(g.c_out, 2.0), wave(yn, 3.0));
        let (y_ref, dx_ref, dw_ref, db_ref) = conv_reference(&x, &w, &bias, &dy, &g);
        let xs = Shape(vec![g.n, g.c_in, g.h_in, g.w_in]);
        let ws = Shape(vec![g.c_out, g.c_in, g.kernel, g.kernel]);
        let ys = Shape(vec![g.n, g.c_out, g.h_out, g.w_out]);
        let (xt, wt, bt, dyt) = (b.upload(&xs, &x), b.upload(&ws, &w), b.upload(&Shape(vec![g.c_out]), &bias), b.upload(&ys, &dy));
        let mut y = b.upload(&ys, &vec![f32::NAN; yn]);
        b.conv2d_forward(&xt, &wt, &bt, &mut y, &g);
        close(&format!("{g:?} y"), &b.read(&y), &y_ref);
        let (mut dx, mut dw, mut db) = (b.upload(&xs, &vec![f32::NAN; xn]), b.zeros(&ws), b.zeros(&Shape(vec![g.c_out])));
        b.conv2d_backward(&xt, &wt, &dyt, Some(&mut dx), &mut dw, &mut db, &g);
        close(&format!("{g:?} dx"), &b.read(&dx), &dx_ref);
        close(&format!("{g:?} dw"), &b.read(&dw), &dw_ref);
        close(&format!("{g:?} db"), &b.read(&db), &db_ref);
        let (mut dw2, mut db2) = (b.zeros(&ws), b.zeros(&Shape(vec![g.c_out])));
        b.conv2d_backward(&xt, &wt, &dyt, None, &mut dw2, &mut db2, &g);
        assert_eq!((b.read(&dw2), b.read(&db2)), (b.read(&dw), b.read(&db)), "{g:?}: without dx");
    }
}

/// One image (and two) through dense layers whose output counts are and are not multiples of
/// 4 and whose input lengths leave every tail mod 8.
#[wasm_bindgen_test]
fn single_image_dense_matches_the_definition() {
    let b = Cpu::new();
    for (n, i, o) in [(1, 400, 120), (1, 120, 84), (1, 84, 10), (2, 7, 5), (1, 1, 1), (1, 9, 3), (2, 13, 6)] {
        let (x, w, bias) = (wave(n * i, 0.0), wave(o * i, 1.0), wave(o, 2.0));
        let want: Vec<(f64, f64)> = (0..n * o)
            .map(|k| {
                let mut s = (0.0, 0.0);
                acc(&mut s, bias[k % o] as f64);
                for p in 0..i {
                    acc(&mut s, x[k / o * i + p] as f64 * w[k % o * i + p] as f64);
                }
                s
            })
            .collect();
        let mut y = b.zeros(&Shape(vec![n, o]));
        b.dense_forward(&b.upload(&Shape(vec![n, i]), &x), &b.upload(&Shape(vec![o, i]), &w), &b.upload(&Shape(vec![o]), &bias), &mut y);
        close(&format!("dense n{n} {i}->{o}"), &b.read(&y), &want);
    }
}

/// ReLU backward and 2×2 max-pool backward, exactly: dy where x > 0 (else 0); dy to the first
/// maximum of each window (ties included, a window of equal values gives it to its top left),
/// 0 elsewhere, on widths with every remainder mod 8 and a trailing odd row and column.
#[wasm_bindgen_test]
fn relu_and_max_pool_backward_are_exact() {
    let b = Cpu::new();
    let len = 1000;
    let x: Vec<f32> = wave(len, 0.5).iter().enumerate().map(|(i, v)| if i % 7 == 0 { 0.0 } else { *v }).collect();
    let dy = wave(len, 4.0);
    let mut dx = b.zeros(&Shape(vec![len]));
    let (xt, dyt) = (b.upload(&Shape(vec![len]), &x), b.upload(&Shape(vec![len]), &dy));
    b.activation_backward(ActKind::Relu, &xt, &xt, &dyt, &mut dx);
    let want: Vec<f32> = x.iter().zip(&dy).map(|(x, d)| if *x > 0.0 { *d } else { 0.0 }).collect();
    assert_eq!(b.read(&dx), want);

    for (n, c, h, w) in [(2, 3, 28, 28), (1, 2, 10, 10), (1, 1, 9, 17), (2, 1, 4, 30), (1, 1, 2, 2), (1, 2, 7, 3)] {
        let g = PoolGeom { n, c, h_in: h, w_in: w, h_out: h / 2, w_out: w / 2, kernel: 2, stride: 2 };
        // Values quantised to a few levels, so that windows hold ties.
        let x: Vec<f32> = wave(n * c * h * w, 0.3).iter().map(|v| (v * 3.0).round()).collect();
        let dy = wave(n * c * g.h_out * g.w_out, 1.7);
        let mut want = vec![0.0f32; x.len()];
        for p in 0..n * c {
            for i in 0..g.h_out {
                for j in 0..g.w_out {
                    let cells = [(2 * i, 2 * j), (2 * i, 2 * j + 1), (2 * i + 1, 2 * j), (2 * i + 1, 2 * j + 1)].map(|(y, x)| (p * h + y) * w + x);
                    let best = cells.iter().copied().fold(cells[0], |b, k| if x[k] > x[b] { k } else { b });
                    want[best] = dy[(p * g.h_out + i) * g.w_out + j];
                }
            }
        }
        let mut dx = b.upload(&Shape(vec![n, c, h, w]), &vec![f32::NAN; x.len()]);
        b.pool2d_backward(PoolKind::Max, &b.upload(&Shape(vec![n, c, h, w]), &x), &b.upload(&Shape(vec![n, c, g.h_out, g.w_out]), &dy), &mut dx, &g);
        assert_eq!(b.read(&dx), want, "max pool backward {n}×{c}×{h}×{w}");
    }
}
