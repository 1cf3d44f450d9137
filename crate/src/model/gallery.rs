//! The architecture gallery: the classic networks as `arch` trees, layer names as torchvision's
//! module paths where torchvision has the network, and two ZFNets — one correct, one written
//! with the mistake the notebook teaches from.
//!
//! `table(name)` gives the rows the page shows. The totals are checked against torchvision's
//! `sum(p.numel() for p in model.parameters())` in the tests below, and every row's shape
//! against torchvision's forward pass in `crate/tests/gallery_torchvision.rs`.

pub use super::arch::{GalleryTable, Row, RowKind, Status};
use super::arch::{Arch, ArchLayer, Node, Op};
use super::spec::LayerSpec;
use crate::message::{Explain, Message, Template};

/// The labels of the gallery's blocks.
pub mod text {
    crate::templates! {
        FEATURES_5 = "gallery.features5": "features: 5 convolutions";
        CLASSIFIER_3 = "gallery.classifier3": "classifier: 3 dense layers";
        VGG_BLOCK = "gallery.vggBlock": "block {index}: {convs} × conv 3×3, {channels} channels";
        VGG_FEATURES = "gallery.vggFeatures": "features: 13 convolutions in 5 blocks";
        INCEPTION = "gallery.inception": "Inception {block}: {inputs} → {outputs} channels";
        BRANCH_1 = "gallery.branch1": "branch 1: 1×1";
        BRANCH_2 = "gallery.branch2": "branch 2: 1×1 bottleneck → 3×3";
        BRANCH_3 = "gallery.branch3": "branch 3: 1×1 bottleneck → 3×3 (5×5 in the paper)";
        BRANCH_4 = "gallery.branch4": "branch 4: 3×3 max pool → 1×1";
        AUX = "gallery.aux": "auxiliary classifier {index} (training only)";
        STEM_CONV1 = "gallery.stemConv1": "conv1: 7×7/2 + BN + ReLU";
        STEM_CONV2 = "gallery.stemConv2": "conv2: 1×1 + BN + ReLU";
        STEM_CONV3 = "gallery.stemConv3": "conv3: 3×3 + BN + ReLU";
        RESIDUAL_BODY = "gallery.residualBody": "F(x): two 3×3 convolutions";
        PROJECTION = "gallery.projection": "shortcut: 1×1 convolution, stride {stride}, + BN";
        BASIC_BLOCK = "gallery.basicBlock": "BasicBlock: F(x) + x";
        BASIC_BLOCK_PROJECTION = "gallery.basicBlockProjection": "BasicBlock: F(x) + projection of x";
        RESNET_STAGE = "gallery.resnetStage": "{name}: 2 BasicBlocks, {channels} channels";
        UNKNOWN = "gallery.unknownName": "the gallery has no architecture named {name}; it has {names}";
        UNKNOWN_BLOCK = "gallery.unknownBlock": "GoogLeNet has no Inception block named {name}; it has {names}";
        NO_ADAPTIVE = "gallery.noAdaptive": "{name} has no adaptive average pool: its input size is fixed";
        SIDE_RANGE = "gallery.sideRange": "the input side must be a whole number of pixels from 1 to {max}, not {side}";
    }
}

/// Every architecture the gallery has, in the order the page lists them.
pub const NAMES: &[&str] = &["lenet5", "alexnet", "alexnet-paper", "zfnet", "zfnet-mistake", "vgg16", "googlenet", "googlenet-aux", "resnet18"];

/// What the gallery cannot show: a name it does not have, a network without the part asked
/// about, an input size out of range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GalleryError {
    Unknown { name: String },
    UnknownBlock { name: String },
    NoAdaptivePool { name: String },
    SideOutOfRange { side: usize, max: usize },
}

impl Explain for GalleryError {
    fn message(&self) -> Message {
        match self {
            GalleryError::Unknown { name } => Message::new(text::UNKNOWN).with("name", format!("{name:?}")).with("names", NAMES.join(", ")),
            GalleryError::UnknownBlock { name } => {
                let names: Vec<&str> = INCEPTION_BLOCKS.iter().map(|b| b.name).collect();
                Message::new(text::UNKNOWN_BLOCK).with("name", format!("{name:?}")).with("names", names.join(", "))
            }
            GalleryError::NoAdaptivePool { name } => Message::new(text::NO_ADAPTIVE).with("name", name),
            GalleryError::SideOutOfRange { side, max } => Message::new(text::SIDE_RANGE).with("side", side).with("max", max),
        }
    }
}
crate::explained_error!(GalleryError);

/// The architecture tree of a gallery entry.
pub fn arch(name: &str) -> Result<Arch, GalleryError> {
    Ok(match name {
        "lenet5" => Arch::from_spec(&super::zoo::lenet5(), "LeNet-5 (LeCun et al., 1998): 32×32 input, tanh, max pooling"),
        "alexnet" => alexnet_torchvision(),
        "alexnet-paper" => alexnet_paper(1),
        "zfnet" => zfnet(false),
        "zfnet-mistake" => zfnet(true),
        "vgg16" => vgg16(),
        "googlenet" => googlenet(false),
        "googlenet-aux" => googlenet(true),
        "resnet18" => resnet18(),
        _ => return Err(GalleryError::Unknown { name: name.to_string() }),
    })
}

/// The gallery's table for `name`: a row per layer, block and merge.
pub fn table(name: &str) -> Result<GalleryTable, GalleryError> {
    Ok(GalleryTable { torchvision: TORCHVISION.contains(&name), ..arch(name)?.table() })
}

/// The entries torchvision builds (`torchvision.models`), whose row names are its module paths.
pub const TORCHVISION: &[&str] = &["alexnet", "vgg16", "googlenet", "googlenet-aux", "resnet18"];

// ---- building blocks ------------------------------------------------------------------------

fn op(name: &str, op: Op) -> Node {
    Node::Layer(ArchLayer { name: name.to_string(), op, claimed: None })
}
fn spec(name: &str, layer: LayerSpec) -> Node {
    op(name, Op::Layer(layer))
}
/// `nn.Conv2d(c_in, c_out, kernel, stride, padding)` with a bias.
fn conv(name: &str, c_in: usize, c_out: usize, kernel: usize, stride: usize, padding: usize) -> Node {
    spec(name, LayerSpec::Conv2d { in_channels: Some(c_in), out_channels: c_out, kernel, stride, padding, bias: true })
}
/// The same with `bias=False`, as before a batch norm.
fn conv_nb(name: &str, c_in: usize, c_out: usize, kernel: usize, stride: usize, padding: usize) -> Node {
    op(name, Op::Conv2dNoBias { in_channels: c_in, out_channels: c_out, kernel, stride, padding })
}
fn bn(name: &str, eps: f32) -> Node {
    spec(name, LayerSpec::BatchNorm2d { eps, momentum: 0.1, num_features: None })
}
fn relu(name: &str) -> Node {
    spec(name, LayerSpec::Relu)
}
/// `nn.MaxPool2d(kernel, stride)`: no padding, floor.
fn maxpool(name: &str, kernel: usize, stride: usize) -> Node {
    spec(name, LayerSpec::MaxPool2d { kernel, stride, padding: 0 })
}
fn maxpool_padded(name: &str, kernel: usize, stride: usize, padding: usize, ceil_mode: bool) -> Node {
    op(name, Op::MaxPool2d { kernel, stride, padding, ceil_mode })
}
fn adaptive(name: &str, size: usize) -> Node {
    op(name, Op::AdaptiveAvgPool2d { size })
}
fn lrn(name: &str) -> Node {
    op(name, Op::LocalResponseNorm { size: 5 })
}
fn dropout(name: &str, p: f32) -> Node {
    spec(name, LayerSpec::Dropout { p })
}
fn flatten(name: &str) -> Node {
    spec(name, LayerSpec::Flatten)
}
fn dense(name: &str, in_features: usize, units: usize) -> Node {
    spec(name, LayerSpec::Dense { in_features: Some(in_features), units })
}
/// The output size the description claims for this layer, for one example.
fn claims(mut node: Node, dims: &[usize]) -> Node {
    if let Node::Layer(l) = &mut node {
        l.claimed = Some(dims.to_vec());
    }
    node
}
/// A block of the table: a header row with its totals, its rows indented below it.
fn block(name: &str, label: impl Into<Message>, nodes: Vec<Node>) -> Node {
    Node::Sequence { name: name.to_string(), label: Some(label.into()), nodes }
}
fn rows(nodes: Vec<Node>) -> Node {
    Node::Sequence { name: String::new(), label: None, nodes }
}

// ---- AlexNet --------------------------------------------------------------------------------

/// torchvision's `alexnet()`: the channel counts of the "one weird trick" paper (64, 192, 384,
/// 256, 256), padding 2 on the first convolution so that 224 gives 55, and an adaptive pool that
/// makes any input 6×6 before the classifier. 61,100,840 parameters.
fn alexnet_torchvision() -> Arch {
    Arch {
        name: "alexnet".into(),
        title: "AlexNet as torchvision builds it: 224×224 input, 64-192-384-256-256 channels".into(),
        input: [3, 224, 224],
        nodes: vec![
            block(
                "features",
                text::FEATURES_5,
                vec![
                    conv("features.0", 3, 64, 11, 4, 2),
                    relu("features.1"),
                    maxpool("features.2", 3, 2),
                    conv("features.3", 64, 192, 5, 1, 2),
                    relu("features.4"),
                    maxpool("features.5", 3, 2),
                    conv("features.6", 192, 384, 3, 1, 1),
                    relu("features.7"),
                    conv("features.8", 384, 256, 3, 1, 1),
                    relu("features.9"),
                    conv("features.10", 256, 256, 3, 1, 1),
                    relu("features.11"),
                    maxpool("features.12", 3, 2),
                ],
            ),
            adaptive("avgpool", 6),
            flatten(""),
            block(
                "classifier",
                text::CLASSIFIER_3,
                vec![
                    dropout("classifier.0", 0.5),
                    dense("classifier.1", 256 * 6 * 6, 4096),
                    relu("classifier.2"),
                    dropout("classifier.3", 0.5),
                    dense("classifier.4", 4096, 4096),
                    relu("classifier.5"),
                    dense("classifier.6", 4096, 1000),
                ],
            ),
        ],
    }
}

/// AlexNet as the paper describes it (Krizhevsky, Sutskever & Hinton 2012). The paper splits
/// conv2, conv4 and conv5 over two GPUs: each half of their output channels reads only the
/// half of the input channels on its own GPU (`groups` = 2, 60,965,224 parameters, as Caffe's
/// reference AlexNet). On one GPU (`groups` = 1) it has 62,378,344. The paper says 224×224, but
/// only 227 gives its 55×55 (with no padding); the claimed sizes are the paper's figure.
pub fn alexnet_paper(groups: usize) -> Arch {
    let split = |name: &str, c_in, c_out, kernel, padding| {
        if groups == 1 {
            conv(name, c_in, c_out, kernel, 1, padding)
        } else {
            op(name, Op::GroupedConv2d { in_channels: c_in, out_channels: c_out, kernel, stride: 1, padding, groups })
        }
    };
    let title = if groups == 1 {
        "AlexNet as in the paper (Krizhevsky et al., 2012) on one GPU: no groups, 227×227 input".to_string()
    } else {
        format!("AlexNet as in the paper (Krizhevsky et al., 2012): conv2, conv4 and conv5 in {groups} groups, 227×227 input")
    };
    Arch {
        name: "alexnet-paper".into(),
        title,
        input: [3, 227, 227],
        nodes: vec![
            block(
                "features",
                text::FEATURES_5,
                vec![
                    claims(conv("conv1", 3, 96, 11, 4, 0), &[96, 55, 55]),
                    relu("relu1"),
                    lrn("norm1"),
                    claims(maxpool("pool1", 3, 2), &[96, 27, 27]),
                    claims(split("conv2", 96, 256, 5, 2), &[256, 27, 27]),
                    relu("relu2"),
                    lrn("norm2"),
                    claims(maxpool("pool2", 3, 2), &[256, 13, 13]),
                    claims(conv("conv3", 256, 384, 3, 1, 1), &[384, 13, 13]),
                    relu("relu3"),
                    claims(split("conv4", 384, 384, 3, 1), &[384, 13, 13]),
                    relu("relu4"),
                    claims(split("conv5", 384, 256, 3, 1), &[256, 13, 13]),
                    relu("relu5"),
                    claims(maxpool("pool5", 3, 2), &[256, 6, 6]),
                ],
            ),
            claims(flatten("flatten"), &[9216]),
            block(
                "classifier",
                text::CLASSIFIER_3,
                vec![
                    claims(dense("fc6", 9216, 4096), &[4096]),
                    relu("relu6"),
                    dropout("drop6", 0.5),
                    claims(dense("fc7", 4096, 4096), &[4096]),
                    relu("relu7"),
                    dropout("drop7", 0.5),
                    claims(dense("fc8", 4096, 1000), &[1000]),
                ],
            ),
        ],
    }
}

// ---- ZFNet ----------------------------------------------------------------------------------

/// ZFNet (Zeiler & Fergus 2013), with the sizes of the paper's figure 3 as claims: 224 → 110 →
/// 55 → 26 → 13 → 13 → 13 → 13 → 6, then 9,216 values into the first dense layer.
///
/// Written `mistaken`, its pooling rounds down as `nn.MaxPool2d(3, 2)` does. Then 110 pools to
/// floor((110 − 3)/2) + 1 = 54, not 55; conv2 (5×5, stride 2) gives floor((54 − 5)/2) + 1 = 25,
/// not 26; the next pool 12, not 13; the last pool floor((12 − 3)/2) + 1 = 5, not 6; and the
/// flatten has 256·5·5 = 6,400 values where fc6 expects 256·6·6 = 9,216. The correct version
/// pools with `ceil_mode=True` (as Caffe always did): ceil(107/2) + 1 = 55, ceil(23/2) + 1 = 13
/// and ceil(10/2) + 1 = 6, the paper's sizes.
fn zfnet(mistaken: bool) -> Arch {
    let pool = |name: &str| if mistaken { maxpool(name, 3, 2) } else { maxpool_padded(name, 3, 2, 0, true) };
    let (name, title) = if mistaken {
        ("zfnet-mistake", "ZFNet written with a mistake: its pooling rounds down, its comments claim the paper's sizes")
    } else {
        ("zfnet", "ZFNet (Zeiler & Fergus, 2013): 7×7/2 first layer, pooling with ceil_mode as in the paper's figure")
    };
    Arch {
        name: name.into(),
        title: title.into(),
        input: [3, 224, 224],
        nodes: vec![
            block(
                "features",
                text::FEATURES_5,
                vec![
                    claims(conv("conv1", 3, 96, 7, 2, 1), &[96, 110, 110]),
                    relu("relu1"),
                    lrn("norm1"),
                    claims(pool("pool1"), &[96, 55, 55]),
                    claims(conv("conv2", 96, 256, 5, 2, 0), &[256, 26, 26]),
                    relu("relu2"),
                    lrn("norm2"),
                    claims(pool("pool2"), &[256, 13, 13]),
                    claims(conv("conv3", 256, 384, 3, 1, 1), &[384, 13, 13]),
                    relu("relu3"),
                    claims(conv("conv4", 384, 384, 3, 1, 1), &[384, 13, 13]),
                    relu("relu4"),
                    claims(conv("conv5", 384, 256, 3, 1, 1), &[256, 13, 13]),
                    relu("relu5"),
                    claims(pool("pool5"), &[256, 6, 6]),
                ],
            ),
            claims(flatten("flatten"), &[9216]),
            block(
                "classifier",
                text::CLASSIFIER_3,
                vec![
                    claims(dense("fc6", 256 * 6 * 6, 4096), &[4096]),
                    relu("relu6"),
                    dropout("drop6", 0.5),
                    claims(dense("fc7", 4096, 4096), &[4096]),
                    relu("relu7"),
                    dropout("drop7", 0.5),
                    claims(dense("fc8", 4096, 1000), &[1000]),
                ],
            ),
        ],
    }
}

// ---- VGG16 ----------------------------------------------------------------------------------

/// torchvision's `vgg16()` (configuration D of Simonyan & Zisserman 2014): thirteen 3×3
/// convolutions with padding 1 in five blocks, each block ending in a 2×2/2 max pool.
/// 138,357,544 parameters, about 15.5 G multiply-accumulates.
fn vgg16() -> Arch {
    let mut features = Vec::new();
    let mut index = 0;
    let mut c_in = 3;
    for (b, (c_out, convs)) in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)].into_iter().enumerate() {
        let mut layers = Vec::new();
        for _ in 0..convs {
            layers.push(conv(&format!("features.{index}"), c_in, c_out, 3, 1, 1));
            layers.push(relu(&format!("features.{}", index + 1)));
            index += 2;
            c_in = c_out;
        }
        layers.push(maxpool(&format!("features.{index}"), 2, 2));
        index += 1;
        features.push(block("", Message::new(text::VGG_BLOCK).with("index", b + 1).with("convs", convs).with("channels", c_out), layers));
    }
    Arch {
        name: "vgg16".into(),
        title: "VGG16 (Simonyan & Zisserman, 2014) as torchvision builds it".into(),
        input: [3, 224, 224],
        nodes: vec![
            block("features", text::VGG_FEATURES, features),
            adaptive("avgpool", 7),
            flatten(""),
            block(
                "classifier",
                text::CLASSIFIER_3,
                vec![
                    dense("classifier.0", 512 * 7 * 7, 4096),
                    relu("classifier.1"),
                    dropout("classifier.2", 0.5),
                    dense("classifier.3", 4096, 4096),
                    relu("classifier.4"),
                    dropout("classifier.5", 0.5),
                    dense("classifier.6", 4096, 1000),
                ],
            ),
        ],
    }
}

// ---- GoogLeNet ------------------------------------------------------------------------------

/// torchvision's `BasicConv2d`: a convolution without bias, batch norm (ε = 0.001), ReLU.
fn basic_conv(name: &str, c_in: usize, c_out: usize, kernel: usize, stride: usize, padding: usize) -> Vec<Node> {
    vec![conv_nb(&format!("{name}.conv"), c_in, c_out, kernel, stride, padding), bn(&format!("{name}.bn"), 1e-3), relu("")]
}

/// One Inception block's sizes as GoogLeNet's table 1 gives them (torchvision's `Inception`
/// arguments): its name, input channels, the 1×1 branch's outputs, the 3×3 branch's 1×1 reduce
/// and outputs, the "5×5" branch's reduce and outputs, and the pool branch's projection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InceptionSizes {
    pub name: &'static str,
    pub c_in: usize,
    pub c1: usize,
    pub c3_reduce: usize,
    pub c3: usize,
    pub c5_reduce: usize,
    pub c5: usize,
    pub pool_proj: usize,
}

#[allow(clippy::too_many_arguments)]
const fn sizes(name: &'static str, c_in: usize, c1: usize, c3_reduce: usize, c3: usize, c5_reduce: usize, c5: usize, pool_proj: usize) -> InceptionSizes {
    InceptionSizes { name, c_in, c1, c3_reduce, c3, c5_reduce, c5, pool_proj }
}

/// GoogLeNet's nine Inception blocks, in order.
pub const INCEPTION_BLOCKS: [InceptionSizes; 9] = [
    sizes("inception3a", 192, 64, 96, 128, 16, 32, 32),
    sizes("inception3b", 256, 128, 128, 192, 32, 96, 64),
    sizes("inception4a", 480, 192, 96, 208, 16, 48, 64),
    sizes("inception4b", 512, 160, 112, 224, 24, 64, 64),
    sizes("inception4c", 512, 128, 128, 256, 24, 64, 64),
    sizes("inception4d", 512, 112, 144, 288, 32, 64, 64),
    sizes("inception4e", 528, 256, 160, 320, 32, 128, 128),
    sizes("inception5a", 832, 256, 160, 320, 32, 128, 128),
    sizes("inception5b", 832, 384, 192, 384, 48, 128, 128),
];

/// An Inception block: four branches read the same input and their outputs are concatenated on
/// the channels. The 1×1 convolutions before the 3×3 and "5×5" ones are bottlenecks: they cut the
/// channels the expensive convolution reads.
fn inception(index: usize) -> Node {
    let InceptionSizes { name, c_in, c1, c3_reduce, c3, c5_reduce, c5, pool_proj } = INCEPTION_BLOCKS[index];
    let part = |branch: &str, i: usize| format!("{name}.{branch}.{i}");
    let branch = |b: &str, label: Template, nodes: Vec<Node>| block(&format!("{name}.{b}"), label, nodes);
    let total = c1 + c3 + c5 + pool_proj;
    Node::Concat {
        name: name.to_string(),
        label: Message::new(text::INCEPTION).with("block", name.trim_start_matches("inception")).with("inputs", c_in).with("outputs", total),
        branches: vec![
            branch("branch1", text::BRANCH_1, basic_conv(&format!("{name}.branch1"), c_in, c1, 1, 1, 0)),
            branch("branch2", text::BRANCH_2, [basic_conv(&part("branch2", 0), c_in, c3_reduce, 1, 1, 0), basic_conv(&part("branch2", 1), c3_reduce, c3, 3, 1, 1)].concat()),
            // torchvision keeps a 3×3 here (a known deviation from the paper's 5×5, kept so that
            // its trained weights still load); the totals we test are torchvision's.
            branch(
                "branch3",
                text::BRANCH_3,
                [basic_conv(&part("branch3", 0), c_in, c5_reduce, 1, 1, 0), basic_conv(&part("branch3", 1), c5_reduce, c5, 3, 1, 1)].concat(),
            ),
            branch(
                "branch4",
                text::BRANCH_4,
                [vec![maxpool_padded(&part("branch4", 0), 3, 1, 1, true)], basic_conv(&part("branch4", 1), c_in, pool_proj, 1, 1, 0)].concat(),
            ),
        ],
    }
}

/// An auxiliary classifier (torchvision's `InceptionAux`): in training its loss is added to the
/// main one, to push gradient into the middle of the network.
fn aux(name: &str, c_in: usize) -> Node {
    let mut body = vec![adaptive("", 4)];
    body.extend(basic_conv(&format!("{name}.conv"), c_in, 128, 1, 1, 0));
    body.extend([flatten(""), dense(&format!("{name}.fc1"), 128 * 4 * 4, 1024), relu(""), dropout(&format!("{name}.dropout"), 0.7), dense(&format!("{name}.fc2"), 1024, 1000)]);
    Node::Aux { name: name.to_string(), label: Message::new(text::AUX).with("index", name.trim_start_matches("aux")), body: Box::new(rows(body)) }
}

/// torchvision's `googlenet()` (Szegedy et al. 2014) with batch norm after every convolution:
/// 6,624,904 parameters without the auxiliary classifiers, 13,004,888 with them.
fn googlenet(with_aux: bool) -> Arch {
    let stem = |name: &str, label: Template, c_in, c_out, kernel, stride, padding| block(name, label, basic_conv(name, c_in, c_out, kernel, stride, padding));
    let mut nodes = vec![
        stem("conv1", text::STEM_CONV1, 3, 64, 7, 2, 3),
        maxpool_padded("maxpool1", 3, 2, 0, true),
        stem("conv2", text::STEM_CONV2, 64, 64, 1, 1, 0),
        stem("conv3", text::STEM_CONV3, 64, 192, 3, 1, 1),
        maxpool_padded("maxpool2", 3, 2, 0, true),
        inception(0),
        inception(1),
        maxpool_padded("maxpool3", 3, 2, 0, true),
        inception(2),
    ];
    if with_aux {
        nodes.push(aux("aux1", 512));
    }
    nodes.extend([
        inception(3),
        inception(4),
        inception(5),
    ]);
    if with_aux {
        nodes.push(aux("aux2", 528));
    }
    nodes.extend([
        inception(6),
        maxpool_padded("maxpool4", 2, 2, 0, true),
        inception(7),
        inception(8),
        adaptive("avgpool", 1),
        flatten(""),
        dropout("dropout", 0.2),
        dense("fc", 1024, 1000),
    ]);
    let (name, title) = if with_aux {
        ("googlenet-aux", "GoogLeNet (Szegedy et al., 2014) as torchvision builds it, with the two auxiliary classifiers used in training")
    } else {
        ("googlenet", "GoogLeNet (Szegedy et al., 2014) as torchvision builds it, without the auxiliary classifiers")
    };
    Arch { name: name.into(), title: title.into(), input: [3, 224, 224], nodes }
}

// ---- ResNet-18 ------------------------------------------------------------------------------

/// torchvision's `BasicBlock`: F(x) = BN(conv3×3(ReLU(BN(conv3×3(x))))), then ReLU(F(x) + x).
/// Where the block changes the size (stride 2, more channels) x cannot be added as it is: the
/// shortcut is a 1×1 convolution with the same stride, and a batch norm.
fn basic_block(name: &str, c_in: usize, c_out: usize, stride: usize) -> Vec<Node> {
    let n = |part: &str| format!("{name}.{part}");
    let body = block(
        "",
        text::RESIDUAL_BODY,
        vec![conv_nb(&n("conv1"), c_in, c_out, 3, stride, 1), bn(&n("bn1"), 1e-5), relu(&n("relu")), conv_nb(&n("conv2"), c_out, c_out, 3, 1, 1), bn(&n("bn2"), 1e-5)],
    );
    let projection = stride != 1 || c_in != c_out;
    let shortcut = projection.then(|| {
        Box::new(block(
            &n("downsample"),
            Message::new(text::PROJECTION).with("stride", stride),
            vec![conv_nb(&n("downsample.0"), c_in, c_out, 1, stride, 0), bn(&n("downsample.1"), 1e-5)],
        ))
    });
    let label = if projection { text::BASIC_BLOCK_PROJECTION } else { text::BASIC_BLOCK };
    vec![
        Node::Residual { name: name.to_string(), label: label.into(), body: Box::new(body), shortcut },
        // The ReLU after the addition (torchvision applies the block's one ReLU module twice).
        relu(&n("relu")),
    ]
}

fn resnet_stage(name: &str, c_in: usize, c_out: usize, stride: usize) -> Node {
    let mut nodes = basic_block(&format!("{name}.0"), c_in, c_out, stride);
    nodes.extend(basic_block(&format!("{name}.1"), c_out, c_out, 1));
    block(name, Message::new(text::RESNET_STAGE).with("name", name).with("channels", c_out), nodes)
}

/// torchvision's `resnet18()` (He et al. 2015): 11,689,512 parameters, about 1.8 G MACs.
fn resnet18() -> Arch {
    Arch {
        name: "resnet18".into(),
        title: "ResNet-18 (He et al., 2015) as torchvision builds it".into(),
        input: [3, 224, 224],
        nodes: vec![
            conv_nb("conv1", 3, 64, 7, 2, 3),
            bn("bn1", 1e-5),
            relu("relu"),
            maxpool_padded("maxpool", 3, 2, 1, false),
            resnet_stage("layer1", 64, 64, 1),
            resnet_stage("layer2", 64, 128, 2),
            resnet_stage("layer3", 128, 256, 2),
            resnet_stage("layer4", 256, 512, 2),
            adaptive("avgpool", 1),
            flatten(""),
            dense("fc", 512, 1000),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(t: &'a GalleryTable, name: &str) -> &'a Row {
        t.rows.iter().find(|r| r.name == name).unwrap_or_else(|| panic!("{}: no row named {name}", t.name))
    }

    /// torchvision 0.29 (with torch 2.15): `sum(p.numel() for p in model.parameters())` of
    /// alexnet(), vgg16(), resnet18(), googlenet(aux_logits=False, init_weights=False) and
    /// googlenet(aux_logits=True, init_weights=False) — the numbers of the issue.
    #[test]
    fn only_torchvisions_networks_are_named_with_its_module_paths() {
        for name in NAMES {
            let t = table(name).unwrap();
            assert_eq!(t.torchvision, TORCHVISION.contains(name), "{name}");
        }
        assert!(table("alexnet").unwrap().rows.iter().any(|r| r.name == "features.0"));
    }

    #[test]
    fn parameter_totals_match_torchvision_and_the_papers() {
        let want = [
            ("lenet5", 61_706),
            ("alexnet", 61_100_840),
            ("alexnet-paper", 62_378_344),
            ("vgg16", 138_357_544),
            ("resnet18", 11_689_512),
            ("googlenet", 6_624_904),
            ("googlenet-aux", 13_004_888),
            // conv 14,208 + 614,656 + 885,120 + 1,327,488 + 884,992; dense 37,752,832 + 16,781,312 + 4,097,000.
            ("zfnet", 62_357_608),
        ];
        for (name, params) in want {
            let t = table(name).unwrap();
            assert_eq!(t.params, Some(params), "{name}");
            assert_eq!(t.problems, 0, "{name}: {:?}", t.rows.iter().find(|r| r.status != Status::Ok));
        }
    }

    /// MACs of the convolutions and dense layers for one 224×224 image. torchvision's model
    /// tables list 0.71, 15.47, 1.81 and 1.5 "GFLOPS" for these: what they count are
    /// multiply-accumulates, the same sums as here.
    #[test]
    fn macs_match_torchvision_tables() {
        let gmacs = |name| table(name).unwrap().macs.unwrap() as f64 / 1e9;
        assert_eq!(format!("{:.2}", gmacs("alexnet")), "0.71");
        assert_eq!(format!("{:.2}", gmacs("vgg16")), "15.47");
        assert_eq!(format!("{:.2}", gmacs("resnet18")), "1.81");
        assert_eq!(format!("{:.1}", gmacs("googlenet")), "1.5");
        // VGG16 exactly: Σ over the 13 convolutions of C_out·H·W·C_in·9, plus the dense layers.
        let conv: u64 = [(64, 3, 224), (64, 64, 224), (128, 64, 112), (128, 128, 112), (256, 128, 56), (256, 256, 56), (256, 256, 56)]
            .iter()
            .chain(&[(512, 256, 28), (512, 512, 28), (512, 512, 28), (512, 512, 14), (512, 512, 14), (512, 512, 14)])
            .map(|&(o, i, s)| o * s * s * i * 9)
            .sum();
        assert_eq!(table("vgg16").unwrap().macs, Some(conv + 25_088 * 4096 + 4096 * 4096 + 4096 * 1000));
    }

    #[test]
    fn shapes_follow_the_output_size_formula() {
        let t = table("alexnet").unwrap();
        // (224 − 11 + 2·2)/4 + 1 = 55; pool (55 − 3)/2 + 1 = 27; … 13; 6.
        assert_eq!(row(&t, "features.0").output.as_deref(), Some("(N, 64, 55, 55)"));
        assert_eq!(row(&t, "features.2").output.as_deref(), Some("(N, 64, 27, 27)"));
        assert_eq!(row(&t, "features.5").output.as_deref(), Some("(N, 192, 13, 13)"));
        assert_eq!(row(&t, "features.12").output.as_deref(), Some("(N, 256, 6, 6)"));
        assert_eq!(row(&t, "classifier.1").params, Some(9216 * 4096 + 4096));
        let features = row(&t, "features");
        assert_eq!((features.kind, features.depth, features.params), (RowKind::Block, 0, Some(2_469_696)));
        assert_eq!(row(&t, "features.0").depth, 1);

        let t = table("resnet18").unwrap();
        assert_eq!(row(&t, "conv1").output.as_deref(), Some("(N, 64, 112, 112)"));
        assert_eq!(row(&t, "maxpool").output.as_deref(), Some("(N, 64, 56, 56)"));
        assert_eq!(row(&t, "layer2.0.conv1").output.as_deref(), Some("(N, 128, 28, 28)"));
        assert_eq!(row(&t, "layer2.0.downsample.0").output.as_deref(), Some("(N, 128, 28, 28)"));
        // The projection: 1×1, 64 → 128, no bias, and its batch norm's γ, β.
        assert_eq!(row(&t, "layer2.0.downsample").params, Some(64 * 128 + 2 * 128));
        assert_eq!(row(&t, "layer2.0").label, "BasicBlock: F(x) + projection of x");
        assert_eq!(row(&t, "layer1.0").label, "BasicBlock: F(x) + x");
        assert_eq!(row(&t, "layer4").output.as_deref(), Some("(N, 512, 7, 7)"));
        assert_eq!(row(&t, "bn1").params, Some(128), "γ and β; the running statistics are buffers");
        let add = t.rows.iter().find(|r| r.label == "add: F(x) + shortcut(x)").unwrap();
        assert_eq!((add.kind, add.output.as_deref()), (RowKind::Merge, Some("(N, 128, 28, 28)")));

        let t = table("googlenet").unwrap();
        assert_eq!(row(&t, "maxpool1").output.as_deref(), Some("(N, 64, 56, 56)"), "ceil mode: 112 → 56, not 55");
        let i3a = row(&t, "inception3a");
        assert_eq!((i3a.output.as_deref(), i3a.label.to_string().as_str()), (Some("(N, 256, 28, 28)"), "Inception 3a: 192 → 256 channels"));
        let at = t.rows.iter().position(|r| r.name == "inception3a").unwrap();
        assert_eq!(row(&t, "inception3a.branch2").depth, i3a.depth + 1);
        assert_eq!(row(&t, "inception3a.branch2.1.conv").depth, i3a.depth + 2);
        let merge = t.rows[at..].iter().find(|r| r.kind == RowKind::Merge).unwrap();
        assert_eq!(merge.label, "concatenate on channels: 64 + 128 + 32 + 32 = 256");
        assert_eq!(merge.depth, i3a.depth + 1);
        // The 1×1 bottleneck: 192 → 96 before the 3×3 → 128 costs 192·96 + 96·128·9 weights
        // (plus batch norms) instead of 192·128·9.
        assert_eq!(row(&t, "inception3a.branch2").params, Some(192 * 96 + 2 * 96 + 96 * 128 * 9 + 2 * 128));
        assert_eq!(row(&t, "inception5b").output.as_deref(), Some("(N, 1024, 7, 7)"));
        assert_eq!(row(&t, "avgpool").output.as_deref(), Some("(N, 1024, 1, 1)"));
        assert!(t.rows.iter().all(|r| !r.name.starts_with("aux")));

        let t = table("googlenet-aux").unwrap();
        let aux1 = row(&t, "aux1");
        assert_eq!((aux1.kind, aux1.output.as_deref()), (RowKind::Block, Some("(N, 1000)")));
        assert_eq!(aux1.params, Some(512 * 128 + 2 * 128 + 2048 * 1024 + 1024 + 1024 * 1000 + 1000));
        assert_eq!(row(&t, "aux2.conv.conv").output.as_deref(), Some("(N, 128, 4, 4)"));
        // The main path goes on from 4a's output, not from the head's.
        let after = t.rows.iter().position(|r| r.name == "inception4b").unwrap();
        assert_eq!(t.rows[after].output.as_deref(), Some("(N, 512, 14, 14)"));
    }

    #[test]
    fn the_correct_zfnet_has_the_papers_sizes() {
        let t = table("zfnet").unwrap();
        let sizes: Vec<usize> = ["conv1", "pool1", "conv2", "pool2", "conv5", "pool5"].iter().map(|n| row(&t, n).shape.as_ref().unwrap()[1]).collect();
        assert_eq!(sizes, [110, 55, 26, 13, 13, 6]);
        assert_eq!(row(&t, "flatten").shape, Some(vec![9216]));
        assert!(t.rows.iter().all(|r| r.status == Status::Ok));
        assert_eq!(row(&t, "pool1").claimed.as_deref(), Some("(N, 96, 55, 55)"));
    }

    /// The example: 7×7/2 pad 1 then 3×3/2 pooling, 5×5/2, 3×3/2 pooling, whose comments
    /// claim 55 → 26 → 13 while the real sizes are 110 → 54 → 25 → 12, and whose flatten has
    /// 6,400 values, not 9,216.
    #[test]
    fn the_mistaken_zfnet_shows_where_the_sizes_stop_adding_up() {
        let t = table("zfnet-mistake").unwrap();
        let real: Vec<usize> = ["conv1", "pool1", "conv2", "pool2"].iter().map(|n| row(&t, n).shape.as_ref().unwrap()[1]).collect();
        assert_eq!(real, [110, 54, 25, 12]);
        // conv1 is as claimed; the sizes stop adding up at the first pool.
        assert_eq!(row(&t, "conv1").status, Status::Ok);
        let pool1 = row(&t, "pool1");
        assert_eq!(pool1.status, Status::Mismatch);
        assert_eq!(pool1.claimed.as_deref(), Some("(N, 96, 55, 55)"));
        assert_eq!(pool1.output.as_deref(), Some("(N, 96, 54, 54)"));
        assert_eq!(pool1.message.as_ref().map(ToString::to_string).as_deref(), Some("claimed (N, 96, 55, 55) but the sizes give (N, 96, 54, 54)"));
        assert_eq!(row(&t, "conv2").message.as_ref().map(ToString::to_string).as_deref(), Some("claimed (N, 256, 26, 26) but the sizes give (N, 256, 25, 25)"));
        assert_eq!(row(&t, "pool2").message.as_ref().map(ToString::to_string).as_deref(), Some("claimed (N, 256, 13, 13) but the sizes give (N, 256, 12, 12)"));
        assert_eq!(row(&t, "pool5").output.as_deref(), Some("(N, 256, 5, 5)"));
        let flatten = row(&t, "flatten");
        assert_eq!((flatten.status, flatten.shape.as_deref()), (Status::Mismatch, Some(&[6400][..])));
        assert_eq!(flatten.message.as_ref().map(ToString::to_string).as_deref(), Some("claimed (N, 9216) but the sizes give (N, 6400)"));
        let fc6 = row(&t, "fc6");
        assert_eq!(fc6.status, Status::Error);
        assert_eq!(fc6.message.as_ref().map(ToString::to_string).as_deref(), Some("expects 9,216 inputs but receives 6,400"));
        // The layer still has its parameters, and the rows after it are listed with their sizes.
        assert_eq!(fc6.params, Some(9216 * 4096 + 4096));
        assert_eq!(fc6.output.as_deref(), Some("(N, 4096)"));
        assert_eq!(row(&t, "fc8").output.as_deref(), Some("(N, 1000)"));
        assert_eq!(row(&t, "fc8").status, Status::Ok);
        assert_eq!(t.rows.last().unwrap().name, "fc8");
        // Every row from pool1 to the flatten (pool1, conv2, relu…: those with claims) and fc6.
        let problems: Vec<&str> = t.rows.iter().filter(|r| r.status != Status::Ok).map(|r| r.name.as_str()).collect();
        assert_eq!(problems, ["pool1", "conv2", "pool2", "conv3", "conv4", "conv5", "pool5", "flatten", "fc6"]);
        assert_eq!(t.problems, 9);
        // The same parameters as the correct ZFNet: the mistake is in the sizes, not the layers.
        assert_eq!(t.params, table("zfnet").unwrap().params);
    }

    #[test]
    fn every_name_has_a_table_and_an_unknown_name_is_an_error() {
        for name in NAMES {
            let t = table(name).unwrap();
            assert_eq!(t.name, *name);
            assert_eq!(t.rows[0].kind, RowKind::Input);
            assert!(t.rows.iter().all(|r| r.params.is_some() && r.macs.is_some()), "{name}");
        }
        let err = table("resnet1000").unwrap_err();
        assert!(err.to_string().contains("no architecture named \"resnet1000\""), "{err}");
        assert!(err.to_string().contains("googlenet-aux"), "{err}");
    }

    #[test]
    fn rows_serialise_for_the_page() {
        let t = table("zfnet-mistake").unwrap();
        let json = serde_json::to_value(&t).unwrap();
        let fc6 = json["rows"].as_array().unwrap().iter().find(|r| r["name"] == "fc6").unwrap();
        assert_eq!(fc6["status"], "error");
        assert_eq!(fc6["kind"], "layer");
        assert_eq!(fc6["output"], "(N, 4096)");
        assert_eq!(fc6["params"], 9216 * 4096 + 4096);
        assert_eq!(json["input"], "(N, 3, 224, 224)");
    }
}
