//! Fixes the facade builds: removing and adding `[[allow]]` entries, and
//! applying the fixes of a run to a text.
//!
//! Edits are made on the original text, span by span, so comments, key
//! order and formatting outside an edit stay as they were.

use lacuna_model::Format;
use lacuna_syntax::fix::{Applied, apply};
use lacuna_syntax::{Applicability, Edit, Fix, Span};

use crate::Diagnostic;

/// Which fixes a run applies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FixMode {
    /// Safe fixes only: `--fix`.
    #[default]
    Safe,
    /// Safe and unsafe fixes: `--fix --unsafe-fixes`.
    Unsafe,
}

impl FixMode {
    /// Whether a fix of `applicability` is applied in this mode.
    pub fn applies(self, applicability: Applicability) -> bool {
        match applicability {
            Applicability::Safe => true,
            Applicability::Unsafe => self == FixMode::Unsafe,
            Applicability::DisplayOnly => false,
        }
    }
}

/// Applies to `text` the first applicable fix of each diagnostic, in the
/// order given: one diagnostic, one repair, so that two alternative repairs
/// of the same finding are never both made.
pub fn apply_first<'f>(
    text: &str,
    diagnostics: impl IntoIterator<Item = &'f [Fix]>,
    mode: FixMode,
) -> Applied {
    let chosen = diagnostics
        .into_iter()
        .filter_map(|fixes| fixes.iter().find(|f| mode.applies(f.applicability)));
    apply(text, chosen)
}

/// The span of a whole TOML table: from the start of the line of its header
/// at `header` to the start of the next header, leaving to the next table the
/// comment lines just above it.
pub(crate) fn toml_table_span(text: &str, header: Span) -> Option<Span> {
    let start = line_start(text, header.start as usize);
    let after = text.get(header.end as usize..)?;
    let mut end = text.len();
    let mut offset = header.end as usize;
    // Lines after the header line, looking for the next header.
    let mut lines = after.split_inclusive('\n');
    if let Some(first) = lines.next() {
        offset += first.len();
    }
    let mut comments_from: Option<usize> = None;
    for line in lines {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            end = comments_from.unwrap_or(offset);
            break;
        }
        if trimmed.starts_with('#') {
            comments_from.get_or_insert(offset);
        } else {
            comments_from = None;
        }
        offset += line.len();
    }
    let to = |n: usize| u32::try_from(n).ok();
    Some(Span::new(to(start)?, to(end)?))
}

fn line_start(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |n| n + 1)
}

/// Removing the `[[allow]]` entry whose header is at `header`, in TOML.
/// JSON entries get no fix: an array element's commas belong to its
/// neighbours, and the loader does not keep their spans.
pub(crate) fn remove_allow(
    text: &str,
    format: Format,
    header: Span,
    applicability: Applicability,
) -> Option<Fix> {
    if format != Format::Toml || !header.text(text).starts_with("[[") {
        return None;
    }
    let span = toml_table_span(text, header)?;
    let edits = vec![Edit::delete(span)];
    let title = "remove the `[[allow]]` entry";
    Some(match applicability {
        Applicability::Safe => Fix::safe(title, edits),
        Applicability::Unsafe => Fix::unsafe_edits(title, edits),
        Applicability::DisplayOnly => Fix::display_only(title, edits),
    })
}

/// An `[[allow]]` entry for `finding`, added at the end of a TOML proposal.
/// It is unsafe, and its `reason` is left empty for a person to write.
pub(crate) fn suppress(text: &str, format: Format, finding: &Diagnostic) -> Option<Fix> {
    if format != Format::Toml {
        return None;
    }
    let end = u32::try_from(text.len()).ok()?;
    let mut entry = String::new();
    if !text.is_empty() && !text.ends_with('\n') {
        entry.push('\n');
    }
    entry.push_str("\n[[allow]]\n");
    entry.push_str(&format!("norm = {}\n", toml_string(finding.code.as_str())));
    if let Some(subject) = &finding.subject {
        entry.push_str(&format!("entity = {}\n", toml_string(&subject.path())));
    }
    entry.push_str("reason = \"\"\n");
    Some(Fix::unsafe_edits(
        format!("suppress `{}` with an `[[allow]]` entry", finding.code),
        vec![Edit::insert(end, entry)],
    ))
}

/// `value` as a TOML basic string.
pub(crate) fn toml_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_ends_before_the_comments_of_the_next() {
        let text = "[a]\nx = 1\n\n[[allow]]\nnorm = \"n\"\n# note\n\n# about b\n[b]\ny = 2\n";
        let header = Span::new(11, 20);
        assert_eq!(header.text(text), "[[allow]]");
        let span = toml_table_span(text, header).unwrap();
        assert_eq!(span.text(text), "[[allow]]\nnorm = \"n\"\n# note\n\n");
        let last = toml_table_span(text, Span::new(50, 53)).unwrap();
        assert_eq!(last.text(text), "[b]\ny = 2\n");
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(toml_string("a\"b\\c"), r#""a\"b\\c""#);
    }
}
