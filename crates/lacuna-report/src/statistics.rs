//! `--statistics`: how often each norm failed, instead of the findings.

use std::collections::BTreeMap;

use lacuna_eval::Diagnostic;
use serde::Serialize;

use crate::json::{Layout, to_json};
use crate::text::{column_width, one_line};
use crate::{NormInfo, OutputFormat, Severity};

/// How many findings one norm produced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Statistic {
    pub count: usize,
    pub norm: String,
    #[serde(serialize_with = "severity_name")]
    pub severity: Severity,
    /// The norm's summary (the first line of its doc comment), or else the
    /// first line of the smallest of its messages, so that the choice does
    /// not depend on the order findings came in.
    pub message: String,
}

fn severity_name<S: serde::Serializer>(severity: &Severity, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(severity.as_str())
}

/// Counts findings per norm, most frequent first, ties by norm id.
pub fn statistics(findings: &[Diagnostic], norms: &[NormInfo]) -> Vec<Statistic> {
    let summary = |id: &str| {
        norms
            .iter()
            .find(|n| n.id == id)
            .and_then(NormInfo::summary)
    };
    let first_line = |finding: &Diagnostic| one_line(finding.message.lines().next().unwrap_or(""));
    // Per norm, whether it has a summary: then its messages are not read,
    // as the summary replaces the smallest of them.
    let mut per_norm: BTreeMap<&str, (Statistic, bool)> = BTreeMap::new();
    for finding in findings {
        let code = finding.code.as_str();
        let (entry, summarized) = per_norm.entry(code).or_insert_with(|| {
            let summarized = summary(code).is_some();
            let stat = Statistic {
                count: 0,
                norm: code.to_owned(),
                severity: finding.severity,
                message: if summarized {
                    String::new()
                } else {
                    first_line(finding)
                },
            };
            (stat, summarized)
        });
        entry.count += 1;
        entry.severity = entry.severity.max(finding.severity);
        if !*summarized {
            let line = first_line(finding);
            if line < entry.message {
                entry.message = line;
            }
        }
    }
    let mut stats: Vec<Statistic> = per_norm
        .into_values()
        .map(|(mut stat, _)| {
            if let Some(summary) = summary(&stat.norm) {
                summary.clone_into(&mut stat.message);
            }
            stat
        })
        .collect();
    stats.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.norm.cmp(&b.norm)));
    stats
}

/// The statistics as `format` asks: a JSON array for `json`, one object a
/// line for `json-lines`, and an aligned table for every other format.
pub fn render_statistics(format: OutputFormat, stats: &[Statistic]) -> String {
    match format {
        OutputFormat::Json => {
            let mut out = to_json(&stats, Layout::Pretty);
            out.push('\n');
            out
        }
        OutputFormat::JsonLines => {
            let mut out = String::new();
            for stat in stats {
                out.push_str(&to_json(stat, Layout::Compact));
                out.push('\n');
            }
            out
        }
        _ => table(stats),
    }
}

fn table(stats: &[Statistic]) -> String {
    let count_width = column_width(stats.iter().map(|s| s.count.to_string().len()));
    let norm_width = column_width(stats.iter().map(|s| s.norm.chars().count()));
    let mut out = String::new();
    for stat in stats {
        let line = format!(
            "{:>count_width$}  {:<norm_width$}  {:<7}  {}",
            stat.count,
            stat.norm,
            stat.severity.as_str(),
            stat.message,
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
