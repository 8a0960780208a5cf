//! The message loop: the initialize handshake, a table from methods to
//! handlers, and the server's state between messages.

use std::collections::BTreeMap;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument, Exit,
    LogMessage, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{Formatting, Request as _};
use lsp_types::{
    InitializeParams, LogMessageParams, MessageType, OneOf, PublishDiagnosticsParams, SaveOptions,
    ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};

use crate::ServerError;
use crate::analyzer::Analyzer;
use crate::check::diagnostics;
use crate::document::{Document, Kind, kind_of};
use crate::handlers;
use crate::position::Encoding;

type RequestHandler = fn(&mut State, serde_json::Value) -> Result<serde_json::Value, String>;
type NotificationHandler = fn(&mut State, serde_json::Value) -> Result<(), String>;

/// The requests the server answers; any other gets `MethodNotFound`.
const REQUESTS: &[(&str, RequestHandler)] = &[(Formatting::METHOD, handlers::formatting::handle)];

/// The notifications the server acts on; it ignores the others, as the
/// protocol allows.
const NOTIFICATIONS: &[(&str, NotificationHandler)] = &[
    (DidOpenTextDocument::METHOD, handlers::did_open::handle),
    (DidChangeTextDocument::METHOD, handlers::did_change::handle),
    (DidSaveTextDocument::METHOD, handlers::did_save::handle),
    (DidCloseTextDocument::METHOD, handlers::did_close::handle),
];

/// What the server holds between messages.
pub(crate) struct State<'a> {
    pub encoding: Encoding,
    analyzer: &'a dyn Analyzer,
    /// Open documents by URI; a `BTreeMap` so nothing depends on hashing.
    documents: BTreeMap<String, Document>,
    /// Messages the handlers produced, sent after each incoming message.
    outgoing: Vec<Message>,
}

impl State<'_> {
    pub fn document(&self, uri: &Uri) -> Option<&Document> {
        self.documents.get(uri.as_str())
    }

    /// Stores the document's new text and publishes its diagnostics.
    pub fn open(&mut self, document: Document) {
        if let Some(found) = diagnostics(self.analyzer, &document, self.encoding) {
            self.publish(document.uri.clone(), found, document.version);
        }
        self.documents
            .insert(document.uri.as_str().to_owned(), document);
    }

    /// Forgets the document and clears its diagnostics.
    pub fn close(&mut self, uri: &Uri) {
        self.documents.remove(uri.as_str());
        if kind_of(uri) != Kind::Other {
            self.publish(uri.clone(), Vec::new(), None);
        }
    }

    fn publish(&mut self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.outgoing
            .push(Notification::new(PublishDiagnostics::METHOD.to_owned(), params).into());
    }

    /// Tells the client, through its log, about a message the server could
    /// not act on, rather than dropping it without a word.
    fn log_error(&mut self, message: String) {
        let params = LogMessageParams {
            typ: MessageType::ERROR,
            message,
        };
        self.outgoing
            .push(Notification::new(LogMessage::METHOD.to_owned(), params).into());
    }
}

/// Serves one client on `connection`, checking documents with `analyzer`:
/// the initialize handshake, then every message until `shutdown` and `exit`.
pub fn serve(connection: &Connection, analyzer: &dyn Analyzer) -> Result<(), ServerError> {
    let (id, params) = connection.initialize_start()?;
    let mut state = State {
        encoding: Encoding::Utf16,
        analyzer,
        documents: BTreeMap::new(),
        outgoing: Vec::new(),
    };
    match serde_json::from_value::<InitializeParams>(params) {
        Ok(params) => {
            let offered = params
                .capabilities
                .general
                .and_then(|general| general.position_encodings)
                .unwrap_or_default();
            state.encoding = Encoding::negotiate(&offered);
        }
        Err(error) => state.log_error(format!(
            "invalid parameters for `initialize`, positions count UTF-16 code units: {error}"
        )),
    }
    let result = serde_json::json!({
        "capabilities": capabilities(state.encoding),
        "serverInfo": ServerInfo {
            name: "lacuna".to_owned(),
            version: Some(lacuna_report::VERSION.to_owned()),
        },
    });
    connection.initialize_finish(id, result)?;
    flush(connection, &mut state)?;
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(());
                }
                let response = answer(&mut state, request);
                state.outgoing.push(response.into());
            }
            Message::Notification(notification) => {
                if notification.method == Exit::METHOD {
                    return Err(ServerError::ExitBeforeShutdown);
                }
                act(&mut state, notification);
            }
            // The server sends no requests, so no response is awaited.
            Message::Response(_) => {}
        }
        flush(connection, &mut state)?;
    }
    Err(ServerError::Disconnected)
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        document_formatting_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

fn answer(state: &mut State, request: Request) -> Response {
    let Some((_, handler)) = REQUESTS
        .iter()
        .find(|(method, _)| *method == request.method)
    else {
        return Response::new_err(
            request.id,
            ErrorCode::MethodNotFound as i32,
            format!("the server does not answer `{}`", request.method),
        );
    };
    match handler(state, request.params) {
        Ok(result) => Response::new_ok(request.id, result),
        Err(message) => Response::new_err(request.id, ErrorCode::InvalidParams as i32, message),
    }
}

fn act(state: &mut State, notification: Notification) {
    let Some((_, handler)) = NOTIFICATIONS
        .iter()
        .find(|(method, _)| *method == notification.method)
    else {
        return;
    };
    if let Err(message) = handler(state, notification.params) {
        state.log_error(message);
    }
}

fn flush(connection: &Connection, state: &mut State) -> Result<(), ServerError> {
    for message in state.outgoing.drain(..) {
        connection
            .sender
            .send(message)
            .map_err(|_| ServerError::Disconnected)?;
    }
    Ok(())
}
