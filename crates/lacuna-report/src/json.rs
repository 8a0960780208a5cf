//! `json` and `json-lines`: findings and problems with the inputs for
//! programs, documented field by field in `docs/output.md`.
//!
//! Every object is a struct with a fixed field order, never a map built at
//! run time, so the output is byte-for-byte stable.

use lacuna_eval::{Diagnostic, Evidence};
use lacuna_model::{Origin, SourceId};
use lacuna_syntax::Fix;
use serde::Serialize;

use crate::location::Location;
use crate::{JSON_SCHEMA_VERSION, NormInfo, RenderOptions, Report, VERSION};

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    tool: Tool,
    findings: Vec<JsonFinding<'a>>,
    problems: Vec<JsonProblem<'a>>,
    norms: Vec<JsonNorm<'a>>,
    summary: JsonSummary,
}

/// What an object of `json-lines` is, and of the `json` lists.
#[derive(Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Finding,
    Problem,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    kind: Kind,
    norm: &'a str,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    subject: Option<JsonSubject<'a>>,
    location: JsonLocation<'a>,
    label: &'a str,
    evidence: Vec<JsonEvidence<'a>>,
    serves: &'a [String],
    perspective: &'a [String],
    source: Option<&'a str>,
    tags: &'a [String],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonProblem<'a> {
    kind: Kind,
    code: &'a str,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    location: JsonLocation<'a>,
    label: &'a str,
    related: Vec<JsonEvidence<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<JsonFix<'a>>,
}

/// A fix: what it does, whether a tool may apply it, and its edits.
#[derive(Serialize)]
pub(crate) struct JsonFix<'a> {
    title: &'a str,
    applicability: &'static str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    content: &'a str,
    location: JsonLocation<'a>,
}

/// A line of `json-lines`: a finding or a problem, told apart by `kind`.
#[derive(Serialize)]
#[serde(untagged)]
enum JsonEntry<'a> {
    Finding(JsonFinding<'a>),
    Problem(JsonProblem<'a>),
}

#[derive(Serialize)]
struct JsonSubject<'a> {
    kind: &'a str,
    name: &'a str,
    path: String,
}

#[derive(Serialize)]
struct JsonEvidence<'a> {
    message: &'a str,
    expr_message: Option<&'a str>,
    location: JsonLocation<'a>,
}

#[derive(Serialize)]
struct JsonLocation<'a> {
    file: &'a str,
    span: ByteSpan,
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct ByteSpan {
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct JsonNorm<'a> {
    id: &'a str,
    severity: &'static str,
    summary: Option<&'a str>,
    doc: Option<&'a str>,
    help: Option<&'a str>,
    source: Option<&'a str>,
    serves: &'a [String],
    perspective: &'a [String],
    tags: &'a [String],
    location: Option<JsonLocation<'a>>,
}

#[derive(Serialize)]
struct JsonSummary {
    errors: usize,
    warnings: usize,
    info: usize,
    total: usize,
    files_with_findings: usize,
    files_checked: Option<usize>,
    norms_checked: Option<usize>,
    problems: usize,
    suppressed: Option<usize>,
}

pub(crate) fn render_json(report: &Report<'_>, options: &RenderOptions) -> String {
    let counts = report.counts();
    let document = JsonReport {
        version: JSON_SCHEMA_VERSION,
        tool: Tool {
            name: "lacuna",
            version: VERSION,
        },
        findings: report
            .findings
            .iter()
            .map(|f| json_finding(report, f))
            .collect(),
        problems: report
            .problems
            .iter()
            .map(|p| json_problem(report, p))
            .collect(),
        norms: report.norms.iter().map(|n| json_norm(report, n)).collect(),
        summary: JsonSummary {
            errors: counts.errors,
            warnings: counts.warnings,
            info: counts.info,
            total: counts.total(),
            files_with_findings: counts.files,
            files_checked: options.summary.map(|s| s.files_checked),
            norms_checked: options.summary.map(|s| s.norms_checked),
            problems: counts.problems,
            suppressed: options.summary.map(|s| s.suppressed),
        },
    };
    let mut out = to_json(&document, Layout::Pretty);
    out.push('\n');
    out
}

pub(crate) fn render_json_lines(report: &Report<'_>) -> String {
    let mut out = String::new();
    for entry in report.entries() {
        let line = if entry.is_finding() {
            JsonEntry::Finding(json_finding(report, entry))
        } else {
            JsonEntry::Problem(json_problem(report, entry))
        };
        out.push_str(&to_json(&line, Layout::Compact));
        out.push('\n');
    }
    out
}

#[derive(Clone, Copy)]
pub(crate) enum Layout {
    Pretty,
    Compact,
}

/// Serializes a value built of structs, strings, numbers and sequences.
/// serde_json fails only on maps with non-string keys and on failing
/// `Serialize` impls, neither of which the report types have; the error
/// text stands in should that ever change.
pub(crate) fn to_json(value: &impl Serialize, layout: Layout) -> String {
    let result = match layout {
        Layout::Pretty => serde_json::to_string_pretty(value),
        Layout::Compact => serde_json::to_string(value),
    };
    result.unwrap_or_else(|err| format!("{{\"error\":{:?}}}", err.to_string()))
}

fn json_finding<'a>(report: &Report<'a>, finding: &'a Diagnostic) -> JsonFinding<'a> {
    JsonFinding {
        kind: Kind::Finding,
        norm: finding.code.as_str(),
        severity: finding.severity.as_str(),
        message: &finding.message,
        help: finding.help.as_deref(),
        subject: finding.subject.as_ref().map(|s| JsonSubject {
            kind: &s.kind,
            name: &s.name,
            path: s.path(),
        }),
        location: json_location(report.locator.locate(finding.primary)),
        label: &finding.primary_label,
        evidence: json_evidence(report, &finding.evidence),
        serves: finding.serves(),
        perspective: finding.perspective(),
        source: finding.source(),
        tags: finding.tags(),
        fixes: json_fixes(report, finding.primary.source, &finding.fixes),
    }
}

fn json_problem<'a>(report: &Report<'a>, problem: &'a Diagnostic) -> JsonProblem<'a> {
    JsonProblem {
        kind: Kind::Problem,
        code: problem.code.as_str(),
        severity: problem.severity.as_str(),
        message: &problem.message,
        help: problem.help.as_deref(),
        location: json_location(report.locator.locate(problem.primary)),
        label: &problem.primary_label,
        related: json_evidence(report, &problem.evidence),
        fixes: json_fixes(report, problem.primary.source, &problem.fixes),
    }
}

/// Fixes with the positions of their edits in `source`, the file of the
/// diagnostic they repair.
pub(crate) fn json_fixes<'a>(
    report: &Report<'a>,
    source: SourceId,
    fixes: &'a [Fix],
) -> Vec<JsonFix<'a>> {
    fixes
        .iter()
        .map(|fix| JsonFix {
            title: &fix.title,
            applicability: fix.applicability.as_str(),
            edits: fix
                .edits
                .iter()
                .map(|edit| JsonEdit {
                    content: &edit.content,
                    location: json_location(report.locator.locate(Origin {
                        source,
                        span: edit.span,
                    })),
                })
                .collect(),
        })
        .collect()
}

fn json_evidence<'a>(report: &Report<'a>, spans: &'a [Evidence]) -> Vec<JsonEvidence<'a>> {
    spans
        .iter()
        .map(|e| JsonEvidence {
            message: &e.message,
            expr_message: e.expr_message.as_deref(),
            location: json_location(report.locator.locate(e.origin)),
        })
        .collect()
}

fn json_norm<'a, 'r: 'a>(report: &Report<'r>, norm: &'a NormInfo) -> JsonNorm<'a> {
    JsonNorm {
        id: &norm.id,
        severity: norm.severity.as_str(),
        summary: norm.summary(),
        doc: norm.doc.as_deref(),
        help: norm.help.as_deref(),
        source: norm.source.as_deref(),
        serves: &norm.serves,
        perspective: &norm.perspective,
        tags: &norm.tags,
        location: norm
            .origin
            .map(|origin| json_location(report.locator.locate(origin))),
    }
}

fn json_location(at: Location<'_>) -> JsonLocation<'_> {
    JsonLocation {
        file: at.file,
        span: ByteSpan {
            start: at.start_byte,
            end: at.end_byte,
        },
        start: Position {
            line: at.start.line,
            column: at.start.column,
        },
        end: Position {
            line: at.end.line,
            column: at.end.column,
        },
    }
}
