//! Property tests of the formatter against the parser: any well-formed tree,
//! printed and parsed again, is the same tree, and printing is idempotent.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use lacuna_syntax::ast::{
    Ast, BinOp, Comment, CommentKind, Comprehension, Doc, EntityDecl, EntityShape, EnumDecl, Expr,
    ExprKind, FieldDecl, ForClause, Ident, Item, Let, MetaEntry, MetaKey, MetaValue, NormDecl,
    NormId, QuantKind, Quantifier, Severity, StrLit, Template, TemplatePart, TypeExpr, TypeKind,
    Variant,
};
use lacuna_syntax::{Span, format, parse};
use proptest::prelude::*;

const KEYWORDS: &[&str] = &[
    "enum", "entity", "norm", "for", "in", "where", "require", "else", "help", "let", "any", "all",
    "none", "count", "not", "and", "or", "has", "true", "false",
];

fn sp() -> Span {
    Span::default()
}

fn ident() -> impl Strategy<Value = Ident> + Clone {
    "[A-Za-z_][A-Za-z0-9_]{0,7}"
        .prop_filter("not a keyword", |s| !KEYWORDS.contains(&s.as_str()))
        .prop_map(|name| Ident { name, span: sp() })
}

/// Text for strings and templates: printable ASCII, the characters that need
/// escapes, and some beyond ASCII.
fn string_text() -> impl Strategy<Value = String> + Clone {
    prop::collection::vec(
        prop_oneof![
            6 => "[ -~]",
            1 => prop::sample::select(vec!["\"", "\\", "\n", "\t", "\r", "{", "}", "é", "🌍", "\u{1}"])
                .prop_map(str::to_owned),
        ],
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

fn doc() -> impl Strategy<Value = Option<Doc>> {
    prop::option::weighted(
        0.3,
        prop::collection::vec("[ -~]{0,16}", 1..4).prop_map(|lines| Doc { lines, span: sp() }),
    )
}

fn expr_leaf() -> impl Strategy<Value = ExprKind> + Clone {
    prop_oneof![
        1 => any::<bool>().prop_map(ExprKind::Bool),
        1 => any::<i64>().prop_map(ExprKind::Int),
        1 => string_text().prop_map(ExprKind::Str),
        3 => ident().prop_map(ExprKind::Name),
    ]
}

fn e(kind: ExprKind) -> Expr {
    Expr { kind, span: sp() }
}

fn bin_op() -> impl Strategy<Value = BinOp> {
    prop::sample::select(vec![
        BinOp::Or,
        BinOp::And,
        BinOp::Eq,
        BinOp::Ne,
        BinOp::Lt,
        BinOp::Le,
        BinOp::Gt,
        BinOp::Ge,
        BinOp::In,
        BinOp::NotIn,
    ])
}

/// Expressions of every form. `with_strings` is false inside template holes,
/// which cannot hold a string literal (its quote would end the template).
fn expr_with(with_strings: bool) -> impl Strategy<Value = Expr> {
    let leaf = expr_leaf()
        .prop_filter("no strings in holes", move |k| {
            with_strings || !matches!(k, ExprKind::Str(_))
        })
        .prop_map(e);
    leaf.prop_recursive(4, 24, 3, |inner| {
        let comprehension = (ident(), inner.clone(), prop::option::of(inner.clone())).prop_map(
            |(var, collection, filter)| Comprehension {
                var,
                collection,
                filter,
            },
        );
        prop_oneof![
            1 => (inner.clone(), ident()).prop_map(|(b, f)| e(ExprKind::Field(Box::new(b), f))),
            1 => (inner.clone(), ident()).prop_map(|(b, f)| e(ExprKind::Has(Box::new(b), f))),
            1 => prop::collection::vec(inner.clone(), 0..3).prop_map(|l| e(ExprKind::List(l))),
            1 => inner.clone().prop_map(|x| e(ExprKind::Not(Box::new(x)))),
            3 => (bin_op(), inner.clone(), inner.clone())
                .prop_map(|(op, l, r)| e(ExprKind::Binary(op, Box::new(l), Box::new(r)))),
            1 => (
                prop::sample::select(vec![QuantKind::Any, QuantKind::All, QuantKind::None]),
                comprehension.clone(),
                prop::option::of(inner.clone()),
            )
                .prop_map(|(kind, binding, body)| {
                    // `all` needs a body: every member satisfies *what*.
                    let body = match (kind, body) {
                        (QuantKind::All, None) => Some(e(ExprKind::Bool(true))),
                        (_, body) => body,
                    };
                    e(ExprKind::Quant(Box::new(Quantifier {
                        kind,
                        binding,
                        body,
                    })))
                }),
            1 => comprehension.prop_map(|c| e(ExprKind::Count(Box::new(c)))),
        ]
    })
}

fn expr() -> impl Strategy<Value = Expr> {
    expr_with(true)
}

/// A template: text and holes, with adjacent texts merged as the parser reads them.
fn template() -> impl Strategy<Value = Template> {
    prop::collection::vec(
        prop_oneof![
            string_text()
                .prop_filter("text is not empty", |s| !s.is_empty())
                .prop_map(TemplatePart::Text),
            expr_with(false).prop_map(TemplatePart::Hole),
        ],
        0..4,
    )
    .prop_map(|parts| {
        let mut merged: Vec<TemplatePart> = Vec::new();
        for part in parts {
            match (merged.last_mut(), part) {
                (Some(TemplatePart::Text(prev)), TemplatePart::Text(next)) => prev.push_str(&next),
                (_, part) => merged.push(part),
            }
        }
        Template {
            parts: merged,
            span: sp(),
        }
    })
}

fn type_expr() -> impl Strategy<Value = TypeExpr> {
    let named = prop_oneof![
        prop::sample::select(vec!["bool", "int", "text"]).prop_map(|n| Ident {
            name: n.to_owned(),
            span: sp()
        }),
        ident(),
    ]
    .prop_map(|name| TypeExpr {
        kind: TypeKind::Named(name),
        span: sp(),
    });
    named.prop_recursive(3, 6, 1, |inner| {
        prop_oneof![
            inner.clone().prop_map(|t| TypeExpr {
                kind: TypeKind::List(Box::new(t)),
                span: sp()
            }),
            inner
                .prop_filter("no double optional", |t| !matches!(
                    t.kind,
                    TypeKind::Optional(_)
                ))
                .prop_map(|t| TypeExpr {
                    kind: TypeKind::Optional(Box::new(t)),
                    span: sp()
                }),
        ]
    })
}

/// A default value: a literal, a name, or a list of those.
fn default_value() -> impl Strategy<Value = Expr> {
    let leaf = expr_leaf().prop_map(e);
    prop_oneof![
        3 => leaf.clone(),
        1 => prop::collection::vec(leaf, 0..4).prop_map(|l| e(ExprKind::List(l))),
    ]
}

fn enum_decl() -> impl Strategy<Value = Item> {
    (
        doc(),
        ident(),
        prop::collection::vec(
            (doc(), ident()).prop_map(|(doc, name)| Variant {
                doc,
                name,
                span: sp(),
            }),
            1..6,
        ),
    )
        .prop_map(|(doc, name, variants)| {
            Item::Enum(EnumDecl {
                doc,
                name,
                variants,
                span: sp(),
            })
        })
}

fn entity_decl() -> impl Strategy<Value = Item> {
    let field = (
        doc(),
        ident(),
        type_expr(),
        prop::option::of(default_value()),
    )
        .prop_map(|(doc, name, ty, default)| FieldDecl {
            doc,
            name,
            ty: Some(ty),
            default,
            span: sp(),
        });
    (
        doc(),
        ident(),
        prop::sample::select(vec![
            EntityShape::Keyed,
            EntityShape::List,
            EntityShape::Singleton,
        ]),
        prop::collection::vec(field, 0..5),
        // A plural only comes with a label.
        prop::option::of((str_lit(), prop::option::of(str_lit()))),
    )
        .prop_map(|(doc, name, shape, fields, names)| {
            let (label, plural) = match names {
                Some((label, plural)) => (Some(label), plural),
                None => (None, None),
            };
            Item::Entity(EntityDecl {
                doc,
                name,
                label,
                plural,
                shape,
                shape_span: (shape != EntityShape::Keyed).then(sp),
                fields,
                span: sp(),
            })
        })
}

fn norm_id() -> impl Strategy<Value = NormId> {
    prop::collection::vec("[a-z0-9_][a-z0-9_-]{0,6}", 1..4).prop_map(|segments| NormId {
        text: segments.join("."),
        span: sp(),
    })
}

fn str_lit() -> impl Strategy<Value = StrLit> {
    string_text().prop_map(|value| StrLit { value, span: sp() })
}

fn meta() -> impl Strategy<Value = Vec<MetaEntry>> {
    let names = || prop::collection::vec(ident(), 1..4).prop_map(MetaValue::Names);
    let entry = |key: MetaKey, value: BoxedStrategy<MetaValue>| {
        prop::option::of(value.prop_map(move |value| MetaEntry {
            key,
            key_span: sp(),
            value,
            span: sp(),
        }))
    };
    (
        entry(
            MetaKey::Severity,
            prop::sample::select(Severity::ALL.to_vec())
                .prop_map(|s| MetaValue::Severity(s, sp()))
                .boxed(),
        ),
        entry(MetaKey::Serves, names().boxed()),
        entry(MetaKey::Perspective, names().boxed()),
        entry(MetaKey::Source, str_lit().prop_map(MetaValue::Str).boxed()),
        entry(
            MetaKey::Tags,
            prop::collection::vec(str_lit(), 0..3)
                .prop_map(MetaValue::Strs)
                .boxed(),
        ),
    )
        .prop_map(|(a, b, c, d, f)| [a, b, c, d, f].into_iter().flatten().collect())
}

fn norm_decl() -> impl Strategy<Value = Item> {
    let for_clause =
        (ident(), ident(), prop::option::of(expr())).prop_map(|(var, kind, filter)| ForClause {
            var,
            kind,
            filter,
            span: sp(),
        });
    let binding = (ident(), expr()).prop_map(|(name, value)| Let {
        name,
        value,
        span: sp(),
    });
    (
        doc(),
        norm_id(),
        meta(),
        prop::option::of(for_clause),
        prop::collection::vec(binding, 0..3),
        expr(),
        prop::option::of(template()),
        prop::option::of(template()),
    )
        .prop_map(
            |(doc, id, meta, for_clause, lets, require, message, help)| {
                Item::Norm(NormDecl {
                    doc,
                    id,
                    meta,
                    for_clause,
                    lets,
                    require: Some(require),
                    message,
                    help,
                    open_brace: sp(),
                    span: sp(),
                })
            },
        )
}

fn comment() -> impl Strategy<Value = Comment> {
    prop_oneof![
        "[ -~]{0,16}".prop_map(|t| Comment {
            text: format!("// {t}"),
            kind: CommentKind::Line,
            span: sp(),
        }),
        "[a-z ]{0,16}".prop_map(|t| Comment {
            text: format!("/* {t} */"),
            kind: CommentKind::Block,
            span: sp(),
        }),
    ]
}

fn ast() -> impl Strategy<Value = Ast> {
    (
        prop::collection::vec(prop_oneof![enum_decl(), entity_decl(), norm_decl()], 0..4),
        prop::collection::vec(comment(), 0..3),
    )
        .prop_map(|(items, comments)| Ast { items, comments })
}

fn check_roundtrip(ast: &Ast) -> Result<(), TestCaseError> {
    let printed = format(ast, "");
    let (parsed, errors) = parse(&printed);
    prop_assert!(
        errors.is_empty(),
        "the formatted text does not parse: {errors:?}\n{printed}"
    );
    prop_assert_eq!(
        parsed.without_spans(),
        ast.without_spans(),
        "the formatted text means something else:\n{}",
        printed
    );
    let again = format(&parsed, &printed);
    prop_assert_eq!(&again, &printed, "formatting is not idempotent");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn format_then_parse_gives_the_same_tree(ast in ast()) {
        check_roundtrip(&ast)?;
    }

    #[test]
    fn every_expression_form_round_trips(require in expr()) {
        let norm = Item::Norm(NormDecl {
            doc: None,
            id: NormId { text: "a.b".to_owned(), span: sp() },
            meta: Vec::new(),
            for_clause: None,
            lets: Vec::new(),
            require: Some(require),
            message: None,
            help: None,
            open_brace: sp(),
            span: sp(),
        });
        check_roundtrip(&Ast { items: vec![norm], comments: Vec::new() })?;
    }
}
