//! The networks the notebook ships, written as specs.

use super::spec::{LayerSpec, ModelSpec};

/// Names accepted by `preset`.
pub const PRESETS: &[&str] = &["lenet-d2l", "lenet5", "lenet-relu", "plain-20", "resnet-20"];

/// Look up a preset by name.
pub fn preset(name: &str) -> Option<ModelSpec> {
    match name {
        "lenet-d2l" => Some(lenet_d2l()),
        "lenet5" => Some(lenet5()),
        "lenet-relu" => Some(lenet_relu()),
        "plain-20" => Some(deep(false)),
        "resnet-20" => Some(deep(true)),
        _ => None,
    }
}

fn conv(in_channels: usize, out_channels: usize, kernel: usize, padding: usize) -> LayerSpec {
    LayerSpec::Conv2d { in_channels: Some(in_channels), out_channels, kernel, stride: 1, padding, bias: true }
}
fn dense(in_features: usize, units: usize) -> LayerSpec {
    LayerSpec::Dense { in_features: Some(in_features), units }
}

/// LeNet as in Dive into Deep Learning §7.6 (28×28 input, padding 2 on the first conv,
/// sigmoid, average pooling): 61,706 parameters.
pub fn lenet_d2l() -> ModelSpec {
    use LayerSpec::*;
    ModelSpec {
        name: "lenet-d2l".into(),
        input: [1, 28, 28],
        layers: vec![
            conv(1, 6, 5, 2),
            Sigmoid,
            AvgPool2d { kernel: 2, stride: 2, padding: 0 },
            conv(6, 16, 5, 0),
            Sigmoid,
            AvgPool2d { kernel: 2, stride: 2, padding: 0 },
            Flatten,
            dense(16 * 5 * 5, 120),
            Sigmoid,
            dense(120, 84),
            Sigmoid,
            dense(84, 10),
        ],
    }
}

/// The classic LeNet-5 layout (LeCun et al. 1998) on 32×32 inputs, with tanh and max pooling and
/// full C3 connections: also 61,706 parameters.
pub fn lenet5() -> ModelSpec {
    use LayerSpec::*;
    ModelSpec {
        name: "lenet5".into(),
        input: [1, 32, 32],
        layers: vec![
            conv(1, 6, 5, 0),
            Tanh,
            MaxPool2d { kernel: 2, stride: 2, padding: 0 },
            conv(6, 16, 5, 0),
            Tanh,
            MaxPool2d { kernel: 2, stride: 2, padding: 0 },
            Flatten,
            dense(16 * 5 * 5, 120),
            Tanh,
            dense(120, 84),
            Tanh,
            dense(84, 10),
        ],
    }
}

/// `lenet-d2l` with ReLU and max pooling: the modern variant that trains fast.
pub fn lenet_relu() -> ModelSpec {
    let mut s = lenet_d2l().with_activation(crate::backend::ActKind::Relu);
    s.name = "lenet-relu".into();
    for l in &mut s.layers {
        if let LayerSpec::AvgPool2d { kernel, stride, padding } = *l {
            *l = LayerSpec::MaxPool2d { kernel, stride, padding };
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::spec::SpecError;
    use crate::tensor::Shape;

    #[test]
    fn every_lenet_has_61706_parameters() {
        for name in PRESETS.iter().filter(|n| n.starts_with("lenet")) {
            let spec = preset(name).unwrap();
            assert_eq!(spec.param_count().unwrap(), 61_706, "{name}");
            assert_eq!(spec.output_shape(7).unwrap(), Shape::nf(7, 10), "{name}");
        }
    }

    #[test]
    fn the_plain_and_residual_twenty_layer_nets_differ_only_by_their_shortcuts() {
        let (plain, residual) = (deep(false), deep(true));
        let weight_layers = |s: &ModelSpec| s.infer().unwrap().iter().filter(|i| i.params > 0 && matches!(i.op, crate::model::graph::NodeOp::Layer(LayerSpec::Conv2d { .. } | LayerSpec::Dense { .. }))).count();
        assert_eq!((weight_layers(&plain), weight_layers(&residual)), (20, 20));
        assert_eq!(plain.param_count().unwrap(), 42_394);
        assert_eq!(residual.param_count().unwrap(), 42_394);
        assert_eq!(plain.macs().unwrap(), residual.macs().unwrap());
        assert_eq!(residual.output_shape(3).unwrap(), Shape::nf(3, 10));
    }

    #[test]
    fn lenet_d2l_shapes_and_macs_match_the_textbook_table() {
        let infos = lenet_d2l().infer().unwrap();
        let shapes: Vec<String> = infos.iter().map(|l| l.output.to_string()).collect();
        assert_eq!(shapes[0], "(N, 6, 28, 28)");
        assert_eq!(shapes[2], "(N, 6, 14, 14)");
        assert_eq!(shapes[3], "(N, 16, 10, 10)");
        assert_eq!(shapes[5], "(N, 16, 5, 5)");
        assert_eq!(shapes[6], "(N, 400)");
        assert_eq!(shapes[11], "(N, 10)");
        // conv1: 6·28·28·1·25 = 117,600; conv2: 16·10·10·6·25 = 240,000; dense: 48,000 + 10,080 + 840.
        assert_eq!(infos[0].macs, 117_600);
        assert_eq!(infos[3].macs, 240_000);
        assert_eq!(lenet_d2l().macs().unwrap(), 117_600 + 240_000 + 48_000 + 10_080 + 840);
    }

    #[test]
    fn a_kernel_larger_than_its_input_names_the_layer() {
        let mut spec = lenet5();
        spec.input = [1, 12, 12]; // conv 5 → 8, pool → 4, conv 5 does not fit.
        let err = spec.infer().unwrap_err();
        assert!(matches!(err, SpecError::WindowTooLarge { index: 3, kernel: 5, .. }), "{err:?}");
        assert!(err.to_string().contains("layer 3 (Conv2d 16@5×5)"), "{err}");
        assert!(err.to_string().contains("(N, 6, 4, 4)"), "{err}");
    }

    #[test]
    fn a_dense_layer_with_the_wrong_input_size_names_the_shapes() {
        let mut spec = lenet_d2l();
        spec.input = [1, 32, 32]; // flatten now gives 16·6·6 = 576, not 400.
        let err = spec.infer().unwrap_err();
        assert_eq!(
            err,
            SpecError::FeatureMismatch { index: 7, label: crate::message::Message::new(crate::model::text::DENSE).with("units", 120), input: Shape::nf(0, 576), expected: 400, got: 576 }
        );
        assert!(err.to_string().contains("expects 400 input features but receives (N, 576)"), "{err}");
    }

    #[test]
    fn specs_round_trip_through_json() {
        for name in PRESETS {
            let spec = preset(name).unwrap();
            let json = serde_json::to_string(&spec).unwrap();
            let back: ModelSpec = serde_json::from_str(&json).unwrap();
            assert_eq!(spec, back);
        }
        let handwritten = r#"{"name":"tiny","input":[1,8,8],"layers":[
            {"type":"conv2d","out_channels":2,"kernel":3},{"type":"relu"},{"type":"flatten"},{"type":"dense","units":3}]}"#;
        let spec: ModelSpec = serde_json::from_str(handwritten).unwrap();
        assert_eq!(spec.param_count().unwrap(), 2 * 9 + 2 + 2 * 36 * 3 + 3);
    }
}

/// The degradation experiment at notebook scale (He et al. 2016, Fig. 1): 20 weight layers on
/// the digits — a strided 3×3 stem and a pooling to 7×7, then 9 pairs of 3×3 convolutions of 16
/// channels with batch norm, global average pooling and a dense layer — either plain or with
/// every pair wrapped in a residual block, x + f(x). Both have the same layers and parameters
/// (42,394), so a run of each on the same data and seed differs only by the shortcuts.
pub fn deep(residual: bool) -> ModelSpec {
    use LayerSpec::*;
    let conv16 = || LayerSpec::Conv2d { in_channels: Some(16), out_channels: 16, kernel: 3, stride: 1, padding: 1, bias: false };
    let bn = || BatchNorm2d { eps: 1e-5, momentum: 0.1, num_features: None };
    let mut layers = vec![
        LayerSpec::Conv2d { in_channels: Some(1), out_channels: 16, kernel: 3, stride: 2, padding: 1, bias: false },
        bn(),
        Relu,
        MaxPool2d { kernel: 2, stride: 2, padding: 0 },
    ];
    for _ in 0..9 {
        let pair = vec![conv16(), bn(), Relu, conv16(), bn()];
        if residual {
            layers.push(Residual { body: pair, shortcut: vec![] });
        } else {
            layers.extend(pair);
        }
        layers.push(Relu);
    }
    layers.extend([GlobalAvgPool, Flatten, dense(16, 10)]);
    ModelSpec { name: if residual { "resnet-20" } else { "plain-20" }.into(), input: [1, 28, 28], layers }
}
