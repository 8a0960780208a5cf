//! Snippets that stay small and cheap, whatever the text.
//!
//! miette reads a snippet by asking its source for the lines around a span.
//! Handed a whole text, it scans from the start of the text for every label
//! (quadratic in the number of diagnostics), prints every line in full (a
//! minified proposal is one line of megabytes, printed once per diagnostic),
//! and pads columns with a width that overflows past 65,535 columns.
//!
//! So miette never sees the text. [`Snippet::build`] takes the labels of one
//! diagnostic and writes an *excerpt*: only the lines around the labels,
//! each long line cut to a window around its labels with `…` on either side
//! of the cut, and the labels moved to point into the excerpt. The excerpt
//! reports the lines and columns of the original text, so headings such as
//! `[file.toml:1:200117]` stay true. Finding a line is a binary search in
//! the [`LineTable`] built once per text; the work per diagnostic depends on
//! its labels, not on the size of the text.
//!
//! Bidirectional control characters (the "Trojan Source" characters, which
//! reorder how a line is displayed) are shown as `�` in excerpts.
//!
//! The excerpt also keeps miette from merging distant labels: miette decides
//! whether two labels share one snippet by adding the first context's
//! starting line to its `line_count`, which it expects to count the lines of
//! the context. Labels share a snippet when their contexts touch or at most
//! two lines lie between them (printing them takes no more room than closing
//! one snippet and opening another).

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::sync::Arc;

use rayon::prelude::*;

use miette::{
    Diagnostic, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use crate::line_index::LineTable;

/// A line of at most this many characters is shown whole; a longer one is
/// cut to windows around its labels.
pub const SNIPPET_LINE_CHARS: usize = 320;

/// Characters shown before the first and after the last label of a window
/// on a cut line.
pub const SNIPPET_MARGIN_CHARS: usize = 40;

/// Labels on a cut line share a window when it spans at most this many
/// characters from the start of its first label to the end of its last.
const WINDOW_CHARS: usize = 120;

/// A label on a cut line underlines at most this many characters.
pub const SNIPPET_LABEL_CHARS: usize = 80;

/// A label spanning more lines than this, or starting or ending on a cut
/// line, underlines its first line only.
pub const SNIPPET_LABEL_LINES: usize = 12;

/// The marker of a cut, on either side of a window.
const ELLIPSIS: &str = "…";

/// A text that diagnostics point into: its name, the text, and its line
/// table. Cloning shares the text and the table.
#[derive(Clone, Debug)]
pub struct SnippetFile {
    name: String,
    text: Arc<String>,
    table: Arc<LineTable>,
}

impl SnippetFile {
    /// Indexes `text`; this reads the whole text once.
    pub fn new(name: impl Into<String>, text: Arc<String>) -> SnippetFile {
        let table = Arc::new(LineTable::new(&text));
        SnippetFile::with_table(name, text, table)
    }

    /// A file whose table was already built, such as a [`crate::Locator`]'s.
    pub fn with_table(
        name: impl Into<String>,
        text: Arc<String>,
        table: Arc<LineTable>,
    ) -> SnippetFile {
        SnippetFile {
            name: name.into(),
            text,
            table,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    fn text(&self) -> &str {
        &self.text
    }

    /// The characters of the line of `offset` before it.
    fn column(&self, offset: usize) -> usize {
        self.table.position(&self.text, offset).1
    }

    /// The offset `n` characters after `offset`, at most `limit`.
    fn forward(&self, offset: usize, n: usize, limit: usize) -> usize {
        let rest = self.text.get(offset..limit).unwrap_or_default();
        rest.char_indices()
            .nth(n)
            .map_or(limit, |(i, _)| offset + i)
    }

    /// The offset `n` characters before `offset`, at least `limit`.
    fn backward(&self, offset: usize, n: usize, limit: usize) -> usize {
        let before = self.text.get(limit..offset).unwrap_or_default();
        match n.checked_sub(1) {
            None => offset,
            Some(skip) => before
                .char_indices()
                .rev()
                .nth(skip)
                .map_or(limit, |(i, _)| limit + i),
        }
    }

    /// Whether the 0-based `line` is too long to show whole.
    fn is_long(&self, line: usize) -> bool {
        let start = self.table.line_start(line).unwrap_or(0);
        let end = self.table.line_end(&self.text, line);
        end - start > SNIPPET_LINE_CHARS && self.column(end) > SNIPPET_LINE_CHARS
    }
}

/// One line of an excerpt, or one window of a cut line.
#[derive(Clone, Copy, Debug)]
struct Segment {
    /// The 0-based line in the original text.
    line: usize,
    /// The original bytes shown.
    start: usize,
    end: usize,
    /// Where the segment starts in the excerpt, its cut marker included.
    at: usize,
    /// Where the original byte `start` lands in the excerpt.
    text_at: usize,
    /// Where the next segment starts, after this one's line break.
    next: usize,
    /// Whether another window of the same line follows or precedes it.
    first_of_line: bool,
    last_of_line: bool,
}

/// The excerpt of one diagnostic's text: the lines around its labels, cut
/// around them when long, as a miette [`SourceCode`].
#[derive(Clone)]
pub struct Snippet {
    file: SnippetFile,
    excerpt: String,
    segments: Vec<Segment>,
}

impl fmt::Debug for Snippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Snippet")
            .field("name", &self.file.name)
            .field("excerpt", &self.excerpt)
            .finish()
    }
}

impl Snippet {
    /// The excerpt of `file` around `labels`, and the labels moved into it,
    /// in the same order. Labels are first clamped to the text and to
    /// character boundaries, so any span is safe.
    pub fn build(file: &SnippetFile, labels: &[LabeledSpan]) -> (Snippet, Vec<LabeledSpan>) {
        let spans: Vec<(usize, usize)> = labels.iter().map(|l| shorten(file, l)).collect();
        let segments = plan(file, &spans);
        let mut snippet = Snippet {
            file: file.clone(),
            excerpt: String::new(),
            segments: Vec::with_capacity(segments.len()),
        };
        for (line, start, end) in segments {
            snippet.push(line, start, end);
        }
        let count = snippet.segments.len();
        for i in 0..count {
            let line = snippet.segments.get(i).map(|s| s.line);
            let previous = i
                .checked_sub(1)
                .and_then(|p| snippet.segments.get(p))
                .map(|s| s.line);
            let next = snippet.segments.get(i + 1).map(|s| s.line);
            if let Some(segment) = snippet.segments.get_mut(i) {
                segment.first_of_line = previous != line;
                segment.last_of_line = next != line;
            }
        }
        let moved = labels
            .iter()
            .zip(&spans)
            .map(|(label, &(start, end))| {
                let from = snippet.map(start, false);
                let to = snippet.map(end, true).max(from);
                let span = SourceSpan::new(from.into(), to - from);
                let text = label.label().map(str::to_owned);
                if label.primary() {
                    LabeledSpan::new_primary_with_span(text, span)
                } else {
                    LabeledSpan::new_with_span(text, span)
                }
            })
            .collect();
        (snippet, moved)
    }

    /// The excerpt as written, for tests and debugging.
    pub fn excerpt(&self) -> &str {
        &self.excerpt
    }

    fn push(&mut self, line: usize, start: usize, end: usize) {
        let line_start = self.file.table.line_start(line).unwrap_or(0);
        let line_end = self.file.table.line_end(self.file.text(), line);
        let at = self.excerpt.len();
        if start > line_start {
            self.excerpt.push_str(ELLIPSIS);
        }
        let text_at = self.excerpt.len();
        let shown = self.file.text().get(start..end).unwrap_or_default();
        // Bidirectional controls are encoded from the byte 0xE2 on; a text
        // without it is copied whole.
        if memchr::memchr(0xE2, shown.as_bytes()).is_none() {
            self.excerpt.push_str(shown);
        } else {
            self.excerpt.extend(shown.chars().map(|c| {
                if is_bidi_control(c) {
                    char::REPLACEMENT_CHARACTER
                } else {
                    c
                }
            }));
        }
        if end < line_end {
            self.excerpt.push_str(ELLIPSIS);
        }
        self.excerpt.push('\n');
        self.segments.push(Segment {
            line,
            start,
            end,
            at,
            text_at,
            next: self.excerpt.len(),
            first_of_line: true,
            last_of_line: true,
        });
    }

    /// Where the original byte `offset` lands in the excerpt. An end that
    /// is the start of a line stays at the end of the line before, so that a
    /// label covering a line break does not reach into the next line.
    fn map(&self, offset: usize, is_end: bool) -> usize {
        let table = &self.file.table;
        let mut line = table.line_of(offset);
        if is_end && line > 0 && table.line_start(line) == Some(offset) {
            let before = line - 1;
            if self.segments.iter().any(|s| s.line == before) {
                line = before;
            }
        }
        let first = self.segments.partition_point(|s| s.line < line);
        let on_line = self
            .segments
            .get(first..)
            .unwrap_or_default()
            .iter()
            .take_while(|s| s.line == line);
        let mut best: Option<&Segment> = None;
        for segment in on_line {
            best = Some(segment);
            if offset <= segment.end {
                break;
            }
        }
        let Some(segment) = best.or_else(|| self.segments.first()) else {
            return 0;
        };
        let inside = offset.clamp(segment.start, segment.end) - segment.start;
        segment.text_at + inside
    }

    /// The segment holding the excerpt offset `at`.
    fn segment_at(&self, at: usize) -> usize {
        self.segments
            .partition_point(|s| s.at <= at)
            .saturating_sub(1)
    }

    /// Whether segment `i + 1` shows the line after segment `i`, so the two
    /// read as consecutive lines.
    fn continues(&self, i: usize) -> bool {
        match (self.segments.get(i), self.segments.get(i + 1)) {
            (Some(a), Some(b)) => a.last_of_line && b.first_of_line && b.line == a.line + 1,
            _ => false,
        }
    }

    /// The original offset shown at the excerpt offset `at`.
    fn original(&self, at: usize) -> usize {
        let Some(segment) = self.segments.get(self.segment_at(at)) else {
            return 0;
        };
        let inside = at.saturating_sub(segment.text_at);
        self.file
            .text()
            .floor_char_boundary((segment.start + inside).min(segment.end))
    }
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let start = span.offset();
        let end = start.saturating_add(span.len());
        if end > self.excerpt.len() || self.segments.is_empty() {
            return Err(MietteError::OutOfBounds);
        }
        let first = self.segment_at(start);
        let last = self.segment_at(end.saturating_sub(1).max(start));
        // A span across a gap in the excerpt would read lines that are not
        // consecutive; miette then keeps the labels in snippets of their own.
        if (first..last).any(|i| !self.continues(i)) {
            return Err(MietteError::OutOfBounds);
        }
        let mut from = first;
        while first - from < context_lines_before && from > 0 && self.continues(from - 1) {
            from -= 1;
        }
        let mut to = last;
        while to - last < context_lines_after && self.continues(to) {
            to += 1;
        }
        let (Some(head), Some(tail)) = (self.segments.get(from), self.segments.get(to)) else {
            return Err(MietteError::OutOfBounds);
        };
        let data = self
            .excerpt
            .get(head.at..tail.next)
            .ok_or(MietteError::OutOfBounds)?;
        let column = if context_lines_before == 0 && context_lines_after == 0 {
            self.file.column(self.original(start))
        } else if head.at < head.text_at {
            self.file.column(head.start)
        } else {
            0
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.file.name.clone(),
            data.as_bytes(),
            SourceSpan::new(head.at.into(), data.len()),
            head.line,
            column,
            // The lines of the context, and two more: see the module docs.
            to - from + 3,
        )))
    }
}

/// A label's span clamped to the text and shortened to what a snippet
/// shows: see [`SNIPPET_LABEL_LINES`] and [`SNIPPET_LABEL_CHARS`].
fn shorten(file: &SnippetFile, label: &LabeledSpan) -> (usize, usize) {
    let text = file.text();
    let start = text.floor_char_boundary(label.offset());
    let end = text
        .ceil_char_boundary(label.offset().saturating_add(label.len()))
        .max(start);
    let table = &file.table;
    let first = table.line_of(start);
    let last = table.line_of(end.saturating_sub(1).max(start));
    let first_end = table.line_end(text, first);
    let end = if last != first
        && (last - first >= SNIPPET_LABEL_LINES || file.is_long(first) || file.is_long(last))
    {
        first_end.max(start)
    } else {
        end
    };
    if file.is_long(first) {
        let limit = end.min(first_end.max(start));
        return (
            start,
            file.forward(start, SNIPPET_LABEL_CHARS, limit).max(start),
        );
    }
    (start, end)
}

/// The segments of the excerpt for `spans`, in order: `(line, start, end)`
/// in original bytes. Each span gets its lines and one line of context on
/// either side; long lines are cut to
/// windows around the spans on them. Ranges at most two lines apart are
/// joined, as miette joins their snippets.
fn plan(file: &SnippetFile, spans: &[(usize, usize)]) -> Vec<(usize, usize, usize)> {
    let table = &file.table;
    // The empty line after a final line break is no context worth showing,
    // and miette's own reader never shows it.
    let mut last_line = table.line_count().saturating_sub(1);
    if last_line > 0 && table.line_start(last_line) == Some(file.text().len()) {
        last_line -= 1;
    }
    let mut ranges: Vec<(usize, usize)> = spans
        .iter()
        .map(|&(start, end)| {
            let first = table.line_of(start);
            let last = table.line_of(end.saturating_sub(1).max(start));
            (first.saturating_sub(1), (last + 1).min(last_line).max(last))
        })
        .collect();
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (from, to) in ranges {
        match merged.last_mut() {
            Some(last) if from <= last.1 + 3 => last.1 = last.1.max(to),
            _ => merged.push((from, to)),
        }
    }
    let mut sorted: Vec<(usize, usize)> = spans.to_vec();
    sorted.sort_unstable();
    let mut segments = Vec::new();
    for (from, to) in merged {
        for line in from..=to {
            let start = table.line_start(line).unwrap_or(0);
            let end = table.line_end(file.text(), line);
            if !file.is_long(line) {
                segments.push((line, start, end));
                continue;
            }
            let next_line = table.line_start(line + 1).unwrap_or(usize::MAX);
            let first = sorted.partition_point(|&(s, _)| s < start);
            let on_line = sorted
                .get(first..)
                .unwrap_or_default()
                .iter()
                .take_while(|&&(s, _)| s < next_line);
            let mut windows: Vec<(usize, usize)> = Vec::new();
            for &(s, e) in on_line {
                match windows.last_mut() {
                    Some(window)
                        if s <= window.1
                            || file.column(e).saturating_sub(file.column(window.0))
                                <= WINDOW_CHARS =>
                    {
                        window.1 = window.1.max(e);
                    }
                    _ => windows.push((s, e)),
                }
            }
            if windows.is_empty() {
                // A context line: its beginning.
                segments.push((
                    line,
                    start,
                    file.forward(start, 2 * SNIPPET_MARGIN_CHARS, end),
                ));
            }
            for (s, e) in windows {
                segments.push((
                    line,
                    file.backward(s, SNIPPET_MARGIN_CHARS, start),
                    file.forward(e.min(end), SNIPPET_MARGIN_CHARS, end),
                ));
            }
        }
    }
    segments
}

/// The characters that change the direction of text on display, which can
/// make a line read differently from what it says (CVE-2021-42574); rustc
/// warns about the same list.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// `text` with every bidirectional control character written as an escape,
/// `\u202E` for U+202E, as rustc escapes them. The escape means the same
/// inside a JSON string, so one pass suits every output; the characters
/// never occur outside strings in the JSON that lacuna writes.
pub fn escape_bidi(text: &str) -> Cow<'_, str> {
    // Every control above is encoded in UTF-8 as the byte 0xE2 and two
    // more; most texts have none, and a byte search is much cheaper than
    // decoding, even in a text full of other characters from 0xE2 on, such
    // as the box drawing of `human`.
    let bytes = text.as_bytes();
    if !memchr::memchr_iter(0xE2, bytes).any(|at| is_bidi_control_at(bytes, at)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_bidi_control(c) {
            let _ = write!(out, "\\u{:04X}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether the UTF-8 `bytes` hold a bidirectional control at `at`, the
/// offset of a byte 0xE2: U+202A to U+202E are 0xE2 0x80 0xAA to 0xAE, and
/// U+2066 to U+2069 are 0xE2 0x81 0xA6 to 0xA9.
fn is_bidi_control_at(bytes: &[u8], at: usize) -> bool {
    matches!(
        (bytes.get(at + 1), bytes.get(at + 2)),
        (Some(0x80), Some(0xAA..=0xAE)) | (Some(0x81), Some(0xA6..=0xA9))
    )
}

/// Escapes, with [`escape_bidi`], the words of a finding or a problem that
/// people read: its message, help and labels. Codes and paths stay as they
/// are, for the programs that match on them.
pub fn escape_diagnostic_text(finding: &mut lacuna_eval::Diagnostic) {
    escape_in_place(&mut finding.message);
    if let Some(help) = &mut finding.help {
        escape_in_place(help);
    }
    escape_in_place(&mut finding.primary_label);
    for evidence in &mut finding.evidence {
        escape_in_place(&mut evidence.message);
        if let Some(expr) = &mut evidence.expr_message {
            escape_in_place(expr);
        }
    }
}

/// [`escape_diagnostic_text`] for each of `diagnostics`, on several
/// threads when they are many.
pub fn escape_diagnostics_text(diagnostics: &mut [lacuna_eval::Diagnostic]) {
    if crate::parallel(diagnostics.len()) {
        diagnostics.par_iter_mut().for_each(escape_diagnostic_text);
    } else {
        diagnostics.iter_mut().for_each(escape_diagnostic_text);
    }
}

fn escape_in_place(text: &mut String) {
    if let Cow::Owned(escaped) = escape_bidi(text) {
        *text = escaped;
    }
}

/// Any diagnostic whose labels point into one text, with an excerpt of that
/// text in place of the text: its labels, and those of its related
/// diagnostics, are moved into excerpts of their own. Everything else is
/// the diagnostic's.
pub struct Excerpt<'d> {
    inner: &'d dyn Diagnostic,
    snippet: Option<Snippet>,
    labels: Vec<LabeledSpan>,
    related: Vec<Excerpt<'d>>,
}

impl<'d> Excerpt<'d> {
    pub fn new(diagnostic: &'d dyn Diagnostic, file: &SnippetFile) -> Excerpt<'d> {
        let labels: Vec<LabeledSpan> = diagnostic
            .labels()
            .map(Iterator::collect)
            .unwrap_or_default();
        let (snippet, labels) = if labels.is_empty() {
            (None, labels)
        } else {
            let (snippet, labels) = Snippet::build(file, &labels);
            (Some(snippet), labels)
        };
        let related = diagnostic
            .related()
            .map(|related| related.map(|r| Excerpt::new(r, file)).collect())
            .unwrap_or_default();
        Excerpt {
            inner: diagnostic,
            snippet,
            labels,
            related,
        }
    }
}

impl fmt::Debug for Excerpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.inner, f)
    }
}

impl fmt::Display for Excerpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.inner, f)
    }
}

impl std::error::Error for Excerpt<'_> {}

impl Diagnostic for Excerpt<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.code()
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.inner.severity()
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.help()
    }
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.url()
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.snippet.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
    fn diagnostic_source(&self) -> Option<&dyn Diagnostic> {
        self.inner.diagnostic_source()
    }
}

#[cfg(test)]
mod tests {
    use miette::{Diagnostic, LabeledSpan};

    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("labels")]
    struct Labels(Vec<LabeledSpan>);

    impl Diagnostic for Labels {
        fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
            Some(Box::new(self.0.iter().cloned()))
        }
    }

    fn render(text: &str, spans: &[(usize, usize)]) -> String {
        let labels = spans
            .iter()
            .map(|&(o, l)| LabeledSpan::new(Some("here".to_owned()), o, l))
            .collect();
        let file = SnippetFile::new("far.toml", Arc::new(text.to_owned()));
        let labels = Labels(labels);
        let mut out = String::new();
        crate::RenderOptions::default()
            .graphical_handler()
            .render_report(&mut out, &Excerpt::new(&labels, &file))
            .unwrap();
        out
    }

    #[test]
    fn distant_labels_get_their_own_snippets() {
        let text: String = (1..=400).map(|i| format!("line{i:03}\n")).collect();
        let out = render(&text, &[(8 * 9, 1), (8 * 299, 1)]);
        assert!(out.contains("line010"), "{out}");
        assert!(out.contains("line300"), "{out}");
        assert!(
            !out.contains("line150"),
            "lines between the labels printed:\n{out}"
        );
        assert_eq!(out.matches("╭─[").count(), 2, "{out}");
    }

    #[test]
    fn headings_count_columns_in_characters() {
        // `é` is two bytes and `🌊` four: `x` is the 12th character of its
        // line, and its 16th byte.
        let text = "a = 1\nb = \"é🌊\" + x\n";
        let offset = text.find('x').unwrap();
        let out = render(text, &[(offset, 1)]);
        assert!(out.contains("[far.toml:2:12]"), "{out}");
    }

    #[test]
    fn labels_one_line_apart_share_a_snippet() {
        let text: String = (1..=40).map(|i| format!("line{i:03}\n")).collect();
        // Lines 10 and 14: contexts 9-11 and 13-15, one line between.
        let out = render(&text, &[(8 * 9, 1), (8 * 13, 1)]);
        assert_eq!(out.matches("╭─[").count(), 1, "{out}");
        assert!(out.contains("line012"), "{out}");
    }

    #[test]
    fn a_long_line_is_cut_around_its_label() {
        // A label at column 100,001 of a line of 200,000 characters: past
        // 65,535 columns miette's padding used to panic.
        let mut text = "x".repeat(200_000);
        text.replace_range(100_000..100_003, "BAD");
        let out = render(&text, &[(100_000, 3)]);
        assert!(out.contains("[far.toml:1:100001]"), "{out}");
        let window = format!("…{}BAD{}…", "x".repeat(40), "x".repeat(40));
        assert!(out.contains(&window), "{out}");
        assert!(out.len() < 1_000, "{} bytes:\n{out}", out.len());
        let window = out.lines().find(|l| l.contains("BAD")).unwrap();
        let underline = out.lines().find(|l| l.contains('┬')).unwrap();
        assert_eq!(
            window.chars().position(|c| c == 'B'),
            underline.chars().position(|c| c == '─'),
            "the underline sits under the label:\n{out}"
        );
    }

    #[test]
    fn labels_far_apart_on_one_line_get_windows_of_their_own() {
        let text = format!(
            "{}A{}B{}\nnext\n",
            "x".repeat(5_000),
            "y".repeat(5_000),
            "z".repeat(5_000)
        );
        let a = text.find('A').unwrap();
        let b = text.find('B').unwrap();
        let out = render(&text, &[(a, 1), (b, 1)]);
        assert_eq!(out.matches("╭─[").count(), 2, "{out}");
        assert!(out.len() < 2_000, "{} bytes:\n{out}", out.len());
    }

    #[test]
    fn every_label_lands_on_its_own_text() {
        // Whatever the labels, each one points at the same characters in
        // the excerpt as in the text, unless a cut shortened it.
        let text = format!(
            "short\n{}\nwide: {}é\n\u{202E}bidi\n",
            "x".repeat(400),
            "漢".repeat(400)
        );
        let file = SnippetFile::new("t", Arc::new(text.clone()));
        let spans = [(0, 5), (10, 20), (410, 420), (text.len() - 8, 4), (2, 500)];
        let labels: Vec<LabeledSpan> = spans
            .iter()
            .map(|&(o, l)| LabeledSpan::new(None, o, l))
            .collect();
        let (snippet, moved) = Snippet::build(&file, &labels);
        for (label, (&(o, _), moved)) in labels.iter().zip(spans.iter().zip(&moved)) {
            let original = &text[text.floor_char_boundary(o)..];
            let shown = &snippet.excerpt()[moved.offset()..moved.offset() + moved.len()];
            let original = original.replace('\u{202E}', "\u{FFFD}");
            assert!(
                original.starts_with(shown),
                "{label:?} shows {shown:?}, not the start of {:?}",
                &original[..20.min(original.len())]
            );
        }
        assert!(!snippet.excerpt().contains('\u{202E}'));
    }

    #[test]
    fn bidi_controls_are_escaped() {
        assert_eq!(escape_bidi("plain"), "plain");
        assert_eq!(escape_bidi("a\u{202E}b\u{2066}"), "a\\u202Eb\\u2066");
        let json = format!("\"{}\"", escape_bidi("x\u{202E}y"));
        assert_eq!(serde_json::from_str::<String>(&json).unwrap(), "x\u{202E}y");
    }

    /// The byte test finds exactly the characters `is_bidi_control` names,
    /// among every character encoded from the byte 0xE2 on and around it.
    #[test]
    fn bidi_controls_are_found_by_their_bytes() {
        for c in ('\u{1FFF}'..='\u{3000}').chain(['a', '─', '│', '😀']) {
            let text = format!("x{c}─");
            let escaped = escape_bidi(&text);
            assert_eq!(
                matches!(escaped, Cow::Owned(_)),
                is_bidi_control(c),
                "{:04X}",
                u32::from(c)
            );
        }
    }
}
