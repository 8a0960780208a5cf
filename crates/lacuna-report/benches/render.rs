//! Rendering the findings of generated proposals of growing size, format by
//! format, apart from loading and evaluation (`lacuna-eval`'s `check`
//! benchmark times those), so that a slower report shows which stage it
//! came from.
//!
//! The proposals come from `lacuna_model::generate::proposal` against
//! `rules/schema.norm`, checked with the standard library, `rules/*.norm`.
//! Sizes are 1k and 10k entities for every format, and 100k for the
//! formats that print a line per finding.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use lacuna_eval::{Program, check_rules};
use lacuna_model::{Format, Schema, SourceDb, SourceId, generate, load};
use lacuna_report::{NormInfo, OutputFormat, RenderOptions, render};

fn rules() -> (Schema, Program) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "norm"))
        .collect();
    paths.sort();
    let asts: Vec<_> = paths
        .iter()
        .map(|p| lacuna_syntax::parse(&std::fs::read_to_string(p).unwrap()).0)
        .collect();
    let files: Vec<_> = asts
        .iter()
        .enumerate()
        .map(|(i, a)| (SourceId(i as u32), a))
        .collect();
    let (schema, errors) = lacuna_model::build_schema(&files);
    assert!(errors.is_empty(), "{errors:?}");
    let (program, errors) = check_rules(&schema, &files);
    assert!(errors.iter().all(|e| !e.is_error()), "{errors:?}");
    (schema, program)
}

fn bench(c: &mut Criterion) {
    let (schema, program) = rules();
    let norms: Vec<NormInfo> = program
        .norms
        .iter()
        .map(|n| NormInfo::new(n.id.clone(), n.severity))
        .collect();
    let options = RenderOptions::default();
    let mut group = c.benchmark_group("render");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    for n in [1_000, 10_000, 100_000] {
        let text = generate::proposal(&schema, n, 2010, Format::Toml);
        let mut sources = SourceDb::new();
        let source = sources.add("proposal.toml", text.as_str());
        let (facts, errors) = load(&schema, source, &text, Format::Toml);
        assert!(errors.is_empty(), "{} load errors", errors.len());
        let findings = lacuna_eval::evaluate(&program, &schema, &facts);
        group.throughput(Throughput::Elements(findings.len() as u64));
        for format in [
            OutputFormat::Concise,
            OutputFormat::Json,
            OutputFormat::Sarif,
            OutputFormat::Plain,
            OutputFormat::Human,
        ] {
            let per_line = matches!(format, OutputFormat::Concise | OutputFormat::Json);
            if n >= 100_000 && !per_line {
                continue;
            }
            let id = BenchmarkId::new(format.as_str(), n);
            group.bench_with_input(id, &findings, |b, findings| {
                b.iter(|| render(format, black_box(findings), &norms, &sources, &options));
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
