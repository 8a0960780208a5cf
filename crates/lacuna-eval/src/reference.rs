//! The reference evaluator: the semantics, written as plainly as possible.
//!
//! Every quantifier visits every member of its collection, list equality
//! compares members pairwise, and nothing is cached. It is slow (a norm
//! nesting two quantifiers over a kind is quadratic) and obviously right,
//! which is its purpose: the test suite checks that the planned evaluator,
//! [`crate::evaluate`], returns exactly the same findings.

use lacuna_model::{EntityRef, Facts, Schema};
use lacuna_syntax::ast::QuantKind;

use crate::diagnostic::{Detail, Diagnostic};
use crate::engine::{self, Ctx, Engine, Env, Member, Select, bind, read};
use crate::program::{CmpOp, Collection, Comp, Expr, ExprKind, Program};
use crate::value::{List, Val};

/// Checks every norm of `program` against one proposal, without indexes.
pub fn evaluate(program: &Program, schema: &Schema, facts: &Facts) -> Vec<Diagnostic> {
    engine::run(
        &Reference {
            ctx: Ctx::new(program, schema, facts),
        },
        Detail::Full,
    )
}

struct Reference<'f> {
    ctx: Ctx<'f>,
}

/// `a == b`: absent equals nothing; lists are equal when each member of one
/// equals some member of the other.
fn same(a: &Val<'_>, b: &Val<'_>) -> bool {
    match (a, b) {
        (Val::Bool(x), Val::Bool(y)) => x == y,
        (Val::Int(x), Val::Int(y)) => x == y,
        (Val::Text(x), Val::Text(y)) => x == y,
        (Val::Enum(x), Val::Enum(y)) => x == y,
        (Val::Ref(x), Val::Ref(y)) => x == y,
        (Val::List(x), Val::List(y)) => {
            x.iter().all(|m| y.iter().any(|n| same(&m, &n)))
                && y.iter().all(|n| x.iter().any(|m| same(&m, &n)))
        }
        _ => false,
    }
}

fn contains(list: &Val<'_>, x: &Val<'_>) -> bool {
    match list {
        Val::List(items) => items.iter().any(|m| same(x, &m)),
        _ => false,
    }
}

impl<'f> Reference<'f> {
    /// Every present member of the collection with its position.
    fn members(&self, comp: &Comp, env: &mut Env<'f>) -> Vec<Member<'f>> {
        let list = match &comp.collection {
            Collection::Kind(k) => List::Kind(*k, self.ctx.facts.entities(*k).len() as u32),
            Collection::Path(p) => match self.eval(p, env) {
                Val::List(list) => list,
                _ => return Vec::new(),
            },
        };
        (0..list.len())
            .map(|i| Member {
                value: list.get(i),
                position: i as u32,
            })
            .filter(|m| !m.value.is_absent())
            .collect()
    }

    fn holds(&self, conj: &[Expr], env: &mut Env<'f>) -> bool {
        conj.iter().all(|c| self.eval(c, env).truth())
    }

    fn picks(&self, comp: &Comp, body: &[Expr], select: Select, env: &mut Env<'f>) -> bool {
        match select {
            Select::Matching => self.holds(&comp.filter, env) && self.holds(body, env),
            Select::Offending => self.holds(&comp.filter, env) && !self.holds(body, env),
            Select::Counted => self.holds(&comp.filter, env),
        }
    }
}

impl<'f> Engine<'f> for Reference<'f> {
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
            ExprKind::Singleton(k) => match self.ctx.facts.entities(*k).first() {
                Some(_) => Val::Ref(EntityRef { kind: *k, index: 0 }),
                None => Val::Absent,
            },
            ExprKind::Field(base, field) => match self.eval(base, env) {
                Val::Ref(r) => match self.ctx.facts.entity(r) {
                    Some(entity) => Val::from_fact(entity.value(field.id)),
                    None => Val::Absent,
                },
                _ => Val::Absent,
            },
            ExprKind::Has(base, field) => {
                let value = self.eval(
                    &Expr {
                        kind: ExprKind::Field(base.clone(), field.clone()),
                        ty: e.ty.clone(),
                        span: e.span,
                    },
                    env,
                );
                Val::Bool(!value.is_absent())
            }
            ExprKind::List(items) => {
                let mut values = Vec::new();
                for item in items {
                    let v = self.eval(item, env);
                    if !v.is_absent() {
                        values.push(v);
                    }
                }
                Val::List(List::Built(values.into()))
            }
            ExprKind::Not(inner) => Val::Bool(!self.eval(inner, env).truth()),
            ExprKind::And(a, b) => {
                Val::Bool(self.eval(a, env).truth() && self.eval(b, env).truth())
            }
            ExprKind::Or(a, b) => Val::Bool(self.eval(a, env).truth() || self.eval(b, env).truth()),
            ExprKind::Compare(op, a, b) => {
                let (x, y) = (self.eval(a, env), self.eval(b, env));
                Val::Bool(match (op, &x, &y) {
                    (CmpOp::Eq, _, _) => same(&x, &y),
                    (CmpOp::Ne, _, _) => !same(&x, &y),
                    (CmpOp::Lt, Val::Int(x), Val::Int(y)) => x < y,
                    (CmpOp::Le, Val::Int(x), Val::Int(y)) => x <= y,
                    (CmpOp::Gt, Val::Int(x), Val::Int(y)) => x > y,
                    (CmpOp::Ge, Val::Int(x), Val::Int(y)) => x >= y,
                    _ => false,
                })
            }
            ExprKind::In(a, b) => {
                let (x, list) = (self.eval(a, env), self.eval(b, env));
                Val::Bool(contains(&list, &x))
            }
            ExprKind::NotIn(a, b) => {
                let (x, list) = (self.eval(a, env), self.eval(b, env));
                Val::Bool(!contains(&list, &x))
            }
            ExprKind::Quant(q) => {
                let mut matching = 0;
                let mut offending = 0;
                for m in self.members(&q.comp, env) {
                    bind(env, q.comp.var.slot, m.value);
                    if self.holds(&q.comp.filter, env) {
                        if self.holds(&q.body, env) {
                            matching += 1;
                        } else {
                            offending += 1;
                        }
                    }
                }
                Val::Bool(match q.kind {
                    QuantKind::Any => matching > 0,
                    QuantKind::All => offending == 0,
                    QuantKind::None => matching == 0,
                })
            }
            ExprKind::Count(comp) => {
                let mut n = 0;
                for m in self.members(comp, env) {
                    bind(env, comp.var.slot, m.value);
                    if self.holds(&comp.filter, env) {
                        n += 1;
                    }
                }
                Val::Int(n)
            }
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
        for m in self.members(comp, env) {
            bind(env, comp.var.slot, m.value.clone());
            if self.picks(comp, body, select, env) {
                out.push(m);
            }
        }
        out.truncate(limit);
        out
    }

    fn near_misses(
        &self,
        comp: &Comp,
        body: &[Expr],
        env: &mut Env<'f>,
        limit: usize,
    ) -> Vec<Member<'f>> {
        let plan = &comp.plan;
        let mut scored = Vec::new();
        for m in self.members(comp, env) {
            bind(env, comp.var.slot, m.value.clone());
            let holds: Vec<bool> = comp
                .filter
                .iter()
                .chain(body)
                .map(|c| self.eval(c, env).truth())
                .collect();
            // Linked: some conjunct that ties the member to the surroundings
            // through one of its fields holds.
            let linked = holds
                .iter()
                .zip(&plan.linking)
                .any(|(holds, linking)| *holds && *linking);
            let score = holds
                .iter()
                .enumerate()
                .filter(|(i, holds)| **holds && plan.counts(comp, *i, linked))
                .count();
            if score > 0 {
                scored.push((score, linked, m));
            }
        }
        // Best first; among equals, linked members first, then the earlier.
        scored.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(b.1.cmp(&a.1))
                .then(a.2.position.cmp(&b.2.position))
        });
        scored.into_iter().take(limit).map(|(_, _, m)| m).collect()
    }
}
