//! Frozen layers, for transfer learning ("keep the convolutions, retrain the dense layers"): a
//! frozen layer's parameters get no update, as PyTorch's `requires_grad = False` on them (the
//! optimizer skips them and leaves their momentum or Adam state as it was). Everything else runs
//! as before: the forward pass, the gradients flowing through the layer to those below it, and
//! batch norm's running statistics, which PyTorch updates in training mode whatever
//! `requires_grad` says.
//!
//! A layer is named by its index among the spec's top-level layers — `nn.Sequential`'s module
//! name ("0", "3"). Freezing a block (a residual block, an Inception block) freezes every
//! parameter inside it ("3.body.0.weight", "3.shortcut.weight", …).

use super::graph::count_sources;
use super::spec::{LayerInfo, ModelSpec};
use crate::message::{Explain, Message};

/// A layer that cannot be frozen.
#[derive(Clone, Debug, PartialEq)]
pub enum FreezeError {
    /// There is no top-level layer `index`: the network has `layers` of them.
    NoSuchLayer { index: usize, layers: usize },
    /// Layer `index` has no parameters (an activation, a pooling, a flatten…): nothing to freeze.
    NoParameters { index: usize, label: Message },
}

impl Explain for FreezeError {
    fn message(&self) -> Message {
        use super::text::*;
        match self {
            FreezeError::NoSuchLayer { index, layers } => Message::new(FREEZE_NO_LAYER).with("index", index).with("last", layers.saturating_sub(1)),
            FreezeError::NoParameters { index, label } => Message::new(FREEZE_NO_PARAMETERS).with("index", index).nested("label", label.clone()),
        }
    }
}
crate::explained_error!(FreezeError);

/// For each node of the unrolled network (`infos`, from `spec.infer()`), the top-level spec
/// layer it belongs to: a block's nodes all belong to the block.
pub fn top_levels(spec: &ModelSpec, infos: &[LayerInfo]) -> Vec<usize> {
    // Nodes know their spec layer in pre-order (`LayerInfo::source`); top-level layer t covers
    // the pre-order numbers from where t starts to where t + 1 does.
    let mut top_of_source = Vec::new();
    for (t, layer) in spec.layers.iter().enumerate() {
        top_of_source.extend(std::iter::repeat_n(t, count_sources(std::slice::from_ref(layer))));
    }
    infos.iter().map(|info| top_of_source[info.source]).collect()
}

/// Whether top-level layer `index` of `spec` can be frozen: it exists and holds parameters.
pub fn check(spec: &ModelSpec, infos: &[LayerInfo], index: usize) -> Result<(), FreezeError> {
    let layer = spec.layers.get(index).ok_or(FreezeError::NoSuchLayer { index, layers: spec.layers.len() })?;
    let params: u64 = top_levels(spec, infos).iter().zip(infos).filter(|(&t, _)| t == index).map(|(_, info)| info.params).sum();
    if params == 0 {
        return Err(FreezeError::NoParameters { index, label: layer.label() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::zoo;

    #[test]
    fn blocks_own_every_node_inside_them() {
        let spec = zoo::deep(true);
        let infos = spec.infer().unwrap();
        let tops = top_levels(&spec, &infos);
        // Every node's module path starts with its top-level index ("3", "3.body.0", "3.shortcut").
        for (info, t) in infos.iter().zip(&tops) {
            if !info.name.is_empty() {
                assert_eq!(info.name.split('.').next().unwrap(), t.to_string(), "{}", info.name);
            }
        }
        assert_eq!(*tops.last().unwrap(), spec.layers.len() - 1);
    }

    #[test]
    fn only_layers_that_exist_and_hold_parameters_can_be_frozen() {
        let spec = zoo::lenet_d2l();
        let infos = spec.infer().unwrap();
        assert_eq!(check(&spec, &infos, 0), Ok(()));
        let e = check(&spec, &infos, 1).unwrap_err();
        assert!(matches!(e, FreezeError::NoParameters { index: 1, .. }), "{e:?}");
        assert!(e.to_string().starts_with("layer 1 (") && e.to_string().ends_with("has no weights to freeze"), "{e}");
        let n = spec.layers.len();
        let e = check(&spec, &infos, n).unwrap_err();
        assert_eq!(e, FreezeError::NoSuchLayer { index: n, layers: n });
        assert_eq!(e.to_string(), format!("there is no layer {n}: the network's layers are numbered 0 to {}", n - 1));
    }
}
