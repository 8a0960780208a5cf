//! Resolution, type checking and evaluation of norms.

mod finding;

pub use finding::{Evidence, Finding, Subject};
