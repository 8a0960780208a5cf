//! Hostile inputs through every command and every format.
//!
//! Each input is what a careless program or a new user could hand lacuna:
//! minified JSON a typo away from valid, findings past column 65,536, a
//! norm id of 70,000 characters, a hundred thousand errors on one line,
//! bidirectional control characters, a lone `\r`, links that loop, a
//! standard input that never ends, and headers a language client should
//! never send. The small ones live in `fixtures/hostile/`; the large ones
//! are generated here, into a temporary directory, so that megabytes are
//! not committed.
//!
//! For every input, every command that reads it (`check` in all eight
//! formats and with `--statistics`, `compare`, `fmt`, `norms`, `lsp`)
//! must exit with 0, 1 or 2, without a panic, and stay within bounds: its
//! output at most [`OUTPUT_PER_INPUT_BYTE`] bytes per byte of input plus
//! [`OUTPUT_SLACK`], and its time at most [`TIME_FACTOR`] times that of
//! checking a small proposal, measured in the same test, for each size of
//! that proposal in the input. A run over the
//! time bound is killed, so a hang fails the test instead of stalling it.
//! On Linux the peak memory of each run is also bounded, by
//! [`MEMORY_PER_INPUT_BYTE`] bytes per byte of input plus
//! [`MEMORY_SLACK`].

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fmt::Write as _;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use std::{fs, thread};

/// Output may be this many bytes per byte of input...
const OUTPUT_PER_INPUT_BYTE: u64 = 64;
/// ...plus this many.
const OUTPUT_SLACK: u64 = 1 << 20;
/// A run may take this many times as long as checking a small proposal, per
/// size of that proposal in the input (see [`time_limit`]).
const TIME_FACTOR: u32 = 50;
/// Peak memory may be this many bytes per byte of input...
const MEMORY_PER_INPUT_BYTE: u64 = 40;
/// ...plus this many.
const MEMORY_SLACK: u64 = 256 << 20;

const FORMATS: [&str; 8] = [
    "human",
    "plain",
    "concise",
    "json",
    "json-lines",
    "sarif",
    "github",
    "lsp",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// What one run gave, and what it cost.
struct Outcome {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    elapsed: Duration,
    /// Peak resident memory in bytes, where the system tells it.
    peak_memory: Option<u64>,
}

impl Outcome {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

/// Runs `lacuna ARGS` in `dir` with `input` on standard input, killing it
/// past `limit`.
fn run_in(
    dir: &Path,
    args: &[&str],
    input: &[u8],
    env: &[(&str, &str)],
    limit: Duration,
) -> Outcome {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lacuna"));
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env("LACUNA_TODAY", "2026-07-01")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let start = Instant::now();
    let mut child = command.spawn().unwrap();
    let pid = child.id();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = thread::spawn(move || {
        // A command that stops reading early closes the pipe: not a failure.
        let _ = stdin.write_all(&input);
    });
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let stdout = thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = out.read_to_end(&mut bytes);
        bytes
    });
    let stderr = thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = err.read_to_end(&mut bytes);
        bytes
    });
    let mut peak_memory = None;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if let Some(peak) = peak_rss(pid) {
            peak_memory = Some(peak);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "`lacuna {}` ran past {limit:?} and was killed",
                shown_args(args)
            );
        }
        thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    writer.join().unwrap();
    Outcome {
        code: status.code(),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
        elapsed,
        peak_memory,
    }
}

/// The high-water mark of a process's resident memory, from `/proc`.
fn peak_rss(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

fn shown_args(args: &[&str]) -> String {
    args.iter()
        .map(|a| {
            if a.len() > 60 {
                format!("{}…", &a[..a.floor_char_boundary(60)])
            } else {
                (*a).to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The proposal whose check is the unit of time.
const BASELINE: &str = "fixtures/proposals/status-quo-2010.toml";

/// The time bound for an input of `input_size` bytes: [`TIME_FACTOR`]
/// times the median of three checks of [`BASELINE`], measured once per test
/// process, and as many times more as the input is larger than it. Work
/// linear in the input stays far below; work quadratic in it, on the
/// inputs here, takes minutes.
fn time_limit(input_size: u64) -> Duration {
    static BASE: OnceLock<(Duration, u64)> = OnceLock::new();
    let (time, size) = *BASE.get_or_init(|| {
        let mut times: Vec<Duration> = (0..3)
            .map(|_| {
                run_in(
                    &root(),
                    &["check", BASELINE],
                    b"",
                    &[],
                    Duration::from_secs(600),
                )
                .elapsed
            })
            .collect();
        times.sort();
        let size = fs::metadata(root().join(BASELINE)).unwrap().len();
        (times[1], size)
    });
    let scale = u32::try_from(input_size.div_ceil(size).max(1)).unwrap_or(u32::MAX);
    time * TIME_FACTOR * scale
}

/// Runs `lacuna ARGS` on an input of `input_size` bytes and checks the
/// bounds every hostile run must keep.
fn hostile(dir: &Path, args: &[&str], stdin: &[u8], input_size: u64) -> Outcome {
    hostile_env(dir, args, stdin, input_size, &[])
}

fn hostile_env(
    dir: &Path,
    args: &[&str],
    stdin: &[u8],
    input_size: u64,
    env: &[(&str, &str)],
) -> Outcome {
    let limit = time_limit(input_size);
    let outcome = run_in(dir, args, stdin, env, limit);
    let shown = shown_args(args);
    let stderr = outcome.stderr();
    assert!(
        matches!(outcome.code, Some(0..=2)),
        "`lacuna {shown}` exited with {:?}:\n{}",
        outcome.code,
        &stderr[..stderr.floor_char_boundary(4000)]
    );
    assert!(
        !stderr.contains("panicked"),
        "`lacuna {shown}` panicked:\n{}",
        &stderr[..stderr.floor_char_boundary(4000)]
    );
    let size = (outcome.stdout.len() + outcome.stderr.len()) as u64;
    let bound = OUTPUT_PER_INPUT_BYTE * input_size + OUTPUT_SLACK;
    assert!(
        size <= bound,
        "`lacuna {shown}` wrote {size} bytes for {input_size} bytes of input (bound {bound})"
    );
    if let Some(peak) = outcome.peak_memory {
        let bound = MEMORY_PER_INPUT_BYTE * input_size + MEMORY_SLACK;
        assert!(
            peak <= bound,
            "`lacuna {shown}` used {peak} bytes of memory for {input_size} bytes of input (bound {bound})"
        );
    }
    outcome
}

/// Every way `check` can print one proposal: eight formats, statistics.
fn check_every_format(dir: &Path, file: &str, extra: &[&str]) -> Vec<Outcome> {
    let size = fs::metadata(dir.join(file)).map_or(0, |m| m.len());
    let mut outcomes = Vec::new();
    for format in FORMATS {
        let mut args = vec!["check", file, "--format", format];
        args.extend(extra);
        outcomes.push(hostile(dir, &args, b"", size));
    }
    let mut args = vec!["check", file, "--statistics"];
    args.extend(extra);
    outcomes.push(hostile(dir, &args, b"", size));
    outcomes
}

/// `compare` of a proposal with itself, in both formats.
fn compare_both_formats(dir: &Path, file: &str) {
    let size = fs::metadata(dir.join(file)).map_or(0, |m| m.len());
    for format in ["human", "json"] {
        hostile(
            dir,
            &["compare", file, file, "--format", format],
            b"",
            2 * size,
        );
    }
}

/// The language server, opening `text` as the document `name`.
fn lsp_open(dir: &Path, name: &str, text: &str) -> Outcome {
    let uri = format!("file:///hostile/{name}");
    let mut session = Vec::new();
    let messages = [
        serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
        serde_json::json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri, "languageId": "toml", "version": 1, "text": text}}}),
        serde_json::json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/formatting", "params": {
            "textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}}),
        serde_json::json!({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}),
        serde_json::json!({"jsonrpc": "2.0", "method": "exit"}),
    ];
    for message in messages {
        let body = message.to_string();
        write!(session, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    }
    let outcome = hostile(dir, &["lsp"], &session, text.len() as u64);
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr());
    assert!(
        !outcome.stdout().contains('\u{202E}'),
        "a bidirectional control reached the client raw"
    );
    outcome
}

/// A temporary directory with `files` written into it.
fn scratch(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    dir
}

/// The worked 2010 proposal as a JSON value, to build large valid inputs.
fn status_quo() -> serde_json::Map<String, serde_json::Value> {
    let text = fs::read_to_string(root().join("fixtures/proposals/status-quo-2010.toml")).unwrap();
    let value: serde_json::Value = toml::from_str(&text).unwrap();
    value.as_object().unwrap().clone()
}

/// A one-line JSON object with the keys in the order given.
fn json_line(parts: &[(&str, serde_json::Value)]) -> String {
    let mut out = String::from("{");
    for (i, (key, value)) in parts.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write!(out, "{}:{value}", serde_json::Value::from(*key)).unwrap();
    }
    out.push('}');
    out
}

#[test]
fn minified_json_with_a_typo_near_its_end() {
    // 200 KB on one line; the unknown field sits past column 200,000.
    let mut proposal = status_quo();
    let title = "x".repeat(200_000);
    proposal["proposal"]["title"] = title.into();
    let mut parts: Vec<(&str, serde_json::Value)> =
        vec![("proposal", proposal["proposal"].clone())];
    let mut groups = proposal["group"].clone();
    groups["refugees"]["vulnerabel"] = true.into();
    parts.push(("group", groups));
    let text = json_line(&parts);
    let dir = scratch(&[("minified.json", text.as_bytes())]);
    for outcome in check_every_format(dir.path(), "minified.json", &[]) {
        assert_eq!(outcome.code, Some(2), "{}", outcome.stderr());
    }
    let human = hostile(
        dir.path(),
        &["check", "minified.json", "--format", "human"],
        b"",
        text.len() as u64,
    );
    let stderr = human.stderr();
    assert!(stderr.contains("unknown field `vulnerabel`"), "{stderr}");
    assert!(stderr.contains('…'), "the long line is cut:\n{stderr}");
    compare_both_formats(dir.path(), "minified.json");
    lsp_open(dir.path(), "minified.json", &text);
}

#[test]
fn findings_far_along_one_line() {
    // A valid proposal on one line, its findings past column 65,536 in
    // characters, with tabs and wide characters before them, which count
    // more on a terminal.
    let proposal = status_quo();
    let mut head = proposal["proposal"].clone();
    head["title"] = format!("{}{}", "\t".repeat(30_000), "移民".repeat(30_000)).into();
    let mut parts: Vec<(&str, serde_json::Value)> = vec![("proposal", head)];
    for (key, value) in &proposal {
        if key != "proposal" {
            parts.push((key.as_str(), value.clone()));
        }
    }
    let text = json_line(&parts);
    let dir = scratch(&[("wide.json", text.as_bytes())]);
    let outcomes = check_every_format(dir.path(), "wide.json", &[]);
    for outcome in &outcomes {
        assert_eq!(outcome.code, Some(1), "{}", outcome.stderr());
    }
    let human = &outcomes[0];
    assert!(
        human.stdout().contains("protection.coverage"),
        "{}",
        human.stdout()
    );
    compare_both_formats(dir.path(), "wide.json");
    lsp_open(dir.path(), "wide.json", &text);
}

#[test]
fn a_hundred_thousand_errors_on_one_line() {
    // Every field of the group is unknown: one error each, all on one line
    // of about 1.5 MB. The output lists the first problems and counts the rest.
    let fields: Vec<String> = (0..100_000).map(|i| format!("\"f{i}\":1")).collect();
    let text = format!(
        "{{\"proposal\":{{\"title\":\"t\"}},\"group\":{{\"g\":{{\"area\":\"refugees\",{}}}}}}}",
        fields.join(",")
    );
    let dir = scratch(&[("errors.json", text.as_bytes())]);
    for outcome in check_every_format(dir.path(), "errors.json", &[]) {
        assert_eq!(outcome.code, Some(2), "{}", outcome.stderr());
    }
    let concise = hostile(
        dir.path(),
        &["check", "errors.json", "--format", "concise"],
        b"",
        text.len() as u64,
    );
    let stdout = concise.stdout();
    assert_eq!(
        stdout.matches("proposal::unknown_field").count(),
        lacuna_report::MAX_PROBLEMS_PER_FILE,
        "{stdout}"
    );
    assert!(
        stdout.contains("99900 more problems in this file are not shown"),
        "{stdout}"
    );
    let plain = hostile(
        dir.path(),
        &["check", "errors.json", "--format", "plain"],
        b"",
        text.len() as u64,
    );
    assert!(
        plain
            .stderr()
            .contains("errors.json: 99900 more problems in this file are not shown")
    );
    compare_both_formats(dir.path(), "errors.json");
    let outcome = lsp_open(dir.path(), "errors.json", &text);
    assert!(
        outcome
            .stdout()
            .contains("more problems in this file are not shown")
    );
}

#[test]
fn many_findings_in_a_large_valid_proposal() {
    // Four thousand vulnerable groups nobody protects: as many findings of
    // several norms, in every format, in time linear in their number.
    let mut text = String::from("[proposal]\ntitle = \"Many groups\"\n");
    for i in 0..4_000 {
        writeln!(
            text,
            "\n[group.g{i}]\narea = \"survival\"\nvulnerable = true"
        )
        .unwrap();
    }
    let dir = scratch(&[("many.toml", text.as_bytes())]);
    for outcome in check_every_format(dir.path(), "many.toml", &[]) {
        assert_eq!(outcome.code, Some(1), "{}", outcome.stderr());
    }
    compare_both_formats(dir.path(), "many.toml");
    lsp_open(dir.path(), "many.toml", &text);
}

#[test]
fn many_syntax_errors_in_a_rule_file() {
    // Twenty thousand broken norms: the reports stop at the limit.
    let mut text = String::new();
    for i in 0..20_000 {
        writeln!(text, "norm broken.n{i} {{ require x == }}").unwrap();
    }
    let size = text.len() as u64;
    let dir = scratch(&[
        ("rules/broken.norm", text.as_bytes()),
        ("p.toml", b"[proposal]\ntitle = \"t\"\n"),
    ]);
    for format in FORMATS {
        let outcome = hostile(
            dir.path(),
            &["check", "--rules", "rules", "p.toml", "--format", format],
            b"",
            size,
        );
        assert_eq!(outcome.code, Some(2), "{}", outcome.stderr());
        assert!(
            outcome
                .stderr()
                .contains("more problems in this file are not shown")
        );
    }
    let fmt = hostile(
        dir.path(),
        &["fmt", "--check", "rules/broken.norm"],
        b"",
        size,
    );
    assert_eq!(fmt.code, Some(2));
    assert!(
        fmt.stderr()
            .contains("more problems in this file are not shown")
    );
    let norms = hostile(dir.path(), &["norms", "--rules", "rules"], b"", size);
    assert_eq!(norms.code, Some(2));
    hostile(
        dir.path(),
        &["compare", "p.toml", "p.toml", "--rules", "rules"],
        b"",
        size,
    );
    lsp_open(dir.path(), "broken.norm", &text);
}

#[test]
fn a_norm_id_of_seventy_thousand_characters() {
    let id = format!("wide.{}", "n".repeat(70_000));
    let text = format!(
        "/// A norm with a very long id.\nnorm {id} {{\n  severity: warning\n  for g in group\n  require false\n  else \"`{{g}}` fails\"\n}}\n"
    );
    let dir = scratch(&[
        ("rules/wide.norm", text.as_bytes()),
        ("p.toml", b"[proposal]\ntitle = \"t\"\n\n[group.a]\narea = \"refugees\"\n\n[group.b]\narea = \"irregular\"\n"),
        ("q.toml", b"[proposal]\ntitle = \"t\"\n\n[group.a]\narea = \"refugees\"\n"),
    ]);
    let size = text.len() as u64;
    let stats = hostile(
        dir.path(),
        &["check", "p.toml", "--rules", "rules", "--statistics"],
        b"",
        size,
    );
    assert!(stats.stdout().contains(&id), "{}", stats.stderr());
    for outcome in check_every_format(dir.path(), "p.toml", &["--rules", "rules"]) {
        assert!(outcome.stdout().contains("nnnnnnnn"));
    }
    let norms = hostile(dir.path(), &["norms", "--rules", "rules"], b"", size);
    assert_eq!(norms.code, Some(0), "{}", norms.stderr());
    assert!(norms.stdout().contains(&id));
    hostile(
        dir.path(),
        &["norms", "--rules", "rules", "--format", "json"],
        b"",
        size,
    );
    for format in ["human", "json"] {
        let compared = hostile(
            dir.path(),
            &[
                "compare", "p.toml", "q.toml", "--rules", "rules", "--format", format,
            ],
            b"",
            size,
        );
        assert!(
            compared.stdout().contains("nnnnnnnn"),
            "{}",
            compared.stderr()
        );
    }
    hostile(
        dir.path(),
        &["fmt", "--check", "rules/wide.norm"],
        b"",
        size,
    );
    lsp_open(dir.path(), "wide.norm", &text);
}

#[test]
fn a_wide_line_in_a_rule_file_and_in_lacuna_toml() {
    let norm = format!(
        "norm wide.one {{\n  for g in group\n  require g.{}unknown == \"x\"\n}}\n",
        "\t".repeat(70_000)
    );
    let config = format!("select = [\"{}\"]\n", "s".repeat(70_000));
    let dir = scratch(&[
        ("rules/wide.norm", norm.as_bytes()),
        ("configured/lacuna.toml", config.as_bytes()),
        ("configured/p.toml", b"[proposal]\ntitle = \"t\"\n"),
        ("p.toml", b"[proposal]\ntitle = \"t\"\n"),
    ]);
    let size = (norm.len() + config.len()) as u64;
    for format in FORMATS {
        let rules = hostile(
            dir.path(),
            &["check", "p.toml", "--rules", "rules", "--format", format],
            b"",
            size,
        );
        assert_eq!(rules.code, Some(2), "{}", rules.stderr());
        let configured = hostile(
            dir.path(),
            &["check", "configured/p.toml", "--format", format],
            b"",
            size,
        );
        assert!(
            configured.stderr().contains("unknown_selector"),
            "{}",
            configured.stderr()
        );
    }
    hostile(
        dir.path(),
        &["fmt", "--check", "rules/wide.norm"],
        b"",
        size,
    );
    hostile(dir.path(), &["norms", "--rules", "rules"], b"", size);
    lsp_open(dir.path(), "wide.norm", &norm);
}

#[test]
fn the_committed_corpus() {
    // The small hostile inputs of `fixtures/hostile/`: each through every
    // command that reads its kind.
    let corpus = root().join("fixtures/hostile");
    let mut names: Vec<String> = fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml") || n.ends_with(".json") || n.ends_with(".norm"))
        .collect();
    names.sort();
    assert!(names.len() >= 4, "{names:?}");
    for name in names {
        let path = corpus.join(&name);
        let bytes = fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let dir = scratch(&[(name.as_str(), &bytes), (&format!("rules/{name}"), &bytes)]);
        if name.ends_with(".norm") {
            for format in FORMATS {
                hostile(
                    dir.path(),
                    &[
                        "check",
                        "--rules",
                        "rules",
                        "--format",
                        format,
                        "--stdin-filename",
                        "p.toml",
                    ],
                    b"[proposal]\ntitle = \"t\"\n",
                    bytes.len() as u64,
                );
            }
            hostile(
                dir.path(),
                &["fmt", "--check", &name],
                b"",
                bytes.len() as u64,
            );
            hostile(
                dir.path(),
                &["norms", "--rules", "rules"],
                b"",
                bytes.len() as u64,
            );
        } else {
            for outcome in check_every_format(dir.path(), &name, &[]) {
                for text in [outcome.stdout(), outcome.stderr()] {
                    assert!(
                        !text.contains('\u{202E}'),
                        "{name}: a raw bidirectional control:\n{text}"
                    );
                }
            }
            compare_both_formats(dir.path(), &name);
        }
        lsp_open(dir.path(), &name, &text);
    }
}

#[test]
fn a_lone_carriage_return_ends_a_doc_comment() {
    // `///` then a lone `\r`: the norm after it is a norm, not comment.
    let text = fs::read(root().join("fixtures/hostile/lone-cr.norm")).unwrap();
    let dir = scratch(&[("rules/lone-cr.norm", &text)]);
    let norms = hostile(
        dir.path(),
        &["norms", "--rules", "rules"],
        b"",
        text.len() as u64,
    );
    let stdout = norms.stdout();
    assert!(
        stdout.contains("hostile.lone-cr"),
        "{stdout}\n{}",
        norms.stderr()
    );
}

#[cfg(unix)]
#[test]
fn links_that_loop_are_not_followed() {
    let dir = scratch(&[
        ("tree/a.toml", b"[proposal]\ntitle = \"a\"\n"),
        ("tree/sub/b.toml", b"[proposal]\ntitle = \"b\"\n"),
    ]);
    let tree = dir.path().join("tree");
    std::os::unix::fs::symlink(".", tree.join("self")).unwrap();
    std::os::unix::fs::symlink("..", tree.join("sub/up")).unwrap();
    std::os::unix::fs::symlink("../tree", tree.join("sub/again")).unwrap();
    let outcome = hostile(
        dir.path(),
        &["check", "tree", "--format", "concise"],
        b"",
        100,
    );
    let stdout = outcome.stdout();
    assert!(stdout.contains("(2 files checked"), "{stdout}");
    let fmt = hostile(dir.path(), &["fmt", "--check", "tree"], b"", 100);
    assert_eq!(fmt.code, Some(0), "{}", fmt.stderr());
}

#[test]
fn input_past_the_size_limit_is_refused() {
    let dir = scratch(&[("big.toml", &vec![b'#'; 3 << 20])]);
    let limit = [("LACUNA_MAX_FILE_SIZE", "1M")];
    // Standard input that would go on: only the limit is read.
    let zeros = vec![0u8; 2 << 20];
    let stdin = hostile_env(
        dir.path(),
        &["check", "--stdin-filename", "a.toml"],
        &zeros,
        1 << 20,
        &limit,
    );
    assert_eq!(stdin.code, Some(2));
    assert!(
        stdin.stderr().contains("larger than 1 MiB"),
        "{}",
        stdin.stderr()
    );
    let file = hostile_env(dir.path(), &["check", "big.toml"], b"", 1 << 20, &limit);
    assert_eq!(file.code, Some(2));
    assert!(
        file.stderr().contains("LACUNA_MAX_FILE_SIZE"),
        "{}",
        file.stderr()
    );
    let compare = hostile_env(
        dir.path(),
        &["compare", "big.toml", "big.toml"],
        b"",
        1 << 20,
        &limit,
    );
    assert_eq!(compare.code, Some(2));
    let bad = hostile_env(
        dir.path(),
        &["check", "big.toml"],
        b"",
        0,
        &[("LACUNA_MAX_FILE_SIZE", "lots")],
    );
    assert_eq!(bad.code, Some(2));
    assert!(bad.stderr().contains("is not a size"), "{}", bad.stderr());
}

#[test]
fn language_server_headers_a_client_should_never_send() {
    let dir = scratch(&[]);
    for length in ["9223372036854775808", "1099511627776", "4294967296"] {
        let input = format!("Content-Length: {length}\r\n\r\n{{}}");
        let outcome = hostile(dir.path(), &["lsp"], input.as_bytes(), input.len() as u64);
        assert_eq!(outcome.code, Some(1));
        assert!(
            outcome.stderr().contains("reads messages of at most"),
            "{}",
            outcome.stderr()
        );
    }
    for input in [
        "Content-Length: x\r\n\r\n",
        "garbage\r\n\r\n",
        "Content-Length: 5\r\n\r\n{}",
    ] {
        let outcome = hostile(dir.path(), &["lsp"], input.as_bytes(), input.len() as u64);
        assert_eq!(outcome.code, Some(1), "{input:?}: {}", outcome.stderr());
    }
    let endless_header = vec![b'x'; 1 << 20];
    hostile(dir.path(), &["lsp"], &endless_header, 1 << 20);
    let body = "this is not json";
    let input = format!("Content-Length: {}\r\n\r\n{body}", body.len());
    let outcome = hostile(dir.path(), &["lsp"], input.as_bytes(), input.len() as u64);
    assert!(outcome.stdout().contains("-32700"), "{}", outcome.stdout());
}
