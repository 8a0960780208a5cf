//! `textDocument/foldingRange`: each table of a proposal and each
//! declaration of a rule file that spans more than one line.

use lacuna_report::LineIndex;
use lsp_types::request::{FoldingRangeRequest, Request};
use lsp_types::{FoldingRange, FoldingRangeParams};

use super::{Failure, reply, request_params};
use crate::outline::{Node, outline};
use crate::worker::Worker;

pub(crate) fn handle(
    worker: &mut Worker<'_>,
    params: serde_json::Value,
) -> Result<serde_json::Value, Failure> {
    let params: FoldingRangeParams = request_params(FoldingRangeRequest::METHOD, params)?;
    let Some(snapshot) = worker.snapshot(&params.text_document.uri) else {
        return reply(None::<Vec<FoldingRange>>);
    };
    let Some(kind) = snapshot.document.kind() else {
        return reply(None::<Vec<FoldingRange>>);
    };
    let text = &snapshot.document.text;
    let index = LineIndex::new(text);
    let mut ranges = Vec::new();
    for node in outline(kind, text, snapshot.analysis.as_ref()) {
        fold(&index, &node, &mut ranges);
    }
    ranges.sort_by_key(|range| (range.start_line, range.end_line));
    reply(ranges)
}

fn fold(index: &LineIndex<'_>, node: &Node, out: &mut Vec<FoldingRange>) {
    // Lines do not depend on the encoding of characters.
    let start = index.utf16_position(node.span.start as usize).line;
    let end = index.utf16_position(node.span.end as usize).line;
    if end > start {
        out.push(FoldingRange {
            start_line: u32::try_from(start).unwrap_or(u32::MAX),
            end_line: u32::try_from(end).unwrap_or(u32::MAX),
            collapsed_text: Some(node.name.clone()),
            ..FoldingRange::default()
        });
    }
    for child in &node.children {
        fold(index, child, out);
    }
}
