//! The cost of fixes: a check of the 2010 status quo without fixes (what
//! `lacuna check` does unless asked for fixes), with suppression fixes (what
//! `--show-fixes` adds), and with the verified repair search (what
//! `--show-fixes --unsafe-fixes` and `--fix --unsafe-fixes` add).
//!
//! `check/plain` uses only what existed before fixes (`Engine::check`), so
//! the same function, copied into a build without fixes, gives the ratio of
//! the two.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use lacuna::{Engine, Format, SourceId, standard_rules};

fn status_quo() -> Vec<u8> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/proposals/status-quo-2010.toml");
    std::fs::read(path).unwrap()
}

fn plain(c: &mut Criterion) {
    let (engine, problems) = Engine::build(standard_rules());
    assert!(problems.is_empty());
    let bytes = status_quo();
    c.bench_function("check/plain", |b| {
        b.iter(|| engine.check(SourceId(0), black_box(&bytes), Format::Toml));
    });
}

fn with_fixes(c: &mut Criterion) {
    use lacuna::{FindingFixes, Policy};
    let (engine, _) = Engine::build(standard_rules());
    let bytes = status_quo();
    for (name, fixes) in [
        ("check/suppressions", FindingFixes::Suppress),
        ("check/repairs", FindingFixes::Repair),
    ] {
        let policy = Policy {
            finding_fixes: fixes,
            ..Policy::all()
        };
        c.bench_function(name, |b| {
            b.iter(|| engine.check_with(SourceId(0), black_box(&bytes), Format::Toml, &policy));
        });
    }
}

criterion_group!(benches, plain, with_fixes);
criterion_main!(benches);
