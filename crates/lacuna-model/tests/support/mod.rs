//! Shared by the integration tests: the project's schema and rendering.

use std::path::{Path, PathBuf};

use lacuna_model::{Schema, SourceId, build_schema};
use miette::{GraphicalReportHandler, GraphicalTheme, NamedSource};

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `rules/schema.norm`, parsed and resolved; panics on any error in it.
pub fn project_schema() -> Schema {
    let path = workspace().join("rules/schema.norm");
    let text = std::fs::read_to_string(&path).unwrap();
    schema_from(&text)
}

/// A schema from norm source text; panics on any error in it.
pub fn schema_from(text: &str) -> Schema {
    let (ast, syntax) = lacuna_syntax::parse(text);
    assert!(syntax.is_empty(), "{syntax:?}");
    let (schema, errors) = build_schema(&[(SourceId(0), &ast)]);
    assert!(errors.is_empty(), "{errors:?}");
    schema
}

/// Renders diagnostics as the snapshots show them: no colour, 100 columns,
/// the source attached under `name`.
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
