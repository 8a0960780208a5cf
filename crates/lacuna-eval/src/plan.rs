//! Planning: which conjuncts of a quantifier can be answered by an index.
//!
//! A conjunct `x.f == e` (or `e == x.f`), where `x` ranges over a kind and
//! `e` does not mention `x`, selects exactly the members whose field `f`
//! equals the value of `e`: a hash lookup in an index `(kind, f) -> value ->
//! members` built once per proposal. `e in x.f`, with `f` a list field, is a
//! lookup in an index of list members. The evaluator picks the lookup with
//! the fewest members and checks the other conjuncts on those alone.
//!
//! Every variable of a norm has a slot of its own, allocated in the order the
//! bindings are written: a quantifier's variable gets a slot above every
//! variable visible where it is written, and variables bound inside it get
//! slots above its own. So a conjunct depends on the surroundings of its
//! quantifier exactly when it mentions a slot below the quantifier's own.

use lacuna_model::{FieldId, KindId};

use crate::program::{CmpOp, Collection, Comp, Expr, ExprKind};

/// How the planned evaluator narrows the members of one comprehension.
#[derive(Clone, Debug, Default)]
pub(crate) struct Plan {
    /// Lookups among the conjuncts of filter and body: usable when every
    /// conjunct must hold (`any`, `none`).
    pub matching: Vec<Lookup>,
    /// Lookups among the conjuncts of the filter alone (`all`, `count`).
    pub filtering: Vec<Lookup>,
    /// For each conjunct of filter then body: whether it mentions a variable
    /// bound outside the comprehension (other than its own).
    pub dependent: Vec<bool>,
    /// For each conjunct of filter then body: whether it is dependent and a
    /// lookup. A member that satisfies one is *linked* to the surroundings.
    pub linking: Vec<bool>,
    /// Nothing in the comprehension mentions its surroundings, so its value
    /// is the same wherever it is evaluated over one proposal.
    pub closed: bool,
}

impl Plan {
    /// Whether conjunct `i` counts towards a member's closeness in a near-miss
    /// search (see `docs/evaluation.md`): over a kind, a dependent conjunct
    /// counts only for a linked member; over a list, every conjunct counts.
    pub(crate) fn counts(&self, comp: &Comp, i: usize, linked: bool) -> bool {
        matches!(comp.collection, Collection::Path(_))
            || linked
            || !self.dependent.get(i).copied().unwrap_or(true)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Lookup {
    /// Index of the conjunct in filter then body.
    pub conj: usize,
    pub kind: KindId,
    pub field: FieldId,
    pub mode: Mode,
    /// Which operand of the conjunct is the looked-up value.
    pub key: Side,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Mode {
    /// `x.f == e`: members whose field equals the value (lists as sets).
    Equal,
    /// `e in x.f`: members whose list field contains the value.
    Contains,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    Left,
    Right,
}

/// The conjunct at a position of filter then body.
pub(crate) fn conjunct<'a>(comp: &'a Comp, body: &'a [Expr], i: usize) -> Option<&'a Expr> {
    comp.filter
        .get(i)
        .or_else(|| body.get(i.checked_sub(comp.filter.len())?))
}

/// Plans a comprehension whose filter and body are checked.
pub(crate) fn plan(comp: &Comp, body: &[Expr]) -> Plan {
    let slot = comp.var.slot;
    let kind = match &comp.collection {
        Collection::Kind(k) => Some(*k),
        Collection::Path(_) => None,
    };
    let conjuncts: Vec<&Expr> = comp.filter.iter().chain(body).collect();
    let mut plan = Plan {
        dependent: conjuncts.iter().map(|c| mentions_below(c, slot)).collect(),
        ..Plan::default()
    };
    let open_collection = match &comp.collection {
        Collection::Kind(_) => false,
        Collection::Path(p) => mentions_below(p, slot),
    };
    plan.closed = !open_collection && !plan.dependent.iter().any(|d| *d);
    if let Some(kind) = kind {
        for (i, c) in conjuncts.iter().enumerate() {
            if let Some(lookup) = lookup(c, i, kind, slot) {
                if i < comp.filter.len() {
                    plan.filtering.push(lookup);
                }
                plan.matching.push(lookup);
            }
        }
    }
    plan.linking = plan
        .dependent
        .iter()
        .enumerate()
        .map(|(i, dep)| *dep && plan.matching.iter().any(|l| l.conj == i))
        .collect();
    plan
}

fn lookup(c: &Expr, conj: usize, kind: KindId, slot: u32) -> Option<Lookup> {
    match &c.kind {
        ExprKind::Compare(CmpOp::Eq, a, b) => {
            let (field, key) = if let Some(f) = member_field(a, slot) {
                (f, Side::Left)
            } else {
                (member_field(b, slot)?, Side::Right)
            };
            let other = if key == Side::Left { b } else { a };
            (!mentions(other, slot)).then_some(Lookup {
                conj,
                kind,
                field,
                mode: Mode::Equal,
                key: if key == Side::Left {
                    Side::Right
                } else {
                    Side::Left
                },
            })
        }
        ExprKind::In(a, b) => {
            let field = member_field(b, slot)?;
            (b.ty.element().is_some() && !mentions(a, slot)).then_some(Lookup {
                conj,
                kind,
                field,
                mode: Mode::Contains,
                key: Side::Left,
            })
        }
        _ => None,
    }
}

/// `x.f` where `x` is the variable in `slot`.
fn member_field(e: &Expr, slot: u32) -> Option<FieldId> {
    match &e.kind {
        ExprKind::Field(base, field) => match &base.kind {
            ExprKind::Var(v) if v.slot == slot => Some(field.id),
            _ => None,
        },
        _ => None,
    }
}

/// Whether `e` mentions the variable in `slot`.
pub(crate) fn mentions(e: &Expr, slot: u32) -> bool {
    any_var(e, &mut |s| s == slot)
}

/// Whether `e` mentions a variable in a slot below `slot`.
pub(crate) fn mentions_below(e: &Expr, slot: u32) -> bool {
    any_var(e, &mut |s| s < slot)
}

fn any_var(e: &Expr, pred: &mut dyn FnMut(u32) -> bool) -> bool {
    match &e.kind {
        ExprKind::Bool(_)
        | ExprKind::Int(_)
        | ExprKind::Text(_)
        | ExprKind::Variant(..)
        | ExprKind::Kind(_)
        | ExprKind::Singleton(_) => false,
        ExprKind::Var(v) => pred(v.slot),
        ExprKind::Field(base, _) | ExprKind::Has(base, _) | ExprKind::Not(base) => {
            any_var(base, pred)
        }
        ExprKind::List(items) => items.iter().any(|i| any_var(i, pred)),
        ExprKind::And(a, b)
        | ExprKind::Or(a, b)
        | ExprKind::Compare(_, a, b)
        | ExprKind::In(a, b)
        | ExprKind::NotIn(a, b) => any_var(a, pred) || any_var(b, pred),
        ExprKind::Quant(q) => {
            comp_any_var(&q.comp, pred) || q.body.iter().any(|b| any_var(b, pred))
        }
        ExprKind::Count(c) => comp_any_var(c, pred),
    }
}

fn comp_any_var(c: &Comp, pred: &mut dyn FnMut(u32) -> bool) -> bool {
    let in_collection = match &c.collection {
        Collection::Kind(_) => false,
        Collection::Path(p) => any_var(p, pred),
    };
    in_collection || c.filter.iter().any(|f| any_var(f, pred))
}
