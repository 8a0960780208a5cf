//! `textDocument/definition`: from a reference to the entity's header, from
//! a key, value, kind or field to its declaration in a rule file, and from a
//! norm id to the norm.

use lsp_types::request::{GotoDefinition, Request};
use lsp_types::{GotoDefinitionParams, GotoDefinitionResponse};

use super::{Failure, reply, request_params};
use crate::locate::{at, location};
use crate::navigate::{declaration, symbol_at};
use crate::worker::Worker;

pub(crate) fn handle(
    worker: &mut Worker<'_>,
    params: serde_json::Value,
) -> Result<serde_json::Value, Failure> {
    let params: GotoDefinitionParams = request_params(GotoDefinition::METHOD, params)?;
    let Some(at) = at(worker, &params.text_document_position_params) else {
        return reply(None::<GotoDefinitionResponse>);
    };
    let found = (|| {
        let analysis = at.analysis()?;
        let kind = at.snapshot.document.kind()?;
        let found = symbol_at(kind, at.text(), analysis, at.offset)?;
        let origin = declaration(analysis, &found.symbol)?;
        location(&at.snapshot, analysis, origin, at.encoding)
    })();
    reply(found.map(GotoDefinitionResponse::Scalar))
}
