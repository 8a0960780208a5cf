//! The planned evaluator: quantifiers narrowed by hash indexes.
//!
//! Indexes are built lazily, once per proposal, the first time a plan needs
//! them, and shared by every norm: `(kind, field, Equal)` maps each value of
//! a field to the entities holding it; `(kind, field, Contains)` maps each
//! member of a list field to the entities whose list holds it. Entities are
//! listed in source order, so a narrowed scan visits members in the same
//! order as a full one.

use std::ops::ControlFlow;
use std::sync::{Arc, OnceLock};

use lacuna_model::{EntityRef, Facts, FieldId, KindId, Schema, Type, Value};
use lacuna_syntax::ast::QuantKind;
use rustc_hash::FxHashMap;

use crate::diagnostic::{Detail, Diagnostic};
use crate::engine::{self, Ctx, Engine, Env, Member, Select, bind, read};
use crate::outcome::Outcome;
use crate::plan::{Lookup, Mode, Side, conjunct};
use crate::program::{
    CmpOp, Collection, Comp, Expr, ExprKind, FieldRef, Program, Quant, TemplatePart, each_comp,
};
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
    /// Every index a lookup of the program can ask for, each built the
    /// first time it is needed. A program asks for a handful, so a lookup
    /// finds its own by a short scan.
    index: Box<[Index]>,
    /// By [`CompId`]: each comprehension's scores, for near misses.
    scores: Box<[OnceLock<Ranked>]>,
    /// By [`CompId`]: the values of closed quantifiers (`true` as 1) and
    /// counts.
    ///
    /// Every cache is set once and then only read, so that the threads
    /// evaluating a large proposal share one evaluator without a lock: a
    /// value two threads compute at once is the same value.
    closed: Box<[OnceLock<i64>]>,
}

/// An index a lookup of the program can ask for.
struct Index {
    kind: KindId,
    field: FieldId,
    mode: Mode,
    /// How many entities a key has on average, estimated from the schema
    /// before the index is built: the entities of the kind over the keys
    /// there can be; 0 when the schema does not say.
    estimate: usize,
    postings: OnceLock<Postings>,
}

/// One index: the entities of each key, in source order, stored key after
/// key in one array. Built with a counting sort, it costs a few allocations
/// however many keys there are, where a list per key would cost several
/// each and scatter the lists over the heap.
///
/// Each key has a position in `starts`. When the keys are entities of one
/// kind, as in a join through a reference, an entity's position is its
/// index, and a variant's position is its number, so that neither building
/// nor a lookup hashes; other keys have positions after those.
struct Postings {
    dense: Option<Dense>,
    /// The position of every other key.
    keys: FxHashMap<Key, u32>,
    /// For an index of `==`, each entity's key position, `u32::MAX` for
    /// none: whether an entity has a key is then one read.
    key_of: Vec<u32>,
    /// Where the entities of each position start in `ids`, and, last, the
    /// end.
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
        let ty = key_type(schema, kind, field, mode);
        let dense = match ty {
            Some(Type::Ref(k)) => Some(Dense::Entities(*k, facts.entities(*k).len() as u32)),
            Some(Type::Enum(e)) => schema
                .enum_def(*e)
                .map(|d| Dense::Variants(d.variants.len() as u32)),
            _ => None,
        };
        let first = dense.map_or(0, Dense::len);
        // Sizing the table at once spares growing it step by step, each
        // step a large allocation amid the small ones of evaluation.
        let bound = match dense {
            Some(_) => 0,
            None => ty
                .and_then(|ty| key_bound(schema, facts, ty))
                .map_or(0, |b| b.min(items)),
        };
        let mut keys: FxHashMap<Key, u32> =
            FxHashMap::with_capacity_and_hasher(bound, Default::default());
        // For each position, the last entity listed under it, so that an
        // entity whose list repeats a member is listed once.
        let mut last: Vec<u32> = vec![u32::MAX; first as usize];
        last.reserve(bound);
        // (position, entity) in source order.
        let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(items);
        let mut add = |value: &Value, id: u32| {
            let k = match dense.and_then(|d| d.position(&Val::from_fact(value))) {
                Some(k) => k,
                None => {
                    let Some(key) = Key::of_fact(value) else {
                        return;
                    };
                    let next = first + keys.len() as u32;
                    let k = *keys.entry(key).or_insert(next);
                    if k == next {
                        last.push(u32::MAX);
                    }
                    k
                }
            };
            if let Some(l) = last.get_mut(k as usize) {
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
                (Mode::Equal, value) => add(value, i),
                (Mode::Contains, Value::List(items)) => {
                    for item in items {
                        add(item, i);
                    }
                }
                (Mode::Contains, _) => {}
            }
        }
        // For an index of `==`, each entity has at most one key.
        let key_of = match mode {
            Mode::Equal => {
                let mut key_of = vec![u32::MAX; entities.len()];
                for (k, id) in pairs.iter().copied() {
                    if let Some(slot) = key_of.get_mut(id as usize) {
                        *slot = k;
                    }
                }
                key_of
            }
            Mode::Contains => Vec::new(),
        };
        // A counting sort by position keeps source order within each key.
        let mut starts = vec![0u32; first as usize + keys.len() + 1];
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
        Postings {
            dense,
            keys,
            key_of,
            starts,
            ids,
        }
    }

    /// The position of a value's key, if any entity has it.
    fn position(&self, v: &Val<'_>) -> Option<u32> {
        if let Some(dense) = self.dense
            && let Some(k) = dense.position(v)
        {
            return Some(k);
        }
        self.keys.get(&Key::of(v)?).copied()
    }
}

/// Keys whose positions come without hashing.
#[derive(Clone, Copy)]
enum Dense {
    /// The entities of a kind, and how many there are.
    Entities(KindId, u32),
    /// The variants of an enum, by how many there are.
    Variants(u32),
}

impl Dense {
    fn len(self) -> u32 {
        match self {
            Dense::Entities(_, n) | Dense::Variants(n) => n,
        }
    }

    /// The position of a value among these keys, if it is one.
    fn position(self, v: &Val<'_>) -> Option<u32> {
        match (self, v) {
            (Dense::Entities(kind, n), Val::Ref(r)) if r.kind == kind && r.index < n => {
                Some(r.index)
            }
            (Dense::Variants(n), Val::Enum(e)) if *e < n => Some(*e),
            _ => None,
        }
    }
}

/// The type of an index's keys: the field's, or its elements' for a list
/// field, without optional wrappers.
fn key_type(schema: &Schema, kind: KindId, field: FieldId, mode: Mode) -> Option<&Type> {
    fn required(ty: &Type) -> &Type {
        match ty {
            Type::Optional(inner) => required(inner),
            other => other,
        }
    }
    let ty = required(&schema.entity(kind)?.field_def(field)?.ty);
    match (mode, ty) {
        (Mode::Equal, ty) => Some(ty),
        (Mode::Contains, Type::List(element)) => Some(required(element)),
        (Mode::Contains, _) => None,
    }
}

/// At most how many keys of a type there can be, when the schema says:
/// the entities of a referenced kind, the variants of an enum, two
/// booleans.
fn key_bound(schema: &Schema, facts: &Facts, ty: &Type) -> Option<usize> {
    match ty {
        Type::Bool => Some(2),
        Type::Enum(e) => Some(schema.enum_def(*e)?.variants.len()),
        Type::Ref(k) => Some(facts.entities(*k).len()),
        Type::Int | Type::Text | Type::List(_) | Type::Optional(_) => None,
    }
}

impl Postings {
    /// The entities of the key at a position.
    fn ids(&self, position: u32) -> &[u32] {
        let range = self
            .starts
            .get(position as usize)
            .zip(self.starts.get(position as usize + 1));
        range
            .and_then(|(&start, &end)| self.ids.get(start as usize..end as usize))
            .unwrap_or(&[])
    }

    /// How many entities a key has on average: what a lookup in this index
    /// can be expected to leave.
    fn average(&self) -> usize {
        self.ids.len() / (self.starts.len().saturating_sub(1)).max(1)
    }
}

/// See [`Index::estimate`].
fn estimate(schema: &Schema, facts: &Facts, kind: KindId, field: FieldId, mode: Mode) -> usize {
    match mode {
        Mode::Equal => key_type(schema, kind, field, mode)
            .and_then(|ty| key_bound(schema, facts, ty))
            .map_or(0, |b| facts.entities(kind).len() / b.max(1)),
        Mode::Contains => 0,
    }
}

/// How many members a lookup must leave before a second lookup narrows
/// them further.
const INTERSECT_FROM: usize = 4;

/// Positions of conjuncts (in filter then body) that need not be checked,
/// as bits; a position from 64 on is always checked.
#[derive(Clone, Copy)]
struct Skip(u64);

impl Skip {
    const NONE: Skip = Skip(0);

    fn with(self, i: usize) -> Skip {
        Skip(self.0 | 1u64.checked_shl(i as u32).unwrap_or(0))
    }

    fn has(self, i: usize) -> bool {
        1u64.checked_shl(i as u32)
            .is_some_and(|bit| self.0 & bit != 0)
    }
}

/// Entities as `(score, id)`, best first.
type Ranked = Arc<[(u32, u32)]>;

/// The members a scan visits.
enum Candidates<'a, 'f> {
    Nothing,
    /// Every entity of the kind: ids `0..n`.
    All(KindId, u32),
    /// The entities of one key of an index, in source order; with the
    /// key position of each entity in a second index, only those with the
    /// given position there.
    Ids(KindId, &'a [u32], Option<(&'a [u32], u32)>),
    /// The members of a list value.
    List(List<'f>),
}

impl<'f> Evaluator<'f> {
    pub fn new(program: &'f Program, schema: &'f Schema, facts: &'f Facts) -> Evaluator<'f> {
        let mut wanted = Vec::new();
        for norm in &program.norms {
            let subject = norm.subject.as_ref().and_then(|s| s.filter.as_ref());
            let lets = norm.lets.iter().map(|l| &l.value);
            let holes = norm
                .message
                .iter()
                .chain(&norm.help)
                .flat_map(|t| &t.parts)
                .filter_map(|p| match p {
                    TemplatePart::Hole(e) => Some(e),
                    TemplatePart::Text(_) => None,
                });
            for e in subject
                .into_iter()
                .chain(lets)
                .chain(std::iter::once(&norm.condition))
                .chain(holes)
            {
                indexes_of(e, &mut wanted);
            }
        }
        wanted.sort_unstable_by_key(|&(k, f, m): &(KindId, FieldId, Mode)| {
            (k.0, f.0, m == Mode::Contains)
        });
        wanted.dedup();
        Evaluator {
            ctx: Ctx::new(program, schema, facts),
            index: wanted
                .into_iter()
                .map(|(kind, field, mode)| Index {
                    kind,
                    field,
                    mode,
                    estimate: estimate(schema, facts, kind, field, mode),
                    postings: OnceLock::new(),
                })
                .collect(),
            scores: (0..program.comps).map(|_| OnceLock::new()).collect(),
            closed: (0..program.comps).map(|_| OnceLock::new()).collect(),
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

    /// The index a lookup uses, built on first use; `None` for an index
    /// the program was not seen to ask for, whose lookup is then left out.
    fn postings(&self, l: &Lookup) -> Option<&Postings> {
        let index = self.index_of(l)?;
        Some(index.postings.get_or_init(|| {
            Postings::build(self.ctx.schema, self.ctx.facts, l.kind, l.field, l.mode)
        }))
    }

    fn index_of(&self, l: &Lookup) -> Option<&Index> {
        self.index
            .iter()
            .find(|i| i.kind == l.kind && i.field == l.field && i.mode == l.mode)
    }

    /// The entities a lookup in `postings` selects in the current
    /// environment.
    fn lookup<'a>(
        &self,
        comp: &Comp,
        body: &[Expr],
        l: &Lookup,
        postings: &'a Postings,
        env: &mut Env<'f>,
    ) -> Option<&'a [u32]> {
        let position = self.position(comp, body, l, postings, env)?;
        Some(postings.ids(position))
    }

    /// The position in `postings` of the key a lookup asks for in the
    /// current environment, if any entity has it.
    fn position(
        &self,
        comp: &Comp,
        body: &[Expr],
        l: &Lookup,
        postings: &Postings,
        env: &mut Env<'f>,
    ) -> Option<u32> {
        let operand = match &conjunct(comp, body, l.conj)?.kind {
            ExprKind::Compare(_, a, b) | ExprKind::In(a, b) => match l.key {
                Side::Left => a,
                Side::Right => b,
            },
            _ => return None,
        };
        postings.position(&self.operand(operand, env))
    }

    /// The members worth visiting for `select`, and the conjuncts that the
    /// chosen lookups already guarantee.
    fn candidates(
        &self,
        comp: &Comp,
        body: &[Expr],
        select: Select,
        env: &mut Env<'f>,
    ) -> (Candidates<'_, 'f>, Skip) {
        let kind = match &comp.collection {
            Collection::Kind(k) => *k,
            Collection::Path(p) => {
                return match self.eval(p, env) {
                    Val::List(list) => (Candidates::List(list), Skip::NONE),
                    _ => (Candidates::Nothing, Skip::NONE),
                };
            }
        };
        let lookups = match select {
            Select::Matching => &comp.plan.matching,
            Select::Offending | Select::Counted => &comp.plan.filtering,
        };
        let entities = self.ctx.facts.entities(kind).len();
        // Any lookup gives the same members, each narrowing more or less:
        // one whose keys hold no fewer entities on average than the best
        // found so far is not worth computing. Of those left out, the one
        // that narrows most is kept for a second pass.
        let mut best: Option<(&[u32], usize)> = None;
        let mut next: Option<(&Lookup, usize)> = None;
        for l in lookups {
            if let Some((b, _)) = best {
                // An index not built yet is not built for this.
                let average = match self.index_of(l) {
                    Some(index) => index
                        .postings
                        .get()
                        .map_or(index.estimate, Postings::average),
                    None => 0,
                };
                if b.len() <= average {
                    if l.mode == Mode::Equal
                        && average < entities / 2
                        && next.is_none_or(|(_, a)| average < a)
                    {
                        next = Some((l, average));
                    }
                    continue;
                }
            }
            let Some(postings) = self.postings(l) else {
                continue;
            };
            let Some(ids) = self.lookup(comp, body, l, postings, env) else {
                // No member satisfies this conjunct, so none satisfies all.
                return (Candidates::Nothing, Skip::NONE);
            };
            if best.is_none_or(|(b, _)| ids.len() < b.len()) {
                best = Some((ids, l.conj));
            }
        }
        let Some((ids, conj)) = best else {
            return (Candidates::All(kind, entities as u32), Skip::NONE);
        };
        // With enough members to visit, a second lookup of `==` that
        // keeps at most half of the entities narrows them further: whether
        // a member has its key is one read, cheaper than its conjunct.
        if ids.len() >= INTERSECT_FROM
            && let Some((l, _)) = next
            && let Some(postings) = self.postings(l)
        {
            let Some(key) = self.position(comp, body, l, postings, env) else {
                return (Candidates::Nothing, Skip::NONE);
            };
            return (
                Candidates::Ids(kind, ids, Some((&postings.key_of, key))),
                Skip::NONE.with(conj).with(l.conj),
            );
        }
        (Candidates::Ids(kind, ids, None), Skip::NONE.with(conj))
    }

    /// Whether every conjunct of `conj`, which starts at position `offset`
    /// of filter then body, holds, skipping those in `skip`.
    fn all_hold(&self, conj: &[Expr], offset: usize, skip: Skip, env: &mut Env<'f>) -> bool {
        conj.iter()
            .enumerate()
            .all(|(i, c)| skip.has(i + offset) || self.holds(c, env))
    }

    fn selects(
        &self,
        comp: &Comp,
        body: &[Expr],
        select: Select,
        skip: Skip,
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
            Candidates::Ids(kind, hits, also) => {
                for &index in hits {
                    if let Some((key_of, key)) = also
                        && key_of.get(index as usize) != Some(&key)
                    {
                        continue;
                    }
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
            .filter(|c| self.holds(c, env))
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
    ) -> Ranked {
        let cache = self.scores.get(comp.id.0 as usize);
        if let Some(s) = cache.and_then(OnceLock::get) {
            return Arc::clone(s);
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
            let s = independent.iter().filter(|c| self.holds(c, env)).count() as u32;
            if s > 0 {
                ranked.push((s, index));
            }
        }
        bind(env, comp.var.slot, saved);
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let ranked: Ranked = ranked.into();
        match cache {
            Some(cache) => Arc::clone(cache.get_or_init(|| ranked)),
            None => ranked,
        }
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
        let cache = self.closed.get(comp.id.0 as usize);
        if let Some(v) = cache.and_then(OnceLock::get) {
            return *v;
        }
        let v = compute(self, env);
        match cache {
            Some(cache) => *cache.get_or_init(|| v),
            None => v,
        }
    }

    /// Whether a condition holds: `eval(e).truth()`, without building
    /// values that are only compared.
    fn holds(&self, e: &Expr, env: &mut Env<'f>) -> bool {
        match &e.kind {
            ExprKind::Compare(op, a, b) => self.compare(*op, a, b, env),
            ExprKind::In(a, b) => self.contains(a, b, env),
            ExprKind::NotIn(a, b) => !self.contains(a, b, env),
            ExprKind::And(a, b) => self.holds(a, env) && self.holds(b, env),
            ExprKind::Or(a, b) => self.holds(a, env) || self.holds(b, env),
            ExprKind::Not(inner) => !self.holds(inner, env),
            ExprKind::Has(base, field) => match self.eval(base, env) {
                Val::Ref(r) => self
                    .ctx
                    .facts
                    .entity(r)
                    .is_some_and(|entity| !matches!(entity.value(field.id), Value::Absent)),
                _ => false,
            },
            ExprKind::Quant(q) => self.quantifier(q, env),
            _ => self.eval(e, env).truth(),
        }
    }

    /// `base.field`.
    #[inline(always)]
    fn field(&self, base: &Expr, field: &FieldRef, env: &mut Env<'f>) -> Val<'f> {
        match self.entity_of(base, env) {
            Some(r) => match self.ctx.facts.entity(r) {
                Some(entity) => Val::from_fact(entity.value(field.id)),
                None => Val::Absent,
            },
            None => Val::Absent,
        }
    }

    /// The entity an expression refers to, if any. A variable and a
    /// field of a variable, the bases of most field reads, are read in
    /// place.
    #[inline(always)]
    fn entity_of(&self, e: &Expr, env: &mut Env<'f>) -> Option<EntityRef> {
        match &e.kind {
            ExprKind::Var(v) => match env.get(v.slot as usize) {
                Some(Val::Ref(r)) => Some(*r),
                _ => None,
            },
            ExprKind::Field(base, field) => match &base.kind {
                ExprKind::Var(v) => match env.get(v.slot as usize) {
                    Some(Val::Ref(r)) => match self.ctx.facts.entity(*r)?.value(field.id) {
                        Value::Ref(r) => Some(*r),
                        _ => None,
                    },
                    _ => None,
                },
                _ => match self.eval(e, env) {
                    Val::Ref(r) => Some(r),
                    _ => None,
                },
            },
            _ => match self.eval(e, env) {
                Val::Ref(r) => Some(r),
                _ => None,
            },
        }
    }

    /// The value of an operand of a comparison or lookup: [`Engine::eval`],
    /// with the common shapes answered without a call.
    #[inline(always)]
    fn operand(&self, e: &Expr, env: &mut Env<'f>) -> Val<'f> {
        match &e.kind {
            ExprKind::Field(base, field) => self.field(base, field, env),
            ExprKind::Var(v) => read(env, v.slot),
            ExprKind::Variant(_, v) => Val::Enum(*v),
            ExprKind::Bool(b) => Val::Bool(*b),
            _ => self.eval(e, env),
        }
    }

    /// `a in b`.
    fn contains(&self, a: &Expr, b: &Expr, env: &mut Env<'f>) -> bool {
        let (x, list) = (self.operand(a, env), self.operand(b, env));
        member(&x, &list)
    }

    fn quantifier(&self, q: &Quant, env: &mut Env<'f>) -> bool {
        self.memo(&q.comp, env, |this, env| {
            i64::from(match q.kind {
                QuantKind::Any => this.exists(&q.comp, &q.body, Select::Matching, env),
                QuantKind::None => !this.exists(&q.comp, &q.body, Select::Matching, env),
                QuantKind::All => !this.exists(&q.comp, &q.body, Select::Offending, env),
            })
        }) != 0
    }

    /// The expressions [`Engine::eval`] does not answer itself: constants,
    /// lists and counts.
    #[inline(never)]
    fn eval_other(&self, e: &Expr, env: &mut Env<'f>) -> Val<'f> {
        match &e.kind {
            ExprKind::Int(i) => Val::Int(*i),
            ExprKind::Text(id) => self.ctx.text(*id),
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
            ExprKind::List(items) => {
                let values: Vec<Val<'f>> = items
                    .iter()
                    .map(|i| self.eval(i, env))
                    .filter(|v| !v.is_absent())
                    .collect();
                Val::List(List::Built(values.into()))
            }
            ExprKind::Count(comp) => Val::Int(self.memo(comp, env, |this, env| {
                let mut n: i64 = 0;
                this.each(comp, &[], Select::Counted, env, &mut |_| {
                    n += 1;
                    ControlFlow::Continue(())
                });
                n
            })),
            ExprKind::Var(_)
            | ExprKind::Field(..)
            | ExprKind::Bool(_)
            | ExprKind::Variant(..)
            | ExprKind::Compare(..)
            | ExprKind::In(..)
            | ExprKind::NotIn(..)
            | ExprKind::And(..)
            | ExprKind::Or(..)
            | ExprKind::Not(_)
            | ExprKind::Has(..)
            | ExprKind::Quant(_) => self.eval(e, env),
        }
    }

    fn compare(&self, op: CmpOp, a: &Expr, b: &Expr, env: &mut Env<'f>) -> bool {
        let (x, y) = (self.operand(a, env), self.operand(b, env));
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
            ExprKind::Var(v) => read(env, v.slot),
            ExprKind::Field(base, field) => self.field(base, field, env),
            ExprKind::Bool(b) => Val::Bool(*b),
            ExprKind::Variant(_, v) => Val::Enum(*v),
            ExprKind::Compare(..)
            | ExprKind::In(..)
            | ExprKind::NotIn(..)
            | ExprKind::And(..)
            | ExprKind::Or(..)
            | ExprKind::Not(_)
            | ExprKind::Has(..)
            | ExprKind::Quant(_) => Val::Bool(self.holds(e, env)),
            _ => self.eval_other(e, env),
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
                && let Some(postings) = self.postings(l)
                && let Some(hits) = self.lookup(comp, body, l, postings, env)
            {
                touched.extend(hits.iter().copied());
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

/// Appends the indexes that the lookups of every comprehension in `e` use.
fn indexes_of(e: &Expr, out: &mut Vec<(KindId, FieldId, Mode)>) {
    each_comp(e, &mut |comp| {
        for l in comp.plan.matching.iter().chain(&comp.plan.filtering) {
            out.push((l.kind, l.field, l.mode));
        }
    });
}
