// Batch normalisation over (N, H, W) for each channel c; x, y, dy, dx (N, C, P) with P = H·W,
// the per-channel tensors (C). With m = N·P values per channel:
//
//   μ = Σx/m,  σ² = Σ(x−μ)²/m,  x̂ = (x−μ)/√(σ²+ε),  y = γ·x̂ + β
//   running_mean ← (1−momentum)·running_mean + momentum·μ
//   running_var  ← (1−momentum)·running_var  + momentum·σ²·m/(m−1)   (unbiased, as PyTorch)
//
// Backward (x̂ recomputed from the saved μ and 1/√(σ²+ε)):
//   dβ = Σ dy,  dγ = Σ dy·x̂,  dx = γ/√(σ²+ε) · (dy − dβ/m − x̂·dγ/m)
//
// Per-channel sums run one workgroup per channel (a strided share per invocation, then a binary
// tree over the workgroup: deterministic, no atomics); the element-wise passes one invocation
// per value.

struct Params {
    len: u32,      // N·C·P (element-wise passes)
    n: u32,
    c: u32,
    plane: u32,
    momentum: f32,
    eps: f32,
}

@group(0) @binding(0) var<uniform> params: Params;

fn index(wg: vec3<u32>, nwg: vec3<u32>, li: u32) -> u32 {
    return (wg.y * nwg.x + wg.x) * 256u + li;
}

// Offset of the e-th value of channel ch (e = n·P + p).
fn at(ch: u32, e: u32) -> u32 {
    return ((e / params.plane) * params.c + ch) * params.plane + e % params.plane;
}

var<workgroup> sum_a: array<f32, 256>;
var<workgroup> sum_b: array<f32, 256>;

// Adds the 256 partial sums of sum_a and sum_b; afterwards sum_a[0], sum_b[0] hold the totals.
fn tree_sum(li: u32) {
    workgroupBarrier();
    for (var half = 128u; half > 0u; half >>= 1u) {
        if li < half {
            sum_a[li] += sum_a[li + half];
            sum_b[li] += sum_b[li + half];
        }
        workgroupBarrier();
    }
}

// ---- training forward: the batch's statistics ----------------------------------------------
@group(0) @binding(1) var<storage, read> st_x: array<f32>;
@group(0) @binding(2) var<storage, read_write> st_mean: array<f32>;
@group(0) @binding(3) var<storage, read_write> st_invstd: array<f32>;
@group(0) @binding(4) var<storage, read_write> st_running_mean: array<f32>;
@group(0) @binding(5) var<storage, read_write> st_running_var: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn batch_stats(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let ch = wg.x;
    let m = params.n * params.plane;
    // Two passes, as the CPU: the mean first, then the squared deviations from it.
    var s = 0.0;
    for (var e = li; e < m; e += 256u) {
        s += st_x[at(ch, e)];
    }
    sum_a[li] = s;
    sum_b[li] = 0.0;
    tree_sum(li);
    let mean = sum_a[0] / f32(m);
    workgroupBarrier();
    var q = 0.0;
    for (var e = li; e < m; e += 256u) {
        let d = st_x[at(ch, e)] - mean;
        q += d * d;
    }
    sum_a[li] = q;
    tree_sum(li);
    if li == 0u {
        let sq = sum_a[0];
        let v = sq / f32(m);
        st_mean[ch] = mean;
        st_invstd[ch] = 1.0 / sqrt(v + params.eps);
        // One value per channel has no spread to estimate: keep the biased variance then.
        var unbiased = v;
        if m > 1u {
            unbiased = sq / f32(m - 1u);
        }
        st_running_mean[ch] = (1.0 - params.momentum) * st_running_mean[ch] + params.momentum * mean;
        st_running_var[ch] = (1.0 - params.momentum) * st_running_var[ch] + params.momentum * unbiased;
    }
}

// ---- y = γ·(x − μ)·invstd + β with saved statistics (training) ----------------------------
@group(0) @binding(1) var<storage, read> nm_x: array<f32>;
@group(0) @binding(2) var<storage, read> nm_gamma: array<f32>;
@group(0) @binding(3) var<storage, read> nm_beta: array<f32>;
@group(0) @binding(4) var<storage, read> nm_mean: array<f32>;
@group(0) @binding(5) var<storage, read> nm_invstd: array<f32>;
@group(0) @binding(6) var<storage, read_write> nm_y: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn normalize(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let i = index(wg, nwg, li);
    if i >= params.len {
        return;
    }
    let ch = (i / params.plane) % params.c;
    nm_y[i] = nm_gamma[ch] * ((nm_x[i] - nm_mean[ch]) * nm_invstd[ch]) + nm_beta[ch];
}

// ---- evaluation: normalise with the running statistics --------------------------------------
@group(0) @binding(1) var<storage, read> ev_x: array<f32>;
@group(0) @binding(2) var<storage, read> ev_gamma: array<f32>;
@group(0) @binding(3) var<storage, read> ev_beta: array<f32>;
@group(0) @binding(4) var<storage, read> ev_running_mean: array<f32>;
@group(0) @binding(5) var<storage, read> ev_running_var: array<f32>;
@group(0) @binding(6) var<storage, read_write> ev_y: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn normalize_eval(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let i = index(wg, nwg, li);
    if i >= params.len {
        return;
    }
    let ch = (i / params.plane) % params.c;
    let invstd = 1.0 / sqrt(ev_running_var[ch] + params.eps);
    ev_y[i] = ev_gamma[ch] * ((ev_x[i] - ev_running_mean[ch]) * invstd) + ev_beta[ch];
}

// ---- backward: dβ = Σ dy and dγ = Σ dy·x̂ per channel ---------------------------------------
@group(0) @binding(1) var<storage, read> bs_x: array<f32>;
@group(0) @binding(2) var<storage, read> bs_dy: array<f32>;
@group(0) @binding(3) var<storage, read> bs_mean: array<f32>;
@group(0) @binding(4) var<storage, read> bs_invstd: array<f32>;
@group(0) @binding(5) var<storage, read_write> bs_dgamma: array<f32>;
@group(0) @binding(6) var<storage, read_write> bs_dbeta: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn backward_stats(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let ch = wg.x;
    let m = params.n * params.plane;
    let mean = bs_mean[ch];
    let invstd = bs_invstd[ch];
    var sdy = 0.0;
    var sdyx = 0.0;
    for (var e = li; e < m; e += 256u) {
        let k = at(ch, e);
        let d = bs_dy[k];
        sdy += d;
        sdyx += d * ((bs_x[k] - mean) * invstd);
    }
    sum_a[li] = sdy;
    sum_b[li] = sdyx;
    tree_sum(li);
    if li == 0u {
        bs_dbeta[ch] = sum_a[0];
        bs_dgamma[ch] = sum_b[0];
    }
}

// ---- backward: dx -------------------------------------------------------------------------------
@group(0) @binding(1) var<storage, read> bd_x: array<f32>;
@group(0) @binding(2) var<storage, read> bd_gamma: array<f32>;
@group(0) @binding(3) var<storage, read> bd_dy: array<f32>;
@group(0) @binding(4) var<storage, read> bd_mean: array<f32>;
@group(0) @binding(5) var<storage, read> bd_invstd: array<f32>;
@group(0) @binding(6) var<storage, read> bd_dgamma: array<f32>;
@group(0) @binding(7) var<storage, read> bd_dbeta: array<f32>;
@group(0) @binding(8) var<storage, read_write> bd_dx: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn backward_data(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let i = index(wg, nwg, li);
    if i >= params.len {
        return;
    }
    let ch = (i / params.plane) % params.c;
    let m = f32(params.n * params.plane);
    let invstd = bd_invstd[ch];
    let xhat = (bd_x[i] - bd_mean[ch]) * invstd;
    bd_dx[i] = bd_gamma[ch] * invstd * (bd_dy[i] - bd_dbeta[ch] / m - xhat * (bd_dgamma[ch] / m));
}
