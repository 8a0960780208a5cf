//! `textDocument/didSave`: check the document again, with the saved text if
//! the client sent it.

use lsp_types::DidSaveTextDocumentParams;
use lsp_types::notification::{DidSaveTextDocument, Notification};

use crate::server::State;

pub(crate) fn handle(state: &mut State, params: serde_json::Value) -> Result<(), String> {
    let params: DidSaveTextDocumentParams = super::params(DidSaveTextDocument::METHOD, params)?;
    let uri = params.text_document.uri;
    let Some(mut document) = state.document(&uri).cloned() else {
        return Err(format!("`{}` was saved but never opened", uri.as_str()));
    };
    if let Some(text) = params.text {
        document.text = text;
    }
    state.open(document);
    Ok(())
}
