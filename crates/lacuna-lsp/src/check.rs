//! The diagnostics of a document: what its analysis found in it.

use lacuna_syntax::Fix;
use lsp_types::Diagnostic;

use crate::analyzer::Analysis;
use crate::diagnostic::{Target, finding_problem, to_lsp};
use crate::document::Document;
use crate::position::Encoding;
use lacuna_report::{InputProblem, LineIndex, MAX_PROBLEMS_PER_FILE};

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
    let mine: Vec<&InputProblem> = analysis
        .problems
        .iter()
        .filter(|problem| problem.primary.source == source)
        .collect();
    let omitted = mine.len().saturating_sub(MAX_PROBLEMS_PER_FILE);
    let closing = (omitted > 0).then(|| InputProblem::omitted(source, omitted));
    let problems = mine
        .into_iter()
        .take(MAX_PROBLEMS_PER_FILE)
        .chain(closing.as_ref())
        .map(|problem| (to_lsp(&target, problem, None), problem.fixes.clone()));
    let findings = analysis
        .findings
        .iter()
        .filter(|finding| finding.primary.source == source)
        .map(|finding| {
            let (problem, subject) = finding_problem(finding);
            let diagnostic = to_lsp(&target, &problem, subject.as_deref());
            (diagnostic, problem.fixes)
        });
    problems.chain(findings).collect()
}
