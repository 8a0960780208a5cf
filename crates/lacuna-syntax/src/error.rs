//! Syntax errors: what the parser reports about a broken `.norm` file.
//!
//! An error carries spans only, never the source text: the caller attaches the
//! text once, at the edge (`miette::Report::with_source_code` or a wrapper with
//! `#[source_code]`). Messages are lowercase without a final period, quote user
//! input in backticks, and say what was expected; the primary label sits on
//! the offending text, further labels point at related text (the brace a
//! missing `}` should close, the first of two duplicate keys), and the help
//! guesses what was meant when it can.

use std::fmt;

use miette::{Diagnostic, LabeledSpan};
use thiserror::Error;

use crate::fix::Fix;
use crate::span::Span;

/// Which mistake a [`SyntaxError`] reports, for tools that treat some of them
/// specially (a language server offering a fix, a test asserting the kind).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum SyntaxErrorKind {
    /// The input is not UTF-8.
    InvalidUtf8,
    /// The input is larger than 4 GiB, the most a span can address.
    SourceTooLarge,
    /// A character that starts no token, such as `;` or `@`.
    UnexpectedCharacter,
    /// An identifier containing a character outside `A-Za-z0-9_`.
    NonAsciiIdentifier,
    /// A string without its closing quote on the same line.
    UnterminatedString,
    /// A `/*` without its matching `*/`.
    UnterminatedBlockComment,
    /// A backslash escape the language does not know, such as `\q`.
    InvalidEscape,
    /// A `{` in a template without its closing `}`.
    UnterminatedHole,
    /// A `}` in a template that closes no hole.
    UnmatchedBrace,
    /// A template hole with nothing inside, `{}`.
    EmptyHole,
    /// A comment inside a template hole.
    CommentInHole,
    /// Something other than what the grammar allows at this point.
    Unexpected,
    /// A misspelt keyword, such as `requre` or `entiy`.
    UnknownKeyword,
    /// A keyword used where a name was expected.
    KeywordAsName,
    /// A closing `}`, `)` or `]` is missing.
    Unclosed,
    /// A comma where none belongs.
    StrayComma,
    /// `=` where `==` was meant.
    AssignInsteadOfCompare,
    /// An operator from another language: `&&`, `||`, `!`.
    ForeignOperator,
    /// `a < b < c`: comparisons do not chain.
    ChainedComparison,
    /// Expressions, lists or types nested deeper than [`crate::MAX_NESTING`].
    NestingTooDeep,
    /// An integer literal outside the 64-bit range.
    IntegerOverflow,
    /// A number followed by letters, such as `12ab`.
    InvalidInteger,
    /// A norm id that breaks the segment rules.
    InvalidNormId,
    /// `(lst)` instead of `(list)` or `(singleton)`.
    UnknownShape,
    /// A field without a type.
    MissingType,
    /// A type marked optional twice, `T??`.
    DoubleOptional,
    /// An enum without variants.
    EmptyEnum,
    /// A metadata key other than `severity`, `serves`, `perspective`, `source`, `tags`.
    UnknownMetaKey,
    /// A metadata key written twice in one norm.
    DuplicateMetaKey,
    /// A severity other than `error`, `warning`, `info`.
    UnknownSeverity,
    /// A metadata value of the wrong form.
    InvalidMetaValue,
    /// A norm without `require`.
    MissingRequire,
    /// A norm clause written twice, such as two `require`s.
    DuplicateClause,
    /// Norm clauses out of order, such as `help` before `else`.
    ClauseOrder,
    /// A doc comment followed by nothing it could document.
    DanglingDoc,
    /// A doc comment where no item, field or variant follows, such as inside a norm.
    MisplacedDoc,
}

impl SyntaxErrorKind {
    /// The stable code of this kind of mistake, such as
    /// `syntax::unknown-keyword`. `docs/output.md` lists them all; a code
    /// never changes meaning once published.
    pub fn code(self) -> &'static str {
        match self {
            SyntaxErrorKind::InvalidUtf8 => "syntax::invalid-utf8",
            SyntaxErrorKind::SourceTooLarge => "syntax::source-too-large",
            SyntaxErrorKind::UnexpectedCharacter => "syntax::unexpected-character",
            SyntaxErrorKind::NonAsciiIdentifier => "syntax::non-ascii-identifier",
            SyntaxErrorKind::UnterminatedString => "syntax::unterminated-string",
            SyntaxErrorKind::UnterminatedBlockComment => "syntax::unterminated-block-comment",
            SyntaxErrorKind::InvalidEscape => "syntax::invalid-escape",
            SyntaxErrorKind::UnterminatedHole => "syntax::unterminated-hole",
            SyntaxErrorKind::UnmatchedBrace => "syntax::unmatched-brace",
            SyntaxErrorKind::EmptyHole => "syntax::empty-hole",
            SyntaxErrorKind::CommentInHole => "syntax::comment-in-hole",
            SyntaxErrorKind::Unexpected => "syntax::unexpected",
            SyntaxErrorKind::UnknownKeyword => "syntax::unknown-keyword",
            SyntaxErrorKind::KeywordAsName => "syntax::keyword-as-name",
            SyntaxErrorKind::Unclosed => "syntax::unclosed",
            SyntaxErrorKind::StrayComma => "syntax::stray-comma",
            SyntaxErrorKind::AssignInsteadOfCompare => "syntax::assign-instead-of-compare",
            SyntaxErrorKind::ForeignOperator => "syntax::foreign-operator",
            SyntaxErrorKind::ChainedComparison => "syntax::chained-comparison",
            SyntaxErrorKind::NestingTooDeep => "syntax::nesting-too-deep",
            SyntaxErrorKind::IntegerOverflow => "syntax::integer-overflow",
            SyntaxErrorKind::InvalidInteger => "syntax::invalid-integer",
            SyntaxErrorKind::InvalidNormId => "syntax::invalid-norm-id",
            SyntaxErrorKind::UnknownShape => "syntax::unknown-shape",
            SyntaxErrorKind::MissingType => "syntax::missing-type",
            SyntaxErrorKind::DoubleOptional => "syntax::double-optional",
            SyntaxErrorKind::EmptyEnum => "syntax::empty-enum",
            SyntaxErrorKind::UnknownMetaKey => "syntax::unknown-meta-key",
            SyntaxErrorKind::DuplicateMetaKey => "syntax::duplicate-meta-key",
            SyntaxErrorKind::UnknownSeverity => "syntax::unknown-severity",
            SyntaxErrorKind::InvalidMetaValue => "syntax::invalid-meta-value",
            SyntaxErrorKind::MissingRequire => "syntax::missing-require",
            SyntaxErrorKind::DuplicateClause => "syntax::duplicate-clause",
            SyntaxErrorKind::ClauseOrder => "syntax::clause-order",
            SyntaxErrorKind::DanglingDoc => "syntax::dangling-doc",
            SyntaxErrorKind::MisplacedDoc => "syntax::misplaced-doc",
        }
    }
}

/// A syntax error in a `.norm` file, with its span and what was expected.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[error("{message}")]
pub struct SyntaxError {
    kind: SyntaxErrorKind,
    message: String,
    span: Span,
    label: String,
    related: Vec<(Span, String)>,
    help: Option<String>,
    fix: Option<Fix>,
}

impl SyntaxError {
    pub(crate) fn new(
        kind: SyntaxErrorKind,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> SyntaxError {
        SyntaxError {
            kind,
            message: message.into(),
            span,
            label: label.into(),
            related: Vec::new(),
            help: None,
            fix: None,
        }
    }

    #[must_use]
    pub(crate) fn with_help(mut self, help: impl Into<String>) -> SyntaxError {
        self.help = Some(help.into());
        self
    }

    #[must_use]
    pub(crate) fn with_fix(mut self, fix: Fix) -> SyntaxError {
        self.fix = Some(fix);
        self
    }

    #[must_use]
    pub(crate) fn with_fix_opt(mut self, fix: Option<Fix>) -> SyntaxError {
        if fix.is_some() {
            self.fix = fix;
        }
        self
    }

    #[must_use]
    pub(crate) fn with_label(mut self, span: Span, label: impl Into<String>) -> SyntaxError {
        self.related.push((span, label.into()));
        self
    }

    pub fn kind(&self) -> SyntaxErrorKind {
        self.kind
    }

    /// The one-line message, such as ``expected `==` to compare, found `=` ``.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The span of the offending text, where the primary label sits.
    pub fn span(&self) -> Span {
        self.span
    }

    /// The text of the primary label, which says what was expected there.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Further labelled spans, such as the brace a missing `}` should close.
    pub fn related(&self) -> impl Iterator<Item = (Span, &str)> {
        self.related
            .iter()
            .map(|(span, label)| (*span, label.as_str()))
    }

    /// The edit that repairs the mistake, when the parser is sure of it.
    pub fn fix(&self) -> Option<&Fix> {
        self.fix.as_ref()
    }

    /// What was probably meant, or how to fix it, when the parser can tell.
    pub fn help_text(&self) -> Option<&str> {
        self.help.as_deref()
    }
}

impl Diagnostic for SyntaxError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.kind.code()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = LabeledSpan::new_primary_with_span(Some(self.label.clone()), self.span);
        let related = self
            .related
            .iter()
            .map(|(span, label)| LabeledSpan::new_with_span(Some(label.clone()), *span));
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}
