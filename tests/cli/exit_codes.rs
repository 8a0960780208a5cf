//! Exit status 0 when nothing fails, 1 on findings at the failing severity,
//! 2 on bad input or usage, whatever the format.

use crate::{CLEAN, STATUS_QUO, check};

const WARNINGS_ONLY: &str = "fixtures/check/warnings-only.toml";

#[test]
fn a_clean_proposal_exits_0() {
    let run = check(&[CLEAN]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.stderr, "");
}

#[test]
fn warnings_fail_only_when_denied() {
    let run = check(&[WARNINGS_ONLY, "--format", "concise"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains("warning["), "{run:?}");
    assert!(!run.stdout.contains("error["), "{run:?}");

    for deny in [
        &["--deny", "warnings"][..],
        &["--deny", "warning"],
        &["--deny", "info"],
        &["--config", "fixtures/check/strict/lacuna.toml"],
    ] {
        let mut args = vec![WARNINGS_ONLY];
        args.extend(deny);
        let run = check(&args);
        assert_eq!(run.code, Some(1), "{deny:?}: {run:?}");
        assert_eq!(run.stderr, "", "{deny:?}");
    }
}

#[test]
fn errors_exit_1_in_every_format() {
    for format in [
        "human",
        "plain",
        "concise",
        "json",
        "json-lines",
        "sarif",
        "github",
        "lsp",
    ] {
        let run = check(&[STATUS_QUO, "--format", format]);
        assert_eq!(run.code, Some(1), "{format}: {run:?}");
    }
    // Without its one error, the status quo passes.
    let run = check(&[STATUS_QUO, "--ignore", "protection.coverage"]);
    assert_eq!(run.code, Some(0), "{run:?}");
}

/// Runs `lacuna check ARGS`, expects exit status 2, and snapshots what it
/// printed to standard error under `NAME`.
fn bad_input(name: &str, args: &[&str]) {
    let run = check(args);
    assert_eq!(run.code, Some(2), "{name}: {run:?}");
    assert!(!run.stderr.is_empty(), "{name}: {run:?}");
    insta::assert_snapshot!(name, run.stderr);
}

#[test]
fn a_toml_syntax_error_exits_2() {
    bad_input("syntax_error", &["fixtures/check/broken/syntax-error.toml"]);
}

#[test]
fn an_unknown_field_exits_2() {
    bad_input(
        "unknown_field",
        &["fixtures/check/broken/unknown-field.toml"],
    );
}

#[test]
fn a_proposal_that_is_not_utf8_exits_2() {
    bad_input("not_utf8", &["fixtures/check/broken/not-utf8.toml"]);
}

#[test]
fn a_bad_input_among_good_ones_still_exits_2() {
    // The findings of the other files are printed all the same.
    let run = check(&[
        CLEAN,
        "fixtures/check/broken/unknown-field.toml",
        "--format",
        "concise",
    ]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stdout.contains("2 files checked"), "{run:?}");
    // In `concise` the problem is a line of the output, not a report on
    // standard error.
    assert!(
        run.stdout.contains(
            "fixtures/check/broken/unknown-field.toml:7:1: error[proposal::unknown_field] \
             unknown field `vulnerabel`"
        ),
        "{run:?}"
    );
    assert_eq!(run.stderr, "");
}

#[test]
fn an_unknown_format_exits_2() {
    bad_input("unknown_format", &[CLEAN, "--format", "jsonl"]);
}

#[test]
fn a_bad_shard_exits_2() {
    for shard in ["0/2", "3/2", "1/0", "2", "a/b", "-1/2", "1/2/3"] {
        let run = check(&[CLEAN, &format!("--shard={shard}")]);
        assert_eq!(run.code, Some(2), "{shard}: {run:?}");
        assert!(
            run.stderr
                .contains("is not a shard: write I/N with 1 <= I <= N"),
            "{shard}: {run:?}"
        );
    }
    bad_input("bad_shard", &[CLEAN, "--shard", "3/2"]);
}

#[test]
fn a_missing_file_exits_2() {
    let run = check(&["fixtures/check/absent.toml"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr
            .starts_with("error: cannot read `fixtures/check/absent.toml`: "),
        "{run:?}"
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn a_file_of_unknown_format_exits_2() {
    bad_input("unknown_extension", &["rules/README.md"]);
}

#[test]
fn no_proposal_exits_2() {
    bad_input("no_proposal", &[]);
}

#[test]
fn a_broken_configuration_file_exits_2() {
    // Found by discovery, beside the proposal, and given with `--config`.
    bad_input(
        "broken_config",
        &["fixtures/check/broken-config/proposal.toml"],
    );
    let run = check(&[
        CLEAN,
        "--config",
        "fixtures/check/broken-config/lacuna.toml",
    ]);
    assert_eq!(run.code, Some(2), "{run:?}");
    let run = check(&[CLEAN, "--config", "fixtures/check/absent/lacuna.toml"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains("cannot read the configuration file"),
        "{run:?}"
    );
}

#[test]
fn a_rule_directory_with_a_broken_norm_file_exits_2() {
    bad_input(
        "broken_rules",
        &[CLEAN, "--rules", "fixtures/check/broken-rules"],
    );
    let run = check(&[CLEAN, "--rules", "fixtures/check/absent-rules"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr
            .contains("cannot read the rule directory `fixtures/check/absent-rules`"),
        "{run:?}"
    );
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &[CLEAN, "--no-such-flag"][..],
        &[CLEAN, "--select", "Forum"],
        &[CLEAN, "--deny", "errors"],
        &[CLEAN, "--stdin-filename", "x.toml"],
    ] {
        let run = check(args);
        assert_eq!(run.code, Some(2), "{args:?}: {run:?}");
    }
}

#[test]
fn a_bad_date_for_today_exits_2() {
    let mut command = crate::command(&["check", CLEAN]);
    command.env("LACUNA_TODAY", "1 July 2026");
    let run = crate::run(&mut command);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert_eq!(
        run.stderr,
        "error: `LACUNA_TODAY=1 July 2026` is not a date: write YYYY-MM-DD\n"
    );
}
