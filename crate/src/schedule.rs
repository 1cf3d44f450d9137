//! Learning-rate schedules. StepLR (as PyTorch's): every `step_size` epochs multiply by `gamma`.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepLr {
    pub step_size: usize,
    pub gamma: f32,
}

impl StepLr {
    /// The learning rate during `epoch` (0-based): base · γ^⌊epoch/step_size⌋.
    pub fn lr_at(&self, base: f32, epoch: usize) -> f32 {
        base * self.gamma.powi((epoch / self.step_size.max(1)) as i32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_lr_decays_every_step_size_epochs() {
        let s = StepLr { step_size: 2, gamma: 0.5 };
        let lrs: Vec<f32> = (0..5).map(|e| s.lr_at(0.8, e)).collect();
        assert_eq!(lrs, vec![0.8, 0.8, 0.4, 0.4, 0.2]);
    }
}
