//! Proposals as facts.
//!
//! [`Schema`] is the vocabulary declared by `enum` and `entity` items of the
//! rule files; [`Facts`] is one proposal loaded against it, with references
//! resolved to dense integer ids, strings interned, defaults applied and the
//! source location of every entity and value kept for diagnostics.

mod facts;
mod schema;
mod source;

pub use facts::{Entity, EntityRef, Facts, FieldFact, Interner, Sym, Value};
pub use schema::{EntityDef, EnumDef, EnumId, FieldDef, FieldId, KindId, Schema, Type, VariantDef};
pub use source::{Origin, SourceDb, SourceFile, SourceId};
