//! What both evaluators share: the walk over norms and subjects, templates,
//! findings, and the explanation of a verdict as evidence.
//!
//! An evaluator only answers questions about values: what an expression
//! evaluates to, which members of a quantifier's collection match, which
//! come closest. How it answers (index lookups, or nested loops) is its own
//! business; everything built from the answers lives here, so the two
//! evaluators can only differ in the answers.

use lacuna_model::{EntityRef, Facts, Schema};
use lacuna_syntax::Span;
use lacuna_syntax::ast::QuantKind;

use crate::finding::{Evidence, Finding, Subject};
use crate::program::{
    CmpOp, Collection, Comp, Expr, ExprKind, LetBinding, Norm, Program, Quant, Template,
    TemplatePart, Ty,
};
use crate::value::{Names, Txt, Val, code, plain};

/// At most this many members are shown for one quantifier or count.
pub(crate) const MEMBERS_SHOWN: usize = 3;
/// At most this many pieces of evidence are attached to one finding.
pub(crate) const MAX_EVIDENCE: usize = 10;

/// What evaluation reads: the program, the schema and one proposal.
pub(crate) struct Ctx<'f> {
    pub program: &'f Program,
    pub schema: &'f Schema,
    pub facts: &'f Facts,
    /// Each text literal of the program as a text of this proposal.
    lits: Vec<Txt>,
}

impl<'f> Ctx<'f> {
    pub(crate) fn new(program: &'f Program, schema: &'f Schema, facts: &'f Facts) -> Ctx<'f> {
        let lits = program
            .texts
            .iter()
            .enumerate()
            .map(|(i, t)| match facts.strings.get(t) {
                Some(sym) => Txt::Sym(sym),
                None => Txt::Lit(crate::program::TextId(i as u32)),
            })
            .collect();
        Ctx {
            program,
            schema,
            facts,
            lits,
        }
    }

    pub(crate) fn text(&self, id: crate::program::TextId) -> Val<'f> {
        Val::Text(
            self.lits
                .get(id.0 as usize)
                .copied()
                .unwrap_or(Txt::Lit(id)),
        )
    }

    pub(crate) fn names(&self) -> Names<'f> {
        Names {
            program: self.program,
            schema: self.schema,
            facts: self.facts,
        }
    }
}

/// The values of a norm's variables, by slot.
pub(crate) type Env<'f> = Vec<Val<'f>>;

pub(crate) fn bind<'f>(env: &mut Env<'f>, slot: u32, value: Val<'f>) {
    if let Some(s) = env.get_mut(slot as usize) {
        *s = value;
    }
}

pub(crate) fn read<'f>(env: &Env<'f>, slot: u32) -> Val<'f> {
    env.get(slot as usize).cloned().unwrap_or(Val::Absent)
}

/// A member of a quantifier's collection and its position there.
#[derive(Clone, Debug)]
pub(crate) struct Member<'f> {
    pub value: Val<'f>,
    pub position: u32,
}

/// Which members a question is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Select {
    /// Every conjunct of filter and body holds.
    Matching,
    /// The filter holds and the body does not.
    Offending,
    /// The filter holds.
    Counted,
}

/// The questions an evaluator answers.
pub(crate) trait Engine<'f> {
    fn ctx(&self) -> &Ctx<'f>;

    fn eval(&self, e: &Expr, env: &mut Env<'f>) -> Val<'f>;

    /// The first `limit` members of the collection, in collection order, that
    /// `select` picks. The quantifier's variable is left bound to anything.
    fn select(
        &self,
        comp: &Comp,
        body: &[Expr],
        select: Select,
        env: &mut Env<'f>,
        limit: usize,
    ) -> Vec<Member<'f>>;

    /// The `limit` members for which the most conjuncts of filter then body
    /// hold, at least one; best first, ties in collection order.
    fn near_misses(
        &self,
        comp: &Comp,
        body: &[Expr],
        env: &mut Env<'f>,
        limit: usize,
    ) -> Vec<Member<'f>>;
}

/// Runs every norm and returns the findings in a stable order: by source,
/// position of the primary span, norm id, then subject.
pub(crate) fn run<'f, E: Engine<'f>>(engine: &E) -> Vec<Finding> {
    let ctx = engine.ctx();
    let mut findings = Vec::new();
    for norm in &ctx.program.norms {
        let mut env: Env<'f> = vec![Val::Absent; norm.slots as usize];
        match &norm.subject {
            Some(subject) => {
                let count = ctx.facts.entities(subject.kind).len();
                for index in 0..count {
                    let entity = EntityRef {
                        kind: subject.kind,
                        index: index as u32,
                    };
                    bind(&mut env, subject.var.slot, Val::Ref(entity));
                    if let Some(filter) = &subject.filter
                        && !engine.eval(filter, &mut env).truth()
                    {
                        continue;
                    }
                    if let Some(f) = check(engine, norm, Some(entity), &mut env) {
                        findings.push(f);
                    }
                }
            }
            None => {
                if let Some(f) = check(engine, norm, None, &mut env) {
                    findings.push(f);
                }
            }
        }
    }
    sort(findings)
}

/// Orders findings by source, position of the primary span, norm id and
/// subject; the order of evaluation breaks any remaining tie, so the result
/// is the same on every run. Indices are sorted rather than the findings
/// themselves, so that each finding moves once.
fn sort(findings: Vec<Finding>) -> Vec<Finding> {
    let key = |f: &Finding| (f.primary.source, f.primary.span.start);
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_unstable_by(|&a, &b| match (findings.get(a), findings.get(b)) {
        (Some(x), Some(y)) => key(x)
            .cmp(&key(y))
            .then_with(|| x.norm.cmp(&y.norm))
            .then_with(|| x.subject.cmp(&y.subject))
            .then(a.cmp(&b)),
        _ => a.cmp(&b),
    });
    let mut slots: Vec<Option<Finding>> = findings.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
        .collect()
}

/// Checks one subject (or the whole proposal): a finding when the norm fails.
fn check<'f, E: Engine<'f>>(
    engine: &E,
    norm: &Norm,
    subject: Option<EntityRef>,
    env: &mut Env<'f>,
) -> Option<Finding> {
    for l in &norm.lets {
        let value = engine.eval(&l.value, env);
        bind(env, l.var.slot, value);
    }
    if engine.eval(&norm.condition, env).truth() {
        return None;
    }
    let ctx = engine.ctx();
    let mut explainer = Explainer {
        engine,
        lets: &norm.lets,
        out: Vec::new(),
    };
    explainer.explain(&norm.condition, env, false);
    let evidence = explainer.out;

    let entity = subject.and_then(|r| ctx.facts.entity(r).map(|e| (r, e)));
    let subject = entity.map(|(r, e)| Subject {
        entity: r,
        kind: crate::program::kind_name(ctx.schema, r.kind).to_owned(),
        name: e.display.clone(),
    });
    let message = match &norm.message {
        Some(t) => interpolate(engine, t, env),
        None => match (norm.summary(), &subject) {
            (Some(s), _) => s.to_owned(),
            (None, Some(s)) => format!("norm `{}` does not hold for `{}`", norm.id, s.name),
            (None, None) => format!("norm `{}` does not hold", norm.id),
        },
    };
    let help = norm.help.as_ref().map(|t| interpolate(engine, t, env));
    let (primary, primary_label) = match entity {
        Some((_, e)) => (
            ctx.facts.origin(e.span),
            format!("`{}` declared here", e.display),
        ),
        None => (
            ctx.facts.origin(Span::empty(0)),
            "checked against the whole proposal".to_owned(),
        ),
    };
    Some(Finding {
        norm: norm.id.clone(),
        severity: norm.severity,
        subject,
        message,
        help,
        primary,
        primary_label,
        evidence,
        norm_origin: norm.origin,
        serves: norm.serves.clone(),
        perspective: norm.perspective.clone(),
        source: norm.source.clone(),
        tags: norm.tags.clone(),
    })
}

fn interpolate<'f, E: Engine<'f>>(engine: &E, t: &Template, env: &mut Env<'f>) -> String {
    let names = engine.ctx().names();
    let mut out = String::new();
    for part in &t.parts {
        match part {
            TemplatePart::Text(s) => out.push_str(s),
            TemplatePart::Hole(e) => out.push_str(&plain(&engine.eval(e, env), &e.ty, &names)),
        }
    }
    out
}

/// Where a value comes from in the proposal.
#[derive(Clone, Copy, Debug)]
struct Located<'f> {
    span: Span,
    how: How,
    /// For a written list, the span of each member.
    items: &'f [Span],
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum How {
    /// The value as written.
    Written,
    /// The field is left out and its default applies: the span is the entity's header.
    Default,
    /// The optional field is left out: the span is the entity's header.
    Unset,
    /// The value is an entity: the span is its header.
    Entity,
}

/// Builds the evidence of one verdict.
struct Explainer<'e, E> {
    engine: &'e E,
    /// The norm's `let`s: a condition on a `let` is explained by its value.
    lets: &'e [LetBinding],
    out: Vec<Evidence>,
}

impl<'e, 'f, E: Engine<'f>> Explainer<'e, E> {
    fn ctx(&self) -> &Ctx<'f> {
        self.engine.ctx()
    }

    fn push(&mut self, span: Span, message: String) {
        if self.out.len() < MAX_EVIDENCE {
            let origin = self.ctx().facts.origin(span);
            self.out.push(Evidence { origin, message });
        }
    }

    fn full(&self) -> bool {
        self.out.len() >= MAX_EVIDENCE
    }

    /// The expression a `let` variable stands for: every binding of a norm
    /// has a slot of its own, so a variable in a `let`'s slot is that `let`.
    /// Evaluating the value again gives the value bound, since it reads only
    /// the subject and earlier `let`s.
    fn resolve<'x>(&self, e: &'x Expr) -> &'x Expr
    where
        'e: 'x,
    {
        match &e.kind {
            ExprKind::Var(v) => self
                .lets
                .iter()
                .find(|l| l.var.slot == v.slot)
                .map_or(e, |l| &l.value),
            _ => e,
        }
    }

    /// Explains why `e` evaluates to `holds`.
    fn explain(&mut self, e: &Expr, env: &mut Env<'f>, holds: bool) {
        if self.full() {
            return;
        }
        let e = self.resolve(e);
        match &e.kind {
            ExprKind::And(a, b) | ExprKind::Or(a, b) => {
                let is_and = matches!(e.kind, ExprKind::And(..));
                if is_and == holds {
                    // Every operand shares the verdict: explain each.
                    self.explain(a, env, holds);
                    self.explain(b, env, holds);
                } else {
                    // One operand decides: the first that has the verdict.
                    let first = if self.engine.eval(a, env).truth() == holds {
                        a
                    } else {
                        b
                    };
                    self.explain(first, env, holds);
                }
            }
            ExprKind::Not(inner) => self.explain(inner, env, !holds),
            ExprKind::Quant(q) => self.quantifier(q, env, holds),
            ExprKind::Compare(op, a, b)
                if is_count(self.resolve(a)) || is_count(self.resolve(b)) =>
            {
                let (a, b) = (self.resolve(a), self.resolve(b));
                self.count(*op, a, b, env, holds);
            }
            _ => {
                let (message, located) = self.fact(e, env, holds, None);
                if let Some(l) = located {
                    self.push(l.span, with_how(message, l.how));
                }
            }
        }
    }

    fn quantifier(&mut self, q: &Quant, env: &mut Env<'f>, holds: bool) {
        let comp = &q.comp;
        match (q.kind, holds) {
            (QuantKind::Any, false) => {
                let members = self.engine.near_misses(comp, &q.body, env, MEMBERS_SHOWN);
                if members.is_empty() {
                    self.empty_collection(comp, env);
                }
                for (i, m) in members.iter().enumerate() {
                    let lead = if i == 0 {
                        "comes closest"
                    } else {
                        "also comes close"
                    };
                    self.member(comp, &q.body, m, env, (lead, ""), Verdict::Fails);
                }
            }
            (QuantKind::All, false) => {
                let members =
                    self.engine
                        .select(comp, &q.body, Select::Offending, env, MEMBERS_SHOWN);
                for m in &members {
                    self.member(comp, &q.body, m, env, ("fails", ""), Verdict::BodyFails);
                }
            }
            (QuantKind::None, false) => {
                let members =
                    self.engine
                        .select(comp, &q.body, Select::Matching, env, MEMBERS_SHOWN);
                for m in &members {
                    self.member(comp, &q.body, m, env, ("matches", ""), Verdict::HoldsWhere);
                }
            }
            (QuantKind::Any, true) => {
                let members = self.engine.select(comp, &q.body, Select::Matching, env, 1);
                for m in &members {
                    self.member(comp, &q.body, m, env, ("matches", ""), Verdict::HoldsWhere);
                }
            }
            (QuantKind::All | QuantKind::None, true) => {}
        }
    }

    /// Evidence that an `any` found no member at all: an empty list.
    fn empty_collection(&mut self, comp: &Comp, env: &mut Env<'f>) {
        let Collection::Path(path) = &comp.collection else {
            return;
        };
        let value = self.engine.eval(path, env);
        let empty = match &value {
            Val::List(list) => list.iter().next().is_none(),
            _ => true,
        };
        if !empty {
            return;
        }
        if let Some(l) = self.locate(path, env) {
            let what = self.short(path);
            let message = if value.is_absent() {
                format!("`{what}` is not set")
            } else {
                format!("`{what}` is empty")
            };
            self.push(l.span, with_how(message, l.how));
        }
    }

    /// One piece of evidence about a member: `lead` says what it does, the
    /// chosen conjunct says why, and points at the value responsible.
    fn member(
        &mut self,
        comp: &Comp,
        body: &[Expr],
        m: &Member<'f>,
        env: &mut Env<'f>,
        (lead, tail): (&str, &str),
        verdict: Verdict,
    ) {
        bind(env, comp.var.slot, m.value.clone());
        let name = self.member_name(&m.value, &comp.var);
        let conjuncts: Vec<&Expr> = match verdict {
            Verdict::BodyFails => body.iter().collect(),
            Verdict::Fails => comp.filter.iter().chain(body).collect(),
            // The body says what a match does; the filter only which members count.
            Verdict::HoldsWhere => body.iter().chain(&comp.filter).collect(),
        };
        let mut why: Option<(String, Option<Located<'f>>)> = None;
        for c in conjuncts {
            let value = self.engine.eval(c, env).truth();
            match verdict {
                Verdict::Fails | Verdict::BodyFails if !value => {
                    why = Some(self.fact(c, env, false, Some(comp.var.slot)));
                    break;
                }
                Verdict::HoldsWhere if value => {
                    let (message, located) = self.fact(c, env, true, Some(comp.var.slot));
                    if located.is_some() {
                        why = Some((message, located));
                        break;
                    }
                }
                _ => {}
            }
        }
        let member_span = self.member_span(comp, m, env);
        let (message, span) = match why {
            Some((text, Some(l))) => (
                format!("`{name}` {lead}: {}{tail}", with_how(text, l.how)),
                Some(l.span),
            ),
            Some((text, None)) => (format!("`{name}` {lead}: {text}{tail}"), member_span),
            None => (format!("`{name}` {lead}{tail}"), member_span),
        };
        if let Some(span) = span {
            self.push(span, message);
        }
    }

    /// What a member is called in messages: an entity's display name, or a
    /// value as code.
    fn member_name(&self, value: &Val<'f>, var: &crate::program::Var) -> String {
        match value {
            Val::Ref(r) => self
                .ctx()
                .facts
                .entity(*r)
                .map_or_else(|| var.name.clone(), |e| e.display.clone()),
            other => code(other, &Ty::Unknown, &self.ctx().names()),
        }
    }

    /// Where a member is declared: an entity's header, or its place in the list.
    fn member_span(&self, comp: &Comp, m: &Member<'f>, env: &mut Env<'f>) -> Option<Span> {
        if let Val::Ref(r) = m.value {
            return self.ctx().facts.entity(r).map(|e| e.span);
        }
        let Collection::Path(path) = &comp.collection else {
            return None;
        };
        let l = self.locate(path, env)?;
        Some(l.items.get(m.position as usize).copied().unwrap_or(l.span))
    }

    fn count(&mut self, op: CmpOp, a: &Expr, b: &Expr, env: &mut Env<'f>, holds: bool) {
        // Read the comparison from the count's side: `2 <= count(..)` is `count(..) >= 2`.
        let (count, other, op) = match &a.kind {
            ExprKind::Count(_) => (a, b, op),
            _ => (b, a, mirror(op)),
        };
        let ExprKind::Count(comp) = &count.kind else {
            return;
        };
        let n = self.engine.eval(count, env);
        let bound = self.engine.eval(other, env);
        let (Val::Int(n), Val::Int(bound)) = (n, bound) else {
            let (message, located) = self.fact(other, env, holds, None);
            if let Some(l) = located {
                self.push(l.span, with_how(message, l.how));
            }
            return;
        };
        let relation = relation(op, holds, bound);
        let members = self
            .engine
            .select(comp, &[], Select::Counted, env, MEMBERS_SHOWN);
        if members.is_empty() {
            self.empty_collection(comp, env);
        }
        let tail = format!(" ({n} in all, {relation})");
        for m in &members {
            self.member(
                comp,
                &[],
                m,
                env,
                ("is counted", &tail),
                Verdict::HoldsWhere,
            );
        }
    }

    /// Describes why `e` evaluates to `holds`, and where the deciding value is
    /// written. With `prefer`, an operand rooted at that variable is the one
    /// located, since it is the member under discussion.
    fn fact(
        &self,
        e: &Expr,
        env: &mut Env<'f>,
        holds: bool,
        prefer: Option<u32>,
    ) -> (String, Option<Located<'f>>) {
        match &e.kind {
            ExprKind::Compare(op, a, b) => {
                let located = self.locate_operands(&[a, b], env, prefer);
                (self.describe_compare(*op, a, b, env, holds), located)
            }
            ExprKind::In(a, b) | ExprKind::NotIn(a, b) => {
                let located = self.locate_operands(&[a, b], env, prefer);
                (self.describe_in(a, b, env), located)
            }
            ExprKind::Has(base, field) => {
                let what = format!("{}.{}", self.short(base), field.name);
                let set = if self.engine.eval(e, env).truth() {
                    "is set"
                } else {
                    "is not set"
                };
                let located = self.locate_field(base, field.id, env);
                (format!("`{what}` {set}"), located)
            }
            ExprKind::Not(inner) => self.fact(inner, env, !holds, prefer),
            ExprKind::And(a, b) | ExprKind::Or(a, b) => {
                let is_and = matches!(e.kind, ExprKind::And(..));
                if is_and != holds {
                    let first = if self.engine.eval(a, env).truth() == holds {
                        a
                    } else {
                        b
                    };
                    self.fact(first, env, holds, prefer)
                } else {
                    let verdict = if holds { "holds" } else { "does not hold" };
                    (format!("`{}` {verdict}", self.source(e)), None)
                }
            }
            ExprKind::Quant(q) => {
                let var = &q.comp.var.name;
                let coll = q
                    .comp
                    .collection_source(self.ctx().program, self.ctx().schema);
                let text = match (q.kind, holds) {
                    (QuantKind::Any, true) => format!("some `{var}` in `{coll}` qualifies"),
                    (QuantKind::Any, false) => format!("no `{var}` in `{coll}` qualifies"),
                    (QuantKind::All, true) => format!("every `{var}` in `{coll}` qualifies"),
                    (QuantKind::All, false) => format!("not every `{var}` in `{coll}` qualifies"),
                    (QuantKind::None, true) => format!("no `{var}` in `{coll}` matches"),
                    (QuantKind::None, false) => format!("some `{var}` in `{coll}` matches"),
                };
                (text, None)
            }
            _ => {
                let value = self.engine.eval(e, env);
                let what = self.short(e);
                let text = if value.is_absent() {
                    format!("`{what}` is not set")
                } else {
                    format!("`{what}` is `{}`", code(&value, &e.ty, &self.ctx().names()))
                };
                (text, self.locate(e, env))
            }
        }
    }

    fn describe_compare(
        &self,
        op: CmpOp,
        a: &Expr,
        b: &Expr,
        env: &mut Env<'f>,
        holds: bool,
    ) -> String {
        let (va, vb) = (self.engine.eval(a, env), self.engine.eval(b, env));
        let (sa, sb) = (self.short(a), self.short(b));
        if va.is_absent() {
            return format!("`{sa}` is not set");
        }
        if vb.is_absent() {
            return format!("`{sb}` is not set");
        }
        let names = self.ctx().names();
        let (ca, cb) = (code(&va, &a.ty, &names), code(&vb, &b.ty, &names));
        match (op, holds) {
            (CmpOp::Eq, true) | (CmpOp::Ne, false) if is_constant(b) => format!("`{sa}` is `{ca}`"),
            (CmpOp::Eq, true) | (CmpOp::Ne, false) => {
                format!("`{sa}` is `{ca}`, the same as `{sb}`")
            }
            (CmpOp::Eq, false) | (CmpOp::Ne, true) => format!("`{sa}` is `{ca}`, not `{cb}`"),
            (op, holds) => format!(
                "`{sa}` is `{ca}`, {}",
                relation(op, holds, format!("`{cb}`"))
            ),
        }
    }

    fn describe_in(&self, a: &Expr, b: &Expr, env: &mut Env<'f>) -> String {
        let (va, vb) = (self.engine.eval(a, env), self.engine.eval(b, env));
        let (sa, sb) = (self.short(a), self.short(b));
        if va.is_absent() {
            return format!("`{sa}` is not set");
        }
        if vb.is_absent() {
            return format!("`{sb}` is not set");
        }
        let names = self.ctx().names();
        let ca = code(&va, &a.ty, &names);
        let contained = crate::value::member(&va, &vb);
        let path_on_right = matches!(b.kind, ExprKind::Field(..) | ExprKind::Var(_));
        match (path_on_right, contained) {
            (true, true) => format!("`{sb}` contains `{ca}`"),
            (true, false) => format!("`{sb}` does not contain `{ca}`"),
            (false, true) => format!("`{sa}` is `{ca}`, in `{sb}`"),
            (false, false) => format!("`{sa}` is `{ca}`, not in `{sb}`"),
        }
    }

    fn locate_operands(
        &self,
        operands: &[&Expr],
        env: &mut Env<'f>,
        prefer: Option<u32>,
    ) -> Option<Located<'f>> {
        if let Some(slot) = prefer {
            for o in operands {
                if root_slot(o) == Some(slot)
                    && let Some(l) = self.locate(o, env)
                {
                    return Some(l);
                }
            }
        }
        operands.iter().find_map(|o| self.locate(o, env))
    }

    /// Where the value of a path is written.
    fn locate(&self, e: &Expr, env: &mut Env<'f>) -> Option<Located<'f>> {
        match &e.kind {
            ExprKind::Field(base, field) => self.locate_field(base, field.id, env),
            ExprKind::Var(_) | ExprKind::Singleton(_) => match self.engine.eval(e, env) {
                Val::Ref(r) => self.ctx().facts.entity(r).map(|entity| Located {
                    span: entity.span,
                    how: How::Entity,
                    items: &[],
                }),
                _ => None,
            },
            _ => None,
        }
    }

    fn locate_field(
        &self,
        base: &Expr,
        field: lacuna_model::FieldId,
        env: &mut Env<'f>,
    ) -> Option<Located<'f>> {
        let facts: &'f Facts = self.ctx().facts;
        match self.engine.eval(base, env) {
            Val::Ref(r) => {
                let entity = facts.entity(r)?;
                let fact = entity.field(field);
                Some(match fact.and_then(|f| f.span.map(|s| (s, f))) {
                    Some((span, f)) => Located {
                        span,
                        how: How::Written,
                        items: &f.item_spans,
                    },
                    None => Located {
                        span: entity.span,
                        how: if matches!(entity.value(field), lacuna_model::Value::Absent) {
                            How::Unset
                        } else {
                            How::Default
                        },
                        items: &[],
                    },
                })
            }
            Val::Absent => self.locate(base, env),
            _ => None,
        }
    }

    fn short(&self, e: &Expr) -> String {
        e.to_short_source(self.ctx().program, self.ctx().schema)
    }

    fn source(&self, e: &Expr) -> String {
        e.to_source(self.ctx().program, self.ctx().schema)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    /// Show the first conjunct of filter then body that fails.
    Fails,
    /// Show the first conjunct of the body that fails.
    BodyFails,
    /// Show the first conjunct of body then filter that holds and is written somewhere.
    HoldsWhere,
}

fn with_how(message: String, how: How) -> String {
    match how {
        How::Default => format!("{message} (the default)"),
        How::Written | How::Unset | How::Entity => message,
    }
}

fn is_count(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Count(_))
}

fn is_constant(e: &Expr) -> bool {
    matches!(
        e.kind,
        ExprKind::Bool(_) | ExprKind::Int(_) | ExprKind::Text(_) | ExprKind::Variant(..)
    )
}

/// The variable a path starts from.
fn root_slot(e: &Expr) -> Option<u32> {
    match &e.kind {
        ExprKind::Var(v) => Some(v.slot),
        ExprKind::Field(base, _) | ExprKind::Has(base, _) => root_slot(base),
        _ => None,
    }
}

/// `a OP b` read as `b OP' a`.
fn mirror(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        other => other,
    }
}

/// How a value relates to `bound` under `op`, when the comparison has the
/// verdict `holds`: "not at least 2", "less than 3".
fn relation(op: CmpOp, holds: bool, bound: impl std::fmt::Display) -> String {
    let phrase = match (op, holds) {
        (CmpOp::Eq, true) | (CmpOp::Ne, false) => "exactly",
        (CmpOp::Eq, false) | (CmpOp::Ne, true) => "not",
        (CmpOp::Lt, true) => "less than",
        (CmpOp::Lt, false) => "not less than",
        (CmpOp::Le, true) => "at most",
        (CmpOp::Le, false) => "not at most",
        (CmpOp::Gt, true) => "more than",
        (CmpOp::Gt, false) => "not more than",
        (CmpOp::Ge, true) => "at least",
        (CmpOp::Ge, false) => "not at least",
    };
    format!("{phrase} {bound}")
}
