//! How an entity is recognised across two versions of a proposal.
//!
//! A keyed or singleton entity is known by its path (`group.refugees`,
//! `proposal`). An entity of a list kind has no name, and its position
//! (`mandate[3]`) moves whenever an entity is added before it, so it is
//! known by its content: every field's value, in schema order.

use std::collections::HashMap;
use std::fmt::Write as _;

use lacuna_model::{EntityRef, Facts, Schema, Type, Value};
use lacuna_syntax::ast::EntityShape;

use super::FieldChange;

/// The path diagnostics use: `group.refugees`, `mandate[3]`, `proposal`.
pub(crate) fn path(schema: &Schema, facts: &Facts, r: EntityRef) -> String {
    let kind = schema.entity(r.kind).map_or("?", |d| d.name.as_str());
    let display = facts.name(r);
    match schema.entity(r.kind).map(|d| d.shape) {
        Some(EntityShape::Keyed) => format!("{kind}.{display}"),
        _ => display.into_owned(),
    }
}

/// What the entity is matched on in the other version.
pub(crate) fn identity(schema: &Schema, facts: &Facts, r: EntityRef) -> String {
    let Some(def) = schema.entity(r.kind) else {
        return path(schema, facts, r);
    };
    if def.shape != EntityShape::List {
        return path(schema, facts, r);
    }
    let Some(entity) = facts.entity(r) else {
        return path(schema, facts, r);
    };
    let mut out = format!("{} {{", def.name);
    for (field, fact) in def.fields.iter().zip(entity.fields.iter()) {
        let _ = write!(out, " {} = ", field.name);
        write_value(&mut out, schema, facts, &field.ty, &fact.value);
        out.push(';');
    }
    out.push_str(" }");
    out
}

/// Every entity of `facts` by its identity.
pub(crate) fn index(schema: &Schema, facts: &Facts) -> HashMap<String, EntityRef> {
    let mut map = HashMap::new();
    for (kind, _) in schema.kinds() {
        for index in 0..facts.entities(kind).len() {
            let r = EntityRef {
                kind,
                index: index as u32,
            };
            // Two list entities with the same content are one identity;
            // the first stands for both.
            map.entry(identity(schema, facts, r)).or_insert(r);
        }
    }
    map
}

/// The fields whose values differ between an entity and its counterpart,
/// in schema order.
pub(crate) fn field_changes(
    schema: &Schema,
    before: &Facts,
    old: EntityRef,
    after: &Facts,
    new: EntityRef,
) -> Vec<FieldChange> {
    let (Some(def), Some(a), Some(b)) = (
        schema.entity(old.kind),
        before.entity(old),
        after.entity(new),
    ) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (field, (x, y)) in def.fields.iter().zip(a.fields.iter().zip(b.fields.iter())) {
        let mut was = String::new();
        write_value(&mut was, schema, before, &field.ty, &x.value);
        let mut now = String::new();
        write_value(&mut now, schema, after, &field.ty, &y.value);
        if was != now {
            let (added, removed) = match (&x.value, &y.value, strip_optional(&field.ty)) {
                (Value::List(old), Value::List(new), Type::List(inner)) => {
                    let old = members(schema, before, inner, old);
                    let new = members(schema, after, inner, new);
                    (
                        new.iter().filter(|m| !old.contains(m)).cloned().collect(),
                        old.iter().filter(|m| !new.contains(m)).cloned().collect(),
                    )
                }
                _ => (Vec::new(), Vec::new()),
            };
            out.push(FieldChange {
                field: field.name.clone(),
                before: was,
                after: now,
                added,
                removed,
            });
        }
    }
    out
}

fn strip_optional(ty: &Type) -> &Type {
    match ty {
        Type::Optional(inner) => strip_optional(inner),
        other => other,
    }
}

fn members(schema: &Schema, facts: &Facts, ty: &Type, items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|item| {
            let mut out = String::new();
            write_value(&mut out, schema, facts, ty, item);
            out
        })
        .collect()
}

/// A value as TOML would write it, references by the id they name, so that
/// values of two proposals compare as text.
pub(crate) fn write_value(
    out: &mut String,
    schema: &Schema,
    facts: &Facts,
    ty: &Type,
    value: &Value,
) {
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
            let _ = write!(
                out,
                "{:?}",
                schema.enum_def(*id).map_or("?", |e| e.variant_name(*index))
            );
        }
        (Value::Enum(index), _) => {
            let _ = write!(out, "#{index}");
        }
        (Value::Ref(r), _) => {
            let _ = write!(out, "{:?}", facts.name(*r));
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
