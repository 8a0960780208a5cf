//! Findings and problems as protocol diagnostics.
//!
//! A finding and a problem carry the same things (a code, a severity, a
//! message, help, a primary location and related ones), so a finding is
//! first read as an [`InputProblem`] and one function turns either into an
//! [`lsp_types::Diagnostic`].

use lacuna_eval::Finding;
use lacuna_model::SourceId;
use lacuna_report::{InputProblem, LineIndex, escape_bidi};
use lacuna_syntax::ast::Severity;
use lsp_types::{DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Uri};
use serde::Serialize;

use crate::position::{Encoding, span_range};

/// Where diagnostics go: the document they are published for, its source
/// in the database, the line index of its text, and the encoding of
/// positions. Only the document's lines are indexed: nothing outside it is
/// published.
pub(crate) struct Target<'a> {
    pub uri: &'a Uri,
    pub source: SourceId,
    pub index: &'a LineIndex<'a>,
    pub encoding: Encoding,
}

/// What the protocol's fields do not hold, for clients that show more:
/// the same `data` as `lacuna check --format lsp` writes.
#[derive(Serialize)]
struct Data<'a> {
    help: Option<&'a str>,
    subject: Option<&'a str>,
    label: &'a str,
    /// The fixes, as text edits of the document, for code actions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<FixData<'a>>,
}

#[derive(Serialize)]
struct FixData<'a> {
    title: &'a str,
    applicability: &'static str,
    edits: Vec<lsp_types::TextEdit>,
}

/// A finding as a problem: the norm is its code and the evidence its
/// related locations.
pub(crate) fn finding_problem(finding: &Finding) -> (InputProblem, Option<String>) {
    let problem = InputProblem {
        code: finding.norm.clone(),
        severity: finding.severity,
        message: finding.message.clone(),
        help: finding.help.clone(),
        primary: finding.primary,
        label: finding.primary_label.clone(),
        related: finding.evidence.clone(),
        fixes: finding.fixes.clone(),
    };
    (problem, finding.subject.as_ref().map(|s| s.path()))
}

/// The diagnostic of `problem`, whose primary location is in the target
/// document. Related locations in other files (a norm's own text, say) have
/// no URI the client can open, so only those in the document are kept.
pub(crate) fn to_lsp(
    target: &Target<'_>,
    problem: &InputProblem,
    subject: Option<&str>,
) -> lsp_types::Diagnostic {
    let index = target.index;
    let related: Vec<DiagnosticRelatedInformation> = problem
        .related
        .iter()
        .filter(|evidence| evidence.origin.source == target.source)
        .map(|evidence| DiagnosticRelatedInformation {
            location: Location {
                uri: target.uri.clone(),
                range: span_range(index, evidence.origin.span, target.encoding),
            },
            message: escape_bidi(&evidence.message).into_owned(),
        })
        .collect();
    let fixes = problem
        .fixes
        .iter()
        .map(|fix| FixData {
            title: &fix.title,
            applicability: fix.applicability.as_str(),
            edits: fix
                .edits
                .iter()
                .map(|edit| lsp_types::TextEdit {
                    range: span_range(index, edit.span, target.encoding),
                    new_text: edit.content.clone(),
                })
                .collect(),
        })
        .collect();
    let help = problem.help.as_deref().map(escape_bidi);
    let subject = subject.map(escape_bidi);
    let label = escape_bidi(&problem.label);
    let data = Data {
        help: help.as_deref(),
        subject: subject.as_deref(),
        label: &label,
        fixes,
    };
    lsp_types::Diagnostic {
        range: span_range(index, problem.primary.span, target.encoding),
        severity: Some(severity(problem.severity)),
        code: Some(NumberOrString::String(problem.code.clone())),
        code_description: None,
        source: Some("lacuna".to_owned()),
        message: escape_bidi(&problem.message).into_owned(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: serde_json::to_value(data).ok(),
    }
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}
