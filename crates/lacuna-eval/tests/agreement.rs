//! The planned evaluator and the reference evaluator return identical findings.
//!
//! Each case is a random schema (enums, keyed, list and singleton kinds with
//! scalar, reference, list and optional fields), random facts for it, and
//! random well-typed norms (subjects with filters, `let`s, quantifiers,
//! counts, comparisons, membership, `has`, boolean connectives, paths through
//! references, templates). The case is built from a list of numbers that
//! proptest shrinks towards zero, and zero always picks the simplest option,
//! so a failure shrinks to a small case.
//!
//! `LACUNA_AGREEMENT_CASES` sets the number of cases (10,000 by default).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use lacuna_eval::program::Ty;
use lacuna_model::{
    Entity, EntityDef, EnumDef, EnumId, Facts, FieldDef, FieldFact, KindId, Origin, Schema,
    SourceId, Type, Value, VariantDef,
};
use lacuna_syntax::Span;
use lacuna_syntax::ast::{
    Ast, BinOp, Comprehension, Doc, EntityShape, Expr, ExprKind, ForClause, Ident, Item, Let,
    MetaEntry, MetaKey, MetaValue, NormDecl, NormId, QuantKind, Quantifier, Severity, Template,
    TemplatePart,
};
use proptest::prelude::*;

/// The numbers a case is built from; reads past the end are zero.
struct Choices<'a> {
    data: &'a [u16],
    pos: usize,
}

impl Choices<'_> {
    /// A number below `n`.
    fn pick(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        let v = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        v as usize % n
    }

    /// True with roughly `percent` chance; false for zero.
    fn chance(&mut self, percent: usize) -> bool {
        self.pick(100) >= 100 - percent
    }

    fn one<'t, T>(&mut self, items: &'t [T]) -> Option<&'t T> {
        if items.is_empty() {
            None
        } else {
            items.get(self.pick(items.len()))
        }
    }
}

const TEXTS: [&str; 3] = ["a", "b", "c"];
/// Literals of norms: `zz` never occurs in a proposal.
const LITERAL_TEXTS: [&str; 3] = ["a", "b", "zz"];

fn origin() -> Origin {
    Origin {
        source: SourceId(0),
        span: Span::default(),
    }
}

fn schema(c: &mut Choices<'_>) -> Schema {
    let mut schema = Schema::default();
    let enums = 1 + c.pick(3);
    for e in 0..enums {
        let variants = 1 + c.pick(4);
        schema.push_enum(EnumDef {
            name: format!("e{e}"),
            doc: None,
            variants: (0..variants)
                .map(|v| VariantDef {
                    name: format!("v{e}_{v}"),
                    doc: None,
                    origin: origin(),
                })
                .collect(),
            origin: origin(),
        });
    }
    let kinds = 1 + c.pick(4);
    let shapes: Vec<EntityShape> = (0..kinds)
        .map(|k| match (k, c.pick(4)) {
            (0, _) | (_, 0 | 1) => EntityShape::Keyed,
            (_, 2) => EntityShape::List,
            _ => EntityShape::Singleton,
        })
        .collect();
    let keyed: Vec<KindId> = shapes
        .iter()
        .enumerate()
        .filter(|(_, s)| **s == EntityShape::Keyed)
        .map(|(k, _)| KindId(k as u32))
        .collect();
    for (k, shape) in shapes.iter().enumerate() {
        let fields = 1 + c.pick(5);
        let fields = (0..fields)
            .map(|f| FieldDef {
                name: format!("f{f}"),
                doc: None,
                ty: field_type(c, enums, &keyed),
                default: None,
                origin: origin(),
            })
            .collect();
        schema.push_entity(EntityDef {
            name: format!("k{k}"),
            doc: None,
            shape: *shape,
            fields,
            origin: origin(),
            // Half the kinds have names for evidence, half fall back to theirs.
            label: (k % 2 == 0).then(|| format!("kind {k}")),
            plural: (k % 2 == 0).then(|| format!("kinds {k}")),
        });
    }
    schema
}

fn field_type(c: &mut Choices<'_>, enums: usize, keyed: &[KindId]) -> Type {
    let scalar = match c.pick(5) {
        0 => Type::Bool,
        1 => Type::Int,
        2 => Type::Text,
        3 => Type::Enum(EnumId(c.pick(enums) as u32)),
        _ => Type::Ref(*c.one(keyed).unwrap_or(&KindId(0))),
    };
    match c.pick(4) {
        0 | 1 => scalar,
        2 => Type::List(Box::new(scalar)),
        _ => Type::Optional(Box::new(scalar)),
    }
}

/// Hands out distinct spans so that evidence compares by location.
struct Spans(u32);

impl Spans {
    fn next(&mut self) -> Span {
        self.0 += 10;
        Span::new(self.0, self.0 + 5)
    }
}

fn facts(c: &mut Choices<'_>, schema: &Schema) -> Facts {
    let mut facts = Facts::new(SourceId(1), schema);
    let counts: Vec<usize> = schema
        .entities
        .iter()
        .map(|def| match def.shape {
            EntityShape::Singleton => c.pick(2),
            _ => c.pick(6),
        })
        .collect();
    let mut spans = Spans(0);
    for (k, def) in schema.entities.iter().enumerate() {
        for i in 0..counts[k] {
            let key = match def.shape {
                EntityShape::Keyed => Some(facts.strings.intern(&format!("{}_{i}", def.name))),
                EntityShape::List | EntityShape::Singleton => None,
            };
            let span = spans.next();
            let fields = def
                .fields
                .iter()
                .map(|f| {
                    let value = value(c, schema, &mut facts, &counts, &f.ty);
                    let written = !matches!(value, Value::Absent) && !c.chance(25);
                    let item_spans = match (&value, written) {
                        (Value::List(items), true) => items.iter().map(|_| spans.next()).collect(),
                        _ => Box::default(),
                    };
                    FieldFact {
                        span: written.then(|| spans.next()),
                        key_span: written.then(|| spans.next()),
                        item_spans,
                        value,
                    }
                })
                .collect();
            facts.push(KindId(k as u32), Entity { key, span, fields });
        }
    }
    facts
}

fn value(
    c: &mut Choices<'_>,
    schema: &Schema,
    facts: &mut Facts,
    counts: &[usize],
    ty: &Type,
) -> Value {
    match ty {
        Type::Bool => Value::Bool(c.pick(2) == 1),
        Type::Int => Value::Int(c.pick(5) as i64 - 2),
        Type::Text => Value::Text(facts.strings.intern(TEXTS[c.pick(TEXTS.len())])),
        Type::Enum(e) => {
            let n = schema.enum_def(*e).map_or(1, |d| d.variants.len());
            Value::Enum(c.pick(n) as u32)
        }
        Type::Ref(k) => match counts[k.0 as usize] {
            0 => Value::Absent,
            n => Value::Ref(lacuna_model::EntityRef {
                kind: *k,
                index: c.pick(n) as u32,
            }),
        },
        Type::List(elem) => {
            let len = c.pick(4);
            let items: Vec<Value> = (0..len)
                .map(|_| value(c, schema, facts, counts, elem))
                .filter(|v| !matches!(v, Value::Absent))
                .collect();
            Value::List(items.into())
        }
        Type::Optional(inner) => {
            if c.pick(3) == 0 {
                Value::Absent
            } else {
                value(c, schema, facts, counts, inner)
            }
        }
    }
}

fn ident(name: &str) -> Ident {
    Ident {
        name: name.to_owned(),
        span: Span::default(),
    }
}

fn expr(kind: ExprKind) -> Expr {
    Expr {
        kind,
        span: Span::default(),
    }
}

fn name(n: &str) -> Expr {
    expr(ExprKind::Name(ident(n)))
}

fn field(base: Expr, f: &str) -> Expr {
    expr(ExprKind::Field(Box::new(base), ident(f)))
}

fn binary(op: BinOp, a: Expr, b: Expr) -> Expr {
    expr(ExprKind::Binary(op, Box::new(a), Box::new(b)))
}

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

/// Generates well-typed norms for one schema.
struct NormGen<'s> {
    schema: &'s Schema,
    /// Visible variables, innermost last.
    scope: Vec<(String, Ty)>,
    fresh: usize,
}

impl NormGen<'_> {
    fn visible(&self) -> Vec<(String, Ty)> {
        let mut out: Vec<(String, Ty)> = Vec::new();
        for (n, t) in self.scope.iter().rev() {
            if !out.iter().any(|(m, _)| m == n) {
                out.push((n.clone(), t.clone()));
            }
        }
        out
    }

    /// Every path of up to two fields from a variable or a singleton, and
    /// every kind as a collection.
    fn paths(&self) -> Vec<(Expr, Ty)> {
        let mut out = Vec::new();
        for (n, t) in self.visible() {
            self.follow(name(&n), t, 2, &mut out);
        }
        for (k, def) in self.schema.entities.iter().enumerate() {
            let kind = KindId(k as u32);
            if def.shape == EntityShape::Singleton {
                for f in &def.fields {
                    let ty = field_ty(&f.ty);
                    self.follow(field(name(&def.name), &f.name), ty, 1, &mut out);
                }
            }
            out.push((name(&def.name), Ty::List(Box::new(Ty::Entity(kind)))));
        }
        out
    }

    fn follow(&self, e: Expr, ty: Ty, depth: usize, out: &mut Vec<(Expr, Ty)>) {
        if let (Ty::Entity(k), true) = (ty.required(), depth > 0) {
            let optional = ty.is_optional();
            if let Some(def) = self.schema.entity(*k) {
                for f in &def.fields {
                    let mut fty = field_ty(&f.ty);
                    if optional {
                        fty = fty.optional();
                    }
                    self.follow(field(e.clone(), &f.name), fty, depth - 1, out);
                }
            }
        }
        out.push((e, ty));
    }

    fn paths_of(&self, pred: impl Fn(&Ty) -> bool) -> Vec<(Expr, Ty)> {
        self.paths().into_iter().filter(|(_, t)| pred(t)).collect()
    }

    /// A literal of a type, when it has one.
    fn literal(&self, c: &mut Choices<'_>, ty: &Ty) -> Option<Expr> {
        Some(match ty.required() {
            Ty::Bool => expr(ExprKind::Bool(c.pick(2) == 1)),
            Ty::Int => expr(ExprKind::Int(c.pick(5) as i64 - 2)),
            Ty::Text => expr(ExprKind::Str(LITERAL_TEXTS[c.pick(3)].to_owned())),
            Ty::Enum(e) => {
                let def = self.schema.enum_def(*e)?;
                let v = &c.one(&def.variants)?.name;
                if c.chance(30) {
                    field(name(&def.name), v)
                } else {
                    name(v)
                }
            }
            Ty::List(elem) => {
                let len = c.pick(3);
                let mut items = Vec::new();
                for _ in 0..len {
                    items.push(self.operand(c, elem)?);
                }
                expr(ExprKind::List(items))
            }
            _ => return None,
        })
    }

    /// A value of a type: a path, or a literal.
    fn operand(&self, c: &mut Choices<'_>, ty: &Ty) -> Option<Expr> {
        let paths = self.paths_of(|t| same_type(t, ty));
        if !paths.is_empty() && (c.chance(50) || self.literal_free(ty)) {
            return c.one(&paths).map(|(e, _)| e.clone());
        }
        self.literal(c, ty)
    }

    fn literal_free(&self, ty: &Ty) -> bool {
        matches!(ty.required(), Ty::Entity(_))
    }

    fn condition(&mut self, c: &mut Choices<'_>, depth: usize) -> Expr {
        let options = if depth == 0 { 7 } else { 13 };
        let generated = match c.pick(options) {
            0 => self.bool_path(c),
            1 => self.equality(c),
            2 => self.has(c),
            3 => self.membership(c),
            4 => self.ordering(c, depth),
            11 | 12 if depth > 0 => self.join(c),
            5 | 6 if depth == 0 => self.join(c),
            5 => Some(expr(ExprKind::Not(Box::new(self.condition(c, depth - 1))))),
            6 => Some(binary(
                BinOp::And,
                self.condition(c, depth - 1),
                self.condition(c, depth - 1),
            )),
            7 => Some(binary(
                BinOp::Or,
                self.condition(c, depth - 1),
                self.condition(c, depth - 1),
            )),
            8 | 9 => self.quantifier(c, depth),
            _ => self.ordering(c, depth),
        };
        generated.unwrap_or_else(|| expr(ExprKind::Bool(c.pick(2) == 1)))
    }

    fn bool_path(&self, c: &mut Choices<'_>) -> Option<Expr> {
        let paths = self.paths_of(|t| *t.required() == Ty::Bool);
        c.one(&paths).map(|(e, _)| e.clone())
    }

    fn equality(&self, c: &mut Choices<'_>) -> Option<Expr> {
        let paths = self.paths();
        let (left, ty) = c.one(&paths)?.clone();
        let right = if c.chance(50) {
            self.literal(c, &ty).or_else(|| self.operand(c, &ty))?
        } else {
            self.operand(c, &ty)?
        };
        let op = if c.pick(2) == 0 { BinOp::Eq } else { BinOp::Ne };
        Some(if c.chance(30) {
            binary(op, right, left)
        } else {
            binary(op, left, right)
        })
    }

    /// A conjunct on a field of the innermost variable, `x.f == e` or
    /// `e in x.f`: the shape the planner turns into an index lookup when `e`
    /// comes from outside.
    fn join(&self, c: &mut Choices<'_>) -> Option<Expr> {
        let (var, ty) = self.scope.last()?.clone();
        let Ty::Entity(k) = ty.required() else {
            return self.equality(c);
        };
        let f = c.one(&self.schema.entity(*k)?.fields)?;
        let fty = field_ty(&f.ty);
        let member = field(name(&var), &f.name);
        if let Some(elem) = fty.element()
            && c.chance(50)
        {
            let element = self.operand(c, elem)?;
            return Some(binary(BinOp::In, element, member));
        }
        let other = self.operand(c, &fty)?;
        Some(if c.chance(30) {
            binary(BinOp::Eq, other, member)
        } else {
            binary(BinOp::Eq, member, other)
        })
    }

    fn has(&self, c: &mut Choices<'_>) -> Option<Expr> {
        let mut options = Vec::new();
        for (e, t) in self.paths() {
            if let Ty::Entity(k) = t.required()
                && let Some(def) = self.schema.entity(*k)
            {
                for f in &def.fields {
                    if matches!(f.ty, Type::Optional(_)) {
                        options.push((e.clone(), f.name.clone()));
                    }
                }
            }
        }
        let (e, f) = c.one(&options)?.clone();
        Some(expr(ExprKind::Has(Box::new(e), ident(&f))))
    }

    fn membership(&self, c: &mut Choices<'_>) -> Option<Expr> {
        let lists = self.paths_of(|t| t.element().is_some());
        let (list, element) = if !lists.is_empty() && c.chance(60) {
            let (l, t) = c.one(&lists)?.clone();
            (l, self.operand(c, t.element()?)?)
        } else {
            // A literal list needs a typed element to give its members an enum.
            let scalars = self.paths_of(|t| t.element().is_none());
            let (e, t) = c.one(&scalars)?.clone();
            let ty = Ty::List(Box::new(t.required().clone()));
            (self.literal(c, &ty)?, e)
        };
        let op = if c.pick(3) == 0 {
            BinOp::NotIn
        } else {
            BinOp::In
        };
        Some(binary(op, element, list))
    }

    fn int_operand(&mut self, c: &mut Choices<'_>, depth: usize) -> Option<Expr> {
        if depth > 0 && c.chance(40) {
            return self.count(c, depth);
        }
        self.operand(c, &Ty::Int)
    }

    fn ordering(&mut self, c: &mut Choices<'_>, depth: usize) -> Option<Expr> {
        let a = self.int_operand(c, depth)?;
        let b = self.int_operand(c, depth)?;
        let op = [
            BinOp::Lt,
            BinOp::Le,
            BinOp::Gt,
            BinOp::Ge,
            BinOp::Eq,
            BinOp::Ne,
        ][c.pick(6)];
        Some(binary(op, a, b))
    }

    /// A collection and the type of its members.
    fn collection(&self, c: &mut Choices<'_>) -> Option<(Expr, Ty)> {
        let lists = self.paths_of(|t| t.element().is_some());
        let (e, t) = c.one(&lists)?.clone();
        Some((e, t.element()?.clone()))
    }

    /// A variable name: usually fresh, sometimes shadowing a visible one.
    fn variable(&mut self, c: &mut Choices<'_>) -> String {
        let visible = self.visible();
        if c.chance(10)
            && let Some((n, _)) = c.one(&visible)
        {
            return n.clone();
        }
        self.fresh += 1;
        format!("x{}", self.fresh)
    }

    fn comprehension(
        &mut self,
        c: &mut Choices<'_>,
        depth: usize,
    ) -> Option<(Comprehension, usize)> {
        let (collection, elem) = self.collection(c)?;
        let var = self.variable(c);
        self.scope.push((var.clone(), elem));
        let filter = c.chance(60).then(|| self.condition(c, depth - 1));
        Some((
            Comprehension {
                var: ident(&var),
                collection,
                filter,
            },
            self.scope.len(),
        ))
    }

    fn quantifier(&mut self, c: &mut Choices<'_>, depth: usize) -> Option<Expr> {
        let (binding, _) = self.comprehension(c, depth)?;
        let kind = [QuantKind::Any, QuantKind::All, QuantKind::None][c.pick(3)];
        let body = (kind == QuantKind::All || c.chance(70)).then(|| self.condition(c, depth - 1));
        self.scope.pop();
        Some(expr(ExprKind::Quant(Box::new(Quantifier {
            kind,
            binding,
            body,
        }))))
    }

    fn count(&mut self, c: &mut Choices<'_>, depth: usize) -> Option<Expr> {
        let (binding, _) = self.comprehension(c, depth)?;
        self.scope.pop();
        Some(expr(ExprKind::Count(Box::new(binding))))
    }

    /// A value of any type, for a `let` or a template hole.
    fn any_value(&mut self, c: &mut Choices<'_>, depth: usize) -> Expr {
        match c.pick(4) {
            0 => {
                let paths = self.paths();
                c.one(&paths)
                    .map_or_else(|| expr(ExprKind::Int(1)), |(e, _)| e.clone())
            }
            1 => self
                .count(c, depth)
                .unwrap_or_else(|| expr(ExprKind::Int(0))),
            2 => self.condition(c, depth),
            _ => {
                let paths = self.paths();
                // Standing alone, a variant is written with its enum.
                let t = c.one(&paths).map(|(_, t)| t.clone());
                t.and_then(|t| match t.required() {
                    Ty::Enum(e) => {
                        let def = self.schema.enum_def(*e)?;
                        let v = &c.one(&def.variants)?.name;
                        Some(field(name(&def.name), v))
                    }
                    Ty::List(_) => None,
                    _ => self.literal(c, &t),
                })
                .unwrap_or_else(|| expr(ExprKind::Str("s".to_owned())))
            }
        }
    }

    fn type_of(&mut self, e: &Expr) -> Ty {
        // Only the shapes `any_value` produces need a type here.
        match &e.kind {
            ExprKind::Count(_) | ExprKind::Int(_) => Ty::Int,
            ExprKind::Str(_) => Ty::Text,
            ExprKind::Bool(_)
            | ExprKind::Binary(..)
            | ExprKind::Not(_)
            | ExprKind::Quant(_)
            | ExprKind::Has(..) => Ty::Bool,
            _ => self
                .paths()
                .into_iter()
                .find(|(p, _)| p == e)
                .map_or(Ty::Unknown, |(_, t)| t),
        }
    }

    fn template(&mut self, c: &mut Choices<'_>) -> Template {
        let mut parts = vec![TemplatePart::Text("t ".to_owned())];
        for _ in 0..c.pick(3) {
            let hole = self.any_value(c, 1);
            parts.push(TemplatePart::Hole(hole));
            parts.push(TemplatePart::Text(" ".to_owned()));
        }
        Template {
            parts,
            span: Span::default(),
        }
    }

    fn norm(&mut self, c: &mut Choices<'_>, id: usize) -> NormDecl {
        self.scope.clear();
        let for_clause = if c.pick(5) > 0 {
            let k = c.pick(self.schema.entities.len());
            let var = self.variable(c);
            self.scope.push((var.clone(), Ty::Entity(KindId(k as u32))));
            let filter = c.chance(50).then(|| self.condition(c, 1));
            Some(ForClause {
                var: ident(&var),
                kind: ident(&format!("k{k}")),
                filter,
                span: Span::default(),
            })
        } else {
            None
        };
        let mut lets = Vec::new();
        for _ in 0..c.pick(3) {
            let value = self.any_value(c, 1);
            let ty = self.type_of(&value);
            self.fresh += 1;
            let n = format!("l{}", self.fresh);
            lets.push(Let {
                name: ident(&n),
                value,
                span: Span::default(),
            });
            if ty != Ty::Unknown {
                self.scope.push((n, ty));
            }
        }
        let require = self.condition(c, 3);
        let message = c.chance(70).then(|| self.template(c));
        let help = c.chance(40).then(|| self.template(c));
        let meta = if c.chance(30) {
            vec![MetaEntry {
                key: MetaKey::Severity,
                key_span: Span::default(),
                value: MetaValue::Severity(Severity::ALL[c.pick(3)], Span::default()),
                span: Span::default(),
            }]
        } else {
            Vec::new()
        };
        NormDecl {
            doc: c.chance(50).then(|| Doc {
                lines: vec!["summary".to_owned()],
                span: Span::default(),
            }),
            id: NormId {
                text: format!("n{id}"),
                span: Span::new(id as u32, id as u32 + 1),
            },
            meta,
            for_clause,
            lets,
            require: Some(require),
            message,
            help,
            open_brace: Span::default(),
            span: Span::default(),
        }
    }
}

fn same_type(a: &Ty, b: &Ty) -> bool {
    match (a.required(), b.required()) {
        (Ty::List(x), Ty::List(y)) => same_type(x, y),
        (x, y) => x == y,
    }
}

struct Case {
    schema: Schema,
    facts: Facts,
    ast: Ast,
}

fn case(data: &[u16]) -> Case {
    let mut c = Choices { data, pos: 0 };
    let schema = schema(&mut c);
    let facts = facts(&mut c, &schema);
    let mut generator = NormGen {
        schema: &schema,
        scope: Vec::new(),
        fresh: 0,
    };
    let norms = 1 + c.pick(3);
    let items = (0..norms)
        .map(|i| Item::Norm(generator.norm(&mut c, i)))
        .collect();
    let ast = Ast {
        items,
        comments: Vec::new(),
    };
    Case { schema, facts, ast }
}

fn cases() -> u32 {
    std::env::var("LACUNA_AGREEMENT_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

fn describe(case: &Case) -> String {
    format!(
        "norms:\n{}\nfacts:\n{}",
        lacuna_syntax::format(&case.ast, ""),
        lacuna_model::dump(&case.schema, &case.facts)
    )
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        max_shrink_iters: 20_000,
        // Failures print their minimal input; the case is rebuilt from it.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn planned_and_reference_evaluators_agree(data in prop::collection::vec(any::<u16>(), 0..400)) {
        let case = case(&data);
        let files = [(SourceId(0), &case.ast)];
        let (program, errors) = lacuna_eval::check_rules(&case.schema, &files);
        let errors: Vec<String> = errors.iter().filter(|e| e.is_error()).map(ToString::to_string).collect();
        prop_assert!(errors.is_empty(), "generated norms do not check: {errors:?}\n{}", describe(&case));
        let planned = lacuna_eval::evaluate(&program, &case.schema, &case.facts);
        let reference = lacuna_eval::reference::evaluate(&program, &case.schema, &case.facts);
        prop_assert_eq!(&planned, &reference, "\n{}", describe(&case));
    }
}

/// The generator is not degenerate: across a fixed set of inputs it produces
/// findings, near misses and every kind of quantifier.
#[test]
fn generated_cases_exercise_the_evaluator() {
    let mut findings = 0;
    let mut evidence = 0;
    let mut quantifiers = [0usize; 3];
    for seed in 0..300u16 {
        let data: Vec<u16> = (0..400u32)
            .map(|i| {
                (u32::from(seed)
                    .wrapping_mul(2_654_435_761)
                    .wrapping_add(i.wrapping_mul(40_503))
                    >> 7) as u16
            })
            .collect();
        let case = case(&data);
        let source = lacuna_syntax::format(&case.ast, "");
        quantifiers[0] += source.matches("any ").count();
        quantifiers[1] += source.matches("all ").count();
        quantifiers[2] += source.matches("none ").count();
        let files = [(SourceId(0), &case.ast)];
        let (program, _) = lacuna_eval::check_rules(&case.schema, &files);
        let found = lacuna_eval::evaluate(&program, &case.schema, &case.facts);
        findings += found.len();
        evidence += found.iter().map(|f| f.evidence.len()).sum::<usize>();
    }
    assert!(findings > 100, "only {findings} findings");
    assert!(evidence > 100, "only {evidence} pieces of evidence");
    assert!(
        quantifiers.iter().all(|q| *q > 20),
        "quantifiers: {quantifiers:?}"
    );
}
