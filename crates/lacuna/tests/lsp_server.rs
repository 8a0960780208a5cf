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
        Client::start_with(workspace(), encodings)
    }

    /// Starts a server that checks with `analyzer`.
    fn start_with(
        analyzer: impl lacuna_lsp::Analyzer + Send + 'static,
        encodings: Option<Vec<PositionEncodingKind>>,
    ) -> (Client, InitializeResult) {
        Client::start_full(analyzer, encodings, None)
    }

    /// Starts a server with `options` as initialization options.
    fn start_full(
        analyzer: impl lacuna_lsp::Analyzer + Send + 'static,
        encodings: Option<Vec<PositionEncodingKind>>,
        options: Option<serde_json::Value>,
    ) -> (Client, InitializeResult) {
        Client::start_params(analyzer, encodings, options, None)
    }

    /// Starts a server for a client with the given workspace capabilities.
    fn start_params(
        analyzer: impl lacuna_lsp::Analyzer + Send + 'static,
        encodings: Option<Vec<PositionEncodingKind>>,
        options: Option<serde_json::Value>,
        workspace: Option<lsp_types::WorkspaceClientCapabilities>,
    ) -> (Client, InitializeResult) {
        let (client, server) = Connection::memory();
        let server = std::thread::spawn(move || serve(&server, &analyzer));
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
                workspace,
                ..ClientCapabilities::default()
            },
            initialization_options: options,
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

fn uri(name: &str) -> Uri {
    format!("file:///project/{name}").parse().unwrap()
}

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/lsp/{name}", env!("CARGO_MANIFEST_DIR"));
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
    let response = client.request("textDocument/codeLens", serde_json::json!({}));
    let error = response.error.unwrap();
    assert_eq!(error.code, lsp_server::ErrorCode::MethodNotFound as i32);
    assert_eq!(
        error.message,
        "the server does not answer `textDocument/codeLens`"
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

/// A proposal with an entity id holding an emoji, CJK and a combining mark,
/// written with CRLF line ends.
const WIDE: &str = "# 🌍 東京 e\u{301}\r\n[group.\"🌍 東京 e\u{301}\"]\r\narea = \"survival\"\r\nname = \"Migrants 🌊\"\r\n\r\n[actor.UNHCR]\r\nkind = \"agency\"\r\n\r\n[[mandate]]\r\nactor = \"UNHCR\"\r\nfunction = \"protection\"\r\ngroup = \"🌍 東京 e\u{301}\"\r\n\r\n[proposal]\r\ntitle = \"Wide\"\r\n";

/// The position just after the last occurrence of `needle` plus `extra`
/// bytes, in UTF-16 code units.
fn utf16_after(text: &str, needle: &str, extra: usize) -> Position {
    let at = text.rfind(needle).unwrap() + needle.len() + extra;
    let before = &text[..at];
    let line = before.matches('\n').count() as u32;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position::new(line, text[line_start..at].encode_utf16().count() as u32)
}

fn position_params(uri: &Uri, position: Position) -> serde_json::Value {
    serde_json::json!({"textDocument": {"uri": uri}, "position": position})
}

fn hover_text(response: &Response) -> String {
    let hover: lsp_types::Hover = serde_json::from_value(response.result.clone().unwrap()).unwrap();
    match hover.contents {
        lsp_types::HoverContents::Markup(markup) => markup.value,
        other => panic!("expected Markdown, got {other:?}"),
    }
}

#[test]
fn definition_hover_and_references_on_wide_characters_and_crlf() {
    let (mut client, _) = Client::start(None);
    let doc = uri("wide.toml");
    client.open(&doc, WIDE);

    // From inside the reference, after the globe and the CJK characters.
    let inside = utf16_after(WIDE, "group = \"🌍 東京", 0);
    let response = client.request("textDocument/definition", position_params(&doc, inside));
    let location: lsp_types::Location = serde_json::from_value(response.result.unwrap()).unwrap();
    assert_eq!(location.uri, doc);
    assert_eq!(
        location.range,
        utf16_range(WIDE, "[group.\"🌍 東京 e\u{301}\"]")
    );

    // References from the header's id: the declaration and the one use.
    let id = utf16_after(WIDE, "[group.\"🌍", 0);
    let response = client.request(
        "textDocument/references",
        serde_json::json!({"textDocument": {"uri": doc}, "position": id, "context": {"includeDeclaration": true}}),
    );
    let found: Vec<lsp_types::Location> = serde_json::from_value(response.result.unwrap()).unwrap();
    let ranges: Vec<Range> = found.into_iter().map(|l| l.range).collect();
    let use_start = utf16_after(WIDE, "group = \"", 0);
    let use_end = utf16_after(WIDE, "group = \"🌍 東京 e\u{301}", 0);
    let header_start = utf16_after(WIDE, "[group.\"", 0);
    assert_eq!(
        ranges,
        [
            Range::new(
                header_start,
                Position::new(header_start.line, header_start.character + 8)
            ),
            Range::new(use_start, use_end),
        ]
    );

    // Hover on a key, an enum value and a header.
    let key = client.request(
        "textDocument/hover",
        position_params(&doc, Position::new(2, 1)),
    );
    assert!(hover_text(&key).starts_with("**field** `group.area`: `area` (required)"));
    let value = client.request(
        "textDocument/hover",
        position_params(&doc, utf16_after(WIDE, "area = \"surv", 0)),
    );
    assert!(
        hover_text(&value).starts_with("**variant** `survival` of `area`"),
        "{}",
        hover_text(&value)
    );
    let header = client.request(
        "textDocument/hover",
        position_params(&doc, Position::new(5, 2)),
    );
    assert!(hover_text(&header).starts_with("**entity** `actor`"));
    // A reference shows the entity's first lines.
    let reference = client.request(
        "textDocument/hover",
        position_params(&doc, utf16_after(WIDE, "actor = \"UN", 0)),
    );
    assert!(hover_text(&reference).contains("[actor.UNHCR]\nkind = \"agency\""));
    client.shutdown();
}

#[test]
fn rename_changes_the_id_everywhere_and_refuses_elsewhere() {
    let (mut client, _) = Client::start(None);
    let doc = uri("wide.toml");
    client.open(&doc, WIDE);
    let on_use = utf16_after(WIDE, "actor = \"UN", 0);
    let prepared = client.request("textDocument/prepareRename", position_params(&doc, on_use));
    let range: Range = serde_json::from_value(
        prepared
            .result
            .unwrap_or_else(|| panic!("{:?}", prepared.error)),
    )
    .unwrap();
    assert_eq!(range, utf16_range(WIDE, "UNHCR"));

    let response = client.request(
        "textDocument/rename",
        serde_json::json!({"textDocument": {"uri": doc}, "position": on_use, "newName": "HCR"}),
    );
    let edit: lsp_types::WorkspaceEdit = serde_json::from_value(response.result.unwrap()).unwrap();
    let edits = &edit.changes.unwrap()[&doc];
    assert_eq!(edits.len(), 2);
    assert!(edits.iter().all(|e| e.new_text == "HCR"));

    // A key is not an id, and a quoted id is left to the author.
    for position in [Position::new(2, 1), utf16_after(WIDE, "[group.\"🌍", 0)] {
        let refused = client.request(
            "textDocument/prepareRename",
            position_params(&doc, position),
        );
        let error = refused.error.unwrap();
        assert_eq!(error.code, lsp_server::ErrorCode::RequestFailed as i32);
    }
    // An id that is taken.
    let taken = client.request(
        "textDocument/rename",
        serde_json::json!({"textDocument": {"uri": doc}, "position": on_use, "newName": "UNHCR"}),
    );
    assert!(taken.error.unwrap().message.contains("already"));
    client.shutdown();
}

#[test]
fn completion_offers_keys_variants_and_ids() {
    let (mut client, _) = Client::start(None);
    let doc = uri("draft.toml");
    let text =
        "[actor.UNHCR]\nkind = \"agency\"\n\n[group.g]\nname = \"x\"\n\n[[mandate]]\ngroup = \n";
    client.open(&doc, text);
    let labels = |response: Response| -> Vec<String> {
        let items: Vec<lsp_types::CompletionItem> =
            serde_json::from_value(response.result.unwrap()).unwrap();
        items.into_iter().map(|i| i.label).collect()
    };
    // Keys of `group` not written yet, the required `area` first.
    let keys = labels(client.request(
        "textDocument/completion",
        position_params(&doc, Position::new(5, 0)),
    ));
    assert_eq!(keys.first().map(String::as_str), Some("area"));
    assert!(!keys.contains(&"name".to_owned()));
    // The ids of groups after `group = `.
    let ids = labels(client.request(
        "textDocument/completion",
        position_params(&doc, Position::new(7, 8)),
    ));
    assert_eq!(ids, ["g"]);
    // Kinds in a header.
    let kinds = labels(client.request(
        "textDocument/completion",
        position_params(&doc, Position::new(6, 2)),
    ));
    assert!(kinds.contains(&"mandate".to_owned()) && kinds.contains(&"allow".to_owned()));
    client.shutdown();
}

#[test]
fn configuration_is_found_reloaded_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(root.join("lacuna.toml"), "ignore = [\"forum\"]\n").unwrap();
    let proposal_uri: Uri = format!("file://{}/gap.toml", root.display())
        .parse()
        .unwrap();
    let config_uri: Uri = format!("file://{}/lacuna.toml", root.display())
        .parse()
        .unwrap();
    let (client, _) = Client::start(None);
    let codes = |published: &PublishDiagnosticsParams| -> Vec<String> {
        published
            .diagnostics
            .iter()
            .map(|d| match d.code.clone().unwrap() {
                lsp_types::NumberOrString::String(code) => code,
                lsp_types::NumberOrString::Number(n) => n.to_string(),
            })
            .collect()
    };
    let published = client.open(&proposal_uri, &fixture("gap.toml"));
    assert_eq!(codes(&published), Vec::<String>::new());

    // Opening the configuration with other text reloads it: the unsaved
    // buffer counts. Every open document is checked again.
    client.notify(
        "textDocument/didOpen",
        DidOpenTextDocumentParams {
            text_document: TextDocumentItem::new(
                config_uri.clone(),
                "toml".to_owned(),
                1,
                "ignore = []\nnope = 1\n".to_owned(),
            ),
        },
    );
    let mut seen = std::collections::BTreeMap::new();
    for _ in 0..2 {
        let published = client.published();
        seen.insert(published.uri.as_str().to_owned(), codes(&published));
    }
    assert_eq!(
        seen[proposal_uri.as_str()],
        ["forum.exists", "forum.permanent"]
    );
    assert_eq!(seen[config_uri.as_str()], ["config::unknown_key"]);
    client.shutdown();
}

#[test]
fn a_norm_file_has_hover_definition_and_symbols() {
    let (mut client, _) = Client::start(None);
    let doc = uri("mine.norm");
    let text = "/// Colours.\nenum colour { red, blue }\n\nentity flag {\n  colour: colour\n}\n\n/// A red flag.\nnorm flags.red {\n  for f in flag\n  require f.colour == red\n}\n";
    let published = client.open(&doc, text);
    assert_eq!(published.diagnostics, [], "{published:#?}");
    let on_field = utf16_after(text, "f.col", 0);
    let hover = client.request("textDocument/hover", position_params(&doc, on_field));
    assert!(hover_text(&hover).starts_with("**field** `flag.colour`: `colour`"));
    let definition = client.request("textDocument/definition", position_params(&doc, on_field));
    let location: lsp_types::Location = serde_json::from_value(definition.result.unwrap()).unwrap();
    let start = utf16_range(text, "colour: colour").start;
    assert_eq!(
        location.range,
        Range::new(start, Position::new(start.line, start.character + 6))
    );
    let symbols = client.request(
        "textDocument/documentSymbol",
        serde_json::json!({"textDocument": {"uri": doc}}),
    );
    let symbols: Vec<lsp_types::DocumentSymbol> =
        serde_json::from_value(symbols.result.unwrap()).unwrap();
    let names: Vec<&str> = symbols.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["colour", "flag", "flags.red"]);
    client.shutdown();
}

/// An analyzer that takes its time, counts its checks, and panics on a
/// text that says `boom`.
struct Slow {
    calls: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl lacuna_lsp::Analyzer for Slow {
    fn analyze(&self, request: &lacuna_lsp::Request<'_>) -> Option<lacuna_lsp::Analysis> {
        self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        assert!(!request.text.contains("boom"), "the analyzer blew up");
        std::thread::sleep(Duration::from_millis(200));
        if (request.cancelled)() {
            return None;
        }
        let mut sources = lacuna::SourceDb::new();
        let source = sources.add(request.name, request.text);
        let rules = lacuna_lsp::Rules {
            schema: Default::default(),
            program: Default::default(),
            sources: lacuna::SourceDb::new(),
            explanations: Default::default(),
            paths: Default::default(),
        };
        Some(lacuna_lsp::Analysis {
            rules: std::sync::Arc::new(rules),
            sources,
            source,
            problems: Vec::new(),
            findings: Vec::new(),
            facts: None,
        })
    }

    fn invalidate(&self) {}
}

#[test]
fn rapid_changes_are_checked_once_at_the_latest_version() {
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (client, _) = Client::start_with(
        Slow {
            calls: calls.clone(),
        },
        None,
    );
    let doc = uri("rapid.toml");
    client.notify(
        "textDocument/didOpen",
        DidOpenTextDocumentParams {
            text_document: TextDocumentItem::new(
                doc.clone(),
                "toml".to_owned(),
                1,
                "a = 1".to_owned(),
            ),
        },
    );
    for version in 2..=31 {
        client.notify(
            "textDocument/didChange",
            DidChangeTextDocumentParams {
                text_document: VersionedTextDocumentIdentifier::new(doc.clone(), version),
                content_changes: vec![TextDocumentContentChangeEvent {
                    range: None,
                    range_length: None,
                    text: format!("a = {version}"),
                }],
            },
        );
    }
    // Whatever was published before, the last version is; no stale
    // version comes after it.
    let mut versions = Vec::new();
    loop {
        let published = client.published();
        versions.push(published.version.unwrap());
        if published.version == Some(31) {
            break;
        }
    }
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "{versions:?}");
    let checked = calls.load(std::sync::atomic::Ordering::SeqCst);
    assert!(checked <= 3, "{checked} checks for 31 versions");
    client.shutdown();
}

#[test]
fn a_panicking_check_is_logged_and_the_server_goes_on() {
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (mut client, _) = Client::start_with(Slow { calls }, None);
    let doc = uri("boom.toml");
    client.notify(
        "textDocument/didOpen",
        DidOpenTextDocumentParams {
            text_document: TextDocumentItem::new(
                doc.clone(),
                "toml".to_owned(),
                1,
                "boom".to_owned(),
            ),
        },
    );
    match client.receive() {
        Message::Notification(n) if n.method == "window/logMessage" => {
            let message = n.params["message"].as_str().unwrap();
            assert!(message.contains("the analyzer blew up"), "{message}");
        }
        other => panic!("expected a log message, got {other:?}"),
    }
    // Requests on the document are answered, without a result.
    let hover = client.request(
        "textDocument/hover",
        position_params(&doc, Position::new(0, 1)),
    );
    assert_eq!(
        (hover.result, hover.error.is_none()),
        (Some(serde_json::Value::Null), true)
    );
    // Other documents are still checked.
    let published = client.open(&uri("fine.toml"), "a = 1");
    assert_eq!(published.diagnostics, []);
    client.shutdown();
}

fn file_uri(path: &std::path::Path) -> Uri {
    format!("file://{}", path.display()).parse().unwrap()
}

fn codes(published: &PublishDiagnosticsParams) -> Vec<String> {
    published
        .diagnostics
        .iter()
        .map(|d| match d.code.clone().unwrap() {
            lsp_types::NumberOrString::String(code) => code,
            lsp_types::NumberOrString::Number(n) => n.to_string(),
        })
        .collect()
}

/// A norm of a rule directory that fires on every proposal without a title
/// `"Titled"`.
const EXTRA: &str = "/// The title is `Titled`.\nnorm extra.titled {\n  severity: error\n  for p in proposal\n  require p.title == \"Titled\"\n}\n";

#[test]
fn editing_a_rule_of_the_proposal_s_rule_directory_updates_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::create_dir(root.join("rules")).unwrap();
    std::fs::write(root.join("rules/extra.norm"), EXTRA).unwrap();
    std::fs::write(
        root.join("lacuna.toml"),
        "rules = [\"rules\"]\nselect = [\"extra\"]\n",
    )
    .unwrap();
    let (client, _) = Client::start(None);
    let proposal = file_uri(&root.join("p.toml"));
    let published = client.open(&proposal, "[proposal]\ntitle = \"Untitled\"\n");
    assert_eq!(codes(&published), ["extra.titled"]);

    // The unsaved buffer of the rule file counts: with the new condition
    // the proposal passes, and the rule file has no problem of its own.
    let rule = file_uri(&root.join("rules/extra.norm"));
    client.notify(
        "textDocument/didOpen",
        DidOpenTextDocumentParams {
            text_document: TextDocumentItem::new(
                rule.clone(),
                "lacuna".to_owned(),
                1,
                EXTRA.replace("== \"Titled\"", "!= \"Titled\""),
            ),
        },
    );
    let mut seen = std::collections::BTreeMap::new();
    for _ in 0..2 {
        let published = client.published();
        seen.insert(published.uri.as_str().to_owned(), codes(&published));
    }
    assert_eq!(seen[proposal.as_str()], Vec::<String>::new());
    assert_eq!(seen[rule.as_str()], Vec::<String>::new());
    client.shutdown();
}

#[test]
fn initialization_options_name_the_configuration_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(
        root.join("strict.toml"),
        "select = [\"proposal.evidence\"]\n",
    )
    .unwrap();
    let options = serde_json::json!({"configPath": root.join("strict.toml")});
    let (client, _) = Client::start_full(workspace(), None, Some(options));
    let published = client.open(
        &file_uri(&root.join("p.toml")),
        "[proposal]\ntitle = \"T\"\n",
    );
    assert_eq!(codes(&published), ["proposal.evidence"]);
    client.shutdown();
}

#[test]
fn range_formatting_changes_only_the_lines_in_range() {
    let (mut client, _) = Client::start(None);
    let doc = uri("two.norm");
    let text = "/// One.\nnorm a.one {\n    severity:warning\n  for p in proposal\n  require p.title == \"x\"\n}\n\n/// Two.\nnorm a.two {\n    severity:warning\n  for p in proposal\n  require p.title == \"y\"\n}\n";
    client.open(&doc, text);
    let response = client.request(
        "textDocument/rangeFormatting",
        serde_json::json!({
            "textDocument": {"uri": doc},
            "range": {"start": {"line": 8, "character": 0}, "end": {"line": 12, "character": 1}},
            "options": {"tabSize": 2, "insertSpaces": true},
        }),
    );
    let edits: Vec<TextEdit> = serde_json::from_value(response.result.unwrap()).unwrap();
    assert!(!edits.is_empty());
    assert!(edits.iter().all(|e| e.range.start.line >= 8), "{edits:?}");
    assert!(
        edits
            .iter()
            .any(|e| e.new_text.contains("severity: warning"))
    );
    client.shutdown();
}

#[test]
fn folding_and_symbols_of_a_proposal_follow_its_tables() {
    let (mut client, _) = Client::start(None);
    let doc = uri("wide.toml");
    client.open(&doc, WIDE);
    let folding = client.request(
        "textDocument/foldingRange",
        serde_json::json!({"textDocument": {"uri": doc}}),
    );
    let ranges: Vec<lsp_types::FoldingRange> =
        serde_json::from_value(folding.result.unwrap()).unwrap();
    let lines: Vec<(u32, u32)> = ranges.iter().map(|r| (r.start_line, r.end_line)).collect();
    // The group (lines 1-3), the actor (5-6), the mandate (8-11), the
    // proposal (13-14).
    for table in [(1, 3), (5, 6), (8, 11), (13, 14)] {
        assert!(lines.contains(&table), "{table:?} not in {lines:?}");
    }
    let symbols = client.request(
        "textDocument/documentSymbol",
        serde_json::json!({"textDocument": {"uri": doc}}),
    );
    let symbols: Vec<lsp_types::DocumentSymbol> =
        serde_json::from_value(symbols.result.unwrap()).unwrap();
    let outline: Vec<String> = symbols
        .iter()
        .map(|s| {
            let children: Vec<&str> = s
                .children
                .iter()
                .flatten()
                .map(|c| c.name.as_str())
                .collect();
            format!("{}: {}", s.name, children.join(", "))
        })
        .collect();
    assert_eq!(
        outline,
        [
            "group: 🌍 東京 e\u{301}",
            "actor: UNHCR",
            "mandate: mandate[0]",
            "proposal: proposal"
        ]
    );
    client.shutdown();
}

#[test]
fn completion_in_a_norm_file_offers_the_fields_of_the_variable_s_kind() {
    let (mut client, _) = Client::start(None);
    let doc = uri("draft.norm");
    let text = "/// Draft.\nnorm draft.one {\n  for m in mandate\n  require m.\n}\n";
    client.open(&doc, text);
    let response = client.request(
        "textDocument/completion",
        position_params(&doc, Position::new(3, 12)),
    );
    let items: Vec<lsp_types::CompletionItem> =
        serde_json::from_value(response.result.unwrap()).unwrap();
    let labels: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
    assert_eq!(labels, ["actor", "basis", "function", "group"]);
    client.shutdown();
}

#[test]
fn settings_come_from_workspace_configuration_when_the_client_has_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(
        root.join("strict.toml"),
        "select = [\"proposal.evidence\"]\n",
    )
    .unwrap();
    let workspace_capabilities = lsp_types::WorkspaceClientCapabilities {
        configuration: Some(true),
        ..Default::default()
    };
    let (client, _) = Client::start_params(workspace(), None, None, Some(workspace_capabilities));
    // After `initialized`, the server asks for the `lacuna` section.
    let request = match client.receive() {
        Message::Request(request) => request,
        other => panic!("expected a request, got {other:?}"),
    };
    assert_eq!(request.method, "workspace/configuration");
    assert_eq!(request.params["items"][0]["section"], "lacuna");
    let answer = Response::new_ok(
        request.id,
        serde_json::json!([{"configPath": root.join("strict.toml")}]),
    );
    client.connection.sender.send(answer.into()).unwrap();
    let published = client.open(
        &file_uri(&root.join("p.toml")),
        "[proposal]\ntitle = \"T\"\n",
    );
    assert_eq!(codes(&published), ["proposal.evidence"]);
    client.shutdown();
}

fn actions(response: Response) -> Vec<lsp_types::CodeAction> {
    let items: Vec<lsp_types::CodeActionOrCommand> =
        serde_json::from_value(response.result.unwrap()).unwrap();
    items
        .into_iter()
        .map(|item| match item {
            lsp_types::CodeActionOrCommand::CodeAction(action) => action,
            other => panic!("expected a code action, got {other:?}"),
        })
        .collect()
}

fn code_action_params(uri: &Uri, range: Range, only: Option<&str>) -> serde_json::Value {
    serde_json::json!({
        "textDocument": {"uri": uri},
        "range": range,
        "context": {"diagnostics": [], "only": only.map(|kind| vec![kind])},
    })
}

#[test]
fn code_actions_offer_the_fixes_the_suppression_and_fix_all() {
    let (mut client, _) = Client::start(None);
    let doc = uri("typo.toml");
    let text =
        "[proposal]\ntitle = \"T 🌍\"\n\n[group.g]\narea = \"survival\"\nvulnerabel = true\n";
    let published = client.open(&doc, text);
    assert!(
        codes(&published).contains(&"proposal::unknown_field".to_owned()),
        "{:?}",
        codes(&published)
    );

    // On the misspelt key: its one safe fix, preferred.
    let line = Range::new(Position::new(5, 0), Position::new(5, 3));
    let found = actions(client.request(
        "textDocument/codeAction",
        code_action_params(&doc, line, None),
    ));
    let rename = found
        .iter()
        .find(|a| a.title == "replace `vulnerabel` with `vulnerable`")
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(rename.kind, Some(lsp_types::CodeActionKind::QUICKFIX));
    assert_eq!(rename.is_preferred, Some(true));
    let edits = &rename.edit.as_ref().unwrap().changes.as_ref().unwrap()[&doc];
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0].range, utf16_range(text, "vulnerabel"));

    // On a finding: its suppression, which is never preferred.
    let header = Range::new(Position::new(0, 1), Position::new(0, 1));
    let found = actions(client.request(
        "textDocument/codeAction",
        code_action_params(&doc, header, Some("quickfix")),
    ));
    let suppress = found
        .iter()
        .find(|a| {
            a.title
                .starts_with("suppress `proposal.evidence` with an `[[allow]]` entry")
        })
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(suppress.is_preferred, Some(false));

    // Every safe fix at once.
    let all = actions(client.request(
        "textDocument/codeAction",
        code_action_params(&doc, header, Some("source.fixAll")),
    ));
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(
        all[0].kind.as_ref().unwrap().as_str(),
        "source.fixAll.lacuna"
    );
    let edits = &all[0].edit.as_ref().unwrap().changes.as_ref().unwrap()[&doc];
    assert_eq!(edits[0].new_text, text.replace("vulnerabel", "vulnerable"));
    client.shutdown();
}
