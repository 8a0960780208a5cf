//! `textDocument/rangeFormatting`: the changes of the canonical style that
//! touch the range.
//!
//! The formatter works on whole files, so the file is formatted and
//! compared with its text line by line; every changed block of lines that
//! overlaps the requested lines becomes an edit, and the others are left
//! alone. Each block replaces whole lines, so any subset of them applies
//! cleanly.

use lsp_types::request::{RangeFormatting, Request};
use lsp_types::{DocumentRangeFormattingParams, Range, TextEdit};
use similar::{DiffOp, TextDiff};

use super::formatting::formatted;
use super::{Failure, reply, request_params};
use crate::position::position;
use crate::worker::Worker;

pub(crate) fn handle(
    worker: &mut Worker<'_>,
    params: serde_json::Value,
) -> Result<serde_json::Value, Failure> {
    let params: DocumentRangeFormattingParams = request_params(RangeFormatting::METHOD, params)?;
    let encoding = worker.encoding();
    let Some((text, canonical)) = formatted(worker, &params.text_document.uri) else {
        return reply(None::<Vec<TextEdit>>);
    };
    let first = params.range.start.line as usize;
    // A range ending at the start of a line does not take that line in.
    let last = if params.range.end.character == 0 && params.range.end.line > params.range.start.line
    {
        params.range.end.line as usize - 1
    } else {
        params.range.end.line as usize
    };
    let index = lacuna_report::LineIndex::new(&text);
    let new_lines: Vec<&str> = canonical.split_inclusive('\n').collect();
    let diff = TextDiff::from_lines(text.as_ref(), canonical.as_str());
    let mut edits = Vec::new();
    for op in diff.ops() {
        let (old, new) = match *op {
            DiffOp::Equal { .. } => continue,
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => (old_index..old_index + old_len, new_index..new_index),
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => (old_index..old_index, new_index..new_index + new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (
                old_index..old_index + old_len,
                new_index..new_index + new_len,
            ),
        };
        // Lines first..=last overlap old lines (an insertion touches the
        // line it goes before).
        let touches = old.start <= last && first < old.end.max(old.start + 1);
        if !touches {
            continue;
        }
        let start = line_start(&index, old.start, text.len());
        let end = line_start(&index, old.end, text.len());
        let new_text: String = new_lines.get(new).unwrap_or_default().concat();
        edits.push(TextEdit {
            range: Range {
                start: position(&index, start, encoding),
                end: position(&index, end, encoding),
            },
            new_text,
        });
    }
    reply(edits)
}

fn line_start(index: &lacuna_report::LineIndex<'_>, line: usize, len: usize) -> usize {
    index.line_start(line).unwrap_or(len)
}
