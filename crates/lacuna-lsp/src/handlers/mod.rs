//! One request handler a file, and the table that routes each method to
//! its handler.

pub(crate) mod code_action;
pub(crate) mod completion;
pub(crate) mod definition;
pub(crate) mod folding;
pub(crate) mod formatting;
pub(crate) mod hover;
pub(crate) mod range_formatting;
pub(crate) mod references;
pub(crate) mod rename;
pub(crate) mod symbols;

use lsp_server::ErrorCode;
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, FoldingRangeRequest, Formatting,
    GotoDefinition, HoverRequest, PrepareRenameRequest, RangeFormatting, References, Rename,
    Request as _,
};
use serde::de::DeserializeOwned;

use crate::worker::Worker;

/// Why a request gets an error instead of a result.
#[derive(Debug)]
pub(crate) struct Failure {
    pub code: ErrorCode,
    pub message: String,
}

impl Failure {
    /// The request cannot be carried out as asked, such as a rename where
    /// renaming is not safe.
    pub fn refused(message: String) -> Failure {
        Failure {
            code: ErrorCode::RequestFailed,
            message,
        }
    }
}

/// A handler: the worker, for snapshots of documents, and the parameters.
pub(crate) type Handler =
    fn(&mut Worker<'_>, serde_json::Value) -> Result<serde_json::Value, Failure>;

const REQUESTS: &[(&str, Handler)] = &[
    (Formatting::METHOD, formatting::handle),
    (RangeFormatting::METHOD, range_formatting::handle),
    (HoverRequest::METHOD, hover::handle),
    (GotoDefinition::METHOD, definition::handle),
    (References::METHOD, references::handle),
    (PrepareRenameRequest::METHOD, rename::prepare),
    (Rename::METHOD, rename::handle),
    (Completion::METHOD, completion::handle),
    (CodeActionRequest::METHOD, code_action::handle),
    (DocumentSymbolRequest::METHOD, symbols::handle),
    (FoldingRangeRequest::METHOD, folding::handle),
];

/// The handler of a request method; `None` for methods the server does not
/// answer.
pub(crate) fn request_handler(method: &str) -> Option<Handler> {
    REQUESTS
        .iter()
        .find(|(known, _)| *known == method)
        .map(|(_, handler)| *handler)
}

/// The parameters of a message, or why they do not fit its method.
pub(crate) fn params<P: DeserializeOwned>(
    method: &str,
    value: serde_json::Value,
) -> Result<P, String> {
    serde_json::from_value(value)
        .map_err(|error| format!("invalid parameters for `{method}`: {error}"))
}

/// The parameters of a request, or an `InvalidParams` error.
pub(crate) fn request_params<P: DeserializeOwned>(
    method: &str,
    value: serde_json::Value,
) -> Result<P, Failure> {
    params(method, value).map_err(|message| Failure {
        code: ErrorCode::InvalidParams,
        message,
    })
}

/// A result as JSON; `null` when it cannot be written, which never happens
/// for protocol types.
pub(crate) fn reply<T: serde::Serialize>(value: T) -> Result<serde_json::Value, Failure> {
    serde_json::to_value(value).map_err(|error| Failure {
        code: ErrorCode::InternalError,
        message: error.to_string(),
    })
}
