//! The JSON front end: `jsonc-parser` in strict mode, converted to [`Node`]s.
//!
//! JSON proposals are written by programs, so the parser accepts standard
//! JSON only: no comments, no trailing commas, no unquoted keys. A file that
//! needs notes is better written in TOML. The parser stops at the first syntax
//! error, so a broken JSON file reports one syntax error.

use std::borrow::Cow;

use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::errors::ParseErrorKind;
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};
use lacuna_syntax::{Edit, Fix, Span};
use rustc_hash::FxHashMap;

use super::tree::{Entry, Node, NodeKind, span_of};
use crate::error::{DuplicateKey, LoadError, SyntaxError};

const BOM: &str = "\u{feff}";

/// Objects with at most this many properties are checked for duplicate keys
/// without a map.
const SMALL: usize = 16;

/// Parses `text`. `None` when the text is not a JSON document.
pub(crate) fn parse(text: &str) -> (Option<Node<'_>>, Vec<LoadError>) {
    let (body, offset) = match text.strip_prefix(BOM) {
        Some(rest) => (rest, BOM.len()),
        None => (text, 0),
    };
    let options = ParseOptions {
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
    };
    match parse_to_ast(body, &CollectOptions::default(), &options) {
        Ok(result) => match result.value {
            Some(value) => {
                let mut errors = Vec::new();
                let root = node(value, offset, &mut errors);
                (Some(root), errors)
            }
            None => {
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
        },
        Err(e) => {
            let range = e.range();
            let (message, help) = describe(e.kind());
            let error = SyntaxError::new(
                "JSON",
                message,
                "here".to_owned(),
                span_of(range.start, range.end, offset),
                help,
            );
            (None, vec![LoadError::Syntax(error)])
        }
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

fn range_span(range: jsonc_parser::common::Range, offset: usize) -> Span {
    span_of(range.start, range.end, offset)
}

fn node<'a>(value: Value<'a>, offset: usize, errors: &mut Vec<LoadError>) -> Node<'a> {
    let (span, kind) = match value {
        Value::StringLit(s) => (range_span(s.range, offset), NodeKind::Str(s.value)),
        Value::NumberLit(n) => {
            let kind = if n.value.contains(['.', 'e', 'E']) {
                NodeKind::Float
            } else {
                NodeKind::Int(n.value.parse::<i64>().ok())
            };
            (range_span(n.range, offset), kind)
        }
        Value::BooleanLit(b) => (range_span(b.range, offset), NodeKind::Bool(b.value)),
        Value::NullKeyword(n) => (range_span(n.range, offset), NodeKind::Null),
        Value::Array(a) => {
            let items = a
                .elements
                .into_iter()
                .map(|v| node(v, offset, errors))
                .collect();
            (range_span(a.range, offset), NodeKind::Array(items))
        }
        Value::Object(o) => {
            let span = range_span(o.range, offset);
            let mut entries: Vec<Entry<'a>> = Vec::with_capacity(o.properties.len());
            // Small objects (an entity's fields) are searched directly; large
            // ones (thousands of ids) through a map, to stay linear.
            let mut seen: Option<FxHashMap<Cow<'a, str>, Span>> =
                (o.properties.len() > SMALL).then(FxHashMap::default);
            let mut previous_end: Option<usize> = None;
            for prop in o.properties {
                let (prop_start, prop_end) = (prop.range.start, prop.range.end);
                let after_previous = previous_end.replace(prop_end);
                let (key, key_span) = match prop.name {
                    ObjectPropName::String(s) => (s.value, range_span(s.range, offset)),
                    ObjectPropName::Word(w) => {
                        (Cow::Borrowed(w.value), range_span(w.range, offset))
                    }
                };
                let first = match &mut seen {
                    Some(seen) => match seen.get(&key) {
                        Some(&first) => Some(first),
                        None => {
                            seen.insert(key.clone(), key_span);
                            None
                        }
                    },
                    None => entries.iter().find(|e| e.key == key).map(|e| e.key_span),
                };
                if let Some(first) = first {
                    // The loader keeps the first; deleting the second from
                    // the end of the entry before it keeps the commas right.
                    let from = after_previous.unwrap_or(prop_start);
                    let mut error = DuplicateKey::new(&key, key_span, first);
                    error = error.with_fix(Fix::unsafe_edits(
                        format!("remove the second `{key}`"),
                        vec![Edit::delete(span_of(from, prop_end, offset))],
                    ));
                    errors.push(LoadError::DuplicateKey(error));
                    continue;
                }
                entries.push(Entry {
                    key,
                    key_span,
                    value: node(prop.value, offset, errors),
                });
            }
            (span, NodeKind::Table(entries))
        }
    };
    Node {
        span,
        header: false,
        kind,
    }
}
