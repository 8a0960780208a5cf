//! A large JSON proposal loads to the same facts and the same errors on one
//! thread and on several: entities are read in parallel only past a size,
//! so these proposals are generated above it, some of their entities broken
//! in the ways that send an entity back to the reading that reports.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use lacuna_model::{Facts, Format, Schema, SourceId, Sym, dump, generate, load};

/// More entities than the loader reads on one thread.
const ENTITIES: usize = 40_000;

/// Breaks one entity line in seven hundred, each in one of several ways:
/// an unknown field, no fields at all (so required ones are missing), a
/// boolean given as text, a value of a reference, enum or text changed
/// (with an escape, and without), a `null` for a boolean. None is a syntax
/// error, which would have the whole text read again with every node built.
fn break_some(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4096);
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let entity = line.trim_start().starts_with('"') && line.contains(": {\"");
        if !entity || i % 700 != 3 {
            out.push_str(line);
            continue;
        }
        let broken = match (i / 700) % 6 {
            0 => line.replacen(": {\"", ": {\"no_such_field\": 1, \"", 1),
            1 => match (line.find(": {"), line.rfind('}')) {
                (Some(open), Some(close)) => {
                    format!("{}: {{}}{}", &line[..open], &line[close + 1..])
                }
                _ => line.to_owned(),
            },
            2 => line.replacen("true", "\"yes\"", 1),
            3 => line.replacen("\": \"", "\": \"nobody\\u00e9", 1),
            4 => line.replacen("\": \"", "\": \"nobody", 1),
            _ => line.replacen("false", "null", 1),
        };
        out.push_str(&broken);
    }
    out
}

fn on_threads(n: usize, schema: &Schema, text: &str) -> (Facts, String) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .unwrap();
    pool.install(|| {
        let (facts, errors) = load(schema, SourceId(0), text, Format::Json);
        let rendered = support::render(errors, "large.json", text);
        (facts, rendered)
    })
}

/// Every interned string, in the order of its symbol.
fn strings(facts: &Facts) -> Vec<&str> {
    (0..facts.strings.len() as u32)
        .map(|i| facts.strings.resolve(Sym(i)))
        .collect()
}

#[test]
fn large_json_loads_the_same_on_any_number_of_threads() {
    let schema = support::project_schema();
    let valid = generate::proposal(&schema, ENTITIES, 11, Format::Json);
    let broken = break_some(&valid);
    assert_ne!(valid, broken);
    for (name, text) in [("valid", &valid), ("broken", &broken)] {
        let (one, one_errors) = on_threads(1, &schema, text);
        let (many, many_errors) = on_threads(4, &schema, text);
        assert!(one.len() >= ENTITIES, "{name}: {} entities", one.len());
        assert_eq!(one.kinds, many.kinds, "{name}: facts differ");
        assert_eq!(strings(&one), strings(&many), "{name}: strings differ");
        assert_eq!(dump(&schema, &one), dump(&schema, &many), "{name}");
        assert_eq!(one_errors, many_errors, "{name}: errors differ");
        if name == "valid" {
            assert!(one_errors.is_empty(), "{one_errors}");
        } else {
            for expected in ["unknown field", "missing", "expected", "no_such_field"] {
                assert!(
                    one_errors.contains(expected),
                    "no `{expected}` in:\n{one_errors:.2000}"
                );
            }
        }
    }
}

/// Listed entities are declared on several threads when a kind has many:
/// the same entities, in the same order, with the same spans, whether an
/// entity is written on one line or on several (then its opening brace is
/// where it is shown).
#[test]
fn many_listed_entities_are_declared_the_same_on_any_number_of_threads() {
    let schema = support::project_schema();
    let mut text = String::from(
        "{\n\"proposal\": {\"title\": \"many mandates\"},\n\"actor\": {\"a1\": {\"kind\": \"agency\"}},\n\"group\": {\"g1\": {\"area\": \"refugees\"}},\n\"mandate\": [\n",
    );
    let count = 20_000;
    for i in 0..count {
        if i % 97 == 5 {
            text.push_str(
                "{\n  \"actor\": \"a1\",\n  \"function\": \"protection\",\n  \"group\": \"g1\"\n}",
            );
        } else {
            text.push_str("{\"actor\": \"a1\", \"function\": \"assistance\", \"group\": \"g1\"}");
        }
        text.push_str(if i + 1 < count { ",\n" } else { "\n" });
    }
    text.push_str("]\n}\n");
    let (one, one_errors) = on_threads(1, &schema, &text);
    let (many, many_errors) = on_threads(4, &schema, &text);
    assert!(one_errors.is_empty(), "{one_errors}");
    assert!(one.len() > count, "{} entities", one.len());
    assert_eq!(one.kinds, many.kinds, "facts differ");
    assert_eq!(dump(&schema, &one), dump(&schema, &many));
    assert_eq!(one_errors, many_errors);
}
