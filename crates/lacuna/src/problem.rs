//! Problems with the inputs: broken rule files and broken proposals.

use std::fmt;

use lacuna_model::SourceId;
use lacuna_syntax::ast::Severity;
use lacuna_syntax::{Fix, Span};
use miette::{Diagnostic, LabeledSpan, SourceCode};

/// Where in the pipeline a problem was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// A `.norm` file does not parse.
    Syntax,
    /// An `enum` or `entity` declaration is wrong.
    Schema,
    /// A norm does not resolve or type-check.
    Rules,
    /// A proposal does not load.
    Proposal,
}

/// One diagnostic about an input, with the source it points into. The
/// diagnostic carries spans only; the text is attached when rendering.
pub struct Problem {
    /// The step that found it.
    pub stage: Stage,
    /// The file its spans point into.
    pub source: SourceId,
    diagnostic: Box<dyn Diagnostic + Send + Sync + 'static>,
    /// Repairs, whose edits point into `source`.
    pub fixes: Vec<Fix>,
}

impl fmt::Debug for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Problem")
            .field("stage", &self.stage)
            .field("source", &self.source)
            .field("message", &self.diagnostic.to_string())
            .finish()
    }
}

impl Problem {
    /// A problem that `diagnostic`, found at `stage`, describes; its spans
    /// point into `source`.
    pub fn new(
        stage: Stage,
        source: SourceId,
        diagnostic: Box<dyn Diagnostic + Send + Sync + 'static>,
    ) -> Problem {
        Problem {
            stage,
            source,
            diagnostic,
            fixes: Vec::new(),
        }
    }

    /// The problem with `fix` attached, when there is one.
    #[must_use]
    pub fn with_fix(mut self, fix: Option<Fix>) -> Problem {
        self.fixes.extend(fix);
        self
    }

    pub(crate) fn invalid_utf8(
        source: SourceId,
        bytes: &[u8],
        err: &std::str::Utf8Error,
    ) -> Problem {
        let at = err.valid_up_to();
        let len = err
            .error_len()
            .unwrap_or(bytes.len().saturating_sub(at))
            .max(1);
        let start = u32::try_from(at).unwrap_or(u32::MAX);
        let end = u32::try_from(at + len).unwrap_or(u32::MAX);
        Problem::new(
            Stage::Proposal,
            source,
            Box::new(InvalidUtf8 {
                span: Span::new(start, end),
            }),
        )
    }

    /// How serious it is: only errors make a run fail as bad input.
    pub fn severity(&self) -> Severity {
        Severity::of_miette(self.diagnostic.severity())
    }

    /// Whether it is an error.
    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }

    /// The diagnostic, without its source text.
    pub fn diagnostic(&self) -> &(dyn Diagnostic + Send + Sync + 'static) {
        &*self.diagnostic
    }

    /// What is wrong, in one line.
    pub fn message(&self) -> String {
        self.diagnostic.to_string()
    }

    /// The problem as the formats for programs report it, beside the
    /// findings: code, severity, message, help and locations.
    pub fn to_input_problem(&self) -> lacuna_report::InputProblem {
        let mut problem =
            lacuna_report::InputProblem::from_diagnostic(self.source, &*self.diagnostic);
        problem.fixes = self.fixes.clone();
        problem
    }

    /// The first byte the problem points at, for ordering.
    pub fn offset(&self) -> usize {
        self.diagnostic
            .labels()
            .and_then(|mut labels| labels.next())
            .map_or(0, |l| l.offset())
    }

    pub(crate) fn sort_key(&self) -> (SourceId, usize, Stage) {
        (self.source, self.offset(), self.stage)
    }

    /// The diagnostic with `source` attached, ready for a miette handler.
    pub fn with_source<'a>(&'a self, source: &'a (dyn SourceCode + 'a)) -> WithSource<'a> {
        WithSource {
            inner: &*self.diagnostic,
            source,
        }
    }
}

/// A diagnostic borrowed together with the text its spans point into.
pub struct WithSource<'a> {
    inner: &'a (dyn Diagnostic + Send + Sync + 'static),
    source: &'a (dyn SourceCode + 'a),
}

impl fmt::Debug for WithSource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.inner, f)
    }
}

impl fmt::Display for WithSource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.inner, f)
    }
}

impl std::error::Error for WithSource<'_> {}

impl Diagnostic for WithSource<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.code()
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.inner.severity()
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.help()
    }
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.url()
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.inner.labels()
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        self.inner.related()
    }
    fn diagnostic_source(&self) -> Option<&dyn Diagnostic> {
        self.inner.diagnostic_source()
    }
}

#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("the proposal is not valid UTF-8")]
#[diagnostic(
    code(lacuna::invalid_utf8),
    help("save the file as UTF-8; lacuna reads no other encoding")
)]
struct InvalidUtf8 {
    #[label("this byte does not start a UTF-8 character")]
    span: Span,
}
