//! `textDocument/references`: every place a proposal names an entity, by
//! its id in a reference, and its header when the client asks for the
//! declaration too.

use lacuna_model::{EntityRef, Value};
use lacuna_syntax::Span;
use lsp_types::request::{References, Request};
use lsp_types::{Location, ReferenceParams};

use super::{Failure, reply, request_params};
use crate::analyzer::Analysis;
use crate::locate::at;
use crate::navigate::{Symbol, entity_id_span, symbol_at, unquoted, values};
use crate::position::span_range;
use crate::worker::Worker;

pub(crate) fn handle(
    worker: &mut Worker<'_>,
    params: serde_json::Value,
) -> Result<serde_json::Value, Failure> {
    let params: ReferenceParams = request_params(References::METHOD, params)?;
    let Some(at) = at(worker, &params.text_document_position) else {
        return reply(None::<Vec<Location>>);
    };
    let found = (|| {
        let analysis = at.analysis()?;
        let kind = at.snapshot.document.kind()?;
        let Symbol::Entity(entity) = symbol_at(kind, at.text(), analysis, at.offset)?.symbol else {
            return None;
        };
        let mut spans = uses(at.text(), analysis, entity);
        if params.context.include_declaration
            && let Some(span) = entity_id_span(at.text(), analysis, entity)
        {
            spans.insert(0, span);
        }
        let index = lacuna_report::LineIndex::new(at.text());
        Some(
            spans
                .into_iter()
                .map(|span| Location {
                    uri: at.snapshot.document.uri.clone(),
                    range: span_range(&index, span, at.encoding),
                })
                .collect::<Vec<_>>(),
        )
    })();
    reply(found)
}

/// The spans of the ids (inside their quotes) of every reference to
/// `entity`, in the order of the text.
pub(crate) fn uses(text: &str, analysis: &Analysis, entity: EntityRef) -> Vec<Span> {
    let mut spans: Vec<Span> = values(analysis)
        .into_iter()
        .filter(|(_, _, value, _)| matches!(value, Value::Ref(target) if *target == entity))
        .map(|(_, _, _, span)| unquoted(text, span))
        .collect();
    spans.sort_by_key(|span| (span.start, span.end));
    spans
}
