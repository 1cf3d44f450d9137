// The tiled matrix product every dense layer and convolution goes through:
//
//   C[m, n] = Σ_k A[m, k] · B[k, n]        A: M×K, B: K×N, C: M×N
//
// This file is the shared main loop. It is appended to a file that says where A, B and C live
// (dense.wgsl, conv2d_forward.wgsl, …), which must define:
//   struct Params { m: u32, n: u32, k: u32, k_chunk: u32, … }  bound as `params`
//   fn load_a(row: u32, kk: u32) -> f32      called only with row < m, kk < k
//   fn load_b(kk: u32, col: u32) -> f32      called only with kk < k, col < n
//   fn store_c(row: u32, col: u32, split: u32, value: f32)   called only with row < m, col < n
//
// Each workgroup of 16×16 invocations computes one 64×64 tile of C. It walks K in steps of 16:
// all 256 invocations copy a 64×16 slab of A and a 16×64 slab of B into workgroup memory, then
// each invocation accumulates its 4×4 outputs (rows ty + 16i, columns tx + 16j) from there, so
// every value loaded from memory is used 64 times. Workgroup z covers K from z·k_chunk to
// (z+1)·k_chunk ("split-K", for products whose K is far larger than M·N, like a filter gradient
// summed over a whole batch); each split stores its own partial result.

const BM: u32 = 64u;
const BN: u32 = 64u;
const BK: u32 = 16u;
// Rows of tile_a are padded to 65 so the 16 invocations storing one column hit 16 memory banks.
const A_STRIDE: u32 = 65u;

var<workgroup> tile_a: array<f32, 1040>; // [kk][row], BK × A_STRIDE
var<workgroup> tile_b: array<f32, 1024>; // [kk][col], BK × BN

@compute @workgroup_size(16, 16, 1)
fn main(
    @builtin(workgroup_id) wg: vec3<u32>,
    @builtin(local_invocation_id) lid: vec3<u32>,
    @builtin(local_invocation_index) li: u32,
) {
    let row0 = wg.y * BM;
    let col0 = wg.x * BN;
    let k_begin = wg.z * params.k_chunk;
    let k_end = min(params.k, k_begin + params.k_chunk);
    let tx = lid.x;
    let ty = lid.y;

    var acc: array<f32, 16>;
    for (var k0 = k_begin; k0 < k_end; k0 += BK) {
        // Each invocation copies 4 values of each slab; out-of-range values are zeros.
        for (var i = 0u; i < 4u; i++) {
            let e = li + i * 256u;
            // A: neighbouring invocations take neighbouring k (A is read along its rows).
            let a_k = e % BK;
            let a_row = e / BK;
            var a = 0.0;
            if row0 + a_row < params.m && k0 + a_k < k_end {
                a = load_a(row0 + a_row, k0 + a_k);
            }
            tile_a[a_k * A_STRIDE + a_row] = a;
            // B: neighbouring invocations take neighbouring columns.
            let b_col = e % BN;
            let b_k = e / BN;
            var b = 0.0;
            if col0 + b_col < params.n && k0 + b_k < k_end {
                b = load_b(k0 + b_k, col0 + b_col);
            }
            tile_b[b_k * BN + b_col] = b;
        }
        workgroupBarrier();
        for (var kk = 0u; kk < BK; kk++) {
            var a: array<f32, 4>;
            var b: array<f32, 4>;
            for (var i = 0u; i < 4u; i++) {
                a[i] = tile_a[kk * A_STRIDE + ty + 16u * i];
                b[i] = tile_b[kk * BN + tx + 16u * i];
            }
            for (var i = 0u; i < 4u; i++) {
                for (var j = 0u; j < 4u; j++) {
                    acc[i * 4u + j] = fma(a[i], b[j], acc[i * 4u + j]);
                }
            }
        }
        workgroupBarrier();
    }

    for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) {
            let row = row0 + ty + 16u * i;
            let col = col0 + tx + 16u * j;
            if row < params.m && col < params.n {
                store_c(row, col, wg.z, acc[i * 4u + j]);
            }
        }
    }
}
