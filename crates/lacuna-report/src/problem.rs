//! Problems with the inputs (a proposal that does not parse, an unknown
//! field, a dangling reference), reported beside the findings.
//!
//! Loading and checking describe such problems as miette diagnostics. The
//! formats for programs cannot carry a diagnostic as it is, so
//! [`InputProblem::from_diagnostic`] reads out what they need: a code, a
//! severity, the message and help, and the labels as locations.

use lacuna_eval::Evidence;
use lacuna_model::{Origin, SourceId};
use lacuna_syntax::{Fix, Span};
use miette::{Diagnostic, LabeledSpan};

use crate::Severity;

/// The code of a problem whose diagnostic has none.
pub const INVALID_INPUT_CODE: &str = "lacuna::invalid_input";

/// One problem with an input, as the formats for programs report it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputProblem {
    /// The diagnostic's code, such as `proposal::unknown_field`, or
    /// [`INVALID_INPUT_CODE`].
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    /// Where the problem points: the diagnostic's primary label, or its
    /// first label; the start of the file when it has none.
    pub primary: Origin,
    /// The text of that label; empty when it has none.
    pub label: String,
    /// The other labels, in the diagnostic's order.
    pub related: Vec<Evidence>,
    /// Repairs, whose edits point into the file of `primary`.
    pub fixes: Vec<Fix>,
}

impl InputProblem {
    /// The problem `diagnostic` describes; its spans point into `source`.
    pub fn from_diagnostic(source: SourceId, diagnostic: &dyn Diagnostic) -> InputProblem {
        let mut labels: Vec<LabeledSpan> = diagnostic
            .labels()
            .map(Iterator::collect)
            .unwrap_or_default();
        let primary_at = labels.iter().position(LabeledSpan::primary).unwrap_or(0);
        let primary = (primary_at < labels.len()).then(|| labels.remove(primary_at));
        let origin = |label: &LabeledSpan| Origin {
            source,
            span: span_of(label),
        };
        InputProblem {
            code: diagnostic
                .code()
                .map_or_else(|| INVALID_INPUT_CODE.to_owned(), |code| code.to_string()),
            severity: Severity::of_miette(diagnostic.severity()),
            message: diagnostic.to_string(),
            help: diagnostic.help().map(|help| help.to_string()),
            primary: primary.as_ref().map_or(
                Origin {
                    source,
                    span: Span::empty(0),
                },
                origin,
            ),
            label: primary
                .as_ref()
                .and_then(LabeledSpan::label)
                .unwrap_or_default()
                .to_owned(),
            related: labels
                .iter()
                .map(|label| Evidence {
                    origin: origin(label),
                    message: label.label().unwrap_or_default().to_owned(),
                    expr_message: None,
                })
                .collect(),
            fixes: Vec::new(),
        }
    }
}

/// A miette span as a byte span. Offsets beyond `u32::MAX` saturate; the
/// reporters clamp every span to its text anyway.
fn span_of(label: &LabeledSpan) -> Span {
    let start = u32::try_from(label.offset()).unwrap_or(u32::MAX);
    let end = u32::try_from(label.offset().saturating_add(label.len())).unwrap_or(u32::MAX);
    Span::new(start, end)
}

/// The problems in report order: by file name, position, code and message.
pub(crate) fn sorted_problems<'p>(
    problems: &'p [InputProblem],
    sources: &lacuna_model::SourceDb,
) -> Vec<&'p InputProblem> {
    let mut sorted: Vec<&InputProblem> = problems.iter().collect();
    sorted.sort_by_cached_key(|p| {
        (
            sources.name(p.primary.source).to_owned(),
            p.primary.source,
            p.primary.span.start,
            p.primary.span.end,
            p.code.clone(),
            p.message.clone(),
            p.severity,
            p.label.clone(),
            p.related
                .iter()
                .map(|r| (r.origin, r.message.clone()))
                .collect::<Vec<_>>(),
            p.help.clone(),
        )
    });
    sorted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error, Diagnostic)]
    #[error("`{name}` is {found}, not {expected}")]
    #[diagnostic(code(proposal::wrong_kind), help("point at an agency"))]
    struct WrongKind {
        name: &'static str,
        found: &'static str,
        expected: &'static str,
        #[label("declared here")]
        declared: Span,
        #[label(primary, "expected an agency")]
        span: Span,
    }

    #[derive(Debug, thiserror::Error, Diagnostic)]
    #[error("something is wrong")]
    #[diagnostic(severity(Warning))]
    struct Bare;

    #[test]
    fn the_primary_label_is_the_location() {
        let problem = InputProblem::from_diagnostic(
            SourceId(3),
            &WrongKind {
                name: "unhcr",
                found: "a forum",
                expected: "an agency",
                declared: Span::new(2, 7),
                span: Span::new(20, 27),
            },
        );
        assert_eq!(problem.code, "proposal::wrong_kind");
        assert_eq!(problem.severity, Severity::Error);
        assert_eq!(problem.message, "`unhcr` is a forum, not an agency");
        assert_eq!(problem.help.as_deref(), Some("point at an agency"));
        assert_eq!(
            problem.primary,
            Origin {
                source: SourceId(3),
                span: Span::new(20, 27)
            }
        );
        assert_eq!(problem.label, "expected an agency");
        assert_eq!(
            problem.related,
            [Evidence {
                origin: Origin {
                    source: SourceId(3),
                    span: Span::new(2, 7)
                },
                message: "declared here".into(),
                expr_message: None,
            }]
        );
    }

    #[test]
    fn a_diagnostic_without_code_or_label_still_reports() {
        let problem = InputProblem::from_diagnostic(SourceId(0), &Bare);
        assert_eq!(problem.code, INVALID_INPUT_CODE);
        assert_eq!(problem.severity, Severity::Warning);
        assert_eq!(problem.primary.span, Span::empty(0));
        assert_eq!(problem.label, "");
        assert!(problem.related.is_empty());
        assert_eq!(problem.help, None);
    }
}
