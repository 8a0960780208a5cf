//! Positions on a proposal with CRLF line endings and non-ASCII text before
//! the flagged spans, in the unit of each format: UTF-16 code units for
//! `lsp` (0-based) and `sarif` (1-based), characters for `json`, `concise`
//! and `github` (1-based), bytes for the `json` span. The expected values are
//! counted by hand below, so a change in any unit shows.
//!
//! The two lines of `fixtures/check/crlf-unicode.toml` that findings point
//! at (lines 5 and 6, 0-based 4 and 5), each ending in `\r\n`:
//!
//! ```text
//! group = { "réfugiés" = { area = "refugees" }, "survivants_🌊" = { area = "survival", vulnerable = true } }
//! forum."Forum mondial — été 🌍" = { level = "multilateral", permanent = false, ... }
//! ```

use serde_json::{Value, json};

use crate::{CRLF_UNICODE, check, check_json, finding, root};

/// `"survivants_🌊"` on line 5. Before it: `group = { ` (10 characters),
/// `"réfugiés"` (10 characters, 12 bytes: `é` is 2 bytes but 1 UTF-16 unit)
/// and ` = { area = "refugees" }, ` (26): 46 characters and UTF-16 units, 48
/// bytes. The id itself is 14 characters (`🌊` is one character) and 15
/// UTF-16 units (`🌊` is outside the Basic Multilingual Plane: a surrogate
/// pair).
const GROUP_START_UTF16: u64 = 10 + 10 + 26;
const GROUP_END_UTF16: u64 = GROUP_START_UTF16 + 15;
const GROUP_START_CHARS: u64 = 10 + 10 + 26;
const GROUP_END_CHARS: u64 = GROUP_START_CHARS + 14;

/// `"Forum mondial — été 🌍"` on line 6, after `forum.` (6): the quotes,
/// `Forum mondial — été ` (20 characters; `—` and `é` are 1 UTF-16 unit
/// each) and `🌍` (2 units): 23 characters, 24 UTF-16 units.
const FORUM_START: u64 = 6;
const FORUM_END_UTF16: u64 = FORUM_START + 24;
const FORUM_END_CHARS: u64 = FORUM_START + 23;

/// `false` of `permanent = false` on line 6. Before it: `forum.` (6), the id
/// (24 units, 23 characters), ` = { ` (5), `level = "multilateral", ` (24)
/// and `permanent = ` (12).
const FALSE_START_UTF16: u64 = 6 + 24 + 5 + 24 + 12;
const FALSE_START_CHARS: u64 = 6 + 23 + 5 + 24 + 12;

fn lsp_position(line: u64, character: u64) -> Value {
    json!({"line": line, "character": character})
}

fn lsp_range(line: u64, start: u64, end: u64) -> Value {
    json!({"start": lsp_position(line, start), "end": lsp_position(line, end)})
}

/// The diagnostics of the fixture in `lsp` output.
fn lsp_diagnostics() -> Vec<Value> {
    let run = check(&[CRLF_UNICODE, "--format", "lsp"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    let out: Value = serde_json::from_str(&run.stdout).unwrap();
    let files: Vec<&String> = out.as_object().unwrap().keys().collect();
    assert_eq!(files, [CRLF_UNICODE]);
    out[CRLF_UNICODE].as_array().unwrap().clone()
}

fn diagnostic<'a>(diagnostics: &'a [Value], code: &str) -> &'a Value {
    diagnostics
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no `{code}` diagnostic in {diagnostics:#?}"))
}

#[test]
fn lsp_positions_count_utf16_code_units_from_0() {
    let diagnostics = lsp_diagnostics();
    let codes: Vec<&str> = diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "forum.exists",
            "protection.coverage",
            "protection.framework",
            "forum.permanent"
        ]
    );

    let coverage = diagnostic(&diagnostics, "protection.coverage");
    assert_eq!(
        coverage["range"],
        lsp_range(4, GROUP_START_UTF16, GROUP_END_UTF16)
    );
    assert_eq!(coverage["severity"], 1);
    assert_eq!(coverage["data"]["subject"], "group.survivants_🌊");

    let permanent = diagnostic(&diagnostics, "forum.permanent");
    assert_eq!(
        permanent["range"],
        lsp_range(5, FORUM_START, FORUM_END_UTF16)
    );
    assert_eq!(permanent["severity"], 2);
    let related = permanent["relatedInformation"].as_array().unwrap();
    assert_eq!(related.len(), 1);
    assert_eq!(
        related[0]["location"],
        json!({
            "uri": CRLF_UNICODE,
            "range": lsp_range(5, FALSE_START_UTF16, FALSE_START_UTF16 + 5),
        })
    );

    // A norm without `for` points at the start of the file, with an empty
    // range, and its evidence at the same `false`.
    let exists = diagnostic(&diagnostics, "forum.exists");
    assert_eq!(exists["range"], lsp_range(0, 0, 0));
    assert_eq!(
        exists["relatedInformation"][0]["location"]["range"],
        lsp_range(5, FALSE_START_UTF16, FALSE_START_UTF16 + 5)
    );
}

#[test]
fn sarif_columns_count_utf16_code_units_from_1() {
    let run = check(&[CRLF_UNICODE, "--format", "sarif"]);
    let log: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(log["runs"][0]["columnKind"], "utf16CodeUnits");
    let results = log["runs"][0]["results"].as_array().unwrap();
    let region = |rule: &str| -> Value {
        let result = results.iter().find(|r| r["ruleId"] == rule).unwrap();
        result["locations"][0]["physicalLocation"]["region"].clone()
    };
    assert_eq!(
        region("protection.coverage"),
        json!({
            "startLine": 5,
            "startColumn": GROUP_START_UTF16 + 1,
            "endLine": 5,
            "endColumn": GROUP_END_UTF16 + 1,
        })
    );
    assert_eq!(
        region("forum.permanent"),
        json!({
            "startLine": 6,
            "startColumn": FORUM_START + 1,
            "endLine": 6,
            "endColumn": FORUM_END_UTF16 + 1,
        })
    );
}

#[test]
fn json_columns_count_characters_and_spans_count_bytes() {
    let (_, json) = check_json(&[CRLF_UNICODE]);
    let text = std::fs::read(root().join(CRLF_UNICODE)).unwrap();

    let coverage = &finding(&json, "protection.coverage", Some("group.survivants_🌊"))["location"];
    assert_eq!(
        coverage["start"],
        json!({"line": 5, "column": GROUP_START_CHARS + 1})
    );
    assert_eq!(
        coverage["end"],
        json!({"line": 5, "column": GROUP_END_CHARS + 1})
    );
    let span = |location: &Value| -> &[u8] {
        let start = location["span"]["start"].as_u64().unwrap() as usize;
        let end = location["span"]["end"].as_u64().unwrap() as usize;
        &text[start..end]
    };
    assert_eq!(span(coverage), "\"survivants_🌊\"".as_bytes());

    let permanent = finding(
        &json,
        "forum.permanent",
        Some("forum.Forum mondial — été 🌍"),
    );
    assert_eq!(
        permanent["location"]["end"],
        json!({"line": 6, "column": FORUM_END_CHARS + 1})
    );
    let evidence = &permanent["evidence"][0]["location"];
    assert_eq!(
        evidence["start"],
        json!({"line": 6, "column": FALSE_START_CHARS + 1})
    );
    assert_eq!(span(evidence), b"false");
}

#[test]
fn concise_and_github_columns_count_characters() {
    let concise = check(&[CRLF_UNICODE, "--format", "concise"]);
    assert!(
        concise.stdout.contains(&format!(
            "{CRLF_UNICODE}:5:{}: error[protection.coverage]",
            GROUP_START_CHARS + 1
        )),
        "{concise:?}"
    );
    let github = check(&[CRLF_UNICODE, "--format", "github"]);
    assert!(
        github.stdout.contains(&format!(
            "::warning file={CRLF_UNICODE},line=6,col={},endLine=6,endColumn={},title=forum.permanent::",
            FORUM_START + 1,
            FORUM_END_CHARS + 1
        )),
        "{github:?}"
    );
}

#[test]
fn human_headings_count_characters() {
    let human = check(&[CRLF_UNICODE, "--format", "human"]);
    // The headings of the snippets of `protection.coverage` and
    // `forum.permanent`.
    for heading in [
        format!("[{CRLF_UNICODE}:5:{}]", GROUP_START_CHARS + 1),
        format!("[{CRLF_UNICODE}:6:{}]", FORUM_START + 1),
    ] {
        assert!(human.stdout.contains(&heading), "{heading}\n{human:?}");
    }
}
