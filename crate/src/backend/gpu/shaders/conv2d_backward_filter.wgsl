// Convolution backward, the weight gradient, as an implicit matrix product:
//   x (N, C_in, H, W), dy (N, C_out, H', W') -> dw (C_out, C_in, F, F)
//
//   dw[co, ci, kh, kw] = Σ_{n, oh, ow} dy[n, co, oh, ow] · x[n, ci, oh·S + kh − P, ow·S + kw − P]
//
// As C = A·B: rows are output channels, columns the weights of one filter (ci, kh, kw), and k
// runs over every output pixel of the batch (k = n·H'W' + oh·W' + ow) — a long sum, so it is
// split over workgroups (z): split z writes its partial sums to out[z, co, col], and
// reduce.wgsl's `sum_splits` adds the splits in order (no atomics; the result is reproducible).
// With one split, `out` is dw itself. The tiled main loop is gemm.wgsl, appended to this file.

struct Params {
    m: u32,        // C_out
    n: u32,        // C_in·F·F
    k: u32,        // N·H'·W'
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
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

fn load_a(row: u32, kk: u32) -> f32 {
    let plane = params.h_out * params.w_out;
    let img = kk / plane;
    let p = kk % plane;
    return dy[(img * params.m + row) * plane + p];
}

fn load_b(kk: u32, col: u32) -> f32 {
    let ff = params.kernel * params.kernel;
    let ci = col / ff;
    let r = col % ff;
    let kh = r / params.kernel;
    let kw = r % params.kernel;
    let plane = params.h_out * params.w_out;
    let img = kk / plane;
    let p = kk % plane;
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
    out[(split * params.m + row) * params.n + col] = value;
}
