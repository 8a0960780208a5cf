//! Evidence in the words of the proposal's reader.
//!
//! The author of a norm reads evidence in terms of the norm's expressions:
//! "`m.actor.field_presence` is `false`". Whoever reads the proposal has
//! never seen those variables, so the same verdict is also written in terms
//! of what the proposal holds: the entities the variables were bound to, the
//! fields as the proposal spells them, and the ids reached through
//! references: "`OHCHR` (the `actor` of `mandate[3]`) has `field_presence =
//! false`". Quantifiers and counts are told in words, with the names the
//! schema gives entity kinds.
//!
//! Every template here is generic: the domain's words come from the schema
//! (kind labels, field and variant names) and the proposal (ids).

use lacuna_model::EntityRef;
use lacuna_syntax::ast::QuantKind;

use super::{
    DEFAULT, Engine, Env, Explainer, How, Lead, Messages, Operand, is_constant, mirror, phrase,
};
use crate::engine::Member;
use crate::program::{CmpOp, Collection, Comp, Expr, ExprKind, Quant};
use crate::value::{Val, write_code};

/// A condition on a quantifier's member that reads as words.
enum Pred<'x> {
    /// `x.f OP e`: the member's field compared with a value.
    Field(&'x str, CmpOp, &'x Expr),
    /// `e in x.f` (`true`) or `e not in x.f` (`false`).
    Holds(&'x str, &'x Expr, bool),
    /// `x in e` (`true`) or `x not in e` (`false`).
    Among(&'x Expr, bool),
    /// `x.f` (`true`) or `not x.f` (`false`).
    Flag(&'x str, bool),
    /// `x == e` or `x != e`.
    Is(CmpOp, &'x Expr),
}

impl<'e, 'f, E: Engine<'f>> Explainer<'e, E> {
    /// Writes why `e` evaluates to `holds`, for the reader: the counterpart
    /// of [`Explainer::fact`]. With `member`, the variable in that slot is
    /// the member the message is about, already named, and is referred to
    /// as "it".
    pub(super) fn say_fact(
        &self,
        out: &mut String,
        e: &Expr,
        env: &mut Env<'f>,
        holds: bool,
        member: Option<u32>,
    ) {
        match &e.kind {
            ExprKind::Compare(op, a, b) => self.say_compare(out, *op, a, b, env, holds, member),
            ExprKind::In(a, b) | ExprKind::NotIn(a, b) => self.say_in(out, a, b, env, member),
            ExprKind::Has(base, field) => match self.engine.eval(base, env) {
                Val::Ref(r) => {
                    self.say_subject(out, base, r, env, member);
                    if self.engine.eval(e, env).truth() {
                        out.push_str(" has `");
                        out.push_str(&field.name);
                        out.push_str("` set");
                    } else {
                        out.push_str(" has no `");
                        out.push_str(&field.name);
                        out.push('`');
                    }
                }
                _ => self.say_absent(out, base, env, member),
            },
            ExprKind::Not(inner) => self.say_fact(out, inner, env, !holds, member),
            ExprKind::And(a, b) | ExprKind::Or(a, b) => {
                let is_and = matches!(e.kind, ExprKind::And(..));
                if is_and != holds {
                    let first = if self.engine.eval(a, env).truth() == holds {
                        a
                    } else {
                        b
                    };
                    self.say_fact(out, first, env, holds, member);
                } else {
                    // Both operands share the verdict: say both.
                    self.say_fact(out, a, env, holds, member);
                    out.push_str(", and ");
                    self.say_fact(out, b, env, holds, member);
                }
            }
            ExprKind::Quant(q) => self.say_quantifier(out, q, holds, env, member),
            _ => {
                let value = self.engine.eval(e, env);
                if value.is_absent() {
                    self.say_absent(out, e, env, member);
                } else {
                    let default = self.is_default(e, env);
                    self.say_value(out, e, &value, env, member, default);
                }
            }
        }
    }

    /// Evidence that a collection is empty, for the reader: "`proposal`
    /// has `evidence = []` (the default)".
    pub(super) fn say_empty(
        &self,
        out: &mut String,
        path: &Expr,
        env: &mut Env<'f>,
        default: bool,
    ) {
        let value = self.engine.eval(path, env);
        if value.is_absent() {
            self.say_absent(out, path, env, None);
        } else {
            self.say_value(out, path, &value, env, None, default);
        }
    }

    /// The start of a message about a member, for the reader.
    pub(super) fn say_lead(
        &self,
        out: &mut String,
        comp: &Comp,
        m: &Member<'f>,
        env: &mut Env<'f>,
        lead: &Lead<'_>,
    ) {
        if let Lead::Closest(q) | Lead::FirstException(q) = lead {
            self.say_quantifier(out, q, false, env, None);
            out.push_str("; ");
        }
        out.push('`');
        self.member_name(out, &m.value, &comp.var);
        out.push('`');
        out.push_str(match lead {
            Lead::Closest(_) => " comes closest",
            Lead::AlsoClose => " also comes close",
            Lead::FirstException(_) | Lead::Exception => " is an exception",
            Lead::Forbidden => " matches, where none should",
            Lead::Matches => " matches",
            Lead::Counted(_) => " is counted",
        });
    }

    /// The end of a message about a member, in both voices: what a count
    /// came to, and what the norm expects of it.
    pub(super) fn say_tail(&self, message: &mut Messages, lead: &Lead<'_>, env: &mut Env<'f>) {
        let Lead::Counted(c) = lead else {
            return;
        };
        let author = &mut message.author;
        author.push_str(" (");
        push_int(author, c.n);
        author.push_str(" in all, ");
        author.push_str(phrase(c.op, c.holds));
        author.push(' ');
        push_int(author, c.bound);
        author.push(')');

        let reader = &mut message.reader;
        reader.push_str("; ");
        push_int(reader, c.n);
        reader.push(' ');
        match &c.comp.collection {
            Collection::Kind(k) if c.n == 1 => self.push_kind(reader, *k),
            Collection::Kind(k) => self.push_kinds(reader, *k),
            Collection::Path(path) => {
                reader.push_str("of ");
                self.noun(reader, path, env, None);
            }
        }
        reader.push_str(if c.n == 1 { " is" } else { " are" });
        reader.push_str(" counted in all, and the norm expects ");
        reader.push_str(count_relation(c.op, !c.holds));
        reader.push(' ');
        push_int(reader, c.bound);
    }

    /// "no coordination mechanism with `survival_migrants` in `groups`
    /// qualifies", "not every member of the `groups` of `policy[1]` is in
    /// the `groups` of `policy[0]`": which members a quantifier considers
    /// and what it asks of them, as far as words can say it.
    pub(super) fn say_quantifier(
        &self,
        out: &mut String,
        q: &Quant,
        holds: bool,
        env: &mut Env<'f>,
        member: Option<u32>,
    ) {
        let comp = &q.comp;
        let (filter, condition): (&[Expr], &[Expr]) = if q.body.is_empty() {
            (&[], &comp.filter)
        } else {
            (&comp.filter, &q.body)
        };
        let quantity = match (q.kind, holds) {
            (QuantKind::Any, true) | (QuantKind::None, false) => "some",
            (QuantKind::Any, false) | (QuantKind::None, true) => "no",
            (QuantKind::All, true) => "every",
            (QuantKind::All, false) => "not every",
        };
        if condition.is_empty() {
            // `any x in C`: whether the collection has members.
            match &comp.collection {
                Collection::Path(path) => {
                    self.noun(out, path, env, member);
                    out.push_str(if quantity == "no" {
                        " is empty"
                    } else {
                        " is not empty"
                    });
                }
                Collection::Kind(k) => {
                    out.push_str(if quantity == "no" {
                        "there is no "
                    } else {
                        "there is some "
                    });
                    self.push_kind(out, *k);
                }
            }
            return;
        }
        out.push_str(quantity);
        out.push(' ');
        self.say_collection(out, comp, env, member);
        // With a condition of the filter left unsaid, "no forum with A has
        // B" could be false of the forums with A; "qualifies" stays true.
        let filter_said = self.say_preds(out, comp, filter, env, Form::With) || filter.is_empty();
        let mark = out.len();
        out.push(' ');
        // A long condition is told by the evidence about members instead.
        if !filter_said
            || condition.len() > MAX_PREDS
            || !self.say_preds(out, comp, condition, env, Form::Verb)
        {
            out.truncate(mark);
            out.push_str(" qualifies");
        }
    }

    /// "the number of actors with `kind = rcp`", "the number of its
    /// `members` with `kind = rcp`".
    fn say_number(&self, out: &mut String, comp: &Comp, env: &mut Env<'f>, member: Option<u32>) {
        out.push_str("the number of ");
        match &comp.collection {
            Collection::Kind(k) => self.push_kinds(out, *k),
            Collection::Path(path) => self.noun(out, path, env, member),
        }
        self.say_preds(out, comp, &comp.filter, env, Form::With);
    }

    /// "coordination mechanism", "member of the `groups` of `GMG`".
    fn say_collection(
        &self,
        out: &mut String,
        comp: &Comp,
        env: &mut Env<'f>,
        member: Option<u32>,
    ) {
        match &comp.collection {
            Collection::Kind(k) => self.push_kind(out, *k),
            Collection::Path(path) => {
                out.push_str("member of ");
                self.noun(out, path, env, member);
            }
        }
    }

    /// Writes the conditions on a quantifier's member that read as words,
    /// joined by "and", and says whether every one of them did. `Form::With`
    /// writes each as " with `f = v`" after a noun, `Form::Verb` as "has `f
    /// = v`" after a subject.
    fn say_preds(
        &self,
        out: &mut String,
        comp: &Comp,
        conj: &[Expr],
        env: &mut Env<'f>,
        form: Form,
    ) -> bool {
        let mut all = true;
        let mut first = true;
        for c in conj {
            let Some(pred) = pred(c, comp.var.slot) else {
                all = false;
                continue;
            };
            // A condition on a value that is not set holds for no member,
            // and has no value to show.
            let value = match &pred {
                Pred::Field(_, _, e)
                | Pred::Holds(_, e, _)
                | Pred::Is(_, e)
                | Pred::Among(e, _) => Some(*e),
                Pred::Flag(..) => None,
            };
            if value.is_some_and(|e| self.engine.eval(e, env).is_absent()) {
                all = false;
                continue;
            }
            match (form, first) {
                (Form::With, true) => out.push(' '),
                (Form::With, false) => out.push_str(" and "),
                (Form::Verb, true) => {}
                (Form::Verb, false) => out.push_str(" and "),
            }
            first = false;
            let verb = form == Form::Verb;
            match pred {
                Pred::Field(field, op, e) => {
                    out.push_str(if verb { "has `" } else { "with `" });
                    out.push_str(field);
                    match op {
                        CmpOp::Eq => out.push_str(" = "),
                        _ => {
                            out.push_str("` ");
                            out.push_str(value_relation(op));
                            out.push_str(" `");
                        }
                    }
                    self.push_value(out, e, env);
                    out.push('`');
                }
                Pred::Holds(field, e, yes) => {
                    out.push_str(match (verb, yes) {
                        (true, true) => "has `",
                        (true, false) => "has no `",
                        (false, true) => "with `",
                        (false, false) => "without `",
                    });
                    self.push_value(out, e, env);
                    out.push_str("` in `");
                    out.push_str(field);
                    out.push('`');
                }
                Pred::Among(e, yes) => {
                    out.push_str(match (verb, yes) {
                        (true, true) => "is in ",
                        (true, false) => "is not in ",
                        (false, true) => "in ",
                        (false, false) => "not in ",
                    });
                    self.noun(out, e, env, None);
                }
                Pred::Flag(field, value) => {
                    out.push_str(if verb { "has `" } else { "with `" });
                    out.push_str(field);
                    out.push_str(if value { " = true`" } else { " = false`" });
                }
                Pred::Is(op, e) => {
                    out.push_str(match (verb, op) {
                        (true, CmpOp::Eq) => "is `",
                        (true, _) => "is not `",
                        (false, CmpOp::Eq) => "that is `",
                        (false, _) => "other than `",
                    });
                    self.push_value(out, e, env);
                    out.push('`');
                }
            }
        }
        all && !first
    }

    #[allow(clippy::too_many_arguments)]
    fn say_compare(
        &self,
        out: &mut String,
        op: CmpOp,
        a: &Expr,
        b: &Expr,
        env: &mut Env<'f>,
        holds: bool,
        member: Option<u32>,
    ) {
        let (va, vb) = (self.engine.eval(a, env), self.engine.eval(b, env));
        let located = self.locate_operands(a, b, env, member);
        if self.say_absent_operand(out, (a, &va), (b, &vb), env, member, located) {
            return;
        }
        let default = |side| located.is_some_and(|(o, l)| o == side && l.how == How::Default);
        let stated = self.say_value(out, a, &va, env, member, default(Operand::Left));
        let same = matches!((op, holds), (CmpOp::Eq, true) | (CmpOp::Ne, false));
        // The same as a constant, or as a value named by nothing but its
        // value, says nothing more.
        if same && (is_constant(b) || !matches!(b.kind, ExprKind::Field(..) | ExprKind::Count(_))) {
            return;
        }
        out.push_str(if stated { ", " } else { " is " });
        if same {
            out.push_str("the same as ");
            self.noun(out, b, env, member);
        } else {
            out.push_str(phrase(op, holds));
            out.push_str(" `");
            write_code(out, &vb, &b.ty, &self.ctx().names());
            out.push('`');
            if default(Operand::Right) {
                out.push_str(DEFAULT);
            }
        }
    }

    fn say_in(&self, out: &mut String, a: &Expr, b: &Expr, env: &mut Env<'f>, member: Option<u32>) {
        let (va, vb) = (self.engine.eval(a, env), self.engine.eval(b, env));
        let located = self.locate_operands(a, b, env, member);
        if self.say_absent_operand(out, (a, &va), (b, &vb), env, member, located) {
            return;
        }
        let names = self.ctx().names();
        let default = |side| located.is_some_and(|(o, l)| o == side && l.how == How::Default);
        let contained = crate::value::member(&va, &vb);
        if let ExprKind::Field(base, field) = &b.kind
            && let Val::Ref(r) = self.engine.eval(base, env)
        {
            self.say_subject(out, base, r, env, member);
            if default(Operand::Right) {
                // The list is not written: show the default it takes.
                out.push_str(" has `");
                out.push_str(&field.name);
                out.push_str(" = ");
                write_code(out, &vb, &b.ty, &names);
                out.push('`');
                out.push_str(DEFAULT);
                out.push_str(if contained { ", with `" } else { ", without `" });
                write_code(out, &va, &a.ty, &names);
                out.push('`');
            } else {
                out.push_str(if contained { " has `" } else { " has no `" });
                write_code(out, &va, &a.ty, &names);
                out.push_str("` in `");
                out.push_str(&field.name);
                out.push('`');
            }
            return;
        }
        let stated = self.say_value(out, a, &va, env, member, default(Operand::Left));
        out.push_str(match (stated, contained) {
            (true, true) => ", in ",
            (true, false) => ", not in ",
            (false, true) => " is in ",
            (false, false) => " is not in ",
        });
        self.noun(out, b, env, member);
    }

    /// The message of a comparison with an absent operand, and whether
    /// there was one: "`policy[1]` has no `actor`", or, when the other
    /// operand is the one located, "`policy[0]` has `actor = EU`, but
    /// `policy[1]` has no `actor`".
    fn say_absent_operand(
        &self,
        out: &mut String,
        (a, va): (&Expr, &Val<'f>),
        (b, vb): (&Expr, &Val<'f>),
        env: &mut Env<'f>,
        member: Option<u32>,
        located: Option<(Operand, super::Located<'f>)>,
    ) -> bool {
        let (absent, present, present_side) = match (va.is_absent(), vb.is_absent()) {
            (true, _) => (a, (b, vb), Operand::Right),
            (false, true) => (b, (a, va), Operand::Left),
            (false, false) => return false,
        };
        let (present, value) = present;
        if !value.is_absent() && located.is_some_and(|(o, _)| o == present_side) {
            self.say_value(out, present, value, env, member, false);
            out.push_str(", but ");
        }
        self.say_absent(out, absent, env, member);
        true
    }

    /// States a present value, and says whether it wrote a statement: a
    /// field of an entity as "`E` has `f = v`" (true), anything else as its
    /// value, "`v`", or as "the count of … is `v`" (false for the bare value,
    /// true for the count).
    fn say_value(
        &self,
        out: &mut String,
        e: &Expr,
        value: &Val<'f>,
        env: &mut Env<'f>,
        member: Option<u32>,
        default: bool,
    ) -> bool {
        let names = self.ctx().names();
        match &e.kind {
            ExprKind::Field(base, field) => {
                if let Val::Ref(r) = self.engine.eval(base, env) {
                    self.say_subject(out, base, r, env, member);
                    out.push_str(" has `");
                    out.push_str(&field.name);
                    out.push_str(" = ");
                    write_code(out, value, &e.ty, &names);
                    out.push('`');
                    if default {
                        out.push_str(DEFAULT);
                    }
                    return true;
                }
            }
            ExprKind::Count(comp) => {
                self.say_number(out, comp, env, member);
                out.push_str(" is `");
                write_code(out, value, &e.ty, &names);
                out.push('`');
                return true;
            }
            _ => {}
        }
        out.push('`');
        write_code(out, value, &e.ty, &names);
        out.push('`');
        false
    }

    /// Says which link of a path is not set: "`mandate[3]` has no
    /// `basis`" for `m.basis.binding` when `basis` is not set.
    fn say_absent(&self, out: &mut String, e: &Expr, env: &mut Env<'f>, member: Option<u32>) {
        match &e.kind {
            ExprKind::Field(base, field) => match self.engine.eval(base, env) {
                Val::Ref(r) => {
                    self.say_subject(out, base, r, env, member);
                    out.push_str(" has no `");
                    out.push_str(&field.name);
                    out.push('`');
                }
                Val::Absent => self.say_absent(out, base, env, member),
                _ => out.push_str("a value is not set"),
            },
            ExprKind::Singleton(k) => {
                out.push_str("there is no ");
                self.push_kind(out, *k);
            }
            _ => out.push_str("a value is not set"),
        }
    }

    /// Names the entity `base` evaluates to, as the subject of a sentence,
    /// with the way it was reached: "`GFMD`", "`OHCHR` (the `actor` of
    /// `mandate[3]`)", and for the member under discussion "it" or "its
    /// `actor` `OHCHR`".
    fn say_subject(
        &self,
        out: &mut String,
        base: &Expr,
        r: EntityRef,
        env: &mut Env<'f>,
        member: Option<u32>,
    ) {
        match &base.kind {
            ExprKind::Var(v) if Some(v.slot) == member => out.push_str("it"),
            ExprKind::Field(inner, field) if matches!(&inner.kind, ExprKind::Var(v) if Some(v.slot) == member) =>
            {
                out.push_str("its `");
                out.push_str(&field.name);
                out.push_str("` ");
                self.push_entity(out, r);
            }
            ExprKind::Field(..) => {
                self.push_entity(out, r);
                out.push_str(" (");
                self.via(out, base, env);
                out.push(')');
            }
            _ => self.push_entity(out, r),
        }
    }

    /// How an entity was reached through references: "the `monitor` of the
    /// `basis` of `mandate[3]`".
    fn via(&self, out: &mut String, e: &Expr, env: &mut Env<'f>) {
        match &e.kind {
            ExprKind::Field(base, field) => {
                out.push_str("the `");
                out.push_str(&field.name);
                out.push_str("` of ");
                self.via(out, base, env);
            }
            _ => {
                out.push('`');
                self.push_value(out, e, env);
                out.push('`');
            }
        }
    }

    /// A value as a noun: "the `groups` of `policy[0]`" for a field of an
    /// entity, "its `groups`" for a field of the member under discussion,
    /// else the value itself in backticks.
    fn noun(&self, out: &mut String, e: &Expr, env: &mut Env<'f>, member: Option<u32>) {
        if let ExprKind::Field(base, field) = &e.kind
            && let Val::Ref(r) = self.engine.eval(base, env)
        {
            if matches!(&base.kind, ExprKind::Var(v) if Some(v.slot) == member) {
                out.push_str("its `");
                out.push_str(&field.name);
                out.push('`');
            } else {
                out.push_str("the `");
                out.push_str(&field.name);
                out.push_str("` of ");
                self.push_entity(out, r);
            }
            return;
        }
        if let ExprKind::Count(comp) = &e.kind {
            self.say_number(out, comp, env, member);
            return;
        }
        let value = self.engine.eval(e, env);
        if value.is_absent() {
            out.push_str("nothing");
        } else {
            out.push('`');
            write_code(out, &value, &e.ty, &self.ctx().names());
            out.push('`');
        }
    }

    /// The value of an expression in backticks, without them: entities by
    /// their display names.
    fn push_value(&self, out: &mut String, e: &Expr, env: &mut Env<'f>) {
        let value = self.engine.eval(e, env);
        write_code(out, &value, &e.ty, &self.ctx().names());
    }

    fn push_entity(&self, out: &mut String, r: EntityRef) {
        out.push('`');
        out.push_str(&self.ctx().facts.name(r));
        out.push('`');
    }

    /// What one entity of a kind is called: its label, or its name in
    /// backticks.
    fn push_kind(&self, out: &mut String, kind: lacuna_model::KindId) {
        match self.ctx().schema.entity(kind) {
            Some(def) => push_label(out, def.singular(), def.has_label()),
            None => out.push_str("entity"),
        }
    }

    /// What several entities of a kind are called: its plural, or its name
    /// in backticks followed by "entities".
    fn push_kinds(&self, out: &mut String, kind: lacuna_model::KindId) {
        match self.ctx().schema.entity(kind) {
            Some(def) => match &def.plural {
                Some(plural) => out.push_str(plural),
                None => {
                    push_label(out, &def.name, false);
                    out.push_str(" entities");
                }
            },
            None => out.push_str("entities"),
        }
    }

    /// Whether the value of a path is left to its field's default.
    fn is_default(&self, e: &Expr, env: &mut Env<'f>) -> bool {
        self.locate(e, env).is_some_and(|l| l.how == How::Default)
    }
}

/// At most this many conditions of a quantifier are told in words.
const MAX_PREDS: usize = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// " with `f = v`", after a noun.
    With,
    /// "has `f = v`", after a subject.
    Verb,
}

/// A kind's label as it is, or a kind's name as code.
fn push_label(out: &mut String, label: &str, is_label: bool) {
    if is_label {
        out.push_str(label);
    } else {
        out.push('`');
        out.push_str(label);
        out.push('`');
    }
}

fn push_int(out: &mut String, n: i64) {
    use std::fmt::Write as _;
    let _ = write!(out, "{n}");
}

/// Reads a conjunct as a condition on the member in `slot`, when it has one
/// of the forms words can say.
fn pred(c: &Expr, slot: u32) -> Option<Pred<'_>> {
    fn own_field(e: &Expr, slot: u32) -> Option<&str> {
        match &e.kind {
            ExprKind::Field(base, field) if is_var(base, slot) => Some(field.name.as_str()),
            _ => None,
        }
    }
    let own_field = |e| own_field(e, slot);
    let free = |e: &Expr| !mentions(e, slot);
    match &c.kind {
        ExprKind::Compare(op, a, b) => {
            if let Some(f) = own_field(a)
                && free(b)
            {
                return Some(Pred::Field(f, *op, b));
            }
            if let Some(f) = own_field(b)
                && free(a)
            {
                return Some(Pred::Field(f, mirror(*op), a));
            }
            if matches!(op, CmpOp::Eq | CmpOp::Ne) {
                if is_var(a, slot) && free(b) {
                    return Some(Pred::Is(*op, b));
                }
                if is_var(b, slot) && free(a) {
                    return Some(Pred::Is(*op, a));
                }
            }
            None
        }
        ExprKind::In(a, b) | ExprKind::NotIn(a, b) => {
            let yes = matches!(c.kind, ExprKind::In(..));
            if let Some(f) = own_field(b)
                && free(a)
            {
                return Some(Pred::Holds(f, a, yes));
            }
            if is_var(a, slot) && free(b) {
                return Some(Pred::Among(b, yes));
            }
            None
        }
        ExprKind::Not(inner) => match &inner.kind {
            ExprKind::Field(..) => own_field(inner).map(|f| Pred::Flag(f, false)),
            _ => None,
        },
        ExprKind::Field(..) => own_field(c).map(|f| Pred::Flag(f, true)),
        _ => None,
    }
}

fn is_var(e: &Expr, slot: u32) -> bool {
    matches!(&e.kind, ExprKind::Var(v) if v.slot == slot)
}

/// Whether an expression reads the variable in `slot`.
fn mentions(e: &Expr, slot: u32) -> bool {
    match &e.kind {
        ExprKind::Var(v) => v.slot == slot,
        ExprKind::Bool(_)
        | ExprKind::Int(_)
        | ExprKind::Text(_)
        | ExprKind::Variant(..)
        | ExprKind::Kind(_)
        | ExprKind::Singleton(_) => false,
        ExprKind::Field(base, _) | ExprKind::Has(base, _) | ExprKind::Not(base) => {
            mentions(base, slot)
        }
        ExprKind::List(items) => items.iter().any(|i| mentions(i, slot)),
        ExprKind::And(a, b)
        | ExprKind::Or(a, b)
        | ExprKind::Compare(_, a, b)
        | ExprKind::In(a, b)
        | ExprKind::NotIn(a, b) => mentions(a, slot) || mentions(b, slot),
        ExprKind::Quant(q) => {
            comp_mentions(&q.comp, slot) || q.body.iter().any(|c| mentions(c, slot))
        }
        ExprKind::Count(comp) => comp_mentions(comp, slot),
    }
}

fn comp_mentions(comp: &Comp, slot: u32) -> bool {
    let collection = match &comp.collection {
        Collection::Kind(_) => false,
        Collection::Path(p) => mentions(p, slot),
    };
    collection || comp.filter.iter().any(|c| mentions(c, slot))
}

/// How a field relates to a value in a condition: "at least".
fn value_relation(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "equal to",
        CmpOp::Ne => "other than",
        CmpOp::Lt => "less than",
        CmpOp::Le => "at most",
        CmpOp::Gt => "more than",
        CmpOp::Ge => "at least",
    }
}

/// What a count is expected to be: the relation `op` when `want` holds, or
/// its negation: "fewer than", "at least".
fn count_relation(op: CmpOp, want: bool) -> &'static str {
    let op = if want {
        op
    } else {
        match op {
            CmpOp::Eq => CmpOp::Ne,
            CmpOp::Ne => CmpOp::Eq,
            CmpOp::Lt => CmpOp::Ge,
            CmpOp::Le => CmpOp::Gt,
            CmpOp::Gt => CmpOp::Le,
            CmpOp::Ge => CmpOp::Lt,
        }
    };
    match op {
        CmpOp::Eq => "exactly",
        CmpOp::Ne => "other than",
        CmpOp::Lt => "fewer than",
        CmpOp::Le => "at most",
        CmpOp::Gt => "more than",
        CmpOp::Ge => "at least",
    }
}
