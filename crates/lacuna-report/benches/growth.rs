//! Rendering 1k, 10k and 100k hand-made findings in every format, `human`
//! and `plain` included, to show that the time per finding does not grow.
//! Each finding points at the header of its own entity in a generated
//! proposal and has one piece of evidence on a field below it, as the
//! standard norms' findings do. A second group puts every entity on one
//! line, where each position used to be counted from the start of the line.
//!
//! Rendering must grow linearly: the time per finding (criterion reports
//! elements per second) about the same at every size, so the ratio of the
//! 10k and 1k times, and of the 100k and 10k times, near 10.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use lacuna_eval::{Code, Diagnostic, Evidence, NormMeta, Subject};
use lacuna_model::{EntityRef, KindId, Origin, SourceDb, SourceId};
use lacuna_report::{OutputFormat, RenderOptions, RunSummary, Severity, render};
use lacuna_syntax::Span;

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

/// A proposal of `n` groups, and one finding per group.
fn proposal(n: usize, one_line: bool) -> (SourceDb, Vec<Diagnostic>) {
    let mut text = String::new();
    let mut spots = Vec::with_capacity(n);
    for i in 0..n {
        let header = text.len();
        if one_line {
            text.push_str(&format!("\"g{i}\": {{\"area\": \"survival\"}}, "));
        } else {
            text.push_str(&format!(
                "[group.g{i}]\narea = \"survival\"\nvulnerable = true\n\n"
            ));
        }
        let area = header + text[header..].find("survival").unwrap();
        spots.push((header, area));
    }
    let mut sources = SourceDb::new();
    let rules = sources.add("rules/protection.norm", "norm protection.coverage {}\n");
    let id = sources.add("proposal.toml", text);
    let findings = spots
        .into_iter()
        .enumerate()
        .map(|(i, (header, area))| finding(id, rules, i, header, area))
        .collect();
    (sources, findings)
}

fn finding(source: SourceId, rules: SourceId, i: usize, header: usize, area: usize) -> Diagnostic {
    let span = |start: usize, len: usize| Origin {
        source,
        span: Span::new(start as u32, (start + len) as u32),
    };
    Diagnostic {
        code: Code::Norm("protection.coverage".into()),
        severity: Severity::Error,
        subject: Some(Subject {
            entity: EntityRef {
                kind: KindId(0),
                index: i as u32,
            },
            kind: "group".into(),
            name: format!("g{i}"),
        }),
        message: format!("no actor with field presence holds a protection mandate for `g{i}`"),
        help: Some(format!(
            "give the protection of `g{i}` to an agency with field presence"
        )),
        primary: span(header, 8),
        primary_label: "vulnerable group declared here".into(),
        evidence: vec![Evidence {
            origin: span(area, 8),
            message: "survival migrants have no protection framework".into(),
            expr_message: None,
        }],
        meta: Some(Arc::new(NormMeta {
            origin: Origin {
                source: rules,
                span: Span::new(5, 24),
            },
            serves: vec!["rights".into()],
            perspective: vec!["migrants".into()],
            source: Some("Betts 2010, Recommendation 1".into()),
            tags: vec!["protection".into()],
        })),
        fixes: Vec::new(),
    }
}

fn bench_group(c: &mut Criterion, name: &str, one_line: bool, formats: &[OutputFormat]) {
    let mut group = c.benchmark_group(name);
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));
    let options = RenderOptions {
        color: false,
        width: 100,
        summary: Some(RunSummary {
            files_checked: 1,
            norms_checked: 1,
            suppressed: 0,
        }),
    };
    for n in SIZES {
        let (sources, findings) = proposal(n, one_line);
        group.throughput(Throughput::Elements(n as u64));
        for &format in formats {
            group.bench_with_input(BenchmarkId::new(format.as_str(), n), &n, |b, _| {
                b.iter(|| black_box(render(format, &findings, &[], &sources, &options)));
            });
        }
    }
    group.finish();
}

fn render_formats(c: &mut Criterion) {
    bench_group(c, "growth", false, &OutputFormat::ALL);
    bench_group(
        c,
        "growth_one_line",
        true,
        &[
            OutputFormat::Human,
            OutputFormat::Concise,
            OutputFormat::Lsp,
        ],
    );
}

criterion_group!(benches, render_formats);
criterion_main!(benches);
