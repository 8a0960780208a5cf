//! Bad input never panics, never overflows the stack, and always yields
//! errors whose spans lie inside the text, so that rendering them is safe too.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use lacuna_syntax::ast::{Ast, Expr, ExprKind, Item, TypeExpr, TypeKind};
use lacuna_syntax::{MAX_NESTING, SyntaxError, SyntaxErrorKind, parse, parse_bytes};
use miette::{GraphicalReportHandler, GraphicalTheme, NamedSource, Report};
use proptest::prelude::*;

const DEEP: usize = 100_000;

/// Every error span is in bounds and on character boundaries.
fn assert_spans_valid(source: &str, errors: &[SyntaxError]) {
    for error in errors {
        let spans = std::iter::once(error.span()).chain(error.related().map(|(s, _)| s));
        for span in spans {
            assert!(span.start <= span.end, "{error:?}");
            assert!(source.get(span.range()).is_some(), "bad span in {error:?}");
        }
    }
}

fn render_all(source: &str, errors: Vec<SyntaxError>) {
    let handler =
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(100);
    for error in errors {
        let report =
            Report::new(error).with_source_code(NamedSource::new("x.norm", source.to_owned()));
        let mut out = String::new();
        handler.render_report(&mut out, report.as_ref()).unwrap();
    }
}

fn expr_height(e: &Expr) -> u32 {
    let children: Vec<&Expr> = match &e.kind {
        ExprKind::Field(b, _) | ExprKind::Has(b, _) | ExprKind::Not(b) => vec![b],
        ExprKind::List(items) => items.iter().collect(),
        ExprKind::Binary(_, l, r) => vec![l, r],
        ExprKind::Quant(q) => std::iter::once(&q.binding.collection)
            .chain(q.binding.filter.as_ref())
            .chain(q.body.as_ref())
            .collect(),
        ExprKind::Count(c) => std::iter::once(&c.collection)
            .chain(c.filter.as_ref())
            .collect(),
        _ => vec![],
    };
    1 + children.into_iter().map(expr_height).max().unwrap_or(0)
}

fn type_height(t: &TypeExpr) -> u32 {
    match &t.kind {
        TypeKind::Named(_) => 1,
        TypeKind::List(inner) | TypeKind::Optional(inner) => 1 + type_height(inner),
    }
}

/// No tree is deeper than the nesting limit, so that every later pass may
/// walk it recursively.
fn assert_bounded(ast: &Ast) {
    let limit = MAX_NESTING + 1;
    for item in &ast.items {
        match item {
            Item::Norm(n) => {
                let exprs = n
                    .require
                    .iter()
                    .chain(n.lets.iter().map(|l| &l.value))
                    .chain(n.for_clause.iter().filter_map(|f| f.filter.as_ref()));
                for e in exprs {
                    assert!(expr_height(e) <= limit);
                }
            }
            Item::Entity(e) => {
                for f in &e.fields {
                    if let Some(t) = &f.ty {
                        assert!(type_height(t) <= limit);
                    }
                    if let Some(d) = &f.default {
                        assert!(expr_height(d) <= limit);
                    }
                }
            }
            Item::Enum(_) => {}
        }
    }
}

#[track_caller]
fn assert_nesting_error(source: &str) -> Ast {
    let (ast, errors) = parse(source);
    assert_spans_valid(source, &errors);
    assert!(
        errors
            .iter()
            .any(|e| e.kind() == SyntaxErrorKind::NestingTooDeep
                && e.message() == "nesting deeper than 64 levels"),
        "{:?}",
        errors.iter().map(|e| e.message()).collect::<Vec<_>>()
    );
    assert_bounded(&ast);
    ast
}

#[test]
fn deep_parentheses() {
    let source = format!(
        "norm a {{\n  require {}x{}\n}}\n",
        "(".repeat(DEEP),
        ")".repeat(DEEP)
    );
    let ast = assert_nesting_error(&source);
    // The norm is kept, without its condition.
    assert_eq!(ast.items.len(), 1);
}

#[test]
fn deep_parentheses_unclosed() {
    assert_nesting_error(&format!("norm a {{ require {}", "(".repeat(DEEP)));
}

#[test]
fn deep_lists_in_an_expression() {
    assert_nesting_error(&format!(
        "norm a {{\n  require x in {}1{}\n}}\n",
        "[".repeat(DEEP),
        "]".repeat(DEEP)
    ));
}

#[test]
fn deep_lists_in_a_type() {
    let source = format!(
        "entity a {{\n  f: {}int{}\n}}\n",
        "[".repeat(DEEP),
        "]".repeat(DEEP)
    );
    let ast = assert_nesting_error(&source);
    assert_eq!(ast.items.len(), 1);
}

#[test]
fn deep_lists_in_a_default() {
    assert_nesting_error(&format!(
        "entity a {{\n  f: [int] = {}\n}}\n",
        "[".repeat(DEEP)
    ));
}

#[test]
fn deep_lists_in_a_template_hole() {
    assert_nesting_error(&format!(
        "norm a {{\n  require x\n  else \"{{{}}}\"\n}}\n",
        "(".repeat(DEEP)
    ));
}

#[test]
fn long_chains_of_operators() {
    for op in ["and", "or", "==", "in", "not in"] {
        let chain = vec!["a"; DEEP].join(&format!(" {op} "));
        assert_nesting_error(&format!("norm a {{ require {chain} }}"));
    }
    let nots = "not ".repeat(DEEP);
    assert_nesting_error(&format!("norm a {{ require {nots} a }}"));
    let path = vec!["a"; DEEP].join(".");
    assert_nesting_error(&format!("norm a {{ require {path} }}"));
    let quantifiers = "any x in y: ".repeat(DEEP);
    assert_nesting_error(&format!("norm a {{ require {quantifiers} x }}"));
    let counts = "count(x in ".repeat(DEEP);
    assert_nesting_error(&format!("norm a {{ require {counts} y }}"));
    let optional = "?".repeat(DEEP);
    let (_, errors) = parse(&format!("entity a {{ f: int{optional} }}"));
    assert_eq!(errors.len(), DEEP - 1);
}

#[test]
fn just_inside_the_limit() {
    let depth = MAX_NESTING as usize - 1;
    let source = format!(
        "norm a {{ require {}x{} }}",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let (_, errors) = parse(&source);
    assert!(errors.is_empty(), "{errors:?}");
    let source = format!(
        "entity a {{ f: {}int{} }}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let (_, errors) = parse(&source);
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn deep_block_comments() {
    let source = format!("{}enum a {{ b }}", "/*".repeat(DEEP));
    let (ast, errors) = parse(&source);
    assert!(ast.items.is_empty());
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].kind(), SyntaxErrorKind::UnterminatedBlockComment);
    let source = format!("{}{}enum a {{ b }}", "/*".repeat(DEEP), "*/".repeat(DEEP));
    let (ast, errors) = parse(&source);
    assert!(errors.is_empty());
    assert_eq!(ast.items.len(), 1);
}

#[test]
fn many_items_and_errors() {
    let source = "norm a { require = }\n".repeat(10_000);
    let (ast, errors) = parse(&source);
    assert_eq!(ast.items.len(), 10_000);
    assert_eq!(errors.len(), 10_000);
}

#[test]
fn junk_between_items_is_one_error() {
    let (ast, errors) = parse("enum a { b }\n@@@ ;;; !!!\nfoo bar baz\nenum c { d }\n");
    assert_eq!(ast.items.len(), 2);
    assert_eq!(errors.len(), 1, "{errors:?}");
}

/// Fragments of the language, to build inputs that get deep into the grammar.
const TOKENS: &[&str] = &[
    "enum",
    "entity",
    "norm",
    "for",
    "in",
    "where",
    "require",
    "else",
    "help",
    "let",
    "any",
    "all",
    "none",
    "count",
    "not",
    "and",
    "or",
    "has",
    "true",
    "false",
    "severity",
    "serves",
    "perspective",
    "source",
    "tags",
    "error",
    "list",
    "singleton",
    "bool",
    "int",
    "text",
    "g",
    "group",
    "m.actor",
    "a.b-c",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ",",
    ":",
    ".",
    "?",
    "=",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "&&",
    "||",
    "!",
    "-",
    "-3",
    "42",
    "99999999999999999999",
    "\"text\"",
    "\"{g}\"",
    "\"{",
    "\"}\"",
    "\"\\q\"",
    "\"",
    "\\",
    "///",
    "/// doc",
    "//",
    "/*",
    "*/",
    "\n",
    "\r\n",
    "\t",
    " ",
    "é",
    "🌍",
    "\u{feff}",
    ";",
    "@",
];

fn from_tokens() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..80).prop_map(|tokens| {
        let mut out = String::new();
        for (index, token) in tokens.iter().enumerate() {
            if index % 3 == 0 {
                out.push(' ');
            }
            out.push_str(token);
        }
        out
    })
}

/// A lone `\r` ends a line everywhere: a `///` comment stops there instead of
/// swallowing the rest of the file, as positions and editors count it.
#[test]
fn a_lone_carriage_return_ends_a_line() {
    let lf = "/// Doc.\nnorm a.b {\n  require true\n}\n";
    let cr = lf.replace('\n', "\r");
    let (with_lf, lf_errors) = parse(lf);
    let (with_cr, cr_errors) = parse(&cr);
    assert!(lf_errors.is_empty(), "{lf_errors:?}");
    assert!(cr_errors.is_empty(), "{cr_errors:?}");
    assert_eq!(with_lf, with_cr, "same tree, same spans");
    let mixed = "/// Doc.\r\nnorm a.b {\r  require true\n}\r";
    let (tree, errors) = parse(mixed);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(tree.without_spans(), with_lf.without_spans());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let (_, errors) = parse_bytes(&bytes);
        if let Ok(text) = std::str::from_utf8(&bytes) {
            assert_spans_valid(text, &errors);
        } else {
            prop_assert_eq!(errors.len(), 1);
        }
    }

    #[test]
    fn arbitrary_strings_never_panic(source in "\\PC{0,200}") {
        let (ast, errors) = parse(&source);
        assert_spans_valid(&source, &errors);
        assert_bounded(&ast);
    }

    #[test]
    fn grammar_tokens_never_panic(source in from_tokens()) {
        let (ast, errors) = parse(&source);
        assert_spans_valid(&source, &errors);
        assert_bounded(&ast);
        render_all(&source, errors);
    }

    #[test]
    fn parsing_is_deterministic(source in from_tokens()) {
        prop_assert_eq!(parse(&source), parse(&source));
    }
}
