//! `textDocument/didOpen`: remember the text and check it.

use lsp_types::DidOpenTextDocumentParams;
use lsp_types::notification::{DidOpenTextDocument, Notification};

use crate::document::Document;
use crate::server::State;

pub(crate) fn handle(state: &mut State, params: serde_json::Value) -> Result<(), String> {
    let params: DidOpenTextDocumentParams = super::params(DidOpenTextDocument::METHOD, params)?;
    let document = params.text_document;
    state.open(Document {
        uri: document.uri,
        version: Some(document.version),
        text: document.text,
    });
    Ok(())
}
