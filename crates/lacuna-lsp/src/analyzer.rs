//! What the server asks of the rules engine.
//!
//! The engine lives in the `lacuna` library, whose binary starts this
//! server, so the server cannot depend on it without a cycle. It names what
//! it needs here instead, and the binary implements it with an engine.

use lacuna_eval::Finding;
use lacuna_model::{Format, SourceDb, SourceId};
use lacuna_report::InputProblem;

/// Checks the texts of open documents.
pub trait Analyzer {
    /// Checks the text of a proposal named `name`.
    fn proposal(&self, name: &str, text: &str, format: Format) -> Analysis;

    /// Checks the text of a rule file named `name` together with the rules
    /// it is meant to run with.
    fn rules(&self, name: &str, text: &str) -> Analysis;
}

/// What checking one document found.
#[derive(Debug)]
pub struct Analysis {
    /// Every text the findings and problems point into, the document's
    /// included.
    pub sources: SourceDb,
    /// The document in `sources`. The server publishes only what points into
    /// it: a problem of another file is not the document's to show.
    pub source: SourceId,
    pub problems: Vec<InputProblem>,
    pub findings: Vec<Finding>,
}
