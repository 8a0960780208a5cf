//! Byte offsets as protocol positions, in the encoding the client and the
//! server agreed on.
//!
//! The protocol counts a position's character in UTF-16 code units unless
//! the client offers another encoding at initialization; the server takes
//! UTF-8 when offered, since it is what the texts are stored in.

use lacuna_report::LineIndex;
use lsp_types::{Position, PositionEncodingKind, Range};

/// How the `character` of a position is counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    #[default]
    Utf16,
}

impl Encoding {
    /// The encoding to use given the ones the client supports, in its order
    /// of preference; UTF-16 when it names none the server knows.
    pub fn negotiate(offered: &[PositionEncodingKind]) -> Encoding {
        offered
            .iter()
            .find_map(|kind| {
                if *kind == PositionEncodingKind::UTF8 {
                    Some(Encoding::Utf8)
                } else if *kind == PositionEncodingKind::UTF16 {
                    Some(Encoding::Utf16)
                } else {
                    None
                }
            })
            .unwrap_or_default()
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }
}

/// The position of the byte `offset` of the text `index` was built from.
pub(crate) fn position(index: &LineIndex<'_>, offset: usize, encoding: Encoding) -> Position {
    let at = index.utf16_position(offset);
    match encoding {
        Encoding::Utf16 => utf16(at),
        Encoding::Utf8 => {
            // The UTF-16 position already settled the line, including an
            // offset inside a `\r\n`; the bytes before the offset on that
            // line, without a terminator, are the UTF-8 character.
            let offset = index.floor_boundary(offset);
            let start = index.line_start(at.line).unwrap_or(0).min(offset);
            let prefix = index.text().get(start..offset).unwrap_or("");
            let prefix = prefix.strip_suffix('\r').unwrap_or(prefix);
            Position {
                line: saturate(at.line),
                character: saturate(prefix.len()),
            }
        }
    }
}

/// The range of the byte span `start..end` of the text `index` was built from.
pub(crate) fn span_range(
    index: &LineIndex<'_>,
    span: lacuna_syntax::Span,
    encoding: Encoding,
) -> Range {
    Range {
        start: position(index, span.start as usize, encoding),
        end: position(index, span.end as usize, encoding),
    }
}

/// The byte offset of a protocol position in the text `index` was built
/// from. A character past the end of its line means the end of the line,
/// and a line past the end of the text the end of the text, as the
/// protocol asks; a position inside a character counts as its start.
pub(crate) fn offset(index: &LineIndex<'_>, at: Position, encoding: Encoding) -> usize {
    let text = index.text();
    let Some(start) = index.line_start(at.line as usize) else {
        return text.len();
    };
    let line = text.get(start..).unwrap_or("");
    let mut units = 0usize;
    let wanted = at.character as usize;
    for (i, c) in line.char_indices() {
        if c == '\n' || c == '\r' || units >= wanted {
            return start + i;
        }
        let width = match encoding {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        };
        if units + width > wanted {
            return start + i;
        }
        units += width;
    }
    text.len()
}

fn utf16(at: lacuna_report::Utf16Position) -> Position {
    Position {
        line: saturate(at.line),
        character: saturate(at.character),
    }
}

/// Protocol positions are 32-bit; a text too long for them is pinned to the
/// largest one rather than wrapped around.
fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_and_utf16_count_characters_differently() {
        let text = "a = \"été 🌍\"\r\nb";
        let index = LineIndex::new(text);
        let quote = text.rfind('"').unwrap();
        assert_eq!(
            position(&index, quote, Encoding::Utf16),
            Position::new(0, 11)
        );
        assert_eq!(
            position(&index, quote, Encoding::Utf8),
            Position::new(0, 15)
        );
        let inside_break = text.find('\n').unwrap();
        assert_eq!(
            position(&index, inside_break, Encoding::Utf8),
            Position::new(0, 16)
        );
        assert_eq!(
            position(&index, text.len(), Encoding::Utf8),
            Position::new(1, 1)
        );
    }

    #[test]
    fn offsets_invert_positions_on_lines_with_wide_characters() {
        let text = "a = \"🌍 東京 e\u{301}\"\r\nb = 1\n";
        let index = LineIndex::new(text);
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            for (at, _) in text.char_indices().filter(|(_, c)| *c != '\n') {
                let p = position(&index, at, encoding);
                assert_eq!(offset(&index, p, encoding), at, "{encoding:?} at {at}");
            }
            // Past the end of a line is its end; past the last line, the text's.
            let end_of_first = text.find('\r').unwrap();
            assert_eq!(offset(&index, Position::new(0, 99), encoding), end_of_first);
            assert_eq!(offset(&index, Position::new(9, 0), encoding), text.len());
        }
        // Inside the globe's surrogate pair is the start of the globe.
        let globe = text.find('🌍').unwrap();
        assert_eq!(offset(&index, Position::new(0, 6), Encoding::Utf16), globe);
    }

    #[test]
    fn the_first_known_encoding_offered_wins() {
        let offered = [
            PositionEncodingKind::UTF32,
            PositionEncodingKind::UTF8,
            PositionEncodingKind::UTF16,
        ];
        assert_eq!(Encoding::negotiate(&offered), Encoding::Utf8);
        assert_eq!(
            Encoding::negotiate(&[PositionEncodingKind::UTF32]),
            Encoding::Utf16
        );
        assert_eq!(Encoding::negotiate(&[]), Encoding::Utf16);
    }
}
