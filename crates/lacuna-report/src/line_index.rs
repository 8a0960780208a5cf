//! Byte offsets to lines and columns.
//!
//! Spans are byte offsets; people and tools want lines and columns, and they
//! disagree on how to count columns. Terminals, `concise`, `github` and `json`
//! count Unicode scalar values (what a person calls characters), while the
//! Language Server Protocol and SARIF count UTF-16 code units, in which a
//! character outside the Basic Multilingual Plane takes two.
//!
//! A line ends at `\n`, at `\r\n` or at a lone `\r`, as the Language Server
//! Protocol defines it, so that every format agrees with the editor showing
//! the file. The terminator belongs to the line it ends.

/// A position for people: 1-based line, 1-based column counted in Unicode
/// scalar values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineColumn {
    pub line: usize,
    pub column: usize,
}

/// A position for editors: 0-based line, 0-based character offset counted in
/// UTF-16 code units, as the Language Server Protocol requires.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Utf16Position {
    pub line: usize,
    pub character: usize,
}

/// The start of every line of one text, for turning byte offsets into
/// positions in `O(log lines + line length)`.
#[derive(Clone, Debug)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of the first character of each line; never empty, and
    /// the first entry is 0.
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'\n' => line_starts.push(i + 1),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    line_starts.push(i + 2);
                    i += 1;
                }
                b'\r' => line_starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex { text, line_starts }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// How many lines the text has: an empty text has one, and a text ending
    /// in a line terminator has an empty last line.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The byte offset where the 0-based `line` starts, if the text has it.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line).copied()
    }

    /// The largest character boundary at or before `offset`, within the text.
    pub fn floor_boundary(&self, offset: usize) -> usize {
        self.text.floor_char_boundary(offset)
    }

    /// The smallest character boundary at or after `offset`, within the text.
    pub fn ceil_boundary(&self, offset: usize) -> usize {
        self.text.ceil_char_boundary(offset)
    }

    /// The position of the byte `offset`: 1-based line and column, the column
    /// counted in Unicode scalar values. An offset past the end counts as the
    /// end of the text; one inside a character as the start of that character.
    pub fn line_column(&self, offset: usize) -> LineColumn {
        let (line, prefix) = self.line_prefix(offset);
        LineColumn {
            line: line + 1,
            column: prefix.chars().count() + 1,
        }
    }

    /// The position of the byte `offset` as the Language Server Protocol
    /// counts it: 0-based line, 0-based character in UTF-16 code units.
    pub fn utf16_position(&self, offset: usize) -> Utf16Position {
        let (line, prefix) = self.line_prefix(offset);
        Utf16Position {
            line,
            character: prefix.chars().map(char::len_utf16).sum(),
        }
    }

    /// The 0-based line holding `offset` and the part of that line before
    /// it. An offset between the `\r` and the `\n` of a line break stays on
    /// the line the break ends, after its last character.
    fn line_prefix(&self, offset: usize) -> (usize, &'a str) {
        let offset = self.floor_boundary(offset);
        let line = self
            .line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1);
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let prefix = self.text.get(start..offset).unwrap_or("");
        // A line's text never includes its terminator, so an offset pointing
        // into the terminator counts as the end of the line's text.
        let prefix = prefix.strip_suffix('\r').unwrap_or(prefix);
        (line, prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lc(line: usize, column: usize) -> LineColumn {
        LineColumn { line, column }
    }

    fn u16(line: usize, character: usize) -> Utf16Position {
        Utf16Position { line, character }
    }

    #[test]
    fn empty_text_has_one_line() {
        let index = LineIndex::new("");
        assert_eq!(index.line_count(), 1);
        assert_eq!(index.line_column(0), lc(1, 1));
        assert_eq!(index.line_column(10), lc(1, 1));
        assert_eq!(index.utf16_position(0), u16(0, 0));
    }

    #[test]
    fn lf_lines() {
        let text = "ab\ncd\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        assert_eq!(index.line_column(0), lc(1, 1));
        assert_eq!(
            index.line_column(2),
            lc(1, 3),
            "the newline itself ends line 1"
        );
        assert_eq!(index.line_column(3), lc(2, 1));
        assert_eq!(index.line_column(4), lc(2, 2));
        assert_eq!(
            index.line_column(6),
            lc(3, 1),
            "the end after a final newline"
        );
        assert_eq!(index.utf16_position(4), u16(1, 1));
    }

    #[test]
    fn crlf_lines() {
        let text = "ab\r\ncd\r\nef";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        assert_eq!(index.line_start(1), Some(4));
        assert_eq!(index.line_start(2), Some(8));
        assert_eq!(index.line_column(2), lc(1, 3), "`\\r` ends line 1");
        assert_eq!(
            index.line_column(3),
            lc(1, 3),
            "inside `\\r\\n` stays on line 1"
        );
        assert_eq!(index.line_column(4), lc(2, 1));
        assert_eq!(index.line_column(9), lc(3, 2));
        assert_eq!(index.utf16_position(3), u16(0, 2));
        assert_eq!(index.utf16_position(8), u16(2, 0));
    }

    #[test]
    fn lone_carriage_return_ends_a_line() {
        let index = LineIndex::new("a\rb\n\rc");
        assert_eq!(index.line_count(), 4);
        assert_eq!(index.line_column(2), lc(2, 1));
        assert_eq!(
            index.line_column(4),
            lc(3, 1),
            "an empty line between `\\n` and `\\r`"
        );
        assert_eq!(index.line_column(5), lc(4, 1));
    }

    #[test]
    fn tabs_count_as_one_column() {
        let index = LineIndex::new("\t\tx = 1");
        assert_eq!(index.line_column(2), lc(1, 3));
        assert_eq!(index.utf16_position(2), u16(0, 2));
    }

    #[test]
    fn multi_byte_characters() {
        // `é` takes two bytes and one UTF-16 unit, `→` three bytes and one
        // unit, `😀` four bytes and two units (a surrogate pair).
        let text = "é→😀x\nÿ";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(x, 9);
        assert_eq!(index.line_column(x), lc(1, 4));
        assert_eq!(index.utf16_position(x), u16(0, 4));
        let emoji = text.find('😀').unwrap();
        assert_eq!(index.line_column(emoji), lc(1, 3));
        assert_eq!(index.utf16_position(emoji), u16(0, 2));
        let second = text.find('ÿ').unwrap();
        assert_eq!(index.line_column(second + 2), lc(2, 2));
        assert_eq!(index.utf16_position(second + 2), u16(1, 1));
    }

    #[test]
    fn offsets_inside_a_character_round_down() {
        let text = "a😀b";
        let index = LineIndex::new(text);
        for offset in 2..5 {
            assert_eq!(index.line_column(offset), lc(1, 2));
            assert_eq!(index.utf16_position(offset), u16(0, 1));
        }
        assert_eq!(index.line_column(5), lc(1, 3));
        assert_eq!(index.utf16_position(5), u16(0, 3));
        assert_eq!(index.floor_boundary(3), 1);
        assert_eq!(index.ceil_boundary(3), 5);
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        let text = "ab\r\nçd";
        let index = LineIndex::new(text);
        assert_eq!(index.line_column(usize::MAX), lc(2, 3));
        assert_eq!(index.utf16_position(1000), u16(1, 2));
        assert_eq!(index.ceil_boundary(1000), text.len());
    }

    #[test]
    fn non_ascii_after_crlf() {
        let text = "name = \"Ağrı\"\r\nnote = \"𝔘nicode\"\r\n";
        let index = LineIndex::new(text);
        let end_of_name = text.find("\"\r").unwrap();
        assert_eq!(index.line_column(end_of_name), lc(1, 13));
        assert_eq!(index.utf16_position(end_of_name), u16(0, 12));
        let after_math = text.find("nicode").unwrap();
        assert_eq!(index.line_column(after_math), lc(2, 10));
        assert_eq!(index.utf16_position(after_math), u16(1, 10));
    }
}
