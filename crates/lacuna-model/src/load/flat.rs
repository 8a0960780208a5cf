//! JSON entities written the usual way, read straight from their tokens.
//!
//! Reading only looks things up (field names, variants, the entities a
//! reference names), so it needs nothing but shared references and runs on
//! any thread: the loader reads the entities of a large proposal on several
//! threads, then stores them in source order on one. The texts of `text`
//! fields are the one thing reading would add to the facts; they are
//! returned beside the fields, to be interned in order when the entity is
//! stored, so the interned strings come out the same on any number of
//! threads.

use std::borrow::Cow;

use jsonc_parser::tokens::Token;
use lacuna_syntax::Span;

use super::json;
use crate::facts::{Facts, FieldFact, Sym, Value};
use crate::schema::{EntityDef, Schema, Type};

/// What reading needs, and only reads.
#[derive(Clone, Copy)]
pub(super) struct Reader<'a, 't> {
    pub schema: &'a Schema,
    pub facts: &'a Facts,
    pub text: &'t str,
}

/// The fields of one entity read from its tokens.
pub(super) struct Read<'t> {
    /// By field id, each field not written at its default.
    fields: Box<[FieldFact]>,
    /// Which fields were written, a bit each.
    written: [u64; WRITTEN_WORDS],
    /// The texts of `text` values, in the order written, each with where it
    /// goes; those values hold a placeholder until the entity is stored.
    texts: Vec<PendingText<'t>>,
}

/// The most fields an entity read from its tokens can have: one with more
/// is read from nodes.
const MAX_FIELDS: usize = 64 * WRITTEN_WORDS;
const WRITTEN_WORDS: usize = 4;

/// Buffers a thread reuses from one entity to the next, so that a list
/// costs one allocation of its exact size.
#[derive(Default)]
pub(super) struct Scratch {
    values: Vec<Value>,
    spans: Vec<Span>,
}

/// A text value waiting to be interned.
struct PendingText<'t> {
    field: u32,
    /// The member's position when the field is a list.
    item: Option<u32>,
    text: Cow<'t, str>,
}

impl<'t> Read<'t> {
    /// Whether every required field of `def` was written.
    pub(super) fn is_complete(&self, def: &EntityDef) -> bool {
        def.fields
            .iter()
            .enumerate()
            .all(|(i, field)| !field.is_required() || is_set(&self.written, i))
    }

    /// Every field, those not written at their defaults, with the texts
    /// interned into `facts` in the order written.
    pub(super) fn finish(self, facts: &mut Facts) -> Box<[FieldFact]> {
        let Read {
            mut fields, texts, ..
        } = self;
        for t in texts {
            let sym = facts.strings.intern(&t.text);
            if let Some(fact) = fields.get_mut(t.field as usize) {
                t.place(fact, sym);
            }
        }
        fields
    }

    /// The fields written, `None` for the others, with the texts interned
    /// into `facts`: for the loader to report those missing.
    pub(super) fn finish_written(self, facts: &mut Facts) -> Vec<Option<FieldFact>> {
        let written = self.written;
        let fields = self.finish(facts);
        fields
            .into_iter()
            .enumerate()
            .map(|(i, f)| is_set(&written, i).then_some(f))
            .collect()
    }
}

/// Whether bit `i` of `words` is set.
fn is_set(words: &[u64; WRITTEN_WORDS], i: usize) -> bool {
    words.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
}

impl PendingText<'_> {
    /// Puts the interned text in its place in `fact`.
    fn place(&self, fact: &mut FieldFact, sym: Sym) {
        let slot = match (&mut fact.value, self.item) {
            (Value::List(items), Some(i)) => items.get_mut(i as usize),
            (value, None) => Some(value),
            _ => None,
        };
        if let Some(slot) = slot {
            *slot = Value::Text(sym);
        }
    }
}

impl<'t> Reader<'_, 't> {
    /// The fields of the JSON entity at `span` when it is written the usual
    /// way: an object of known fields, each once, each with a value of its
    /// type (a scalar, or a list of scalars), and nothing to report. `None`
    /// for anything else, which the loader then reads, and reports, from
    /// nodes.
    pub(super) fn entity(
        &self,
        def: &EntityDef,
        span: Span,
        scratch: &mut Scratch,
    ) -> Option<Read<'t>> {
        if def.fields.len() > MAX_FIELDS {
            return None;
        }
        let mut tokens = json::Tokens::of(self.text, span)?;
        if !matches!(tokens.next()?.0, Token::OpenBrace) {
            return None;
        }
        let mut fields: Box<[FieldFact]> = def.fields.iter().map(super::default_fact).collect();
        let mut written = [0u64; WRITTEN_WORDS];
        let mut texts = Vec::new();
        let mut first = true;
        loop {
            let (key, key_span) = match tokens.next()? {
                (Token::CloseBrace, _) if first => break,
                (Token::String(key), span) => (key, span),
                _ => return None,
            };
            first = false;
            let (id, field) = def.field(&key)?;
            let i = id.0 as usize;
            let (word, bit) = (written.get_mut(i / 64)?, 1u64 << (i % 64));
            if *word & bit != 0 || !matches!(tokens.next()?.0, Token::Colon) {
                return None;
            }
            *word |= bit;
            let mut item_spans: Box<[Span]> = Box::new([]);
            let (value, value_span) = match tokens.next()? {
                (Token::OpenBracket, open) => {
                    let inner = match &field.ty {
                        Type::List(inner) => inner,
                        Type::Optional(list) => match list.as_ref() {
                            Type::List(inner) => inner,
                            _ => return None,
                        },
                        _ => return None,
                    };
                    let Scratch { values, spans } = scratch;
                    values.clear();
                    spans.clear();
                    let end = loop {
                        let (token, span) = tokens.next()?;
                        if values.is_empty() && matches!(token, Token::CloseBracket) {
                            break span.end;
                        }
                        let value = match self.scalar(inner, token)? {
                            Scalar::Value(v) => v,
                            Scalar::Text(text) => {
                                texts.push(PendingText {
                                    field: id.0,
                                    item: Some(values.len() as u32),
                                    text,
                                });
                                Value::Text(Sym(0))
                            }
                        };
                        values.push(value);
                        spans.push(span);
                        match tokens.next()? {
                            (Token::Comma, _) => {}
                            (Token::CloseBracket, close) => break close.end,
                            _ => return None,
                        }
                    };
                    item_spans = spans.drain(..).collect();
                    let span = Span::new(open.start, end);
                    (Value::List(values.drain(..).collect()), span)
                }
                (token, span) => match self.scalar(&field.ty, token)? {
                    Scalar::Value(v) => (v, span),
                    Scalar::Text(text) => {
                        texts.push(PendingText {
                            field: id.0,
                            item: None,
                            text,
                        });
                        (Value::Text(Sym(0)), span)
                    }
                },
            };
            *fields.get_mut(i)? = FieldFact {
                value,
                span: Some(value_span),
                key_span: Some(key_span),
                item_spans,
            };
            match tokens.next()?.0 {
                Token::Comma => {}
                Token::CloseBrace => break,
                _ => return None,
            }
        }
        tokens.at_end().then_some(Read {
            fields,
            written,
            texts,
        })
    }

    /// A scalar token as a value of `ty`, when it is one without anything
    /// to report.
    fn scalar(&self, ty: &Type, token: Token<'t>) -> Option<Scalar<'t>> {
        let value = match (ty, token) {
            (Type::Optional(_), Token::Null) => Value::Absent,
            (Type::Optional(inner), token) => return self.scalar(inner, token),
            (Type::Bool, Token::Boolean(b)) => Value::Bool(b),
            (Type::Int, Token::Number(n)) if !n.contains(['.', 'e', 'E']) => {
                Value::Int(n.parse().ok()?)
            }
            (Type::Text, Token::String(s)) => return Some(Scalar::Text(s)),
            (Type::Enum(id), Token::String(s)) => {
                Value::Enum(self.schema.enum_def(*id)?.variant(&s)?)
            }
            (Type::Ref(kind), Token::String(s)) => Value::Ref(self.facts.lookup(*kind, &s)?),
            _ => return None,
        };
        Some(Scalar::Value(value))
    }
}

/// A scalar read: a value, or a text still to intern.
enum Scalar<'t> {
    Value(Value),
    Text(Cow<'t, str>),
}
