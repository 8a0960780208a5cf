//! The worker thread: checks documents and answers requests.
//!
//! The message loop queues a [`Job::Check`] for every change. The worker
//! takes every job queued so far at once and checks each document once, at
//! the latest text the loop has stored, so thirty changes that arrive during
//! one check cost one more check, not thirty. A check in progress asks the
//! analyzer to stop as soon as a newer version arrives, and a result that
//! is stale when it is ready is dropped rather than published.
//!
//! Requests are answered after the checks of their batch, from a snapshot
//! of the document's latest version. A panic in a check or a handler is
//! caught: the request gets an error, the client's log gets the message,
//! and the worker goes on.

use std::any::Any;
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock, mpsc};

use lsp_server::{ErrorCode, Request, Response};
use lsp_types::{MessageType, Uri};

use crate::analyzer::{Analysis, Analyzer, Request as Check};
use crate::check::diagnostics;
use crate::document::{Document, path_of};
use crate::handlers::{self, Failure};
use crate::position::Encoding;
use crate::server::{Shared, lock};

/// What the message loop asks of the worker.
pub(crate) enum Job {
    /// Check the latest text of the document at this URI.
    Check(String),
    /// The document was closed: clear its diagnostics.
    Clear(Uri),
    /// A rule file or configuration changed: rebuild what depends on them.
    Invalidate,
    Request(Request),
}

/// A document as it was checked.
pub(crate) struct Snapshot {
    pub document: Document,
    /// The generation of rules and configuration it was checked with.
    generation: u64,
    /// `None` when the check panicked.
    pub analysis: Option<Analysis>,
    /// The check again with the repairs of findings, made the first time a
    /// code action asks; `None` inside when it panicked.
    repaired: OnceLock<Option<Analysis>>,
}

impl Snapshot {
    /// The analysis with the repairs of findings, once
    /// [`Worker::repaired`] has made it.
    pub fn repaired(&self) -> Option<&Analysis> {
        self.repaired.get()?.as_ref()
    }

    fn is_current(&self, document: &Document, generation: u64) -> bool {
        self.generation == generation
            && self.document.version == document.version
            && Arc::ptr_eq(&self.document.text, &document.text)
    }
}

pub(crate) struct Worker<'a> {
    shared: &'a Shared,
    analyzer: &'a dyn Analyzer,
    queue: mpsc::Receiver<Job>,
    snapshots: BTreeMap<String, Arc<Snapshot>>,
}

impl<'a> Worker<'a> {
    pub fn new(
        shared: &'a Shared,
        analyzer: &'a dyn Analyzer,
        queue: mpsc::Receiver<Job>,
    ) -> Worker<'a> {
        Worker {
            shared,
            analyzer,
            queue,
            snapshots: BTreeMap::new(),
        }
    }

    pub fn encoding(&self) -> Encoding {
        self.shared.encoding
    }

    /// Works until the message loop drops the queue.
    pub fn run(mut self) {
        while let Ok(first) = self.queue.recv() {
            let mut checks: Vec<String> = Vec::new();
            let mut rest = Vec::new();
            for job in std::iter::once(first).chain(self.queue.try_iter()) {
                match job {
                    Job::Check(uri) => {
                        if !checks.contains(&uri) {
                            checks.push(uri);
                        }
                    }
                    Job::Invalidate => self.analyzer.invalidate(),
                    other => rest.push(other),
                }
            }
            for uri in &checks {
                self.check(uri);
            }
            for job in rest {
                match job {
                    Job::Clear(uri) => self.clear(uri),
                    Job::Request(request) => self.answer(request),
                    Job::Check(_) | Job::Invalidate => {}
                }
            }
        }
    }

    fn clear(&mut self, uri: Uri) {
        // Closed and opened again in the same batch: the new check stands.
        if self.shared.document(uri.as_str()).is_some() {
            return;
        }
        self.snapshots.remove(uri.as_str());
        self.shared.publish(uri, Vec::new(), None);
    }

    /// The snapshot of the document's latest version, checking it first if
    /// the last check is stale.
    pub fn snapshot(&mut self, uri: &Uri) -> Option<Arc<Snapshot>> {
        self.check(uri.as_str());
        self.snapshots.get(uri.as_str()).cloned()
    }

    /// The snapshot of the document's latest version, with the analysis
    /// that carries the repairs of findings made ([`Snapshot::repaired`]).
    pub fn repaired(&mut self, uri: &Uri) -> Option<Arc<Snapshot>> {
        let snapshot = self.snapshot(uri)?;
        let shared = self.shared;
        let analyzer = self.analyzer;
        snapshot.repaired.get_or_init(|| {
            let document = &snapshot.document;
            let kind = document.kind()?;
            let path = path_of(&document.uri);
            let name = document.name();
            let settings = lock(&shared.settings).clone();
            let open = |path: &std::path::Path| shared.open_text(path);
            let never = || false;
            let request = Check {
                kind,
                path: path.as_deref(),
                name: &name,
                text: &document.text,
                settings: &settings,
                open: &open,
                repairs: true,
                cancelled: &never,
            };
            match catch_unwind(AssertUnwindSafe(|| analyzer.analyze(&request))) {
                Ok(analysis) => analysis,
                Err(panic) => {
                    shared.log(
                        MessageType::ERROR,
                        format!(
                            "searching the repairs of `{name}` failed: {}",
                            panic_message(panic.as_ref())
                        ),
                    );
                    None
                }
            }
        });
        Some(snapshot)
    }

    /// Checks the latest version of a document and publishes its
    /// diagnostics, unless the last check is current or a newer version
    /// arrives meanwhile.
    fn check(&mut self, uri: &str) {
        let Some(document) = self.shared.document(uri) else {
            return;
        };
        let generation = self.shared.generation.load(Ordering::SeqCst);
        if self
            .snapshots
            .get(uri)
            .is_some_and(|snapshot| snapshot.is_current(&document, generation))
        {
            return;
        }
        let Some(kind) = document.kind() else {
            return;
        };
        let shared = self.shared;
        let stale = || {
            shared.generation.load(Ordering::SeqCst) != generation
                || lock(&shared.documents).get(uri).is_none_or(|latest| {
                    latest.version != document.version || !Arc::ptr_eq(&latest.text, &document.text)
                })
        };
        let path = path_of(&document.uri);
        let name = document.name();
        let settings = lock(&shared.settings).clone();
        let open = |path: &std::path::Path| shared.open_text(path);
        let request = Check {
            kind,
            path: path.as_deref(),
            name: &name,
            text: &document.text,
            settings: &settings,
            open: &open,
            repairs: false,
            cancelled: &stale,
        };
        let analyzed = catch_unwind(AssertUnwindSafe(|| {
            let analysis = self.analyzer.analyze(&request)?;
            let found = diagnostics(&document, &analysis, shared.encoding);
            Some((analysis, found))
        }));
        let analysis = match analyzed {
            Ok(Some((analysis, found))) => {
                if stale() {
                    return;
                }
                shared.publish(document.uri.clone(), found, document.version);
                Some(analysis)
            }
            // Cancelled: the newer version is queued already.
            Ok(None) => return,
            Err(panic) => {
                shared.log(
                    MessageType::ERROR,
                    format!(
                        "checking `{name}` failed: {}; the server goes on, without its diagnostics",
                        panic_message(panic.as_ref())
                    ),
                );
                None
            }
        };
        self.snapshots.insert(
            uri.to_owned(),
            Arc::new(Snapshot {
                document,
                generation,
                analysis,
                repaired: OnceLock::new(),
            }),
        );
    }

    fn answer(&mut self, request: Request) {
        let Request { id, method, params } = request;
        if lock(&self.shared.cancelled).remove(&id.to_string()) {
            self.shared.send(
                Response::new_err(
                    id,
                    ErrorCode::RequestCanceled as i32,
                    format!("`{method}` was cancelled"),
                )
                .into(),
            );
            return;
        }
        let Some(handler) = handlers::request_handler(&method) else {
            self.shared.send(
                Response::new_err(
                    id,
                    ErrorCode::MethodNotFound as i32,
                    format!("the server does not answer `{method}`"),
                )
                .into(),
            );
            return;
        };
        let answered = catch_unwind(AssertUnwindSafe(|| handler(self, params)));
        let response = match answered {
            Ok(Ok(result)) => Response::new_ok(id, result),
            Ok(Err(Failure { code, message })) => Response::new_err(id, code as i32, message),
            Err(panic) => {
                let message = format!(
                    "the server failed to answer `{method}`: {}",
                    panic_message(panic.as_ref())
                );
                self.shared.log(MessageType::ERROR, message.clone());
                Response::new_err(id, ErrorCode::InternalError as i32, message)
            }
        };
        self.shared.send(response.into());
    }
}

fn panic_message(panic: &(dyn Any + Send)) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_owned()
    }
}
