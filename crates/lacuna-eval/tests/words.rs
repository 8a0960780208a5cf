//! Evidence in the reader's words, one construct at a time: a small schema,
//! one norm, one proposal, and the reader's text of every piece of evidence.
//! Kinds with a label are called by it; kinds without one by their name.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use lacuna_eval::check_rules;
use lacuna_model::{Format, SourceId, load};
use lacuna_syntax::ast::Severity;

const SCHEMA: &str = r#"
enum colour { red, green, blue }

entity shop "shop" "shops" {
  open: bool = false
  colours: [colour] = []
  owner: person?
  size: int = 0
}

entity person {
  trusted: bool = false
  colour: colour?
}

entity sale (list) {
  shop: shop
  colour: colour
}
"#;

/// Checks `norm` over `proposal` and compares the reader's text of every
/// piece of evidence, in order, with `expected`.
fn check(norm: &str, proposal: &str, expected: &[&str]) {
    let schema_ast = support::parse("schema.norm", SCHEMA);
    let norm_ast = support::parse("norm.norm", norm);
    let files = [(SourceId(0), &schema_ast), (SourceId(1), &norm_ast)];
    let schema = support::schema(&files);
    let (program, errors) = check_rules(&schema, &files);
    // The norms here have no message: that warning is beside the point.
    let errors: Vec<_> = errors
        .into_iter()
        .filter(|e| e.severity() == Severity::Error)
        .collect();
    assert!(
        errors.is_empty(),
        "{}",
        support::render(errors, "norm.norm", norm)
    );
    let (facts, errors) = load(&schema, SourceId(2), proposal, Format::Toml);
    assert!(errors.is_empty(), "{errors:?}");
    let findings = lacuna_eval::evaluate(&program, &schema, &facts);
    let reference = lacuna_eval::reference::evaluate(&program, &schema, &facts);
    assert_eq!(findings, reference);
    let got: Vec<&str> = findings
        .iter()
        .flat_map(|f| f.evidence.iter().map(|e| e.message.as_str()))
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn a_field_of_the_subject() {
    check(
        "norm t { for s in shop require s.open }",
        "[shop.corner]\nopen = false\n",
        &["`corner` has `open = false`"],
    );
    check(
        "norm t { for s in shop require s.size >= 3 }",
        "[shop.corner]\n",
        &["`corner` has `size = 0` (the default), not at least `3`"],
    );
}

#[test]
fn a_path_through_a_reference_names_the_entity_reached() {
    check(
        "norm t { for s in shop require s.owner.trusted }",
        "[person.ann]\n[shop.corner]\nowner = \"ann\"\n",
        &["`ann` (the `owner` of `corner`) has `trusted = false` (the default)"],
    );
    check(
        "norm t { for s in shop require s.owner.trusted }",
        "[shop.corner]\n",
        &["`corner` has no `owner`"],
    );
    check(
        "norm t { for s in shop require s has owner }",
        "[shop.corner]\n",
        &["`corner` has no `owner`"],
    );
}

#[test]
fn lists() {
    check(
        "norm t { for s in shop require red in s.colours }",
        "[shop.corner]\ncolours = [\"blue\"]\n",
        &["`corner` has no `red` in `colours`"],
    );
    check(
        "norm t { for s in shop require red in s.colours }",
        "[shop.corner]\n",
        &["`corner` has `colours = []` (the default), without `red`"],
    );
}

#[test]
fn a_condition_left_unsaid_is_never_dropped_from_a_claim() {
    // The filter's second conjunct has no words, so the sentence cannot
    // claim that no shop with `open = true` has `size = 1`.
    check(
        "norm t { for p in person require any s in shop where s.open and s.owner.trusted: s.size == 1 }",
        "[person.ann]\n[shop.corner]\nopen = true\nsize = 2\n",
        &["no shop with `open = true` qualifies; `corner` comes closest: it has no `owner`"],
    );
}

#[test]
fn a_failed_any_names_the_kind_by_its_label_or_its_name() {
    check(
        "norm t { for p in person require any s in shop where s.owner == p: s.open }",
        "[person.ann]\n[shop.corner]\nowner = \"ann\"\n",
        &[
            "no shop with `owner = ann` has `open = true`; `corner` comes closest: it has `open = false` (the default)",
        ],
    );
    check(
        "norm t { for s in shop require any p in person where p.trusted: p.colour == red }",
        "[shop.corner]\n[person.ann]\ntrusted = true\ncolour = \"blue\"\n",
        &[
            "no `person` with `trusted = true` has `colour = red`; `ann` comes closest: it has `colour = blue`, not `red`",
        ],
    );
}

#[test]
fn a_member_refers_to_what_it_reaches_as_its() {
    check(
        "norm t { for s in shop require any x in sale where x.shop == s: x.shop.open }",
        "[shop.corner]\n[[sale]]\nshop = \"corner\"\ncolour = \"red\"\n",
        &[
            "no `sale` with `shop = corner` qualifies; `sale[0]` comes closest: its `shop` `corner` has `open = false` (the default)",
        ],
    );
}

#[test]
fn a_failed_all_and_a_failed_none() {
    check(
        "norm t { require all s in shop: s.open }",
        "[shop.corner]\n[shop.market]\nopen = true\n",
        &[
            "not every shop has `open = true`; `corner` is an exception: it has `open = false` (the default)",
        ],
    );
    check(
        "norm t { require none x in sale: x.colour == red }",
        "[shop.corner]\n[[sale]]\nshop = \"corner\"\ncolour = \"red\"\n",
        &["`sale[0]` matches, where none should: it has `colour = red`"],
    );
}

#[test]
fn counts_say_what_was_counted_and_the_bound() {
    check(
        "norm t { require count(s in shop where s.open) < 2 }",
        "[shop.a]\nopen = true\n[shop.b]\nopen = true\n",
        &[
            "`a` is counted: it has `open = true`; 2 shops are counted in all, and the norm expects fewer than 2",
            "`b` is counted: it has `open = true`; 2 shops are counted in all, and the norm expects fewer than 2",
        ],
    );
    check(
        "norm t { require count(p in person where p.trusted) == 0 }",
        "[person.ann]\ntrusted = true\n",
        &[
            "`ann` is counted: it has `trusted = true`; 1 `person` is counted in all, and the norm expects exactly 0",
        ],
    );
    check(
        "norm t { require count(p in person where p.trusted) > 1 }",
        "[person.ann]\ntrusted = true\n[person.bob]\ntrusted = true\n[person.cy]\n",
        &[],
    );
    check(
        "norm t { require not (count(p in person where p.trusted) > 1) }",
        "[person.ann]\ntrusted = true\n[person.bob]\ntrusted = true\n",
        &[
            "`ann` is counted: it has `trusted = true`; 2 `person` entities are counted in all, and the norm expects at most 1",
            "`bob` is counted: it has `trusted = true`; 2 `person` entities are counted in all, and the norm expects at most 1",
        ],
    );
}

#[test]
fn a_quantifier_inside_a_member() {
    check(
        "norm t { for s in shop require any x in sale where x.shop == s: x.colour in s.colours }",
        "[shop.corner]\ncolours = [\"blue\"]\n[[sale]]\nshop = \"corner\"\ncolour = \"red\"\n",
        &[
            "no `sale` with `shop = corner` qualifies; `sale[0]` comes closest: `corner` has no `red` in `colours`",
        ],
    );
    check(
        "norm t { for s in shop require any x in sale where x.shop == s: any c in s.colours: c == x.colour }",
        "[shop.corner]\ncolours = [\"blue\", \"green\"]\n[[sale]]\nshop = \"corner\"\ncolour = \"red\"\n",
        &[
            "no `sale` with `shop = corner` qualifies; `sale[0]` comes closest: no member of the `colours` of `corner` is `red`",
        ],
    );
}
