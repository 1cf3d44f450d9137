//! The stable-Rust fuzz driver: a seeded mutation loop over the targets of `fuzz::targets`.
//!
//! ```text
//! cargo run -p fuzz -- TARGET|all DURATION [--seed N]   mutate and run for DURATION (30s, 10m, 1h) per target
//! cargo run -p fuzz -- seed                             write the seed corpus to fuzz/corpus/<target>/
//! cargo run -p fuzz -- replay TARGET FILE...            run files (a saved finding) once each
//! ```
//!
//! Run in the dev profile (the default of `cargo run`): overflow checks stay on. Every input that
//! panics is written to `fuzz/artifacts/<target>/` and counted; one that allocates past the hard
//! limit is written there too before the process aborts. The exit code is non-zero when anything
//! was found. Inputs that reach an outcome not seen before join the corpus for this run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use fuzz::mutate::{mutate, Rng};
use fuzz::{alloc, seeds, TARGETS};

#[global_allocator]
static ALLOC: alloc::Counting = alloc::Counting;

/// The last panic's message and place, recorded by the hook instead of printed.
static PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Inputs longer than this are cut: the seeds are a few kilobytes.
const MAX_LEN: usize = 1 << 16;
/// The most inputs kept in a run's corpus.
const MAX_CORPUS: usize = 4096;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn parse_duration(s: &str) -> Option<Duration> {
    let (n, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit() && c != '.')?);
    let n: f64 = n.parse().ok()?;
    let secs = match unit {
        "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        _ => return None,
    };
    (secs.is_finite() && secs > 0.0).then(|| Duration::from_secs_f64(secs))
}

/// The corpus of `target`: its built-in seeds and the files in fuzz/corpus/<target>/, and apart
/// from them the regression inputs (`regress-*`: fixed findings), which run once at the start
/// but are not mutated (some are large on purpose, and would slow every run).
fn corpus(target: &str) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let mut out: Vec<Vec<u8>> = seeds::seeds(target).into_iter().map(|(_, b)| b).collect();
    let mut regress = Vec::new();
    if let Ok(dir) = std::fs::read_dir(fuzz_dir().join("corpus").join(target)) {
        let mut files: Vec<PathBuf> = dir.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for f in files {
            let Ok(bytes) = std::fs::read(&f) else { continue };
            if f.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("regress-")) {
                regress.push(bytes);
            } else if !out.contains(&bytes) {
                out.push(bytes);
            }
        }
    }
    (out, regress)
}

/// FNV-1a, for artifact names.
fn hash(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3))
}

/// Run `f` on `data`; the panic message when it panicked.
fn run_one(f: fn(&[u8]) -> String, data: &[u8]) -> Result<String, String> {
    alloc::set_current(data);
    std::panic::catch_unwind(|| f(data)).map_err(|_| PANIC.lock().unwrap_or_else(|e| e.into_inner()).take().unwrap_or_else(|| "a panic".into()))
}

struct Report {
    inputs: u64,
    seconds: f64,
    findings: Vec<(String, PathBuf)>,
    outcomes: BTreeMap<String, u64>,
    corpus: usize,
    /// The slowest mutated input: how long it took and its outcome (saved as
    /// `fuzz/artifacts/<target>/slowest`, to see what makes a target slow).
    slowest: (Duration, String),
}

fn fuzz_target(name: &str, f: fn(&[u8]) -> String, duration: Duration, seed: u64) -> Report {
    let artifacts = fuzz_dir().join("artifacts").join(name);
    alloc::set_artifact(&artifacts.join("too-large-allocation"));
    std::fs::create_dir_all(&artifacts).ok();
    let (mut corpus, regress) = corpus(name);
    let mut rng = Rng::new(seed ^ hash(name.as_bytes()));
    let mut outcomes: BTreeMap<String, u64> = BTreeMap::new();
    let mut findings = Vec::new();
    let mut record = |data: &[u8], result: Result<String, String>, outcomes: &mut BTreeMap<String, u64>, corpus: &mut Vec<Vec<u8>>| match result {
        Ok(outcome) => {
            let seen = outcomes.entry(outcome).or_insert(0);
            *seen += 1;
            if *seen == 1 && corpus.len() < MAX_CORPUS && !corpus.iter().any(|c| c == data) {
                corpus.push(data.to_vec());
            }
        }
        Err(message) => {
            let path = artifacts.join(format!("crash-{:016x}", hash(data)));
            let _ = std::fs::write(&path, data);
            eprintln!("FINDING in {name}: {message}\n  input saved to {}", path.display());
            findings.push((message, path));
        }
    };
    // The regression inputs, then the seeds themselves.
    let mut kept = Vec::new();
    for data in &regress {
        let result = run_one(f, data);
        record(data, result, &mut outcomes, &mut kept);
    }
    for data in corpus.clone() {
        let result = run_one(f, &data);
        record(&data, result, &mut outcomes, &mut corpus);
    }
    let start = Instant::now();
    let mut inputs = (regress.len() + corpus.len()) as u64;
    let mut slowest = (Duration::ZERO, String::new());
    while start.elapsed() < duration {
        // A batch between clock reads.
        for _ in 0..16 {
            let base = corpus[rng.below(corpus.len())].clone();
            let other = corpus[rng.below(corpus.len())].clone();
            let mut data = base;
            for _ in 0..1 + rng.below(4) {
                mutate(name, &mut rng, &mut data, &other);
            }
            data.truncate(MAX_LEN);
            let t = Instant::now();
            let result = run_one(f, &data);
            let took = t.elapsed();
            if took > slowest.0 {
                slowest = (took, result.clone().unwrap_or_else(|e| e));
                let _ = std::fs::write(artifacts.join("slowest"), &data);
            }
            record(&data, result, &mut outcomes, &mut corpus);
            inputs += 1;
        }
    }
    Report { inputs, seconds: start.elapsed().as_secs_f64(), findings, outcomes, corpus: corpus.len(), slowest }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn usage() -> ExitCode {
    eprintln!("usage: fuzz TARGET|all DURATION [--seed N]   (targets: model, spec, code, idx, digits; DURATION like 30s, 10m, 1h)");
    eprintln!("       fuzz seed                             (write the seed corpus to fuzz/corpus/)");
    eprintln!("       fuzz replay TARGET FILE...            (run saved inputs once)");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        let msg = info.payload().downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| info.payload().downcast_ref::<String>().cloned());
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        *PANIC.lock().unwrap_or_else(|e| e.into_inner()) = Some(format!("{}{at}", msg.unwrap_or_else(|| "a panic".into())));
    }));
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("seed") => {
            for (name, _) in TARGETS {
                let dir = fuzz_dir().join("corpus").join(name);
                std::fs::create_dir_all(&dir).expect("create the corpus folder");
                for (file, bytes) in seeds::seeds(name) {
                    std::fs::write(dir.join(file), bytes).expect("write a seed");
                }
                println!("wrote {}", dir.display());
            }
            ExitCode::SUCCESS
        }
        Some("replay") => {
            let Some(&(name, f)) = args.get(1).and_then(|t| TARGETS.iter().find(|(n, _)| n == t)) else { return usage() };
            let mut failed = false;
            for file in &args[2..] {
                let data = std::fs::read(file).unwrap_or_else(|e| panic!("{file}: {e}"));
                match run_one(f, &data) {
                    Ok(outcome) => println!("{file}: {name}: {outcome}"),
                    Err(message) => {
                        println!("{file}: {name}: PANIC {message}");
                        failed = true;
                    }
                }
            }
            if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Some(which) => {
            let Some(duration) = args.get(1).and_then(|d| parse_duration(d)) else { return usage() };
            let seed = match args.iter().position(|a| a == "--seed") {
                Some(i) => match args.get(i + 1).and_then(|s| s.parse().ok()) {
                    Some(s) => s,
                    None => return usage(),
                },
                None => 0,
            };
            let chosen: Vec<_> = TARGETS.iter().filter(|(n, _)| which == "all" || *n == which).collect();
            if chosen.is_empty() {
                return usage();
            }
            let mut found = 0;
            for &&(name, f) in &chosen {
                let r = fuzz_target(name, f, duration, seed);
                let ran: u64 = r.outcomes.iter().filter(|(k, _)| k.starts_with("ran") || k.starts_with("predicted") || k.contains("images") || k.ends_with("digits")).map(|(_, v)| v).sum();
                println!(
                    "fuzz {name}: {} inputs in {:.1} s ({}/s), seed {seed}, {} findings; {} distinct outcomes, {} inputs ran through, corpus {}",
                    thousands(r.inputs),
                    r.seconds,
                    thousands((r.inputs as f64 / r.seconds) as u64),
                    r.findings.len(),
                    r.outcomes.len(),
                    thousands(ran),
                    r.corpus
                );
                println!("  slowest input: {:.1} ms ({})", r.slowest.0.as_secs_f64() * 1e3, r.slowest.1);
                for (message, path) in &r.findings {
                    println!("  finding: {message} ({})", path.display());
                }
                found += r.findings.len();
            }
            if found > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        None => usage(),
    }
}
