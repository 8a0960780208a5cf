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

use std::sync::Arc;

use rayon::prelude::*;

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

/// The start of every line of one text, and running character counts, for
/// turning byte offsets into positions in `O(log lines)`.
///
/// A column is the number of characters between the start of a line and an
/// offset. Counting them on every lookup costs the length of the line, which
/// makes many positions on one long line (a minified proposal) quadratic. The
/// table instead keeps, every [`BLOCK`] bytes, how many characters and UTF-16
/// code units come before that point, so a column is a difference of two
/// counts, each at most one block from a checkpoint. A text in ASCII needs no
/// checkpoints: its columns are byte distances.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineTable {
    /// Byte offset of the first character of each line; never empty, and
    /// the first entry is 0.
    line_starts: Vec<usize>,
    /// Characters and UTF-16 code units before each multiple of [`BLOCK`];
    /// empty for an ASCII text.
    checkpoints: Vec<(usize, usize)>,
}

/// The distance between two checkpoints of a [`LineTable`], in bytes.
const BLOCK: usize = 256;

/// How long a text must be for its table to be built on several threads.
const PARALLEL_BYTES: usize = 1 << 22;
/// The part of a text one thread reads at a time: a multiple of [`BLOCK`].
const PART: usize = 1 << 20;

/// What one part of a text adds to its [`LineTable`].
struct Part {
    /// The starts of the lines that begin after a terminator in the part.
    line_starts: Vec<usize>,
    ascii: bool,
    /// The characters and code units of each block of the part, when it
    /// is not ASCII and was asked to count them.
    blocks: Option<Vec<(usize, usize)>>,
}

impl Part {
    /// The part `chunk` of `bytes`, which starts at `start`; its blocks
    /// are counted when `count_blocks` and it is not ASCII.
    fn read(bytes: &[u8], start: usize, chunk: &[u8], count_blocks: bool) -> Part {
        let mut line_starts = Vec::new();
        if memchr::memchr(b'\r', chunk).is_none() {
            // The common case, and a faster search.
            line_starts.extend(memchr::memchr_iter(b'\n', chunk).map(|i| start + i + 1));
        } else {
            // Every `\n` and every `\r` ends a line, except the `\r` of
            // `\r\n`: the `\n` after it, maybe in the next part, ends that line.
            for i in memchr::memchr2_iter(b'\n', b'\r', chunk).map(|i| start + i) {
                if bytes.get(i) == Some(&b'\r') && bytes.get(i + 1) == Some(&b'\n') {
                    continue;
                }
                line_starts.push(i + 1);
            }
        }
        let ascii = chunk.is_ascii();
        let blocks = (count_blocks && !ascii).then(|| block_counts(chunk));
        Part {
            line_starts,
            ascii,
            blocks,
        }
    }
}

/// The characters and UTF-16 code units of each [`BLOCK`] of `bytes`.
fn block_counts(bytes: &[u8]) -> Vec<(usize, usize)> {
    bytes.chunks(BLOCK).map(count).collect()
}

impl LineTable {
    pub fn new(text: &str) -> LineTable {
        let parts = if text.len() >= PARALLEL_BYTES && rayon::current_num_threads() > 1 {
            PART
        } else {
            text.len().max(1)
        };
        LineTable::in_parts(text, parts)
    }

    /// The table of `text`, read in parts of `part` bytes (a multiple of
    /// [`BLOCK`] unless it is the whole text), on several threads when
    /// there is more than one; the same table however it is cut.
    fn in_parts(text: &str, part: usize) -> LineTable {
        let bytes = text.as_bytes();
        // Parts read on other threads count their blocks there.
        let count_blocks = part < bytes.len();
        let read = |(i, chunk): (usize, &[u8])| Part::read(bytes, i * part, chunk, count_blocks);
        let parts: Vec<Part> = if part < bytes.len() {
            bytes.par_chunks(part).enumerate().map(read).collect()
        } else {
            vec![Part::read(bytes, 0, bytes, false)]
        };
        let lines = 1 + parts.iter().map(|p| p.line_starts.len()).sum::<usize>();
        let mut line_starts = Vec::with_capacity(lines);
        line_starts.push(0);
        for p in &parts {
            line_starts.extend_from_slice(&p.line_starts);
        }
        let mut checkpoints = Vec::new();
        if !parts.iter().all(|p| p.ascii) {
            let (mut chars, mut units) = (0, 0);
            for (p, chunk) in parts.iter().zip(bytes.chunks(part.max(1))) {
                let blocks = p.blocks.clone().unwrap_or_else(|| block_counts(chunk));
                for (c, u) in blocks {
                    checkpoints.push((chars, units));
                    chars += c;
                    units += u;
                }
            }
            checkpoints.push((chars, units));
        }
        LineTable {
            line_starts,
            checkpoints,
        }
    }

    /// How many lines the text has.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The byte offset where the 0-based `line` starts, if the text has it.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line).copied()
    }

    /// The 0-based line holding the byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// Characters and UTF-16 code units of `text` before the byte `offset`,
    /// which must be a character boundary of `text`, the text of the table.
    fn counts_before(&self, text: &str, offset: usize) -> (usize, usize) {
        if self.checkpoints.is_empty() {
            return (offset, offset);
        }
        let block = offset / BLOCK;
        let (chars, units) = self.checkpoints.get(block).copied().unwrap_or_default();
        let rest = text
            .as_bytes()
            .get(block * BLOCK..offset)
            .unwrap_or_default();
        let (c, u) = count(rest);
        (chars + c, units + u)
    }

    /// The 0-based line of `offset` in `text`, with the characters and
    /// UTF-16 code units before it on that line. An offset inside a
    /// character counts as the start of that character, one past the end as
    /// the end, and one between the `\r` and the `\n` of a line break as the
    /// end of the line's text.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize, usize) {
        let mut offset = text.floor_char_boundary(offset);
        let line = self.line_of(offset);
        let start = self.line_starts.get(line).copied().unwrap_or(0).min(offset);
        // A line's text never includes its terminator.
        if offset > start && text.as_bytes().get(offset - 1) == Some(&b'\r') {
            offset -= 1;
        }
        let (c0, u0) = self.counts_before(text, start);
        let (c1, u1) = self.counts_before(text, offset);
        (line, c1 - c0, u1 - u0)
    }

    /// The byte offset of the end of the 0-based `line`'s text, before its
    /// terminator.
    pub fn line_end(&self, text: &str, line: usize) -> usize {
        let end = self
            .line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(text.len());
        let start = self.line_starts.get(line).copied().unwrap_or(end);
        let content = text.get(start..end).unwrap_or_default();
        start + content.trim_end_matches(['\r', '\n']).len()
    }
}

/// Characters and UTF-16 code units in `bytes`, a piece of UTF-8 that may
/// start or end inside a character: every byte that is not a continuation
/// byte starts a character, and one of four bytes takes two UTF-16 units.
fn count(bytes: &[u8]) -> (usize, usize) {
    let mut chars = 0;
    let mut units = 0;
    for &b in bytes {
        if b & 0xC0 != 0x80 {
            chars += 1;
            units += if b >= 0xF0 { 2 } else { 1 };
        }
    }
    (chars, units)
}

/// A text with its [`LineTable`], for turning byte offsets into positions.
#[derive(Clone, Debug)]
pub struct LineIndex<'a> {
    text: &'a str,
    table: Arc<LineTable>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        LineIndex {
            text,
            table: Arc::new(LineTable::new(text)),
        }
    }

    /// The index of `text` with a table already built for it.
    pub fn with_table(text: &'a str, table: Arc<LineTable>) -> LineIndex<'a> {
        LineIndex { text, table }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The table, to share with others who read the same text.
    pub fn table(&self) -> &Arc<LineTable> {
        &self.table
    }

    /// How many lines the text has: an empty text has one, and a text ending
    /// in a line terminator has an empty last line.
    pub fn line_count(&self) -> usize {
        self.table.line_count()
    }

    /// The byte offset where the 0-based `line` starts, if the text has it.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.table.line_start(line)
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
        let (line, chars, _) = self.table.position(self.text, offset);
        LineColumn {
            line: line + 1,
            column: chars + 1,
        }
    }

    /// The position of the byte `offset` as the Language Server Protocol
    /// counts it: 0-based line, 0-based character in UTF-16 code units.
    pub fn utf16_position(&self, offset: usize) -> Utf16Position {
        let (line, _, units) = self.table.position(self.text, offset);
        Utf16Position {
            line,
            character: units,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lc(line: usize, column: usize) -> LineColumn {
        LineColumn { line, column }
    }

    proptest::proptest! {
        /// A table read in parts of one or more blocks, on any thread, is
        /// the table read in one piece: line breaks (`\r\n` too) and
        /// characters that straddle two parts are counted once.
        #[test]
        fn parts_make_the_table_one_reading_makes(
            text in r"(a|\n|\r|\r\n|é|😀|\u{2028}){0,700}",
            blocks in 1..3usize,
        ) {
            let whole = LineTable::in_parts(&text, text.len().max(1));
            proptest::prop_assert_eq!(&LineTable::in_parts(&text, blocks * BLOCK), &whole);
            let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build().map_err(|e| {
                proptest::test_runner::TestCaseError::fail(e.to_string())
            })?;
            let parallel = pool.install(|| LineTable::in_parts(&text, BLOCK));
            proptest::prop_assert_eq!(parallel, whole);
        }
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

    /// The columns of the table agree with counting the characters of the
    /// line, for texts long enough to cross several checkpoints.
    #[test]
    fn checkpoints_agree_with_counting() {
        use proptest::prelude::*;
        let pieces = prop::collection::vec(
            prop::sample::select(vec!["a", "é", "→", "😀", "\n", "\r\n", "\r", "\t", "xyz"]),
            0..400,
        );
        proptest!(|(pieces in pieces, probes in prop::collection::vec(0usize..2000, 1..20))| {
            let text: String = pieces.concat();
            let index = LineIndex::new(&text);
            for probe in probes {
                let offset = text.floor_char_boundary(probe);
                let line = text[..offset]
                    .char_indices()
                    .filter(|&(i, c)| c == '\n' || (c == '\r' && !text[i + 1..].starts_with('\n')))
                    .count();
                let start = index.line_start(line).unwrap();
                let prefix = &text[start..offset];
                let prefix = prefix.strip_suffix('\r').unwrap_or(prefix);
                prop_assert_eq!(
                    index.line_column(probe),
                    lc(line + 1, prefix.chars().count() + 1)
                );
                prop_assert_eq!(
                    index.utf16_position(probe),
                    u16(line, prefix.chars().map(char::len_utf16).sum())
                );
            }
        });
    }

    #[test]
    fn many_positions_on_one_long_line_stay_cheap() {
        // Every lookup scans at most one block, so a hundred thousand lookups on a
        // line as long finish at once; counting from the
        // start of the line each time would take minutes.
        let text = "é".repeat(100_000);
        let index = LineIndex::new(&text);
        let mut total = 0;
        for i in 0..100_000 {
            total += index.line_column(i * 2).column;
        }
        assert_eq!(total, (1..=100_000).sum::<usize>());
    }
}
