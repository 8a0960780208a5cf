//! Errors and warnings about `lacuna.toml` and the selection flags.
//!
//! A [`ConfigError`] carries byte spans into the configuration file only; the
//! file's text is attached once, by [`ConfigReport`], which holds the errors
//! as related diagnostics. Selectors given on the command line have no span:
//! their errors name the flag instead.

use std::io;
use std::sync::Arc;

use lacuna_syntax::Span;
use miette::{Diagnostic, NamedSource, SourceCode};
use thiserror::Error;

/// One mistake in a configuration file or in a selection flag.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file is not valid TOML.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Syntax(TomlSyntax),
    /// The file is not UTF-8.
    #[error(transparent)]
    #[diagnostic(transparent)]
    NotUtf8(NotUtf8),
    /// The file is larger than lacuna reads.
    #[error(transparent)]
    #[diagnostic(transparent)]
    TooLarge(TooLarge),
    /// A key that the configuration does not have.
    #[error(transparent)]
    #[diagnostic(transparent)]
    UnknownKey(UnknownKey),
    /// A value of the wrong type, such as a string where a list belongs.
    #[error(transparent)]
    #[diagnostic(transparent)]
    WrongType(WrongType),
    /// A severity other than `error`, `warning` or `info`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    UnknownSeverity(UnknownSeverity),
    /// A selector that is not a norm id, a prefix or `all`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    InvalidSelector(InvalidSelector),
    /// Two selectors give one norm different severities.
    #[error(transparent)]
    #[diagnostic(transparent)]
    ConflictingSeverity(ConflictingSeverity),
    /// An empty rule directory path.
    #[error(transparent)]
    #[diagnostic(transparent)]
    EmptyPath(EmptyPath),
    /// A rule directory that does not exist or is not a directory.
    #[error(transparent)]
    #[diagnostic(transparent)]
    MissingRuleDir(MissingRuleDir),
    /// A selector that matches no norm of the rule set (a warning).
    #[error(transparent)]
    #[diagnostic(transparent)]
    UnknownSelector(UnknownSelector),
}

impl ConfigError {
    /// Where the error points in the configuration file; `None` for a
    /// selector given on the command line.
    pub fn span(&self) -> Option<Span> {
        match self {
            ConfigError::Syntax(e) => Some(e.span),
            ConfigError::NotUtf8(e) => Some(e.span),
            ConfigError::TooLarge(e) => Some(e.span),
            ConfigError::UnknownKey(e) => Some(e.span),
            ConfigError::WrongType(e) => Some(e.span),
            ConfigError::UnknownSeverity(e) => Some(e.span),
            ConfigError::InvalidSelector(e) => Some(e.span),
            ConfigError::ConflictingSeverity(e) => Some(e.span),
            ConfigError::EmptyPath(e) => Some(e.span),
            ConfigError::MissingRuleDir(e) => Some(e.span),
            ConfigError::UnknownSelector(e) => e.span,
        }
    }

    /// Whether the configuration can still be used: true for warnings.
    pub fn is_warning(&self) -> bool {
        matches!(self, ConfigError::UnknownSelector(_))
    }
}

/// The file is not valid TOML.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("invalid TOML: {message}")]
#[diagnostic(code(config::syntax))]
pub struct TomlSyntax {
    message: String,
    #[label("{label}")]
    span: Span,
    label: String,
    #[help]
    help: Option<String>,
}

impl TomlSyntax {
    /// Whether the error stands on its own rather than following from an
    /// earlier one.
    pub(crate) fn is_independent(&self) -> bool {
        self.message == super::options::UNQUOTED || self.message == super::options::DUPLICATE_KEY
    }

    pub(crate) fn new(message: String, label: String, span: Span, help: Option<String>) -> Self {
        TomlSyntax {
            message,
            span,
            label,
            help,
        }
    }
}

/// The file is not UTF-8; the span covers the first bad byte.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("the configuration file is not valid UTF-8")]
#[diagnostic(
    code(config::not_utf8),
    help("save the file as UTF-8; TOML files are always UTF-8")
)]
pub struct NotUtf8 {
    #[label("not UTF-8")]
    span: Span,
}

impl NotUtf8 {
    pub(crate) fn new(span: Span) -> Self {
        NotUtf8 { span }
    }
}

/// The file is larger than the 4 GiB spans can address.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("the configuration file is larger than 4 GiB")]
#[diagnostic(code(config::too_large))]
pub struct TooLarge {
    #[label("the file starts here")]
    span: Span,
}

impl TooLarge {
    pub(crate) fn new() -> Self {
        TooLarge {
            span: Span::empty(0),
        }
    }
}

/// A key `lacuna.toml` does not know.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("unknown key `{key}`")]
#[diagnostic(code(config::unknown_key))]
pub struct UnknownKey {
    key: String,
    #[label("not a configuration key")]
    span: Span,
    #[help]
    help: String,
}

impl UnknownKey {
    pub(crate) fn new(key: &str, span: Span, help: String) -> Self {
        UnknownKey {
            key: key.to_owned(),
            span,
            help,
        }
    }
}

/// A value of the wrong kind: a string where a list is expected, and so on.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("{message}")]
#[diagnostic(code(config::wrong_type))]
pub struct WrongType {
    message: String,
    #[label("{label}")]
    span: Span,
    label: String,
    #[help]
    help: Option<String>,
}

impl WrongType {
    pub(crate) fn new(message: String, label: String, span: Span, help: Option<String>) -> Self {
        WrongType {
            message,
            span,
            label,
            help,
        }
    }
}

/// A severity that is not `error`, `warning` or `info`.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("unknown severity `{name}`")]
#[diagnostic(code(config::unknown_severity))]
pub struct UnknownSeverity {
    name: String,
    #[label("not `error`, `warning` or `info`")]
    span: Span,
    #[help]
    help: Option<String>,
}

impl UnknownSeverity {
    pub(crate) fn new(name: &str, span: Span, help: Option<String>) -> Self {
        UnknownSeverity {
            name: name.to_owned(),
            span,
            help,
        }
    }
}

/// A string that is not a selector.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("invalid selector `{text}`")]
#[diagnostic(code(config::invalid_selector))]
pub struct InvalidSelector {
    text: String,
    #[label("{reason}")]
    span: Span,
    reason: &'static str,
    #[help]
    help: Option<String>,
}

impl InvalidSelector {
    pub(crate) fn new(text: &str, span: Span, reason: &'static str, help: Option<String>) -> Self {
        InvalidSelector {
            text: text.to_owned(),
            span,
            reason,
            help,
        }
    }
}

/// Two `[severity]` entries of equal specificity give the same norms
/// different severities, so neither can win.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("`{first}` and `{second}` give the same norms different severities")]
#[diagnostic(
    code(config::conflicting_severity),
    help("keep one of the two entries")
)]
pub struct ConflictingSeverity {
    first: String,
    second: String,
    #[label("set again here")]
    span: Span,
    #[label("first set here")]
    first_span: Span,
}

impl ConflictingSeverity {
    pub(crate) fn new(first: &str, first_span: Span, second: &str, span: Span) -> Self {
        ConflictingSeverity {
            first: first.to_owned(),
            second: second.to_owned(),
            span,
            first_span,
        }
    }
}

/// An empty string in `rules`.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("empty path in `rules`")]
#[diagnostic(
    code(config::empty_path),
    help("write `\".\"` for the directory holding the configuration file")
)]
pub struct EmptyPath {
    #[label("an empty path")]
    span: Span,
}

impl EmptyPath {
    pub(crate) fn new(span: Span) -> Self {
        EmptyPath { span }
    }
}

/// A rule directory named in `rules` that is missing or not a directory.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("rule directory `{path}` {problem}")]
#[diagnostic(
    code(config::missing_rule_dir),
    help("paths in `rules` are relative to the directory holding the configuration file")
)]
pub struct MissingRuleDir {
    path: String,
    problem: String,
    #[label("{label}")]
    span: Span,
    label: &'static str,
}

impl MissingRuleDir {
    pub(crate) fn not_found(path: &str, span: Span) -> Self {
        MissingRuleDir {
            path: path.to_owned(),
            problem: "does not exist".to_owned(),
            span,
            label: "not found",
        }
    }

    pub(crate) fn not_a_directory(path: &str, span: Span) -> Self {
        MissingRuleDir {
            path: path.to_owned(),
            problem: "is not a directory".to_owned(),
            span,
            label: "a file, not a directory",
        }
    }

    pub(crate) fn unreadable(path: &str, span: Span, error: &io::Error) -> Self {
        MissingRuleDir {
            path: path.to_owned(),
            problem: format!("cannot be read: {error}"),
            span,
            label: "cannot be read",
        }
    }
}

/// A selector that selects none of the norms loaded: most likely a typo.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("{what} matches no norm")]
#[diagnostic(code(config::unknown_selector), severity(Warning))]
pub struct UnknownSelector {
    what: String,
    #[label("selects nothing")]
    span: Option<Span>,
    #[help]
    help: Option<String>,
}

impl UnknownSelector {
    /// A selector written in the configuration file at `span`.
    pub(crate) fn in_file(selector: &str, span: Span, help: Option<String>) -> Self {
        UnknownSelector {
            what: format!("selector `{selector}`"),
            span: Some(span),
            help,
        }
    }

    /// A selector given to the command-line flag `flag`.
    pub(crate) fn on_command_line(flag: &str, selector: &str, help: Option<String>) -> Self {
        UnknownSelector {
            what: format!("`{flag} {selector}`"),
            span: None,
            help,
        }
    }
}

/// Configuration errors with the text they point into: what the command line
/// prints.
///
/// Its severity is a warning when every error in it is one.
#[derive(Debug, Error)]
#[error("{headline}")]
pub struct ConfigReport {
    headline: String,
    source_code: Option<NamedSource<Arc<str>>>,
    errors: Vec<ConfigError>,
}

impl ConfigReport {
    /// Attaches `source` (the configuration file's text, under the name to
    /// show for it) to `errors`. `source` is `None` when the errors come from
    /// the command line only.
    pub fn new(source: Option<NamedSource<Arc<str>>>, mut errors: Vec<ConfigError>) -> Self {
        // Errors read best in file order; those without a span (command-line
        // selectors) come last, in the order they were given.
        errors.sort_by_key(|e| e.span().map_or((1, 0, 0), |s| (0, s.start, s.end)));
        let warnings = errors.iter().all(ConfigError::is_warning);
        let headline = match (&source, warnings) {
            (Some(source), false) => format!("invalid configuration file `{}`", source.name()),
            (Some(source), true) => {
                format!("warnings for the configuration file `{}`", source.name())
            }
            (None, false) => "invalid selection on the command line".to_owned(),
            (None, true) => "warnings for the selection on the command line".to_owned(),
        };
        ConfigReport {
            headline,
            source_code: source,
            errors,
        }
    }

    /// The configuration file the errors point into, if any.
    pub fn named_source(&self) -> Option<&NamedSource<Arc<str>>> {
        self.source_code.as_ref()
    }

    /// The errors, in file order.
    pub fn errors(&self) -> &[ConfigError] {
        &self.errors
    }

    /// Whether every error is a warning, so the configuration can be used.
    pub fn is_warning(&self) -> bool {
        self.errors.iter().all(ConfigError::is_warning)
    }
}

impl Diagnostic for ConfigReport {
    fn severity(&self) -> Option<miette::Severity> {
        if self.is_warning() {
            Some(miette::Severity::Warning)
        } else {
            Some(miette::Severity::Error)
        }
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source_code.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        Some(Box::new(self.errors.iter().map(|e| e as &dyn Diagnostic)))
    }
}

/// Why no settings could be made: the file could not be read (the caller,
/// which reads it, builds [`ConfigFailure::Read`]), the search for it failed,
/// or it is invalid.
#[derive(Debug, Error, Diagnostic)]
#[non_exhaustive]
pub enum ConfigFailure {
    /// The file could not be read.
    #[error("cannot read the configuration file `{path}`")]
    #[diagnostic(code(config::io))]
    Read {
        /// The file, as errors name it.
        path: String,
        /// Why it could not be read.
        #[source]
        source: io::Error,
    },
    /// A directory on the way up from a checked file could not be read.
    #[error("cannot look for a configuration file in `{dir}`")]
    #[diagnostic(code(config::io))]
    Search {
        /// The directory, as errors name it.
        dir: String,
        /// Why it could not be read.
        #[source]
        source: io::Error,
    },
    /// The file was read but has errors.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(ConfigReport),
}
