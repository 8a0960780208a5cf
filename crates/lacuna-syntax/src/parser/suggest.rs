//! "expected ..., found ..." errors and "did you mean" guesses.

use super::input::{Input, Tok, describe};
use crate::error::{SyntaxError, SyntaxErrorKind};

/// The candidate closest to `word`, by the one measure every stage uses
/// ([`crate::suggest::closest`]).
pub(crate) fn suggest<'k>(word: &str, candidates: &[&'k str]) -> Option<&'k str> {
    crate::suggest::closest(word, candidates.iter().copied())
}

/// `expected WHAT, found TOKEN`, labelled on the token found. At the end of
/// the input the label sits just after the last token instead, where the
/// missing text belongs.
pub(crate) fn expected(i: &Input<'_>, what: &str) -> SyntaxError {
    let found = i.peek();
    let span = if found.is_end() && found.kind == Tok::Eof {
        i.after_prev()
    } else {
        found.span
    };
    SyntaxError::new(
        SyntaxErrorKind::Unexpected,
        format!("expected {what}, found {}", describe(i, found)),
        span,
        format!("expected {what}"),
    )
}

/// Like [`expected`], for the line-oriented parts of the grammar: when the
/// next token is on another line, what is missing belongs at the end of this
/// one, and the message says so.
pub(crate) fn expected_on_line(i: &Input<'_>, what: &str) -> SyntaxError {
    let found = i.peek();
    let place = match found.kind {
        Tok::Eof => "the end of the file",
        Tok::HoleEnd => return expected(i, what),
        _ if found.line_start => "the end of the line",
        _ => return expected(i, what),
    };
    SyntaxError::new(
        SyntaxErrorKind::Unexpected,
        format!("expected {what}, found {place}"),
        i.after_prev(),
        format!("expected {what}"),
    )
}
