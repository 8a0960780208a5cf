//! The server driven over an in-memory connection, as an editor drives it:
//! each test opens documents and reads what the server publishes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::thread::JoinHandle;
use std::time::Duration;

use lacuna_lsp::{Connection, ServerError, serve};

// The adapter `lacuna lsp` serves with, so the tests check what users get.
// Its command entry point is not used here.
#[allow(dead_code, clippy::print_stderr)]
#[path = "../../lacuna/src/commands/lsp.rs"]
mod standard;
use lsp_server::{Message, Notification, Request, RequestId, Response};
use lsp_types::{
    ClientCapabilities, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DocumentFormattingParams, FormattingOptions,
    GeneralClientCapabilities, InitializeParams, InitializeResult, Position, PositionEncodingKind,
    PublishDiagnosticsParams, Range, TextDocumentContentChangeEvent, TextDocumentIdentifier,
    TextDocumentItem, TextEdit, Uri, VersionedTextDocumentIdentifier,
};

/// Long enough for a slow machine, short enough that a silent server fails
/// the test rather than hanging it.
const TIMEOUT: Duration = Duration::from_secs(60);

struct Client {
    connection: Connection,
    server: JoinHandle<Result<(), ServerError>>,
    next_id: i32,
}

impl Client {
    /// Starts a server and initializes it, offering `encodings` if any.
    fn start(encodings: Option<Vec<PositionEncodingKind>>) -> (Client, InitializeResult) {
        let (client, server) = Connection::memory();
        let server = std::thread::spawn(move || serve(&server, &standard::Standard::build()));
        let mut client = Client {
            connection: client,
            server,
            next_id: 0,
        };
        let params = InitializeParams {
            capabilities: ClientCapabilities {
                general: Some(GeneralClientCapabilities {
                    position_encodings: encodings,
                    ..GeneralClientCapabilities::default()
                }),
                ..ClientCapabilities::default()
            },
            ..InitializeParams::default()
        };
        let response = client.request("initialize", params);
        let result: InitializeResult = serde_json::from_value(response.result.unwrap()).unwrap();
        client.notify("initialized", serde_json::json!({}));
        (client, result)
    }

    fn request(&mut self, method: &str, params: impl serde::Serialize) -> Response {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let request = Request::new(id.clone(), method.to_owned(), params);
        self.connection.sender.send(request.into()).unwrap();
        match self.receive() {
            Message::Response(response) => {
                assert_eq!(response.id, id);
                response
            }
            other => panic!("expected the response to `{method}`, got {other:?}"),
        }
    }

    fn notify(&self, method: &str, params: impl serde::Serialize) {
        let notification = Notification::new(method.to_owned(), params);
        self.connection.sender.send(notification.into()).unwrap();
    }

    fn receive(&self) -> Message {
        self.connection.receiver.recv_timeout(TIMEOUT).unwrap()
    }

    fn published(&self) -> PublishDiagnosticsParams {
        match self.receive() {
            Message::Notification(n) if n.method == "textDocument/publishDiagnostics" => {
                serde_json::from_value(n.params).unwrap()
            }
            other => panic!("expected diagnostics, got {other:?}"),
        }
    }

    fn open(&self, uri: &Uri, text: &str) -> PublishDiagnosticsParams {
        let language = if uri.as_str().ends_with(".norm") {
            "lacuna"
        } else {
            "toml"
        };
        self.notify(
            "textDocument/didOpen",
            DidOpenTextDocumentParams {
                text_document: TextDocumentItem::new(
                    uri.clone(),
                    language.to_owned(),
                    1,
                    text.to_owned(),
                ),
            },
        );
        self.published()
    }

    fn change(&self, uri: &Uri, version: i32, text: &str) -> PublishDiagnosticsParams {
        self.notify(
            "textDocument/didChange",
            DidChangeTextDocumentParams {
                text_document: VersionedTextDocumentIdentifier::new(uri.clone(), version),
                content_changes: vec![TextDocumentContentChangeEvent {
                    range: None,
                    range_length: None,
                    text: text.to_owned(),
                }],
            },
        );
        self.published()
    }

    fn format(&mut self, uri: &Uri) -> Response {
        self.request(
            "textDocument/formatting",
            DocumentFormattingParams {
                text_document: TextDocumentIdentifier::new(uri.clone()),
                options: FormattingOptions {
                    tab_size: 4,
                    insert_spaces: true,
                    ..FormattingOptions::default()
                },
                work_done_progress_params: Default::default(),
            },
        )
    }

    /// `shutdown` then `exit`; the server must stop cleanly and say nothing
    /// more.
    fn shutdown(mut self) {
        let response = self.request("shutdown", serde_json::Value::Null);
        assert!(response.error.is_none(), "{:?}", response.error);
        self.notify("exit", serde_json::Value::Null);
        self.server.join().unwrap().unwrap();
        assert!(self.connection.receiver.try_recv().is_err());
    }
}

fn uri(name: &str) -> Uri {
    format!("file:///project/{name}").parse().unwrap()
}

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

/// The range of the first occurrence of `needle` in `text`, counted in
/// UTF-16 code units, computed independently of the server.
fn utf16_range(text: &str, needle: &str) -> Range {
    let start = text.find(needle).unwrap();
    let at = |offset: usize| {
        let before = &text[..offset];
        let line = before.matches('\n').count() as u32;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let character = text[line_start..offset].encode_utf16().count() as u32;
        Position::new(line, character)
    };
    Range::new(at(start), at(start + needle.len()))
}

fn pretty(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap()
}

#[test]
fn initialize_announces_sync_formatting_and_utf16() {
    let (client, result) = Client::start(None);
    assert_eq!(result.server_info.as_ref().unwrap().name, "lacuna");
    insta::assert_snapshot!(pretty(&result.capabilities));
    client.shutdown();
}

#[test]
fn utf8_is_taken_when_offered() {
    let (client, result) = Client::start(Some(vec![
        PositionEncodingKind::UTF32,
        PositionEncodingKind::UTF8,
    ]));
    assert_eq!(
        result.capabilities.position_encoding,
        Some(PositionEncodingKind::UTF8)
    );
    let text = fixture("gap.toml");
    let published = client.open(&uri("gap.toml"), &text);
    let permanent = published
        .diagnostics
        .iter()
        .find(|d| d.code == Some(lsp_types::NumberOrString::String("forum.permanent".into())))
        .unwrap();
    // In UTF-8 the header starts at the start of its line and ends six bytes
    // past its UTF-16 end: two for the em dash, one for each `é`, two for
    // the globe.
    let utf16 = utf16_range(&text, "[forum.\"Forum mondial — été 🌍\"]");
    assert_eq!(permanent.range.start, utf16.start);
    assert_eq!(permanent.range.end.line, utf16.end.line);
    assert_eq!(
        permanent.range.end.character,
        utf16.end.character + 2 + 1 + 1 + 2
    );
    client.shutdown();
}

#[test]
fn a_gap_is_published_and_cleared_when_fixed() {
    let (client, _) = Client::start(None);
    let gap = uri("gap.toml");
    let text = fixture("gap.toml");
    let published = client.open(&gap, &text);
    assert_eq!(published.uri, gap);
    assert_eq!(published.version, Some(1));
    let codes: Vec<_> = published
        .diagnostics
        .iter()
        .map(|d| d.code.clone().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            lsp_types::NumberOrString::String("forum.exists".into()),
            lsp_types::NumberOrString::String("forum.permanent".into()),
        ]
    );
    let permanent = &published.diagnostics[1];
    // The finding sits on the forum's table header, which holds an em dash,
    // accented letters and a character outside the Basic Multilingual
    // Plane: 32 UTF-16 code units, 38 bytes.
    assert_eq!(
        permanent.range,
        utf16_range(&text, "[forum.\"Forum mondial — été 🌍\"]")
    );
    assert_eq!(
        permanent.range,
        Range::new(Position::new(10, 0), Position::new(10, 32))
    );
    insta::assert_snapshot!(pretty(&published));

    let fixed = client.change(&gap, 2, &fixture("fixed.toml"));
    assert_eq!(fixed.version, Some(2));
    assert_eq!(fixed.diagnostics, []);

    client.notify(
        "textDocument/didClose",
        DidCloseTextDocumentParams {
            text_document: TextDocumentIdentifier::new(gap.clone()),
        },
    );
    let closed = client.published();
    assert_eq!((closed.uri, closed.diagnostics), (gap, vec![]));
    client.shutdown();
}

#[test]
fn a_proposal_that_does_not_parse_gets_its_load_problem() {
    let (client, _) = Client::start(None);
    let text = "[proposal]\ntitle = \"été\nlevel = 1\n";
    let published = client.open(&uri("broken.toml"), text);
    assert!(!published.diagnostics.is_empty());
    // The findings on what could be read come too; the errors are the
    // unterminated string and the field read past it.
    let errors: Vec<_> = published
        .diagnostics
        .iter()
        .filter(|d| d.severity == Some(lsp_types::DiagnosticSeverity::ERROR))
        .collect();
    assert_eq!(errors.len(), 2, "{published:#?}");
    insta::assert_snapshot!(pretty(&errors));
    client.shutdown();
}

#[test]
fn a_norm_syntax_error_is_published() {
    let (client, _) = Client::start(None);
    let text = fixture("broken.norm");
    let published = client.open(&uri("broken.norm"), &text);
    assert_eq!(published.diagnostics.len(), 1, "{published:#?}");
    let error = &published.diagnostics[0];
    assert_eq!(error.severity, Some(lsp_types::DiagnosticSeverity::ERROR));
    assert_eq!(error.range.start.line, 2);
    insta::assert_snapshot!(pretty(&published.diagnostics));
    client.shutdown();
}

#[test]
fn a_norm_rule_error_is_published() {
    let (client, _) = Client::start(None);
    let text = fixture("unknown-field.norm");
    let published = client.open(&uri("unknown-field.norm"), &text);
    assert_eq!(published.diagnostics.len(), 1, "{published:#?}");
    // The label sits on `colour` in `  require f.colour == "blue"`.
    assert_eq!(
        published.diagnostics[0].range,
        Range::new(Position::new(3, 12), Position::new(3, 18))
    );
    assert_eq!(text.lines().nth(3).unwrap().get(12..18), Some("colour"));
    insta::assert_snapshot!(pretty(&published.diagnostics));
    client.shutdown();
}

#[test]
fn a_diagnostic_carries_its_fix_as_text_edits() {
    let (client, _) = Client::start(None);
    let text = "norm forum.some {\n  for f in forum\n  requre f.permanent\n}\n";
    let published = client.open(&uri("typo.norm"), text);
    let fixes = published
        .diagnostics
        .iter()
        .find_map(|d| d.data.as_ref()?.get("fixes").cloned())
        .expect("a fix");
    assert_eq!(
        fixes,
        serde_json::json!([{
            "title": "replace `requre` with `require`",
            "applicability": "safe",
            "edits": [{
                "range": {"start": {"line": 2, "character": 2}, "end": {"line": 2, "character": 8}},
                "newText": "require",
            }],
        }])
    );
    client.shutdown();
}

#[test]
fn formatting_a_messy_norm_replaces_the_whole_document() {
    let (mut client, _) = Client::start(None);
    let messy = uri("messy.norm");
    let text = fixture("messy.norm");
    let published = client.open(&messy, &text);
    assert_eq!(published.diagnostics, []);
    let response = client.format(&messy);
    let edits: Vec<TextEdit> = serde_json::from_value(response.result.unwrap()).unwrap();
    assert_eq!(edits.len(), 1);
    let lines = text.lines().count() as u32;
    assert_eq!(
        edits[0].range,
        Range::new(Position::new(0, 0), Position::new(lines, 0))
    );
    insta::assert_snapshot!(edits[0].new_text);

    // Formatted text formats to itself: no edit at all.
    let formatted = edits[0].new_text.clone();
    client.change(&messy, 2, &formatted);
    let again: Vec<TextEdit> =
        serde_json::from_value(client.format(&messy).result.unwrap()).unwrap();
    assert_eq!(again, []);
    client.shutdown();
}

#[test]
fn a_norm_with_syntax_errors_is_not_formatted() {
    let (mut client, _) = Client::start(None);
    let broken = uri("broken.norm");
    client.open(&broken, &fixture("broken.norm"));
    let response = client.format(&broken);
    assert!(response.error.is_none(), "{:?}", response.error);
    assert_eq!(response.result, Some(serde_json::Value::Null));
    client.shutdown();
}

#[test]
fn unknown_requests_get_method_not_found() {
    let (mut client, _) = Client::start(None);
    let response = client.request("textDocument/hover", serde_json::json!({}));
    let error = response.error.unwrap();
    assert_eq!(error.code, lsp_server::ErrorCode::MethodNotFound as i32);
    assert_eq!(
        error.message,
        "the server does not answer `textDocument/hover`"
    );
    client.shutdown();
}

#[test]
fn bad_parameters_are_reported_not_fatal() {
    let (mut client, _) = Client::start(None);
    let response = client.request("textDocument/formatting", serde_json::json!({"nope": 1}));
    let error = response.error.unwrap();
    assert_eq!(error.code, lsp_server::ErrorCode::InvalidParams as i32);
    client.notify("textDocument/didOpen", serde_json::json!([1, 2]));
    match client.receive() {
        Message::Notification(n) => assert_eq!(n.method, "window/logMessage"),
        other => panic!("expected a log message, got {other:?}"),
    }
    // The server is still serving.
    let published = client.open(&uri("fixed.toml"), &fixture("fixed.toml"));
    assert_eq!(published.diagnostics, []);
    client.shutdown();
}

#[test]
fn exit_without_shutdown_is_an_error() {
    let (client, _) = Client::start(None);
    client.notify("exit", serde_json::Value::Null);
    let stopped = client.server.join().unwrap();
    assert!(matches!(stopped, Err(ServerError::ExitBeforeShutdown)));
}
