//! The reference: one file per layer family, its arithmetic written as plain loops over slices,
//! forward and backward side by side (`conv2d_forward` / `conv2d_backward`), llm.c style — no
//! SIMD, no threads, no `cfg`, no matrix library. This is what a student reads, and the
//! specification: the `Reference` backend (`backend/reference.rs`) runs these functions, and the
//! fast backends (`backend/cpu`, `backend/gpu`) are checked against it by the agreement tests
//! (`crate/tests/agreement`). Each function is marked `// ANCHOR: name` … `// ANCHOR_END: name`
//! so that the page can show its source.
//!
//! After the functions, each file keeps its layer: the parameters (`Param`) and settings a model
//! (`model/sequential.rs`) holds, and the calls into whichever backend it runs on.
//!
//! Legend: N batch, C channels, H height, W width, F kernel size; `x` the layer's input, `y` its
//! output, `dy` = ∂L/∂y arriving from above, `dx` = ∂L/∂x passed below; `dw`, `db` the weights'
//! and biases' gradients.

pub mod activation;
pub mod batchnorm;
pub mod conv2d;
pub mod dense;
pub mod dropout;
pub mod loss;
pub mod merge;
pub mod pool;
pub mod update;

use crate::backend::Backend;
use crate::tensor::Shape;

/// A learnable tensor with its gradient and optimizer state. `name` follows PyTorch's
/// `nn.Sequential` state-dict naming (`"0.weight"`, `"3.bias"`), so exported weights load there.
pub struct Param<B: Backend> {
    pub name: String,
    pub shape: Shape,
    pub value: B::Tensor,
    pub grad: B::Tensor,
    /// Momentum's velocity, or Adam's first moment.
    pub state1: B::Tensor,
    /// Adam's second moment.
    pub state2: B::Tensor,
    /// Updates since the state was last reset: Adam's t (PyTorch's `state['step']`).
    pub updates: u32,
}

impl<B: Backend> Param<B> {
    pub fn new(b: &B, name: String, shape: Shape, value: &[f32]) -> Self {
        Param {
            name,
            value: b.upload(&shape, value),
            grad: b.zeros(&shape),
            state1: b.zeros(&shape),
            state2: b.zeros(&shape),
            updates: 0,
            shape,
        }
    }

    /// Forget the optimizer's memory (a new run, or a new optimizer).
    pub fn reset_state(&mut self, b: &B) {
        b.fill(&mut self.state1, 0.0);
        b.fill(&mut self.state2, 0.0);
        self.updates = 0;
    }
}

/// A non-learnable tensor saved with the model (batch norm's running statistics).
pub struct Buffer<B: Backend> {
    pub name: String,
    pub shape: Shape,
    pub value: B::Tensor,
}

/// Every file of the reference, embedded at build time for the page's "show the code" view.
const SOURCES: &[(&str, &str)] = &[
    ("activation.rs", include_str!("activation.rs")),
    ("batchnorm.rs", include_str!("batchnorm.rs")),
    ("conv2d.rs", include_str!("conv2d.rs")),
    ("dense.rs", include_str!("dense.rs")),
    ("dropout.rs", include_str!("dropout.rs")),
    ("loss.rs", include_str!("loss.rs")),
    ("merge.rs", include_str!("merge.rs")),
    ("pool.rs", include_str!("pool.rs")),
    ("update.rs", include_str!("update.rs")),
];

/// A reference function's source, as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Source {
    pub name: String,
    /// The file under `crate/src/layers/`.
    pub file: &'static str,
    /// Its lines, from its doc comment to its closing brace.
    pub lines: Vec<&'static str>,
}

/// Every function marked `// ANCHOR: name` … `// ANCHOR_END: name` in the reference.
pub fn sources() -> Vec<Source> {
    let mut out = Vec::new();
    for &(file, src) in SOURCES {
        let lines: Vec<&str> = src.lines().collect();
        for (at, line) in lines.iter().enumerate() {
            if let Some(name) = line.strip_prefix("// ANCHOR: ") {
                let end = format!("// ANCHOR_END: {name}");
                // Pinned by the tests below: every anchor is closed.
                let len = lines[at..].iter().position(|l| *l == end).unwrap_or(lines.len() - at);
                out.push(Source { name: name.to_string(), file, lines: lines[at + 1..at + len].to_vec() });
            }
        }
    }
    out
}

/// The source of reference function `name` (`conv2d_forward`, `dense_backward`…).
pub fn source(name: &str) -> Option<Source> {
    sources().into_iter().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lines between `// ANCHOR: name` and `// ANCHOR_END: name`, by name; every anchor closed.
    fn anchored() -> Vec<(&'static str, String, Vec<&'static str>)> {
        for &(file, src) in SOURCES {
            for line in src.lines() {
                if let Some(name) = line.strip_prefix("// ANCHOR: ") {
                    assert!(src.contains(&format!("// ANCHOR_END: {name}")), "{file}: `// ANCHOR: {name}` has no end");
                }
            }
        }
        sources().into_iter().map(|s| (s.file, s.name, s.lines)).collect()
    }

    /// The page shows a reference function by its anchor: each one is marked once, and the
    /// marked lines hold the function of that name.
    #[test]
    fn every_reference_function_is_marked_for_the_page() {
        let mut names: Vec<String> = anchored()
            .into_iter()
            .map(|(file, name, body)| {
                assert!(body.iter().any(|l| l.starts_with(&format!("pub fn {name}("))), "{file}: the lines anchored `{name}` do not define `pub fn {name}`");
                name
            })
            .collect();
        names.sort();
        let mut want = [
            "activation_backward",
            "activation_forward",
            "add_into",
            "batchnorm2d_backward",
            "batchnorm2d_forward_eval",
            "batchnorm2d_forward_train",
            "conv2d_backward",
            "conv2d_forward",
            "conv2d_terms",
            "copy_channels",
            "dense_backward",
            "dense_forward",
            "dropout_backward",
            "dropout_forward",
            "l1_backward",
            "l1_forward",
            "mse_backward",
            "mse_forward",
            "mse_one_hot",
            "smooth_l1_backward",
            "smooth_l1_forward",
            "pool2d_backward",
            "pool2d_forward",
            "softmax",
            "softmax_cross_entropy",
            "update",
        ];
        want.sort();
        assert_eq!(names, want);
    }

    /// The page fills in the loop variables of the value being inspected: a convolution's n
    /// (example), o (output channel), i, j (output row, column), c (input channel), u, v (kernel
    /// row, column) and the `sum` it builds; a dense layer's n, o, k and `sum`; pooling's n, c,
    /// i, j, u, v. Renaming one breaks the page, so the names are pinned here.
    #[test]
    fn the_loop_variables_the_page_fills_in_keep_their_names() {
        let all = anchored();
        let body = |name: &str| all.iter().find(|(_, n, _)| n == name).map(|(_, _, b)| b.join("\n")).unwrap_or_default();
        for (name, vars, sum) in [
            ("conv2d_forward", &["n", "o", "i", "j", "c", "u", "v"][..], Some("let mut sum = b[o];")),
            ("dense_forward", &["n", "o", "k"][..], Some("let mut sum = b[o];")),
            ("pool2d_forward", &["n", "c", "i", "j", "u", "v"][..], None),
            ("pool2d_backward", &["n", "c", "i", "j", "u", "v"][..], None),
        ] {
            let src = body(name);
            for v in vars {
                assert!(src.contains(&format!("for {v} in 0..")), "{name}: no loop over `{v}`");
            }
            if let Some(s) = sum {
                assert!(src.contains(s), "{name}: no `{s}`");
            }
        }
    }
}
