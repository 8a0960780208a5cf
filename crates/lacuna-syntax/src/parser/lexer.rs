//! The lexer: text to tokens, written with nom over `&str`.
//!
//! Offsets are computed as `base + sub.len() - rest.len()`, so every span is a
//! byte range of the whole file even when a template hole is lexed on its own.
//! Ordinary comments are set aside for [`crate::ast::Ast::comments`]; doc
//! comments become [`Tok::Doc`] tokens because they belong to the next item.
//! Lexing never fails: a malformed token (an unterminated string, a non-ASCII
//! identifier) is reported and still produces a token, so the grammar sees the
//! shape the author meant and does not report the same mistake again.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_till, take_while, take_while1};
use nom::character::complete::{anychar, char, digit1, satisfy};
use nom::combinator::{map, opt, recognize, value};
use nom::{IResult, Parser};

use super::input::{Kw, Tok, Token};
use crate::ast::{Comment, CommentKind};
use crate::error::{SyntaxError, SyntaxErrorKind};
use crate::span::Span;

/// What ends the text being lexed: the file, or the `}` of a template hole.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    File,
    Hole,
}

pub(crate) struct Lexed {
    pub(crate) tokens: Vec<Token>,
    pub(crate) comments: Vec<Comment>,
}

type LResult<'a, T> = IResult<&'a str, T>;

/// Lexes `source[start..end]`; spans are offsets into `source`.
pub(crate) fn lex(
    source: &str,
    start: usize,
    end: usize,
    end_kind: End,
    errors: &mut Vec<SyntaxError>,
) -> Lexed {
    let sub = source.get(start..end).unwrap_or("");
    let offset = |rest: &str| to_u32(start + sub.len() - rest.len());
    let mut tokens = Vec::new();
    let mut comments = Vec::new();
    let mut rest = sub;
    let mut line_start = true;
    // The token after `norm` on the same line is a norm id, whose segments may
    // start with a digit and contain `-`, unlike any other token.
    let mut norm_id_next = false;
    // The kind of the last token, to tell the keyword `norm` that starts an
    // item from a field named `norm` (`a.norm`, `a has norm`).
    let mut previous = None;

    loop {
        let start = offset(rest);
        if rest.is_empty() {
            let kind = match end_kind {
                End::File => Tok::Eof,
                End::Hole => Tok::HoleEnd,
            };
            tokens.push(Token {
                kind,
                span: Span::new(start, start),
                line_start: true,
            });
            break;
        }
        if let Ok((after, ws)) = whitespace(rest) {
            if ws.contains('\n') {
                line_start = true;
                norm_id_next = false;
            }
            rest = after;
            continue;
        }
        if let Ok((after, text)) = line_comment(rest) {
            let text = text.strip_suffix('\r').unwrap_or(text);
            let span = Span::new(start, start + to_u32(text.len()));
            if is_doc(text) {
                tokens.push(Token {
                    kind: Tok::Doc,
                    span,
                    line_start,
                });
                line_start = false;
            } else {
                comments.push(Comment {
                    text: text.to_owned(),
                    kind: CommentKind::Line,
                    span,
                });
            }
            rest = after;
            continue;
        }
        if let Ok((after, block)) = block_comment(rest) {
            let span = Span::new(start, offset(after));
            if block.unclosed.is_some() {
                errors.push(unterminated_comment(start, &block));
            }
            if block.text.contains('\n') {
                line_start = true;
                norm_id_next = false;
            }
            comments.push(Comment {
                text: block.text.to_owned(),
                kind: CommentKind::Block,
                span,
            });
            rest = after;
            continue;
        }

        let (after, kind) = if norm_id_next {
            match norm_id(rest) {
                Ok((after, _)) => (after, Tok::NormId),
                Err(_) => token(rest),
            }
        } else {
            token(rest)
        };
        let span = Span::new(start, offset(after));
        let text = span_text(source, span);
        match kind {
            Tok::Ident => check_ascii(text, span, errors),
            Tok::Str { .. } => {
                if let Ok((_, end)) = string(rest)
                    && end != StrEnd::Closed
                {
                    errors.push(unterminated_string(start, end));
                }
            }
            _ => {}
        }
        let kind = match kind {
            Tok::Ident => Kw::from_word(text).map_or(Tok::Ident, Tok::Kw),
            other => other,
        };
        // After `.` or `has`, `norm` names a field and what follows is an
        // ordinary token: `a.norm.b`, `a has norm and b`.
        norm_id_next =
            kind == Tok::Kw(Kw::Norm) && !matches!(previous, Some(Tok::Dot | Tok::Kw(Kw::Has)));
        previous = Some(kind);
        tokens.push(Token {
            kind,
            span,
            line_start,
        });
        line_start = false;
        rest = after;
    }
    Lexed { tokens, comments }
}

fn to_u32(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

fn span_text(source: &str, span: Span) -> &str {
    span.text(source)
}

fn whitespace(i: &str) -> LResult<'_, &str> {
    take_while1(|c| matches!(c, ' ' | '\t' | '\r' | '\n')).parse(i)
}

/// `// ...` up to the end of the line, the line break excluded.
fn line_comment(i: &str) -> LResult<'_, &str> {
    recognize((tag("//"), take_till(|c| c == '\n'))).parse(i)
}

/// `///` starts a doc comment, but `////` (a ruler, or commented-out docs) does not.
fn is_doc(comment: &str) -> bool {
    comment.starts_with("///") && !comment.starts_with("////")
}

struct Block<'a> {
    text: &'a str,
    /// Offsets (relative to the comment start) of the `/*`s left open at the
    /// end of the input, outermost first.
    unclosed: Option<Vec<usize>>,
    /// The offset of the last nested `/*`, which may have taken the `*/` its
    /// author meant for an outer comment.
    last_nested: Option<usize>,
}

/// A block comment; blocks nest. The scan is a loop with a stack of open
/// positions rather than recursion, so deep nesting cannot overflow.
fn block_comment(i: &str) -> LResult<'_, Block<'_>> {
    let (_, _) = tag("/*").parse(i)?;
    let bytes = i.as_bytes();
    let mut open = vec![0usize];
    let mut last_nested = None;
    let mut pos = 2;
    while let Some(&byte) = bytes.get(pos) {
        let next = bytes.get(pos + 1).copied();
        if byte == b'/' && next == Some(b'*') {
            open.push(pos);
            last_nested = Some(pos);
            pos += 2;
        } else if byte == b'*' && next == Some(b'/') {
            open.pop();
            pos += 2;
            if open.is_empty() {
                let (text, rest) = i.split_at_checked(pos).unwrap_or((i, ""));
                return Ok((
                    rest,
                    Block {
                        text,
                        unclosed: None,
                        last_nested,
                    },
                ));
            }
        } else {
            pos += 1;
        }
    }
    Ok((
        "",
        Block {
            text: i,
            unclosed: Some(open),
            last_nested,
        },
    ))
}

fn unterminated_comment(start: u32, block: &Block<'_>) -> SyntaxError {
    let error = SyntaxError::new(
        SyntaxErrorKind::UnterminatedBlockComment,
        "unterminated block comment",
        Span::new(start, start + 2),
        "this comment is never closed",
    );
    let unclosed = block.unclosed.as_deref().unwrap_or(&[]);
    let at = |offset: usize| {
        let offset = start + to_u32(offset);
        Span::new(offset, offset + 2)
    };
    match (unclosed.last(), block.last_nested) {
        (Some(&inner), _) if unclosed.len() > 1 => error
            .with_label(at(inner), "this nested comment is not closed either")
            .with_help("block comments nest: each `/*` needs its own `*/`"),
        (_, Some(nested)) => error
            .with_label(at(nested), "a nested comment opens here")
            .with_help("block comments nest: each `/*` needs its own `*/`, so this one takes a `*/` meant for an outer comment"),
        _ => error.with_help("close the comment with `*/`"),
    }
}

fn unterminated_string(start: u32, end: StrEnd) -> SyntaxError {
    let quote = Span::new(start, start + 1);
    match end {
        StrEnd::Wrapped(line_end) => {
            let at = start + 1 + to_u32(line_end);
            SyntaxError::new(
                SyntaxErrorKind::UnterminatedString,
                "unterminated string",
                quote,
                "this string is not closed on its line",
            )
            .with_label(Span::empty(at), "the line ends here")
            .with_help(
                "a string ends on its line: keep it on one line, or write `\\n` for a line break",
            )
        }
        _ => SyntaxError::new(
            SyntaxErrorKind::UnterminatedString,
            "unterminated string",
            quote,
            "this string is never closed",
        )
        .with_help("a string ends on its line: add the closing `\"`"),
    }
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_ident_continue(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// An identifier or keyword. Non-ASCII letters are accepted here so that
/// `café` is one token with one clear error, not three tokens and a cascade.
fn word(i: &str) -> LResult<'_, Tok> {
    value(
        Tok::Ident,
        recognize((satisfy(is_ident_start), take_while(is_ident_continue))),
    )
    .parse(i)
}

/// `42`, `-3`; trailing letters are kept in the token and rejected by the grammar.
fn number(i: &str) -> LResult<'_, Tok> {
    value(
        Tok::Int,
        recognize((opt(char('-')), digit1, take_while(is_ident_continue))),
    )
    .parse(i)
}

fn norm_id(i: &str) -> LResult<'_, &str> {
    take_while1(|c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.')).parse(i)
}

/// How a string literal ended.
#[derive(Clone, Copy, PartialEq, Eq)]
enum StrEnd {
    Closed,
    /// The line (or the input) ended first.
    Unclosed,
    /// The line ended, and the next line holds the closing quote: the author
    /// wrapped a long string. The string is taken to run to that quote, so the
    /// rest of the next line is not misread as code. The offset is that of
    /// the first line break, relative to the opening quote.
    Wrapped(usize),
}

/// A string literal up to its closing quote, or, when unterminated, up to the
/// end of its line. Escapes are only skipped here; they are decoded by the
/// grammar, which knows whether the string is a template.
fn string(i: &str) -> LResult<'_, StrEnd> {
    let (body, _) = char('"').parse(i)?;
    match scan_line(body) {
        (Some(close), _) => Ok((body.get(close + 1..).unwrap_or(""), StrEnd::Closed)),
        (None, line_end) => {
            let line_end = line_end.min(body.len());
            let mut end = line_end;
            if body.get(..end).is_some_and(|s| s.ends_with('\r')) {
                end -= 1;
            }
            let next_line = body.get(line_end + 1..).unwrap_or("");
            if line_end < body.len()
                && count_quotes(next_line) % 2 == 1
                && let (Some(close), _) = scan_line(next_line)
            {
                let rest = next_line.get(close + 1..).unwrap_or("");
                return Ok((rest, StrEnd::Wrapped(end)));
            }
            Ok((body.get(end..).unwrap_or(""), StrEnd::Unclosed))
        }
    }
}

/// Scans one line of string content: the offset of the closing quote if the
/// line has one, and the offset where the line ends.
fn scan_line(body: &str) -> (Option<usize>, usize) {
    let mut chars = body.char_indices();
    while let Some((index, c)) = chars.next() {
        match c {
            '"' => return (Some(index), index),
            '\n' => return (None, index),
            '\\' => {
                // An escaped line break still ends the line, and so the string.
                if let Some((_, next)) = chars.clone().next()
                    && next != '\n'
                    && next != '\r'
                {
                    chars.next();
                }
            }
            _ => {}
        }
    }
    (None, body.len())
}

/// The unescaped quotes on the first line of `text`.
fn count_quotes(text: &str) -> usize {
    let line = text.split('\n').next().unwrap_or("");
    let mut count = 0;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => count += 1,
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    count
}

fn punct(i: &str) -> LResult<'_, Tok> {
    alt((
        alt((
            value(Tok::EqEq, tag("==")),
            value(Tok::Ne, tag("!=")),
            value(Tok::Le, tag("<=")),
            value(Tok::Ge, tag(">=")),
            value(Tok::AndAnd, tag("&&")),
            value(Tok::OrOr, tag("||")),
        )),
        alt((
            value(Tok::LBrace, char('{')),
            value(Tok::RBrace, char('}')),
            value(Tok::LParen, char('(')),
            value(Tok::RParen, char(')')),
            value(Tok::LBracket, char('[')),
            value(Tok::RBracket, char(']')),
            value(Tok::Comma, char(',')),
            value(Tok::Colon, char(':')),
            value(Tok::Dot, char('.')),
            value(Tok::Question, char('?')),
            value(Tok::Assign, char('=')),
            value(Tok::Lt, char('<')),
            value(Tok::Gt, char('>')),
            value(Tok::Bang, char('!')),
        )),
    ))
    .parse(i)
}

/// One token. Any character that starts no token becomes [`Tok::Unknown`],
/// which the grammar reports in context ("expected `,` or `]`, found `;`").
fn token(i: &str) -> (&str, Tok) {
    let result = alt((
        number,
        word,
        map(string, |end| Tok::Str {
            terminated: end != StrEnd::Unclosed,
        }),
        punct,
        value(Tok::Unknown, anychar),
    ))
    .parse(i);
    match result {
        Ok(done) => done,
        // `anychar` only fails on empty input, which the caller never passes.
        Err(_) => ("", Tok::Unknown),
    }
}

fn check_ascii(text: &str, span: Span, errors: &mut Vec<SyntaxError>) {
    if let Some((index, c)) = text.char_indices().find(|(_, c)| !c.is_ascii()) {
        let start = span.start + to_u32(index);
        errors.push(
            SyntaxError::new(
                SyntaxErrorKind::NonAsciiIdentifier,
                format!("identifier `{text}` contains the non-ASCII character `{c}`"),
                Span::new(start, start + to_u32(c.len_utf8())),
                "not an ASCII letter, digit or `_`",
            )
            .with_help(
                "identifiers use only `A-Z`, `a-z`, `0-9` and `_`; \
                 write other text inside a string",
            ),
        );
    }
}
