//! `textDocument/documentSymbol`: a proposal's entities grouped by kind; a
//! rule file's enums, entities and norms.

use lacuna_report::LineIndex;
use lsp_types::request::{DocumentSymbolRequest, Request};
use lsp_types::{DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse};

use super::{Failure, reply, request_params};
use crate::outline::{Node, outline};
use crate::position::{Encoding, span_range};
use crate::worker::Worker;

pub(crate) fn handle(
    worker: &mut Worker<'_>,
    params: serde_json::Value,
) -> Result<serde_json::Value, Failure> {
    let params: DocumentSymbolParams = request_params(DocumentSymbolRequest::METHOD, params)?;
    let Some(snapshot) = worker.snapshot(&params.text_document.uri) else {
        return reply(None::<DocumentSymbolResponse>);
    };
    let Some(kind) = snapshot.document.kind() else {
        return reply(None::<DocumentSymbolResponse>);
    };
    let text = &snapshot.document.text;
    let index = LineIndex::new(text);
    let nodes = outline(kind, text, snapshot.analysis.as_ref());
    let symbols: Vec<DocumentSymbol> = nodes
        .into_iter()
        .map(|node| symbol(&index, node, worker.encoding()))
        .collect();
    reply(DocumentSymbolResponse::Nested(symbols))
}

#[allow(deprecated)] // `deprecated` is a field the protocol still requires.
fn symbol(index: &LineIndex<'_>, node: Node, encoding: Encoding) -> DocumentSymbol {
    let range = span_range(index, node.span, encoding);
    let mut selection_range = span_range(index, node.name_span, encoding);
    // The protocol wants the name inside the whole.
    if selection_range.start < range.start || selection_range.end > range.end {
        selection_range = range;
    }
    let children: Vec<DocumentSymbol> = node
        .children
        .into_iter()
        .map(|child| symbol(index, child, encoding))
        .collect();
    DocumentSymbol {
        name: node.name,
        detail: node.detail,
        kind: node.kind,
        tags: None,
        deprecated: None,
        range,
        selection_range,
        children: (!children.is_empty()).then_some(children),
    }
}
