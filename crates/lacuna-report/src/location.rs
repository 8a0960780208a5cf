//! Origins (a source and a byte span) resolved to files, lines and columns.

use std::sync::OnceLock;

use lacuna_model::{Origin, SourceDb, SourceId};
use lacuna_syntax::Span;

use crate::line_index::{LineColumn, LineIndex, Utf16Position};

/// Where an origin points, in every unit a format may need.
///
/// The byte span is clamped to the text and widened to character
/// boundaries, so a stale or malformed span still yields a valid location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location<'a> {
    pub source: SourceId,
    /// The file name as the source database holds it: a path as given.
    pub file: &'a str,
    /// Half-open byte range into the text, `start <= end`.
    pub start_byte: usize,
    pub end_byte: usize,
    /// 1-based line and column (Unicode scalar values) of the first character.
    pub start: LineColumn,
    /// 1-based line and column just past the last character (exclusive end).
    pub end: LineColumn,
    /// The same two positions as the Language Server Protocol counts them.
    pub start_utf16: Utf16Position,
    pub end_utf16: Utf16Position,
}

/// Resolves origins against one source database. Each text is indexed the
/// first time an origin points into it, and once only: a run that reports
/// nothing about a large proposal never reads it again.
#[derive(Clone, Debug)]
pub struct Locator<'a> {
    sources: &'a SourceDb,
    /// One slot per source of the database, filled on first use.
    indexes: Vec<OnceLock<LineIndex<'a>>>,
    /// Stands in for the text of a source the database does not hold.
    missing: LineIndex<'a>,
}

impl<'a> Locator<'a> {
    pub fn new(sources: &'a SourceDb) -> Locator<'a> {
        Locator {
            sources,
            indexes: sources.iter().map(|_| OnceLock::new()).collect(),
            missing: LineIndex::new(""),
        }
    }

    pub fn sources(&self) -> &'a SourceDb {
        self.sources
    }

    /// The line index of a source; an empty one for an unknown source.
    pub fn line_index(&self, source: SourceId) -> &LineIndex<'a> {
        match self.indexes.get(source.0 as usize) {
            Some(cell) => cell.get_or_init(|| LineIndex::new(self.sources.text(source))),
            None => &self.missing,
        }
    }

    pub fn locate(&self, origin: Origin) -> Location<'a> {
        let index = self.line_index(origin.source);
        let (start_byte, end_byte) = clamp_span(index.text(), origin.span);
        Location {
            source: origin.source,
            file: self.sources.name(origin.source),
            start_byte,
            end_byte,
            start: index.line_column(start_byte),
            end: index.line_column(end_byte),
            start_utf16: index.utf16_position(start_byte),
            end_utf16: index.utf16_position(end_byte),
        }
    }

    /// The first and the exclusive last line and column of an origin: the
    /// `start` and `end` of [`Locator::locate`], without the rest.
    pub fn start_end(&self, origin: Origin) -> (LineColumn, LineColumn) {
        let index = self.line_index(origin.source);
        let (start_byte, end_byte) = clamp_span(index.text(), origin.span);
        (index.line_column(start_byte), index.line_column(end_byte))
    }

    /// The line and column where an origin starts: the `start` of
    /// [`Locator::locate`], without the rest.
    pub fn start(&self, origin: Origin) -> LineColumn {
        self.line_index(origin.source)
            .line_column(origin.span.start as usize)
    }
}

/// Clamps a byte range to the text: the start rounds down and the end up to
/// a character boundary, and an empty or reversed range collapses onto its
/// start.
pub(crate) fn clamp_span(text: &str, span: Span) -> (usize, usize) {
    let first = text.floor_char_boundary(span.start as usize);
    if span.end <= span.start {
        return (first, first);
    }
    (first, text.ceil_char_boundary(span.end as usize))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_spans_are_clamped() {
        let mut sources = SourceDb::new();
        let id = sources.add("a.toml", "x = \"é\"\n");
        let locator = Locator::new(&sources);
        let inside = locator.locate(Origin {
            source: id,
            span: Span::new(6, 6),
        });
        assert_eq!((inside.start_byte, inside.end_byte), (5, 5));
        let split = locator.locate(Origin {
            source: id,
            span: Span::new(6, 6 + 1),
        });
        assert_eq!((split.start_byte, split.end_byte), (5, 7));
        let reversed = locator.locate(Origin {
            source: id,
            span: Span::new(4, 2),
        });
        assert_eq!((reversed.start_byte, reversed.end_byte), (4, 4));
        let past = locator.locate(Origin {
            source: id,
            span: Span::new(90, 100),
        });
        assert_eq!((past.start_byte, past.end_byte), (9, 9));
        assert_eq!(past.start.line, 2);
    }

    #[test]
    fn unknown_source_points_at_the_start() {
        let sources = SourceDb::new();
        let locator = Locator::new(&sources);
        let location = locator.locate(Origin {
            source: SourceId(7),
            span: Span::new(3, 8),
        });
        assert_eq!(location.file, "<unknown>");
        assert_eq!((location.start_byte, location.end_byte), (0, 0));
        assert_eq!(location.start, LineColumn { line: 1, column: 1 });
    }
}
