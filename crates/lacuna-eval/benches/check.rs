//! Loading and evaluation over generated proposals of growing size.
//!
//! The proposals come from `lacuna_model::generate::proposal` against
//! `rules/schema.norm`, and the norms are the standard library, `rules/*.norm`.
//! Sizes are 1k, 10k and 100k entities; set `LACUNA_BENCH_LARGE=1` to add
//! 1M, which takes a few minutes more: one load of a million entities takes
//! seconds, so that size runs the fewest samples criterion allows, one
//! iteration each. Evaluation should grow close to linearly: the ratio of
//! the 10k and 1k times, and of the 100k and 10k times, near 10.
//!
//! The machine's other work makes times noisy; for ratios, compare the
//! fastest samples (`target/criterion/check/*/*/new/sample.json`) or count
//! instructions with the `evaluate` example under callgrind.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use lacuna_eval::{Detail, Program, check_rules};
use lacuna_model::{Format, Schema, SourceId, generate, load};

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
        .map(|p| {
            let (ast, errors) = lacuna_syntax::parse(&std::fs::read_to_string(p).unwrap());
            assert!(errors.is_empty(), "{}: {errors:?}", p.display());
            ast
        })
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

fn sizes() -> Vec<usize> {
    let mut sizes = vec![1_000, 10_000, 100_000];
    if std::env::var_os("LACUNA_BENCH_LARGE").is_some() {
        sizes.push(1_000_000);
    }
    sizes
}

fn bench(c: &mut Criterion) {
    let (schema, program) = rules();
    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    for n in sizes() {
        if n >= 1_000_000 {
            group.sampling_mode(SamplingMode::Flat);
            group.warm_up_time(Duration::from_secs(1));
            group.measurement_time(Duration::from_secs(1));
        } else {
            group.measurement_time(Duration::from_secs(10));
        }
        let text = generate::proposal(&schema, n, 2010, Format::Toml);
        let source = SourceId(1000);
        let (facts, errors) = load(&schema, source, &text, Format::Toml);
        assert!(errors.is_empty(), "{} load errors", errors.len());
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("load", n), &text, |b, text| {
            b.iter(|| load(&schema, source, black_box(text), Format::Toml));
        });
        group.bench_with_input(BenchmarkId::new("evaluate", n), &facts, |b, facts| {
            b.iter(|| lacuna_eval::evaluate(&program, &schema, black_box(facts)));
        });
        // What `concise`, `github` and `--statistics` ask for: no evidence.
        group.bench_with_input(
            BenchmarkId::new("evaluate-messages", n),
            &facts,
            |b, facts| {
                b.iter(|| {
                    lacuna_eval::evaluate_with(
                        &program,
                        &schema,
                        black_box(facts),
                        Detail::Messages,
                    )
                });
            },
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
