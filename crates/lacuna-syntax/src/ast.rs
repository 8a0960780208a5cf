//! The syntax tree of a `.norm` file.
//!
//! A plain value type: every node owns its data and carries the byte [`Span`]
//! it was parsed from. Nothing here is resolved (a name is just a name) and no
//! evaluation result is ever stored in it; resolution builds a separate typed
//! program. Parts that a broken file may lack are `Option`s, so a file with
//! syntax errors still yields every node that could be understood.
//!
//! Equality (`PartialEq`) compares spans too; use [`Ast::without_spans`] to
//! compare trees that differ only in layout.

use crate::span::Span;

/// A parsed `.norm` file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ast {
    /// Declarations in source order.
    pub items: Vec<Item>,
    /// Every ordinary (non-doc) comment in source order, kept so that the
    /// formatter can put each one back.
    pub comments: Vec<Comment>,
}

/// A `//` or `/* */` comment. Doc comments (`///`) belong to the node they document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The whole comment, delimiters included, exactly as written.
    pub text: String,
    pub kind: CommentKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CommentKind {
    Line,
    Block,
}

/// A name as written, with its span.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// Consecutive `///` lines. `lines` hold the text after `///` with one leading
/// space removed; an empty line separates paragraphs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Doc {
    pub lines: Vec<String>,
    pub span: Span,
}

// A file holds a few dozen items, so boxing the large `Norm` variant would buy
// nothing but indirection for every consumer.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    Enum(EnumDecl),
    Entity(EntityDecl),
    Norm(NormDecl),
}

/// `enum area { refugees, irregular, labour }`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumDecl {
    pub doc: Option<Doc>,
    pub name: Ident,
    pub variants: Vec<Variant>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variant {
    pub doc: Option<Doc>,
    pub name: Ident,
    pub span: Span,
}

/// How the entities of one kind are written in a proposal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum EntityShape {
    /// `entity group { .. }`: a table of entities keyed by id, `[group.refugees]`.
    #[default]
    Keyed,
    /// `entity mandate (list) { .. }`: an array of tables without ids, `[[mandate]]`.
    List,
    /// `entity proposal (singleton) { .. }`: exactly one table, `[proposal]`.
    Singleton,
}

/// `entity actor { kind: actor_kind  field_presence: bool = false }`, or with
/// the names a reader knows the kind by:
/// `entity coordination "coordination mechanism" "coordination mechanisms" { .. }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityDecl {
    pub doc: Option<Doc>,
    pub name: Ident,
    /// What one entity of the kind is called in evidence: `"coordination mechanism"`.
    pub label: Option<StrLit>,
    /// What several are called: `"coordination mechanisms"`. Only with a label.
    pub plural: Option<StrLit>,
    pub shape: EntityShape,
    /// The span of `(list)` or `(singleton)` when written.
    pub shape_span: Option<Span>,
    pub fields: Vec<FieldDecl>,
    pub span: Span,
}

/// `field_presence: bool = false`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldDecl {
    pub doc: Option<Doc>,
    pub name: Ident,
    /// `None` when the type is missing (`name:` followed by nothing usable).
    pub ty: Option<TypeExpr>,
    /// The default value, a constant expression checked during resolution.
    pub default: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeExpr {
    pub kind: TypeKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeKind {
    /// `bool`, `int`, `text`, or the name of an enum or entity kind.
    Named(Ident),
    /// `[T]`
    List(Box<TypeExpr>),
    /// `T?`
    Optional(Box<TypeExpr>),
}

/// `norm protection.coverage { .. }`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NormDecl {
    pub doc: Option<Doc>,
    pub id: NormId,
    pub meta: Vec<MetaEntry>,
    /// `for g in group where g.vulnerable`; absent for a norm over the whole proposal.
    pub for_clause: Option<ForClause>,
    pub lets: Vec<Let>,
    /// `None` when the norm has no `require` (a syntax error, kept for recovery).
    pub require: Option<Expr>,
    /// `else "..."`: the finding's message.
    pub message: Option<Template>,
    /// `help "..."`: how to fix it.
    pub help: Option<Template>,
    /// The span of the opening `{`, for "expected `}` to close the norm opened here".
    pub open_brace: Span,
    pub span: Span,
}

/// A dotted norm id such as `protection.coverage`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NormId {
    /// The id as written, segments joined by `.`.
    pub text: String,
    pub span: Span,
}

/// `severity: error`, `serves: [rights, security]`, `source: "Betts 2010, Recommendation 1"`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetaEntry {
    pub key: MetaKey,
    pub key_span: Span,
    pub value: MetaValue,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MetaKey {
    Severity,
    Serves,
    Perspective,
    Source,
    Tags,
}

impl MetaKey {
    pub const ALL: [MetaKey; 5] = [
        MetaKey::Severity,
        MetaKey::Serves,
        MetaKey::Perspective,
        MetaKey::Source,
        MetaKey::Tags,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            MetaKey::Severity => "severity",
            MetaKey::Serves => "serves",
            MetaKey::Perspective => "perspective",
            MetaKey::Source => "source",
            MetaKey::Tags => "tags",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MetaValue {
    /// `severity: error`. The parser rejects unknown severities with a suggestion.
    Severity(Severity, Span),
    /// `serves: rights` or `perspective: [migrants, destination_states]`: names
    /// checked against the schema's `value` and `perspective` enums during resolution.
    Names(Vec<Ident>),
    /// `source: "Betts 2010, Recommendation 1"`
    Str(StrLit),
    /// `tags: ["protection", "field"]`
    Strs(Vec<StrLit>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    pub fn from_name(name: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// The severity of a miette diagnostic: the one mapping every stage and
    /// every format uses. A diagnostic without one is an error, and miette's
    /// advice is `info`.
    pub fn of_miette(severity: Option<miette::Severity>) -> Severity {
        match severity {
            Some(miette::Severity::Warning) => Severity::Warning,
            Some(miette::Severity::Advice) => Severity::Info,
            Some(miette::Severity::Error) | None => Severity::Error,
        }
    }
}

/// A string literal: `value` is the decoded text, `span` covers the quotes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StrLit {
    pub value: String,
    pub span: Span,
}

/// `for g in group where g.vulnerable`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForClause {
    pub var: Ident,
    /// The entity kind iterated over.
    pub kind: Ident,
    pub filter: Option<Expr>,
    pub span: Span,
}

/// `let n = count(m in mandate: m.group == g)`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Let {
    pub name: Ident,
    pub value: Expr,
    pub span: Span,
}

/// A message or help template: text with `{expr}` holes. `{{` and `}}` are literal braces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
    /// Covers the string literal, quotes included.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplatePart {
    /// Decoded literal text.
    Text(String),
    /// `{g.name}`; the expression's spans point into the file, inside the string.
    Hole(Expr),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExprKind {
    Bool(bool),
    Int(i64),
    Str(String),
    /// A variable, an entity kind (as a collection), or an enum variant; resolution decides.
    Name(Ident),
    /// `base.field`
    Field(Box<Expr>, Ident),
    /// `x has field`: the optional `field` of `x` is set.
    Has(Box<Expr>, Ident),
    /// `[a, b, c]`
    List(Vec<Expr>),
    Not(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `any m in mandate where m.group == g: m.actor.field_presence`
    Quant(Box<Quantifier>),
    /// `count(m in mandate: m.function == protection)`
    Count(Box<Comprehension>),
    /// A hole left by error recovery where an expression was expected.
    Error,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
}

impl BinOp {
    pub const fn as_str(self) -> &'static str {
        match self {
            BinOp::Or => "or",
            BinOp::And => "and",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::In => "in",
            BinOp::NotIn => "not in",
        }
    }

    /// Binding strength: `or` < `and` < comparisons. `not` binds tighter than
    /// `and` and looser than comparisons.
    pub fn precedence(self) -> u8 {
        match self {
            BinOp::Or => 1,
            BinOp::And => 2,
            _ => 4,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QuantKind {
    Any,
    All,
    None,
}

impl QuantKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            QuantKind::Any => "any",
            QuantKind::All => "all",
            QuantKind::None => "none",
        }
    }
}

/// `any|all|none VAR in COLLECTION [where FILTER] [: BODY]`
///
/// Without a body the quantifier asks only about the filtered members:
/// `any f in forum where f.permanent` is true when such a forum exists.
/// The body extends as far right as possible, so a quantifier combined with
/// `and`/`or` on its right needs parentheses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quantifier {
    pub kind: QuantKind,
    pub binding: Comprehension,
    pub body: Option<Expr>,
}

/// `VAR in COLLECTION [where FILTER]`, shared by quantifiers and `count(..)`.
/// `count(m in mandate: cond)` is written with `:`, which means the same as `where`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comprehension {
    pub var: Ident,
    /// An entity kind name or a list-valued path such as `c.members`.
    pub collection: Expr,
    pub filter: Option<Expr>,
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::Enum(e) => e.span,
            Item::Entity(e) => e.span,
            Item::Norm(n) => n.span,
        }
    }
}
