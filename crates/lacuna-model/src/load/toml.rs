//! The TOML front end: `toml`'s recoverable parser, converted to [`Node`]s.

use lacuna_syntax::{Edit, Fix, Span};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::tree::{Entry, Node, NodeKind, span_of};
use crate::error::{LoadError, SyntaxError};

/// Parses `text`, recovering from errors: every syntax error is returned,
/// together with the document as far as it could be read.
pub(crate) fn parse(text: &str) -> (Node<'_>, Vec<LoadError>) {
    let (table, errors) = DeTable::parse_recoverable(text);
    let errors = errors.iter().map(|e| syntax_error(text, e)).collect();
    let root = Node {
        span: Span::empty(0),
        header: false,
        kind: NodeKind::Table(entries(text, table.into_inner())),
    };
    (root, errors)
}

fn syntax_error(text: &str, error: &toml::de::Error) -> LoadError {
    let span = error
        .span()
        .map_or(Span::empty(0), |r| span_of(r.start, r.end, 0));
    // The parser writes "what, expected what"; the expectation reads best under the text.
    let message = error.message().trim();
    let (message, expected) = match message.split_once(", expected ") {
        Some((what, expected)) => (what, Some(expected)),
        None => (message, None),
    };
    let label = match expected {
        _ if message == "string values must be quoted" => "not quoted".to_owned(),
        Some("nothing") => "here".to_owned(),
        Some(expected) => format!("expected {expected}"),
        None if message == "duplicate key" => {
            format!("`{}` is already defined", span.text(text))
        }
        None => "here".to_owned(),
    };
    let help = if message == "duplicate key" {
        Some(
            "a key (an entity's id, a field) can be defined once per table; merge the two or rename one"
                .to_owned(),
        )
    } else if message == "string values must be quoted" {
        Some(format!("write it in quotes: `\"{}\"`", span.text(text)))
    } else {
        None
    };
    let fix = if message == "duplicate key" {
        remove_duplicate_line(text, span)
    } else if message == "string values must be quoted" {
        Some(Fix::safe(
            "add the quotes",
            vec![Edit::replace(span, format!("\"{}\"", span.text(text)))],
        ))
    } else {
        None
    };
    LoadError::Syntax(SyntaxError::new("TOML", message.to_owned(), label, span, help).with_fix(fix))
}

/// Deleting the line of a duplicate `key = value`, when that line holds the
/// whole entry and nothing else. It is unsafe: which of the two values was
/// meant is for a person to say. Duplicate table headers get no fix, since
/// deleting one would move its fields into the table above.
fn remove_duplicate_line(text: &str, key: Span) -> Option<Fix> {
    let start = text
        .get(..key.start as usize)?
        .rfind('\n')
        .map_or(0, |n| n + 1);
    let rest = text.get(start..)?;
    let end = start + rest.find('\n').map_or(rest.len(), |n| n + 1);
    let line = text.get(start..end)?;
    let before_key = text.get(start..key.start as usize)?;
    let (_, value) = line.split_once('=')?;
    let value = value.split('#').next().unwrap_or("");
    let balanced = value.matches(['[', '{']).count() == value.matches([']', '}']).count();
    if !before_key.trim().is_empty()
        || !balanced
        || value.contains("\"\"\"")
        || value.contains("'''")
    {
        return None;
    }
    let span = Span::new(u32::try_from(start).ok()?, u32::try_from(end).ok()?);
    Some(Fix::unsafe_edits(
        format!("remove the second `{}`", key.text(text)),
        vec![Edit::delete(span)],
    ))
}

fn entries<'a>(text: &str, table: DeTable<'a>) -> Vec<Entry<'a>> {
    let mut entries: Vec<Entry<'a>> = table
        .into_iter()
        .map(|(key, value)| {
            let key_span = span_of(key.span().start, key.span().end, 0);
            Entry {
                key: key.into_inner(),
                key_span,
                value: node(text, value),
            }
        })
        .collect();
    // The parser's map is sorted by key; the loader wants source order.
    entries.sort_by_key(|e| e.key_span.start);
    entries
}

fn node<'a>(text: &str, value: Spanned<DeValue<'a>>) -> Node<'a> {
    let range = value.span();
    let span = span_of(range.start, range.end, 0);
    let starts_with_bracket = text.as_bytes().get(range.start) == Some(&b'[');
    match value.into_inner() {
        DeValue::String(s) => Node::leaf(span, NodeKind::Str(s)),
        DeValue::Integer(i) => Node::leaf(
            span,
            NodeKind::Int(i64::from_str_radix(i.as_str(), i.radix()).ok()),
        ),
        DeValue::Float(_) => Node::leaf(span, NodeKind::Float),
        DeValue::Boolean(b) => Node::leaf(span, NodeKind::Bool(b)),
        DeValue::Datetime(_) => Node::leaf(span, NodeKind::Datetime),
        DeValue::Array(items) => {
            let items: Vec<Node<'a>> = items.into_iter().map(|v| node(text, v)).collect();
            // An array of tables written with `[[..]]` headers spans its first header.
            let header = items
                .first()
                .is_some_and(|n| n.header && matches!(n.kind, NodeKind::Table(_)));
            Node {
                span,
                header,
                kind: NodeKind::Array(items),
            }
        }
        DeValue::Table(t) => Node {
            span,
            header: starts_with_bracket,
            kind: NodeKind::Table(entries(text, t)),
        },
    }
}
