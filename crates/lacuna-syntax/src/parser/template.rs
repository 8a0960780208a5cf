//! String literals and message templates.
//!
//! The lexer only finds where a string ends; escapes are decoded here, and a
//! template's `{expr}` holes are lexed and parsed in place, so the spans of a
//! hole's expression point into the file, inside the string. A hole ends at
//! the first `}`; since the string itself ends at the first unescaped `"`, a
//! hole cannot hold a string literal.

use std::iter::Peekable;
use std::str::CharIndices;

use super::expr::expr;
use super::input::{Input, Tok, Token};
use super::lexer::{End, lex};
use super::suggest::expected;
use crate::ast::{Expr, ExprKind, StrLit, Template, TemplatePart};
use crate::error::{SyntaxError, SyntaxErrorKind};
use crate::span::Span;

fn offset(base: u32, index: usize) -> u32 {
    base.saturating_add(u32::try_from(index).unwrap_or(u32::MAX))
}

/// The text between the quotes, and where it starts in the file.
fn content<'a>(i: &Input<'a>, token: Token) -> (u32, &'a str) {
    let text = i.text(token);
    let inner = text.strip_prefix('"').unwrap_or(text);
    let inner = match token.kind {
        Tok::Str { terminated: true } => inner.strip_suffix('"').unwrap_or(inner),
        _ => inner,
    };
    (token.span.start.saturating_add(1), inner)
}

pub(crate) fn decode_string(i: &Input<'_>, token: Token) -> StrLit {
    let (base, raw) = content(i, token);
    let mut value = String::with_capacity(raw.len());
    let mut chars = raw.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        if c == '\\' {
            escape(i, base, index, &mut chars, &mut value);
        } else {
            value.push(c);
        }
    }
    StrLit {
        value,
        span: token.span,
    }
}

/// Decodes the escape whose backslash is at `index`, reporting unknown ones.
fn escape(
    i: &Input<'_>,
    base: u32,
    index: usize,
    chars: &mut Peekable<CharIndices<'_>>,
    out: &mut String,
) {
    let Some((_, c)) = chars.next() else {
        // A backslash at the very end: the string is unterminated, and that
        // has been reported already.
        return;
    };
    let decoded = match c {
        '"' => '"',
        '\\' => '\\',
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        '{' => '{',
        '}' => '}',
        'u' => {
            unicode_escape(i, base, index, chars, out);
            return;
        }
        other => {
            let start = offset(base, index);
            i.report(
                SyntaxError::new(
                    SyntaxErrorKind::InvalidEscape,
                    format!("unknown escape `\\{other}`"),
                    Span::new(start, start + 1 + other.len_utf8() as u32),
                    "not an escape",
                )
                .with_help(
                    "the escapes are `\\\"`, `\\\\`, `\\n`, `\\t`, `\\r`, `\\{`, `\\}` \
                     and `\\u{1F30D}`; write `\\\\` for a backslash",
                ),
            );
            other
        }
    };
    out.push(decoded);
}

/// `\u{1F30D}`: one to six hex digits naming a Unicode scalar value.
fn unicode_escape(
    i: &Input<'_>,
    base: u32,
    index: usize,
    chars: &mut Peekable<CharIndices<'_>>,
    out: &mut String,
) {
    let mut digits = String::new();
    let mut end = index + 2;
    let mut closed = false;
    if chars.peek().is_some_and(|&(_, c)| c == '{') {
        chars.next();
        end += 1;
        while let Some(&(at, c)) = chars.peek() {
            if c == '}' {
                chars.next();
                end = at + 1;
                closed = true;
                break;
            }
            if !c.is_ascii_hexdigit() || digits.len() >= 6 {
                break;
            }
            digits.push(c);
            chars.next();
            end = at + 1;
        }
    }
    let value = if closed && !digits.is_empty() {
        u32::from_str_radix(&digits, 16)
            .ok()
            .and_then(char::from_u32)
    } else {
        None
    };
    match value {
        Some(c) => out.push(c),
        None => i.report(
            SyntaxError::new(
                SyntaxErrorKind::InvalidEscape,
                "invalid unicode escape",
                Span::new(offset(base, index), offset(base, end)),
                "not a valid `\\u{...}` escape",
            )
            .with_help("write one to six hex digits of a Unicode code point, as in `\\u{1F30D}`"),
        ),
    }
}

/// A message or help template: text with `{expr}` holes, `{{` and `}}` for braces.
pub(crate) fn template(i: &Input<'_>, token: Token) -> Template {
    let (base, raw) = content(i, token);
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut chars = raw.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        match c {
            '\\' => escape(i, base, index, &mut chars, &mut text),
            '{' if chars.peek().is_some_and(|&(_, c)| c == '{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek().is_some_and(|&(_, c)| c == '}') => {
                chars.next();
                text.push('}');
            }
            '}' => {
                let at = offset(base, index);
                i.report(
                    SyntaxError::new(
                        SyntaxErrorKind::UnmatchedBrace,
                        "unmatched `}` in template",
                        Span::new(at, at + 1),
                        "no `{` opens a hole before this",
                    )
                    .with_help("write `}}` for a literal `}`"),
                );
                text.push('}');
            }
            '{' => {
                let after = raw.get(index + 1..).unwrap_or("");
                let Some(length) = after.find('}') else {
                    let at = offset(base, index);
                    // In a string that runs to the end of its line, the
                    // missing `}` is part of the same slip, reported once.
                    let terminated = token.kind == (Tok::Str { terminated: true });
                    if terminated {
                        i.report(
                            SyntaxError::new(
                                SyntaxErrorKind::UnterminatedHole,
                                "unterminated `{` in template",
                                Span::new(at, at + 1),
                                "this hole is never closed",
                            )
                            .with_help("close the hole with `}`, or write `{{` for a literal `{`"),
                        );
                    }
                    text.push_str(raw.get(index..).unwrap_or(""));
                    break;
                };
                if !text.is_empty() {
                    parts.push(TemplatePart::Text(std::mem::take(&mut text)));
                }
                let start = offset(base, index + 1);
                let end = offset(base, index + 1 + length);
                parts.push(TemplatePart::Hole(hole(i, start, end)));
                while chars.next_if(|&(at, _)| at <= index + 1 + length).is_some() {}
            }
            other => text.push(other),
        }
    }
    if !text.is_empty() {
        parts.push(TemplatePart::Text(text));
    }
    Template {
        parts,
        span: token.span,
    }
}

/// Parses the expression of a hole at `start..end` in the file.
fn hole(i: &Input<'_>, start: u32, end: u32) -> Expr {
    let cx = i.cx;
    let span = Span::new(start, end);
    let error_node = Expr {
        kind: ExprKind::Error,
        span,
    };
    if cx.text(span).trim().is_empty() {
        cx.report(
            SyntaxError::new(
                SyntaxErrorKind::EmptyHole,
                "empty `{}` in template",
                Span::new(start.saturating_sub(1), end.saturating_add(1)),
                "expected an expression inside",
            )
            .with_help("put an expression inside, as in `{g}`, or write `{{}}` for literal braces"),
        );
        return error_node;
    }
    let mut errors = Vec::new();
    let lexed = lex(
        cx.source,
        start as usize,
        end as usize,
        End::Hole,
        &mut errors,
    );
    cx.report_all(errors);
    for comment in &lexed.comments {
        cx.report(
            SyntaxError::new(
                SyntaxErrorKind::CommentInHole,
                "comment inside a template hole",
                comment.span,
                "not allowed here",
            )
            .with_help("a hole holds one expression; move the comment outside the string"),
        );
    }
    let input = Input::new(&lexed.tokens, cx);
    match expr(input, 1) {
        Ok((rest, sub)) if rest.peek().is_end() => sub.expr,
        Ok((rest, _)) => {
            cx.report(expected(&rest, "`}` to end the hole"));
            error_node
        }
        Err(err) => {
            cx.report(super::input::into_error(&input, err));
            error_node
        }
    }
}
