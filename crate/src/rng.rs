//! One seed drives every random choice (initialisation, shuffling, dropout, augmentation), so
//! the same seed gives the same run bit for bit. We use our own small generators instead of a
//! crate so the streams are identical on every platform (native, wasm) and every version.

/// SplitMix64: a tiny, well-mixed 64-bit generator (Steele, Lea, Flood 2014).
#[derive(Clone, Debug)]
pub struct Rng {
    state: u64,
}

/// Which part of a run a random stream belongs to. Each gets its own stream derived from the
/// run's seed, so e.g. changing the dropout rate does not change the initial weights.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Init = 1,
    Shuffle = 2,
    Dropout = 3,
    Augment = 4,
    Data = 5,
    /// Which training examples are held out for validation (and kept for a small training set).
    Holdout = 6,
}

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng { state: seed }
    }

    /// The generator for one stream of a run.
    pub fn stream(seed: u64, stream: Stream) -> Self {
        Rng::new(mix64(seed ^ (stream as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.state)
    }

    /// Uniform in [0, 1) with 24 bits of precision (every value exactly representable in f32).
    pub fn uniform(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 * (1.0 / (1u64 << 24) as f32)
    }

    /// Uniform in [lo, hi).
    pub fn uniform_range(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * self.uniform()
    }

    /// Standard normal by Box–Muller (one value per call; simple and exact enough for init).
    pub fn normal(&mut self) -> f32 {
        // u1 in (0, 1] so ln(u1) is finite.
        let u1 = 1.0 - ((self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64));
        let u2 = (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
        ((-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()) as f32
    }

    /// Uniform integer in [0, n).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 32) * n as u64 >> 32) as usize
    }

    /// Fisher–Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// The SplitMix64 finaliser: a bijective 64-bit mix.
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A counter-based uniform in [0, 1) for element `index` of draw `key`: the value depends only
/// on (key, index), never on the order of evaluation. Dropout masks use it so that the CPU and a
/// GPU kernel (which computes every element in parallel) draw exactly the same mask.
pub fn hash_uniform(key: u32, index: u32) -> f32 {
    // PCG-style 32-bit hash (Jarzynski & Olano, "Hash Functions for GPU Rendering", 2020):
    // cheap in WGSL, which has no 64-bit integers.
    let mut s = index.wrapping_mul(747_796_405).wrapping_add(2_891_336_453) ^ key.wrapping_mul(0x9E37_79B9);
    s = s.wrapping_mul(747_796_405).wrapping_add(2_891_336_453);
    let word = ((s >> ((s >> 28) + 4)) ^ s).wrapping_mul(277_803_737);
    let h = (word >> 22) ^ word;
    (h >> 8) as f32 * (1.0 / (1u32 << 24) as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_streams_differ() {
        let a: Vec<u64> = (0..5).map({ let mut r = Rng::stream(7, Stream::Init); move |_| r.next_u64() }).collect();
        let b: Vec<u64> = (0..5).map({ let mut r = Rng::stream(7, Stream::Init); move |_| r.next_u64() }).collect();
        let c: Vec<u64> = (0..5).map({ let mut r = Rng::stream(7, Stream::Shuffle); move |_| r.next_u64() }).collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn uniform_and_normal_have_the_right_moments() {
        let mut r = Rng::new(42);
        let n = 200_000;
        let (mut su, mut sn, mut sn2) = (0.0f64, 0.0f64, 0.0f64);
        for _ in 0..n {
            let u = r.uniform();
            assert!((0.0..1.0).contains(&u));
            su += u as f64;
            let z = r.normal() as f64;
            sn += z;
            sn2 += z * z;
        }
        let n = n as f64;
        assert!((su / n - 0.5).abs() < 0.005, "uniform mean {}", su / n);
        assert!((sn / n).abs() < 0.01, "normal mean {}", sn / n);
        assert!((sn2 / n - 1.0).abs() < 0.02, "normal variance {}", sn2 / n);
    }

    #[test]
    fn hash_uniform_is_uniform_and_keyed() {
        let n = 100_000u32;
        let mean: f64 = (0..n).map(|i| hash_uniform(3, i) as f64).sum::<f64>() / n as f64;
        assert!((mean - 0.5).abs() < 0.01, "mean {mean}");
        let same = (0..1000).filter(|&i| hash_uniform(3, i) == hash_uniform(4, i)).count();
        assert!(same < 5, "keys 3 and 4 agree on {same} of 1000");
    }
}
