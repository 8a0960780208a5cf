//! A canonical text form of loaded facts, without spans.
//!
//! Two loads of the same proposal written differently (TOML and JSON, other
//! layout, other key order within an entity) dump to the same text. Tests
//! compare and snapshot it.

use std::fmt::Write as _;

use lacuna_syntax::ast::EntityShape;

use crate::facts::{EntityRef, Facts, Value};
use crate::schema::{Schema, Type};

/// Every entity, kind by kind in schema order and in source order within a
/// kind, with every field in schema order (defaults applied, `absent` for an
/// optional field that is not set).
pub fn dump(schema: &Schema, facts: &Facts) -> String {
    let mut out = String::new();
    for (kind, def) in schema.kinds() {
        for (index, entity) in facts.entities(kind).iter().enumerate() {
            let name = facts.name(EntityRef {
                kind,
                index: index as u32,
            });
            match def.shape {
                EntityShape::Keyed => {
                    let _ = writeln!(out, "{} {name:?}", def.name);
                }
                EntityShape::List | EntityShape::Singleton => {
                    let _ = writeln!(out, "{name}");
                }
            }
            for (field, fact) in def.fields.iter().zip(entity.fields.iter()) {
                let _ = write!(out, "  {} = ", field.name);
                value(&mut out, schema, facts, &field.ty, &fact.value);
                out.push('\n');
            }
        }
    }
    out
}

fn value(out: &mut String, schema: &Schema, facts: &Facts, ty: &Type, v: &Value) {
    match (v, ty) {
        (Value::Absent, _) => out.push_str("absent"),
        (_, Type::Optional(inner)) => value(out, schema, facts, inner, v),
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
            let name = schema.enum_def(*id).map_or("?", |e| e.variant_name(*index));
            out.push_str(name);
        }
        (Value::Enum(index), _) => {
            let _ = write!(out, "#{index}");
        }
        (Value::Ref(r), _) => {
            let kind = schema.entity(r.kind).map_or("?", |e| e.name.as_str());
            let id = facts.name(*r);
            let _ = write!(out, "{kind} {id:?}");
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
                value(out, schema, facts, inner, item);
            }
            out.push(']');
        }
    }
}
