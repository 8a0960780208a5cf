//! A long report reads the same on one thread and on several: past a number
//! of entries, the lines of `concise` and `github` are made in parallel,
//! a window at a time, and written in order.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use lacuna_eval::{Code, Diagnostic};
use lacuna_model::{Origin, SourceDb, SourceId};
use lacuna_report::{NormInfo, OutputFormat, RenderOptions, RunSummary, Severity, render};
use lacuna_syntax::Span;

/// A proposal of `lines` lines, some with letters outside ASCII before the
/// place a finding points at, so that columns differ from byte offsets.
fn text(lines: usize) -> String {
    (0..lines)
        .map(|i| match i % 3 {
            0 => format!("[group.g{i}]\n"),
            1 => format!("name = \"Zoë — {i}\"\nvulnerable = true\n"),
            _ => format!("# ünïcode {i}\n"),
        })
        .collect()
}

/// A finding at the start of each `vulnerable` line of both sources, with
/// messages that `github` must escape.
fn findings(sources: &SourceDb, ids: &[SourceId]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for &source in ids {
        let text = sources.text(source);
        for (n, (start, _)) in text.match_indices("vulnerable").enumerate() {
            out.push(Diagnostic {
                code: Code::Norm(if n % 2 == 0 { "a.one" } else { "b.two" }.into()),
                severity: [Severity::Error, Severity::Warning, Severity::Info][n % 3],
                subject: None,
                message: format!("finding {n}: 50% of `g{n}`\nsecond line"),
                help: (n % 5 == 0).then(|| format!("fix {n}, then look again")),
                primary: Origin {
                    source,
                    span: Span::new(start as u32, (start + 10) as u32),
                },
                primary_label: String::new(),
                evidence: Vec::new(),
                meta: None,
                fixes: Vec::new(),
            });
        }
    }
    out
}

#[test]
fn long_reports_are_the_same_on_any_number_of_threads() {
    let mut sources = SourceDb::new();
    let ids = [
        sources.add("b.toml", text(200_000)),
        sources.add("a.toml", text(9_000)),
    ];
    let findings = findings(&sources, &ids);
    // More than one window of lines.
    assert!(findings.len() > 65_536, "{} findings", findings.len());
    let norms = vec![
        NormInfo::new("a.one", Severity::Error),
        NormInfo::new("b.two", Severity::Warning),
    ];
    let options = RenderOptions {
        color: false,
        width: 100,
        summary: Some(RunSummary {
            files_checked: 2,
            norms_checked: 2,
            suppressed: 0,
        }),
    };
    for format in [OutputFormat::Concise, OutputFormat::Github] {
        let on = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| render(format, &findings, &norms, &sources, &options))
        };
        let one = on(1);
        assert_eq!(one.lines().filter(|l| l.contains("finding 7:")).count(), 2);
        assert!(one == on(4), "{format:?} differs on 4 threads");
        assert!(one == on(3), "{format:?} differs on 3 threads");
    }
}
