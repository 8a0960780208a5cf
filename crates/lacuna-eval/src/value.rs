//! Values during evaluation, their equality and their display.

use std::fmt::Write as _;
use std::rc::Rc;

use lacuna_model::{EntityRef, Facts, KindId, Schema, Sym, Value};

use crate::program::{Program, TextId, Ty};

/// A text: interned in the proposal, or a literal of the program that the
/// proposal never mentions (and so equals no text of the proposal).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Txt {
    Sym(Sym),
    Lit(TextId),
}

/// A value borrowed from the facts where possible.
#[derive(Clone, Debug)]
pub(crate) enum Val<'f> {
    Absent,
    Bool(bool),
    Int(i64),
    Text(Txt),
    Enum(u32),
    Ref(EntityRef),
    List(List<'f>),
}

#[derive(Clone, Debug)]
pub(crate) enum List<'f> {
    /// A list field of an entity.
    Facts(&'f [Value]),
    /// A list literal of a norm.
    Built(Rc<[Val<'f>]>),
    /// Every entity of a kind: `count` entities with dense ids `0..count`.
    Kind(KindId, u32),
}

impl<'f> Val<'f> {
    #[inline(always)]
    pub(crate) fn from_fact(value: &'f Value) -> Val<'f> {
        match value {
            Value::Absent => Val::Absent,
            Value::Bool(b) => Val::Bool(*b),
            Value::Int(i) => Val::Int(*i),
            Value::Text(s) => Val::Text(Txt::Sym(*s)),
            Value::Enum(v) => Val::Enum(*v),
            Value::Ref(r) => Val::Ref(*r),
            Value::List(items) => Val::List(List::Facts(items)),
        }
    }

    pub(crate) fn is_absent(&self) -> bool {
        matches!(self, Val::Absent)
    }

    /// Whether the value holds as a condition: only `true` does; absent is false.
    pub(crate) fn truth(&self) -> bool {
        matches!(self, Val::Bool(true))
    }
}

impl<'f> List<'f> {
    pub(crate) fn len(&self) -> usize {
        match self {
            List::Facts(items) => items.len(),
            List::Built(items) => items.len(),
            List::Kind(_, n) => *n as usize,
        }
    }

    /// The member at a position; absent members of a list field are kept
    /// so that positions stay those of the file.
    pub(crate) fn get(&self, i: usize) -> Val<'f> {
        match self {
            List::Facts(items) => items.get(i).map_or(Val::Absent, Val::from_fact),
            List::Built(items) => items.get(i).cloned().unwrap_or(Val::Absent),
            List::Kind(kind, n) => {
                if i < *n as usize {
                    Val::Ref(EntityRef {
                        kind: *kind,
                        index: i as u32,
                    })
                } else {
                    Val::Absent
                }
            }
        }
    }

    /// The members that are present, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Val<'f>> + '_ {
        (0..self.len())
            .map(|i| self.get(i))
            .filter(|v| !v.is_absent())
    }
}

/// A hashable, totally ordered form of a present value whose equality is
/// exactly the language's `==`: lists become sorted sets of their members.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Key {
    Bool(bool),
    Int(i64),
    Text(Txt),
    Enum(u32),
    Ref(EntityRef),
    Set(Box<[Key]>),
}

impl Key {
    /// `None` for an absent value, which equals nothing.
    pub(crate) fn of(v: &Val<'_>) -> Option<Key> {
        Some(match v {
            Val::Absent => return None,
            Val::Bool(b) => Key::Bool(*b),
            Val::Int(i) => Key::Int(*i),
            Val::Text(t) => Key::Text(*t),
            Val::Enum(e) => Key::Enum(*e),
            Val::Ref(r) => Key::Ref(*r),
            Val::List(list) => {
                let mut keys: Vec<Key> = list.iter().filter_map(|m| Key::of(&m)).collect();
                keys.sort_unstable();
                keys.dedup();
                Key::Set(keys.into_boxed_slice())
            }
        })
    }

    /// The key of a fact value, without building a [`Val`] first.
    pub(crate) fn of_fact(v: &Value) -> Option<Key> {
        Key::of(&Val::from_fact(v))
    }
}

/// `a == b` for present values; false when either is absent.
#[inline]
pub(crate) fn equal(a: &Val<'_>, b: &Val<'_>) -> bool {
    match (a, b) {
        (Val::Absent, _) | (_, Val::Absent) => false,
        (Val::Bool(x), Val::Bool(y)) => x == y,
        (Val::Int(x), Val::Int(y)) => x == y,
        (Val::Text(x), Val::Text(y)) => x == y,
        (Val::Enum(x), Val::Enum(y)) => x == y,
        (Val::Ref(x), Val::Ref(y)) => x == y,
        (Val::List(x), Val::List(y)) => same_members(x, y),
        _ => false,
    }
}

/// Lists compare as sets. Short lists are compared member by member, which
/// allocates nothing; long ones through their sorted keys, which stays
/// `n log n`.
fn same_members(x: &List<'_>, y: &List<'_>) -> bool {
    const PAIRWISE: usize = 64;
    if x.len().saturating_mul(y.len()) <= PAIRWISE {
        x.iter().all(|m| y.iter().any(|n| equal(&m, &n)))
            && y.iter().all(|n| x.iter().any(|m| equal(&m, &n)))
    } else {
        let key = |list: &List<'_>| {
            let mut keys: Vec<Key> = list.iter().filter_map(|m| Key::of(&m)).collect();
            keys.sort_unstable();
            keys.dedup();
            keys
        };
        key(x) == key(y)
    }
}

/// `a in list`: false when `a` or the list is absent.
pub(crate) fn member(a: &Val<'_>, list: &Val<'_>) -> bool {
    match list {
        // Absent members equal nothing, so a list field is read as it is.
        Val::List(List::Facts(items)) if !a.is_absent() => {
            items.iter().any(|m| equal(a, &Val::from_fact(m)))
        }
        Val::List(items) if !a.is_absent() => items.iter().any(|m| equal(a, &m)),
        _ => false,
    }
}

/// Everything the display of a value needs: texts of the program and the
/// proposal, names of variants and entities.
#[derive(Clone, Copy)]
pub(crate) struct Names<'a> {
    pub program: &'a Program,
    pub schema: &'a Schema,
    pub facts: &'a Facts,
}

/// Appends the plain text of a value in a message template: an entity's
/// display name, an enum's variant name, a list's members joined by `, `, a
/// text as it is.
pub(crate) fn write_plain(out: &mut String, v: &Val<'_>, ty: &Ty, names: &Names<'_>) {
    match v {
        Val::Absent => out.push_str("(not set)"),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Val::Text(t) => out.push_str(text(*t, names)),
        Val::Enum(e) => match ty.required() {
            Ty::Enum(id) => out.push_str(
                names
                    .schema
                    .enum_def(*id)
                    .map_or("?", |d| d.variant_name(*e)),
            ),
            _ => {
                let _ = write!(out, "#{e}");
            }
        },
        Val::Ref(r) => out.push_str(&names.facts.name(*r)),
        Val::List(list) => {
            let inner = ty.element().unwrap_or(&Ty::Unknown);
            for (i, m) in list.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_plain(out, &m, inner, names);
            }
        }
    }
}

/// Appends a value as it appears inside backticks in evidence: texts
/// quoted, lists bracketed.
pub(crate) fn write_code(out: &mut String, v: &Val<'_>, ty: &Ty, names: &Names<'_>) {
    match v {
        Val::Text(t) => {
            let _ = write!(out, "{:?}", text(*t, names));
        }
        Val::List(list) => {
            let inner = ty.element().unwrap_or(&Ty::Unknown);
            out.push('[');
            for (i, m) in list.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_code(out, &m, inner, names);
            }
            out.push(']');
        }
        other => write_plain(out, other, ty, names),
    }
}

fn text<'a>(t: Txt, names: &Names<'a>) -> &'a str {
    match t {
        Txt::Sym(s) => names.facts.strings.resolve(s),
        Txt::Lit(id) => names.program.text(id),
    }
}
