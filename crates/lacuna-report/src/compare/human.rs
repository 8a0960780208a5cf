//! The comparison of two proposals, for people.

use std::fmt::Write as _;

use super::{Change, Comparison, EntityChange, Entry, Group, Tradeoff, Verdict};
use crate::paint::Paint;
use crate::text::one_line;
use crate::{Locator, RenderOptions};
use lacuna_model::{SourceDb, SourceId};

/// The two proposals compared, for the heading of a report.
#[derive(Clone, Copy, Debug)]
pub struct Sides {
    pub before: SourceId,
    pub before_findings: usize,
    pub after: SourceId,
    pub after_findings: usize,
}

/// The human report: the verdicts by value and by perspective, what the
/// change gives up, then the findings of each value (closed, opened, still
/// open) and, last, the process findings.
pub fn render_human(
    comparison: &Comparison,
    sides: &Sides,
    sources: &SourceDb,
    options: &RenderOptions,
) -> String {
    let paint = Paint::new(options);
    let locator = Locator::new(sources);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "before: {} ({})",
        sources.name(sides.before),
        count(sides.before_findings, "finding", "findings")
    );
    let _ = writeln!(
        out,
        "after:  {} ({})",
        sources.name(sides.after),
        count(sides.after_findings, "finding", "findings")
    );
    out.push('\n');
    let overall = Group {
        name: "overall".to_owned(),
        tally: comparison.total,
        entries: Vec::new(),
        tradeoffs: Vec::new(),
    };
    write_verdicts(&mut out, &[&overall], "", &paint);
    if !comparison.process.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            paint.dim(&format!(
                "process, not counted in verdicts: {}",
                comparison.process.describe()
            ))
        );
    }

    let _ = writeln!(out, "\n{}", paint.bold("by value"));
    let values: Vec<&Group> = shown(&comparison.values, &comparison.no_value);
    write_verdicts(&mut out, &values, "  ", &paint);
    let _ = writeln!(out, "\n{}", paint.bold("by perspective"));
    let perspectives: Vec<&Group> = shown(&comparison.perspectives, &comparison.no_perspective);
    write_verdicts(&mut out, &perspectives, "  ", &paint);

    if !comparison.tradeoffs.is_empty() {
        let _ = writeln!(
            out,
            "\n{} ({})",
            paint.bold("removed or changed"),
            comparison.tradeoffs.len()
        );
        for tradeoff in &comparison.tradeoffs {
            write_tradeoff(&mut out, tradeoff, &locator, &paint);
        }
    }

    let listed = comparison
        .values
        .iter()
        .chain(std::iter::once(&comparison.no_value));
    for group in listed.filter(|g| !g.entries.is_empty()) {
        let members: Vec<&Entry> = group
            .entries
            .iter()
            .filter_map(|&i| comparison.entries.get(i))
            .collect();
        write_entries(&mut out, &group.name, &members, &locator, &paint);
    }
    let process: Vec<&Entry> = comparison.entries.iter().filter(|e| e.process).collect();
    if !process.is_empty() {
        write_entries(
            &mut out,
            "process (not counted in verdicts)",
            &process,
            &locator,
            &paint,
        );
    }
    out
}

/// The named groups, then the group of findings with no name when it is
/// not empty.
fn shown<'a>(groups: &'a [Group], none: &'a Group) -> Vec<&'a Group> {
    groups
        .iter()
        .chain((!none.tally.is_empty()).then_some(none))
        .collect()
}

fn write_verdicts(out: &mut String, groups: &[&Group], indent: &str, paint: &Paint) {
    let width = crate::column_width(groups.iter().map(|g| g.name.chars().count() + 1));
    for group in groups {
        let label = format!("{}:", group.name);
        let word = format!("{:<9}", group.tally.verdict().as_str());
        let _ = writeln!(
            out,
            "{indent}{label:<width$} {} {}",
            verdict(paint, group.tally.verdict(), &word),
            group.tally.describe()
        );
    }
}

fn write_tradeoff(out: &mut String, tradeoff: &Tradeoff, locator: &Locator<'_>, paint: &Paint) {
    let served = if tradeoff.served.is_empty() {
        "served no value".to_owned()
    } else {
        format!("served {}", tradeoff.served.join(", "))
    };
    match &tradeoff.change {
        EntityChange::Removed => {
            let _ = writeln!(out, "  {}: removed; {served}", tradeoff.entity);
        }
        EntityChange::Changed(fields) => {
            let _ = writeln!(out, "  {}: changed; {served}", tradeoff.entity);
            for field in fields {
                if field.added.is_empty() && field.removed.is_empty() {
                    let _ = writeln!(
                        out,
                        "    {}: {} → {}",
                        field.field, field.before, field.after
                    );
                    continue;
                }
                let mut parts = Vec::new();
                if !field.removed.is_empty() {
                    parts.push(format!("removes {}", field.removed.join(", ")));
                }
                if !field.added.is_empty() {
                    parts.push(format!("adds {}", field.added.join(", ")));
                }
                let _ = writeln!(out, "    {}: {}", field.field, parts.join("; "));
            }
        }
    }
    for loss in &tradeoff.lost {
        let heading = format!("{}[{}]", loss.severity.as_str(), loss.norm);
        let mut about = Vec::new();
        if !loss.serves.is_empty() {
            about.push(format!("serves {}", loss.serves.join(", ")));
        }
        if !loss.perspective.is_empty() {
            about.push(format!("perspective: {}", loss.perspective.join(", ")));
        }
        let about = if about.is_empty() {
            String::new()
        } else {
            format!(" ({})", about.join("; "))
        };
        let _ = writeln!(
            out,
            "    gives up {} held here before{about}",
            paint.severity(loss.severity, &heading)
        );
    }
    let at = locator.locate(tradeoff.origin);
    let _ = writeln!(
        out,
        "    {}",
        paint.dim(&format!(
            "{}:{}:{}",
            at.file, at.start.line, at.start.column
        ))
    );
}

fn write_entries(
    out: &mut String,
    title: &str,
    entries: &[&Entry],
    locator: &Locator<'_>,
    paint: &Paint,
) {
    let _ = writeln!(out, "\n{}", paint.bold(title));
    for change in Change::ALL {
        let members: Vec<&&Entry> = entries.iter().filter(|e| e.change == change).collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  {} ({})", change.as_str(), members.len());
        for entry in members {
            write_entry(out, entry, locator, paint);
        }
    }
}

fn write_entry(out: &mut String, entry: &Entry, locator: &Locator<'_>, paint: &Paint) {
    let finding = &entry.finding;
    let at = locator.locate(finding.primary);
    let subject = entry
        .subject()
        .map_or_else(String::new, |s| format!(" {s}:"));
    let heading = format!("{}[{}]", finding.severity.as_str(), finding.code.as_str());
    let _ = writeln!(
        out,
        "    {}{subject} {}",
        paint.severity(finding.severity, &heading),
        one_line(&finding.message)
    );
    let mut place = format!("{}:{}:{}", at.file, at.start.line, at.start.column);
    if !finding.perspective().is_empty() {
        let _ = write!(
            place,
            " · perspective: {}",
            finding.perspective().join(", ")
        );
    }
    let _ = writeln!(out, "      {}", paint.dim(&place));
}

pub(crate) fn verdict(paint: &Paint, verdict: Verdict, text: &str) -> String {
    match verdict {
        Verdict::Better => paint.green(text),
        Verdict::Partial | Verdict::Mixed => paint.yellow(text),
        Verdict::Worse => paint.red(text),
        Verdict::Unchanged => paint.dim(text),
    }
}

pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
