//! The planned evaluator: quantifiers narrowed by hash indexes.
//!
//! Indexes are built lazily, once per proposal, the first time a plan needs
//! them, and shared by every norm: `(kind, field, Equal)` maps each value of
//! a field to the entities holding it; `(kind, field, Contains)` maps each
//! member of a list field to the entities whose list holds it. Entities are
//! listed in source order, so a narrowed scan visits members in the same
//! order as a full one.

use std::cell::RefCell;
use std::ops::ControlFlow;
use std::rc::Rc;

use lacuna_model::{EntityRef, Facts, FieldId, KindId, Schema, Type, Value};
use lacuna_syntax::ast::QuantKind;
use rustc_hash::FxHashMap;

use crate::diagnostic::{Detail, Diagnostic};
use crate::engine::{self, Ctx, Engine, Env, Member, Select, bind, read};
use crate::outcome::Outcome;
use crate::plan::{Lookup, Mode, Side, conjunct};
use crate::program::{CmpOp, Collection, Comp, CompId, Expr, ExprKind, Program};
use crate::value::{Key, List, Val, equal, member};

/// Checks every norm of `program` against one proposal.
pub fn evaluate(program: &Program, schema: &Schema, facts: &Facts) -> Vec<Diagnostic> {
    Evaluator::new(program, schema, facts).findings()
}

/// Checks every norm of `program` against one proposal, building each
/// finding only as far as `detail` asks.
pub fn evaluate_with(
    program: &Program,
    schema: &Schema,
    facts: &Facts,
    detail: Detail,
) -> Vec<Diagnostic> {
    Evaluator::new(program, schema, facts).findings_with(detail)
}

/// Evaluation of one program over one proposal, with the indexes it builds
/// on the way. [`evaluate`] is the short form; keep an `Evaluator` to run
/// [`Evaluator::findings`] more than once without rebuilding indexes.
pub struct Evaluator<'f> {
    ctx: Ctx<'f>,
    index: RefCell<FxHashMap<(KindId, FieldId, Mode), Rc<Postings>>>,
    scores: RefCell<FxHashMap<CompId, Ranked>>,
    /// The values of closed quantifiers (`true` as 1) and counts.
    closed: RefCell<FxHashMap<CompId, i64>>,
}

/// One index: the entities of each key, in source order, stored key after
/// key in one array. Built with a counting sort, it costs a few allocations
/// however many keys there are, where a list per key would cost several
/// each and scatter the lists over the heap.
struct Postings {
    /// Each key's position in `starts`.
    keys: FxHashMap<Key, u32>,
    /// Where the entities of each key start in `ids`, and, last, the end.
    starts: Vec<u32>,
    ids: Vec<u32>,
}

impl Postings {
    fn build(schema: &Schema, facts: &Facts, kind: KindId, field: FieldId, mode: Mode) -> Postings {
        let entities = facts.entities(kind);
        // How many (key, entity) pairs there can be.
        let items = match mode {
            Mode::Equal => entities.len(),
            Mode::Contains => entities
                .iter()
                .map(|e| match e.value(field) {
                    Value::List(items) => items.len(),
                    _ => 0,
                })
                .sum(),
        };
        // Sizing the table at once spares growing it step by step, each
        // step a large allocation amid the small ones of evaluation.
        let bound = key_bound(schema, facts, kind, field, mode).map_or(0, |b| b.min(items));
        let mut keys: FxHashMap<Key, u32> =
            FxHashMap::with_capacity_and_hasher(bound, Default::default());
        // For each key, the last entity listed under it, so that an entity
        // whose list repeats a member is listed once.
        let mut last: Vec<u32> = Vec::with_capacity(bound);
        // (key, entity) in source order.
        let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(items);
        let mut add = |key: Key, id: u32| {
            let next = keys.len() as u32;
            let k = *keys.entry(key).or_insert(next);
            if k == next {
                last.push(id);
            } else if let Some(l) = last.get_mut(k as usize) {
                if *l == id {
                    return;
                }
                *l = id;
            }
            pairs.push((k, id));
        };
        for (i, entity) in entities.iter().enumerate() {
            let i = i as u32;
            match (mode, entity.value(field)) {
                (Mode::Equal, value) => {
                    if let Some(key) = Key::of_fact(value) {
                        add(key, i);
                    }
                }
                (Mode::Contains, Value::List(items)) => {
                    for item in items {
                        if let Some(key) = Key::of_fact(item) {
                            add(key, i);
                        }
                    }
                }
                (Mode::Contains, _) => {}
            }
        }
        // A counting sort by key keeps source order within each key.
        let mut starts = vec![0u32; keys.len() + 1];
        for &(k, _) in &pairs {
            if let Some(n) = starts.get_mut(k as usize + 1) {
                *n += 1;
            }
        }
        let mut total = 0;
        for n in &mut starts {
            total += *n;
            *n = total;
        }
        let mut next = starts.clone();
        let mut ids = vec![0u32; pairs.len()];
        for (k, id) in pairs {
            if let Some(at) = next.get_mut(k as usize)
                && let Some(slot) = ids.get_mut(*at as usize)
            {
                *slot = id;
                *at += 1;
            }
        }
        Postings { keys, starts, ids }
    }
}

/// At most how many keys an index of a field can have, when the schema
/// says: the entities of a referenced kind, the variants of an enum, two
/// booleans.
fn key_bound(
    schema: &Schema,
    facts: &Facts,
    kind: KindId,
    field: FieldId,
    mode: Mode,
) -> Option<usize> {
    fn required(ty: &Type) -> &Type {
        match ty {
            Type::Optional(inner) => required(inner),
            other => other,
        }
    }
    let ty = required(&schema.entity(kind)?.field_def(field)?.ty);
    let ty = match (mode, ty) {
        (Mode::Equal, ty) => ty,
        (Mode::Contains, Type::List(element)) => required(element),
        (Mode::Contains, _) => return None,
    };
    match ty {
        Type::Bool => Some(2),
        Type::Enum(e) => Some(schema.enum_def(*e)?.variants.len()),
        Type::Ref(k) => Some(facts.entities(*k).len()),
        Type::Int | Type::Text | Type::List(_) | Type::Optional(_) => None,
    }
}

/// The entities of one key of an index.
#[derive(Clone)]
struct Hits {
    postings: Rc<Postings>,
    key: u32,
}

impl Hits {
    fn ids(&self) -> &[u32] {
        let p = &self.postings;
        let range = p
            .starts
            .get(self.key as usize)
            .zip(p.starts.get(self.key as usize + 1));
        range
            .and_then(|(&start, &end)| p.ids.get(start as usize..end as usize))
            .unwrap_or(&[])
    }
}

/// Entities as `(score, id)`, best first.
type Ranked = Rc<[(u32, u32)]>;

/// The members a scan visits.
enum Candidates<'f> {
    Nothing,
    /// Every entity of the kind: ids `0..n`.
    All(KindId, u32),
    /// The entities of one key of an index.
    Ids(KindId, Hits),
    /// The members of a list value.
    List(List<'f>),
}

impl<'f> Evaluator<'f> {
    pub fn new(program: &'f Program, schema: &'f Schema, facts: &'f Facts) -> Evaluator<'f> {
        Evaluator {
            ctx: Ctx::new(program, schema, facts),
            index: RefCell::new(FxHashMap::default()),
            scores: RefCell::new(FxHashMap::default()),
            closed: RefCell::new(FxHashMap::default()),
        }
    }

    /// A finding for each subject that fails a norm, in a stable order.
    pub fn findings(&self) -> Vec<Diagnostic> {
        engine::run(self, Detail::Full)
    }

    /// The same findings as [`Evaluator::findings`], built only as far as
    /// `detail` asks.
    pub fn findings_with(&self, detail: Detail) -> Vec<Diagnostic> {
        engine::run(self, detail)
    }

    /// For each norm with a `for` clause, each subject it examined and
    /// whether the norm held for it.
    pub fn outcomes(&self) -> Vec<Outcome> {
        crate::outcome::outcomes(self)
    }

    fn postings(&self, kind: KindId, field: FieldId, mode: Mode) -> Rc<Postings> {
        if let Some(p) = self.index.borrow().get(&(kind, field, mode)) {
            return Rc::clone(p);
        }
        let postings = Rc::new(Postings::build(
            self.ctx.schema,
            self.ctx.facts,
            kind,
            field,
            mode,
        ));
        self.index
            .borrow_mut()
            .insert((kind, field, mode), Rc::clone(&postings));
        postings
    }

    /// The entities a lookup selects in the current environment.
    fn lookup(&self, comp: &Comp, body: &[Expr], l: &Lookup, env: &mut Env<'f>) -> Option<Hits> {
        let operand = match &conjunct(comp, body, l.conj)?.kind {
            ExprKind::Compare(_, a, b) | ExprKind::In(a, b) => match l.key {
                Side::Left => a,
                Side::Right => b,
            },
            _ => return None,
        };
        let key = Key::of(&self.eval(operand, env))?;
        let postings = self.postings(l.kind, l.field, l.mode);
        let key = *postings.keys.get(&key)?;
        Some(Hits { postings, key })
    }

    /// The members worth visiting for `select`, and the conjunct that the
    /// chosen lookup already guarantees.
    fn candidates(
        &self,
        comp: &Comp,
        body: &[Expr],
        select: Select,
        env: &mut Env<'f>,
    ) -> (Candidates<'f>, Option<usize>) {
        let kind = match &comp.collection {
            Collection::Kind(k) => *k,
            Collection::Path(p) => {
                return match self.eval(p, env) {
                    Val::List(list) => (Candidates::List(list), None),
                    _ => (Candidates::Nothing, None),
                };
            }
        };
        let lookups = match select {
            Select::Matching => &comp.plan.matching,
            Select::Offending | Select::Counted => &comp.plan.filtering,
        };
        let mut best: Option<(Hits, usize)> = None;
        for l in lookups {
            let Some(ids) = self.lookup(comp, body, l, env) else {
                // No member satisfies this conjunct, so none satisfies all.
                return (Candidates::Nothing, None);
            };
            if best
                .as_ref()
                .is_none_or(|(b, _)| ids.ids().len() < b.ids().len())
            {
                best = Some((ids, l.conj));
            }
        }
        match best {
            Some((ids, conj)) => (Candidates::Ids(kind, ids), Some(conj)),
            None => {
                let n = self.ctx.facts.entities(kind).len() as u32;
                (Candidates::All(kind, n), None)
            }
        }
    }

    /// Whether every conjunct in `range` holds, skipping `skip`.
    fn all_hold(
        &self,
        conj: &[Expr],
        offset: usize,
        skip: Option<usize>,
        env: &mut Env<'f>,
    ) -> bool {
        conj.iter()
            .enumerate()
            .all(|(i, c)| Some(i + offset) == skip || self.eval(c, env).truth())
    }

    fn selects(
        &self,
        comp: &Comp,
        body: &[Expr],
        select: Select,
        skip: Option<usize>,
        env: &mut Env<'f>,
    ) -> bool {
        let filter = self.all_hold(&comp.filter, 0, skip, env);
        match select {
            Select::Counted => filter,
            Select::Matching => filter && self.all_hold(body, comp.filter.len(), skip, env),
            Select::Offending => filter && !self.all_hold(body, comp.filter.len(), skip, env),
        }
    }

    /// Visits the members that `select` picks, in collection order, until
    /// `visit` breaks.
    fn each(
        &self,
        comp: &Comp,
        body: &[Expr],
        select: Select,
        env: &mut Env<'f>,
        visit: &mut dyn FnMut(Member<'f>) -> ControlFlow<()>,
    ) {
        let (candidates, skip) = self.candidates(comp, body, select, env);
        let mut try_member = |value: Val<'f>, position: u32, env: &mut Env<'f>| {
            bind(env, comp.var.slot, value.clone());
            if self.selects(comp, body, select, skip, env) {
                visit(Member { value, position })
            } else {
                ControlFlow::Continue(())
            }
        };
        match candidates {
            Candidates::Nothing => {}
            Candidates::All(kind, n) => {
                for index in 0..n {
                    let value = Val::Ref(EntityRef { kind, index });
                    if try_member(value, index, env).is_break() {
                        return;
                    }
                }
            }
            Candidates::Ids(kind, hits) => {
                for &index in hits.ids() {
                    let value = Val::Ref(EntityRef { kind, index });
                    if try_member(value, index, env).is_break() {
                        return;
                    }
                }
            }
            Candidates::List(list) => {
                for position in 0..list.len() {
                    let value = list.get(position);
                    if !value.is_absent() && try_member(value, position as u32, env).is_break() {
                        return;
                    }
                }
            }
        }
    }

    fn exists(&self, comp: &Comp, body: &[Expr], select: Select, env: &mut Env<'f>) -> bool {
        let mut found = false;
        self.each(comp, body, select, env, &mut |_| {
            found = true;
            ControlFlow::Break(())
        });
        found
    }

    /// How many conjuncts of filter then body hold for the bound member.
    fn score(&self, comp: &Comp, body: &[Expr], env: &mut Env<'f>) -> u32 {
        comp.filter
            .iter()
            .chain(body)
            .filter(|c| self.eval(c, env).truth())
            .count() as u32
    }

    /// Near misses among the members of a list, by scoring every member:
    /// lists are short, and every conjunct counts for their members.
    fn scan_near_misses(
        &self,
        comp: &Comp,
        body: &[Expr],
        env: &mut Env<'f>,
        limit: usize,
    ) -> Vec<Member<'f>> {
        let Collection::Path(p) = &comp.collection else {
            return Vec::new();
        };
        let Val::List(list) = self.eval(p, env) else {
            return Vec::new();
        };
        let mut scored: Vec<(u32, Member<'f>)> = Vec::new();
        for position in 0..list.len() {
            let value = list.get(position);
            if value.is_absent() {
                continue;
            }
            bind(env, comp.var.slot, value.clone());
            let s = self.score(comp, body, env);
            if s > 0 {
                scored.push((
                    s,
                    Member {
                        value,
                        position: position as u32,
                    },
                ));
            }
        }
        // A stable sort keeps list order among equal scores.
        scored.sort_by_key(|(s, _)| std::cmp::Reverse(*s));
        scored.into_iter().take(limit).map(|(_, m)| m).collect()
    }

    /// For each entity, how many conjuncts that do not depend on the
    /// surroundings hold: `(score, id)` with score at least one, best first,
    /// ties by id. Computed once per comprehension.
    fn independent_scores(
        &self,
        comp: &Comp,
        body: &[Expr],
        kind: KindId,
        env: &mut Env<'f>,
    ) -> Rc<[(u32, u32)]> {
        if let Some(s) = self.scores.borrow().get(&comp.id) {
            return Rc::clone(s);
        }
        let independent: Vec<&Expr> = comp
            .filter
            .iter()
            .chain(body)
            .zip(&comp.plan.dependent)
            .filter(|(_, dep)| !**dep)
            .map(|(c, _)| c)
            .collect();
        let saved = read(env, comp.var.slot);
        let mut ranked = Vec::new();
        for index in 0..self.ctx.facts.entities(kind).len() as u32 {
            bind(env, comp.var.slot, Val::Ref(EntityRef { kind, index }));
            let s = independent
                .iter()
                .filter(|c| self.eval(c, env).truth())
                .count() as u32;
            if s > 0 {
                ranked.push((s, index));
            }
        }
        bind(env, comp.var.slot, saved);
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let ranked: Rc<[(u32, u32)]> = ranked.into();
        self.scores.borrow_mut().insert(comp.id, Rc::clone(&ranked));
        ranked
    }

    /// The value of a comprehension, computed once per proposal when it is
    /// closed.
    fn memo(
        &self,
        comp: &Comp,
        env: &mut Env<'f>,
        compute: impl FnOnce(&Self, &mut Env<'f>) -> i64,
    ) -> i64 {
        if !comp.plan.closed {
            return compute(self, env);
        }
        if let Some(v) = self.closed.borrow().get(&comp.id) {
            return *v;
        }
        let v = compute(self, env);
        self.closed.borrow_mut().insert(comp.id, v);
        v
    }

    fn compare(&self, op: CmpOp, a: &Expr, b: &Expr, env: &mut Env<'f>) -> bool {
        let (x, y) = (self.eval(a, env), self.eval(b, env));
        match op {
            CmpOp::Eq => equal(&x, &y),
            CmpOp::Ne => !equal(&x, &y),
            _ => match (x, y) {
                (Val::Int(x), Val::Int(y)) => match op {
                    CmpOp::Lt => x < y,
                    CmpOp::Le => x <= y,
                    CmpOp::Gt => x > y,
                    _ => x >= y,
                },
                _ => false,
            },
        }
    }
}

impl<'f> Engine<'f> for Evaluator<'f> {
    fn ctx(&self) -> &Ctx<'f> {
        &self.ctx
    }

    fn eval(&self, e: &Expr, env: &mut Env<'f>) -> Val<'f> {
        match &e.kind {
            ExprKind::Bool(b) => Val::Bool(*b),
            ExprKind::Int(i) => Val::Int(*i),
            ExprKind::Text(id) => self.ctx.text(*id),
            ExprKind::Variant(_, v) => Val::Enum(*v),
            ExprKind::Var(v) => read(env, v.slot),
            ExprKind::Kind(k) => {
                Val::List(List::Kind(*k, self.ctx.facts.entities(*k).len() as u32))
            }
            ExprKind::Singleton(k) => {
                if self.ctx.facts.entities(*k).is_empty() {
                    Val::Absent
                } else {
                    Val::Ref(EntityRef { kind: *k, index: 0 })
                }
            }
            ExprKind::Field(base, field) => match self.eval(base, env) {
                Val::Ref(r) => self
                    .ctx
                    .facts
                    .entity(r)
                    .map_or(Val::Absent, |entity| Val::from_fact(entity.value(field.id))),
                _ => Val::Absent,
            },
            ExprKind::Has(base, field) => match self.eval(base, env) {
                Val::Ref(r) => Val::Bool(
                    self.ctx
                        .facts
                        .entity(r)
                        .is_some_and(|entity| !matches!(entity.value(field.id), Value::Absent)),
                ),
                _ => Val::Bool(false),
            },
            ExprKind::List(items) => {
                let values: Vec<Val<'f>> = items
                    .iter()
                    .map(|i| self.eval(i, env))
                    .filter(|v| !v.is_absent())
                    .collect();
                Val::List(List::Built(values.into()))
            }
            ExprKind::Not(inner) => Val::Bool(!self.eval(inner, env).truth()),
            ExprKind::And(a, b) => {
                Val::Bool(self.eval(a, env).truth() && self.eval(b, env).truth())
            }
            ExprKind::Or(a, b) => Val::Bool(self.eval(a, env).truth() || self.eval(b, env).truth()),
            ExprKind::Compare(op, a, b) => Val::Bool(self.compare(*op, a, b, env)),
            ExprKind::In(a, b) => {
                let (x, list) = (self.eval(a, env), self.eval(b, env));
                Val::Bool(member(&x, &list))
            }
            ExprKind::NotIn(a, b) => {
                let (x, list) = (self.eval(a, env), self.eval(b, env));
                Val::Bool(!member(&x, &list))
            }
            ExprKind::Quant(q) => Val::Bool(
                self.memo(&q.comp, env, |this, env| {
                    i64::from(match q.kind {
                        QuantKind::Any => this.exists(&q.comp, &q.body, Select::Matching, env),
                        QuantKind::None => !this.exists(&q.comp, &q.body, Select::Matching, env),
                        QuantKind::All => !this.exists(&q.comp, &q.body, Select::Offending, env),
                    })
                }) != 0,
            ),
            ExprKind::Count(comp) => Val::Int(self.memo(comp, env, |this, env| {
                let mut n: i64 = 0;
                this.each(comp, &[], Select::Counted, env, &mut |_| {
                    n += 1;
                    ControlFlow::Continue(())
                });
                n
            })),
        }
    }

    fn select(
        &self,
        comp: &Comp,
        body: &[Expr],
        select: Select,
        env: &mut Env<'f>,
        limit: usize,
    ) -> Vec<Member<'f>> {
        let mut out = Vec::new();
        if limit == 0 {
            return out;
        }
        self.each(comp, body, select, env, &mut |m| {
            out.push(m);
            if out.len() >= limit {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        out
    }

    fn near_misses(
        &self,
        comp: &Comp,
        body: &[Expr],
        env: &mut Env<'f>,
        limit: usize,
    ) -> Vec<Member<'f>> {
        let kind = match &comp.collection {
            Collection::Kind(k) => *k,
            Collection::Path(_) => return self.scan_near_misses(comp, body, env, limit),
        };
        // The linked members are those in the postings of a linking lookup;
        // every conjunct counts for them. For the others, the dependent
        // conjuncts do not count: their score is their independent score.
        let mut touched: Vec<u32> = Vec::new();
        for l in &comp.plan.matching {
            if comp.plan.linking.get(l.conj).copied().unwrap_or(false)
                && let Some(hits) = self.lookup(comp, body, l, env)
            {
                touched.extend(hits.ids().iter().copied());
            }
        }
        touched.sort_unstable();
        touched.dedup();
        let ranked = self.independent_scores(comp, body, kind, env);
        // (score, linked, id): best first, linked before unlinked on equal
        // scores, then source order.
        let mut best: Vec<(u32, bool, u32)> = Vec::new();
        for &index in &touched {
            bind(env, comp.var.slot, Val::Ref(EntityRef { kind, index }));
            let s = self.score(comp, body, env);
            if s > 0 {
                best.push((s, true, index));
            }
        }
        best.extend(
            ranked
                .iter()
                .filter(|(_, index)| touched.binary_search(index).is_err())
                .take(limit)
                .map(|(s, index)| (*s, false, *index)),
        );
        best.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        best.into_iter()
            .take(limit)
            .map(|(_, _, index)| Member {
                value: Val::Ref(EntityRef { kind, index }),
                position: index,
            })
            .collect()
    }
}
