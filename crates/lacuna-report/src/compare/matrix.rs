//! Many options against one base: `lacuna compare BASE OPTION...`.
//!
//! Each option is compared with the base on its own; the matrix then sets
//! the comparisons side by side, best first, and lists the gaps on which
//! the options differ. Options are ranked by the [`Score`] of their
//! substantive findings (net gaps closed, errors first), ties in the order
//! they were given, so the same inputs always give the same ranking.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use lacuna_model::{SourceDb, SourceId};
use serde::Serialize;

use super::human::{count, verdict};
use super::json::{JsonScore, JsonTally};
use super::{COMPARE_JSON_VERSION, Change, Comparison, Score, Tally};
use crate::paint::Paint;
use crate::text::one_line;
use crate::{RenderOptions, Severity};

/// One option compared with the base.
#[derive(Clone, Debug)]
pub struct OptionColumn {
    pub source: SourceId,
    /// How many findings the option has, process ones included.
    pub findings: usize,
    pub comparison: Comparison,
}

impl OptionColumn {
    pub fn score(&self) -> Score {
        self.comparison.total.score()
    }

    /// The tally of the value or perspective `name`; empty when no finding
    /// of this comparison names it.
    pub fn tally(&self, name: &str) -> Tally {
        self.comparison
            .named_groups()
            .find(|g| g.name == name)
            .map(|g| g.tally)
            .unwrap_or_default()
    }
}

/// A gap that not every option treats alike.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GapRow {
    pub norm: String,
    pub severity: Severity,
    /// The subject's path as the first option that reports it writes it.
    pub subject: Option<String>,
    pub message: String,
    /// For each option in ranked order, what it does to the gap; `None`
    /// when neither the base nor the option reports it.
    pub changes: Vec<Option<Change>>,
    /// For each option in ranked order, the index of the gap's entry in
    /// that option's comparison.
    pub entries: Vec<Option<usize>>,
}

/// Options against one base, ranked.
#[derive(Clone, Debug)]
pub struct Matrix {
    pub base: SourceId,
    pub base_findings: usize,
    /// Best first.
    pub options: Vec<OptionColumn>,
    /// The values, then the perspectives, as the comparisons name them.
    pub values: Vec<String>,
    pub perspectives: Vec<String>,
    /// The substantive gaps on which the options differ: by severity
    /// (errors first), norm and subject.
    pub gaps: Vec<GapRow>,
}

/// Ranks the options and finds the gaps on which they differ.
pub fn matrix(base: SourceId, base_findings: usize, options: Vec<OptionColumn>) -> Matrix {
    let mut options = options;
    // A stable sort keeps the given order among equal scores.
    options.sort_by_key(|o| std::cmp::Reverse(o.score()));
    let mut values: Vec<String> = Vec::new();
    let mut perspectives: Vec<String> = Vec::new();
    for option in &options {
        for g in &option.comparison.values {
            if !values.contains(&g.name) {
                values.push(g.name.clone());
            }
        }
        for g in &option.comparison.perspectives {
            if !perspectives.contains(&g.name) {
                perspectives.push(g.name.clone());
            }
        }
    }

    type GapKey = (std::cmp::Reverse<Severity>, String, Option<String>);
    let mut rows: BTreeMap<GapKey, GapRow> = BTreeMap::new();
    for (column, option) in options.iter().enumerate() {
        for (index, entry) in option.comparison.entries.iter().enumerate() {
            if entry.process {
                continue;
            }
            let finding = &entry.finding;
            let key = (
                std::cmp::Reverse(finding.severity),
                finding.code.as_str().to_owned(),
                entry.identity.clone(),
            );
            let row = rows.entry(key).or_insert_with(|| GapRow {
                norm: finding.code.as_str().to_owned(),
                severity: finding.severity,
                subject: entry.subject(),
                message: one_line(&finding.message),
                changes: vec![None; options.len()],
                entries: vec![None; options.len()],
            });
            if let Some(cell) = row.changes.get_mut(column) {
                *cell = Some(entry.change);
            }
            if let Some(cell) = row.entries.get_mut(column) {
                *cell = Some(index);
            }
        }
    }
    let gaps = rows
        .into_values()
        .filter(|row| {
            row.changes
                .iter()
                .any(|c| Some(*c) != row.changes.first().copied())
        })
        .collect();
    Matrix {
        base,
        base_findings,
        options,
        values,
        perspectives,
        gaps,
    }
}

/// What a cell of the gap table says.
pub fn change_word(change: Option<Change>) -> &'static str {
    match change {
        Some(Change::Closed) => "closed",
        Some(Change::Opened) => "opened",
        Some(Change::StillOpen) => "open",
        None => "-",
    }
}

/// The matrix for people: the ranked options, their verdicts by value and
/// by perspective, and the gaps on which they differ.
pub fn render_matrix_human(matrix: &Matrix, sources: &SourceDb, options: &RenderOptions) -> String {
    let paint = Paint::new(options);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "base: {} ({})",
        sources.name(matrix.base),
        count(matrix.base_findings, "finding", "findings")
    );

    let _ = writeln!(
        out,
        "\n{}",
        paint.bold(
            "options, best first (substantive gaps closed minus opened and given up, errors first)"
        )
    );
    let names: Vec<&str> = matrix
        .options
        .iter()
        .map(|o| sources.name(o.source))
        .collect();
    let scores: Vec<String> = matrix
        .options
        .iter()
        .map(|o| o.score().describe())
        .collect();
    let name_width = crate::column_width(names.iter().map(|n| n.chars().count())).max(6);
    let score_width = crate::column_width(scores.iter().map(|s| s.chars().count())).max(5);
    push_line(
        &mut out,
        &format!(
            "  #  {:<name_width$}  {:<score_width$}  findings",
            "option", "score"
        ),
    );
    for (i, option) in matrix.options.iter().enumerate() {
        push_line(
            &mut out,
            &format!(
                "  {:<2} {:<name_width$}  {:<score_width$}  {}",
                i + 1,
                names.get(i).copied().unwrap_or(""),
                scores.get(i).map_or("", String::as_str),
                option.findings
            ),
        );
    }

    let _ = writeln!(out, "\n{}", paint.bold("verdicts by value and perspective"));
    let mut columns: Vec<&str> = vec!["overall"];
    columns.extend(matrix.values.iter().map(String::as_str));
    columns.extend(matrix.perspectives.iter().map(String::as_str));
    let widths: Vec<usize> = columns
        .iter()
        .map(|c| crate::column_width([c.chars().count()]).max(9))
        .collect();
    let mut header = String::from("  # ");
    for (column, width) in columns.iter().zip(&widths) {
        let _ = write!(header, " {column:<width$}");
    }
    push_line(&mut out, &header);
    for (i, option) in matrix.options.iter().enumerate() {
        let mut line = format!("  {:<2}", i + 1);
        for (column, width) in columns.iter().zip(&widths) {
            let tally = if *column == "overall" {
                option.comparison.total
            } else {
                option.tally(column)
            };
            let word = format!("{:<width$}", tally.verdict().as_str());
            let _ = write!(line, " {}", verdict(&paint, tally.verdict(), &word));
        }
        push_line(&mut out, &line);
    }

    let _ = writeln!(out, "\n{}", paint.bold("gaps on which the options differ"));
    if matrix.gaps.is_empty() {
        let _ = writeln!(out, "  none: every option treats every gap alike");
        return out;
    }
    let labels: Vec<String> = matrix
        .gaps
        .iter()
        .map(|g| {
            let subject = g
                .subject
                .as_deref()
                .map_or_else(String::new, |s| format!(" {s}"));
            format!("{}[{}]{subject}", g.severity.as_str(), g.norm)
        })
        .collect();
    let label_width = crate::column_width(labels.iter().map(|l| l.chars().count()));
    let mut header = format!("  {:<label_width$}", "");
    for i in 0..matrix.options.len() {
        let _ = write!(header, "  {:<6}", i + 1);
    }
    push_line(&mut out, &header);
    for (gap, label) in matrix.gaps.iter().zip(&labels) {
        let mut line = format!("  {label:<label_width$}");
        for change in &gap.changes {
            let _ = write!(line, "  {:<6}", change_word(*change));
        }
        push_line(&mut out, &line);
        // The subject of a list entity (`mandate[5]`) is a position, which
        // differs between files; the message says which entity it is.
        let _ = writeln!(out, "    {}", paint.dim(&gap.message));
    }
    let _ = writeln!(
        out,
        "  {}",
        paint.dim("closed: the option closes the gap; opened: it opens it; open: it leaves it open; -: neither reports it")
    );
    out
}

fn push_line(out: &mut String, line: &str) {
    out.push_str(line.trim_end());
    out.push('\n');
}

/// The matrix as one JSON document (`docs/compare.md`).
pub fn render_matrix_json(matrix: &Matrix, sources: &SourceDb) -> String {
    #[derive(Serialize)]
    struct Document {
        version: u32,
        base: Side,
        options: Vec<JsonOption>,
        gaps: Vec<JsonGap>,
    }
    #[derive(Serialize)]
    struct Side {
        file: String,
        findings: usize,
    }
    #[derive(Serialize)]
    struct JsonOption {
        rank: usize,
        file: String,
        findings: usize,
        score: JsonScore,
        total: JsonTally,
        process: JsonTally,
        values: Vec<Named>,
        perspectives: Vec<Named>,
    }
    #[derive(Serialize)]
    struct Named {
        name: String,
        #[serde(flatten)]
        tally: JsonTally,
    }
    #[derive(Serialize)]
    struct JsonGap {
        norm: String,
        severity: &'static str,
        subject: Option<String>,
        message: String,
        /// One per option, in rank order: `closed`, `opened`, `still_open`
        /// or `null`.
        changes: Vec<Option<&'static str>>,
    }
    let document = Document {
        version: COMPARE_JSON_VERSION,
        base: Side {
            file: sources.name(matrix.base).to_owned(),
            findings: matrix.base_findings,
        },
        options: matrix
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| JsonOption {
                rank: i + 1,
                file: sources.name(o.source).to_owned(),
                findings: o.findings,
                score: JsonScore::of(&o.score()),
                total: JsonTally::of(&o.comparison.total),
                process: JsonTally::of(&o.comparison.process),
                values: matrix
                    .values
                    .iter()
                    .map(|n| Named {
                        name: n.clone(),
                        tally: JsonTally::of(&o.tally(n)),
                    })
                    .collect(),
                perspectives: matrix
                    .perspectives
                    .iter()
                    .map(|n| Named {
                        name: n.clone(),
                        tally: JsonTally::of(&o.tally(n)),
                    })
                    .collect(),
            })
            .collect(),
        gaps: matrix
            .gaps
            .iter()
            .map(|g| JsonGap {
                norm: g.norm.clone(),
                severity: g.severity.as_str(),
                subject: g.subject.clone(),
                message: g.message.clone(),
                changes: g.changes.iter().map(|c| c.map(Change::json_name)).collect(),
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&document).unwrap_or_default();
    out.push('\n');
    out
}
