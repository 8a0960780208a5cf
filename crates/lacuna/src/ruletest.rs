//! Rule tests: fixture proposals annotated with the findings they must and
//! must not produce, in the style of Semgrep's rule tests.
//!
//! ```toml
//! # expect: forum.exists
//! [proposal]
//! title = "Two groups"
//!
//! [group.survival_migrants]  # expect: protection.coverage
//! area = "survival"
//! vulnerable = true
//!
//! # ok: protection.coverage
//! [group.refugees]
//! area = "refugees"
//! vulnerable = true
//! ```
//!
//! An annotation is a TOML comment `# expect: ID[, ID...]` or `# ok:
//! ID[, ID...]`. At the end of a line it is about that line; alone on a line
//! it is about the table header directly below it (several annotation lines
//! may be stacked above one header), except on the first line of the file,
//! where it is about line 1: the line findings of norms without `for` point
//! at. A finding matches an `expect` when it is of the named norm and its
//! primary span starts on the annotated line.
//!
//! The norms *under test* in a file are those its annotations name, plus
//! the norm a directory is named after (`fixtures/norms/protection.coverage/`).
//! Findings of other norms are ignored. A file passes when every `expect`
//! has a finding and every finding of a norm under test is expected.
//!
//! This module does no I/O: [`run`] takes a file's name and bytes, and
//! [`is_fixture_name`] and [`walks_into`] tell a caller which files and
//! directories to read. `docs/testing-rules.md` describes it for users.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use lacuna_model::{Format, SourceDb, SourceId};
use lacuna_report::ruletest::FixtureReport;
pub use lacuna_report::ruletest::{Failure, Rendered, Status, Summary};
use lacuna_report::{LineIndex, RenderOptions, SnippetFile};
use lacuna_syntax::Span;
use miette::Diagnostic;

use crate::Engine;
use crate::catalogue::closest_norm;

/// Whether an annotation asks for a finding or for its absence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Expectation {
    /// `# expect:` — the norm must flag the line.
    Expect,
    /// `# ok:` — the norm must not flag the line.
    Ok,
}

impl Expectation {
    /// The annotation's keyword: `expect` or `ok`.
    pub fn as_str(self) -> &'static str {
        match self {
            Expectation::Expect => "expect",
            Expectation::Ok => "ok",
        }
    }
}

/// One norm id of one annotation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Annotation {
    /// Whether the norm must flag the line or must not.
    pub expectation: Expectation,
    /// The norm id as written.
    pub norm: String,
    /// The id in the fixture's text.
    pub span: Span,
    /// The 1-based line the annotation is about.
    pub line: usize,
}

/// Annotations of one fixture, with the mistakes found in them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Annotations {
    /// In source order.
    pub items: Vec<Annotation>,
    /// The mistakes, in source order.
    pub errors: Vec<AnnotationError>,
}

/// A mistake in the annotations of a fixture. The file cannot be tested
/// until it is fixed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Diagnostic)]
pub enum AnnotationError {
    /// `# expect:` or `# ok:` with nothing after the colon.
    #[error("`{keyword}:` names no norm")]
    #[diagnostic(
        code(test::empty_annotation),
        help("list the norms after the colon: `# {keyword}: area.norm, area.other-norm`")
    )]
    Empty {
        /// `expect` or `ok`.
        keyword: &'static str,
        /// The annotation.
        #[label("expected a norm id after this")]
        span: Span,
    },
    /// A word after the colon that cannot be a norm id.
    #[error("`{text}` is not a norm id")]
    #[diagnostic(code(test::bad_norm_id), help("{help}"))]
    BadId {
        /// The word as written.
        text: String,
        /// What a norm id looks like, for this word.
        help: &'static str,
        /// The word.
        #[label("expected a norm id")]
        span: Span,
    },
    /// A comment that looks like a misspelt annotation.
    #[error("unknown annotation `{word}:`")]
    #[diagnostic(
        code(test::unknown_annotation),
        help("did you mean `{suggestion}:`? annotations are `# expect:` and `# ok:`")
    )]
    UnknownKind {
        /// The word before the colon.
        word: String,
        /// The annotation it probably means.
        suggestion: &'static str,
        /// The word.
        #[label("not an annotation")]
        span: Span,
    },
    /// An annotation alone on its line, above no table header.
    #[error("annotation is not about a table header")]
    #[diagnostic(
        code(test::dangling_annotation),
        help(
            "put the annotation at the end of the header line of the entity it is about \
             (`[kind.id]  # expect: area.norm`) or alone on the line just above \
             that header; annotations about the whole proposal go on line 1"
        )
    )]
    Dangling {
        /// The annotation.
        #[label("alone on its line, but the next line is not a table header")]
        span: Span,
    },
    /// One norm both expected and ok on one line.
    #[error("`{norm}` is both expected and ok on line {line}")]
    #[diagnostic(
        code(test::contradiction),
        help("a line either has a finding of a norm or it does not: keep one of the two")
    )]
    Contradiction {
        /// The norm id.
        norm: String,
        /// The 1-based line both annotations are about.
        line: usize,
        /// The first annotation's norm id.
        #[label("marked `{first}` here")]
        first_span: Span,
        /// The first annotation's keyword.
        first: &'static str,
        /// The second annotation's norm id.
        #[label("and `{second}` here")]
        second_span: Span,
        /// The second annotation's keyword.
        second: &'static str,
    },
    /// An annotation names a norm the rule set does not have.
    #[error("unknown norm `{norm}`")]
    #[diagnostic(code(test::unknown_norm), help("{help}"))]
    UnknownNorm {
        /// The norm id as written.
        norm: String,
        /// The closest norm id, or where to find the ids.
        help: String,
        /// The norm id.
        #[label("no norm of the rule set has this id")]
        span: Span,
    },
    /// A fixture's directory is named like a norm the rule set does not
    /// have.
    #[error("directory `{directory}` names no norm")]
    #[diagnostic(code(test::unknown_directory_norm), help("{help}"))]
    UnknownDirectoryNorm {
        /// The directory's name.
        directory: String,
        /// The closest norm id, or where to find the ids.
        help: String,
        /// The start of the fixture.
        #[label("this fixture is under `{directory}`")]
        span: Span,
    },
}

/// Words that look like a misspelt annotation, with the one meant.
const NEAR_ANNOTATIONS: &[(&str, &str)] = &[
    ("expects", "expect"),
    ("expected", "expect"),
    ("ruleid", "expect"),
    ("okay", "ok"),
];

/// One norm id of an annotation, before its line is known.
type Found = (Expectation, String, Span);

/// Finds the annotations in the comments of a TOML text.
pub fn parse_annotations(text: &str) -> Annotations {
    let lines = scan_lines(text);
    let mut annotations = Annotations::default();
    let mut raw: Vec<(usize, Vec<Found>)> = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(comment) = line.comment else {
            continue;
        };
        let found = parse_comment(text, comment, line.end, &mut annotations.errors);
        if found.is_empty() {
            continue;
        }
        let target = if !line.comment_only || index == 0 {
            Some(index)
        } else {
            header_below(&lines, index)
        };
        match target {
            Some(target) => raw.push((target + 1, found)),
            None => annotations.errors.push(AnnotationError::Dangling {
                span: span(comment, line.end),
            }),
        }
    }
    let mut seen: BTreeMap<(usize, &str), (Expectation, Span)> = BTreeMap::new();
    for (line, found) in &raw {
        for (expectation, norm, span) in found {
            match seen.get(&(*line, norm.as_str())) {
                Some((earlier, _)) if earlier == expectation => continue,
                Some((earlier, earlier_span)) => {
                    annotations.errors.push(AnnotationError::Contradiction {
                        norm: norm.clone(),
                        line: *line,
                        first_span: *earlier_span,
                        first: earlier.as_str(),
                        second_span: *span,
                        second: expectation.as_str(),
                    });
                    continue;
                }
                None => {}
            }
            seen.insert((*line, norm.as_str()), (*expectation, *span));
            annotations.items.push(Annotation {
                expectation: *expectation,
                norm: norm.clone(),
                span: *span,
                line: *line,
            });
        }
    }
    annotations.errors.sort_by_key(error_offset);
    annotations
}

fn error_offset(error: &AnnotationError) -> u32 {
    match error {
        AnnotationError::Empty { span, .. }
        | AnnotationError::BadId { span, .. }
        | AnnotationError::UnknownKind { span, .. }
        | AnnotationError::Dangling { span }
        | AnnotationError::UnknownNorm { span, .. }
        | AnnotationError::UnknownDirectoryNorm { span, .. } => span.start,
        AnnotationError::Contradiction { second_span, .. } => second_span.start,
    }
}

/// The first line below `index` that is not an annotation standing alone,
/// if it is a table header.
fn header_below(lines: &[Line], index: usize) -> Option<usize> {
    let mut next = index + 1;
    while let Some(line) = lines.get(next) {
        if line.header {
            return Some(next);
        }
        if !(line.comment_only && line.annotated) {
            return None;
        }
        next += 1;
    }
    None
}

/// What the scanner learned about one line of a TOML text.
#[derive(Clone, Copy, Debug, Default)]
struct Line {
    /// Byte offset just past the line's text, before its terminator.
    end: usize,
    /// Byte offset of the comment's `#`, when the line has a comment.
    comment: Option<usize>,
    /// Nothing but whitespace before the comment.
    comment_only: bool,
    /// A table header: `[group.x]` or `[[mandate]]` at the top level.
    header: bool,
    /// The comment holds an annotation keyword.
    annotated: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum StringState {
    None,
    MultiBasic,
    MultiLiteral,
}

/// Splits a TOML text into lines and finds each line's comment, following
/// strings (a `#` in a string starts no comment) and brackets (a line
/// starting with `[` inside a multi-line array is no header).
fn scan_lines(text: &str) -> Vec<Line> {
    let index = LineIndex::new(text);
    let bytes = text.as_bytes();
    let mut state = StringState::None;
    let mut depth: usize = 0;
    let mut lines = Vec::with_capacity(index.line_count());
    for number in 0..index.line_count() {
        let start = index.line_start(number).unwrap_or(text.len());
        let next = index.line_start(number + 1).unwrap_or(text.len());
        let mut end = next;
        while end > start && matches!(bytes.get(end - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        let mut line = Line {
            end,
            ..Line::default()
        };
        let starts_in_string = state != StringState::None;
        let starts_plain = !starts_in_string && depth == 0;
        let mut i = start;
        let mut first_code: Option<u8> = None;
        while i < end {
            let rest = bytes.get(i..end).unwrap_or_default();
            let Some(&b) = rest.first() else { break };
            match state {
                StringState::MultiBasic => {
                    if b == b'\\' {
                        i += 2;
                    } else if rest.starts_with(b"\"\"\"") {
                        i += 3 + count_extra(rest.get(3..).unwrap_or_default(), b'"');
                        state = StringState::None;
                    } else {
                        i += 1;
                    }
                    continue;
                }
                StringState::MultiLiteral => {
                    if rest.starts_with(b"'''") {
                        i += 3 + count_extra(rest.get(3..).unwrap_or_default(), b'\'');
                        state = StringState::None;
                    } else {
                        i += 1;
                    }
                    continue;
                }
                StringState::None => {}
            }
            if !b.is_ascii_whitespace() && first_code.is_none() && b != b'#' {
                first_code = Some(b);
            }
            match b {
                b'#' => {
                    line.comment = Some(i);
                    line.comment_only = first_code.is_none() && !starts_in_string;
                    break;
                }
                b'"' if rest.starts_with(b"\"\"\"") => {
                    state = StringState::MultiBasic;
                    i += 3;
                }
                b'\'' if rest.starts_with(b"'''") => {
                    state = StringState::MultiLiteral;
                    i += 3;
                }
                b'"' => i += 1 + basic_string_len(rest.get(1..).unwrap_or_default()),
                b'\'' => {
                    i += 1 + rest
                        .get(1..)
                        .unwrap_or_default()
                        .iter()
                        .position(|&c| c == b'\'')
                        .map_or(rest.len(), |p| p + 1);
                }
                b'[' | b'{' => {
                    depth += 1;
                    i += 1;
                }
                b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    i += 1;
                }
                _ => i += 1,
            }
        }
        // A header's brackets balance on its own line; an array value left
        // open goes on to the next lines, which are no headers.
        line.header = starts_plain && first_code == Some(b'[');
        if let Some(at) = line.comment {
            let comment = text.get(at..end).unwrap_or("");
            line.annotated = segments(comment).into_iter().any(|(_, segment)| {
                let segment = segment.trim_start();
                segment.starts_with("expect") || segment.starts_with("ok")
            });
        }
        lines.push(line);
    }
    lines
}

/// The length of a basic string's body and closing quote, escapes
/// followed; the rest of the line when it is not closed.
fn basic_string_len(rest: &[u8]) -> usize {
    let mut i = 0;
    while let Some(&b) = rest.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    rest.len()
}

/// Up to two quotes right after a closing `"""` still belong to the string.
fn count_extra(rest: &[u8], quote: u8) -> usize {
    rest.iter().take(2).take_while(|&&b| b == quote).count()
}

/// The annotations in the comment starting at byte `start` (its `#`) and
/// ending at `end`. A comment may hold several, each after its own `#`.
fn parse_comment(
    text: &str,
    start: usize,
    end: usize,
    errors: &mut Vec<AnnotationError>,
) -> Vec<Found> {
    let mut found = Vec::new();
    let comment = text.get(start..end).unwrap_or("");
    for (segment_start, segment) in segments(comment) {
        let segment_start = start + segment_start;
        let leading = segment.len() - segment.trim_start().len();
        let body = segment.trim_start();
        let word_len = body
            .find(|c: char| !(c.is_ascii_alphabetic() || c == '_'))
            .unwrap_or(body.len());
        let word = body.get(..word_len).unwrap_or("");
        let after_word = body.get(word_len..).unwrap_or("");
        let Some(list) = after_word.trim_start().strip_prefix(':') else {
            continue;
        };
        let word_start = segment_start + leading;
        let word_span = span(word_start, word_start + word_len);
        let expectation = match word {
            "expect" => Expectation::Expect,
            "ok" => Expectation::Ok,
            other => {
                let lower = other.to_ascii_lowercase();
                let suggestion = match lower.as_str() {
                    "expect" => Some("expect"),
                    "ok" => Some("ok"),
                    _ => NEAR_ANNOTATIONS
                        .iter()
                        .find(|(near, _)| *near == lower)
                        .map(|(_, meant)| *meant),
                };
                if let Some(suggestion) = suggestion {
                    errors.push(AnnotationError::UnknownKind {
                        word: other.to_owned(),
                        suggestion,
                        span: word_span,
                    });
                }
                continue;
            }
        };
        let list_start = segment_start + segment.len() - list.len();
        let mut ids = Vec::new();
        let mut item_start = list_start;
        for item in list.split(',') {
            let lead = item.len() - item.trim_start().len();
            let id = item.trim();
            let id_start = item_start + lead;
            item_start += item.len() + 1;
            if id.is_empty() {
                continue;
            }
            let id_span = span(id_start, id_start + id.len());
            if is_norm_id(id) {
                ids.push((expectation, id.to_owned(), id_span));
            } else {
                let help = if id.contains(char::is_whitespace) {
                    "separate norm ids with commas, and explain an annotation in a comment of its own"
                } else {
                    "a norm id is segments of lowercase letters, digits, `_` and `-` joined by `.`"
                };
                errors.push(AnnotationError::BadId {
                    text: id.to_owned(),
                    help,
                    span: id_span,
                });
            }
        }
        if ids.is_empty() && !list.contains(|c: char| !(c == ',' || c.is_whitespace())) {
            errors.push(AnnotationError::Empty {
                keyword: expectation.as_str(),
                span: span(word_start, list_start),
            });
        }
        found.extend(ids);
    }
    found
}

/// The parts of a comment that may hold an annotation, each with its
/// offset: the text after each `#` that starts the comment or follows
/// whitespace, up to the next such `#`. A `#` inside a word or after a
/// backtick (prose quoting an annotation) starts none.
fn segments(comment: &str) -> Vec<(usize, &str)> {
    let bytes = comment.as_bytes();
    let starts: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| {
            b == b'#'
                && i.checked_sub(1)
                    .and_then(|p| bytes.get(p))
                    .is_none_or(u8::is_ascii_whitespace)
        })
        .map(|(i, _)| i + 1)
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(n, &from)| {
            let to = starts.get(n + 1).map_or(comment.len(), |next| next - 1);
            (from, comment.get(from..to).unwrap_or(""))
        })
        .collect()
}

fn span(start: usize, end: usize) -> Span {
    let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Span::new(to_u32(start), to_u32(end))
}

/// Segments `[a-z0-9_][a-z0-9_-]*` joined by `.`, as `docs/language.md` defines norm ids.
fn is_norm_id(text: &str) -> bool {
    text.split('.').all(|segment| {
        let mut chars = segment.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    })
}

/// Whether a file of this name is a candidate fixture: a `.toml` file other
/// than a configuration file. JSON has no comments to annotate, so JSON
/// proposals are not rule tests.
pub fn is_fixture_name(file_name: &str) -> bool {
    file_name.ends_with(".toml") && file_name != "lacuna.toml"
}

/// Whether a walk over a fixture tree goes into a directory of this name.
/// Names starting with `.` or `_` are skipped, as Go's tools skip them: the
/// place for fixtures that must not run with the others (the runner's own
/// failing examples), which stay testable by naming them explicitly.
pub fn walks_into(dir_name: &str) -> bool {
    !(dir_name.starts_with('.') || dir_name.starts_with('_'))
}

/// One fixture tested.
#[derive(Debug)]
pub struct TestFile {
    /// The fixture's name, as given.
    pub name: String,
    /// The rule files and the fixture: every span of a problem, an
    /// annotation error or a failure points into one of them.
    pub sources: SourceDb,
    /// The fixture in `sources`.
    pub source: SourceId,
    /// The norms under test, sorted.
    pub under_test: Vec<String>,
    /// The fixture's annotations, in source order.
    pub annotations: Vec<Annotation>,
    /// Problems loading the fixture.
    pub problems: Vec<crate::Diagnostic>,
    /// Mistakes in the annotations.
    pub errors: Vec<AnnotationError>,
    /// Sorted by line, then norm.
    pub failures: Vec<Failure>,
}

impl TestFile {
    /// Whether the fixture passed, failed, or could not be tested.
    pub fn status(&self) -> Status {
        if !self.errors.is_empty() || self.problems.iter().any(crate::Diagnostic::is_error) {
            Status::Broken
        } else if !self.failures.is_empty() {
            Status::Failed
        } else {
            Status::Passed
        }
    }

    /// The fixture's text.
    pub fn text(&self) -> &str {
        self.sources.text(self.source)
    }

    /// A text of the run, indexed for excerpts around labels.
    fn snippet_file(&self, id: SourceId) -> SnippetFile {
        let file = self.sources.get(id);
        SnippetFile::new(
            file.map_or("<unknown>", |f| f.name.as_str()),
            file.map_or_else(|| Arc::new(String::new()), |f| Arc::clone(&f.text)),
        )
    }
}

/// Tests one fixture: `name` is how reports call it (and, read as a path,
/// names the directories it is in); `bytes` is its content. `None` when the
/// file is no rule test: it has no annotation and is in no directory named
/// after a norm.
pub fn run(engine: &Engine, name: &str, bytes: &[u8]) -> Option<TestFile> {
    let lossy = String::from_utf8_lossy(bytes);
    let mut annotations = parse_annotations(&lossy);
    let directory = directory_norm(engine, name);
    let has_marker = !annotations.items.is_empty() || !annotations.errors.is_empty();
    if !has_marker && directory.is_none() {
        return None;
    }

    let mut sources = engine.sources().clone();
    let source = sources.add(name, lossy.as_ref());
    let known: BTreeSet<&str> = engine
        .program()
        .norms
        .iter()
        .map(|n| n.id.as_str())
        .collect();
    let mut under_test: BTreeSet<String> = BTreeSet::new();
    match directory {
        Some(DirectoryNorm::Known(id)) => {
            under_test.insert(id.to_owned());
        }
        Some(DirectoryNorm::Unknown(dir)) => {
            let reason = "every fixture under a directory of `norms/` tests the norm the \
                          directory is named after";
            let help = closest_norm(dir, known.iter().copied()).map_or_else(
                || format!("{reason}; `lacuna norms` lists the norms"),
                |c| format!("did you mean `{c}`? {reason}"),
            );
            annotations
                .errors
                .push(AnnotationError::UnknownDirectoryNorm {
                    directory: dir.to_owned(),
                    help,
                    span: Span::empty(0),
                });
        }
        None => {}
    }
    let mut valid = Vec::new();
    for annotation in annotations.items {
        if known.contains(annotation.norm.as_str()) {
            under_test.insert(annotation.norm.clone());
            valid.push(annotation);
        } else {
            let help = closest_norm(&annotation.norm, known.iter().copied()).map_or_else(
                || "`lacuna norms` lists the norms of the rule set".to_owned(),
                |c| format!("did you mean `{c}`?"),
            );
            annotations.errors.push(AnnotationError::UnknownNorm {
                norm: annotation.norm.clone(),
                help,
                span: annotation.span,
            });
        }
    }
    annotations.errors.sort_by_key(error_offset);

    let checked = engine.check(source, bytes, Format::Toml);
    let loads = !checked.problems.iter().any(crate::Diagnostic::is_error);
    let failures = if loads && annotations.errors.is_empty() {
        let index = LineIndex::new(sources.text(source));
        compare_findings(&valid, &under_test, &checked.findings, &index)
    } else {
        Vec::new()
    };
    Some(TestFile {
        name: name.to_owned(),
        sources,
        source,
        under_test: under_test.into_iter().collect(),
        annotations: valid,
        problems: checked.problems,
        errors: annotations.errors,
        failures,
    })
}

enum DirectoryNorm<'a> {
    Known(&'a str),
    /// A directory of `norms/` whose name is no norm's id.
    Unknown(&'a str),
}

/// The norm a fixture's directories name: the nearest directory named after
/// a norm of the rule set. A directory right under one named `norms` is
/// meant to name one, so an unknown name there is reported.
fn directory_norm<'a>(engine: &Engine, name: &'a str) -> Option<DirectoryNorm<'a>> {
    let parts: Vec<&str> = name.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
    let dirs = parts
        .get(..parts.len().saturating_sub(1))
        .unwrap_or_default();
    for (at, dir) in dirs.iter().enumerate().rev() {
        if engine.program().norm(dir).is_some() {
            return Some(DirectoryNorm::Known(dir));
        }
        let parent = at.checked_sub(1).and_then(|p| dirs.get(p));
        if parent == Some(&"norms") && is_norm_id(dir) {
            return Some(DirectoryNorm::Unknown(dir));
        }
    }
    None
}

/// Matches findings to annotations, by norm and line.
fn compare_findings(
    annotations: &[Annotation],
    under_test: &BTreeSet<String>,
    findings: &[crate::Diagnostic],
    index: &LineIndex<'_>,
) -> Vec<Failure> {
    let line_of = |f: &crate::Diagnostic| index.line_column(f.primary.span.start as usize).line;
    let mut flagged: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    let relevant: Vec<(&crate::Diagnostic, usize)> = findings
        .iter()
        .filter(|f| under_test.contains(f.code.as_str()))
        .map(|f| (f, line_of(f)))
        .collect();
    for (finding, line) in &relevant {
        flagged
            .entry(finding.code.as_str())
            .or_default()
            .insert(*line);
    }
    let mut expected: BTreeMap<(usize, &str), &Annotation> = BTreeMap::new();
    let mut ok: BTreeMap<(usize, &str), &Annotation> = BTreeMap::new();
    for annotation in annotations {
        let key = (annotation.line, annotation.norm.as_str());
        match annotation.expectation {
            Expectation::Expect => expected.entry(key).or_insert(annotation),
            Expectation::Ok => ok.entry(key).or_insert(annotation),
        };
    }

    let mut failures = Vec::new();
    for ((line, norm), annotation) in &expected {
        let lines = flagged.get(norm);
        if !lines.is_some_and(|l| l.contains(line)) {
            failures.push(Failure::Missing {
                norm: (*norm).to_owned(),
                line: *line,
                annotation: annotation.span,
                flagged: lines
                    .map(|l| l.iter().copied().collect())
                    .unwrap_or_default(),
            });
        }
    }
    for (finding, line) in relevant {
        let key = (line, finding.code.as_str());
        if expected.contains_key(&key) {
            continue;
        }
        failures.push(Failure::Unexpected {
            line,
            finding: Box::new(finding.clone()),
            ok: ok.get(&key).map(|a| a.span),
        });
    }
    failures.sort_by(|a, b| {
        (a.line(), a.norm(), failure_subject(a)).cmp(&(b.line(), b.norm(), failure_subject(b)))
    });
    failures
}

fn failure_subject(failure: &Failure) -> Option<String> {
    match failure {
        Failure::Missing { .. } => None,
        Failure::Unexpected { finding, .. } => finding.subject.as_ref().map(|s| s.path()),
    }
}

/// Renders one fixture's report: the status line and failures for standard
/// output, the problems and annotation errors for standard error.
pub fn render(file: &TestFile, options: &RenderOptions) -> Rendered {
    let fixture = file.snippet_file(file.source);
    let report = FixtureReport {
        name: &file.name,
        status: file.status(),
        fixture: fixture.clone(),
        failures: &file.failures,
        problems: &file.problems,
        sources: &file.sources,
        errors: file.errors.iter().map(|e| e as &dyn Diagnostic).collect(),
    };
    lacuna_report::ruletest::render(&report, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(text: &str) -> Vec<(Expectation, String, usize)> {
        let parsed = parse_annotations(text);
        assert_eq!(parsed.errors, vec![], "{text}");
        parsed
            .items
            .into_iter()
            .map(|a| (a.expectation, a.norm, a.line))
            .collect()
    }

    #[test]
    fn annotations_at_the_end_of_a_line_are_about_it() {
        let text = "[proposal]\ntitle = \"t\"\n\n[group.a]  # expect: x.y, x.z  # ok: x.w\n";
        assert_eq!(
            targets(text),
            vec![
                (Expectation::Expect, "x.y".to_owned(), 4),
                (Expectation::Expect, "x.z".to_owned(), 4),
                (Expectation::Ok, "x.w".to_owned(), 4),
            ]
        );
    }

    #[test]
    fn annotations_alone_are_about_the_header_below() {
        let text = "# expect: whole.proposal\n\n# prose\n# expect: a.b\n# ok: a.c\n[group.a]\n";
        assert_eq!(
            targets(text),
            vec![
                (Expectation::Expect, "whole.proposal".to_owned(), 1),
                (Expectation::Expect, "a.b".to_owned(), 6),
                (Expectation::Ok, "a.c".to_owned(), 6),
            ]
        );
    }

    #[test]
    fn hashes_in_strings_start_no_comment() {
        let text = "[proposal]\ntitle = \"# expect: a.b\"\nnote = '# ok: a.c'\nlong = \"\"\"\n# expect: a.d\n\"\"\"\nlit = '''\n# ok: a.e'''\n";
        assert_eq!(targets(text), vec![]);
    }

    #[test]
    fn brackets_inside_a_multiline_array_are_no_header() {
        let text = "[proposal]\nx = [\n# expect: a.b\n  [1, 2],\n]\n";
        let parsed = parse_annotations(text);
        assert!(matches!(
            parsed.errors.as_slice(),
            [AnnotationError::Dangling { .. }]
        ));
    }

    #[test]
    fn prose_is_no_annotation_but_near_misses_are_reported() {
        assert_eq!(
            targets("# Note: this is prose\n# expect nothing here\n"),
            vec![]
        );
        let parsed = parse_annotations("[group.a]  # Expect: a.b\n[group.b]  # expected: a.b\n");
        assert_eq!(parsed.errors.len(), 2);
        assert!(matches!(
            &parsed.errors[0],
            AnnotationError::UnknownKind {
                suggestion: "expect",
                ..
            }
        ));
    }

    #[test]
    fn malformed_lists_are_reported() {
        let parsed = parse_annotations("[a]  # expect:\n[b]  # ok: a.b because\n[c]  # ok: A.B\n");
        let messages: Vec<String> = parsed.errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            vec![
                "`expect:` names no norm",
                "`a.b because` is not a norm id",
                "`A.B` is not a norm id",
            ]
        );
    }

    #[test]
    fn contradictions_are_reported() {
        let parsed = parse_annotations("[a]  # expect: a.b  # ok: a.b\n");
        assert_eq!(
            parsed
                .errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            vec!["`a.b` is both expected and ok on line 1"]
        );
    }

    #[test]
    fn spans_cover_the_ids() {
        let text = "[group.a]  # expect:  x.y ,z\n";
        let parsed = parse_annotations(text);
        let spans: Vec<&str> = parsed.items.iter().map(|a| a.span.text(text)).collect();
        assert_eq!(spans, vec!["x.y", "z"]);
    }

    #[test]
    fn crlf_lines_count_like_lf() {
        let text = "[proposal]\r\n\r\n[group.a]  # expect: a.b\r\n";
        assert_eq!(
            targets(text),
            vec![(Expectation::Expect, "a.b".to_owned(), 3)]
        );
    }

    #[test]
    fn every_short_mix_of_tricky_tokens_parses_without_panicking() {
        const TOKENS: [&str; 16] = [
            "#", " ", "expect", "ok", ":", ",", "a.b", "\"", "'''", "\"\"\"", "[", "]", "\n",
            "\r\n", "\\", "é",
        ];
        let mut text = String::new();
        for n in 0..TOKENS.len().pow(4) {
            text.clear();
            let mut rest = n;
            for _ in 0..4 {
                text.push_str(TOKENS[rest % TOKENS.len()]);
                rest /= TOKENS.len();
            }
            let parsed = parse_annotations(&text);
            for annotation in &parsed.items {
                assert!(text.get(annotation.span.range()).is_some(), "{text:?}");
                assert!(annotation.line >= 1, "{text:?}");
            }
            for error in &parsed.errors {
                for label in miette::Diagnostic::labels(error).into_iter().flatten() {
                    let range = label.offset()..label.offset() + label.len();
                    assert!(text.get(range).is_some(), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn fixture_names_and_directories() {
        assert!(is_fixture_name("fail.toml"));
        assert!(!is_fixture_name("lacuna.toml"));
        assert!(!is_fixture_name("status-quo.json"));
        assert!(walks_into("norms"));
        assert!(!walks_into("_cases"));
        assert!(!walks_into(".git"));
    }
}
