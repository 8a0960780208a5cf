//! The report of `lacuna test`: a status line for each fixture, its
//! failures as diagnostics in an excerpt of the fixture, and a summary.
//!
//! The facade (`lacuna::ruletest`) runs the fixtures and says what failed;
//! this module only words and draws it.

use std::fmt::{self, Write as _};

use lacuna_syntax::Span;
use miette::{Diagnostic, GraphicalReportHandler, LabeledSpan};

use crate::paint::Paint;
use crate::{Excerpt, Locator, RenderOptions, SnippetFile};

/// The outcome of one fixture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Every annotation holds, and no finding of a norm under test is
    /// unannotated.
    Passed,
    /// A finding is missing or unexpected.
    Failed,
    /// The fixture could not be tested: it does not load, or an annotation
    /// is wrong.
    Broken,
}

/// A finding the annotations ask for that the norm does not produce, or one
/// it produces that they do not ask for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// `# expect:` asks for a finding the norm does not produce.
    Missing {
        /// The norm id.
        norm: String,
        /// The 1-based line the annotation is about.
        line: usize,
        /// The annotation's norm id.
        annotation: Span,
        /// The lines the norm does flag in the file.
        flagged: Vec<usize>,
    },
    /// A norm under test flags a line that does not expect it.
    Unexpected {
        /// The 1-based line of the finding.
        line: usize,
        /// The finding.
        finding: Box<lacuna_eval::Diagnostic>,
        /// The `# ok:` annotation the finding contradicts, if any.
        ok: Option<Span>,
    },
}

impl Failure {
    /// The 1-based line the failure is about.
    pub fn line(&self) -> usize {
        match self {
            Failure::Missing { line, .. } | Failure::Unexpected { line, .. } => *line,
        }
    }

    /// The norm that failed.
    pub fn norm(&self) -> &str {
        match self {
            Failure::Missing { norm, .. } => norm,
            Failure::Unexpected { finding, .. } => finding.code.as_str(),
        }
    }
}

/// A failure as a diagnostic, spans only.
#[derive(Debug, Clone)]
struct FailureDiagnostic {
    message: String,
    help: Option<String>,
    code: &'static str,
    labels: Vec<LabeledSpan>,
}

impl fmt::Display for FailureDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FailureDiagnostic {}

impl Diagnostic for FailureDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

fn labeled(label: String, span: Span) -> LabeledSpan {
    LabeledSpan::new(Some(label), span.start as usize, span.len() as usize)
}

fn primary_labeled(label: String, span: Span) -> LabeledSpan {
    LabeledSpan::new_primary_with_span(Some(label), miette::SourceSpan::from(span))
}

impl Failure {
    fn diagnostic(&self) -> FailureDiagnostic {
        match self {
            Failure::Missing {
                norm,
                line,
                annotation,
                flagged,
            } => {
                let help = if flagged.is_empty() {
                    format!("`{norm}` flags nothing in this file")
                } else {
                    format!(
                        "`{norm}` flags {} {} of this file; a finding points at the header \
                         of its entity, or at line 1 for a norm without `for`",
                        if flagged.len() == 1 { "line" } else { "lines" },
                        join_numbers(flagged)
                    )
                };
                FailureDiagnostic {
                    message: format!("missing finding of `{norm}` on line {line}"),
                    help: Some(help),
                    code: "test::missing",
                    labels: vec![primary_labeled(
                        format!("expected `{norm}` to flag this line"),
                        *annotation,
                    )],
                }
            }
            Failure::Unexpected { line, finding, ok } => {
                let subject = finding
                    .subject
                    .as_ref()
                    .map_or_else(|| "the proposal".to_owned(), |s| format!("`{}`", s.path()));
                let mut labels = vec![primary_labeled(
                    format!(
                        "`{}` flags {subject} here: {}",
                        finding.code, finding.message
                    ),
                    finding.primary.span,
                )];
                // The evidence in the norm's own terms, which is what the
                // author of a rule test debugs the norm with.
                labels.extend(
                    finding
                        .evidence
                        .iter()
                        .filter(|e| e.origin.source == finding.primary.source)
                        .map(|e| labeled(e.rule_author_message().to_owned(), e.origin.span)),
                );
                let help = match ok {
                    Some(span) => {
                        labels.push(labeled("but the line is marked ok here".to_owned(), *span));
                        format!(
                            "either the norm is wrong about this line, or the annotation is: \
                             replace `ok: {}` with `expect: {}`",
                            finding.code, finding.code
                        )
                    }
                    None => format!(
                        "if the finding is right, add `# expect: {}` at the end of line {line}",
                        finding.code
                    ),
                };
                FailureDiagnostic {
                    message: format!("unexpected finding of `{}` on line {line}", finding.code),
                    help: Some(help),
                    code: "test::unexpected",
                    labels,
                }
            }
        }
    }
}

fn join_numbers(numbers: &[usize]) -> String {
    let parts: Vec<String> = numbers.iter().map(usize::to_string).collect();
    match parts.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The report of one fixture, split as the binary prints it: the status
/// line and the failures for standard output, the problems and annotation
/// errors (bad input) for standard error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The status line, then the failures.
    pub stdout: String,
    /// The problems and annotation errors.
    pub stderr: String,
}

fn render_diagnostic(
    handler: &GraphicalReportHandler,
    diagnostic: &dyn Diagnostic,
    out: &mut String,
) {
    let mut text = String::new();
    if handler.render_report(&mut text, diagnostic).is_err() {
        text = format!("error: {diagnostic}\n");
    }
    out.push_str(&text);
    // A blank line sets each report apart from the next line of output.
    out.push('\n');
}

/// What the report of one fixture shows, as the facade's rule-test runner
/// found it.
pub struct FixtureReport<'a> {
    /// The fixture's name, as given.
    pub name: &'a str,
    pub status: Status,
    /// The fixture's text, indexed for excerpts: failures and annotation
    /// errors point into it.
    pub fixture: SnippetFile,
    /// Sorted by line, then norm.
    pub failures: &'a [Failure],
    /// Problems loading the fixture.
    pub problems: &'a [lacuna_eval::Diagnostic],
    /// Every text the problems point into.
    pub sources: &'a lacuna_model::SourceDb,
    /// Errors in the fixture's annotations.
    pub errors: Vec<&'a dyn Diagnostic>,
}

/// Renders one fixture's report.
pub fn render(report: &FixtureReport<'_>, options: &RenderOptions) -> Rendered {
    let handler = options.graphical_handler();
    let paint = Paint::new(options);
    let mut rendered = Rendered::default();
    let status = match report.status {
        Status::Passed => paint.green("PASS "),
        Status::Failed => paint.red("FAIL "),
        Status::Broken => paint.red("ERROR"),
    };
    let detail = match report.status {
        Status::Passed => String::new(),
        Status::Failed => {
            let missing = report
                .failures
                .iter()
                .filter(|f| matches!(f, Failure::Missing { .. }))
                .count();
            let unexpected = report.failures.len() - missing;
            let mut parts = Vec::new();
            if missing > 0 {
                parts.push(format!("{missing} missing"));
            }
            if unexpected > 0 {
                parts.push(format!("{unexpected} unexpected"));
            }
            format!(" ({})", parts.join(", "))
        }
        Status::Broken if report.errors.is_empty() => " (does not load)".to_owned(),
        Status::Broken => " (bad annotations)".to_owned(),
    };
    let _ = writeln!(rendered.stdout, "{status} {}{detail}", report.name);

    // Reports show excerpts of the fixture around their labels, so a long
    // line is cut around them rather than printed whole.
    for failure in report.failures {
        let diagnostic = failure.diagnostic();
        let excerpt = Excerpt::new(&diagnostic, &report.fixture);
        render_diagnostic(&handler, &excerpt, &mut rendered.stdout);
    }
    let locator = Locator::new(report.sources);
    for problem in report.problems {
        rendered
            .stderr
            .push_str(&crate::render_problem(problem, &locator, options));
        rendered.stderr.push('\n');
    }
    for error in &report.errors {
        let excerpt = Excerpt::new(*error, &report.fixture);
        render_diagnostic(&handler, &excerpt, &mut rendered.stderr);
    }
    rendered
}

/// How many fixtures passed and failed. Broken fixtures count as failed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Fixtures that passed.
    pub passed: usize,
    /// Fixtures that failed or could not be tested.
    pub failed: usize,
    /// Of the failed, how many could not be tested at all.
    pub broken: usize,
}

impl Summary {
    /// The counts of the statuses of a run's fixtures.
    pub fn of(statuses: impl IntoIterator<Item = Status>) -> Summary {
        let mut summary = Summary::default();
        for status in statuses {
            match status {
                Status::Passed => summary.passed += 1,
                Status::Failed => summary.failed += 1,
                Status::Broken => {
                    summary.failed += 1;
                    summary.broken += 1;
                }
            }
        }
        summary
    }
}

impl fmt::Display for Summary {
    /// `12 passed, 1 failed`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} passed, {} failed", self.passed, self.failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_numbers_are_joined_as_in_a_sentence() {
        assert_eq!(join_numbers(&[]), "");
        assert_eq!(join_numbers(&[3]), "3");
        assert_eq!(join_numbers(&[3, 7]), "3 and 7");
        assert_eq!(join_numbers(&[3, 7, 9]), "3, 7 and 9");
    }

    #[test]
    fn broken_fixtures_count_as_failed() {
        let summary = Summary::of([Status::Passed, Status::Failed, Status::Broken]);
        assert_eq!((summary.passed, summary.failed, summary.broken), (1, 2, 1));
        assert_eq!(summary.to_string(), "1 passed, 2 failed");
    }
}
