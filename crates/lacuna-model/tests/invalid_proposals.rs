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
            let fixes: Vec<lacuna_syntax::Fix> =
                errors.iter().filter_map(|e| e.fix().cloned()).collect();
            let mut out = support::render(errors, name, &text);
            // The fixes and the text they give, so that review sees what
            // `check --fix` would write.
            if !fixes.is_empty() {
                out.push_str("fixes:\n");
                for fix in &fixes {
                    out.push_str(&format!("  [{}] {}\n", fix.applicability, fix.title));
                }
                out.push_str("after every fix:\n");
                out.push_str(&lacuna_syntax::fix::apply(&text, &fixes).text);
            }
            insta::assert_snapshot!(out);
        }
    );
}
