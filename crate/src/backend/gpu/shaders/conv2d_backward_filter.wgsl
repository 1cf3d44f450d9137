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

// k = (n, oh, ow) -> (offset of dy[n, 0, oh, ow], offset of the window's corner in x[n],
// its top row, its left column); the corner lies in the padding (negative) when P > 0.
fn k_info(kk: u32) -> vec4<i32> {
    let plane = params.h_out * params.w_out;
    let img = kk / plane;
    let p = kk % plane;
    let ih0 = i32((p / params.w_out) * params.stride) - i32(params.padding);
    let iw0 = i32((p % params.w_out) * params.stride) - i32(params.padding);
    let x_corner = i32(img * params.c_in * params.h_in * params.w_in) + ih0 * i32(params.w_in) + iw0;
    return vec4<i32>(i32(img * params.m * plane + p), x_corner, ih0, iw0);
}

// col = (ci, kh, kw) -> (offset of the tap from the window's corner in x, kh, kw).
fn col_info(col: u32) -> vec4<i32> {
    let ff = params.kernel * params.kernel;
    let ci = col / ff;
    let r = col % ff;
    let kh = r / params.kernel;
    let kw = r % params.kernel;
    return vec4<i32>(i32((ci * params.h_in + kh) * params.w_in + kw), i32(kh), i32(kw), 0);
}

fn load_a(row: u32, kk: u32, ki: vec4<i32>) -> f32 {
    return dy[u32(ki.x) + row * params.h_out * params.w_out];
}

fn load_b(kk: u32, ki: vec4<i32>, col: u32, ci: vec4<i32>) -> f32 {
    let ih = ki.z + ci.y;
    let iw = ki.w + ci.z;
    if ih < 0 || iw < 0 || ih >= i32(params.h_in) || iw >= i32(params.w_in) {
        return 0.0;
    }
    return x[ki.y + ci.x];
}

fn store_c(row: u32, col: u32, split: u32, value: f32) {
    out[(split * params.m + row) * params.n + col] = value;
}
