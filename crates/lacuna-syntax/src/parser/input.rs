//! Tokens, and the token stream the grammar parses with nom.
//!
//! [`Input`] implements [`nom::Input`] over a slice of [`Token`]s, so the grammar
//! is written with nom's `IResult` and combinators just like the lexer. It also
//! carries a shared [`Cx`] where the grammar records errors it recovers from
//! without stopping (an unknown severity, `=` for `==`), and the source text,
//! which tokens point into by span instead of owning copies.

use std::cell::RefCell;
use std::iter::{Copied, Enumerate};
use std::slice::Iter;

use nom::error::{ErrorKind, ParseError};
use nom::{IResult, Needed};

use crate::error::{SyntaxError, SyntaxErrorKind};
use crate::span::Span;

/// Reserved words: never an identifier, anywhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kw {
    Enum,
    Entity,
    Norm,
    For,
    In,
    Where,
    Require,
    Else,
    Help,
    Let,
    Any,
    All,
    None,
    Count,
    Not,
    And,
    Or,
    Has,
    True,
    False,
}

impl Kw {
    pub(crate) fn from_word(word: &str) -> Option<Kw> {
        Some(match word {
            "enum" => Kw::Enum,
            "entity" => Kw::Entity,
            "norm" => Kw::Norm,
            "for" => Kw::For,
            "in" => Kw::In,
            "where" => Kw::Where,
            "require" => Kw::Require,
            "else" => Kw::Else,
            "help" => Kw::Help,
            "let" => Kw::Let,
            "any" => Kw::Any,
            "all" => Kw::All,
            "none" => Kw::None,
            "count" => Kw::Count,
            "not" => Kw::Not,
            "and" => Kw::And,
            "or" => Kw::Or,
            "has" => Kw::Has,
            "true" => Kw::True,
            "false" => Kw::False,
            _ => return None,
        })
    }

    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            Kw::Enum => "enum",
            Kw::Entity => "entity",
            Kw::Norm => "norm",
            Kw::For => "for",
            Kw::In => "in",
            Kw::Where => "where",
            Kw::Require => "require",
            Kw::Else => "else",
            Kw::Help => "help",
            Kw::Let => "let",
            Kw::Any => "any",
            Kw::All => "all",
            Kw::None => "none",
            Kw::Count => "count",
            Kw::Not => "not",
            Kw::And => "and",
            Kw::Or => "or",
            Kw::Has => "has",
            Kw::True => "true",
            Kw::False => "false",
        }
    }

    /// Keywords that start a top-level item.
    pub(crate) const ITEMS: [Kw; 3] = [Kw::Enum, Kw::Entity, Kw::Norm];

    pub(crate) fn starts_item(self) -> bool {
        Kw::ITEMS.contains(&self)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tok {
    Ident,
    Kw(Kw),
    /// Digits with an optional leading `-`, possibly followed by letters
    /// (`12ab`), which the grammar rejects with a clear message.
    Int,
    Str {
        terminated: bool,
    },
    /// The id after `norm`, lexed as one run of letters, digits, `_`, `-` and `.`.
    NormId,
    /// One `///` line.
    Doc,
    LBrace,
    RBrace,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Colon,
    Dot,
    Question,
    Assign,
    EqEq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    AndAnd,
    OrOr,
    Bang,
    /// A character that starts no token.
    Unknown,
    /// The end of the text being parsed.
    Eof,
    /// The `}` that ends a template hole, which is where a hole's tokens stop.
    HoleEnd,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) kind: Tok,
    pub(crate) span: Span,
    /// The token is the first on its line, which matters to the parts of the
    /// grammar that are line-oriented: metadata, fields, enum variants, and
    /// the points where recovery resumes.
    pub(crate) line_start: bool,
}

impl Token {
    pub(crate) fn is(self, kind: Tok) -> bool {
        self.kind == kind
    }

    pub(crate) fn is_kw(self, kw: Kw) -> bool {
        self.kind == Tok::Kw(kw)
    }

    pub(crate) fn is_end(self) -> bool {
        matches!(self.kind, Tok::Eof | Tok::HoleEnd)
    }
}

/// State shared by every position of one parse.
pub(crate) struct Cx<'a> {
    pub(crate) source: &'a str,
    errors: RefCell<Vec<SyntaxError>>,
}

impl<'a> Cx<'a> {
    pub(crate) fn new(source: &'a str, errors: Vec<SyntaxError>) -> Cx<'a> {
        Cx {
            source,
            errors: RefCell::new(errors),
        }
    }

    pub(crate) fn report(&self, error: SyntaxError) {
        self.errors.borrow_mut().push(error);
    }

    pub(crate) fn report_all(&self, errors: Vec<SyntaxError>) {
        self.errors.borrow_mut().extend(errors);
    }

    pub(crate) fn text(&self, span: Span) -> &'a str {
        span.text(self.source)
    }

    pub(crate) fn into_errors(self) -> Vec<SyntaxError> {
        self.errors.into_inner()
    }
}

/// A position in a token stream. The stream always ends with a
/// [`Tok::Eof`] or [`Tok::HoleEnd`] token, which is never consumed.
#[derive(Clone, Copy)]
pub(crate) struct Input<'a> {
    tokens: &'a [Token],
    pos: usize,
    pub(crate) cx: &'a Cx<'a>,
}

/// The fallback for a stream that lacks its end token, which the lexer never
/// produces; it keeps `peek` total without a panic path.
const NO_TOKEN: Token = Token {
    kind: Tok::Eof,
    span: Span::empty(0),
    line_start: true,
};

impl<'a> Input<'a> {
    pub(crate) fn new(tokens: &'a [Token], cx: &'a Cx<'a>) -> Input<'a> {
        Input { tokens, pos: 0, cx }
    }

    pub(crate) fn peek(&self) -> Token {
        self.nth(0)
    }

    /// The token `n` places ahead; the end token when there are fewer.
    pub(crate) fn nth(&self, n: usize) -> Token {
        self.tokens
            .get(self.pos.saturating_add(n))
            .or_else(|| self.tokens.last())
            .copied()
            .unwrap_or(NO_TOKEN)
    }

    /// The token before the current one, if any.
    pub(crate) fn prev(&self) -> Option<Token> {
        self.pos
            .checked_sub(1)
            .and_then(|index| self.tokens.get(index))
            .copied()
    }

    /// The position one token further, never past the end token.
    pub(crate) fn advance(self) -> Input<'a> {
        if self.peek().is_end() {
            self
        } else {
            Input {
                pos: self.pos + 1,
                ..self
            }
        }
    }

    pub(crate) fn text(&self, token: Token) -> &'a str {
        self.cx.text(token.span)
    }

    /// The whole text being parsed.
    pub(crate) fn source(&self) -> &'a str {
        self.cx.source
    }

    pub(crate) fn report(&self, error: SyntaxError) {
        self.cx.report(error);
    }

    /// Where the previous token ends, for labels that point just after it
    /// (the place a missing `:` or `}` belongs).
    ///
    /// At the very end of a file without a final line break there is no
    /// character left to point at, and an empty span there would not be
    /// drawn; the label then covers the previous token itself.
    pub(crate) fn after_prev(&self) -> Span {
        match self.prev() {
            Some(token) if token.span.end as usize >= self.cx.source.len() => token.span,
            Some(token) => Span::empty(token.span.end),
            None => Span::empty(self.peek().span.start),
        }
    }

    pub(crate) fn offset(&self) -> usize {
        self.pos
    }
}

/// How a token is named in "found ..." messages.
pub(crate) fn describe(i: &Input<'_>, token: Token) -> String {
    match token.kind {
        Tok::Eof => "the end of the file".to_owned(),
        Tok::HoleEnd => "the `}` that ends the hole".to_owned(),
        Tok::Str { .. } => "a string".to_owned(),
        Tok::Doc => "a doc comment".to_owned(),
        _ => format!("`{}`", i.text(token)),
    }
}

/// A parse error on its way up to the nearest recovery point.
#[derive(Debug)]
pub(crate) struct PErr(pub(crate) Box<SyntaxError>);

impl PErr {
    pub(crate) fn into_inner(self) -> SyntaxError {
        *self.0
    }
}

impl From<SyntaxError> for PErr {
    fn from(error: SyntaxError) -> PErr {
        PErr(Box::new(error))
    }
}

impl<'a> ParseError<Input<'a>> for PErr {
    fn from_error_kind(input: Input<'a>, _kind: ErrorKind) -> PErr {
        let token = input.peek();
        let found = describe(&input, token);
        PErr::from(SyntaxError::new(
            SyntaxErrorKind::Unexpected,
            format!("unexpected {found}"),
            token.span,
            "not expected here",
        ))
    }

    fn append(_input: Input<'a>, _kind: ErrorKind, other: PErr) -> PErr {
        other
    }
}

pub(crate) type PResult<'a, T> = IResult<Input<'a>, T, PErr>;

/// A committed failure: the caller's recovery point takes over.
pub(crate) fn fail<'a, T>(error: SyntaxError) -> PResult<'a, T> {
    Err(nom::Err::Failure(PErr::from(error)))
}

/// Extracts the error from a failed parse. `Incomplete` cannot occur over a
/// complete token stream; it maps to a generic error rather than a panic.
pub(crate) fn into_error(input: &Input<'_>, err: nom::Err<PErr>) -> SyntaxError {
    match err {
        nom::Err::Error(e) | nom::Err::Failure(e) => e.into_inner(),
        nom::Err::Incomplete(_) => PErr::from_error_kind(*input, ErrorKind::Eof).into_inner(),
    }
}

impl<'a> nom::Input for Input<'a> {
    type Item = Token;
    type Iter = Copied<Iter<'a, Token>>;
    type IterIndices = Enumerate<Self::Iter>;

    fn input_len(&self) -> usize {
        self.tokens.len().saturating_sub(self.pos)
    }

    fn take(&self, index: usize) -> Self {
        let end = self.pos.saturating_add(index).min(self.tokens.len());
        Input {
            tokens: self.tokens.get(..end).unwrap_or(self.tokens),
            ..*self
        }
    }

    fn take_from(&self, index: usize) -> Self {
        Input {
            pos: self.pos.saturating_add(index).min(self.tokens.len()),
            ..*self
        }
    }

    fn take_split(&self, index: usize) -> (Self, Self) {
        (self.take_from(index), self.take(index))
    }

    fn position<P>(&self, predicate: P) -> Option<usize>
    where
        P: Fn(Self::Item) -> bool,
    {
        self.iter_elements().position(predicate)
    }

    fn iter_elements(&self) -> Self::Iter {
        self.tokens.get(self.pos..).unwrap_or(&[]).iter().copied()
    }

    fn iter_indices(&self) -> Self::IterIndices {
        self.iter_elements().enumerate()
    }

    fn slice_index(&self, count: usize) -> Result<usize, Needed> {
        if self.input_len() >= count {
            Ok(count)
        } else {
            Err(Needed::new(count - self.input_len()))
        }
    }
}

/// Matches one token of `kind`; a recoverable `Error` otherwise, so that it
/// composes with `opt`, `alt` and `preceded`.
pub(crate) fn tok<'a>(kind: Tok) -> impl Fn(Input<'a>) -> PResult<'a, Token> {
    move |i: Input<'a>| {
        let token = i.peek();
        if token.kind == kind {
            Ok((i.advance(), token))
        } else {
            Err(nom::Err::Error(PErr::from_error_kind(i, ErrorKind::Tag)))
        }
    }
}

/// Matches the keyword `kw`.
pub(crate) fn kw<'a>(kw: Kw) -> impl Fn(Input<'a>) -> PResult<'a, Token> {
    tok(Tok::Kw(kw))
}
