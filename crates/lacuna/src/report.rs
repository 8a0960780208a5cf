//! `lacuna report`: the view a report draws from a rule set, and the page.
//!
//! A view is a small TOML file kept with the rules (`rules/report.toml` for
//! the standard ones) that names, in the schema's words, what the coverage
//! matrix shows. It is data, so the engine stays free of any domain's
//! vocabulary. `docs/report.md` describes the file and the page.

use lacuna_report::coverage::{CoverageSpec, ResolvedSpec, resolve};
use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;

use crate::Schema;

pub use lacuna_report::html::{HtmlReport, ReportProposal, render_html};

/// The view of the standard rules.
pub const STANDARD_VIEW: (&str, &str) = (
    "<standard>/report.toml",
    include_str!("../../../rules/report.toml"),
);

/// A report view: what `lacuna report` draws beside the findings.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct View {
    /// The coverage matrix; none when absent.
    #[serde(default)]
    pub coverage: Option<CoverageSpec>,
}

/// A view that does not parse or does not fit the schema.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("invalid report view: {message}")]
#[diagnostic(code(report::view))]
pub struct ViewError {
    message: String,
    #[source_code]
    text: NamedSource<String>,
    #[label("here")]
    span: Option<SourceSpan>,
    #[help]
    help: Option<String>,
}

/// A view ready to draw: its coverage spec resolved against the schema.
#[derive(Clone, Debug)]
pub struct ResolvedView {
    /// The coverage matrix to draw; none when the view has none.
    pub coverage: Option<ResolvedSpec>,
}

/// Parses the view `name` with text `text` and resolves it against
/// `schema`.
pub fn load_view(schema: &Schema, name: &str, text: &str) -> Result<ResolvedView, Box<ViewError>> {
    let error = |message: String, span: Option<std::ops::Range<usize>>, help: Option<String>| {
        Box::new(ViewError {
            message,
            text: NamedSource::new(name, text.to_owned()),
            span: span.map(|r| SourceSpan::new(r.start.into(), r.end.saturating_sub(r.start))),
            help,
        })
    };
    let view: View = toml::from_str(text).map_err(|e| {
        error(
            e.message().trim_end().to_owned(),
            e.span(),
            Some("docs/report.md describes the fields of a report view".to_owned()),
        )
    })?;
    let coverage = match &view.coverage {
        Some(spec) => Some(resolve(schema, spec).map_err(|e| {
            // Point at the table the mistake is in.
            let at = text.find("[coverage]").map(|i| i..i + "[coverage]".len());
            error(
                format!("in `[coverage]`: {e}"),
                at,
                Some(
                    "name entity kinds, fields and enum variants of the rule set's schema"
                        .to_owned(),
                ),
            )
        })?),
        None => None,
    };
    Ok(ResolvedView { coverage })
}
