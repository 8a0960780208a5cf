//! What is at a position: the one question hover, definition, references
//! and rename share.
//!
//! In a proposal the answer comes from the facts the loader read, which
//! carry the span of every header, key and value; in a rule file, from the
//! syntax tree (declarations) and the typed program (names in
//! expressions, whose kinds and fields the checker resolved).

use lacuna_eval::program::{Collection, Expr, ExprKind};
use lacuna_model::{EntityRef, EnumId, FieldId, KindId, Origin, Schema, Type, Value};
use lacuna_syntax::Span;
use lacuna_syntax::ast::{Item, MetaValue, TypeExpr, TypeKind};

use crate::analyzer::{Analysis, DocumentKind};

/// Something with a declaration, or an entity of the proposal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Symbol {
    Kind(KindId),
    Field(KindId, FieldId),
    Enum(EnumId),
    Variant(EnumId, u32),
    /// An entity of the proposal.
    Entity(EntityRef),
    /// A norm, by id.
    Norm(String),
}

/// The symbol at a position and the span of the text that names it.
#[derive(Clone, Debug)]
pub(crate) struct Found {
    pub symbol: Symbol,
    pub span: Span,
}

/// Whether `offset` is in `span` or just after it, where a cursor at the
/// end of a word is.
fn touches(span: Span, offset: u32) -> bool {
    span.start <= offset && offset <= span.end
}

/// The symbol at `offset` of a document of `kind` with text `text`.
pub(crate) fn symbol_at(
    kind: DocumentKind,
    text: &str,
    analysis: &Analysis,
    offset: usize,
) -> Option<Found> {
    let offset = u32::try_from(offset).ok()?;
    let found = match kind {
        DocumentKind::Proposal(_) => in_proposal(text, analysis, offset),
        DocumentKind::Rules => in_rules(text, analysis, offset),
        DocumentKind::Config => None,
    };
    // A norm id anywhere else (`# expect:` comments, `lacuna.toml`) is a
    // reference to the norm.
    found.or_else(|| norm_word(text, analysis, offset))
}

fn norm_word(text: &str, analysis: &Analysis, offset: u32) -> Option<Found> {
    let span = word_at(text, offset as usize, |c| {
        c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')
    })?;
    let word = span.text(text).trim_end_matches('.');
    analysis.rules.program.norm(word)?;
    Some(Found {
        symbol: Symbol::Norm(word.to_owned()),
        span: Span::new(span.start, span.start + word.len() as u32),
    })
}

/// The span of the run of characters that `part` accepts around `offset`.
pub(crate) fn word_at(text: &str, offset: usize, part: impl Fn(char) -> bool) -> Option<Span> {
    let offset = text.floor_char_boundary(offset.min(text.len()));
    let before = text.get(..offset)?;
    let after = text.get(offset..)?;
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| part(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = offset
        + after
            .char_indices()
            .find(|(_, c)| !part(*c))
            .map_or(after.len(), |(i, _)| i);
    (start < end).then(|| Span::new(start as u32, end as u32))
}

/// The enum a value of type `ty` draws from, through lists and options.
pub(crate) fn enum_of(ty: &Type) -> Option<EnumId> {
    match ty {
        Type::Enum(id) => Some(*id),
        Type::List(inner) | Type::Optional(inner) => enum_of(inner),
        _ => None,
    }
}

/// The kind a value of type `ty` refers to, through lists and options.
pub(crate) fn ref_of(ty: &Type) -> Option<KindId> {
    match ty {
        Type::Ref(id) => Some(*id),
        Type::List(inner) | Type::Optional(inner) => ref_of(inner),
        _ => None,
    }
}

/// The span of an entity's id in its header, when it is written there.
pub(crate) fn entity_id_span(text: &str, analysis: &Analysis, entity: EntityRef) -> Option<Span> {
    let facts = analysis.facts.as_ref()?;
    let found = facts.entity(entity)?;
    let key = facts.strings.resolve(found.key?);
    let header = found.span.text(text);
    let at = header.rfind(key)?;
    let start = found.span.start + at as u32;
    Some(Span::new(start, start + key.len() as u32))
}

/// The text inside a written string value: its span without the quotes.
pub(crate) fn unquoted(text: &str, span: Span) -> Span {
    let written = span.text(text);
    let quoted = written.len() >= 2
        && ((written.starts_with('"') && written.ends_with('"'))
            || (written.starts_with('\'') && written.ends_with('\'')));
    if quoted {
        Span::new(span.start + 1, span.end - 1)
    } else {
        span
    }
}

/// Every written value of the proposal with its span, lists taken apart:
/// (entity, field, value, span).
pub(crate) fn values(analysis: &Analysis) -> Vec<(EntityRef, FieldId, &Value, Span)> {
    let mut out = Vec::new();
    let Some(facts) = analysis.facts.as_ref() else {
        return out;
    };
    for (k, entities) in facts.kinds.iter().enumerate() {
        for (i, entity) in entities.iter().enumerate() {
            let at = EntityRef {
                kind: KindId(k as u32),
                index: i as u32,
            };
            for (f, field) in entity.fields.iter().enumerate() {
                let Some(span) = field.span else { continue };
                let id = FieldId(f as u32);
                match &field.value {
                    Value::List(items) if items.len() == field.item_spans.len() => {
                        for (item, span) in items.iter().zip(field.item_spans.iter()) {
                            out.push((at, id, item, *span));
                        }
                    }
                    value => out.push((at, id, value, span)),
                }
            }
        }
    }
    out
}

fn in_proposal(text: &str, analysis: &Analysis, offset: u32) -> Option<Found> {
    let facts = analysis.facts.as_ref()?;
    let schema = &analysis.rules.schema;
    // Every candidate that touches the offset; the narrowest wins, since a
    // table written with `[[..]]` spans its fields.
    let mut candidates: Vec<Found> = Vec::new();
    for (k, entities) in facts.kinds.iter().enumerate() {
        let kind = KindId(k as u32);
        for (i, entity) in entities.iter().enumerate() {
            let at = EntityRef {
                kind,
                index: i as u32,
            };
            if touches(entity.span, offset) {
                match entity_id_span(text, analysis, at) {
                    Some(span) if touches(span, offset) => candidates.push(Found {
                        symbol: Symbol::Entity(at),
                        span,
                    }),
                    _ => candidates.push(Found {
                        symbol: Symbol::Kind(kind),
                        span: entity.span,
                    }),
                }
            }
            for (f, field) in entity.fields.iter().enumerate() {
                if let Some(span) = field.key_span
                    && touches(span, offset)
                {
                    candidates.push(Found {
                        symbol: Symbol::Field(kind, FieldId(f as u32)),
                        span,
                    });
                }
            }
        }
    }
    for (at, field, value, span) in values(analysis) {
        if !touches(span, offset) {
            continue;
        }
        let Some(def) = schema.entity(at.kind).and_then(|d| d.field_def(field)) else {
            continue;
        };
        let symbol = match value {
            Value::Ref(target) => Symbol::Entity(*target),
            Value::Enum(variant) => match enum_of(&def.ty) {
                Some(id) => Symbol::Variant(id, *variant),
                None => continue,
            },
            Value::Text(sym)
                if analysis
                    .rules
                    .program
                    .norm(facts.strings.resolve(*sym))
                    .is_some() =>
            {
                Symbol::Norm(facts.strings.resolve(*sym).to_owned())
            }
            _ => Symbol::Field(at.kind, field),
        };
        let span = match symbol {
            Symbol::Entity(_) | Symbol::Norm(_) => unquoted(text, span),
            _ => span,
        };
        candidates.push(Found { symbol, span });
    }
    candidates
        .into_iter()
        .min_by_key(|found| found.span.end - found.span.start)
}

fn in_rules(text: &str, analysis: &Analysis, offset: u32) -> Option<Found> {
    let rules = &analysis.rules;
    let schema = &rules.schema;
    let mut candidates: Vec<Found> = Vec::new();
    let (ast, _) = lacuna_syntax::parse(text);
    let mut named = |name: &str, span: Span| {
        if let Some(kind) = schema.kind_id(name) {
            candidates.push(Found {
                symbol: Symbol::Kind(kind),
                span,
            });
        } else if let Some(id) = schema.enum_id(name) {
            candidates.push(Found {
                symbol: Symbol::Enum(id),
                span,
            });
        }
    };
    for item in &ast.items {
        match item {
            Item::Enum(decl) => {
                named(&decl.name.name, decl.name.span);
            }
            Item::Entity(decl) => {
                named(&decl.name.name, decl.name.span);
                for field in &decl.fields {
                    if let Some(ty) = &field.ty {
                        type_names(ty, &mut named);
                    }
                }
            }
            Item::Norm(decl) => {
                if let Some(for_clause) = &decl.for_clause {
                    named(&for_clause.kind.name, for_clause.kind.span);
                }
            }
        }
    }
    for item in &ast.items {
        match item {
            Item::Enum(decl) => {
                let Some(id) = schema.enum_id(&decl.name.name) else {
                    continue;
                };
                let Some(def) = schema.enum_def(id) else {
                    continue;
                };
                for variant in &decl.variants {
                    if let Some(index) = def.variant(&variant.name.name) {
                        candidates.push(Found {
                            symbol: Symbol::Variant(id, index),
                            span: variant.name.span,
                        });
                    }
                }
            }
            Item::Entity(decl) => {
                let Some(kind) = schema.kind_id(&decl.name.name) else {
                    continue;
                };
                let Some(def) = schema.entity(kind) else {
                    continue;
                };
                for field in &decl.fields {
                    if let Some((id, _)) = def.field(&field.name.name) {
                        candidates.push(Found {
                            symbol: Symbol::Field(kind, id),
                            span: field.name.span,
                        });
                    }
                }
            }
            Item::Norm(decl) => {
                candidates.push(Found {
                    symbol: Symbol::Norm(decl.id.text.clone()),
                    span: decl.id.span,
                });
                for meta in &decl.meta {
                    if let MetaValue::Names(names) = &meta.value {
                        for name in names {
                            if let Some((id, index)) = variant_named(schema, &name.name) {
                                candidates.push(Found {
                                    symbol: Symbol::Variant(id, index),
                                    span: name.span,
                                });
                            }
                        }
                    }
                }
            }
        }
    }
    for norm in &rules.program.norms {
        if norm.origin.source != analysis.source {
            continue;
        }
        let mut visit = |expr: &Expr| expression_symbols(text, expr, &mut candidates);
        if let Some(filter) = norm.subject.as_ref().and_then(|s| s.filter.as_ref()) {
            walk(filter, &mut visit);
        }
        for binding in &norm.lets {
            walk(&binding.value, &mut visit);
        }
        walk(&norm.condition, &mut visit);
        for template in norm.message.iter().chain(norm.help.iter()) {
            for part in &template.parts {
                if let lacuna_eval::program::TemplatePart::Hole(expr) = part {
                    walk(expr, &mut visit);
                }
            }
        }
    }
    candidates
        .into_iter()
        .filter(|found| touches(found.span, offset))
        .min_by_key(|found| found.span.end - found.span.start)
}

/// The variant of some enum named `name`, when exactly one enum has it.
fn variant_named(schema: &Schema, name: &str) -> Option<(EnumId, u32)> {
    let mut found = schema
        .enums
        .iter()
        .enumerate()
        .filter_map(|(i, def)| Some((EnumId(i as u32), def.variant(name)?)));
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

fn type_names(ty: &TypeExpr, named: &mut impl FnMut(&str, Span)) {
    match &ty.kind {
        TypeKind::Named(ident) => named(&ident.name, ident.span),
        TypeKind::List(inner) | TypeKind::Optional(inner) => type_names(inner, named),
    }
}

/// The names an expression resolves, by themselves (not its parts).
fn expression_symbols(text: &str, expr: &Expr, out: &mut Vec<Found>) {
    let span = expr.span;
    match &expr.kind {
        ExprKind::Kind(kind) | ExprKind::Singleton(kind) => {
            // The span of a singleton's field access starts with its name.
            let name_end = span.start + word_len(text, span.start);
            out.push(Found {
                symbol: Symbol::Kind(*kind),
                span: Span::new(span.start, name_end),
            });
        }
        ExprKind::Variant(id, index) => out.push(Found {
            symbol: Symbol::Variant(*id, *index),
            span,
        }),
        ExprKind::Field(_, field) | ExprKind::Has(_, field) => {
            let len = field.name.len() as u32;
            let end = span.end;
            if span.text(text).ends_with(field.name.as_str()) && end >= len {
                out.push(Found {
                    symbol: Symbol::Field(field.kind, field.id),
                    span: Span::new(end - len, end),
                });
            }
        }
        _ => {}
    }
}

fn word_len(text: &str, start: u32) -> u32 {
    text.get(start as usize..).map_or(0, |rest| {
        rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len())
    }) as u32
}

/// Calls `visit` on `expr` and every expression inside it.
pub(crate) fn walk(expr: &Expr, visit: &mut impl FnMut(&Expr)) {
    visit(expr);
    match &expr.kind {
        ExprKind::Field(inner, _) | ExprKind::Has(inner, _) | ExprKind::Not(inner) => {
            walk(inner, visit);
        }
        ExprKind::List(items) => {
            for item in items {
                walk(item, visit);
            }
        }
        ExprKind::And(a, b)
        | ExprKind::Or(a, b)
        | ExprKind::Compare(_, a, b)
        | ExprKind::In(a, b)
        | ExprKind::NotIn(a, b) => {
            walk(a, visit);
            walk(b, visit);
        }
        ExprKind::Quant(quant) => {
            walk_comp(&quant.comp, visit);
            for part in &quant.body {
                walk(part, visit);
            }
        }
        ExprKind::Count(comp) => walk_comp(comp, visit),
        ExprKind::Bool(_)
        | ExprKind::Int(_)
        | ExprKind::Text(_)
        | ExprKind::Variant(..)
        | ExprKind::Var(_)
        | ExprKind::Kind(_)
        | ExprKind::Singleton(_) => {}
    }
}

fn walk_comp(comp: &lacuna_eval::program::Comp, visit: &mut impl FnMut(&Expr)) {
    if let Collection::Path(path) = &comp.collection {
        walk(path, visit);
    }
    for part in &comp.filter {
        walk(part, visit);
    }
}

/// Where a symbol is declared, in the rule set's sources; for an entity,
/// its header in the proposal.
pub(crate) fn declaration(analysis: &Analysis, symbol: &Symbol) -> Option<Origin> {
    let schema = &analysis.rules.schema;
    match symbol {
        Symbol::Kind(kind) => Some(schema.entity(*kind)?.origin),
        Symbol::Field(kind, field) => Some(schema.entity(*kind)?.field_def(*field)?.origin),
        Symbol::Enum(id) => Some(schema.enum_def(*id)?.origin),
        Symbol::Variant(id, index) => {
            Some(schema.enum_def(*id)?.variants.get(*index as usize)?.origin)
        }
        Symbol::Norm(id) => Some(analysis.rules.program.norm(id)?.origin),
        Symbol::Entity(entity) => {
            let facts = analysis.facts.as_ref()?;
            Some(Origin {
                source: facts.source,
                span: facts.entity(*entity)?.span,
            })
        }
    }
}
