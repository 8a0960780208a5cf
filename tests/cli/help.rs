//! `lacuna check --help` and `docs/output.md` describe the same formats and
//! the same exit codes.

use crate::{command, root, run};

fn help() -> String {
    let help = run(&mut command(&["check", "--help"]));
    assert_eq!(help.code, Some(0), "{help:?}");
    help.stdout
}

fn output_doc() -> String {
    std::fs::read_to_string(root().join("docs/output.md")).unwrap()
}

/// The text of `doc` from the line `start` up to the next `## ` heading.
fn section<'a>(doc: &'a str, start: &str) -> &'a str {
    let from = doc.find(start).unwrap_or_else(|| panic!("no `{start}`"));
    let rest = &doc[from + start.len()..];
    rest.find("\n## ").map_or(rest, |end| &rest[..end])
}

#[test]
fn the_help_lists_every_flag_and_the_exit_status() {
    insta::assert_snapshot!("check_help", help());
}

#[test]
fn the_help_and_the_docs_list_the_same_formats() {
    let help = help();
    // "Output format: human, plain, ... or lsp."
    let sentence = help
        .split("Output format: ")
        .nth(1)
        .and_then(|rest| rest.split('.').next())
        .unwrap();
    let in_help: Vec<&str> = sentence
        .split(", ")
        .flat_map(|part| part.split(" or "))
        .collect();

    // The table at the top of the document: "| `human` (default ...) | ...".
    let doc = output_doc();
    let intro = section(&doc, "# Output formats");
    let in_doc: Vec<&str> = intro
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|line| line.split('`').next())
        .filter(|name| *name != "--format")
        .collect();
    assert_eq!(in_help, in_doc);
    assert_eq!(in_doc.len(), 8);

    // Each format has a section of its own.
    for format in &in_doc {
        assert!(
            doc.contains(&format!("\n## `{format}`\n")),
            "no section for `{format}`"
        );
    }
    // Both give the same defaults.
    assert!(help.contains("Default: human on a terminal, plain otherwise"));
    assert!(intro.contains("| `human` (default on a terminal) |"));
    assert!(intro.contains("| `plain` (default otherwise) |"));
}

#[test]
fn the_help_and_the_docs_give_the_same_exit_codes() {
    let help = help();
    let in_help: Vec<&str> = section(&help, "Exit status:\n")
        .lines()
        .filter_map(|line| line.trim_start().split_once("  "))
        .map(|(code, _)| code)
        .filter(|code| code.parse::<u8>().is_ok())
        .collect();
    let doc = output_doc();
    let in_doc: Vec<&str> = section(&doc, "## Exit codes")
        .lines()
        .filter_map(|line| line.strip_prefix("| "))
        .filter_map(|line| line.split(" |").next())
        .filter(|code| code.parse::<u8>().is_ok())
        .collect();
    assert_eq!(in_help, ["0", "1", "2"]);
    assert_eq!(in_doc, in_help);
    // The same causes are named in both.
    for words in ["--deny", "fail-on", "configuration file", "rule file"] {
        assert!(help.contains(words), "`{words}` is not in the help");
        assert!(
            section(&doc, "## Exit codes").contains(words),
            "`{words}` is not in docs/output.md"
        );
    }
}
