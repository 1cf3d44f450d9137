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

// k = (ci, kh, kw) -> (offset of the tap from the window's corner in x, kh, kw).
fn k_info(kk: u32) -> vec4<i32> {
    let ff = params.kernel * params.kernel;
    let ci = kk / ff;
    let r = kk % ff;
    let kh = r / params.kernel;
    let kw = r % params.kernel;
    return vec4<i32>(i32((ci * params.h_in + kh) * params.w_in + kw), i32(kh), i32(kw), 0);
}

// col = (n, oh, ow) -> (offset of the window's corner in x, its top row, its left column);
// the corner lies in the padding (negative) when P > 0.
fn col_info(col: u32) -> vec4<i32> {
    let plane = params.h_out * params.w_out;
    let img = col / plane;
    let p = col % plane;
    let ih0 = i32((p / params.w_out) * params.stride) - i32(params.padding);
    let iw0 = i32((p % params.w_out) * params.stride) - i32(params.padding);
    return vec4<i32>(i32(img * params.c_in * params.h_in * params.w_in) + ih0 * i32(params.w_in) + iw0, ih0, iw0, 0);
}

fn load_a(row: u32, kk: u32, ki: vec4<i32>) -> f32 {
    return w[row * params.k + kk];
}

fn load_b(kk: u32, ki: vec4<i32>, col: u32, ci: vec4<i32>) -> f32 {
    let ih = ci.y + ki.y;
    let iw = ci.z + ki.z;
    if ih < 0 || iw < 0 || ih >= i32(params.h_in) || iw >= i32(params.w_in) {
        return 0.0;
    }
    return x[ci.x + ki.x];
}

fn store_c(row: u32, col: u32, split: u32, value: f32) {
    let plane = params.h_out * params.w_out;
    let img = col / plane;
    let p = col % plane;
    y[(img * params.m + row) * plane + p] = value + bias[row];
}
