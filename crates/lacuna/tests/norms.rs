//! `lacuna norms` and `lacuna explain`: the library renderers over the
//! small rule set of `fixtures/ruletest/rules/`, and the binary end to end.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use lacuna::catalogue;
use lacuna::{Engine, RuleFile};
use lacuna_report::RenderOptions;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn demo_engine() -> Engine {
    let dir = root().join("fixtures/ruletest/rules");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".norm"))
        .collect();
    names.sort();
    let files = names
        .iter()
        .map(|n| RuleFile {
            name: format!("fixtures/ruletest/rules/{n}"),
            bytes: fs::read(dir.join(n)).unwrap(),
        })
        .collect();
    let (engine, problems) = Engine::build(files);
    assert!(problems.is_empty(), "{problems:?}");
    engine
}

fn plain() -> RenderOptions {
    RenderOptions {
        color: false,
        width: 100,
        summary: None,
    }
}

#[test]
fn list_human() {
    let engine = demo_engine();
    insta::assert_snapshot!(catalogue::render_list(
        &catalogue::entries(&engine),
        &plain()
    ));
}

#[test]
fn list_json() {
    let engine = demo_engine();
    let text = catalogue::render_list_json(&catalogue::entries(&engine));
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["version"], 1);
    insta::assert_snapshot!(text);
}

#[test]
fn explain_a_norm() {
    let engine = demo_engine();
    let entry = catalogue::find(&engine, "demo.protected").unwrap();
    insta::assert_snapshot!(catalogue::render_explain(
        &entry,
        engine.sources(),
        &plain()
    ));
}

#[test]
fn explain_a_norm_without_doc_sections_or_metadata() {
    let engine = demo_engine();
    let entry = catalogue::find(&engine, "demo.titled").unwrap();
    insta::assert_snapshot!(catalogue::render_explain(
        &entry,
        engine.sources(),
        &plain()
    ));
}

#[test]
fn definitions_are_the_norm_blocks() {
    let engine = demo_engine();
    for entry in catalogue::entries(&engine) {
        let definition = catalogue::definition(engine.sources(), entry.origin).unwrap();
        assert!(
            definition.starts_with(&format!("norm {} {{", entry.id)),
            "{definition}"
        );
        assert!(definition.ends_with('}'), "{definition}");
    }
}

#[test]
fn unknown_norms_get_a_suggestion() {
    let engine = demo_engine();
    let message = |id: &str| {
        let error = catalogue::find(&engine, id).unwrap_err();
        let help = miette::Diagnostic::help(&error).unwrap().to_string();
        format!("{error}: {help}")
    };
    assert_eq!(
        message("demo.protectd"),
        "unknown norm `demo.protectd`: did you mean `demo.protected`?"
    );
    assert_eq!(
        message("demo"),
        "unknown norm `demo`: `demo` is an area; its norms are `demo.forum-exists`, \
         `demo.mandate-in-field`, `demo.permanent-forum`, `demo.protected`, `demo.titled`"
    );
    assert_eq!(
        message("nothing.like.it"),
        "unknown norm `nothing.like.it`: `lacuna norms` lists the norms"
    );
}

fn lacuna(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lacuna"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .output()
        .unwrap()
}

const DEMO: [&str; 3] = ["--no-default-rules", "--rules", "fixtures/ruletest/rules"];

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn cli_norms_prints_the_list() {
    let mut args = vec!["norms"];
    args.extend(DEMO);
    let output = lacuna(&args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        catalogue::render_list(&catalogue::entries(&demo_engine()), &plain())
    );
    args.extend(["--format", "json"]);
    let output = lacuna(&args);
    assert_eq!(output.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(value["norms"][0]["id"], "demo.forum-exists");
}

#[test]
fn cli_explain_prints_the_norm() {
    let mut args = vec!["explain", "demo.protected"];
    args.extend(DEMO);
    let output = lacuna(&args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("demo.protected: A vulnerable group"));
}

#[test]
fn cli_explain_an_unknown_norm_exits_2() {
    let mut args = vec!["explain", "demo.protectd"];
    args.extend(DEMO);
    let output = lacuna(&args);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(&output), "");
    insta::assert_snapshot!(stderr(&output), @r"
    usage::unknown_norm

      × unknown norm `demo.protectd`
      help: did you mean `demo.protected`?
    ");
}

#[test]
fn cli_standard_norms_are_listed_and_explained() {
    let output = lacuna(&["norms"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let (engine, _) = Engine::build(lacuna::standard_rules());
    assert_eq!(
        stdout(&output),
        catalogue::render_list(&catalogue::entries(&engine), &plain())
    );
    for norm in &engine.program().norms {
        let output = lacuna(&["explain", &norm.id]);
        assert_eq!(output.status.code(), Some(0), "{}", norm.id);
        let text = stdout(&output);
        assert!(text.contains(&format!("norm {} {{", norm.id)), "{text}");
    }
}

#[test]
fn cli_broken_rules_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bad.norm"), "norm a.b {\n  require\n}\n").unwrap();
    let output = lacuna(&[
        "norms",
        "--no-default-rules",
        "--rules",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(&output), "");
    assert!(stderr(&output).contains("bad.norm"));
}
