//! A small document algebra in the style of Wadler's "prettier printer", and
//! its renderer.
//!
//! The formatter describes the output as a [`Doc`]: text, line breaks that
//! may or may not break, groups that are printed flat when they fit in the
//! width and broken otherwise, and indentation. General-purpose crates offer
//! the same algebra, but not the two pieces comments need: a line comment is
//! deferred to the end of the line it trails (a *line suffix*), and a group
//! whose flat form would put code after such a comment must break.

use crate::ast::CommentKind;

#[derive(Clone, Debug)]
pub(crate) enum Doc {
    Text(String),
    /// A space when its group is flat, a line break when broken.
    Line,
    /// Nothing when its group is flat, a line break when broken.
    SoftLine,
    /// Always a line break; the groups around it cannot be flat.
    HardLine,
    /// Text printed only when the enclosing group is broken (a trailing comma).
    IfBreak(&'static str),
    /// Indents the line breaks inside by this many more columns.
    Nest(usize, Box<Doc>),
    /// Printed flat when it fits in the remaining width, broken otherwise.
    Group(Box<Doc>),
    Concat(Vec<Doc>),
    /// A comment; see [`Placement`].
    Comment(String, CommentKind, Placement),
}

/// Where a comment sits relative to the code around it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Placement {
    /// Before the code it precedes: printed where it stands. The builder puts
    /// a line break or a space after it.
    Leading,
    /// After the code on its line: a line comment is moved to the end of the
    /// line, a block comment follows the code after one space.
    Trailing,
}

pub(crate) fn text(s: impl Into<String>) -> Doc {
    Doc::Text(s.into())
}

pub(crate) fn concat(docs: Vec<Doc>) -> Doc {
    Doc::Concat(docs)
}

pub(crate) fn group(doc: Doc) -> Doc {
    Doc::Group(Box::new(doc))
}

pub(crate) fn nest(indent: usize, doc: Doc) -> Doc {
    Doc::Nest(indent, Box::new(doc))
}

/// Whether `s` may stand between code and the line comment trailing it: a
/// comma or an opening brace (the separators that end a line), or spaces.
fn ends_line(s: &str) -> bool {
    matches!(s.trim(), "" | "," | "{")
}

/// Adds the width of `s` to a measurement; false when it does not fit, or
/// when it is code that would follow a deferred line comment.
fn measure(s: &str, deferred_comment: bool, remaining: &mut usize) -> bool {
    if s.is_empty() {
        return true;
    }
    if s.contains('\n') || (deferred_comment && !ends_line(s)) {
        return false;
    }
    match remaining.checked_sub(s.chars().count()) {
        Some(left) => {
            *remaining = left;
            true
        }
        None => false,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Flat,
    Break,
}

struct Cmd<'d> {
    indent: usize,
    mode: Mode,
    doc: &'d Doc,
}

/// Renders `doc` within `width` columns. Lines never end in spaces: the
/// indentation of a line is written only when text follows on it.
pub(crate) fn render(doc: &Doc, width: usize) -> String {
    let mut out = Output::new();
    let mut stack = vec![Cmd {
        indent: 0,
        mode: Mode::Break,
        doc,
    }];
    while let Some(Cmd { indent, mode, doc }) = stack.pop() {
        match doc {
            Doc::Text(s) => out.code(indent, s),
            Doc::Line => match mode {
                Mode::Flat => out.code(indent, " "),
                Mode::Break => out.newline(indent),
            },
            Doc::SoftLine => {
                if mode == Mode::Break {
                    out.newline(indent);
                }
            }
            Doc::HardLine => out.newline(indent),
            Doc::IfBreak(s) => {
                if mode == Mode::Break {
                    out.code(indent, s);
                }
            }
            Doc::Nest(more, inner) => stack.push(Cmd {
                indent: indent + more,
                mode,
                doc: inner,
            }),
            Doc::Group(inner) => {
                let mode = if mode == Mode::Flat
                    || fits(inner, &stack, width.saturating_sub(out.column))
                {
                    Mode::Flat
                } else {
                    Mode::Break
                };
                stack.push(Cmd {
                    indent,
                    mode,
                    doc: inner,
                });
            }
            Doc::Concat(docs) => {
                stack.extend(docs.iter().rev().map(|doc| Cmd { indent, mode, doc }));
            }
            Doc::Comment(s, kind, placement) => out.comment(indent, s, *kind, *placement),
        }
    }
    out.flush_suffixes(0);
    out.text
}

/// Whether `doc` printed flat, followed by the rest of the stack up to its
/// next line break, fits in `width` columns without putting code after a
/// deferred line comment.
fn fits(doc: &Doc, rest: &[Cmd<'_>], width: usize) -> bool {
    let mut remaining = width;
    let mut deferred_comment = false;
    // Each entry: the document, its mode, and whether it comes from the rest
    // of the stack (where a line break ends the measurement) rather than from
    // the group being measured (where a hard break means it cannot be flat).
    let mut stack: Vec<(&Doc, Mode, bool)> = vec![(doc, Mode::Flat, false)];
    let mut rest = rest.iter().rev();
    loop {
        let (doc, mode, in_rest) = match stack.pop() {
            Some(entry) => entry,
            None => match rest.next() {
                Some(cmd) => (cmd.doc, cmd.mode, true),
                None => return true,
            },
        };
        match doc {
            Doc::Text(s) => {
                if !measure(s, deferred_comment, &mut remaining) {
                    return false;
                }
            }
            Doc::IfBreak(s) => {
                if mode == Mode::Break && !measure(s, deferred_comment, &mut remaining) {
                    return false;
                }
            }
            Doc::Line => match mode {
                Mode::Break => return true,
                Mode::Flat => match remaining.checked_sub(1) {
                    Some(left) => remaining = left,
                    None => return false,
                },
            },
            Doc::SoftLine => {
                if mode == Mode::Break {
                    return true;
                }
            }
            Doc::HardLine => return in_rest,
            Doc::Nest(_, inner) => stack.push((inner, mode, in_rest)),
            Doc::Group(inner) => stack.push((inner, Mode::Flat, in_rest)),
            Doc::Concat(docs) => stack.extend(docs.iter().rev().map(|d| (d, mode, in_rest))),
            Doc::Comment(s, kind, placement) => {
                if *kind == CommentKind::Line && *placement == Placement::Trailing {
                    deferred_comment = true;
                } else if deferred_comment || s.contains('\n') {
                    return false;
                } else {
                    match remaining.checked_sub(s.chars().count() + 1) {
                        Some(left) => remaining = left,
                        None => return false,
                    }
                }
            }
        }
    }
}

struct Output {
    text: String,
    column: usize,
    /// The indentation of the current line while no text is on it yet. It
    /// is written only when text follows, so that no line ends in spaces.
    pending_indent: Option<usize>,
    /// Comments waiting for the end of the current line, in source order.
    suffixes: Vec<(String, CommentKind)>,
}

impl Output {
    fn new() -> Output {
        Output {
            text: String::new(),
            column: 0,
            pending_indent: Some(0),
            suffixes: Vec::new(),
        }
    }

    /// Writes code. A line comment waiting for the end of the line must not
    /// end up after it: the line ends first, unless the code is what may
    /// stand between a node and its trailing comment (a comma, a brace).
    fn code(&mut self, indent: usize, s: &str) {
        if s.is_empty() {
            return;
        }
        if self.suffixes.is_empty() {
            self.text(s);
        } else if s.trim().is_empty() {
            // The comment is written after one space when the line ends.
        } else if ends_line(s) {
            self.text(s);
        } else {
            self.newline(indent);
            self.text(s.trim_start());
        }
    }

    fn text(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if let Some(indent) = self.pending_indent.take() {
            self.text.extend(std::iter::repeat_n(' ', indent));
            self.column = indent;
        }
        self.text.push_str(s);
        match s.rfind('\n') {
            Some(pos) => self.column = s.get(pos + 1..).map_or(0, |tail| tail.chars().count()),
            None => self.column += s.chars().count(),
        }
    }

    fn newline(&mut self, indent: usize) {
        self.flush_suffixes(indent);
        self.text.push('\n');
        self.column = 0;
        self.pending_indent = Some(indent);
    }

    fn comment(&mut self, indent: usize, s: &str, kind: CommentKind, placement: Placement) {
        match placement {
            Placement::Trailing => {
                if kind == CommentKind::Line || !self.suffixes.is_empty() {
                    self.suffixes.push((s.to_owned(), kind));
                } else {
                    self.text(" ");
                    self.text(s);
                }
            }
            Placement::Leading => {
                // A comment written now would land before the deferred ones,
                // or inside a line comment: end the line first.
                if !self.suffixes.is_empty() {
                    self.newline(indent);
                }
                self.text(s);
            }
        }
    }

    /// Writes the deferred comments at the end of the current line. A line
    /// comment runs to the end of its line, so whatever follows one goes on
    /// a line of its own.
    fn flush_suffixes(&mut self, indent: usize) {
        let mut after_line_comment = false;
        for (s, kind) in std::mem::take(&mut self.suffixes) {
            if after_line_comment {
                self.text.push('\n');
                self.pending_indent = Some(indent);
            } else if self.pending_indent.is_none() {
                self.text(" ");
            }
            self.text(&s);
            after_line_comment = kind == CommentKind::Line;
        }
    }
}
