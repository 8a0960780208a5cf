//! `--fix`, `--unsafe-fixes`, `--diff` and `--show-fixes`, and fixes in the
//! machine formats.

use std::fs;

use crate::{STATUS_QUO, check, check_json, check_stdin, root};

/// A proposal with at least ten kinds of mistake, each with a safe fix.
const TYPOS: &str = "fixtures/fix/typos.toml";

fn typos() -> String {
    fs::read_to_string(root().join(TYPOS)).unwrap()
}

/// A copy of `text` as `name` in a fresh directory, with an empty
/// `lacuna.toml` beside it so that no configuration above applies.
fn scratch(name: &str, text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("lacuna.toml"), "").unwrap();
    let path = dir.path().join(name);
    fs::write(&path, text).unwrap();
    (dir, path.to_str().unwrap().to_owned())
}

fn problems(json: &serde_json::Value) -> u64 {
    json["summary"]["problems"].as_u64().unwrap()
}

#[test]
fn the_diff_of_the_typos_is_reviewed() {
    let run = check(&["--diff", TYPOS]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert_eq!(run.stderr, "", "{run:?}");
    insta::assert_snapshot!(run.stdout);
    // `--diff` writes nothing.
    assert_eq!(fs::read_to_string(root().join(TYPOS)).unwrap(), typos());
}

#[test]
fn after_fix_the_typos_have_no_input_problem() {
    let (before, json) = check_json(&[TYPOS]);
    assert_eq!(before.code, Some(2), "{before:?}");
    assert!(problems(&json) >= 13, "{}", problems(&json));

    let text = typos();
    let (_dir, path) = scratch("typos.toml", &text);
    let fixed = check(&["--fix", &path]);
    assert_eq!(fixed.stderr, "fixed 1 file\n", "{fixed:?}");
    let after = fs::read_to_string(&path).unwrap();
    assert_ne!(after, text);
    // Every comment survives, and the keys stay in their order.
    for line in text.lines() {
        if let Some((_, comment)) = line.split_once('#') {
            assert!(after.contains(comment), "lost the comment `{comment}`");
        }
    }
    assert_eq!(after.lines().count(), text.lines().count());

    let (again, json) = check_json(&[&path]);
    assert_eq!(problems(&json), 0, "{again:?}");
    assert_ne!(again.code, Some(2), "{again:?}");

    // A second `--fix` has nothing left to do.
    let idle = check(&["--fix", &path]);
    assert_eq!(idle.stderr, "", "{idle:?}");
    assert_eq!(fs::read_to_string(&path).unwrap(), after);
}

#[test]
fn diff_exits_0_when_there_is_nothing_to_fix() {
    let run = check(&["--diff", STATUS_QUO]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.stdout, "");
}

#[test]
fn fix_on_standard_input_prints_the_fixed_text() {
    let (_dir, path) = scratch("typos.toml", &typos());
    let on_disk = check(&["--fix", &path]);
    let run = check_stdin(TYPOS, typos().as_bytes(), &["--fix"]);
    assert_eq!(run.stdout, fs::read_to_string(&path).unwrap(), "{run:?}");
    assert_eq!(run.code, on_disk.code, "{run:?}");
    // The file named is not written.
    assert_eq!(fs::read_to_string(root().join(TYPOS)).unwrap(), typos());
}

#[test]
fn fixes_are_in_the_machine_formats() {
    let (_, json) = check_json(&[TYPOS]);
    let problem = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["message"] == "unknown area `survivl`")
        .unwrap();
    let fix = &problem["fixes"][0];
    assert_eq!(fix["applicability"], "safe");
    assert_eq!(fix["title"], "replace `survivl` with `survival`");
    let edit = &fix["edits"][0];
    assert_eq!(edit["content"], "\"survival\"");
    assert_eq!(edit["location"]["start"]["line"], 11);
    assert_eq!(edit["location"]["start"]["column"], 8);
    let span = &edit["location"]["span"];
    let (start, end) = (
        span["start"].as_u64().unwrap() as usize,
        span["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&typos()[start..end], "\"survivl\"");

    let lines = check(&[TYPOS, "--format", "json-lines"]);
    assert!(
        lines.stdout.lines().any(|l| l.contains("\"fixes\":[{")),
        "{lines:?}"
    );

    let lsp = check(&[TYPOS, "--format", "lsp"]);
    let lsp: serde_json::Value = serde_json::from_str(&lsp.stdout).unwrap();
    let with_fixes = lsp[TYPOS]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["data"]["fixes"][0]["edits"][0]["newText"].is_string())
        .count();
    assert!(with_fixes >= 13, "{with_fixes}");
}

#[test]
fn show_fixes_lists_safe_fixes_and_counts_unsafe_ones() {
    let run = check(&["--show-fixes", TYPOS, "--format", "concise"]);
    assert!(
        run.stdout.contains(
            "typos.toml:11:8: proposal::unknown_value [safe] replace `survivl` with `survival`"
        ),
        "{run:?}"
    );
    let (_dir, path) = scratch("gap.toml", "[proposal]\ntitle = \"t\"\n");
    let run = check(&["--show-fixes", &path, "--format", "concise"]);
    assert!(run.stdout.contains("unsafe fix"), "{run:?}");
    assert!(run.stdout.contains("with `--unsafe-fixes`"), "{run:?}");
}

#[test]
fn the_status_quo_shows_a_verified_repair_for_survival_migrants() {
    let run = check(&[
        STATUS_QUO,
        "--show-fixes",
        "--unsafe-fixes",
        "--format",
        "concise",
    ]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stdout.contains(
            "status-quo-2010.toml:70:1: protection.coverage [unsafe] repair: set `field_presence = true` on `actor.OHCHR`; also closes"
        ),
        "{run:?}"
    );
    // Without `--unsafe-fixes` no repair is searched for or shown.
    let run = check(&[STATUS_QUO, "--show-fixes", "--format", "concise"]);
    assert!(!run.stdout.contains("repair:"), "{run:?}");
    assert!(run.stdout.contains("unsafe fixes hidden"), "{run:?}");
}

#[test]
fn unsafe_fixes_repair_the_status_quo() {
    let text = fs::read_to_string(root().join(STATUS_QUO)).unwrap();
    let (_dir, path) = scratch("status-quo.toml", &text);
    let (before, _) = check_json(&[&path]);
    let run = check(&["--fix", "--unsafe-fixes", &path]);
    assert_eq!(run.stderr, "fixed 1 file\n", "{run:?}");
    let (after, json) = check_json(&[&path]);
    assert_eq!(problems(&json), 0, "{after:?}");
    assert!(
        !after.stdout.contains("\"norm\": \"protection.coverage\""),
        "{before:?}\n{after:?}"
    );
}
