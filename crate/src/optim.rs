//! Optimizers. The update rules themselves are backend kernels (`Backend::update`); this file
//! keeps the hyper-parameters and the step count Adam's bias correction needs.
//!
//!   SGD:       θ ← θ − η·g
//!   Momentum:  v ← μ·v + g;  θ ← θ − η·v
//!   Adam:      m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  m̂ = m/(1−β₁ᵗ);  v̂ = v/(1−β₂ᵗ);
//!              θ ← θ − η·m̂/(√v̂ + ε)

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
    /// Updates made so far (Adam's t).
    pub steps: u32,
}

impl Optimizer {
    pub fn new(kind: OptimKind, lr: f32) -> Self {
        Optimizer { kind, lr, steps: 0 }
    }

    /// The rule for the next update.
    pub fn rule(&self) -> UpdateRule {
        let lr = self.lr;
        match self.kind {
            OptimKind::Sgd => UpdateRule::Sgd { lr },
            OptimKind::Momentum { momentum } => UpdateRule::Momentum { lr, momentum },
            OptimKind::Adam { beta1, beta2, eps } => UpdateRule::Adam { lr, beta1, beta2, eps, t: self.steps + 1 },
        }
    }

    /// Update every parameter from its gradient.
    pub fn step<B: Backend>(&mut self, b: &B, params: Vec<&mut Param<B>>) {
        let rule = self.rule();
        for p in params {
            b.update(rule, &mut p.value, &p.grad, &mut p.state1, &mut p.state2);
        }
        self.steps += 1;
    }
}
