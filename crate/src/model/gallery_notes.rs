//! The numbers of the panels beside the gallery's table: what GoogLeNet's 1×1 bottlenecks save,
//! what AlexNet's two groups save, and what an adaptive average pool does to any input size.
//!
//! Every count comes from the gallery's own shape inference (`Arch::table`) on small trees built
//! here, so the panels and the table cannot disagree.

use serde::Serialize;

use super::arch::{Arch, ArchLayer, Node, Op};
use super::gallery::{self, GalleryError, INCEPTION_BLOCKS};
use super::spec::LayerSpec;
use crate::message::Message;

/// Parameters and multiply-accumulates per example of a part of a network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Cost {
    pub params: u64,
    pub macs: u64,
}

/// The counts of a small tree of fixed sizes (the gallery's own, so they are always known).
fn cost(input: [usize; 3], nodes: Vec<Node>) -> Cost {
    let t = Arch { name: String::new(), title: String::new(), input, nodes }.table();
    debug_assert_eq!(t.problems, 0, "{:?}", t.rows);
    Cost { params: t.params.unwrap_or(0), macs: t.macs.unwrap_or(0) }
}

fn conv(c_in: usize, c_out: usize, kernel: usize) -> Node {
    // Padding kernel/2 keeps H×W, as in every Inception branch.
    let layer = LayerSpec::Conv2d { in_channels: Some(c_in), out_channels: c_out, kernel, stride: 1, padding: kernel / 2, bias: true };
    Node::Layer(ArchLayer { name: String::new(), op: Op::Layer(layer), claimed: None })
}

// ---- 1×1 bottlenecks ------------------------------------------------------------------------

/// One expensive branch of an Inception block, with its 1×1 reduce and straight from the input.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BottleneckPath {
    /// 3 or 5: the expensive convolution's window.
    pub kernel: usize,
    /// The channels the 1×1 convolution reduces the input to.
    pub reduce: usize,
    pub outputs: usize,
    /// 1×1 (C_in → reduce), then kernel×kernel (reduce → outputs).
    pub with_reduce: Cost,
    /// kernel×kernel straight from the input (C_in → outputs).
    pub without: Cost,
}

/// What the 1×1 bottlenecks of one Inception block save.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bottleneck {
    pub block: String,
    pub c_in: usize,
    /// The block's H×W (an Inception block keeps it), from GoogLeNet's table.
    pub height: usize,
    pub width: usize,
    /// The 3×3 branch, then the 5×5 one.
    pub paths: Vec<BottleneckPath>,
    /// Both paths together.
    pub with_reduce: Cost,
    pub without: Cost,
}

/// The bottleneck comparison for an Inception block of GoogLeNet, as the paper builds it
/// (convolutions with a bias, no batch norm, and the paper's 5×5 in the third branch, where
/// torchvision keeps a 3×3).
pub fn bottleneck(block: &str) -> Result<Bottleneck, GalleryError> {
    let sizes = INCEPTION_BLOCKS.iter().find(|b| b.name == block).ok_or_else(|| GalleryError::UnknownBlock { name: block.to_string() })?;
    let table = gallery::table("googlenet")?;
    let (height, width) = match table.rows.iter().find(|r| r.name == block).and_then(|r| r.shape.as_deref()) {
        Some(&[_, h, w]) => (h, w),
        _ => unreachable!("GoogLeNet's table has every Inception block with its size"),
    };
    let input = [sizes.c_in, height, width];
    let path = |kernel, reduce, outputs| BottleneckPath {
        kernel,
        reduce,
        outputs,
        with_reduce: cost(input, vec![conv(sizes.c_in, reduce, 1), conv(reduce, outputs, kernel)]),
        without: cost(input, vec![conv(sizes.c_in, outputs, kernel)]),
    };
    let paths = vec![path(3, sizes.c3_reduce, sizes.c3), path(5, sizes.c5_reduce, sizes.c5)];
    let sum = |f: fn(&BottleneckPath) -> Cost| {
        paths.iter().map(f).fold(Cost { params: 0, macs: 0 }, |a, c| Cost { params: a.params + c.params, macs: a.macs + c.macs })
    };
    let (with_reduce, without) = (sum(|p| p.with_reduce), sum(|p| p.without));
    Ok(Bottleneck { block: block.to_string(), c_in: sizes.c_in, height, width, paths, with_reduce, without })
}

// ---- AlexNet's groups -----------------------------------------------------------------------

/// One of the paper AlexNet's split convolutions, counted in groups and whole.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupedLayer {
    pub name: String,
    pub in_channels: usize,
    pub out_channels: usize,
    pub kernel: usize,
    pub groups: usize,
    pub grouped: Cost,
    pub whole: Cost,
}

/// The paper's AlexNet with its convolutions split into `groups` and on one GPU.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupsComparison {
    pub groups: usize,
    pub layers: Vec<GroupedLayer>,
    /// The whole network's totals, split and whole.
    pub grouped: Cost,
    pub whole: Cost,
}

fn grouped_layers(nodes: &[Node], found: &mut Vec<(String, Op)>) {
    for node in nodes {
        match node {
            Node::Layer(l) if matches!(l.op, Op::GroupedConv2d { .. }) => found.push((l.name.clone(), l.op.clone())),
            Node::Layer(_) => {}
            Node::Sequence { nodes, .. } => grouped_layers(nodes, found),
            Node::Concat { branches, .. } => grouped_layers(branches, found),
            Node::Residual { body, shortcut, .. } => {
                grouped_layers(std::slice::from_ref(body.as_ref()), found);
                if let Some(s) = shortcut {
                    grouped_layers(std::slice::from_ref(s.as_ref()), found);
                }
            }
            Node::Aux { body, .. } => grouped_layers(std::slice::from_ref(body.as_ref()), found),
        }
    }
}

/// AlexNet as in the paper with two groups (its two GPUs) and with none.
pub fn alexnet_groups() -> GroupsComparison {
    const GROUPS: usize = 2;
    let split = gallery::alexnet_paper(GROUPS);
    let (split_table, whole_table) = (split.table(), gallery::alexnet_paper(1).table());
    let mut found = Vec::new();
    grouped_layers(&split.nodes, &mut found);
    let count = |t: &gallery::GalleryTable, name: &str| {
        let row = t.rows.iter().find(|r| r.name == name).expect("both tables have the layer");
        Cost { params: row.params.unwrap_or(0), macs: row.macs.unwrap_or(0) }
    };
    let layers = found
        .into_iter()
        .filter_map(|(name, op)| match op {
            Op::GroupedConv2d { in_channels, out_channels, kernel, groups, .. } => Some(GroupedLayer {
                grouped: count(&split_table, &name),
                whole: count(&whole_table, &name),
                name,
                in_channels,
                out_channels,
                kernel,
                groups,
            }),
            _ => None,
        })
        .collect();
    let total = |t: &gallery::GalleryTable| Cost { params: t.params.unwrap_or(0), macs: t.macs.unwrap_or(0) };
    GroupsComparison { groups: GROUPS, layers, grouped: total(&split_table), whole: total(&whole_table) }
}

// ---- AdaptiveAvgPool2d ----------------------------------------------------------------------

/// The windows an adaptive average pool averages along one side, as PyTorch computes them:
/// output cell i averages the inputs [floor(i·n/out), ceil((i+1)·n/out)). Neighbouring windows
/// overlap where `n` is not a multiple of `out`; with `n` < `out` inputs repeat.
pub fn adaptive_windows(n: usize, out: usize) -> Vec<[usize; 2]> {
    (0..out).map(|i| [i * n / out, ((i + 1) * n).div_ceil(out)]).collect()
}

/// The largest input side the adaptive-pool panel takes (a 2048×2048 photograph).
pub const MAX_SIDE: usize = 2048;

/// What a network's adaptive average pool does to a side×side input.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AdaptiveView {
    pub name: String,
    pub side: usize,
    /// (C, H, W) arriving at the pool; `None` where the input is too small for the layers before.
    pub before: Option<Vec<usize>>,
    /// (C, size, size): whatever arrives.
    pub after: Option<Vec<usize>>,
    pub size: usize,
    /// The windows along the height and along the width (empty where `before` is unknown).
    pub windows_h: Vec<[usize; 2]>,
    pub windows_w: Vec<[usize; 2]>,
    /// Parameters: the same for every input size. MACs: they grow with it.
    pub params: Option<u64>,
    pub macs: Option<u64>,
    /// The first layer that cannot take the input, in words.
    pub problem: Option<Message>,
}

/// `name` (a gallery network with an adaptive average pool named "avgpool", as torchvision
/// names it) on a 3×side×side image.
pub fn adaptive(name: &str, side: usize) -> Result<AdaptiveView, GalleryError> {
    if side == 0 || side > MAX_SIDE {
        return Err(GalleryError::SideOutOfRange { side, max: MAX_SIDE });
    }
    let mut arch = gallery::arch(name)?;
    let size = arch
        .nodes
        .iter()
        .find_map(|n| match n {
            Node::Layer(ArchLayer { name, op: Op::AdaptiveAvgPool2d { size }, .. }) if name == "avgpool" => Some(*size),
            _ => None,
        })
        .ok_or_else(|| GalleryError::NoAdaptivePool { name: name.to_string() })?;
    arch.input = [arch.input[0], side, side];
    let t = arch.table();
    let at = t.rows.iter().position(|r| r.name == "avgpool").expect("found above");
    // The row before the pool's is the last layer before it (a block's rows follow its header).
    let before = t.rows[at - 1].shape.clone().filter(|s| s.len() == 3);
    let (windows_h, windows_w) = match before.as_deref() {
        Some(&[_, h, w]) => (adaptive_windows(h, size), adaptive_windows(w, size)),
        _ => (Vec::new(), Vec::new()),
    };
    let problem = t.rows.iter().find_map(|r| r.message.clone());
    Ok(AdaptiveView { name: name.to_string(), side, after: t.rows[at].shape.clone(), before, size, windows_h, windows_w, params: t.params, macs: t.macs, problem })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Inception 3a (192 channels in, 28×28) as the paper builds it, counted by hand:
    /// 3×3 branch with its reduce: 192·96 + 96 = 18,528 and 96·128·9 + 128 = 110,720 parameters,
    /// 28·28·(192·96 + 96·128·9) = 101,154,816 MACs; straight from the input:
    /// 192·128·9 + 128 = 221,312 parameters, 28·28·192·128·9 = 173,408,256 MACs.
    /// 5×5 branch: 192·16 + 16 = 3,088 and 16·32·25 + 32 = 12,832 parameters,
    /// 28·28·(192·16 + 16·32·25) = 12,443,648 MACs; straight: 192·32·25 + 32 = 153,632
    /// parameters, 28·28·192·32·25 = 120,422,400 MACs.
    #[test]
    fn the_bottlenecks_of_inception_3a_by_hand() {
        let b = bottleneck("inception3a").unwrap();
        assert_eq!((b.c_in, b.height, b.width), (192, 28, 28));
        assert_eq!(b.paths[0].with_reduce, Cost { params: 18_528 + 110_720, macs: 101_154_816 });
        assert_eq!(b.paths[0].without, Cost { params: 221_312, macs: 173_408_256 });
        assert_eq!(b.paths[1].with_reduce, Cost { params: 3_088 + 12_832, macs: 12_443_648 });
        assert_eq!(b.paths[1].without, Cost { params: 153_632, macs: 120_422_400 });
        assert_eq!(b.with_reduce.params, 18_528 + 110_720 + 3_088 + 12_832);
        assert_eq!(b.without.macs, 173_408_256 + 120_422_400);
        // 5b sits on 7×7 after the last pool.
        let last = bottleneck("inception5b").unwrap();
        assert_eq!((last.c_in, last.height, last.width), (832, 7, 7));
        assert_eq!(bottleneck("inception9z"), Err(GalleryError::UnknownBlock { name: "inception9z".into() }));
    }

    /// The paper's AlexNet split over two GPUs: conv2 256·48·25 + 256 = 307,456 (614,656 whole),
    /// conv4 384·192·9 + 384 = 663,936 (1,327,488), conv5 256·192·9 + 256 = 442,624 (884,992).
    /// The network: 62,378,344 − (307,200 + 663,552 + 442,368) = 60,965,224, Caffe's
    /// bvlc_alexnet count.
    #[test]
    fn alexnets_groups_halve_three_convolutions() {
        let g = alexnet_groups();
        let got: Vec<(&str, u64, u64)> = g.layers.iter().map(|l| (l.name.as_str(), l.grouped.params, l.whole.params)).collect();
        assert_eq!(got, [("conv2", 307_456, 614_656), ("conv4", 663_936, 1_327_488), ("conv5", 442_624, 884_992)]);
        assert_eq!((g.grouped.params, g.whole.params), (60_965_224, 62_378_344));
        assert_eq!(g.layers[0].whole.macs, 2 * g.layers[0].grouped.macs);
        assert_eq!(gallery::alexnet_paper(2).table().problems, 0, "the split changes no size");
    }

    /// PyTorch's windows (/tmp/torchvenv, CPU):
    ///     x = torch.arange(10.).view(1, 1, 1, 10)
    ///     print(F.adaptive_avg_pool2d(x, (1, 3)))
    ///     print(F.adaptive_avg_pool2d(torch.arange(9.).view(1, 1, 1, 9), (1, 6)))
    /// prints
    ///     tensor([[[[1.5000, 4.5000, 7.5000]]]])
    ///     tensor([[[[0.5000, 1.5000, 3.5000, 4.5000, 6.5000, 7.5000]]]])
    /// the means of [0, 4), [3, 7), [6, 10), and of [0, 2), [1, 3), [3, 5), [4, 6), [6, 8), [7, 9).
    #[test]
    fn adaptive_windows_as_pytorch_computes_them() {
        assert_eq!(adaptive_windows(10, 3), [[0, 4], [3, 7], [6, 10]]);
        assert_eq!(adaptive_windows(7, 1), [[0, 7]]);
        assert_eq!(adaptive_windows(6, 6), [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 6]]);
        assert_eq!(adaptive_windows(9, 6), [[0, 2], [1, 3], [3, 5], [4, 6], [6, 8], [7, 9]]);
        assert_eq!(adaptive_windows(2, 4), [[0, 1], [0, 1], [1, 2], [1, 2]]);
    }

    /// ResNet-18 by hand for 320: conv1 7×7/2 pad 3 gives 160, the max pool 80, layer2–4 halve
    /// it to 40, 20, 10 (224 gives 7). torchvision's AlexNet features in PyTorch:
    ///     features = nn.Sequential(nn.Conv2d(3, 64, 11, 4, 2), nn.MaxPool2d(3, 2),
    ///         nn.Conv2d(64, 192, 5, padding=2), nn.MaxPool2d(3, 2), nn.Conv2d(192, 384, 3, padding=1),
    ///         nn.Conv2d(384, 256, 3, padding=1), nn.Conv2d(256, 256, 3, padding=1), nn.MaxPool2d(3, 2))
    ///     for s in (224, 320): print(s, tuple(features(torch.zeros(1, 3, s, s)).shape))
    /// prints `224 (1, 256, 6, 6)` and `320 (1, 256, 9, 9)`. After the pool the sizes stay 1×1
    /// and 6×6, so the classifier's parameters do not change.
    #[test]
    fn any_input_size_reaches_the_classifier_at_the_same_size() {
        let r = adaptive("resnet18", 224).unwrap();
        assert_eq!((r.before.as_deref(), r.after.as_deref()), (Some(&[512, 7, 7][..]), Some(&[512, 1, 1][..])));
        let r = adaptive("resnet18", 320).unwrap();
        assert_eq!(r.before.as_deref(), Some(&[512, 10, 10][..]));
        assert_eq!(r.windows_h, [[0, 10]]);
        assert_eq!(r.params, Some(11_689_512));
        let a = adaptive("alexnet", 320).unwrap();
        assert_eq!((a.before.as_deref(), a.after.as_deref()), (Some(&[256, 9, 9][..]), Some(&[256, 6, 6][..])));
        assert_eq!(a.windows_w, adaptive_windows(9, 6));
        assert_eq!(a.params, Some(61_100_840));
        let tiny = adaptive("alexnet", 32).unwrap();
        assert_eq!(tiny.before, None);
        assert!(tiny.problem.is_some());
        assert_eq!(adaptive("zfnet", 224), Err(GalleryError::NoAdaptivePool { name: "zfnet".into() }));
        assert_eq!(adaptive("vgg16", 0), Err(GalleryError::SideOutOfRange { side: 0, max: MAX_SIDE }));
    }
}
