//! Reading `lacuna.toml`: TOML text to [`Options`], every value with its span.
//!
//! The file is parsed with `toml`'s recoverable parser, which keeps the span
//! of every key and value, and then checked key by key, so that one run
//! reports every unknown key, wrong type and bad value at once. When the file
//! is not valid TOML only the syntax errors are reported: the values the
//! parser recovered are guesses, and checking them would mostly repeat the
//! syntax errors in other words.

use std::ops::Range;

use lacuna_syntax::Span;
use lacuna_syntax::ast::Severity;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::error::{
    ConfigError, ConflictingSeverity, EmptyPath, InvalidSelector, TomlSyntax, TooLarge, UnknownKey,
    UnknownSeverity, WrongType,
};
use super::selector::Selector;
use lacuna_syntax::suggest::{all_of, closest};

/// The keys a configuration file may have, in the order the documentation
/// lists them.
pub const KEYS: [&str; 7] = [
    "select",
    "extend-select",
    "ignore",
    "severity",
    "fail-on",
    "rules",
    "default-rules",
];

/// The names of the severities, most severe first.
const SEVERITIES: [&str; 3] = [
    Severity::Error.as_str(),
    Severity::Warning.as_str(),
    Severity::Info.as_str(),
];

/// A value and the span of the text it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<T> {
    /// The value read.
    pub value: T,
    /// Where its text is in the configuration file.
    pub span: Span,
}

/// A `[severity]` entry: the norms it applies to and their new severity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeverityOption {
    /// The norms the entry applies to: the key.
    pub selector: Located<Selector>,
    /// The severity they get: the value.
    pub severity: Located<Severity>,
}

/// The contents of one configuration file, as written. Absent keys are
/// `None` or empty; defaults are applied when settings are resolved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// `select`: `None` when absent, which is not the same as `select = []`.
    pub select: Option<Vec<Located<Selector>>>,
    /// `extend-select`: norms checked on top of the selection.
    pub extend_select: Vec<Located<Selector>>,
    /// `ignore`: norms not checked.
    pub ignore: Vec<Located<Selector>>,
    /// `[severity]`, in file order.
    pub severity: Vec<SeverityOption>,
    /// `fail-on`: the lowest severity that fails a run.
    pub fail_on: Option<Located<Severity>>,
    /// `rules`: directories as written, relative to the configuration file.
    pub rules: Vec<Located<String>>,
    /// `default-rules`: whether the standard rules are loaded too.
    pub default_rules: Option<Located<bool>>,
}

/// Reads the text of a configuration file. Never fails: the options that
/// could be read are returned together with every error found.
pub fn parse_options(text: &str) -> (Options, Vec<ConfigError>) {
    let mut options = Options::default();
    if u32::try_from(text.len()).is_err() {
        return (options, vec![ConfigError::TooLarge(TooLarge::new())]);
    }
    let (table, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        return (options, syntax_errors(text, &syntax));
    }

    let mut errors = Vec::new();
    for (key, value) in in_source_order(table.into_inner()) {
        let key_span = span_of(key.span());
        match key.get_ref().as_ref() {
            "select" => options.select = Some(selectors("select", &value, &mut errors)),
            "extend-select" => {
                options.extend_select = selectors("extend-select", &value, &mut errors);
            }
            "ignore" => options.ignore = selectors("ignore", &value, &mut errors),
            "severity" => options.severity = severity_table(text, &value, &mut errors),
            "fail-on" => options.fail_on = severity(&value, &mut errors, "`fail-on`"),
            "rules" => options.rules = rule_dirs(&value, &mut errors),
            "default-rules" => options.default_rules = default_rules(&value, &mut errors),
            other => errors.push(unknown_key(other, key_span)),
        }
    }
    conflicting_severities(&options.severity, &mut errors);
    (options, errors)
}

fn in_source_order(
    table: DeTable<'_>,
) -> Vec<(Spanned<std::borrow::Cow<'_, str>>, Spanned<DeValue<'_>>)> {
    let mut entries: Vec<_> = table.into_iter().collect();
    // The parser's map is sorted by key; errors read best in file order.
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}

/// Converts a byte range of the parser to a span. The text is known to be
/// shorter than 4 GiB, so the conversion does not saturate in practice.
fn span_of(range: Range<usize>) -> Span {
    let at = |offset: usize| u32::try_from(offset).unwrap_or(u32::MAX);
    Span::new(at(range.start), at(range.end))
}

/// Converts the parser's errors, keeping the first structural error of each
/// line: after a missing comma or bracket the parser's recovery often reports
/// the rest of the line (or the next) in other words.
fn syntax_errors(text: &str, errors: &[toml::de::Error]) -> Vec<ConfigError> {
    let mut located: Vec<(Span, &toml::de::Error)> = errors
        .iter()
        .map(|e| (e.span().map_or(Span::empty(0), span_of), e))
        .collect();
    located.sort_by_key(|(span, _)| (span.start, span.end));
    let line_of = |span: Span| {
        let before = text.get(..span.start as usize).unwrap_or(text);
        before.matches('\n').count()
    };
    let mut last_line = None;
    let mut kept = Vec::new();
    for (span, error) in located {
        let error = syntax_error(text, span, error);
        // Unquoted strings and duplicate keys are mistakes of their own,
        // never the echo of another.
        let independent = matches!(&error, ConfigError::Syntax(e) if e.is_independent());
        let line = line_of(span);
        if independent || last_line != Some(line) {
            last_line = Some(line);
            kept.push(error);
        }
    }
    kept
}

fn syntax_error(text: &str, span: Span, error: &toml::de::Error) -> ConfigError {
    // The parser writes "what, expected what"; the expectation reads best
    // under the text it concerns.
    let message = error.message().trim();
    let (mut message, expected) = match message.split_once(", expected ") {
        Some((what, expected)) => (what, Some(expected)),
        None => (message, None),
    };
    // An unquoted word starting like `false` or `inf` (`forum.inclusive`,
    // `info`) is read as a misspelt boolean or number; it is a string
    // without its quotes.
    if message.starts_with("invalid ") && is_bare_word(span.text(text)) {
        message = UNQUOTED;
    }
    let (label, help) = match (message, expected) {
        (DUPLICATE_KEY, _) => (
            format!("`{}` is already defined", span.text(text)),
            Some("a key can be defined once; merge the two entries".to_owned()),
        ),
        (UNQUOTED, _) => (
            "not quoted".to_owned(),
            Some(format!("write it in quotes: `\"{}\"`", span.text(text))),
        ),
        (_, Some(expected)) => (format!("expected {expected}"), None),
        (_, None) => ("here".to_owned(), None),
    };
    ConfigError::Syntax(TomlSyntax::new(message.to_owned(), label, span, help))
}

pub(crate) const UNQUOTED: &str = "string values must be quoted";
pub(crate) const DUPLICATE_KEY: &str = "duplicate key";

/// A word that can only be meant as a string: letters and the characters of
/// selectors, other than the literals `true`, `false`, `inf` and `nan`.
fn is_bare_word(word: &str) -> bool {
    !word.is_empty()
        && word.chars().any(|c| c.is_ascii_alphabetic())
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '*'))
        && !matches!(
            word.trim_start_matches(['+', '-']),
            "true" | "false" | "inf" | "nan"
        )
}

fn unknown_key(key: &str, span: Span) -> ConfigError {
    let help = match closest(key, KEYS) {
        Some(known) => format!("did you mean `{known}`?"),
        None => format!("the keys are {}", all_of(KEYS)),
    };
    ConfigError::UnknownKey(UnknownKey::new(key, span, help))
}

/// How a value is called in "found ..." labels.
fn describe(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

fn wrong_type(message: String, value: &Spanned<DeValue<'_>>, help: Option<String>) -> ConfigError {
    let label = format!("this is {}", describe(value.get_ref()));
    ConfigError::WrongType(WrongType::new(message, label, span_of(value.span()), help))
}

/// Reads `select`, `extend-select` or `ignore`: a list of selector strings.
fn selectors(
    key: &str,
    value: &Spanned<DeValue<'_>>,
    errors: &mut Vec<ConfigError>,
) -> Vec<Located<Selector>> {
    let items = match value.get_ref() {
        DeValue::Array(items) => items,
        DeValue::String(text) => {
            let help = format!("write a list: `{key} = [\"{text}\"]`");
            errors.push(wrong_type(
                format!("`{key}` must be a list of selectors"),
                value,
                Some(help),
            ));
            return Vec::new();
        }
        _ => {
            let help = format!("for example: `{key} = [\"protection\", \"forum.*\"]`");
            errors.push(wrong_type(
                format!("`{key}` must be a list of selectors"),
                value,
                Some(help),
            ));
            return Vec::new();
        }
    };
    let mut selectors = Vec::new();
    for item in items {
        let span = span_of(item.span());
        let DeValue::String(text) = item.get_ref() else {
            errors.push(wrong_type(
                format!("the items of `{key}` must be selectors"),
                item,
                Some(
                    "write a norm id or prefix in quotes, such as `\"forum.permanent\"`".to_owned(),
                ),
            ));
            continue;
        };
        match Selector::parse(text) {
            Ok(selector) => selectors.push(Located {
                value: selector,
                span,
            }),
            Err(error) => errors.push(invalid_selector(text, span, &error)),
        }
    }
    selectors
}

fn invalid_selector(text: &str, span: Span, error: &super::selector::SelectorError) -> ConfigError {
    ConfigError::InvalidSelector(InvalidSelector::new(
        text,
        span,
        error.reason(),
        error.help().map(str::to_owned),
    ))
}

/// Reads a severity name.
fn severity(
    value: &Spanned<DeValue<'_>>,
    errors: &mut Vec<ConfigError>,
    what: &str,
) -> Option<Located<Severity>> {
    let span = span_of(value.span());
    let DeValue::String(name) = value.get_ref() else {
        errors.push(wrong_type(
            format!("expected a severity for {what}"),
            value,
            Some("write `\"error\"`, `\"warning\"` or `\"info\"`".to_owned()),
        ));
        return None;
    };
    if let Some(severity) = Severity::from_name(name) {
        return Some(Located {
            value: severity,
            span,
        });
    }
    let help = closest(name, SEVERITIES).map(|s| format!("did you mean `{s}`?"));
    errors.push(ConfigError::UnknownSeverity(UnknownSeverity::new(
        name, span, help,
    )));
    None
}

/// Reads `[severity]`. Dotted keys are joined, so `forum.inclusive = "error"`
/// written without quotes means the norm `forum.inclusive`, as a reader
/// expects, and not a nested table.
fn severity_table(
    text: &str,
    value: &Spanned<DeValue<'_>>,
    errors: &mut Vec<ConfigError>,
) -> Vec<SeverityOption> {
    let DeValue::Table(table) = value.get_ref() else {
        errors.push(wrong_type(
            "`severity` must be a table from selectors to severities".to_owned(),
            value,
            Some("for example: `severity = { \"forum.inclusive\" = \"error\" }`".to_owned()),
        ));
        return Vec::new();
    };
    let mut entries = Vec::new();
    flatten_severities(text, table, &[], &mut entries, errors);
    entries.sort_by_key(|e: &SeverityOption| e.selector.span.start);
    entries
}

/// Collects the entries of a `[severity]` table and of the tables dotted keys
/// make inside it. `path` holds the keys leading to `table`. The depth is
/// bounded: the TOML parser rejects deeper nesting than it can handle.
fn flatten_severities(
    text: &str,
    table: &DeTable<'_>,
    path: &[(String, Span)],
    entries: &mut Vec<SeverityOption>,
    errors: &mut Vec<ConfigError>,
) {
    for (key, value) in table {
        let mut keys = path.to_vec();
        keys.push((key.get_ref().to_string(), span_of(key.span())));
        if let DeValue::Table(inner) = value.get_ref() {
            flatten_severities(text, inner, &keys, entries, errors);
            continue;
        }
        let name: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
        let name = name.join(".");
        let span = key_path_span(text, &keys);
        let selector = match Selector::parse(&name) {
            Ok(selector) => Some(selector),
            Err(error) => {
                errors.push(invalid_selector(&name, span, &error));
                None
            }
        };
        let what = format!("`{name}`");
        let severity = severity(value, errors, &what);
        if let (Some(selector), Some(severity)) = (selector, severity) {
            entries.push(SeverityOption {
                selector: Located {
                    value: selector,
                    span,
                },
                severity,
            });
        }
    }
}

/// The span of a dotted key: from its first segment to its last when they
/// stand on one line, else the last segment (a key continued from a
/// `[severity.forum]` header).
fn key_path_span(text: &str, keys: &[(String, Span)]) -> Span {
    let (Some((_, first)), Some((_, last))) = (keys.first(), keys.last()) else {
        return Span::empty(0);
    };
    let whole = first.cover(*last);
    if whole.text(text).contains('\n') {
        *last
    } else {
        whole
    }
}

/// Two entries of equal specificity that overlap cannot override each other:
/// when they disagree, the file is ambiguous.
fn conflicting_severities(entries: &[SeverityOption], errors: &mut Vec<ConfigError>) {
    for (i, later) in entries.iter().enumerate() {
        let earlier = entries.iter().take(i).find(|e| {
            e.selector.value.same_scope(&later.selector.value)
                && e.severity.value != later.severity.value
        });
        if let Some(earlier) = earlier {
            errors.push(ConfigError::ConflictingSeverity(ConflictingSeverity::new(
                earlier.selector.value.as_str(),
                earlier.selector.span,
                later.selector.value.as_str(),
                later.selector.span,
            )));
        }
    }
}

/// Reads `rules`: a list of directory paths.
fn rule_dirs(value: &Spanned<DeValue<'_>>, errors: &mut Vec<ConfigError>) -> Vec<Located<String>> {
    let items = match value.get_ref() {
        DeValue::Array(items) => items,
        DeValue::String(path) => {
            errors.push(wrong_type(
                "`rules` must be a list of directories".to_owned(),
                value,
                Some(format!("write a list: `rules = [\"{path}\"]`")),
            ));
            return Vec::new();
        }
        _ => {
            errors.push(wrong_type(
                "`rules` must be a list of directories".to_owned(),
                value,
                Some("for example: `rules = [\"../my-rules\"]`".to_owned()),
            ));
            return Vec::new();
        }
    };
    let mut dirs = Vec::new();
    for item in items {
        let span = span_of(item.span());
        match item.get_ref() {
            DeValue::String(path) if path.is_empty() => {
                errors.push(ConfigError::EmptyPath(EmptyPath::new(span)));
            }
            DeValue::String(path) => dirs.push(Located {
                value: path.to_string(),
                span,
            }),
            _ => errors.push(wrong_type(
                "the items of `rules` must be paths".to_owned(),
                item,
                Some("write the directory in quotes, such as `\"../my-rules\"`".to_owned()),
            )),
        }
    }
    dirs
}

/// Reads `default-rules`: a boolean.
fn default_rules(
    value: &Spanned<DeValue<'_>>,
    errors: &mut Vec<ConfigError>,
) -> Option<Located<bool>> {
    let span = span_of(value.span());
    match value.get_ref() {
        DeValue::Boolean(flag) => Some(Located { value: *flag, span }),
        other => {
            let help = match other {
                DeValue::String(text) if text == "true" || text == "false" => {
                    format!("write it without quotes: `default-rules = {text}`")
                }
                _ => "write `default-rules = true` or `default-rules = false`".to_owned(),
            };
            errors.push(wrong_type(
                "`default-rules` must be `true` or `false`".to_owned(),
                value,
                Some(help),
            ));
            None
        }
    }
}
