//! One proposal as facts: entities with dense ids, interned strings, spans.

use lacuna_syntax::Span;
use std::borrow::Cow;
use std::hash::{Hash, Hasher};

use hashbrown::HashTable;
use hashbrown::hash_table::Entry as TableEntry;
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
///
/// The table's entry for a string holds the string itself when it is short
/// (most ids are), or where it is in the buffer, and which entity, if any,
/// has it as its key. Finding the entity a reference names
/// ([`Facts::lookup`]) reads one entry of the table, and the buffer only
/// for a long string.
#[derive(Clone, Debug, Default)]
pub struct Interner {
    /// Every string, one after the other.
    text: String,
    /// Where each string ends in `text`, by [`Sym`]; it starts where the
    /// one before ends.
    ends: Vec<usize>,
    /// The strings, found by hash.
    table: HashTable<Slot>,
}

/// One string in an [`Interner`]'s table: 16 bytes, four to a cache line.
#[derive(Clone, Copy, Debug)]
struct Slot {
    /// The string, by [`Word`].
    word: u64,
    sym: Sym,
    /// The entity whose key the string is: its kind in the top 8 bits
    /// ([`NO_KEY`], [`SHARED`] or a [`KindId`]), its index in the others.
    key: u32,
}

/// What a [`Slot`]'s word says about its string, by its top byte.
enum Word {
    /// 0 to 7: a string of that many bytes, which are the low bytes of the
    /// word, in order; the others are zero.
    Short,
    /// [`LONG`]: a longer string, whose length is in bits 32 to 55 of the
    /// word and whose end in the buffer is in the low 32 bits.
    Long { start: usize, end: usize },
    /// [`FAR`]: a string too long, or too far into the buffer, for the word
    /// to say where; found through [`Interner::ends`].
    Far,
}

const LONG: u64 = 0xFF;
const FAR: u64 = 0xFE;
/// The longest string a [`Word::Long`] can say the place of.
const LONG_MAX: u32 = (1 << 24) - 1;
const INDEX_BITS: u32 = 24;
const INDEX_MASK: u32 = (1 << INDEX_BITS) - 1;
/// The kind, in [`Slot::key`], of a string that is no entity's key.
const NO_KEY: u32 = 0xFF;
/// The kind, in [`Slot::key`], of a string whose entities are in
/// [`Facts::key_index`]: it is the key of entities of several kinds, or
/// of one whose kind or index does not fit in the slot.
const SHARED: u32 = 0xFE;

/// The word of a string of at most 7 bytes: the bytes and the length.
fn short(s: &[u8]) -> Option<u64> {
    if s.len() > 7 {
        return None;
    }
    let mut bytes = [0; 8];
    bytes.get_mut(..s.len())?.copy_from_slice(s);
    Some(u64::from_le_bytes(bytes) | (s.len() as u64) << 56)
}

impl Slot {
    /// The slot of the string `sym`, from `start` to `end` in the buffer,
    /// whose [`short`] word is `short`.
    fn new(sym: Sym, short: Option<u64>, start: usize, end: usize) -> Slot {
        let word =
            short.unwrap_or_else(|| match (u32::try_from(end), u32::try_from(end - start)) {
                (Ok(end), Ok(len)) if len <= LONG_MAX => {
                    LONG << 56 | u64::from(len) << 32 | u64::from(end)
                }
                _ => FAR << 56,
            });
        Slot {
            word,
            sym,
            key: NO_KEY << INDEX_BITS,
        }
    }

    fn word(&self) -> Word {
        match self.word >> 56 {
            LONG => {
                let end = (self.word & u64::from(u32::MAX)) as usize;
                let len = ((self.word >> 32) & u64::from(LONG_MAX)) as usize;
                Word::Long {
                    start: end.saturating_sub(len),
                    end,
                }
            }
            FAR => Word::Far,
            _ => Word::Short,
        }
    }

    /// Whether the slot's string is `s`, a string of more than 7 bytes
    /// (a shorter one is compared by [`short`] word).
    fn is_long(&self, text: &str, ends: &[usize], s: &[u8]) -> bool {
        match self.word() {
            Word::Short => false,
            Word::Long { start, end } => {
                end - start == s.len()
                    && text.as_bytes().get(start..end).map_or_else(
                        || string(text, ends, self.sym).as_bytes() == s,
                        |bytes| bytes == s,
                    )
            }
            Word::Far => string(text, ends, self.sym).as_bytes() == s,
        }
    }

    /// The index of the entity of `kind` whose key this string is, when
    /// the slot knows it; `Err(())` when it is to be found in
    /// [`Facts::key_index`].
    fn entity(&self, kind: KindId) -> Result<Option<u32>, ()> {
        match self.key >> INDEX_BITS {
            NO_KEY => Ok(None),
            SHARED => Err(()),
            k => Ok((k == kind.0).then_some(self.key & INDEX_MASK)),
        }
    }
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> Sym {
        self.slot(s).sym
    }

    /// The slot of `s`, which is added when it is new: one probe of the
    /// table finds it or the place for it.
    fn slot(&mut self, s: &str) -> &mut Slot {
        let Interner { text, ends, table } = self;
        let word = short(s.as_bytes());
        let entry = table.entry(
            hash(s),
            |slot| match word {
                Some(word) => slot.word == word,
                None => slot.is_long(text, ends, s.as_bytes()),
            },
            |slot| rehash(text, ends, slot),
        );
        match entry {
            TableEntry::Occupied(found) => found.into_mut(),
            TableEntry::Vacant(place) => {
                let sym = Sym(ends.len() as u32);
                let start = text.len();
                text.push_str(s);
                ends.push(text.len());
                let slot = Slot::new(sym, word, start, text.len());
                place.insert(slot).into_mut()
            }
        }
    }

    pub fn get(&self, s: &str) -> Option<Sym> {
        self.find(hash(s), s).map(|slot| slot.sym)
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

    /// The slot of `s`, whose hash is `hash`.
    fn find(&self, hash: u64, s: &str) -> Option<&Slot> {
        self.find_probe(
            Probe {
                hash,
                word: short(s.as_bytes()),
            },
            s,
        )
    }

    /// The slot of `s`, whose [`Probe`] is `probe`.
    fn find_probe(&self, probe: Probe, s: &str) -> Option<&Slot> {
        let Interner { text, ends, table } = self;
        match probe.word {
            Some(word) => table.find(probe.hash, |slot| slot.word == word),
            None => table.find(probe.hash, |slot| slot.is_long(text, ends, s.as_bytes())),
        }
    }

    fn slot_of_sym(&mut self, sym: Sym) -> Option<&mut Slot> {
        let Interner { text, ends, table } = self;
        let hash = hash(string(text, ends, sym));
        table.find_mut(hash, |slot| slot.sym == sym)
    }

    /// Makes room in the table for `additional` more strings.
    fn reserve(&mut self, additional: usize) {
        let Interner { text, ends, table } = self;
        table.reserve(additional, |slot| rehash(text, ends, slot));
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

/// What finding a string in an [`Interner`]'s table takes besides the
/// string: its hash, and its [`short`] word.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Probe {
    hash: u64,
    word: Option<u64>,
}

impl Probe {
    pub(crate) fn of(s: &str) -> Probe {
        Probe {
            hash: hash(s),
            word: short(s.as_bytes()),
        }
    }
}

fn hash(s: &str) -> u64 {
    let mut hasher = FxHasher::default();
    s.hash(&mut hasher);
    hasher.finish()
}

/// The hash of a slot's string, for moving it when the table grows.
fn rehash(text: &str, ends: &[usize], slot: &Slot) -> u64 {
    hash(string(text, ends, slot.sym))
}

/// A loaded proposal.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub source: SourceId,
    /// Entities by kind, indexed by [`KindId`], in source order.
    pub kinds: Vec<Vec<Entity>>,
    pub strings: Interner,
    /// Keyed entities by (kind, id), for the ids that are the keys of
    /// entities of several kinds; the others are in their string's entry in
    /// [`Facts::strings`].
    pub(crate) key_index: FxHashMap<(KindId, Sym), u32>,
    /// Each kind's name, and whether its entities are listed, for
    /// [`Facts::name`].
    kind_names: Vec<(Box<str>, bool)>,
    /// The keys of the keyed entities pushed, by kind and index, as
    /// [`ShortKey`]s: most ids are short, and reading one here spares
    /// [`Facts::name`] a read of the entity and two of the strings' buffer,
    /// in places far apart for the entities a finding names.
    short_keys: Vec<Vec<ShortKey>>,
}

/// A key of at most 7 bytes, in the first bytes, with its length in the
/// last; a longer key has [`LONG_KEY`] there.
type ShortKey = [u8; 8];

const LONG_KEY: u8 = 0xFF;

fn short_key(key: &str) -> ShortKey {
    let mut word = [0; 8];
    match word.get_mut(..key.len()) {
        Some(place) if key.len() < 8 => {
            place.copy_from_slice(key.as_bytes());
            word[7] = key.len() as u8;
        }
        _ => word[7] = LONG_KEY,
    }
    word
}

/// The key a [`ShortKey`] holds, when it holds it.
fn short_key_str(word: &ShortKey) -> Option<&str> {
    let len = usize::from(word[7]);
    std::str::from_utf8(word.get(..len)?).ok()
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
        let Some(list) = self.kinds.get(r.kind.0 as usize) else {
            return Cow::Borrowed("?");
        };
        // Entities pushed into `kinds` directly have no short keys: the
        // lists' lengths then differ, and the keys are read from the entities.
        if let Some(keys) = self.short_keys.get(r.kind.0 as usize)
            && keys.len() == list.len()
            && let Some(key) = keys.get(r.index as usize).and_then(short_key_str)
        {
            return Cow::Borrowed(key);
        }
        let Some(entity) = list.get(r.index as usize) else {
            return Cow::Borrowed("?");
        };
        if let Some(key) = entity.key {
            return Cow::Borrowed(self.strings.resolve(key));
        }
        match self.kind_names.get(r.kind.0 as usize) {
            Some((kind, true)) => {
                // Written by hand: `format!` costs more than the rest of a
                // finding's name and label together.
                let mut name = String::with_capacity(kind.len() + 12);
                name.push_str(kind);
                name.push('[');
                push_decimal(&mut name, r.index as usize);
                name.push(']');
                Cow::Owned(name)
            }
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
        self.lookup_probe(kind, Probe::of(key), key)
    }

    /// [`Facts::lookup`], given the [`Probe`] of `key`: a reader can make
    /// it when it reads the key, and look the key up later with others.
    pub(crate) fn lookup_probe(&self, kind: KindId, probe: Probe, key: &str) -> Option<EntityRef> {
        let slot = self.strings.find_probe(probe, key)?;
        let index = match slot.entity(kind) {
            Ok(index) => index?,
            Err(()) => *self.key_index.get(&(kind, slot.sym))?,
        };
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
            self.strings.reserve(additional);
            list_of(&mut self.short_keys, kind).reserve_exact(additional);
        }
    }

    /// Makes room for `additional` more keys of entities of any kind.
    /// Room made for all of them at once spares the strings' table the
    /// moves of growing once for each kind.
    pub(crate) fn reserve_keys(&mut self, additional: usize) {
        self.strings.reserve(additional);
    }

    /// The entities of `kind`, to fill with entities without keys.
    pub(crate) fn entities_mut(&mut self, kind: KindId) -> &mut Vec<Entity> {
        list_of(&mut self.kinds, kind)
    }

    /// Appends an entity and indexes its key; returns its dense id.
    pub fn push(&mut self, kind: KindId, entity: Entity) -> EntityRef {
        let list = list_of(&mut self.kinds, kind);
        let index = list.len() as u32;
        if let Some(key) = entity.key {
            index_key(&mut self.strings, &mut self.key_index, kind, key, index);
            let keys = list_of(&mut self.short_keys, kind);
            if keys.len() == list.len() {
                keys.push(short_key(self.strings.resolve(key)));
            }
        }
        list.push(entity);
        EntityRef { kind, index }
    }

    /// Appends an entity whose key is `key` and that has no fields yet;
    /// returns its dense id. The same as interning `key` and then
    /// [`Facts::push`], but the key's entry in the strings' table is found
    /// once, for both.
    pub(crate) fn push_keyed(&mut self, kind: KindId, key: &str, span: Span) -> EntityRef {
        let list = list_of(&mut self.kinds, kind);
        let index = list.len() as u32;
        let slot = self.strings.slot(key);
        let sym = slot.sym;
        own_key(slot, &mut self.key_index, kind, index);
        let keys = list_of(&mut self.short_keys, kind);
        if keys.len() == list.len() {
            keys.push(short_key(key));
        }
        list.push(Entity {
            key: Some(sym),
            span,
            fields: Box::new([]),
        });
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

/// Appends `n` in decimal digits to `out`, without the formatting
/// machinery, which costs more than the rest of a name or a line.
pub fn push_decimal(out: &mut String, n: usize) {
    let mut digits = [0u8; 20];
    let mut first = digits.len();
    let mut rest = n;
    for (i, digit) in digits.iter_mut().enumerate().rev() {
        *digit = b'0' + (rest % 10) as u8;
        rest /= 10;
        first = i;
        if rest == 0 {
            break;
        }
    }
    for &digit in digits.get(first..).unwrap_or_default() {
        out.push(char::from(digit));
    }
}

/// The entities of `kind`, a kind added when it is new.
fn list_of<T>(kinds: &mut Vec<Vec<T>>, kind: KindId) -> &mut Vec<T> {
    let at = kind.0 as usize;
    if at >= kinds.len() {
        kinds.resize_with(at + 1, Vec::new);
    }
    // The resize above makes the index valid.
    #[allow(clippy::indexing_slicing)]
    &mut kinds[at]
}

/// Records that the entity `index` of `kind` has the key `key`: in the
/// key's slot in `strings` when it is the key of entities of this kind
/// only, in `key_index` otherwise. A second entity of the same kind and key
/// replaces the first.
fn index_key(
    strings: &mut Interner,
    key_index: &mut FxHashMap<(KindId, Sym), u32>,
    kind: KindId,
    key: Sym,
    index: u32,
) {
    let Some(slot) = strings.slot_of_sym(key) else {
        // Not a string of these facts: no id finds it.
        key_index.insert((kind, key), index);
        return;
    };
    own_key(slot, key_index, kind, index);
}

/// Records that the entity `index` of `kind` has the string of `slot` as
/// its key, as [`index_key`] says.
fn own_key(
    slot: &mut Slot,
    key_index: &mut FxHashMap<(KindId, Sym), u32>,
    kind: KindId,
    index: u32,
) {
    let key = slot.sym;
    let own = (kind.0 < SHARED && index <= INDEX_MASK).then_some(kind.0 << INDEX_BITS | index);
    match slot.key >> INDEX_BITS {
        NO_KEY => {}
        SHARED => {
            key_index.insert((kind, key), index);
            return;
        }
        // The same kind: this entity replaces the first.
        k if k == kind.0 => {}
        k => {
            key_index.insert((KindId(k), key), slot.key & INDEX_MASK);
            slot.key = SHARED << INDEX_BITS;
            key_index.insert((kind, key), index);
            return;
        }
    }
    match own {
        Some(own) => slot.key = own,
        None => {
            slot.key = SHARED << INDEX_BITS;
            key_index.insert((kind, key), index);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Entity, EntityRef, Facts, INDEX_MASK, Interner, Sym, index_key, push_decimal};
    use crate::schema::KindId;
    use lacuna_syntax::Span;

    #[test]
    fn decimals_are_written_as_format_writes_them() {
        for n in [
            0,
            7,
            9,
            10,
            99,
            100,
            12_345,
            999_999,
            1_000_000,
            u32::MAX - 1,
            u32::MAX,
        ] {
            let mut out = "x[".to_owned();
            push_decimal(&mut out, n as usize);
            assert_eq!(out, format!("x[{n}"));
        }
    }

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

    #[test]
    fn short_and_long_strings_are_told_apart() {
        let mut strings = Interner::default();
        let words = [
            "1234567",
            "12345678",
            "1234567\0",
            "\0",
            "",
            "a\0",
            "a",
            "ééé",
            "éééé",
        ];
        let syms: Vec<Sym> = words.iter().map(|w| strings.intern(w)).collect();
        assert_eq!(strings.len(), words.len());
        for (word, sym) in words.iter().zip(&syms) {
            assert_eq!(strings.resolve(*sym), *word);
            assert_eq!(strings.get(word), Some(*sym));
        }
        assert_eq!(strings.get("123456"), None);
        assert_eq!(strings.get("123456789"), None);
        assert_eq!(strings.get("1234567\0\0"), None);
    }

    fn keyed(facts: &mut Facts, kind: u32, key: &str) -> EntityRef {
        let key = facts.strings.intern(key);
        let entity = Entity {
            key: Some(key),
            span: Span::empty(0),
            fields: Box::new([]),
        };
        facts.push(KindId(kind), entity)
    }

    #[test]
    fn keys_are_found_under_their_kind_only() {
        let mut facts = Facts::default();
        let text = facts.strings.intern("family");
        let g1 = keyed(&mut facts, 0, "g1");
        let a1 = keyed(&mut facts, 1, "a1");
        let long = keyed(&mut facts, 1, "survival_migrants");
        // The same id for entities of two kinds, and of a kind whose id
        // does not fit in the interner's slot.
        let shared_0 = keyed(&mut facts, 0, "shared");
        let shared_1 = keyed(&mut facts, 1, "shared");
        let far = keyed(&mut facts, 300, "g1");
        let lookup = |facts: &Facts, kind: u32, key: &str| facts.lookup(KindId(kind), key);
        for facts in [&facts, &facts.clone()] {
            assert_eq!(lookup(facts, 0, "g1"), Some(g1));
            assert_eq!(lookup(facts, 300, "g1"), Some(far));
            assert_eq!(lookup(facts, 1, "g1"), None);
            assert_eq!(lookup(facts, 1, "a1"), Some(a1));
            assert_eq!(lookup(facts, 0, "a1"), None, "a key under the wrong kind");
            assert_eq!(lookup(facts, 1, "survival_migrants"), Some(long));
            assert_eq!(lookup(facts, 0, "survival_migrants"), None);
            assert_eq!(lookup(facts, 0, "shared"), Some(shared_0));
            assert_eq!(lookup(facts, 1, "shared"), Some(shared_1));
            assert_eq!(lookup(facts, 2, "shared"), None);
            assert_eq!(lookup(facts, 0, "family"), None, "a text, no entity's key");
            assert_eq!(facts.strings.get("family"), Some(text));
            assert_eq!(lookup(facts, 0, "g2"), None, "not interned");
            assert_eq!(lookup(facts, 0xFF, "family"), None);
            assert_eq!(lookup(facts, 0xFE, "shared"), None);
        }
        // A second entity of the same kind and id is the one found.
        let again = keyed(&mut facts, 1, "a1");
        assert_eq!(lookup(&facts, 1, "a1"), Some(again));
        let again = keyed(&mut facts, 1, "shared");
        assert_eq!(lookup(&facts, 1, "shared"), Some(again));
        assert_eq!(lookup(&facts, 0, "shared"), Some(shared_0));
    }

    #[test]
    fn keys_pushed_with_their_entity_are_found_as_pushed_ones() {
        let writes = [
            (0, "g1"),
            (1, "a1"),
            (1, "survival_migrants"),
            (0, "shared"),
            (1, "shared"),
            (300, "g1"),
            (1, "a1"),
            (2, "family"),
            (1, "shared"),
            (0, "shared"),
        ];
        let (mut pushed, mut together) = (Facts::default(), Facts::default());
        for facts in [&mut pushed, &mut together] {
            facts.strings.intern("family");
        }
        for (kind, key) in writes {
            let one = keyed(&mut pushed, kind, key);
            let other = together.push_keyed(KindId(kind), key, Span::empty(0));
            assert_eq!(one, other);
        }
        assert_eq!(pushed.kinds, together.kinds);
        assert_eq!(pushed.key_index, together.key_index);
        assert_eq!(pushed.strings.len(), together.strings.len());
        for kind in [0, 1, 2, 3, 300] {
            for key in ["g1", "a1", "survival_migrants", "shared", "family", "g2"] {
                let kind = KindId(kind);
                assert_eq!(pushed.lookup(kind, key), together.lookup(kind, key));
            }
        }
    }

    #[test]
    fn names_are_the_keys_however_the_entities_came() {
        let keys = [
            "",
            "g1",
            "a123456",
            "a1234567",
            "é",
            "éé\u{301}",
            "survival_migrants",
        ];
        let (mut pushed, mut together, mut direct) =
            (Facts::default(), Facts::default(), Facts::default());
        for (index, key) in (0u32..).zip(keys) {
            let one = keyed(&mut pushed, 1, key);
            let other = together.push_keyed(KindId(1), key, Span::empty(0));
            assert_eq!(one, other);
            let entity = EntityRef {
                kind: KindId(1),
                index,
            };
            assert_eq!(pushed.name(entity), key);
            assert_eq!(together.name(entity), key);
        }
        // Entities pushed into the lists directly, before and after one
        // pushed the usual way, are named from their keys.
        for key in keys {
            let sym = direct.strings.intern(key);
            let entity = Entity {
                key: Some(sym),
                span: Span::empty(0),
                fields: Box::new([]),
            };
            direct.kinds.resize_with(2, Vec::new);
            direct.kinds[1].push(entity.clone());
            direct.push(KindId(1), entity);
        }
        for (index, key) in (0u32..).zip(keys.iter().flat_map(|k| [k, k])) {
            let entity = EntityRef {
                kind: KindId(1),
                index,
            };
            assert_eq!(direct.name(entity), *key);
        }
        for (kind, index) in [(1, 99), (7, 0)] {
            let entity = EntityRef {
                kind: KindId(kind),
                index,
            };
            assert_eq!(pushed.name(entity), "?");
        }
    }

    #[test]
    fn keys_beyond_the_slot_are_found_in_the_index() {
        let mut facts = Facts::default();
        let key = facts.strings.intern("m1");
        let big = INDEX_MASK + 1;
        index_key(
            &mut facts.strings,
            &mut facts.key_index,
            KindId(2),
            key,
            big,
        );
        let r = |kind, index| {
            Some(EntityRef {
                kind: KindId(kind),
                index,
            })
        };
        assert_eq!(facts.lookup(KindId(2), "m1"), r(2, big));
        index_key(&mut facts.strings, &mut facts.key_index, KindId(3), key, 7);
        assert_eq!(facts.lookup(KindId(2), "m1"), r(2, big));
        assert_eq!(facts.lookup(KindId(3), "m1"), r(3, 7));
        // In the slot first, then replaced by an index that does not fit.
        let key = facts.strings.intern("m2");
        index_key(&mut facts.strings, &mut facts.key_index, KindId(2), key, 5);
        index_key(
            &mut facts.strings,
            &mut facts.key_index,
            KindId(2),
            key,
            big,
        );
        assert_eq!(facts.lookup(KindId(2), "m2"), r(2, big));
        assert_eq!(facts.lookup(KindId(3), "m2"), None);
        // A symbol the interner does not hold is no string's key.
        index_key(
            &mut facts.strings,
            &mut facts.key_index,
            KindId(2),
            Sym(99),
            1,
        );
        assert_eq!(facts.lookup(KindId(2), ""), None);
    }
}
