//! Verified repairs: small edits to a proposal that close a finding, each
//! proved by checking the edited proposal again.
//!
//! For a finding, the evaluator has already said which values made it fail:
//! its evidence points at them (`m.actor.field_presence` is `false`; `f.topics`
//! does not contain `forced_migration`; `mandate[3]` comes closest). The
//! search turns each such value into candidate edits, all derived from the
//! schema and the evidence, never from the vocabulary of a domain:
//!
//! - a `bool` the evidence points at is flipped;
//! - an enum or reference is set to a value the evidence names;
//! - an enum value the evidence names is added to a list;
//! - a list entity named as the nearest candidate is copied, with one
//!   reference changed to another entity of its kind (a new `[[mandate]]`
//!   giving the function to another actor).
//!
//! Each candidate is applied to the text and the proposal is checked again.
//! A candidate is kept only when the finding is gone and no finding of the
//! same or higher severity appeared, and no input problem either. Survivors
//! are ranked by size (values written), then by the findings they open and
//! close, then in the order they were generated, which follows the evidence;
//! the first [`MAX_REPAIRS`] are offered, each saying what else it closes or
//! opens. Repairs change what the proposal says, so they are always unsafe.
//!
//! The search is bounded and deterministic: at most
//! [`MAX_CANDIDATES_PER_FINDING`] candidates per finding and
//! [`MAX_EVALUATIONS`] checks per proposal, in a fixed order, so its time is
//! at most that many checks of the proposal, and the same input always gets
//! the same repairs. Only TOML proposals are repaired: the edits keep their
//! comments and formatting; JSON gets no repair.

use std::collections::BTreeMap;

use lacuna_model::{Entity, EntityRef, Facts, FieldDef, FieldFact, Format, Schema, Type, Value};
use lacuna_syntax::{Edit, Fix};

use crate::fixes::toml_string;
use crate::{Engine, FindingFixes, Policy, Severity};

/// Candidates tried for one finding.
pub const MAX_CANDIDATES_PER_FINDING: usize = 24;
/// Checks of the edited proposal, for all its findings together.
pub const MAX_EVALUATIONS: usize = 400;
/// Repairs offered for one finding.
pub const MAX_REPAIRS: usize = 3;
/// Values the evidence names that are tried for one field.
const MAX_NAMED_VALUES: usize = 3;

/// A finding as the search tells it apart from others: norm and subject.
type Key = (String, String);

fn key_of(finding: &crate::Diagnostic) -> Key {
    (
        finding.code.as_str().to_owned(),
        finding
            .subject
            .as_ref()
            .map_or_else(|| "proposal".to_owned(), |s| s.path()),
    )
}

/// One edit to try, with what it does in words and how many values it writes.
struct Candidate {
    edits: Vec<Edit>,
    what: String,
    size: usize,
}

/// A candidate that passed, with what it does to the other findings.
struct Verified {
    candidate: Candidate,
    order: usize,
    closes: Vec<(Severity, Key)>,
    opens: Vec<(Severity, Key)>,
}

/// What the search needs about the proposal.
pub(crate) struct Subject<'a> {
    pub engine: &'a Engine,
    pub text: &'a str,
    pub format: Format,
    pub facts: &'a Facts,
    pub policy: &'a Policy<'a>,
}

/// Adds verified repairs in front of the fixes of each finding.
pub(crate) fn search(subject: &Subject<'_>, findings: &mut [crate::Diagnostic]) {
    if subject.format != Format::Toml {
        return;
    }
    let schema = subject.engine.schema();
    let index = ValueIndex::new(schema, subject.facts);
    let policy = Policy {
        finding_fixes: FindingFixes::None,
        // Only which findings there are, and their severities, matter here.
        detail: crate::Detail::Messages,
        ..*subject.policy
    };
    let before: BTreeMap<Key, Severity> =
        findings.iter().map(|f| (key_of(f), f.severity)).collect();
    let mut evaluations = 0;
    for finding in findings.iter_mut() {
        if finding.primary.source != subject.facts.source
            || finding.code.as_str().starts_with("allow.")
        {
            continue;
        }
        let target = key_of(finding);
        let candidates = candidates(subject, schema, &index, finding);
        let mut verified = Vec::new();
        for (order, candidate) in candidates.into_iter().enumerate() {
            if evaluations >= MAX_EVALUATIONS {
                break;
            }
            evaluations += 1;
            let edited = lacuna_syntax::fix::apply(
                subject.text,
                [&Fix::unsafe_edits("", candidate.edits.clone())],
            );
            if edited.applied != 1 {
                continue;
            }
            let checked = subject.engine.check_with(
                subject.facts.source,
                edited.text.as_bytes(),
                subject.format,
                &policy,
            );
            if !checked.problems.is_empty() {
                continue;
            }
            let after: BTreeMap<Key, Severity> = checked
                .findings
                .iter()
                .map(|f| (key_of(f), f.severity))
                .collect();
            if after.contains_key(&target) {
                continue;
            }
            let opens: Vec<(Severity, Key)> = after
                .iter()
                .filter(|(k, _)| !before.contains_key(*k))
                .map(|(k, s)| (*s, k.clone()))
                .collect();
            if opens.iter().any(|(s, _)| *s >= finding.severity) {
                continue;
            }
            let closes = before
                .iter()
                .filter(|(k, _)| **k != target && !after.contains_key(*k))
                .map(|(k, s)| (*s, k.clone()))
                .collect();
            verified.push(Verified {
                candidate,
                order,
                closes,
                opens,
            });
        }
        verified.sort_by_key(|v| {
            (
                v.candidate.size,
                v.opens.len(),
                usize::MAX - v.closes.len(),
                v.order,
            )
        });
        let repairs: Vec<Fix> = verified
            .into_iter()
            .take(MAX_REPAIRS)
            .map(|v| Fix::unsafe_edits(title(&v), v.candidate.edits))
            .collect();
        finding.fixes.splice(0..0, repairs);
    }
}

/// "repair: set ...; also closes ...; opens ...".
fn title(v: &Verified) -> String {
    let list = |items: &[(Severity, Key)]| {
        items
            .iter()
            .map(|(s, (norm, path))| format!("{s} `{norm}` on `{path}`", s = s.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut title = format!("repair: {}", v.candidate.what);
    if !v.closes.is_empty() {
        title.push_str(&format!("; also closes {}", list(&v.closes)));
    }
    if v.opens.is_empty() {
        title.push_str("; opens nothing");
    } else {
        title.push_str(&format!("; opens {}", list(&v.opens)));
    }
    title
}

/// Where each written value and each entity is, to read evidence spans.
struct ValueIndex {
    /// The span of a written value: its entity and field.
    values: BTreeMap<(u32, u32), Vec<(EntityRef, usize)>>,
    /// The span of an entity's declaration.
    entities: BTreeMap<(u32, u32), Vec<EntityRef>>,
}

impl ValueIndex {
    fn new(schema: &Schema, facts: &Facts) -> ValueIndex {
        let mut values: BTreeMap<(u32, u32), Vec<(EntityRef, usize)>> = BTreeMap::new();
        let mut entities: BTreeMap<(u32, u32), Vec<EntityRef>> = BTreeMap::new();
        for (kind, _) in schema.kinds() {
            for (i, entity) in facts.entities(kind).iter().enumerate() {
                let r = EntityRef {
                    kind,
                    index: u32::try_from(i).unwrap_or(u32::MAX),
                };
                entities
                    .entry((entity.span.start, entity.span.end))
                    .or_default()
                    .push(r);
                for (f, field) in entity.fields.iter().enumerate() {
                    if let Some(span) = field.span {
                        values
                            .entry((span.start, span.end))
                            .or_default()
                            .push((r, f));
                    }
                }
            }
        }
        ValueIndex { values, entities }
    }
}

/// The words in backticks of an evidence message: `m.actor.field_presence`,
/// `forced_migration`, `mandate[3]`.
fn quoted(message: &str) -> Vec<&str> {
    message.split('`').skip(1).step_by(2).collect()
}

/// The candidates for one finding, in a fixed order, at most
/// [`MAX_CANDIDATES_PER_FINDING`].
fn candidates(
    subject: &Subject<'_>,
    schema: &Schema,
    index: &ValueIndex,
    finding: &crate::Diagnostic,
) -> Vec<Candidate> {
    let facts = subject.facts;
    let mut out: Vec<Candidate> = Vec::new();
    let mut seen: Vec<Vec<Edit>> = Vec::new();
    let mut push = |candidate: Option<Candidate>, out: &mut Vec<Candidate>| {
        if let Some(c) = candidate
            && !seen.contains(&c.edits)
            && out.len() < MAX_CANDIDATES_PER_FINDING
        {
            seen.push(c.edits.clone());
            out.push(c);
        }
    };
    // Changes to the values the evidence points at.
    for evidence in &finding.evidence {
        if evidence.origin.source != facts.source {
            continue;
        }
        let words = quoted(&evidence.message);
        let span = (evidence.origin.span.start, evidence.origin.span.end);
        let mut targets: Vec<(EntityRef, usize)> =
            index.values.get(&span).cloned().unwrap_or_default();
        // A default value: the evidence points at the entity, and names the
        // field as the last part of a path.
        for &r in index.entities.get(&span).map(Vec::as_slice).unwrap_or(&[]) {
            let Some(def) = schema.entity(r.kind) else {
                continue;
            };
            for word in &words {
                let name = word.rsplit('.').next().unwrap_or(word);
                if word.contains('.')
                    && let Some((id, _)) = def.field(name)
                {
                    targets.push((r, id.0 as usize));
                }
            }
        }
        for (r, f) in targets {
            for candidate in set_field(subject, schema, r, f, &words) {
                push(Some(candidate), &mut out);
            }
        }
    }
    // Copies of the list entity named as the nearest candidate, with one
    // reference changed.
    for evidence in &finding.evidence {
        let Some(name) = quoted(&evidence.message).first().copied() else {
            continue;
        };
        for (kind, def) in schema.kinds() {
            let named = |(i, e): &(usize, &Entity)| {
                let r = EntityRef {
                    kind,
                    index: u32::try_from(*i).unwrap_or(u32::MAX),
                };
                e.key.is_none() && facts.name(r) == name
            };
            let Some((_, entity)) = facts.entities(kind).iter().enumerate().find(named) else {
                continue;
            };
            for (f, field) in def.fields.iter().enumerate() {
                let Type::Ref(target) = strip_optional(&field.ty) else {
                    continue;
                };
                let current = entity.fields.get(f).map(|x| &x.value);
                for (j, other) in facts.entities(*target).iter().enumerate() {
                    let other_ref = EntityRef {
                        kind: *target,
                        index: u32::try_from(j).unwrap_or(u32::MAX),
                    };
                    if current == Some(&Value::Ref(other_ref)) {
                        continue;
                    }
                    push(
                        copy_with(subject, def, (name, entity), f, field, other),
                        &mut out,
                    );
                }
            }
        }
    }
    out
}

fn strip_optional(ty: &Type) -> &Type {
    match ty {
        Type::Optional(inner) => inner,
        other => other,
    }
}

/// Candidates that set field `f` of entity `r` to a value the evidence
/// suggests: the other boolean, or a value it names.
fn set_field(
    subject: &Subject<'_>,
    schema: &Schema,
    r: EntityRef,
    f: usize,
    words: &[&str],
) -> Vec<Candidate> {
    let facts = subject.facts;
    let (Some(def), Some(entity)) = (schema.entity(r.kind), facts.entity(r)) else {
        return Vec::new();
    };
    let (Some(field), Some(fact)) = (def.fields.get(f), entity.fields.get(f)) else {
        return Vec::new();
    };
    let who = entity_path(def.name.as_str(), &facts.name(r));
    let mut out = Vec::new();
    match strip_optional(&field.ty) {
        Type::Bool => {
            let now = matches!(fact.value, Value::Bool(true));
            let literal = if now { "false" } else { "true" };
            out.extend(
                write_value(subject, entity, field, fact, literal).map(|edits| Candidate {
                    edits,
                    what: format!("set `{} = {literal}` on `{who}`", field.name),
                    size: 1,
                }),
            );
        }
        Type::Enum(id) => {
            let Some(enum_def) = schema.enum_def(*id) else {
                return out;
            };
            let current = match fact.value {
                Value::Enum(v) => enum_def.variants.get(v as usize).map(|v| v.name.as_str()),
                _ => None,
            };
            for word in named(words, enum_def.variants.iter().map(|v| v.name.as_str())) {
                if Some(word) == current {
                    continue;
                }
                let literal = toml_string(word);
                out.extend(
                    write_value(subject, entity, field, fact, &literal).map(|edits| Candidate {
                        edits,
                        what: format!("set `{} = {literal}` on `{who}`", field.name),
                        size: 1,
                    }),
                );
            }
        }
        Type::Ref(kind) => {
            let keys: Vec<&str> = facts
                .entities(*kind)
                .iter()
                .filter_map(|e| e.key.map(|k| facts.strings.resolve(k)))
                .collect();
            let current = match &fact.value {
                Value::Ref(x) => facts
                    .entity(*x)
                    .and_then(|e| e.key)
                    .map(|k| facts.strings.resolve(k)),
                _ => None,
            };
            for word in named(words, keys.iter().copied()) {
                if Some(word) == current {
                    continue;
                }
                let literal = toml_string(word);
                out.extend(
                    write_value(subject, entity, field, fact, &literal).map(|edits| Candidate {
                        edits,
                        what: format!("set `{} = {literal}` on `{who}`", field.name),
                        size: 1,
                    }),
                );
            }
        }
        Type::List(inner) => {
            let Type::Enum(id) = strip_optional(inner) else {
                return out;
            };
            let Some(enum_def) = schema.enum_def(*id) else {
                return out;
            };
            let present: Vec<u32> = match &fact.value {
                Value::List(items) => items
                    .iter()
                    .filter_map(|v| match v {
                        Value::Enum(i) => Some(*i),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            for word in named(words, enum_def.variants.iter().map(|v| v.name.as_str())) {
                if enum_def.variant(word).is_some_and(|i| present.contains(&i)) {
                    continue;
                }
                out.extend(
                    add_to_list(subject, entity, field, fact, word).map(|edits| Candidate {
                        edits,
                        what: format!("add `{word}` to `{}` of `{who}`", field.name),
                        size: 1,
                    }),
                );
            }
        }
        Type::Int | Type::Text | Type::Optional(_) => {}
    }
    out
}

/// The words of the evidence that are among `names`, in evidence order.
fn named<'w, 'n>(words: &[&'w str], names: impl Iterator<Item = &'n str> + Clone) -> Vec<&'w str> {
    let mut out: Vec<&str> = Vec::new();
    for word in words {
        if names.clone().any(|n| n == *word) && !out.contains(word) {
            out.push(word);
        }
        if out.len() == MAX_NAMED_VALUES {
            break;
        }
    }
    out
}

/// `kind.key`, `mandate[3]` or the singleton's name, as findings name the
/// entity called `name`.
fn entity_path(kind: &str, name: &str) -> String {
    if name == kind || name.starts_with(&format!("{kind}[")) {
        name.to_owned()
    } else {
        format!("{kind}.{name}")
    }
}

/// The line after the table header of `entity`, where a new field goes.
fn after_header(text: &str, entity: &Entity) -> Option<u32> {
    if !entity.span.text(text).starts_with('[') {
        return None;
    }
    let rest = text.get(entity.span.end as usize..)?;
    let end = entity.span.end as usize + rest.find('\n')? + 1;
    u32::try_from(end).ok()
}

/// The edit writing `literal` as the value of `field`: replacing the value
/// written, or adding a line below the table header.
fn write_value(
    subject: &Subject<'_>,
    entity: &Entity,
    field: &FieldDef,
    fact: &FieldFact,
    literal: &str,
) -> Option<Vec<Edit>> {
    match fact.span {
        Some(span) => Some(vec![Edit::replace(span, literal)]),
        None => {
            let at = after_header(subject.text, entity)?;
            Some(vec![Edit::insert(
                at,
                format!("{} = {literal}\n", field.name),
            )])
        }
    }
}

/// The edit adding `word` to the list `field`, before its closing bracket,
/// or writing the list when it is not written.
fn add_to_list(
    subject: &Subject<'_>,
    entity: &Entity,
    field: &FieldDef,
    fact: &FieldFact,
    word: &str,
) -> Option<Vec<Edit>> {
    let item = toml_string(word);
    let Some(span) = fact.span else {
        let at = after_header(subject.text, entity)?;
        return Some(vec![Edit::insert(
            at,
            format!("{} = [{item}]\n", field.name),
        )]);
    };
    let written = span.text(subject.text);
    let inside = written.strip_suffix(']')?;
    let last = inside.trim_end();
    let at = span.start + u32::try_from(last.len()).ok()?;
    let content = if last.ends_with('[') {
        item
    } else if last.ends_with(',') {
        format!(" {item},")
    } else {
        format!(", {item}")
    };
    Some(vec![Edit::insert(at, content)])
}

/// A copy of the list entity `entity`, with reference field `f` pointing at
/// `other`, appended at the end of the file. The copy writes the fields the
/// original writes, each value as written there, and no comment.
fn copy_with(
    subject: &Subject<'_>,
    def: &lacuna_model::EntityDef,
    (name, entity): (&str, &Entity),
    f: usize,
    field: &FieldDef,
    other: &Entity,
) -> Option<Candidate> {
    let text = subject.text;
    if !entity.span.text(text).starts_with("[[") {
        return None;
    }
    let key = toml_string(subject.facts.strings.resolve(other.key?));
    let mut copy = String::new();
    if !text.is_empty() && !text.ends_with('\n') {
        copy.push('\n');
    }
    copy.push_str(&format!("\n[[{}]]\n", def.name));
    let mut written = 0;
    for (i, (fact, decl)) in entity.fields.iter().zip(&def.fields).enumerate() {
        let value = if i == f {
            key.clone()
        } else {
            match fact.span {
                Some(span) => span.text(text).to_owned(),
                None => continue,
            }
        };
        copy.push_str(&format!("{} = {value}\n", decl.name));
        written += 1;
    }
    let end = u32::try_from(text.len()).ok()?;
    Some(Candidate {
        edits: vec![Edit::insert(end, copy)],
        what: format!(
            "add a `[[{}]]` like `{}` with `{} = {key}`",
            def.name, name, field.name
        ),
        size: written,
    })
}
