// Losses, each with its gradient, and the running metrics [Σ loss, #correct, N].
//
// Softmax + cross-entropy for logits z (N, K) and labels y (N, class indices as f32):
//   p = softmax(z) = e^(z − max z) / Σ e^(z − max z)   (subtracting max z keeps e^· ≤ 1: no overflow)
//   loss_n = −log p[y_n] = log Σ e^(z − max z) − (z[y_n] − max z)
//   ∂L/∂z = (p − onehot(y))/N   for L = mean_n loss_n
// MSE against one-hot targets, logits z (N, K):  loss_n = mean_k (z − onehot(y))²,
//   ∂L/∂z = 2(z − onehot(y))/(N·K).
// Regression losses for pred, target (N, P), d = pred − target (`kind`: LOSS_L1, LOSS_MSE,
// LOSS_SMOOTH_L1 with its β):  loss_n = mean_p ℓ(d),  ∂L/∂pred = ℓ'(d)/(N·P), one invocation per
// value for the gradient.
//
// `softmax` gives the probabilities alone (a prediction), one invocation per example.
//
// One invocation per example writes its gradient row and its [loss_n, correct_n] to `rows`; then
// `add_metrics`, a single workgroup, adds the rows in a fixed order (a strided share per
// invocation, then a binary tree) and adds the totals into metrics. No float atomics: the sums are
// the same on every run.

struct Params {
    // Examples (values, for a regression gradient) and values per example.
    n: u32,
    k: u32,
    // 1/N for cross-entropy, 2/(N·K) for MSE on one-hot targets, 1/(N·P) for a regression
    // gradient: computed on the host as the CPU computes them.
    scale: f32,
    // The regression losses only: which one, and smooth L1's β.
    kind: u32,
    beta: f32,
}

const LOSS_L1: u32 = 0u;
const LOSS_MSE: u32 = 1u;
const LOSS_SMOOTH_L1: u32 = 2u;

@group(0) @binding(0) var<uniform> params: Params;

fn index(wg: vec3<u32>, nwg: vec3<u32>, li: u32) -> u32 {
    return (wg.y * nwg.x + wg.x) * 256u + li;
}

@group(0) @binding(1) var<storage, read> ce_logits: array<f32>;
@group(0) @binding(2) var<storage, read> ce_labels: array<f32>;
@group(0) @binding(3) var<storage, read_write> ce_probs: array<f32>;
@group(0) @binding(4) var<storage, read_write> ce_dlogits: array<f32>;
@group(0) @binding(5) var<storage, read_write> ce_rows: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn softmax_cross_entropy(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let row = index(wg, nwg, li);
    if row >= params.n {
        return;
    }
    let k = params.k;
    let base = row * k;
    // The first maximum is both the shift and the prediction.
    var arg = 0u;
    for (var j = 1u; j < k; j++) {
        if ce_logits[base + j] > ce_logits[base + arg] {
            arg = j;
        }
    }
    let mx = ce_logits[base + arg];
    var sum = 0.0;
    for (var j = 0u; j < k; j++) {
        let e = exp(ce_logits[base + j] - mx);
        ce_probs[base + j] = e;
        sum += e;
    }
    let inv = 1.0 / sum;
    for (var j = 0u; j < k; j++) {
        let p = ce_probs[base + j] * inv;
        ce_probs[base + j] = p;
        ce_dlogits[base + j] = p * params.scale;
    }
    let label = ce_labels[row];
    let y = u32(label);
    if label >= 0.0 && f32(y) == label && y < k {
        ce_dlogits[base + y] -= params.scale;
        ce_rows[2u * row] = log(sum) - (ce_logits[base + y] - mx);
        ce_rows[2u * row + 1u] = select(0.0, 1.0, arg == y);
    } else {
        // Not a class index: the loss becomes NaN, which the trainer reports as a failed run.
        // (Made from a run-time value: a NaN constant is an error in WGSL.)
        ce_rows[2u * row] = bitcast<f32>(0x7fc00000u | (params.n & 0u));
        ce_rows[2u * row + 1u] = 0.0;
    }
}

@group(0) @binding(1) var<storage, read> sm_logits: array<f32>;
@group(0) @binding(2) var<storage, read_write> sm_probs: array<f32>;

// The probabilities alone (a prediction): the arithmetic of softmax_cross_entropy above, in the
// same order, without a label, a loss or a gradient.
@compute @workgroup_size(256, 1, 1)
fn softmax(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let row = index(wg, nwg, li);
    if row >= params.n {
        return;
    }
    let k = params.k;
    let base = row * k;
    var arg = 0u;
    for (var j = 1u; j < k; j++) {
        if sm_logits[base + j] > sm_logits[base + arg] {
            arg = j;
        }
    }
    let mx = sm_logits[base + arg];
    var sum = 0.0;
    for (var j = 0u; j < k; j++) {
        let e = exp(sm_logits[base + j] - mx);
        sm_probs[base + j] = e;
        sum += e;
    }
    let inv = 1.0 / sum;
    for (var j = 0u; j < k; j++) {
        sm_probs[base + j] = sm_probs[base + j] * inv;
    }
}

@group(0) @binding(1) var<storage, read> oh_logits: array<f32>;
@group(0) @binding(2) var<storage, read> oh_labels: array<f32>;
@group(0) @binding(3) var<storage, read_write> oh_dlogits: array<f32>;
@group(0) @binding(4) var<storage, read_write> oh_rows: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn mse_one_hot(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let row = index(wg, nwg, li);
    if row >= params.n {
        return;
    }
    let k = params.k;
    let base = row * k;
    let label = oh_labels[row];
    let y = u32(label);
    var arg = 0u;
    var sq = 0.0;
    for (var j = 0u; j < k; j++) {
        if oh_logits[base + j] > oh_logits[base + arg] {
            arg = j;
        }
        let e = oh_logits[base + j] - select(0.0, 1.0, j == y);
        oh_dlogits[base + j] = params.scale * e;
        sq += e * e;
    }
    if label >= 0.0 && f32(y) == label && y < k {
        oh_rows[2u * row] = sq / f32(k);
        oh_rows[2u * row + 1u] = select(0.0, 1.0, arg == y);
    } else {
        // Not a class index: the loss becomes NaN, as in softmax_cross_entropy.
        oh_rows[2u * row] = bitcast<f32>(0x7fc00000u | (params.n & 0u));
        oh_rows[2u * row + 1u] = 0.0;
    }
}

// ℓ(d) and ℓ'(d) of the regression losses. sign(0) is 0 in WGSL, as PyTorch takes |d|'s slope there.
fn regression_loss(d: f32) -> f32 {
    switch params.kind {
        case LOSS_L1: { return abs(d); }
        case LOSS_MSE: { return d * d; }
        case LOSS_SMOOTH_L1, default: {
            if abs(d) < params.beta {
                return 0.5 * d * d / params.beta;
            }
            return abs(d) - 0.5 * params.beta;
        }
    }
}

fn regression_slope(d: f32) -> f32 {
    switch params.kind {
        case LOSS_L1: { return sign(d); }
        case LOSS_MSE: { return 2.0 * d; }
        case LOSS_SMOOTH_L1, default: {
            if abs(d) < params.beta {
                return d / params.beta;
            }
            return sign(d);
        }
    }
}

@group(0) @binding(1) var<storage, read> rf_pred: array<f32>;
@group(0) @binding(2) var<storage, read> rf_target: array<f32>;
@group(0) @binding(3) var<storage, read_write> rf_rows: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn regression_forward(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let row = index(wg, nwg, li);
    if row >= params.n {
        return;
    }
    let base = row * params.k;
    var sum = 0.0;
    for (var j = 0u; j < params.k; j++) {
        sum += regression_loss(rf_pred[base + j] - rf_target[base + j]);
    }
    rf_rows[2u * row] = sum / f32(params.k);
    rf_rows[2u * row + 1u] = 0.0;
}

@group(0) @binding(1) var<storage, read> rb_pred: array<f32>;
@group(0) @binding(2) var<storage, read> rb_target: array<f32>;
@group(0) @binding(3) var<storage, read_write> rb_dpred: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn regression_backward(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let i = index(wg, nwg, li);
    if i >= params.n {
        return;
    }
    rb_dpred[i] = regression_slope(rb_pred[i] - rb_target[i]) * params.scale;
}

@group(0) @binding(1) var<storage, read> am_rows: array<f32>;
@group(0) @binding(2) var<storage, read_write> am_metrics: array<f32>;

var<workgroup> sum_loss: array<f32, 256>;
var<workgroup> sum_correct: array<f32, 256>;

@compute @workgroup_size(256, 1, 1)
fn add_metrics(@builtin(local_invocation_index) li: u32) {
    var l = 0.0;
    var c = 0.0;
    for (var row = li; row < params.n; row += 256u) {
        l += am_rows[2u * row];
        c += am_rows[2u * row + 1u];
    }
    sum_loss[li] = l;
    sum_correct[li] = c;
    workgroupBarrier();
    for (var half = 128u; half > 0u; half >>= 1u) {
        if li < half {
            sum_loss[li] += sum_loss[li + half];
            sum_correct[li] += sum_correct[li + half];
        }
        workgroupBarrier();
    }
    if li == 0u {
        am_metrics[0] += sum_loss[0];
        am_metrics[1] += sum_correct[0];
        am_metrics[2] += f32(params.n);
    }
}
