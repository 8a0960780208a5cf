//! `Engine::render` prints what `lacuna check` prints: the same proposals,
//! checked in-process and rendered by the facade, give the same bytes as
//! the binary in every format, findings, problems and summary included.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use lacuna::render::{OutputFormat, RenderOptions};
use lacuna::{Checked, Engine, Format};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `lacuna check FILES --format FORMAT` from the repository root, without
/// colour, at the width the library is given.
fn cli(files: &[&str], format: OutputFormat) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_lacuna"))
        .arg("check")
        .args(files)
        .args(["--format", format.as_str()])
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}

fn library(files: &[&str], format: OutputFormat) -> String {
    let (engine, problems) = Engine::build(lacuna::standard_rules());
    assert!(problems.is_empty(), "{problems:?}");
    let mut sources = engine.sources().clone();
    let checked: Vec<Checked> = files
        .iter()
        .map(|file| {
            let bytes = std::fs::read(root().join(file)).unwrap();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let id = sources.add(*file, text);
            let format = if file.ends_with(".json") {
                Format::Json
            } else {
                Format::Toml
            };
            engine.check(id, &bytes, format)
        })
        .collect();
    let options = RenderOptions {
        color: false,
        width: 100,
        summary: None,
    };
    engine.render(&sources, &checked, format, &options)
}

#[test]
fn the_library_renders_what_the_binary_prints() {
    let runs: [&[&str]; 4] = [
        &["fixtures/proposals/status-quo-2010.toml"],
        // Problems with fixes, findings, and a file that is not UTF-8.
        &[
            "fixtures/check/broken/not-utf8.toml",
            "fixtures/fix/typos.toml",
        ],
        &[
            "fixtures/check/crlf-unicode.toml",
            "fixtures/hostile/bidi.json",
        ],
        &["fixtures/check/clean.toml"],
    ];
    for files in runs {
        for format in OutputFormat::ALL {
            let expected = cli(files, format);
            let actual = library(files, format);
            assert!(
                actual == expected,
                "{files:?} {format}\n--- lacuna check\n{expected}\n--- Engine::render\n{actual}"
            );
        }
    }
}
