//! Loads and evaluates one generated proposal against the standard library,
//! reporting the time of each step: a driver for profilers.
//!
//! ```text
//! cargo run --release -p lacuna-eval --example evaluate -- ENTITIES [REPEATS]
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*evaluate_once*' \
//!     target/release/examples/evaluate 10000
//! ```
//!
//! `load_once` and `evaluate_once` are never inlined, so that a profiler can
//! count the instructions of one step alone, as the second command does.
//! The proposal is the one the benchmark uses for the same size.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::hint::black_box;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use lacuna_eval::{Diagnostic, Program, check_rules};
use lacuna_model::{Facts, Format, LoadError, Schema, SourceId, generate, load};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (entities, repeats) = match args.as_slice() {
        [n] => (n.parse().ok(), Some(1)),
        [n, r] => (n.parse().ok(), r.parse().ok()),
        _ => (None, None),
    };
    let (Some(entities), Some(repeats)) = (entities, repeats) else {
        eprintln!("usage: evaluate ENTITIES [REPEATS]");
        return ExitCode::from(2);
    };
    let Some((schema, program)) = rules() else {
        return ExitCode::from(2);
    };
    let text = generate::proposal(&schema, entities, 2010, Format::Toml);
    let mut load_times = Vec::new();
    let mut facts = None;
    for _ in 0..repeats {
        let start = Instant::now();
        let (f, errors) = load_once(&schema, &text);
        load_times.push(start.elapsed());
        if !errors.is_empty() {
            eprintln!("{} load errors", errors.len());
            return ExitCode::from(2);
        }
        facts = Some(f);
    }
    let Some(facts) = facts else {
        return ExitCode::SUCCESS;
    };
    let mut eval_times = Vec::new();
    let mut findings = 0;
    for _ in 0..repeats {
        let start = Instant::now();
        findings = evaluate_once(&program, &schema, &facts).len();
        eval_times.push(start.elapsed());
    }
    println!(
        "{entities} entities, {findings} findings: load {}, evaluate {} (minimum of {repeats})",
        show(&load_times),
        show(&eval_times),
    );
    ExitCode::SUCCESS
}

fn show(times: &[Duration]) -> String {
    times.iter().min().map_or_else(
        || "-".to_owned(),
        |t| format!("{:.3} ms", t.as_secs_f64() * 1e3),
    )
}

#[inline(never)]
fn load_once(schema: &Schema, text: &str) -> (Facts, Vec<LoadError>) {
    load(schema, SourceId(1000), black_box(text), Format::Toml)
}

#[inline(never)]
fn evaluate_once(program: &Program, schema: &Schema, facts: &Facts) -> Vec<Diagnostic> {
    lacuna_eval::evaluate(program, schema, black_box(facts))
}

/// The schema and the checked norms of `rules/`.
fn rules() -> Option<(Schema, Program)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "norm"))
        .collect();
    paths.sort();
    let mut asts = Vec::new();
    for p in &paths {
        let text = std::fs::read_to_string(p).ok()?;
        let (ast, errors) = lacuna_syntax::parse(&text);
        if !errors.is_empty() {
            eprintln!("{}: syntax errors", p.display());
            return None;
        }
        asts.push(ast);
    }
    let files: Vec<_> = asts
        .iter()
        .enumerate()
        .map(|(i, a)| (SourceId(i as u32), a))
        .collect();
    let (schema, errors) = lacuna_model::build_schema(&files);
    if !errors.is_empty() {
        eprintln!("the schema of {} has errors", dir.display());
        return None;
    }
    let (program, errors) = check_rules(&schema, &files);
    if errors.iter().any(|e| e.is_error()) {
        eprintln!("the norms of {} have errors", dir.display());
        return None;
    }
    Some((schema, program))
}
