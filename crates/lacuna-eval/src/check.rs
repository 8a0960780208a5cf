//! Resolution and type checking of norms against a schema.
//!
//! Scopes: the `for` variable is visible in the whole norm (its filter, the
//! `let`s, `require` and both templates). A `let` is visible after its own
//! definition. A quantifier's or `count`'s variable is visible in its filter
//! and body only. An inner binding may reuse an outer name: it shadows it
//! (a warning), and so does a variable named like an entity kind.
//!
//! A bare name is a variable, else an entity kind (the collection of all its
//! entities), else a variant of the enum the other operand expects. The
//! name of a singleton kind followed by a field (`proposal.title`) reads the
//! field of its one entity; an enum name followed by a variant
//! (`function.protection`) is that variant.

use lacuna_model::{EntityDef, FieldDef, KindId, Origin, Schema, SourceId, Type};
use lacuna_syntax::Span;
use lacuna_syntax::ast::{self, EntityShape, Ident, Item, MetaKey, MetaValue, NormDecl, Severity};
use rustc_hash::FxHashMap;

use crate::error::{Mistake, RuleError};
use crate::plan;
use crate::program::{
    CmpOp, Collection, Comp, CompId, Expr, ExprKind, FieldRef, LetBinding, Norm, Program, Quant,
    SubjectClause, Template, TemplatePart, TextId, Ty, Var,
};
use lacuna_syntax::suggest::did_you_mean;

/// Resolves and type-checks the norms of every file against the schema.
///
/// `enum` and `entity` items are the schema's business and are skipped here.
/// A norm with an error is left out of the program; warnings (an unused
/// `let`, a shadowed variable) leave it in. Errors come in file order, then
/// source order.
pub fn check_rules(schema: &Schema, files: &[(SourceId, &ast::Ast)]) -> (Program, Vec<RuleError>) {
    let mut checker = Checker {
        schema,
        program: Program::default(),
        errors: Vec::new(),
        texts: FxHashMap::default(),
        ids: FxHashMap::default(),
    };
    for (source, ast) in files {
        for item in &ast.items {
            if let Item::Norm(decl) = item {
                checker.norm(*source, decl);
            }
        }
    }
    (checker.program, checker.errors)
}

struct Checker<'s> {
    schema: &'s Schema,
    program: Program,
    errors: Vec<RuleError>,
    texts: FxHashMap<String, TextId>,
    /// The first definition of every norm id.
    ids: FxHashMap<String, Origin>,
}

impl Checker<'_> {
    fn norm(&mut self, source: SourceId, decl: &NormDecl) {
        let mut cx = NormCx {
            schema: self.schema,
            source,
            errors: Vec::new(),
            failed: false,
            bindings: Vec::new(),
            next_slot: 0,
            slots: 0,
            texts: &mut self.texts,
            program_texts: &mut self.program.texts,
            comps: &mut self.program.comps,
        };
        let id = decl.id.text.clone();
        let origin = Origin {
            source,
            span: decl.id.span,
        };
        match self.ids.get(&id) {
            Some(first) => cx.error(Mistake::DuplicateNorm {
                id: id.clone(),
                span: decl.id.span,
                first: (first.source == source).then_some(first.span),
                help: (first.source != source)
                    .then(|| format!("another rule file defines `{id}` first; norm ids are unique across the rule set")),
            }),
            None => {
                self.ids.insert(id.clone(), origin);
            }
        }
        let meta = cx.meta(decl);
        let doc = decl.doc.as_ref().map(|d| d.lines.join("\n"));

        let subject = decl.for_clause.as_ref().and_then(|f| cx.for_clause(f));
        let mut lets = Vec::new();
        for l in &decl.lets {
            let value = cx.expr(&l.value, None);
            let var = cx.bind(&l.name, value.ty.clone(), BindingKind::Let);
            lets.push(LetBinding { var, value });
        }
        let condition = match &decl.require {
            Some(e) => cx.condition(e, "`require`"),
            None => {
                // The parser reports a norm without `require`; it checks nothing.
                cx.failed = true;
                poison(decl.id.span)
            }
        };
        let message = decl.message.as_ref().map(|t| cx.template(t));
        let help = decl.help.as_ref().map(|t| cx.template(t));
        for b in &cx.bindings {
            if b.kind == BindingKind::Let && !b.used {
                cx.errors.push(RuleError::new(
                    source,
                    Mistake::UnusedLet {
                        name: b.name.clone(),
                        span: b.span,
                    },
                ));
            }
        }
        if decl.message.is_none() && decl.doc.is_none() {
            cx.errors.push(RuleError::new(
                source,
                Mistake::NoMessage {
                    id: id.clone(),
                    span: decl.id.span,
                },
            ));
        }
        let failed = cx.failed;
        let slots = cx.slots;
        let mut errors = cx.errors;
        self.errors.append(&mut errors);
        if failed {
            return;
        }
        self.program.norms.push(Norm {
            id,
            severity: meta.severity,
            serves: meta.serves,
            perspective: meta.perspective,
            source: meta.source,
            tags: meta.tags,
            origin,
            doc,
            subject,
            lets,
            condition,
            message,
            help,
            slots,
        });
    }
}

struct Meta {
    severity: Severity,
    serves: Vec<String>,
    perspective: Vec<String>,
    source: Option<String>,
    tags: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BindingKind {
    For,
    Let,
    Quantifier,
}

struct Binding {
    name: String,
    slot: u32,
    ty: Ty,
    span: Span,
    kind: BindingKind,
    used: bool,
}

/// The state of checking one norm.
struct NormCx<'a> {
    schema: &'a Schema,
    source: SourceId,
    errors: Vec<RuleError>,
    /// An error was found: the norm is left out of the program.
    failed: bool,
    /// Visible variables, innermost last.
    bindings: Vec<Binding>,
    next_slot: u32,
    /// How many slots the norm uses.
    slots: u32,
    texts: &'a mut FxHashMap<String, TextId>,
    program_texts: &'a mut Vec<String>,
    comps: &'a mut u32,
}

fn poison(span: Span) -> Expr {
    Expr {
        kind: ExprKind::Bool(false),
        ty: Ty::Unknown,
        span,
    }
}

/// The type of a field as declared in the schema.
fn field_ty(ty: &Type) -> Ty {
    match ty {
        Type::Bool => Ty::Bool,
        Type::Int => Ty::Int,
        Type::Text => Ty::Text,
        Type::Enum(e) => Ty::Enum(*e),
        Type::Ref(k) => Ty::Entity(*k),
        Type::List(elem) => Ty::List(Box::new(field_ty(elem))),
        Type::Optional(inner) => field_ty(inner).optional(),
    }
}

/// Splits `a and b and c` into `[a, b, c]`.
fn conjuncts(e: Expr, out: &mut Vec<Expr>) {
    match e.kind {
        ExprKind::And(a, b) => {
            conjuncts(*a, out);
            conjuncts(*b, out);
        }
        kind => out.push(Expr { kind, ..e }),
    }
}

fn is_bool(ty: &Ty) -> bool {
    matches!(ty.required(), Ty::Bool | Ty::Unknown)
}

impl NormCx<'_> {
    fn error(&mut self, kind: Mistake) {
        self.failed = true;
        self.errors.push(RuleError::new(self.source, kind));
    }

    fn warn(&mut self, kind: Mistake) {
        self.errors.push(RuleError::new(self.source, kind));
    }

    fn ty_name(&self, ty: &Ty) -> String {
        ty.display(self.schema).to_string()
    }

    fn meta(&mut self, decl: &NormDecl) -> Meta {
        let mut meta = Meta {
            severity: Severity::Warning,
            serves: Vec::new(),
            perspective: Vec::new(),
            source: None,
            tags: Vec::new(),
        };
        let mut seen: Vec<(MetaKey, Span)> = Vec::new();
        for entry in &decl.meta {
            let key = entry.key.as_str();
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == entry.key) {
                let first = *first;
                self.error(Mistake::DuplicateMeta {
                    key: key.to_owned(),
                    span: entry.key_span,
                    first,
                });
                continue;
            }
            seen.push((entry.key, entry.key_span));
            match (entry.key, &entry.value) {
                (MetaKey::Severity, MetaValue::Severity(s, _)) => meta.severity = *s,
                (MetaKey::Serves, MetaValue::Names(names)) => {
                    meta.serves = self.meta_variants(key, "value", entry.key_span, names);
                }
                (MetaKey::Perspective, MetaValue::Names(names)) => {
                    meta.perspective =
                        self.meta_variants(key, "perspective", entry.key_span, names);
                }
                (MetaKey::Source, MetaValue::Str(s)) => meta.source = Some(s.value.clone()),
                (MetaKey::Tags, MetaValue::Strs(tags)) => {
                    meta.tags = tags.iter().map(|t| t.value.clone()).collect();
                }
                (MetaKey::Tags, MetaValue::Str(tag)) => meta.tags = vec![tag.value.clone()],
                (key, _) => {
                    let expected = match key {
                        MetaKey::Severity => "takes `error`, `warning` or `info`",
                        MetaKey::Serves => "takes variants of enum `value`, such as `rights`",
                        MetaKey::Perspective => {
                            "takes variants of enum `perspective`, such as `migrants`"
                        }
                        MetaKey::Source => "takes one string",
                        MetaKey::Tags => "takes a list of strings",
                    };
                    self.error(Mistake::MetaValue {
                        key: key.as_str().to_owned(),
                        expected: expected.to_owned(),
                        span: entry.span,
                    });
                }
            }
        }
        meta
    }

    /// The names of `serves:` or `perspective:`, checked against their enum.
    fn meta_variants(
        &mut self,
        key: &str,
        enum_name: &str,
        key_span: Span,
        names: &[Ident],
    ) -> Vec<String> {
        let Some(def) = self
            .schema
            .enum_id(enum_name)
            .and_then(|id| self.schema.enum_def(id))
        else {
            self.error(Mistake::MissingMetaEnum {
                key: key.to_owned(),
                enum_name: enum_name.to_owned(),
                span: key_span,
            });
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut unknown = Vec::new();
        for name in names {
            if def.variant(&name.name).is_some() {
                out.push(name.name.clone());
            } else {
                unknown.push(Mistake::UnknownMetaValue {
                    enum_name: enum_name.to_owned(),
                    name: name.name.clone(),
                    span: name.span,
                    help: did_you_mean(&name.name, def.variants.iter().map(|v| v.name.as_str())),
                });
            }
        }
        for kind in unknown {
            self.error(kind);
        }
        out
    }

    fn for_clause(&mut self, f: &ast::ForClause) -> Option<SubjectClause> {
        // With an unknown kind the variable is still bound, as unknown, so
        // that its uses are checked without a second error each.
        let kind = self.kind(&f.kind);
        let ty = kind.map_or(Ty::Unknown, Ty::Entity);
        let var = self.bind(&f.var, ty, BindingKind::For);
        let filter = f.filter.as_ref().map(|e| self.condition(e, "`where`"));
        Some(SubjectClause {
            var,
            kind: kind?,
            filter,
        })
    }

    /// An entity kind named in `for`.
    fn kind(&mut self, name: &Ident) -> Option<KindId> {
        if let Some(k) = self.schema.kind_id(&name.name) {
            return Some(k);
        }
        let help = if self.schema.enum_id(&name.name).is_some() {
            Some(format!(
                "`{}` is an enum; `for` ranges over the entities of a kind",
                name.name
            ))
        } else {
            did_you_mean(
                &name.name,
                self.schema.entities.iter().map(|e| e.name.as_str()),
            )
        };
        self.error(Mistake::UnknownKind {
            name: name.name.clone(),
            span: name.span,
            help,
        });
        None
    }

    fn bind(&mut self, name: &Ident, ty: Ty, kind: BindingKind) -> Var {
        if let Some(earlier) = self.bindings.iter().rev().find(|b| b.name == name.name) {
            let first = earlier.span;
            self.warn(Mistake::Shadowed {
                name: name.name.clone(),
                span: name.span,
                first,
            });
        } else if self.schema.kind_id(&name.name).is_some() {
            self.warn(Mistake::HiddenKind {
                name: name.name.clone(),
                span: name.span,
            });
        }
        let slot = self.next_slot;
        self.next_slot = self.next_slot.saturating_add(1);
        self.slots = self.slots.max(self.next_slot);
        self.bindings.push(Binding {
            name: name.name.clone(),
            slot,
            ty,
            span: name.span,
            kind,
            used: false,
        });
        Var {
            slot,
            name: name.name.clone(),
        }
    }

    /// Ends the scope of the innermost variable. Its slot is not reused:
    /// every binding of a norm has a slot of its own, so explaining a `let`
    /// by its value cannot overwrite a later `let`.
    fn unbind(&mut self) {
        self.bindings.pop();
    }

    fn lookup(&mut self, name: &str) -> Option<(Var, Ty)> {
        let b = self.bindings.iter_mut().rev().find(|b| b.name == name)?;
        b.used = true;
        Some((
            Var {
                slot: b.slot,
                name: b.name.clone(),
            },
            b.ty.clone(),
        ))
    }

    fn is_variable(&self, name: &str) -> bool {
        self.bindings.iter().any(|b| b.name == name)
    }

    /// A name that is neither a variable nor a kind: it needs the type the
    /// other operand expects before it can be resolved as a variant.
    fn needs_expectation(&self, e: &ast::Expr) -> bool {
        match &e.kind {
            ast::ExprKind::Name(n) => {
                !self.is_variable(&n.name) && self.schema.kind_id(&n.name).is_none()
            }
            ast::ExprKind::List(items) => {
                !items.is_empty() && items.iter().all(|i| self.needs_expectation(i))
            }
            _ => false,
        }
    }

    fn text(&mut self, s: &str) -> TextId {
        if let Some(id) = self.texts.get(s) {
            return *id;
        }
        let id = TextId(self.program_texts.len() as u32);
        self.program_texts.push(s.to_owned());
        self.texts.insert(s.to_owned(), id);
        id
    }

    fn template(&mut self, t: &ast::Template) -> Template {
        let parts = t
            .parts
            .iter()
            .map(|p| match p {
                ast::TemplatePart::Text(s) => TemplatePart::Text(s.clone()),
                ast::TemplatePart::Hole(e) => TemplatePart::Hole(self.expr(e, None)),
            })
            .collect();
        Template { parts }
    }

    /// An expression that must be a condition.
    fn condition(&mut self, e: &ast::Expr, place: &str) -> Expr {
        let checked = self.expr(e, None);
        self.require_bool(&checked, place);
        checked
    }

    fn require_bool(&mut self, e: &Expr, place: &str) {
        if is_bool(&e.ty) {
            return;
        }
        let help = match (&e.kind, e.ty.required()) {
            (ExprKind::Field(base, field), _) if self.is_optional_field(field) => Some(format!(
                "to test whether it is set, write `{} has {}`",
                self.short(base),
                field.name
            )),
            (_, Ty::List(_)) => Some(format!(
                "ask about its members: `any x in {}: ...`",
                self.short(e)
            )),
            (_, Ty::Int) => Some("compare it: `... > 0`".to_owned()),
            (_, Ty::Enum(_) | Ty::Text | Ty::Entity(_)) => {
                Some("compare it: `... == ...`".to_owned())
            }
            _ => None,
        };
        self.error(Mistake::NotACondition {
            place: place.to_owned(),
            found: self.ty_name(&e.ty),
            span: e.span,
            help,
        });
    }

    fn is_optional_field(&self, field: &FieldRef) -> bool {
        self.entity_def(field.kind)
            .and_then(|d| d.field_def(field.id))
            .is_some_and(|f| matches!(f.ty, Type::Optional(_)))
    }

    /// A short rendering of a checked expression for help texts.
    fn short(&self, e: &Expr) -> String {
        match &e.kind {
            ExprKind::Var(v) => v.name.clone(),
            ExprKind::Kind(k) => crate::program::kind_name(self.schema, *k).to_owned(),
            ExprKind::Field(base, f) => format!("{}.{}", self.short(base), f.name),
            _ => "...".to_owned(),
        }
    }

    fn expr(&mut self, e: &ast::Expr, expected: Option<&Ty>) -> Expr {
        let span = e.span;
        match &e.kind {
            ast::ExprKind::Bool(b) => Expr {
                kind: ExprKind::Bool(*b),
                ty: Ty::Bool,
                span,
            },
            ast::ExprKind::Int(i) => Expr {
                kind: ExprKind::Int(*i),
                ty: Ty::Int,
                span,
            },
            ast::ExprKind::Str(s) => Expr {
                kind: ExprKind::Text(self.text(s)),
                ty: Ty::Text,
                span,
            },
            ast::ExprKind::Name(n) => self.name(n, expected),
            ast::ExprKind::Field(base, field) => self.field(base, field, span),
            ast::ExprKind::Has(base, field) => self.has(base, field, span),
            ast::ExprKind::List(items) => self.list(items, expected, span),
            ast::ExprKind::Not(inner) => {
                let inner = self.condition(inner, "`not`");
                Expr {
                    kind: ExprKind::Not(Box::new(inner)),
                    ty: Ty::Bool,
                    span,
                }
            }
            ast::ExprKind::Binary(op, a, b) => self.binary(*op, a, b, span),
            ast::ExprKind::Quant(q) => self.quant(q, span),
            ast::ExprKind::Count(c) => {
                let (comp, _) = self.comp(c, None, span);
                Expr {
                    kind: ExprKind::Count(Box::new(comp)),
                    ty: Ty::Int,
                    span,
                }
            }
            ast::ExprKind::Error => {
                // The parser reported this hole already; the norm cannot run.
                self.failed = true;
                poison(span)
            }
        }
    }

    fn name(&mut self, n: &Ident, expected: Option<&Ty>) -> Expr {
        let span = n.span;
        if let Some((var, ty)) = self.lookup(&n.name) {
            return Expr {
                kind: ExprKind::Var(var),
                ty,
                span,
            };
        }
        if let Some(k) = self.schema.kind_id(&n.name) {
            return Expr {
                kind: ExprKind::Kind(k),
                ty: Ty::List(Box::new(Ty::Entity(k))),
                span,
            };
        }
        let expected = expected.map(Ty::required);
        // A variant compared with a list of its enum resolves, so that the
        // comparison can suggest `in`.
        if let Some(Ty::List(elem)) = expected
            && let Ty::Enum(en) = elem.required()
            && let Some(v) = self.schema.enum_def(*en).and_then(|d| d.variant(&n.name))
        {
            return Expr {
                kind: ExprKind::Variant(*en, v),
                ty: Ty::Enum(*en),
                span,
            };
        }
        if let Some(Ty::Enum(en)) = expected {
            if let Some(def) = self.schema.enum_def(*en) {
                if let Some(v) = def.variant(&n.name) {
                    return Expr {
                        kind: ExprKind::Variant(*en, v),
                        ty: Ty::Enum(*en),
                        span,
                    };
                }
                let help = self.variant_help(&def.name, &n.name);
                self.error(Mistake::UnknownVariant {
                    enum_name: def.name.clone(),
                    name: n.name.clone(),
                    span,
                    help,
                });
            }
            return poison(span);
        }
        if expected == Some(&Ty::Unknown) {
            // The other operand is already wrong and reported.
            self.failed = true;
            return poison(span);
        }
        let owner = self
            .schema
            .enums
            .iter()
            .find(|d| d.variant(&n.name).is_some())
            .map(|d| d.name.clone());
        let help = match (owner, expected) {
            (Some(owner), Some(expected)) => Some(format!(
                "`{}` is a variant of enum `{owner}`, which does not fit where `{}` is expected",
                n.name,
                self.ty_name(expected)
            )),
            (Some(owner), None) => Some(format!(
                "`{0}` is a variant of enum `{owner}`: write `{owner}.{0}`, or compare it with a `{owner}` value",
                n.name
            )),
            (None, _) => {
                let candidates: Vec<&str> = self
                    .bindings
                    .iter()
                    .rev()
                    .map(|b| b.name.as_str())
                    .chain(self.schema.entities.iter().map(|e| e.name.as_str()))
                    .collect();
                did_you_mean(&n.name, candidates)
            }
        };
        self.error(Mistake::UnknownName {
            name: n.name.clone(),
            span,
            help,
        });
        poison(span)
    }

    fn entity_def(&self, k: KindId) -> Option<&EntityDef> {
        self.schema.entity(k)
    }

    fn field(&mut self, base: &ast::Expr, field: &Ident, span: Span) -> Expr {
        let base = match &base.kind {
            ast::ExprKind::Name(n) if !self.is_variable(&n.name) => {
                if let Some(k) = self.schema.kind_id(&n.name) {
                    let singleton = self
                        .entity_def(k)
                        .is_some_and(|d| d.shape == EntityShape::Singleton);
                    if !singleton {
                        self.error(Mistake::FieldOfCollection {
                            name: n.name.clone(),
                            span: n.span,
                            help: format!(
                                "ask about its members: `any x in {}: x.{}`",
                                n.name, field.name
                            ),
                        });
                        return poison(span);
                    }
                    Expr {
                        kind: ExprKind::Singleton(k),
                        ty: Ty::Entity(k),
                        span: n.span,
                    }
                } else if let Some(en) = self.schema.enum_id(&n.name) {
                    return self.qualified_variant(en, field, span);
                } else {
                    self.name(n, None)
                }
            }
            _ => self.expr(base, None),
        };
        self.field_access(base, field, span)
    }

    fn qualified_variant(&mut self, en: lacuna_model::EnumId, variant: &Ident, span: Span) -> Expr {
        let Some(def) = self.schema.enum_def(en) else {
            return poison(span);
        };
        if let Some(v) = def.variant(&variant.name) {
            return Expr {
                kind: ExprKind::Variant(en, v),
                ty: Ty::Enum(en),
                span,
            };
        }
        let help = self.variant_help(&def.name, &variant.name);
        self.error(Mistake::UnknownVariant {
            enum_name: def.name.clone(),
            name: variant.name.clone(),
            span: variant.span,
            help,
        });
        poison(span)
    }

    /// A suggestion for a name that is not a variant of `enum_name`: a
    /// close variant, or the other enum the name belongs to.
    fn variant_help(&self, enum_name: &str, name: &str) -> Option<String> {
        let def = self
            .schema
            .enum_id(enum_name)
            .and_then(|e| self.schema.enum_def(e))?;
        if let Some(help) = did_you_mean(name, def.variants.iter().map(|v| v.name.as_str())) {
            return Some(help);
        }
        let owner = self
            .schema
            .enums
            .iter()
            .find(|d| d.variant(name).is_some())?;
        Some(format!(
            "`{name}` is a variant of enum `{}`, not of `{enum_name}`",
            owner.name
        ))
    }

    /// The field `name` of the kind of `base`, with its declaration.
    fn resolve_field(&mut self, base: &Expr, name: &Ident) -> Option<(FieldRef, FieldDef)> {
        let k = match base.ty.required() {
            Ty::Entity(k) => *k,
            Ty::Unknown => {
                self.failed = true;
                return None;
            }
            Ty::List(elem) => {
                let elem = self.ty_name(elem);
                self.error(Mistake::FieldOfList {
                    base: self.short(base),
                    element: elem,
                    span: base.span,
                    help: format!(
                        "ask about its members: `any x in {}: x.{}`",
                        self.short(base),
                        name.name
                    ),
                });
                return None;
            }
            other => {
                let found = self.ty_name(other);
                self.error(Mistake::NoFields {
                    found,
                    field: name.name.clone(),
                    base_span: base.span,
                    field_span: name.span,
                });
                return None;
            }
        };
        let def = self.entity_def(k)?;
        match def.field(&name.name) {
            Some((id, f)) => Some((
                FieldRef {
                    kind: k,
                    id,
                    name: name.name.clone(),
                },
                f.clone(),
            )),
            None => {
                let kind = def.name.clone();
                let help = did_you_mean(&name.name, def.fields.iter().map(|f| f.name.as_str()));
                self.error(Mistake::UnknownField {
                    kind,
                    field: name.name.clone(),
                    span: name.span,
                    help,
                });
                None
            }
        }
    }

    fn field_access(&mut self, base: Expr, name: &Ident, span: Span) -> Expr {
        let Some((field, def)) = self.resolve_field(&base, name) else {
            return poison(span);
        };
        let mut ty = field_ty(&def.ty);
        if base.ty.is_optional() {
            ty = ty.optional();
        }
        Expr {
            kind: ExprKind::Field(Box::new(base), field),
            ty,
            span,
        }
    }

    fn has(&mut self, base: &ast::Expr, name: &Ident, span: Span) -> Expr {
        let base = self.expr(base, None);
        let Some((field, def)) = self.resolve_field(&base, name) else {
            return poison(span);
        };
        if !matches!(def.ty, Type::Optional(_)) {
            let why = if def.default.is_some() {
                "has a default, so it is always set"
            } else {
                "is required, so it is always set"
            };
            self.error(Mistake::HasOnRequired {
                field: name.name.clone(),
                why: why.to_owned(),
                span: name.span,
            });
            return poison(span);
        }
        Expr {
            kind: ExprKind::Has(Box::new(base), field),
            ty: Ty::Bool,
            span,
        }
    }

    fn list(&mut self, items: &[ast::Expr], expected: Option<&Ty>, span: Span) -> Expr {
        let mut elem: Option<Ty> = expected
            .and_then(Ty::element)
            .filter(|t| **t != Ty::Unknown)
            .cloned();
        // Members that type themselves go first, so that a bare variant
        // name anywhere in the list learns its enum from them.
        let (mut order, rest): (Vec<usize>, Vec<usize>) = (0..items.len())
            .partition(|i| items.get(*i).is_some_and(|e| !self.needs_expectation(e)));
        order.extend(rest);
        let mut first: Option<(Ty, Span)> = None;
        let mut checked: Vec<Option<Expr>> = vec![None; items.len()];
        for i in order {
            let Some(item) = items.get(i) else { continue };
            let e = self.expr(item, elem.as_ref());
            if e.ty != Ty::Unknown {
                match &first {
                    None => {
                        first = Some((e.ty.clone(), e.span));
                        if elem.is_none() {
                            elem = Some(e.ty.required().clone());
                        }
                    }
                    Some((ty, first_span)) if !ty.comparable(&e.ty) => {
                        let (ty, first_span) = (ty.clone(), *first_span);
                        self.error(Mistake::MixedList {
                            first: self.ty_name(&ty),
                            other: self.ty_name(&e.ty),
                            first_span,
                            other_span: e.span,
                        });
                    }
                    Some(_) => {}
                }
            }
            if let Some(slot) = checked.get_mut(i) {
                *slot = Some(e);
            }
        }
        let elem = first.map_or(Ty::Unknown, |(t, _)| t.required().clone());
        Expr {
            kind: ExprKind::List(checked.into_iter().flatten().collect()),
            ty: Ty::List(Box::new(elem)),
            span,
        }
    }

    fn binary(&mut self, op: ast::BinOp, a: &ast::Expr, b: &ast::Expr, span: Span) -> Expr {
        use ast::BinOp;
        match op {
            BinOp::And | BinOp::Or => {
                let place = format!("`{}`", op.as_str());
                let a = self.condition(a, &place);
                let b = self.condition(b, &place);
                let kind = if op == BinOp::And {
                    ExprKind::And(Box::new(a), Box::new(b))
                } else {
                    ExprKind::Or(Box::new(a), Box::new(b))
                };
                Expr {
                    kind,
                    ty: Ty::Bool,
                    span,
                }
            }
            BinOp::Eq | BinOp::Ne => {
                let (a, b) = self.operands(a, b, Expectation::Same);
                self.require_comparable(&a, &b);
                let cmp = if op == BinOp::Eq {
                    CmpOp::Eq
                } else {
                    CmpOp::Ne
                };
                Expr {
                    kind: ExprKind::Compare(cmp, Box::new(a), Box::new(b)),
                    ty: Ty::Bool,
                    span,
                }
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let (a, b) = self.operands(a, b, Expectation::Same);
                // One error is enough: `r.level >= regional` has two
                // operands of the wrong type, and one mistake.
                if let Some(side) = [&a, &b]
                    .into_iter()
                    .find(|s| !matches!(s.ty.required(), Ty::Int | Ty::Unknown))
                {
                    let found = self.ty_name(&side.ty);
                    self.error(Mistake::NotOrdered {
                        op: op.as_str().to_owned(),
                        found,
                        span: side.span,
                    });
                }
                let cmp = match op {
                    BinOp::Lt => CmpOp::Lt,
                    BinOp::Le => CmpOp::Le,
                    BinOp::Gt => CmpOp::Gt,
                    _ => CmpOp::Ge,
                };
                Expr {
                    kind: ExprKind::Compare(cmp, Box::new(a), Box::new(b)),
                    ty: Ty::Bool,
                    span,
                }
            }
            BinOp::In | BinOp::NotIn => {
                let (a, b) = self.operands(a, b, Expectation::Member);
                match b.ty.required() {
                    Ty::Unknown => {}
                    Ty::List(elem) => {
                        if !elem.comparable(&a.ty) {
                            let (element, member) = (self.ty_name(&a.ty), self.ty_name(elem));
                            self.error(Mistake::ElementMismatch {
                                element,
                                member,
                                element_span: a.span,
                                list_span: b.span,
                            });
                        }
                    }
                    other => {
                        let found = self.ty_name(other);
                        self.error(Mistake::NotAList {
                            found,
                            span: b.span,
                        });
                    }
                }
                let kind = if op == BinOp::In {
                    ExprKind::In(Box::new(a), Box::new(b))
                } else {
                    ExprKind::NotIn(Box::new(a), Box::new(b))
                };
                Expr {
                    kind,
                    ty: Ty::Bool,
                    span,
                }
            }
        }
    }

    /// Checks both operands of `==`, `!=`, `in` or `not in`, letting the
    /// typed one tell a bare variant name on the other side which enum it
    /// belongs to.
    fn operands(&mut self, a: &ast::Expr, b: &ast::Expr, expectation: Expectation) -> (Expr, Expr) {
        if self.needs_expectation(a) && !self.needs_expectation(b) {
            let b = self.expr(b, None);
            let expected = match expectation {
                Expectation::Same => Some(b.ty.clone()),
                Expectation::Member => b.ty.element().cloned(),
            };
            if expected.is_none() {
                // `x in b` with `b` not a list: that is the mistake to
                // report, not that `x` cannot be resolved without a list.
                self.failed = true;
                return (poison(a.span), b);
            }
            let a = self.expr(a, expected.as_ref());
            (a, b)
        } else {
            let a = self.expr(a, None);
            let expected = match expectation {
                Expectation::Same => a.ty.clone(),
                Expectation::Member => Ty::List(Box::new(a.ty.required().clone())),
            };
            let b = self.expr(b, Some(&expected));
            (a, b)
        }
    }

    fn require_comparable(&mut self, a: &Expr, b: &Expr) {
        if a.ty.comparable(&b.ty) {
            return;
        }
        let kinds = (a.ty.required(), b.ty.required());
        let entity_text = match kinds {
            (Ty::Entity(k), Ty::Text) => Some((*k, a.span, b.span)),
            (Ty::Text, Ty::Entity(k)) => Some((*k, b.span, a.span)),
            _ => None,
        };
        if let Some((k, entity_span, text_span)) = entity_text {
            self.error(Mistake::EntityWithText {
                kind: crate::program::kind_name(self.schema, k).to_owned(),
                entity_span,
                text_span,
            });
            return;
        }
        let help = match kinds {
            (Ty::List(elem), other) | (other, Ty::List(elem)) if elem.comparable(other) => {
                Some("to ask whether a list holds a value, write `value in list`".to_owned())
            }
            (Ty::Enum(en), Ty::List(_)) | (Ty::List(_), Ty::Enum(en)) => {
                self.kind_named_like_variant(*en, a, b)
            }
            _ => None,
        };
        self.error(Mistake::Mismatch {
            left: self.ty_name(&a.ty),
            right: self.ty_name(&b.ty),
            left_span: a.span,
            right_span: b.span,
            help,
        });
    }

    /// A help for `x.area == group` where `group` is both an entity kind
    /// (which wins) and a variant of the enum on the other side.
    fn kind_named_like_variant(
        &self,
        en: lacuna_model::EnumId,
        a: &Expr,
        b: &Expr,
    ) -> Option<String> {
        let def = self.schema.enum_def(en)?;
        [a, b].into_iter().find_map(|side| match &side.kind {
            ExprKind::Kind(k) => {
                let name = crate::program::kind_name(self.schema, *k);
                def.variant(name).map(|_| {
                    format!(
                        "`{name}` names the entity kind here; write `{}.{name}` for the variant",
                        def.name
                    )
                })
            }
            _ => None,
        })
    }

    fn quant(&mut self, q: &ast::Quantifier, span: Span) -> Expr {
        let (comp, body) = self.comp(&q.binding, q.body.as_ref(), span);
        Expr {
            kind: ExprKind::Quant(Box::new(Quant {
                kind: q.kind,
                comp,
                body,
            })),
            ty: Ty::Bool,
            span,
        }
    }

    /// Checks `VAR in COLLECTION [where FILTER]` and, for a quantifier, its
    /// body in the scope of `VAR`; plans the result.
    fn comp(
        &mut self,
        c: &ast::Comprehension,
        body: Option<&ast::Expr>,
        span: Span,
    ) -> (Comp, Vec<Expr>) {
        let (collection, elem) = self.collection(&c.collection);
        let var = self.bind(&c.var, elem, BindingKind::Quantifier);
        let mut filter = Vec::new();
        if let Some(f) = &c.filter {
            conjuncts(self.condition(f, "`where`"), &mut filter);
        }
        let mut body_conj = Vec::new();
        if let Some(b) = body {
            conjuncts(self.condition(b, "a quantifier's body"), &mut body_conj);
        }
        self.unbind();
        let id = CompId(*self.comps);
        *self.comps = self.comps.saturating_add(1);
        let mut comp = Comp {
            id,
            var,
            collection,
            filter,
            span,
            plan: plan::Plan::default(),
        };
        comp.plan = plan::plan(&comp, &body_conj);
        (comp, body_conj)
    }

    /// The collection of a quantifier and the type of its members.
    fn collection(&mut self, e: &ast::Expr) -> (Collection, Ty) {
        if let ast::ExprKind::Name(n) = &e.kind
            && !self.is_variable(&n.name)
        {
            if let Some(k) = self.schema.kind_id(&n.name) {
                return (Collection::Kind(k), Ty::Entity(k));
            }
            let help = if self.schema.enum_id(&n.name).is_some() {
                Some(format!(
                    "`{}` is an enum; a quantifier ranges over an entity kind or a list",
                    n.name
                ))
            } else {
                let candidates: Vec<&str> = self
                    .bindings
                    .iter()
                    .rev()
                    .map(|b| b.name.as_str())
                    .chain(self.schema.entities.iter().map(|e| e.name.as_str()))
                    .collect();
                did_you_mean(&n.name, candidates)
            };
            self.error(Mistake::UnknownKind {
                name: n.name.clone(),
                span: n.span,
                help,
            });
            return (Collection::Path(poison(n.span)), Ty::Unknown);
        }
        let checked = self.expr(e, None);
        match checked.ty.element() {
            Some(elem) => {
                let elem = elem.clone();
                (Collection::Path(checked), elem)
            }
            None => {
                if checked.ty != Ty::Unknown {
                    let found = self.ty_name(&checked.ty);
                    self.error(Mistake::NotACollection {
                        found,
                        span: checked.span,
                    });
                }
                (Collection::Path(checked), Ty::Unknown)
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Expectation {
    /// The other operand has the same type (`==`, `!=`).
    Same,
    /// The other operand is a list of this type (`in`, `not in`).
    Member,
}
