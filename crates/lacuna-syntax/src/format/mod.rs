//! The canonical formatter of `.norm` files.
//!
//! [`format`] prints a syntax tree in the one canonical style described in
//! `docs/formatting.md`: two-space indentation, one item per block with a
//! blank line between items, one field, variant, metadata entry or norm
//! clause per line, and parentheses only where precedence needs them (the
//! tree has no parenthesis node, so they are derived from the operators).
//!
//! Every ordinary comment of [`Ast::comments`] comes out exactly once, in
//! source order: a comment on the line where a node ends stays at the end of
//! that line, any other comment goes before the node that follows it. Doc
//! comments are part of the nodes they document. The source text is consulted
//! only for layout hints (which comments trail a line, where the author left
//! a blank line) and for items the parser could not fully understand, which
//! are kept exactly as written.

mod doc;

use std::fmt::Write as _;

use crate::ast::{
    Ast, BinOp, Comment, CommentKind, Comprehension, Doc as DocComment, EntityDecl, EntityShape,
    EnumDecl, Expr, ExprKind, FieldDecl, ForClause, Ident, Item, Let, MetaEntry, MetaValue,
    NormDecl, Quantifier, StrLit, Template, TemplatePart, TypeExpr, TypeKind,
};
use crate::span::Span;
use doc::{Doc, Placement, concat, group, nest, render, text};

/// The width the formatter keeps lines within wherever a line can be broken.
/// Strings and identifiers are never broken, so a line may still be longer.
pub const MAX_WIDTH: usize = 100;

const INDENT: usize = 2;

/// Prints `ast` in the canonical style.
///
/// `source` is the text `ast` was parsed from. It is used only for layout
/// hints and to keep items with syntax errors as written; with an empty
/// `source` (a tree built by a program) the output is still canonical.
/// The output ends with one line break, or is empty for an empty file.
pub fn format(ast: &Ast, source: &str) -> String {
    let mut comments: Vec<&Comment> = ast.comments.iter().collect();
    // A stable sort keeps comments that share a position (synthetic spans) in
    // their original order.
    comments.sort_by_key(|c| c.span.start);
    let mut formatter = Formatter {
        source,
        comments,
        next: 0,
        last_end: 0,
        quiet: false,
    };
    let doc = formatter.file(&ast.items);
    let out = render(&doc, MAX_WIDTH);
    let out = out.trim_matches('\n');
    if out.is_empty() {
        String::new()
    } else {
        format!("{out}\n")
    }
}

// Binding strength of the expression forms, loosest first. A child whose form
// binds more loosely than its position requires is printed in parentheses.
const QUANT: u8 = 0;
const OR: u8 = 1;
const AND: u8 = 2;
const NOT: u8 = 3;
const CMP: u8 = 4;
const IN: u8 = 5;
const HAS: u8 = 6;
/// Literals, lists, `count(..)`: the operands of `.`, `has` and `in` in a
/// quantifier, which take no operator without parentheses.
const ATOM: u8 = 7;
const FIELD: u8 = 8;
const NAME: u8 = 9;

fn precedence(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Quant(_) => QUANT,
        ExprKind::Binary(BinOp::Or, ..) => OR,
        ExprKind::Binary(BinOp::And, ..) => AND,
        ExprKind::Not(_) => NOT,
        ExprKind::Binary(BinOp::In | BinOp::NotIn, ..) => IN,
        ExprKind::Binary(..) => CMP,
        ExprKind::Has(..) => HAS,
        ExprKind::Field(..) => FIELD,
        ExprKind::Name(_) => NAME,
        ExprKind::Bool(_)
        | ExprKind::Int(_)
        | ExprKind::Str(_)
        | ExprKind::List(_)
        | ExprKind::Count(_)
        | ExprKind::Error => ATOM,
    }
}

/// What separates the next piece of output from the last one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sep {
    /// The output is at the start of a fresh line.
    Fresh,
    /// A space (after a block comment the author wrote on the same line).
    Space,
    /// A line break.
    Newline,
}

/// The state of a sequence of lines: the file, or the inside of a block.
struct Lines {
    /// Nothing has been written yet: no blank line may open the sequence.
    first: bool,
    /// The next line must be preceded by a blank line (between items, and
    /// between the metadata and the body of a norm).
    blank: bool,
}

impl Lines {
    fn new() -> Lines {
        Lines {
            first: true,
            blank: false,
        }
    }
}

struct Formatter<'a> {
    source: &'a str,
    /// Comments sorted by position; `next` is the first not yet printed.
    comments: Vec<&'a Comment>,
    next: usize,
    /// The end of the last node or comment printed, for blank-line hints.
    last_end: u32,
    /// Set while printing template holes, which cannot contain comments.
    quiet: bool,
}

impl<'a> Formatter<'a> {
    // Comments and layout hints.

    fn peek(&self) -> Option<&'a Comment> {
        self.comments.get(self.next).copied()
    }

    fn take(&mut self) -> Option<&'a Comment> {
        let comment = self.peek()?;
        self.next += 1;
        self.last_end = self.last_end.max(comment.span.end);
        Some(comment)
    }

    fn gap(&self, from: u32, to: u32) -> Option<&'a str> {
        if from > to {
            return None;
        }
        self.source.get(from as usize..to as usize)
    }

    /// Whether the author wrote the code at `to` on the line where the block
    /// comment `comment` ends. Code right after the comment (`/* c */x`) is
    /// on that line too: breaking the line there could put a keyword at the
    /// start of a line, where it means something else. A comment without a
    /// position (in a tree built by a program) stands on a line of its own.
    fn same_line(&self, comment: Span, to: u32) -> bool {
        !comment.is_empty()
            && self
                .gap(comment.end, to)
                .is_some_and(|gap| !gap.contains('\n'))
    }

    /// Whether the author left an empty line between `from` and `to`.
    fn blank_line_between(&self, from: u32, to: u32) -> bool {
        let Some(gap) = self.gap(from, to) else {
            return false;
        };
        let mut lines = gap.split('\n');
        // The text before the first line break ends the previous line, and the
        // text after the last one starts the next: neither is an empty line.
        lines.next();
        let mut inner: Vec<&str> = lines.collect();
        inner.pop();
        inner.iter().any(|line| line.trim().is_empty())
    }

    /// Whether a comment not yet printed starts before `end`.
    fn comment_before(&self, end: u32) -> bool {
        self.peek().is_some_and(|c| c.span.start < end)
    }

    /// Whether `comment` trails the node that ends at `from`: it follows on
    /// the same line after nothing but spaces, or it ends that line and only
    /// the separators that end a node's line (a comma, an opening brace)
    /// stand between them.
    fn trails(&self, from: u32, comment: &Comment) -> bool {
        let Some(gap) = self.gap(from, comment.span.start) else {
            return false;
        };
        let spaces = |c: char| matches!(c, ' ' | '\t');
        let separators = |c: char| matches!(c, ' ' | '\t' | ',' | '{');
        match comment.kind {
            CommentKind::Line => gap.chars().all(separators),
            CommentKind::Block => {
                gap.chars().all(spaces)
                    || (gap.chars().all(separators) && self.ends_line(comment.span.end))
            }
        }
    }

    /// Whether only spaces follow `offset` up to the end of its line.
    fn ends_line(&self, offset: u32) -> bool {
        self.source.get(offset as usize..).is_some_and(|rest| {
            rest.split('\n')
                .next()
                .is_some_and(|line| line.trim().is_empty())
        })
    }

    fn separate(&self, sep: Sep, lines: &mut Lines, next_start: u32, parts: &mut Vec<Doc>) {
        let blank =
            !lines.first && (lines.blank || self.blank_line_between(self.last_end, next_start));
        match sep {
            Sep::Fresh => {
                if blank {
                    parts.push(Doc::HardLine);
                }
            }
            Sep::Newline => {
                parts.push(Doc::HardLine);
                if blank {
                    parts.push(Doc::HardLine);
                }
            }
            Sep::Space => parts.push(text(" ")),
        }
        lines.first = false;
        lines.blank = false;
    }

    /// Prints the comments that start at or before `until` on lines of their
    /// own (a block comment followed by code on its line stays on that line),
    /// and returns what must separate the last of them from what follows.
    fn comment_lines(
        &mut self,
        until: u32,
        lines: &mut Lines,
        parts: &mut Vec<Doc>,
        sep: Sep,
    ) -> Sep {
        self.comment_lines_anchored(until, until, lines, parts, sep)
    }

    /// [`Formatter::comment_lines`] for the comments before a unit that
    /// starts at `anchor` and whose value starts at `until`.
    fn comment_lines_anchored(
        &mut self,
        until: u32,
        anchor: u32,
        lines: &mut Lines,
        parts: &mut Vec<Doc>,
        mut sep: Sep,
    ) -> Sep {
        if self.quiet {
            return sep;
        }
        while let Some(c) = self.peek().filter(|c| c.span.start <= until) {
            self.separate(sep, lines, c.span.start, parts);
            self.take();
            parts.push(Doc::Comment(c.text.clone(), c.kind, Placement::Leading));
            // A comment before the unit's start shares a line with what
            // follows it only if the unit itself starts on that line.
            let target = if c.span.end <= anchor { anchor } else { until };
            let next = self
                .peek()
                .map(|n| n.span.start)
                .filter(|&start| start <= target)
                .unwrap_or(target);
            sep = if c.kind == CommentKind::Block && self.same_line(c.span, next) {
                Sep::Space
            } else {
                Sep::Newline
            };
        }
        sep
    }

    /// Opens the line of a unit (an item, field, variant, metadata entry or
    /// norm clause) that starts at `start`: the comments before it, then the
    /// line break and any blank line before it.
    fn open_line(&mut self, start: u32, lines: &mut Lines) -> Doc {
        self.open_line_before(start, start, lines)
    }

    /// Like [`Formatter::open_line`], for a unit whose value must start on
    /// the line of its keyword (`require`, `severity:`): the comments up to
    /// `value`, the offset of the value's first token, go before the unit,
    /// since printing one between the keyword and the value could end the
    /// line there.
    fn open_line_before(&mut self, start: u32, value: u32, lines: &mut Lines) -> Doc {
        let mut parts = Vec::new();
        let sep = self.comment_lines_anchored(value, start, lines, &mut parts, Sep::Newline);
        self.separate(sep, lines, start, &mut parts);
        concat(parts)
    }

    /// The offset of the first token at or after `offset`, past spaces,
    /// comments and opening parentheses: where the text of an expression
    /// whose span covers its parentheses really starts.
    fn first_token(&self, offset: u32) -> u32 {
        let bytes = self.source.as_bytes();
        let mut at = offset;
        loop {
            let comment = self.comments.partition_point(|c| c.span.start < at);
            if let Some(c) = self.comments.get(comment).filter(|c| c.span.start == at) {
                at = c.span.end.max(at + 1);
                continue;
            }
            match bytes.get(at as usize) {
                Some(b' ' | b'\t' | b'\r' | b'\n' | b'(') => at += 1,
                _ => return at,
            }
        }
    }

    /// The comments left inside a block before its closing brace at `end`.
    fn close_lines(&mut self, end: u32, lines: &mut Lines) -> Doc {
        let mut parts = Vec::new();
        if self.comment_before(end) {
            self.comment_lines(end.saturating_sub(1), lines, &mut parts, Sep::Newline);
        }
        concat(parts)
    }

    /// Comments before a node inside a line, printed where they stand; a line
    /// comment, or one the author followed by a line break, ends the line.
    fn leading(&mut self, start: u32) -> Doc {
        let mut parts = Vec::new();
        if self.quiet {
            return concat(parts);
        }
        while let Some(c) = self.peek().filter(|c| c.span.start <= start) {
            self.take();
            parts.push(Doc::Comment(c.text.clone(), c.kind, Placement::Leading));
            let next = self
                .peek()
                .map(|n| n.span.start)
                .filter(|&s| s <= start)
                .unwrap_or(start);
            if c.kind == CommentKind::Block && self.same_line(c.span, next) {
                parts.push(text(" "));
            } else {
                parts.push(Doc::HardLine);
            }
        }
        concat(parts)
    }

    /// Comments after a node that ends at `end`: those on the same line, and
    /// any left inside the node that nothing printed yet.
    fn trailing(&mut self, end: u32) -> Doc {
        let mut parts = Vec::new();
        if self.quiet {
            return concat(parts);
        }
        let mut from = end;
        let mut after_line_comment = false;
        while let Some(c) = self.peek() {
            let inside = c.span.start < end;
            if !inside && (after_line_comment || !self.trails(from, c)) {
                break;
            }
            self.take();
            parts.push(Doc::Comment(c.text.clone(), c.kind, Placement::Trailing));
            from = from.max(c.span.end);
            after_line_comment = c.kind == CommentKind::Line;
        }
        concat(parts)
    }

    fn finish_unit(&mut self, end: u32) -> Doc {
        let trailing = self.trailing(end);
        self.last_end = self.last_end.max(end);
        trailing
    }

    // Items.

    fn file(&mut self, items: &[Item]) -> Doc {
        let mut parts = Vec::new();
        let mut lines = Lines::new();
        for item in items {
            parts.push(self.open_line(item_start(item), &mut lines));
            parts.push(self.item(item));
            lines.blank = true;
        }
        // Comments after the last item keep the author's blank line, if any.
        lines.blank = false;
        self.comment_lines(u32::MAX, &mut lines, &mut parts, Sep::Newline);
        parts.push(Doc::HardLine);
        concat(parts)
    }

    fn item(&mut self, item: &Item) -> Doc {
        if !item_is_complete(item)
            && let Some(doc) = self.verbatim(item)
        {
            return doc;
        }
        match item {
            Item::Enum(e) => self.enum_decl(e),
            Item::Entity(e) => self.entity_decl(e),
            Item::Norm(n) => self.norm_decl(n),
        }
    }

    /// An item the parser could not fully understand, exactly as written.
    fn verbatim(&mut self, item: &Item) -> Option<Doc> {
        let span = item.span();
        let written = span.text(self.source);
        if written.is_empty() {
            return None;
        }
        let doc = match item {
            Item::Enum(e) => e.doc.as_ref(),
            Item::Entity(e) => e.doc.as_ref(),
            Item::Norm(n) => n.doc.as_ref(),
        };
        let mut parts = Vec::new();
        if let Some(doc) = doc.filter(|d| d.span.start < span.start) {
            parts.extend(self.doc_comment(doc, span.start));
        } else {
            let sep = self.comment_lines(span.start, &mut Lines::new(), &mut parts, Sep::Fresh);
            push_sep(sep, &mut parts);
        }
        // The comments inside the item are part of the text kept.
        while self.comment_before(span.end) {
            self.take();
        }
        parts.push(text(written));
        parts.push(self.finish_unit(span.end));
        Some(concat(parts))
    }

    /// The `///` lines of a doc comment, then the comments between it and the
    /// node it documents, each on its own line.
    fn doc_comment(&mut self, doc: &DocComment, node_start: u32) -> Vec<Doc> {
        let mut parts = Vec::new();
        for line in &doc.lines {
            if line.is_empty() {
                parts.push(text("///"));
            } else {
                parts.push(text(format!("/// {line}")));
            }
            parts.push(Doc::HardLine);
        }
        self.last_end = self.last_end.max(doc.span.end);
        let sep = self.comment_lines(node_start, &mut Lines::new(), &mut parts, Sep::Fresh);
        push_sep(sep, &mut parts);
        parts
    }

    /// The doc comment of a node, if any, and the comments before its first token.
    fn head(&mut self, doc: Option<&DocComment>, name_start: u32) -> Vec<Doc> {
        match doc {
            Some(doc) => self.doc_comment(doc, name_start),
            None => {
                let mut parts = Vec::new();
                let sep = self.comment_lines(name_start, &mut Lines::new(), &mut parts, Sep::Fresh);
                push_sep(sep, &mut parts);
                parts
            }
        }
    }

    fn enum_decl(&mut self, e: &EnumDecl) -> Doc {
        let mut parts = self.head(e.doc.as_ref(), e.name.span.start);
        let names: Vec<&str> = e.variants.iter().map(|v| v.name.name.as_str()).collect();
        let one_line = format!("enum {} {{ {} }}", e.name.name, names.join(", "));
        let fits = one_line.chars().count() <= MAX_WIDTH;
        let documented = e.variants.iter().any(|v| v.doc.is_some());
        if names.is_empty() && !self.comment_before(e.span.end) {
            parts.push(text(format!("enum {} {{}}", e.name.name)));
        } else if fits && !documented && !self.comment_before(e.span.end) {
            parts.push(text(one_line));
        } else {
            parts.push(text(format!("enum {}", e.name.name)));
            parts.push(self.trailing(e.name.span.end));
            parts.push(text(" {"));
            let mut lines = Lines::new();
            let mut inner = Vec::new();
            for v in &e.variants {
                inner.push(self.open_line(doc_start(v.doc.as_ref(), v.span), &mut lines));
                inner.extend(self.head(v.doc.as_ref(), v.name.span.start));
                inner.push(text(format!("{},", v.name.name)));
                inner.push(self.finish_unit(v.span.end.max(v.name.span.end)));
            }
            inner.push(self.close_lines(e.span.end, &mut lines));
            parts.push(nest(INDENT, concat(inner)));
            parts.push(Doc::HardLine);
            parts.push(text("}"));
        }
        parts.push(self.finish_unit(e.span.end));
        concat(parts)
    }

    fn entity_decl(&mut self, e: &EntityDecl) -> Doc {
        let mut parts = self.head(e.doc.as_ref(), e.name.span.start);
        parts.push(text(format!("entity {}", e.name.name)));
        parts.push(self.trailing(e.name.span.end));
        for name in e.label.iter().chain(&e.plural) {
            parts.push(text(" "));
            parts.push(self.str_lit(name));
        }
        if let Some(shape_span) = e.shape_span {
            parts.push(self.leading(shape_span.start));
        }
        match e.shape {
            EntityShape::Keyed => {}
            EntityShape::List => parts.push(text(" (list)")),
            EntityShape::Singleton => parts.push(text(" (singleton)")),
        }
        if let Some(shape_span) = e.shape_span {
            parts.push(self.trailing(shape_span.end));
        }
        if e.fields.is_empty() && !self.comment_before(e.span.end) {
            parts.push(text(" {}"));
        } else {
            parts.push(text(" {"));
            let mut lines = Lines::new();
            let mut inner = Vec::new();
            for field in &e.fields {
                inner.push(self.open_line(doc_start(field.doc.as_ref(), field.span), &mut lines));
                inner.push(self.field(field));
            }
            inner.push(self.close_lines(e.span.end, &mut lines));
            parts.push(nest(INDENT, concat(inner)));
            parts.push(Doc::HardLine);
            parts.push(text("}"));
        }
        parts.push(self.finish_unit(e.span.end));
        concat(parts)
    }

    fn field(&mut self, field: &FieldDecl) -> Doc {
        // A type starts on the line of its colon: the comments before it go
        // before the field's name.
        let ty_start = field
            .ty
            .as_ref()
            .map_or(field.name.span.start, |t| t.span.start);
        let mut parts = self.head(field.doc.as_ref(), ty_start);
        parts.push(self.ident(&field.name));
        parts.push(text(":"));
        if let Some(ty) = &field.ty {
            parts.push(text(" "));
            parts.push(self.type_expr(ty));
        }
        if let Some(default) = &field.default {
            parts.push(text(" = "));
            parts.push(self.expr(default, QUANT));
        }
        parts.push(self.finish_unit(field.span.end));
        concat(parts)
    }

    fn type_expr(&mut self, ty: &TypeExpr) -> Doc {
        let leading = self.leading(ty.span.start);
        let body = match &ty.kind {
            TypeKind::Named(name) => self.ident(name),
            TypeKind::List(inner) => concat(vec![text("["), self.type_expr(inner), text("]")]),
            TypeKind::Optional(inner) => concat(vec![self.type_expr(inner), text("?")]),
        };
        let trailing = self.trailing(ty.span.end);
        concat(vec![leading, body, trailing])
    }

    fn norm_decl(&mut self, n: &NormDecl) -> Doc {
        let mut parts = self.head(n.doc.as_ref(), n.id.span.start);
        parts.push(text(format!("norm {}", n.id.text)));
        parts.push(self.trailing(n.id.span.end));
        parts.push(text(" {"));
        let mut lines = Lines::new();
        let mut inner = Vec::new();
        for entry in &n.meta {
            let value = meta_value_start(entry).unwrap_or(entry.span.start);
            inner.push(self.open_line_before(entry.span.start, value, &mut lines));
            inner.push(self.meta_entry(entry));
        }
        lines.blank = !n.meta.is_empty();
        if let Some(for_clause) = &n.for_clause {
            inner.push(self.open_line(for_clause.span.start, &mut lines));
            inner.push(self.for_clause(for_clause));
        }
        for binding in &n.lets {
            inner.push(self.open_line(binding.span.start, &mut lines));
            inner.push(self.let_binding(binding));
        }
        if let Some(require) = &n.require {
            let value = self.first_token(require.span.start);
            inner.push(self.open_line_before(require.span.start, value, &mut lines));
            inner.push(text("require "));
            inner.push(self.expr(require, QUANT));
            inner.push(self.finish_unit(require.span.end));
        }
        for (keyword, template) in [("else ", &n.message), ("help ", &n.help)] {
            if let Some(template) = template {
                inner.push(self.open_line(template.span.start, &mut lines));
                inner.push(text(keyword));
                inner.push(text(self.template(template)));
                inner.push(self.finish_unit(template.span.end));
            }
        }
        inner.push(self.close_lines(n.span.end, &mut lines));
        parts.push(nest(INDENT, concat(inner)));
        parts.push(Doc::HardLine);
        parts.push(text("}"));
        parts.push(self.finish_unit(n.span.end));
        concat(parts)
    }

    fn meta_entry(&mut self, entry: &MetaEntry) -> Doc {
        let mut parts = vec![text(format!("{}: ", entry.key.as_str()))];
        match &entry.value {
            MetaValue::Severity(severity, span) => {
                parts.push(self.leading(span.start));
                parts.push(text(severity.as_str()));
                parts.push(self.trailing(span.end));
            }
            MetaValue::Names(names) => match names.as_slice() {
                [name] => parts.push(self.ident(name)),
                names => {
                    let elems = names.iter().map(|name| self.ident(name)).collect();
                    parts.push(list(elems));
                }
            },
            MetaValue::Str(s) => parts.push(self.str_lit(s)),
            MetaValue::Strs(strs) => {
                let elems = strs.iter().map(|s| self.str_lit(s)).collect();
                parts.push(list(elems));
            }
        }
        parts.push(self.finish_unit(entry.span.end));
        concat(parts)
    }

    fn str_lit(&mut self, s: &StrLit) -> Doc {
        let leading = self.leading(s.span.start);
        let body = text(quote(&s.value));
        let trailing = self.trailing(s.span.end);
        concat(vec![leading, body, trailing])
    }

    fn for_clause(&mut self, clause: &ForClause) -> Doc {
        let mut parts = vec![
            text("for "),
            self.ident(&clause.var),
            text(" in "),
            self.ident(&clause.kind),
        ];
        if let Some(filter) = &clause.filter {
            parts.push(text(" where "));
            parts.push(self.expr(filter, QUANT));
        }
        parts.push(self.finish_unit(clause.span.end));
        concat(parts)
    }

    fn let_binding(&mut self, binding: &Let) -> Doc {
        let parts = vec![
            text("let "),
            self.ident(&binding.name),
            text(" = "),
            self.expr(&binding.value, QUANT),
            self.finish_unit(binding.span.end),
        ];
        concat(parts)
    }

    /// A template as a string literal: text re-escaped, braces doubled, and
    /// each hole printed flat between braces.
    fn template(&mut self, template: &Template) -> String {
        let mut out = String::from("\"");
        let quiet = std::mem::replace(&mut self.quiet, true);
        for part in &template.parts {
            match part {
                TemplatePart::Text(s) => escape_into(&mut out, s, Braces::Doubled),
                TemplatePart::Hole(e) => {
                    let doc = self.expr(e, QUANT);
                    out.push('{');
                    out.push_str(&render(&doc, usize::MAX));
                    out.push('}');
                }
            }
        }
        self.quiet = quiet;
        out.push('"');
        out
    }

    // Expressions.

    fn ident(&mut self, ident: &Ident) -> Doc {
        let leading = self.leading(ident.span.start);
        let trailing = self.trailing(ident.span.end);
        concat(vec![leading, text(ident.name.clone()), trailing])
    }

    /// `e` in a position that needs at least binding strength `min`.
    fn expr(&mut self, e: &Expr, min: u8) -> Doc {
        // The span of a parenthesized expression covers its parentheses, so
        // comments inside them before the first token lead the expression:
        // where they will stand once the parentheses are gone.
        let leading = self.leading(self.first_token(e.span.start));
        let body = self.expr_body(e);
        let body = if precedence(e) < min {
            concat(vec![text("("), body, text(")")])
        } else {
            body
        };
        let trailing = self.trailing(e.span.end);
        concat(vec![leading, body, trailing])
    }

    fn expr_body(&mut self, e: &Expr) -> Doc {
        match &e.kind {
            ExprKind::Bool(b) => text(if *b { "true" } else { "false" }),
            ExprKind::Int(i) => text(i.to_string()),
            ExprKind::Str(s) => text(quote(s)),
            ExprKind::Name(name) => self.ident(name),
            ExprKind::Field(base, field) => {
                concat(vec![self.expr(base, ATOM), text("."), self.ident(field)])
            }
            ExprKind::Has(base, field) => concat(vec![
                self.expr(base, ATOM),
                text(" has "),
                self.ident(field),
            ]),
            ExprKind::List(elems) => {
                let elems = elems.iter().map(|elem| self.expr(elem, QUANT)).collect();
                list(elems)
            }
            ExprKind::Not(inner) => concat(vec![text("not "), self.expr(inner, NOT)]),
            ExprKind::Binary(op @ (BinOp::And | BinOp::Or), ..) => self.chain(e, *op),
            ExprKind::Binary(op, lhs, rhs) => {
                let min = if matches!(op, BinOp::In | BinOp::NotIn) {
                    HAS
                } else {
                    IN
                };
                concat(vec![
                    self.expr(lhs, min),
                    text(format!(" {} ", op.as_str())),
                    self.expr(rhs, min),
                ])
            }
            ExprKind::Quant(q) => self.quantifier(q),
            ExprKind::Count(c) => self.count(c),
            ExprKind::Error => text(""),
        }
    }

    /// `a and b and c`: flat when it fits, else one operand per line, each
    /// continuation line starting with the operator.
    fn chain(&mut self, e: &Expr, op: BinOp) -> Doc {
        let mut operands = Vec::new();
        let mut spine = e;
        while let ExprKind::Binary(spine_op, lhs, rhs) = &spine.kind
            && *spine_op == op
        {
            operands.push(rhs.as_ref());
            spine = lhs;
        }
        operands.push(spine);
        operands.reverse();

        // `or` and `and` group to the left: a left operand may be the same
        // operator, a right operand must bind more tightly.
        let (first_min, rest_min) = if op == BinOp::Or {
            (OR, AND)
        } else {
            (AND, NOT)
        };
        let mut operands = operands.into_iter();
        let first = match operands.next() {
            Some(first) => self.expr(first, first_min),
            None => text(""),
        };
        let mut rest = Vec::new();
        for operand in operands {
            rest.push(Doc::Line);
            rest.push(self.leading(self.first_token(operand.span.start)));
            rest.push(text(format!("{} ", op.as_str())));
            rest.push(self.expr(operand, rest_min));
        }
        // The first operand is indented with the rest, so that the lines it
        // breaks into (the body of a quantifier) stand out from the operators.
        group(nest(INDENT, concat(vec![first, concat(rest)])))
    }

    fn quantifier(&mut self, q: &Quantifier) -> Doc {
        let mut parts = vec![text(format!("{} ", q.kind.as_str()))];
        parts.extend(self.binding(&q.binding, QUANT + 1));
        if let Some(body) = &q.body {
            parts.push(text(":"));
            parts.push(nest(
                INDENT,
                concat(vec![Doc::Line, self.expr(body, QUANT)]),
            ));
        }
        group(concat(parts))
    }

    /// `x in C where F`, shared by quantifiers and `count`. The filter of a
    /// quantifier cannot itself be an unparenthesized quantifier: its body
    /// would swallow the `:` of the outer one.
    fn binding(&mut self, c: &Comprehension, filter_min: u8) -> Vec<Doc> {
        let mut parts = vec![
            self.ident(&c.var),
            text(" in "),
            self.expr(&c.collection, ATOM),
        ];
        if let Some(filter) = &c.filter {
            parts.push(text(" where "));
            parts.push(nest(INDENT, self.expr(filter, filter_min)));
        }
        parts
    }

    fn count(&mut self, c: &Comprehension) -> Doc {
        let binding = self.binding(c, QUANT);
        group(concat(vec![
            text("count("),
            nest(INDENT, concat(vec![Doc::SoftLine, concat(binding)])),
            Doc::SoftLine,
            text(")"),
        ]))
    }
}

fn push_sep(sep: Sep, parts: &mut Vec<Doc>) {
    match sep {
        Sep::Fresh => {}
        Sep::Space => parts.push(text(" ")),
        Sep::Newline => parts.push(Doc::HardLine),
    }
}

/// `[a, b, c]`, or one element per line with a trailing comma when too long.
fn list(elems: Vec<Doc>) -> Doc {
    if elems.is_empty() {
        return text("[]");
    }
    let mut inner = vec![Doc::SoftLine];
    for (i, elem) in elems.into_iter().enumerate() {
        if i > 0 {
            inner.push(text(","));
            inner.push(Doc::Line);
        }
        inner.push(elem);
    }
    inner.push(Doc::IfBreak(","));
    group(concat(vec![
        text("["),
        nest(INDENT, concat(inner)),
        Doc::SoftLine,
        text("]"),
    ]))
}

/// Where the value of a metadata entry starts: its first name or string.
fn meta_value_start(entry: &MetaEntry) -> Option<u32> {
    match &entry.value {
        MetaValue::Severity(_, span) => Some(span.start),
        MetaValue::Names(names) => names.first().map(|n| n.span.start),
        MetaValue::Str(s) => Some(s.span.start),
        MetaValue::Strs(strs) => strs.first().map(|s| s.span.start),
    }
}

/// Where the text of a node starts: at its doc comment, if it has one.
fn doc_start(doc: Option<&DocComment>, span: Span) -> u32 {
    doc.map_or(span.start, |d| d.span.start.min(span.start))
}

fn item_start(item: &Item) -> u32 {
    let doc = match item {
        Item::Enum(e) => e.doc.as_ref(),
        Item::Entity(e) => e.doc.as_ref(),
        Item::Norm(n) => n.doc.as_ref(),
    };
    doc_start(doc, item.span())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Braces {
    /// A plain string: braces are ordinary characters.
    Plain,
    /// A template: a literal brace is written twice.
    Doubled,
}

fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    escape_into(&mut out, s, Braces::Plain);
    out.push('"');
    out
}

/// Escapes `s` for a string literal: quotes, backslashes and control
/// characters, and in templates the braces.
fn escape_into(out: &mut String, s: &str, braces: Braces) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '{' if braces == Braces::Doubled => out.push_str("{{"),
            '}' if braces == Braces::Doubled => out.push_str("}}"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:X}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
}

/// Whether an item has every part a well-formed item has. An item with parts
/// missing came from a file with syntax errors; the formatter keeps its text.
fn item_is_complete(item: &Item) -> bool {
    match item {
        Item::Enum(_) => true,
        Item::Entity(e) => e
            .fields
            .iter()
            .all(|f| f.ty.is_some() && f.default.as_ref().is_none_or(expr_is_complete)),
        Item::Norm(n) => {
            n.require.as_ref().is_some_and(expr_is_complete)
                && n.for_clause
                    .as_ref()
                    .and_then(|f| f.filter.as_ref())
                    .is_none_or(expr_is_complete)
                && n.lets.iter().all(|l| expr_is_complete(&l.value))
                && [&n.message, &n.help]
                    .into_iter()
                    .flatten()
                    .all(template_is_complete)
        }
    }
}

fn template_is_complete(template: &Template) -> bool {
    template.parts.iter().all(|part| match part {
        TemplatePart::Text(_) => true,
        TemplatePart::Hole(e) => expr_is_complete(e),
    })
}

fn expr_is_complete(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Error => false,
        ExprKind::Bool(_) | ExprKind::Int(_) | ExprKind::Str(_) | ExprKind::Name(_) => true,
        ExprKind::Field(base, _) | ExprKind::Has(base, _) | ExprKind::Not(base) => {
            expr_is_complete(base)
        }
        ExprKind::List(elems) => elems.iter().all(expr_is_complete),
        ExprKind::Binary(_, lhs, rhs) => expr_is_complete(lhs) && expr_is_complete(rhs),
        ExprKind::Quant(q) => {
            comprehension_is_complete(&q.binding) && q.body.as_ref().is_none_or(expr_is_complete)
        }
        ExprKind::Count(c) => comprehension_is_complete(c),
    }
}

fn comprehension_is_complete(c: &Comprehension) -> bool {
    expr_is_complete(&c.collection) && c.filter.as_ref().is_none_or(expr_is_complete)
}
