//! `lacuna lsp` as a process, spoken to over standard input and output, and
//! compared with `lacuna check --format lsp`: for every fixture proposal,
//! the editor shows what the command line reports, configuration included.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(120);
const TODAY: &str = "2026-01-15";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// A server process and the messages it writes, read on a thread.
struct Server {
    child: Child,
    input: ChildStdin,
    messages: mpsc::Receiver<Value>,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lacuna"))
            .arg("lsp")
            .current_dir(root())
            .env("LACUNA_TODAY", TODAY)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let input = child.stdin.take().unwrap();
        let mut output = BufReader::new(child.stdout.take().unwrap());
        let (send, messages) = mpsc::channel();
        std::thread::spawn(move || {
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if output.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.unwrap()];
                output.read_exact(&mut body).unwrap();
                if send.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let mut server = Server {
            child,
            input,
            messages,
        };
        server.send(&json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"capabilities": {}}}));
        let answer = server.receive();
        assert_eq!(answer["id"], 0, "{answer}");
        server.send(&json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
        server
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.input, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.input.flush().unwrap();
    }

    fn receive(&self) -> Value {
        self.messages.recv_timeout(TIMEOUT).unwrap()
    }

    /// The diagnostics published for `uri`, skipping other messages.
    fn diagnostics_for(&self, uri: &str) -> Vec<Value> {
        loop {
            let message = self.receive();
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                return message["params"]["diagnostics"].as_array().unwrap().clone();
            }
        }
    }

    fn stop(mut self) {
        self.send(&json!({"jsonrpc": "2.0", "id": 9999, "method": "shutdown"}));
        loop {
            if self.receive()["id"] == 9999 {
                break;
            }
        }
        self.send(&json!({"jsonrpc": "2.0", "method": "exit"}));
        assert!(self.child.wait().unwrap().success());
    }
}

/// What both sides must agree on for one diagnostic.
fn key(diagnostic: &Value) -> String {
    format!(
        "{} {} {} {}",
        diagnostic["range"], diagnostic["severity"], diagnostic["code"], diagnostic["message"]
    )
}

fn proposals(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            proposals(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("toml" | "json")
        ) && path.file_name().unwrap() != "lacuna.toml"
        {
            out.push(path);
        }
    }
}

#[test]
fn the_editor_and_the_command_line_report_the_same_findings() {
    let root = root();
    let mut files = Vec::new();
    proposals(&root.join("fixtures/proposals"), &mut files);
    proposals(&root.join("fixtures/check"), &mut files);
    files.sort();
    let mut server = Server::start();
    let mut compared = 0;
    for (version, path) in files.iter().enumerate() {
        // An editor sends text; a file that is not UTF-8 has none to send.
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let relative = path.strip_prefix(&root).unwrap();
        let cli = Command::new(env!("CARGO_BIN_EXE_lacuna"))
            .args(["check", "--format", "lsp"])
            .arg(relative)
            .current_dir(&root)
            .env("LACUNA_TODAY", TODAY)
            .output()
            .unwrap();
        // A configuration that does not load stops the command line before
        // any check; the editor shows the errors on the configuration file.
        let Ok(report) = serde_json::from_slice::<Value>(&cli.stdout) else {
            assert!(
                relative.starts_with("fixtures/check/broken-config"),
                "{}: {}",
                relative.display(),
                String::from_utf8_lossy(&cli.stderr)
            );
            continue;
        };
        let expected: Vec<String> = report
            .get(relative.to_str().unwrap())
            .and_then(Value::as_array)
            .map(|list| list.iter().map(key).collect())
            .unwrap_or_default();
        let uri = format!("file://{}", path.display());
        server.send(&json!({
            "jsonrpc": "2.0",
            "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": "toml", "version": version, "text": text}},
        }));
        let published: Vec<String> = server.diagnostics_for(&uri).iter().map(key).collect();
        let mut sorted_expected = expected.clone();
        sorted_expected.sort();
        let mut sorted_published = published.clone();
        sorted_published.sort();
        assert_eq!(sorted_published, sorted_expected, "{}", relative.display());
        compared += 1;
    }
    assert!(compared >= 20, "only {compared} proposals compared");
    server.stop();
}
