//! Resolution, type checking and evaluation of norms.
//!
//! [`check_rules`] resolves the norms of a rule set against its schema and
//! type-checks them into a [`Program`], reporting every mistake as a
//! [`RuleError`] before any proposal is read. [`evaluate`] runs the program
//! over the facts of one proposal and returns a finding for each subject
//! that fails a norm: a [`Diagnostic`] whose [`Code`] is the norm's id, with
//! evidence, the spans of the proposal that explain the verdict. [`reference::evaluate`] computes the same findings by plain
//! nested loops; the test suite holds the two to identical answers.
//!
//! The semantics are described in `docs/evaluation.md`.

mod check;
mod diagnostic;
mod engine;
mod error;
mod outcome;
mod plan;
mod planned;
pub mod program;
pub mod reference;
mod value;

pub use check::check_rules;
pub use diagnostic::{Code, Detail, Diagnostic, Evidence, NormMeta, Stage, Subject};
pub use error::RuleError;
pub use outcome::Outcome;
pub use planned::{Evaluator, evaluate, evaluate_with};
pub use program::{Norm, Program};

/// The tag of norms about how a proposal is presented rather than what it
/// arranges: whether it states its priorities, cites evidence, names its
/// trade-offs. The tag has one generic, documented meaning in the language
/// (`docs/language.md`): people-facing output lists the findings of such
/// norms after the others, and `lacuna compare` counts them apart and
/// leaves them out of its verdicts.
pub const PROCESS_TAG: &str = "process";

/// Whether a norm with these tags is a process norm ([`PROCESS_TAG`]).
pub fn is_process(tags: &[String]) -> bool {
    tags.iter().any(|t| t == PROCESS_TAG)
}
