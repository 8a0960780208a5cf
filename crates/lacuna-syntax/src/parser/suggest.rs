//! "expected ..., found ..." errors and "did you mean" guesses.

use super::input::{Input, Tok, describe};
use crate::error::{SyntaxError, SyntaxErrorKind};

/// The candidate closest to `word`, when it is close enough to be a slip of
/// the keyboard rather than a different word. Ties go to the earlier
/// candidate, so the guess is deterministic.
pub(crate) fn suggest<'k>(word: &str, candidates: &[&'k str]) -> Option<&'k str> {
    let lower = word.to_ascii_lowercase();
    let mut best: Option<(usize, &'k str)> = None;
    for &candidate in candidates {
        let distance = strsim::damerau_levenshtein(&lower, candidate);
        let longest = lower.chars().count().max(candidate.chars().count());
        // One edit in a short word, two from six letters on: `eror`,
        // `requre`, `sevrity`, `singelton`, but not `in` for `on`.
        let allowed = if longest >= 6 { 2 } else { 1 };
        if distance <= allowed && longest > 2 && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// "did you mean `x`?" for the closest candidate, if any.
pub(crate) fn did_you_mean(word: &str, candidates: &[&str]) -> Option<String> {
    suggest(word, candidates).map(|candidate| format!("did you mean `{candidate}`?"))
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
