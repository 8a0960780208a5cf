//! Small formatter cases, each an input and the canonical text expected.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use lacuna_syntax::ast::{Ast, Comment, CommentKind};
use lacuna_syntax::{Span, format, parse};

/// Formats `input`, which must parse without errors, and compares the result
/// with `expected`; then checks that `expected` is a fixed point.
fn check(input: &str, expected: &str) {
    let (ast, errors) = parse(input);
    assert!(errors.is_empty(), "{input:?} does not parse: {errors:?}");
    let out = format(&ast, input);
    assert_eq!(out, expected, "formatting {input:?}");
    let (again, errors) = parse(&out);
    assert!(errors.is_empty(), "{out:?} does not parse: {errors:?}");
    assert_eq!(again.without_spans(), ast.without_spans());
    assert_eq!(format(&again, &out), out);
}

/// `check` for the condition of a norm.
fn check_condition(input: &str, expected: &str) {
    check(
        &format!("norm a.b {{ require {input} }}"),
        &format!("norm a.b {{\n  require {expected}\n}}\n"),
    );
}

#[test]
fn parentheses_follow_precedence() {
    check_condition("a and (b or c)", "a and (b or c)");
    check_condition("(a and b) or c", "a and b or c");
    check_condition("a or (b or c)", "a or (b or c)");
    check_condition("((a or b)) or c", "a or b or c");
    check_condition("not (a == b)", "not a == b");
    check_condition("not (a and b)", "not (a and b)");
    check_condition("not not a", "not not a");
    check_condition("(a == b) == c", "(a == b) == c");
    check_condition("a == (b in c)", "a == b in c");
    check_condition("(a in b) in c", "(a in b) in c");
    check_condition("a not in (b)", "a not in b");
    check_condition("(x has f).g", "(x has f).g");
    check_condition("(x.f) has g", "x.f has g");
    check_condition("-3 < (x)", "-3 < x");
}

#[test]
fn a_field_named_norm_may_be_followed_by_more() {
    check_condition("((x.norm)).y", "x.norm.y");
    check_condition("(x has norm) and y", "x has norm and y");
}

#[test]
fn quantifiers_are_parenthesized_as_operands() {
    check_condition(
        "(any f in forum: f.permanent) and x",
        "(any f in forum: f.permanent) and x",
    );
    check_condition(
        "x and (any f in forum: f.permanent)",
        "x and (any f in forum: f.permanent)",
    );
    check_condition(
        "any f in forum where (none g in group): f.permanent",
        "any f in forum where (none g in group): f.permanent",
    );
    check_condition(
        "all f in (forum) : (any p in f.participants: p == ngos)",
        "all f in forum: any p in f.participants: p == ngos",
    );
    check_condition("not (any f in forum)", "not (any f in forum)");
}

#[test]
fn count_and_lists_are_canonical() {
    check_condition(
        "count(m in mandate: m.x) >= 2",
        "count(m in mandate where m.x) >= 2",
    );
    check_condition("count( m in mandate ) > 0", "count(m in mandate) > 0");
    check_condition("a in [ b,c, ]", "a in [b, c]");
    check_condition("a in []", "a in []");
}

#[test]
fn strings_are_reescaped() {
    check_condition(r#"x == "a{b}\u{41}\u{7}""#, r#"x == "a{b}A\u{7}""#);
    check(
        "norm a.b { require x else \"\\{ {x} \\} {{y}}\\t\" }",
        "norm a.b {\n  require x\n  else \"{{ {x} }} {{y}}\\t\"\n}\n",
    );
    check(
        "norm a.b { require x help \"{ x.name }:{count(m in mandate: m.g == x)}\" }",
        "norm a.b {\n  require x\n  help \"{x.name}:{count(m in mandate where m.g == x)}\"\n}\n",
    );
}

#[test]
fn metadata_is_canonical() {
    check(
        "norm a.b {\n  serves: [rights]\n  perspective: [migrants,citizens]\n  tags: [\"x\"]\n  source: \"s\"\n  require x\n}\n",
        "norm a.b {\n  serves: rights\n  perspective: [migrants, citizens]\n  tags: [\"x\"]\n  source: \"s\"\n\n  require x\n}\n",
    );
}

#[test]
fn an_empty_file_stays_empty() {
    check("", "");
    check("\n\n  \n", "");
    check("// only a comment", "// only a comment\n");
}

/// An item the parser could not fully understand is kept as written, so
/// that the rest of a broken file can still be formatted.
#[test]
fn broken_items_are_kept_as_written() {
    let source = "enum   a{x}\nnorm b.c {\n  severity:  error\n}\nentity   d{y:int}\n";
    let (ast, errors) = parse(source);
    assert!(!errors.is_empty());
    assert_eq!(
        format(&ast, source),
        "enum a { x }\n\nnorm b.c {\n  severity:  error\n}\n\nentity d {\n  y: int\n}\n"
    );
}

/// A tree built by a program, without source text or spans, keeps its
/// comments: they come first, in order.
#[test]
fn comments_without_positions_come_first() {
    let (mut ast, _) = parse("enum a { x }");
    ast.comments = vec![
        Comment {
            text: "// one".to_owned(),
            kind: CommentKind::Line,
            span: Span::default(),
        },
        Comment {
            text: "/* two */".to_owned(),
            kind: CommentKind::Block,
            span: Span::default(),
        },
    ];
    let ast = ast.without_spans();
    let out = format(&ast, "");
    assert_eq!(out, "// one\n/* two */\nenum a { x }\n");
    let (again, errors) = parse(&out);
    assert!(errors.is_empty());
    assert_eq!(again.without_spans(), ast);
    assert_eq!(format(&Ast::default(), ""), "");
}

#[test]
fn kind_labels_stay_on_the_line_of_the_name() {
    check(
        "entity   coordination\"coordination mechanism\"   \"coordination mechanisms\"{mechanism: mechanism}",
        "entity coordination \"coordination mechanism\" \"coordination mechanisms\" {\n  mechanism: mechanism\n}\n",
    );
    check(
        "entity mandate \"mandate\"(list){actor:actor}",
        "entity mandate \"mandate\" (list) {\n  actor: actor\n}\n",
    );
}

/// A comment where the formatter cannot keep it (between a keyword and the
/// value that must share its line, or inside parentheses that go away)
/// moves before the unit, and never ends a line where a line break would
/// change what the text means.
#[test]
fn comments_never_split_a_keyword_from_its_value() {
    check(
        "norm a.b { require /* c */ x }",
        "norm a.b {\n  /* c */ require x\n}\n",
    );
    check(
        "norm a.b {\n  severity: /* c */ error\n  require x\n}\n",
        "norm a.b {\n  /* c */ severity: error\n\n  require x\n}\n",
    );
    check(
        "norm a.b { require (/* c */ a and b) or c }",
        "norm a.b {\n  /* c */ require a and b or c\n}\n",
    );
    check(
        "norm a.b { require x or /* c */y }",
        "norm a.b {\n  require x /* c */ or y\n}\n",
    );
    check(
        "entity e {\n  f: /* c */ int\n}\n",
        "entity e {\n  /* c */ f: int\n}\n",
    );
}
