//! The diagnostics of a document: its text checked as a proposal or as a
//! rule file.

use lsp_types::Diagnostic;

use crate::analyzer::{Analysis, Analyzer};
use crate::diagnostic::{Target, finding_problem, to_lsp};
use crate::document::{Document, Kind};
use crate::position::Encoding;
use lacuna_report::{InputProblem, Locator, MAX_PROBLEMS_PER_FILE};

/// Every diagnostic of `document`, sorted by position then code; `None` for
/// a document the server does not check.
pub(crate) fn diagnostics(
    analyzer: &dyn Analyzer,
    document: &Document,
    encoding: Encoding,
) -> Option<Vec<Diagnostic>> {
    let name = document.file_name();
    let analysis = match document.kind() {
        Kind::Proposal(format) => analyzer.proposal(&name, &document.text, format),
        Kind::Rules => analyzer.rules(&name, &document.text),
        Kind::Other => return None,
    };
    let mut diagnostics = convert(document, &analysis, encoding);
    // Sorting by position keeps the order stable whichever stage found
    // what; the sort is stable, so equal keys keep the library's order.
    diagnostics.sort_by(|a, b| {
        (a.range.start, a.range.end)
            .cmp(&(b.range.start, b.range.end))
            .then_with(|| code(a).cmp(&code(b)))
    });
    Some(diagnostics)
}

fn code(diagnostic: &Diagnostic) -> String {
    match &diagnostic.code {
        Some(lsp_types::NumberOrString::String(code)) => code.clone(),
        Some(lsp_types::NumberOrString::Number(code)) => code.to_string(),
        None => String::new(),
    }
}

/// The problems and findings that point into the document, as diagnostics.
fn convert(document: &Document, analysis: &Analysis, encoding: Encoding) -> Vec<Diagnostic> {
    let source = analysis.source;
    let locator = Locator::new(&analysis.sources);
    let target = Target {
        uri: &document.uri,
        source,
        locator: &locator,
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
        .map(|problem| to_lsp(&target, problem, None));
    let findings = analysis
        .findings
        .iter()
        .filter(|finding| finding.primary.source == source)
        .map(|finding| {
            let (problem, subject) = finding_problem(finding);
            to_lsp(&target, &problem, subject.as_deref())
        });
    problems.chain(findings).collect()
}
