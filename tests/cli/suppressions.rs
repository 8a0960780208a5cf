//! `[[allow]]` entries: a suppression removes the finding it names; one that
//! matches nothing, names no norm or has expired is reported; one without a
//! reason or with a malformed date is bad input.

use crate::{check, check_json, command, finding, norms_of, root, run_with_stdin};

const SUPPRESSED: &str = "fixtures/check/allow/suppressed.toml";
const UNUSED: &str = "fixtures/check/allow/unused.toml";
const EXPIRED: &str = "fixtures/check/allow/expired.toml";
const UNKNOWN_NORM: &str = "fixtures/check/allow/unknown-norm.toml";

/// The findings of `json` as `(norm, subject path)` pairs.
fn pairs(json: &serde_json::Value) -> Vec<(String, Option<String>)> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["norm"].as_str().unwrap().to_owned(),
                f["subject"]["path"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

fn pair(norm: &str, path: Option<&str>) -> (String, Option<String>) {
    (norm.to_owned(), path.map(str::to_owned))
}

#[test]
fn a_suppression_removes_its_finding() {
    let (run, json) = check_json(&[SUPPRESSED]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.stderr, "");
    assert_eq!(
        pairs(&json),
        [pair(
            "protection.framework",
            Some("group.survival_migrants")
        )]
    );

    // The same proposal cut before its suppressions: the three findings
    // they allowed come back, the error among them, and the run fails.
    let text = std::fs::read_to_string(root().join(SUPPRESSED)).unwrap();
    let (unsuppressed, _) = text.split_once("# Suppressions.").unwrap();
    let mut command = command(&["check", "--stdin-filename", SUPPRESSED, "--format", "json"]);
    let bare = run_with_stdin(&mut command, unsuppressed.as_bytes());
    assert_eq!(bare.code, Some(1), "{bare:?}");
    let json: serde_json::Value = serde_json::from_str(&bare.stdout).unwrap();
    assert_eq!(
        pairs(&json),
        [
            pair("forum.exists", None),
            pair("protection.coverage", Some("group.survival_migrants")),
            pair("protection.framework", Some("group.survival_migrants")),
            pair("protection.field-presence", Some("mandate[0]")),
        ]
    );
}

#[test]
fn suppressions_in_json_proposals_work_the_same() {
    let (run, json) = check_json(&["fixtures/check/allow/suppressed.json"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(
        pairs(&json),
        [pair(
            "protection.framework",
            Some("group.survival_migrants")
        )]
    );
}

#[test]
fn an_unused_suppression_is_reported() {
    let run = check(&[UNUSED, "--format", "human"]);
    // Reported as warnings: the run passes unless warnings fail it.
    assert_eq!(run.code, Some(0), "{run:?}");
    insta::assert_snapshot!("unused", run.stdout);
    let denied = check(&[UNUSED, "--deny", "warnings"]);
    assert_eq!(denied.code, Some(1), "{denied:?}");

    let (_, json) = check_json(&[UNUSED]);
    assert_eq!(norms_of(&json), ["allow.unused", "allow.unused"]);
    let first = &json["findings"][0];
    assert_eq!(first["severity"], "warning");
    assert_eq!(first["subject"], serde_json::Value::Null);
    assert_eq!(first["location"]["start"]["line"], 32);
    assert_eq!(first["tags"], serde_json::json!(["suppression"]));
}

#[test]
fn a_suppression_of_a_norm_that_does_not_run_is_not_reported() {
    let (run, json) = check_json(&[UNUSED, "--ignore", "protection.coverage"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let messages: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        ["the suppression of `protection.field-presence` for `mandate[7]` matches no finding"]
    );
}

#[test]
fn an_expired_suppression_no_longer_applies() {
    // `TODAY` is 2026-07-01, the day after the entry's last day.
    let run = check(&[EXPIRED, "--format", "human"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    insta::assert_snapshot!("expired", run.stdout);
    let (_, json) = check_json(&[EXPIRED]);
    assert_eq!(
        pairs(&json),
        [
            pair("protection.coverage", Some("group.survival_migrants")),
            pair("allow.expired", None),
        ]
    );
    let expired = finding(&json, "allow.expired", None);
    assert_eq!(expired["location"]["start"]["line"], 27);
    assert_eq!(expired["label"], "the last day the suppression applied");

    // On its last day it still applies, and is not reported.
    let mut on_the_day = command(&["check", EXPIRED, "--format", "json"]);
    on_the_day.env("LACUNA_TODAY", "2026-06-30");
    let on_the_day = crate::run(&mut on_the_day);
    assert_eq!(on_the_day.code, Some(0), "{on_the_day:?}");
    let json: serde_json::Value = serde_json::from_str(&on_the_day.stdout).unwrap();
    assert_eq!(json["findings"], serde_json::json!([]));
}

#[test]
fn a_suppression_of_an_unknown_norm_suggests_the_nearest() {
    let (run, json) = check_json(&[UNKNOWN_NORM]);
    // The finding the entry meant to allow stays, and fails the run.
    assert_eq!(run.code, Some(1), "{run:?}");
    assert_eq!(
        pairs(&json),
        [
            pair("protection.coverage", Some("group.survival_migrants")),
            pair("allow.unknown-norm", None),
        ]
    );
    let unknown = finding(&json, "allow.unknown-norm", None);
    assert_eq!(
        unknown["message"],
        "the suppression names no known norm `protection.coverge`"
    );
    assert_eq!(unknown["help"], "did you mean `protection.coverage`?");
    // It points at the misspelt id: line 22, after `norm = `.
    assert_eq!(
        unknown["location"]["start"],
        serde_json::json!({"line": 22, "column": 8})
    );
    let human = check(&[
        UNKNOWN_NORM,
        "--format",
        "human",
        "--select",
        "protection.coverage",
    ]);
    insta::assert_snapshot!("unknown_norm", human.stdout);
}

#[test]
fn a_suppression_without_a_reason_is_bad_input() {
    let run = check(&["fixtures/check/allow/no-reason.toml", "--format", "plain"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    insta::assert_snapshot!("no_reason", run.stderr);
    // The entry does not apply: the error it names is still reported.
    assert!(run.stdout.contains("error[protection.coverage]"), "{run:?}");
}

#[test]
fn a_malformed_expiry_date_is_bad_input() {
    let run = check(&["fixtures/check/allow/bad-date.toml", "--format", "plain"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    insta::assert_snapshot!("bad_date", run.stderr);
    // Neither entry applies.
    assert!(run.stdout.contains("error[protection.coverage]"), "{run:?}");
    assert!(
        run.stdout.contains("warning[protection.framework]"),
        "{run:?}"
    );
}

#[test]
fn an_entry_with_a_rejected_value_suppresses_nothing() {
    let run = check(&[
        "fixtures/check/allow/rejected-values.toml",
        "--format",
        "plain",
    ]);
    assert_eq!(run.code, Some(2), "{run:?}");
    insta::assert_snapshot!("rejected_values", run.stderr);
    // Both findings the entries name are still reported.
    assert!(run.stdout.contains("error[protection.coverage]"), "{run:?}");
    assert!(run.stdout.contains("warning[forum.exists]"), "{run:?}");
}
