//! Optimizers. The update rules themselves are backend kernels (`Backend::update`); this file
//! keeps the hyper-parameters. Adam's step count t is each parameter's own (`Param::updates`),
//! as PyTorch's `state['step']`: a parameter left out of some steps (a frozen layer) starts its
//! bias correction at its first update.
//!
//!   SGD:       θ ← θ − η·g
//!   Momentum:  v ← μ·v + g;  θ ← θ − η·v
//!   Adam:      m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  m̂ = m/(1−β₁ᵗ);  v̂ = v/(1−β₂ᵗ);
//!              θ ← θ − η·m̂/(√v̂ + ε)
//!
//! with g = ∂L/∂θ + λ·θ for weight decay λ (PyTorch's `weight_decay`, an L2 penalty; 0 by default).

use serde::{Deserialize, Serialize};

use crate::backend::{Backend, UpdateRule};
use crate::layers::Param;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum OptimKind {
    Sgd,
    Momentum { momentum: f32 },
    Adam { beta1: f32, beta2: f32, eps: f32 },
}

impl OptimKind {
    pub const MOMENTUM: OptimKind = OptimKind::Momentum { momentum: 0.9 };
    pub const ADAM: OptimKind = OptimKind::Adam { beta1: 0.9, beta2: 0.999, eps: 1e-8 };

    /// `sgd`, `momentum` (μ = 0.9) or `adam` (β = 0.9, 0.999; ε = 1e-8), as PyTorch's defaults.
    pub fn parse(s: &str) -> Option<OptimKind> {
        match s {
            "sgd" => Some(OptimKind::Sgd),
            "momentum" => Some(OptimKind::MOMENTUM),
            "adam" => Some(OptimKind::ADAM),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Optimizer {
    pub kind: OptimKind,
    pub lr: f32,
    /// λ: every update uses ∂L/∂θ + λ·θ (0: none). At least 0 (`session::check_weight_decay`).
    pub weight_decay: f32,
    /// Steps taken so far.
    pub steps: u32,
}

impl Optimizer {
    /// `kind` at learning rate `lr`, without weight decay.
    pub fn new(kind: OptimKind, lr: f32) -> Self {
        Optimizer { kind, lr, weight_decay: 0.0, steps: 0 }
    }

    /// The rule for a parameter's next update, its `t` (Adam's) the update's number for that
    /// parameter, from 1.
    pub fn rule(&self, t: u32) -> UpdateRule {
        let (lr, weight_decay) = (self.lr, self.weight_decay);
        match self.kind {
            OptimKind::Sgd => UpdateRule::Sgd { lr, weight_decay },
            OptimKind::Momentum { momentum } => UpdateRule::Momentum { lr, momentum, weight_decay },
            OptimKind::Adam { beta1, beta2, eps } => UpdateRule::Adam { lr, beta1, beta2, eps, t, weight_decay },
        }
    }

    /// Update every parameter of `params` from its gradient (a frozen layer's are not in it).
    pub fn step<B: Backend>(&mut self, b: &B, params: Vec<&mut Param<B>>) {
        for p in params {
            p.updates += 1;
            b.update(self.rule(p.updates), &mut p.value, &p.grad, &mut p.state1, &mut p.state2);
        }
        self.steps += 1;
    }
}
