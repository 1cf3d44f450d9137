//! Optimizer updates, one parameter tensor at a time (θ param, g grad):
//!
//!   SGD:       θ ← θ − η·g
//!   Momentum:  v ← μ·v + g;  θ ← θ − η·v                       (PyTorch's form; v in state1)
//!   Adam:      m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²            (m in state1, v in state2)
//!              θ ← θ − (η/(1−β₁ᵗ)) · m / (√v/√(1−β₂ᵗ) + ε)       (bias-corrected, as PyTorch computes it)
//!
//! with g = ∂L/∂θ + λ·θ for weight decay λ (PyTorch's `weight_decay`; λ = 0 adds nothing).

use crate::backend::UpdateRule;

pub fn update(rule: UpdateRule, param: &mut [f32], grad: &[f32], state1: &mut [f32], state2: &mut [f32]) {
    let n = param.len();
    assert_eq!(grad.len(), n, "update: param holds {n} values, grad {}", grad.len());
    match rule {
        UpdateRule::Sgd { lr, weight_decay } => {
            for (p, &g) in param.iter_mut().zip(grad) {
                let g = g + weight_decay * *p;
                *p -= lr * g;
            }
        }
        UpdateRule::Momentum { lr, momentum, weight_decay } => {
            assert_eq!(state1.len(), n, "update (momentum): param holds {n} values, velocity {}", state1.len());
            for ((p, &g), v) in param.iter_mut().zip(grad).zip(state1.iter_mut()) {
                let g = g + weight_decay * *p;
                *v = momentum * *v + g;
                *p -= lr * *v;
            }
        }
        UpdateRule::Adam { lr, beta1, beta2, eps, t, weight_decay } => {
            assert!(state1.len() == n && state2.len() == n, "update (adam): param holds {n} values, m {}, v {}", state1.len(), state2.len());
            assert!(t >= 1, "update (adam): the step number t is 1-based, got 0");
            // The corrections in f64, as PyTorch computes them on the host.
            let bc1 = 1.0 - (beta1 as f64).powi(t as i32);
            let bc2 = 1.0 - (beta2 as f64).powi(t as i32);
            let step = (lr as f64 / bc1) as f32;
            let inv_sqrt_bc2 = (1.0 / bc2.sqrt()) as f32;
            for (((p, &g), m), v) in param.iter_mut().zip(grad).zip(state1.iter_mut()).zip(state2.iter_mut()) {
                let g = g + weight_decay * *p;
                *m = beta1 * *m + (1.0 - beta1) * g;
                *v = beta2 * *v + (1.0 - beta2) * g * g;
                *p -= step * *m / (v.sqrt() * inv_sqrt_bc2 + eps);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_step_of_each_rule_by_hand() {
        let (mut p, g) = ([1.0f32, -2.0], [0.5f32, -1.0]);
        update(UpdateRule::Sgd { lr: 0.1, weight_decay: 0.0 }, &mut p, &g, &mut [], &mut []);
        assert_eq!(p, [0.95, -1.9]);

        let (mut p, mut v) = ([1.0f32], [2.0f32]);
        update(UpdateRule::Momentum { lr: 0.1, momentum: 0.9, weight_decay: 0.0 }, &mut p, &[1.0], &mut v, &mut []);
        assert!((v[0] - 2.8).abs() < 1e-6 && (p[0] - 0.72).abs() < 1e-6);

        // Adam's first step moves each weight by about lr·sign(g), whatever |g|.
        let (mut p, mut m, mut v) = ([0.0f32, 0.0], [0.0f32; 2], [0.0f32; 2]);
        update(UpdateRule::Adam { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, t: 1, weight_decay: 0.0 }, &mut p, &[3.0, -0.001], &mut m, &mut v);
        assert!((p[0] + 0.01).abs() < 1e-6 && (p[1] - 0.01).abs() < 1e-5, "{p:?}");

        // Weight decay adds λ·θ to the gradient: 0.5 + 0.1·1 = 0.6, −1 + 0.1·(−2) = −1.2.
        let mut p = [1.0f32, -2.0];
        update(UpdateRule::Sgd { lr: 0.5, weight_decay: 0.1 }, &mut p, &[0.5, -1.0], &mut [], &mut []);
        assert!((p[0] - 0.7).abs() < 1e-6 && (p[1] + 1.4).abs() < 1e-6, "{p:?}");
    }
}
