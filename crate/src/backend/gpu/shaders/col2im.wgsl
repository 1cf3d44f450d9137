// Convolution backward, the input gradient unfolded: the second half of dx = col2im(wᵀ·dy).
// Each input value adds, in a fixed order (kh, then kw), the columns of dcol
// (conv2d_backward_unfold.wgsl) of the taps that read it:
//
//   dx[n, ci, h, w] = Σ_{kh, kw} dcol[(ci·F + kh)·F + kw, (n − image0)·H'W' + oh·W' + ow]
//
// where h + P − kh = oh·S and w + P − kw = ow·S exactly, 0 ≤ oh < H', 0 ≤ ow < W'. One
// invocation per input value of the images image0 .. image0 + images; no atomics.

struct Params {
    len: u32,      // images·C_in·H·W
    c_in: u32,
    h_in: u32,
    w_in: u32,
    h_out: u32,
    w_out: u32,
    kernel: u32,
    stride: u32,
    padding: u32,
    image0: u32,
    cols: u32,     // images·H'·W': the length of a dcol row
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> dcol: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn col2im(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let i = (wg.y * nwg.x + wg.x) * 256u + li;
    if i >= params.len {
        return;
    }
    let plane = params.h_in * params.w_in;
    let x = i % params.w_in;
    let y = (i / params.w_in) % params.h_in;
    let ci = (i / plane) % params.c_in;
    let img = i / (plane * params.c_in);
    let f = params.kernel;
    let s = i32(params.stride);
    let col0 = img * params.h_out * params.w_out;
    var sum = 0.0;
    for (var kh = 0u; kh < f; kh++) {
        let th = i32(y + params.padding) - i32(kh);
        if th < 0 || th % s != 0 || th / s >= i32(params.h_out) {
            continue;
        }
        let oh = u32(th / s);
        for (var kw = 0u; kw < f; kw++) {
            let tw = i32(x + params.padding) - i32(kw);
            if tw < 0 || tw % s != 0 || tw / s >= i32(params.w_out) {
                continue;
            }
            let ow = u32(tw / s);
            sum += dcol[((ci * f + kh) * f + kw) * params.cols + col0 + oh * params.w_out + ow];
        }
    }
    dx[params.image0 * params.c_in * plane + i] = sum;
}
