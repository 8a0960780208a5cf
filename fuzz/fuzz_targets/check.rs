//! The whole check of a proposal, on arbitrary bytes read as TOML, against
//! the standard rules.
//!
//! Asserts that loading and evaluating never panic; that every problem with
//! the proposal points into it; that every finding points into the proposal
//! (its primary span and its evidence) and its norm into the rule file that
//! declares it (or, for a note about a suppression, into the proposal); that
//! the loaded facts fit the schema; and that findings come sorted by
//! position, then norm id.

#![no_main]

use std::sync::OnceLock;

use lacuna::{Engine, Format, SourceDb, SourceId};
use lacuna_fuzz::{Loaded, assert_facts, assert_span};
use libfuzzer_sys::fuzz_target;

/// The standard rules, built once per process, with the source the proposal
/// is checked as.
struct Setup {
    engine: Engine,
    sources: SourceDb,
    proposal: SourceId,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let (engine, problems) = Engine::build(lacuna::standard_rules());
        assert!(
            problems.is_empty(),
            "the standard rules have problems: {problems:?}"
        );
        let mut sources = engine.sources().clone();
        let proposal = sources.add("fuzz.toml", "");
        Setup {
            engine,
            sources,
            proposal,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Setup {
        engine,
        sources,
        proposal,
    } = setup();
    let checked = engine.check(*proposal, data, Format::Toml);
    let Ok(text) = std::str::from_utf8(data) else {
        assert_eq!(checked.problems.len(), 1, "invalid UTF-8 is one problem");
        assert!(checked.findings.is_empty());
        return;
    };
    for problem in &checked.problems {
        assert_eq!(problem.primary.source, *proposal, "{problem:?}");
        assert_span(text, problem.primary.span, problem);
        for evidence in &problem.evidence {
            assert_eq!(evidence.origin.source, *proposal, "{problem:?}");
            assert_span(text, evidence.origin.span, problem);
        }
    }
    let loaded = if checked.problems.iter().any(|p| p.is_error()) {
        Loaded::WithErrors
    } else {
        Loaded::Cleanly
    };
    assert_facts(text, engine.schema(), &checked.facts, *proposal, loaded);
    for finding in &checked.findings {
        assert_eq!(finding.primary.source, *proposal, "{finding:?}");
        assert_span(text, finding.primary.span, finding);
        for evidence in &finding.evidence {
            assert_eq!(evidence.origin.source, *proposal, "{finding:?}");
            assert_span(text, evidence.origin.span, finding);
        }
        // A norm is declared in a rule file; the notes about suppressions
        // have no norm there and point at the suppression instead.
        let Some(norm_origin) = finding.norm_origin() else {
            panic!("a finding without the origin of its norm: {finding:?}");
        };
        let norm_text = if norm_origin.source == *proposal {
            text
        } else {
            assert!(sources.get(norm_origin.source).is_some(), "{finding:?}");
            sources.text(norm_origin.source)
        };
        assert_span(norm_text, norm_origin.span, finding);
    }
    assert!(
        checked
            .findings
            .is_sorted_by(|a, b| (a.primary.span.start, a.code.as_str())
                <= (b.primary.span.start, b.code.as_str())),
        "findings are not sorted by position, then norm id"
    );
});
