//! Splitting work over the cores. Natively the chunks run on rayon's pool; on wasm32 (no
//! threads) they run one after another. Either way the chunks are the same, so any partial sums
//! kept per chunk and combined in chunk order give bit-identical results on every machine,
//! whatever the number of threads.

/// The most chunks a batch is split into. A fixed number (not the core count) keeps results
/// independent of the machine; a few more than the cores lets the pool balance the load.
pub const MAX_CHUNKS: usize = 8;

/// Work below this many multiply-accumulates (or element operations) runs as one chunk: waking
/// the pool costs a few microseconds.
pub const MIN_WORK_PER_CHUNK: usize = 1 << 16;

/// How many chunks to split `items` items costing `work_per_item` each into.
pub fn chunk_count(items: usize, work_per_item: usize) -> usize {
    let by_work = (items.saturating_mul(work_per_item) / MIN_WORK_PER_CHUNK).max(1);
    by_work.min(items).clamp(1, MAX_CHUNKS)
}

/// Items per chunk when `items` are split into `chunks` consecutive runs.
pub fn chunk_len(items: usize, chunks: usize) -> usize {
    items.div_ceil(chunks.max(1)).max(1)
}

/// Calls `f(i, out_i, state_i)` for consecutive chunks `out_i` of `out` (`chunk` values each,
/// the last may be shorter), paired with `states[i]`. `states` must have at least as many
/// entries as there are chunks.
pub fn zip_chunks<S: Send>(out: &mut [f32], chunk: usize, states: &mut [S], f: impl Fn(usize, &mut [f32], &mut S) + Sync + Send) {
    let chunks = out.len().div_ceil(chunk.max(1));
    assert!(states.len() >= chunks, "zip_chunks: {chunks} chunks but {} states", states.len());
    if chunks <= 1 {
        if let Some(s) = states.first_mut() {
            f(0, out, s);
        }
        return;
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use rayon::prelude::*;
        out.par_chunks_mut(chunk).zip(states.par_iter_mut()).enumerate().for_each(|(i, (o, s))| f(i, o, s));
    }
    #[cfg(target_arch = "wasm32")]
    for (i, (o, s)) in out.chunks_mut(chunk).zip(states.iter_mut()).enumerate() {
        f(i, o, s);
    }
}

/// Calls `f(i, states[i])` for every state, in parallel natively.
pub fn each<S: Send>(states: &mut [S], f: impl Fn(usize, &mut S) + Sync + Send) {
    if states.len() <= 1 {
        if let Some(s) = states.first_mut() {
            f(0, s);
        }
        return;
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use rayon::prelude::*;
        states.par_iter_mut().enumerate().for_each(|(i, s)| f(i, s));
    }
    #[cfg(target_arch = "wasm32")]
    for (i, s) in states.iter_mut().enumerate() {
        f(i, s);
    }
}

/// Calls `f(out_i, offset_i)` on consecutive chunks of `out` of `chunk` values, where
/// `offset_i` is the chunk's first index in `out`; in parallel natively when there are several.
pub fn chunks(out: &mut [f32], chunk: usize, f: impl Fn(&mut [f32], usize) + Sync + Send) {
    let chunk = chunk.max(1);
    if out.len() <= chunk {
        f(out, 0);
        return;
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use rayon::prelude::*;
        out.par_chunks_mut(chunk).enumerate().for_each(|(i, o)| f(o, i * chunk));
    }
    #[cfg(target_arch = "wasm32")]
    for (i, o) in out.chunks_mut(chunk).enumerate() {
        f(o, i * chunk);
    }
}

/// A chunk size for an element-wise pass over `len` values: one chunk when small, else
/// about `MAX_CHUNKS` chunks rounded to a multiple of 64 (whole cache lines and SIMD vectors).
pub fn elementwise_chunk(len: usize) -> usize {
    if len < 4 * MIN_WORK_PER_CHUNK {
        len.max(1)
    } else {
        chunk_len(len, MAX_CHUNKS).next_multiple_of(64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_everything_once() {
        assert_eq!(chunk_count(1, 1_000_000), 1);
        assert_eq!(chunk_count(256, 10), 1);
        assert_eq!(chunk_count(256, 100_000), MAX_CHUNKS);
        let mut v = vec![0.0f32; 1000];
        chunks(&mut v, 64, |o, off| {
            for (k, x) in o.iter_mut().enumerate() {
                *x += (off + k) as f32;
            }
        });
        assert!(v.iter().enumerate().all(|(i, &x)| x == i as f32));
        let mut states = vec![0usize; 4];
        zip_chunks(&mut v, 250, &mut states, |i, o, s| *s = i * 1000 + o.len());
        assert_eq!(states, vec![250, 1250, 2250, 3250]);
    }
}
