//! Dispatches of the optimizer updates (`shaders/optim.wgsl`), one invocation per parameter value.

use super::kernels::Kernel;
use super::record::{f, linear_groups};
use super::tensor::GpuTensor;
use super::Gpu;
use crate::backend::UpdateRule;

impl Gpu {
    pub(crate) fn update_op(&self, rule: UpdateRule, param: &GpuTensor, grad: &GpuTensor, state1: &GpuTensor, state2: &GpuTensor) {
        let n = param.len();
        assert_eq!(grad.len(), n, "update: param {} and grad {}", param.shape, grad.shape);
        let groups = linear_groups(n);
        // `Params` in optim.wgsl: len, lr, β₁ (or μ), β₂, ε, step, 1/√(1−β₂ᵗ), λ; what a rule
        // does not read stays 0.
        match rule {
            UpdateRule::Sgd { lr, weight_decay } => {
                self.dispatch(Kernel::Sgd, &[n as u32, f(lr), 0, 0, 0, 0, 0, f(weight_decay)], &[&grad.buf, &param.buf], groups)
            }
            UpdateRule::Momentum { lr, momentum, weight_decay } => {
                assert_eq!(state1.len(), n, "update (momentum): param {} and velocity {}", param.shape, state1.shape);
                self.dispatch(Kernel::Momentum, &[n as u32, f(lr), f(momentum), 0, 0, 0, 0, f(weight_decay)], &[&grad.buf, &param.buf, &state1.buf], groups);
            }
            UpdateRule::Adam { lr, beta1, beta2, eps, t, weight_decay } => {
                assert!(state1.len() == n && state2.len() == n, "update (adam): param {}, m {}, v {}", param.shape, state1.shape, state2.shape);
                assert!(t >= 1, "update (adam): the step number t is 1-based, got 0");
                // The bias corrections in f64, exactly as the CPU backend computes them.
                let bc1 = 1.0 - (beta1 as f64).powi(t as i32);
                let bc2 = 1.0 - (beta2 as f64).powi(t as i32);
                let step = (lr as f64 / bc1) as f32;
                let inv_sqrt_bc2 = (1.0 / bc2.sqrt()) as f32;
                self.dispatch(
                    Kernel::Adam,
                    &[n as u32, f(lr), f(beta1), f(beta2), f(eps), f(step), f(inv_sqrt_bc2), f(weight_decay)],
                    &[&grad.buf, &param.buf, &state1.buf, &state2.buf],
                    groups,
                );
            }
        }
    }
}
