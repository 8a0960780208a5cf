//! `lacuna compare`: what a change to a proposal closes, opens and leaves
//! open, for each value served and each perspective.
//!
//! Findings of the two versions are matched by norm id and subject, never
//! by line, so moving a table or adding others above it changes nothing. A
//! keyed or singleton subject is matched by its path
//! (`group.survival_migrants`, `proposal`); an entity of a list kind
//! (`[[mandate]]`) by its content, since its position (`mandate[3]`) shifts
//! when an entity is added before it. A finding only in the
//! version before is *closed*, one only in the version after is *opened*,
//! one in both is *still open*.
//!
//! The groups come from the schema, not from this code: the variants of the
//! enum `value` and of the enum `perspective`, in declaration order. A norm
//! that serves several values counts for each of them. This answers the
//! question a comparison is for: if one gap is addressed, what new gaps
//! result, and whose perspective is served. `docs/compare.md` describes the
//! output.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use lacuna_model::{Facts, Schema, Type, Value};
use lacuna_report::{Locator, RenderOptions};
use lacuna_syntax::ast::EntityShape;
use serde::Serialize;

use crate::catalogue::Paint;
use crate::{Checked, Finding, Severity, SourceDb, SourceId};

/// The version of the JSON that `lacuna compare --format json` prints. It
/// changes only when a field is removed or changes meaning.
pub const COMPARE_JSON_VERSION: u32 = 1;

/// The schema's enum of values served (`serves:`).
pub const VALUE_ENUM: &str = "value";
/// The schema's enum of perspectives (`perspective:`).
pub const PERSPECTIVE_ENUM: &str = "perspective";

/// What the change did to one finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    /// Reported before the change, not after.
    Closed,
    /// Reported after the change, not before.
    Opened,
    /// Reported before and after.
    StillOpen,
}

impl Change {
    pub const ALL: [Change; 3] = [Change::Closed, Change::Opened, Change::StillOpen];

    pub fn as_str(self) -> &'static str {
        match self {
            Change::Closed => "closed",
            Change::Opened => "opened",
            Change::StillOpen => "still open",
        }
    }

    fn json_name(self) -> &'static str {
        match self {
            Change::Closed => "closed",
            Change::Opened => "opened",
            Change::StillOpen => "still_open",
        }
    }
}

/// One finding and what the change did to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub change: Change,
    /// The finding as reported after the change, or before it for a closed one.
    pub finding: Finding,
}

impl Entry {
    /// The subject path findings are matched on; `None` for a norm without `for`.
    pub fn subject(&self) -> Option<String> {
        self.finding.subject.as_ref().map(|s| s.path())
    }
}

/// Counts of findings closed, opened and still open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub closed: usize,
    pub opened: usize,
    pub still_open: usize,
}

impl Tally {
    fn add(&mut self, change: Change) {
        match change {
            Change::Closed => self.closed += 1,
            Change::Opened => self.opened += 1,
            Change::StillOpen => self.still_open += 1,
        }
    }

    pub fn verdict(&self) -> Verdict {
        match (self.closed > 0, self.opened > 0) {
            (true, false) => Verdict::Better,
            (false, true) => Verdict::Worse,
            (true, true) => Verdict::Mixed,
            (false, false) => Verdict::Unchanged,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.closed + self.opened + self.still_open == 0
    }

    /// `3 gaps closed, 1 opened, 2 still open`.
    pub fn describe(&self) -> String {
        let gaps = if self.closed == 1 { "gap" } else { "gaps" };
        format!(
            "{} {gaps} closed, {} opened, {} still open",
            self.closed, self.opened, self.still_open
        )
    }
}

/// The one-word reading of a tally.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// Gaps closed, none opened.
    Better,
    /// Gaps opened, none closed.
    Worse,
    /// Gaps closed and others opened: a trade-off to weigh.
    Mixed,
    /// Nothing closed or opened.
    Unchanged,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Better => "better",
            Verdict::Worse => "worse",
            Verdict::Mixed => "mixed",
            Verdict::Unchanged => "unchanged",
        }
    }
}

/// The findings of one value or one perspective.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// The variant's name, such as `rights` or `migrants`.
    pub name: String,
    pub tally: Tally,
    /// Indices into [`Comparison::entries`], in their order.
    pub entries: Vec<usize>,
}

impl Group {
    fn new(name: &str) -> Group {
        Group {
            name: name.to_owned(),
            tally: Tally::default(),
            entries: Vec::new(),
        }
    }

    fn add(&mut self, index: usize, change: Change) {
        self.tally.add(change);
        self.entries.push(index);
    }
}

/// Two versions of a proposal compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    /// Sorted by change (closed, opened, still open), severity (errors
    /// first), norm and position in the file.
    pub entries: Vec<Entry>,
    pub total: Tally,
    /// One group per variant of the enum `value`, in declaration order,
    /// then any other value a finding names.
    pub values: Vec<Group>,
    /// The findings of norms that serve no value.
    pub no_value: Group,
    /// One group per variant of the enum `perspective`, in declaration order,
    /// then any other perspective a finding names.
    pub perspectives: Vec<Group>,
    /// The findings of norms that take no perspective.
    pub no_perspective: Group,
}

impl Comparison {
    /// Whether the change opens a finding of severity `error`.
    pub fn opens_error(&self) -> bool {
        self.entries
            .iter()
            .any(|e| e.change == Change::Opened && e.finding.severity == Severity::Error)
    }
}

type Key = (String, Option<String>);

/// What a finding is matched on: its norm, and the identity of its subject.
/// A keyed or singleton entity is known by its path (`group.refugees`); an
/// entity of a list kind has no name, and its position (`mandate[3]`) moves
/// whenever an entity is added before it, so it is known by its content:
/// every field's value, in schema order.
fn key(schema: &Schema, facts: &Facts, finding: &Finding) -> Key {
    let identity = finding
        .subject
        .as_ref()
        .map(|subject| list_identity(schema, facts, subject).unwrap_or_else(|| subject.path()));
    (finding.norm.clone(), identity)
}

fn list_identity(schema: &Schema, facts: &Facts, subject: &crate::Subject) -> Option<String> {
    let def = schema.entity(subject.entity.kind)?;
    if def.shape != EntityShape::List {
        return None;
    }
    let entity = facts.entity(subject.entity)?;
    let mut out = format!("{} {{", def.name);
    for (field, fact) in def.fields.iter().zip(entity.fields.iter()) {
        let _ = write!(out, " {} = ", field.name);
        write_value(&mut out, schema, facts, &field.ty, &fact.value);
        out.push(';');
    }
    out.push_str(" }");
    Some(out)
}

fn write_value(out: &mut String, schema: &Schema, facts: &Facts, ty: &Type, value: &Value) {
    match (value, ty) {
        (Value::Absent, _) => out.push_str("absent"),
        (_, Type::Optional(inner)) => write_value(out, schema, facts, inner, value),
        (Value::Bool(b), _) => {
            let _ = write!(out, "{b}");
        }
        (Value::Int(i), _) => {
            let _ = write!(out, "{i}");
        }
        (Value::Text(sym), _) => {
            let _ = write!(out, "{:?}", facts.strings.resolve(*sym));
        }
        (Value::Enum(index), Type::Enum(id)) => {
            out.push_str(schema.enum_def(*id).map_or("?", |e| e.variant_name(*index)));
        }
        (Value::Enum(index), _) => {
            let _ = write!(out, "#{index}");
        }
        (Value::Ref(r), _) => {
            let _ = write!(
                out,
                "{:?}",
                facts.entity(*r).map_or("?", |e| e.display.as_str())
            );
        }
        (Value::List(items), _) => {
            let inner = match ty {
                Type::List(inner) => inner.as_ref(),
                other => other,
            };
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(out, schema, facts, inner, item);
            }
            out.push(']');
        }
    }
}

/// Compares a proposal before and after a change, both checked against the
/// same rules with `schema`.
pub fn compare(schema: &Schema, before: &Checked, after: &Checked) -> Comparison {
    let mut by_key: BTreeMap<Key, (Vec<&Finding>, Vec<&Finding>)> = BTreeMap::new();
    for finding in &before.findings {
        by_key
            .entry(key(schema, &before.facts, finding))
            .or_default()
            .0
            .push(finding);
    }
    for finding in &after.findings {
        by_key
            .entry(key(schema, &after.facts, finding))
            .or_default()
            .1
            .push(finding);
    }
    let mut entries = Vec::new();
    for (old, new) in by_key.into_values() {
        // One norm may report one subject more than once; pair them in
        // order, and count what is left on either side.
        let paired = old.len().min(new.len());
        let mut push = |change: Change, finding: &Finding| {
            entries.push(Entry {
                change,
                finding: finding.clone(),
            });
        };
        for finding in new.iter().take(paired) {
            push(Change::StillOpen, finding);
        }
        for finding in old.iter().skip(paired) {
            push(Change::Closed, finding);
        }
        for finding in new.iter().skip(paired) {
            push(Change::Opened, finding);
        }
    }
    // Errors first within each change, so that the gaps that matter most
    // head their lists.
    entries.sort_by_cached_key(|e| {
        (
            e.change,
            std::cmp::Reverse(e.finding.severity),
            e.finding.norm.clone(),
            e.finding.primary.span.start,
            e.subject(),
            e.finding.message.clone(),
        )
    });

    let mut total = Tally::default();
    let mut values = groups_of(schema, VALUE_ENUM, &entries, |f| &f.serves);
    let mut perspectives = groups_of(schema, PERSPECTIVE_ENUM, &entries, |f| &f.perspective);
    let mut no_value = Group::new("no value");
    let mut no_perspective = Group::new("no perspective");
    for (index, entry) in entries.iter().enumerate() {
        total.add(entry.change);
        file_entry(
            &mut values,
            &mut no_value,
            &entry.finding.serves,
            index,
            entry.change,
        );
        file_entry(
            &mut perspectives,
            &mut no_perspective,
            &entry.finding.perspective,
            index,
            entry.change,
        );
    }
    Comparison {
        entries,
        total,
        values,
        no_value,
        perspectives,
        no_perspective,
    }
}

/// A group per variant of the schema's enum `name`, then one per other name
/// the findings use (sorted), so that no finding is dropped.
fn groups_of(
    schema: &Schema,
    name: &str,
    entries: &[Entry],
    names: impl Fn(&Finding) -> &Vec<String>,
) -> Vec<Group> {
    let mut groups: Vec<Group> = schema
        .enum_id(name)
        .and_then(|id| schema.enum_def(id))
        .map(|def| def.variants.iter().map(|v| Group::new(&v.name)).collect())
        .unwrap_or_default();
    let mut extra: Vec<&str> = entries
        .iter()
        .flat_map(|e| names(&e.finding).iter().map(String::as_str))
        .filter(|n| !groups.iter().any(|g| g.name == *n))
        .collect();
    extra.sort_unstable();
    extra.dedup();
    groups.extend(extra.into_iter().map(Group::new));
    groups
}

fn file_entry(
    groups: &mut [Group],
    none: &mut Group,
    names: &[String],
    index: usize,
    change: Change,
) {
    if names.is_empty() {
        none.add(index, change);
        return;
    }
    for group in groups.iter_mut() {
        if names.contains(&group.name) {
            group.add(index, change);
        }
    }
}

/// The two proposals compared, for the heading of a report.
#[derive(Clone, Copy, Debug)]
pub struct Sides {
    pub before: SourceId,
    pub before_findings: usize,
    pub after: SourceId,
    pub after_findings: usize,
}

/// The human report: a verdict line per value and per perspective, then the
/// findings of each value, closed, opened and still open.
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
    let _ = writeln!(
        out,
        "\n{}: {} — {}",
        paint.bold("overall"),
        comparison.total.describe(),
        verdict(&paint, comparison.total.verdict())
    );

    let _ = writeln!(out, "\n{}", paint.bold("by value"));
    write_verdicts(&mut out, &comparison.values, &comparison.no_value, &paint);
    let _ = writeln!(out, "\n{}", paint.bold("by perspective"));
    write_verdicts(
        &mut out,
        &comparison.perspectives,
        &comparison.no_perspective,
        &paint,
    );

    let listed = comparison
        .values
        .iter()
        .chain(std::iter::once(&comparison.no_value));
    for group in listed.filter(|g| !g.entries.is_empty()) {
        let _ = writeln!(out, "\n{}", paint.bold(&group.name));
        for change in Change::ALL {
            let members: Vec<&Entry> = group
                .entries
                .iter()
                .filter_map(|&i| comparison.entries.get(i))
                .filter(|e| e.change == change)
                .collect();
            if members.is_empty() {
                continue;
            }
            let _ = writeln!(out, "  {} ({})", change.as_str(), members.len());
            for entry in members {
                write_entry(&mut out, entry, &locator, &paint);
            }
        }
    }
    out
}

fn write_verdicts(out: &mut String, groups: &[Group], none: &Group, paint: &Paint) {
    let shown: Vec<&Group> = groups
        .iter()
        .chain((!none.tally.is_empty()).then_some(none))
        .collect();
    let width = lacuna_report::column_width(shown.iter().map(|g| g.name.chars().count() + 1));
    for group in shown {
        let label = format!("{}:", group.name);
        let _ = writeln!(
            out,
            "  {label:<width$} {} — {}",
            group.tally.describe(),
            verdict(paint, group.tally.verdict())
        );
    }
}

fn write_entry(out: &mut String, entry: &Entry, locator: &Locator<'_>, paint: &Paint) {
    let finding = &entry.finding;
    let at = locator.locate(finding.primary);
    let subject = entry
        .subject()
        .map_or_else(String::new, |s| format!(" {s}:"));
    let heading = format!("{}[{}]", finding.severity.as_str(), finding.norm);
    let _ = writeln!(
        out,
        "    {}{subject} {}",
        paint.severity(finding.severity, &heading),
        one_line(&finding.message)
    );
    let mut place = format!("{}:{}:{}", at.file, at.start.line, at.start.column);
    if !finding.perspective.is_empty() {
        let _ = write!(place, " · perspective: {}", finding.perspective.join(", "));
    }
    let _ = writeln!(out, "      {}", paint.dim(&place));
}

fn verdict(paint: &Paint, verdict: Verdict) -> String {
    match verdict {
        Verdict::Better => paint.green("better"),
        Verdict::Worse => paint.red("worse"),
        Verdict::Mixed => paint.yellow("mixed"),
        Verdict::Unchanged => paint.dim("unchanged"),
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The JSON report, version [`COMPARE_JSON_VERSION`], as `docs/compare.md`
/// describes it.
pub fn render_json(comparison: &Comparison, sides: &Sides, sources: &SourceDb) -> String {
    let locator = Locator::new(sources);
    let side = |id: SourceId, findings: usize| JsonSide {
        file: sources.name(id).to_owned(),
        findings,
    };
    let group = |g: &Group| JsonGroup {
        name: g.name.clone(),
        tally: JsonTally::of(&g.tally),
        findings: g.entries.clone(),
    };
    let document = JsonDocument {
        version: COMPARE_JSON_VERSION,
        before: side(sides.before, sides.before_findings),
        after: side(sides.after, sides.after_findings),
        total: JsonTally::of(&comparison.total),
        values: comparison.values.iter().map(group).collect(),
        no_value: group(&comparison.no_value),
        perspectives: comparison.perspectives.iter().map(group).collect(),
        no_perspective: group(&comparison.no_perspective),
        findings: comparison
            .entries
            .iter()
            .map(|entry| {
                let finding = &entry.finding;
                let at = locator.locate(finding.primary);
                JsonFinding {
                    change: entry.change.json_name(),
                    norm: finding.norm.clone(),
                    severity: finding.severity.as_str(),
                    subject: entry.subject(),
                    message: finding.message.clone(),
                    help: finding.help.clone(),
                    file: at.file.to_owned(),
                    line: at.start.line,
                    column: at.start.column,
                    serves: finding.serves.clone(),
                    perspective: finding.perspective.clone(),
                    source: finding.source.clone(),
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
    values: Vec<JsonGroup>,
    no_value: JsonGroup,
    perspectives: Vec<JsonGroup>,
    no_perspective: JsonGroup,
    findings: Vec<JsonFinding>,
}

#[derive(Serialize)]
struct JsonSide {
    file: String,
    findings: usize,
}

#[derive(Serialize)]
struct JsonTally {
    closed: usize,
    opened: usize,
    still_open: usize,
    verdict: &'static str,
}

impl JsonTally {
    fn of(tally: &Tally) -> JsonTally {
        JsonTally {
            closed: tally.closed,
            opened: tally.opened,
            still_open: tally.still_open,
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
}

#[derive(Serialize)]
struct JsonFinding {
    change: &'static str,
    norm: String,
    severity: &'static str,
    subject: Option<String>,
    message: String,
    help: Option<String>,
    file: String,
    line: usize,
    column: usize,
    serves: Vec<String>,
    perspective: Vec<String>,
    source: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts() {
        let tally = |closed, opened, still_open| Tally {
            closed,
            opened,
            still_open,
        };
        assert_eq!(tally(3, 0, 2).verdict(), Verdict::Better);
        assert_eq!(tally(0, 1, 2).verdict(), Verdict::Worse);
        assert_eq!(tally(3, 1, 2).verdict(), Verdict::Mixed);
        assert_eq!(tally(0, 0, 2).verdict(), Verdict::Unchanged);
        assert_eq!(
            tally(1, 0, 0).describe(),
            "1 gap closed, 0 opened, 0 still open"
        );
    }
}
