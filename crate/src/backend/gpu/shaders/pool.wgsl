// Max and average pooling over F×F windows with stride S and padding P, each (n, c) plane on
// its own: x (N, C, H, W) -> y (N, C, H', W');  window (i, j) covers rows i·S−P..i·S−P+F and
// columns j·S−P..j·S−P+F. Padding is never the max and adds 0 to the sum (PyTorch's rules).
//
//   max:  y = max over the window     backward: dy goes to the first maximum (row-major order)
//   avg:  y = Σ window / F²           backward: dy/F² to every input position of the window
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
    // P ≤ F/2 (checked on the host), so every window holds an input value.
    padding: u32,
    // 0 max, 1 average.
    kind: u32,
    // 1/F², computed on the host exactly as the CPU computes it.
    inv_area: f32,
}

@group(0) @binding(0) var<uniform> params: Params;

fn index(wg: vec3<u32>, nwg: vec3<u32>, li: u32) -> u32 {
    return (wg.y * nwg.x + wg.x) * 256u + li;
}

// The input rows (or columns) window i covers, i·S − P .. i·S − P + F, clipped to 0..len: the
// rest of the window is padding. (F ≥ 2P, so the end does not underflow.)
fn clipped(i: u32, len: u32) -> vec2<u32> {
    let start = i * params.stride;
    var lo = 0u;
    if start > params.padding {
        lo = start - params.padding;
    }
    return vec2<u32>(lo, min(start + params.kernel - params.padding, len));
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
    let rows = clipped((o % pout) / params.w_out, params.h_in);
    let cols = clipped(o % params.w_out, params.w_in);
    let xp = plane * params.h_in * params.w_in;
    // Over the window's input cells in row-major order, as the CPU: padding takes no part.
    if params.kind == 0u {
        var best = fwd_x[xp + rows.x * params.w_in + cols.x];
        for (var r = rows.x; r < rows.y; r++) {
            for (var c = cols.x; c < cols.y; c++) {
                best = max(best, fwd_x[xp + r * params.w_in + c]);
            }
        }
        fwd_y[o] = best;
    } else {
        var s = 0.0;
        for (var r = rows.x; r < rows.y; r++) {
            for (var c = cols.x; c < cols.y; c++) {
                s += fwd_x[xp + r * params.w_in + c];
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
    // In padded coordinates the cell is at (h + P, w + P); the windows covering it are the i
    // with i·S ≤ h + P < i·S + F, i.e. ceil((h + P − F + 1)/S) ≤ i ≤ (h + P)/S, within 0..H'.
    let hp = h + params.padding;
    let wp = w + params.padding;
    var i_lo = 0u;
    if hp + 1u > f {
        i_lo = (hp + 1u - f + s - 1u) / s;
    }
    let i_hi = min(hp / s + 1u, params.h_out);
    var j_lo = 0u;
    if wp + 1u > f {
        j_lo = (wp + 1u - f + s - 1u) / s;
    }
    let j_hi = min(wp / s + 1u, params.w_out);
    let xp = plane * pin;
    let dyp = plane * params.h_out * params.w_out;
    var g = 0.0;
    for (var i = i_lo; i < i_hi; i++) {
        for (var j = j_lo; j < j_hi; j++) {
            let d = bwd_dy[dyp + i * params.w_out + j];
            if params.kind == 0u {
                // This window's first maximum among its input cells, in row-major order as the
                // CPU finds it.
                let rows = clipped(i, params.h_in);
                let cols = clipped(j, params.w_in);
                var best = rows.x * params.w_in + cols.x;
                for (var r = rows.x; r < rows.y; r++) {
                    for (var c = cols.x; c < cols.y; c++) {
                        let at = r * params.w_in + c;
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
