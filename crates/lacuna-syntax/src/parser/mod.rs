//! The nom parser of the norm language.
//!
//! Two passes, both written with nom 8. The [`lexer`] runs over `&str` and
//! produces tokens with byte spans, setting ordinary comments aside; the
//! grammar ([`items`], [`expr`], [`template`]) runs over those tokens through
//! [`input::Input`], an implementation of [`nom::Input`]. Working on tokens
//! keeps the grammar LL(1) with a little lookahead: no backtracking, so
//! parsing is linear in the size of the file.
//!
//! Parsing never fails. Errors the grammar can step over (`=` for `==`, an
//! unknown severity) are recorded and parsing goes on; errors it cannot step
//! over travel up as `nom::Err::Failure` to the nearest recovery point (a
//! norm clause, an entity field, an item), which records them and skips to
//! where the text makes sense again. See the crate documentation of
//! [`crate::ast`] for what a broken file still yields.
//!
//! Spans: every node carries the byte range it was parsed from. A
//! parenthesised expression's span covers its parentheses. Item spans run
//! from the keyword to the closing brace; a doc comment has its own span.

mod expr;
mod input;
mod items;
mod lexer;
mod suggest;
mod template;

use crate::ast::Ast;
use crate::error::{SyntaxError, SyntaxErrorKind};
use crate::span::Span;

/// How deeply expressions, lists, parentheses and types may nest.
pub const MAX_NESTING: u32 = 64;

const BOM: &str = "\u{feff}";

/// Parses a `.norm` file. Always returns a tree: with syntax errors, it holds
/// every item that could be understood, and the errors come sorted by position.
pub fn parse(source: &str) -> (Ast, Vec<SyntaxError>) {
    // One byte of headroom keeps `end + 1` in span arithmetic from overflowing.
    if source.len() >= u32::MAX as usize {
        let error = SyntaxError::new(
            SyntaxErrorKind::SourceTooLarge,
            "file larger than 4 GiB",
            Span::empty(0),
            "this file is too large to parse",
        )
        .with_help("split the rules into several files");
        return (Ast::default(), vec![error]);
    }
    // A lone `\r` ends a line, as for the Language Server Protocol and the
    // line index that turns spans into positions. Reading it as `\n`, which
    // has the same length, keeps every span valid in the original text.
    let unified;
    let source = if has_lone_cr(source) {
        unified = lone_cr_as_lf(source);
        unified.as_str()
    } else {
        source
    };
    // A leading byte-order mark is skipped; spans still count its bytes.
    let start = if source.starts_with(BOM) {
        BOM.len()
    } else {
        0
    };
    let mut errors = Vec::new();
    let lexed = lexer::lex(source, start, source.len(), lexer::End::File, &mut errors);
    let cx = input::Cx::new(source, errors);
    let items = items::file(input::Input::new(&lexed.tokens, &cx));
    let mut errors = cx.into_errors();
    errors.sort_by_key(|e| e.span().start);
    let ast = Ast {
        items,
        comments: lexed.comments,
    };
    (ast, errors)
}

/// Whether `text` has a `\r` that is not followed by `\n`.
fn has_lone_cr(text: &str) -> bool {
    text.bytes()
        .zip(text.bytes().skip(1).map(Some).chain([None]))
        .any(|(b, next)| b == b'\r' && next != Some(b'\n'))
}

/// `text` with every lone `\r` replaced by `\n`; `\r\n` stays as it is.
pub fn lone_cr_as_lf(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

/// Parses a `.norm` file given as bytes. Invalid UTF-8 yields one error at
/// the first bad byte and an empty tree.
pub fn parse_bytes(source: &[u8]) -> (Ast, Vec<SyntaxError>) {
    match std::str::from_utf8(source) {
        Ok(text) => parse(text),
        Err(error) => {
            let start = error.valid_up_to();
            let len = error.error_len().unwrap_or(source.len() - start);
            let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
            let span = Span::new(to_u32(start), to_u32(start + len));
            let error = SyntaxError::new(
                SyntaxErrorKind::InvalidUtf8,
                "file is not valid UTF-8",
                span,
                "invalid UTF-8 starts here",
            )
            .with_help("save the file as UTF-8");
            (Ast::default(), vec![error])
        }
    }
}
