//! A small schema built in code, for unit tests that must not depend on the
//! parser or on the project's rule files.

use lacuna_syntax::Span;
use lacuna_syntax::ast::{
    Ast, EntityDecl, EntityShape, EnumDecl, Expr, ExprKind, FieldDecl, Ident, Item, TypeExpr,
    TypeKind, Variant,
};
use miette::{GraphicalReportHandler, GraphicalTheme, NamedSource};

use crate::{Format, Schema, SourceId, build_schema, dump, load};

pub(crate) fn ident(name: &str) -> Ident {
    Ident {
        name: name.to_owned(),
        span: Span::default(),
    }
}

pub(crate) fn enum_item(name: &str, variants: &[&str]) -> Item {
    Item::Enum(EnumDecl {
        doc: None,
        name: ident(name),
        variants: variants
            .iter()
            .map(|v| Variant {
                doc: None,
                name: ident(v),
                span: Span::default(),
            })
            .collect(),
        span: Span::default(),
    })
}

pub(crate) fn entity_item(name: &str, shape: EntityShape, fields: Vec<FieldDecl>) -> Item {
    Item::Entity(EntityDecl {
        doc: None,
        name: ident(name),
        label: None,
        plural: None,
        shape,
        shape_span: None,
        fields,
        span: Span::default(),
    })
}

pub(crate) fn ty(kind: TypeKind) -> TypeExpr {
    TypeExpr {
        kind,
        span: Span::default(),
    }
}

pub(crate) fn named(name: &str) -> TypeExpr {
    ty(TypeKind::Named(ident(name)))
}

pub(crate) fn list(inner: TypeExpr) -> TypeExpr {
    ty(TypeKind::List(Box::new(inner)))
}

pub(crate) fn opt(inner: TypeExpr) -> TypeExpr {
    ty(TypeKind::Optional(Box::new(inner)))
}

pub(crate) fn expr(kind: ExprKind) -> Expr {
    Expr {
        kind,
        span: Span::default(),
    }
}

pub(crate) fn field(name: &str, t: TypeExpr, default: Option<ExprKind>) -> FieldDecl {
    FieldDecl {
        doc: None,
        name: ident(name),
        ty: Some(t),
        default: default.map(expr),
        span: Span::default(),
    }
}

/// A miniature of the migration vocabulary.
pub(crate) fn ast() -> Ast {
    let empty = || Some(ExprKind::List(Vec::new()));
    let no = || Some(ExprKind::Bool(false));
    Ast {
        items: vec![
            enum_item("area", &["refugees", "survival", "irregular"]),
            enum_item("actor_kind", &["state", "agency", "ngo"]),
            enum_item("function", &["protection", "assistance"]),
            enum_item("value", &["security", "economy", "rights"]),
            entity_item(
                "proposal",
                EntityShape::Singleton,
                vec![
                    field("title", named("text"), None),
                    field("priorities", list(named("value")), empty()),
                ],
            ),
            entity_item(
                "group",
                EntityShape::Keyed,
                vec![
                    field("area", named("area"), None),
                    field("vulnerable", named("bool"), no()),
                    field("name", opt(named("text")), None),
                    field("size", named("int"), Some(ExprKind::Int(0))),
                    field("examples", list(named("text")), empty()),
                ],
            ),
            entity_item(
                "actor",
                EntityShape::Keyed,
                vec![
                    field("kind", named("actor_kind"), None),
                    field("field_presence", named("bool"), no()),
                    field("lead_for", list(named("area")), empty()),
                ],
            ),
            entity_item(
                "forum",
                EntityShape::Keyed,
                vec![field("permanent", named("bool"), no())],
            ),
            entity_item(
                "mandate",
                EntityShape::List,
                vec![
                    field("actor", named("actor"), None),
                    field("function", named("function"), None),
                    field("group", named("group"), None),
                    field("note", opt(named("text")), None),
                ],
            ),
        ],
        comments: Vec::new(),
    }
}

pub(crate) fn schema() -> Schema {
    let ast = ast();
    let (schema, errors) = build_schema(&[(SourceId(0), &ast)]);
    assert!(errors.is_empty(), "{errors:?}");
    schema
}

/// Renders a diagnostic as the tests snapshot it: no colour, 100 columns.
pub(crate) fn render(diagnostic: &dyn miette::Diagnostic) -> String {
    let mut out = String::new();
    let handler =
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(100);
    handler
        .render_report(&mut out, diagnostic)
        .expect("rendering to a string cannot fail");
    out
}

/// Loads `text` against the test schema and renders every error and the facts.
pub(crate) fn check(name: &str, text: &str, format: Format) -> String {
    let schema = schema();
    let (facts, errors) = load(&schema, SourceId(1), text, format);
    let mut out = String::new();
    for e in errors {
        let report =
            miette::Report::new(e).with_source_code(NamedSource::new(name, text.to_owned()));
        out.push_str(&render(report.as_ref()));
    }
    out.push_str("--- facts\n");
    out.push_str(&dump(&schema, &facts));
    out
}
