//! The norms of `tests/data/norms.norm` over each proposal of
//! `tests/data/proposals/`: the findings, with every span shown as the text
//! it covers and each piece of evidence in both its texts, are snapshots to
//! review. Both evaluators must agree on each.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::fmt::Write as _;

use lacuna_eval::{Detail, Diagnostic, check_rules};
use lacuna_model::{Format, SourceId, load};
use lacuna_syntax::Span;

/// `line:column` of a byte offset, both from one.
fn position(text: &str, offset: u32) -> (usize, usize) {
    let before = &text[..(offset as usize).min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, column)
}

fn at(text: &str, span: Span) -> String {
    let (line, column) = position(text, span.start);
    format!("{line}:{column} `{}`", span.text(text))
}

fn render(findings: &[Diagnostic], text: &str) -> String {
    let mut out = String::new();
    for f in findings {
        let subject = f
            .subject
            .as_ref()
            .map_or("(proposal)".to_owned(), |s| s.path());
        let _ = writeln!(
            out,
            "{}[{}] {subject}: {}",
            f.severity.as_str(),
            f.code,
            f.message
        );
        let _ = writeln!(
            out,
            "  at {}: {}",
            at(text, f.primary.span),
            f.primary_label
        );
        for e in &f.evidence {
            let _ = writeln!(out, "  evidence {}: {}", at(text, e.origin.span), e.message);
            if let Some(expr) = &e.expr_message {
                let _ = writeln!(out, "    for the rule author: {expr}");
            }
        }
        if let Some(help) = &f.help {
            let _ = writeln!(out, "  help: {help}");
        }
        let mut notes = Vec::new();
        if let Some(source) = f.source() {
            notes.push(source.to_owned());
        }
        if !f.serves().is_empty() {
            notes.push(format!("serves: {}", f.serves().join(", ")));
        }
        if !f.perspective().is_empty() {
            notes.push(format!("perspective: {}", f.perspective().join(", ")));
        }
        if !f.tags().is_empty() {
            notes.push(format!("tags: {}", f.tags().join(", ")));
        }
        if !notes.is_empty() {
            let _ = writeln!(out, "  note: {}", notes.join(" · "));
        }
    }
    out
}

#[test]
fn evaluation() {
    let dir = support::workspace().join("crates/lacuna-eval/tests/data");
    let schema_text =
        std::fs::read_to_string(support::workspace().join("rules/schema.norm")).unwrap();
    let norms_text = std::fs::read_to_string(dir.join("norms.norm")).unwrap();
    let schema_ast = support::parse("schema.norm", &schema_text);
    let norms_ast = support::parse("norms.norm", &norms_text);
    let files = [(SourceId(0), &schema_ast), (SourceId(1), &norms_ast)];
    let schema = support::schema(&files);
    let (program, errors) = check_rules(&schema, &files);
    assert!(
        errors.is_empty(),
        "{}",
        support::render(errors, "norms.norm", &norms_text)
    );
    insta::glob!("data/proposals", "*.toml", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let (facts, errors) = load(&schema, SourceId(2), &text, Format::Toml);
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        let findings = lacuna_eval::evaluate(&program, &schema, &facts);
        let reference = lacuna_eval::reference::evaluate(&program, &schema, &facts);
        assert_eq!(findings, reference);
        // Without evidence, the same findings in the same order, messages
        // and all.
        let bare = lacuna_eval::evaluate_with(&program, &schema, &facts, Detail::Messages);
        let stripped: Vec<_> = findings
            .iter()
            .cloned()
            .map(|mut f| {
                f.evidence.clear();
                f
            })
            .collect();
        assert_eq!(bare, stripped);
        insta::assert_snapshot!(render(&findings, &text));
    });
}
