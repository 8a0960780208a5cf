//! SARIF 2.1.0, the Static Analysis Results Interchange Format, as GitHub
//! code scanning reads it.
//!
//! One run; the driver lists every norm as a rule, then every code of a
//! problem with an input, and each result points at its rule by id and
//! index. Columns are UTF-16 code units (`columnKind`),
//! the unit of the editors and viewers that read SARIF. Relative file names
//! carry the `%SRCROOT%` base, which code scanning resolves to the
//! repository root.

use lacuna_eval::{Diagnostic, Evidence};
use lacuna_model::{Origin, SourceId};
use lacuna_syntax::Fix;
use serde::Serialize;

use crate::json::{Layout, to_json};
use crate::location::Location;
use crate::uri::file_uri;
use crate::{NormInfo, Report, Severity, VERSION, subject_path};

/// The tag of the rules that stand for problems with the inputs.
const INVALID_INPUT_TAG: &str = "invalid-input";

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    short_description: Message,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_description: Option<Message>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<Message>,
    default_configuration: Configuration,
    properties: RuleProperties<'a>,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties<'a> {
    tags: Vec<String>,
    serves: &'a [String],
    perspective: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Message,
    locations: [SarifLocation; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation>,
    /// Findings only: a problem has no identity that survives edits.
    #[serde(skip_serializing_if = "Option::is_none")]
    partial_fingerprints: Option<Fingerprints>,
    #[serde(skip_serializing_if = "ResultProperties::is_empty")]
    properties: ResultProperties<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
}

/// A fix as SARIF 2.1.0 describes one (§3.55): replacements in one
/// artifact, the file of the result. SARIF has no applicability; it goes
/// in the fix's properties.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Message,
    artifact_changes: [ArtifactChange; 1],
    properties: FixProperties,
}

#[derive(Serialize)]
struct FixProperties {
    applicability: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Message,
}

#[derive(Serialize)]
struct Fingerprints {
    /// The norm id and the subject's path. The version in the key changes
    /// if the fingerprint's make-up ever does.
    #[serde(rename = "lacuna/v1")]
    lacuna: String,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
}

impl ResultProperties<'_> {
    fn is_empty(&self) -> bool {
        self.subject.is_none() && self.help.is_none()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

pub(crate) fn render_sarif(report: &Report<'_>) -> String {
    let codes = problem_codes(report);
    let mut rules: Vec<Rule<'_>> = report.norms.iter().map(rule).collect();
    rules.extend(
        codes
            .iter()
            .map(|&(code, severity)| problem_rule(code, severity)),
    );
    let results = report
        .entries()
        .into_iter()
        .map(|entry| {
            if entry.is_finding() {
                return sarif_result(report, entry);
            }
            let index = codes
                .binary_search_by(|(code, _)| code.cmp(&entry.code.as_str()))
                .ok()
                .map(|i| report.norms.len() + i);
            problem_result(report, entry, index)
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "lacuna",
                    version: VERSION,
                    semantic_version: VERSION,
                    rules,
                },
            },
            column_kind: "utf16CodeUnits",
            results,
        }],
    };
    let mut out = to_json(&log, Layout::Pretty);
    out.push('\n');
    out
}

/// The codes of the problems, sorted, each with the highest severity a
/// problem of that code has.
fn problem_codes<'a>(report: &Report<'a>) -> Vec<(&'a str, Severity)> {
    let mut codes: Vec<(&str, Severity)> = report
        .problems
        .iter()
        .map(|p| (p.code.as_str(), p.severity))
        .collect();
    // Most severe first within a code, so that `dedup` keeps it.
    codes.sort_by(|a, b| a.0.cmp(b.0).then(b.1.cmp(&a.1)));
    codes.dedup_by(|later, earlier| later.0 == earlier.0);
    codes
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule(norm: &NormInfo) -> Rule<'_> {
    let doc = norm.doc.as_deref().map(str::trim).filter(|d| !d.is_empty());
    let mut help = Vec::new();
    if let Some(doc) = doc {
        help.push(doc.to_owned());
    }
    if let Some(fix) = &norm.help {
        help.push(format!("How to fix: {fix}"));
    }
    if let Some(source) = &norm.source {
        help.push(format!("Source: {source}"));
    }
    let mut tags = norm.tags.clone();
    tags.extend(norm.serves.iter().map(|v| format!("serves:{v}")));
    tags.extend(norm.perspective.iter().map(|p| format!("perspective:{p}")));
    Rule {
        id: &norm.id,
        short_description: Message {
            text: norm.summary().unwrap_or(&norm.id).to_owned(),
        },
        full_description: doc.map(|d| Message { text: d.to_owned() }),
        help: (!help.is_empty()).then(|| Message {
            text: help.join("\n\n"),
        }),
        default_configuration: Configuration {
            level: level(norm.severity),
        },
        properties: RuleProperties {
            tags,
            serves: &norm.serves,
            perspective: &norm.perspective,
            source: norm.source.as_deref(),
        },
    }
}

/// The rule of a problem code: what every problem with that code shares.
fn problem_rule(code: &str, severity: Severity) -> Rule<'_> {
    Rule {
        id: code,
        short_description: Message {
            text: format!("Input problem `{code}`"),
        },
        full_description: None,
        help: Some(Message {
            text: "A problem with the proposal itself rather than a norm: the result's message \
                   says what is wrong and where. When it is an error, lacuna checks only what \
                   it could read, so the findings of the file may be incomplete until it is \
                   fixed."
                .to_owned(),
        }),
        default_configuration: Configuration {
            level: level(severity),
        },
        properties: RuleProperties {
            tags: vec![INVALID_INPUT_TAG.to_owned()],
            serves: &[],
            perspective: &[],
            source: None,
        },
    }
}

fn problem_result<'a>(
    report: &Report<'a>,
    problem: &'a Diagnostic,
    rule_index: Option<usize>,
) -> SarifResult<'a> {
    let label = (!problem.primary_label.is_empty()).then(|| Message {
        text: problem.primary_label.clone(),
    });
    SarifResult {
        rule_id: problem.code.as_str(),
        rule_index,
        level: level(problem.severity),
        message: Message {
            text: problem.message.clone(),
        },
        locations: [sarif_location(
            &report.locator.locate(problem.primary),
            None,
            label,
        )],
        related_locations: related_locations(report, &problem.evidence),
        partial_fingerprints: None,
        properties: ResultProperties {
            subject: None,
            help: problem.help.as_deref(),
        },
        fixes: sarif_fixes(report, problem.primary.source, &problem.fixes),
    }
}

fn sarif_fixes(report: &Report<'_>, source: SourceId, fixes: &[Fix]) -> Vec<SarifFix> {
    fixes
        .iter()
        .map(|fix| {
            let replacements = fix
                .edits
                .iter()
                .map(|edit| {
                    let at = report.locator.locate(Origin {
                        source,
                        span: edit.span,
                    });
                    Replacement {
                        deleted_region: region(&at),
                        inserted_content: Message {
                            text: edit.content.clone(),
                        },
                    }
                })
                .collect();
            let file = file_uri(report.sources().name(source));
            SarifFix {
                description: Message {
                    text: fix.title.clone(),
                },
                artifact_changes: [ArtifactChange {
                    artifact_location: ArtifactLocation {
                        uri: file.uri,
                        uri_base_id: file.relative.then_some("%SRCROOT%"),
                    },
                    replacements,
                }],
                properties: FixProperties {
                    applicability: fix.applicability.as_str(),
                },
            }
        })
        .collect()
}

fn related_locations(report: &Report<'_>, spans: &[Evidence]) -> Vec<SarifLocation> {
    spans
        .iter()
        .enumerate()
        .map(|(i, e)| {
            sarif_location(
                &report.locator.locate(e.origin),
                Some(i + 1),
                Some(Message {
                    text: e.message.clone(),
                }),
            )
        })
        .collect()
}

fn sarif_result<'a>(report: &Report<'a>, finding: &'a Diagnostic) -> SarifResult<'a> {
    let primary = report.locator.locate(finding.primary);
    let label = (!finding.primary_label.is_empty()).then(|| Message {
        text: finding.primary_label.clone(),
    });
    SarifResult {
        rule_id: finding.code.as_str(),
        rule_index: report.norm_index(finding.code.as_str()),
        level: level(finding.severity),
        message: Message {
            text: finding.message.clone(),
        },
        locations: [sarif_location(&primary, None, label)],
        related_locations: related_locations(report, &finding.evidence),
        partial_fingerprints: Some(Fingerprints {
            lacuna: format!("{}:{}", finding.code, subject_path(finding)),
        }),
        properties: ResultProperties {
            subject: finding.subject.as_ref().map(|s| s.path()),
            help: finding.help.as_deref(),
        },
        fixes: sarif_fixes(report, finding.primary.source, &finding.fixes),
    }
}

fn sarif_location(at: &Location<'_>, id: Option<usize>, message: Option<Message>) -> SarifLocation {
    let file = file_uri(at.file);
    SarifLocation {
        id,
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: file.uri,
                uri_base_id: file.relative.then_some("%SRCROOT%"),
            },
            region: region(at),
        },
        message,
    }
}

/// A region in UTF-16 code units, counted from 1, as SARIF's default
/// `columnKind` says.
fn region(at: &Location<'_>) -> Region {
    Region {
        start_line: at.start_utf16.line + 1,
        start_column: at.start_utf16.character + 1,
        end_line: at.end_utf16.line + 1,
        end_column: at.end_utf16.character + 1,
    }
}
