//! `docs/norms.md` is generated from the standard rules; this test fails
//! when it is out of date. Regenerate it with
//! `UPDATE_DOCS=1 cargo test -p lacuna --test docs_norms`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fs;
use std::path::Path;

use lacuna::Engine;
use lacuna::catalogue;

#[test]
fn norms_md_is_up_to_date() {
    let (engine, problems) = Engine::build(lacuna::standard_rules());
    assert!(
        problems.is_empty(),
        "the standard rules have problems: {problems:?}"
    );
    let generated = catalogue::markdown(&engine);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/norms.md");
    if std::env::var_os("UPDATE_DOCS").is_some_and(|v| v == "1") {
        fs::write(&path, &generated).unwrap();
        return;
    }
    let current = fs::read_to_string(&path).unwrap_or_default();
    if current != generated {
        let diff = similar::TextDiff::from_lines(&current, &generated)
            .unified_diff()
            .header("docs/norms.md", "generated")
            .to_string();
        panic!(
            "docs/norms.md is out of date with the rules; regenerate it with\n\n    \
             UPDATE_DOCS=1 cargo test -p lacuna --test docs_norms\n\n{diff}"
        );
    }
}

#[test]
fn every_standard_norm_is_in_the_catalogue() {
    let (engine, _) = Engine::build(lacuna::standard_rules());
    let generated = catalogue::markdown(&engine);
    for norm in &engine.program().norms {
        assert!(
            generated.contains(&format!("### `{}`", norm.id)),
            "`{}` has no section",
            norm.id
        );
    }
}
