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

fn load_a(row: u32, kk: u32) -> f32 {
    let ff = params.kernel * params.kernel;
    let co = kk / ff;
    let r = kk % ff;
    return w[(co * params.m + row) * ff + r];
}

fn load_b(kk: u32, col: u32) -> f32 {
    let ff = params.kernel * params.kernel;
    let co = kk / ff;
    let r = kk % ff;
    let kh = r / params.kernel;
    let kw = r % params.kernel;
    let plane = params.h_in * params.w_in;
    let img = col / plane;
    let p = col % plane;
    let h = p / params.w_in;
    let w_ = p % params.w_in;
    // th = h + P − kh, the output row times S; negative means no output row reads this tap.
    let th = h + params.padding;
    let tw = w_ + params.padding;
    if th < kh || tw < kw {
        return 0.0;
    }
    let sh = th - kh;
    let sw = tw - kw;
    if sh % params.stride != 0u || sw % params.stride != 0u {
        return 0.0;
    }
    let oh = sh / params.stride;
    let ow = sw / params.stride;
    if oh >= params.h_out || ow >= params.w_out {
        return 0.0;
    }
    return dy[((img * params.c_out + co) * params.h_out + oh) * params.w_out + ow];
}

fn store_c(row: u32, col: u32, split: u32, value: f32) {
    let plane = params.h_in * params.w_in;
    let img = col / plane;
    let p = col % plane;
    dx[(img * params.m + row) * plane + p] = value;
}
