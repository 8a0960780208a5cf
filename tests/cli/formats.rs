//! Every output format over real proposals, as snapshots, and the SARIF log
//! against the official schema.

use crate::{CLEAN, CRLF_UNICODE, STATUS_QUO, check, root};

pub(crate) const FORMATS: [&str; 8] = [
    "human",
    "plain",
    "concise",
    "json",
    "json-lines",
    "sarif",
    "github",
    "lsp",
];

/// Snapshots `lacuna check FILE --format F` for every format, under
/// `NAME.F`. Findings go to standard output and nothing to standard error;
/// the exit status is the same in every format.
fn snapshot_every_format(name: &str, file: &str, code: i32) {
    for format in FORMATS {
        let run = check(&[file, "--format", format]);
        assert_eq!(run.code, Some(code), "{format}: {run:?}");
        assert_eq!(run.stderr, "", "{format}");
        // CRLF line endings of the proposal never reach the output.
        assert!(!run.stdout.contains('\r'), "{format}: {run:?}");
        insta::assert_snapshot!(format!("{name}.{format}"), run.stdout);
    }
}

#[test]
fn status_quo_in_every_format() {
    snapshot_every_format("status_quo", STATUS_QUO, 1);
}

#[test]
fn crlf_and_non_ascii_in_every_format() {
    snapshot_every_format("crlf_unicode", CRLF_UNICODE, 1);
}

#[test]
fn a_clean_proposal_in_every_format() {
    for format in FORMATS {
        let run = check(&[CLEAN, "--format", format]);
        assert_eq!(run.code, Some(0), "{format}: {run:?}");
        assert_eq!(run.stderr, "", "{format}");
        let expected = match format {
            "human" | "plain" | "concise" => {
                Some("no findings (1 file checked against 33 norms)\n")
            }
            "json-lines" | "github" => Some(""),
            "lsp" => Some("{}\n"),
            _ => None,
        };
        if let Some(expected) = expected {
            assert_eq!(run.stdout, expected, "{format}");
        }
    }
    let (_, json) = crate::check_json(&[CLEAN]);
    assert_eq!(json["findings"], serde_json::json!([]));
    assert_eq!(json["summary"]["total"], 0);
    assert_eq!(json["summary"]["files_checked"], 1);
}

#[test]
fn several_files_are_reported_in_file_order() {
    // Given in the reverse order, reported in file-name order.
    let run = check(&[STATUS_QUO, CRLF_UNICODE, "--format", "concise"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    let files: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|line| line.split(':').next())
        .filter(|file| file.ends_with(".toml"))
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
    assert!(files.contains(&CRLF_UNICODE) && files.contains(&STATUS_QUO));
    assert!(
        run.stdout
            .ends_with("in 2 files (2 files checked against 33 norms)\n"),
        "{run:?}"
    );
}

pub(crate) fn sarif_validator() -> jsonschema::Validator {
    let schema_path = root().join("tests/sarif/sarif-schema-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

#[test]
fn sarif_of_real_checks_validates_against_the_schema() {
    let validator = sarif_validator();
    let runs: [&[&str]; 6] = [
        &[STATUS_QUO],
        // Fixes of problems, of findings (repairs and suppressions) and of
        // suppressions themselves.
        &["fixtures/fix/typos.toml", "--show-fixes", "--unsafe-fixes"],
        &[
            STATUS_QUO,
            "fixtures/check/allow/unused.toml",
            "fixtures/check/allow/unknown-norm.toml",
            "--show-fixes",
            "--unsafe-fixes",
        ],
        &[CRLF_UNICODE, STATUS_QUO],
        &[CLEAN],
        // Findings about suppressions name norms that no rule file declares.
        &[
            "fixtures/check/allow/unused.toml",
            "fixtures/check/allow/expired.toml",
            "fixtures/check/allow/unknown-norm.toml",
        ],
    ];
    for args in runs {
        let mut all = args.to_vec();
        all.extend(["--format", "sarif"]);
        let run = check(&all);
        let log: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{args:?}: {errors:#?}");
        if args.contains(&"--unsafe-fixes") {
            let results = log["runs"][0]["results"].as_array().unwrap();
            assert!(
                results
                    .iter()
                    .any(|r| r["fixes"][0]["artifactChanges"][0]["replacements"]
                        .as_array()
                        .is_some_and(|r| !r.is_empty())),
                "{args:?}: no fix in the log"
            );
        }

        // Every result names a rule the log describes, at its index.
        let sarif_run = &log["runs"][0];
        let rules = sarif_run["tool"]["driver"]["rules"].as_array().unwrap();
        for result in sarif_run["results"].as_array().unwrap() {
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"], "{args:?}");
        }
    }
    // The validator does reject a log that breaks the schema.
    let broken = serde_json::json!({"version": "2.1.0", "runs": [{"results": []}]});
    assert!(!validator.is_valid(&broken));
}

#[test]
fn sarif_uris_are_relative_to_the_source_root() {
    let run = check(&[CRLF_UNICODE, "--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let location = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"],
        serde_json::json!({"uri": CRLF_UNICODE, "uriBaseId": "%SRCROOT%"})
    );
}

/// Evidence speaks of the proposal's entities; `--explain-expr` turns it
/// into the rule author's expressions in the text formats, while `json`
/// carries both whatever the flag says.
#[test]
fn explain_expr_shows_the_rule_authors_text() {
    const READER: &str = "`OHCHR` (the `actor` of `mandate[3]`) has `field_presence = false`";
    const AUTHOR: &str = "`m.actor.field_presence` is `false`";
    for format in ["human", "plain", "lsp", "sarif"] {
        let run = check(&[STATUS_QUO, "--format", format]);
        assert!(run.stdout.contains(READER), "{format}: {}", run.stdout);
        assert!(!run.stdout.contains(AUTHOR), "{format}");
        let run = check(&[STATUS_QUO, "--format", format, "--explain-expr"]);
        assert_eq!(run.code, Some(1), "{format}: {run:?}");
        assert!(run.stdout.contains(AUTHOR), "{format}: {}", run.stdout);
        assert!(!run.stdout.contains(READER), "{format}");
    }
    for flags in [&[][..], &["--explain-expr"][..]] {
        let mut args = vec![STATUS_QUO];
        args.extend_from_slice(flags);
        let (_, json) = crate::check_json(&args);
        let evidence =
            crate::finding(&json, "protection.field-presence", Some("mandate[3]"))["evidence"][0]
                .clone();
        assert_eq!(evidence["message"], READER, "{flags:?}");
        assert_eq!(evidence["expr_message"], AUTHOR, "{flags:?}");
    }
}
