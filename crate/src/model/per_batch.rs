//! Buffers sized for a batch, kept for each batch size a run keeps coming back to.
//!
//! A run switches between up to four batch sizes: its own, the smaller last batch of an epoch,
//! `EVAL_BATCH` for the evaluation at the epoch's end and the evaluation's own last batch.
//! Reallocating at every switch would create and drop a few dozen buffers per epoch; in the
//! browser each one is a `GPUBuffer` left to the garbage collector, and an hour of training
//! piles them up. Keeping the sets (as many as fit the memory budget) makes every switch after
//! the first epoch allocate nothing.

/// How many sets are kept at most: the four sizes above.
pub const KEPT: usize = 4;

/// The set for the current batch size first, then the others, most recently used first.
pub struct PerBatch<T> {
    sets: Vec<(usize, T)>,
}

impl<T> Default for PerBatch<T> {
    fn default() -> Self {
        PerBatch { sets: Vec::new() }
    }
}

impl<T> PerBatch<T> {
    /// The current batch size (0 before the first `switch`).
    pub fn batch(&self) -> usize {
        self.sets.first().map_or(0, |(n, _)| *n)
    }

    /// The batch sizes held, the current one first.
    pub fn sizes(&self) -> Vec<usize> {
        self.sets.iter().map(|(n, _)| *n).collect()
    }

    pub fn get(&self) -> Option<&T> {
        self.sets.first().map(|(_, t)| t)
    }

    pub fn get_mut(&mut self) -> Option<&mut T> {
        self.sets.first_mut().map(|(_, t)| t)
    }

    /// Make `n` the current size: a kept set of that size comes back, else `make` builds one
    /// (after the sets that would not fit beside it are dropped). `fits(sizes)` says whether sets
    /// of all these sizes fit in memory together; the least recently used go first.
    pub fn switch(&mut self, n: usize, fits: impl Fn(&[usize]) -> bool, make: impl FnOnce() -> T) {
        if self.batch() == n {
            return;
        }
        if let Some(i) = self.sets.iter().position(|(m, _)| *m == n) {
            let set = self.sets.remove(i);
            self.sets.insert(0, set);
            return;
        }
        self.sets.truncate(KEPT - 1);
        while !self.sets.is_empty() && !fits(&[&[n][..], &self.sizes()].concat()) {
            self.sets.pop();
        }
        self.sets.insert(0, (n, make()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_of_four_sizes_makes_each_set_once() {
        let mut made = Vec::new();
        let mut s = PerBatch::default();
        // Training batches of 256 with a last one of 64, evaluation in 500s with a last of 250.
        for _epoch in 0..3 {
            for n in [256, 256, 64, 500, 250] {
                s.switch(n, |_| true, || {
                    made.push(n);
                    vec![0.0f32; n]
                });
                assert_eq!(s.get().map(Vec::len), Some(n));
            }
        }
        assert_eq!(made, [256, 64, 500, 250]);
        assert_eq!(s.sizes(), [250, 500, 64, 256]);
    }

    #[test]
    fn sets_that_do_not_fit_beside_the_new_one_are_dropped_first() {
        let mut made = 0;
        let mut s = PerBatch::default();
        // Memory for 580 examples in all: 64 and 500 fit together, a third set beside them does not.
        let fits = |sizes: &[usize]| sizes.iter().sum::<usize>() <= 580;
        for n in [64, 500, 64, 32] {
            s.switch(n, fits, || {
                made += 1;
                n
            });
        }
        assert_eq!(made, 3);
        assert_eq!(s.sizes(), [32, 64]);
    }
}
