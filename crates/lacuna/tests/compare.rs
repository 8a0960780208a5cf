//! `lacuna compare` as a library: small proposals checked with the rules of
//! `fixtures/ruletest/rules/`, and the worked options of
//! `fixtures/proposals/` against the 2010 status quo with the standard rules.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fs;
use std::path::{Path, PathBuf};

use lacuna::compare::{self, Change, Comparison, Sides, Verdict};
use lacuna::{Engine, Format, RuleFile, SourceDb};
use lacuna_report::RenderOptions;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn demo_engine() -> Engine {
    let dir = root().join("fixtures/ruletest/rules");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".norm"))
        .collect();
    names.sort();
    let files = names
        .iter()
        .map(|n| RuleFile {
            name: format!("fixtures/ruletest/rules/{n}"),
            bytes: fs::read(dir.join(n)).unwrap(),
        })
        .collect();
    let (engine, problems) = Engine::build(files);
    assert!(problems.is_empty(), "{problems:?}");
    engine
}

fn standard_engine() -> Engine {
    let (engine, problems) = Engine::build(lacuna::standard_rules());
    assert!(problems.is_empty(), "{problems:?}");
    engine
}

struct Compared {
    comparison: Comparison,
    sides: Sides,
    sources: SourceDb,
}

fn compare_files(engine: &Engine, before: &str, after: &str) -> Compared {
    let mut sources = engine.sources().clone();
    let mut check = |name: &str| {
        let text = fs::read_to_string(root().join(name)).unwrap();
        let id = sources.add(name, text.clone());
        let checked = engine.check(id, text.as_bytes(), Format::Toml);
        assert!(
            checked.problems.is_empty(),
            "{name}: {:?}",
            checked.problems
        );
        (id, checked)
    };
    let (before_id, before) = check(before);
    let (after_id, after) = check(after);
    Compared {
        comparison: compare::compare(engine.schema(), &before, &after),
        sides: Sides {
            before: before_id,
            before_findings: before.findings.len(),
            after: after_id,
            after_findings: after.findings.len(),
        },
        sources,
    }
}

fn human(compared: &Compared) -> String {
    let options = RenderOptions {
        color: false,
        width: 100,
        summary: None,
    };
    compare::render_human(
        &compared.comparison,
        &compared.sides,
        &compared.sources,
        &options,
    )
}

fn json(compared: &Compared) -> String {
    compare::render_json(&compared.comparison, &compared.sides, &compared.sources)
}

const BEFORE: &str = "fixtures/ruletest/compare/before.toml";
const AFTER: &str = "fixtures/ruletest/compare/after.toml";
const WORSE: &str = "fixtures/ruletest/compare/worse.toml";

#[test]
fn small_change_human() {
    let compared = compare_files(&demo_engine(), BEFORE, AFTER);
    insta::assert_snapshot!(human(&compared));
}

#[test]
fn small_change_json() {
    let compared = compare_files(&demo_engine(), BEFORE, AFTER);
    let text = json(&compared);
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["version"], 1);
    insta::assert_snapshot!(text);
}

#[test]
fn list_entities_are_matched_by_content_not_position() {
    let compared = compare_files(&demo_engine(), BEFORE, AFTER);
    let mandates: Vec<(Change, String)> = compared
        .comparison
        .entries
        .iter()
        .filter(|e| e.finding.norm == "demo.mandate-in-field")
        .map(|e| (e.change, e.subject().unwrap()))
        .collect();
    // `HQ`'s mandate moved from `mandate[0]` to `mandate[1]`: still open.
    assert_eq!(mandates, vec![(Change::StillOpen, "mandate[1]".to_owned())]);
}

#[test]
fn verdicts_follow_the_schema_order() {
    let compared = compare_files(&demo_engine(), BEFORE, AFTER);
    let values: Vec<(&str, Verdict)> = compared
        .comparison
        .values
        .iter()
        .map(|g| (g.name.as_str(), g.tally.verdict()))
        .collect();
    assert_eq!(
        values,
        vec![
            ("security", Verdict::Worse),
            ("economy", Verdict::Worse),
            ("rights", Verdict::Better),
        ]
    );
    let perspectives: Vec<&str> = compared
        .comparison
        .perspectives
        .iter()
        .map(|g| g.name.as_str())
        .collect();
    assert_eq!(perspectives, vec!["migrants", "destination_states"]);
    assert!(!compared.comparison.opens_error());
}

#[test]
fn opening_an_error_is_reported() {
    let compared = compare_files(&demo_engine(), BEFORE, WORSE);
    assert!(compared.comparison.opens_error());
    let opened: Vec<String> = compared
        .comparison
        .entries
        .iter()
        .filter(|e| e.change == Change::Opened)
        .map(|e| format!("{} {}", e.finding.norm, e.subject().unwrap()))
        .collect();
    assert_eq!(opened, vec!["demo.protected group.forgotten"]);
}

#[test]
fn a_proposal_compared_with_itself_is_unchanged() {
    let compared = compare_files(&demo_engine(), BEFORE, BEFORE);
    let total = compared.comparison.total;
    assert_eq!((total.closed, total.opened), (0, 0));
    assert_eq!(total.still_open, compared.sides.before_findings);
    assert_eq!(total.verdict(), Verdict::Unchanged);
}

fn option(name: &str) -> String {
    let compared = compare_files(
        &standard_engine(),
        "fixtures/proposals/status-quo-2010.toml",
        &format!("fixtures/proposals/option-{name}.toml"),
    );
    human(&compared)
}

#[test]
fn option_cluster() {
    insta::assert_snapshot!(option("cluster"));
}

#[test]
fn option_mandate_expansion() {
    insta::assert_snapshot!(option("mandate-expansion"));
}

#[test]
fn option_new_agency() {
    insta::assert_snapshot!(option("new-agency"));
}

#[test]
fn option_srsg() {
    insta::assert_snapshot!(option("srsg"));
}

#[test]
fn option_consultative_process() {
    insta::assert_snapshot!(option("consultative-process"));
}

/// The paper's point about the options, as `DOMAIN.md` states it: only an
/// option that gives protection to someone with field presence closes
/// `protection.coverage`; an SRSG and a consultative process leave it open.
#[test]
fn only_field_protection_closes_the_coverage_gap() {
    let engine = standard_engine();
    for (name, closes) in [
        ("cluster", true),
        ("mandate-expansion", true),
        ("new-agency", true),
        ("srsg", false),
        ("consultative-process", false),
    ] {
        let compared = compare_files(
            &engine,
            "fixtures/proposals/status-quo-2010.toml",
            &format!("fixtures/proposals/option-{name}.toml"),
        );
        let coverage: Vec<Change> = compared
            .comparison
            .entries
            .iter()
            .filter(|e| {
                e.finding.norm == "protection.coverage"
                    && e.subject().as_deref() == Some("group.survival_migrants")
            })
            .map(|e| e.change)
            .collect();
        let expected = if closes {
            Change::Closed
        } else {
            Change::StillOpen
        };
        assert_eq!(coverage, vec![expected], "option {name}");
    }
}
