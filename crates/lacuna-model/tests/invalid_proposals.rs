//! Every file of `fixtures/invalid/proposal/` is loaded against
//! `rules/schema.norm`; the rendered diagnostics are snapshots to review.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use lacuna_model::{Format, SourceId, load};

#[test]
fn invalid_proposals() {
    let schema = support::project_schema();
    insta::glob!(
        "../../../fixtures/invalid/proposal",
        "*.{toml,json}",
        |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let format = Format::from_path(path).unwrap();
            let name = path.file_name().unwrap().to_str().unwrap();
            let (_, errors) = load(&schema, SourceId(1), &text, format);
            assert!(!errors.is_empty(), "{name} loads without errors");
            insta::assert_snapshot!(support::render(errors, name, &text));
        }
    );
}
