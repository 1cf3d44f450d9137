// The tiled matrix product every dense layer and convolution goes through:
//
//   C[m, n] = Σ_k A[m, k] · B[k, n]        A: M×K, B: K×N, C: M×N
//
// This file is the shared main loop. It is appended to a file that says where A, B and C live
// (dense.wgsl, conv2d_forward.wgsl, …), which must define:
//   struct Params { m: u32, n: u32, k: u32, k_chunk: u32, … }  bound as `params`
//   fn k_info(kk: u32) -> vec4<i32>          what A and B need to know about index kk of the sum
//   fn col_info(col: u32) -> vec4<i32>       what B needs to know about column col
//   fn load_a(row: u32, kk: u32, ki: vec4<i32>) -> f32                 (row < m, kk < k)
//   fn load_b(kk: u32, ki: vec4<i32>, col: u32, ci: vec4<i32>) -> f32   (kk < k, col < n)
//   fn store_c(row: u32, col: u32, split: u32, value: f32)             (row < m, col < n)
// For a convolution, k_info and col_info split an index into (channel, row, column) offsets:
// integer division is slow on GPUs and very slow on a CPU emulating one, so each division is
// done once per tile step (k_info, for 16 values of k, shared through workgroup memory) or once
// per invocation (col_info), never per loaded value.
//
// A workgroup of TX×TY = 256 invocations computes one BM×BN tile of C (BM = TY·TM, BN = TX·TN).
// It walks K in steps of BK: the invocations copy a BM×BK slab of A and a BK×BN slab of B into
// workgroup memory, then each accumulates its TM×TN outputs (rows ty + TY·i, columns tx + TX·j),
// so each value loaded from memory is used TM or TN times by each of many invocations.
// Workgroup z covers K from z·k_chunk to (z+1)·k_chunk ("split-K", for products whose K is far
// larger than M·N, like a filter gradient summed over a batch); each split stores its own result.

// TILE: the backend substitutes these five lines for each tile shape it compiles.
const TX: u32 = 16u;
const TY: u32 = 16u;
const TM: u32 = 4u;
const TN: u32 = 4u;
const BK: u32 = 16u;

const BM: u32 = TY * TM;
const BN: u32 = TX * TN;
// Rows of tile_a are padded by one, so invocations storing one column hit different banks.
const A_STRIDE: u32 = BM + 1u;

var<workgroup> tile_a: array<f32, BK * A_STRIDE>; // [kk][row]
var<workgroup> tile_b: array<f32, BK * BN>; // [kk][col]
var<workgroup> ktab: array<vec4<i32>, BK>;

@compute @workgroup_size(TX, TY, 1)
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

    // The B column this invocation copies is the same at every step (BN divides 256).
    let b_col = li % BN;
    let col_ok = col0 + b_col < params.n;
    var cinfo = vec4<i32>(0);
    if col_ok {
        cinfo = col_info(col0 + b_col);
    }

    var acc: array<f32, TM * TN>;
    for (var k0 = k_begin; k0 < k_end; k0 += BK) {
        if li < BK && k0 + li < k_end {
            ktab[li] = k_info(k0 + li);
        }
        workgroupBarrier();
        // Out-of-range values are zeros. A: neighbouring invocations take neighbouring k.
        for (var e = li; e < BK * BM; e += 256u) {
            let a_k = e % BK;
            let a_row = e / BK;
            var a = 0.0;
            if row0 + a_row < params.m && k0 + a_k < k_end {
                a = load_a(row0 + a_row, k0 + a_k, ktab[a_k]);
            }
            tile_a[a_k * A_STRIDE + a_row] = a;
        }
        // B: neighbouring invocations take neighbouring columns.
        for (var e = li; e < BK * BN; e += 256u) {
            let b_k = e / BN;
            var b = 0.0;
            if col_ok && k0 + b_k < k_end {
                b = load_b(k0 + b_k, ktab[b_k], col0 + b_col, cinfo);
            }
            tile_b[b_k * BN + b_col] = b;
        }
        workgroupBarrier();
        for (var kk = 0u; kk < BK; kk++) {
            var a: array<f32, TM>;
            var b: array<f32, TN>;
            for (var i = 0u; i < TM; i++) {
                a[i] = tile_a[kk * A_STRIDE + ty + TY * i];
            }
            for (var j = 0u; j < TN; j++) {
                b[j] = tile_b[kk * BN + tx + TX * j];
            }
            for (var i = 0u; i < TM; i++) {
                for (var j = 0u; j < TN; j++) {
                    acc[i * TN + j] = fma(a[i], b[j], acc[i * TN + j]);
                }
            }
        }
        workgroupBarrier();
    }

    for (var i = 0u; i < TM; i++) {
        for (var j = 0u; j < TN; j++) {
            let row = row0 + ty + TY * i;
            let col = col0 + tx + TX * j;
            if row < params.m && col < params.n {
                store_c(row, col, wg.z, acc[i * TN + j]);
            }
        }
    }
}
