//! `textDocument/formatting`: a `.norm` file in the canonical style, as one
//! edit replacing the whole document.
//!
//! A file with syntax errors is left as it is: formatting what could be
//! parsed would drop what could not.

use lsp_types::request::{Formatting, Request};
use lsp_types::{DocumentFormattingParams, Range, TextEdit};

use crate::document::Kind;
use crate::position::position;
use crate::server::State;

pub(crate) fn handle(
    state: &mut State,
    params: serde_json::Value,
) -> Result<serde_json::Value, String> {
    let params: DocumentFormattingParams = super::params(Formatting::METHOD, params)?;
    let edits = edits(state, &params);
    serde_json::to_value(edits).map_err(|error| error.to_string())
}

fn edits(state: &State, params: &DocumentFormattingParams) -> Option<Vec<TextEdit>> {
    let document = state.document(&params.text_document.uri)?;
    if document.kind() != Kind::Rules {
        return None;
    }
    let text = document.text.as_str();
    let (ast, errors) = lacuna_syntax::parse(text);
    if !errors.is_empty() {
        return None;
    }
    // The formatter reads comments and blank lines from the text, where a
    // lone `\r` ends a line as `\n` does.
    let formatted = lacuna_syntax::format(&ast, &lacuna_syntax::lone_cr_as_lf(text));
    if formatted == text {
        return Some(Vec::new());
    }
    let index = lacuna_report::LineIndex::new(text);
    let range = Range {
        start: position(&index, 0, state.encoding),
        end: position(&index, text.len(), state.encoding),
    };
    Some(vec![TextEdit {
        range,
        new_text: formatted,
    }])
}
