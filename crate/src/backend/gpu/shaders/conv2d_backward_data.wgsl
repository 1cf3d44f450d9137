// Convolution backward, the input gradient, as an implicit matrix product:
//   dy (N, C_out, H', W'), w (C_out, C_in, F, F) -> dx (N, C_in, H, W)
//
//   dx[n, ci, h, w] = Σ_{co, kh, kw} w[co, ci, kh, kw] · dy[n, co, (h + P − kh)/S, (w + P − kw)/S]
//
// where a term exists only when both divisions are exact and land inside dy. Gathering per input
// pixel (rather than scattering per output pixel) needs no atomics, and the sum's order is fixed.
// As C = A·B: rows are input channels, columns input pixels of the batch, k runs over (co, kh, kw):
//   A[ci, k] = w[co, ci, kh, kw]
//   B[k, col] = dy at the output pixel that tap (kh, kw) maps onto pixel col (0 if none)
// The tiled main loop is gemm.wgsl, appended to this file.

struct Params {
    m: u32,        // C_in
    n: u32,        // N·H·W
    k: u32,        // C_out·F·F
    k_chunk: u32,
    c_out: u32,
    h_in: u32,
    w_in: u32,
    h_out: u32,
    w_out: u32,
    kernel: u32,
    stride: u32,
    padding: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

// k = (co, kh, kw) -> (co, kh·F + kw, kh, kw).
fn k_info(kk: u32) -> vec4<i32> {
    let ff = params.kernel * params.kernel;
    let r = kk % ff;
    return vec4<i32>(i32(kk / ff), i32(r), i32(r / params.kernel), i32(r % params.kernel));
}

// col = (n, h, w) -> (n, h + P, w + P).
fn col_info(col: u32) -> vec4<i32> {
    let plane = params.h_in * params.w_in;
    let p = col % plane;
    return vec4<i32>(i32(col / plane), i32(p / params.w_in + params.padding), i32(p % params.w_in + params.padding), 0);
}

fn load_a(row: u32, kk: u32, ki: vec4<i32>) -> f32 {
    let ff = params.kernel * params.kernel;
    return w[(u32(ki.x) * params.m + row) * ff + u32(ki.y)];
}

fn load_b(kk: u32, ki: vec4<i32>, col: u32, ci: vec4<i32>) -> f32 {
    // th = h + P − kh = oh·S for the output row oh that reads pixel h through tap kh, if any.
    var oh = ci.y - ki.z;
    var ow = ci.z - ki.w;
    if oh < 0 || ow < 0 {
        return 0.0;
    }
    if params.stride != 1u {
        let s = i32(params.stride);
        if oh % s != 0 || ow % s != 0 {
            return 0.0;
        }
        oh = oh / s;
        ow = ow / s;
    }
    if oh >= i32(params.h_out) || ow >= i32(params.w_out) {
        return 0.0;
    }
    return dy[((u32(ci.x) * params.c_out + u32(ki.x)) * params.h_out + u32(oh)) * params.w_out + u32(ow)];
}

fn store_c(row: u32, col: u32, split: u32, value: f32) {
    let plane = params.h_in * params.w_in;
    let img = col / plane;
    let p = col % plane;
    dx[(img * params.m + row) * plane + p] = value;
}
