//! `textDocument/didClose`: forget the text and clear its diagnostics, since
//! they describe a text the editor no longer shows.

use lsp_types::DidCloseTextDocumentParams;
use lsp_types::notification::{DidCloseTextDocument, Notification};

use crate::server::State;

pub(crate) fn handle(state: &mut State, params: serde_json::Value) -> Result<(), String> {
    let params: DidCloseTextDocumentParams = super::params(DidCloseTextDocument::METHOD, params)?;
    state.close(&params.text_document.uri);
    Ok(())
}
