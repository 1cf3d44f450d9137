// Deterministic sums (no atomics, so results never depend on scheduling):
//   sum_splits:   out[i] = Σ_z parts[z·len + i]            (adds split-K partial products in order)
//   channel_sum:  out[c] = Σ_{n, p} x[n, c, p]              (a bias gradient: x (N, C, P), P = H·W,
//                                                            or P = 1 for a dense layer's (N, O))
// channel_sum runs one workgroup per channel: each invocation adds a strided share, then the
// workgroup adds the 256 partial sums as a binary tree.

struct Params {
    len: u32,      // sum_splits: values per split;  channel_sum: N
    count: u32,    // sum_splits: splits;            channel_sum: C
    plane: u32,    // channel_sum: P
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn sum_splits(
    @builtin(workgroup_id) wg: vec3<u32>,
    @builtin(num_workgroups) nwg: vec3<u32>,
    @builtin(local_invocation_index) li: u32,
) {
    let i = (wg.y * nwg.x + wg.x) * 256u + li;
    if i >= params.len {
        return;
    }
    var s = 0.0;
    for (var z = 0u; z < params.count; z++) {
        s += src[z * params.len + i];
    }
    out[i] = s;
}

var<workgroup> partial: array<f32, 256>;

@compute @workgroup_size(256, 1, 1)
fn channel_sum(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let ch = wg.x;
    let per_channel = params.len * params.plane;
    var s = 0.0;
    for (var e = li; e < per_channel; e += 256u) {
        let img = e / params.plane;
        let p = e % params.plane;
        s += src[(img * params.count + ch) * params.plane + p];
    }
    partial[li] = s;
    workgroupBarrier();
    for (var half = 128u; half > 0u; half >>= 1u) {
        if li < half {
            partial[li] += partial[li + half];
        }
        workgroupBarrier();
    }
    if li == 0u {
        out[ch] = partial[0];
    }
}
