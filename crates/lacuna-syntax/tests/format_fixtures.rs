//! The formatter on real files: snapshots of `fixtures/format/*.norm` (messy
//! input, canonical output), the standard rules, and comments inserted at
//! every place a comment can go.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fs;
use std::path::{Path, PathBuf};

use lacuna_syntax::{format, parse};

/// Formats `source` and checks what must hold of any formatted file: it
/// parses without errors to the same tree with the same comments, and
/// formatting it again changes nothing.
fn format_checked(source: &str, name: &str) -> String {
    let (ast, errors) = parse(source);
    assert!(errors.is_empty(), "{name} does not parse: {errors:?}");
    let out = format(&ast, source);
    let (again, errors) = parse(&out);
    assert!(
        errors.is_empty(),
        "{name}: the formatted text does not parse: {errors:?}\n{out}"
    );
    assert_eq!(
        again.comments.len(),
        ast.comments.len(),
        "{name}: comments were lost or added\n{out}"
    );
    assert_eq!(
        again.without_spans(),
        ast.without_spans(),
        "{name}: the formatted text means something else\n{out}"
    );
    let twice = format(&again, &out);
    assert_eq!(twice, out, "{name}: formatting is not idempotent");
    out
}

fn norm_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "norm"))
        .collect();
    files.sort();
    files
}

fn repo_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(name)
}

#[test]
fn fixtures_format_to_their_snapshots() {
    insta::glob!("../../../fixtures/format", "*.norm", |path| {
        let source = fs::read_to_string(path).unwrap();
        let out = format_checked(&source, &path.display().to_string());
        insta::assert_snapshot!(out);
    });
}

#[test]
fn standard_rules_format_idempotently() {
    let files = norm_files(&repo_dir("rules"));
    assert!(!files.is_empty());
    for path in files {
        let source = fs::read_to_string(&path).unwrap();
        format_checked(&source, &path.display().to_string());
    }
}

/// Inserts a block comment and a line comment next to each space and line
/// break of `path` (at most `max_positions` of them, evenly spread); wherever
/// the result still parses, the formatter must keep the comment and stay
/// idempotent. Returns how many insertions yielded a comment.
fn insert_comments(path: &Path, max_positions: usize) -> usize {
    let source = fs::read_to_string(path).unwrap();
    let positions: Vec<usize> = source
        .char_indices()
        .filter(|(_, c)| c.is_whitespace())
        .map(|(i, _)| i)
        .collect();
    let step = positions.len().div_ceil(max_positions).max(1);
    let mut checked = 0;
    for &at in positions.iter().step_by(step) {
        for comment in [" /* c */ ", " // c\n"] {
            let text = format!("{}{comment}{}", &source[..at], &source[at..]);
            let (ast, errors) = parse(&text);
            if !errors.is_empty() {
                continue;
            }
            let name = format!("{} with `{}` at {at}", path.display(), comment.trim());
            format_checked(&text, &name);
            checked += usize::from(!ast.comments.is_empty());
        }
    }
    checked
}

#[test]
fn comments_survive_wherever_they_stand() {
    let checked: usize = norm_files(&repo_dir("fixtures/format"))
        .iter()
        .map(|path| insert_comments(path, usize::MAX))
        .sum();
    assert!(checked > 1000, "only {checked} insertions were checked");
}

/// The same on the standard rules, sampled: they are long, and written in
/// the canonical style already.
#[test]
fn comments_survive_in_the_standard_rules() {
    let checked: usize = norm_files(&repo_dir("rules"))
        .iter()
        .map(|path| insert_comments(path, 30))
        .sum();
    assert!(checked > 100, "only {checked} insertions were checked");
}
