//! The cost of fixes, on the 2010 status quo
//! (`fixtures/proposals/status-quo-2010.toml`) with the standard rules:
//!
//! - `check/plain`: a check without fixes, what `lacuna check` does unless
//!   asked for fixes. It calls only what existed before fixes
//!   (`Engine::build`, `Engine::check`), so the same function, run in a
//!   build from before fixes with the same rules and proposal, gives the
//!   ratio of the two (`docs/fixes.md` says how; `LACUNA_BENCH_RULES` and
//!   `LACUNA_BENCH_PROPOSAL` give both builds the same inputs).
//! - `check/suppressions`: the check with an `[[allow]]` fix for every
//!   finding, what `--show-fixes` adds.
//! - `check/repairs`: the check with the verified repair search, what
//!   `--show-fixes --unsafe-fixes` and `--fix --unsafe-fixes` add. Less
//!   `check/suppressions`, it is the time of the search itself.
//!
//! Run with `cargo bench -p lacuna --bench fixes`. The machine's other work
//! makes times noisy: compare medians, taken close together.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use lacuna::{Engine, FindingFixes, Format, Policy, RuleFile, SourceId, standard_rules};

const PROPOSAL: &str = "fixtures/proposals/status-quo-2010.toml";

/// The engine of the standard rules, and the status quo added to a copy of
/// its sources.
fn setup() -> (Engine, SourceId, Vec<u8>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    setup_with(standard_rules(), &root.join(PROPOSAL))
}

fn setup_with(rules: Vec<RuleFile>, proposal: &Path) -> (Engine, SourceId, Vec<u8>) {
    let (engine, problems) = Engine::build(rules);
    assert!(problems.is_empty(), "{problems:?}");
    let text = std::fs::read_to_string(proposal).unwrap();
    let mut sources = engine.sources().clone();
    let source = sources.add(PROPOSAL, text.as_str());
    (engine, source, text.into_bytes())
}

/// The inputs of `check/plain`: the standard rules and the status quo, or
/// the `.norm` files of the directory `LACUNA_BENCH_RULES` and the proposal
/// `LACUNA_BENCH_PROPOSAL` when they are set. A build from before fixes
/// cannot read today's rules (their entity labels came later), so the ratio
/// is taken on the rules and proposal of that build, in both builds.
fn plain_inputs() -> (Engine, SourceId, Vec<u8>) {
    let (Some(dir), Some(proposal)) = (
        std::env::var_os("LACUNA_BENCH_RULES"),
        std::env::var_os("LACUNA_BENCH_PROPOSAL"),
    ) else {
        return setup();
    };
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "norm"))
        .collect();
    paths.sort();
    let rules = paths
        .iter()
        .map(|path| RuleFile {
            name: format!("<standard>/{}", path.file_name().unwrap().to_string_lossy()),
            bytes: std::fs::read(path).unwrap(),
        })
        .collect();
    setup_with(rules, Path::new(&proposal))
}

fn plain(c: &mut Criterion) {
    let (engine, source, bytes) = plain_inputs();
    let checked = engine.check(source, &bytes, Format::Toml);
    assert!(checked.problems.is_empty() && !checked.findings.is_empty());
    c.bench_function("check/plain", |b| {
        b.iter(|| engine.check(source, black_box(&bytes), Format::Toml));
    });
}

fn with_fixes(c: &mut Criterion) {
    let (engine, source, bytes) = setup();
    let policy = |finding_fixes| Policy {
        finding_fixes,
        ..Policy::all()
    };
    let fixes = |finding_fixes| -> usize {
        let checked = engine.check_with(source, &bytes, Format::Toml, &policy(finding_fixes));
        checked.findings.iter().map(|f| f.fixes.len()).sum()
    };
    // What is measured does what it is named for: the search finds repairs
    // beyond the suppressions, which every finding gets.
    let suppressions = fixes(FindingFixes::Suppress);
    assert!(suppressions > 0);
    assert!(fixes(FindingFixes::Repair) > suppressions);

    let mut group = c.benchmark_group("check");
    // A search checks the proposal again for every candidate: fewer, longer
    // samples keep the run short.
    group.sample_size(20);
    for (name, finding_fixes) in [
        ("suppressions", FindingFixes::Suppress),
        ("repairs", FindingFixes::Repair),
    ] {
        let policy = policy(finding_fixes);
        group.bench_function(name, |b| {
            b.iter(|| engine.check_with(source, black_box(&bytes), Format::Toml, &policy));
        });
    }
    group.finish();
}

criterion_group!(benches, plain, with_fixes);
criterion_main!(benches);
