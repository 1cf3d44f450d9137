//! The validation chapter: k-fold cross-validation on a small problem, computed live.
//!
//! The problem: 120 points in the plane from two overlapping clouds (class 0 around (−0.7, −0.3),
//! class 1 around (0.7, 0.3), both with σ = 1), so no line separates them and the scores differ
//! from fold to fold. 20 are put aside first as the test set; the other 100 are shuffled (a seeded
//! shuffle) and cut into k folds of sizes that differ by at most one. Model i is a logistic
//! regression p = σ(w₁x₁ + w₂x₂ + b) trained on every fold but fold i, by full-batch gradient
//! descent through the core's SGD update kernel (`layers::update`), and scored on fold i: its
//! accuracy. The mean of the k scores estimates how well the method does on data it has not
//! seen; the test set is scored once, by one model trained on all 100.

use serde::Serialize;

use crate::backend::cpu::sigmoid;
use crate::backend::UpdateRule;
use crate::layers::update::update;
use crate::rng::{Rng, Stream};

/// How many points, how many of them are the test set.
pub const N: usize = 120;
pub const TEST: usize = 20;
/// The k the chapter offers.
pub const KS: [usize; 3] = [3, 5, 10];
/// The one seed of the chapter's data and shuffle.
pub const SEED: u64 = 7;
const STEPS: usize = 200;
const LR: f32 = 0.5;

/// One point: (x₁, x₂) and its class 0 or 1.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Point {
    pub x: [f32; 2],
    pub label: u8,
}

/// The 120 points, half of each class, in a fixed order (the first `TEST` are the test set).
pub fn dataset(seed: u64) -> Vec<Point> {
    let mut rng = Rng::stream(seed, Stream::Data);
    let mut points: Vec<Point> = (0..N)
        .map(|i| {
            let label = (i % 2) as u8;
            let c = if label == 1 { [0.7, 0.3] } else { [-0.7, -0.3] };
            Point { x: [c[0] + rng.normal(), c[1] + rng.normal()], label }
        })
        .collect();
    Rng::stream(seed, Stream::Holdout).shuffle(&mut points);
    points
}

/// Logistic regression [w₁, w₂, b] trained on `train` by full-batch descent on the mean
/// cross-entropy, whose gradient is the mean of (p − y)·(x₁, x₂, 1).
pub fn train(train: &[Point]) -> [f32; 3] {
    let mut theta = [0.0f32; 3];
    let (mut s1, mut s2) = ([0.0f32; 3], [0.0f32; 3]);
    let n = train.len().max(1) as f32;
    for _ in 0..STEPS {
        let mut grad = [0.0f32; 3];
        for p in train {
            let err = probability(&theta, p.x) - p.label as f32;
            grad[0] += err * p.x[0] / n;
            grad[1] += err * p.x[1] / n;
            grad[2] += err / n;
        }
        update(UpdateRule::Sgd { lr: LR, weight_decay: 0.0 }, &mut theta, &grad, &mut s1, &mut s2);
    }
    theta
}

/// σ(w₁x₁ + w₂x₂ + b): the model's probability of class 1.
pub fn probability(theta: &[f32; 3], x: [f32; 2]) -> f32 {
    sigmoid(theta[0] * x[0] + theta[1] * x[1] + theta[2])
}

/// The fraction of `points` the model puts on the right side of p = ½.
pub fn accuracy(theta: &[f32; 3], points: &[Point]) -> f32 {
    let right = points.iter().filter(|p| (probability(theta, p.x) >= 0.5) == (p.label == 1)).count();
    right as f32 / points.len().max(1) as f32
}

/// The k folds of `n` shuffled positions: fold i is `order[start..end]`, the first n mod k folds
/// one longer.
pub fn fold_bounds(n: usize, k: usize) -> Vec<(usize, usize)> {
    let (base, extra) = (n / k, n % k);
    let mut start = 0;
    (0..k)
        .map(|i| {
            let len = base + usize::from(i < extra);
            let b = (start, start + len);
            start += len;
            b
        })
        .collect()
}

/// One of the k models: the points it was validated on (indices into the dataset), how many it
/// got right, and its score.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fold {
    pub validation: Vec<usize>,
    pub train_size: usize,
    pub correct: usize,
    pub score: f32,
    pub weights: [f32; 3],
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CrossValidation {
    pub k: usize,
    pub points: Vec<Point>,
    /// Indices of the test set (the first `TEST` points).
    pub test: Vec<usize>,
    /// The other indices in their shuffled order: the strip the folds cut.
    pub order: Vec<usize>,
    pub folds: Vec<Fold>,
    /// The mean of the k scores.
    pub mean: f32,
    /// The one model trained on all of `order`, scored once on the test set.
    pub test_score: f32,
}

/// k-fold cross-validation on the chapter's problem (k from 2 to 100, clamped).
pub fn cross_validate(k: usize, seed: u64) -> CrossValidation {
    let points = dataset(seed);
    let k = k.clamp(2, N - TEST);
    let test: Vec<usize> = (0..TEST).collect();
    let mut order: Vec<usize> = (TEST..N).collect();
    Rng::stream(seed, Stream::Shuffle).shuffle(&mut order);
    let folds: Vec<Fold> = fold_bounds(order.len(), k)
        .into_iter()
        .map(|(a, b)| {
            let held: Vec<Point> = order[a..b].iter().map(|&i| points[i]).collect();
            let rest: Vec<Point> = order[..a].iter().chain(&order[b..]).map(|&i| points[i]).collect();
            let weights = train(&rest);
            let score = accuracy(&weights, &held);
            let correct = held.iter().filter(|p| (probability(&weights, p.x) >= 0.5) == (p.label == 1)).count();
            Fold { validation: order[a..b].to_vec(), train_size: rest.len(), correct, score, weights }
        })
        .collect();
    let mean = folds.iter().map(|f| f.score).sum::<f32>() / k as f32;
    let all: Vec<Point> = order.iter().map(|&i| points[i]).collect();
    let test_points: Vec<Point> = test.iter().map(|&i| points[i]).collect();
    let test_score = accuracy(&train(&all), &test_points);
    CrossValidation { k, points, test, order, folds, mean, test_score }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_sizes_differ_by_at_most_one_and_cover_everything() {
        assert_eq!(fold_bounds(100, 3), vec![(0, 34), (34, 67), (67, 100)]);
        assert_eq!(fold_bounds(100, 10).iter().map(|(a, b)| b - a).collect::<Vec<_>>(), vec![10; 10]);
    }

    #[test]
    fn the_folds_partition_the_data_and_leave_the_test_set_alone() {
        for k in KS {
            let cv = cross_validate(k, SEED);
            assert_eq!(cv.folds.len(), k);
            let mut seen: Vec<usize> = cv.folds.iter().flat_map(|f| f.validation.clone()).collect();
            seen.sort();
            assert_eq!(seen, (TEST..N).collect::<Vec<_>>(), "k = {k}");
            for f in &cv.folds {
                assert_eq!(f.train_size + f.validation.len(), N - TEST);
                assert!((0.0..=1.0).contains(&f.score));
                assert_eq!(f.score, f.correct as f32 / f.validation.len() as f32);
            }
        }
    }

    #[test]
    fn the_mean_is_the_mean_of_the_scores_and_the_problem_is_neither_easy_nor_hopeless() {
        let cv = cross_validate(5, SEED);
        let mean = cv.folds.iter().map(|f| f.score as f64).sum::<f64>() / 5.0;
        assert!((cv.mean as f64 - mean).abs() < 1e-6);
        assert!(cv.mean > 0.6 && cv.mean < 0.95, "{}", cv.mean);
        assert!(cv.test_score > 0.5, "{}", cv.test_score);
        // The folds do not all agree: the spread is what a single split would hide.
        let (lo, hi) = cv.folds.iter().fold((1.0f32, 0.0f32), |(lo, hi), f| (lo.min(f.score), hi.max(f.score)));
        assert!(hi > lo, "{lo} {hi}");
    }

    /// The trained weights point from class 0's cloud towards class 1's: w₁, w₂ > 0.
    #[test]
    fn the_logistic_regression_learns_the_direction_between_the_clouds() {
        let w = train(&dataset(SEED));
        assert!(w[0] > 0.3 && w[1] > 0.0, "{w:?}");
        // Its loss gradient at the optimum is small: 200 steps got near it.
        let pts = dataset(SEED);
        let g: f32 = pts.iter().map(|p| (probability(&w, p.x) - p.label as f32) * p.x[0]).sum::<f32>() / pts.len() as f32;
        assert!(g.abs() < 0.02, "{g}");
    }

    #[test]
    fn the_same_seed_gives_the_same_folds() {
        assert_eq!(cross_validate(3, SEED), cross_validate(3, SEED));
        assert_ne!(cross_validate(3, SEED).order, cross_validate(3, SEED + 1).order);
    }
}
