//! Expressions and types.
//!
//! Precedence, loosest first: quantifiers (whose body reaches as far right as
//! it can), `or`, `and`, `not`, comparisons (which do not chain), `in` and
//! `not in`, `has`, field access, atoms. Binary operators are parsed in loops,
//! so a long `and` chain costs no stack; recursion happens only where the
//! text nests (parentheses, lists, quantifiers, `count`, list types), and
//! every such step counts one level against [`MAX_NESTING`].
//!
//! Each parser also returns the height of the tree it built, and no tree may
//! reach deeper than [`MAX_NESTING`] levels below the clause that holds it:
//! later passes walk the tree recursively, and this bound is what keeps them
//! from overflowing the stack on a pathological `a or a or a ...`.
//!
//! Mistakes with an obvious reading (`=` for `==`, `&&` for `and`, a missing
//! `in` before a collection) are reported and parsed as meant, so one slip
//! yields one error and the rest of the norm is still checked.

use nom::Parser;
use nom::combinator::opt;
use nom::sequence::preceded;

use super::MAX_NESTING;
use super::input::{Input, Kw, PResult, Tok, Token, describe, fail, kw};
use super::suggest::{expected, expected_on_line};
use super::template::decode_string;
use crate::ast::{
    BinOp, Comprehension, Expr, ExprKind, Ident, QuantKind, Quantifier, TypeExpr, TypeKind,
};
use crate::error::{SyntaxError, SyntaxErrorKind};
use crate::fix::{Edit, Fix};
use crate::span::Span;

/// An expression with the height of its tree (a leaf has height 1).
pub(crate) struct Sub {
    pub(crate) expr: Expr,
    pub(crate) height: u32,
}

pub(crate) fn nesting_error(span: Span) -> SyntaxError {
    SyntaxError::new(
        SyntaxErrorKind::NestingTooDeep,
        format!("nesting deeper than {MAX_NESTING} levels"),
        span,
        format!("level {} starts here", MAX_NESTING + 1),
    )
    .with_help("name parts of the expression with `let` to flatten it")
}

/// Fails when a node of `height` built at `level` would reach too deep.
fn check_height(level: u32, height: u32, at: Span) -> Result<(), nom::Err<super::input::PErr>> {
    if level.saturating_sub(1).saturating_add(height) > MAX_NESTING {
        Err(nom::Err::Failure(nesting_error(at).into()))
    } else {
        Ok(())
    }
}

fn check_level<'a>(i: &Input<'a>, level: u32) -> Result<(), nom::Err<super::input::PErr>> {
    if level > MAX_NESTING {
        Err(nom::Err::Failure(nesting_error(i.peek().span).into()))
    } else {
        Ok(())
    }
}

/// A whole expression; `level` counts the nesting around it, starting at 1.
pub(crate) fn expr(i: Input<'_>, level: u32) -> PResult<'_, Sub> {
    check_level(&i, level)?;
    chain(i, level, or_op, and_expr)
}

fn and_expr(i: Input<'_>, level: u32) -> PResult<'_, Sub> {
    chain(i, level, and_op, not_expr)
}

fn foreign_operator(i: &Input<'_>, token: Token, ours: &str) {
    let theirs = i.text(token);
    i.report(
        SyntaxError::new(
            SyntaxErrorKind::ForeignOperator,
            format!("unknown operator `{theirs}`"),
            token.span,
            format!("write `{ours}` here"),
        )
        .with_help(format!("norms spell this operator `{ours}`"))
        .with_fix(Fix::safe(
            format!("replace `{theirs}` with `{ours}`"),
            vec![Edit::replace(token.span, spaced(i, token, ours))],
        )),
    );
}

/// A word operator in place of a symbol needs a space on either side, where
/// `!x` or `a&&b` had none.
fn spaced(i: &Input<'_>, token: Token, word: &str) -> String {
    let source = i.source();
    let at = |offset: u32| source.get(offset as usize..).and_then(|s| s.chars().next());
    let before = source
        .get(..token.span.start as usize)
        .and_then(|s| s.chars().next_back());
    let mut text = String::new();
    if before.is_some_and(|c| !c.is_whitespace() && c != '(') {
        text.push(' ');
    }
    text.push_str(word);
    if at(token.span.end).is_some_and(|c| !c.is_whitespace() && c != ')') {
        text.push(' ');
    }
    text
}

fn or_op(i: &Input<'_>) -> Option<BinOp> {
    let token = i.peek();
    match token.kind {
        Tok::Kw(Kw::Or) => Some(BinOp::Or),
        Tok::OrOr => {
            foreign_operator(i, token, "or");
            Some(BinOp::Or)
        }
        _ => None,
    }
}

fn and_op(i: &Input<'_>) -> Option<BinOp> {
    let token = i.peek();
    match token.kind {
        Tok::Kw(Kw::And) => Some(BinOp::And),
        Tok::AndAnd => {
            foreign_operator(i, token, "and");
            Some(BinOp::And)
        }
        _ => None,
    }
}

fn binary(
    op: BinOp,
    lhs: Sub,
    rhs: Sub,
    level: u32,
    at: Span,
) -> Result<Sub, nom::Err<super::input::PErr>> {
    let height = lhs.height.max(rhs.height).saturating_add(1);
    check_height(level, height, at)?;
    let span = lhs.expr.span.cover(rhs.expr.span);
    Ok(Sub {
        expr: Expr {
            kind: ExprKind::Binary(op, Box::new(lhs.expr), Box::new(rhs.expr)),
            span,
        },
        height,
    })
}

/// A left-associative chain `a op b op c`, built in a loop.
fn chain<'a>(
    i: Input<'a>,
    level: u32,
    op: fn(&Input<'a>) -> Option<BinOp>,
    operand: fn(Input<'a>, u32) -> PResult<'a, Sub>,
) -> PResult<'a, Sub> {
    let (mut i, mut lhs) = operand(i, level)?;
    while let Some(op) = op(&i) {
        let at = i.peek().span;
        let (rest, rhs) = operand(i.advance(), level)?;
        lhs = binary(op, lhs, rhs, level, at)?;
        i = rest;
    }
    Ok((i, lhs))
}

/// `not a`, `not not a`: the `not`s are counted in a loop, not by recursion.
fn not_expr(i: Input<'_>, level: u32) -> PResult<'_, Sub> {
    let mut nots = Vec::new();
    let mut i = i;
    loop {
        let token = i.peek();
        match token.kind {
            Tok::Kw(Kw::Not) => {}
            Tok::Bang => foreign_operator(&i, token, "not"),
            _ => break,
        }
        nots.push(token.span);
        i = i.advance();
    }
    let (i, mut sub) = cmp_expr(i, level)?;
    for at in nots.into_iter().rev() {
        let height = sub.height.saturating_add(1);
        check_height(level, height, at)?;
        let span = at.cover(sub.expr.span);
        sub = Sub {
            expr: Expr {
                kind: ExprKind::Not(Box::new(sub.expr)),
                span,
            },
            height,
        };
    }
    Ok((i, sub))
}

fn cmp_op(i: &Input<'_>) -> Option<BinOp> {
    let token = i.peek();
    Some(match token.kind {
        Tok::EqEq => BinOp::Eq,
        Tok::Ne => BinOp::Ne,
        Tok::Lt => BinOp::Lt,
        Tok::Le => BinOp::Le,
        Tok::Gt => BinOp::Gt,
        Tok::Ge => BinOp::Ge,
        Tok::Assign => {
            i.report(
                SyntaxError::new(
                    SyntaxErrorKind::AssignInsteadOfCompare,
                    "expected `==` to compare, found `=`",
                    token.span,
                    "write `==` here",
                )
                .with_help("`=` only gives a `let` its value or a field its default")
                .with_fix(Fix::safe(
                    "replace `=` with `==`",
                    vec![Edit::replace(token.span, "==")],
                )),
            );
            BinOp::Eq
        }
        _ => return None,
    })
}

fn chained(i: &Input<'_>, first: Token, second: Token) {
    let (a, b) = (i.text(first), i.text(second));
    i.report(
        SyntaxError::new(
            SyntaxErrorKind::ChainedComparison,
            "comparisons do not chain",
            second.span,
            "a second comparison",
        )
        .with_label(first.span, "follows this one")
        .with_help(format!(
            "compare twice and combine with `and`, as in `a {a} b and b {b} c`, \
             or add parentheses"
        )),
    );
}

/// `a == b`; a second comparison in a row is reported once and parsed
/// left to right so that the rest of the condition is still checked.
fn cmp_expr(i: Input<'_>, level: u32) -> PResult<'_, Sub> {
    let (mut i, mut lhs) = in_expr(i, level)?;
    let mut first: Option<Token> = None;
    let mut reported = false;
    while let Some(op) = cmp_op(&i) {
        let token = i.peek();
        if let Some(first) = first
            && !reported
        {
            chained(&i, first, token);
            reported = true;
        }
        first = Some(token);
        let (rest, rhs) = in_expr(i.advance(), level)?;
        lhs = binary(op, lhs, rhs, level, token.span)?;
        i = rest;
    }
    Ok((i, lhs))
}

/// `in` or `not in`, with the number of tokens the operator takes.
fn in_op(i: &Input<'_>) -> Option<(BinOp, usize)> {
    if i.peek().is_kw(Kw::In) {
        Some((BinOp::In, 1))
    } else if i.peek().is_kw(Kw::Not) && i.nth(1).is_kw(Kw::In) {
        Some((BinOp::NotIn, 2))
    } else {
        None
    }
}

fn in_expr(i: Input<'_>, level: u32) -> PResult<'_, Sub> {
    let (mut i, mut lhs) = has_expr(i, level)?;
    let mut first: Option<Token> = None;
    let mut reported = false;
    while let Some((op, len)) = in_op(&i) {
        let token = i.peek();
        if let Some(first) = first
            && !reported
        {
            chained(&i, first, token);
            reported = true;
        }
        first = Some(token);
        let mut after = i;
        for _ in 0..len {
            after = after.advance();
        }
        let at = token
            .span
            .cover(after.prev().map_or(token.span, |t| t.span));
        let (rest, rhs) = has_expr(after, level)?;
        lhs = binary(op, lhs, rhs, level, at)?;
        i = rest;
    }
    Ok((i, lhs))
}

/// `x has field`.
fn has_expr(i: Input<'_>, level: u32) -> PResult<'_, Sub> {
    let (i, sub) = postfix(i, level)?;
    let token = i.peek();
    if !token.is_kw(Kw::Has) {
        return Ok((i, sub));
    }
    let (i, field) = field_name(i.advance(), "the name of an optional field after `has`")?;
    let height = sub.height.saturating_add(1);
    check_height(level, height, token.span)?;
    let span = sub.expr.span.cover(field.span);
    Ok((
        i,
        Sub {
            expr: Expr {
                kind: ExprKind::Has(Box::new(sub.expr), field),
                span,
            },
            height,
        },
    ))
}

/// `a.b.c`: field access, looped.
pub(crate) fn postfix(i: Input<'_>, level: u32) -> PResult<'_, Sub> {
    let (mut i, mut sub) = primary(i, level)?;
    while i.peek().is(Tok::Dot) {
        let dot = i.peek();
        let (rest, field) = field_name(i.advance(), "a field name after `.`")?;
        let height = sub.height.saturating_add(1);
        check_height(level, height, dot.span)?;
        let span = sub.expr.span.cover(field.span);
        sub = Sub {
            expr: Expr {
                kind: ExprKind::Field(Box::new(sub.expr), field),
                span,
            },
            height,
        };
        i = rest;
    }
    Ok((i, sub))
}

fn leaf(kind: ExprKind, span: Span) -> Sub {
    Sub {
        expr: Expr { kind, span },
        height: 1,
    }
}

fn primary(i: Input<'_>, level: u32) -> PResult<'_, Sub> {
    let token = i.peek();
    match token.kind {
        Tok::Int => Ok((i.advance(), leaf(int_literal(&i, token), token.span))),
        Tok::Str { .. } => {
            let lit = decode_string(&i, token);
            Ok((i.advance(), leaf(ExprKind::Str(lit.value), token.span)))
        }
        Tok::Kw(Kw::True) => Ok((i.advance(), leaf(ExprKind::Bool(true), token.span))),
        Tok::Kw(Kw::False) => Ok((i.advance(), leaf(ExprKind::Bool(false), token.span))),
        Tok::Ident => {
            let ident = Ident {
                name: i.text(token).to_owned(),
                span: token.span,
            };
            Ok((i.advance(), leaf(ExprKind::Name(ident), token.span)))
        }
        Tok::LBracket => list(i, level),
        Tok::LParen => paren(i, level),
        Tok::Kw(Kw::Count) => count(i, level),
        Tok::Kw(Kw::Any) => quantifier(i, level, QuantKind::Any),
        Tok::Kw(Kw::All) => quantifier(i, level, QuantKind::All),
        Tok::Kw(Kw::None) => quantifier(i, level, QuantKind::None),
        _ if ends_expression(&i) => fail(expected_on_line(&i, "an expression")),
        _ => fail(expected(&i, "an expression")),
    }
}

/// Whether the next token, at the start of a line, plainly begins something
/// else (a clause, the end of the norm), so that a missing operand belongs at
/// the end of the previous line.
fn ends_expression(i: &Input<'_>) -> bool {
    let token = i.peek();
    token.is_end()
        || (token.line_start
            && matches!(
                token.kind,
                Tok::RBrace
                    | Tok::Doc
                    | Tok::Kw(
                        Kw::For
                            | Kw::Let
                            | Kw::Require
                            | Kw::Else
                            | Kw::Help
                            | Kw::Enum
                            | Kw::Entity
                            | Kw::Norm
                    )
            ))
}

fn int_literal(i: &Input<'_>, token: Token) -> ExprKind {
    let text = i.text(token);
    let digits = text.strip_prefix('-').unwrap_or(text);
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        let bad = digits.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
        let start = token.span.start + u32::try_from(text.len() - digits.len() + bad).unwrap_or(0);
        i.report(
            SyntaxError::new(
                SyntaxErrorKind::InvalidInteger,
                format!("invalid integer `{text}`"),
                Span::new(start, token.span.end),
                "not a digit",
            )
            .with_help("an integer is written with the digits `0-9` only, as in `42` or `-3`"),
        );
        return ExprKind::Error;
    }
    match text.parse::<i64>() {
        Ok(value) => ExprKind::Int(value),
        Err(_) => {
            i.report(
                SyntaxError::new(
                    SyntaxErrorKind::IntegerOverflow,
                    format!("integer `{text}` does not fit in 64 bits"),
                    token.span,
                    "out of range",
                )
                .with_help(format!(
                    "integers range from {} to {}",
                    i64::MIN,
                    i64::MAX
                )),
            );
            ExprKind::Error
        }
    }
}

/// Reports a missing closing delimiter. When the next token starts a new line
/// (or ends the text), the delimiter was most likely just forgotten: the
/// error is recorded and parsing goes on as if it were there. Otherwise the
/// text is confused and the caller's recovery point takes over.
pub(crate) fn unclosed<'a>(
    i: &Input<'a>,
    open: Token,
    close: &str,
    what: &str,
) -> Result<(), nom::Err<super::input::PErr>> {
    let found = i.peek();
    let missing_at_line_end = found.line_start || found.is_end() || found.is(Tok::RBrace);
    let span = if missing_at_line_end {
        i.after_prev()
    } else {
        found.span
    };
    let found_text = if missing_at_line_end && !found.is_end() {
        "the end of the line".to_owned()
    } else {
        describe(i, found)
    };
    let error = SyntaxError::new(
        SyntaxErrorKind::Unclosed,
        format!("expected `{close}` to close the {what} opened here, found {found_text}"),
        span,
        format!("expected `{close}`"),
    )
    .with_label(open.span, format!("the {what} opened here"));
    if missing_at_line_end {
        i.report(error);
        Ok(())
    } else {
        Err(nom::Err::Failure(error.into()))
    }
}

/// `[a, b, c]`, trailing comma allowed.
fn list(i: Input<'_>, level: u32) -> PResult<'_, Sub> {
    let open = i.peek();
    let mut i = i.advance();
    if level.saturating_add(1) > MAX_NESTING {
        return fail(nesting_error(open.span));
    }
    let mut items = Vec::new();
    let mut height = 1u32;
    loop {
        let token = i.peek();
        if token.is(Tok::RBracket) {
            i = i.advance();
            break;
        }
        if token.is(Tok::Comma) {
            stray_comma(&i, token, "list elements are separated by one comma");
            i = i.advance();
            continue;
        }
        let (rest, item) = expr(i, level + 1)?;
        height = height.max(item.height.saturating_add(1));
        items.push(item.expr);
        i = rest;
        let token = i.peek();
        if token.is(Tok::Comma) {
            i = i.advance();
        } else if !token.is(Tok::RBracket) {
            if token.line_start || token.is_end() || token.is(Tok::RBrace) {
                unclosed(&i, open, "]", "list")?;
                break;
            }
            let error = expected(&i, "`,` or `]`").with_label(open.span, "the list opened here");
            if can_start_expr(token) {
                // `[a b]`: a comma is missing, the list goes on.
                i.report(error.with_help("separate the elements with commas"));
                continue;
            }
            return fail(error);
        }
    }
    let end = i.prev().map_or(open.span, |t| t.span);
    check_height(level, height, open.span)?;
    Ok((
        i,
        Sub {
            expr: Expr {
                kind: ExprKind::List(items),
                span: open.span.cover(end),
            },
            height,
        },
    ))
}

pub(crate) fn stray_comma(i: &Input<'_>, token: Token, help: &str) {
    i.report(
        SyntaxError::new(
            SyntaxErrorKind::StrayComma,
            "unexpected `,`",
            token.span,
            "remove this comma",
        )
        .with_help(help.to_owned()),
    );
}

/// `( expr )`. The node's span widens to cover the parentheses, so that a
/// span always holds the whole operand as written.
fn paren(i: Input<'_>, level: u32) -> PResult<'_, Sub> {
    let open = i.peek();
    let i = i.advance();
    if level.saturating_add(1) > MAX_NESTING {
        return fail(nesting_error(open.span));
    }
    let (i, mut inner) = expr(i, level + 1)?;
    let i = if i.peek().is(Tok::RParen) {
        i.advance()
    } else {
        unclosed(&i, open, ")", "parenthesis")?;
        i
    };
    let end = i.prev().map_or(open.span, |t| t.span);
    inner.expr.span = open.span.cover(end);
    Ok((i, inner))
}

/// A name where the grammar wants one: a keyword there gets its own message.
pub(crate) fn name<'a>(i: Input<'a>, what: &str) -> PResult<'a, Ident> {
    let token = i.peek();
    match token.kind {
        Tok::Ident => Ok((
            i.advance(),
            Ident {
                name: i.text(token).to_owned(),
                span: token.span,
            },
        )),
        Tok::Kw(kw) if !token.line_start => fail(keyword_as_name(token, kw, what)),
        _ => fail(expected(&i, what)),
    }
}

/// A field name after `.` or `has`, where a keyword cannot mean anything
/// else: fields may be named `norm` or `entity`.
fn field_name<'a>(i: Input<'a>, what: &str) -> PResult<'a, Ident> {
    let token = i.peek();
    match token.kind {
        Tok::Kw(_) if !token.line_start => Ok((
            i.advance(),
            Ident {
                name: i.text(token).to_owned(),
                span: token.span,
            },
        )),
        _ => name(i, what),
    }
}

pub(crate) fn keyword_as_name(token: Token, kw: Kw, what: &str) -> SyntaxError {
    SyntaxError::new(
        SyntaxErrorKind::KeywordAsName,
        format!("expected {what}, found the keyword `{}`", kw.as_str()),
        token.span,
        "a keyword cannot be used as a name",
    )
    .with_help(format!("choose another name, such as `{}_`", kw.as_str()))
}

/// `VAR in COLLECTION`, shared by quantifiers and `count`.
fn binding<'a>(i: Input<'a>, level: u32, intro: &str) -> PResult<'a, (Ident, Sub)> {
    let (i, var) = name(i, &format!("a variable name after `{intro}`"))?;
    let i = if i.peek().is_kw(Kw::In) {
        i.advance()
    } else {
        let found = i.peek();
        let error = expected(&i, &format!("`in` after `{intro} {}`", var.name)).with_help(format!(
            "write `{intro} {} in COLLECTION`, as in `{intro} {} in mandate`",
            var.name, var.name
        ));
        if found.is(Tok::Ident) && !found.line_start {
            // `any m mandate`: the collection is there, only `in` is missing.
            i.report(error);
            i
        } else {
            return fail(error);
        }
    };
    if !can_start_expr(i.peek()) || ends_expression(&i) {
        return fail(
            expected_on_line(&i, "a collection after `in`")
                .with_help("name an entity kind, as in `mandate`, or a list, as in `c.members`"),
        );
    }
    let (i, collection) = postfix(i, level)?;
    Ok((i, (var, collection)))
}

/// `count(x in C where F)` or `count(x in C: F)`.
fn count(i: Input<'_>, level: u32) -> PResult<'_, Sub> {
    let keyword = i.peek();
    let i = i.advance();
    let open = i.peek();
    if !open.is(Tok::LParen) {
        return fail(
            expected(&i, "`(` after `count`")
                .with_help("write `count(x in COLLECTION where CONDITION)`"),
        );
    }
    let i = i.advance();
    let inner = level.saturating_add(1);
    if inner > MAX_NESTING {
        return fail(nesting_error(open.span));
    }
    let (i, (var, collection)) = binding(i, inner, "count(")?;
    let mut height = collection.height;
    let (i, filter) = if i.peek().is_kw(Kw::Where) || i.peek().is(Tok::Colon) {
        let (i, filter) = expr(i.advance(), inner)?;
        height = height.max(filter.height);
        (i, Some(filter.expr))
    } else {
        (i, None)
    };
    let i = if i.peek().is(Tok::RParen) {
        i.advance()
    } else {
        unclosed(&i, open, ")", "`count(`")?;
        i
    };
    let height = height.saturating_add(1);
    check_height(level, height, keyword.span)?;
    let end = i.prev().map_or(keyword.span, |t| t.span);
    Ok((
        i,
        Sub {
            expr: Expr {
                kind: ExprKind::Count(Box::new(Comprehension {
                    var,
                    collection: collection.expr,
                    filter,
                })),
                span: keyword.span.cover(end),
            },
            height,
        },
    ))
}

/// `any|all|none x in C [where F] [: B]`; the filter and the body reach as
/// far right as they can.
fn quantifier(i: Input<'_>, level: u32, kind: QuantKind) -> PResult<'_, Sub> {
    let keyword = i.peek();
    let i = i.advance();
    let inner = level.saturating_add(1);
    if inner > MAX_NESTING {
        return fail(nesting_error(keyword.span));
    }
    let (i, (var, collection)) = binding(i, inner, kind.as_str())?;
    let mut height = collection.height;
    let (i, filter) = opt(preceded(kw(Kw::Where), |i| expr(i, inner))).parse(i)?;
    if let Some(filter) = &filter {
        height = height.max(filter.height);
    }
    let (i, body) = if i.peek().is(Tok::Colon) {
        let (i, body) = expr(i.advance(), inner)?;
        height = height.max(body.height);
        (i, Some(body.expr))
    } else {
        if kind == QuantKind::All {
            i.report(
                expected_on_line(&i, "`:` and the condition every member must satisfy")
                    .with_help(format!("write `all {} in COLLECTION: CONDITION`", var.name)),
            );
        }
        (i, None)
    };
    let height = height.saturating_add(1);
    check_height(level, height, keyword.span)?;
    let end = i.prev().map_or(keyword.span, |t| t.span);
    Ok((
        i,
        Sub {
            expr: Expr {
                kind: ExprKind::Quant(Box::new(Quantifier {
                    kind,
                    binding: Comprehension {
                        var,
                        collection: collection.expr,
                        filter: filter.map(|f| f.expr),
                    },
                    body,
                })),
                span: keyword.span.cover(end),
            },
            height,
        },
    ))
}

/// A field type: `bool`, `actor`, `[T]`, `T?`.
pub(crate) fn type_expr(i: Input<'_>, level: u32) -> PResult<'_, (TypeExpr, u32)> {
    check_level(&i, level)?;
    let token = i.peek();
    let (mut i, mut ty, mut height) = match token.kind {
        Tok::Ident => {
            let ident = Ident {
                name: i.text(token).to_owned(),
                span: token.span,
            };
            (
                i.advance(),
                TypeExpr {
                    kind: TypeKind::Named(ident),
                    span: token.span,
                },
                1u32,
            )
        }
        Tok::LBracket => {
            let (rest, (inner, inner_height)) = type_expr(i.advance(), level.saturating_add(1))?;
            let rest = if rest.peek().is(Tok::RBracket) {
                rest.advance()
            } else {
                unclosed(&rest, token, "]", "list type")?;
                rest
            };
            let end = rest.prev().map_or(token.span, |t| t.span);
            (
                rest,
                TypeExpr {
                    kind: TypeKind::List(Box::new(inner)),
                    span: token.span.cover(end),
                },
                inner_height.saturating_add(1),
            )
        }
        Tok::Kw(kw) => return fail(keyword_as_name(token, kw, "a type")),
        _ => {
            return fail(expected(&i, "a type").with_help(
                "a type is `bool`, `int`, `text`, an enum or entity name, `[T]` or `T?`",
            ));
        }
    };
    let mut optional: Option<Token> = None;
    while i.peek().is(Tok::Question) {
        let mark = i.peek();
        i = i.advance();
        if let Some(first) = optional {
            i.report(
                SyntaxError::new(
                    SyntaxErrorKind::DoubleOptional,
                    "a type is optional only once",
                    mark.span,
                    "a second `?`",
                )
                .with_label(first.span, "already optional here")
                .with_help("remove the extra `?`"),
            );
            continue;
        }
        optional = Some(mark);
        height = height.saturating_add(1);
        check_height(level, height, mark.span)?;
        let span = ty.span.cover(mark.span);
        ty = TypeExpr {
            kind: TypeKind::Optional(Box::new(ty)),
            span,
        };
    }
    check_height(level, height, token.span)?;
    Ok((i, (ty, height)))
}

pub(crate) fn can_start_expr(token: Token) -> bool {
    matches!(
        token.kind,
        Tok::Ident
            | Tok::Int
            | Tok::Str { .. }
            | Tok::LParen
            | Tok::LBracket
            | Tok::Kw(Kw::Count | Kw::Any | Kw::All | Kw::None | Kw::Not | Kw::True | Kw::False)
    )
}
