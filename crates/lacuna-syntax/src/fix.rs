//! Fixes as data: text edits with an applicability.
//!
//! A [`Fix`] is a list of [`Edit`]s (a byte range of the text a diagnostic
//! points into, and its replacement) and an [`Applicability`] saying whether
//! a tool may apply it without asking. Every stage that reports a mistake it
//! can repair attaches a fix; the command line applies them (`check --fix`),
//! the machine formats carry them, and the language server turns them into
//! code actions. Applying edits is [`apply`], the one function all of them
//! share, so that a fix means the same text everywhere.

use std::fmt;

use crate::span::Span;

/// Whether a fix may be applied without a person reading it first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// Shown, never applied: the edit needs a value only a person can give.
    DisplayOnly,
    /// Changes what the text says; applied only with `--unsafe-fixes`.
    Unsafe,
    /// Keeps the meaning: a misspelt name, `=` for `==`. Applied by `--fix`.
    Safe,
}

impl Applicability {
    /// The name machine formats use: `safe`, `unsafe` or `display-only`.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::DisplayOnly => "display-only",
        }
    }
}

impl fmt::Display for Applicability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Replace the text in `span` by `content`. An empty span inserts; an empty
/// content deletes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Edit {
    pub span: Span,
    pub content: String,
}

impl Edit {
    pub fn replace(span: Span, content: impl Into<String>) -> Edit {
        Edit {
            span,
            content: content.into(),
        }
    }

    pub fn insert(offset: u32, content: impl Into<String>) -> Edit {
        Edit::replace(Span::empty(offset), content)
    }

    pub fn delete(span: Span) -> Edit {
        Edit::replace(span, "")
    }
}

/// A repair for one diagnostic: what it does, in a few words, and its edits.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fix {
    /// Imperative and short, such as "replace `eror` with `error`".
    pub title: String,
    pub applicability: Applicability,
    /// Sorted by position and never overlapping.
    pub edits: Vec<Edit>,
}

impl Fix {
    fn new(title: impl Into<String>, applicability: Applicability, mut edits: Vec<Edit>) -> Fix {
        edits.sort();
        Fix {
            title: title.into(),
            applicability,
            edits,
        }
    }

    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(title, Applicability::Safe, edits)
    }

    pub fn unsafe_edits(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(title, Applicability::Unsafe, edits)
    }

    pub fn display_only(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(title, Applicability::DisplayOnly, edits)
    }

    /// The replacement of one misspelt name, a safe fix. `written` is the
    /// text in `span`, with its quotes if it has any; the replacement keeps
    /// them.
    pub fn rename(written: &str, span: Span, to: &str) -> Fix {
        let content = match written.chars().next() {
            Some(quote @ ('"' | '\'')) => format!("{quote}{to}{quote}"),
            _ => to.to_owned(),
        };
        let from = written.trim_matches(['"', '\'']);
        Fix::safe(
            format!("replace `{from}` with `{to}`"),
            vec![Edit::replace(span, content)],
        )
    }

    /// The span the edits cover together.
    pub fn span(&self) -> Option<Span> {
        let first = self.edits.first()?.span;
        Some(self.edits.iter().fold(first, |all, e| all.cover(e.span)))
    }
}

/// What [`apply`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// The text with the edits made.
    pub text: String,
    /// How many fixes were applied.
    pub applied: usize,
    /// Fixes left out because they overlap one applied before them, or
    /// point outside the text; a next round may apply them.
    pub skipped: usize,
}

/// Applies `fixes` to `text`, first fix first. A fix whose edits overlap an
/// edit already taken, touch the same place, or fall outside the text (or
/// inside a character) is skipped whole: a fix is applied entirely or not at
/// all. Every byte outside the applied edits is kept as it was.
pub fn apply<'f>(text: &str, fixes: impl IntoIterator<Item = &'f Fix>) -> Applied {
    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    let mut skipped = 0;
    for fix in fixes {
        let fits = fix.edits.iter().all(|e| {
            e.span.start <= e.span.end
                && text.is_char_boundary(e.span.start as usize)
                && text.is_char_boundary(e.span.end as usize)
        });
        let clashes = fix.edits.iter().enumerate().any(|(n, e)| {
            let earlier = fix.edits.iter().take(n);
            taken
                .iter()
                .copied()
                .chain(earlier)
                .any(|t| clash(t.span, e.span))
        });
        if !fits || fix.edits.is_empty() || clashes {
            skipped += 1;
            continue;
        }
        taken.extend(fix.edits.iter());
        applied += 1;
    }
    taken.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    for edit in taken {
        out.push_str(text.get(at..edit.span.start as usize).unwrap_or(""));
        out.push_str(&edit.content);
        at = edit.span.end as usize;
    }
    out.push_str(text.get(at..).unwrap_or(""));
    Applied {
        text: out,
        applied,
        skipped,
    }
}

/// Whether two edits have no single order to be applied in: they overlap,
/// or one inserts where the other starts or ends.
fn clash(a: Span, b: Span) -> bool {
    let overlap = a.start < b.end && b.start < a.end;
    let touching_insert =
        (a.is_empty() || b.is_empty()) && a.start.max(b.start) <= a.end.min(b.end);
    overlap || a.start == b.start || touching_insert
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_edits_and_keeps_the_rest() {
        let text = "severity: eror\nrequire a = b\n";
        let fixes = [
            Fix::rename("eror", Span::new(10, 14), "error"),
            Fix::safe("use `==`", vec![Edit::replace(Span::new(25, 26), "==")]),
        ];
        let applied = apply(text, &fixes);
        assert_eq!(applied.text, "severity: error\nrequire a == b\n");
        assert_eq!((applied.applied, applied.skipped), (2, 0));
    }

    #[test]
    fn overlapping_fixes_are_skipped_whole() {
        let text = "abcdef";
        let fixes = [
            Fix::safe("a", vec![Edit::replace(Span::new(1, 3), "X")]),
            Fix::safe(
                "b",
                vec![
                    Edit::replace(Span::new(0, 1), "Y"),
                    Edit::replace(Span::new(2, 4), "Z"),
                ],
            ),
            Fix::safe("c", vec![Edit::insert(6, "!")]),
            Fix::safe("d", vec![Edit::insert(6, "?")]),
            Fix::safe("e", vec![Edit::delete(Span::new(5, 9))]),
        ];
        let applied = apply(text, &fixes);
        assert_eq!(applied.text, "aXdef!");
        assert_eq!((applied.applied, applied.skipped), (2, 3));
    }

    #[test]
    fn a_rename_keeps_the_quotes() {
        let text = r#"kind = "agncy""#;
        let fix = Fix::rename(Span::new(7, 14).text(text), Span::new(7, 14), "agency");
        assert_eq!(fix.title, "replace `agncy` with `agency`");
        assert_eq!(apply(text, [&fix]).text, r#"kind = "agency""#);
    }
}
