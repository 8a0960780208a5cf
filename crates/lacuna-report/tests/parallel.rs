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
    let options = options();
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

/// Findings of two files, handed over in report order as a check hands
/// them: one pass on several threads finds them ready and counts them.
/// With a norm the caller does not describe, or a message to escape, they
/// read the same on any number of threads.
#[test]
fn findings_in_order_are_the_same_on_any_number_of_threads() {
    let mut sources = SourceDb::new();
    let ids = [
        sources.add("a.toml", text(9_000)),
        sources.add("b.toml", text(200_000)),
    ];
    let mut findings = findings(&sources, &ids);
    assert!(findings.len() > 65_536, "{} findings", findings.len());
    for finding in findings.iter_mut().step_by(1_001) {
        finding.message.insert(0, '\u{202E}');
    }
    let options = options();
    let escaped_on = |threads| {
        let mut escaped = findings.clone();
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| lacuna_report::escape_diagnostics_text(&mut escaped));
        escaped
    };
    let escaped = escaped_on(1);
    assert!(escaped[0].message.starts_with("\\u202Efinding 0"));
    assert!(escaped == escaped_on(3), "escapes differ on 3 threads");
    let described = vec![
        NormInfo::new("a.one", Severity::Error),
        NormInfo::new("b.two", Severity::Warning),
    ];
    let one_described = vec![NormInfo::new("b.two", Severity::Warning)];
    for norms in [&described, &one_described] {
        for format in [
            OutputFormat::Concise,
            OutputFormat::Json,
            OutputFormat::Github,
        ] {
            let on = |threads| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap()
                    .install(|| render(format, &escaped, norms, &sources, &options))
            };
            let one = on(1);
            if format == OutputFormat::Concise {
                let last = one.lines().last().unwrap();
                assert!(last.starts_with("found "), "{last}");
                assert!(last.contains("in 2 files"), "{last}");
            }
            assert!(one == on(4), "{format:?} differs on 4 threads");
            assert!(one == on(3), "{format:?} differs on 3 threads");
        }
    }
}

/// Plain output of two files against two norms, with its summary line.
fn options() -> RenderOptions {
    RenderOptions {
        color: false,
        width: 100,
        summary: Some(RunSummary {
            files_checked: 2,
            norms_checked: 2,
            suppressed: 0,
        }),
    }
}
