//! `lacuna compare`: what a change to a proposal closes, opens, leaves open
//! and gives up, for each value served and each perspective.
//!
//! Findings of the two versions are matched by norm id and subject, never
//! by line, so moving a table or adding others above it changes nothing. A
//! keyed or singleton subject is matched by its path
//! (`group.survival_migrants`, `proposal`); an entity of a list kind
//! (`[[mandate]]`) by its content, since its position (`mandate[3]`) shifts
//! when an entity is added before it. A finding only in the version before
//! is *closed*, one only in the version after is *opened*, one in both is
//! *still open*.
//!
//! Counting findings is not enough to judge a change, for two reasons this
//! module answers. First, findings differ in weight: verdicts compare by
//! severity first, so one error closed or opened outweighs any number of
//! warnings, and norms tagged `process` (how a proposal is presented, not
//! what it arranges) are counted apart and never decide a verdict. Second,
//! deleting an entity closes its findings and would read as progress; so
//! the comparison also lists what the change removes or alters, and, for
//! each, the values it served: those of the norms that examined it and
//! passed. A norm that held for an entity before the change and no longer
//! examines it after (the entity is gone, or changed out of the norm's
//! reach) counts as *given up*, against the values and perspectives of
//! that norm.
//!
//! The groups come from the schema, not from this code: the variants of the
//! enum `value` and of the enum `perspective`, in declaration order.
//! `docs/compare.md` describes the output.

use std::collections::{BTreeMap, BTreeSet};

use lacuna_eval::{Diagnostic, Outcome, Program, is_process};
use lacuna_model::{EntityRef, Facts, Origin, Schema, SourceId};

use crate::Severity;

mod human;
mod identity;
mod json;
mod matrix;

pub use human::{Sides, render_human};
pub use json::render_json;
pub use matrix::{GapRow, Matrix, OptionColumn, matrix, render_matrix_human, render_matrix_json};

/// The version of the JSON that `lacuna compare --format json` prints. It
/// changes only when a field is removed or changes meaning.
pub const COMPARE_JSON_VERSION: u32 = 2;

/// The schema's enum of values served (`serves:`).
pub const VALUE_ENUM: &str = "value";
/// The schema's enum of perspectives (`perspective:`).
pub const PERSPECTIVE_ENUM: &str = "perspective";

/// One version of a proposal, checked: what [`compare`] reads.
#[derive(Clone, Copy, Debug)]
pub struct Side<'a> {
    pub source: SourceId,
    pub facts: &'a Facts,
    pub findings: &'a [Diagnostic],
    /// What each norm with a `for` clause found for each subject it examined.
    pub outcomes: &'a [Outcome],
}

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

    pub fn json_name(self) -> &'static str {
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
    pub finding: Diagnostic,
    /// Whether the finding's norm is tagged `process`.
    pub process: bool,
    /// What the subject is matched on: its path, or for an entity of a
    /// list kind its content; `None` for a norm without `for`. The same in
    /// every comparison against one base, so options can be set side by side.
    pub identity: Option<String>,
}

impl Entry {
    /// The subject's path as the finding's file writes it; `None` for a
    /// norm without `for`.
    pub fn subject(&self) -> Option<String> {
        self.finding.subject.as_ref().map(|s| s.path())
    }
}

/// How many findings of each severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BySeverity {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

impl BySeverity {
    fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.error += 1,
            Severity::Warning => self.warning += 1,
            Severity::Info => self.info += 1,
        }
    }

    pub fn get(&self, severity: Severity) -> usize {
        match severity {
            Severity::Error => self.error,
            Severity::Warning => self.warning,
            Severity::Info => self.info,
        }
    }

    pub fn total(&self) -> usize {
        self.error + self.warning + self.info
    }

    /// `1 error, 2 warnings`, or `none`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        for severity in SEVERITIES {
            let n = self.get(severity);
            if n > 0 {
                parts.push(severity_count(n, severity));
            }
        }
        if parts.is_empty() {
            "none".to_owned()
        } else {
            parts.join(", ")
        }
    }
}

/// Severities from the heaviest.
pub const SEVERITIES: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

/// `1 error`, `2 warnings`, `3 info`.
pub fn severity_count(n: usize, severity: Severity) -> String {
    match (severity, n) {
        (Severity::Error, 1) => "1 error".to_owned(),
        (Severity::Error, n) => format!("{n} errors"),
        (Severity::Warning, 1) => "1 warning".to_owned(),
        (Severity::Warning, n) => format!("{n} warnings"),
        (Severity::Info, n) => format!("{n} info"),
    }
}

/// What a change did to the findings of one group, by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub closed: BySeverity,
    pub opened: BySeverity,
    pub still_open: BySeverity,
    /// Norms that held for an entity before the change and no longer
    /// examine it after, by the norm's severity.
    pub given_up: BySeverity,
}

impl Tally {
    fn add(&mut self, change: Change, severity: Severity) {
        match change {
            Change::Closed => self.closed.add(severity),
            Change::Opened => self.opened.add(severity),
            Change::StillOpen => self.still_open.add(severity),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.closed.total() + self.opened.total() + self.still_open.total() + self.given_up.total()
            == 0
    }

    /// What the change leaves or creates at severity `error`.
    pub fn errors_open(&self) -> usize {
        self.still_open.error + self.opened.error
    }

    /// The verdict, decided at the heaviest severity at which anything was
    /// closed, opened or given up: an error outweighs any number of
    /// warnings, and a warning any amount of advice.
    pub fn verdict(&self) -> Verdict {
        for severity in SEVERITIES {
            let gained = self.closed.get(severity) > 0;
            let lost = self.opened.get(severity) + self.given_up.get(severity) > 0;
            match (gained, lost) {
                (true, false) if self.errors_open() > 0 => return Verdict::Partial,
                (true, false) => return Verdict::Better,
                (false, true) => return Verdict::Worse,
                (true, true) => return Verdict::Mixed,
                (false, false) => {}
            }
        }
        Verdict::Unchanged
    }

    /// The net gain at each severity, heaviest first: closed minus opened
    /// minus given up. Scores compare lexicographically, so one error
    /// closed outranks any number of warnings.
    pub fn score(&self) -> Score {
        let net = |s: Severity| {
            self.closed.get(s) as i64 - self.opened.get(s) as i64 - self.given_up.get(s) as i64
        };
        Score {
            error: net(Severity::Error),
            warning: net(Severity::Warning),
            info: net(Severity::Info),
        }
    }

    /// `closed 1 error; opened none; still open 3 warnings`, with `given
    /// up` when anything was.
    pub fn describe(&self) -> String {
        let mut out = format!(
            "closed {}; opened {}; still open {}",
            self.closed.describe(),
            self.opened.describe(),
            self.still_open.describe()
        );
        if self.given_up.total() > 0 {
            out.push_str("; given up ");
            out.push_str(&self.given_up.describe());
        }
        out
    }
}

/// A change's net gain, by severity; compared errors first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Score {
    pub error: i64,
    pub warning: i64,
    pub info: i64,
}

impl Score {
    /// `+1 error, -2 warnings`, or `0`.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = [
            (self.error, Severity::Error),
            (self.warning, Severity::Warning),
            (self.info, Severity::Info),
        ]
        .into_iter()
        .filter(|(n, _)| *n != 0)
        .map(|(n, s)| {
            let sign = if n > 0 { "+" } else { "-" };
            format!("{sign}{}", severity_count(n.unsigned_abs() as usize, s))
        })
        .collect();
        if parts.is_empty() {
            "0".to_owned()
        } else {
            parts.join(", ")
        }
    }
}

/// The reading of a tally.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// Gaps closed, none opened or given up at the heaviest severity that
    /// changed, and no error left open.
    Better,
    /// Gaps closed and none opened or given up at the heaviest severity
    /// that changed, but an error is still open: better, not good.
    Partial,
    /// Gaps opened or given up, none closed, at the heaviest severity that
    /// changed.
    Worse,
    /// Gaps closed and others opened or given up at the heaviest severity
    /// that changed: a trade-off to weigh.
    Mixed,
    /// Nothing closed, opened or given up.
    Unchanged,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Better => "better",
            Verdict::Partial => "partial",
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
    /// Indices into [`Comparison::tradeoffs`] of the entities whose loss
    /// counts against this group.
    pub tradeoffs: Vec<usize>,
}

impl Group {
    fn new(name: &str) -> Group {
        Group {
            name: name.to_owned(),
            tally: Tally::default(),
            entries: Vec::new(),
            tradeoffs: Vec::new(),
        }
    }
}

/// How an entity differs after the change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntityChange {
    /// The entity is gone. For an entity of a list kind, this includes one
    /// whose fields changed, since its content is its identity.
    Removed,
    /// The entity is still there with other values in these fields.
    Changed(Vec<FieldChange>),
}

/// One field of an entity before and after the change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    /// The whole value before and after, as TOML writes it.
    pub before: String,
    pub after: String,
    /// For a list, the members only after and only before the change.
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

/// A norm that held for an entity before the change and no longer examines
/// it after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loss {
    pub norm: String,
    pub severity: Severity,
    pub serves: Vec<String>,
    pub perspective: Vec<String>,
}

/// An entity the change removes or alters, and what it served.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tradeoff {
    /// The entity's path before the change: `labour_scheme.x`, `mandate[3]`.
    pub entity: String,
    /// Where the entity is declared before the change.
    pub origin: Origin,
    pub change: EntityChange,
    /// The values of the norms (not tagged `process`) that examined the
    /// entity before the change and passed, in schema order.
    pub served: Vec<String>,
    /// The norms among those that no longer examine it.
    pub lost: Vec<Loss>,
}

/// Two versions of a proposal compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    /// Sorted by process last, change (closed, opened, still open),
    /// severity (errors first), norm and position in the file.
    pub entries: Vec<Entry>,
    /// The tally of every finding not tagged `process`.
    pub total: Tally,
    /// The tally of the findings of norms tagged `process`, which no
    /// verdict counts.
    pub process: Tally,
    /// One group per variant of the enum `value`, in declaration order,
    /// then any other value a finding names; findings tagged `process` are
    /// left out.
    pub values: Vec<Group>,
    /// The findings of norms that serve no value.
    pub no_value: Group,
    /// One group per variant of the enum `perspective`, likewise.
    pub perspectives: Vec<Group>,
    /// The findings of norms that take no perspective.
    pub no_perspective: Group,
    /// What the change removes or alters, in the order of the file before.
    pub tradeoffs: Vec<Tradeoff>,
}

impl Comparison {
    /// Whether the change opens a finding of severity `error`.
    pub fn opens_error(&self) -> bool {
        self.entries
            .iter()
            .any(|e| e.change == Change::Opened && e.finding.severity == Severity::Error)
    }

    /// The groups of values then perspectives, without the `no value` and
    /// `no perspective` groups.
    pub fn named_groups(&self) -> impl Iterator<Item = &Group> {
        self.values.iter().chain(&self.perspectives)
    }
}

type Key = (String, Option<String>);

/// What a finding is matched on: its norm, and the identity of its subject.
fn key(schema: &Schema, facts: &Facts, finding: &Diagnostic) -> Key {
    let identity = finding
        .subject
        .as_ref()
        .map(|subject| identity::identity(schema, facts, subject.entity));
    (finding.code.as_str().to_owned(), identity)
}

/// Compares a proposal before and after a change, both checked with
/// `program` against `schema`.
pub fn compare(
    schema: &Schema,
    program: &Program,
    before: &Side<'_>,
    after: &Side<'_>,
) -> Comparison {
    let mut by_key: BTreeMap<Key, (Vec<&Diagnostic>, Vec<&Diagnostic>)> = BTreeMap::new();
    for finding in before.findings {
        by_key
            .entry(key(schema, before.facts, finding))
            .or_default()
            .0
            .push(finding);
    }
    for finding in after.findings {
        by_key
            .entry(key(schema, after.facts, finding))
            .or_default()
            .1
            .push(finding);
    }
    let mut entries = Vec::new();
    for ((_, identity), (old, new)) in by_key {
        // One norm may report one subject more than once; pair them in
        // order, and count what is left on either side.
        let paired = old.len().min(new.len());
        let mut push = |change: Change, finding: &Diagnostic| {
            entries.push(Entry {
                change,
                finding: finding.clone(),
                process: is_process(finding.tags()),
                identity: identity.clone(),
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
    // Substantive findings first, and errors first within each change, so
    // that the gaps that matter most head their lists.
    entries.sort_by_cached_key(|e| {
        (
            e.process,
            e.change,
            std::cmp::Reverse(e.finding.severity),
            e.finding.code.as_str().to_owned(),
            e.finding.primary.span.start,
            e.subject(),
            e.finding.message.clone(),
        )
    });

    let tradeoffs = tradeoffs(schema, program, before, after);

    let mut total = Tally::default();
    let mut process = Tally::default();
    let mut values = groups_of(
        schema,
        VALUE_ENUM,
        &entries,
        &tradeoffs,
        |f| f.serves(),
        |l| &l.serves,
    );
    let mut perspectives = groups_of(
        schema,
        PERSPECTIVE_ENUM,
        &entries,
        &tradeoffs,
        |f| f.perspective(),
        |l| &l.perspective,
    );
    let mut no_value = Group::new("no value");
    let mut no_perspective = Group::new("no perspective");
    for (index, entry) in entries.iter().enumerate() {
        let severity = entry.finding.severity;
        if entry.process {
            process.add(entry.change, severity);
            continue;
        }
        total.add(entry.change, severity);
        for (groups, none, names) in [
            (&mut values, &mut no_value, entry.finding.serves()),
            (
                &mut perspectives,
                &mut no_perspective,
                entry.finding.perspective(),
            ),
        ] {
            file_entry(groups, none, names, |g| {
                g.tally.add(entry.change, severity);
                g.entries.push(index);
            });
        }
    }
    for (index, tradeoff) in tradeoffs.iter().enumerate() {
        for loss in &tradeoff.lost {
            total.given_up.add(loss.severity);
            for (groups, none, names) in [
                (&mut values, &mut no_value, &loss.serves),
                (&mut perspectives, &mut no_perspective, &loss.perspective),
            ] {
                file_entry(groups, none, names, |g| {
                    g.tally.given_up.add(loss.severity);
                    if g.tradeoffs.last() != Some(&index) {
                        g.tradeoffs.push(index);
                    }
                });
            }
        }
    }
    Comparison {
        entries,
        total,
        process,
        values,
        no_value,
        perspectives,
        no_perspective,
        tradeoffs,
    }
}

/// A group per variant of the schema's enum `name`, then one per other name
/// the findings or losses use (sorted), so that nothing is dropped.
fn groups_of(
    schema: &Schema,
    name: &str,
    entries: &[Entry],
    tradeoffs: &[Tradeoff],
    names: impl Fn(&Diagnostic) -> &[String],
    loss_names: impl Fn(&Loss) -> &[String],
) -> Vec<Group> {
    let mut groups: Vec<Group> = schema
        .enum_id(name)
        .and_then(|id| schema.enum_def(id))
        .map(|def| def.variants.iter().map(|v| Group::new(&v.name)).collect())
        .unwrap_or_default();
    let mut extra: BTreeSet<&str> = entries
        .iter()
        .filter(|e| !e.process)
        .flat_map(|e| names(&e.finding).iter().map(String::as_str))
        .collect();
    extra.extend(
        tradeoffs
            .iter()
            .flat_map(|t| &t.lost)
            .flat_map(|l| loss_names(l).iter().map(String::as_str)),
    );
    extra.retain(|n| !groups.iter().any(|g| g.name == *n));
    groups.extend(extra.into_iter().map(Group::new));
    groups
}

fn file_entry(
    groups: &mut [Group],
    none: &mut Group,
    names: &[String],
    mut add: impl FnMut(&mut Group),
) {
    if names.is_empty() {
        add(none);
        return;
    }
    for group in groups.iter_mut() {
        if names.contains(&group.name) {
            add(group);
        }
    }
}

/// The entities of `before` that are gone or changed in `after`, each with
/// the values it served and the norms given up with it.
///
/// Every removed entity is listed. A changed entity is listed when it
/// served a value before the change or loses a norm's examination with it:
/// a title reworded is not a trade-off, a scheme no longer circular may be.
fn tradeoffs(
    schema: &Schema,
    program: &Program,
    before: &Side<'_>,
    after: &Side<'_>,
) -> Vec<Tradeoff> {
    let after_index = identity::index(schema, after.facts);
    // The substantive norms that examined each entity, and whether they held.
    let examined = |side: &Side<'_>| {
        let mut map: BTreeMap<EntityRef, Vec<(u32, bool)>> = BTreeMap::new();
        for outcome in side.outcomes {
            let substantive = program
                .norms
                .get(outcome.norm as usize)
                .is_some_and(|n| !is_process(&n.tags));
            if substantive {
                map.entry(outcome.subject)
                    .or_default()
                    .push((outcome.norm, outcome.passed));
            }
        }
        map
    };
    let examined_before = examined(before);
    let examined_after = examined(after);

    let mut out = Vec::new();
    for (kind, _) in schema.kinds() {
        for (index, entity) in before.facts.entities(kind).iter().enumerate() {
            let r = EntityRef {
                kind,
                index: index as u32,
            };
            let identity = identity::identity(schema, before.facts, r);
            let counterpart = after_index.get(&identity).copied();
            let change = match counterpart {
                None => EntityChange::Removed,
                Some(other) => {
                    let fields =
                        identity::field_changes(schema, before.facts, r, after.facts, other);
                    if fields.is_empty() {
                        continue;
                    }
                    EntityChange::Changed(fields)
                }
            };
            let passed: Vec<u32> = examined_before
                .get(&r)
                .map(|v| v.iter().filter(|(_, ok)| *ok).map(|(n, _)| *n).collect())
                .unwrap_or_default();
            let still_examined: BTreeSet<u32> = counterpart
                .and_then(|other| examined_after.get(&other))
                .map(|v| v.iter().map(|(n, _)| *n).collect())
                .unwrap_or_default();
            let mut served = BTreeSet::new();
            let mut lost = Vec::new();
            for n in &passed {
                let Some(norm) = program.norms.get(*n as usize) else {
                    continue;
                };
                served.extend(norm.serves.iter().cloned());
                if !still_examined.contains(n) {
                    lost.push(Loss {
                        norm: norm.id.clone(),
                        severity: norm.severity,
                        serves: norm.serves.clone(),
                        perspective: norm.perspective.clone(),
                    });
                }
            }
            lost.sort_by(|a, b| {
                (std::cmp::Reverse(a.severity), &a.norm)
                    .cmp(&(std::cmp::Reverse(b.severity), &b.norm))
            });
            if matches!(change, EntityChange::Changed(_)) && served.is_empty() && lost.is_empty() {
                continue;
            }
            out.push(Tradeoff {
                entity: identity::path(schema, before.facts, r),
                origin: before.facts.origin(entity.span),
                change,
                served: in_schema_order(schema, served),
                lost,
            });
        }
    }
    out.sort_by_key(|t| (t.origin.span.start, t.entity.clone()));
    out
}

/// Value names in the order the enum `value` declares them, then the rest
/// sorted.
fn in_schema_order(schema: &Schema, names: BTreeSet<String>) -> Vec<String> {
    let declared: Vec<String> = schema
        .enum_id(VALUE_ENUM)
        .and_then(|id| schema.enum_def(id))
        .map(|def| def.variants.iter().map(|v| v.name.clone()).collect())
        .unwrap_or_default();
    let mut out: Vec<String> = declared
        .iter()
        .filter(|v| names.contains(*v))
        .cloned()
        .collect();
    out.extend(names.into_iter().filter(|n| !declared.contains(n)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(error: usize, warning: usize, info: usize) -> BySeverity {
        BySeverity {
            error,
            warning,
            info,
        }
    }

    #[test]
    fn verdicts_weigh_severity_first() {
        let tally = |closed, opened, still_open, given_up| Tally {
            closed,
            opened,
            still_open,
            given_up,
        };
        let none = BySeverity::default();
        // An error closed outweighs warnings opened.
        assert_eq!(
            tally(counts(1, 0, 0), counts(0, 5, 0), none, none).verdict(),
            Verdict::Better
        );
        // Warnings closed while an error stays open: partial, never better.
        assert_eq!(
            tally(counts(0, 6, 0), none, counts(1, 0, 0), none).verdict(),
            Verdict::Partial
        );
        // A warning given up weighs like one opened.
        assert_eq!(
            tally(counts(0, 1, 0), none, none, counts(0, 1, 0)).verdict(),
            Verdict::Mixed
        );
        assert_eq!(
            tally(none, none, none, counts(0, 1, 0)).verdict(),
            Verdict::Worse
        );
        assert_eq!(
            tally(none, none, counts(2, 0, 0), none).verdict(),
            Verdict::Unchanged
        );
        // Advice closed does not offset a warning opened.
        assert_eq!(
            tally(counts(0, 0, 3), counts(0, 1, 0), none, none).verdict(),
            Verdict::Worse
        );
    }

    #[test]
    fn scores_compare_errors_first() {
        let tally = |closed, opened| Tally {
            closed,
            opened,
            ..Tally::default()
        };
        let one_error = tally(counts(1, 0, 0), counts(0, 4, 0)).score();
        let many_warnings = tally(counts(0, 9, 0), BySeverity::default()).score();
        assert!(one_error > many_warnings);
        assert_eq!(one_error.describe(), "+1 error, -4 warnings");
        assert_eq!(Score::default().describe(), "0");
        assert_eq!(counts(1, 2, 0).describe(), "1 error, 2 warnings");
        assert_eq!(BySeverity::default().describe(), "none");
    }
}
