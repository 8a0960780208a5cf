//! Syntax errors. (Placeholder: being written.)

use miette::Diagnostic;
use thiserror::Error;

use crate::span::Span;

#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("{message}")]
pub struct SyntaxError {
    message: String,
    #[label("here")]
    span: Span,
}
