//! Language Server Protocol diagnostics, for editors and plugins that run
//! `lacuna check` rather than the language server.
//!
//! The document maps each file name, as given, to the diagnostics in it:
//! its findings and the problems that kept it from loading cleanly.
//! Positions are 0-based lines and UTF-16 code units, the protocol's default
//! position encoding. The few protocol types are written here with serde:
//! `lsp-types` is kept for the language server.

use std::collections::BTreeMap;

use lacuna_eval::Evidence;
use lacuna_model::{Origin, SourceId};
use lacuna_syntax::Fix;
use serde::Serialize;

use crate::json::{Layout, to_json};
use crate::location::Location;
use crate::uri::file_uri;
use crate::{Report, Severity};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Diagnostic<'a> {
    range: Range,
    severity: u8,
    code: &'a str,
    source: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_information: Vec<RelatedInformation<'a>>,
    data: Data<'a>,
}

#[derive(Serialize)]
struct Range {
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    character: usize,
}

#[derive(Serialize)]
struct RelatedInformation<'a> {
    location: LspLocation,
    message: &'a str,
}

#[derive(Serialize)]
struct LspLocation {
    uri: String,
    range: Range,
}

#[derive(Serialize)]
struct Data<'a> {
    help: Option<&'a str>,
    subject: Option<String>,
    label: &'a str,
    /// What a client needs for code actions: each fix as text edits of the
    /// diagnostic's document.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<LspFix<'a>>,
}

#[derive(Serialize)]
struct LspFix<'a> {
    title: &'a str,
    applicability: &'static str,
    edits: Vec<TextEdit<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TextEdit<'a> {
    range: Range,
    new_text: &'a str,
}

fn fixes<'a>(report: &Report<'a>, source: SourceId, fixes: &'a [Fix]) -> Vec<LspFix<'a>> {
    fixes
        .iter()
        .map(|fix| LspFix {
            title: &fix.title,
            applicability: fix.applicability.as_str(),
            edits: fix
                .edits
                .iter()
                .map(|edit| TextEdit {
                    range: range(&report.locator.locate(Origin {
                        source,
                        span: edit.span,
                    })),
                    new_text: &edit.content,
                })
                .collect(),
        })
        .collect()
}

pub(crate) fn render_lsp(report: &Report<'_>) -> String {
    let mut files: BTreeMap<&str, Vec<Diagnostic<'_>>> = BTreeMap::new();
    for entry in report.entries() {
        let (file, diagnostic) = diagnostic(report, entry);
        files.entry(file).or_default().push(diagnostic);
    }
    let mut out = to_json(&files, Layout::Pretty);
    out.push('\n');
    out
}

/// The diagnostic of a finding or problem, and the file it belongs to.
fn diagnostic<'a>(
    report: &Report<'a>,
    entry: &'a lacuna_eval::Diagnostic,
) -> (&'a str, Diagnostic<'a>) {
    let at = report.locator.locate(entry.primary);
    let diagnostic = Diagnostic {
        range: range(&at),
        severity: severity(entry.severity),
        code: entry.code.as_str(),
        source: "lacuna",
        message: &entry.message,
        related_information: related(report, &entry.evidence),
        data: Data {
            help: entry.help.as_deref(),
            subject: entry.subject.as_ref().map(|s| s.path()),
            label: &entry.primary_label,
            fixes: fixes(report, entry.primary.source, &entry.fixes),
        },
    };
    (at.file, diagnostic)
}

fn severity(severity: Severity) -> u8 {
    match severity {
        Severity::Error => 1,
        Severity::Warning => 2,
        Severity::Info => 3,
    }
}

fn related<'a>(report: &Report<'a>, spans: &'a [Evidence]) -> Vec<RelatedInformation<'a>> {
    spans
        .iter()
        .map(|e| {
            let at = report.locator.locate(e.origin);
            RelatedInformation {
                location: LspLocation {
                    uri: file_uri(at.file).uri,
                    range: range(&at),
                },
                message: &e.message,
            }
        })
        .collect()
}

fn range(at: &Location<'_>) -> Range {
    Range {
        start: Position {
            line: at.start_utf16.line,
            character: at.start_utf16.character,
        },
        end: Position {
            line: at.end_utf16.line,
            character: at.end_utf16.character,
        },
    }
}
