//! What every fuzz target asserts about spans and trees.
//!
//! A span that falls outside its text, or inside a multi-byte character,
//! makes every renderer of diagnostics (miette, SARIF, the language server)
//! fail or point at the wrong place, so each target checks every span it gets
//! back. A tree deeper than the nesting limit would make the recursive passes
//! after the parser overflow the stack on some other input, so the parse
//! target checks the bound too.

use std::sync::OnceLock;

use lacuna_model::{Entity, EntityDef, EntityRef, Facts, Format, Schema, SourceId, Type, Value};
use lacuna_syntax::ast::{
    Ast, Comprehension, Doc, EntityShape, Expr, ExprKind, FieldDecl, Ident, Item, MetaValue,
    NormDecl, Template, TemplatePart, TypeExpr, TypeKind,
};
use lacuna_syntax::{MAX_NESTING, Span};
use miette::Diagnostic;

/// How deep the related diagnostics of one diagnostic are followed; none of
/// ours nests them, so the bound only guards against a cycle.
const MAX_RELATED_DEPTH: usize = 8;

/// The longest valid UTF-8 prefix of `data`: the load targets take text, and
/// cutting at the first bad byte keeps the rest of an input useful.
pub fn utf8_prefix(data: &[u8]) -> &str {
    match std::str::from_utf8(data) {
        Ok(text) => text,
        Err(_) => data.utf8_chunks().next().map_or("", |chunk| chunk.valid()),
    }
}

/// The vocabulary of the standard rules, which the load targets check
/// proposals against.
const SCHEMA: &str = include_str!("../../rules/schema.norm");

/// The id the loaded proposal gets; the schema is source 0.
const PROPOSAL: SourceId = SourceId(1);

/// `rules/schema.norm`, parsed and resolved once per process.
pub fn schema() -> &'static Schema {
    static SCHEMA_CELL: OnceLock<Schema> = OnceLock::new();
    SCHEMA_CELL.get_or_init(|| {
        let (ast, errors) = lacuna_syntax::parse(SCHEMA);
        assert!(
            errors.is_empty(),
            "rules/schema.norm does not parse: {errors:?}"
        );
        let (schema, errors) = lacuna_model::build_schema(&[(SourceId(0), &ast)]);
        assert!(
            errors.is_empty(),
            "rules/schema.norm does not resolve: {errors:?}"
        );
        schema
    })
}

/// Loads `text` against the standard schema and asserts what must hold of
/// any load: it does not panic, its errors are sorted by position and point
/// into `text`, the facts point into `text`, every value has its field's
/// type and every reference names an entity that exists, and a load without
/// errors leaves no required field absent.
pub fn load(text: &str, format: Format) {
    let schema = schema();
    let (facts, errors) = lacuna_model::load(schema, PROPOSAL, text, format);
    for error in &errors {
        assert_span(text, error.span(), error);
        assert_diagnostic(text, error);
    }
    assert!(
        errors.is_sorted_by_key(|e| (e.span().start, e.span().end)),
        "errors are not sorted by position"
    );
    let loaded = if errors.is_empty() {
        Loaded::Cleanly
    } else {
        Loaded::WithErrors
    };
    assert_facts(text, schema, &facts, PROPOSAL, loaded);
    let _ = lacuna_model::dump(schema, &facts);
}

/// Whether a load reported errors: after errors, any field may be absent.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Loaded {
    Cleanly,
    WithErrors,
}

/// Asserts that `facts`, loaded from `text` as `source`, fit `schema` and
/// point into `text`; when they loaded cleanly, every required field must
/// be set.
#[track_caller]
pub fn assert_facts(text: &str, schema: &Schema, facts: &Facts, source: SourceId, loaded: Loaded) {
    assert_eq!(facts.source, source);
    assert!(facts.kinds.len() <= schema.entities.len());
    for (kind, def) in schema.kinds() {
        let entities = facts.entities(kind);
        if def.shape == EntityShape::Singleton {
            assert!(
                entities.len() <= 1,
                "{} singletons `{}`",
                entities.len(),
                def.name
            );
        }
        for (index, entity) in (0u32..).zip(entities) {
            let display = facts.name(EntityRef { kind, index }).into_owned();
            assert_span(text, entity.span, &display);
            assert_eq!(
                entity.key.is_some(),
                def.shape == EntityShape::Keyed,
                "`{}` has a key exactly when its kind is keyed",
                display
            );
            if let Some(key) = entity.key {
                let found = facts.lookup(kind, facts.strings.resolve(key));
                assert!(found.is_some(), "`{}` is not indexed by its key", display);
            }
            assert_eq!(entity.fields.len(), def.fields.len(), "{display}");
            assert_entity(text, schema, facts, def, (entity, &display), loaded);
        }
    }
}

#[track_caller]
fn assert_entity(
    text: &str,
    schema: &Schema,
    facts: &Facts,
    kind: &EntityDef,
    (entity, display): (&Entity, &str),
    loaded: Loaded,
) {
    for (def, fact) in kind.fields.iter().zip(entity.fields.iter()) {
        let what = format!("{display}.{}", def.name);
        for span in fact
            .span
            .iter()
            .chain(&fact.key_span)
            .chain(&fact.item_spans)
        {
            assert_span(text, *span, &what);
        }
        if let Value::List(items) = &fact.value
            && !fact.item_spans.is_empty()
        {
            assert_eq!(
                items.len(),
                fact.item_spans.len(),
                "{what}: a span per item"
            );
        }
        let presence = if loaded == Loaded::Cleanly && !matches!(def.ty, Type::Optional(_)) {
            Presence::Required
        } else {
            Presence::MayBeAbsent
        };
        assert_value(schema, facts, &def.ty, &fact.value, presence, &what);
    }
}

/// Whether a value may be [`Value::Absent`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Presence {
    Required,
    MayBeAbsent,
}

#[track_caller]
fn assert_value(
    schema: &Schema,
    facts: &Facts,
    ty: &Type,
    value: &Value,
    presence: Presence,
    what: &str,
) {
    match (ty, value) {
        (_, Value::Absent) => assert!(
            presence == Presence::MayBeAbsent,
            "{what}: a required value is absent"
        ),
        (Type::Optional(inner), _) => {
            assert_value(schema, facts, inner, value, Presence::Required, what);
        }
        (Type::Bool, Value::Bool(_)) | (Type::Int, Value::Int(_)) => {}
        (Type::Text, Value::Text(sym)) => {
            assert!(
                (sym.0 as usize) < facts.strings.len(),
                "{what}: unknown string"
            );
        }
        (Type::Enum(id), Value::Enum(index)) => {
            let variants = schema.enum_def(*id).map_or(0, |e| e.variants.len());
            assert!((*index as usize) < variants, "{what}: no variant {index}");
        }
        (Type::Ref(kind), Value::Ref(target)) => {
            assert_eq!(target.kind, *kind, "{what}: a reference to another kind");
            assert!(
                facts.entity(*target).is_some(),
                "{what}: a dangling reference"
            );
        }
        (Type::List(inner), Value::List(items)) => {
            for item in items {
                assert_value(schema, facts, inner, item, Presence::Required, what);
            }
        }
        _ => panic!(
            "{what}: {value:?} is not a value of type {}",
            schema.type_name(ty)
        ),
    }
}

/// Asserts that `span` is ordered, lies inside `text` and starts and ends on
/// character boundaries.
#[track_caller]
pub fn assert_span(text: &str, span: Span, what: &dyn std::fmt::Debug) {
    assert!(
        span.start <= span.end && text.get(span.range()).is_some(),
        "span {}..{} is not a range of characters of the {}-byte text: {what:?}",
        span.start,
        span.end,
        text.len(),
    );
}

/// Asserts that every label of `diagnostic` and of its related diagnostics
/// points into `text`.
#[track_caller]
pub fn assert_diagnostic(text: &str, diagnostic: &dyn Diagnostic) {
    assert_diagnostic_at(text, diagnostic, 0);
}

#[track_caller]
fn assert_diagnostic_at(text: &str, diagnostic: &dyn Diagnostic, depth: usize) {
    assert!(
        depth <= MAX_RELATED_DEPTH,
        "related diagnostics nest too deeply: {diagnostic}"
    );
    for label in diagnostic.labels().into_iter().flatten() {
        let start = label.offset();
        let end = start + label.len();
        assert!(
            text.get(start..end).is_some(),
            "label {start}..{end} ({:?}) is not a range of characters of the {}-byte text: {diagnostic}",
            label.label(),
            text.len(),
        );
    }
    for related in diagnostic.related().into_iter().flatten() {
        assert_diagnostic_at(text, related, depth + 1);
    }
}

/// Asserts that every span of `ast` points into `text`, and that no
/// expression or type is deeper than the nesting limit allows.
#[track_caller]
pub fn assert_tree(text: &str, ast: &Ast) {
    let walk = Walk { text };
    for comment in &ast.comments {
        walk.span(comment.span, comment);
    }
    for item in &ast.items {
        walk.span(item.span(), item);
        match item {
            Item::Enum(decl) => {
                walk.doc(decl.doc.as_ref());
                walk.ident(&decl.name);
                for variant in &decl.variants {
                    walk.doc(variant.doc.as_ref());
                    walk.ident(&variant.name);
                    walk.span(variant.span, variant);
                }
            }
            Item::Entity(decl) => {
                walk.doc(decl.doc.as_ref());
                walk.ident(&decl.name);
                if let Some(span) = decl.shape_span {
                    walk.span(span, &decl.shape);
                }
                for field in &decl.fields {
                    walk.field(field);
                }
            }
            Item::Norm(decl) => walk.norm(decl),
        }
    }
}

/// The deepest tree the parser may return: a name or literal is one level
/// and each enclosing node one more, up to [`MAX_NESTING`]; the node that
/// reports going deeper stands in for the rest, as one level more.
const MAX_HEIGHT: u32 = MAX_NESTING + 1;

struct Walk<'t> {
    text: &'t str,
}

impl Walk<'_> {
    #[track_caller]
    fn span(&self, span: Span, what: &dyn std::fmt::Debug) {
        assert_span(self.text, span, what);
    }

    #[track_caller]
    fn ident(&self, ident: &Ident) {
        self.span(ident.span, ident);
    }

    #[track_caller]
    fn doc(&self, doc: Option<&Doc>) {
        if let Some(doc) = doc {
            self.span(doc.span, doc);
        }
    }

    #[track_caller]
    fn field(&self, field: &FieldDecl) {
        self.doc(field.doc.as_ref());
        self.ident(&field.name);
        self.span(field.span, &field.name);
        if let Some(ty) = &field.ty {
            let height = self.ty(ty);
            assert!(height <= MAX_HEIGHT, "type {height} levels deep: {ty:?}");
        }
        if let Some(default) = &field.default {
            self.bounded(default);
        }
    }

    #[track_caller]
    fn norm(&self, decl: &NormDecl) {
        self.doc(decl.doc.as_ref());
        self.span(decl.id.span, &decl.id);
        self.span(decl.open_brace, &decl.id);
        for entry in &decl.meta {
            self.span(entry.span, entry);
            self.span(entry.key_span, entry);
            match &entry.value {
                MetaValue::Severity(_, span) => self.span(*span, entry),
                MetaValue::Names(names) => names.iter().for_each(|n| self.ident(n)),
                MetaValue::Str(s) => self.span(s.span, s),
                MetaValue::Strs(strs) => strs.iter().for_each(|s| self.span(s.span, s)),
            }
        }
        if let Some(clause) = &decl.for_clause {
            self.span(clause.span, clause);
            self.ident(&clause.var);
            self.ident(&clause.kind);
            if let Some(filter) = &clause.filter {
                self.bounded(filter);
            }
        }
        for binding in &decl.lets {
            self.span(binding.span, binding);
            self.ident(&binding.name);
            self.bounded(&binding.value);
        }
        if let Some(require) = &decl.require {
            self.bounded(require);
        }
        for template in decl.message.iter().chain(decl.help.as_ref()) {
            self.template(template);
        }
    }

    #[track_caller]
    fn template(&self, template: &Template) {
        self.span(template.span, template);
        for part in &template.parts {
            if let TemplatePart::Hole(expr) = part {
                self.bounded(expr);
            }
        }
    }

    #[track_caller]
    fn bounded(&self, expr: &Expr) {
        let height = self.expr(expr);
        assert!(
            height <= MAX_HEIGHT,
            "expression {height} levels deep at {:?}",
            expr.span
        );
    }

    /// Checks the spans of a type and returns its height.
    #[track_caller]
    fn ty(&self, ty: &TypeExpr) -> u32 {
        self.span(ty.span, ty);
        match &ty.kind {
            TypeKind::Named(name) => {
                self.ident(name);
                1
            }
            TypeKind::List(inner) | TypeKind::Optional(inner) => 1 + self.ty(inner),
        }
    }

    /// Checks the spans of an expression and returns its height. Recursion
    /// is safe here only because the heights are bounded, which is what the
    /// caller asserts; a tree deep enough to overflow this walk is a failure
    /// of that bound anyway.
    #[track_caller]
    fn expr(&self, expr: &Expr) -> u32 {
        self.span(expr.span, expr);
        let below = match &expr.kind {
            ExprKind::Bool(_) | ExprKind::Int(_) | ExprKind::Str(_) | ExprKind::Error => 0,
            ExprKind::Name(name) => {
                self.ident(name);
                0
            }
            ExprKind::Field(base, name) | ExprKind::Has(base, name) => {
                self.ident(name);
                self.expr(base)
            }
            ExprKind::Not(inner) => self.expr(inner),
            ExprKind::List(items) => items.iter().map(|e| self.expr(e)).max().unwrap_or(0),
            ExprKind::Binary(_, left, right) => self.expr(left).max(self.expr(right)),
            ExprKind::Quant(quantifier) => {
                let body = quantifier.body.as_ref().map_or(0, |b| self.expr(b));
                self.comprehension(&quantifier.binding).max(body)
            }
            ExprKind::Count(comprehension) => self.comprehension(comprehension),
        };
        1 + below
    }

    #[track_caller]
    fn comprehension(&self, comprehension: &Comprehension) -> u32 {
        self.ident(&comprehension.var);
        let filter = comprehension.filter.as_ref().map_or(0, |f| self.expr(f));
        self.expr(&comprehension.collection).max(filter)
    }
}
