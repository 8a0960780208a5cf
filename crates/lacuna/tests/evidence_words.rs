//! Evidence speaks the proposal's language: for every fixture proposal under
//! `fixtures/proposals` and `fixtures/norms`, checked with the standard
//! rules, no evidence message names a variable its norm binds. The names
//! are read from each norm's checked program, so a new norm or a renamed
//! variable is covered without touching this test.
//!
//! The rule author's text of the same evidence does name them, and the test
//! requires that too: it shows that the check below recognises a variable
//! when one is there.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fs;
use std::path::{Path, PathBuf};

use lacuna::{Engine, Format};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, out);
        } else if Format::from_path(&path).is_some() {
            out.push(path);
        }
    }
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The variables of `vars` that `message` names: as a whole word inside
/// backticks (`` `m` ``, `` `m.actor` ``), or anywhere as the start of a
/// path (`m.actor`).
fn leaks<'a>(message: &str, vars: &[&'a str]) -> Vec<&'a str> {
    let mut found = Vec::new();
    for (i, part) in message.split('`').enumerate() {
        let code = i % 2 == 1;
        let chars: Vec<char> = part.chars().collect();
        let mut at = 0;
        while at < chars.len() {
            if !is_ident(chars[at]) {
                at += 1;
                continue;
            }
            let start = at;
            while at < chars.len() && is_ident(chars[at]) {
                at += 1;
            }
            let word: String = chars[start..at].iter().collect();
            let Some(&var) = vars.iter().find(|v| **v == word) else {
                continue;
            };
            // A field name after a dot is not a variable: `c.members`.
            let is_field = start > 0 && chars[start - 1] == '.';
            let starts_path =
                chars.get(at) == Some(&'.') && chars.get(at + 1).is_some_and(|c| is_ident(*c));
            if !is_field && (code || starts_path) && !found.contains(&var) {
                found.push(var);
            }
        }
    }
    found
}

#[test]
fn the_check_recognises_variables() {
    let vars = ["m", "g", "processes"];
    assert_eq!(leaks("`m.actor.field_presence` is `false`", &vars), ["m"]);
    assert_eq!(leaks("no `g` in `q.groups` satisfies", &vars), ["g"]);
    assert_eq!(leaks("`processes` is `5`", &vars), ["processes"]);
    assert_eq!(leaks("see m.actor here", &vars), ["m"]);
    assert!(
        leaks(
            "`OHCHR` (the `actor` of `mandate[3]`) has `field_presence = false`",
            &vars
        )
        .is_empty()
    );
    assert!(leaks("a group of migrants", &vars).is_empty());
    assert!(leaks("`c.m` is a field", &vars).is_empty());
}

#[test]
fn no_evidence_names_a_variable_of_its_norm() {
    let (engine, problems) = Engine::build(lacuna::standard_rules());
    assert!(problems.is_empty(), "{problems:?}");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut paths = Vec::new();
    collect(&root.join("fixtures/proposals"), &mut paths);
    collect(&root.join("fixtures/norms"), &mut paths);
    assert!(paths.len() > 50, "only {} fixtures found", paths.len());

    let mut sources = engine.sources().clone();
    let mut checked = 0;
    let mut author_leaks = 0;
    let mut failures = Vec::new();
    for path in &paths {
        let bytes = fs::read(path).unwrap();
        let format = Format::from_path(path).unwrap();
        let name = path.strip_prefix(&root).unwrap().display().to_string();
        let id = sources.add(name.clone(), String::from_utf8_lossy(&bytes).into_owned());
        let result = engine.check(id, &bytes, format);
        for finding in &result.findings {
            let vars = engine
                .program()
                .norm(finding.code.as_str())
                .map(|n| n.variables())
                .unwrap_or_default();
            for evidence in &finding.evidence {
                checked += 1;
                let leaked = leaks(&evidence.message, &vars);
                if !leaked.is_empty() {
                    failures.push(format!(
                        "{name}: {}: {:?} names {leaked:?}",
                        finding.code, evidence.message
                    ));
                }
                if let Some(expr) = &evidence.expr_message
                    && !leaks(expr, &vars).is_empty()
                {
                    author_leaks += 1;
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 100, "only {checked} pieces of evidence checked");
    // The author's text names variables; were the check blind, it would not
    // find them there either.
    assert!(
        author_leaks > checked / 2,
        "{author_leaks} of {checked} rule-author messages name a variable"
    );
}
