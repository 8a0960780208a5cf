//! Every file of `fixtures/invalid/rules/` is checked against
//! `rules/schema.norm`; the rendered diagnostics are snapshots to review.
//! Each snapshot starts with the norms that still run: a norm with only
//! warnings stays in the program, a norm with an error is left out.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use lacuna_eval::check_rules;
use lacuna_model::SourceId;

#[test]
fn invalid_rules() {
    let schema_text =
        std::fs::read_to_string(support::workspace().join("rules/schema.norm")).unwrap();
    let schema_ast = support::parse("schema.norm", &schema_text);
    insta::glob!("../../../fixtures/invalid/rules", "*.norm", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let name = format!(
            "fixtures/invalid/rules/{}",
            path.file_name().unwrap().to_str().unwrap()
        );
        let ast = support::parse(&name, &text);
        let files = [(SourceId(0), &schema_ast), (SourceId(1), &ast)];
        let schema = support::schema(&files);
        let (program, errors) = check_rules(&schema, &files);
        assert!(!errors.is_empty(), "{name} checks without a diagnostic");
        for e in &errors {
            assert_eq!(e.source_id(), SourceId(1), "{name}: {e}");
        }
        let running: Vec<&str> = program.norms.iter().map(|n| n.id.as_str()).collect();
        let mut out = format!("running: {running:?}\n\n");
        out.push_str(&support::render(errors, &name, &text));
        insta::assert_snapshot!(out);
    });
}

/// The standard library checks without errors or warnings.
#[test]
fn standard_library_checks_cleanly() {
    let files = support::rule_files();
    let asts: Vec<_> = files
        .iter()
        .map(|(name, text)| support::parse(name, text))
        .collect();
    let ids: Vec<_> = asts
        .iter()
        .enumerate()
        .map(|(i, ast)| (SourceId(i as u32), ast))
        .collect();
    let schema = support::schema(&ids);
    let (program, errors) = check_rules(&schema, &ids);
    let rendered: Vec<String> = errors
        .into_iter()
        .map(|e| {
            let (name, text) = &files[e.source_id().0 as usize];
            support::render(vec![e], name, text)
        })
        .collect();
    assert!(rendered.is_empty(), "{}", rendered.join("\n"));
    assert!(program.norms.len() >= 20, "{} norms", program.norms.len());
}

/// A norm id defined in two files: the second is the error, and its help
/// says that another file defines it first.
#[test]
fn duplicate_id_across_files() {
    let schema_text =
        std::fs::read_to_string(support::workspace().join("rules/schema.norm")).unwrap();
    let first = "/// A permanent forum exists.\nnorm forum.permanent {\n  require any f in forum: f.permanent\n}\n";
    let second = "/// Global forums are permanent.\nnorm forum.permanent {\n  for f in forum\n  require f.permanent\n}\n";
    let asts = [
        support::parse("schema.norm", &schema_text),
        support::parse("first.norm", first),
        support::parse("second.norm", second),
    ];
    let files: Vec<_> = asts
        .iter()
        .enumerate()
        .map(|(i, a)| (SourceId(i as u32), a))
        .collect();
    let schema = support::schema(&files);
    let (program, errors) = check_rules(&schema, &files);
    assert_eq!(program.norms.len(), 1);
    assert_eq!(program.norms[0].origin.source, SourceId(1));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].source_id(), SourceId(2));
    insta::assert_snapshot!(support::render(errors, "second.norm", second));
}
