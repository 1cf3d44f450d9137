// Convolution forward as an implicit matrix product (no im2col buffer is ever written):
//   x (N, C_in, H, W), w (C_out, C_in, F, F), b (C_out), y (N, C_out, H', W')
//
//   y[n, co, oh, ow] = b[co] + Σ_{ci, kh, kw} w[co, ci, kh, kw] · x[n, ci, oh·S + kh − P, ow·S + kw − P]
//
// As C = A·B: rows are output channels, columns are output pixels of the whole batch
// (col = n·H'W' + oh·W' + ow), and k runs over (ci, kh, kw):
//   A[co, k] = w[co, k]  (w is already C_out × C_in·F·F)
//   B[k, col] = x at the pixel that kernel tap k of output pixel col reads (0 in the padding)
// The tiled main loop is gemm.wgsl, appended to this file.

struct Params {
    m: u32,        // C_out
    n: u32,        // N·H'·W'
    k: u32,        // C_in·F·F
    k_chunk: u32,
    c_in: u32,
    h_in: u32,
    w_in: u32,
    h_out: u32,
    w_out: u32,
    kernel: u32,
    stride: u32,
    padding: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;

fn load_a(row: u32, kk: u32) -> f32 {
    return w[row * params.k + kk];
}

fn load_b(kk: u32, col: u32) -> f32 {
    let ff = params.kernel * params.kernel;
    let ci = kk / ff;
    let r = kk % ff;
    let kh = r / params.kernel;
    let kw = r % params.kernel;
    let plane = params.h_out * params.w_out;
    let img = col / plane;
    let p = col % plane;
    let oh = p / params.w_out;
    let ow = p % params.w_out;
    // Unsigned arithmetic: a tap in the top/left padding wraps to a huge value and fails the test.
    let ih = oh * params.stride + kh - params.padding;
    let iw = ow * params.stride + kw - params.padding;
    if ih >= params.h_in || iw >= params.w_in {
        return 0.0;
    }
    return x[((img * params.c_in + ci) * params.h_in + ih) * params.w_in + iw];
}

fn store_c(row: u32, col: u32, split: u32, value: f32) {
    let plane = params.h_out * params.w_out;
    let img = col / plane;
    let p = col % plane;
    y[(img * params.m + row) * plane + p] = value + bias[row];
}
