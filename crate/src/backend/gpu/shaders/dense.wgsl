// Dense layers as one matrix product each (x (N, I), w (O, I), b (O), y (N, O)):
//   y  = x·wᵀ + b     A = x,   B = wᵀ
//   dx = dy·w         A = dy,  B = w
//   dw = dyᵀ·x        A = dyᵀ, B = x
// The transposes are strides, never copies: A[r, k] = a[r·a_row + k·a_col], likewise B.
// The tiled main loop is gemm.wgsl, appended to this file.

struct Params {
    m: u32,
    n: u32,
    k: u32,
    k_chunk: u32,
    a_row: u32,
    a_col: u32,
    b_row: u32,
    b_col: u32,
    // 1: add bias[col] to every output (the forward pass); 0: plain product.
    has_bias: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> c: array<f32>;

// Strided loads need no index arithmetic beyond a multiply.
fn k_info(kk: u32) -> vec4<i32> {
    return vec4<i32>(0);
}

fn col_info(col: u32) -> vec4<i32> {
    return vec4<i32>(0);
}

fn load_a(row: u32, kk: u32, ki: vec4<i32>) -> f32 {
    return a[row * params.a_row + kk * params.a_col];
}

fn load_b(kk: u32, ki: vec4<i32>, col: u32, ci: vec4<i32>) -> f32 {
    return b[kk * params.b_row + col * params.b_col];
}

fn store_c(row: u32, col: u32, split: u32, value: f32) {
    var v = value;
    if params.has_bias != 0u {
        v += bias[col];
    }
    c[row * params.n + col] = v;
}
