//! Schema-driven loading of proposals written in TOML or JSON.
//!
//! The loader knows no vocabulary of its own: which top-level tables exist,
//! which fields they have and what each field holds all come from the
//! [`Schema`]. Both formats are read into one neutral tree ([`tree::Node`]),
//! so every check below is written once.
//!
//! Loading runs in two passes over that tree. The first declares every entity
//! (so that a reference may name an entity written further down the file);
//! the second reads the fields, resolving references to dense ids. A JSON
//! document's entities stay text until the second pass reads them straight
//! from their tokens (see `json` and `flat`, on several threads for a large
//! proposal), so a large proposal is never a whole tree.

mod depth;
mod flat;
mod json;
mod toml;
mod tree;

use std::path::Path;

use lacuna_syntax::Span;
use lacuna_syntax::ast::EntityShape;

use crate::error::{
    DanglingRef, Datetime, EmptyId, IntOverflow, LoadError, MissingField, MissingSingleton,
    TooDeep, TooLarge, UnknownField, UnknownKind, UnknownVariant, WrongKindRef, WrongShape,
    WrongType,
};
use crate::facts::{Entity, EntityRef, Facts, FieldFact, Value};
use crate::schema::{EntityDef, FieldDef, KindId, Schema, Type};
use crate::source::SourceId;
use lacuna_syntax::Fix;
use lacuna_syntax::suggest::{article, closest, one_of};
use rayon::prelude::*;
use tree::{Entry, Node, NodeKind};

pub use depth::MAX_DEPTH;

/// The syntax a proposal is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Toml,
    Json,
}

impl Format {
    /// The format of a file by its extension: `.toml` or `.json`.
    pub fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()? {
            "toml" => Some(Format::Toml),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Toml => "TOML",
            Format::Json => "JSON",
        }
    }
}

/// How many "did you mean" searches over entity ids one load may run. Each
/// search scans every id of a kind; the limit keeps a file with thousands of
/// broken references linear.
const ID_SUGGESTIONS: usize = 32;

/// How many entities a proposal needs before they are read on several
/// threads: below it, starting threads costs more than it saves.
const PARALLEL_ENTITIES: usize = 16_384;
/// How many entities are read on several threads before they are stored:
/// enough to share out, few enough that what is read waits in little
/// memory.
const PARALLEL_BATCH: usize = 65_536;
/// How many entities of a batch one thread reads together, looking their
/// references up in one loop.
const PARALLEL_RUN: usize = 128;

/// Loads one proposal against `schema`.
///
/// Always returns facts: after errors they hold everything that could be
/// read, with [`Value::Absent`] where a required value was missing or
/// invalid. The errors are sorted by position; spans are byte ranges into
/// `text`.
pub fn load(
    schema: &Schema,
    source: SourceId,
    text: &str,
    format: Format,
) -> (Facts, Vec<LoadError>) {
    let facts = Facts::new(source, schema);
    if u32::try_from(text.len()).is_err() {
        return (facts, vec![LoadError::TooLarge(TooLarge::new())]);
    }
    // The JSON reader bounds its own nesting; TOML's parser is checked first.
    if format == Format::Toml
        && let Some(span) = depth::too_deep(text, format)
    {
        return (
            facts,
            vec![LoadError::TooDeep(TooDeep::new(MAX_DEPTH, span))],
        );
    }
    let parsed = match format {
        Format::Toml => {
            let (root, errors) = toml::parse(text);
            json::Parsed {
                root: Some(root),
                errors,
                unchecked: 0,
            }
        }
        Format::Json => json::parse(text),
    };
    match read(schema, text, format, facts.clone(), parsed, true) {
        Some(loaded) => loaded,
        // The JSON text holds an error the quick parse skipped over.
        None => {
            read(schema, text, format, facts, json::parse_checked(text), true).unwrap_or_default()
        }
    }
}

/// Reads what was parsed into `facts`; `None` when the parse must be
/// checked first (see [`json::Parsed::unchecked`]). `flat` lets JSON
/// entities be read straight from their tokens ([`Loader::read_flat`]);
/// without it, every entity is read from nodes.
fn read(
    schema: &Schema,
    text: &str,
    format: Format,
    facts: Facts,
    parsed: json::Parsed<'_>,
    flat: bool,
) -> Option<(Facts, Vec<LoadError>)> {
    let json::Parsed {
        root,
        errors,
        unchecked,
    } = parsed;
    let Some(root) = root else {
        return Some((facts, errors));
    };
    let mut loader = Loader {
        schema,
        text,
        format,
        // With syntax errors, a field may be missing only because its line
        // was unreadable: that is already reported.
        report_missing: errors.is_empty(),
        facts,
        errors,
        suggestions_left: ID_SUGGESTIONS,
        unchecked,
        expanded: 0,
        unchecked_error: false,
        flat,
        scratch: flat::Scratch::default(),
    };
    loader.run(&root);
    let Loader {
        facts,
        mut errors,
        expanded,
        unchecked_error,
        ..
    } = loader;
    // All skipped text must have been read, and so checked.
    if unchecked_error || expanded < unchecked {
        return None;
    }
    errors.sort_by_key(|e| {
        let span = e.span();
        (span.start, span.end)
    });
    Some((facts, errors))
}

/// Whether the proposal writes an entity kind.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Written {
    No,
    Read,
    /// Written in the wrong shape: reported, and read as if absent.
    Broken,
}

/// Fields written straight under a keyed kind (`[actor]` then `kind = ..`).
struct Stray {
    /// The kind's table is a `[actor]` header, rather than dotted keys.
    under_header: bool,
    reported: bool,
}

/// An entity declared in the first pass whose fields the second pass reads.
struct Pending<'n, 'a> {
    entity: EntityRef,
    fields: Fields<'n, 'a>,
}

/// The written fields of an entity.
enum Fields<'n, 'a> {
    Read(&'n [Entry<'a>]),
    /// A JSON object not read into nodes yet, at this span.
    Deferred(Span),
}

impl<'n, 'a> Fields<'n, 'a> {
    /// The fields of an entity written as `node`; `None` when `node` is not
    /// a table.
    fn of(node: &'n Node<'a>) -> Option<Fields<'n, 'a>> {
        match &node.kind {
            NodeKind::Table(entries) => Some(Fields::Read(entries)),
            NodeKind::Deferred { object: true } => Some(Fields::Deferred(node.span)),
            _ => None,
        }
    }
}

/// Where a listed entity written as `item` of `text` is shown: the whole
/// item, or the opening brace of one written on several lines.
fn listed_head(text: &str, item: &Node<'_>) -> Span {
    if item.header || !item.span.text(text).contains('\n') {
        item.span
    } else {
        Span::new(item.span.start, item.span.start.saturating_add(1))
    }
}

struct Loader<'s, 't> {
    schema: &'s Schema,
    text: &'t str,
    format: Format,
    report_missing: bool,
    facts: Facts,
    errors: Vec<LoadError>,
    suggestions_left: usize,
    /// How many deferred JSON containers were not checked when parsed.
    unchecked: usize,
    /// How many of them were read.
    expanded: usize,
    /// An unchecked container's text is not well formed: the load starts over.
    unchecked_error: bool,
    /// JSON entities may be read straight from their tokens.
    flat: bool,
    /// Buffers for reading them.
    scratch: flat::Scratch<'t>,
}

impl<'t> Loader<'_, 't> {
    fn run(&mut self, root: &Node<'_>) {
        let NodeKind::Table(top) = &root.kind else {
            self.wrong_type(
                "an object".to_owned(),
                root,
                "a proposal is one object of entity kinds".to_owned(),
                Some("write `{\"proposal\": {..}, \"group\": {..}}`".to_owned()),
            );
            return;
        };
        let (keys, entities) = self.counts(top);
        self.facts.reserve_keys(keys);
        let mut pending = Vec::with_capacity(entities);
        let mut written = vec![Written::No; self.schema.entities.len()];
        for entry in top {
            let Some(kind) = self.schema.kind_id(&entry.key) else {
                if let Some(singleton) = self.unknown_kind(entry) {
                    // `title = ..` above `[proposal]`: the help already says where it belongs.
                    if let Some(w) = written.get_mut(singleton.0 as usize)
                        && *w == Written::No
                    {
                        *w = Written::Broken;
                    }
                }
                continue;
            };
            let declared = self.declare(kind, entry, &mut pending);
            if let Some(w) = written.get_mut(kind.0 as usize) {
                *w = if declared {
                    Written::Read
                } else {
                    Written::Broken
                };
            }
        }
        self.absent_singletons(&written);
        if self.flat && pending.len() >= PARALLEL_ENTITIES && rayon::current_num_threads() > 1 {
            self.read_all_parallel(&pending);
        } else {
            for p in &pending {
                self.read_fields(p);
            }
        }
    }

    /// The second pass over a large JSON proposal: the entities written the
    /// usual way are read on every thread, a batch at a time, then stored
    /// in source order, each of the others read as [`Loader::read_fields`]
    /// reads it; facts and errors are the same as on one thread.
    fn read_all_parallel(&mut self, pending: &[Pending<'_, '_>]) {
        for batch in pending.chunks(PARALLEL_BATCH) {
            let reader = self.reader();
            let schema = self.schema;
            let read: Vec<Vec<Option<flat::Read<'t>>>> = batch
                .par_chunks(PARALLEL_RUN)
                .map_init(flat::Scratch::default, |scratch, run| {
                    let entities = run.iter().map(|p| {
                        let Fields::Deferred(span) = p.fields else {
                            return None;
                        };
                        Some((schema.entity(p.entity.kind)?, span))
                    });
                    let mut read = reader.entities(entities, scratch);
                    for (p, read) in run.iter().zip(&mut read) {
                        let complete = schema
                            .entity(p.entity.kind)
                            .zip(read.as_ref())
                            .is_some_and(|(def, read)| read.is_complete(def));
                        if !complete {
                            *read = None;
                        }
                    }
                    read
                })
                .collect();
            for (p, read) in batch.iter().zip(read.into_iter().flatten()) {
                let Some(read) = read else {
                    self.read_fields(p);
                    continue;
                };
                // Read to its end, so its text was checked.
                self.expanded += 1;
                let fields = read.finish(&mut self.facts);
                self.store(p.entity, fields);
            }
        }
    }

    // ----- first pass: entities ---------------------------------------------

    /// How many keyed entities, and how many entities of any shape, the
    /// kinds written in `top` may declare, counted before they are declared.
    fn counts(&self, top: &[Entry<'_>]) -> (usize, usize) {
        let (mut keys, mut entities) = (0, 0);
        for entry in top {
            let Some(def) = self
                .schema
                .kind_id(&entry.key)
                .and_then(|k| self.schema.entity(k))
            else {
                continue;
            };
            match (def.shape, &entry.value.kind) {
                (EntityShape::Keyed, NodeKind::Table(entries)) => {
                    keys += entries.len();
                    entities += entries.len();
                }
                (EntityShape::List, NodeKind::Array(items)) => entities += items.len(),
                (EntityShape::Singleton, NodeKind::Table(_)) => entities += 1,
                _ => {}
            }
        }
        (keys, entities)
    }

    /// Declares the entities of one kind; false when the kind is written in
    /// the wrong shape and nothing could be read.
    fn declare<'n, 'a>(
        &mut self,
        kind: KindId,
        entry: &'n Entry<'a>,
        pending: &mut Vec<Pending<'n, 'a>>,
    ) -> bool {
        let Some(def) = self.schema.entity(kind) else {
            return false;
        };
        let node = &entry.value;
        let head = if node.header {
            node.span
        } else {
            entry.key_span
        };
        let declared = matches!(
            (def.shape, &node.kind),
            (
                EntityShape::Keyed | EntityShape::Singleton,
                NodeKind::Table(_)
            ) | (EntityShape::List, NodeKind::Array(_))
        );
        match (def.shape, &node.kind) {
            (EntityShape::Keyed, NodeKind::Table(entries)) => {
                self.facts.reserve(kind, entries.len(), true);
                let mut stray = Stray {
                    under_header: node.header,
                    reported: false,
                };
                for e in entries {
                    self.declare_keyed(kind, def, e, pending, &mut stray);
                }
            }
            (EntityShape::List, NodeKind::Array(items)) => {
                if !self.declare_listed_in_parallel(kind, items, pending) {
                    self.facts.reserve(kind, items.len(), false);
                    for item in items {
                        self.declare_listed(kind, def, item, pending);
                    }
                }
            }
            (EntityShape::Singleton, NodeKind::Table(entries)) => {
                let entity = self.facts.push(
                    kind,
                    Entity {
                        key: None,
                        span: head,
                        fields: Box::new([]),
                    },
                );
                pending.push(Pending {
                    entity,
                    fields: Fields::Read(entries),
                });
            }
            (EntityShape::Keyed, NodeKind::Array(_)) => {
                let name = &def.name;
                let (label, help) = match self.format {
                    Format::Toml => (
                        "written as an array of tables",
                        format!("write each {name} as `[{name}.ID]`, with its id in the header"),
                    ),
                    Format::Json => (
                        "written as an array",
                        format!("write `\"{name}\": {{\"ID\": {{..}}}}`, each {name} under its id"),
                    ),
                };
                self.wrong_shape(
                    format!("`{name}` entities are keyed by id, not listed"),
                    label,
                    head,
                    help,
                );
            }
            (EntityShape::List, NodeKind::Table(_)) => {
                let name = &def.name;
                let (label, help) = match self.format {
                    Format::Toml => (
                        "written as a table",
                        format!("write each {name} as `[[{name}]]`, without an id"),
                    ),
                    Format::Json => (
                        "written as an object",
                        format!("write `\"{name}\": [{{..}}, {{..}}]`, without ids"),
                    ),
                };
                self.wrong_shape(
                    format!("`{name}` entities are listed, without ids"),
                    label,
                    head,
                    help,
                );
            }
            (EntityShape::Singleton, NodeKind::Array(_)) => {
                let name = &def.name;
                let (label, help) = match self.format {
                    Format::Toml => (
                        "written as an array of tables",
                        format!("write `[{name}]` once"),
                    ),
                    Format::Json => (
                        "written as an array",
                        format!("write `\"{name}\": {{..}}` once"),
                    ),
                };
                self.wrong_shape(
                    format!("there is one `{name}`, not a list"),
                    label,
                    head,
                    help,
                );
            }
            (shape, _) => {
                let (expected, help) = match (shape, self.format) {
                    (EntityShape::List, Format::Toml) => {
                        ("an array of tables", format!("write `[[{}]]`", def.name))
                    }
                    (EntityShape::List, Format::Json) => {
                        ("an array", format!("write `\"{}\": [{{..}}]`", def.name))
                    }
                    (EntityShape::Keyed, Format::Toml) => {
                        ("a table", format!("write `[{}.ID]`", def.name))
                    }
                    (EntityShape::Singleton, Format::Toml) => {
                        ("a table", format!("write `[{}]`", def.name))
                    }
                    (_, Format::Json) => ("an object", format!("write `\"{}\": {{..}}`", def.name)),
                };
                let label = format!("`{}` is an entity kind", def.name);
                self.wrong_type(expected.to_owned(), node, label, Some(help));
            }
        }
        declared
    }

    /// Declares one keyed entity, or reports why its value is not one.
    fn declare_keyed<'n, 'a>(
        &mut self,
        kind: KindId,
        def: &EntityDef,
        e: &'n Entry<'a>,
        pending: &mut Vec<Pending<'n, 'a>>,
        stray: &mut Stray,
    ) {
        let Some(fields) = Fields::of(&e.value) else {
            if def.field(&e.key).is_some() {
                // Fields written straight under `[actor]`: one error says it for all.
                if std::mem::replace(&mut stray.reported, true) {
                    return;
                }
                let name = &def.name;
                let help = match self.format {
                    Format::Toml if stray.under_header => {
                        format!(
                            "replace `[{name}]` with `[{name}.ID]`, where ID is the {name}'s id"
                        )
                    }
                    Format::Toml => format!(
                        "write `[{name}.ID]` above `{}`, with the {name}'s id for ID",
                        e.key
                    ),
                    Format::Json => {
                        format!("write `\"{name}\": {{\"ID\": {{\"{}\": ..}}}}`", e.key)
                    }
                };
                self.wrong_shape(
                    format!("`{name}` entities need an id"),
                    &format!("`{}` is a field of {} `{name}`", e.key, article(name)),
                    e.key_span,
                    help,
                );
            } else {
                let label = format!("`{}` would be the id of a `{}`", e.key, def.name);
                let expected = match self.format {
                    Format::Toml => "a table",
                    Format::Json => "an object",
                };
                self.wrong_type(expected.to_owned(), &e.value, label, None);
            }
            return;
        };
        if e.key.is_empty() {
            self.errors
                .push(LoadError::EmptyId(EmptyId::new(&def.name, e.key_span)));
            return;
        }
        let head = if e.value.header {
            e.value.span
        } else {
            e.key_span
        };
        let entity = self.facts.push_keyed(kind, &e.key, head);
        pending.push(Pending { entity, fields });
    }

    fn declare_listed<'n, 'a>(
        &mut self,
        kind: KindId,
        def: &EntityDef,
        item: &'n Node<'a>,
        pending: &mut Vec<Pending<'n, 'a>>,
    ) {
        let Some(fields) = Fields::of(item) else {
            let expected = match self.format {
                Format::Toml => "a table",
                Format::Json => "an object",
            };
            let label = format!("each `{}` is {expected} of fields", def.name);
            self.wrong_type(expected.to_owned(), item, label, None);
            return;
        };
        let head = listed_head(self.text, item);
        let entity = self.facts.push(
            kind,
            Entity {
                key: None,
                span: head,
                fields: Box::new([]),
            },
        );
        pending.push(Pending { entity, fields });
    }

    /// Declares the listed entities `items` of `kind` on every thread, when
    /// there are many, they are the kind's first and each is written as a
    /// table, as in a proposal a program wrote: then nothing is reported,
    /// and the entities and the pending list are the ones
    /// [`Loader::declare_listed`] makes, written in place. False when it
    /// leaves them to that function.
    fn declare_listed_in_parallel<'n, 'a>(
        &mut self,
        kind: KindId,
        items: &'n [Node<'a>],
        pending: &mut Vec<Pending<'n, 'a>>,
    ) -> bool {
        let list = self.facts.entities_mut(kind);
        if items.len() < PARALLEL_ENTITIES
            || rayon::current_num_threads() == 1
            || !list.is_empty()
            || u32::try_from(items.len()).is_err()
            || !items.par_iter().all(|item| Fields::of(item).is_some())
        {
            return false;
        }
        let text = self.text;
        items
            .par_iter()
            .map(|item| Entity {
                key: None,
                span: listed_head(text, item),
                fields: Box::new([]),
            })
            .collect_into_vec(list);
        pending.par_extend(items.par_iter().enumerate().map(|(index, item)| Pending {
            // Checked above to fit.
            entity: EntityRef {
                kind,
                index: index as u32,
            },
            // Every item was found to be a table above.
            fields: Fields::of(item).unwrap_or(Fields::Deferred(item.span)),
        }));
        true
    }

    /// A singleton the proposal does not write exists with its defaults; if
    /// it has required fields, the omission is reported at the top of the file.
    fn absent_singletons(&mut self, written: &[Written]) {
        for (kind, def) in self.schema.kinds() {
            let written = written.get(kind.0 as usize).copied().unwrap_or(Written::No);
            if def.shape != EntityShape::Singleton || written == Written::Read {
                continue;
            }
            let required: Vec<&FieldDef> = def.fields.iter().filter(|f| f.is_required()).collect();
            let start = if self.text.starts_with('\u{feff}') {
                3
            } else {
                0
            };
            let at = Span::empty(start);
            if !required.is_empty() && self.report_missing && written == Written::No {
                let name = &def.name;
                let (written, help) = match self.format {
                    Format::Toml => {
                        let fields: Vec<String> = required
                            .iter()
                            .map(|f| format!("{} = {}", f.name, self.example(&f.ty)))
                            .collect();
                        (
                            format!("`[{name}]` table"),
                            format!(
                                "every proposal has one `[{name}]` table: add\n\n    [{name}]\n    {}\n",
                                fields.join("\n    ")
                            ),
                        )
                    }
                    Format::Json => {
                        let fields: Vec<String> = required
                            .iter()
                            .map(|f| format!("\"{}\": {}", f.name, self.example(&f.ty)))
                            .collect();
                        (
                            format!("`\"{name}\"` object"),
                            format!(
                                "every proposal has one `\"{name}\"` object: add `\"{name}\": {{{}}}`",
                                fields.join(", ")
                            ),
                        )
                    }
                };
                self.errors
                    .push(LoadError::MissingSingleton(MissingSingleton::new(
                        written, at, help,
                    )));
            }
            let fields = def.fields.iter().map(default_fact).collect();
            self.facts.push(
                kind,
                Entity {
                    key: None,
                    span: at,
                    fields,
                },
            );
        }
    }

    // ----- second pass: fields ----------------------------------------------

    fn read_fields(&mut self, p: &Pending<'_, '_>) {
        let schema = self.schema;
        let Some(def) = schema.entity(p.entity.kind) else {
            return;
        };
        let fields = match p.fields {
            Fields::Read(entries) => self.read_entries(def, p.entity, entries),
            Fields::Deferred(span) => {
                match self.flat.then(|| self.read_flat(def, span)).flatten() {
                    Some(read) => {
                        // Read to its end, so its text was checked.
                        self.expanded += 1;
                        if read.is_complete(def) {
                            let fields = read.finish(&mut self.facts);
                            self.store(p.entity, fields);
                            return;
                        }
                        read.finish_written(&mut self.facts)
                    }
                    None => {
                        let Some(node) = self.expand(span) else {
                            return;
                        };
                        let entries = match &node.kind {
                            NodeKind::Table(entries) => entries.as_slice(),
                            _ => &[],
                        };
                        self.read_entries(def, p.entity, entries)
                    }
                }
            }
        };
        self.set_fields(def, p.entity, fields);
    }

    /// The fields written in `entries`, each converted to its type, with
    /// every mistake reported.
    fn read_entries(
        &mut self,
        def: &EntityDef,
        entity: EntityRef,
        entries: &[Entry<'_>],
    ) -> Vec<Option<FieldFact>> {
        let mut fields: Vec<Option<FieldFact>> = vec![None; def.fields.len()];
        for e in entries {
            let Some((id, field)) = def.field(&e.key) else {
                self.unknown_field(def, entity, e);
                continue;
            };
            let mut item_spans = Vec::new();
            let value = self.value(field, &field.ty, &e.value, Some(&mut item_spans));
            if let Some(slot) = fields.get_mut(id.0 as usize) {
                *slot = Some(FieldFact {
                    value: value.unwrap_or(Value::Absent),
                    span: Some(e.value.span),
                    key_span: Some(e.key_span),
                    item_spans: item_spans.into_boxed_slice(),
                });
            }
        }
        fields
    }

    /// What reading an entity from its tokens needs.
    fn reader(&self) -> flat::Reader<'_, 't> {
        flat::Reader {
            schema: self.schema,
            facts: &self.facts,
            text: self.text,
        }
    }

    /// The fields of the JSON entity at `span`, read straight from its
    /// tokens when it is written the usual way ([`flat::Reader::entity`]).
    /// Most entities of a large proposal take this path, which builds no
    /// nodes.
    fn read_flat(&mut self, def: &EntityDef, span: Span) -> Option<flat::Read<'t>> {
        let mut scratch = std::mem::take(&mut self.scratch);
        let read = self.reader().entity(def, span, &mut scratch);
        self.scratch = scratch;
        read
    }

    /// Stores the fields of `entity`.
    fn store(&mut self, entity: EntityRef, fields: Box<[FieldFact]>) {
        if let Some(entity) = self
            .facts
            .kinds
            .get_mut(entity.kind.0 as usize)
            .and_then(|k| k.get_mut(entity.index as usize))
        {
            entity.fields = fields;
        }
    }

    /// Completes the fields read for `entity` with defaults, reports the
    /// required ones missing, and stores them.
    fn set_fields(&mut self, def: &EntityDef, entity: EntityRef, fields: Vec<Option<FieldFact>>) {
        let p_entity = entity;
        let mut missing = Vec::new();
        let fields: Box<[FieldFact]> = fields
            .into_iter()
            .zip(&def.fields)
            .map(|(fact, field)| {
                fact.unwrap_or_else(|| {
                    if field.is_required() {
                        missing.push(field);
                    }
                    default_fact(field)
                })
            })
            .collect();
        if self.report_missing && !missing.is_empty() {
            let head = self
                .facts
                .entity(p_entity)
                .map_or(Span::empty(0), |e| e.span);
            let display = describe_entity(def, &self.facts, p_entity);
            for field in missing {
                let help = match self.format {
                    Format::Toml => format!("add `{} = {}`", field.name, self.example(&field.ty)),
                    Format::Json => {
                        format!("add `\"{}\": {}`", field.name, self.example(&field.ty))
                    }
                };
                let mut error = MissingField::new(&field.name, display.clone(), head, help);
                if let Some(fix) = self.add_field(head, field) {
                    error = error.with_fix(fix);
                }
                self.errors.push(LoadError::MissingField(error));
            }
        }
        self.store(p_entity, fields);
    }

    /// The nodes of the deferred JSON text at `span`; `None`, and the load
    /// marked to start over, when that text was not checked and is not well
    /// formed.
    fn expand(&mut self, span: Span) -> Option<Node<'t>> {
        let checked = self.unchecked == 0;
        let node = json::expand(self.text, span, checked);
        match node {
            Some(_) if !checked => self.expanded += 1,
            Some(_) => {}
            None => self.unchecked_error = true,
        }
        node
    }

    /// Converts a written value to `ty`, reporting every mismatch. For a
    /// list, `item_spans` receives the span of each element kept.
    fn value(
        &mut self,
        field: &FieldDef,
        ty: &Type,
        node: &Node<'_>,
        item_spans: Option<&mut Vec<Span>>,
    ) -> Option<Value> {
        if let NodeKind::Deferred { .. } = node.kind {
            let expanded = self.expand(node.span)?;
            return self.value(field, ty, &expanded, item_spans);
        }
        if let NodeKind::Datetime = node.kind {
            self.errors.push(LoadError::Datetime(Datetime::new(
                node.span.text(self.text),
                node.span,
            )));
            return None;
        }
        match (ty, &node.kind) {
            (Type::Optional(_), NodeKind::Null) => Some(Value::Absent),
            (Type::Optional(inner), _) => self.value(field, inner, node, item_spans),
            (Type::Bool, NodeKind::Bool(b)) => Some(Value::Bool(*b)),
            (Type::Int, NodeKind::Int(Some(i))) => Some(Value::Int(*i)),
            (Type::Int, NodeKind::Int(None)) => {
                self.errors.push(LoadError::IntOverflow(IntOverflow::new(
                    node.span.text(self.text),
                    node.span,
                )));
                None
            }
            (Type::Text, NodeKind::Str(s)) => Some(Value::Text(self.facts.strings.intern(s))),
            (Type::Enum(id), NodeKind::Str(s)) => {
                let def = self.schema.enum_def(*id)?;
                if let Some(index) = def.variant(s) {
                    return Some(Value::Enum(index));
                }
                let names = || def.variants.iter().map(|v| v.name.as_str());
                let guess = closest(s, names());
                let help = guess.map(|g| format!("did you mean `{g}`?")).or_else(|| {
                    (!def.variants.is_empty()).then(|| {
                        format!("the values of `{}` are {}", def.name, one_of(names(), 12))
                    })
                });
                let mut error = UnknownVariant::new(s, &def.name, node.span, help);
                if let Some(guess) = guess {
                    error = error.with_fix(self.rename(node.span, guess));
                }
                self.errors.push(LoadError::UnknownVariant(error));
                None
            }
            (Type::Ref(kind), NodeKind::Str(s)) => self.reference(*kind, s, node.span),
            (Type::List(inner), NodeKind::Array(items)) => {
                let mut values = Vec::with_capacity(items.len());
                let mut spans = Vec::new();
                for item in items {
                    if let Some(v) = self.value(field, inner, item, None) {
                        values.push(v);
                        spans.push(item.span);
                    }
                }
                if let Some(out) = item_spans {
                    *out = spans;
                }
                Some(Value::List(values.into_boxed_slice()))
            }
            _ => {
                let help = self.type_help(field, ty, node);
                let label = format!("`{}` is `{}`", field.name, self.schema.type_name(&field.ty));
                self.wrong_type(self.expected(ty), node, label, help);
                None
            }
        }
    }

    fn reference(&mut self, kind: KindId, id: &str, span: Span) -> Option<Value> {
        if let Some(r) = self.facts.lookup(kind, id) {
            return Some(Value::Ref(r));
        }
        let schema = self.schema;
        let kind_name = schema.entity(kind).map_or("", |e| e.name.as_str());
        for (other, def) in schema.kinds() {
            if other == kind || def.shape != EntityShape::Keyed {
                continue;
            }
            if let Some(found) = self.facts.lookup(other, id) {
                let declared = self.facts.entity(found).map_or(Span::empty(0), |e| e.span);
                self.errors.push(LoadError::WrongKindRef(WrongKindRef::new(
                    id, &def.name, kind_name, span, declared,
                )));
                return None;
            }
        }
        let mut guess = None;
        if self.suggestions_left > 0 {
            self.suggestions_left -= 1;
            let strings = &self.facts.strings;
            let ids = self
                .facts
                .entities(kind)
                .iter()
                .filter_map(|e| e.key)
                .map(|k| strings.resolve(k));
            guess = closest(id, ids).map(str::to_owned);
        }
        let fix = guess.as_deref().map(|g| self.rename(span, g));
        let help = guess.map(|g| format!("did you mean `{g}`?"));
        let help = help.or_else(|| {
            let declare = match self.format {
                Format::Toml => format!("`[{kind_name}.{}]`", toml_key(id)),
                Format::Json => format!("`\"{kind_name}\": {{\"{id}\": {{..}}}}`"),
            };
            if self.facts.entities(kind).is_empty() {
                Some(format!(
                    "the proposal declares no {kind_name}: add {declare}"
                ))
            } else {
                Some(format!(
                    "declare it with {declare}, or name an existing {kind_name}"
                ))
            }
        });
        let mut error = DanglingRef::new(id, kind_name, span, help);
        if let Some(fix) = fix {
            error = error.with_fix(fix);
        }
        self.errors.push(LoadError::DanglingRef(error));
        None
    }

    // ----- messages ---------------------------------------------------------

    /// Reports a top-level key that is no entity kind. When the key is a
    /// field of a singleton (written above its header), returns that singleton.
    fn unknown_kind(&mut self, entry: &Entry<'_>) -> Option<KindId> {
        let schema = self.schema;
        let span = if entry.value.header {
            entry.value.span
        } else {
            entry.key_span
        };
        let kinds = || schema.entities.iter().map(|e| e.name.as_str());
        let singleton = schema
            .kinds()
            .find(|(_, e)| e.shape == EntityShape::Singleton && e.field(&entry.key).is_some());
        let guess = closest(&entry.key, kinds());
        let help = guess
            .map(|g| format!("did you mean `{g}`?"))
            .or_else(|| {
                let (_, singleton) = singleton?;
                let name = &singleton.name;
                Some(match self.format {
                    Format::Toml => format!(
                        "`{}` is a field of `{name}`: write it below the `[{name}]` header",
                        entry.key
                    ),
                    Format::Json => format!(
                        "`{}` is a field of `{name}`: write it inside `\"{name}\": {{..}}`",
                        entry.key
                    ),
                })
            })
            .or_else(|| Some(format!("the entity kinds are {}", one_of(kinds(), 20))));
        let mut error = UnknownKind::new(&entry.key, span, help);
        // Under a table header the key is the first part of the header's
        // name, where the rename goes.
        if let Some(guess) = guess {
            error = error.with_fix(self.rename(entry.key_span, guess));
        }
        self.errors.push(LoadError::UnknownKind(error));
        singleton.map(|(id, _)| id)
    }

    fn unknown_field(&mut self, def: &EntityDef, entity: EntityRef, e: &Entry<'_>) {
        let names = || def.fields.iter().map(|f| f.name.as_str());
        let guess = closest(&e.key, names());
        let help = guess.map(|g| format!("did you mean `{g}`?")).or_else(|| {
            if def.fields.is_empty() {
                Some(format!("`{}` has no fields", def.name))
            } else {
                Some(format!(
                    "the fields of `{}` are {}",
                    def.name,
                    one_of(names(), 20)
                ))
            }
        });
        let display = describe_entity(def, &self.facts, entity);
        let mut error = UnknownField::new(&e.key, display, &def.name, e.key_span, help);
        if let Some(guess) = guess {
            error = error.with_fix(self.rename(e.key_span, guess));
        }
        self.errors.push(LoadError::UnknownField(error));
    }

    fn wrong_shape(&mut self, message: String, label: &str, span: Span, help: String) {
        self.errors.push(LoadError::WrongShape(WrongShape::new(
            message,
            label.to_owned(),
            span,
            help,
        )));
    }

    fn wrong_type(
        &mut self,
        expected: String,
        node: &Node<'_>,
        label: String,
        help: Option<String>,
    ) {
        let found = self.found(node).to_owned();
        let span = if node.header {
            node.span
        } else {
            self.short_span(node.span)
        };
        self.errors.push(LoadError::WrongType(WrongType::new(
            expected, found, label, span, help,
        )));
    }

    /// A multi-line value is marked by its first character, so that the
    /// label stays next to the key instead of framing the whole block.
    fn short_span(&self, span: Span) -> Span {
        if span.text(self.text).contains('\n') {
            Span::new(span.start, span.start.saturating_add(1))
        } else {
            span
        }
    }

    fn found(&self, node: &Node<'_>) -> &'static str {
        match (&node.kind, self.format) {
            (NodeKind::Str(_), _) => "a string",
            (NodeKind::Int(_), _) => "an integer",
            (NodeKind::Float, _) => "a decimal number",
            (NodeKind::Bool(_), _) => "a boolean",
            (NodeKind::Datetime, _) => "a date-time",
            (NodeKind::Null, _) => "`null`",
            (NodeKind::Array(_), Format::Toml) if node.header => "an array of tables",
            (NodeKind::Array(_), _) => "a list",
            (NodeKind::Table(_), Format::Toml) => "a table",
            (NodeKind::Table(_), Format::Json) => "an object",
            (NodeKind::Deferred { object: true }, _) => "an object",
            (NodeKind::Deferred { object: false }, _) => "a list",
        }
    }

    fn expected(&self, ty: &Type) -> String {
        match ty {
            Type::Bool => "a boolean".to_owned(),
            Type::Int => "an integer".to_owned(),
            Type::Text => "a string".to_owned(),
            Type::Enum(id) => {
                let name = self.schema.enum_def(*id).map_or("", |e| e.name.as_str());
                format!("a value of `{name}`")
            }
            Type::Ref(kind) => {
                let name = self.schema.entity(*kind).map_or("", |e| e.name.as_str());
                format!("the id of {} `{name}`", article(name))
            }
            Type::List(_) => "a list".to_owned(),
            Type::Optional(inner) => self.expected(inner),
        }
    }

    /// How to fix a value of the wrong type, when the fix is clear.
    fn type_help(&self, field: &FieldDef, ty: &Type, node: &Node<'_>) -> Option<String> {
        let raw = node.span.text(self.text);
        let short = !raw.contains('\n') && raw.len() <= 40;
        match (ty, &node.kind) {
            (Type::Bool, NodeKind::Str(s)) => {
                let t = s.trim().to_ascii_lowercase();
                (t == "true" || t == "false").then(|| format!("write `{t}` without quotes"))
            }
            (Type::Bool, NodeKind::Int(Some(0 | 1))) => Some("write `true` or `false`".to_owned()),
            (Type::Int, NodeKind::Str(s)) => s
                .trim()
                .parse::<i64>()
                .ok()
                .map(|i| format!("write `{i}` without quotes")),
            (Type::Int, NodeKind::Float) => Some("write a whole number, such as `3`".to_owned()),
            (
                Type::Text | Type::Enum(_) | Type::Ref(_),
                NodeKind::Int(_) | NodeKind::Bool(_) | NodeKind::Float,
            ) if short => Some(format!("write it in quotes: `\"{raw}\"`")),
            (
                Type::List(_),
                NodeKind::Str(_) | NodeKind::Int(_) | NodeKind::Bool(_) | NodeKind::Float,
            ) if short => Some(format!("write a list, even of one element: `[{raw}]`")),
            (Type::List(_), _) => Some("write a list: `[..]`".to_owned()),
            (_, NodeKind::Array(items)) if items.len() == 1 => {
                let one = items
                    .first()
                    .map(|i| i.span.text(self.text))
                    .unwrap_or_default();
                Some(format!(
                    "`{}` holds one value: write `{one}` without brackets",
                    field.name
                ))
            }
            (_, NodeKind::Null) if field.default.is_some() => {
                Some(format!("leave `{}` out to use its default", field.name))
            }
            (_, NodeKind::Null) => Some(format!("`{}` is required: give it a value", field.name)),
            _ => None,
        }
    }

    /// An example value for a "missing field" help.
    /// A safe fix that replaces the name written at `span` (a key or a
    /// string value, quoted or not) by `to`.
    fn rename(&self, span: Span, to: &str) -> Fix {
        Fix::rename(span.text(self.text), span, to)
    }

    /// A fix adding the missing `field` below the TOML table header at
    /// `head`. The value is filled in when the schema allows only one (an
    /// enum with one variant, a reference to the only entity of its kind),
    /// and the fix is then unsafe, since it states something the proposal
    /// did not; otherwise it shows an example value and is display-only.
    fn add_field(&self, head: Span, field: &FieldDef) -> Option<Fix> {
        if self.format != Format::Toml || !head.text(self.text).starts_with('[') {
            return None;
        }
        let rest = self.text.get(head.end as usize..)?;
        let line_end = head.end as usize + rest.find('\n').map_or(rest.len(), |n| n + 1);
        let newline = if rest.find('\n').is_some() { "" } else { "\n" };
        let at = u32::try_from(line_end).ok()?;
        let value = self.only_value(&field.ty);
        let text = format!(
            "{newline}{} = {}\n",
            field.name,
            value.clone().unwrap_or_else(|| self.example(&field.ty))
        );
        let edits = vec![lacuna_syntax::Edit::insert(at, text)];
        let title = format!("add the field `{}`", field.name);
        Some(match value {
            Some(_) => Fix::unsafe_edits(title, edits),
            None => Fix::display_only(title, edits),
        })
    }

    /// The one value a field of type `ty` can take, when there is only one.
    fn only_value(&self, ty: &Type) -> Option<String> {
        match ty {
            Type::Enum(id) => match self.schema.enum_def(*id)?.variants.as_slice() {
                [only] => Some(format!("\"{}\"", only.name)),
                _ => None,
            },
            Type::Ref(kind) => match self.facts.entities(*kind) {
                [only] => Some(format!("\"{}\"", self.facts.strings.resolve(only.key?))),
                _ => None,
            },
            _ => None,
        }
    }

    fn example(&self, ty: &Type) -> String {
        match ty {
            Type::Bool => "true".to_owned(),
            Type::Int => "0".to_owned(),
            Type::Text => "\"..\"".to_owned(),
            Type::Enum(id) => {
                let first = self
                    .schema
                    .enum_def(*id)
                    .and_then(|e| e.variants.first())
                    .map_or("..", |v| v.name.as_str());
                format!("\"{first}\"")
            }
            Type::Ref(kind) => {
                let first = self
                    .facts
                    .entities(*kind)
                    .iter()
                    .find_map(|e| e.key)
                    .map(|k| self.facts.strings.resolve(k));
                format!("\"{}\"", first.unwrap_or("ID"))
            }
            Type::List(inner) => format!("[{}]", self.example(inner)),
            Type::Optional(inner) => self.example(inner),
        }
    }
}

/// The fact of a field the proposal did not write: its default, or absent.
fn default_fact(field: &FieldDef) -> FieldFact {
    FieldFact {
        value: field.default.clone().unwrap_or(Value::Absent),
        span: None,
        key_span: None,
        item_spans: Box::new([]),
    }
}

/// How messages name an entity: "group `refugees`", "`mandate[3]`", "`proposal`".
fn describe_entity(def: &EntityDef, facts: &Facts, entity: EntityRef) -> String {
    if facts.entity(entity).is_none() {
        return String::new();
    }
    let name = facts.name(entity);
    match def.shape {
        EntityShape::Keyed => format!("{} `{name}`", def.name),
        EntityShape::List | EntityShape::Singleton => format!("`{name}`"),
    }
}

/// A TOML key as it must be written: bare when it can be, quoted otherwise.
pub(crate) fn toml_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        key.to_owned()
    } else {
        crate::generate::quote(key)
    }
}

#[cfg(test)]
mod tests;
