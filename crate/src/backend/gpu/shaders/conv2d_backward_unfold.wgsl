// Convolution backward, the input gradient unfolded: the first half of dx = col2im(wᵀ·dy), the
// way the CPU backend computes it, for shapes where the gather of conv2d_backward_data.wgsl
// would spend most of its terms on zeros (few input channels, taps that fall off the border:
// LeNet's second convolution computes 16 rows for 6 channels and twice the taps it uses).
//   dy (N, C_out, H', W'), w (C_out, C_in, F, F) -> dcol (C_in·F·F, images·H'·W')
//
//   dcol[(ci, kh, kw), (img, oh, ow)] = Σ_co w[co, ci, kh, kw] · dy[image0 + img, co, oh, ow]
//
// for the images image0 .. image0 + images of the batch (the backend goes through the batch in
// chunks whose dcol fits its scratch). col2im.wgsl then adds each input pixel's taps.
// As C = A·B: rows are (ci, kh, kw), columns output pixels of the chunk, k runs over co:
//   A[r, co] = w[co·C_in·F·F + r]
//   B[co, col] = dy[image0 + img, co, p]      col = img·H'W' + p
// The tiled main loop is gemm.wgsl, appended to this file.

struct Params {
    m: u32,        // C_in·F·F
    n: u32,        // images·H'·W'
    k: u32,        // C_out
    k_chunk: u32,
    plane: u32,    // H'·W'
    image0: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> dcol: array<f32>;

// Nothing of k needs splitting.
fn k_info(kk: u32) -> vec4<i32> {
    return vec4<i32>(0);
}

// col = (img, p) -> the offset of dy[image0 + img, 0, p].
fn col_info(col: u32) -> vec4<i32> {
    let img = params.image0 + col / params.plane;
    return vec4<i32>(i32(img * params.k * params.plane + col % params.plane), 0, 0, 0);
}

fn load_a(row: u32, kk: u32, ki: vec4<i32>) -> f32 {
    return w[kk * params.m + row];
}

fn load_b(kk: u32, ki: vec4<i32>, col: u32, ci: vec4<i32>) -> f32 {
    return dy[u32(ci.x) + kk * params.plane];
}

fn store_c(row: u32, col: u32, split: u32, value: f32) {
    dcol[row * params.n + col] = value;
}
