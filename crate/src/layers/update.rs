//! Optimizer updates, the reference: one parameter tensor at a time, value by value.
//!
//! Shapes: param, grad, state1, state2 all hold the same values (one parameter tensor; the state
//! is unused by SGD, the velocity in state1 for momentum, Adam's m and v in state1 and state2).
//!
//!   SGD:       θ ← θ − η·g
//!   Momentum:  v ← μ·v + g;  θ ← θ − η·v                          (PyTorch's formulation)
//!   Adam:      m ← β₁·m + (1 − β₁)·g;  v ← β₂·v + (1 − β₂)·g²
//!              m̂ = m/(1 − β₁ᵗ);  v̂ = v/(1 − β₂ᵗ);  θ ← θ − η·m̂/(√v̂ + ε)   (t = 1, 2, …)
//! Adam's m̂ and v̂ correct the bias of averages that start at 0 (Kingma & Ba 2015).
//!
//! Weight decay λ (PyTorch's `weight_decay`, an L2 penalty λ/2·‖θ‖² added to the loss): each rule
//! uses g = ∂L/∂θ + λ·θ in place of the gradient, so weights are pulled towards 0 a little at every
//! step. (For Adam this is PyTorch's `Adam`, not `AdamW`, which decays θ outside the rule.)

use crate::backend::UpdateRule;

// ANCHOR: update
/// One step of `rule` on `param` from its gradient `grad`.
pub fn update(rule: UpdateRule, param: &mut [f32], grad: &[f32], state1: &mut [f32], state2: &mut [f32]) {
    assert_eq!(grad.len(), param.len(), "update: param holds {} values, grad {}", param.len(), grad.len());
    match rule {
        UpdateRule::Sgd { lr, weight_decay } => {
            for i in 0..param.len() {
                let g = grad[i] + weight_decay * param[i]; // weight decay: + λ·θ
                param[i] -= lr * g;
            }
        }
        UpdateRule::Momentum { lr, momentum, weight_decay } => {
            let velocity = state1;
            assert_eq!(velocity.len(), param.len(), "update (momentum): param holds {} values, velocity {}", param.len(), velocity.len());
            for i in 0..param.len() {
                let g = grad[i] + weight_decay * param[i]; // weight decay: + λ·θ
                velocity[i] = momentum * velocity[i] + g;
                param[i] -= lr * velocity[i];
            }
        }
        UpdateRule::Adam { lr, beta1, beta2, eps, t, weight_decay } => {
            let (m, v) = (state1, state2);
            assert!(m.len() == param.len() && v.len() == param.len(), "update (adam): param holds {} values, m {}, v {}", param.len(), m.len(), v.len());
            assert!(t >= 1, "update (adam): the step number t is 1-based, got 0");
            // 1 − βᵗ in f64: for β₂ = 0.999 and a small t it is a difference of nearly equal
            // numbers, which f32 powers would get wrong in the fourth digit.
            let correction1 = (1.0 - (beta1 as f64).powi(t as i32)) as f32;
            let correction2 = (1.0 - (beta2 as f64).powi(t as i32)) as f32;
            for i in 0..param.len() {
                let g = grad[i] + weight_decay * param[i]; // weight decay: + λ·θ
                m[i] = beta1 * m[i] + (1.0 - beta1) * g;
                v[i] = beta2 * v[i] + (1.0 - beta2) * g * g;
                let m_hat = m[i] / correction1;
                let v_hat = v[i] / correction2;
                param[i] -= lr * m_hat / (v_hat.sqrt() + eps);
            }
        }
    }
}
// ANCHOR_END: update
