//! The norm language of lacuna: syntax tree, parser and formatter.
//!
//! Parsing never fails: [`parse`] returns the tree it could build together
//! with every syntax error it found, so tools downstream (the formatter, the
//! language server) can work on the rest of a broken file. This crate knows
//! nothing of files, terminals or editors: it maps text to trees and back.

pub mod ast;
mod error;
pub mod fix;
mod format;
mod parser;
pub mod span;
mod strip;
pub mod suggest;

pub use error::{SyntaxError, SyntaxErrorKind};
pub use fix::{Applicability, Edit, Fix};
pub use format::format;
pub use parser::{MAX_NESTING, parse, parse_bytes};
pub use span::Span;
