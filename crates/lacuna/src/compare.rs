//! `lacuna compare`: what a change to a proposal closes, opens, leaves open
//! and gives up. The comparison and its rendering live in
//! [`lacuna_report::compare`]; this module feeds it checked proposals.
//! `docs/compare.md` describes the output.

pub use lacuna_report::compare::*;

use crate::Outcome;

use crate::render::RenderOptions;
use crate::{Checked, Engine, SourceDb};

/// A checked proposal with the outcome of every norm for every subject it
/// examined: what [`compare_checked`] needs of each side.
#[derive(Debug)]
pub struct Examined<'a> {
    /// The proposal's findings and facts.
    pub checked: &'a Checked,
    /// Which subjects each norm examined, and whether it held.
    pub outcomes: Vec<Outcome>,
}

impl<'a> Examined<'a> {
    /// Works out the outcomes of `checked`, which `engine` checked.
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
///
/// ```
/// use lacuna::compare::{Change, Examined, compare_checked};
/// use lacuna::{Engine, Format};
///
/// let (engine, _) = Engine::build(lacuna::standard_rules());
/// let mut sources = engine.sources().clone();
/// let before = "[proposal]\ntitle = \"Before\"\n";
/// let after = "[proposal]\ntitle = \"After\"\nevidence = [\"Betts 2010\"]\n";
/// let before_id = sources.add("before.toml", before);
/// let after_id = sources.add("after.toml", after);
/// let before = engine.check(before_id, before.as_bytes(), Format::Toml);
/// let after = engine.check(after_id, after.as_bytes(), Format::Toml);
///
/// let comparison = compare_checked(
///     &engine,
///     &Examined::new(&engine, &before),
///     &Examined::new(&engine, &after),
/// );
/// let closed: Vec<&str> = comparison
///     .entries
///     .iter()
///     .filter(|e| e.change == Change::Closed)
///     .map(|e| e.finding.code.as_str())
///     .collect();
/// assert_eq!(closed, ["proposal.evidence"]);
/// ```
pub fn compare_checked(engine: &Engine, before: &Examined<'_>, after: &Examined<'_>) -> Comparison {
    compare(
        engine.schema(),
        engine.program(),
        &before.side(),
        &after.side(),
    )
}

/// The report of `comparisons`, each of one of `options` with `base`: the
/// comparison itself when there is one option, the matrix of all of them
/// otherwise; as JSON when `json`, else drawn with `render`.
pub fn render_comparisons(
    base: &Examined<'_>,
    options: &[Examined<'_>],
    comparisons: Vec<Comparison>,
    sources: &SourceDb,
    json: bool,
    render: &RenderOptions,
) -> String {
    if let ([comparison], [option]) = (comparisons.as_slice(), options) {
        let sides = sides(base.checked, option.checked);
        return if json {
            render_json(comparison, &sides, sources)
        } else {
            render_human(comparison, &sides, sources, render)
        };
    }
    let columns = options
        .iter()
        .zip(comparisons)
        .map(|(option, comparison)| OptionColumn {
            source: option.checked.facts.source,
            findings: option.checked.findings.len(),
            comparison,
        })
        .collect();
    let matrix = matrix(
        base.checked.facts.source,
        base.checked.findings.len(),
        columns,
    );
    if json {
        render_matrix_json(&matrix, sources)
    } else {
        render_matrix_human(&matrix, sources, render)
    }
}

/// Each side of a comparison as its reports name it: the file, and how
/// many findings it has. What [`render_human`] and [`render_json`] take
/// besides the comparison.
pub fn sides(before: &Checked, after: &Checked) -> Sides {
    Sides {
        before: before.facts.source,
        before_findings: before.findings.len(),
        after: after.facts.source,
        after_findings: after.findings.len(),
    }
}
