//! `lacuna compare`: what a change to a proposal closes, opens, leaves open
//! and gives up. The comparison and its rendering live in
//! [`lacuna_report::compare`]; this module feeds it checked proposals.
//! `docs/compare.md` describes the output.

pub use lacuna_report::compare::*;

use crate::Outcome;

use crate::{Checked, Engine};

/// A checked proposal with the outcome of every norm for every subject it
/// examined: what [`compare_checked`] needs of each side.
#[derive(Debug)]
pub struct Examined<'a> {
    pub checked: &'a Checked,
    pub outcomes: Vec<Outcome>,
}

impl<'a> Examined<'a> {
    pub fn new(engine: &Engine, checked: &'a Checked) -> Examined<'a> {
        Examined {
            checked,
            outcomes: engine.outcomes(&checked.facts),
        }
    }

    fn side(&self) -> Side<'_> {
        Side {
            source: self.checked.facts.source,
            facts: &self.checked.facts,
            findings: &self.checked.findings,
            outcomes: &self.outcomes,
        }
    }
}

/// Compares a proposal before and after a change, both checked by `engine`.
pub fn compare_checked(engine: &Engine, before: &Examined<'_>, after: &Examined<'_>) -> Comparison {
    compare(
        engine.schema(),
        engine.program(),
        &before.side(),
        &after.side(),
    )
}
