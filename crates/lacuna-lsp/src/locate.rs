//! Spans as protocol locations: in the document, or in a rule file on disk.

use std::sync::Arc;

use lacuna_model::Origin;
use lacuna_report::LineIndex;
use lsp_types::{Location, TextDocumentPositionParams};

use crate::analyzer::Analysis;
use crate::document::uri_of;
use crate::position::{Encoding, offset, span_range};
use crate::worker::{Snapshot, Worker};

/// The snapshot of the document a position is in, with the analysis and the
/// byte offset of the position.
pub(crate) struct At {
    pub snapshot: Arc<Snapshot>,
    pub offset: usize,
    pub encoding: Encoding,
}

impl At {
    pub fn analysis(&self) -> Option<&Analysis> {
        self.snapshot.analysis.as_ref()
    }

    pub fn text(&self) -> &str {
        &self.snapshot.document.text
    }
}

pub(crate) fn at(worker: &mut Worker<'_>, params: &TextDocumentPositionParams) -> Option<At> {
    let snapshot = worker.snapshot(&params.text_document.uri)?;
    let encoding = worker.encoding();
    let index = LineIndex::new(&snapshot.document.text);
    let offset = offset(&index, params.position, encoding);
    Some(At {
        snapshot,
        offset,
        encoding,
    })
}

/// Where `origin` is: in the document itself, or in a rule file that has a
/// file on disk. Standard rules without one have no location.
pub(crate) fn location(
    snapshot: &Snapshot,
    analysis: &Analysis,
    origin: Origin,
    encoding: Encoding,
) -> Option<Location> {
    if origin.source == analysis.source {
        let index = LineIndex::new(&snapshot.document.text);
        return Some(Location {
            uri: snapshot.document.uri.clone(),
            range: span_range(&index, origin.span, encoding),
        });
    }
    let path = analysis.rules.paths.get(&origin.source)?;
    let text = analysis.sources.text(origin.source);
    let index = LineIndex::new(text);
    Some(Location {
        uri: uri_of(path)?,
        range: span_range(&index, origin.span, encoding),
    })
}
