//! The vocabulary of proposals, resolved from `enum` and `entity` declarations.

use lacuna_syntax::ast::EntityShape;
use rustc_hash::FxHashMap;

use crate::facts::{Interner, Value};
use crate::source::Origin;

/// Index of an enum in [`Schema::enums`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EnumId(pub u32);

/// Index of an entity kind in [`Schema::entities`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KindId(pub u32);

/// Index of a field in [`EntityDef::fields`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldId(pub u32);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    Bool,
    Int,
    Text,
    Enum(EnumId),
    /// A reference to an entity of a keyed kind, written as its id.
    Ref(KindId),
    List(Box<Type>),
    /// May be absent; [`Value::Absent`] when it is.
    Optional(Box<Type>),
}

#[derive(Clone, Debug)]
pub struct EnumDef {
    pub name: String,
    pub doc: Option<String>,
    pub variants: Vec<VariantDef>,
    /// The enum's name in its declaration.
    pub origin: Origin,
}

#[derive(Clone, Debug)]
pub struct VariantDef {
    pub name: String,
    pub doc: Option<String>,
    /// The variant's name in its declaration.
    pub origin: Origin,
}

#[derive(Clone, Debug)]
pub struct EntityDef {
    pub name: String,
    pub doc: Option<String>,
    pub shape: EntityShape,
    pub fields: Vec<FieldDef>,
    /// The entity kind's name in its declaration.
    pub origin: Origin,
    /// What one entity is called in evidence, when the declaration says:
    /// `coordination mechanism`.
    pub label: Option<String>,
    /// What several are called, when the declaration says:
    /// `coordination mechanisms`.
    pub plural: Option<String>,
}

impl EntityDef {
    /// What one entity of the kind is called for a reader: the declared
    /// label, or else the kind's name.
    pub fn singular(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.name)
    }

    /// Whether the kind has a label of its own, rather than its name, to
    /// be called by.
    pub fn has_label(&self) -> bool {
        self.label.is_some()
    }
}

#[derive(Clone, Debug)]
pub struct FieldDef {
    pub name: String,
    pub doc: Option<String>,
    pub ty: Type,
    /// Applied when a proposal leaves the field out. Fields without a default
    /// and not `Optional` are required.
    pub default: Option<Value>,
    /// The field's name in its declaration.
    pub origin: Origin,
}

/// All enums and entity kinds of a rule set, with name lookups.
#[derive(Clone, Debug, Default)]
pub struct Schema {
    pub enums: Vec<EnumDef>,
    pub entities: Vec<EntityDef>,
    pub(crate) enum_index: FxHashMap<String, EnumId>,
    pub(crate) entity_index: FxHashMap<String, KindId>,
    /// The texts of default values: a [`Value::Text`] default holds a symbol of
    /// this interner. Every [`crate::Facts`] loaded against the schema starts
    /// with a copy of it, so the same symbols are valid in the facts.
    pub strings: Interner,
}

impl Schema {
    pub fn enum_id(&self, name: &str) -> Option<EnumId> {
        self.enum_index.get(name).copied()
    }

    pub fn kind_id(&self, name: &str) -> Option<KindId> {
        self.entity_index.get(name).copied()
    }

    pub fn enum_def(&self, id: EnumId) -> Option<&EnumDef> {
        self.enums.get(id.0 as usize)
    }

    pub fn entity(&self, id: KindId) -> Option<&EntityDef> {
        self.entities.get(id.0 as usize)
    }

    /// The type as written in a rule file: `bool`, `area`, `[actor]`, `instrument?`.
    pub fn type_name(&self, ty: &Type) -> String {
        match ty {
            Type::Bool => "bool".to_owned(),
            Type::Int => "int".to_owned(),
            Type::Text => "text".to_owned(),
            Type::Enum(id) => self
                .enum_def(*id)
                .map_or_else(|| "?".to_owned(), |e| e.name.clone()),
            Type::Ref(id) => self
                .entity(*id)
                .map_or_else(|| "?".to_owned(), |e| e.name.clone()),
            Type::List(inner) => format!("[{}]", self.type_name(inner)),
            Type::Optional(inner) => format!("{}?", self.type_name(inner)),
        }
    }

    /// Entity kinds with their ids, in declaration order.
    pub fn kinds(&self) -> impl Iterator<Item = (KindId, &EntityDef)> {
        self.entities
            .iter()
            .enumerate()
            .map(|(i, e)| (KindId(i as u32), e))
    }

    /// Adds an enum, replacing nothing: callers check for duplicates first.
    pub fn push_enum(&mut self, def: EnumDef) -> EnumId {
        let id = EnumId(self.enums.len() as u32);
        self.enum_index.insert(def.name.clone(), id);
        self.enums.push(def);
        id
    }

    /// Adds an entity kind, replacing nothing: callers check for duplicates first.
    pub fn push_entity(&mut self, def: EntityDef) -> KindId {
        let id = KindId(self.entities.len() as u32);
        self.entity_index.insert(def.name.clone(), id);
        self.entities.push(def);
        id
    }
}

impl EnumDef {
    pub fn variant(&self, name: &str) -> Option<u32> {
        self.variants
            .iter()
            .position(|v| v.name == name)
            .map(|i| i as u32)
    }

    pub fn variant_name(&self, index: u32) -> &str {
        self.variants
            .get(index as usize)
            .map_or("?", |v| v.name.as_str())
    }
}

impl FieldDef {
    /// A field a proposal must write: neither optional nor defaulted.
    pub fn is_required(&self) -> bool {
        self.default.is_none() && !matches!(self.ty, Type::Optional(_))
    }
}

impl EntityDef {
    pub fn field(&self, name: &str) -> Option<(FieldId, &FieldDef)> {
        self.fields
            .iter()
            .enumerate()
            .find(|(_, f)| f.name == name)
            .map(|(i, f)| (FieldId(i as u32), f))
    }

    pub fn field_def(&self, id: FieldId) -> Option<&FieldDef> {
        self.fields.get(id.0 as usize)
    }
}
