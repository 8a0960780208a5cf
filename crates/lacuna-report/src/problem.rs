//! Problems with the inputs (a proposal that does not parse, an unknown
//! field, a dangling reference), reported beside the findings: what every
//! format shares about them.

use lacuna_eval::{Diagnostic, Stage};
use lacuna_model::{Origin, SourceId};
use lacuna_syntax::Span;

use crate::Severity;

/// The code of the problem that stands for the problems of a file past
/// [`crate::MAX_PROBLEMS_PER_FILE`].
pub const TOO_MANY_PROBLEMS_CODE: &str = "lacuna::too_many_problems";

/// The closing problem of a file with `count` problems past
/// [`crate::MAX_PROBLEMS_PER_FILE`], at the start of the file; `stage` is
/// the stage of the problems it stands for.
pub fn too_many_problems(stage: Stage, source: SourceId, count: usize) -> Diagnostic {
    let start = Origin {
        source,
        span: Span::empty(0),
    };
    Diagnostic {
        help: Some(format!(
            "fix the first {} problems and check again",
            crate::MAX_PROBLEMS_PER_FILE
        )),
        ..Diagnostic::problem(
            stage,
            TOO_MANY_PROBLEMS_CODE,
            Severity::Info,
            omitted_message(count),
            start,
        )
    }
}

/// `1 more problem in this file is not shown`, with the count.
pub fn omitted_message(count: usize) -> String {
    if count == 1 {
        "1 more problem in this file is not shown".to_owned()
    } else {
        format!("{count} more problems in this file are not shown")
    }
}

/// The problems in report order: by file name, position, code and message.
pub(crate) fn sorted_problems<'p>(
    problems: impl IntoIterator<Item = &'p Diagnostic>,
    sources: &lacuna_model::SourceDb,
) -> Vec<&'p Diagnostic> {
    let mut sorted: Vec<&Diagnostic> = problems.into_iter().collect();
    sorted.sort_by_cached_key(|p| {
        (
            sources.name(p.primary.source).to_owned(),
            p.primary.source,
            p.primary.span.start,
            p.primary.span.end,
            p.code.as_str().to_owned(),
            p.message.clone(),
            p.severity,
            p.primary_label.clone(),
            p.evidence
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

    #[test]
    fn the_closing_problem_counts_the_rest() {
        let closing = too_many_problems(Stage::Proposal, SourceId(2), 1);
        assert_eq!(closing.code.as_str(), TOO_MANY_PROBLEMS_CODE);
        assert_eq!(closing.stage(), Some(Stage::Proposal));
        assert_eq!(closing.severity, Severity::Info);
        assert_eq!(closing.message, "1 more problem in this file is not shown");
        assert_eq!(closing.primary.source, SourceId(2));
        assert_eq!(
            too_many_problems(Stage::Syntax, SourceId(0), 7).message,
            "7 more problems in this file are not shown"
        );
    }
}
