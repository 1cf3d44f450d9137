//! Weight initialisers. Biases start at zero (and batch norm at γ = 1, β = 0) whatever the choice.
//! fan_in = C_in·F·F (conv) or I (dense); fan_out = C_out·F·F or O.

use serde::{Deserialize, Serialize};

use crate::rng::Rng;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Init {
    /// Glorot & Bengio 2010: U(−a, a) with a = √(6/(fan_in + fan_out)). Keeps the variance of
    /// activations and gradients about equal through sigmoid/tanh layers.
    XavierUniform,
    /// He et al. 2015: N(0, 2/fan_in). Made for ReLU, which zeroes half its inputs.
    HeNormal,
    /// N(0, σ²) with a fixed σ, e.g. 0.01 — too small for deep sigmoid nets, which is the lesson.
    Gaussian { sigma: f32 },
    /// U(−a, a) with a fixed a.
    Uniform { a: f32 },
}

impl Init {
    /// Draw `len` weights for a layer with the given fans.
    pub fn sample(&self, rng: &mut Rng, len: usize, fan_in: usize, fan_out: usize) -> Vec<f32> {
        match *self {
            Init::XavierUniform => {
                let a = (6.0 / (fan_in + fan_out) as f32).sqrt();
                (0..len).map(|_| rng.uniform_range(-a, a)).collect()
            }
            Init::HeNormal => {
                let std = (2.0 / fan_in as f32).sqrt();
                (0..len).map(|_| std * rng.normal()).collect()
            }
            Init::Gaussian { sigma } => (0..len).map(|_| sigma * rng.normal()).collect(),
            Init::Uniform { a } => (0..len).map(|_| rng.uniform_range(-a, a)).collect(),
        }
    }

    /// Parse the CLI/page names: `xavier`, `he`, `gaussian:0.01`, `uniform:0.05`.
    pub fn parse(s: &str) -> Option<Init> {
        let (name, arg) = match s.split_once(':') {
            Some((n, a)) => (n, Some(a.parse::<f32>().ok()?)),
            None => (s, None),
        };
        match (name, arg) {
            ("xavier" | "xavier-uniform", None) => Some(Init::XavierUniform),
            ("he" | "kaiming" | "he-normal", None) => Some(Init::HeNormal),
            ("gaussian" | "normal", Some(sigma)) if sigma.is_finite() && sigma > 0.0 => Some(Init::Gaussian { sigma }),
            ("gaussian" | "normal", None) => Some(Init::Gaussian { sigma: 0.01 }),
            ("uniform", Some(a)) if a.is_finite() && a > 0.0 => Some(Init::Uniform { a }),
            ("uniform", None) => Some(Init::Uniform { a: 0.05 }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moments(v: &[f32]) -> (f64, f64) {
        let n = v.len() as f64;
        let mean = v.iter().map(|&x| x as f64).sum::<f64>() / n;
        let var = v.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / n;
        (mean, var)
    }

    #[test]
    fn initialisers_have_their_textbook_variance() {
        let mut rng = Rng::new(1);
        let (fan_in, fan_out, n) = (400, 120, 100_000);
        // Xavier: Var U(−a,a) = a²/3 = 2/(fan_in+fan_out).
        let (m, v) = moments(&Init::XavierUniform.sample(&mut rng, n, fan_in, fan_out));
        assert!(m.abs() < 1e-3 && (v / (2.0 / 520.0) - 1.0).abs() < 0.03, "xavier {m} {v}");
        let (m, v) = moments(&Init::HeNormal.sample(&mut rng, n, fan_in, fan_out));
        assert!(m.abs() < 1e-3 && (v / (2.0 / 400.0) - 1.0).abs() < 0.03, "he {m} {v}");
        let (_, v) = moments(&Init::Gaussian { sigma: 0.1 }.sample(&mut rng, n, 1, 1));
        assert!((v / 0.01 - 1.0).abs() < 0.03, "gaussian {v}");
        let xs = Init::Uniform { a: 0.5 }.sample(&mut rng, n, 1, 1);
        assert!(xs.iter().all(|x| (-0.5..0.5).contains(x)));
        let (_, v) = moments(&xs);
        assert!((v / (0.25 / 3.0) - 1.0).abs() < 0.03, "uniform {v}");
    }

    #[test]
    fn names_parse() {
        assert_eq!(Init::parse("xavier"), Some(Init::XavierUniform));
        assert_eq!(Init::parse("he"), Some(Init::HeNormal));
        assert_eq!(Init::parse("gaussian:0.01"), Some(Init::Gaussian { sigma: 0.01 }));
        assert_eq!(Init::parse("uniform:0.1"), Some(Init::Uniform { a: 0.1 }));
        assert_eq!(Init::parse("gaussian:-1"), None);
        // Regression (issue 16): σ or a of infinity or NaN would make every weight non-finite.
        for bad in ["gaussian:inf", "gaussian:NaN", "uniform:inf", "uniform:1e39", "uniform:nan"] {
            assert_eq!(Init::parse(bad), None, "{bad}");
        }
        assert_eq!(Init::parse("zeros"), None);
    }
}
