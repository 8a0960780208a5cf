//! End-to-end tests of `lacuna test`, running the built binary from the
//! repository root.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn lacuna(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lacuna"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .output()
        .unwrap()
}

const DEMO: [&str; 3] = ["--no-default-rules", "--rules", "fixtures/ruletest/rules"];

fn demo(args: &[&str]) -> Output {
    let all: Vec<&str> = ["test"].iter().chain(&DEMO).chain(args).copied().collect();
    lacuna(&root(), &all)
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn passing_fixtures_exit_0() {
    let output = demo(&["fixtures/ruletest/_cases/pass"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    insta::assert_snapshot!(stdout(&output), @r"
    PASS  fixtures/ruletest/_cases/pass/annotated.toml
    PASS  fixtures/ruletest/_cases/pass/norms/demo.protected/fail.toml
    PASS  fixtures/ruletest/_cases/pass/norms/demo.protected/pass.toml

    3 passed, 0 failed
    ");
    assert_eq!(stderr(&output), "");
}

#[test]
fn failing_fixtures_exit_1_with_a_report() {
    let output = demo(&[
        "fixtures/ruletest/_cases/fail",
        "fixtures/ruletest/_cases/pass",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    insta::assert_snapshot!(stdout(&output));
    assert_eq!(stderr(&output), "");
}

#[test]
fn broken_fixtures_exit_2() {
    let output = demo(&["fixtures/ruletest/_cases/broken/does-not-load.toml"]);
    assert_eq!(output.status.code(), Some(2));
    insta::assert_snapshot!(stdout(&output), @r"
    ERROR fixtures/ruletest/_cases/broken/does-not-load.toml (does not load)

    0 passed, 1 failed
    ");
    assert!(stderr(&output).contains("expected a boolean, found a string"));
}

#[test]
fn an_unknown_norm_exits_2_with_a_suggestion() {
    let output = demo(&["fixtures/ruletest/_cases/broken/annotations.toml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("did you mean `demo.titled`?"));
}

#[test]
fn directories_starting_with_an_underscore_are_skipped() {
    // `fixtures/ruletest/` holds only the skipped `_cases/` and files without
    // annotations, so there is nothing to test.
    let output = demo(&["fixtures/ruletest"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no rule tests found"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_missing_path_exits_2() {
    let output = demo(&["fixtures/ruletest/nowhere"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("error: cannot read `fixtures/ruletest/nowhere`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn broken_rules_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bad.norm"), "norm a.b {\n  require\n}\n").unwrap();
    fs::write(dir.path().join("case.toml"), "# expect: a.b\n").unwrap();
    let output = lacuna(
        dir.path(),
        &["test", "--no-default-rules", "--rules", ".", "case.toml"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(&output), "");
    assert!(stderr(&output).contains("bad.norm"), "{}", stderr(&output));
}

#[test]
fn the_repository_fixtures_pass_by_default() {
    // `lacuna test` with no path tests `fixtures/` with the standard rules.
    let output = lacuna(&root(), &["test"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    let out = stdout(&output);
    assert!(out.contains("PASS  fixtures/proposals/status-quo-2010.toml"));
    assert!(!out.contains("_cases"));
    assert!(out.lines().last().unwrap().ends_with(" passed, 0 failed"));
}
