//! One proposal as facts: entities with dense ids, interned strings, spans.

use lacuna_syntax::Span;
use std::borrow::Cow;
use std::hash::{Hash, Hasher};

use hashbrown::HashTable;
use rustc_hash::{FxHashMap, FxHasher};

use lacuna_syntax::ast::EntityShape;

use crate::schema::{FieldId, KindId, Schema};
use crate::source::{Origin, SourceId};

/// An interned string; compare and hash as an integer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sym(pub u32);

/// Dense id of one entity: its kind and its position among the entities of that kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntityRef {
    pub kind: KindId,
    pub index: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Text(Sym),
    /// The index of a variant of the field's enum.
    Enum(u32),
    Ref(EntityRef),
    List(Box<[Value]>),
    /// An optional field that is not set.
    Absent,
}

/// One field of one entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldFact {
    pub value: Value,
    /// The written value; `None` when the default was applied.
    pub span: Option<Span>,
    /// The span of the key (`field_presence` in `field_presence = true`), when written.
    pub key_span: Option<Span>,
    /// For a written list, the span of each element, in order.
    pub item_spans: Box<[Span]>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    /// The id of a keyed entity (`survival_migrants` in `[group.survival_migrants]`);
    /// `None` for list and singleton entities.
    pub key: Option<Sym>,
    /// The entity's header: `[group.survival_migrants]`, `[[mandate]]`, or the JSON key.
    pub span: Span,
    /// Indexed by [`FieldId`].
    pub fields: Box<[FieldFact]>,
}

impl Entity {
    pub fn field(&self, id: FieldId) -> Option<&FieldFact> {
        self.fields.get(id.0 as usize)
    }

    pub fn value(&self, id: FieldId) -> &Value {
        self.field(id).map_or(&Value::Absent, |f| &f.value)
    }
}

/// String interner for the texts and ids of one proposal.
///
/// Each string is kept once, in one buffer with all the others: a proposal
/// of a million entities interns a million ids, and a string allocated on
/// its own (twice, for the table and for [`Interner::resolve`]) costs more
/// than the id itself.
#[derive(Clone, Debug, Default)]
pub struct Interner {
    /// Every string, one after the other.
    text: String,
    /// Where each string ends in `text`, by [`Sym`]; it starts where the
    /// one before ends.
    ends: Vec<usize>,
    /// The symbols, found by the hash of their string.
    table: HashTable<Sym>,
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> Sym {
        let hash = hash(s);
        let Interner { text, ends, table } = self;
        let found = table.find(hash, |&sym| string(text, ends, sym) == s);
        if let Some(&sym) = found {
            return sym;
        }
        let sym = Sym(ends.len() as u32);
        text.push_str(s);
        ends.push(text.len());
        table.insert_unique(hash, sym, |&sym| self::hash(string(text, ends, sym)));
        sym
    }

    pub fn get(&self, s: &str) -> Option<Sym> {
        self.table
            .find(hash(s), |&sym| self.resolve(sym) == s)
            .copied()
    }

    pub fn resolve(&self, sym: Sym) -> &str {
        string(&self.text, &self.ends, sym)
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// The string of `sym` in an [`Interner`]'s buffer; empty for an unknown one.
fn string<'a>(text: &'a str, ends: &[usize], sym: Sym) -> &'a str {
    let i = sym.0 as usize;
    let start = match i.checked_sub(1) {
        Some(before) => ends.get(before).copied().unwrap_or(0),
        None => 0,
    };
    let end = ends.get(i).copied().unwrap_or(start);
    text.get(start..end).unwrap_or("")
}

fn hash(s: &str) -> u64 {
    let mut hasher = FxHasher::default();
    s.hash(&mut hasher);
    hasher.finish()
}

/// A loaded proposal.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub source: SourceId,
    /// Entities by kind, indexed by [`KindId`], in source order.
    pub kinds: Vec<Vec<Entity>>,
    pub strings: Interner,
    /// Keyed entities by (kind, id).
    pub(crate) key_index: FxHashMap<(KindId, Sym), u32>,
    /// Each kind's name, and whether its entities are listed, for
    /// [`Facts::name`].
    kind_names: Vec<(Box<str>, bool)>,
}

impl Facts {
    /// No entities yet, of the kinds of `schema`, whose strings it starts with.
    pub fn new(source: SourceId, schema: &Schema) -> Facts {
        Facts {
            source,
            kinds: vec![Vec::new(); schema.entities.len()],
            strings: schema.strings.clone(),
            kind_names: schema
                .entities
                .iter()
                .map(|e| (e.name.as_str().into(), e.shape == EntityShape::List))
                .collect(),
            ..Facts::default()
        }
    }

    /// What diagnostics call the entity `r`: its id, `mandate[3]` (0-based,
    /// in source order) for a listed one, or the singleton's kind name; `?`
    /// for an entity the facts do not hold. Only a listed entity's name is
    /// built; the others are borrowed.
    pub fn name(&self, r: EntityRef) -> Cow<'_, str> {
        let Some(entity) = self.entity(r) else {
            return Cow::Borrowed("?");
        };
        if let Some(key) = entity.key {
            return Cow::Borrowed(self.strings.resolve(key));
        }
        match self.kind_names.get(r.kind.0 as usize) {
            Some((kind, true)) => Cow::Owned(format!("{kind}[{}]", r.index)),
            Some((kind, false)) => Cow::Borrowed(kind),
            None => Cow::Borrowed("?"),
        }
    }

    pub fn entities(&self, kind: KindId) -> &[Entity] {
        self.kinds.get(kind.0 as usize).map_or(&[], Vec::as_slice)
    }

    pub fn entity(&self, r: EntityRef) -> Option<&Entity> {
        self.kinds.get(r.kind.0 as usize)?.get(r.index as usize)
    }

    /// The keyed entity of `kind` whose id is `key`.
    pub fn lookup(&self, kind: KindId, key: &str) -> Option<EntityRef> {
        let sym = self.strings.get(key)?;
        let index = *self.key_index.get(&(kind, sym))?;
        Some(EntityRef { kind, index })
    }

    /// Makes room for `additional` more entities of `kind`, and no more:
    /// the loader knows how many a kind has before it reads them, and a
    /// list grown by doubling would hold up to twice the room it needs.
    pub(crate) fn reserve(&mut self, kind: KindId, additional: usize, keyed: bool) {
        if let Some(list) = self.kinds.get_mut(kind.0 as usize) {
            list.reserve_exact(additional);
        }
        if keyed {
            self.key_index.reserve(additional);
        }
    }

    /// Appends an entity and indexes its key; returns its dense id.
    pub fn push(&mut self, kind: KindId, entity: Entity) -> EntityRef {
        let list = match self.kinds.get_mut(kind.0 as usize) {
            Some(list) => list,
            None => {
                self.kinds.resize_with(kind.0 as usize + 1, Vec::new);
                // The resize above makes the index valid.
                #[allow(clippy::indexing_slicing)]
                &mut self.kinds[kind.0 as usize]
            }
        };
        let index = list.len() as u32;
        if let Some(key) = entity.key {
            self.key_index.insert((kind, key), index);
        }
        list.push(entity);
        EntityRef { kind, index }
    }

    pub fn origin(&self, span: Span) -> Origin {
        Origin {
            source: self.source,
            span,
        }
    }

    pub fn len(&self) -> usize {
        self.kinds.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::{Interner, Sym};

    #[test]
    fn interned_strings_round_trip_once_each() {
        let mut strings = Interner::default();
        let words = ["", "g1", "g10", "g1", "é", "", "mandate[3]", "g10"];
        let syms: Vec<Sym> = words.iter().map(|w| strings.intern(w)).collect();
        for (word, sym) in words.iter().zip(&syms) {
            assert_eq!(strings.resolve(*sym), *word);
            assert_eq!(strings.get(word), Some(*sym));
        }
        assert_eq!(strings.len(), 5, "each distinct string once");
        assert_eq!(syms[1], syms[3]);
        assert_eq!(syms[0], syms[5]);
        assert_eq!(strings.get("g2"), None);
        assert_eq!(strings.resolve(Sym(99)), "");
        // A copy keeps the symbols and grows on its own.
        let mut copy = strings.clone();
        let new = copy.intern("g2");
        assert_eq!(copy.resolve(new), "g2");
        assert_eq!(strings.get("g2"), None);
        assert_eq!(copy.get("é"), Some(syms[4]));
    }
}
