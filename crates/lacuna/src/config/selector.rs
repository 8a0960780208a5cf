//! Norm selectors: the strings `select`, `ignore` and `[severity]` use to name
//! one norm or a family of norms.

use std::fmt;
use std::str::FromStr;

/// One norm, a family of norms, or every norm.
///
/// Written as an exact norm id (`forum.permanent`), a prefix of whole
/// segments (`forum` selects `forum.permanent` and `forum` itself, not
/// `forumx.a`), a prefix followed by `.*` (`forum.*` selects the norms under
/// `forum` only), or `*` / `all` for every norm.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Selector {
    /// The text as written, kept so that settings print back what the user wrote.
    text: String,
    kind: Kind,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Kind {
    All,
    /// The norm `prefix` itself and every norm below it.
    Prefix(String),
    /// The norms strictly below `prefix`, written `prefix.*`.
    Children(String),
}

impl Selector {
    /// The selector that selects every norm, written `all`.
    pub fn all() -> Selector {
        Selector {
            text: "all".to_owned(),
            kind: Kind::All,
        }
    }

    /// Parses a selector, or explains why `text` is not one.
    pub fn parse(text: &str) -> Result<Selector, SelectorError> {
        if text == "*" || text == "all" {
            return Ok(Selector {
                text: text.to_owned(),
                kind: Kind::All,
            });
        }
        let (ids, children) = match text.strip_suffix(".*") {
            Some(prefix) => (prefix, true),
            None => (text, false),
        };
        check_norm_id(text, ids)?;
        let kind = if children {
            Kind::Children(ids.to_owned())
        } else {
            Kind::Prefix(ids.to_owned())
        };
        Ok(Selector {
            text: text.to_owned(),
            kind,
        })
    }

    /// The selector as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the selector selects every norm (`*` or `all`).
    pub fn is_all(&self) -> bool {
        self.kind == Kind::All
    }

    /// Whether the norm `norm_id` is selected.
    pub fn matches(&self, norm_id: &str) -> bool {
        match &self.kind {
            Kind::All => true,
            Kind::Prefix(prefix) => norm_id == prefix || is_below(norm_id, prefix),
            Kind::Children(prefix) => is_below(norm_id, prefix),
        }
    }

    /// How specific the selector is: the number of id segments it names.
    ///
    /// Between two selectors that both match a norm, the more specific one
    /// decides. `forum` and `forum.*` are equally specific; `*` is the least.
    pub fn specificity(&self) -> usize {
        match &self.kind {
            Kind::All => 0,
            Kind::Prefix(prefix) | Kind::Children(prefix) => prefix.split('.').count(),
        }
    }

    /// Whether two selectors are equally specific and overlap, so that
    /// neither can override the other (`forum` and `forum.*`).
    pub(crate) fn same_scope(&self, other: &Selector) -> bool {
        match (&self.kind, &other.kind) {
            (Kind::All, Kind::All) => true,
            (Kind::Prefix(a) | Kind::Children(a), Kind::Prefix(b) | Kind::Children(b)) => a == b,
            _ => false,
        }
    }

    /// The names a misspelt selector may have meant: the known norm ids, or
    /// for a prefix also every prefix of whole segments of them.
    pub(crate) fn candidates<'a>(&self, known_norm_ids: &[&'a str]) -> Vec<&'a str> {
        let mut names: Vec<&'a str> = Vec::new();
        for id in known_norm_ids {
            names.push(id);
            if !matches!(self.kind, Kind::Prefix(_) | Kind::Children(_)) {
                continue;
            }
            for (at, _) in id.match_indices('.') {
                if let Some(prefix) = id.get(..at) {
                    names.push(prefix);
                }
            }
        }
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The id or prefix the selector names, without a trailing `.*`.
    pub(crate) fn stem(&self) -> &str {
        match &self.kind {
            Kind::All => &self.text,
            Kind::Prefix(prefix) | Kind::Children(prefix) => prefix,
        }
    }

    /// Rebuilds the selector with another stem, keeping its `.*` if it had one.
    pub(crate) fn with_stem(&self, stem: &str) -> String {
        match &self.kind {
            Kind::Children(_) => format!("{stem}.*"),
            Kind::All | Kind::Prefix(_) => stem.to_owned(),
        }
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for Selector {
    type Err = SelectorError;

    fn from_str(text: &str) -> Result<Selector, SelectorError> {
        Selector::parse(text)
    }
}

fn is_below(norm_id: &str, prefix: &str) -> bool {
    norm_id
        .strip_prefix(prefix)
        .is_some_and(|rest| rest.starts_with('.'))
}

/// Why a string is not a selector. The `Display` form is a complete sentence
/// fragment for the command line: "invalid selector `X`: reason".
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid selector `{text}`: {reason}")]
pub struct SelectorError {
    text: String,
    reason: &'static str,
    help: Option<String>,
}

impl SelectorError {
    /// What is wrong, short enough for a label under the text.
    pub fn reason(&self) -> &'static str {
        self.reason
    }

    /// How to write it instead, when there is something to say.
    pub fn help(&self) -> Option<&str> {
        self.help.as_deref()
    }
}

/// Checks the id part of a selector (`ids`, cut from `text`) against the norm
/// id grammar: segments `[a-z0-9_][a-z0-9_-]*` joined by `.`.
fn check_norm_id(text: &str, ids: &str) -> Result<(), SelectorError> {
    let error = |reason: &'static str, help: Option<String>| SelectorError {
        text: text.to_owned(),
        reason,
        help,
    };
    if text.is_empty() {
        return Err(error(
            "a selector cannot be empty",
            Some(
                "write a norm id such as `forum.permanent`, a prefix such as `forum`, or `all`"
                    .to_owned(),
            ),
        ));
    }
    if text.chars().any(char::is_whitespace) {
        let trimmed: String = text.split_whitespace().collect();
        return Err(error(
            "a selector cannot contain spaces",
            Selector::parse(&trimmed)
                .ok()
                .map(|s| format!("write `{s}`")),
        ));
    }
    if ids.contains('*') {
        return Err(error(
            "`*` may only stand alone or end a selector after a `.`",
            Some("select a family of norms with its prefix, as in `forum.*` or `forum`".to_owned()),
        ));
    }
    if text.chars().any(|c| c.is_ascii_uppercase()) {
        let lower = text.to_ascii_lowercase();
        let help = Selector::parse(&lower).ok().map(|s| format!("write `{s}`"));
        return Err(error("norm ids are lowercase", help));
    }
    for segment in ids.split('.') {
        let mut chars = segment.chars();
        match chars.next() {
            None => {
                return Err(error(
                    "a norm id cannot have an empty segment",
                    Some("segments are joined by a single `.`, as in `forum.permanent`".to_owned()),
                ));
            }
            Some('-') => {
                return Err(error("a segment of a norm id cannot start with `-`", None));
            }
            Some(_) => {}
        }
        if !segment
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        {
            return Err(error(
                "norm ids use only `a`-`z`, `0`-`9`, `_`, `-` and `.`",
                None,
            ));
        }
    }
    Ok(())
}
