//! Is a run still learning? One detector, used by `Trainer::fit` (the CLI) and by `Session` (the
//! page's worker), reads the training metrics as they come and names the three ways a run fails:
//!
//! - **the loss is not a number** (NaN or infinite): the weights blew up;
//! - **the loss rose far above where it started**: every step overshoots, so each makes things
//!   worse — the learning rate is too high;
//! - **the loss is stuck at chance**: the loss of guessing (`LossKind::chance`: ln K, 2.30 for
//!   ten classes, with cross-entropy; (K − 1)/K², 0.09, with MSE) with the accuracy of guessing,
//!   for thousands of examples. A run that had learned and fell back there has *collapsed*: a
//!   step too large pushed the weights where every input gives the same output (ReLUs that
//!   never fire again, saturated sigmoids). A run that never left chance is *not learning* —
//!   yet: sigmoid networks sit there for epochs before they start, so this one is a warning for
//!   a run someone watches (`Failure::is_fatal`), and waits three epochs.
//!
//! Each rule counts examples, not reads, so it judges a run the same way whether its metrics are
//! read every few steps (the page) or every ten batches (the CLI).

use crate::message::{Explain, Message};
use crate::train::{LossKind, Metrics};

/// How a run failed, with the figures that show it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Failure {
    /// The loss became NaN or infinite.
    NotFinite { loss: f32 },
    /// The loss rose as far as `loss` (the highest read while it stayed up), far above `start`,
    /// where the run began.
    RoseFar { loss: f32, start: f32 },
    /// The run had reached `best` accuracy, then sat at chance (`loss`, `accuracy`; guessing's
    /// loss is `chance`) for `examples` examples.
    Collapsed { loss: f32, accuracy: f32, best: f32, examples: usize, chance: f32 },
    /// The run never left chance in `examples` examples.
    NotLearning { loss: f32, accuracy: f32, examples: usize, chance: f32 },
}

impl Failure {
    /// Whether the run is over. A run that is not learning *yet* may still start (a sigmoid
    /// network at a small learning rate sits at chance for epochs): a page that is watched can
    /// say so and carry on; a run nobody watches (the CLI) stops.
    pub fn is_fatal(&self) -> bool {
        !matches!(self, Failure::NotLearning { .. })
    }
}

/// How many examples a rule must hold for before it fails a run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Patience {
    /// Far above the start: long enough that one bad batch is not a verdict.
    pub rose_far: usize,
    /// At chance after having learned.
    pub collapsed: usize,
    /// At chance from the start. Slow starters (sigmoid networks, small learning rates) sit near
    /// chance for a while before they learn, so this one waits longest.
    pub not_learning: usize,
}

impl Patience {
    /// Counts for a training set of `train_len` examples: the not-learning rule waits three
    /// epochs (at least 24,000 examples), the others a few hundred to a few thousand examples.
    pub fn for_dataset(train_len: usize) -> Patience {
        Patience { rose_far: 500, collapsed: 3_000, not_learning: (3 * train_len).max(24_000) }
    }
}

/// The detector: feed it every metrics read of a run, in order.
#[derive(Clone, Debug)]
pub struct Health {
    /// The loss of guessing among K classes (`LossKind::chance`).
    chance_loss: f32,
    /// 1/K: the accuracy of guessing.
    chance_accuracy: f32,
    patience: Patience,
    start: Option<f32>,
    best_accuracy: f32,
    /// Examples in a row for which each rule has held, and the highest loss of the first streak.
    rose_far: usize,
    peak: f32,
    at_chance: usize,
}

/// Accuracy at or above this much means the run has learned something (five times chance for ten
/// classes).
const LEARNED: f32 = 0.5;

impl Health {
    /// A detector for a run of a classifier of `classes` classes trained with `loss`.
    pub fn new(classes: usize, loss: LossKind, patience: Patience) -> Health {
        let k = classes.max(2) as f32;
        Health {
            chance_loss: loss.chance(classes),
            chance_accuracy: 1.0 / k,
            patience,
            start: None,
            best_accuracy: 0.0,
            rose_far: 0,
            peak: 0.0,
            at_chance: 0,
        }
    }

    /// The run goes on with another loss, whose numbers mean something else: judge it from the
    /// next read on as a run that starts there (the best accuracy reached is kept).
    pub fn set_loss(&mut self, classes: usize, loss: LossKind) {
        self.chance_loss = loss.chance(classes);
        self.start = None;
        self.rose_far = 0;
        self.peak = 0.0;
        self.at_chance = 0;
    }

    /// Where the run starts, when it is known before the first step (an evaluation of the
    /// network it starts from): a trained network that falls to chance has collapsed, even if
    /// the first read already finds it there.
    pub fn baseline(&mut self, m: &Metrics) {
        if m.loss.is_finite() && m.examples > 0 {
            self.start = Some(m.loss);
            self.best_accuracy = self.best_accuracy.max(m.accuracy);
        }
    }

    /// Judge one read (the mean loss and accuracy of `m.examples` examples).
    pub fn observe(&mut self, m: &Metrics) -> Result<(), Failure> {
        if !m.loss.is_finite() {
            return Err(Failure::NotFinite { loss: m.loss });
        }
        if m.examples == 0 {
            return Ok(());
        }
        let start = *self.start.get_or_insert(m.loss);
        // "Far above": worse than the start by more than the loss of guessing, and at least
        // double it — a trained network (start 0.05) that gets worse than chance, or a fresh one
        // (start 2.3) whose loss passes 4.6.
        if m.loss > (start + self.chance_loss).max(2.0 * start) {
            self.rose_far += m.examples;
            self.peak = self.peak.max(m.loss);
            if self.rose_far >= self.patience.rose_far {
                return Err(Failure::RoseFar { loss: self.peak, start });
            }
        } else {
            self.rose_far = 0;
            self.peak = 0.0;
        }
        // "At chance": the loss of guessing (or worse) and at most half again guessing's accuracy
        // (a network that answers one class for everything scores about 1/K).
        if m.loss >= 0.95 * self.chance_loss && m.accuracy <= 1.5 * self.chance_accuracy {
            self.at_chance += m.examples;
        } else {
            self.at_chance = 0;
        }
        if self.best_accuracy >= LEARNED && self.at_chance >= self.patience.collapsed {
            return Err(Failure::Collapsed { loss: m.loss, accuracy: m.accuracy, best: self.best_accuracy, examples: self.at_chance, chance: self.chance_loss });
        }
        if self.best_accuracy < LEARNED && self.at_chance >= self.patience.not_learning {
            return Err(Failure::NotLearning { loss: m.loss, accuracy: m.accuracy, examples: self.at_chance, chance: self.chance_loss });
        }
        self.best_accuracy = self.best_accuracy.max(m.accuracy);
        Ok(())
    }
}

/// The sentences of a failed run. Each ends with what to do.
pub mod text {
    crate::templates! {
        NOT_FINITE = "health.notFinite": "training stopped at epoch {epoch}, batch {batch}: the loss became {loss}, so the weights have blown up. The learning rate ({lr}) is too high for this optimizer: lower it (try a tenth) and reset";
        ROSE_FAR = "health.roseFar": "training stopped at epoch {epoch}, batch {batch}: the loss rose to {loss}, far above where it started ({start}). Each step overshoots and makes things worse: the learning rate ({lr}) is too high for this optimizer. Lower it (try a tenth) and reset";
        COLLAPSED = "health.collapsed": "training stopped at epoch {epoch}, batch {batch}: the network had reached {best} accuracy, then for {examples} examples its loss stayed at {loss} (guessing gives {chance}) and its accuracy at {accuracy}. It has collapsed: steps too large pushed the weights where every input gives the same answer, and it cannot climb back. The learning rate ({lr}) is too high: lower it (try a tenth) and reset";
        NOT_LEARNING = "health.notLearning": "epoch {epoch}, batch {batch}: after {examples} examples the loss is still {loss} (guessing gives {chance}) and the accuracy {accuracy}: the network is not learning. The learning rate ({lr}) may be too high (every step overshoots) or too low, or the signal may vanish (sigmoid with small initial weights). Change one of them and reset";
    }
}

/// A number for a sentence: four significant digits, plain decimals, thousands grouped
/// (8,502,409).
fn figure(v: f32) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    let digits = (4 - 1 - v.abs().max(1e-30).log10().floor() as i32).clamp(0, 6) as usize;
    let s = format!("{v:.digits$}");
    let (int, frac) = s.split_once('.').map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let (sign, int) = int.strip_prefix('-').map_or(("", int), |i| ("-", i));
    let mut grouped = String::new();
    for (k, ch) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped}{}", frac.map_or(String::new(), |f| format!(".{f}")))
}

fn percent(v: f32) -> String {
    format!("{:.1}%", v * 100.0)
}

/// A failure as the sentence the CLI prints and the page translates. `epoch` counts from 0 (the
/// sentence counts from 1, as the progress lines do); `batch` is the batches done in it.
pub fn explain(failure: &Failure, epoch: usize, batch: usize, lr: f32) -> Message {
    use text::*;
    let base = |t| Message::new(t).with("epoch", epoch + 1).with("batch", batch).with("lr", lr);
    match *failure {
        Failure::NotFinite { loss } => base(NOT_FINITE).with("loss", loss),
        Failure::RoseFar { loss, start } => base(ROSE_FAR).with("loss", figure(loss)).with("start", figure(start)),
        Failure::Collapsed { loss, accuracy, best, examples, chance } => base(COLLAPSED)
            .with("best", percent(best))
            .with("examples", examples)
            .with("loss", figure(loss))
            .with("chance", figure(chance))
            .with("accuracy", percent(accuracy)),
        Failure::NotLearning { loss, accuracy, examples, chance } => {
            base(NOT_LEARNING).with("examples", examples).with("loss", figure(loss)).with("chance", figure(chance)).with("accuracy", percent(accuracy))
        }
    }
}

impl Explain for Failure {
    /// Without the position in the run (for tests and logs).
    fn message(&self) -> Message {
        explain(self, 0, 0, f32::NAN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(loss: f32, accuracy: f32, examples: usize) -> Metrics {
        Metrics { loss, accuracy, examples }
    }

    fn patience() -> Patience {
        Patience { rose_far: 500, collapsed: 3_000, not_learning: 24_000 }
    }

    /// Feed `reads` until one fails; the failure and the read it came at.
    fn first_failure(h: &mut Health, reads: impl IntoIterator<Item = Metrics>) -> Option<(usize, Failure)> {
        reads.into_iter().enumerate().find_map(|(i, m)| h.observe(&m).err().map(|f| (i, f)))
    }

    #[test]
    fn a_run_that_learns_is_left_alone() {
        let mut h = Health::new(10, LossKind::CrossEntropy, patience());
        // Starts at chance for 10,000 examples (a slow sigmoid start), then learns.
        let slow_start = (0..10).map(|_| read(2.30, 0.10, 1_000));
        let learning = (0..200).map(|i| read(2.2 - i as f32 * 0.01, 0.2 + i as f32 * 0.003, 1_000));
        assert_eq!(first_failure(&mut h, slow_start.chain(learning)), None);
    }

    #[test]
    fn a_loss_that_is_not_a_number_fails_at_once() {
        let mut h = Health::new(10, LossKind::CrossEntropy, patience());
        assert_eq!(h.observe(&read(0.5, 0.9, 64)), Ok(()));
        assert!(matches!(h.observe(&read(f32::NAN, 0.0, 64)), Err(Failure::NotFinite { loss }) if loss.is_nan()));
        assert!(matches!(h.observe(&read(f32::INFINITY, 0.0, 64)), Err(Failure::NotFinite { .. })));
    }

    #[test]
    fn a_loss_that_rises_far_above_its_start_fails_once_it_has_held() {
        let mut h = Health::new(10, LossKind::CrossEntropy, patience());
        // A trained network (loss 0.05) with a learning rate far too high.
        let reads = [read(0.05, 0.99, 256), read(1.0, 0.7, 256), read(5e4, 0.3, 256), read(40.0, 0.1, 256)];
        let (at, f) = first_failure(&mut h, reads).expect("fails");
        assert_eq!(at, 3, "one read of 256 examples above the bar is not yet a verdict");
        assert_eq!(f, Failure::RoseFar { loss: 5e4, start: 0.05 }, "the sentence names the highest loss");
    }

    #[test]
    fn a_spike_that_recovers_is_not_a_failure() {
        let mut h = Health::new(10, LossKind::CrossEntropy, patience());
        let reads = [read(2.3, 0.1, 256), read(6.0, 0.1, 256), read(1.9, 0.3, 256), read(6.0, 0.2, 256), read(1.5, 0.5, 256)];
        assert_eq!(first_failure(&mut h, reads), None);
    }

    #[test]
    fn a_run_that_learned_then_fell_to_chance_has_collapsed() {
        let mut h = Health::new(10, LossKind::CrossEntropy, patience());
        let learned = (0..5).map(|_| read(0.1, 0.97, 1_000));
        let fallen = (0..10).map(|_| read(2.3026, 0.112, 1_000));
        let (at, f) = first_failure(&mut h, learned.chain(fallen)).expect("fails");
        assert_eq!(at, 7, "after 3,000 examples at chance");
        assert_eq!(f, Failure::Collapsed { loss: 2.3026, accuracy: 0.112, best: 0.97, examples: 3_000, chance: 10f32.ln() });
    }

    #[test]
    fn a_trained_start_that_falls_at_once_has_collapsed() {
        let mut h = Health::new(10, LossKind::CrossEntropy, patience());
        h.baseline(&read(0.04, 0.986, 2_000));
        let (_, f) = first_failure(&mut h, (0..10).map(|_| read(2.31, 0.11, 1_000))).expect("fails");
        assert!(matches!(f, Failure::Collapsed { best, .. } if best == 0.986), "{f:?}");
    }

    #[test]
    fn a_run_that_never_leaves_chance_is_not_learning() {
        let mut h = Health::new(10, LossKind::CrossEntropy, patience());
        let (at, f) = first_failure(&mut h, (0..100).map(|_| read(2.31, 0.1, 1_000))).expect("fails");
        assert_eq!(at, 23);
        assert_eq!(f, Failure::NotLearning { loss: 2.31, accuracy: 0.1, examples: 24_000, chance: 10f32.ln() });
    }

    /// MSE on one-hot targets starts near 1/K (outputs near 0) and its chance level is
    /// (K − 1)/K², far below ln K: a run that learns is left alone, one stuck there is named,
    /// with guessing's MSE in its sentence.
    #[test]
    fn an_mse_run_is_judged_against_the_mse_of_guessing() {
        assert!((LossKind::Mse.chance(10) - 0.09).abs() < 1e-7);
        let mut h = Health::new(10, LossKind::Mse, patience());
        let learning = (0..100).map(|i| read(0.1 - i as f32 * 0.0005, 0.1 + i as f32 * 0.008, 1_000));
        assert_eq!(first_failure(&mut h, learning), None);
        let mut h = Health::new(10, LossKind::Mse, patience());
        let (_, f) = first_failure(&mut h, (0..100).map(|_| read(0.0905, 0.1, 1_000))).expect("fails");
        assert_eq!(f, Failure::NotLearning { loss: 0.0905, accuracy: 0.1, examples: 24_000, chance: 0.09 });
        assert!(f.message().to_string().contains("guessing gives 0.09000"), "{}", f.message());
        // A cross-entropy detector would have called the falling MSE run's first reads fine and
        // never seen one stuck at 0.09 (far below ln 10): the chance level must follow the loss.
        let mut ce = Health::new(10, LossKind::CrossEntropy, patience());
        assert_eq!(first_failure(&mut ce, (0..100).map(|_| read(0.0905, 0.1, 1_000))), None);
    }

    #[test]
    fn changing_the_loss_changes_the_chance_level() {
        let mut h = Health::new(10, LossKind::CrossEntropy, patience());
        assert_eq!(h.observe(&read(2.3, 0.1, 1_000)), Ok(()));
        h.set_loss(10, LossKind::Mse);
        let (_, f) = first_failure(&mut h, (0..100).map(|_| read(0.0905, 0.1, 1_000))).expect("fails");
        assert!(matches!(f, Failure::NotLearning { chance, .. } if chance == LossKind::Mse.chance(10)), "{f:?}");
    }

    #[test]
    fn the_sentences_name_the_figures() {
        let f = Failure::Collapsed { loss: 2.30259, accuracy: 0.1125, best: 0.981, examples: 3_200, chance: 10f32.ln() };
        let s = explain(&f, 2, 17, 1.0).to_string();
        assert!(s.contains("epoch 3, batch 17") && s.contains("98.1%") && s.contains("3200 examples"), "{s}");
        assert!(s.contains("stayed at 2.303") && s.contains("guessing gives 2.303") && s.contains("11.2%") && s.contains("(1)"), "{s}");
        let s = explain(&Failure::RoseFar { loss: 51234.5, start: 0.0512 }, 0, 3, 1.0).to_string();
        assert!(s.contains("rose to 51,23") && s.contains("started (0.05120)"), "{s}");
        assert_eq!(figure(8_502_409.0), "8,502,409");
        assert_eq!(figure(-1234.7), "-1,235");
        assert_eq!(figure(2.302585), "2.303");
        assert!(explain(&Failure::NotFinite { loss: f32::NAN }, 0, 1, 10.0).to_string().contains("became NaN"));
    }
}
