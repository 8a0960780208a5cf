//! Proposals as facts.
//!
//! [`Schema`] is the vocabulary declared by `enum` and `entity` items of the
//! rule files, resolved by [`build_schema`]; [`Facts`] is one proposal loaded
//! against it by [`load`], with references resolved to dense integer ids,
//! strings interned, defaults applied and the source location of every entity
//! and value kept for diagnostics. [`generate::proposal`] writes random valid
//! proposals for any schema, for benchmarks and property tests.

mod build;
mod dump;
mod error;
mod facts;
pub mod generate;
mod load;
mod schema;
mod source;
#[cfg(test)]
mod testing;

pub use build::build_schema;
pub use dump::dump;
pub use error::{LoadError, SchemaError};
pub use facts::{Entity, EntityRef, Facts, FieldFact, Interner, Sym, Value, push_decimal};
pub use load::{Format, MAX_DEPTH, load};
pub use schema::{EntityDef, EnumDef, EnumId, FieldDef, FieldId, KindId, Schema, Type, VariantDef};
pub use source::{Origin, SourceDb, SourceFile, SourceId};

/// The individual errors, for callers that inspect them beyond their [`miette::Diagnostic`].
pub mod errors {
    pub use crate::error::{
        BadDefault, BuiltinRedeclared, DanglingRef, Datetime, Duplicate, DuplicateKey, EmptyEnum,
        EmptyId, IntOverflow, MissingField, MissingSingleton, NameClash, NestedOptional,
        OptionalDefault, RefToUnkeyed, SyntaxError, TooDeep, TooLarge, UnknownField, UnknownKind,
        UnknownType, UnknownVariant, WrongKindRef, WrongShape, WrongType,
    };
}
