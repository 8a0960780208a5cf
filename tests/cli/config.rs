//! Which norms run and how they are reported: the selection flags, a
//! `lacuna.toml` found by walking up, severity overrides, `--show-settings`
//! and `--statistics`.

use std::collections::BTreeSet;

use crate::{STATUS_QUO, check, check_json, norms_of, root};

/// The configured proposal, two directories below its `lacuna.toml`.
const CONFIGURED: &str = "fixtures/check/configured/regional/west-africa/proposal.toml";

fn norm_set(args: &[&str]) -> BTreeSet<String> {
    let (run, json) = check_json(args);
    assert_ne!(run.code, Some(2), "{run:?}");
    norms_of(&json).into_iter().collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|&id| id.to_owned()).collect()
}

const STATUS_QUO_FORUM: [&str; 7] = [
    "forum.agenda-continuity",
    "forum.comprehensive",
    "forum.exists",
    "forum.formal-option",
    "forum.inclusive",
    "forum.permanent",
    "forum.un-anchored",
];

#[test]
fn select_ignore_and_extend_select_choose_the_norms() {
    let all = norm_set(&[STATUS_QUO]);
    assert!(all.len() > 20, "{all:?}");

    assert_eq!(
        norm_set(&[STATUS_QUO, "--select", "forum"]),
        set(&STATUS_QUO_FORUM)
    );
    assert_eq!(
        norm_set(&[STATUS_QUO, "--select", "forum.*"]),
        set(&STATUS_QUO_FORUM)
    );
    assert_eq!(
        norm_set(&[
            STATUS_QUO,
            "--select",
            "forum",
            "--ignore",
            "forum.un-anchored,forum.inclusive"
        ]),
        set(&[
            "forum.agenda-continuity",
            "forum.comprehensive",
            "forum.exists",
            "forum.formal-option",
            "forum.permanent",
        ])
    );
    // A comma-separated list and repeated flags mean the same.
    assert_eq!(
        norm_set(&[STATUS_QUO, "--select", "forum.permanent,labour"]),
        norm_set(&[
            STATUS_QUO,
            "--select",
            "forum.permanent",
            "--select",
            "labour"
        ]),
    );
    assert_eq!(
        norm_set(&[
            STATUS_QUO,
            "--select",
            "forum.permanent",
            "--extend-select",
            "labour"
        ]),
        set(&[
            "forum.permanent",
            "labour.family-unity",
            "labour.permanence-path",
            "labour.portability",
        ])
    );
    // The most specific selector wins: `forum` is off, `forum.inclusive` on.
    assert_eq!(
        norm_set(&[
            STATUS_QUO,
            "--ignore",
            "forum",
            "--extend-select",
            "forum.inclusive",
            "--select",
            "forum"
        ]),
        set(&["forum.inclusive"])
    );
    let without: BTreeSet<String> = all
        .iter()
        .filter(|id| !id.starts_with("forum.") && !id.starts_with("proposal."))
        .cloned()
        .collect();
    assert_eq!(
        norm_set(&[STATUS_QUO, "--ignore", "forum,proposal"]),
        without
    );
}

#[test]
fn the_summary_counts_the_norms_that_ran() {
    let (_, json) = check_json(&[STATUS_QUO, "--select", "forum"]);
    assert_eq!(json["summary"]["norms_checked"], 8);
    let ids: Vec<&str> = json["norms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    // Every forum norm that ran, including the one the status quo passes.
    let mut ran = STATUS_QUO_FORUM.to_vec();
    ran.push("forum.states-engaged");
    ran.sort_unstable();
    assert_eq!(ids, ran);
}

#[test]
fn a_selector_that_matches_nothing_is_a_warning() {
    let run = check(&[
        STATUS_QUO,
        "--ignore",
        "protection.coverge",
        "--format",
        "concise",
    ]);
    // The typo leaves `protection.coverage` running, and failing.
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stdout.contains("error[protection.coverage]"), "{run:?}");
    insta::assert_snapshot!("unknown_selector", run.stderr);
}

#[test]
fn lacuna_toml_is_found_by_walking_up() {
    // Checked by name and through its directory: the same configuration.
    for path in [CONFIGURED, "fixtures/check/configured"] {
        let run = check(&[path, "--format", "concise"]);
        // `protection.framework` is an error under the configuration.
        assert_eq!(run.code, Some(1), "{path}: {run:?}");
        assert_eq!(run.stderr, "", "{path}");
        insta::assert_snapshot!("configured", run.stdout);
    }
    // `--config` replaces the search: under a file without `ignore`, the
    // `proposal` norms run.
    let norms = norm_set(&[CONFIGURED, "--config", "fixtures/check/strict/lacuna.toml"]);
    assert!(norms.contains("proposal.evidence"), "{norms:?}");
}

#[test]
fn severity_overrides_show_in_the_output() {
    let (_, json) = check_json(&[CONFIGURED]);
    let severities: BTreeSet<(String, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["norm"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(severities.contains(&("protection.framework".into(), "error".into())));
    let forum: Vec<&(String, String)> = severities
        .iter()
        .filter(|(norm, _)| norm.starts_with("forum."))
        .collect();
    assert_eq!(forum.len(), 6, "{forum:?}");
    assert!(
        forum.iter().all(|(_, severity)| severity == "info"),
        "{forum:?}"
    );
    assert!(
        !severities
            .iter()
            .any(|(norm, _)| norm.starts_with("proposal."))
    );

    // The norm list and the SARIF rules carry the severity in force.
    let norm = json["norms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "protection.framework")
        .unwrap();
    assert_eq!(norm["severity"], "error");
    let sarif = check(&[CONFIGURED, "--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let rule = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "forum.inclusive")
        .unwrap();
    assert_eq!(rule["defaultConfiguration"]["level"], "note");
    let github = check(&[CONFIGURED, "--format", "github"]);
    assert!(
        github
            .stdout
            .contains("::error file=fixtures/check/configured/regional/west-africa/proposal.toml,line=8,col=1,"),
        "{github:?}"
    );
}

#[test]
fn the_command_line_applies_on_top_of_the_file() {
    // `--select` replaces the file's selection, `ignore` included.
    let selected = norm_set(&[CONFIGURED, "--select", "proposal"]);
    assert_eq!(
        selected,
        set(&[
            "proposal.evidence",
            "proposal.perspective",
            "proposal.priorities",
            "proposal.tradeoffs"
        ])
    );
    // `--ignore` removes the error the file made, so the run passes.
    let run = check(&[CONFIGURED, "--ignore", "protection.framework"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    // `--deny info` fails on the forum norms the file lowered to info.
    let run = check(&[
        CONFIGURED,
        "--ignore",
        "protection.framework",
        "--deny",
        "info",
    ]);
    assert_eq!(run.code, Some(1), "{run:?}");
}

/// `--show-settings` output with the repository's absolute path replaced,
/// so that the snapshot holds on any machine.
fn show_settings(args: &[&str]) -> String {
    let mut all = vec!["--show-settings"];
    all.extend(args);
    let run = check(&all);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.stderr, "");
    run.stdout
        .replace(&root().display().to_string(), "<repository>")
}

#[test]
fn show_settings_prints_the_configuration_in_force() {
    insta::assert_snapshot!(
        "show_settings_configured",
        show_settings(&[
            CONFIGURED,
            "--extend-select",
            "proposal.evidence",
            "--deny",
            "warnings"
        ])
    );
    insta::assert_snapshot!("show_settings_default", show_settings(&[STATUS_QUO]));
}

#[test]
fn statistics_count_findings_per_norm() {
    let run = check(&[STATUS_QUO, "--statistics"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    insta::assert_snapshot!("statistics", run.stdout);

    let run = check(&["fixtures/proposals", "--statistics", "--format", "json"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    insta::assert_snapshot!("statistics_json", run.stdout);

    // The counts add up to the findings of the same run.
    let (_, json) = check_json(&["fixtures/proposals"]);
    let stats: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let counted: u64 = stats
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["count"].as_u64().unwrap())
        .sum();
    assert_eq!(serde_json::Value::from(counted), json["summary"]["total"]);
}
