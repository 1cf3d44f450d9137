//! The optimizers chapter: SGD, momentum and Adam racing on two small loss surfaces of two
//! parameters (x, y). Each step reads the surface's gradient at the current point and hands it
//! to the core's own update kernel (`Backend::update` with an `UpdateRule`, on the CPU backend,
//! with a 2-value parameter tensor): the paths drawn are those the same rules take on LeNet.
//!
//! The surfaces:
//!   valley  f = ½·(x²/10 + 2·y²)          a long narrow valley: steep across (y), flat along (x)
//!   saddle  f = x² − y² + ½·y⁴            a saddle at the origin (x² − y² near it), with two
//!                                          floors at y = ±1 so a path that escapes has somewhere
//!                                          to go (f = −½ there)

use serde::Serialize;

use crate::backend::{cpu::Cpu, Backend, UpdateRule};
use crate::check::{self, NotFinite};
use crate::message::{Explain, Message};
use crate::tensor::Shape;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Surface {
    Valley,
    Saddle,
}

impl Surface {
    pub fn parse(name: &str) -> Option<Surface> {
        match name {
            "valley" => Some(Surface::Valley),
            "saddle" => Some(Surface::Saddle),
            _ => None,
        }
    }

    /// The loss at (x, y).
    pub fn loss(self, [x, y]: [f32; 2]) -> f32 {
        match self {
            Surface::Valley => 0.5 * (x * x / 10.0 + 2.0 * y * y),
            Surface::Saddle => x * x - y * y + 0.5 * y.powi(4),
        }
    }

    /// The gradient (∂f/∂x, ∂f/∂y) at (x, y), from the formulas above.
    pub fn gradient(self, [x, y]: [f32; 2]) -> [f32; 2] {
        match self {
            Surface::Valley => [x / 10.0, 2.0 * y],
            Surface::Saddle => [2.0 * x, -2.0 * y + 2.0 * y.powi(3)],
        }
    }

    /// Where every optimizer starts: far along the valley and up its side; on the saddle's ridge,
    /// a hair off the line y = 0 (exactly on it the gradient never leaves it).
    pub fn start(self) -> [f32; 2] {
        match self {
            Surface::Valley => [-4.5, 1.5],
            Surface::Saddle => [-1.5, 0.01],
        }
    }

    /// The part of the plane the chapter draws: [x_lo, x_hi, y_lo, y_hi].
    pub fn view(self) -> [f32; 4] {
        match self {
            Surface::Valley => [-5.0, 5.0, -2.0, 2.0],
            Surface::Saddle => [-2.0, 2.0, -1.6, 1.6],
        }
    }
}

/// The three optimizers the chapter races, in the order it lists them.
pub const OPTIMIZERS: [&str; 3] = ["sgd", "momentum", "adam"];

/// The sliders' values: one learning rate for all three, μ for momentum, β₁ and β₂ for Adam.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    pub lr: f32,
    pub momentum: f32,
    pub beta1: f32,
    pub beta2: f32,
}

impl Default for Settings {
    /// η = 0.1 and PyTorch's defaults μ = 0.9, β₁ = 0.9, β₂ = 0.999.
    fn default() -> Self {
        Settings { lr: 0.1, momentum: 0.9, beta1: 0.9, beta2: 0.999 }
    }
}

/// Adam's ε, PyTorch's default.
pub const EPS: f32 = 1e-8;

/// The rule of optimizer `name` for step `t` (1-based, Adam's bias correction), without weight
/// decay: the surfaces are the whole loss.
fn rule(name: &str, s: &Settings, t: u32) -> UpdateRule {
    match name {
        "sgd" => UpdateRule::Sgd { lr: s.lr, weight_decay: 0.0 },
        "momentum" => UpdateRule::Momentum { lr: s.lr, momentum: s.momentum, weight_decay: 0.0 },
        _ => UpdateRule::Adam { lr: s.lr, beta1: s.beta1, beta2: s.beta2, eps: EPS, t, weight_decay: 0.0 },
    }
}

/// One optimizer's path: `steps + 1` points from the start, and the loss at each.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Path {
    pub optimizer: &'static str,
    pub points: Vec<[f32; 2]>,
    pub losses: Vec<f32>,
}

/// `steps` steps of optimizer `name` on `surface` from its start, each through the CPU backend's
/// update kernel. A path that leaves the numbers (a rate far too large) stops where it does.
pub fn path(surface: Surface, name: &'static str, s: &Settings, steps: usize) -> Path {
    let b = Cpu::new();
    let shape = Shape(vec![2]);
    let start = surface.start();
    let mut param = b.upload(&shape, &start);
    // The optimizer's memory: momentum's velocity in state1, Adam's m and v in state1 and state2.
    let (mut state1, mut state2) = (b.zeros(&shape), b.zeros(&shape));
    let mut points = vec![start];
    for t in 1..=steps {
        let p = *points.last().expect("the start is there");
        let grad = b.upload(&shape, &surface.gradient(p));
        b.update(rule(name, s, t as u32), &mut param, &grad, &mut state1, &mut state2);
        let v = b.read(&param);
        let next = [v[0], v[1]];
        if !(next[0].is_finite() && next[1].is_finite()) {
            break;
        }
        points.push(next);
    }
    let losses = points.iter().map(|&p| surface.loss(p)).collect();
    Path { optimizer: name, points, losses }
}

/// The race: the three optimizers on one surface, with what the chapter needs to draw it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Race {
    pub surface: Surface,
    pub start: [f32; 2],
    /// [x_lo, x_hi, y_lo, y_hi].
    pub view: [f32; 4],
    pub paths: Vec<Path>,
}

pub fn race(surface: Surface, s: &Settings, steps: usize) -> Race {
    let paths = OPTIMIZERS.iter().map(|&name| path(surface, name, s, steps)).collect();
    Race { surface, start: surface.start(), view: surface.view(), paths }
}

/// The surface's loss on a `cols` × `rows` grid over its view, row by row from the top (y_hi),
/// each value at its cell's centre: the contour plot's colours.
pub fn grid(surface: Surface, cols: usize, rows: usize) -> Vec<f32> {
    let [x0, x1, y0, y1] = surface.view();
    let mut out = Vec::with_capacity(cols * rows);
    for r in 0..rows {
        let y = y1 - (r as f32 + 0.5) * (y1 - y0) / rows as f32;
        for c in 0..cols {
            let x = x0 + (c as f32 + 0.5) * (x1 - x0) / cols as f32;
            out.push(surface.loss([x, y]));
        }
    }
    out
}

/// The most steps a race takes (the page plays them one by one).
pub const MAX_STEPS: usize = 200;

/// What the page can hand the race that it cannot use.
#[derive(Clone, Debug, PartialEq)]
pub enum OptimizersError {
    UnknownSurface(String),
    NotFinite(NotFinite),
    /// A setting outside its range (η in (0, 2], μ, β₁, β₂ in [0, 1)).
    OutOfRange { name: &'static str, value: f32 },
}

pub mod text {
    crate::templates! {
        UNKNOWN_SURFACE = "optimizers.unknownSurface": "there is no surface called '{name}'; the surfaces are valley and saddle";
        LR_RANGE = "optimizers.lrRange": "the learning rate η must be above 0 and at most 2, not {value}";
        DECAY_RANGE = "optimizers.decayRange": "{name} must be at least 0 and below 1, not {value}";
    }
}

impl Explain for OptimizersError {
    fn message(&self) -> Message {
        match self {
            OptimizersError::UnknownSurface(name) => Message::new(text::UNKNOWN_SURFACE).with("name", name),
            OptimizersError::NotFinite(e) => e.message(),
            OptimizersError::OutOfRange { name: "η", value } => Message::new(text::LR_RANGE).with("value", value),
            OptimizersError::OutOfRange { name, value } => Message::new(text::DECAY_RANGE).with("name", name).with("value", value),
        }
    }
}
crate::explained_error!(OptimizersError);

/// The race for the page: the surface named, every setting a number in its range, at most
/// `MAX_STEPS` steps.
pub fn race_checked(surface: &str, s: Settings, steps: usize) -> Result<Race, OptimizersError> {
    let surface = Surface::parse(surface).ok_or_else(|| OptimizersError::UnknownSurface(surface.to_string()))?;
    for (name, v) in [("η", s.lr), ("μ", s.momentum), ("β₁", s.beta1), ("β₂", s.beta2)] {
        check::finite_one(check::named(name), v).map_err(OptimizersError::NotFinite)?;
        let ok = if name == "η" { v > 0.0 && v <= 2.0 } else { (0.0..1.0).contains(&v) };
        if !ok {
            return Err(OptimizersError::OutOfRange { name, value: v });
        }
    }
    Ok(race(surface, &s, steps.min(MAX_STEPS)))
}

/// The contour grid for the page, the surface named.
pub fn grid_checked(surface: &str, cols: usize, rows: usize) -> Result<Vec<f32>, OptimizersError> {
    let surface = Surface::parse(surface).ok_or_else(|| OptimizersError::UnknownSurface(surface.to_string()))?;
    Ok(grid(surface, cols.clamp(1, MAX_GRID), rows.clamp(1, MAX_GRID)))
}

/// The most grid samples a side: one per pixel of a plot a projector-wide page draws.
pub const MAX_GRID: usize = 1000;

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f32, b: f32, tol: f32) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn a_grid_has_the_samples_asked_for_up_to_the_maximum() {
        assert_eq!(grid_checked("valley", 1000, 400).unwrap().len(), 1000 * 400);
        assert_eq!(grid_checked("saddle", 5000, 3).unwrap().len(), MAX_GRID * 3);
    }

    #[test]
    fn gradients_match_finite_differences() {
        for surface in [Surface::Valley, Surface::Saddle] {
            for p in [[-4.5f32, 1.5], [0.3, -0.7], [1.2, 0.9]] {
                let g = surface.gradient(p);
                let h = 1e-3f32;
                let dx = (surface.loss([p[0] + h, p[1]]) - surface.loss([p[0] - h, p[1]])) / (2.0 * h);
                let dy = (surface.loss([p[0], p[1] + h]) - surface.loss([p[0], p[1] - h])) / (2.0 * h);
                assert!(close(g[0], dx, 2e-2) && close(g[1], dy, 2e-2), "{surface:?} at {p:?}: {g:?} vs ({dx}, {dy})");
            }
        }
    }

    /// SGD's first step on the valley: p − η·∇f = (−4.5, 1.5) − 0.1·(−0.45, 3) = (−4.455, 1.2).
    #[test]
    fn the_first_sgd_step_is_p_minus_lr_grad() {
        let p = path(Surface::Valley, "sgd", &Settings::default(), 1);
        assert_eq!(p.points[0], [-4.5, 1.5]);
        assert!(close(p.points[1][0], -4.455, 1e-6) && close(p.points[1][1], 1.2, 1e-6), "{:?}", p.points[1]);
        assert!(close(p.losses[0], 0.5 * (20.25 / 10.0 + 2.0 * 2.25), 1e-6));
    }

    /// Momentum's second step: v₁ = g₀, p₁ = p₀ − η·g₀; v₂ = μ·v₁ + g₁, p₂ = p₁ − η·v₂.
    /// On the valley from (−4.5, 1.5), η = 0.1, μ = 0.9: g₀ = (−0.45, 3), p₁ = (−4.455, 1.2),
    /// g₁ = (−0.4455, 2.4), v₂ = (−0.8505, 5.1), p₂ = (−4.36995, 0.69).
    #[test]
    fn momentum_carries_the_first_gradient_into_the_second_step() {
        let p = path(Surface::Valley, "momentum", &Settings::default(), 2);
        assert!(close(p.points[1][0], -4.455, 1e-6) && close(p.points[1][1], 1.2, 1e-6));
        assert!(close(p.points[2][0], -4.36995, 1e-5) && close(p.points[2][1], 0.69, 1e-5), "{:?}", p.points[2]);
    }

    /// Adam's first step is η·sign(g) on every coordinate: m̂ = g and v̂ = g², so m̂/√v̂ = ±1.
    #[test]
    fn adams_first_step_is_lr_times_the_sign_of_the_gradient() {
        for surface in [Surface::Valley, Surface::Saddle] {
            let p = path(surface, "adam", &Settings::default(), 1);
            let (s, g) = (surface.start(), surface.gradient(surface.start()));
            for i in 0..2 {
                assert!(close(p.points[1][i], s[i] - 0.1 * g[i].signum(), 1e-5), "{surface:?}: {:?}", p.points[1]);
            }
        }
    }

    /// The chapter's lesson: on the valley momentum and Adam end far lower than plain SGD after
    /// 60 steps; 10 steps from the saddle SGD is still near the ridge while Adam has reached a floor.
    #[test]
    fn the_race_tells_the_chapters_story() {
        let s = Settings::default();
        let valley = race(Surface::Valley, &s, 60);
        let last = |r: &Race, i: usize| *r.paths[i].losses.last().unwrap();
        assert!(last(&valley, 1) < last(&valley, 0) / 10.0, "momentum {} vs sgd {}", last(&valley, 1), last(&valley, 0));
        assert!(last(&valley, 2) < last(&valley, 0), "adam {} vs sgd {}", last(&valley, 2), last(&valley, 0));
        let saddle = race(Surface::Saddle, &s, 10);
        let y = |r: &Race, i: usize| r.paths[i].points.last().unwrap()[1];
        assert!(y(&saddle, 0).abs() < 0.2, "sgd left the ridge already: {}", y(&saddle, 0));
        assert!(y(&saddle, 2).abs() > 0.8, "adam did not escape: {}", y(&saddle, 2));
    }

    #[test]
    fn a_diverging_rate_stops_the_path_at_its_last_number() {
        let s = Settings { lr: 2.0, ..Settings::default() };
        // SGD on the valley at η = 2: y ← y − 2·2y = −3y, which grows until it overflows.
        let p = path(Surface::Valley, "sgd", &s, MAX_STEPS);
        assert!(p.points.len() < MAX_STEPS + 1 && p.points.iter().all(|q| q[0].is_finite() && q[1].is_finite()));
        assert_eq!(p.points.len(), p.losses.len());
    }

    #[test]
    fn the_grid_reads_rows_from_the_top() {
        let g = grid(Surface::Saddle, 4, 2);
        assert_eq!(g.len(), 8);
        // Top row centre y = 0.8, bottom row y = −0.8: the saddle is symmetric in y.
        assert!(close(g[1], g[5], 1e-6));
        assert!(close(g[0], Surface::Saddle.loss([-1.5, 0.8]), 1e-6));
    }

    #[test]
    fn bad_settings_are_refused_with_a_sentence() {
        let s = Settings::default();
        assert!(matches!(race_checked("bowl", s, 10), Err(OptimizersError::UnknownSurface(_))));
        assert!(matches!(race_checked("valley", Settings { lr: 0.0, ..s }, 10), Err(OptimizersError::OutOfRange { name: "η", .. })));
        assert!(matches!(race_checked("valley", Settings { beta2: 1.0, ..s }, 10), Err(OptimizersError::OutOfRange { name: "β₂", .. })));
        assert!(matches!(race_checked("valley", Settings { momentum: f32::NAN, ..s }, 10), Err(OptimizersError::NotFinite(_))));
        assert!(race_checked("valley", Settings { lr: 0.0, ..s }, 10).unwrap_err().to_string().contains("above 0"));
        assert_eq!(race_checked("saddle", s, 10_000).unwrap().paths[0].points.len(), MAX_STEPS + 1);
    }
}
