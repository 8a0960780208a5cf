//! `lacuna norms` and `lacuna explain`. (Being written.)

use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct NormsArgs {}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {}

pub fn run(_args: &NormsArgs) -> ExitCode {
    ExitCode::from(2)
}

pub fn explain(_args: &ExplainArgs) -> ExitCode {
    ExitCode::from(2)
}
