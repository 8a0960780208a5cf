//! A format-neutral view of a parsed TOML or JSON document.
//!
//! Both front ends convert their syntax tree into this one, so a single
//! schema-driven loader serves both formats and reports the same mistakes in
//! the same words. Every node keeps its byte span in the loaded text.

use std::borrow::Cow;

use lacuna_syntax::Span;

pub(crate) struct Node<'a> {
    pub span: Span,
    /// Written as a TOML table header (`[group.refugees]`, `[[mandate]]`): the
    /// span is then the header, which is where diagnostics should point.
    pub header: bool,
    pub kind: NodeKind<'a>,
}

pub(crate) enum NodeKind<'a> {
    Str(Cow<'a, str>),
    /// `None` when the integer does not fit in 64 bits.
    Int(Option<i64>),
    Float,
    Bool(bool),
    /// TOML dates and times; the schema has no type for them.
    Datetime,
    /// JSON `null`.
    Null,
    Array(Vec<Node<'a>>),
    /// Entries in source order, without duplicate keys.
    Table(Vec<Entry<'a>>),
    /// JSON only: an object (`object`) or an array whose text was checked
    /// but not read into nodes yet; `json::expand` reads it.
    Deferred {
        object: bool,
    },
}

impl<'a> Node<'a> {
    pub fn leaf(span: Span, kind: NodeKind<'a>) -> Node<'a> {
        Node {
            span,
            header: false,
            kind,
        }
    }
}

pub(crate) struct Entry<'a> {
    pub key: Cow<'a, str>,
    pub key_span: Span,
    pub value: Node<'a>,
}

/// A byte range of the parser, moved by `offset` (a skipped byte-order mark).
pub(crate) fn span_of(start: usize, end: usize, offset: usize) -> Span {
    let conv = |x: usize| u32::try_from(x.saturating_add(offset)).unwrap_or(u32::MAX);
    Span::new(conv(start), conv(end))
}
