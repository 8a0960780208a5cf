//! The comparison of two proposals as one JSON document.

use serde::Serialize;

use super::{
    BySeverity, COMPARE_JSON_VERSION, Comparison, EntityChange, Group, Score, Sides, Tally,
};
use crate::Locator;
use lacuna_model::{SourceDb, SourceId};

/// The JSON report, version [`COMPARE_JSON_VERSION`], as `docs/compare.md`
/// describes it.
pub fn render_json(comparison: &Comparison, sides: &Sides, sources: &SourceDb) -> String {
    let locator = Locator::new(sources);
    let side = |id: SourceId, findings: usize| JsonSide {
        file: sources.name(id).to_owned(),
        findings,
    };
    let document = JsonDocument {
        version: COMPARE_JSON_VERSION,
        before: side(sides.before, sides.before_findings),
        after: side(sides.after, sides.after_findings),
        total: JsonTally::of(&comparison.total),
        process: JsonTally::of(&comparison.process),
        values: comparison.values.iter().map(JsonGroup::of).collect(),
        no_value: JsonGroup::of(&comparison.no_value),
        perspectives: comparison.perspectives.iter().map(JsonGroup::of).collect(),
        no_perspective: JsonGroup::of(&comparison.no_perspective),
        tradeoffs: comparison
            .tradeoffs
            .iter()
            .map(|t| {
                let at = locator.locate(t.origin);
                let (change, fields) = match &t.change {
                    EntityChange::Removed => ("removed", Vec::new()),
                    EntityChange::Changed(fields) => (
                        "changed",
                        fields
                            .iter()
                            .map(|f| JsonField {
                                field: f.field.clone(),
                                before: f.before.clone(),
                                after: f.after.clone(),
                                added: f.added.clone(),
                                removed: f.removed.clone(),
                            })
                            .collect(),
                    ),
                };
                JsonTradeoff {
                    entity: t.entity.clone(),
                    change,
                    fields,
                    served: t.served.clone(),
                    given_up: t
                        .lost
                        .iter()
                        .map(|l| JsonLoss {
                            norm: l.norm.clone(),
                            severity: l.severity.as_str(),
                            serves: l.serves.clone(),
                            perspective: l.perspective.clone(),
                        })
                        .collect(),
                    file: at.file.to_owned(),
                    line: at.start.line,
                    column: at.start.column,
                }
            })
            .collect(),
        findings: comparison
            .entries
            .iter()
            .map(|entry| {
                let finding = &entry.finding;
                let at = locator.locate(finding.primary);
                JsonFinding {
                    change: entry.change.json_name(),
                    norm: finding.code.as_str().to_owned(),
                    severity: finding.severity.as_str(),
                    process: entry.process,
                    subject: entry.subject(),
                    message: finding.message.clone(),
                    help: finding.help.clone(),
                    file: at.file.to_owned(),
                    line: at.start.line,
                    column: at.start.column,
                    serves: finding.serves().to_vec(),
                    perspective: finding.perspective().to_vec(),
                    source: finding.source().map(str::to_owned),
                    tags: finding.tags().to_vec(),
                }
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&document).unwrap_or_default();
    out.push('\n');
    out
}

#[derive(Serialize)]
struct JsonDocument {
    version: u32,
    before: JsonSide,
    after: JsonSide,
    total: JsonTally,
    process: JsonTally,
    values: Vec<JsonGroup>,
    no_value: JsonGroup,
    perspectives: Vec<JsonGroup>,
    no_perspective: JsonGroup,
    tradeoffs: Vec<JsonTradeoff>,
    findings: Vec<JsonFinding>,
}

#[derive(Serialize)]
struct JsonSide {
    file: String,
    findings: usize,
}

/// Counts by severity.
#[derive(Serialize)]
pub(crate) struct JsonCounts {
    error: usize,
    warning: usize,
    info: usize,
}

impl JsonCounts {
    pub(crate) fn of(counts: &BySeverity) -> JsonCounts {
        JsonCounts {
            error: counts.error,
            warning: counts.warning,
            info: counts.info,
        }
    }
}

#[derive(Serialize)]
pub(crate) struct JsonScore {
    error: i64,
    warning: i64,
    info: i64,
}

impl JsonScore {
    pub(crate) fn of(score: &Score) -> JsonScore {
        JsonScore {
            error: score.error,
            warning: score.warning,
            info: score.info,
        }
    }
}

#[derive(Serialize)]
pub(crate) struct JsonTally {
    closed: JsonCounts,
    opened: JsonCounts,
    still_open: JsonCounts,
    given_up: JsonCounts,
    score: JsonScore,
    verdict: &'static str,
}

impl JsonTally {
    pub(crate) fn of(tally: &Tally) -> JsonTally {
        JsonTally {
            closed: JsonCounts::of(&tally.closed),
            opened: JsonCounts::of(&tally.opened),
            still_open: JsonCounts::of(&tally.still_open),
            given_up: JsonCounts::of(&tally.given_up),
            score: JsonScore::of(&tally.score()),
            verdict: tally.verdict().as_str(),
        }
    }
}

#[derive(Serialize)]
struct JsonGroup {
    name: String,
    #[serde(flatten)]
    tally: JsonTally,
    /// Indices into `findings`.
    findings: Vec<usize>,
    /// Indices into `tradeoffs`.
    tradeoffs: Vec<usize>,
}

impl JsonGroup {
    fn of(g: &Group) -> JsonGroup {
        JsonGroup {
            name: g.name.clone(),
            tally: JsonTally::of(&g.tally),
            findings: g.entries.clone(),
            tradeoffs: g.tradeoffs.clone(),
        }
    }
}

#[derive(Serialize)]
struct JsonTradeoff {
    entity: String,
    change: &'static str,
    fields: Vec<JsonField>,
    served: Vec<String>,
    given_up: Vec<JsonLoss>,
    file: String,
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct JsonField {
    field: String,
    before: String,
    after: String,
    added: Vec<String>,
    removed: Vec<String>,
}

#[derive(Serialize)]
struct JsonLoss {
    norm: String,
    severity: &'static str,
    serves: Vec<String>,
    perspective: Vec<String>,
}

#[derive(Serialize)]
struct JsonFinding {
    change: &'static str,
    norm: String,
    severity: &'static str,
    process: bool,
    subject: Option<String>,
    message: String,
    help: Option<String>,
    file: String,
    line: usize,
    column: usize,
    serves: Vec<String>,
    perspective: Vec<String>,
    source: Option<String>,
    tags: Vec<String>,
}
