//! End-to-end tests of `lacuna compare`, running the built binary from the
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

fn demo(args: &[&str]) -> Output {
    let mut all = vec![
        "compare",
        "--no-default-rules",
        "--rules",
        "fixtures/ruletest/rules",
    ];
    all.extend_from_slice(args);
    lacuna(&root(), &all)
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

const BEFORE: &str = "fixtures/ruletest/compare/before.toml";
const AFTER: &str = "fixtures/ruletest/compare/after.toml";
const WORSE: &str = "fixtures/ruletest/compare/worse.toml";

#[test]
fn a_change_that_opens_no_error_exits_0() {
    let output = demo(&[BEFORE, AFTER]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.contains(
        "rights:   partial   closed 1 error; opened none; still open 1 error, 1 warning"
    ));
    assert!(!out.contains('\u{1b}'), "no colour off a terminal");
    assert_eq!(stderr(&output), "");
}

#[test]
fn a_change_that_opens_an_error_exits_1() {
    let output = demo(&[BEFORE, WORSE]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("opened (1)"));
}

#[test]
fn json_is_versioned_and_parses() {
    let output = demo(&["--format", "json", BEFORE, AFTER]);
    assert_eq!(output.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(value["version"], 2);
    assert_eq!(value["total"]["verdict"], "partial");
    assert_eq!(value["total"]["closed"]["error"], 1);
    assert_eq!(value["values"][2]["name"], "rights");
    // The same inputs give the same bytes.
    assert_eq!(
        stdout(&demo(&["--format", "json", BEFORE, AFTER])),
        stdout(&output)
    );
}

#[test]
fn a_proposal_that_does_not_load_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.toml");
    fs::write(&broken, "[proposal]\ntitle = 3\n").unwrap();
    let output = demo(&[BEFORE, broken.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(&output), "");
    assert!(
        stderr(&output).contains("broken.toml"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_missing_file_exits_2() {
    let output = demo(&[BEFORE, "fixtures/ruletest/compare/nowhere.toml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("error: cannot read `fixtures/ruletest/compare/nowhere.toml`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_unknown_format_is_a_usage_error() {
    let output = demo(&["--format", "xml", BEFORE, AFTER]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn the_worked_options_compare_with_the_standard_rules() {
    let output = lacuna(
        &root(),
        &[
            "compare",
            "fixtures/proposals/status-quo-2010.toml",
            "fixtures/proposals/option-srsg.toml",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("before: fixtures/proposals/status-quo-2010.toml"));
}

const STATUS_QUO: &str = "fixtures/proposals/status-quo-2010.toml";

/// With several options, the matrix: ranked, deterministic, in human and
/// JSON form.
#[test]
fn several_options_print_the_matrix() {
    let args = [
        "compare",
        STATUS_QUO,
        "fixtures/proposals/option-srsg.toml",
        "fixtures/proposals/option-cluster.toml",
    ];
    let output = lacuna(&root(), &args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.starts_with("base: fixtures/proposals/status-quo-2010.toml"));
    // The cluster, which closes the protection error, ranks first although
    // it was given last.
    let cluster = out
        .find("1  fixtures/proposals/option-cluster.toml")
        .unwrap();
    let srsg = out.find("2  fixtures/proposals/option-srsg.toml").unwrap();
    assert!(cluster < srsg, "{out}");
    assert!(out.contains("gaps on which the options differ"));
    assert!(!out.contains('\u{1b}'), "no colour off a terminal");

    let mut json_args = args.to_vec();
    json_args.insert(1, "--format=json");
    let json = lacuna(&root(), &json_args);
    let value: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(value["version"], 2);
    assert_eq!(
        value["options"][0]["file"],
        "fixtures/proposals/option-cluster.toml"
    );
    assert_eq!(value["options"][0]["rank"], 1);
    assert_eq!(value["gaps"][0]["norm"], "protection.coverage");
    assert_eq!(
        value["gaps"][0]["changes"],
        serde_json::json!(["closed", "still_open"])
    );
    assert_eq!(stdout(&lacuna(&root(), &json_args)), stdout(&json));
}

/// Any option that opens an error makes the run exit 1.
#[test]
fn an_option_that_opens_an_error_exits_1_among_others() {
    let output = demo(&[BEFORE, AFTER, WORSE]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
}

#[test]
fn compare_needs_an_option() {
    let output = lacuna(&root(), &["compare", STATUS_QUO]);
    assert_eq!(output.status.code(), Some(2));
}
