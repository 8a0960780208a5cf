//! Every proposal of `fixtures/valid/proposal/` loads without errors, and
//! the TOML and JSON forms of each load to identical facts.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use lacuna_model::{Format, SourceId, dump, load};

#[test]
fn toml_and_json_forms_load_to_identical_facts() {
    let schema = support::project_schema();
    let dir = support::workspace().join("fixtures/valid/proposal");
    let mut pairs = 0;
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    names.sort();
    for toml_path in names {
        let json_path = toml_path.with_extension("json");
        let mut dumps = Vec::new();
        for (path, format) in [(&toml_path, Format::Toml), (&json_path, Format::Json)] {
            let text = std::fs::read_to_string(path).unwrap();
            let name = path.file_name().unwrap().to_str().unwrap();
            let (facts, errors) = load(&schema, SourceId(1), &text, format);
            assert!(
                errors.is_empty(),
                "{}",
                support::render(errors, name, &text)
            );
            assert!(!facts.is_empty(), "{name} loads no entity");
            dumps.push(dump(&schema, &facts));
        }
        similar_asserts_eq(&dumps[0], &dumps[1], &toml_path.display().to_string());
        pairs += 1;
    }
    assert!(
        pairs >= 4,
        "only {pairs} TOML/JSON pairs in {}",
        dir.display()
    );
}

fn similar_asserts_eq(toml: &str, json: &str, what: &str) {
    if toml != json {
        let diff = similar::TextDiff::from_lines(toml, json);
        panic!(
            "{what}: TOML and JSON facts differ\n{}",
            diff.unified_diff().header("toml", "json")
        );
    }
}
