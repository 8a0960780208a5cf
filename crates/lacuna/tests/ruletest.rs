//! The rule-test runner over its own fixtures (`fixtures/ruletest/_cases/`),
//! checked with the small rule set of `fixtures/ruletest/rules/`: passing,
//! failing and broken fixtures, each report snapshotted.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fs;
use std::path::{Path, PathBuf};

use lacuna::ruletest::{self, Status, Summary, TestFile};
use lacuna::{Engine, RuleFile};
use lacuna_report::RenderOptions;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn demo_engine() -> Engine {
    let dir = root().join("fixtures/ruletest/rules");
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "norm"))
        .collect();
    paths.sort();
    let files = paths
        .iter()
        .map(|p| RuleFile {
            name: format!(
                "fixtures/ruletest/rules/{}",
                p.file_name().unwrap().to_string_lossy()
            ),
            bytes: fs::read(p).unwrap(),
        })
        .collect();
    let (engine, problems) = Engine::build(files);
    assert!(problems.is_empty(), "{problems:?}");
    engine
}

/// The name a fixture has in reports: its path from the repository root.
fn name_of(path: &Path) -> String {
    let root = root().canonicalize().unwrap();
    path.canonicalize()
        .unwrap()
        .strip_prefix(&root)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

fn run(engine: &Engine, path: &Path) -> TestFile {
    let name = name_of(path);
    ruletest::run(engine, &name, &fs::read(path).unwrap())
        .unwrap_or_else(|| panic!("`{name}` is no rule test"))
}

fn options() -> RenderOptions {
    RenderOptions {
        color: false,
        width: 100,
        summary: None,
    }
}

fn files_under(dir: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "toml") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join(dir), &mut out);
    out.sort();
    out
}

#[test]
fn reports() {
    let engine = demo_engine();
    insta::glob!("../../../fixtures/ruletest/_cases", "**/*.toml", |path| {
        let file = run(&engine, path);
        let rendered = ruletest::render(&file, &options());
        insta::assert_snapshot!(format!(
            "{}\n--- stderr ---\n{}",
            rendered.stdout, rendered.stderr
        ));
    });
}

#[test]
fn passing_fixtures_pass() {
    let engine = demo_engine();
    let files: Vec<TestFile> = files_under("fixtures/ruletest/_cases/pass")
        .iter()
        .map(|p| run(&engine, p))
        .collect();
    assert_eq!(files.len(), 3);
    for file in &files {
        assert_eq!(file.status(), Status::Passed, "{}", file.name);
    }
    assert_eq!(
        Summary::of(files.iter().map(TestFile::status)).to_string(),
        "3 passed, 0 failed"
    );
}

#[test]
fn failing_fixtures_fail() {
    let engine = demo_engine();
    let files: Vec<TestFile> = files_under("fixtures/ruletest/_cases/fail")
        .iter()
        .map(|p| run(&engine, p))
        .collect();
    let outcome: Vec<(String, Status, usize)> = files
        .iter()
        .map(|f| (f.name.clone(), f.status(), f.failures.len()))
        .collect();
    assert_eq!(
        outcome,
        vec![
            (
                "fixtures/ruletest/_cases/fail/missing.toml".to_owned(),
                Status::Failed,
                1
            ),
            (
                "fixtures/ruletest/_cases/fail/norms/demo.protected/moved.toml".to_owned(),
                Status::Failed,
                2
            ),
            (
                "fixtures/ruletest/_cases/fail/unexpected.toml".to_owned(),
                Status::Failed,
                2
            ),
        ]
    );
    // `demo.titled` flags `unexpected.toml` but is not under test there.
    let unexpected = &files[2];
    assert_eq!(unexpected.under_test, vec!["demo.protected"]);
    assert!(
        unexpected
            .failures
            .iter()
            .all(|f| f.norm() == "demo.protected")
    );
    assert_eq!(
        Summary::of(files.iter().map(TestFile::status)).to_string(),
        "0 passed, 3 failed"
    );
}

#[test]
fn broken_fixtures_are_broken() {
    let engine = demo_engine();
    let files: Vec<TestFile> = files_under("fixtures/ruletest/_cases/broken")
        .iter()
        .map(|p| run(&engine, p))
        .collect();
    assert_eq!(files.len(), 3);
    for file in &files {
        assert_eq!(file.status(), Status::Broken, "{}", file.name);
        assert!(file.failures.is_empty(), "{}", file.name);
    }
    let summary = Summary::of(files.iter().map(TestFile::status));
    assert_eq!((summary.failed, summary.broken), (3, 3));
}

#[test]
fn files_without_annotations_are_no_tests() {
    let engine = demo_engine();
    let text = b"# A comment, but no annotation.\n[proposal]\ntitle = \"t\"\n";
    assert!(ruletest::run(&engine, "plain.toml", text).is_none());
    // The same file in a directory named after a norm is a test of that norm.
    let file = ruletest::run(&engine, "norms/demo.titled/plain.toml", text).unwrap();
    assert_eq!(file.under_test, vec!["demo.titled"]);
    assert_eq!(file.status(), Status::Passed);
}

#[test]
fn a_norm_without_for_reports_on_line_one() {
    let engine = demo_engine();
    let missing = b"[proposal]  # expect: demo.forum-exists\ntitle = \"t\"\n";
    let file = ruletest::run(&engine, "one.toml", missing).unwrap();
    assert_eq!(file.status(), Status::Passed);
    let moved = b"\n[proposal]  # expect: demo.forum-exists\ntitle = \"t\"\n";
    let file = ruletest::run(&engine, "two.toml", moved).unwrap();
    assert_eq!(file.status(), Status::Failed);
    let lines: Vec<usize> = file.failures.iter().map(|f| f.line()).collect();
    assert_eq!(lines, vec![1, 2]);
}

#[test]
fn bad_input_never_panics() {
    let engine = demo_engine();
    let inputs: [&[u8]; 6] = [
        b"",
        b"# expect:",
        b"\xff\xfe# expect: demo.titled\n",
        b"x = \"\"\"\n# expect: demo.titled\n",
        b"[[[[# ok: demo.titled\n",
        b"# expect: demo.titled, , demo.protected,\n[proposal]\n",
    ];
    for input in inputs {
        if let Some(file) = ruletest::run(&engine, "input.toml", input) {
            let _ = ruletest::render(&file, &options());
        }
    }
}
