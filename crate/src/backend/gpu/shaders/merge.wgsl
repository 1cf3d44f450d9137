// Joining branches, one invocation per value written: the residual sum and the channel copy of a
// concatenation. Legend: N batch, HW = H·W values per channel.
//
//   add_into:       y ← y + x
//   copy_channels:  dst[n, dst_c0 + k, :, :] ← src[n, src_c0 + k, :, :] for k < channels; src is
//                   (N, src_c, H, W), dst (N, dst_c, H, W), and dst's other channels are untouched
//
// Launched as a 2-D grid of 256-wide workgroups (one grid dimension holds at most 65,535
// workgroups), flattened back into the index i.

struct Params {
    // Values written: y's length for the sum, N·channels·HW for the copy.
    len: u32,
    // The copy's geometry (backend::ChannelCopy).
    hw: u32,
    channels: u32,
    src_c: u32,
    src_c0: u32,
    dst_c: u32,
    dst_c0: u32,
}

@group(0) @binding(0) var<uniform> params: Params;

fn index(wg: vec3<u32>, nwg: vec3<u32>, li: u32) -> u32 {
    return (wg.y * nwg.x + wg.x) * 256u + li;
}

// ---- add_into: y ← y + x ---------------------------------------------------------------------
@group(0) @binding(1) var<storage, read> add_x: array<f32>;
@group(0) @binding(2) var<storage, read_write> add_y: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn add_into(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let i = index(wg, nwg, li);
    if i < params.len {
        add_y[i] = add_y[i] + add_x[i];
    }
}

// ---- copy_channels: one run of channels·HW values per example --------------------------------
@group(0) @binding(1) var<storage, read> copy_src: array<f32>;
@group(0) @binding(2) var<storage, read_write> copy_dst: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn copy_channels(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let i = index(wg, nwg, li);
    if i >= params.len {
        return;
    }
    // Example n, and the place r in its run (channel k = r / HW, position r % HW).
    let run = params.channels * params.hw;
    let n = i / run;
    let r = i % run;
    copy_dst[(n * params.dst_c + params.dst_c0) * params.hw + r] = copy_src[(n * params.src_c + params.src_c0) * params.hw + r];
}
