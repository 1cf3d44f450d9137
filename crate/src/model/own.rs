//! The learner's own network: PyTorch code read into a spec (`torch_code`), its table as the
//! gallery writes one (every layer's output, parameters and MACs, blocks opened, a row for each
//! place the sizes stop adding up) with the line each row was written on, and a fresh model file
//! of it for the page to train, draw on, step through and export.
//!
//! The page shows whatever this gives: the editor's table, the error under the code, and why
//! the network cannot be used for the digits (or is too large for a browser) before it tries.

use serde::Serialize;

use super::arch::{Arch, GalleryTable, Row};
use super::graph;
use super::spec::{LayerSpec, ModelSpec};
use super::torch_code::{self, CodeError, Place};
use crate::init::Init;
use crate::message::{Explain, Message};
use crate::model::Sequential;

pub mod text {
    crate::templates! {
        INPUT_SHAPE = "own.inputShape": "write the input as three whole numbers C, H, W (channels, height, width), e.g. 1, 28, 28; {text} is not that";
        NOT_DIGITS_INPUT = "own.notDigitsInput": "the digits are 1 × 28 × 28 images; this network takes {input}, so it can be shown here but not trained on them";
        NOT_TEN_CLASSES = "own.notTenClasses": "the digits have 10 classes; this network ends in {output}: finish with nn.Linear(…, 10)";
        TOO_MANY_PARAMS = "own.tooManyParams": "{params} parameters is more than a browser tab trains comfortably (at most {limit}); use fewer channels or a smaller Linear layer";
        TOO_SLOW = "own.tooSlow": "one training step of 64 images would take about {seconds} s here ({macs} multiply-adds and {reads} pooled values per image); use fewer channels, fewer layers, smaller pooling windows or a stride to shrink the maps early";
        HAS_PROBLEMS = "own.hasProblems": "the sizes do not add up (rows marked in red: {count}); fix them first";
    }
}

/// More parameters than this are refused for training in the page (the weights, their
/// gradients and two optimizer states: 320 MB at this size).
pub const MAX_PARAMS: u64 = 20_000_000;
/// Multiply-adds per second the page's CPU path reaches, forward and backward (measured: d2l's
/// LeNet trains at ~8,700 examples/s here at 0.43 M MACs forward, ×3 with the backward pass).
const CPU_MACS_PER_SECOND: f64 = 8.0e9;
/// A training step estimated to take longer than this freezes the learning experience.
const MAX_STEP_SECONDS: f64 = 3.0;

/// One row of the editor's table: the gallery's row and the line its layer was written on.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EditorRow {
    #[serde(flatten)]
    pub row: Row,
    pub line: Option<usize>,
}

/// What the editor shows for the code as it stands.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EditorView {
    /// The code could not be read: where and why (and no table).
    pub error: Option<CodeView>,
    pub rows: Vec<EditorRow>,
    pub params: Option<u64>,
    pub macs: Option<u64>,
    /// "(N, 1, 28, 28)".
    pub input: Option<String>,
    /// Rows whose sizes do not add up.
    pub problems: usize,
    /// Why "Use this network" cannot train it on the digits, or `None` when it can.
    pub unusable: Option<Message>,
}

/// A code error as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CodeView {
    pub line: usize,
    pub column: usize,
    pub message: Message,
}

impl From<CodeError> for CodeView {
    fn from(e: CodeError) -> Self {
        CodeView { line: e.place.line, column: e.place.column, message: e.message }
    }
}

/// "1, 28, 28" (also "(1, 28, 28)" or "1 28 28") → [1, 28, 28].
pub fn parse_input(text: &str) -> Result<[usize; 3], Message> {
    let bad = || Message::new(text::INPUT_SHAPE).with("text", format!("{:?}", text.trim()));
    let trimmed = text.trim().trim_start_matches('(').trim_end_matches(')');
    let parts: Vec<&str> = trimmed.split(|c: char| c == ',' || c.is_whitespace()).filter(|p| !p.is_empty()).collect();
    let [c, h, w] = parts.as_slice() else { return Err(bad()) };
    let num = |s: &str| s.parse::<usize>().ok().filter(|&v| v > 0 && v <= 1 << 20);
    match (num(c), num(h), num(w)) {
        (Some(c), Some(h), Some(w)) => Ok([c, h, w]),
        _ => Err(bad()),
    }
}

/// Read `code` for an input of `input` ("C, H, W"): the table, or where the code cannot be read.
pub fn view(code: &str, input: &str) -> EditorView {
    let empty = |error: CodeView| EditorView { error: Some(error), rows: vec![], params: None, macs: None, input: None, problems: 0, unusable: None };
    let input = match parse_input(input) {
        Ok(i) => i,
        Err(message) => return empty(CodeView { line: 0, column: 0, message }),
    };
    let parsed = match torch_code::parse(code, "my network", input) {
        Ok(p) => p,
        Err(e) => return empty(e.into()),
    };
    let table = Arch::from_spec(&parsed.spec, "").table();
    let rows = with_lines(&parsed.spec, &parsed.places, &table);
    let unusable = if table.problems > 0 { Some(Message::new(text::HAS_PROBLEMS).with("count", table.problems)) } else { digits_problem(&parsed.spec).err() };
    EditorView { error: None, rows, params: table.params, macs: table.macs, input: Some(table.input), problems: table.problems, unusable }
}

/// Each row's line: its layer's place (found through its module path), or for a row with no
/// path of its own (a merge, an Inception path's header, a ReLU applied as a function) the
/// line of the block it sits in.
fn with_lines(spec: &ModelSpec, places: &[Place], table: &GalleryTable) -> Vec<EditorRow> {
    let nodes = graph::unroll(&spec.layers);
    let line_of = |name: &str| nodes.iter().find(|n| !name.is_empty() && n.name == name).and_then(|n| places.get(n.source)).map(|p| p.line);
    // The line of the innermost open block at each depth.
    let mut blocks: Vec<Option<usize>> = Vec::new();
    let mut out = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        blocks.truncate(row.depth);
        let line = line_of(&row.name).or_else(|| blocks.iter().rev().flatten().next().copied());
        if row.kind == super::arch::RowKind::Block {
            blocks.resize(row.depth, None);
            blocks.push(line);
        }
        out.push(EditorRow { row: row.clone(), line });
    }
    out
}

/// Whether the page can train `spec` on the digits: 1×28×28 in, 10 classes out, and small
/// enough for a browser tab.
pub fn digits_problem(spec: &ModelSpec) -> Result<(), Message> {
    if spec.input != [1, 28, 28] {
        return Err(Message::new(text::NOT_DIGITS_INPUT).with("input", spec.input_shape(0)));
    }
    let infos = spec.infer().map_err(|e| e.message())?;
    let output = infos.last().map(|i| i.output.clone()).unwrap_or_else(|| spec.input_shape(0));
    if output.dims().len() != 2 || output.per_example() != 10 {
        return Err(Message::new(text::NOT_TEN_CLASSES).with("output", output));
    }
    let params: u64 = infos.iter().map(|i| i.params).sum();
    if params > MAX_PARAMS {
        return Err(Message::new(text::TOO_MANY_PARAMS).with("params", super::arch::thousands(params)).with("limit", super::arch::thousands(MAX_PARAMS)));
    }
    let macs: u64 = infos.iter().map(|i| i.macs).sum();
    // Pooling multiplies nothing but reads kernel² values per output: a huge window over many
    // channels costs as much as a convolution (found by the fuzzer's reader: a 28×28 max pool
    // over 1,000 maps is 660 M reads per image and ~0.8 M multiply-adds).
    let reads: u64 = infos
        .iter()
        .map(|i| match i.op {
            super::graph::NodeOp::Layer(LayerSpec::MaxPool2d { kernel, .. } | LayerSpec::AvgPool2d { kernel, .. }) => {
                (i.output.per_example() as u64).saturating_mul((kernel * kernel) as u64)
            }
            _ => 0,
        })
        .sum();
    let seconds = 3.0 * macs.saturating_add(reads) as f64 * 64.0 / CPU_MACS_PER_SECOND;
    if seconds > MAX_STEP_SECONDS {
        return Err(Message::new(text::TOO_SLOW).with("seconds", format!("{seconds:.0}")).with("macs", super::arch::thousands(macs)).with("reads", super::arch::thousands(reads)));
    }
    Ok(())
}

/// A fresh model file of the learner's network for the digits: weights drawn with `init` from
/// `seed`, ready to train.
pub fn fresh_file(code: &str, init: Init, seed: u64) -> Result<Vec<u8>, crate::Error> {
    let parsed = torch_code::parse(code, "my network", [1, 28, 28]).map_err(|e| crate::Error::Check(e.message()))?;
    spec_file(parsed.spec, init, seed)
}

/// The same for a spec (a preset's, for the page's benchmark).
pub fn spec_file(spec: ModelSpec, init: Init, seed: u64) -> Result<Vec<u8>, crate::Error> {
    digits_problem(&spec).map_err(crate::Error::Check)?;
    let b = crate::Cpu::new();
    let model = Sequential::new(&b, spec, init, seed)?;
    Ok(crate::format::save_model(&b, &model))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LENET: &str = "net = nn.Sequential(\n    nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(),\n    nn.AvgPool2d(kernel_size=2, stride=2),\n    nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(),\n    nn.AvgPool2d(kernel_size=2, stride=2),\n    nn.Flatten(),\n    nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(),\n    nn.Linear(120, 84), nn.Sigmoid(),\n    nn.Linear(84, 10))";

    #[test]
    fn the_input_is_read_as_people_write_it() {
        assert_eq!(parse_input("1, 28, 28"), Ok([1, 28, 28]));
        assert_eq!(parse_input(" (3,224,224) "), Ok([3, 224, 224]));
        assert_eq!(parse_input("1 28 28"), Ok([1, 28, 28]));
        for bad in ["", "1, 28", "1, 28, 28, 1", "0, 28, 28", "a, b, c", "-1, 28, 28", "1.5, 2, 2"] {
            assert!(parse_input(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn d2ls_lenet_gives_its_table_with_lines_and_can_be_trained() {
        let v = view(LENET, "1, 28, 28");
        assert_eq!(v.error, None);
        assert_eq!(v.params, Some(61_706));
        assert_eq!(v.unusable, None);
        let shapes: Vec<(Option<usize>, String)> = v.rows.iter().map(|r| (r.line, r.row.output.clone().unwrap_or_default())).collect();
        assert_eq!(shapes[0], (None, "(N, 1, 28, 28)".into()));
        assert_eq!(shapes[1], (Some(2), "(N, 6, 28, 28)".into()));
        assert_eq!(shapes[4], (Some(4), "(N, 16, 10, 10)".into()));
        assert_eq!(shapes[6], (Some(5), "(N, 16, 5, 5)".into()));
        assert_eq!(shapes.last().unwrap(), &(Some(9), "(N, 10)".into()));
        let file = fresh_file(LENET, Init::XavierUniform, 1).unwrap();
        assert!(crate::predictor::Predictor::from_file(&file).is_ok());
    }

    #[test]
    fn a_size_that_does_not_add_up_is_a_row_on_its_line() {
        let code = LENET.replace("nn.Linear(16 * 5 * 5, 120)", "nn.Linear(16 * 4 * 4, 120)");
        let v = view(&code, "1, 28, 28");
        let bad: Vec<&EditorRow> = v.rows.iter().filter(|r| r.row.message.is_some()).collect();
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].line, Some(7));
        assert!(bad[0].row.message.as_ref().unwrap().to_string().contains("256"), "{:?}", bad[0].row.message);
        assert!(v.unusable.is_some());
        assert!(fresh_file(&code, Init::XavierUniform, 1).is_err());
    }

    #[test]
    fn a_batch_norm_over_the_wrong_channels_is_a_row_naming_both() {
        let v = view("nn.Sequential(nn.Conv2d(1, 16, 3), nn.BatchNorm2d(32), nn.ReLU(), nn.Flatten(), nn.Linear(16 * 26 * 26, 10))", "1, 28, 28");
        let bad: Vec<&EditorRow> = v.rows.iter().filter(|r| r.row.message.is_some()).collect();
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].row.message.as_ref().unwrap().to_string(), "expects 32 input channels but receives 16");
        assert!(v.unusable.is_some());
    }

    #[test]
    fn a_network_for_other_images_is_shown_but_not_trained_on_digits() {
        let v = view("nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 10))", "3, 32, 32");
        assert_eq!((v.error, v.problems), (None, 0));
        assert!(v.unusable.unwrap().to_string().contains("1 × 28 × 28"));
        let v = view("nn.Sequential(nn.Flatten(), nn.Linear(784, 7))", "1, 28, 28");
        assert!(v.unusable.unwrap().to_string().contains("10 classes"));
    }

    #[test]
    fn too_large_a_network_is_refused_with_its_size() {
        let big = "nn.Sequential(nn.Flatten(), nn.Linear(784, 30000), nn.ReLU(), nn.Linear(30000, 10))";
        let m = view(big, "1, 28, 28").unusable.unwrap().to_string();
        assert!(m.contains("23,850,010") && m.contains("20,000,000"), "{m}");
        let slow = "nn.Sequential(nn.Conv2d(1, 256, 3, padding=1), nn.ReLU(), nn.Conv2d(256, 256, 3, padding=1), nn.Flatten(), nn.Linear(200704, 10))";
        let m = view(slow, "1, 28, 28").unusable.unwrap().to_string();
        assert!(m.contains("one training step"), "{m}");
        let pooled = "nn.Sequential(nn.Conv2d(1, 1000, 1), nn.MaxPool2d(kernel_size=28, stride=1, padding=14), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(1000, 10))";
        let m = view(pooled, "1, 28, 28").unusable.unwrap().to_string();
        assert!(m.contains("pooled values"), "{m}");
    }

    #[test]
    fn code_that_cannot_be_read_says_where() {
        let v = view("nn.Sequential(\n  nn.Conv3d(1, 6, 5))", "1, 28, 28");
        let e = v.error.unwrap();
        assert_eq!(e.line, 2);
        assert!(v.rows.is_empty());
        assert!(view(LENET, "1, 28").error.is_some());
    }
}
