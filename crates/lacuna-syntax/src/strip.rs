//! Copies of syntax trees without layout, for comparing trees that differ only
//! in where their text sits.
//!
//! Property tests and the formatter's own safety check compare
//! `parse(format(ast))` with `ast`: the two trees must be equal once every
//! byte span is forgotten.

use crate::ast::{
    Ast, Comment, Comprehension, Doc, EntityDecl, EnumDecl, Expr, ExprKind, FieldDecl, ForClause,
    Ident, Item, Let, MetaEntry, MetaValue, NormDecl, NormId, Quantifier, StrLit, Template,
    TemplatePart, TypeExpr, TypeKind, Variant,
};
use crate::span::Span;

impl Ast {
    /// A copy of this tree with every span set to `Span::default()`.
    ///
    /// Comments are kept, in order, with their text and kind but a zero span:
    /// two trees are equal without spans when they declare the same things
    /// and carry the same comments in the same order, wherever those comments
    /// sit.
    #[must_use]
    pub fn without_spans(&self) -> Ast {
        Ast {
            items: self.items.iter().map(item).collect(),
            comments: self.comments.iter().map(comment).collect(),
        }
    }
}

fn comment(c: &Comment) -> Comment {
    Comment {
        text: c.text.clone(),
        kind: c.kind,
        span: Span::default(),
    }
}

fn ident(i: &Ident) -> Ident {
    Ident {
        name: i.name.clone(),
        span: Span::default(),
    }
}

fn doc(d: &Option<Doc>) -> Option<Doc> {
    d.as_ref().map(|d| Doc {
        lines: d.lines.clone(),
        span: Span::default(),
    })
}

fn item(i: &Item) -> Item {
    match i {
        Item::Enum(e) => Item::Enum(enum_decl(e)),
        Item::Entity(e) => Item::Entity(entity_decl(e)),
        Item::Norm(n) => Item::Norm(norm_decl(n)),
    }
}

fn enum_decl(e: &EnumDecl) -> EnumDecl {
    EnumDecl {
        doc: doc(&e.doc),
        name: ident(&e.name),
        variants: e
            .variants
            .iter()
            .map(|v| Variant {
                doc: doc(&v.doc),
                name: ident(&v.name),
                span: Span::default(),
            })
            .collect(),
        span: Span::default(),
    }
}

fn entity_decl(e: &EntityDecl) -> EntityDecl {
    EntityDecl {
        doc: doc(&e.doc),
        name: ident(&e.name),
        label: e.label.as_ref().map(str_lit),
        plural: e.plural.as_ref().map(str_lit),
        shape: e.shape,
        shape_span: e.shape_span.map(|_| Span::default()),
        fields: e.fields.iter().map(field).collect(),
        span: Span::default(),
    }
}

fn field(f: &FieldDecl) -> FieldDecl {
    FieldDecl {
        doc: doc(&f.doc),
        name: ident(&f.name),
        ty: f.ty.as_ref().map(type_expr),
        default: f.default.as_ref().map(expr),
        span: Span::default(),
    }
}

fn type_expr(t: &TypeExpr) -> TypeExpr {
    let kind = match &t.kind {
        TypeKind::Named(name) => TypeKind::Named(ident(name)),
        TypeKind::List(inner) => TypeKind::List(Box::new(type_expr(inner))),
        TypeKind::Optional(inner) => TypeKind::Optional(Box::new(type_expr(inner))),
    };
    TypeExpr {
        kind,
        span: Span::default(),
    }
}

fn norm_decl(n: &NormDecl) -> NormDecl {
    NormDecl {
        doc: doc(&n.doc),
        id: NormId {
            text: n.id.text.clone(),
            span: Span::default(),
        },
        meta: n.meta.iter().map(meta_entry).collect(),
        for_clause: n.for_clause.as_ref().map(|f| ForClause {
            var: ident(&f.var),
            kind: ident(&f.kind),
            filter: f.filter.as_ref().map(expr),
            span: Span::default(),
        }),
        lets: n
            .lets
            .iter()
            .map(|l| Let {
                name: ident(&l.name),
                value: expr(&l.value),
                span: Span::default(),
            })
            .collect(),
        require: n.require.as_ref().map(expr),
        message: n.message.as_ref().map(template),
        help: n.help.as_ref().map(template),
        open_brace: Span::default(),
        span: Span::default(),
    }
}

fn meta_entry(m: &MetaEntry) -> MetaEntry {
    let value = match &m.value {
        MetaValue::Severity(severity, _) => MetaValue::Severity(*severity, Span::default()),
        MetaValue::Names(names) => MetaValue::Names(names.iter().map(ident).collect()),
        MetaValue::Str(s) => MetaValue::Str(str_lit(s)),
        MetaValue::Strs(strs) => MetaValue::Strs(strs.iter().map(str_lit).collect()),
    };
    MetaEntry {
        key: m.key,
        key_span: Span::default(),
        value,
        span: Span::default(),
    }
}

fn str_lit(s: &StrLit) -> StrLit {
    StrLit {
        value: s.value.clone(),
        span: Span::default(),
    }
}

fn template(t: &Template) -> Template {
    Template {
        parts: t
            .parts
            .iter()
            .map(|part| match part {
                TemplatePart::Text(text) => TemplatePart::Text(text.clone()),
                TemplatePart::Hole(e) => TemplatePart::Hole(expr(e)),
            })
            .collect(),
        span: Span::default(),
    }
}

fn comprehension(c: &Comprehension) -> Comprehension {
    Comprehension {
        var: ident(&c.var),
        collection: expr(&c.collection),
        filter: c.filter.as_ref().map(expr),
    }
}

fn expr(e: &Expr) -> Expr {
    let kind = match &e.kind {
        ExprKind::Bool(b) => ExprKind::Bool(*b),
        ExprKind::Int(i) => ExprKind::Int(*i),
        ExprKind::Str(s) => ExprKind::Str(s.clone()),
        ExprKind::Name(name) => ExprKind::Name(ident(name)),
        ExprKind::Field(base, name) => ExprKind::Field(Box::new(expr(base)), ident(name)),
        ExprKind::Has(base, name) => ExprKind::Has(Box::new(expr(base)), ident(name)),
        ExprKind::List(elems) => ExprKind::List(elems.iter().map(expr).collect()),
        ExprKind::Not(inner) => ExprKind::Not(Box::new(expr(inner))),
        ExprKind::Binary(op, lhs, rhs) => {
            ExprKind::Binary(*op, Box::new(expr(lhs)), Box::new(expr(rhs)))
        }
        ExprKind::Quant(q) => ExprKind::Quant(Box::new(Quantifier {
            kind: q.kind,
            binding: comprehension(&q.binding),
            body: q.body.as_ref().map(expr),
        })),
        ExprKind::Count(c) => ExprKind::Count(Box::new(comprehension(c))),
        ExprKind::Error => ExprKind::Error,
    };
    Expr {
        kind,
        span: Span::default(),
    }
}
