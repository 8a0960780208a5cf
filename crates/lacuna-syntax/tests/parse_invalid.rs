//! Every file in `fixtures/invalid/norm/` holds one realistic mistake (or, in
//! a few, several, to show recovery). The snapshot is the rendered report a
//! user would see; each was reviewed so that the primary label sits on the
//! offending text.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fmt::Write as _;
use std::path::Path;

use miette::{GraphicalReportHandler, GraphicalTheme, NamedSource, Report};

fn render(name: &str, source: &str) -> String {
    let (_, errors) = lacuna_syntax::parse(source);
    assert!(
        !errors.is_empty(),
        "{name}: an invalid fixture must produce an error"
    );
    let handler =
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(100);
    let mut out = String::new();
    let fixes: Vec<lacuna_syntax::Fix> = errors.iter().filter_map(|e| e.fix().cloned()).collect();
    for error in errors {
        let report = Report::new(error).with_source_code(NamedSource::new(name, source.to_owned()));
        handler.render_report(&mut out, report.as_ref()).unwrap();
        writeln!(out).unwrap();
    }
    // The fixes, applied: the snapshot shows the text a user gets from
    // `check --fix`, so a fix that breaks something shows in review.
    if !fixes.is_empty() {
        writeln!(out, "after {} fix(es):", fixes.len()).unwrap();
        for fix in &fixes {
            writeln!(out, "  [{}] {}", fix.applicability, fix.title).unwrap();
        }
        writeln!(out, "{}", lacuna_syntax::fix::apply(source, &fixes).text).unwrap();
    }
    out
}

#[test]
fn invalid_fixtures() {
    insta::glob!("../../../fixtures/invalid/norm", "*.norm", |path: &Path| {
        let source = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(render(&name, &source));
    });
}

#[test]
fn there_are_enough_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/invalid/norm");
    let count = std::fs::read_dir(dir)
        .unwrap()
        .filter(|entry| {
            entry
                .as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|ext| ext == "norm"))
        })
        .count();
    assert!(count >= 25, "only {count} invalid fixtures");
}
