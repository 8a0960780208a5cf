//! `--stdin-filename F`: the proposal comes from standard input and is
//! reported, and configured, as the file F.

use crate::{CLEAN, CRLF_UNICODE, STATUS_QUO, check, check_stdin, root};

fn read(path: &str) -> Vec<u8> {
    std::fs::read(root().join(path)).unwrap()
}

#[test]
fn standard_input_gives_the_findings_of_the_file() {
    let configured = "fixtures/check/configured/regional/west-africa/proposal.toml";
    for path in [STATUS_QUO, CRLF_UNICODE, CLEAN, configured] {
        for format in ["json", "sarif", "lsp"] {
            let from_disk = check(&[path, "--format", format]);
            let from_stdin = check_stdin(path, &read(path), &["--format", format]);
            assert_eq!(from_stdin.code, from_disk.code, "{path} {format}");
            assert_eq!(from_stdin.stderr, from_disk.stderr, "{path} {format}");
            assert!(
                from_stdin.stdout == from_disk.stdout,
                "{path} {format}: the outputs differ\n--- disk\n{}\n--- stdin\n{}",
                from_disk.stdout,
                from_stdin.stdout
            );
        }
    }
}

#[test]
fn the_configuration_of_the_named_directory_applies() {
    // The file need not exist: its directory's `lacuna.toml` decides.
    let text = read("fixtures/check/warnings-only.toml");
    let elsewhere = check_stdin("fixtures/check/warnings-only.toml", &text, &[]);
    assert_eq!(elsewhere.code, Some(0), "{elsewhere:?}");
    let strict = check_stdin("fixtures/check/strict/proposal.toml", &text, &[]);
    assert_eq!(strict.code, Some(1), "{strict:?}");

    // Under `configured/`, the `proposal` norms do not run and
    // `protection.framework` is an error.
    let text = read("fixtures/check/configured/regional/west-africa/proposal.toml");
    let run = check_stdin(
        "fixtures/check/configured/elsewhere.toml",
        &text,
        &["--format", "json"],
    );
    assert_eq!(run.code, Some(1), "{run:?}");
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let norms = crate::norms_of(&json);
    assert!(
        !norms.iter().any(|n| n.starts_with("proposal.")),
        "{norms:?}"
    );
    let framework = crate::finding(
        &json,
        "protection.framework",
        Some("group.survival_migrants"),
    );
    assert_eq!(framework["severity"], "error");
    assert_eq!(
        framework["location"]["file"],
        "fixtures/check/configured/elsewhere.toml"
    );
}

#[test]
fn bad_standard_input_exits_2() {
    let run = check_stdin(
        "piped.toml",
        b"[proposal]\ntitle = \"R\xe9fugi\xe9s\"\n",
        &[],
    );
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains("[piped.toml:2:11]"),
        "the error names the file given: {run:?}"
    );

    let run = check_stdin("piped.txt", b"[proposal]\n", &[]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert_eq!(
        run.stderr,
        "error: cannot tell the format of `piped.txt`: proposals end in `.toml` or `.json`\n"
    );

    let run = check_stdin("piped.toml", b"[proposal]\n", &[CLEAN]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert_eq!(
        run.stderr,
        "error: `--stdin-filename` reads standard input: give no paths with it\n"
    );
}

#[test]
fn json_on_standard_input_is_read_as_json() {
    let path = "fixtures/check/allow/suppressed.json";
    let from_disk = check(&[path, "--format", "json"]);
    let from_stdin = check_stdin(path, &read(path), &["--format", "json"]);
    assert_eq!(from_stdin.code, Some(0), "{from_stdin:?}");
    assert_eq!(from_stdin.stdout, from_disk.stdout);
}
