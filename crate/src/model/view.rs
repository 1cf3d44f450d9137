//! A network as the page's layer-by-layer views show it: each layer's name, kind and output, the
//! reference functions of its forward and backward passes (`layers::source`, for "show the
//! code"), the state-dict name of its weights; and the softmax after the last layer. The step-
//! through chapter and the backprop chapter both read these rows.

use serde::Serialize;

use super::{Layer, Sequential};
use crate::backend::Backend;
use crate::message::Message;
use crate::tensor::Shape;

/// One row of a layer-by-layer view.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LayerView {
    /// 0-based, as PyTorch's `nn.Sequential` numbers its layers; the softmax row comes after the last.
    pub index: usize,
    /// "Conv2d 6@5×5, pad 2".
    pub label: Message,
    /// conv, pool, dense, flatten, activation, dropout, batchnorm or softmax.
    pub kind: &'static str,
    /// "(N, 6, 28, 28)": the output shape, the batch written N.
    pub shape: String,
    /// Output channels, height and width; a flat output has channels = features, height = width = 0.
    pub channels: usize,
    pub height: usize,
    pub width: usize,
    pub params: u64,
    /// The reference functions that compute its forward and backward passes.
    pub forward: Option<&'static str>,
    pub backward: Option<&'static str>,
    /// The state-dict name of its weights ("3.weight", "2.body.0.weight"), for a layer that has them.
    pub weights: Option<String>,
    /// The activations it reads (0 the input, i + 1 the output of row i): one for a layer, f(x)
    /// and x for a residual sum, the branches for a concatenation.
    pub inputs: Vec<usize>,
    /// Its module path, and how deep inside blocks it sits and where.
    pub name: String,
    pub depth: usize,
    pub part: crate::model::graph::Part,
}

impl<B: Backend> Sequential<B> {
    /// Every layer as a row, then the softmax that turns the last layer's scores into
    /// probabilities.
    pub fn views(&self) -> Vec<LayerView> {
        let mut rows: Vec<LayerView> = self
            .infos()
            .iter()
            .zip(&self.layers)
            .map(|(info, layer)| {
                let (channels, height, width) = match info.output.dims().len() {
                    4 => info.output.chw(),
                    _ => (info.output.per_example(), 0, 0),
                };
                let (kind, forward, backward) = match layer {
                    Layer::Conv2d(_) => ("conv", Some("conv2d_forward"), Some("conv2d_backward")),
                    Layer::Pool2d(_) => ("pool", Some("pool2d_forward"), Some("pool2d_backward")),
                    Layer::Dense(_) => ("dense", Some("dense_forward"), Some("dense_backward")),
                    // A reshape: the values stay where they are in memory; nothing to compute.
                    Layer::Flatten => ("flatten", None, None),
                    Layer::Activation(_) => ("activation", Some("activation_forward"), Some("activation_backward")),
                    Layer::Dropout(_) => ("dropout", Some("dropout_forward"), Some("dropout_backward")),
                    Layer::BatchNorm2d(_) => ("batchnorm", Some("batchnorm2d_forward_eval"), Some("batchnorm2d_backward")),
                    // The sum's backward computes nothing: dy goes to both terms as it is.
                    Layer::Add => ("add", Some("add_into"), None),
                    // Forward writes each path into its channels; backward reads them back out.
                    Layer::Concat => ("concat", Some("copy_channels"), Some("copy_channels")),
                };
                let weights = matches!(layer, Layer::Conv2d(_) | Layer::Dense(_)).then(|| format!("{}.weight", info.name));
                LayerView {
                    index: info.index,
                    label: info.label.clone(),
                    kind,
                    shape: info.output.to_string(),
                    channels,
                    height,
                    width,
                    params: info.params,
                    forward,
                    backward,
                    weights,
                    inputs: info.inputs.clone(),
                    name: info.name.clone(),
                    depth: info.depth,
                    part: info.part,
                }
            })
            .collect();
        let classes = rows.last().map_or(0, |r| r.channels);
        rows.push(LayerView {
            index: rows.len(),
            label: super::text::SOFTMAX.into(),
            kind: "softmax",
            shape: Shape::nf(0, classes).to_string(),
            channels: classes,
            height: 0,
            width: 0,
            params: 0,
            forward: Some("softmax"),
            backward: Some("softmax_cross_entropy"),
            weights: None,
            inputs: vec![rows.len()],
            name: String::new(),
            depth: 0,
            part: crate::model::graph::Part::Main,
        });
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::init::Init;
    use crate::model::zoo;
    use crate::Cpu;

    #[test]
    fn lenet_as_the_views_show_it() {
        let b = Cpu::new();
        let m = Sequential::new(&b, zoo::lenet_relu(), Init::HeNormal, 1).unwrap();
        let v = m.views();
        assert_eq!(v.len(), 13, "twelve layers and the softmax");
        assert_eq!((v[0].kind, v[0].shape.as_str(), v[0].channels, v[0].height), ("conv", "(N, 6, 28, 28)", 6, 28));
        assert_eq!(v[0].weights.as_deref(), Some("0.weight"));
        assert_eq!(v[6].kind, "flatten");
        assert_eq!((v[11].kind, v[11].channels, v[11].height), ("dense", 10, 0));
        assert_eq!((v[12].kind, v[12].shape.as_str(), v[12].forward), ("softmax", "(N, 10)", Some("softmax")));
        let graph = Sequential::new(&b, zoo::deep(true), Init::HeNormal, 1).unwrap().views();
        let inception = crate::model::ModelSpec {
            name: "inception".into(),
            input: [4, 6, 6],
            layers: vec![crate::model::LayerSpec::Inception { in_channels: 4, c1: 1, c2: [1, 2], c3: [1, 1], c4: 1 }],
        };
        let graph: Vec<LayerView> = graph.into_iter().chain(Sequential::new(&b, inception, Init::HeNormal, 1).unwrap().views()).collect();
        assert!(graph.iter().any(|r| r.kind == "add") && graph.iter().any(|r| r.kind == "concat"));
        for row in v.iter().chain(&graph) {
            for f in [row.forward, row.backward].into_iter().flatten() {
                assert!(crate::layers::source(f).is_some(), "{f} is a reference function the page can show");
            }
        }
    }
}
