// Element-wise kernels, one invocation per element: fill, copy, activations forward and
// backward, and inverted dropout. Legend: x input, y output, dy = ∂L/∂y, dx = ∂L/∂x.
// Launched as a 2-D grid of 256-wide workgroups (one grid dimension holds at most 65,535
// workgroups), flattened back into the element index i.
//
//   sigmoid σ(x) = 1/(1+e^−x)      σ'(x) = y(1−y)          with y = σ(x)
//   tanh(x) = 1 − 2/(e^2x + 1)     tanh'(x) = 1 − y²        with y = tanh(x)
//   relu(x) = max(0, x)            relu'(x) = [x > 0]
//   leaky(x) = x or αx             leaky'(x) = 1 or α
//   dropout: mask = 1/(1−p) where hash_uniform(key, i) ≥ p, else 0;  y = x·mask;  dx = dy·mask
//
// The formulas are the CPU backend's (backend/cpu/elementwise.rs), so both agree closely; the
// dropout hash is crate::rng::hash_uniform in the same u32 arithmetic, so masks agree exactly.

struct Params {
    len: u32,
    // Activation: 0 sigmoid, 1 tanh, 2 relu, 3 leaky relu.
    kind: u32,
    // Dropout's draw.
    key: u32,
    // Fill value, leaky slope, or dropout's p.
    value: f32,
    // Dropout's 1/(1−p), computed on the host exactly as the CPU computes it.
    scale: f32,
}

@group(0) @binding(0) var<uniform> params: Params;

fn index(wg: vec3<u32>, nwg: vec3<u32>, li: u32) -> u32 {
    return (wg.y * nwg.x + wg.x) * 256u + li;
}

// ---- fill: out ← value ---------------------------------------------------------------------
@group(0) @binding(1) var<storage, read_write> fill_out: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn fill(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let i = index(wg, nwg, li);
    if i < params.len {
        fill_out[i] = params.value;
    }
}

// ---- activations ---------------------------------------------------------------------------
@group(0) @binding(1) var<storage, read> act_x: array<f32>;
@group(0) @binding(2) var<storage, read_write> act_y: array<f32>;

fn sigmoid(x: f32) -> f32 {
    // The exponent is clamped to [−87.3, 88.3] as the CPU's exp_approx does: e^x stays finite.
    return 1.0 / (1.0 + exp(clamp(-x, -87.3, 88.3)));
}

fn tanh_(x: f32) -> f32 {
    // As the CPU: an odd polynomial near 0 (where 1 − 2/(e^2x+1) would cancel), the exponential
    // form elsewhere. The exponential form never divides inf by inf, unlike some drivers' tanh.
    let a = abs(x);
    if a < 0.625 {
        let z = x * x;
        return ((((-5.7049887e-3 * z + 2.0639089e-2) * z - 5.3739716e-2) * z + 1.3331442e-1) * z - 3.3333282e-1) * z * x + x;
    }
    let t = 1.0 - 2.0 / (exp(min(2.0 * a, 88.3)) + 1.0);
    return select(t, -t, x < 0.0);
}

@compute @workgroup_size(256, 1, 1)
fn activation_forward(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let i = index(wg, nwg, li);
    if i >= params.len {
        return;
    }
    let x = act_x[i];
    var y: f32;
    switch params.kind {
        case 0u: { y = sigmoid(x); }
        case 1u: { y = tanh_(x); }
        case 2u: { y = select(0.0, x, x > 0.0); }
        default: { y = select(params.value * x, x, x > 0.0); }
    }
    act_y[i] = y;
}

@group(0) @binding(1) var<storage, read> bwd_x: array<f32>;
@group(0) @binding(2) var<storage, read> bwd_y: array<f32>;
@group(0) @binding(3) var<storage, read> bwd_dy: array<f32>;
@group(0) @binding(4) var<storage, read_write> bwd_dx: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn activation_backward(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let i = index(wg, nwg, li);
    if i >= params.len {
        return;
    }
    let dy = bwd_dy[i];
    var dx: f32;
    switch params.kind {
        case 0u: { let y = bwd_y[i]; dx = dy * y * (1.0 - y); }
        case 1u: { let y = bwd_y[i]; dx = dy * (1.0 - y * y); }
        case 2u: { dx = select(0.0, dy, bwd_x[i] > 0.0); }
        default: { dx = select(params.value * dy, dy, bwd_x[i] > 0.0); }
    }
    bwd_dx[i] = dx;
}

// ---- dropout -------------------------------------------------------------------------------
// crate::rng::hash_uniform: a PCG-style 32-bit hash (Jarzynski & Olano 2020); u32 arithmetic
// wraps in WGSL as wrapping_mul/wrapping_add do in Rust.
fn hash_uniform(key: u32, index: u32) -> f32 {
    var s = (index * 747796405u + 2891336453u) ^ (key * 0x9E3779B9u);
    s = s * 747796405u + 2891336453u;
    let word = ((s >> ((s >> 28u) + 4u)) ^ s) * 277803737u;
    let h = (word >> 22u) ^ word;
    // (h >> 8) < 2^24 converts exactly; times 2^−24 is exact too.
    return f32(h >> 8u) * (1.0 / 16777216.0);
}

@group(0) @binding(1) var<storage, read> drop_x: array<f32>;
@group(0) @binding(2) var<storage, read_write> drop_mask: array<f32>;
@group(0) @binding(3) var<storage, read_write> drop_y: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn dropout_forward(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let i = index(wg, nwg, li);
    if i >= params.len {
        return;
    }
    let m = select(0.0, params.scale, hash_uniform(params.key, i) >= params.value);
    drop_mask[i] = m;
    drop_y[i] = drop_x[i] * m;
}

@group(0) @binding(1) var<storage, read> dbwd_dy: array<f32>;
@group(0) @binding(2) var<storage, read> dbwd_mask: array<f32>;
@group(0) @binding(3) var<storage, read_write> dbwd_dx: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn dropout_backward(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let i = index(wg, nwg, li);
    if i < params.len {
        dbwd_dx[i] = dbwd_dy[i] * dbwd_mask[i];
    }
}
