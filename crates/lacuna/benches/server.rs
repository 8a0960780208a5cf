//! The server's latency, measured on its side of an in-memory connection
//! with the engine `lacuna lsp` serves with:
//!
//! - `recheck/1000-lines`: one edit to an open proposal of about 1,000
//!   lines, until the diagnostics of the new version are published. The
//!   median is the figure to read.
//! - `burst/1MB-31-edits`: 31 changes sent at once to an open proposal of
//!   about 1 MB, until the diagnostics of the last one are published. The
//!   worker checks the latest text only, so this costs about two checks,
//!   not 31.
//!
//! - `engine-check/1000-lines`: the engine's check of the same text, without
//!   the server, for comparison.
//!
//! Run with `cargo bench -p lacuna --bench server`. The machine's other
//! work makes times noisy: compare medians over several runs.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::Duration;

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use lacuna_lsp::{Connection, serve};
use lsp_server::{Message, Notification, Request, RequestId};
use lsp_types::Uri;

/// The workspace `lacuna lsp` serves with, reading the real file system.
fn workspace() -> lacuna::workspace::Workspace {
    use lacuna::config::PathKind;
    use lacuna::workspace::{Disk, Workspace};
    let disk = Disk {
        probe: |path| {
            Ok(match std::fs::metadata(path) {
                Ok(meta) if meta.is_dir() => PathKind::Dir,
                Ok(_) => PathKind::File,
                Err(_) => PathKind::Missing,
            })
        },
        read: |path| std::fs::read(path),
        list: |dir| {
            std::fs::read_dir(dir)?
                .map(|e| e.map(|e| e.path()))
                .collect()
        },
    };
    Workspace::new(None, disk, None)
}

/// A generated proposal of at least `lines` lines, or `bytes` bytes.
fn proposal(lines: usize, bytes: usize) -> String {
    let (engine, _) = lacuna::Engine::build(lacuna::standard_rules());
    let mut entities = 10;
    loop {
        let text = lacuna_model::generate::proposal(
            engine.schema(),
            entities,
            2010,
            lacuna_model::Format::Toml,
        );
        if text.lines().count() >= lines && text.len() >= bytes {
            return text;
        }
        entities = entities * 5 / 4 + 1;
    }
}

struct Session {
    client: Connection,
    version: i32,
    uri: Uri,
}

impl Session {
    fn open(text: &str) -> Session {
        let (client, server) = Connection::memory();
        std::thread::spawn(move || {
            let analyzer = workspace();
            serve(&server, &analyzer)
        });
        let initialize = Request::new(
            RequestId::from(0),
            "initialize".to_owned(),
            serde_json::json!({"capabilities": {}}),
        );
        client.sender.send(initialize.into()).unwrap();
        client.receiver.recv().unwrap();
        let initialized = Notification::new("initialized".to_owned(), serde_json::json!({}));
        client.sender.send(initialized.into()).unwrap();
        let uri: Uri = "file:///lacuna-bench/proposal.toml".parse().unwrap();
        let session = Session {
            client,
            version: 1,
            uri,
        };
        session.notify(
            "textDocument/didOpen",
            serde_json::json!({"textDocument": {"uri": session.uri, "languageId": "toml", "version": 1, "text": text}}),
        );
        session.wait_for(1);
        session
    }

    fn notify(&self, method: &str, params: serde_json::Value) {
        let message = Notification::new(method.to_owned(), params);
        self.client.sender.send(message.into()).unwrap();
    }

    fn change(&mut self, text: &str) {
        self.version += 1;
        self.notify(
            "textDocument/didChange",
            serde_json::json!({
                "textDocument": {"uri": self.uri, "version": self.version},
                "contentChanges": [{"text": text}],
            }),
        );
    }

    fn wait_for(&self, version: i32) {
        loop {
            match self.client.receiver.recv().unwrap() {
                Message::Notification(n)
                    if n.method == "textDocument/publishDiagnostics"
                        && n.params["version"] == version =>
                {
                    return;
                }
                _ => {}
            }
        }
    }
}

/// Two texts that differ by one character on the last line, so that every
/// change is a real edit.
fn edits(text: &str) -> [String; 2] {
    [format!("{text}\n# edit a\n"), format!("{text}\n# edit b\n")]
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("server");
    group.sample_size(50);
    group.measurement_time(Duration::from_secs(10));
    let small = proposal(1_000, 0);
    let texts = edits(&small);
    // The engine alone on the same text, for the server's share of the time.
    let (engine, _) = lacuna::Engine::build(lacuna::standard_rules());
    group.bench_function("engine-check/1000-lines", |b| {
        let mut sources = engine.sources().clone();
        let id = sources.add("proposal.toml", texts[0].as_str());
        b.iter(|| engine.check(id, texts[0].as_bytes(), lacuna_model::Format::Toml));
    });
    let mut session = Session::open(&small);
    let mut turn = 0;
    group.bench_function("recheck/1000-lines", |b| {
        b.iter(|| {
            turn += 1;
            session.change(&texts[turn % 2]);
            session.wait_for(session.version);
        });
    });

    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(20));
    let large = proposal(0, 1_000_000);
    let versions: Vec<String> = (0..31).map(|i| format!("{large}\n# edit {i}\n")).collect();
    let mut session = Session::open(&large);
    group.bench_function("burst/1MB-31-edits", |b| {
        b.iter(|| {
            for text in &versions {
                session.change(text);
            }
            session.wait_for(session.version);
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
