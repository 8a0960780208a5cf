//! What the server asks of the rules engine.
//!
//! The engine lives in the `lacuna` library, whose binary starts this
//! server, so the server cannot depend on it without a cycle. It names what
//! it needs here instead, and the binary implements it with an engine. The
//! implementation does the file system's part too: it finds and reads
//! `lacuna.toml` and rule directories, as `lacuna check` does, and prefers
//! the text of an open buffer to the file on disk.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lacuna_eval::{Diagnostic, Program};
use lacuna_model::{Facts, Format, Schema, SourceDb, SourceId};

/// Checks the texts of open documents. Called from the server's worker
/// thread, so it is shared between threads.
pub trait Analyzer: Sync {
    /// Checks one document; `None` when `request.cancelled` said to stop.
    fn analyze(&self, request: &Request<'_>) -> Option<Analysis>;

    /// Forgets everything built from rule files and configuration files,
    /// because one of them changed on disk or in a buffer.
    fn invalidate(&self);
}

/// What kind of text a document holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentKind {
    /// A proposal, checked against the rules its configuration selects.
    Proposal(Format),
    /// A rule file, built with the rule set it belongs to.
    Rules,
    /// `lacuna.toml`.
    Config,
}

/// One document to check.
pub struct Request<'a> {
    pub kind: DocumentKind,
    /// Where the document is on disk, for `file:` URIs; configuration is
    /// looked for from there.
    pub path: Option<&'a Path>,
    /// The name diagnostics and the source database use.
    pub name: &'a str,
    pub text: &'a str,
    /// What the client's settings say.
    pub settings: &'a Settings,
    /// The text of the open buffer at a path, which counts instead of the
    /// file on disk.
    pub open: &'a (dyn Fn(&Path) -> Option<Arc<str>> + Sync),
    /// Whether findings should carry their repairs and suppressions, which
    /// cost time: asked for by code actions only.
    pub repairs: bool,
    /// Whether the check is no longer wanted: a newer version of the
    /// document arrived. Checked between stages.
    pub cancelled: &'a (dyn Fn() -> bool + Sync),
}

/// The client's settings, from `initializationOptions` or
/// `workspace/configuration`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// A configuration file to use for every document, in place of the
    /// nearest `lacuna.toml` (the command line's `--config`).
    pub config_path: Option<PathBuf>,
}

/// A rule set as the server uses it for navigation and hovers.
#[derive(Debug)]
pub struct Rules {
    pub schema: Schema,
    pub program: Program,
    /// The rule files.
    pub sources: SourceDb,
    /// What `lacuna explain` prints for each norm, by norm id.
    pub explanations: BTreeMap<String, String>,
    /// The files on disk that rule files can be opened from, for those that
    /// have one.
    pub paths: BTreeMap<SourceId, PathBuf>,
}

/// What checking one document found.
#[derive(Debug)]
pub struct Analysis {
    /// The rule set the document was checked with, or (for a rule file) that
    /// it is part of.
    pub rules: Arc<Rules>,
    /// Every text the findings and problems point into, the document's
    /// included.
    pub sources: SourceDb,
    /// The document in `sources`. The server publishes only what points into
    /// it: a problem of another file is not the document's to show.
    pub source: SourceId,
    pub problems: Vec<Diagnostic>,
    pub findings: Vec<Diagnostic>,
    /// What a proposal holds, as far as it could be read.
    pub facts: Option<Facts>,
}
