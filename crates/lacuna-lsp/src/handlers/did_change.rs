//! `textDocument/didChange`: take the new text and check it again.
//!
//! The server asks for full synchronization, so every change carries the
//! whole text and the last one is the document.

use lsp_types::DidChangeTextDocumentParams;
use lsp_types::notification::{DidChangeTextDocument, Notification};

use crate::document::Document;
use crate::server::State;

pub(crate) fn handle(state: &mut State, params: serde_json::Value) -> Result<(), String> {
    let params: DidChangeTextDocumentParams = super::params(DidChangeTextDocument::METHOD, params)?;
    let uri = params.text_document.uri;
    let Some(change) = params.content_changes.into_iter().last() else {
        return Ok(());
    };
    if change.range.is_some() {
        return Err(format!(
            "`{}` sent an incremental change, but the server synchronizes whole documents",
            DidChangeTextDocument::METHOD
        ));
    }
    state.open(Document {
        uri,
        version: Some(params.text_document.version),
        text: change.text,
    });
    Ok(())
}
