//! Problems with the inputs (broken rule files, broken proposals, a wrong
//! configuration) turned into [`Diagnostic`]s where they are collected.
//!
//! Parsing, loading, schema and rule checking describe their mistakes as
//! miette diagnostics with spans, each in its own error type. This module
//! reads each one out once: its code, severity, message, help and labels
//! become a [`Diagnostic`] with a problem's [`Code`], and nothing downstream
//! sees the error type again. Whatever shows a problem (a terminal, a
//! format for programs, an editor) reads that one type.

use lacuna_eval::{Code, Diagnostic, Evidence, Stage};
use lacuna_model::{Origin, SourceId};
use lacuna_syntax::ast::Severity;
use lacuna_syntax::{Fix, Span};
use miette::LabeledSpan;

/// The code of a problem whose error has none.
pub const INVALID_INPUT_CODE: &str = "lacuna::invalid_input";

/// The problem that `error`, found at `stage`, describes; its spans point
/// into `source`, and `fix` repairs it.
///
/// The primary location is the error's primary label, or its first label,
/// or the start of the file when it has none; the other labels, in the
/// error's order, are the secondary locations.
pub fn from_miette(
    stage: Stage,
    source: SourceId,
    error: &dyn miette::Diagnostic,
    fix: Option<Fix>,
) -> Diagnostic {
    let mut labels: Vec<LabeledSpan> = error.labels().map(Iterator::collect).unwrap_or_default();
    let primary_at = labels.iter().position(LabeledSpan::primary).unwrap_or(0);
    let primary = (primary_at < labels.len()).then(|| labels.remove(primary_at));
    let origin = |label: &LabeledSpan| Origin {
        source,
        span: span_of(label),
    };
    let code = error
        .code()
        .map_or_else(|| INVALID_INPUT_CODE.to_owned(), |code| code.to_string());
    Diagnostic {
        help: error.help().map(|help| help.to_string()),
        primary_label: primary
            .as_ref()
            .and_then(LabeledSpan::label)
            .unwrap_or_default()
            .to_owned(),
        evidence: labels
            .iter()
            .map(|label| Evidence {
                origin: origin(label),
                message: label.label().unwrap_or_default().to_owned(),
                expr_message: None,
            })
            .collect(),
        fixes: fix.into_iter().collect(),
        ..Diagnostic::problem(
            stage,
            code,
            Severity::of_miette(error.severity()),
            error.to_string(),
            primary.as_ref().map_or(
                Origin {
                    source,
                    span: Span::empty(0),
                },
                origin,
            ),
        )
    }
}

/// A miette span as a byte span. Offsets beyond `u32::MAX` saturate; the
/// reporters clamp every span to its text anyway.
fn span_of(label: &LabeledSpan) -> Span {
    let start = u32::try_from(label.offset()).unwrap_or(u32::MAX);
    let end = u32::try_from(label.offset().saturating_add(label.len())).unwrap_or(u32::MAX);
    Span::new(start, end)
}

/// The problem of a proposal that is not UTF-8, at the first byte that
/// breaks the encoding.
pub(crate) fn invalid_utf8(
    source: SourceId,
    bytes: &[u8],
    err: &std::str::Utf8Error,
) -> Diagnostic {
    let at = err.valid_up_to();
    let len = err
        .error_len()
        .unwrap_or(bytes.len().saturating_sub(at))
        .max(1);
    let start = u32::try_from(at).unwrap_or(u32::MAX);
    let end = u32::try_from(at + len).unwrap_or(u32::MAX);
    let error = InvalidUtf8 {
        span: Span::new(start, end),
    };
    from_miette(Stage::Proposal, source, &error, None)
}

/// The order problems are returned in: by file, position, then stage.
pub(crate) fn sort_key(problem: &Diagnostic) -> (SourceId, u32, Option<Stage>) {
    (
        problem.primary.source,
        problem.primary.span.start,
        problem.stage(),
    )
}

/// Whether `diagnostic` is a problem found at `stage`.
pub fn is_at(diagnostic: &Diagnostic, stage: Stage) -> bool {
    matches!(&diagnostic.code, Code::Problem(found, _) if *found == stage)
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("the proposal is not valid UTF-8")]
#[diagnostic(
    code(lacuna::invalid_utf8),
    help("save the file as UTF-8; lacuna reads no other encoding")
)]
struct InvalidUtf8 {
    #[label("this byte does not start a UTF-8 character")]
    span: Span,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error, miette::Diagnostic)]
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

    #[derive(Debug, thiserror::Error, miette::Diagnostic)]
    #[error("something is wrong")]
    #[diagnostic(severity(Warning))]
    struct Bare;

    #[test]
    fn the_primary_label_is_the_location() {
        let fix = Fix::safe("use `unhcr`", Vec::new());
        let problem = from_miette(
            Stage::Proposal,
            SourceId(3),
            &WrongKind {
                name: "unhcr",
                found: "a forum",
                expected: "an agency",
                declared: Span::new(2, 7),
                span: Span::new(20, 27),
            },
            Some(fix.clone()),
        );
        assert_eq!(
            problem.code,
            Code::Problem(Stage::Proposal, "proposal::wrong_kind".into())
        );
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
        assert_eq!(problem.primary_label, "expected an agency");
        assert_eq!(
            problem.evidence,
            [Evidence {
                origin: Origin {
                    source: SourceId(3),
                    span: Span::new(2, 7)
                },
                message: "declared here".into(),
                expr_message: None,
            }]
        );
        assert_eq!(problem.fixes, [fix]);
        assert!(!problem.is_finding());
        assert!(is_at(&problem, Stage::Proposal));
        assert!(!is_at(&problem, Stage::Syntax));
    }

    #[test]
    fn an_error_without_code_or_label_still_reports() {
        let problem = from_miette(Stage::Config, SourceId(0), &Bare, None);
        assert_eq!(problem.code.as_str(), INVALID_INPUT_CODE);
        assert_eq!(problem.stage(), Some(Stage::Config));
        assert_eq!(problem.severity, Severity::Warning);
        assert_eq!(problem.primary.span, Span::empty(0));
        assert_eq!(problem.primary_label, "");
        assert!(problem.evidence.is_empty());
        assert_eq!(problem.help, None);
        assert!(problem.fixes.is_empty());
    }

    #[test]
    fn a_broken_encoding_points_at_the_first_bad_byte() {
        let mut bytes = b"title = \"caf\"\n".to_vec();
        bytes.insert(12, 0xE9);
        let Err(err) = std::str::from_utf8(&bytes) else {
            panic!("the bytes are not UTF-8");
        };
        let problem = invalid_utf8(SourceId(1), &bytes, &err);
        assert_eq!(problem.code.as_str(), "lacuna::invalid_utf8");
        assert_eq!(problem.primary.span, Span::new(12, 13));
        assert!(problem.is_error());
    }
}
