// Optimizer updates, one invocation per parameter value (θ param, g grad):
//
//   SGD:       θ ← θ − η·g
//   Momentum:  v ← μ·v + g;  θ ← θ − η·v                       (PyTorch's form; v in state1)
//   Adam:      m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²            (m in state1, v in state2)
//              θ ← θ − (η/(1−β₁ᵗ)) · m / (√v/√(1−β₂ᵗ) + ε)       (bias-corrected, as PyTorch)
//
// with g = ∂L/∂θ + λ·θ for weight decay λ (PyTorch's `weight_decay`; λ = 0 adds nothing).
//
// The bias corrections η/(1−β₁ᵗ) and 1/√(1−β₂ᵗ) are computed on the host in f64, as the CPU
// backend does, and arrive as `step` and `inv_sqrt_bc2`.

struct Params {
    len: u32,
    lr: f32,
    // Momentum's μ, or Adam's β₁.
    beta1: f32,
    beta2: f32,
    eps: f32,
    step: f32,
    inv_sqrt_bc2: f32,
    weight_decay: f32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> param: array<f32>;
@group(0) @binding(3) var<storage, read_write> state1: array<f32>;
@group(0) @binding(4) var<storage, read_write> state2: array<f32>;

fn index(wg: vec3<u32>, nwg: vec3<u32>, li: u32) -> u32 {
    return (wg.y * nwg.x + wg.x) * 256u + li;
}

@compute @workgroup_size(256, 1, 1)
fn sgd(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let i = index(wg, nwg, li);
    if i < params.len {
        let g = grad[i] + params.weight_decay * param[i];
        param[i] -= params.lr * g;
    }
}

@compute @workgroup_size(256, 1, 1)
fn momentum(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let i = index(wg, nwg, li);
    if i < params.len {
        let g = grad[i] + params.weight_decay * param[i];
        let v = params.beta1 * state1[i] + g;
        state1[i] = v;
        param[i] -= params.lr * v;
    }
}

@compute @workgroup_size(256, 1, 1)
fn adam(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let i = index(wg, nwg, li);
    if i < params.len {
        let g = grad[i] + params.weight_decay * param[i];
        let m = params.beta1 * state1[i] + (1.0 - params.beta1) * g;
        let v = params.beta2 * state2[i] + (1.0 - params.beta2) * g * g;
        state1[i] = m;
        state2[i] = v;
        param[i] -= params.step * m / (sqrt(v) * params.inv_sqrt_bc2 + params.eps);
    }
}
