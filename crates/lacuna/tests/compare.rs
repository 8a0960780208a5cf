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

use lacuna::compare::{self, Change, Comparison, EntityChange, Examined, Sides, Verdict};
use lacuna::{Checked, Engine, Format, RuleFile, SourceDb};
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
    let before_text = fs::read_to_string(root().join(before)).unwrap();
    let after_text = fs::read_to_string(root().join(after)).unwrap();
    compare_texts(engine, (before, &before_text), (after, &after_text))
}

fn compare_texts(engine: &Engine, before: (&str, &str), after: (&str, &str)) -> Compared {
    let mut sources = engine.sources().clone();
    let mut check = |(name, text): (&str, &str)| -> Checked {
        let id = sources.add(name, text.to_owned());
        let checked = engine.check(id, text.as_bytes(), Format::Toml);
        assert!(
            checked.problems.is_empty(),
            "{name}: {:?}",
            checked.problems
        );
        checked
    };
    let before = check(before);
    let after = check(after);
    let comparison = compare::compare_checked(
        engine,
        &Examined::new(engine, &before),
        &Examined::new(engine, &after),
    );
    Compared {
        comparison,
        sides: Sides {
            before: before.facts.source,
            before_findings: before.findings.len(),
            after: after.facts.source,
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
    assert_eq!(value["version"], 2);
    insta::assert_snapshot!(text);
}

#[test]
fn list_entities_are_matched_by_content_not_position() {
    let compared = compare_files(&demo_engine(), BEFORE, AFTER);
    let mandates: Vec<(Change, String)> = compared
        .comparison
        .entries
        .iter()
        .filter(|e| e.finding.code.as_str() == "demo.mandate-in-field")
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
            ("rights", Verdict::Partial),
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
        .map(|e| format!("{} {}", e.finding.code, e.subject().unwrap()))
        .collect();
    assert_eq!(opened, vec!["demo.protected group.forgotten"]);
}

#[test]
fn a_proposal_compared_with_itself_is_unchanged() {
    let compared = compare_files(&demo_engine(), BEFORE, BEFORE);
    let comparison = &compared.comparison;
    let (total, process) = (comparison.total, comparison.process);
    assert_eq!((total.closed.total(), total.opened.total()), (0, 0));
    assert_eq!(
        total.still_open.total() + process.still_open.total(),
        compared.sides.before_findings
    );
    assert_eq!(total.given_up.total(), 0);
    assert!(comparison.tradeoffs.is_empty());
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
                e.finding.code.as_str() == "protection.coverage"
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

const STATUS_QUO: &str = "fixtures/proposals/status-quo-2010.toml";
const OPTIONS: [&str; 5] = [
    "cluster",
    "mandate-expansion",
    "new-agency",
    "srsg",
    "consultative-process",
];

fn options_matrix(engine: &Engine) -> (compare::Matrix, SourceDb) {
    let mut sources = engine.sources().clone();
    let mut checked: Vec<Checked> = Vec::new();
    let names = std::iter::once(STATUS_QUO.to_owned()).chain(
        OPTIONS
            .iter()
            .map(|o| format!("fixtures/proposals/option-{o}.toml")),
    );
    for name in names {
        let text = fs::read_to_string(root().join(&name)).unwrap();
        let id = sources.add(name, text.clone());
        checked.push(engine.check(id, text.as_bytes(), Format::Toml));
    }
    let examined: Vec<Examined<'_>> = checked.iter().map(|c| Examined::new(engine, c)).collect();
    let (base, options) = examined.split_first().unwrap();
    let columns = options
        .iter()
        .map(|o| compare::OptionColumn {
            source: o.checked.facts.source,
            findings: o.checked.findings.len(),
            comparison: compare::compare_checked(engine, base, o),
        })
        .collect();
    let matrix = compare::matrix(
        base.checked.facts.source,
        base.checked.findings.len(),
        columns,
    );
    (matrix, sources)
}

#[test]
fn options_matrix_human() {
    let engine = standard_engine();
    let (matrix, sources) = options_matrix(&engine);
    let options = RenderOptions {
        color: false,
        width: 100,
        summary: None,
    };
    insta::assert_snapshot!(compare::render_matrix_human(&matrix, &sources, &options));
}

#[test]
fn options_matrix_json() {
    let engine = standard_engine();
    let (matrix, sources) = options_matrix(&engine);
    let text = compare::render_matrix_json(&matrix, &sources);
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["options"].as_array().unwrap().len(), 5);
    insta::assert_snapshot!(text);
}

/// The options that give survival migrants protection on the ground rank
/// above the SRSG and the consultative process, for rights and from the
/// migrants' perspective as well as overall.
#[test]
fn options_that_close_the_protection_error_rank_first() {
    let engine = standard_engine();
    let (matrix, sources) = options_matrix(&engine);
    let ranked: Vec<&str> = matrix
        .options
        .iter()
        .map(|o| sources.name(o.source))
        .collect();
    let rank = |name: &str| {
        ranked
            .iter()
            .position(|r| r.ends_with(&format!("option-{name}.toml")))
            .unwrap()
    };
    for protecting in ["cluster", "mandate-expansion", "new-agency"] {
        for talking in ["srsg", "consultative-process"] {
            assert!(
                rank(protecting) < rank(talking),
                "{protecting} vs {talking}"
            );
            let column = |name: &str| &matrix.options[rank(name)];
            for group in ["rights", "migrants"] {
                assert!(
                    column(protecting).tally(group).score() > column(talking).tally(group).score(),
                    "{protecting} vs {talking} for {group}"
                );
            }
        }
    }
}

/// Filling in the `[proposal]` table closes the process findings of every
/// option; none of them may make an option better.
#[test]
fn no_option_is_better_on_process_norms_alone() {
    let engine = standard_engine();
    let (matrix, _) = options_matrix(&engine);
    for option in &matrix.options {
        let comparison = &option.comparison;
        assert!(comparison.process.closed.total() > 0);
        assert!(
            comparison
                .entries
                .iter()
                .all(|e| e.process == e.finding.tags().iter().any(|t| t == "process"))
        );
        for group in comparison.named_groups() {
            let substantive_closed = group
                .entries
                .iter()
                .map(|&i| &comparison.entries[i])
                .filter(|e| e.change == Change::Closed)
                .count();
            if substantive_closed == 0 {
                assert_ne!(group.tally.verdict(), Verdict::Better, "{}", group.name);
            }
            assert!(
                group
                    .entries
                    .iter()
                    .all(|&i| !comparison.entries[i].process),
                "{}",
                group.name
            );
        }
    }
}

/// While the protection error stays open, the SRSG is not "better" for
/// rights, however many warnings it closes.
#[test]
fn an_open_error_keeps_a_value_from_being_better() {
    let compared = compare_files(
        &standard_engine(),
        STATUS_QUO,
        "fixtures/proposals/option-srsg.toml",
    );
    let rights = compared
        .comparison
        .values
        .iter()
        .find(|g| g.name == "rights")
        .unwrap();
    assert!(rights.tally.closed.warning > 0);
    assert_eq!(rights.tally.still_open.error, 1);
    assert_eq!(rights.tally.verdict(), Verdict::Partial);
}

/// Deleting the circular labour scheme closes its three findings about
/// workers' rights, and gives up what it did for the economy: the scheme
/// was a partnership between a sending and a receiving state.
#[test]
fn deleting_the_circular_scheme_is_a_loss_for_the_economy() {
    let text = fs::read_to_string(root().join(STATUS_QUO)).unwrap();
    let start = text.find("[labour_scheme.spain_morocco_seasonal]").unwrap();
    let end = start + text[start..].find("# ----").unwrap();
    let without = format!("{}{}", &text[..start], &text[end..]);
    let compared = compare_texts(
        &standard_engine(),
        (STATUS_QUO, &text),
        ("status-quo-without-scheme.toml", &without),
    );
    let comparison = &compared.comparison;
    let scheme = comparison
        .tradeoffs
        .iter()
        .find(|t| t.entity == "labour_scheme.spain_morocco_seasonal")
        .unwrap();
    assert_eq!(scheme.change, EntityChange::Removed);
    assert!(scheme.served.contains(&"economy".to_owned()));
    let lost: Vec<&str> = scheme.lost.iter().map(|l| l.norm.as_str()).collect();
    assert_eq!(lost, vec!["labour.circular-partnership"]);
    let economy = comparison
        .values
        .iter()
        .find(|g| g.name == "economy")
        .unwrap();
    assert_eq!(economy.tally.given_up.warning, 1);
    assert_ne!(economy.tally.verdict(), Verdict::Better);
    assert!(
        economy.tally.score() < compare::Score::default()
            || economy.tally.verdict() == Verdict::Mixed
    );
    // The labour findings it closes are real, and shown as closed.
    let closed: Vec<&str> = comparison
        .entries
        .iter()
        .filter(|e| e.change == Change::Closed)
        .map(|e| e.finding.code.as_str())
        .collect();
    assert!(closed.contains(&"labour.permanence-path"));
    insta::assert_snapshot!(human(&compared));
}

/// Removing the GFMD closes its six weaknesses, and gives up the one
/// forum where states of origin and destination meet.
#[test]
fn deleting_the_gfmd_gives_up_the_forum_states_attend() {
    let text = fs::read_to_string(root().join(STATUS_QUO)).unwrap();
    let start = text.find("[forum.GFMD]").unwrap();
    let end = start + text[start..].find("# ----").unwrap();
    let without = format!("{}{}", &text[..start], &text[end..]);
    let compared = compare_texts(
        &standard_engine(),
        (STATUS_QUO, &text),
        ("status-quo-without-gfmd.toml", &without),
    );
    let gfmd = compared
        .comparison
        .tradeoffs
        .iter()
        .find(|t| t.entity == "forum.GFMD")
        .unwrap();
    let lost: Vec<&str> = gfmd.lost.iter().map(|l| l.norm.as_str()).collect();
    assert_eq!(lost, vec!["forum.states-engaged"]);
    for value in ["security", "economy"] {
        let group = compared
            .comparison
            .values
            .iter()
            .find(|g| g.name == value)
            .unwrap();
        assert_eq!(group.tally.given_up.warning, 1, "{value}");
    }
}

/// The outcomes the comparison reads and the findings of a check tell the
/// same story: a subject fails a norm exactly when there is a finding for
/// it, in the status quo and in every option.
#[test]
fn outcomes_agree_with_findings() {
    let engine = standard_engine();
    for name in std::iter::once(STATUS_QUO.to_owned()).chain(
        OPTIONS
            .iter()
            .map(|o| format!("fixtures/proposals/option-{o}.toml")),
    ) {
        let text = fs::read_to_string(root().join(&name)).unwrap();
        let mut sources = engine.sources().clone();
        let id = sources.add(name.clone(), text.clone());
        let checked = engine.check(id, text.as_bytes(), Format::Toml);
        let mut failed: Vec<(String, lacuna_model::EntityRef)> = engine
            .outcomes(&checked.facts)
            .iter()
            .filter(|o| !o.passed)
            .map(|o| {
                (
                    engine.program().norms[o.norm as usize].id.clone(),
                    o.subject,
                )
            })
            .collect();
        let mut found: Vec<(String, lacuna_model::EntityRef)> = checked
            .findings
            .iter()
            .filter_map(|f| {
                f.subject
                    .as_ref()
                    .map(|s| (f.code.as_str().to_owned(), s.entity))
            })
            .collect();
        failed.sort();
        found.sort();
        assert_eq!(failed, found, "{name}");
        assert!(!found.is_empty());
    }
}
