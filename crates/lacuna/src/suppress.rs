//! Suppressions: `[[allow]]` entries of a proposal.
//!
//! A proposal may allow one norm to fail for one entity, with a reason:
//!
//! ```toml
//! [[allow]]
//! norm = "forum.un-anchored"
//! entity = "forum.GFMD"
//! reason = "the forum is state-led by design; anchoring is for a later stage"
//! owner = "policy-unit"
//! expires = "2027-06-30"
//! ```
//!
//! The `allow` kind is declared by a rule file built into lacuna
//! (`builtin/allow.norm`), so the loader checks these entries like any other
//! entity: a missing `reason` or a misspelt key is a load error. This module
//! matches them against findings. An entry that matches nothing, names an
//! unknown norm, or has expired is itself reported as a finding, so that
//! editors and CI see it in every output format.

use std::fmt;
use std::sync::Arc;

use lacuna_model::{Entity, Facts, FieldFact, FieldId, Format, KindId, Origin, Schema, Value};
use lacuna_syntax::ast::Severity;
use lacuna_syntax::{Applicability, Fix, Span};

use crate::problem;
use lacuna_eval::Program;
use lacuna_eval::{Code, NormMeta, Stage};

use crate::Diagnostic;

/// The norm id of the finding for a suppression that matches nothing.
pub const UNUSED_ALLOW: &str = "allow.unused";
/// The norm id of the finding for a suppression whose date has passed.
pub const EXPIRED_ALLOW: &str = "allow.expired";
/// The norm id of the finding for a suppression of a norm that does not exist.
pub const UNKNOWN_ALLOW: &str = "allow.unknown-norm";

/// A calendar date, `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year, such as 2026.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
    /// The day of the month, from 1.
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking that the day exists.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !(all_digits(y) && all_digits(m) && all_digits(d)) {
            return None;
        }
        let date = Date {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        let valid = (1..=12).contains(&date.month)
            && (1..=days_in_month(date.year, date.month)).contains(&date.day);
        valid.then_some(date)
    }

    /// The civil date `days` days after 1970-01-01 (negative: before).
    pub fn from_days_since_epoch(days: i64) -> Date {
        // Howard Hinnant's days-to-civil algorithm.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// One `[[allow]]` entry, read from the facts.
struct Allow<'f> {
    entity: &'f Entity,
    norm: Option<&'f str>,
    target: Option<&'f str>,
    /// Whether the entry gives its reason and every field it writes loaded;
    /// the loader reports the entries that do not.
    well_formed: bool,
    expires: Option<(&'f str, Option<Span>)>,
}

/// The field ids of the built-in `allow` kind.
struct AllowFields {
    kind: KindId,
    norm: FieldId,
    entity: FieldId,
    reason: FieldId,
    expires: FieldId,
}

impl AllowFields {
    fn of(schema: &Schema) -> Option<AllowFields> {
        let kind = schema.kind_id("allow")?;
        let def = schema.entity(kind)?;
        Some(AllowFields {
            kind,
            norm: def.field("norm")?.0,
            entity: def.field("entity")?.0,
            reason: def.field("reason")?.0,
            expires: def.field("expires")?.0,
        })
    }
}

/// What suppressions did to the findings of one proposal.
pub(crate) struct Outcome {
    /// Findings kept, plus findings about the suppressions themselves.
    pub findings: Vec<Diagnostic>,
    /// How many findings a suppression removed.
    pub suppressed: usize,
    pub problems: Vec<Diagnostic>,
}

/// Removes the findings that an `[[allow]]` entry covers, and reports the
/// entries that cover nothing, name no known norm, or have expired.
///
/// `enabled` says which norms run for this file: an entry for a norm that
/// does not run is neither used nor reported.
pub(crate) fn apply(
    mut findings: Vec<Diagnostic>,
    written: (&str, Format),
    facts: &Facts,
    schema: &Schema,
    program: &Program,
    policy: &crate::Policy<'_>,
) -> Outcome {
    let enabled = policy.enabled;
    let today = policy.today;
    let offer_suppressions = policy.finding_fixes >= crate::FindingFixes::Suppress;
    let Some(fields) = AllowFields::of(schema) else {
        return Outcome {
            findings,
            suppressed: 0,
            problems: Vec::new(),
        };
    };
    let text = |value: &Value| match value {
        Value::Text(sym) => Some(facts.strings.resolve(*sym)),
        _ => None,
    };
    let allows: Vec<Allow<'_>> = facts
        .entities(fields.kind)
        .iter()
        .map(|entity| Allow {
            entity,
            norm: text(entity.value(fields.norm)),
            target: text(entity.value(fields.entity)),
            well_formed: text(entity.value(fields.reason)).is_some()
                && !entity.fields.iter().any(rejected),
            expires: text(entity.value(fields.expires))
                .map(|t| (t, entity.field(fields.expires).and_then(|f| f.span))),
        })
        .collect();

    // An unused entry can go without changing any finding: safe. An
    // expired one may be meant to be renewed: unsafe.
    let remove = |allow: &Allow<'_>, applicability| {
        crate::fixes::remove_allow(written.0, written.1, allow.entity.span, applicability)
    };
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let mut active = vec![true; allows.len()];
    for (allow, active) in allows.iter().zip(active.iter_mut()) {
        let Some(norm) = allow.norm else {
            // The loader already reported the missing or mistyped `norm`.
            *active = false;
            continue;
        };
        if !allow.well_formed {
            // The loader already reported the missing `reason` or the bad
            // value; such an entry must not hide a finding behind that
            // error. A rejected `entity` would match the findings about the
            // whole proposal, and a rejected `expires` (a TOML date instead
            // of text) would never expire.
            *active = false;
            continue;
        }
        if let Some((written, span)) = allow.expires {
            let span = span.unwrap_or(allow.entity.span);
            match Date::parse(written) {
                None => {
                    // `2027-02-30` has the shape of a date but names no day.
                    let shaped = written.len() == 10
                        && written.bytes().enumerate().all(|(i, b)| match i {
                            4 | 7 => b == b'-',
                            _ => b.is_ascii_digit(),
                        });
                    let label = if shaped {
                        "no such day in the calendar"
                    } else {
                        "expected `YYYY-MM-DD`"
                    };
                    problems.push(problem::from_miette(
                        Stage::Proposal,
                        facts.source,
                        &BadDate {
                            written: written.to_owned(),
                            label,
                            span,
                        },
                        None,
                    ));
                    *active = false;
                    continue;
                }
                Some(date) if today.is_some_and(|today| date < today) => {
                    notes.push(note(
                        EXPIRED_ALLOW,
                        facts.origin(span),
                        format!("the suppression of `{norm}` expired on {date}"),
                        "the last day the suppression applied",
                        "the finding it allowed is reported again: renew the date with a reason, or fix the finding",
                    ).with_fixes(remove(allow, Applicability::Unsafe)));
                    *active = false;
                    continue;
                }
                Some(_) => {}
            }
        }
        if program.norm(norm).is_none() {
            let mut help = "check the id with `lacuna norms`".to_owned();
            let ids = program.norms.iter().map(|n| n.id.as_str());
            let guess = lacuna_syntax::suggest::closest(norm, ids);
            if let Some(id) = guess {
                help = format!("did you mean `{id}`?");
            }
            let span = allow
                .entity
                .field(fields.norm)
                .and_then(|f| f.span)
                .unwrap_or(allow.entity.span);
            let rename = guess.map(|id| Fix::rename(span.text(written.0), span, id));
            notes.push(
                note(
                    UNKNOWN_ALLOW,
                    facts.origin(span),
                    format!("the suppression names no known norm `{norm}`"),
                    "no norm has this id",
                    &help,
                )
                .with_fixes(rename),
            );
            *active = false;
            continue;
        }
        if !enabled(norm) {
            *active = false;
        }
    }

    let mut used = vec![false; allows.len()];
    let before = findings.len();
    // Filtered in place: the findings of a large proposal are never copied,
    // and without an entry that can match, none is looked at.
    if active.iter().any(|a| *a) {
        findings.retain(|finding| {
            let matched = allows.iter().zip(&active).position(|(allow, active)| {
                *active
                    && allow.norm == Some(finding.code.as_str())
                    && match (&finding.subject, allow.target) {
                        (Some(subject), Some(target)) => subject.has_path(target),
                        (None, None) => true,
                        _ => false,
                    }
            });
            match matched.and_then(|i| used.get_mut(i)) {
                Some(u) => {
                    *u = true;
                    false
                }
                None => true,
            }
        });
    }
    let suppressed = before - findings.len();
    for ((allow, active), used) in allows.iter().zip(&active).zip(&used) {
        if *active && !*used {
            let norm = allow.norm.unwrap_or_default();
            let message = match allow.target {
                Some(target) => {
                    format!("the suppression of `{norm}` for `{target}` matches no finding")
                }
                None => format!("the suppression of `{norm}` matches no finding"),
            };
            notes.push(
                note(
                    UNUSED_ALLOW,
                    facts.origin(allow.entity.span),
                    message,
                    "suppression declared here",
                    "remove it if the finding is gone, or correct its `norm` and `entity`",
                )
                .with_fixes(remove(allow, Applicability::Safe)),
            );
        }
    }
    // Every finding of a norm can be suppressed; the entry is the last fix
    // offered, after any repair.
    for finding in findings.iter_mut().filter(|_| offer_suppressions) {
        finding
            .fixes
            .extend(crate::fixes::suppress(written.0, written.1, finding));
    }
    findings.extend(notes);
    // The findings arrive in this order: only notes out of place make it
    // sort.
    lacuna_report::sort_stably(&mut findings, report_order);
    Outcome {
        findings,
        suppressed,
        problems,
    }
}

/// The order of a proposal's findings: by file, position, norm, then
/// subject.
fn report_order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    (
        a.primary.source,
        a.primary.span.start,
        a.code.as_str(),
        &a.subject,
    )
        .cmp(&(
            b.primary.source,
            b.primary.span.start,
            b.code.as_str(),
            &b.subject,
        ))
}

/// Whether the proposal wrote the field with a value the loader rejected
/// (and reported): the value is absent although the field is written.
fn rejected(field: &FieldFact) -> bool {
    matches!(field.value, Value::Absent) && field.span.is_some()
}

fn note(norm: &str, origin: Origin, message: String, label: &str, help: &str) -> Diagnostic {
    Diagnostic {
        code: Code::Norm(norm.into()),
        severity: Severity::Warning,
        subject: None,
        message,
        help: Some(help.to_owned()),
        primary: origin,
        primary_label: label.to_owned(),
        evidence: Vec::new(),
        meta: Some(Arc::new(NormMeta {
            origin,
            serves: Vec::new(),
            perspective: Vec::new(),
            source: None,
            tags: vec!["suppression".to_owned()],
        })),
        fixes: Vec::new(),
    }
}

/// Attaching fixes to a finding.
trait WithFixes {
    fn with_fixes(self, fixes: impl IntoIterator<Item = Fix>) -> Self;
}

impl WithFixes for Diagnostic {
    fn with_fixes(mut self, fixes: impl IntoIterator<Item = Fix>) -> Diagnostic {
        self.fixes.extend(fixes);
        self
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("`{written}` is not a date")]
#[diagnostic(
    code(lacuna::allow::expires),
    help("write the last day the suppression applies as `YYYY-MM-DD`, such as `2027-06-30`")
)]
struct BadDate {
    written: String,
    label: &'static str,
    #[label("{label}")]
    span: Span,
}

#[cfg(test)]
mod tests {
    use super::Date;

    #[test]
    fn dates_parse_and_order() {
        assert_eq!(
            Date::parse("2027-06-30"),
            Some(Date {
                year: 2027,
                month: 6,
                day: 30
            })
        );
        assert_eq!(Date::parse("2027-02-29"), None);
        assert!(Date::parse("2028-02-29").is_some());
        assert_eq!(Date::parse("2027-13-01"), None);
        assert_eq!(Date::parse("27-01-01"), None);
        assert_eq!(Date::parse("2027-1-01"), None);
        assert!(Date::parse("2026-12-31") < Date::parse("2027-01-01"));
    }

    #[test]
    fn days_since_epoch_give_civil_dates() {
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days_since_epoch(-1).to_string(), "1969-12-31");
        assert_eq!(
            Date::from_days_since_epoch(11_016).to_string(),
            "2000-02-29"
        );
        assert_eq!(
            Date::from_days_since_epoch(20_786).to_string(),
            "2026-11-29"
        );
    }
}
