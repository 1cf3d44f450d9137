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
// A workgroup of TX×TY invocations computes one BM×BN tile of C (BM = RI·TY, BN = 4·TX). It walks
// K in steps of BK: the invocations copy a BM×BK slab of A and a BK×BN slab of B into workgroup
// memory, then each accumulates its RI×4 outputs (rows ty + TY·i, columns tx + TX·j) as RI vec4
// rows, so each value loaded from memory is used several times by each of many invocations.
// RI is 4, or 2 for the thin tiles of products with at most 8 rows (a 6-channel convolution).
// Workgroup z covers K from z·k_chunk to (z+1)·k_chunk ("split-K", for products whose K is far
// larger than M·N, like a filter gradient summed over a batch); each split stores its own result.

// TILE: the backend substitutes these four lines for each tile shape it compiles.
const TX: u32 = 16u;
const TY: u32 = 16u;
const RI: u32 = 4u;
const BK: u32 = 16u;

// Invocations per workgroup, and the tile's rows and columns.
const NT: u32 = TX * TY;
const BM: u32 = TY * RI;
const BN: u32 = TX * 4u;
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

    // The B column this invocation copies is the same at every step (BN divides NT).
    let b_col = li % BN;
    let col_ok = col0 + b_col < params.n;
    var cinfo = vec4<i32>(0);
    if col_ok {
        cinfo = col_info(col0 + b_col);
    }

    // Row i of this invocation's RI×4 outputs; component j is column tx + TX·j.
    var acc0 = vec4<f32>(0.0);
    var acc1 = vec4<f32>(0.0);
    var acc2 = vec4<f32>(0.0);
    var acc3 = vec4<f32>(0.0);
    for (var k0 = k_begin; k0 < k_end; k0 += BK) {
        if li < BK && k0 + li < k_end {
            ktab[li] = k_info(k0 + li);
        }
        workgroupBarrier();
        // Out-of-range values are zeros. A: neighbouring invocations take neighbouring k.
        for (var e = li; e < BK * BM; e += NT) {
            let a_k = e % BK;
            let a_row = e / BK;
            var a = 0.0;
            if row0 + a_row < params.m && k0 + a_k < k_end {
                a = load_a(row0 + a_row, k0 + a_k, ktab[a_k]);
            }
            tile_a[a_k * A_STRIDE + a_row] = a;
        }
        // B: neighbouring invocations take neighbouring columns.
        for (var e = li; e < BK * BN; e += NT) {
            let b_k = e / BN;
            var b = 0.0;
            if col_ok && k0 + b_k < k_end {
                b = load_b(k0 + b_k, ktab[b_k], col0 + b_col, cinfo);
            }
            tile_b[b_k * BN + b_col] = b;
        }
        workgroupBarrier();
        for (var kk = 0u; kk < BK; kk++) {
            let a = kk * A_STRIDE + ty;
            let b = kk * BN + tx;
            let bv = vec4<f32>(tile_b[b], tile_b[b + TX], tile_b[b + 2u * TX], tile_b[b + 3u * TX]);
            acc0 = fma(vec4<f32>(tile_a[a]), bv, acc0);
            acc1 = fma(vec4<f32>(tile_a[a + TY]), bv, acc1);
            // A constant condition: the compiler keeps or drops these two rows per tile.
            if RI == 4u {
                acc2 = fma(vec4<f32>(tile_a[a + 2u * TY]), bv, acc2);
                acc3 = fma(vec4<f32>(tile_a[a + 3u * TY]), bv, acc3);
            }
        }
        workgroupBarrier();
    }

    // A var, not a let: WGSL indexes arrays held in memory with run-time indices.
    var acc = array<vec4<f32>, 4>(acc0, acc1, acc2, acc3);
    for (var i = 0u; i < RI; i++) {
        for (var j = 0u; j < 4u; j++) {
            let row = row0 + ty + TY * i;
            let col = col0 + tx + TX * j;
            if row < params.m && col < params.n {
                store_c(row, col, wg.z, acc[i][j]);
            }
        }
    }
}
