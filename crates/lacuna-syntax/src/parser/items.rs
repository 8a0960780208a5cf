//! Items: `enum`, `entity` and `norm` declarations, and recovery between them.
//!
//! Each item parser records its own errors and returns what it understood, so
//! an item with a broken part is still in the tree. Recovery works at three
//! grains: after a broken item header the parser skips to the next line that
//! starts an item; inside an entity it skips to the next line that starts a
//! field; inside a norm it skips to the next line that starts a clause, so a
//! bad metadata line does not hide a later error in `require`.

use nom::Parser;
use nom::combinator::opt;
use nom::sequence::preceded;

use super::expr::{Sub, can_start_expr, expr, keyword_as_name, name, stray_comma, type_expr};
use super::input::{Input, Kw, PResult, Tok, Token, describe, fail, into_error, kw};
use super::suggest::{expected, expected_on_line, suggest};
use super::template::{decode_string, template};
use crate::ast::{
    Doc, EntityDecl, EntityShape, EnumDecl, Expr, FieldDecl, ForClause, Ident, Item, Let,
    MetaEntry, MetaKey, MetaValue, NormDecl, NormId, Severity, StrLit, Template, Variant,
};
use crate::error::{SyntaxError, SyntaxErrorKind};
use crate::fix::{Edit, Fix};
use crate::span::Span;

// The words a misspelling is compared with, spelt by the enums that own
// them, so that a new keyword or metadata key needs no second list.
const ITEM_KEYWORDS: [&str; 3] = [Kw::Enum.as_str(), Kw::Entity.as_str(), Kw::Norm.as_str()];
const CLAUSE_KEYWORDS: [&str; 5] = [
    Kw::For.as_str(),
    Kw::Let.as_str(),
    Kw::Require.as_str(),
    Kw::Else.as_str(),
    Kw::Help.as_str(),
];
const META_KEYS: [&str; 5] = [
    MetaKey::Severity.as_str(),
    MetaKey::Serves.as_str(),
    MetaKey::Perspective.as_str(),
    MetaKey::Source.as_str(),
    MetaKey::Tags.as_str(),
];
const SEVERITIES: [&str; 3] = [
    Severity::Error.as_str(),
    Severity::Warning.as_str(),
    Severity::Info.as_str(),
];

/// Every item of a file, in source order.
pub(crate) fn file(mut i: Input<'_>) -> Vec<Item> {
    let mut items = Vec::new();
    loop {
        let before = i.offset();
        if i.peek().is_end() {
            break;
        }
        let (rest, doc) = docs(i);
        let token = rest.peek();
        let keyword = match token.kind {
            Tok::Kw(Kw::Enum) => Some("enum"),
            Tok::Kw(Kw::Entity) => Some("entity"),
            Tok::Kw(Kw::Norm) => Some("norm"),
            Tok::Ident if token.line_start || doc.is_some() => misspelt_item(rest, token),
            _ => None,
        };
        let parsed = match keyword {
            Some("enum") => Ok(enum_decl(rest, doc)),
            Some("entity") => Ok(entity_decl(rest, doc)),
            Some(_) => Ok(norm_decl(rest, doc)),
            None => Err(doc),
        };
        match parsed {
            Ok((rest, item)) => {
                items.extend(item);
                i = rest;
            }
            Err(doc) => {
                if let (Some(doc), true) = (&doc, token.is_end()) {
                    rest.report(dangling_doc(doc.span, "the end of the file"));
                } else if token.is(Tok::RBrace) {
                    rest.report(
                        SyntaxError::new(
                            SyntaxErrorKind::Unexpected,
                            "unexpected `}`",
                            token.span,
                            "no item is open here",
                        )
                        .with_help("remove it, or check the braces of the item above"),
                    );
                } else {
                    rest.report(
                        expected(&rest, "an item: `enum`, `entity` or `norm`").with_help(
                            "a rule file holds `enum` and `entity` declarations and `norm` blocks",
                        ),
                    );
                }
                i = skip_to_item(rest.advance());
            }
        }
        if i.offset() == before {
            i = i.advance();
        }
    }
    items
}

/// `entiy group {`: a word at the start of a line that is one slip away from
/// an item keyword, followed by a name, is taken to be that item.
fn misspelt_item(i: Input<'_>, token: Token) -> Option<&'static str> {
    let word = i.text(token);
    let keyword = suggest(word, &ITEM_KEYWORDS)?;
    let next = i.nth(1);
    if !matches!(next.kind, Tok::Ident | Tok::NormId) || next.line_start {
        return None;
    }
    i.report(
        SyntaxError::new(
            SyntaxErrorKind::UnknownKeyword,
            format!("unknown keyword `{word}`"),
            token.span,
            "expected `enum`, `entity` or `norm`",
        )
        .with_help(format!("did you mean `{keyword}`?"))
        .with_fix(Fix::rename(word, token.span, keyword)),
    );
    Some(keyword)
}

/// `;` where a separator belongs, as in other languages: reported, and
/// taken as the separator that was meant. `token` must be the next token.
fn semicolon(i: &Input<'_>, token: Token, label: &str, help: &str) -> bool {
    if !(token.is(Tok::Unknown) && i.text(token) == ";") {
        return false;
    }
    // At the end of a line the semicolon is simply extra.
    let next = i.nth(1);
    let label = if next.line_start || next.is_end() || next.is(Tok::RBrace) {
        "remove this semicolon"
    } else {
        label
    };
    i.report(
        SyntaxError::new(
            SyntaxErrorKind::Unexpected,
            "unexpected `;`",
            token.span,
            label.to_owned(),
        )
        .with_help(help.to_owned()),
    );
    true
}

fn dangling_doc(span: Span, followed_by: &str) -> SyntaxError {
    SyntaxError::new(
        SyntaxErrorKind::DanglingDoc,
        "doc comment documents nothing",
        span,
        format!("followed by {followed_by}"),
    )
    .with_help(
        "a `///` comment documents the item, field or variant after it; \
         remove it or write `//` for an ordinary comment",
    )
}

/// Whether the current token starts an item, possibly after doc comments.
fn is_item_start(i: &Input<'_>) -> bool {
    let mut n = 0;
    while i.nth(n).is(Tok::Doc) {
        n += 1;
    }
    // `norm: text` is a field named `norm`, not the start of a norm.
    matches!(i.nth(n).kind, Tok::Kw(kw) if kw.starts_item()) && !i.nth(n + 1).is(Tok::Colon)
}

/// Skips to the next line that starts an item (or a doc comment for one).
fn skip_to_item(mut i: Input<'_>) -> Input<'_> {
    loop {
        let token = i.peek();
        if token.is_end() {
            return i;
        }
        // Only the first doc line of a run is examined, which keeps this linear.
        let first_of_run = !(token.is(Tok::Doc) && i.prev().is_some_and(|t| t.is(Tok::Doc)));
        if token.line_start && first_of_run && is_item_start(&i) {
            return i;
        }
        i = i.advance();
    }
}

/// Consecutive `///` lines.
fn docs(mut i: Input<'_>) -> (Input<'_>, Option<Doc>) {
    let mut lines = Vec::new();
    let mut span: Option<Span> = None;
    while i.peek().is(Tok::Doc) {
        let token = i.peek();
        let text = i.text(token);
        let text = text.strip_prefix("///").unwrap_or(text);
        let text = text.strip_prefix(' ').unwrap_or(text);
        lines.push(text.to_owned());
        span = Some(span.map_or(token.span, |s| s.cover(token.span)));
        i = i.advance();
    }
    (i, span.map(|span| Doc { lines, span }))
}

fn ident(i: &Input<'_>, token: Token) -> Ident {
    Ident {
        name: i.text(token).to_owned(),
        span: token.span,
    }
}

/// Where the text of a construct ends: the end of its last token.
fn end_of(i: &Input<'_>, start: Span) -> Span {
    start.cover(i.prev().map_or(start, |t| t.span))
}

/// The name after `enum` or `entity`, or a reported error.
fn item_name<'a>(i: Input<'a>, keyword: &str) -> Result<(Input<'a>, Ident), Input<'a>> {
    let token = i.peek();
    match token.kind {
        Tok::Ident => Ok((i.advance(), ident(&i, token))),
        Tok::Kw(k) if !token.line_start => {
            i.report(keyword_as_name(
                token,
                k,
                &format!("a name after `{keyword}`"),
            ));
            Ok((i.advance(), ident(&i, token)))
        }
        _ => {
            i.report(expected_on_line(&i, &format!("a name after `{keyword}`")));
            Err(skip_to_item(i))
        }
    }
}

fn missing_close(i: &Input<'_>, open: Span, what: &str) {
    i.report(
        SyntaxError::new(
            SyntaxErrorKind::Unclosed,
            format!("expected `}}` to close the {what} opened here"),
            i.after_prev(),
            "expected `}`",
        )
        .with_label(open, format!("the {what} opened here")),
    );
}

/// Whether an unclosed body has ended: the end of the input, or a line that
/// starts the next item.
fn body_cut_short(i: &Input<'_>) -> bool {
    let token = i.peek();
    token.is_end() || (token.line_start && is_item_start(i))
}

/// The `{` of an item, or a reported error.
fn open_brace<'a>(i: Input<'a>, after: &str) -> Result<(Input<'a>, Span), Input<'a>> {
    let token = i.peek();
    if token.is(Tok::LBrace) {
        return Ok((i.advance(), token.span));
    }
    i.report(expected_on_line(&i, &format!("`{{` after {after}")));
    Err(skip_to_item(i))
}

fn enum_decl(i: Input<'_>, doc: Option<Doc>) -> (Input<'_>, Option<Item>) {
    let keyword = i.peek();
    let (i, name) = match item_name(i.advance(), "enum") {
        Ok(done) => done,
        Err(rest) => return (rest, None),
    };
    let (mut i, open) = match open_brace(i, &format!("`enum {}`", name.name)) {
        Ok(done) => done,
        Err(rest) => return (rest, None),
    };
    let mut variants = Vec::new();
    let mut separated = true;
    let mut reported_separator = false;
    let mut errors_before = false;
    loop {
        let token = i.peek();
        if token.is(Tok::RBrace) {
            i = i.advance();
            break;
        }
        if body_cut_short(&i) {
            missing_close(&i, open, "enum");
            break;
        }
        match token.kind {
            Tok::Comma => {
                if separated {
                    stray_comma(
                        &i,
                        token,
                        "variants are separated by one comma or a new line",
                    );
                }
                separated = true;
                i = i.advance();
            }
            _ if semicolon(
                &i,
                token,
                "write `,` here",
                "variants are separated by commas or new lines",
            ) =>
            {
                separated = true;
                i = i.advance();
            }
            Tok::Doc | Tok::Ident | Tok::Kw(_) => {
                let (rest, doc) = docs(i);
                let token = rest.peek();
                let name = match token.kind {
                    Tok::Ident => ident(&rest, token),
                    Tok::Kw(k) => {
                        rest.report(keyword_as_name(token, k, "a variant name"));
                        ident(&rest, token)
                    }
                    _ => {
                        if let Some(doc) = &doc {
                            rest.report(dangling_doc(doc.span, &describe(&rest, token)));
                        }
                        i = rest;
                        continue;
                    }
                };
                if !separated && !token.line_start && !reported_separator {
                    rest.report(
                        expected(&rest, "`,` or a new line between variants").with_help(
                            "separate variants with commas, or put each on its own line",
                        ),
                    );
                    reported_separator = true;
                }
                variants.push(Variant {
                    doc,
                    span: name.span,
                    name,
                });
                separated = false;
                i = rest.advance();
            }
            _ => {
                i.report(expected(&i, "a variant name"));
                errors_before = true;
                i = i.advance();
                while !(i.peek().line_start
                    || i.peek().is_end()
                    || matches!(i.peek().kind, Tok::Comma | Tok::RBrace))
                {
                    i = i.advance();
                }
            }
        }
    }
    let span = end_of(&i, keyword.span);
    if variants.is_empty() && !errors_before {
        i.report(
            SyntaxError::new(
                SyntaxErrorKind::EmptyEnum,
                format!("enum `{}` has no variants", name.name),
                name.span,
                "expected at least one variant",
            )
            .with_help(format!(
                "list its values, as in `enum {} {{ first, second }}`",
                name.name
            )),
        );
    }
    (
        i,
        Some(Item::Enum(EnumDecl {
            doc,
            name,
            variants,
            span,
        })),
    )
}

/// The names a reader knows a kind by, written after its name on the same
/// line: `"coordination mechanism"`, then optionally the plural,
/// `"coordination mechanisms"`. A third string is reported and skipped.
fn kind_label(i: Input<'_>) -> (Input<'_>, Option<StrLit>, Option<StrLit>) {
    let is_string = |i: &Input<'_>| {
        let token = i.peek();
        matches!(token.kind, Tok::Str { .. }) && !token.line_start
    };
    if !is_string(&i) {
        return (i, None, None);
    }
    let label = decode_string(&i, i.peek());
    let mut i = i.advance();
    let mut plural = None;
    if is_string(&i) {
        plural = Some(decode_string(&i, i.peek()));
        i = i.advance();
    }
    while is_string(&i) {
        let token = i.peek();
        i.report(
            SyntaxError::new(
                SyntaxErrorKind::Unexpected,
                "unexpected string after the plural of the kind",
                token.span,
                "a kind has one name and one plural",
            )
            .with_help(
                "write the name a reader knows one entity by, then its plural: \
                 `entity coordination \"coordination mechanism\" \"coordination mechanisms\"`",
            ),
        );
        i = i.advance();
    }
    (i, Some(label), plural)
}

/// `(list)` or `(singleton)` after an entity name.
fn entity_shape(i: Input<'_>) -> (Input<'_>, EntityShape, Option<Span>) {
    let open = i.peek();
    if !open.is(Tok::LParen) {
        return (i, EntityShape::Keyed, None);
    }
    let i = i.advance();
    let token = i.peek();
    let shape = match (token.kind, i.text(token)) {
        (Tok::Ident, "list") => Some(EntityShape::List),
        (Tok::Ident, "singleton") => Some(EntityShape::Singleton),
        _ => {
            let word = i.text(token);
            let error = SyntaxError::new(
                SyntaxErrorKind::UnknownShape,
                format!("unknown entity shape {}", describe(&i, token)),
                token.span,
                "expected `list` or `singleton`",
            );
            i.report(match suggest(word, &["list", "singleton"]) {
                Some(guess) => error
                    .with_help(format!("did you mean `{guess}`?"))
                    .with_fix(Fix::rename(word, token.span, guess)),
                None => error.with_help(
                    "an entity is keyed by default; write `(list)` for an array of \
                     tables or `(singleton)` for exactly one table",
                ),
            });
            None
        }
    };
    let mut i = if token.is(Tok::RParen) {
        i
    } else {
        i.advance()
    };
    if i.peek().is(Tok::RParen) {
        let close = i.peek();
        i = i.advance();
        let span = open.span.cover(close.span);
        return (i, shape.unwrap_or_default(), Some(span));
    }
    if shape.is_some() {
        i.report(
            expected_on_line(&i, "`)` after the entity shape")
                .with_label(open.span, "the shape opened here"),
        );
    }
    // Resume at the body's `{` when it is on this line.
    while !(i.peek().line_start || i.peek().is_end() || i.peek().is(Tok::LBrace)) {
        i = i.advance();
    }
    let span = end_of(&i, open.span);
    (i, shape.unwrap_or_default(), Some(span))
}

fn entity_decl(i: Input<'_>, doc: Option<Doc>) -> (Input<'_>, Option<Item>) {
    let keyword = i.peek();
    let (i, name) = match item_name(i.advance(), "entity") {
        Ok(done) => done,
        Err(rest) => return (rest, None),
    };
    let (i, label, plural) = kind_label(i);
    let (i, shape, shape_span) = entity_shape(i);
    let (mut i, open) = match open_brace(i, &format!("`entity {}`", name.name)) {
        Ok(done) => done,
        Err(rest) => return (rest, None),
    };
    let mut fields = Vec::new();
    let mut separated = true;
    loop {
        let token = i.peek();
        if token.is(Tok::RBrace) {
            i = i.advance();
            break;
        }
        if body_cut_short(&i) {
            missing_close(&i, open, "entity");
            break;
        }
        if token.is(Tok::Comma) {
            if separated {
                stray_comma(&i, token, "fields are separated by one comma or a new line");
            }
            separated = true;
            i = i.advance();
            continue;
        }
        let (rest, doc) = docs(i);
        let token = rest.peek();
        if doc.is_some() && (token.is(Tok::RBrace) || token.is_end()) {
            if let Some(doc) = &doc {
                rest.report(dangling_doc(doc.span, &describe(&rest, token)));
            }
            i = rest;
            continue;
        }
        match field(rest, doc) {
            Ok((rest, field)) => {
                fields.push(field);
                separated = false;
                let next = rest.peek();
                if next.line_start || next.is_end() || matches!(next.kind, Tok::Comma | Tok::RBrace)
                {
                    i = rest;
                } else if semicolon(
                    &rest,
                    next,
                    "write `,` here",
                    "fields are separated by commas or new lines",
                ) {
                    separated = true;
                    i = rest.advance();
                } else {
                    rest.report(expected(&rest, "`,` or a new line after the field"));
                    i = skip_field(rest);
                }
            }
            Err(err) => {
                rest.report(into_error(&rest, err));
                i = skip_field(rest.advance());
            }
        }
    }
    let span = end_of(&i, keyword.span);
    (
        i,
        Some(Item::Entity(EntityDecl {
            doc,
            name,
            label,
            plural,
            shape,
            shape_span,
            fields,
            span,
        })),
    )
}

/// Skips to the next line that starts a field (`name:` or a doc comment), the
/// closing `}`, or the next item.
fn skip_field(mut i: Input<'_>) -> Input<'_> {
    loop {
        let token = i.peek();
        if token.is_end() || token.is(Tok::RBrace) {
            return i;
        }
        if token.line_start
            && (token.is(Tok::Doc)
                || is_item_start(&i)
                || (matches!(token.kind, Tok::Ident | Tok::Kw(_)) && i.nth(1).is(Tok::Colon)))
        {
            return i;
        }
        i = i.advance();
    }
}

fn missing_type(name: &Ident, at: Span) -> SyntaxError {
    SyntaxError::new(
        SyntaxErrorKind::MissingType,
        format!("field `{}` has no type", name.name),
        at,
        "expected a type",
    )
    .with_help(format!(
        "write a type after a colon, as in `{}: text`; a type is `bool`, `int`, `text`, \
         an enum or entity name, `[T]` or `T?`",
        name.name
    ))
}

/// `name: type [= default]`.
fn field(i: Input<'_>, doc: Option<Doc>) -> PResult<'_, FieldDecl> {
    let token = i.peek();
    let (i, name) = match token.kind {
        // Keywords may name fields: `norm: text` is unambiguous here, and
        // the field is reached as `a.norm`.
        Tok::Kw(_) if i.nth(1).is(Tok::Colon) => (i.advance(), ident(&i, token)),
        _ => name(i, "a field name")?,
    };
    let stops_type = |t: Token| {
        t.line_start || t.is_end() || matches!(t.kind, Tok::RBrace | Tok::Comma | Tok::Assign)
    };
    let next = i.peek();
    let (i, ty) = if next.is(Tok::Colon) {
        let i = i.advance();
        if stops_type(i.peek()) {
            i.report(missing_type(&name, i.after_prev()));
            (i, None)
        } else {
            let (i, (ty, _)) = type_expr(i, 1)?;
            (i, Some(ty))
        }
    } else if stops_type(next) {
        i.report(missing_type(&name, i.after_prev()));
        (i, None)
    } else if next.is(Tok::Ident) {
        // `name text`: the type is there, only the colon is missing.
        i.report(expected(&i, "`:` after the field name").with_help(format!(
            "write `{}: {}`",
            name.name,
            i.text(next)
        )));
        let (i, (ty, _)) = type_expr(i, 1)?;
        (i, Some(ty))
    } else {
        return fail(expected(&i, "`:` and a type after the field name"));
    };
    let (i, default) = opt(preceded(kw_assign, |i| expr(i, 1))).parse(i)?;
    let span = end_of(&i, name.span);
    Ok((
        i,
        FieldDecl {
            doc,
            name,
            ty,
            default: default.map(|d: Sub| d.expr),
            span,
        },
    ))
}

fn kw_assign(i: Input<'_>) -> PResult<'_, Token> {
    super::input::tok(Tok::Assign)(i)
}

fn norm_decl(i: Input<'_>, doc: Option<Doc>) -> (Input<'_>, Option<Item>) {
    let keyword = i.peek();
    let i = i.advance();
    let token = i.peek();
    let (i, id) = match token.kind {
        Tok::NormId | Tok::Ident | Tok::Int if !token.line_start => {
            let (rest, span) = norm_id_span(i);
            let text = i.cx.text(span).to_owned();
            check_norm_id(&i, &text, span);
            (rest, Some(NormId { text, span }))
        }
        _ => {
            i.report(
                expected_on_line(&i, "a norm id after `norm`")
                    .with_help("a norm id is dotted lowercase words, as in `protection.coverage`"),
            );
            (i, None)
        }
    };
    let brace = i.peek();
    let (i, open) = if brace.is(Tok::LBrace) {
        (i.advance(), brace.span)
    } else if id.is_some() && brace.line_start && !body_cut_short(&i) {
        // `norm a.b` with the body on the next lines: take the `{` as forgotten.
        i.report(expected_on_line(&i, "`{` after the norm id"));
        (i, i.after_prev())
    } else {
        i.report(expected_on_line(&i, "`{` after the norm id"));
        return (skip_to_item(i), None);
    };
    let (i, body) = norm_body(i, open);
    let span = end_of(&i, keyword.span);
    let Some(id) = id else {
        // Without an id the norm cannot be named; its body was still checked.
        return (i, None);
    };
    if !body.saw_require {
        i.report(
            SyntaxError::new(
                SyntaxErrorKind::MissingRequire,
                format!("norm `{}` has no `require`", id.text),
                id.span,
                "expected a `require` clause in this norm",
            )
            .with_help("state what must hold, as in `require g.vulnerable`"),
        );
    }
    (
        i,
        Some(Item::Norm(NormDecl {
            doc,
            id,
            meta: body.meta,
            for_clause: body.for_clause,
            lets: body.lets,
            require: body.require,
            message: body.message,
            help: body.help,
            open_brace: open,
            span,
        })),
    )
}

/// The tokens of a norm id. After the `norm` keyword the lexer makes the id
/// one token; after a misspelt keyword (`nrom a.b-c`) it is several, glued
/// back together here as long as no space separates them.
fn norm_id_span(i: Input<'_>) -> (Input<'_>, Span) {
    let first = i.peek();
    let mut span = first.span;
    let mut i = i.advance();
    if first.is(Tok::NormId) {
        return (i, span);
    }
    loop {
        let token = i.peek();
        let glued = token.span.start == span.end
            && (matches!(token.kind, Tok::Ident | Tok::Int | Tok::Dot | Tok::Kw(_))
                || (token.is(Tok::Unknown) && i.text(token) == "-"));
        if !glued {
            return (i, span);
        }
        span = span.cover(token.span);
        i = i.advance();
    }
}

fn check_norm_id(i: &Input<'_>, text: &str, span: Span) {
    let at = |index: usize, len: usize| {
        let start = span.start + u32::try_from(index).unwrap_or(0);
        Span::new(start, start + u32::try_from(len).unwrap_or(0))
    };
    let help = "a norm id is segments of lowercase letters, digits, `_` and `-` joined by `.`, \
                as in `forum.un-anchored`";
    let error = |message: String, index: usize, len: usize, label: &str| {
        SyntaxError::new(
            SyntaxErrorKind::InvalidNormId,
            message,
            at(index, len),
            label,
        )
    };
    if let Some((index, c)) = text
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
    {
        i.report(
            error(
                format!("norm id `{text}` contains the character `{c}`"),
                index,
                c.len_utf8(),
                "not allowed in a norm id",
            )
            .with_help(help),
        );
        return;
    }
    if text.contains(|c: char| c.is_ascii_uppercase()) {
        i.report(
            error(
                format!("norm id `{text}` is not lowercase"),
                0,
                text.len(),
                "expected lowercase letters",
            )
            .with_help(format!("write `{}`", text.to_ascii_lowercase())),
        );
        return;
    }
    let mut index = 0;
    for segment in text.split('.') {
        if segment.is_empty() {
            let len = usize::from(index < text.len());
            i.report(
                error(
                    format!("norm id `{text}` has an empty segment"),
                    index.min(text.len().saturating_sub(1)),
                    len,
                    "expected a segment here",
                )
                .with_help(help),
            );
            return;
        }
        if segment.starts_with('-') {
            i.report(
                error(
                    format!("a segment of norm id `{text}` starts with `-`"),
                    index,
                    1,
                    "a segment starts with a letter, a digit or `_`",
                )
                .with_help(help),
            );
            return;
        }
        index += segment.len() + 1;
    }
}

/// What a norm body holds, gathered clause by clause.
#[derive(Default)]
struct Body {
    meta: Vec<MetaEntry>,
    for_clause: Option<ForClause>,
    lets: Vec<Let>,
    require: Option<Expr>,
    message: Option<Template>,
    help: Option<Template>,
    saw_require: bool,
    /// The furthest clause so far, to report one written out of order.
    furthest: Option<(Clause, Span)>,
    first_for: Option<Span>,
    first_require: Option<Span>,
    first_else: Option<Span>,
    first_help: Option<Span>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Clause {
    Meta,
    For,
    Let,
    Require,
    Else,
    Help,
}

impl Clause {
    fn rank(self) -> u8 {
        self as u8
    }

    fn name(self) -> &'static str {
        match self {
            Clause::Meta => "metadata",
            Clause::For => "`for`",
            Clause::Let => "`let`",
            Clause::Require => "`require`",
            Clause::Else => "`else`",
            Clause::Help => "`help`",
        }
    }

    fn from_keyword(word: &str) -> Option<Clause> {
        Some(match word {
            "for" => Clause::For,
            "let" => Clause::Let,
            "require" => Clause::Require,
            "else" => Clause::Else,
            "help" => Clause::Help,
            _ => return None,
        })
    }
}

/// Whether a line starting here starts a norm clause (or ends the norm).
fn starts_clause(i: &Input<'_>) -> bool {
    let token = i.peek();
    match token.kind {
        Tok::Kw(Kw::For | Kw::Let | Kw::Require | Kw::Else | Kw::Help) | Tok::Doc => true,
        Tok::Kw(k) => k.starts_item(),
        Tok::Ident => i.nth(1).is(Tok::Colon) || suggest(i.text(token), &CLAUSE_KEYWORDS).is_some(),
        _ => false,
    }
}

/// Skips to the next line that starts a clause, or to the end of the norm.
fn skip_clause(mut i: Input<'_>) -> Input<'_> {
    loop {
        let token = i.peek();
        if token.is_end() || token.is(Tok::RBrace) || (token.line_start && starts_clause(&i)) {
            return i;
        }
        i = i.advance();
    }
}

fn norm_body(mut i: Input<'_>, open: Span) -> (Input<'_>, Body) {
    let mut body = Body::default();
    loop {
        let token = i.peek();
        if token.is(Tok::RBrace) {
            i = i.advance();
            break;
        }
        if body_cut_short(&i) {
            missing_close(&i, open, "norm");
            break;
        }
        if token.is(Tok::Doc) {
            let (rest, doc) = docs(i);
            if let Some(doc) = doc {
                i.report(
                    SyntaxError::new(
                        SyntaxErrorKind::MisplacedDoc,
                        "doc comment inside a norm",
                        doc.span,
                        "documents nothing here",
                    )
                    .with_help(
                        "document the norm with `///` above `norm`; write `//` for a \
                         comment inside it",
                    ),
                );
            }
            i = rest;
            continue;
        }
        let clause = match token.kind {
            Tok::Kw(Kw::For) => Some(Clause::For),
            Tok::Kw(Kw::Let) => Some(Clause::Let),
            Tok::Kw(Kw::Require) => Some(Clause::Require),
            Tok::Kw(Kw::Else) => Some(Clause::Else),
            Tok::Kw(Kw::Help) => Some(Clause::Help),
            Tok::Ident if i.nth(1).is(Tok::Colon) => Some(Clause::Meta),
            Tok::Ident => misspelt_clause(&i, token),
            _ => None,
        };
        let Some(clause) = clause else {
            i.report(expected(
                &i,
                "metadata, `for`, `let`, `require`, `else` or `help`",
            ));
            i = skip_clause(i.advance());
            continue;
        };
        check_order(&i, &mut body, clause, token);
        let result = match clause {
            Clause::Meta => meta_entry(i, &mut body),
            Clause::For => for_clause(i, &mut body),
            Clause::Let => let_clause(i, &mut body),
            Clause::Require => require_clause(i, &mut body),
            Clause::Else | Clause::Help => template_clause(i, &mut body, clause),
        };
        i = match result {
            Ok((rest, ())) if ends_in_broken_string(&rest) => skip_clause(rest),
            Ok((rest, ())) => end_of_clause(rest, clause),
            Err(err) => {
                i.report(into_error(&i, err));
                skip_clause(i.advance())
            }
        };
    }
    (i, body)
}

/// Whether the clause just parsed ended in an unterminated string: the text
/// after it is likely the rest of that string, and reporting it would only
/// repeat the same mistake.
fn ends_in_broken_string(i: &Input<'_>) -> bool {
    i.prev()
        .is_some_and(|t| t.kind == Tok::Str { terminated: false })
}

/// `requre x`: a word one slip away from a clause keyword, at the start of a
/// line, is reported and parsed as that clause.
fn misspelt_clause(i: &Input<'_>, token: Token) -> Option<Clause> {
    let word = i.text(token);
    let keyword = suggest(word, &CLAUSE_KEYWORDS)?;
    i.report(
        SyntaxError::new(
            SyntaxErrorKind::UnknownKeyword,
            format!("unknown keyword `{word}`"),
            token.span,
            "expected metadata, `for`, `let`, `require`, `else` or `help`",
        )
        .with_help(format!("did you mean `{keyword}`?"))
        .with_fix(Fix::rename(word, token.span, keyword)),
    );
    Clause::from_keyword(keyword)
}

fn check_order(i: &Input<'_>, body: &mut Body, clause: Clause, token: Token) {
    match body.furthest {
        Some((later, at)) if clause.rank() < later.rank() => {
            i.report(
                SyntaxError::new(
                    SyntaxErrorKind::ClauseOrder,
                    format!("{} must come before {}", clause.name(), later.name()),
                    token.span,
                    "out of order",
                )
                .with_label(at, format!("{} is here", later.name()))
                .with_help(
                    "a norm lists its metadata, then `for`, `let`, `require`, `else` \
                     and `help`, in that order",
                ),
            );
        }
        _ => body.furthest = Some((clause, token.span)),
    }
}

fn duplicate_clause(i: &Input<'_>, first: Span, second: Span, keyword: &str, help: &str) {
    i.report(
        SyntaxError::new(
            SyntaxErrorKind::DuplicateClause,
            format!("a norm has at most one `{keyword}`"),
            second,
            format!("a second `{keyword}`"),
        )
        .with_label(first, format!("the first `{keyword}`"))
        .with_help(help.to_owned()),
    );
}

/// After a clause, the line must end (or the norm close).
fn end_of_clause(i: Input<'_>, clause: Clause) -> Input<'_> {
    let token = i.peek();
    if token.line_start || token.is_end() || token.is(Tok::RBrace) {
        return i;
    }
    // Clauses start with a keyword, so several fit on one line:
    // `norm a { for g in group require g.x }`. Metadata keeps a line each.
    if clause != Clause::Meta
        && matches!(
            token.kind,
            Tok::Kw(Kw::For | Kw::Let | Kw::Require | Kw::Else | Kw::Help)
        )
    {
        return i;
    }
    if token.is(Tok::Comma) {
        let help = match clause {
            Clause::Meta => "metadata entries go one per line, without commas",
            Clause::For | Clause::Let | Clause::Require => "combine conditions with `and` or `or`",
            Clause::Else | Clause::Help => "a template is one string; put the comma inside it",
        };
        stray_comma(&i, token, help);
        return skip_clause(i.advance());
    }
    if semicolon(
        &i,
        token,
        "remove this semicolon",
        "a clause ends at the end of its line, without a semicolon",
    ) {
        return i.advance();
    }
    if matches!(token.kind, Tok::RParen | Tok::RBracket) {
        let text = i.text(token);
        let open = if token.is(Tok::RParen) { "(" } else { "[" };
        i.report(
            SyntaxError::new(
                SyntaxErrorKind::Unexpected,
                format!("unmatched `{text}`"),
                token.span,
                format!("no `{open}` is open here"),
            )
            .with_help("remove it, or add the missing opening bracket"),
        );
        return skip_clause(i.advance());
    }
    let (what, candidates): (&str, &[&str]) = match clause {
        Clause::Meta => ("a new line after the metadata entry", &[]),
        Clause::For => ("`where` or a new line", &["where"]),
        Clause::Let | Clause::Require => (
            "an operator or a new line",
            &["and", "or", "not", "in", "has"],
        ),
        Clause::Else | Clause::Help => ("a new line after the template", &[]),
    };
    let mut error = expected(&i, what);
    if token.is(Tok::Ident) {
        let word = i.text(token);
        if let Some(guess) = suggest(word, candidates) {
            error = error
                .with_help(format!("did you mean `{guess}`?"))
                .with_fix(Fix::rename(word, token.span, guess));
        }
    }
    i.report(error);
    skip_clause(i.advance())
}

/// `require:` and the like: a colon after a clause keyword is reported and skipped.
fn skip_colon<'a>(i: Input<'a>, keyword: &str) -> Input<'a> {
    let token = i.peek();
    if !token.is(Tok::Colon) {
        return i;
    }
    i.report(
        SyntaxError::new(
            SyntaxErrorKind::Unexpected,
            format!("unexpected `:` after `{keyword}`"),
            token.span,
            "remove this colon",
        )
        .with_help(format!(
            "only metadata keys take a colon; write `{keyword}` followed by a space"
        ))
        .with_fix(Fix::safe(
            "remove the colon",
            vec![Edit::delete(token.span)],
        )),
    );
    i.advance()
}

fn meta_entry<'a>(i: Input<'a>, body: &mut Body) -> PResult<'a, ()> {
    let key_token = i.peek();
    let word = i.text(key_token);
    let key = MetaKey::ALL.into_iter().find(|k| k.as_str() == word);
    let i = i.advance().advance();
    let Some(key) = key else {
        let error = SyntaxError::new(
            SyntaxErrorKind::UnknownMetaKey,
            format!("unknown metadata key `{word}`"),
            key_token.span,
            "not a metadata key",
        );
        let guess = suggest(word, &META_KEYS);
        i.report(match guess {
            Some(guess) => error
                .with_help(format!("did you mean `{guess}`?"))
                .with_fix(Fix::rename(word, key_token.span, guess)),
            None => error.with_help(format!(
                "the metadata keys are {}",
                crate::suggest::all_of(META_KEYS)
            )),
        });
        // With a likely key, the value is still checked, but not kept.
        return match guess.and_then(|g| MetaKey::ALL.into_iter().find(|k| k.as_str() == g)) {
            Some(key) => meta_value(i, key).map(|(rest, _)| (rest, ())),
            None => Ok((skip_line(i), ())),
        };
    };
    let (i, value) = meta_value(i, key)?;
    let Some(value) = value else {
        return Ok((i, ()));
    };
    if let Some(first) = body.meta.iter().find(|m| m.key == key) {
        i.report(
            SyntaxError::new(
                SyntaxErrorKind::DuplicateMetaKey,
                format!("duplicate metadata key `{word}`"),
                key_token.span,
                format!("`{word}` is set again here"),
            )
            .with_label(first.key_span, "first set here")
            .with_help("each metadata key is set at most once; remove one of them"),
        );
        return Ok((i, ()));
    }
    body.meta.push(MetaEntry {
        key,
        key_span: key_token.span,
        value,
        span: end_of(&i, key_token.span),
    });
    Ok((i, ()))
}

/// The rest of the current line.
fn skip_line(mut i: Input<'_>) -> Input<'_> {
    while !(i.peek().line_start || i.peek().is_end() || i.peek().is(Tok::RBrace)) {
        i = i.advance();
    }
    i
}

/// A metadata value; `None` when it was reported as wrong but the line is
/// still well-formed enough to go on.
fn meta_value(i: Input<'_>, key: MetaKey) -> PResult<'_, Option<MetaValue>> {
    let token = i.peek();
    let on_line = !token.line_start && !token.is_end();
    match key {
        MetaKey::Severity => match token.kind {
            Tok::Ident if on_line => {
                let word = i.text(token);
                match Severity::from_name(word) {
                    Some(severity) => {
                        Ok((i.advance(), Some(MetaValue::Severity(severity, token.span))))
                    }
                    None => {
                        let error = SyntaxError::new(
                            SyntaxErrorKind::UnknownSeverity,
                            format!("unknown severity `{word}`"),
                            token.span,
                            "expected `error`, `warning` or `info`",
                        );
                        i.report(match suggest(word, &SEVERITIES) {
                            Some(guess) => error
                                .with_help(format!("did you mean `{guess}`?"))
                                .with_fix(Fix::rename(word, token.span, guess)),
                            None => error.with_help("a severity is `error`, `warning` or `info`"),
                        });
                        Ok((i.advance(), None))
                    }
                }
            }
            Tok::Str { .. } if on_line => {
                let value = decode_string(&i, token).value;
                i.report(
                    SyntaxError::new(
                        SyntaxErrorKind::InvalidMetaValue,
                        "expected a severity, found a string",
                        token.span,
                        "expected `error`, `warning` or `info`",
                    )
                    .with_help(format!(
                        "write the severity without quotes: `severity: {value}`"
                    ))
                    .with_fix_opt(Severity::from_name(&value).map(|_| {
                        Fix::safe(
                            "remove the quotes",
                            vec![Edit::replace(token.span, value.clone())],
                        )
                    })),
                );
                Ok((i.advance(), None))
            }
            _ => fail(expected_on_line(
                &i,
                "a severity: `error`, `warning` or `info`",
            )),
        },
        MetaKey::Serves | MetaKey::Perspective => match token.kind {
            Tok::Ident if on_line => Ok(bare_names(i, key)),
            Tok::LBracket if on_line => {
                let (i, names) = meta_list(i, MetaItem::Name)?;
                let names = names
                    .into_iter()
                    .filter_map(|item| match item {
                        MetaListItem::Name(name) => Some(name),
                        MetaListItem::Str(_) => None,
                    })
                    .collect();
                Ok((i, Some(MetaValue::Names(names))))
            }
            _ => fail(expected_on_line(
                &i,
                &format!("a variant of `{}`, or a list of them", meta_enum(key)),
            )),
        },
        MetaKey::Source => {
            match token.kind {
                Tok::Str { .. } if on_line => {
                    Ok((i.advance(), Some(MetaValue::Str(decode_string(&i, token)))))
                }
                _ => fail(expected_on_line(&i, "a string").with_help(
                    "quote the source, as in `source: \"Betts 2010, Recommendation 1\"`",
                )),
            }
        }
        MetaKey::Tags => match token.kind {
            Tok::LBracket if on_line => {
                let (i, items) = meta_list(i, MetaItem::Str)?;
                let tags = items
                    .into_iter()
                    .filter_map(|item| match item {
                        MetaListItem::Str(s) => Some(s),
                        MetaListItem::Name(_) => None,
                    })
                    .collect();
                Ok((i, Some(MetaValue::Strs(tags))))
            }
            Tok::Str { .. } if on_line => {
                let lit = decode_string(&i, token);
                i.report(
                    SyntaxError::new(
                        SyntaxErrorKind::InvalidMetaValue,
                        "expected a list of strings, found a string",
                        token.span,
                        "expected `[...]`",
                    )
                    .with_help(format!(
                        "write the tags as a list: `tags: [\"{}\"]`",
                        lit.value
                    )),
                );
                Ok((i.advance(), Some(MetaValue::Strs(vec![lit]))))
            }
            _ => fail(
                expected_on_line(&i, "a list of strings")
                    .with_help("write the tags as a list, as in `tags: [\"protection\"]`"),
            ),
        },
    }
}

/// `serves: rights` or, reported, `serves: rights, security`: several names
/// without brackets are kept as the list they were meant to be.
fn bare_names(i: Input<'_>, key: MetaKey) -> (Input<'_>, Option<MetaValue>) {
    let first = i.peek();
    let mut names = vec![ident(&i, first)];
    let mut rest = i.advance();
    let comma = rest.peek();
    if !comma.is(Tok::Comma) || comma.line_start {
        return (rest, Some(MetaValue::Names(names)));
    }
    while rest.peek().is(Tok::Comma) && !rest.peek().line_start {
        let next = rest.advance().peek();
        if !next.is(Tok::Ident) || next.line_start {
            break;
        }
        names.push(ident(&rest, next));
        rest = rest.advance().advance();
    }
    let written: Vec<&str> = names.iter().map(|n| n.name.as_str()).collect();
    i.report(
        SyntaxError::new(
            SyntaxErrorKind::InvalidMetaValue,
            format!("unexpected `,` in `{}`", key.as_str()),
            comma.span,
            "several names go in a list",
        )
        .with_help(format!(
            "write `{}: [{}]`",
            key.as_str(),
            written.join(", ")
        )),
    );
    (rest, Some(MetaValue::Names(names)))
}

fn meta_enum(key: MetaKey) -> &'static str {
    match key {
        MetaKey::Perspective => "perspective",
        _ => "value",
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum MetaItem {
    Name,
    Str,
}

enum MetaListItem {
    Name(Ident),
    Str(StrLit),
}

/// `[a, b]` or `["a", "b"]` in metadata: flat, so no nesting to count.
fn meta_list(i: Input<'_>, want: MetaItem) -> PResult<'_, Vec<MetaListItem>> {
    let open = i.peek();
    let mut i = i.advance();
    let mut items = Vec::new();
    let mut separated = true;
    loop {
        let token = i.peek();
        match token.kind {
            Tok::RBracket => return Ok((i.advance(), items)),
            Tok::Comma => {
                if separated {
                    stray_comma(&i, token, "list elements are separated by one comma");
                }
                separated = true;
                i = i.advance();
                continue;
            }
            _ => {}
        }
        if !separated {
            if !matches!(token.kind, Tok::Ident | Tok::Str { .. }) || token.line_start {
                super::expr::unclosed(&i, open, "]", "list")?;
                return Ok((i, items));
            }
            // `[rights security]`: a comma is missing, the list goes on.
            i.report(
                expected(&i, "`,` or `]`")
                    .with_label(open.span, "the list opened here")
                    .with_help("separate the elements with commas"),
            );
        }
        match (token.kind, want) {
            (Tok::Ident, MetaItem::Name) => items.push(MetaListItem::Name(ident(&i, token))),
            (Tok::Str { .. }, MetaItem::Str) => {
                items.push(MetaListItem::Str(decode_string(&i, token)));
            }
            (Tok::Str { .. }, MetaItem::Name) => {
                let value = decode_string(&i, token).value;
                i.report(
                    SyntaxError::new(
                        SyntaxErrorKind::InvalidMetaValue,
                        "expected a name, found a string",
                        token.span,
                        "expected a variant name",
                    )
                    .with_help(format!("write the name without quotes: `{value}`")),
                );
            }
            (Tok::Ident, MetaItem::Str) => {
                let word = i.text(token);
                i.report(
                    SyntaxError::new(
                        SyntaxErrorKind::InvalidMetaValue,
                        format!("expected a string, found `{word}`"),
                        token.span,
                        "expected a string",
                    )
                    .with_help(format!("quote the tag: `\"{word}\"`")),
                );
            }
            _ => {
                let what = match want {
                    MetaItem::Name => "a name or `]`",
                    MetaItem::Str => "a string or `]`",
                };
                if token.line_start || token.is_end() {
                    super::expr::unclosed(&i, open, "]", "list")?;
                    return Ok((i, items));
                }
                return fail(expected(&i, what).with_label(open.span, "the list opened here"));
            }
        }
        separated = false;
        i = i.advance();
    }
}

fn for_clause<'a>(i: Input<'a>, body: &mut Body) -> PResult<'a, ()> {
    let keyword = i.peek();
    let i = skip_colon(i.advance(), "for");
    let (i, var) = name(i, "a variable name after `for`")?;
    let i = if i.peek().is_kw(Kw::In) {
        i.advance()
    } else if i.peek().is(Tok::Ident) && !i.peek().line_start {
        i.report(
            expected(&i, &format!("`in` after `for {}`", var.name)).with_help(format!(
                "write `for {} in KIND`, as in `for {} in group`",
                var.name, var.name
            )),
        );
        i
    } else {
        return fail(expected_on_line(
            &i,
            &format!("`in` after `for {}`", var.name),
        ));
    };
    let (i, kind) = name(i, "an entity kind after `in`")?;
    if i.peek().is(Tok::Dot) {
        return fail(
            SyntaxError::new(
                SyntaxErrorKind::Unexpected,
                "`for` ranges over an entity kind, not a path",
                i.peek().span,
                "expected `where` or a new line",
            )
            .with_help(format!(
                "range over a kind, as in `for x in {}`, and use a quantifier such as \
                 `any` for the members of a list",
                kind.name
            )),
        );
    }
    let (i, filter) = opt(preceded(kw(Kw::Where), |i| expr(i, 1))).parse(i)?;
    let clause = ForClause {
        var,
        kind,
        filter: filter.map(|f| f.expr),
        span: end_of(&i, keyword.span),
    };
    match body.first_for {
        Some(first) => duplicate_clause(
            &i,
            first,
            keyword.span,
            "for",
            "a norm ranges over one kind; use a quantifier such as `any` inside the condition",
        ),
        None => {
            body.first_for = Some(keyword.span);
            body.for_clause = Some(clause);
        }
    }
    Ok((i, ()))
}

fn let_clause<'a>(i: Input<'a>, body: &mut Body) -> PResult<'a, ()> {
    let keyword = i.peek();
    let i = skip_colon(i.advance(), "let");
    let (i, name) = name(i, "a name after `let`")?;
    let token = i.peek();
    let i = match token.kind {
        Tok::Assign => i.advance(),
        Tok::EqEq | Tok::Colon if !token.line_start => {
            i.report(
                expected(&i, &format!("`=` after `let {}`", name.name)).with_help(format!(
                    "give the name its value with `=`: `let {} = ...`",
                    name.name
                )),
            );
            i.advance()
        }
        _ if can_start_expr(token) && !token.line_start => {
            i.report(
                expected(&i, &format!("`=` after `let {}`", name.name))
                    .with_help(format!("write `let {} = ...`", name.name)),
            );
            i
        }
        _ => {
            return fail(
                expected_on_line(&i, "`=` and a value")
                    .with_help(format!("write `let {} = EXPRESSION`", name.name)),
            );
        }
    };
    let (i, value) = expr(i, 1)?;
    body.lets.push(Let {
        name,
        value: value.expr,
        span: end_of(&i, keyword.span),
    });
    Ok((i, ()))
}

fn require_clause<'a>(i: Input<'a>, body: &mut Body) -> PResult<'a, ()> {
    let keyword = i.peek();
    body.saw_require = true;
    let i = skip_colon(i.advance(), "require");
    let next = i.peek();
    if next.line_start || next.is_end() || next.is(Tok::RBrace) {
        return fail(
            expected_on_line(&i, "a condition after `require`")
                .with_help("state what must hold, as in `require g.vulnerable`"),
        );
    }
    let (i, condition) = expr(i, 1)?;
    match body.first_require {
        Some(first) => duplicate_clause(
            &i,
            first,
            keyword.span,
            "require",
            "combine the conditions with `and` in one `require`",
        ),
        None => {
            body.first_require = Some(keyword.span);
            body.require = Some(condition.expr);
        }
    }
    Ok((i, ()))
}

fn template_clause<'a>(i: Input<'a>, body: &mut Body, clause: Clause) -> PResult<'a, ()> {
    let keyword = i.peek();
    let word = if clause == Clause::Else {
        "else"
    } else {
        "help"
    };
    let i = skip_colon(i.advance(), word);
    let token = i.peek();
    if !matches!(token.kind, Tok::Str { .. }) || token.line_start {
        let what = if clause == Clause::Else {
            "the finding's message, as a string"
        } else {
            "how to fix it, as a string"
        };
        return fail(
            expected_on_line(&i, &format!("a template string after `{word}`"))
                .with_help(format!("write `{word} \"...\"`: {what}")),
        );
    }
    let parsed = template(&i, token);
    let i = i.advance();
    let (first, slot) = if clause == Clause::Else {
        (&mut body.first_else, &mut body.message)
    } else {
        (&mut body.first_help, &mut body.help)
    };
    match *first {
        Some(first) => duplicate_clause(&i, first, keyword.span, word, "remove one of them"),
        None => {
            *first = Some(keyword.span);
            *slot = Some(parsed);
        }
    }
    Ok((i, ()))
}
