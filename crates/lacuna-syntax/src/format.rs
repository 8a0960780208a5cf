//! The canonical formatter. (Placeholder: being written.)

use crate::ast::Ast;

pub fn format(_ast: &Ast, source: &str) -> String {
    source.to_owned()
}
