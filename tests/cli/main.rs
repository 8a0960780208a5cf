//! End-to-end tests of `lacuna check`: the built binary, run from the
//! repository root on the worked proposals of `fixtures/proposals/` and the
//! fixtures made for these tests in `fixtures/check/`.
//!
//! Every run is made deterministic the same way: no colour (`NO_COLOR`), a
//! fixed width (`COLUMNS`), a fixed date for the expiry of suppressions
//! (`LACUNA_TODAY`), and the repository root as the current directory, so
//! that the paths in the output are the relative paths given.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod config;
mod exit_codes;
mod fixes;
mod formats;
mod help;
mod positions;
mod problems;
mod schemas;
mod shards;
mod stdin;
mod suppressions;

use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The date every run takes as today, unless a test sets another.
pub const TODAY: &str = "2026-07-01";

/// The 2010 status quo, the richest worked proposal.
pub const STATUS_QUO: &str = "fixtures/proposals/status-quo-2010.toml";

/// A small proposal with CRLF line endings and non-ASCII text before the
/// spans its findings point at.
pub const CRLF_UNICODE: &str = "fixtures/check/crlf-unicode.toml";

/// A proposal that no standard norm flags.
pub const CLEAN: &str = "fixtures/check/clean.toml";

/// The repository root, where every command runs.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// What one run of the binary gave.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl fmt::Debug for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "exit status {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// `lacuna ARGS`, from the repository root, in the deterministic
/// environment; tests may change it before calling [`run`].
pub fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lacuna"));
    command
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env("LACUNA_TODAY", TODAY)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Runs a command prepared by [`command`], with nothing on standard input.
pub fn run(command: &mut Command) -> Run {
    finish(command.spawn().unwrap())
}

/// Runs a command prepared by [`command`], writing `input` to its standard
/// input. A command that exits without reading it (a usage error) closes the
/// pipe early; that is not a failure of the test.
pub fn run_with_stdin(command: &mut Command, input: &[u8]) -> Run {
    let mut child = command.stdin(Stdio::piped()).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    // Written from another thread, so that a large input cannot block on a
    // child blocked writing its output.
    let writer = std::thread::spawn(move || {
        if let Err(error) = stdin.write_all(&input) {
            assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe, "{error}");
        }
    });
    let run = finish(child);
    writer.join().unwrap();
    run
}

fn finish(child: std::process::Child) -> Run {
    let output = child.wait_with_output().unwrap();
    Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// `lacuna check ARGS`.
pub fn check(args: &[&str]) -> Run {
    let all: Vec<&str> = std::iter::once("check")
        .chain(args.iter().copied())
        .collect();
    run(&mut command(&all))
}

/// `lacuna check --stdin-filename NAME ARGS` with `input` on standard input.
pub fn check_stdin(name: &str, input: &[u8], args: &[&str]) -> Run {
    let mut all = vec!["check", "--stdin-filename", name];
    all.extend(args);
    run_with_stdin(&mut command(&all), input)
}

/// `lacuna check ARGS --format json`, parsed.
pub fn check_json(args: &[&str]) -> (Run, serde_json::Value) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let run = check(&all);
    let json = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}\n{run:?}"));
    (run, json)
}

/// The `norm` of every finding of a `json` report, in order.
pub fn norms_of(json: &serde_json::Value) -> Vec<String> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["norm"].as_str().unwrap().to_owned())
        .collect()
}

/// The finding of a `json` report for `norm` and the subject `path`
/// (`None`: a finding about the whole proposal).
pub fn finding<'a>(
    json: &'a serde_json::Value,
    norm: &str,
    path: Option<&str>,
) -> &'a serde_json::Value {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["norm"] == norm && f["subject"]["path"].as_str() == path)
        .unwrap_or_else(|| panic!("no `{norm}` finding for {path:?} in {json:#}"))
}
