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
//!
//! The entities a reference names are looked up once the entity, or a run
//! of entities, has been read to its end, all in one loop: each lookup
//! reads a random place in the interner's large table, and lookups that do
//! not wait on one another's reading, nor on reading the tokens between
//! them, overlap.

use std::borrow::Cow;

use jsonc_parser::tokens::Token;
use lacuna_syntax::Span;

use super::json;
use crate::facts::{EntityRef, Facts, FieldFact, Probe, Sym, Value};
use crate::schema::{EntityDef, FieldId, KindId, Schema, Type};

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
/// costs one allocation of its exact size, and the references read wait
/// for their lookup in one list.
#[derive(Default)]
pub(super) struct Scratch<'t> {
    values: Vec<Value>,
    spans: Vec<Span>,
    refs: Vec<PendingRef<'t>>,
    found: Vec<Option<EntityRef>>,
}

/// A reference read, whose entity is still to look up; its value holds a
/// placeholder until then.
struct PendingRef<'t> {
    /// The entity's position among those read together.
    entity: u32,
    field: u32,
    /// The member's position when the field is a list.
    item: Option<u32>,
    kind: KindId,
    probe: Probe,
    key: Cow<'t, str>,
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
        scratch: &mut Scratch<'t>,
    ) -> Option<Read<'t>> {
        scratch.refs.clear();
        let mut read = [self.tokens(def, span, 0, scratch)];
        self.resolve(&mut read, scratch);
        let [read] = read;
        read
    }

    /// The entities at the spans of `entities`, each as [`Reader::entity`]
    /// reads it (`None` for an entity not given), in order; the references
    /// of all of them are looked up together.
    pub(super) fn entities<'d>(
        &self,
        entities: impl Iterator<Item = Option<(&'d EntityDef, Span)>>,
        scratch: &mut Scratch<'t>,
    ) -> Vec<Option<Read<'t>>> {
        scratch.refs.clear();
        let mut reads: Vec<Option<Read<'t>>> = entities
            .enumerate()
            .map(|(i, entity)| {
                let (def, span) = entity?;
                self.tokens(def, span, u32::try_from(i).ok()?, scratch)
            })
            .collect();
        self.resolve(&mut reads, scratch);
        reads
    }

    /// Puts the entity each reference in `scratch` names in its place
    /// among `reads`, and drops a read with a reference to no entity. The
    /// lookups run one after the other, with nothing in between that waits
    /// for them.
    fn resolve(&self, reads: &mut [Option<Read<'t>>], scratch: &mut Scratch<'t>) {
        let Scratch { refs, found, .. } = scratch;
        found.clear();
        found.extend(
            refs.iter()
                .map(|r| self.facts.lookup_probe(r.kind, r.probe, &r.key)),
        );
        for (r, found) in refs.drain(..).zip(found.drain(..)) {
            let Some(read) = reads.get_mut(r.entity as usize) else {
                continue;
            };
            let Some(found) = found else {
                *read = None;
                continue;
            };
            let slot = read.as_mut().and_then(|read| {
                let fact = read.fields.get_mut(r.field as usize)?;
                match (&mut fact.value, r.item) {
                    (Value::List(items), Some(i)) => items.get_mut(i as usize),
                    (value, None) => Some(value),
                    _ => None,
                }
            });
            if let Some(slot) = slot {
                *slot = Value::Ref(found);
            }
        }
    }

    /// The fields of the entity at `span` as [`Reader::entity`] reads them,
    /// its references left in `scratch` to look up, under the position
    /// `entity`; on `None` its references are taken back out.
    fn tokens(
        &self,
        def: &EntityDef,
        span: Span,
        entity: u32,
        scratch: &mut Scratch<'t>,
    ) -> Option<Read<'t>> {
        let refs = scratch.refs.len();
        let read = self.tokens_or_none(def, span, entity, scratch);
        if read.is_none() {
            scratch.refs.truncate(refs);
        }
        read
    }

    /// [`Reader::tokens`], its references left in `scratch` on `None` too.
    fn tokens_or_none(
        &self,
        def: &EntityDef,
        span: Span,
        entity: u32,
        scratch: &mut Scratch<'t>,
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
        let mut next = 0;
        loop {
            let (key, key_span) = match tokens.next()? {
                (Token::CloseBrace, _) if first => break,
                (Token::String(key), span) => (key, span),
                _ => return None,
            };
            first = false;
            // Fields are most often written in the order they are declared
            // in, and their names differ, so the one after the last read
            // is tried first.
            let (i, field) = match def.fields.get(next) {
                Some(field) if field.name == *key => (next, field),
                _ => def.field(&key).map(|(id, field)| (id.0 as usize, field))?,
            };
            next = i + 1;
            let id = FieldId(u32::try_from(i).ok()?);
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
                    let Scratch {
                        values,
                        spans,
                        refs,
                        ..
                    } = scratch;
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
                            Scalar::Ref(kind, key) => {
                                refs.push(PendingRef {
                                    entity,
                                    field: id.0,
                                    item: Some(values.len() as u32),
                                    kind,
                                    probe: Probe::of(&key),
                                    key,
                                });
                                Value::Absent
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
                    Scalar::Ref(kind, key) => {
                        scratch.refs.push(PendingRef {
                            entity,
                            field: id.0,
                            item: None,
                            kind,
                            probe: Probe::of(&key),
                            key,
                        });
                        (Value::Absent, span)
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
            (Type::Ref(kind), Token::String(s)) => return Some(Scalar::Ref(*kind, s)),
            _ => return None,
        };
        Some(Scalar::Value(value))
    }
}

/// A scalar read: a value, a text still to intern, or the key of an
/// entity of a kind, still to look up.
enum Scalar<'t> {
    Value(Value),
    Text(Cow<'t, str>),
    Ref(KindId, Cow<'t, str>),
}
