//! A source wrapper that keeps miette from merging distant labels.
//!
//! miette decides whether two labels share one snippet by adding the first
//! context's starting line to its `line_count`, but `line_count` counts lines
//! from the start of the file, not within the context. Every label after the
//! first few lines therefore lands in one snippet, printing every line between
//! them: a finding whose evidence sits 300 lines below its subject printed 300
//! lines. Reporting the context's own line count makes the test mean what it
//! says: labels share a snippet when their contexts touch or only one line
//! lies between them (printing that line beats opening a second snippet).

use std::fmt;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// Wraps any source so that its contents report a line count relative to
/// the context read.
#[derive(Clone)]
pub struct SnippetSource<S>(pub S);

impl<S: fmt::Debug> fmt::Debug for SnippetSource<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<S: SourceCode> SourceCode for SnippetSource<S> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self
            .0
            .read_span(span, context_lines_before, context_lines_after)?;
        let data = inner.data();
        // Lines the context spans beyond its first one; one more is added below
        // so that contexts one line apart still share a snippet.
        let breaks = data
            .iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && data.get(i + 1) != Some(&b'\n')))
            .count();
        let column = char_column(&self.0, span, inner.column());
        let contents = match inner.name() {
            Some(name) => MietteSpanContents::new_named(
                name.to_owned(),
                data,
                *inner.span(),
                inner.line(),
                column,
                breaks + 2,
            ),
            None => MietteSpanContents::new(data, *inner.span(), inner.line(), column, breaks + 2),
        };
        let contents = match inner.language() {
            Some(language) => contents.with_language(language),
            None => contents,
        };
        Ok(Box::new(contents))
    }
}

/// The column of `span` in characters. miette counts the bytes before the
/// span on its line, and prints that count in the `[file:line:column]`
/// heading of a snippet, where readers expect the characters that `concise`
/// and `json` count.
fn char_column<S: SourceCode>(source: &S, span: &SourceSpan, bytes: usize) -> usize {
    let Some(start) = span.offset().checked_sub(bytes) else {
        return bytes;
    };
    if bytes == 0 {
        return 0;
    }
    match source.read_span(&SourceSpan::new(start.into(), bytes), 0, 0) {
        Ok(prefix) => String::from_utf8_lossy(prefix.data()).chars().count(),
        Err(_) => bytes,
    }
}

#[cfg(test)]
mod tests {
    use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};

    use super::SnippetSource;

    #[derive(Debug, thiserror::Error)]
    #[error("two labels far apart")]
    struct Far {
        text: SnippetSource<NamedSource<String>>,
        labels: Vec<LabeledSpan>,
    }

    impl Diagnostic for Far {
        fn source_code(&self) -> Option<&dyn miette::SourceCode> {
            Some(&self.text)
        }
        fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }

    fn render(text: String, offsets: &[usize]) -> String {
        let far = Far {
            text: SnippetSource(NamedSource::new("far.toml", text)),
            labels: offsets
                .iter()
                .map(|&o| LabeledSpan::new(Some("here".to_owned()), o, 1))
                .collect(),
        };
        let mut out = String::new();
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
            .render_report(&mut out, &far)
            .unwrap();
        out
    }

    #[test]
    fn distant_labels_get_their_own_snippets() {
        let text: String = (1..=400).map(|i| format!("line{i:03}\n")).collect();
        let out = render(text, &[8 * 9, 8 * 299]);
        assert!(out.contains("line010"), "{out}");
        assert!(out.contains("line300"), "{out}");
        assert!(
            !out.contains("line150"),
            "lines between the labels printed:\n{out}"
        );
    }

    #[test]
    fn headings_count_columns_in_characters() {
        // `é` is two bytes and `🌊` four: `x` is the 12th character of its
        // line, and its 16th byte.
        let text = "a = 1\nb = \"é🌊\" + x\n".to_owned();
        let offset = text.find('x').unwrap();
        let out = render(text, &[offset]);
        assert!(out.contains("[far.toml:2:12]"), "{out}");
    }

    #[test]
    fn labels_one_line_apart_share_a_snippet() {
        let text: String = (1..=40).map(|i| format!("line{i:03}\n")).collect();
        // Lines 10 and 14: contexts 9-11 and 13-15, one line between.
        let out = render(text, &[8 * 9, 8 * 13]);
        assert_eq!(out.matches("╭─[").count(), 1, "{out}");
        assert!(out.contains("line012"), "{out}");
    }
}
