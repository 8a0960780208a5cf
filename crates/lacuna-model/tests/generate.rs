//! Generated proposals are valid for any schema, deterministic, and load to
//! the same facts from TOML and JSON.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use lacuna_model::{Format, Schema, SourceId, dump, generate, load};
use proptest::prelude::*;

/// Other vocabularies than the project's: integers, nested lists, cycles of
/// references, a kind with no fields, a schema without singleton.
const OTHER_SCHEMAS: [&str; 3] = [
    "entity person {\n  name: text\n  age: int = 0\n  friends: [person] = []\n  mentor: person?\n}\n",
    "enum colour { red, green, blue }\n\nentity settings (singleton) {\n  colour: colour = red\n  sizes: [[int]] = []\n}\n\nentity node {\n  parent: node?\n  edge: edge\n  weights: [[int]]\n  tags: [colour]?\n}\n\nentity edge {\n  from: node\n  to: [node]\n  label: text = \"none\"\n}\n\nentity marker { }\n\nentity event (list) {\n  at: node\n  colour: colour\n  note: text?\n}\n",
    "entity config (singleton) {\n  title: text\n  strict: bool\n  limit: int\n}\n",
];

/// Loads the TOML and JSON forms of one seed; both must be free of errors
/// and give the same facts. Returns the number of entities.
fn roundtrip(schema: &Schema, entities: usize, seed: u64) -> usize {
    let mut dumps = Vec::new();
    let mut count = 0;
    for format in [Format::Toml, Format::Json] {
        let text = generate::proposal(schema, entities, seed, format);
        assert_eq!(
            text,
            generate::proposal(schema, entities, seed, format),
            "not deterministic"
        );
        let (facts, errors) = load(schema, SourceId(0), &text, format);
        let name = format!("generated.{}", format.as_str().to_lowercase());
        assert!(
            errors.is_empty(),
            "seed {seed}:\n{}",
            support::render(errors, &name, &text)
        );
        count = facts.len();
        dumps.push(dump(schema, &facts));
    }
    assert_eq!(
        dumps[0], dumps[1],
        "seed {seed}: TOML and JSON facts differ"
    );
    count
}

#[test]
fn project_schema_at_several_sizes_and_seeds() {
    let schema = support::project_schema();
    for entities in [0, 1, 10, 200, 3000] {
        for seed in [0, 1, 42] {
            let n = roundtrip(&schema, entities, seed);
            assert!(
                n >= entities && n <= entities + schema.entities.len(),
                "{n} for {entities}"
            );
        }
    }
}

#[test]
fn other_schemas() {
    for text in OTHER_SCHEMAS {
        let schema = support::schema_from(text);
        for entities in [0, 5, 500] {
            for seed in [3, 7] {
                roundtrip(&schema, entities, seed);
            }
        }
    }
}

#[test]
fn seeds_give_different_proposals() {
    let schema = support::project_schema();
    let a = generate::proposal(&schema, 50, 1, Format::Toml);
    let b = generate::proposal(&schema, 50, 2, Format::Toml);
    assert_ne!(a, b);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn any_seed_loads_cleanly(seed in any::<u64>(), entities in 0usize..80, which in 0usize..4) {
        let schema = match OTHER_SCHEMAS.get(which) {
            Some(text) => support::schema_from(text),
            None => support::project_schema(),
        };
        roundtrip(&schema, entities, seed);
    }
}
