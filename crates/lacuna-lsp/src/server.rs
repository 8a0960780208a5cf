//! The message loop: the initialize handshake, the documents, and the hand
//! off of work to the worker thread.
//!
//! The loop itself only keeps books: it stores the text of every change,
//! queues a check and forwards requests. A worker thread does the checking
//! and answers the requests, so a long check never keeps the loop from
//! reading the next message; and since the worker always reads the latest
//! text, a burst of changes is checked once (see [`crate::worker`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, mpsc};

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    Cancel, DidChangeConfiguration, DidChangeTextDocument, DidChangeWatchedFiles,
    DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument, Exit, LogMessage,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{RegisterCapability, Request as _, WorkspaceConfiguration};
use lsp_types::{
    ConfigurationItem, ConfigurationParams, DidChangeWatchedFilesRegistrationOptions,
    FileSystemWatcher, GlobPattern, InitializeParams, LogMessageParams, MessageType,
    PublishDiagnosticsParams, Registration, RegistrationParams, ServerInfo, Uri,
};

use crate::ServerError;
use crate::analyzer::{Analyzer, DocumentKind, Settings};
use crate::capabilities::capabilities;
use crate::document::{Document, kind_of, path_of};
use crate::position::Encoding;
use crate::worker::{Job, Worker};

/// Locks a mutex; a panic elsewhere while it was held (which the worker
/// catches) does not make the data unusable, since every writer leaves it
/// whole.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What the message loop and the worker share.
pub(crate) struct Shared {
    pub encoding: Encoding,
    /// Open documents by URI; a `BTreeMap` so nothing depends on hashing.
    pub documents: Mutex<BTreeMap<String, Document>>,
    pub settings: Mutex<Settings>,
    /// Requests the client cancelled before the worker got to them.
    pub cancelled: Mutex<BTreeSet<String>>,
    /// Bumped whenever a rule file or configuration changes, which makes
    /// every check made before stale.
    pub generation: AtomicU64,
    pub sender: crossbeam_channel::Sender<Message>,
}

impl Shared {
    pub fn document(&self, uri: &str) -> Option<Document> {
        lock(&self.documents).get(uri).cloned()
    }

    /// The text of the open buffer at `path`.
    pub fn open_text(&self, path: &Path) -> Option<Arc<str>> {
        lock(&self.documents)
            .values()
            .find(|document| path_of(&document.uri).as_deref() == Some(path))
            .map(|document| Arc::clone(&document.text))
    }

    pub fn send(&self, message: Message) {
        // A closed connection ends the loop on its own; nothing to add here.
        let _ = self.sender.send(message);
    }

    pub fn publish(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new(PublishDiagnostics::METHOD.to_owned(), params).into());
    }

    /// Tells the client, through its log, about something the server could
    /// not do, rather than dropping it without a word.
    pub fn log(&self, typ: MessageType, message: String) {
        let params = LogMessageParams { typ, message };
        self.send(Notification::new(LogMessage::METHOD.to_owned(), params).into());
    }
}

/// Serves one client on `connection`, checking documents with `analyzer`:
/// the initialize handshake, then every message until `shutdown` and `exit`.
pub fn serve(connection: &Connection, analyzer: &dyn Analyzer) -> Result<(), ServerError> {
    let (id, params) = connection.initialize_start()?;
    let mut encoding = Encoding::Utf16;
    let mut settings = Settings::default();
    let mut client = ClientSupport::default();
    let mut problems = Vec::new();
    match serde_json::from_value::<InitializeParams>(params) {
        Ok(params) => {
            let offered = params
                .capabilities
                .general
                .as_ref()
                .and_then(|general| general.position_encodings.clone())
                .unwrap_or_default();
            encoding = Encoding::negotiate(&offered);
            if let Some(options) = &params.initialization_options {
                settings = read_settings(options, &mut problems);
            }
            if let Some(workspace) = &params.capabilities.workspace {
                client.configuration = workspace.configuration == Some(true);
                client.watch_files = workspace
                    .did_change_watched_files
                    .as_ref()
                    .and_then(|watch| watch.dynamic_registration)
                    == Some(true);
            }
        }
        Err(error) => problems.push(format!(
            "invalid parameters for `initialize`, positions count UTF-16 code units: {error}"
        )),
    }
    let result = serde_json::json!({
        "capabilities": capabilities(encoding),
        "serverInfo": ServerInfo {
            name: "lacuna".to_owned(),
            version: Some(lacuna_report::VERSION.to_owned()),
        },
    });
    connection.initialize_finish(id, result)?;
    let shared = Shared {
        encoding,
        documents: Mutex::new(BTreeMap::new()),
        settings: Mutex::new(settings),
        cancelled: Mutex::new(BTreeSet::new()),
        generation: AtomicU64::new(0),
        sender: connection.sender.clone(),
    };
    for problem in problems {
        shared.log(MessageType::ERROR, problem);
    }
    let (jobs, queue) = mpsc::channel::<Job>();
    std::thread::scope(|scope| {
        let worker = Worker::new(&shared, analyzer, queue);
        let handle = std::thread::Builder::new()
            .name("lacuna-lsp-worker".to_owned())
            .spawn_scoped(scope, move || worker.run())?;
        let mut state = Loop {
            shared: &shared,
            jobs,
            client,
            next_request: 0,
            configuration_requests: BTreeSet::new(),
        };
        // `initialize_finish` has waited for the client's `initialized`:
        // the server may now ask things of the client.
        if client.watch_files {
            state.watch_files();
        }
        if client.configuration {
            state.ask_configuration();
        }
        let served = state.run(connection);
        // Dropping the queue ends the worker once it is done.
        drop(state);
        let _ = handle.join();
        served
    })
}

/// What the client said it supports, of what the server may ask of it.
#[derive(Clone, Copy, Debug, Default)]
struct ClientSupport {
    /// `workspace/configuration`.
    configuration: bool,
    /// Registering file watchers.
    watch_files: bool,
}

/// The message loop's own state.
struct Loop<'a> {
    shared: &'a Shared,
    jobs: mpsc::Sender<Job>,
    client: ClientSupport,
    /// The id of the next request the server sends.
    next_request: i32,
    /// The ids of the `workspace/configuration` requests awaiting an answer.
    configuration_requests: BTreeSet<String>,
}

impl Loop<'_> {
    fn run(&mut self, connection: &Connection) -> Result<(), ServerError> {
        for message in &connection.receiver {
            match message {
                Message::Request(request) => {
                    if connection.handle_shutdown(&request)? {
                        return Ok(());
                    }
                    self.queue(Job::Request(request));
                }
                Message::Notification(notification) => {
                    if notification.method == Exit::METHOD {
                        return Err(ServerError::ExitBeforeShutdown);
                    }
                    if let Err(message) = self.act(notification) {
                        self.shared.log(MessageType::ERROR, message);
                    }
                }
                Message::Response(response) => self.answered(response),
            }
        }
        Err(ServerError::Disconnected)
    }

    fn queue(&self, job: Job) {
        // The worker stops only when the loop drops the queue.
        let _ = self.jobs.send(job);
    }

    fn act(&mut self, notification: Notification) -> Result<(), String> {
        let Notification { method, params } = notification;
        match method.as_str() {
            DidOpenTextDocument::METHOD => {
                let params: lsp_types::DidOpenTextDocumentParams = parse(&method, params)?;
                let document = params.text_document;
                self.store(Document {
                    uri: document.uri,
                    version: Some(document.version),
                    text: Arc::from(document.text),
                });
            }
            DidChangeTextDocument::METHOD => {
                let params: lsp_types::DidChangeTextDocumentParams = parse(&method, params)?;
                let Some(change) = params.content_changes.into_iter().next_back() else {
                    return Ok(());
                };
                if change.range.is_some() {
                    return Err(format!(
                        "`{method}` sent an incremental change, but the server synchronizes whole documents"
                    ));
                }
                self.store(Document {
                    uri: params.text_document.uri,
                    version: Some(params.text_document.version),
                    text: Arc::from(change.text),
                });
            }
            DidSaveTextDocument::METHOD => {
                let params: lsp_types::DidSaveTextDocumentParams = parse(&method, params)?;
                let uri = params.text_document.uri;
                let Some(mut document) = self.shared.document(uri.as_str()) else {
                    return Err(format!("`{}` was saved but never opened", uri.as_str()));
                };
                if let Some(text) = params.text {
                    document.text = Arc::from(text);
                }
                self.store(document);
            }
            DidCloseTextDocument::METHOD => {
                let params: lsp_types::DidCloseTextDocumentParams = parse(&method, params)?;
                let uri = params.text_document.uri;
                let removed = lock(&self.shared.documents).remove(uri.as_str());
                if removed.is_some() && kind_of(&uri).is_some() {
                    // The worker clears the diagnostics, after any check of the
                    // document it is still running.
                    self.queue(Job::Clear(uri.clone()));
                }
                if affects_others(&uri) {
                    self.invalidate();
                }
            }
            DidChangeWatchedFiles::METHOD => {
                let params: lsp_types::DidChangeWatchedFilesParams = parse(&method, params)?;
                if params
                    .changes
                    .iter()
                    .any(|change| affects_others(&change.uri))
                {
                    self.invalidate();
                }
            }
            DidChangeConfiguration::METHOD => {
                let params: lsp_types::DidChangeConfigurationParams = parse(&method, params)?;
                if self.client.configuration {
                    self.ask_configuration();
                } else {
                    let mut problems = Vec::new();
                    let settings = read_settings(&params.settings, &mut problems);
                    for problem in problems {
                        self.shared.log(MessageType::ERROR, problem);
                    }
                    self.configure(settings);
                }
            }
            Cancel::METHOD => {
                let params: lsp_types::CancelParams = parse(&method, params)?;
                let id = match params.id {
                    lsp_types::NumberOrString::Number(n) => RequestId::from(n),
                    lsp_types::NumberOrString::String(s) => RequestId::from(s),
                };
                lock(&self.shared.cancelled).insert(id.to_string());
            }
            // The protocol lets a server ignore notifications it does not know.
            _ => {}
        }
        Ok(())
    }

    /// Stores a document's new text and queues its check; a change to a rule
    /// file or to the configuration is a change to every open document.
    fn store(&mut self, document: Document) {
        let uri = document.uri.clone();
        lock(&self.shared.documents).insert(uri.as_str().to_owned(), document);
        if affects_others(&uri) {
            self.invalidate();
        } else {
            self.queue(Job::Check(uri.as_str().to_owned()));
        }
    }

    /// Forgets what was built from rules and configuration, and checks every
    /// open document again.
    fn invalidate(&self) {
        self.shared.generation.fetch_add(1, Ordering::SeqCst);
        self.queue(Job::Invalidate);
        let uris: Vec<String> = lock(&self.shared.documents).keys().cloned().collect();
        for uri in uris {
            self.queue(Job::Check(uri));
        }
    }

    fn configure(&self, settings: Settings) {
        let changed = {
            let mut current = lock(&self.shared.settings);
            let changed = *current != settings;
            *current = settings;
            changed
        };
        if changed {
            self.invalidate();
        }
    }

    fn request(&mut self, method: &str, params: impl serde::Serialize) -> String {
        self.next_request += 1;
        let id = RequestId::from(format!("lacuna-{}", self.next_request));
        let key = id.to_string();
        self.shared
            .send(Request::new(id, method.to_owned(), params).into());
        key
    }

    fn ask_configuration(&mut self) {
        let params = ConfigurationParams {
            items: vec![ConfigurationItem {
                scope_uri: None,
                section: Some("lacuna".to_owned()),
            }],
        };
        let id = self.request(WorkspaceConfiguration::METHOD, params);
        self.configuration_requests.insert(id);
    }

    fn watch_files(&mut self) {
        let watchers = ["**/*.norm", "**/lacuna.toml"]
            .into_iter()
            .map(|glob| FileSystemWatcher {
                glob_pattern: GlobPattern::String(glob.to_owned()),
                kind: None,
            })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "lacuna-watch-rules".to_owned(),
                method: DidChangeWatchedFiles::METHOD.to_owned(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.request(RegisterCapability::METHOD, params);
    }

    /// A response to a request the server sent.
    fn answered(&mut self, response: Response) {
        if !self.configuration_requests.remove(&response.id.to_string()) {
            return;
        }
        if let Some(error) = response.error {
            self.shared.log(
                MessageType::WARNING,
                format!("the client did not send its settings: {}", error.message),
            );
            return;
        }
        let first = response
            .result
            .and_then(|result| result.as_array().and_then(|items| items.first().cloned()));
        let mut problems = Vec::new();
        let settings = match first {
            Some(value) if !value.is_null() => read_settings(&value, &mut problems),
            _ => lock(&self.shared.settings).clone(),
        };
        for problem in problems {
            self.shared.log(MessageType::ERROR, problem);
        }
        self.configure(settings);
    }
}

/// Whether a change to the file at `uri` changes how other documents are
/// checked: rule files and configuration files do.
fn affects_others(uri: &Uri) -> bool {
    matches!(
        kind_of(uri),
        Some(DocumentKind::Rules | DocumentKind::Config)
    )
}

fn parse<P: serde::de::DeserializeOwned>(
    method: &str,
    params: serde_json::Value,
) -> Result<P, String> {
    crate::handlers::params(method, params)
}

/// The server's settings in what the client sent: `{"configPath": ...}`,
/// at the top level or under `lacuna`.
fn read_settings(value: &serde_json::Value, problems: &mut Vec<String>) -> Settings {
    let section = value.get("lacuna").unwrap_or(value);
    let mut settings = Settings::default();
    match section.get("configPath") {
        None | Some(serde_json::Value::Null) => {}
        Some(serde_json::Value::String(path)) if !path.is_empty() => {
            settings.config_path = Some(path.into());
        }
        Some(other) => problems.push(format!(
            "the setting `configPath` must be the path of a configuration file, not `{other}`"
        )),
    }
    settings
}
