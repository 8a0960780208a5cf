//! End-to-end tests of `lacuna fmt`, running the built binary on temporary
//! directories.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const MESSY: &str = "enum   value{security,economy,\nrights}\nentity group{area:area\nvulnerable : bool=false // why\n}\n";

const CANONICAL: &str = "enum value { security, economy, rights }\n\nentity group {\n  area: area\n  vulnerable: bool = false // why\n}\n";

const BROKEN: &str = "enum value { security,\nentity group { area: }\n";

fn lacuna(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lacuna"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// The identity of a file: a file replaced by a rename gets a new one.
fn inode(path: &Path) -> u64 {
    std::os::unix::fs::MetadataExt::ino(&fs::metadata(path).unwrap())
}

fn mode(path: &Path) -> u32 {
    std::os::unix::fs::PermissionsExt::mode(&fs::metadata(path).unwrap().permissions()) & 0o777
}

#[test]
fn formats_files_in_place_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("rules")).unwrap();
    fs::write(dir.path().join("rules/a.norm"), MESSY).unwrap();
    fs::write(dir.path().join("rules/b.norm"), CANONICAL).unwrap();
    fs::write(dir.path().join("rules/notes.txt"), MESSY).unwrap();
    let untouched = inode(&dir.path().join("rules/b.norm"));
    let a = dir.path().join("rules/a.norm");
    fs::set_permissions(&a, std::os::unix::fs::PermissionsExt::from_mode(0o640)).unwrap();
    let replaced = inode(&a);

    let output = lacuna(dir.path(), &["fmt"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        fs::read_to_string(dir.path().join("rules/a.norm")).unwrap(),
        CANONICAL
    );
    assert_eq!(
        stderr(&output),
        "1 file reformatted, 1 file already formatted\n"
    );
    // The file was replaced and kept its permissions; formatted files are
    // not rewritten, other files are not read.
    assert_ne!(inode(&a), replaced);
    assert_eq!(mode(&a), 0o640);
    assert_eq!(inode(&dir.path().join("rules/b.norm")), untouched);
    assert_eq!(
        fs::read_to_string(dir.path().join("rules/notes.txt")).unwrap(),
        MESSY
    );

    let again = lacuna(dir.path(), &["fmt", "rules"]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(stderr(&again), "");
    assert_eq!(
        fs::read_to_string(dir.path().join("rules/a.norm")).unwrap(),
        CANONICAL
    );
}

#[test]
fn check_prints_a_diff_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.norm"), MESSY).unwrap();
    fs::write(dir.path().join("b.norm"), CANONICAL).unwrap();

    let output = lacuna(dir.path(), &["fmt", "--check"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        fs::read_to_string(dir.path().join("a.norm")).unwrap(),
        MESSY
    );
    insta::assert_snapshot!(stdout(&output), @r"
    --- a.norm
    +++ a.norm (formatted)
    @@ -1,5 +1,6 @@
    -enum   value{security,economy,
    -rights}
    -entity group{area:area
    -vulnerable : bool=false // why
    +enum value { security, economy, rights }
    +
    +entity group {
    +  area: area
    +  vulnerable: bool = false // why
     }
    ");
    assert_eq!(
        stderr(&output),
        "1 file would be reformatted, 1 file already formatted\n"
    );

    let clean = lacuna(dir.path(), &["fmt", "--check", "b.norm"]);
    assert_eq!(clean.status.code(), Some(0));
    assert_eq!(stdout(&clean), "");
}

#[test]
fn a_syntax_error_touches_no_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.norm"), MESSY).unwrap();
    fs::write(dir.path().join("b.norm"), BROKEN).unwrap();

    let output = lacuna(dir.path(), &["fmt"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        fs::read_to_string(dir.path().join("a.norm")).unwrap(),
        MESSY
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("b.norm")).unwrap(),
        BROKEN
    );
    let errors = stderr(&output);
    assert!(errors.contains("b.norm"), "{errors}");
    assert!(errors.ends_with("no file was changed\n"), "{errors}");

    let check = lacuna(dir.path(), &["fmt", "--check"]);
    assert_eq!(check.status.code(), Some(2));
}

#[test]
fn syntax_errors_are_shown_in_the_source() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("broken.norm"),
        "entity group {\n  area:\n}\n",
    )
    .unwrap();
    let output = lacuna(dir.path(), &["fmt", "broken.norm"]);
    assert_eq!(output.status.code(), Some(2));
    insta::assert_snapshot!(stderr(&output));
}

#[test]
fn a_missing_path_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.norm"), MESSY).unwrap();
    let output = lacuna(dir.path(), &["fmt", "a.norm", "missing.norm"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        fs::read_to_string(dir.path().join("a.norm")).unwrap(),
        MESSY
    );
    let errors = stderr(&output);
    assert!(errors.contains("cannot read `missing.norm`"), "{errors}");
}

#[test]
fn crlf_files_come_out_with_lf() {
    let dir = tempfile::tempdir().unwrap();
    let canonical = format!("/* a block\n   comment */\n{CANONICAL}");
    fs::write(dir.path().join("a.norm"), canonical.replace('\n', "\r\n")).unwrap();
    let output = lacuna(dir.path(), &["fmt"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        fs::read_to_string(dir.path().join("a.norm")).unwrap(),
        canonical
    );
}

#[test]
fn a_file_that_is_not_utf8_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.norm"), b"enum a { x }\n// \xff\n").unwrap();
    let output = lacuna(dir.path(), &["fmt"]);
    assert_eq!(output.status.code(), Some(2));
    let errors = stderr(&output);
    assert!(errors.contains("not valid UTF-8"), "{errors}");
    assert_eq!(
        fs::read(dir.path().join("a.norm")).unwrap(),
        b"enum a { x }\n// \xff\n"
    );
}

#[test]
fn directories_are_searched_in_order_skipping_hidden_ones() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["b", "a/c", ".hidden"] {
        fs::create_dir_all(dir.path().join(name)).unwrap();
        fs::write(dir.path().join(name).join("x.norm"), MESSY).unwrap();
    }
    let output = lacuna(dir.path(), &["fmt", "--check", "."]);
    assert_eq!(output.status.code(), Some(1));
    let headers: Vec<String> = stdout(&output)
        .lines()
        .filter(|line| line.starts_with("--- "))
        .map(str::to_owned)
        .collect();
    assert_eq!(headers, ["--- a/c/x.norm", "--- b/x.norm"]);
}
