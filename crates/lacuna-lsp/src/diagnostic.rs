//! Findings and problems as protocol diagnostics.
//!
//! A finding and a problem are one type, [`lacuna_eval::Diagnostic`], so one
//! function turns either into an [`lsp_types::Diagnostic`].

use lacuna_eval::Diagnostic;
use lacuna_model::SourceId;
use lacuna_report::{LineIndex, escape_bidi};
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

/// The protocol's diagnostic of `diagnostic`, a finding or a problem with
/// an input, whose primary location is in the target document. The evidence
/// becomes related locations; those in other files (a norm's own text, say)
/// have no URI the client can open, so only those in the document are kept.
pub(crate) fn to_lsp(target: &Target<'_>, diagnostic: &Diagnostic) -> lsp_types::Diagnostic {
    let index = target.index;
    let related: Vec<DiagnosticRelatedInformation> = diagnostic
        .evidence
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
    let fixes = diagnostic
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
    let help = diagnostic.help.as_deref().map(escape_bidi);
    let subject = diagnostic.subject.as_ref().map(|s| s.path());
    let subject = subject.as_deref().map(escape_bidi);
    let label = escape_bidi(&diagnostic.primary_label);
    let data = Data {
        help: help.as_deref(),
        subject: subject.as_deref(),
        label: &label,
        fixes,
    };
    lsp_types::Diagnostic {
        range: span_range(index, diagnostic.primary.span, target.encoding),
        severity: Some(severity(diagnostic.severity)),
        code: Some(NumberOrString::String(diagnostic.code.as_str().to_owned())),
        code_description: None,
        source: Some("lacuna".to_owned()),
        message: escape_bidi(&diagnostic.message).into_owned(),
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
