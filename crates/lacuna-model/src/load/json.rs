//! The JSON front end: strict JSON read from `jsonc-parser`'s tokens into
//! [`Node`]s, in one pass and without an intermediate syntax tree.
//!
//! JSON proposals are written by programs, so the reader accepts standard
//! JSON only: no comments, no trailing commas, no unquoted keys. A file that
//! needs notes is better written in TOML. Reading stops at the first syntax
//! error, so a broken JSON file reports one syntax error.
//!
//! Large proposals are JSON, and their size is in the entities: the objects
//! two levels below the root (`"group": {"g1": {..}}`, `"mandate": [{..}]`).
//! [`parse`] checks the whole text but builds nodes for the first two levels
//! only; each deeper object or array becomes a [`NodeKind::Deferred`] node,
//! which the loader turns into nodes with [`expand`] when it reads that
//! entity, and drops right after. So the whole document never exists as a
//! tree, and loading a proposal holds the text, the facts and one entity's
//! nodes at a time.

use std::borrow::Cow;

use hashbrown::HashTable;
use hashbrown::hash_table::Entry as TableEntry;
use jsonc_parser::errors::{ParseError, ParseErrorKind};
use jsonc_parser::tokens::Token;
use jsonc_parser::{Scanner, ScannerOptions};
use lacuna_syntax::{Edit, Fix, Span};
use rayon::prelude::*;
use rustc_hash::FxHasher;

use super::depth::MAX_DEPTH;
use super::tree::{Entry, Node, NodeKind, span_of};
use crate::error::{DuplicateKey, LoadError, SyntaxError, TooDeep};

const BOM: &str = "\u{feff}";

/// Objects with at most this many properties are checked for duplicate keys
/// without a map.
const SMALL: usize = 16;

/// Containers this deep or deeper (the root is at depth 1) are checked but
/// left [`NodeKind::Deferred`] by [`parse`].
const DEFER_AT: usize = 3;

/// What [`parse`] read.
pub(crate) struct Parsed<'a> {
    /// `None` when the text is not a JSON document.
    pub root: Option<Node<'a>>,
    pub errors: Vec<LoadError>,
    /// How many [`NodeKind::Deferred`] nodes were skipped over without
    /// checking their text. [`expand`] checks it when it reads them; the
    /// load starts over with [`parse_checked`] at the first thing wrong in
    /// one, or when not all of them were read.
    pub unchecked: usize,
}

/// Parses `text`, checking the two top levels only when that is enough.
///
/// A proposal's size is in its entities, and a proposal written by a
/// program is almost always well formed, so the containers [`parse`] would
/// defer are first only skipped over, by their brackets: [`expand`] reads
/// them anyway, and checks them then. Anything unusual on the way (a
/// syntax error, a duplicate key, a container that does not close, nesting
/// that might be too deep) makes this the checked parse of
/// [`parse_checked`], so what is reported never depends on the shortcut.
pub(crate) fn parse(text: &str) -> Parsed<'_> {
    let pieces =
        (text.len() >= PIECES_FROM && rayon::current_num_threads() > 1).then(Pieces::default);
    parse_in(text, pieces)
}

/// [`parse`], reading large containers of entities in `pieces` when given.
fn parse_in(text: &str, pieces: Option<Pieces>) -> Parsed<'_> {
    let (body, offset) = split_bom(text);
    let mut reader = Reader::new(body, offset, DEFER_AT);
    reader.skip_deferred = true;
    reader.pieces = pieces;
    match reader.document() {
        Ok(Some(root)) => Parsed {
            root: Some(root),
            errors: reader.errors,
            unchecked: reader.skipped,
        },
        Ok(None) | Err(_) => parse_checked(text),
    }
}

/// Parses `text`, checking all of it before anything is loaded.
pub(crate) fn parse_checked(text: &str) -> Parsed<'_> {
    let (body, offset) = split_bom(text);
    let mut reader = Reader::new(body, offset, DEFER_AT);
    let (root, errors) = match reader.document() {
        Ok(Some(root)) => (Some(root), reader.errors),
        Ok(None) => {
            let end = text.len();
            let error = SyntaxError::new(
                "JSON",
                "the file holds no value".to_owned(),
                "expected an object".to_owned(),
                span_of(end, end, 0),
                Some("a proposal in JSON is one object: `{\"proposal\": {..}}`".to_owned()),
            );
            (None, vec![LoadError::Syntax(error)])
        }
        Err(bad) => (None, vec![bad.into_error(offset)]),
    };
    Parsed {
        root,
        errors,
        unchecked: 0,
    }
}

fn split_bom(text: &str) -> (&str, usize) {
    match text.strip_prefix(BOM) {
        Some(rest) => (rest, BOM.len()),
        None => (text, 0),
    }
}

/// The nodes of a [`NodeKind::Deferred`] node at `span` of `text`, the text
/// [`parse`] was given.
///
/// When the deferred text was `checked`, its duplicate keys were reported
/// then; they are left out here as they were there. When it was not,
/// `None` says that it holds a syntax error or a duplicate key, and that
/// the text must be parsed again with [`parse_checked`] to report it.
pub(crate) fn expand(text: &str, span: Span, checked: bool) -> Option<Node<'_>> {
    let (start, end) = (span.start as usize, span.end as usize);
    let Some(part) = text.get(start..end) else {
        return checked.then(|| Node::leaf(span, NodeKind::Null));
    };
    let mut reader = Reader::new(part, start, usize::MAX);
    reader.report_duplicates = !checked;
    match reader.document() {
        Ok(Some(node)) if checked || reader.errors.is_empty() => Some(node),
        // Not reached when checked: the text was read once already.
        _ => checked.then(|| Node::leaf(span, NodeKind::Null)),
    }
}

/// A syntax error: a byte range of the reader's text and what is wrong.
struct Bad {
    start: usize,
    end: usize,
    kind: Kind,
}

/// Either an error the scanner made, a kind of grammar error, or nesting
/// deeper than [`MAX_DEPTH`].
enum Kind {
    Scanner(ParseError),
    Grammar(ParseErrorKind),
    TooDeep,
    /// The quick parse met something it leaves to the checked one (see
    /// [`parse`]); never reported.
    Unsure,
}

impl Bad {
    fn into_error(self, offset: usize) -> LoadError {
        let kind = match &self.kind {
            Kind::Scanner(e) => e.kind(),
            Kind::Grammar(kind) => kind,
            Kind::Unsure => &ParseErrorKind::UnexpectedToken,
            Kind::TooDeep => {
                let span = span_of(self.start, self.end, offset);
                return LoadError::TooDeep(TooDeep::new(MAX_DEPTH, span));
            }
        };
        let (message, help) = describe(kind);
        let error = SyntaxError::new(
            "JSON",
            message,
            "here".to_owned(),
            span_of(self.start, self.end, offset),
            help,
        );
        LoadError::Syntax(error)
    }
}

fn describe(kind: &ParseErrorKind) -> (String, Option<String>) {
    let help = match kind {
        ParseErrorKind::CommentsNotAllowed => {
            Some("JSON has no comments; write the proposal in TOML to keep notes in it")
        }
        ParseErrorKind::TrailingCommasNotAllowed => {
            Some("JSON allows no comma after the last element: remove it")
        }
        ParseErrorKind::ExpectedComma => Some("separate elements and properties with `,`"),
        ParseErrorKind::SingleQuotedStringsNotAllowed => Some("write strings in double quotes"),
        ParseErrorKind::ExpectedStringObjectProperty => {
            Some("write property names in double quotes")
        }
        _ => None,
    };
    (lowercase_first(&kind.to_string()), help.map(str::to_owned))
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Strict JSON: everything `jsonc-parser`'s scanner can allow is refused.
const STRICT: ScannerOptions = ScannerOptions {
    allow_single_quoted_strings: false,
    allow_hexadecimal_numbers: false,
    allow_unary_plus_numbers: false,
    allow_bare_decimal_point_numbers: false,
    allow_non_finite_numbers: false,
    allow_extended_string_escapes: false,
};

/// The tokens of one part of the text with their spans, for a reader that
/// reads the usual case itself and leaves the rest to the nodes of
/// [`expand`].
pub(crate) struct Tokens<'a> {
    lexer: Lexer<'a>,
    /// Where the part starts in the text.
    base: usize,
}

impl<'a> Tokens<'a> {
    /// The tokens of `text` at `span`.
    pub(crate) fn of(text: &'a str, span: Span) -> Option<Tokens<'a>> {
        let base = span.start as usize;
        let part = text.get(base..span.end as usize)?;
        Some(Tokens {
            lexer: Lexer::new(part),
            base,
        })
    }

    /// The next token and its span; `None` at the end of the part, and at
    /// anything that is not a token of strict JSON.
    pub(crate) fn next(&mut self) -> Option<(Token<'a>, Span)> {
        let token = self.lexer.scan().ok()??;
        let span = span_of(self.lexer.token_start(), self.lexer.token_end(), self.base);
        Some((token, span))
    }

    /// Whether the part holds no more tokens, and nothing else.
    pub(crate) fn at_end(&mut self) -> bool {
        matches!(self.lexer.scan(), Ok(None))
    }
}

/// `jsonc-parser`'s strict scanner, with its most frequent tokens read
/// directly.
///
/// A program-written proposal is mostly punctuation, plain strings and
/// `true`, `false` or `null`; most of the time of reading one went into the
/// scanner's general path for them. This lexer reads those itself, where its
/// result is plainly the scanner's (a string without escapes, a literal
/// followed by an ASCII character that cannot continue a word, the four
/// whitespace bytes of JSON), and hands every other token, and every error,
/// to a scanner started at that token. The scanner keeps no state from one
/// token to the next, so the tokens, their spans and the errors are the
/// scanner's own.
struct Lexer<'a> {
    text: &'a str,
    /// Where the current token starts.
    start: usize,
    /// Where the current token ends; the next one is read from here.
    end: usize,
}

impl<'a> Lexer<'a> {
    fn new(text: &'a str) -> Lexer<'a> {
        Lexer {
            text,
            start: 0,
            end: 0,
        }
    }

    fn token_start(&self) -> usize {
        self.start
    }

    fn token_end(&self) -> usize {
        self.end
    }

    fn file_text(&self) -> &'a str {
        self.text
    }

    fn scan(&mut self) -> Result<Option<Token<'a>>, Bad> {
        let bytes = self.text.as_bytes();
        let mut at = self.end;
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(at) {
            at += 1;
        }
        self.end = at;
        let Some(&first) = bytes.get(at) else {
            self.start = at;
            return Ok(None);
        };
        let punctuation = match first {
            b'{' => Some(Token::OpenBrace),
            b'}' => Some(Token::CloseBrace),
            b'[' => Some(Token::OpenBracket),
            b']' => Some(Token::CloseBracket),
            b',' => Some(Token::Comma),
            b':' => Some(Token::Colon),
            _ => None,
        };
        if let Some(token) = punctuation {
            self.start = at;
            self.end = at + 1;
            return Ok(Some(token));
        }
        let quick = match first {
            b'"' => self.plain_string(at),
            b't' => self.literal(at, "true", Token::Boolean(true)),
            b'f' => self.literal(at, "false", Token::Boolean(false)),
            b'n' => self.literal(at, "null", Token::Null),
            _ => None,
        };
        match quick {
            Some((token, end)) => {
                self.start = at;
                self.end = end;
                Ok(Some(token))
            }
            None => self.exact(at),
        }
    }

    /// A string without escapes that starts at `at`, and where it ends.
    fn plain_string(&self, at: usize) -> Option<(Token<'a>, usize)> {
        let bytes = self.text.as_bytes();
        let body = at + 1;
        let mut end = body;
        loop {
            match *bytes.get(end)? {
                b'"' => break,
                b'\\' => return None,
                _ => end += 1,
            }
        }
        // Quote and backslash are ASCII, so both ends are boundaries.
        let value = self.text.get(body..end)?;
        Some((Token::String(Cow::Borrowed(value)), end + 1))
    }

    /// `word` at `at` when an ASCII character that cannot continue a word,
    /// or the end of the text, follows it.
    fn literal(&self, at: usize, word: &str, token: Token<'a>) -> Option<(Token<'a>, usize)> {
        let end = at + word.len();
        if self.text.as_bytes().get(at..end)? != word.as_bytes() {
            return None;
        }
        match self.text.as_bytes().get(end) {
            None => Some((token, end)),
            Some(&b) if b.is_ascii() && !b.is_ascii_alphanumeric() && b != b'$' => {
                Some((token, end))
            }
            Some(_) => None,
        }
    }

    /// Moves past the container whose opening bracket is the current
    /// token, by counting brackets outside strings, without reading its
    /// tokens. `None` when it does not close, or when it nests more than
    /// `below` levels of containers inside itself.
    fn skip(&mut self, below: usize) -> Option<()> {
        self.end = skip_container(self.text.as_bytes(), self.start, below)?;
        Some(())
    }

    /// The token at `at`, as the scanner reads it.
    fn exact(&mut self, at: usize) -> Result<Option<Token<'a>>, Bad> {
        let rest = self.text.get(at..).unwrap_or_default();
        let mut scanner = Scanner::new(rest, &STRICT);
        match scanner.scan() {
            Ok(token) => {
                self.start = at + scanner.token_start();
                self.end = at + scanner.token_end();
                Ok(token)
            }
            Err(e) => {
                let range = e.range();
                Err(Bad {
                    start: at + range.start,
                    end: at + range.end,
                    kind: Kind::Scanner(e),
                })
            }
        }
    }
}

/// The high bit of each byte of a word.
const HIGH: u64 = 0x8080_8080_8080_8080;
/// The other bits.
const LOW: u64 = !HIGH;

/// Where the container that opens at `start` of `bytes` ends, just after
/// its closing bracket, by counting brackets outside strings; `None` when
/// it does not close, or when it nests more than `below` levels of
/// containers inside itself.
///
/// After the opening bracket, the text is read eight bytes at a time. A
/// word without brackets or backslashes only changes whether a string is
/// open, by the number of its quotes, which is counted when it matters. In
/// a word with brackets but no backslash, the brackets outside strings are
/// those with an even number of quotes before them. A word with a
/// backslash, and the last few bytes of the text, are read a byte at a
/// time. Both ways count the same brackets.
fn skip_container(bytes: &[u8], start: usize, below: usize) -> Option<usize> {
    let mut skip = Skip {
        open: 0,
        in_string: false,
        limit: below.saturating_add(1),
    };
    let mut at = start;
    // Once a container is open, it stays open until the end is found.
    while skip.open == 0 {
        if let Some(closed) = skip.byte(bytes, &mut at)? {
            return Some(closed);
        }
    }
    loop {
        skip.in_string ^= plain_words(bytes, &mut at);
        let Some(word) = word_at(bytes, at) else {
            break;
        };
        let end = at + 8;
        let low = word & LOW;
        if equal(word, low, b'\\') != 0 {
            while at < end {
                if let Some(closed) = skip.byte(bytes, &mut at)? {
                    return Some(closed);
                }
            }
            continue;
        }
        let mut inside = prefix_parity(equal(word, low, b'"'));
        if skip.in_string {
            inside ^= HIGH;
        }
        skip.in_string = inside >> 63 != 0;
        let mut outside = candidates(word) & !inside;
        while outside != 0 {
            let found = at + (outside.trailing_zeros() / 8) as usize;
            outside &= outside - 1;
            let b = *bytes.get(found)?;
            if b != b'|'
                && let Some(closed) = skip.bracket(b, found)?
            {
                return Some(closed);
            }
        }
        at = end;
    }
    loop {
        if let Some(closed) = skip.byte(bytes, &mut at)? {
            return Some(closed);
        }
    }
}

/// Moves `at` past the words there that hold none of `[\]{|}`, and says
/// whether they hold an odd number of quotes.
#[inline(never)]
fn plain_words(bytes: &[u8], at: &mut usize) -> bool {
    let mut quotes = 0;
    while let Some(word) = word_at(bytes, *at) {
        if candidates(word) != 0 {
            break;
        }
        quotes ^= equal(word, word & LOW, b'"');
        *at += 8;
    }
    odd(quotes)
}

/// The high bit of each ASCII byte of `word` that is one of `[\]{|}`:
/// with bit 5 set, from 0x7B to 0x7D.
fn candidates(word: u64) -> u64 {
    // Adding to bytes below 0x80 carries into no other byte.
    let folded = word & LOW | 0x2020_2020_2020_2020;
    let from = folded.wrapping_add(0x0505_0505_0505_0505);
    let past = folded.wrapping_add(0x0202_0202_0202_0202);
    from & !(past | word) & HIGH
}

/// Where [`skip_container`] is in the text.
struct Skip {
    /// How many containers are open.
    open: usize,
    in_string: bool,
    /// How many may be open at once.
    limit: usize,
}

impl Skip {
    /// Reads the byte at `at`, and the byte after it when it is a
    /// backslash in a string, and moves `at` past them. `None` at the end
    /// of the text or when the container nests too deep; `Some(Some(end))`
    /// when it closes.
    fn byte(&mut self, bytes: &[u8], at: &mut usize) -> Option<Option<usize>> {
        let b = *bytes.get(*at)?;
        *at += 1;
        if self.in_string {
            match b {
                b'"' => self.in_string = false,
                b'\\' => {
                    bytes.get(*at)?;
                    *at += 1;
                }
                _ => {}
            }
            return Some(None);
        }
        match b {
            b'"' => {
                self.in_string = true;
                Some(None)
            }
            b'{' | b'[' | b'}' | b']' => self.bracket(b, *at - 1),
            _ => Some(None),
        }
    }

    /// Counts the bracket `b`, at `at`, outside strings.
    fn bracket(&mut self, b: u8, at: usize) -> Option<Option<usize>> {
        if matches!(b, b'{' | b'[') {
            self.open += 1;
            return (self.open <= self.limit).then_some(None);
        }
        self.open = self.open.checked_sub(1)?;
        Some((self.open == 0).then_some(at + 1))
    }
}

/// The eight bytes at `at`, the first in the lowest bits.
fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    let chunk = bytes.get(at..at.checked_add(8)?)?;
    Some(u64::from_le_bytes(<[u8; 8]>::try_from(chunk).ok()?))
}

/// The high bit of each byte of `word` that is the ASCII byte `b`, and no
/// other bit; `low` is `word` without its high bits.
fn equal(word: u64, low: u64, b: u8) -> u64 {
    // A byte below 0x80 plus 0x7F has its high bit set when it is not
    // zero, and carries into no other byte.
    let differs = (low ^ (0x0101_0101_0101_0101 * u64::from(b & 0x7F))).wrapping_add(LOW);
    !(differs | word) & HIGH
}

/// Whether an odd number of bytes have their high bit set in `marks`,
/// which has no other bit set.
fn odd(marks: u64) -> bool {
    // The top byte of the product is the sum of all bytes, at most 8.
    (marks >> 7).wrapping_mul(0x0101_0101_0101_0101) >> 56 & 1 == 1
}

/// For each byte's high bit, whether an odd number of `marks` are at or
/// below it.
fn prefix_parity(marks: u64) -> u64 {
    let mut parity = marks ^ (marks << 8);
    parity ^= parity << 16;
    parity ^ (parity << 32)
}

/// The keys of a large object, found by hash, with where each is defined.
/// Each keeps its hash, so the table grows without reading a key again.
type Keys<'a> = HashTable<(u64, Cow<'a, str>, Span)>;

/// The hash of a key in [`Keys`].
fn hash_key(key: &str) -> u64 {
    let mut hasher = FxHasher::default();
    std::hash::Hash::hash(key, &mut hasher);
    std::hash::Hasher::finish(&hasher)
}

/// A recursive-descent reader over the scanner's tokens. It stops at the
/// first container nested deeper than [`MAX_DEPTH`], so its recursion is
/// bounded.
struct Reader<'a> {
    scanner: Lexer<'a>,
    /// The token under the cursor; `None` at the end of the text.
    token: Option<Token<'a>>,
    /// Added to every position: the reader's text starts this far into the
    /// loaded text.
    offset: usize,
    /// Containers at this depth or deeper are left deferred.
    defer_at: usize,
    report_duplicates: bool,
    /// Deferred containers are skipped over by their brackets, unchecked.
    skip_deferred: bool,
    /// How many containers were skipped over.
    skipped: usize,
    /// How the containers of entities are cut for reading on several
    /// threads; `None` reads them here.
    pieces: Option<Pieces>,
    errors: Vec<LoadError>,
    /// The keys of the objects being read, innermost last; each object
    /// owns the entries from the length it found.
    keys: Vec<(Cow<'a, str>, Span)>,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str, offset: usize, defer_at: usize) -> Reader<'a> {
        Reader {
            scanner: Lexer::new(text),
            token: None,
            offset,
            defer_at,
            report_duplicates: true,
            skip_deferred: false,
            skipped: 0,
            pieces: None,
            errors: Vec::new(),
            keys: Vec::new(),
        }
    }

    /// The one value of the text; `None` for a text without tokens.
    fn document(&mut self) -> Result<Option<Node<'a>>, Bad> {
        self.scan()?;
        if self.token.is_none() {
            return Ok(None);
        }
        let root = self.value(1, true)?;
        if self.scan()?.is_some() {
            return Err(self.at_token(ParseErrorKind::MultipleRootJsonValues));
        }
        Ok(Some(root))
    }

    /// Moves to the next token that is not a comment; comments are errors.
    fn scan(&mut self) -> Result<Option<&Token<'a>>, Bad> {
        self.token = self.scanner.scan()?;
        if matches!(
            self.token,
            Some(Token::CommentLine(_) | Token::CommentBlock(_))
        ) {
            return Err(self.at_token(ParseErrorKind::CommentsNotAllowed));
        }
        Ok(self.token.as_ref())
    }

    /// An error at the token under the cursor, or at the character there
    /// when the cursor is at the end or on nothing.
    fn at_token(&self, kind: ParseErrorKind) -> Bad {
        let start = self.scanner.token_start();
        let mut end = self.scanner.token_end();
        if end <= start {
            let text = self.scanner.file_text();
            end = text
                .get(start..)
                .and_then(|rest| rest.chars().next())
                .map_or(text.len(), |c| start + c.len_utf8());
        }
        Bad {
            start,
            end,
            kind: Kind::Grammar(kind),
        }
    }

    fn span(&self, start: usize, end: usize) -> Span {
        span_of(start, end, self.offset)
    }

    /// The value that starts at the cursor, which is on a token; the cursor
    /// ends on the value's last token. `build` is false inside a deferred
    /// container: the value is checked and a placeholder returned.
    fn value(&mut self, depth: usize, build: bool) -> Result<Node<'a>, Bad> {
        let (start, end) = (self.scanner.token_start(), self.scanner.token_end());
        let span = self.span(start, end);
        let kind = match self.token.take() {
            Some(Token::OpenBrace) => return self.object(depth, build),
            Some(Token::OpenBracket) => return self.array(depth, build),
            Some(Token::String(s)) => NodeKind::Str(s),
            Some(Token::Number(n)) if n.contains(['.', 'e', 'E']) => NodeKind::Float,
            Some(Token::Number(n)) => NodeKind::Int(n.parse::<i64>().ok()),
            Some(Token::Boolean(b)) => NodeKind::Bool(b),
            Some(Token::Null) => NodeKind::Null,
            Some(Token::CloseBracket) => {
                return Err(self.at_token(ParseErrorKind::UnexpectedCloseBracket));
            }
            Some(Token::CloseBrace) => {
                return Err(self.at_token(ParseErrorKind::UnexpectedCloseBrace));
            }
            Some(Token::Comma) => return Err(self.at_token(ParseErrorKind::UnexpectedComma)),
            Some(Token::Colon) => return Err(self.at_token(ParseErrorKind::UnexpectedColon)),
            Some(Token::Word(_)) => return Err(self.at_token(ParseErrorKind::UnexpectedWord)),
            Some(Token::CommentLine(_) | Token::CommentBlock(_)) => {
                return Err(self.at_token(ParseErrorKind::CommentsNotAllowed));
            }
            None => return Err(self.at_token(ParseErrorKind::UnexpectedToken)),
        };
        Ok(Node::leaf(span, if build { kind } else { NodeKind::Null }))
    }

    /// A container that is deferred, or a placeholder inside one.
    fn unbuilt(&self, start: usize, build: bool, object: bool) -> Node<'a> {
        let span = self.span(start, self.scanner.token_end());
        let kind = if build {
            NodeKind::Deferred { object }
        } else {
            NodeKind::Null
        };
        Node::leaf(span, kind)
    }

    /// The error for a container the text ends inside: from its opening to
    /// the end.
    fn unterminated(&self, start: usize, kind: ParseErrorKind) -> Bad {
        Bad {
            start,
            end: self.scanner.token_end(),
            kind: Kind::Grammar(kind),
        }
    }

    /// The error for a container that opens at `start`, at `depth`, when
    /// that is deeper than [`MAX_DEPTH`]. Checking depth here bounds the
    /// reader's recursion, and the loader's.
    fn nesting(start: usize, depth: usize) -> Result<(), Bad> {
        if depth > MAX_DEPTH {
            return Err(Bad {
                start,
                end: start + 1,
                kind: Kind::TooDeep,
            });
        }
        Ok(())
    }

    /// The deferred container at `start`, at `depth`, skipped over
    /// unchecked.
    fn skip(&mut self, start: usize, depth: usize, object: bool) -> Result<Node<'a>, Bad> {
        // Its nested containers may go this many levels below it.
        let below = MAX_DEPTH.saturating_sub(depth);
        if self.scanner.skip(below).is_none() {
            return Err(Bad {
                start,
                end: start + 1,
                kind: Kind::Unsure,
            });
        }
        self.skipped += 1;
        Ok(self.unbuilt(start, true, object))
    }

    fn object(&mut self, depth: usize, build: bool) -> Result<Node<'a>, Bad> {
        let start = self.scanner.token_start();
        Self::nesting(start, depth)?;
        let deferred = build && depth >= self.defer_at;
        if deferred && self.skip_deferred {
            return self.skip(start, depth, true);
        }
        if let Some(pieces) = self.pieces
            && build
            && self.skip_deferred
            && depth + 1 == self.defer_at
        {
            return self.in_pieces(start, depth, true, pieces);
        }
        let build_entries = build && !deferred;
        let mut entries: Vec<Entry<'a>> = Vec::new();
        let keys_from = self.keys.len();
        let mut seen: Option<Keys<'a>> = None;
        let mut previous_end: Option<usize> = None;
        self.scan()?;
        loop {
            let key = match self.token.take() {
                Some(Token::CloseBrace) => break,
                Some(Token::String(key)) => key,
                None => {
                    return Err(self.unterminated(start, ParseErrorKind::UnterminatedObject));
                }
                Some(
                    token @ (Token::Word(_) | Token::Number(_) | Token::Boolean(_) | Token::Null),
                ) => {
                    self.token = Some(token);
                    return Err(self.at_token(ParseErrorKind::ExpectedStringObjectProperty));
                }
                Some(token) => {
                    self.token = Some(token);
                    return Err(self.at_token(ParseErrorKind::UnexpectedTokenInObject));
                }
            };
            let key_start = self.scanner.token_start();
            let key_span = self.span(key_start, self.scanner.token_end());
            if !matches!(self.scan()?, Some(Token::Colon)) {
                return Err(self.at_token(ParseErrorKind::ExpectedColonAfterObjectKey));
            }
            if self.scan()?.is_none() {
                return Err(self.at_token(ParseErrorKind::ExpectedObjectValue));
            }
            let value = self.value(depth + 1, build_entries)?;
            let value_end = self.scanner.token_end();
            let after_previous = previous_end.replace(value_end);
            match self.first_definition(&key, key_span, keys_from, &mut seen) {
                // The second value may be skipped text that nothing reads.
                Some(_) if self.skip_deferred => {
                    return Err(Bad {
                        start: key_start,
                        end: value_end,
                        kind: Kind::Unsure,
                    });
                }
                Some(first) if self.report_duplicates => {
                    // The loader keeps the first; deleting the second from
                    // the end of the entry before it keeps the commas right.
                    let from = after_previous.unwrap_or(key_start);
                    let fix = Fix::unsafe_edits(
                        format!("remove the second `{key}`"),
                        vec![Edit::delete(self.span(from, value_end))],
                    );
                    let error = DuplicateKey::new(&key, key_span, first).with_fix(fix);
                    self.errors.push(LoadError::DuplicateKey(error));
                }
                Some(_) => {}
                None if build_entries => entries.push(Entry {
                    key,
                    key_span,
                    value,
                }),
                None => {}
            }
            // The separator: a comma, unless the object ends.
            self.separator(
                |t| matches!(t, Token::CloseBrace),
                |t| {
                    matches!(
                        t,
                        Token::String(_)
                            | Token::Word(_)
                            | Token::Number(_)
                            | Token::Boolean(_)
                            | Token::Null
                    )
                },
            )?;
        }
        self.keys.truncate(keys_from);
        if !build_entries {
            return Ok(self.unbuilt(start, build, true));
        }
        let span = self.span(start, self.scanner.token_end());
        Ok(Node::leaf(span, NodeKind::Table(entries)))
    }

    /// Where `key` was first defined in the object being read, if it was;
    /// otherwise records it. The keys of the objects being read are on one
    /// stack, this object's from `keys_from`; small objects are searched
    /// directly, large ones (thousands of ids) through a map, to stay linear.
    #[allow(
        clippy::ptr_arg,
        reason = "the key is kept as it is, borrowed from the text when it can be"
    )]
    fn first_definition(
        &mut self,
        key: &Cow<'a, str>,
        key_span: Span,
        keys_from: usize,
        seen: &mut Option<Keys<'a>>,
    ) -> Option<Span> {
        let own = self.keys.get(keys_from..).unwrap_or_default();
        if seen.is_none() && own.len() >= SMALL {
            let mut keys = Keys::with_capacity(2 * SMALL);
            for (k, span) in own {
                let hash = hash_key(k);
                keys.insert_unique(hash, (hash, k.clone(), *span), |e| e.0);
            }
            *seen = Some(keys);
        }
        let Some(keys) = seen else {
            let first = own.iter().find(|(k, _)| k == key).map(|&(_, span)| span);
            if first.is_none() {
                self.keys.push((key.clone(), key_span));
            }
            return first;
        };
        let hash = hash_key(key);
        match keys.entry(hash, |e| e.0 == hash && e.1 == *key, |e| e.0) {
            TableEntry::Occupied(first) => Some(first.get().2),
            TableEntry::Vacant(place) => {
                place.insert((hash, key.clone(), key_span));
                None
            }
        }
    }

    /// Reads what follows an element of an object or array: a comma, which
    /// the closing token may not follow, or the closing token. An element
    /// right after another (`ends_element`) is a missing comma; anything
    /// else is left under the cursor for the caller to judge.
    fn separator(
        &mut self,
        closes: fn(&Token<'a>) -> bool,
        ends_element: fn(&Token<'a>) -> bool,
    ) -> Result<(), Bad> {
        let after_value = self.scanner.token_end();
        match self.scan()? {
            Some(Token::Comma) => {
                let comma = (self.scanner.token_start(), self.scanner.token_end());
                if self.scan()?.is_some_and(closes) {
                    return Err(Bad {
                        start: comma.0,
                        end: comma.1,
                        kind: Kind::Grammar(ParseErrorKind::TrailingCommasNotAllowed),
                    });
                }
            }
            Some(token) if ends_element(token) => {
                return Err(Bad {
                    start: after_value,
                    end: after_value,
                    kind: Kind::Grammar(ParseErrorKind::ExpectedComma),
                });
            }
            _ => {}
        }
        Ok(())
    }

    fn array(&mut self, depth: usize, build: bool) -> Result<Node<'a>, Bad> {
        let start = self.scanner.token_start();
        Self::nesting(start, depth)?;
        let deferred = build && depth >= self.defer_at;
        if deferred && self.skip_deferred {
            return self.skip(start, depth, false);
        }
        if let Some(pieces) = self.pieces
            && build
            && self.skip_deferred
            && depth + 1 == self.defer_at
        {
            return self.in_pieces(start, depth, false, pieces);
        }
        let build_items = build && !deferred;
        let mut items = Vec::new();
        self.scan()?;
        loop {
            match self.token {
                Some(Token::CloseBracket) => break,
                None => {
                    return Err(self.unterminated(start, ParseErrorKind::UnterminatedArray));
                }
                _ => {
                    let item = self.value(depth + 1, build_items)?;
                    if build_items {
                        items.push(item);
                    }
                }
            }
            self.separator(
                |t| matches!(t, Token::CloseBracket),
                |t| {
                    matches!(
                        t,
                        Token::OpenBrace
                            | Token::OpenBracket
                            | Token::String(_)
                            | Token::Boolean(_)
                            | Token::Number(_)
                            | Token::Null
                    )
                },
            )?;
        }
        if !build_items {
            return Ok(self.unbuilt(start, build, false));
        }
        let span = self.span(start, self.scanner.token_end());
        Ok(Node::leaf(span, NodeKind::Array(items)))
    }
}

/// Texts at least this long have their large containers of entities read
/// in pieces, on several threads.
const PIECES_FROM: usize = 1 << 20;

/// How a container of entities (`"group": {..}`, `"mandate": [..]`) is cut
/// into pieces that are read on several threads.
///
/// A piece ends just after the first `},` past its length: in a proposal
/// written by a program, where an entity ends and the next begins. That is
/// only a guess, as the same two bytes may end an object inside an entity
/// or sit in a string, so a piece is read from where the guess puts it and
/// its elements are used from the one where the reading before it stopped
/// ([`Reader::in_pieces`]). Reading is deterministic from there, so the
/// elements are those a reading from the container's start finds.
#[derive(Clone, Copy, Debug)]
struct Pieces {
    /// Bytes per piece, about.
    size: usize,
    /// Pieces read together. The container's end is known only once it is
    /// read, so at most one round is read past it; the first round is one
    /// piece, read on the calling thread, so a small container costs no
    /// more than before.
    round: usize,
}

impl Default for Pieces {
    fn default() -> Pieces {
        Pieces {
            size: 256 * 1024,
            round: 8,
        }
    }
}

/// The elements of a container read from one place in it.
struct Piece<'a> {
    /// An object's entries, or an array's items.
    entries: Vec<Entry<'a>>,
    items: Vec<Node<'a>>,
    /// Where each element's first token starts.
    starts: Vec<usize>,
    /// The hash of each entry's key, for finding repeated keys.
    hashes: Vec<u64>,
    /// Where the element after the last one starts, or where the closing
    /// bracket is when `closed`.
    next: usize,
    closed: bool,
}

impl<'a> Piece<'a> {
    /// No elements yet, the next one at `next`.
    fn empty(next: usize) -> Piece<'a> {
        Piece {
            entries: Vec::new(),
            items: Vec::new(),
            starts: Vec::new(),
            hashes: Vec::new(),
            next,
            closed: false,
        }
    }

    /// The elements from the one that starts at `at`; `None` when none
    /// does, as when the piece was read from a place inside an element.
    fn from(mut self, at: usize) -> Option<Piece<'a>> {
        let first = self.starts.binary_search(&at).ok()?;
        self.entries.drain(..first.min(self.entries.len()));
        self.items.drain(..first.min(self.items.len()));
        self.hashes.drain(..first.min(self.hashes.len()));
        self.starts.drain(..first);
        Some(self)
    }

    /// Adds the elements of `piece`, read where these end, after these.
    fn append(&mut self, mut piece: Piece<'a>) {
        // The first piece's elements are taken, not copied.
        if self.entries.is_empty() && self.items.is_empty() {
            std::mem::swap(&mut self.entries, &mut piece.entries);
            std::mem::swap(&mut self.items, &mut piece.items);
            std::mem::swap(&mut self.hashes, &mut piece.hashes);
        }
        self.entries.append(&mut piece.entries);
        self.items.append(&mut piece.items);
        self.hashes.append(&mut piece.hashes);
        self.starts.clear();
        self.next = piece.next;
        self.closed = piece.closed;
    }
}

/// Where the piece after the place `from` of `bytes` starts: just after
/// the first `},` at or after it; the end of the text when there is none.
fn piece_boundary(bytes: &[u8], from: usize) -> usize {
    bytes
        .get(from..)
        .and_then(|rest| rest.windows(2).position(|w| w == b"},"))
        .map_or(bytes.len(), |i| from + i + 2)
}

impl<'a> Reader<'a> {
    /// The container of entities that opens at `start`, at `depth`, read
    /// in [`Pieces`]; what the quick parse reads, as it reads it. Anything
    /// unusual in the part read from the start is [`Kind::Unsure`], as in
    /// the quick parse, which then leaves the text to the checked one.
    fn in_pieces(
        &mut self,
        start: usize,
        depth: usize,
        object: bool,
        pieces: Pieces,
    ) -> Result<Node<'a>, Bad> {
        let text = self.scanner.file_text();
        let bytes = text.as_bytes();
        let unsure = || Bad {
            start,
            end: start + 1,
            kind: Kind::Unsure,
        };
        let read = |from: usize, until: usize, opened: bool| {
            read_piece(text, self.offset, depth, object, (from, until, opened))
        };
        let mut whole = Piece::empty(start + 1);
        // The first round: one piece, right after the opening bracket.
        let until = piece_boundary(bytes, start + 1 + pieces.size);
        let first = read(start + 1, until, true).ok_or_else(unsure)?;
        whole.append(first);
        while !whole.closed {
            let mut bounds = vec![whole.next];
            while bounds.len() <= pieces.round {
                let last = bounds.last().copied().unwrap_or(bytes.len());
                if last >= bytes.len() {
                    break;
                }
                bounds.push(piece_boundary(bytes, last + pieces.size));
            }
            let ranges: Vec<(usize, usize)> = bounds
                .iter()
                .copied()
                .zip(bounds.iter().copied().skip(1))
                .collect();
            let guesses: Vec<Option<Piece<'a>>> = ranges
                .par_iter()
                .map(|&(from, until)| read(from, until, false))
                .collect();
            for (&(_, until), guess) in ranges.iter().zip(guesses) {
                if whole.closed {
                    break;
                }
                // Read again from where the reading stopped, unless the
                // guess read an element from there.
                let piece = match guess.and_then(|p| p.from(whole.next)) {
                    Some(piece) => piece,
                    None => read(whole.next, until, false).ok_or_else(unsure)?,
                };
                whole.append(piece);
            }
            if bounds.len() < 2 {
                // No boundary left: the rest of the text, read from here.
                let rest = read(whole.next, usize::MAX, false).ok_or_else(unsure)?;
                whole.append(rest);
            }
        }
        if object && repeats_a_key(&whole) {
            return Err(unsure());
        }
        let close = whole.next;
        self.scanner.start = close;
        self.scanner.end = close + 1;
        self.token = None;
        let values = whole.entries.iter().map(|e| &e.value).chain(&whole.items);
        self.skipped += values
            .filter(|v| matches!(v.kind, NodeKind::Deferred { .. }))
            .count();
        let kind = if object {
            NodeKind::Table(whole.entries)
        } else {
            NodeKind::Array(whole.items)
        };
        Ok(Node::leaf(self.span(start, close + 1), kind))
    }
}

/// Whether two of the entries of `piece` have the same key.
fn repeats_a_key(piece: &Piece<'_>) -> bool {
    let mut order: Vec<(u64, usize)> = piece.hashes.iter().copied().zip(0..).collect();
    order.par_sort_unstable();
    order.par_windows(2).any(|pair| {
        let [(a, i), (b, j)] = pair else {
            return false;
        };
        a == b
            && match (piece.entries.get(*i), piece.entries.get(*j)) {
                (Some(x), Some(y)) => x.key == y.key,
                _ => false,
            }
    })
}

/// The elements of a container at `depth` of `text` (an object's when
/// `object`), read from `from`, where an element starts or, when `opened`,
/// the container's first element or its end, until an element would start
/// at `until` or after. `None` at anything the quick parse does not read.
fn read_piece(
    text: &str,
    offset: usize,
    depth: usize,
    object: bool,
    (from, until, opened): (usize, usize, bool),
) -> Option<Piece<'_>> {
    let mut reader = Reader::new(text, offset, DEFER_AT);
    reader.skip_deferred = true;
    reader.scanner.end = from;
    let mut piece = Piece::empty(from);
    let closes = |token: &Token<'_>| {
        if object {
            matches!(token, Token::CloseBrace)
        } else {
            matches!(token, Token::CloseBracket)
        }
    };
    let first = reader.scan().ok()?;
    if opened && first.is_some_and(closes) {
        piece.next = reader.scanner.token_start();
        piece.closed = true;
        return Some(piece);
    }
    loop {
        let at = reader.scanner.token_start();
        if at >= until {
            piece.next = at;
            return Some(piece);
        }
        piece.starts.push(at);
        if object {
            let Some(Token::String(key)) = reader.token.take() else {
                return None;
            };
            let key_span = reader.span(at, reader.scanner.token_end());
            if !matches!(reader.scan().ok()?, Some(Token::Colon)) {
                return None;
            }
            reader.scan().ok()??;
            let value = reader.value(depth + 1, true).ok()?;
            piece.hashes.push(hash_key(&key));
            piece.entries.push(Entry {
                key,
                key_span,
                value,
            });
        } else {
            let item = reader.value(depth + 1, true).ok()?;
            piece.items.push(item);
        }
        match reader.scan().ok()? {
            Some(Token::Comma) => {
                // An element follows, not the end.
                if reader.scan().ok()?.is_none_or(closes) {
                    return None;
                }
            }
            Some(token) if closes(token) => {
                piece.next = reader.scanner.token_start();
                piece.closed = true;
                return Some(piece);
            }
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    //! The reader against `jsonc-parser`'s own strict parser: the same texts
    //! accepted, the same first error at the same place, the same values.

    use jsonc_parser::ast::{ObjectPropName, Value};
    use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};
    use proptest::prelude::*;

    use super::{
        BOM, Lexer, Node, NodeKind, Parsed, Pieces, expand, lowercase_first, parse, parse_checked,
        parse_in,
    };
    use crate::error::LoadError;

    /// A JSON value with its keys as written, for comparing trees.
    #[derive(Debug, PartialEq)]
    enum Plain {
        Str(String),
        Int(Option<i64>),
        Float,
        Bool(bool),
        Null,
        Array(Vec<Plain>),
        /// Keys in order, a repeated key kept once (the first).
        Object(Vec<(String, Plain)>),
    }

    fn strict() -> ParseOptions {
        ParseOptions {
            allow_comments: false,
            allow_loose_object_property_names: false,
            allow_trailing_commas: false,
            allow_missing_commas: false,
            allow_single_quoted_strings: false,
            allow_hexadecimal_numbers: false,
            allow_unary_plus_numbers: false,
            allow_bare_decimal_point_numbers: false,
            allow_non_finite_numbers: false,
            allow_extended_string_escapes: false,
        }
    }

    /// The value, and the spans of its values and keys in pre-order.
    fn from_ast(value: Value<'_>, offset: usize, spans: &mut Vec<(usize, usize)>) -> Plain {
        let range = jsonc_parser::common::Ranged::range(&value);
        spans.push((range.start + offset, range.end + offset));
        match value {
            Value::StringLit(s) => Plain::Str(s.value.into_owned()),
            Value::NumberLit(n) if n.value.contains(['.', 'e', 'E']) => Plain::Float,
            Value::NumberLit(n) => Plain::Int(n.value.parse().ok()),
            Value::BooleanLit(b) => Plain::Bool(b.value),
            Value::NullKeyword(_) => Plain::Null,
            Value::Array(a) => Plain::Array(
                a.elements
                    .into_iter()
                    .map(|v| from_ast(v, offset, spans))
                    .collect(),
            ),
            Value::Object(o) => {
                let mut entries: Vec<(String, Plain)> = Vec::new();
                for prop in o.properties {
                    let (key, range) = match prop.name {
                        ObjectPropName::String(s) => (s.value.into_owned(), s.range),
                        ObjectPropName::Word(w) => (w.value.to_owned(), w.range),
                    };
                    if entries.iter().all(|(k, _)| *k != key) {
                        spans.push((range.start + offset, range.end + offset));
                        entries.push((key, from_ast(prop.value, offset, spans)));
                    }
                }
                Plain::Object(entries)
            }
        }
    }

    fn from_node(text: &str, node: &Node<'_>, spans: &mut Vec<(usize, usize)>) -> Plain {
        if !matches!(node.kind, NodeKind::Deferred { .. }) {
            spans.push((node.span.start as usize, node.span.end as usize));
        }
        match &node.kind {
            NodeKind::Str(s) => Plain::Str(s.to_string()),
            NodeKind::Int(i) => Plain::Int(*i),
            NodeKind::Float => Plain::Float,
            NodeKind::Bool(b) => Plain::Bool(*b),
            NodeKind::Null | NodeKind::Datetime => Plain::Null,
            NodeKind::Array(items) => {
                Plain::Array(items.iter().map(|n| from_node(text, n, spans)).collect())
            }
            NodeKind::Table(entries) => Plain::Object(
                entries
                    .iter()
                    .map(|e| {
                        let key_span = (e.key_span.start as usize, e.key_span.end as usize);
                        spans.push(key_span);
                        (e.key.to_string(), from_node(text, &e.value, spans))
                    })
                    .collect(),
            ),
            NodeKind::Deferred { .. } => {
                let expanded = expand(text, node.span, true).unwrap_or_else(|| unreachable!());
                assert!(
                    !matches!(expanded.kind, NodeKind::Deferred { .. }),
                    "expanding must read the value"
                );
                assert_eq!(expanded.span, node.span);
                from_node(text, &expanded, spans)
            }
        }
    }

    /// What the loader reads: the quick parse, unless expanding one of its
    /// unchecked containers finds something wrong, then the checked parse.
    fn parse_as_loaded(text: &str) -> Parsed<'_> {
        fn sound(text: &str, node: &Node<'_>) -> bool {
            match &node.kind {
                NodeKind::Deferred { .. } => {
                    expand(text, node.span, false).is_some_and(|n| sound(text, &n))
                }
                NodeKind::Array(items) => items.iter().all(|n| sound(text, n)),
                NodeKind::Table(entries) => entries.iter().all(|e| sound(text, &e.value)),
                _ => true,
            }
        }
        let parsed = parse(text);
        match &parsed.root {
            Some(root) if parsed.unchecked > 0 && !sound(text, root) => parse_checked(text),
            _ => parsed,
        }
    }

    /// Whether two parses of `text` read the same nodes, errors and
    /// unchecked containers.
    fn same_parse(text: &str, one: &Parsed<'_>, other: &Parsed<'_>) -> Result<(), TestCaseError> {
        let tree = |parsed: &Parsed<'_>| {
            let mut spans = Vec::new();
            let root = parsed.root.as_ref().map(|r| from_node(text, r, &mut spans));
            (root, spans)
        };
        prop_assert_eq!(tree(one), tree(other));
        prop_assert_eq!(format!("{:?}", one.errors), format!("{:?}", other.errors));
        prop_assert_eq!(one.unchecked, other.unchecked);
        Ok(())
    }

    /// Compares the reader with the oracle on `text`.
    fn agree(text: &str) -> Result<(), TestCaseError> {
        let (body, offset) = match text.strip_prefix(BOM) {
            Some(rest) => (rest, BOM.len()),
            None => (text, 0),
        };
        let oracle = parse_to_ast(body, &CollectOptions::default(), &strict());
        let Parsed { root, errors, .. } = parse_as_loaded(text);
        match oracle {
            Ok(result) => match (result.value, root) {
                (Some(value), Some(root)) => {
                    prop_assert!(
                        errors
                            .iter()
                            .all(|e| matches!(e, LoadError::DuplicateKey(_))),
                        "only duplicate keys are reported for a valid text"
                    );
                    let (mut expected, mut found) = (Vec::new(), Vec::new());
                    prop_assert_eq!(
                        from_ast(value, offset, &mut expected),
                        from_node(text, &root, &mut found)
                    );
                    prop_assert_eq!(expected, found);
                }
                (None, None) => {}
                (value, root) => prop_assert!(
                    false,
                    "oracle value {:?}, reader root {:?}",
                    value.is_some(),
                    root.is_some()
                ),
            },
            Err(e) => {
                prop_assert!(root.is_none(), "the reader accepted {text:?}");
                let [error @ LoadError::Syntax(_)] = errors.as_slice() else {
                    return Err(TestCaseError::fail(format!(
                        "not one syntax error: {errors:?}"
                    )));
                };
                let range = e.range();
                let span = error.span();
                prop_assert_eq!(
                    (span.start as usize, span.end as usize),
                    (range.start + offset, range.end + offset),
                    "{:?}: {}",
                    text,
                    e
                );
                prop_assert_eq!(
                    error.to_string(),
                    format!("invalid JSON: {}", lowercase_first(&e.kind().to_string()))
                );
            }
        }
        Ok(())
    }

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-c]{1,2}",
            Just("\\u0061".to_owned()),
            Just("a\\\"b".to_owned()),
            Just("é".to_owned()),
        ]
    }

    fn json_value() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("1".to_owned()),
            Just("-2.5e3".to_owned()),
            Just("99999999999999999999".to_owned()),
            Just("true".to_owned()),
            Just("null".to_owned()),
            "\"[a-z é\\\\n]{0,3}\"".prop_map(|s| s.replace('\\', "\\\\")),
        ];
        leaf.prop_recursive(6, 48, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5)
                    .prop_map(|items| format!("[{}]", items.join(", "))),
                prop::collection::vec((key(), inner), 0..5).prop_map(|props| {
                    let props: Vec<String> = props
                        .into_iter()
                        .map(|(k, v)| format!("\"{k}\": {v}"))
                        .collect();
                    format!("{{\n  {}\n}}", props.join(",\n  "))
                }),
            ]
        })
    }

    /// A text, broken at one place by deleting, inserting or replacing a
    /// character with one that matters to JSON.
    fn text() -> impl Strategy<Value = String> {
        broken(json_value())
    }

    /// A text shaped like a proposal: kinds of entities, as objects of
    /// objects or arrays of objects, on one line or one entity a line, with
    /// `},` inside entities and strings too; then broken as [`text`] is.
    fn proposal() -> impl Strategy<Value = String> {
        let field = prop_oneof![
            json_value(),
            Just("\"},\"".to_owned()),
            Just("{\"x\": {}, \"y\": [{}, 1]}".to_owned()),
        ];
        let entity = (prop::collection::vec((key(), field), 0..4), any::<bool>())
            .prop_map(|(fields, lines)| {
                let fields: Vec<String> = fields
                    .into_iter()
                    .map(|(k, v)| format!("\"{k}\": {v}"))
                    .collect();
                if lines {
                    format!("{{\n  {}\n}}", fields.join(",\n  "))
                } else {
                    format!("{{{}}}", fields.join(", "))
                }
            })
            .boxed();
        let separator = prop::sample::select(vec![",", ",\n", ", ", ",\n  "]);
        let kind = prop_oneof![
            (
                prop::collection::vec((key(), entity.clone()), 0..12),
                separator.clone()
            )
                .prop_map(|(entities, sep)| {
                    let entities: Vec<String> = entities
                        .into_iter()
                        .map(|(k, v)| format!("\"{k}\": {v}"))
                        .collect();
                    format!("{{{}}}", entities.join(sep))
                }),
            (prop::collection::vec(entity, 0..12), separator)
                .prop_map(|(entities, sep)| format!("[{}]", entities.join(sep))),
            json_value(),
        ];
        let document = prop::collection::vec((key(), kind), 0..4).prop_map(|kinds| {
            let kinds: Vec<String> = kinds
                .into_iter()
                .map(|(k, v)| format!("\"{k}\": {v}"))
                .collect();
            format!("{{\n{}\n}}", kinds.join(",\n"))
        });
        broken(document)
    }

    /// `texts`, each broken at one place, or not.
    fn broken(texts: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
        let edit = prop_oneof![
            Just(None),
            (
                any::<prop::sample::Index>(),
                0..3usize,
                prop::sample::select(vec![
                    ',', ':', '{', '}', '[', ']', '"', '\\', '/', '*', 'x', '1', '\'', ' ', '.'
                ])
            )
                .prop_map(Some),
        ];
        (texts, edit, any::<bool>()).prop_map(|(text, edit, bom)| {
            let mut chars: Vec<char> = text.chars().collect();
            if let Some((at, how, c)) = edit
                && !chars.is_empty()
            {
                let i = at.index(chars.len());
                match how {
                    0 => {
                        chars.remove(i);
                    }
                    1 => chars.insert(i, c),
                    _ => {
                        if let Some(slot) = chars.get_mut(i) {
                            *slot = c;
                        }
                    }
                }
            }
            let body: String = chars.into_iter().collect();
            if bom { format!("{BOM}{body}") } else { body }
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn reader_agrees_with_jsonc_parser(text in text()) {
            agree(&text)?;
        }

        #[test]
        fn reader_agrees_on_proposals(text in proposal()) {
            agree(&text)?;
        }

        #[test]
        fn pieces_read_what_one_reading_reads(
            text in prop_oneof![text(), proposal()],
            size in 0..24usize,
            round in 1..4usize,
        ) {
            same_parse(&text, &parse_in(&text, None), &parse_in(&text, Some(Pieces { size, round })))?;
        }

        #[test]
        fn skip_agrees_with_a_byte_loop(
            text in prop_oneof![
                r#"[{}\[\]"\\a \né]{0,80}"#,
                r#"[{}\[\]"a |\u{6c0}\u{750}]{0,80}"#,
                r#"[{\["ab]{0,30}[}\]"ab]{0,30}"#,
            ],
            below in 0..4usize,
        ) {
            let text = format!("{{{text}");
            prop_assert_eq!(skipped(&text, below), skipped_bytewise(&text, below));
        }
    }

    /// Where skipping the container that opens `text` ends.
    fn skipped(text: &str, below: usize) -> Option<usize> {
        let mut lexer = Lexer::new(text);
        lexer.skip(below)?;
        Some(lexer.token_end())
    }

    /// What [`skipped`] must find, one byte at a time.
    fn skipped_bytewise(text: &str, below: usize) -> Option<usize> {
        let bytes = text.as_bytes();
        let (mut open, mut at) = (0usize, 0);
        loop {
            match *bytes.get(at)? {
                b'{' | b'[' => {
                    open += 1;
                    if open > below + 1 {
                        return None;
                    }
                }
                b'}' | b']' => {
                    open = open.checked_sub(1)?;
                    if open == 0 {
                        return Some(at + 1);
                    }
                }
                b'"' => loop {
                    at += 1;
                    match *bytes.get(at)? {
                        b'"' => break,
                        b'\\' => at += 1,
                        _ => {}
                    }
                },
                _ => {}
            }
            at += 1;
        }
    }

    #[test]
    fn skip_counts_brackets_outside_strings_only() {
        let cases: &[(&str, usize, Option<usize>)] = &[
            ("{}", 0, Some(2)),
            ("[] ,", 0, Some(2)),
            (r#"{"a": 1}, {"b": 2}"#, 0, Some(8)),
            // Brackets inside strings, within one word of eight bytes and
            // across words.
            (r#"{"}": "]"}"#, 0, Some(10)),
            (r#"{"a": "{[{[{[{[{[{["}"#, 0, Some(21)),
            // Escaped quotes and backslashes.
            (r#"{"a": "\"}"}"#, 0, Some(12)),
            (r#"{"a": "\\"}"#, 0, Some(11)),
            (r#"{"a\\\"b\\": 1} tail"#, 0, Some(15)),
            (r#"{"a": "\\\\\\\\\\\\\\\\\"\\"}"#, 0, Some(29)),
            // Nesting: `below` levels inside, not one more.
            (r#"{"a": [[1]]}"#, 2, Some(12)),
            (r#"{"a": [[1]]}"#, 1, None),
            ("[[[[]]]]", 3, Some(8)),
            ("[[[[]]]]", 2, None),
            // Containers that do not close, and strings that do not end.
            (r#"{"a": [1}"#, 0, None),
            (r#"{"a": {}"#, 1, None),
            (r#"{"a": "}"#, 0, None),
            (r#"{"a": "\"}"#, 0, None),
            (r#"{"a": "x\"#, 0, None),
            // Bytes that are brackets but for one bit.
            ("{\"a\": [\"|\", |, \"ۀݐ\"]}", 0, None),
            ("{\"a\": [\"|\", |, \"ۀݐ\"]}", 1, Some(23)),
            // What follows the end is not read.
            ("{}}]", 0, Some(2)),
            // Text that is not JSON is counted the same way.
            ("{\n\"a\nb\" ] é", 0, Some(9)),
        ];
        let long = "x".repeat(20);
        for &(text, below, end) in cases {
            assert_eq!(skipped(text, below), end, "{text:?}");
            assert_eq!(skipped_bytewise(text, below), end, "{text:?}");
            // The same after a key long enough to be read in several words.
            let padded = format!("{{\"{long}\": {text}}}");
            let inner = skipped(&padded, below + 1);
            assert_eq!(inner, skipped_bytewise(&padded, below + 1), "{padded:?}");
        }
    }

    #[test]
    fn edge_cases_agree() -> Result<(), TestCaseError> {
        for text in [
            "",
            " ",
            "{}",
            "[]",
            "{} {}",
            "{\"a\": 1,}",
            "[1,]",
            "[1 2]",
            "{\"a\" 1}",
            "{\"a\":}",
            "{a: 1}",
            "{\"a\": 1 \"b\": 2}",
            "// c\n{}",
            "{\"a\": /* c */ 1}",
            "{\"a\": {\"b\": {\"c\": [1, {\"d\": 2, \"d\": 3}]}}}",
            "{\"a\": [",
            "[1, 2",
            "{\"a\": 'x'}",
            "{\"a\": +1}",
            "{\"a\": .5}",
            "{\"a\": 0x1}",
            "{\"a\": NaN}",
            "{\"a\": \"\\x41\"}",
            "\u{feff}{}",
            "]",
            "}",
            ":",
            ",",
            "tru",
            "{\"a\": 1}}",
            // Containers the quick parse skips over by their brackets.
            "{\"a\": {\"b\": {\"c\": \"}]\"}}}",
            "{\"a\": {\"b\": {\"c\": \"\\\"}\"}}}",
            "{\"a\": {\"b\": {\"c\": 1 // }\n}}}",
            "{\"a\": {\"b\": {\"c\": 1]}}",
            "{\"a\": {\"b\": {\"c\": [1}}}",
            "{\"a\": {\"b\": {\"c\": 1, \"c\": 2}}}",
            "{\"a\": {\"b\": {\"c\": tru}}}",
            "{\"a\": {\"b\": {\"c\": \"x",
            "{\"a\": {\"b\": [[[\"]\"]]]}}",
            "{\"a\": {\"b\": {\"c\": \"\\u0041\\n\"}}}",
        ] {
            agree(text)?;
        }
        // Objects large enough for their keys to be found through a table,
        // with keys repeated, at each depth.
        let keys: Vec<String> = (0..40).map(|i| format!("\"k{i}\": {i}")).collect();
        let large = format!("{{{}}}", keys.join(", "));
        let repeated = format!("{{{}, \"k3\": 0, \"k39\": 1, \"k3\": 2}}", keys.join(", "));
        for (text, repeats) in [
            (large.clone(), 0),
            (repeated.clone(), 3),
            (format!("{{\"a\": {large}, \"b\": {repeated}}}"), 3),
            (format!("{{\"a\": {{\"b\": {repeated}}}}}"), 3),
            (format!("{{\"a\": {{\"b\": [{repeated}, {repeated}]}}}}"), 6),
        ] {
            agree(&text)?;
            let errors = parse_as_loaded(&text).errors;
            prop_assert_eq!(errors.len(), repeats, "{}", text);
        }
        Ok(())
    }
}
