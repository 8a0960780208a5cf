//! `lacuna test fixtures/` inside `cargo test`: every rule test of the
//! repository's fixture tree, checked with the standard rules, must pass.
//!
//! The walk is the one `lacuna test` makes: `.toml` files other than
//! `lacuna.toml`, in directories whose names do not start with `.` or `_`
//! (which keeps out the runner's own deliberately failing fixtures under
//! `fixtures/ruletest/_cases/`, tested by `tests/ruletest.rs`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fs;
use std::path::{Path, PathBuf};

use lacuna::Engine;
use lacuna::ruletest::{self, Status, Summary, TestFile};
use lacuna_report::RenderOptions;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if ruletest::walks_into(&name) {
                collect(&path, out);
            }
        } else if ruletest::is_fixture_name(&name) {
            out.push(path);
        }
    }
}

#[test]
fn every_rule_test_passes_with_the_standard_rules() {
    let (engine, problems) = Engine::build(lacuna::standard_rules());
    assert!(
        problems.is_empty(),
        "the standard rules have problems: {problems:?}"
    );

    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut paths = Vec::new();
    collect(&root.join("fixtures"), &mut paths);

    let options = RenderOptions {
        color: false,
        width: 100,
        summary: None,
    };
    let mut files = Vec::new();
    let mut report = String::new();
    for path in &paths {
        let name = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let Some(file) = ruletest::run(&engine, &name, &fs::read(path).unwrap()) else {
            continue;
        };
        if file.status() != Status::Passed {
            let rendered = ruletest::render(&file, &options);
            report.push_str(&rendered.stdout);
            report.push_str(&rendered.stderr);
        }
        files.push(file);
    }
    let summary = Summary::of(files.iter().map(TestFile::status));
    assert!(
        summary.failed == 0,
        "{report}\n{summary}\n\nrun `cargo run -p lacuna -- test fixtures/` to see the same report"
    );
    // The norm fixtures and the worked proposals are all rule tests; a walk
    // that finds none of them has gone wrong.
    for dir in ["fixtures/norms/", "fixtures/proposals/"] {
        assert!(
            files.iter().any(|f| f.name.starts_with(dir)),
            "no rule test found under `{dir}`"
        );
    }
}
