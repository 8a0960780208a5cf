//! `textDocument/prepareRename` and `textDocument/rename`: an entity's id,
//! in its header, in every reference to it and in the `kind.id` of
//! `[[allow]]` entries.
//!
//! Renaming is refused where it is not safe: anywhere but on an entity id,
//! for an entity that has no id, in a proposal with errors (what could not
//! be read may name the entity too), and to an id that is taken or that a
//! header cannot hold unquoted.

use std::collections::HashMap;

use lacuna_model::{EntityRef, Value};
use lacuna_syntax::Span;
use lsp_types::request::{PrepareRenameRequest, Rename, Request};
use lsp_types::{
    PrepareRenameResponse, RenameParams, TextDocumentPositionParams, TextEdit, WorkspaceEdit,
};

use super::references::uses;
use super::{Failure, reply, request_params};
use crate::locate::{At, at};
use crate::navigate::{Symbol, entity_id_span, symbol_at, unquoted, values};
use crate::position::span_range;
use crate::worker::Worker;

pub(crate) fn prepare(
    worker: &mut Worker<'_>,
    params: serde_json::Value,
) -> Result<serde_json::Value, Failure> {
    let params: TextDocumentPositionParams = request_params(PrepareRenameRequest::METHOD, params)?;
    let Some(at) = at(worker, &params) else {
        return reply(None::<PrepareRenameResponse>);
    };
    let (_, span) = renamable(&at)?;
    let index = lacuna_report::LineIndex::new(at.text());
    reply(PrepareRenameResponse::Range(span_range(
        &index,
        span,
        at.encoding,
    )))
}

pub(crate) fn handle(
    worker: &mut Worker<'_>,
    params: serde_json::Value,
) -> Result<serde_json::Value, Failure> {
    let params: RenameParams = request_params(Rename::METHOD, params)?;
    let Some(at) = at(worker, &params.text_document_position) else {
        return reply(None::<WorkspaceEdit>);
    };
    let (entity, header) = renamable(&at)?;
    let new_name = params.new_name;
    if new_name.is_empty()
        || !new_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(Failure::refused(format!(
            "`{new_name}` cannot be an id written bare in a header: use letters, digits, `_` and `-`"
        )));
    }
    let Some(analysis) = at.analysis() else {
        return reply(None::<WorkspaceEdit>);
    };
    let facts = analysis.facts.as_ref();
    let schema = &analysis.rules.schema;
    let kind_name = schema
        .entity(entity.kind)
        .map(|def| def.name.clone())
        .unwrap_or_default();
    if facts.is_some_and(|facts| facts.lookup(entity.kind, &new_name).is_some()) {
        return Err(Failure::refused(format!(
            "the proposal has a `{kind_name}` called `{new_name}` already"
        )));
    }
    let text = at.text();
    let old_name = header.text(text).to_owned();
    let mut spans: Vec<(Span, String)> = vec![(header, new_name.clone())];
    spans.extend(
        uses(text, analysis, entity)
            .into_iter()
            .map(|s| (s, new_name.clone())),
    );
    // `[[allow]]` entries name entities as `kind.id` in text.
    let written = format!("{kind_name}.{old_name}");
    if let Some(facts) = facts {
        for (_, _, value, span) in values(analysis) {
            if let Value::Text(sym) = value
                && facts.strings.resolve(*sym) == written
            {
                let inner = unquoted(text, span);
                if inner.text(text) == written {
                    spans.push((inner, format!("{kind_name}.{new_name}")));
                }
            }
        }
    }
    spans.sort_by_key(|(span, _)| (span.start, span.end));
    spans.dedup_by_key(|(span, _)| *span);
    let index = lacuna_report::LineIndex::new(text);
    let edits: Vec<TextEdit> = spans
        .into_iter()
        .map(|(span, new_text)| TextEdit {
            range: span_range(&index, span, at.encoding),
            new_text,
        })
        .collect();
    // The protocol's type for the changes; one entry, so no order to keep.
    #[allow(clippy::mutable_key_type)]
    let mut changes = HashMap::new();
    changes.insert(at.snapshot.document.uri.clone(), edits);
    reply(WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    })
}

/// The entity whose id is at the position, and the span of the id in its
/// header; or why it cannot be renamed.
fn renamable(at: &At) -> Result<(EntityRef, Span), Failure> {
    let nothing = || Failure::refused("there is no entity id here to rename".to_owned());
    let analysis = at.analysis().ok_or_else(nothing)?;
    let kind = at.snapshot.document.kind().ok_or_else(nothing)?;
    let found = symbol_at(kind, at.text(), analysis, at.offset).ok_or_else(nothing)?;
    let Symbol::Entity(entity) = found.symbol else {
        return Err(nothing());
    };
    let errors = analysis.problems.iter().any(|problem| {
        problem.primary.source == analysis.source
            && problem.severity == lacuna_syntax::ast::Severity::Error
    });
    if errors {
        return Err(Failure::refused(
            "the proposal has errors: fix them first, since what could not be read may name the entity too"
                .to_owned(),
        ));
    }
    let header = entity_id_span(at.text(), analysis, entity).ok_or_else(|| {
        Failure::refused("this entity has no id to rename: only keyed entities do".to_owned())
    })?;
    // An id written with escapes or quotes in its header is not the id's
    // text, and editing it in place would not rename it.
    let written = header.text(at.text());
    if !written
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(Failure::refused(format!(
            "`{written}` is quoted in its header; rename it by hand"
        )));
    }
    Ok((entity, header))
}
