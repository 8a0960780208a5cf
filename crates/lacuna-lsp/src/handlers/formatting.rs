//! `textDocument/formatting`: a `.norm` file in the canonical style, as one
//! edit replacing the whole document.
//!
//! A file with syntax errors is left as it is: formatting what could be
//! parsed would drop what could not.

use lsp_types::request::{Formatting, Request};
use lsp_types::{DocumentFormattingParams, Range, TextEdit, Uri};

use super::{Failure, reply, request_params};
use crate::analyzer::DocumentKind;
use crate::position::position;
use crate::worker::Worker;

pub(crate) fn handle(
    worker: &mut Worker<'_>,
    params: serde_json::Value,
) -> Result<serde_json::Value, Failure> {
    let params: DocumentFormattingParams = request_params(Formatting::METHOD, params)?;
    let edits = formatted(worker, &params.text_document.uri).map(|(text, formatted)| {
        if formatted == *text {
            return Vec::new();
        }
        let index = lacuna_report::LineIndex::new(&text);
        let range = Range {
            start: position(&index, 0, worker.encoding()),
            end: position(&index, text.len(), worker.encoding()),
        };
        vec![TextEdit {
            range,
            new_text: formatted,
        }]
    });
    reply(edits)
}

/// The text of a rule file and its canonical form; `None` for other
/// documents and for rule files with syntax errors.
pub(crate) fn formatted(
    worker: &mut Worker<'_>,
    uri: &Uri,
) -> Option<(std::sync::Arc<str>, String)> {
    let snapshot = worker.snapshot(uri)?;
    let document = &snapshot.document;
    if document.kind() != Some(DocumentKind::Rules) {
        return None;
    }
    let text = &document.text;
    let (ast, errors) = lacuna_syntax::parse(text);
    if !errors.is_empty() {
        return None;
    }
    // The formatter reads comments and blank lines from the text, where a
    // lone `\r` ends a line as `\n` does.
    let formatted = lacuna_syntax::format(&ast, &lacuna_syntax::lone_cr_as_lf(text));
    Some((std::sync::Arc::clone(text), formatted))
}
