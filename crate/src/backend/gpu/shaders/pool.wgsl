// Max and average pooling over F×F windows with stride S, each (n, c) plane on its own:
//   x (N, C, H, W) -> y (N, C, H', W');  window (i, j) covers rows i·S..i·S+F, cols j·S..j·S+F.
//
//   max:  y = max over the window     backward: dy goes to the first maximum (row-major order)
//   avg:  y = Σ window / F²           backward: dy/F² to every position of the window
//
// The forward pass runs one invocation per output value. The backward pass runs one invocation
// per INPUT value and gathers from every window that covers it (recomputing each window's first
// maximum, as the CPU does), so overlapping windows add without atomics.

struct Params {
    // Number of invocations' values: N·C·H'·W' forward, N·C·H·W backward.
    len: u32,
    h_in: u32,
    w_in: u32,
    h_out: u32,
    w_out: u32,
    kernel: u32,
    stride: u32,
    // 0 max, 1 average.
    kind: u32,
    // 1/F², computed on the host exactly as the CPU computes it.
    inv_area: f32,
}

@group(0) @binding(0) var<uniform> params: Params;

fn index(wg: vec3<u32>, nwg: vec3<u32>, li: u32) -> u32 {
    return (wg.y * nwg.x + wg.x) * 256u + li;
}

@group(0) @binding(1) var<storage, read> fwd_x: array<f32>;
@group(0) @binding(2) var<storage, read_write> fwd_y: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn pool2d_forward(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let o = index(wg, nwg, li);
    if o >= params.len {
        return;
    }
    let pout = params.h_out * params.w_out;
    let plane = o / pout;
    let i = (o % pout) / params.w_out;
    let j = o % params.w_out;
    let base = plane * params.h_in * params.w_in + (i * params.stride) * params.w_in + j * params.stride;
    let f = params.kernel;
    if params.kind == 0u {
        var best = fwd_x[base];
        for (var u = 0u; u < f; u++) {
            for (var v = 0u; v < f; v++) {
                best = max(best, fwd_x[base + u * params.w_in + v]);
            }
        }
        fwd_y[o] = best;
    } else {
        var s = 0.0;
        for (var u = 0u; u < f; u++) {
            for (var v = 0u; v < f; v++) {
                s += fwd_x[base + u * params.w_in + v];
            }
        }
        fwd_y[o] = s * params.inv_area;
    }
}

@group(0) @binding(1) var<storage, read> bwd_x: array<f32>;
@group(0) @binding(2) var<storage, read> bwd_dy: array<f32>;
@group(0) @binding(3) var<storage, read_write> bwd_dx: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn pool2d_backward(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let e = index(wg, nwg, li);
    if e >= params.len {
        return;
    }
    let pin = params.h_in * params.w_in;
    let plane = e / pin;
    let h = (e % pin) / params.w_in;
    let w = e % params.w_in;
    let f = params.kernel;
    let s = params.stride;
    // Windows i with i·S ≤ h < i·S + F, i.e. ceil((h − F + 1)/S) ≤ i ≤ h/S, within 0..H'.
    var i_lo = 0u;
    if h + 1u > f {
        i_lo = (h + 1u - f + s - 1u) / s;
    }
    let i_hi = min(h / s + 1u, params.h_out);
    var j_lo = 0u;
    if w + 1u > f {
        j_lo = (w + 1u - f + s - 1u) / s;
    }
    let j_hi = min(w / s + 1u, params.w_out);
    let xp = plane * pin;
    let dyp = plane * params.h_out * params.w_out;
    var g = 0.0;
    for (var i = i_lo; i < i_hi; i++) {
        for (var j = j_lo; j < j_hi; j++) {
            let d = bwd_dy[dyp + i * params.w_out + j];
            if params.kind == 0u {
                // This window's first maximum, in row-major order as the CPU finds it.
                var best = (i * s) * params.w_in + j * s;
                for (var u = 0u; u < f; u++) {
                    for (var v = 0u; v < f; v++) {
                        let at = (i * s + u) * params.w_in + j * s + v;
                        if bwd_x[xp + at] > bwd_x[xp + best] {
                            best = at;
                        }
                    }
                }
                if best == h * params.w_in + w {
                    g += d;
                }
            } else {
                g += d * params.inv_area;
            }
        }
    }
    bwd_dx[e] = g;
}
