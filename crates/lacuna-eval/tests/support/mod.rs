//! Shared by the integration tests: the project's rules, parsed, and the
//! rendering of diagnostics as snapshots show them.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use lacuna_model::{Schema, SourceId, build_schema};
use lacuna_syntax::ast::Ast;
use miette::{GraphicalReportHandler, GraphicalTheme, NamedSource};

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Parses a rule file; panics on a syntax error.
pub fn parse(name: &str, text: &str) -> Ast {
    let (ast, errors) = lacuna_syntax::parse(text);
    assert!(errors.is_empty(), "{name}: {errors:?}");
    ast
}

/// Every `.norm` file of `rules/`, in file-name order, as (name, text).
pub fn rule_files() -> Vec<(String, String)> {
    let dir = workspace().join("rules");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "norm"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = format!("rules/{}", p.file_name().unwrap().to_str().unwrap());
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// The schema of parsed files; panics on any schema error.
pub fn schema(files: &[(SourceId, &Ast)]) -> Schema {
    let (schema, errors) = build_schema(files);
    assert!(errors.is_empty(), "{errors:?}");
    schema
}

/// Renders diagnostics with no colour at 100 columns, the source attached
/// under `name`.
pub fn render<E>(errors: Vec<E>, name: &str, text: &str) -> String
where
    E: miette::Diagnostic + Send + Sync + 'static,
{
    let handler =
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(100);
    let mut out = String::new();
    for e in errors {
        let report =
            miette::Report::new(e).with_source_code(NamedSource::new(name, text.to_owned()));
        handler.render_report(&mut out, report.as_ref()).unwrap();
    }
    out
}
