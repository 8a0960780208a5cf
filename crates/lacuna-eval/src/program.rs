//! The checked program: norms with resolved names and typed expressions.
//!
//! [`check_rules`](crate::check_rules) builds it from the syntax tree; the
//! tree itself stays untouched. Every name here is resolved: variables are
//! slots in an environment, fields are [`FieldId`]s of a known kind, enum
//! variants are indices. Spans point into the `.norm` file the norm comes
//! from, which [`Norm::origin`] names.

use std::fmt::{self, Write as _};

use lacuna_model::{EnumId, FieldId, KindId, Origin, Schema};
use lacuna_syntax::Span;
use lacuna_syntax::ast::{QuantKind, Severity};

use crate::plan::Plan;

/// Every norm that passed checking, in file order then source order.
#[derive(Clone, Debug, Default)]
pub struct Program {
    pub norms: Vec<Norm>,
    /// The distinct text literals of all norms; [`ExprKind::Text`] indexes it.
    pub(crate) texts: Vec<String>,
    /// How many comprehensions (quantifiers and counts) the program holds;
    /// each has a dense [`CompId`] below this bound.
    pub(crate) comps: u32,
}

impl Program {
    /// The norm with this id.
    pub fn norm(&self, id: &str) -> Option<&Norm> {
        self.norms.iter().find(|n| n.id == id)
    }

    /// The text literal behind an id.
    pub fn text(&self, id: TextId) -> &str {
        self.texts.get(id.0 as usize).map_or("", String::as_str)
    }
}

/// One checked norm.
#[derive(Clone, Debug)]
pub struct Norm {
    /// The id as written: `protection.coverage`.
    pub id: String,
    pub severity: Severity,
    /// Variants of enum `value`, as written.
    pub serves: Vec<String>,
    /// Variants of enum `perspective`, as written.
    pub perspective: Vec<String>,
    pub source: Option<String>,
    pub tags: Vec<String>,
    /// The norm's id in its `.norm` file.
    pub origin: Origin,
    /// The doc comment, lines joined with `\n`.
    pub doc: Option<String>,
    /// `for VAR in KIND [where FILTER]`; `None` for a norm over the whole proposal.
    pub subject: Option<SubjectClause>,
    /// `let` bindings in order; each may use the subject and earlier ones.
    pub lets: Vec<LetBinding>,
    /// The `require` condition.
    pub condition: Expr,
    /// `else "..."`.
    pub message: Option<Template>,
    /// `help "..."`.
    pub help: Option<Template>,
    /// How many variable slots an evaluation of this norm needs.
    pub(crate) slots: u32,
}

impl Norm {
    /// The first line of the doc comment, which serves as the message of a
    /// norm without `else`.
    pub fn summary(&self) -> Option<&str> {
        self.doc
            .as_deref()
            .and_then(|d| d.lines().map(str::trim).find(|l| !l.is_empty()))
    }

    /// The names of every variable the norm binds: its subject, its `let`s,
    /// and the variables of its quantifiers and counts, in writing order,
    /// each once.
    pub fn variables(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        let mut found: Vec<&Var> = Vec::new();
        if let Some(subject) = &self.subject {
            found.push(&subject.var);
            if let Some(filter) = &subject.filter {
                expr_variables(filter, &mut found);
            }
        }
        for l in &self.lets {
            found.push(&l.var);
            expr_variables(&l.value, &mut found);
        }
        expr_variables(&self.condition, &mut found);
        for template in self.message.iter().chain(&self.help) {
            for part in &template.parts {
                if let TemplatePart::Hole(e) = part {
                    expr_variables(e, &mut found);
                }
            }
        }
        for var in found {
            if !names.contains(&var.name.as_str()) {
                names.push(&var.name);
            }
        }
        names
    }
}

/// Appends the variables an expression's quantifiers and counts bind.
fn expr_variables<'a>(e: &'a Expr, out: &mut Vec<&'a Var>) {
    each_comp(e, &mut |comp| out.push(&comp.var));
}

/// Calls `f` on every comprehension in `e`, each before the ones nested in
/// its collection, its filter and its body, in the order they are written.
pub(crate) fn each_comp<'a>(e: &'a Expr, f: &mut impl FnMut(&'a Comp)) {
    match &e.kind {
        ExprKind::Bool(_)
        | ExprKind::Int(_)
        | ExprKind::Text(_)
        | ExprKind::Variant(..)
        | ExprKind::Var(_)
        | ExprKind::Kind(_)
        | ExprKind::Singleton(_) => {}
        ExprKind::Field(base, _) | ExprKind::Has(base, _) | ExprKind::Not(base) => {
            each_comp(base, f);
        }
        ExprKind::List(items) => items.iter().for_each(|i| each_comp(i, f)),
        ExprKind::And(a, b)
        | ExprKind::Or(a, b)
        | ExprKind::Compare(_, a, b)
        | ExprKind::In(a, b)
        | ExprKind::NotIn(a, b) => {
            each_comp(a, f);
            each_comp(b, f);
        }
        ExprKind::Quant(q) => {
            comp_and_nested(&q.comp, f);
            q.body.iter().for_each(|c| each_comp(c, f));
        }
        ExprKind::Count(comp) => comp_and_nested(comp, f),
    }
}

fn comp_and_nested<'a>(comp: &'a Comp, f: &mut impl FnMut(&'a Comp)) {
    f(comp);
    if let Collection::Path(p) = &comp.collection {
        each_comp(p, f);
    }
    comp.filter.iter().for_each(|c| each_comp(c, f));
}

/// `for g in group where g.vulnerable`
#[derive(Clone, Debug)]
pub struct SubjectClause {
    pub var: Var,
    pub kind: KindId,
    pub filter: Option<Expr>,
}

/// `let n = EXPR`
#[derive(Clone, Debug)]
pub struct LetBinding {
    pub var: Var,
    pub value: Expr,
}

/// A message or help template.
#[derive(Clone, Debug)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
}

#[derive(Clone, Debug)]
pub enum TemplatePart {
    Text(String),
    Hole(Expr),
}

/// A variable: its slot in the environment and its name for display.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Var {
    pub slot: u32,
    pub name: String,
}

/// The type of an expression.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    Bool,
    Int,
    Text,
    Enum(EnumId),
    /// One entity of a kind.
    Entity(KindId),
    List(Box<Ty>),
    /// May be absent: reached through an optional field.
    Optional(Box<Ty>),
    /// The elements of an empty list, or an expression that could not be
    /// checked; fits every other type so that one mistake is reported once.
    Unknown,
}

impl Ty {
    /// The type without its optional wrapper.
    pub fn required(&self) -> &Ty {
        match self {
            Ty::Optional(inner) => inner.required(),
            other => other,
        }
    }

    pub fn is_optional(&self) -> bool {
        matches!(self, Ty::Optional(_))
    }

    /// `T?` for a required `T`; an optional type stays as it is.
    pub fn optional(self) -> Ty {
        match self {
            Ty::Optional(_) | Ty::Unknown => self,
            other => Ty::Optional(Box::new(other)),
        }
    }

    /// The element type of a list, looking through an optional wrapper.
    pub fn element(&self) -> Option<&Ty> {
        match self.required() {
            Ty::List(elem) => Some(elem),
            _ => None,
        }
    }

    /// The type as a norm writes it: `area`, `[actor]`, `text?`.
    pub fn display<'a>(&'a self, schema: &'a Schema) -> impl fmt::Display + 'a {
        TyDisplay { ty: self, schema }
    }

    /// Whether a value of this type can be compared with `==` to one of `other`.
    pub(crate) fn comparable(&self, other: &Ty) -> bool {
        match (self.required(), other.required()) {
            (Ty::Unknown, _) | (_, Ty::Unknown) => true,
            (Ty::List(a), Ty::List(b)) => a.comparable(b),
            (a, b) => a == b,
        }
    }
}

struct TyDisplay<'a> {
    ty: &'a Ty,
    schema: &'a Schema,
}

impl fmt::Display for TyDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.ty {
            Ty::Bool => f.write_str("bool"),
            Ty::Int => f.write_str("int"),
            Ty::Text => f.write_str("text"),
            Ty::Enum(id) => f.write_str(self.schema.enum_def(*id).map_or("?", |e| &e.name)),
            Ty::Entity(id) => f.write_str(self.schema.entity(*id).map_or("?", |e| &e.name)),
            Ty::List(elem) => write!(f, "[{}]", elem.display(self.schema)),
            Ty::Optional(inner) => write!(f, "{}?", inner.display(self.schema)),
            Ty::Unknown => f.write_str("unknown"),
        }
    }
}

/// A typed expression.
#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub ty: Ty,
    pub span: Span,
}

/// Index of a text literal in the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TextId(pub u32);

/// Dense id of a comprehension (quantifier or count) in the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CompId(pub u32);

#[derive(Clone, Debug)]
pub enum ExprKind {
    Bool(bool),
    Int(i64),
    Text(TextId),
    Variant(EnumId, u32),
    Var(Var),
    /// Every entity of a kind, as a list.
    Kind(KindId),
    /// The one entity of a singleton kind, as the base of a field access
    /// (`proposal.title`); absent when the proposal has none.
    Singleton(KindId),
    Field(Box<Expr>, FieldRef),
    /// `x has field`.
    Has(Box<Expr>, FieldRef),
    /// `[a, b]`; elements that are absent are left out.
    List(Vec<Expr>),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Compare(CmpOp, Box<Expr>, Box<Expr>),
    In(Box<Expr>, Box<Expr>),
    NotIn(Box<Expr>, Box<Expr>),
    Quant(Box<Quant>),
    Count(Box<Comp>),
}

/// A field of a kind, with its name for display.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldRef {
    pub kind: KindId,
    pub id: FieldId,
    pub name: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// `any|all|none VAR in COLLECTION [where FILTER] [: BODY]`.
#[derive(Clone, Debug)]
pub struct Quant {
    pub kind: QuantKind,
    pub comp: Comp,
    /// The body's conjuncts (`a and b` is `[a, b]`); empty without a body.
    pub body: Vec<Expr>,
}

/// `VAR in COLLECTION [where FILTER]`, shared by quantifiers and `count`.
#[derive(Clone, Debug)]
pub struct Comp {
    pub id: CompId,
    pub var: Var,
    pub collection: Collection,
    /// The filter's conjuncts; empty without a filter.
    pub filter: Vec<Expr>,
    pub span: Span,
    /// How the planned evaluator narrows the members: filled by the checker.
    pub(crate) plan: Plan,
}

/// What a quantifier ranges over.
#[derive(Clone, Debug)]
pub enum Collection {
    /// Every entity of a kind, in source order.
    Kind(KindId),
    /// The members of a list value, in list order.
    Path(Expr),
}

impl Expr {
    /// The expression as a norm would write it, for evidence messages.
    pub fn to_source(&self, program: &Program, schema: &Schema) -> String {
        let mut out = String::new();
        write_expr(&mut out, self, program, schema, 0);
        out
    }

    /// A short form for messages. A count keeps its filter and a quantifier
    /// its filter but not its body (written `: …`), so that a message says
    /// which members are meant without repeating the whole norm; a filter
    /// longer than about forty characters is cut after the conjuncts that
    /// fit, with `…` for the rest.
    pub fn to_short_source(&self, program: &Program, schema: &Schema) -> String {
        let mut out = String::new();
        self.write_short_source(&mut out, program, schema);
        out
    }

    /// Appends [`Expr::to_short_source`] to `out`.
    pub(crate) fn write_short_source(&self, out: &mut String, program: &Program, schema: &Schema) {
        match &self.kind {
            ExprKind::Count(comp) => {
                out.push_str("count(");
                write_binding(out, comp, program, schema);
                if !comp.filter.is_empty() {
                    out.push_str(" where ");
                    let _ = write_conjuncts(out, &comp.filter, program, schema);
                }
                out.push(')');
            }
            ExprKind::Quant(q) => {
                out.push_str(q.kind.as_str());
                out.push(' ');
                write_binding(out, &q.comp, program, schema);
                if !q.comp.filter.is_empty() {
                    out.push_str(" where ");
                    let _ = write_conjuncts(out, &q.comp.filter, program, schema);
                }
                if !q.body.is_empty() {
                    out.push_str(": …");
                }
            }
            _ => write_expr(out, self, program, schema, 0),
        }
    }
}

/// How many bytes of conjuncts a short form shows before cutting the rest.
const SHORT_CONJUNCTS: usize = 40;

/// Appends conjuncts joined by `and`, cut after those that fit in
/// [`SHORT_CONJUNCTS`] bytes: `x.kind == rcp and …`. A first conjunct that
/// is too long on its own is shown as `…`, or in short form when it is a
/// quantifier or a count, whose binding says the most about it. Returns
/// whether the conjuncts are written in full.
pub(crate) fn write_conjuncts(
    out: &mut String,
    conj: &[Expr],
    program: &Program,
    schema: &Schema,
) -> bool {
    let start = out.len();
    for (i, c) in conj.iter().enumerate() {
        let before = out.len();
        if i > 0 {
            out.push_str(" and ");
        }
        write_expr(out, c, program, schema, 3);
        if out.len() - start > SHORT_CONJUNCTS {
            out.truncate(before);
            if i > 0 {
                out.push_str(" and …");
            } else if matches!(c.kind, ExprKind::Quant(_) | ExprKind::Count(_)) {
                c.write_short_source(out, program, schema);
            } else {
                out.push('…');
            }
            return false;
        }
    }
    true
}

impl Comp {
    /// The collection as written: `mandate`, `c.members`.
    pub fn collection_source(&self, program: &Program, schema: &Schema) -> String {
        let mut out = String::new();
        self.write_collection_source(&mut out, program, schema);
        out
    }

    /// Appends [`Comp::collection_source`] to `out`.
    pub(crate) fn write_collection_source(
        &self,
        out: &mut String,
        program: &Program,
        schema: &Schema,
    ) {
        match &self.collection {
            Collection::Kind(k) => out.push_str(kind_name(schema, *k)),
            Collection::Path(e) => write_expr(out, e, program, schema, 0),
        }
    }
}

pub(crate) fn kind_name(schema: &Schema, kind: KindId) -> &str {
    schema.entity(kind).map_or("?", |e| e.name.as_str())
}

/// Binding strength used to decide where the printer needs parentheses.
fn precedence(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Quant(_) => 0,
        ExprKind::Or(..) => 1,
        ExprKind::And(..) => 2,
        ExprKind::Not(_) => 3,
        ExprKind::Compare(..) | ExprKind::In(..) | ExprKind::NotIn(..) | ExprKind::Has(..) => 4,
        _ => 5,
    }
}

fn write_expr(out: &mut String, e: &Expr, program: &Program, schema: &Schema, min: u8) {
    let parens = precedence(e) < min;
    if parens {
        out.push('(');
    }
    match &e.kind {
        ExprKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        ExprKind::Int(i) => {
            let _ = write!(out, "{i}");
        }
        ExprKind::Text(id) => {
            let _ = write!(out, "{:?}", program.text(*id));
        }
        ExprKind::Variant(en, v) => {
            out.push_str(schema.enum_def(*en).map_or("?", |d| d.variant_name(*v)));
        }
        ExprKind::Var(var) => out.push_str(&var.name),
        ExprKind::Kind(k) | ExprKind::Singleton(k) => out.push_str(kind_name(schema, *k)),
        ExprKind::Field(base, field) => {
            write_expr(out, base, program, schema, 5);
            out.push('.');
            out.push_str(&field.name);
        }
        ExprKind::Has(base, field) => {
            write_expr(out, base, program, schema, 5);
            out.push_str(" has ");
            out.push_str(&field.name);
        }
        ExprKind::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_expr(out, item, program, schema, 0);
            }
            out.push(']');
        }
        ExprKind::Not(inner) => {
            out.push_str("not ");
            write_expr(out, inner, program, schema, 3);
        }
        ExprKind::And(a, b) => {
            write_expr(out, a, program, schema, 2);
            out.push_str(" and ");
            write_expr(out, b, program, schema, 3);
        }
        ExprKind::Or(a, b) => {
            write_expr(out, a, program, schema, 1);
            out.push_str(" or ");
            write_expr(out, b, program, schema, 2);
        }
        ExprKind::Compare(op, a, b) => {
            write_expr(out, a, program, schema, 5);
            let _ = write!(out, " {} ", op.as_str());
            write_expr(out, b, program, schema, 5);
        }
        ExprKind::In(a, b) | ExprKind::NotIn(a, b) => {
            write_expr(out, a, program, schema, 5);
            out.push_str(if matches!(e.kind, ExprKind::In(..)) {
                " in "
            } else {
                " not in "
            });
            write_expr(out, b, program, schema, 5);
        }
        ExprKind::Quant(q) => {
            out.push_str(q.kind.as_str());
            out.push(' ');
            write_binding(out, &q.comp, program, schema);
            write_filter(out, &q.comp.filter, program, schema, " where ");
            write_filter(out, &q.body, program, schema, ": ");
        }
        ExprKind::Count(comp) => {
            out.push_str("count(");
            write_binding(out, comp, program, schema);
            write_filter(out, &comp.filter, program, schema, " where ");
            out.push(')');
        }
    }
    if parens {
        out.push(')');
    }
}

fn write_binding(out: &mut String, comp: &Comp, program: &Program, schema: &Schema) {
    out.push_str(&comp.var.name);
    out.push_str(" in ");
    match &comp.collection {
        Collection::Kind(k) => out.push_str(kind_name(schema, *k)),
        Collection::Path(p) => write_expr(out, p, program, schema, 5),
    }
}

fn write_filter(out: &mut String, conj: &[Expr], program: &Program, schema: &Schema, lead: &str) {
    for (i, c) in conj.iter().enumerate() {
        out.push_str(if i == 0 { lead } else { " and " });
        write_expr(out, c, program, schema, 3);
    }
}
