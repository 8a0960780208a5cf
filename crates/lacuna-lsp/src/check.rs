//! The diagnostics of a document: what its analysis found in it.

use lacuna_syntax::Fix;
use lsp_types::Diagnostic;

use crate::analyzer::Analysis;
use crate::diagnostic::{Target, to_lsp};
use crate::document::Document;
use crate::position::Encoding;
use lacuna_report::{LineIndex, MAX_PROBLEMS_PER_FILE};

/// Every diagnostic of `document`, sorted by position then code.
pub(crate) fn diagnostics(
    document: &Document,
    analysis: &Analysis,
    encoding: Encoding,
) -> Vec<Diagnostic> {
    with_fixes(document, analysis, encoding)
        .into_iter()
        .map(|(diagnostic, _)| diagnostic)
        .collect()
}

/// Every diagnostic of `document` with the fixes it carries, sorted by
/// position then code.
pub(crate) fn with_fixes(
    document: &Document,
    analysis: &Analysis,
    encoding: Encoding,
) -> Vec<(Diagnostic, Vec<Fix>)> {
    let mut diagnostics = convert(document, analysis, encoding);
    // Sorting by position keeps the order stable whichever stage found
    // what; the sort is stable, so equal keys keep the library's order.
    diagnostics.sort_by(|(a, _), (b, _)| {
        (a.range.start, a.range.end)
            .cmp(&(b.range.start, b.range.end))
            .then_with(|| code(a).cmp(&code(b)))
    });
    diagnostics
}

fn code(diagnostic: &Diagnostic) -> String {
    match &diagnostic.code {
        Some(lsp_types::NumberOrString::String(code)) => code.clone(),
        Some(lsp_types::NumberOrString::Number(code)) => code.to_string(),
        None => String::new(),
    }
}

/// The problems and findings that point into the document, as diagnostics.
fn convert(
    document: &Document,
    analysis: &Analysis,
    encoding: Encoding,
) -> Vec<(Diagnostic, Vec<Fix>)> {
    let source = analysis.source;
    let index = LineIndex::new(&document.text);
    let target = Target {
        uri: &document.uri,
        source,
        index: &index,
        encoding,
    };
    // A document with thousands of problems is rarely what it claims to
    // be; past the limit, one diagnostic counts the rest.
    let mine: Vec<&lacuna_eval::Diagnostic> = analysis
        .problems
        .iter()
        .filter(|problem| problem.primary.source == source)
        .collect();
    let omitted = mine.len().saturating_sub(MAX_PROBLEMS_PER_FILE);
    let closing = mine
        .last()
        .and_then(|last| last.stage())
        .filter(|_| omitted > 0)
        .map(|stage| lacuna_report::too_many_problems(stage, source, omitted));
    let findings = analysis
        .findings
        .iter()
        .filter(|finding| finding.primary.source == source);
    mine.into_iter()
        .take(MAX_PROBLEMS_PER_FILE)
        .chain(closing.as_ref())
        .chain(findings)
        .map(|diagnostic| (to_lsp(&target, diagnostic), diagnostic.fixes.clone()))
        .collect()
}
