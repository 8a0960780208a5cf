//! Problems with a proposal (it does not parse, names an unknown field,
//! refers to nothing) in every format: diagnostics of the output in the
//! formats for programs, reports on standard error in `human` and `plain`,
//! and exit status 2 either way.

use crate::formats::sarif_validator;
use crate::{CLEAN, check, check_json, check_stdin};

const UNKNOWN_FIELD: &str = "fixtures/check/broken/unknown-field.toml";
const SYNTAX_ERROR: &str = "fixtures/check/broken/syntax-error.toml";
const NOT_UTF8: &str = "fixtures/check/broken/not-utf8.toml";

/// A proposal with two reference errors: `UNHCR` is declared nowhere, and
/// `refugees` is a group where an actor is expected.
const DANGLING: &str = "\
[proposal]
title = \"Dangling\"

[group.refugees]
area = \"refugees\"
vulnerable = true

[[mandate]]
actor = \"UNHCR\"
function = \"protection\"
group = \"refugees\"

[[mandate]]
actor = \"refugees\"
function = \"protection\"
group = \"refugees\"
";

fn lines_with<'a>(text: &'a str, needle: &str) -> Vec<&'a str> {
    text.lines().filter(|line| line.contains(needle)).collect()
}

#[test]
fn concise_lists_problems_among_the_findings() {
    let after_findings = "and 1 input problem (1 file checked against 33 norms)\n";
    for (file, expected, summary) in [
        (
            UNKNOWN_FIELD,
            "fixtures/check/broken/unknown-field.toml:7:1: error[proposal::unknown_field] \
             unknown field `vulnerabel` in group `survival_migrants`",
            after_findings,
        ),
        (
            SYNTAX_ERROR,
            "fixtures/check/broken/syntax-error.toml:3:9: error[proposal::syntax] \
             invalid TOML: string values must be quoted",
            after_findings,
        ),
        (
            NOT_UTF8,
            "fixtures/check/broken/not-utf8.toml:3:22: error[lacuna::invalid_utf8] \
             the proposal is not valid UTF-8",
            // Nothing could be read, so nothing was found.
            "\nfound 1 input problem (1 file checked against 33 norms)\n",
        ),
    ] {
        let run = check(&[file, "--format", "concise"]);
        assert_eq!(run.code, Some(2), "{run:?}");
        assert_eq!(run.stderr, "", "the problem is in the output only");
        assert_eq!(lines_with(&run.stdout, "::"), [expected], "{run:?}");
        assert!(run.stdout.ends_with(summary), "{run:?}");
    }
    // Sorted by position among the findings of the file.
    let run = check(&[SYNTAX_ERROR, "--format", "concise"]);
    insta::assert_snapshot!("syntax_error.concise", run.stdout);
}

#[test]
fn json_has_a_problems_list() {
    let (run, json) = check_json(&[UNKNOWN_FIELD]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert_eq!(run.stderr, "");
    assert_eq!(json["version"], 1);
    assert_eq!(
        json["problems"],
        serde_json::json!([{
            "kind": "problem",
            "code": "proposal::unknown_field",
            "severity": "error",
            "message": "unknown field `vulnerabel` in group `survival_migrants`",
            "help": "did you mean `vulnerable`?",
            "location": {
                "file": UNKNOWN_FIELD,
                "span": {"start": 146, "end": 156},
                "start": {"line": 7, "column": 1},
                "end": {"line": 7, "column": 11},
            },
            "label": "`group` has no such field",
            "related": [],
            "fixes": [{
                "title": "replace `vulnerabel` with `vulnerable`",
                "applicability": "safe",
                "edits": [{
                    "content": "vulnerable",
                    "location": {
                        "file": UNKNOWN_FIELD,
                        "span": {"start": 146, "end": 156},
                        "start": {"line": 7, "column": 1},
                        "end": {"line": 7, "column": 11},
                    },
                }],
            }],
        }])
    );
    assert_eq!(json["summary"]["problems"], 1);
    // The findings of what could be read are still there.
    assert!(!json["findings"].as_array().unwrap().is_empty());
    for finding in json["findings"].as_array().unwrap() {
        assert_eq!(finding["kind"], "finding");
    }

    // A clean file has an empty list.
    let (_, json) = check_json(&[CLEAN]);
    assert_eq!(json["problems"], serde_json::json!([]));
    assert_eq!(json["summary"]["problems"], 0);
}

#[test]
fn related_labels_become_related_locations() {
    let run = check_stdin(
        "proposals/draft.toml",
        DANGLING.as_bytes(),
        &["--format", "json"],
    );
    assert_eq!(run.code, Some(2), "{run:?}");
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let problems = json["problems"].as_array().unwrap();
    let codes: Vec<&str> = problems
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["proposal::dangling_reference", "proposal::wrong_kind"]
    );
    let dangling = &problems[0];
    assert_eq!(dangling["message"], "no actor named `UNHCR`");
    assert_eq!(
        dangling["location"]["start"],
        serde_json::json!({"line": 9, "column": 9})
    );
    assert_eq!(dangling["label"], "not the id of any `actor`");
    // The location of a wrong kind is the reference, its primary label,
    // and the declaration it names is a related location.
    let wrong_kind = &problems[1];
    assert_eq!(
        wrong_kind["location"]["start"],
        serde_json::json!({"line": 14, "column": 9})
    );
    assert_eq!(wrong_kind["label"], "expected the id of an `actor`");
    assert_eq!(
        wrong_kind["related"][0]["message"],
        "`refugees` is declared here as a `group`"
    );
    assert_eq!(
        wrong_kind["related"][0]["location"]["start"],
        serde_json::json!({"line": 4, "column": 1})
    );

    // `json-lines` gives the same objects, told apart from findings by `kind`.
    let lines = check_stdin(
        "proposals/draft.toml",
        DANGLING.as_bytes(),
        &["--format", "json-lines"],
    );
    let objects: Vec<serde_json::Value> = lines
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let in_lines: Vec<&serde_json::Value> =
        objects.iter().filter(|o| o["kind"] == "problem").collect();
    assert_eq!(in_lines, problems.iter().collect::<Vec<_>>());
    assert!(
        objects
            .iter()
            .all(|o| o["kind"] == "problem" || o["kind"] == "finding")
    );
}

#[test]
fn github_annotates_the_problem() {
    let run = check(&[UNKNOWN_FIELD, "--format", "github"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert_eq!(run.stderr, "");
    assert_eq!(
        lines_with(&run.stdout, "title=proposal%3A%3A"),
        [
            "::error file=fixtures/check/broken/unknown-field.toml,line=7,col=1,endLine=7,\
             endColumn=11,title=proposal%3A%3Aunknown_field::unknown field `vulnerabel` in \
             group `survival_migrants`%0Ahelp: did you mean `vulnerable`?"
        ]
    );
}

#[test]
fn sarif_reports_problems_under_rules_of_their_own() {
    let validator = sarif_validator();
    for args in [
        &[UNKNOWN_FIELD][..],
        &[SYNTAX_ERROR, NOT_UTF8, CLEAN],
        &["fixtures/check/allow/bad-date.toml"],
    ] {
        let mut all = args.to_vec();
        all.extend(["--format", "sarif"]);
        let run = check(&all);
        assert_eq!(run.code, Some(2), "{run:?}");
        assert_eq!(run.stderr, "");
        let log: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{args:?}: {errors:#?}");
        let sarif_run = &log["runs"][0];
        let rules = sarif_run["tool"]["driver"]["rules"].as_array().unwrap();
        for result in sarif_run["results"].as_array().unwrap() {
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"], "{args:?}");
        }
    }

    let run = check(&[UNKNOWN_FIELD, "--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let sarif_run = &log["runs"][0];
    let result = sarif_run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "proposal::unknown_field")
        .unwrap();
    assert_eq!(result["level"], "error");
    assert_eq!(
        result["message"]["text"],
        "unknown field `vulnerabel` in group `survival_migrants`"
    );
    let location = &result["locations"][0];
    assert_eq!(
        location["physicalLocation"]["region"],
        serde_json::json!({"startLine": 7, "startColumn": 1, "endLine": 7, "endColumn": 11})
    );
    assert_eq!(location["message"]["text"], "`group` has no such field");
    assert_eq!(result["properties"]["help"], "did you mean `vulnerable`?");
    // No fingerprint: a problem has no identity that survives edits.
    assert!(result.get("partialFingerprints").is_none());
    let rule =
        &sarif_run["tool"]["driver"]["rules"][result["ruleIndex"].as_u64().unwrap() as usize];
    assert_eq!(
        rule["properties"]["tags"],
        serde_json::json!(["invalid-input"])
    );
    assert_eq!(rule["defaultConfiguration"]["level"], "error");
}

#[test]
fn lsp_gives_the_problem_at_its_range() {
    let run = check(&[SYNTAX_ERROR, "--format", "lsp"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert_eq!(run.stderr, "");
    let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let diagnostics = document[SYNTAX_ERROR].as_array().unwrap();
    let syntax: Vec<&serde_json::Value> = diagnostics
        .iter()
        .filter(|d| d["code"] == "proposal::syntax")
        .collect();
    // `title = Survival migration`: the value, line 2 (0-based), from
    // character 8 to 26.
    assert_eq!(
        syntax,
        [&serde_json::json!({
            "range": {
                "start": {"line": 2, "character": 8},
                "end": {"line": 2, "character": 26},
            },
            "severity": 1,
            "code": "proposal::syntax",
            "source": "lacuna",
            "message": "invalid TOML: string values must be quoted",
            "data": {
                "help": "write it in quotes: `\"Survival migration\"`",
                "subject": null,
                "label": "not quoted",
                "fixes": [{
                    "title": "add the quotes",
                    "applicability": "safe",
                    "edits": [{
                        "range": {
                            "start": {"line": 2, "character": 8},
                            "end": {"line": 2, "character": 26},
                        },
                        "newText": "\"Survival migration\"",
                    }],
                }],
            },
        })]
    );
}

/// An editor plugin runs `lacuna check --format lsp --stdin-filename F` on
/// every keystroke: a typo in the unsaved text shows as a diagnostic of F,
/// and goes away once fixed.
#[test]
fn an_editor_sees_the_problems_of_unsaved_text() {
    let name = "proposals/draft.toml";
    let typo = DANGLING.replace("vulnerable = true", "vulnerable = ture");
    let run = check_stdin(name, typo.as_bytes(), &["--format", "lsp"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert_eq!(run.stderr, "");
    let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let object = document.as_object().unwrap();
    assert_eq!(object.keys().collect::<Vec<_>>(), [name]);
    let problems: Vec<(String, serde_json::Value)> = document[name]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"].as_str().unwrap().contains("::"))
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["range"]["start"].clone(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        [
            (
                "proposal::syntax".to_owned(),
                serde_json::json!({"line": 5, "character": 13})
            ),
            (
                "proposal::dangling_reference".to_owned(),
                serde_json::json!({"line": 8, "character": 8})
            ),
            (
                "proposal::wrong_kind".to_owned(),
                serde_json::json!({"line": 13, "character": 8})
            ),
        ],
        "{run:?}"
    );

    // Fixed, the text has findings only, and no problem.
    let fixed = DANGLING
        .replace("actor = \"UNHCR\"", "actor = \"IOM\"")
        .replace("actor = \"refugees\"", "actor = \"IOM\"")
        + "\n[actor.IOM]\nkind = \"agency\"\n";
    let run = check_stdin(name, fixed.as_bytes(), &["--format", "lsp"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert_eq!(run.stderr, "");
    let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    for diagnostic in document[name].as_array().unwrap() {
        assert!(
            !diagnostic["code"].as_str().unwrap().contains("::"),
            "{diagnostic:#}"
        );
    }
}

#[test]
fn every_format_exits_2_on_a_broken_proposal() {
    for format in crate::formats::FORMATS {
        let run = check(&[UNKNOWN_FIELD, "--format", format]);
        assert_eq!(run.code, Some(2), "{format}: {run:?}");
        let on_stderr = run.stderr.contains("unknown field `vulnerabel`");
        let in_output = run.stdout.contains("unknown field `vulnerabel`");
        // Reported once: on standard error for people, in the output for
        // programs.
        match format {
            "human" | "plain" => assert!(on_stderr && !in_output, "{format}: {run:?}"),
            _ => assert!(in_output && !on_stderr, "{format}: {run:?}"),
        }
    }
}

#[test]
fn people_get_problems_on_standard_error() {
    let run = check_stdin(
        "proposals/draft.toml",
        DANGLING.as_bytes(),
        &["--format", "plain"],
    );
    assert_eq!(run.code, Some(2), "{run:?}");
    // The summary line counts them.
    assert!(
        run.stdout.ends_with(
            "found 1 error, 10 warnings and 1 info in 1 file and 2 input problems \
             (1 file checked against 33 norms)\n"
        ),
        "{run:?}"
    );
    // One blank line between two reports.
    insta::assert_snapshot!("dangling.stderr", run.stderr);
}

#[test]
fn statistics_leave_problems_on_standard_error() {
    let run = check(&[UNKNOWN_FIELD, "--statistics", "--format", "json"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("unknown field `vulnerabel`"), "{run:?}");
    let stats: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(stats.is_array(), "{stats:#}");
}

/// A broken rule file is not about the checked proposal: it stays on
/// standard error whatever the format, and the output has no problem.
#[test]
fn problems_of_rule_files_stay_on_standard_error() {
    let (run, json) = check_json(&[CLEAN, "--rules", "fixtures/check/broken-rules"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains("expected a condition after `require`"),
        "{run:?}"
    );
    assert_eq!(json["problems"], serde_json::json!([]));
}

#[test]
fn suppressed_findings_are_counted() {
    const SUPPRESSED: &str = "fixtures/check/allow/suppressed.toml";
    for format in ["human", "plain", "concise"] {
        let run = check(&[SUPPRESSED, "--format", format]);
        assert_eq!(run.code, Some(0), "{format}: {run:?}");
        assert!(
            run.stdout.ends_with(
                "found 1 warning in 1 file (1 file checked against 33 norms, \
                 3 findings suppressed)\n"
            ),
            "{format}: {run:?}"
        );
    }
    // Summed over the files of a run.
    let run = check(&[
        SUPPRESSED,
        "fixtures/check/allow/unused.toml",
        CLEAN,
        "--format",
        "concise",
    ]);
    assert!(
        run.stdout
            .ends_with("(3 files checked against 33 norms, 4 findings suppressed)\n"),
        "{run:?}"
    );
    let (_, json) = check_json(&[SUPPRESSED]);
    assert_eq!(json["summary"]["suppressed"], 3);
    let (_, json) = check_json(&[CLEAN]);
    assert_eq!(json["summary"]["suppressed"], 0);
    // None suppressed: the summary says nothing of suppressions.
    let run = check(&[CLEAN, "--format", "concise"]);
    assert_eq!(
        run.stdout,
        "no findings (1 file checked against 33 norms)\n"
    );
}
