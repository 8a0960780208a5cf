//! Which subjects each norm examined, and whether they passed.
//!
//! Findings say where a norm fails; an analyst weighing a change also needs
//! to know where a norm holds. An entity that a norm examined and passed is
//! one the norm counts on: removing it, or changing it so that the norm no
//! longer examines it, gives up what the norm's values gained from it.
//! `lacuna compare` reads these outcomes to list what a change gives up.

use lacuna_model::EntityRef;

use crate::engine::{Engine, Env, bind, fails};
use crate::value::Val;

/// One norm applied to one subject.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Outcome {
    /// The norm's index in [`crate::Program::norms`].
    pub norm: u32,
    /// The entity the norm's `for` clause selected.
    pub subject: EntityRef,
    /// Whether the norm held for it.
    pub passed: bool,
}

/// Every subject of every norm with a `for` clause, in program order then
/// entity order. Norms without `for` examine no single entity and are left
/// out.
pub(crate) fn outcomes<'f, E: Engine<'f>>(engine: &E) -> Vec<Outcome> {
    let ctx = engine.ctx();
    let mut out = Vec::new();
    for (n, norm) in ctx.program.norms.iter().enumerate() {
        let Some(subject) = &norm.subject else {
            continue;
        };
        let mut env: Env<'f> = vec![Val::Absent; norm.slots as usize];
        for index in 0..ctx.facts.entities(subject.kind).len() {
            let r = EntityRef {
                kind: subject.kind,
                index: index as u32,
            };
            bind(&mut env, subject.var.slot, Val::Ref(r));
            if let Some(filter) = &subject.filter
                && !engine.eval(filter, &mut env).truth()
            {
                continue;
            }
            out.push(Outcome {
                norm: n as u32,
                subject: r,
                passed: !fails(engine, norm, &mut env),
            });
        }
    }
    out
}
