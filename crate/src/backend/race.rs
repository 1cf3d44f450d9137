//! The race that picks the faster backend for the network at hand (issue 15). With a real GPU
//! the page does not guess: it times a few training steps of the current network at the current
//! batch size on the CPU backend and on the GPU, and trains on the faster. A small network at a
//! small batch can be faster on the CPU (every GPU step pays for its dispatches), a large one on
//! the GPU. This module is the decision only — plain numbers in, a choice out — so it is tested
//! without any device; `training_run` runs the laps and asks it.

use serde::Serialize;

/// One backend or the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Cpu,
    Gpu,
}

/// At most this many timed steps per backend, after the warm-up (`warm`).
pub const MAX_STEPS: u32 = 16;
/// What the timed steps of one backend may cost, going by its warm-up step: a race costs well
/// under a second with a real GPU, and stays short on a network whose steps are slow.
pub const LAP_BUDGET_MS: f64 = 150.0;

/// At most this many warm-up steps per backend, and at most this long warming up (ms).
pub const MAX_WARMUP_STEPS: u32 = 8;
pub const WARMUP_BUDGET_MS: f64 = 300.0;

/// Whether a lap is warm after a warm-up step that took `step_ms`, the one before it
/// `previous_ms` (`None` after the first), `steps` warm-up steps and `elapsed_ms` in all. A fresh
/// engine is slow at first for reasons that pass: the GPU builds its pipelines and buffers, and a
/// browser runs new WebAssembly code unoptimised until it has run a while (a fresh worker's first
/// steps take 2–6 times as long as its later ones). Timing those steps would make the CPU look
/// slower than it trains. So warming goes on while a step is still clearly faster than the one
/// before (by more than a tenth), within the step count and the time budget.
pub fn warm(previous_ms: Option<f64>, step_ms: f64, steps: u32, elapsed_ms: f64) -> bool {
    let settled = previous_ms.is_some_and(|p| !(step_ms < 0.9 * p));
    settled || steps >= MAX_WARMUP_STEPS || !(elapsed_ms < WARMUP_BUDGET_MS)
}

/// How many steps to time after a warm-up step that took `warmup_ms`: as many as fit the lap's
/// budget, between one and `MAX_STEPS`. (The warm-up also builds the GPU's pipelines and every
/// buffer, so it is slower than the steps it predicts: the budget errs towards more steps.)
pub fn timed_steps(warmup_ms: f64) -> u32 {
    if warmup_ms.is_nan() || warmup_ms <= 0.0 {
        return MAX_STEPS;
    }
    (LAP_BUDGET_MS / warmup_ms).floor().clamp(1.0, MAX_STEPS as f64) as u32
}

/// Timed steps of one backend, ended by a read that waits for the device to finish them.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Lap {
    pub steps: u32,
    pub examples: usize,
    pub ms: f64,
    /// The last warm-up step before them (not counted in the speed).
    pub warmup_ms: f64,
    /// How many warm-up steps there were (`warm`).
    pub warmup_steps: u32,
}

impl Lap {
    /// Training examples per second over the timed steps (a lap too short for the clock to see
    /// counts as a millisecond).
    pub fn examples_per_second(&self) -> f64 {
        self.examples as f64 * 1000.0 / self.ms.max(1e-3)
    }
}

/// The faster backend. The GPU must be strictly faster: a tie, or a figure that is not a number,
/// keeps the CPU, the path that always works.
pub fn winner(cpu_examples_per_second: f64, gpu_examples_per_second: f64) -> Side {
    if gpu_examples_per_second > cpu_examples_per_second {
        Side::Gpu
    } else {
        Side::Cpu
    }
}

/// What a race measures a network by: the same size at the same batch runs at the same speed,
/// so a rebuild with another activation or fresh weights is not raced again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Size {
    pub params: u64,
    pub macs: u64,
    pub batch: usize,
}

/// Whether a network of `size` needs a race, given the size the last race measured.
pub fn again(last: Option<&Size>, size: &Size) -> bool {
    last != Some(size)
}

/// A race's outcome, as the page shows it: both speeds, the winner, and what the race cost.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Race {
    /// Examples per second on each backend.
    pub cpu: f64,
    pub gpu: f64,
    pub winner: Side,
    /// The whole race, warm-ups and building the two copies included, in milliseconds.
    pub ms: f64,
    pub cpu_lap: Lap,
    pub gpu_lap: Lap,
    /// The workers that shared each of the CPU's batches (1: the CPU lap trained alone).
    pub cpu_workers: usize,
    #[serde(flatten)]
    pub size: Size,
}

impl Race {
    pub fn new(cpu_lap: Lap, gpu_lap: Lap, cpu_workers: usize, ms: f64, size: Size) -> Race {
        let (cpu, gpu) = (cpu_lap.examples_per_second(), gpu_lap.examples_per_second());
        Race { cpu, gpu, winner: winner(cpu, gpu), ms, cpu_lap, gpu_lap, cpu_workers, size }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lap(steps: u32, examples: usize, ms: f64) -> Lap {
        Lap { steps, examples, ms, warmup_ms: ms / steps as f64, warmup_steps: 1 }
    }

    #[test]
    fn the_faster_backend_wins_and_a_tie_or_a_broken_figure_keeps_the_cpu() {
        assert_eq!(winner(8_500.0, 41_000.0), Side::Gpu);
        assert_eq!(winner(8_500.0, 40.0), Side::Cpu);
        assert_eq!(winner(8_500.0, 8_500.0), Side::Cpu);
        assert_eq!(winner(8_500.0, f64::NAN), Side::Cpu);
        assert_eq!(winner(f64::NAN, 41_000.0), Side::Cpu);
    }

    #[test]
    fn a_lap_counts_examples_per_second_of_its_timed_steps() {
        // 3 steps of 64 in 24 ms: 192 examples in 0.024 s.
        assert_eq!(lap(3, 192, 24.0).examples_per_second(), 8_000.0);
        assert!(lap(1, 64, 0.0).examples_per_second().is_finite(), "a lap the clock did not see");
        let r = Race::new(lap(3, 192, 24.0), lap(3, 192, 4.8), 1, 40.0, Size { params: 61_706, macs: 429_000, batch: 64 });
        assert_eq!((r.cpu, r.gpu, r.winner), (8_000.0, 40_000.0, Side::Gpu));
    }

    #[test]
    fn warming_goes_on_while_steps_still_get_faster_within_its_budget() {
        // A fresh worker: 93, 33, 15, 15 ms — warm at the fourth step, not before.
        assert!(!warm(None, 93.0, 1, 93.0));
        assert!(!warm(Some(93.0), 33.0, 2, 126.0));
        assert!(!warm(Some(33.0), 15.0, 3, 141.0));
        assert!(warm(Some(15.0), 15.0, 4, 156.0));
        // A step a little faster, or slower, than the last: warm.
        assert!(warm(Some(10.0), 9.5, 2, 20.0));
        assert!(warm(Some(10.0), 12.0, 2, 22.0));
        // A GPU whose first step compiles for seconds: the budget ends the warm-up.
        assert!(warm(None, 4_000.0, 1, 4_000.0));
        // Steps that keep getting faster stop at the step count.
        assert!(!warm(Some(20.0), 10.0, MAX_WARMUP_STEPS - 1, 30.0));
        assert!(warm(Some(20.0), 10.0, MAX_WARMUP_STEPS, 30.0));
        // A figure that is not a number ends the warm-up rather than looping on it.
        assert!(warm(Some(10.0), f64::NAN, 2, 20.0));
        assert!(warm(None, 5.0, 1, f64::NAN));
    }

    #[test]
    fn slow_warm_ups_time_fewer_steps_never_none() {
        assert_eq!(timed_steps(8.0), 16);
        assert_eq!(timed_steps(10.0), 15);
        assert_eq!(timed_steps(50.0), 3);
        assert_eq!(timed_steps(60.0), 2);
        assert_eq!(timed_steps(100.0), 1);
        assert_eq!(timed_steps(1_000.0), 1);
        assert_eq!(timed_steps(0.0), MAX_STEPS);
        assert_eq!(timed_steps(f64::NAN), MAX_STEPS);
    }

    #[test]
    fn a_network_is_raced_again_only_when_its_size_or_batch_changes() {
        let lenet = Size { params: 61_706, macs: 429_000, batch: 64 };
        assert!(again(None, &lenet), "the first network");
        assert!(!again(Some(&lenet), &lenet), "a rebuild of the same size (another activation)");
        assert!(again(Some(&lenet), &Size { batch: 128, ..lenet }), "another batch size");
        assert!(again(Some(&lenet), &Size { params: 100_000, macs: 900_000, ..lenet }), "another network");
    }
}
