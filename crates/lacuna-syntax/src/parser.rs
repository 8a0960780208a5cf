//! The nom parser. (Placeholder: being written.)

use crate::ast::Ast;
use crate::error::SyntaxError;

pub const MAX_NESTING: u32 = 64;

pub fn parse(_source: &str) -> (Ast, Vec<SyntaxError>) {
    (Ast::default(), Vec::new())
}

pub fn parse_bytes(_source: &[u8]) -> (Ast, Vec<SyntaxError>) {
    (Ast::default(), Vec::new())
}
