//! Valid input: one `check(input, expected)` per construct, where `expected`
//! is the tree printed as compact S-expressions, plus span checks, the
//! lexical corner cases (BOM, CRLF, tabs, non-ASCII), and the standard schema.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fmt::Write as _;

use lacuna_syntax::ast::{
    Ast, CommentKind, Doc, Expr, ExprKind, Item, MetaValue, Template, TemplatePart, TypeExpr,
    TypeKind,
};
use lacuna_syntax::{Span, SyntaxErrorKind, parse, parse_bytes};

// ---------------------------------------------------------------------------
// A compact printer for trees.

fn doc(out: &mut String, doc: &Option<Doc>) {
    if let Some(doc) = doc {
        write!(out, " (doc {:?})", doc.lines.join("\n")).unwrap();
    }
}

fn ty(t: &TypeExpr) -> String {
    match &t.kind {
        TypeKind::Named(name) => name.name.clone(),
        TypeKind::List(inner) => format!("[{}]", ty(inner)),
        TypeKind::Optional(inner) => format!("{}?", ty(inner)),
    }
}

fn expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Int(n) => n.to_string(),
        ExprKind::Str(s) => format!("{s:?}"),
        ExprKind::Name(name) => name.name.clone(),
        ExprKind::Field(base, field) => format!("{}.{}", expr(base), field.name),
        ExprKind::Has(base, field) => format!("(has {} {})", expr(base), field.name),
        ExprKind::List(items) => {
            let items: Vec<String> = items.iter().map(expr).collect();
            format!("[{}]", items.join(" "))
        }
        ExprKind::Not(inner) => format!("(not {})", expr(inner)),
        ExprKind::Binary(op, l, r) => format!("({} {} {})", op.as_str(), expr(l), expr(r)),
        ExprKind::Quant(q) => {
            let mut out = format!(
                "({} {} {}",
                q.kind.as_str(),
                q.binding.var.name,
                expr(&q.binding.collection)
            );
            if let Some(filter) = &q.binding.filter {
                write!(out, " (where {})", expr(filter)).unwrap();
            }
            if let Some(body) = &q.body {
                write!(out, " (: {})", expr(body)).unwrap();
            }
            out.push(')');
            out
        }
        ExprKind::Count(c) => {
            let mut out = format!("(count {} {}", c.var.name, expr(&c.collection));
            if let Some(filter) = &c.filter {
                write!(out, " (where {})", expr(filter)).unwrap();
            }
            out.push(')');
            out
        }
        ExprKind::Error => "<error>".to_owned(),
    }
}

fn template(t: &Template) -> String {
    t.parts
        .iter()
        .map(|part| match part {
            TemplatePart::Text(text) => format!("{text:?}"),
            TemplatePart::Hole(e) => format!("{{{}}}", expr(e)),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn sexp(ast: &Ast) -> String {
    let mut out = String::new();
    for item in &ast.items {
        match item {
            Item::Enum(e) => {
                write!(out, "(enum {}", e.name.name).unwrap();
                doc(&mut out, &e.doc);
                for v in &e.variants {
                    if v.doc.is_some() {
                        write!(out, " ({}", v.name.name).unwrap();
                        doc(&mut out, &v.doc);
                        out.push(')');
                    } else {
                        write!(out, " {}", v.name.name).unwrap();
                    }
                }
            }
            Item::Entity(e) => {
                write!(out, "(entity {} {:?}", e.name.name, e.shape).unwrap();
                if let Some(label) = &e.label {
                    write!(out, " (label {:?}", label.value).unwrap();
                    if let Some(plural) = &e.plural {
                        write!(out, " {:?}", plural.value).unwrap();
                    }
                    out.push(')');
                }
                doc(&mut out, &e.doc);
                for f in &e.fields {
                    let t = f.ty.as_ref().map_or("<none>".to_owned(), ty);
                    write!(out, " ({} {t}", f.name.name).unwrap();
                    if let Some(default) = &f.default {
                        write!(out, " = {}", expr(default)).unwrap();
                    }
                    doc(&mut out, &f.doc);
                    out.push(')');
                }
            }
            Item::Norm(n) => {
                write!(out, "(norm {}", n.id.text).unwrap();
                doc(&mut out, &n.doc);
                for m in &n.meta {
                    let value = match &m.value {
                        MetaValue::Severity(s, _) => s.as_str().to_owned(),
                        MetaValue::Names(names) => names
                            .iter()
                            .map(|n| n.name.clone())
                            .collect::<Vec<_>>()
                            .join(" "),
                        MetaValue::Str(s) => format!("{:?}", s.value),
                        MetaValue::Strs(strs) => strs
                            .iter()
                            .map(|s| format!("{:?}", s.value))
                            .collect::<Vec<_>>()
                            .join(" "),
                    };
                    write!(out, " ({} {value})", m.key.as_str()).unwrap();
                }
                if let Some(f) = &n.for_clause {
                    write!(out, " (for {} {}", f.var.name, f.kind.name).unwrap();
                    if let Some(filter) = &f.filter {
                        write!(out, " {}", expr(filter)).unwrap();
                    }
                    out.push(')');
                }
                for l in &n.lets {
                    write!(out, " (let {} {})", l.name.name, expr(&l.value)).unwrap();
                }
                if let Some(r) = &n.require {
                    write!(out, " (require {})", expr(r)).unwrap();
                }
                if let Some(t) = &n.message {
                    write!(out, " (else {})", template(t)).unwrap();
                }
                if let Some(t) = &n.help {
                    write!(out, " (help {})", template(t)).unwrap();
                }
            }
        }
        out.push_str(")\n");
    }
    out
}

/// Parses `input`, asserts that it has no errors, and compares its tree.
#[track_caller]
fn check(input: &str, expected: &str) {
    let (ast, errors) = parse(input);
    assert!(errors.is_empty(), "unexpected errors: {errors:#?}");
    assert_eq!(sexp(&ast).trim(), expected.trim());
}

/// Parses `condition` as the `require` of a norm and returns it printed.
#[track_caller]
fn condition(condition: &str) -> String {
    let source = format!("norm t {{\n  require {condition}\n}}\n");
    let (ast, errors) = parse(&source);
    assert!(
        errors.is_empty(),
        "unexpected errors in `{condition}`: {errors:#?}"
    );
    let Some(Item::Norm(norm)) = ast.items.first() else {
        panic!("no norm")
    };
    expr(norm.require.as_ref().unwrap())
}

#[track_caller]
fn check_expr(input: &str, expected: &str) {
    assert_eq!(condition(input), expected, "for `{input}`");
}

/// The kinds of the errors `input` yields, in order.
fn error_kinds(input: &str) -> Vec<SyntaxErrorKind> {
    parse(input).1.iter().map(|e| e.kind()).collect()
}

// ---------------------------------------------------------------------------
// Items.

#[test]
fn empty_file() {
    let (ast, errors) = parse("");
    assert_eq!(ast, Ast::default());
    assert!(errors.is_empty());
    check("  \n\t\n", "");
}

#[test]
fn enum_on_one_line() {
    check(
        "enum area { refugees, irregular, labour, family }",
        "(enum area refugees irregular labour family)",
    );
}

#[test]
fn enum_separated_by_newlines_with_docs_and_trailing_comma() {
    check(
        "/// Which value a governance arrangement serves first.\n\
         enum value {\n  /// Border control, public order.\n  security,\n  economy\n  rights,\n}\n",
        "(enum value (doc \"Which value a governance arrangement serves first.\") \
         (security (doc \"Border control, public order.\")) economy rights)",
    );
}

#[test]
fn doc_paragraphs_keep_empty_lines() {
    check(
        "/// First paragraph.\n///\n///  Indented.\nenum a { b }",
        "(enum a (doc \"First paragraph.\\n\\n Indented.\") b)",
    );
}

#[test]
fn entity_fields_and_types() {
    check(
        "entity actor {\n  kind: actor_kind\n  un_system: bool = false\n  name: text?\n  \
         functions: [function] = []\n  size: int = -3\n  nested: [[text]?]?\n  agenda: agenda = thematic\n}",
        "(entity actor Keyed (kind actor_kind) (un_system bool = false) (name text?) \
         (functions [function] = []) (size int = -3) (nested [[text]?]?) (agenda agenda = thematic))",
    );
}

#[test]
fn entity_fields_separated_by_commas() {
    check(
        "entity proposal (singleton) { title: text, year: int = 2010, }",
        "(entity proposal Singleton (title text) (year int = 2010))",
    );
}

#[test]
fn entity_shapes() {
    check(
        "entity mandate (list) {\n  actor: actor\n}\nentity group {\n  area: area\n}",
        "(entity mandate List (actor actor))\n(entity group Keyed (area area))",
    );
}

#[test]
fn kind_labels() {
    check(
        "entity coordination \"coordination mechanism\" \"coordination mechanisms\" {\n  \
         mechanism: mechanism\n}\n\
         entity mandate \"mandate\" (list) {\n  actor: actor\n}\n\
         entity policy \"polic\\u{ed}a\" \"pol\\\"icies\" (list) {}",
        "(entity coordination Keyed (label \"coordination mechanism\" \"coordination mechanisms\") (mechanism mechanism))\n\
         (entity mandate List (label \"mandate\") (actor actor))\n\
         (entity policy List (label \"policía\" \"pol\\\"icies\"))",
    );
}

#[test]
fn keywords_may_name_fields() {
    check(
        "entity allow (list) {\n  norm: text\n  entity: text?\n  for: int = 1\n}\n\
         norm a { for x in allow where x has entity require x.norm != \"\" and x.for > 0 }",
        r#"(entity allow List (norm text) (entity text?) (for int = 1))
(norm a (for x allow (has x entity)) (require (and (!= x.norm "") (> x.for 0))))"#,
    );
}

/// After `.` or `has`, `norm` names a field: what follows it on the line is
/// read as usual, not as the id of a new norm.
#[test]
fn a_field_named_norm_may_be_followed_by_more() {
    check(
        "norm a { require x.norm.y and x has norm and x.norm\n  else \"{x.norm.y}\" }",
        "(norm a (require (and (and x.norm.y (has x norm)) x.norm)) (else {x.norm.y}))",
    );
}

#[test]
fn field_docs() {
    check(
        "entity group {\n  /// The area.\n  area: area\n}",
        "(entity group Keyed (area area (doc \"The area.\")))",
    );
}

#[test]
fn language_reference_example() {
    check(
        r#"
/// Vulnerable groups need a protector on the ground.
norm protection.coverage {
  severity: error
  serves: rights
  source: "Betts 2010, Recommendation 1"

  for g in group where g.vulnerable
  require any m in mandate where m.group == g: m.function == protection and m.actor.field_presence
  else "no actor with field presence protects `{g}`"
  help "give the protection of `{g}` to an agency with field presence"
}
"#,
        r#"(norm protection.coverage (doc "Vulnerable groups need a protector on the ground.") (severity error) (serves rights) (source "Betts 2010, Recommendation 1") (for g group g.vulnerable) (require (any m mandate (where (== m.group g)) (: (and (== m.function protection) m.actor.field_presence)))) (else "no actor with field presence protects `" {g} "`") (help "give the protection of `" {g} "` to an agency with field presence"))"#,
    );
}

#[test]
fn norm_with_all_metadata_and_lets() {
    check(
        r#"norm forum.un-anchored {
  severity: info
  serves: [rights, security,]
  perspective: [migrants]
  source: "Betts 2010"
  tags: ["forum", "un"]
  let n = count(f in forum: f.un_anchored)
  let m = 2
  require n >= m
}"#,
        r#"(norm forum.un-anchored (severity info) (serves rights security) (perspective migrants) (source "Betts 2010") (tags "forum" "un") (let n (count f forum (where f.un_anchored))) (let m 2) (require (>= n m)))"#,
    );
}

#[test]
fn norm_without_for_and_messages() {
    check(
        "norm proposal.titled {\n  require proposal.title != \"\"\n}",
        r#"(norm proposal.titled (require (!= proposal.title "")))"#,
    );
}

#[test]
fn norm_ids() {
    check(
        "norm a { require true }\nnorm 2010.x_y-z.0 { require true }",
        "(norm a (require true))\n(norm 2010.x_y-z.0 (require true))",
    );
}

#[test]
fn norm_on_one_line() {
    check(
        "norm a.b { for g in group require g.vulnerable }",
        "(norm a.b (for g group) (require g.vulnerable))",
    );
}

#[test]
fn expressions_may_span_lines() {
    check(
        "norm a {\n  require any m in mandate:\n      m.group == g and\n      m.actor.field_presence\n  else \"x\"\n}",
        r#"(norm a (require (any m mandate (: (and (== m.group g) m.actor.field_presence)))) (else "x"))"#,
    );
}

// ---------------------------------------------------------------------------
// Expressions.

#[test]
fn literals() {
    check_expr("true", "true");
    check_expr("false", "false");
    check_expr("42", "42");
    check_expr("-3", "-3");
    check_expr("-9223372036854775808", "-9223372036854775808");
    check_expr("9223372036854775807", "9223372036854775807");
    check_expr(
        r#""a \"b\" \\ \n \t \r \{ \} \u{1F30D} é""#,
        r#""a \"b\" \\ \n \t \r { } 🌍 é""#,
    );
    check_expr("[]", "[]");
    check_expr("[a, b, c,]", "[a b c]");
    check_expr("[[1], [2, 3]]", "[[1] [2 3]]");
}

#[test]
fn precedence_of_boolean_operators() {
    check_expr("a or b and c", "(or a (and b c))");
    check_expr("a and b or c", "(or (and a b) c)");
    check_expr("a or b or c", "(or (or a b) c)");
    check_expr("a and b and c", "(and (and a b) c)");
    check_expr("not a and b", "(and (not a) b)");
    check_expr("not a == b", "(not (== a b))");
    check_expr("not not a", "(not (not a))");
    check_expr("(a or b) and c", "(and (or a b) c)");
}

#[test]
fn precedence_of_comparisons_membership_and_has() {
    check_expr("a == b and c != d", "(and (== a b) (!= c d))");
    check_expr("a < b", "(< a b)");
    check_expr("a <= b", "(<= a b)");
    check_expr("a > b", "(> a b)");
    check_expr("a >= b", "(>= a b)");
    check_expr("a in b == c", "(== (in a b) c)");
    check_expr("a not in [b, c]", "(not in a [b c])");
    check_expr("not a in b", "(not (in a b))");
    check_expr("x has name == true", "(== (has x name) true)");
    check_expr(
        "m.actor.kind == actor_kind.agency",
        "(== m.actor.kind actor_kind.agency)",
    );
    check_expr("count(m in mandate) >= 2", "(>= (count m mandate) 2)");
}

#[test]
fn quantifiers() {
    check_expr("any f in forum", "(any f forum)");
    check_expr(
        "any f in forum where f.permanent",
        "(any f forum (where f.permanent))",
    );
    check_expr(
        "none f in forum: f.permanent",
        "(none f forum (: f.permanent))",
    );
    check_expr(
        "all a in c.members where a.un_system: a.field_presence",
        "(all a c.members (where a.un_system) (: a.field_presence))",
    );
    check_expr(
        "any m in mandate: m.x and m.y or m.z",
        "(any m mandate (: (or (and m.x m.y) m.z)))",
    );
    check_expr(
        "(any f in forum: f.permanent) and x",
        "(and (any f forum (: f.permanent)) x)",
    );
    check_expr(
        "x and any f in forum: f.permanent or y",
        "(and x (any f forum (: (or f.permanent y))))",
    );
    check_expr("not any f in forum", "(not (any f forum))");
    check_expr(
        "any a in [x, y]: all b in a.list: b",
        "(any a [x y] (: (all b a.list (: b))))",
    );
}

#[test]
fn count_forms() {
    check_expr("count(m in mandate)", "(count m mandate)");
    check_expr(
        "count(m in mandate where m.group == g)",
        "(count m mandate (where (== m.group g)))",
    );
    check_expr(
        "count(m in mandate: m.group == g)",
        "(count m mandate (where (== m.group g)))",
    );
    check_expr("count(a in c.members) > 1", "(> (count a c.members) 1)");
}

#[test]
fn count_colon_and_where_mean_the_same() {
    let a = parse("norm t { require count(m in mandate: m.x) }").0;
    let b = parse("norm t { require count(m in mandate where m.x) }").0;
    let (Item::Norm(a), Item::Norm(b)) = (&a.items[0], &b.items[0]) else {
        panic!()
    };
    assert_eq!(
        expr(a.require.as_ref().unwrap()),
        expr(b.require.as_ref().unwrap())
    );
}

#[test]
fn templates() {
    check(
        r#"norm t { require x else "{{literal}} {g.name} and {count(m in mandate)}, \{ \}" help "{g}" }"#,
        r#"(norm t (require x) (else "{literal} " {g.name} " and " {(count m mandate)} ", { }") (help {g}))"#,
    );
}

#[test]
fn template_holes_point_into_the_file() {
    let source = "norm t {\n  require x\n  else \"group {g.name} lacks\"\n}";
    let (ast, errors) = parse(source);
    assert!(errors.is_empty(), "{errors:?}");
    let Item::Norm(norm) = &ast.items[0] else {
        panic!()
    };
    let message = norm.message.as_ref().unwrap();
    assert_eq!(message.span.text(source), "\"group {g.name} lacks\"");
    let TemplatePart::Hole(hole) = &message.parts[1] else {
        panic!()
    };
    assert_eq!(hole.span.text(source), "g.name");
    let ExprKind::Field(base, field) = &hole.kind else {
        panic!()
    };
    assert_eq!(base.span.text(source), "g");
    assert_eq!(field.span.text(source), "name");
}

// ---------------------------------------------------------------------------
// Spans.

/// Every expression of a norm's `require`, with the text its span covers.
fn expr_spans(e: &Expr, source: &str, out: &mut Vec<String>) {
    out.push(e.span.text(source).to_owned());
    match &e.kind {
        ExprKind::Field(base, _) | ExprKind::Has(base, _) | ExprKind::Not(base) => {
            expr_spans(base, source, out);
        }
        ExprKind::List(items) => items.iter().for_each(|i| expr_spans(i, source, out)),
        ExprKind::Binary(_, l, r) => {
            expr_spans(l, source, out);
            expr_spans(r, source, out);
        }
        ExprKind::Quant(q) => {
            expr_spans(&q.binding.collection, source, out);
            if let Some(f) = &q.binding.filter {
                expr_spans(f, source, out);
            }
            if let Some(b) = &q.body {
                expr_spans(b, source, out);
            }
        }
        ExprKind::Count(c) => {
            expr_spans(&c.collection, source, out);
            if let Some(f) = &c.filter {
                expr_spans(f, source, out);
            }
        }
        _ => {}
    }
}

#[test]
fn expression_spans() {
    let source =
        "norm t {\n  require not (a.b has c) and any m in [x, -1]: count(y in z: y) >= 2\n}";
    let (ast, errors) = parse(source);
    assert!(errors.is_empty(), "{errors:?}");
    let Item::Norm(norm) = &ast.items[0] else {
        panic!()
    };
    let mut spans = Vec::new();
    expr_spans(norm.require.as_ref().unwrap(), source, &mut spans);
    assert_eq!(
        spans,
        [
            "not (a.b has c) and any m in [x, -1]: count(y in z: y) >= 2",
            "not (a.b has c)",
            "(a.b has c)",
            "a.b",
            "a",
            "any m in [x, -1]: count(y in z: y) >= 2",
            "[x, -1]",
            "x",
            "-1",
            "count(y in z: y) >= 2",
            "count(y in z: y)",
            "z",
            "y",
            "2",
        ]
    );
}

#[test]
fn item_and_clause_spans() {
    let source = "/// Doc.\nnorm a.b {\n  severity: error\n  for g in group where g.x\n  let n = 1\n  require n\n}\n\
                  entity e (list) {\n  f: [int]? = [1]\n}\nenum v { x }\n";
    let (ast, errors) = parse(source);
    assert!(errors.is_empty(), "{errors:?}");
    let Item::Norm(norm) = &ast.items[0] else {
        panic!()
    };
    assert_eq!(norm.doc.as_ref().unwrap().span.text(source), "/// Doc.");
    assert!(norm.span.text(source).starts_with("norm a.b {"));
    assert!(norm.span.text(source).ends_with("require n\n}"));
    assert_eq!(norm.id.span.text(source), "a.b");
    assert_eq!(norm.open_brace.text(source), "{");
    assert_eq!(norm.meta[0].span.text(source), "severity: error");
    assert_eq!(norm.meta[0].key_span.text(source), "severity");
    let MetaValue::Severity(_, span) = &norm.meta[0].value else {
        panic!()
    };
    assert_eq!(span.text(source), "error");
    let for_clause = norm.for_clause.as_ref().unwrap();
    assert_eq!(for_clause.span.text(source), "for g in group where g.x");
    assert_eq!(for_clause.kind.span.text(source), "group");
    assert_eq!(norm.lets[0].span.text(source), "let n = 1");

    let Item::Entity(entity) = &ast.items[1] else {
        panic!()
    };
    assert_eq!(
        entity.span.text(source),
        "entity e (list) {\n  f: [int]? = [1]\n}"
    );
    assert_eq!(entity.shape_span.unwrap().text(source), "(list)");
    let field = &entity.fields[0];
    assert_eq!(field.span.text(source), "f: [int]? = [1]");
    let ty = field.ty.as_ref().unwrap();
    assert_eq!(ty.span.text(source), "[int]?");
    let TypeKind::Optional(inner) = &ty.kind else {
        panic!()
    };
    assert_eq!(inner.span.text(source), "[int]");

    let Item::Enum(e) = &ast.items[2] else {
        panic!()
    };
    assert_eq!(e.span.text(source), "enum v { x }");
    assert_eq!(e.variants[0].span.text(source), "x");
}

// ---------------------------------------------------------------------------
// Lexical structure.

#[test]
fn comments_are_kept_in_order() {
    let source = "// one\nenum a { /* two /* nested */ still two */ b // three\n}\n//// four\n";
    let (ast, errors) = parse(source);
    assert!(errors.is_empty(), "{errors:?}");
    let comments: Vec<(&str, CommentKind, &str)> = ast
        .comments
        .iter()
        .map(|c| (c.text.as_str(), c.kind, c.span.text(source)))
        .collect();
    assert_eq!(
        comments,
        [
            ("// one", CommentKind::Line, "// one"),
            (
                "/* two /* nested */ still two */",
                CommentKind::Block,
                "/* two /* nested */ still two */"
            ),
            ("// three", CommentKind::Line, "// three"),
            ("//// four", CommentKind::Line, "//// four"),
        ]
    );
    assert_eq!(sexp(&ast).trim(), "(enum a b)");
}

#[test]
fn only_comments() {
    let (ast, errors) = parse("// a\n/* b */\n");
    assert!(errors.is_empty());
    assert!(ast.items.is_empty());
    assert_eq!(ast.comments.len(), 2);
}

#[test]
fn byte_order_mark_is_skipped_and_counted() {
    let source = "\u{feff}enum a { b }";
    let (ast, errors) = parse(source);
    assert!(errors.is_empty(), "{errors:?}");
    let Item::Enum(e) = &ast.items[0] else {
        panic!()
    };
    assert_eq!(e.name.span, Span::new(8, 9));
    assert_eq!(e.span, Span::new(3, source.len() as u32));
    let (from_bytes, errors) = parse_bytes(source.as_bytes());
    assert!(errors.is_empty());
    assert_eq!(from_bytes, ast);
}

#[test]
fn crlf_line_endings() {
    let source = "// note\r\nentity a {\r\n  x: int\r\n  y: text\r\n}\r\n";
    let (ast, errors) = parse(source);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(ast.comments[0].text, "// note");
    assert_eq!(sexp(&ast).trim(), "(entity a Keyed (x int) (y text))");
    let Item::Entity(e) = &ast.items[0] else {
        panic!()
    };
    assert_eq!(e.fields[1].span.text(source), "y: text");
}

#[test]
fn crlf_in_doc_comments_and_strings() {
    let source = "/// Doc.\r\nnorm a {\r\n  source: \"x\"\r\n  require true\r\n}\r\n";
    check(
        source,
        r#"(norm a (doc "Doc.") (source "x") (require true))"#,
    );
}

#[test]
fn tabs_are_whitespace() {
    check("enum\ta\t{\tb,\tc\t}", "(enum a b c)");
}

#[test]
fn non_ascii_in_strings_and_comments() {
    check(
        "// Überblick: 移民\nnorm a {\n  source: \"Zürich, 東京 🌍\"\n  require true /* ça va */\n}",
        r#"(norm a (source "Zürich, 東京 🌍") (require true))"#,
    );
}

#[test]
fn parse_bytes_accepts_utf8() {
    let (ast, errors) = parse_bytes(b"enum a { b }");
    assert!(errors.is_empty());
    assert_eq!(sexp(&ast).trim(), "(enum a b)");
}

#[test]
fn invalid_utf8_is_one_error_at_the_first_bad_byte() {
    let (ast, errors) = parse_bytes(b"enum a { b }\n// caf\xe9\n enum \xff");
    assert_eq!(ast, Ast::default());
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].kind(), SyntaxErrorKind::InvalidUtf8);
    assert_eq!(errors[0].span(), Span::new(19, 20));
    assert_eq!(errors[0].message(), "file is not valid UTF-8");
}

#[test]
fn non_ascii_identifier_is_an_error() {
    let (ast, errors) = parse("enum área { b }");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].kind(), SyntaxErrorKind::NonAsciiIdentifier);
    assert_eq!(errors[0].span(), Span::new(5, 7));
    // The item is still there, so that nothing else is reported about it.
    assert_eq!(ast.items.len(), 1);
}

#[test]
fn huge_integers_are_errors() {
    assert_eq!(
        error_kinds("norm a { require x > 9223372036854775808 }"),
        [SyntaxErrorKind::IntegerOverflow]
    );
    assert_eq!(
        error_kinds("norm a { require x > -9223372036854775809 }"),
        [SyntaxErrorKind::IntegerOverflow]
    );
    assert_eq!(
        error_kinds("norm a { require x > 12ab }"),
        [SyntaxErrorKind::InvalidInteger]
    );
}

// ---------------------------------------------------------------------------
// Recovery keeps what it can.

#[test]
fn norm_with_a_broken_help_keeps_everything_else() {
    let source =
        "norm a.b {\n  severity: error\n  for g in group\n  require g.x\n  else \"m\"\n  help g\n}";
    let (ast, errors) = parse(source);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        sexp(&ast).trim(),
        r#"(norm a.b (severity error) (for g group) (require g.x) (else "m"))"#
    );
}

#[test]
fn every_broken_item_is_reported() {
    let source = "enum a { b c }\nentity e {\n  x\n}\nnorm n {\n  severity: eror\n  require x = 1\n}\nnorm ok { require true }\n";
    let (ast, errors) = parse(source);
    let kinds: Vec<_> = errors.iter().map(|e| e.kind()).collect();
    assert_eq!(
        kinds,
        [
            SyntaxErrorKind::Unexpected,
            SyntaxErrorKind::MissingType,
            SyntaxErrorKind::UnknownSeverity,
            SyntaxErrorKind::AssignInsteadOfCompare,
        ]
    );
    assert_eq!(
        sexp(&ast).trim(),
        "(enum a b c)\n(entity e Keyed (x <none>))\n(norm n (require (== x 1)))\n(norm ok (require true))"
    );
}

#[test]
fn a_bad_metadata_line_does_not_hide_a_later_error() {
    let kinds = error_kinds("norm a {\n  severity error\n  require (x\n  else \"m\"\n}");
    assert_eq!(
        kinds,
        [SyntaxErrorKind::Unexpected, SyntaxErrorKind::Unclosed]
    );
}

#[test]
fn errors_have_accessors() {
    let (_, errors) = parse("norm a {\n  severity: eror\n  require x\n}");
    let error = &errors[0];
    assert_eq!(error.kind(), SyntaxErrorKind::UnknownSeverity);
    assert_eq!(error.message(), "unknown severity `eror`");
    assert_eq!(error.to_string(), "unknown severity `eror`");
    assert_eq!(error.span(), Span::new(21, 25));
    assert_eq!(error.label(), "expected `error`, `warning` or `info`");
    assert_eq!(error.help_text(), Some("did you mean `error`?"));
    assert_eq!(error.related().count(), 0);
}

// ---------------------------------------------------------------------------
// The standard library.

#[test]
fn standard_schema_parses_without_errors() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules/schema.norm");
    let source = std::fs::read_to_string(path).unwrap();
    let (ast, errors) = parse(&source);
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(ast.items.len() > 20);
    assert!(!ast.comments.is_empty());
}

/// The small examples in `fixtures/valid/norm/` parse without errors; their
/// trees are snapshots.
#[test]
fn valid_fixtures() {
    insta::glob!(
        "../../../fixtures/valid/norm",
        "*.norm",
        |path: &std::path::Path| {
            let source = std::fs::read_to_string(path).unwrap();
            let (ast, errors) = parse(&source);
            assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
            let comments: Vec<&str> = ast.comments.iter().map(|c| c.text.as_str()).collect();
            insta::assert_snapshot!(format!("{}\ncomments: {comments:#?}", sexp(&ast)));
        }
    );
}

#[test]
fn a_bad_metadata_value_does_not_hide_the_rest_of_the_norm() {
    let source = "norm a.b {\n  severity: eror\n  tags: [\"x\"]\n  for g in group\n  requre g.x = 1 && g.y\n}\n";
    let kinds = error_kinds(source);
    assert_eq!(
        kinds,
        [
            SyntaxErrorKind::UnknownSeverity,
            SyntaxErrorKind::UnknownKeyword,
            SyntaxErrorKind::AssignInsteadOfCompare,
            SyntaxErrorKind::ForeignOperator,
        ]
    );
}
