//! `lacuna compare`. (Being written.)

use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct CompareArgs {}

pub fn run(_args: &CompareArgs) -> ExitCode {
    ExitCode::from(2)
}
