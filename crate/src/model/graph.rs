//! A spec unrolled into the nodes that run: every block (a residual block, an Inception block)
//! opened into its layers and the merge that joins them, in an order where each node's inputs
//! come before it.
//!
//! Activations are numbered as in a plain sequence: activation 0 is the input and node i writes
//! activation i + 1. A node of a sequential spec reads the activation just before it, so for the
//! networks without blocks the nodes are exactly the layers, and everything indexed by layer
//! (the step-through, the inspector, the saved names "3.weight") reads as before. A block adds
//! nodes that read further back: a residual block's addition reads f(x) and x (or the
//! shortcut's output); an Inception block's concatenation reads its four branches.
//!
//! Names are PyTorch's module paths, so that a parameter's state-dict name is its node's name
//! plus ".weight": "3" at the top, "3.body.0" inside a residual block (the exported class keeps
//! its layers in `self.body = nn.Sequential(...)`), "3.shortcut" or "3.shortcut.1" for its
//! projection, and d2l's names "3.p2_1" … "3.p4_2" inside an Inception block.

use serde::Serialize;

use super::spec::LayerSpec;

/// What one node computes.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeOp {
    /// A layer with one input (never a block).
    Layer(LayerSpec),
    /// The sum of its two inputs: a residual block's f(x) + x, or f(x) + shortcut(x) with a
    /// projection.
    Add { projection: bool },
    /// Its inputs concatenated on the channels: an Inception block's branches.
    Concat,
}

/// Where a node stands in its block, for the page to say what it is looking at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "index")]
pub enum Part {
    /// A layer of the plain sequence (or of a block's own sequence).
    Main,
    /// Inside a residual block's f(x).
    Body,
    /// Inside a residual block's projection shortcut.
    Shortcut,
    /// Inside an Inception branch (1 to 4).
    Branch(usize),
    /// The node that joins a block's paths.
    Merge,
}

/// One node of the unrolled network.
#[derive(Clone, Debug, PartialEq)]
pub struct GraphNode {
    pub op: NodeOp,
    /// The activations it reads: [x] for a layer, [f(x), x or shortcut(x)] for an addition,
    /// the branches' outputs for a concatenation.
    pub inputs: Vec<usize>,
    /// Its module path ("" for the ReLUs an Inception block applies as functions).
    pub name: String,
    /// The spec layer it comes from, numbered in pre-order (a block, then what it holds): how
    /// the editor finds the line a node was written on. A block's merge, and every node of an
    /// Inception block, point to the block itself.
    pub source: usize,
    /// How many blocks it is inside.
    pub depth: usize,
    pub part: Part,
}

/// The nodes of `layers`, reading the input as activation 0.
pub fn unroll(layers: &[LayerSpec]) -> Vec<GraphNode> {
    let mut g = Unroll { nodes: Vec::new(), source: 0 };
    g.sequence(layers, "", 0, 0, Part::Main);
    g.nodes
}

/// How many spec layers `layers` holds, blocks and what they hold counted (the pre-order
/// numbering's length).
pub fn count_sources(layers: &[LayerSpec]) -> usize {
    layers
        .iter()
        .map(|l| match l {
            LayerSpec::Residual { body, shortcut } => 1 + count_sources(body) + count_sources(shortcut),
            _ => 1,
        })
        .sum()
}

/// d2l's Inception block as its four paths of (module name in the class, layer): a 1×1
/// convolution; 1×1 then 3×3; 1×1 then 5×5; a 3×3 max pool then 1×1; each ending in a ReLU
/// applied as `F.relu` (so named ""). The graph and the gallery's tree both open the block with it.
pub fn inception_paths(in_channels: usize, c1: usize, c2: [usize; 2], c3: [usize; 2], c4: usize) -> [Vec<(&'static str, LayerSpec)>; 4] {
    let conv = |c_in: usize, c_out: usize, kernel: usize| LayerSpec::Conv2d { in_channels: Some(c_in), out_channels: c_out, kernel, stride: 1, padding: kernel / 2, bias: true };
    let relu = || ("", LayerSpec::Relu);
    [
        vec![("p1_1", conv(in_channels, c1, 1)), relu()],
        vec![("p2_1", conv(in_channels, c2[0], 1)), relu(), ("p2_2", conv(c2[0], c2[1], 3)), relu()],
        vec![("p3_1", conv(in_channels, c3[0], 1)), relu(), ("p3_2", conv(c3[0], c3[1], 5)), relu()],
        vec![("p4_1", LayerSpec::MaxPool2d { kernel: 3, stride: 1, padding: 1 }), ("p4_2", conv(in_channels, c4, 1)), relu()],
    ]
}

/// How many nodes read each activation (the input, then every node's output): one read more
/// than once (a block's input) gets a spare gradient buffer.
pub fn readers(infos: &[super::spec::LayerInfo]) -> Vec<usize> {
    let mut count = vec![0; infos.len() + 1];
    for &k in infos.iter().flat_map(|i| &i.inputs) {
        count[k] += 1;
    }
    count
}

struct Unroll {
    nodes: Vec<GraphNode>,
    /// The pre-order number of the next spec layer.
    source: usize,
}

impl Unroll {
    /// Append a node reading `inputs`; returns the activation it writes.
    fn push(&mut self, op: NodeOp, inputs: Vec<usize>, name: String, source: usize, depth: usize, part: Part) -> usize {
        self.nodes.push(GraphNode { op, inputs, name, source, depth, part });
        self.nodes.len()
    }

    /// Layers applied in order to activation `x`, their names `prefix` + index; returns the
    /// activation the last one writes (`x` itself when there are none).
    fn sequence(&mut self, layers: &[LayerSpec], prefix: &str, mut x: usize, depth: usize, part: Part) -> usize {
        for (i, layer) in layers.iter().enumerate() {
            x = self.layer(layer, format!("{prefix}{i}"), x, depth, part);
        }
        x
    }

    fn layer(&mut self, layer: &LayerSpec, name: String, x: usize, depth: usize, part: Part) -> usize {
        let source = self.source;
        self.source += 1;
        match layer {
            LayerSpec::Residual { body, shortcut } => {
                let fx = self.sequence(body, &format!("{name}.body."), x, depth + 1, Part::Body);
                // One projection layer is the module itself ("3.shortcut.weight"); more are an
                // nn.Sequential ("3.shortcut.0.weight").
                let sx = match shortcut.as_slice() {
                    [one] => self.layer(one, format!("{name}.shortcut"), x, depth + 1, Part::Shortcut),
                    more => self.sequence(more, &format!("{name}.shortcut."), x, depth + 1, Part::Shortcut),
                };
                self.push(NodeOp::Add { projection: !shortcut.is_empty() }, vec![fx, sx], name, source, depth, Part::Merge)
            }
            &LayerSpec::Inception { in_channels, c1, c2, c3, c4 } => {
                let mut ends = Vec::with_capacity(4);
                for (branch, steps) in inception_paths(in_channels, c1, c2, c3, c4).into_iter().enumerate() {
                    let mut at = x;
                    for (suffix, spec) in steps {
                        let name = if suffix.is_empty() { String::new() } else { format!("{name}.{suffix}") };
                        at = self.push(NodeOp::Layer(spec), vec![at], name, source, depth + 1, Part::Branch(branch + 1));
                    }
                    ends.push(at);
                }
                self.push(NodeOp::Concat, ends, name, source, depth, Part::Merge)
            }
            leaf => self.push(NodeOp::Layer(leaf.clone()), vec![x], name, source, depth, part),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(c: usize) -> LayerSpec {
        LayerSpec::Conv2d { in_channels: None, out_channels: c, kernel: 3, stride: 1, padding: 1, bias: false }
    }

    #[test]
    fn a_plain_sequence_unrolls_to_itself() {
        let nodes = unroll(&[conv(4), LayerSpec::Relu, LayerSpec::Flatten]);
        assert_eq!(nodes.len(), 3);
        for (i, n) in nodes.iter().enumerate() {
            assert_eq!((n.inputs.clone(), n.name.clone(), n.source, n.depth, n.part), (vec![i], i.to_string(), i, 0, Part::Main));
        }
    }

    #[test]
    fn a_residual_block_adds_its_body_to_its_input_or_to_its_projection() {
        let identity = LayerSpec::Residual { body: vec![conv(4), LayerSpec::Relu, conv(4)], shortcut: vec![] };
        let nodes = unroll(&[conv(4), identity, LayerSpec::Relu]);
        let names: Vec<&str> = nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["0", "1.body.0", "1.body.1", "1.body.2", "1", "2"]);
        // The body reads the block's input (activation 1); the sum reads f(x) (4) and x (1).
        assert_eq!(nodes[1].inputs, vec![1]);
        assert_eq!((nodes[4].op.clone(), nodes[4].inputs.clone()), (NodeOp::Add { projection: false }, vec![4, 1]));
        assert_eq!(nodes[5].inputs, vec![5]);
        assert_eq!(nodes.iter().map(|n| n.source).collect::<Vec<_>>(), [0, 2, 3, 4, 1, 5]);

        let one = LayerSpec::Residual { body: vec![conv(8)], shortcut: vec![conv(8)] };
        let two = LayerSpec::Residual { body: vec![conv(8)], shortcut: vec![conv(8), LayerSpec::BatchNorm2d { eps: 1e-5, momentum: 0.1, num_features: None }] };
        let names: Vec<String> = unroll(&[one, two]).into_iter().map(|n| n.name).collect();
        assert_eq!(names, ["0.body.0", "0.shortcut", "0", "1.body.0", "1.shortcut.0", "1.shortcut.1", "1"]);
        assert_eq!(count_sources(&[LayerSpec::Residual { body: vec![conv(8)], shortcut: vec![conv(8)] }, LayerSpec::Relu]), 4);
    }

    #[test]
    fn an_inception_block_has_d2ls_four_paths_and_names() {
        let nodes = unroll(&[LayerSpec::Inception { in_channels: 192, c1: 64, c2: [96, 128], c3: [16, 32], c4: 32 }]);
        let names: Vec<&str> = nodes.iter().map(|n| n.name.as_str()).filter(|n| !n.is_empty()).collect();
        assert_eq!(names, ["0.p1_1", "0.p2_1", "0.p2_2", "0.p3_1", "0.p3_2", "0.p4_1", "0.p4_2", "0"]);
        let concat = nodes.last().unwrap();
        // Each path ends in its ReLU: nodes 2, 6, 10 and 13 write activations 2, 6, 10, 13.
        assert_eq!((concat.op.clone(), concat.inputs.clone()), (NodeOp::Concat, vec![2, 6, 10, 13]));
        assert!(nodes.iter().all(|n| n.source == 0));
        assert_eq!(nodes.iter().filter(|n| n.inputs == vec![0]).count(), 4, "every path reads the block's input");
    }
}
