//! `lacuna fmt`. (Being written.)

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct FmtArgs {
    /// Files or directories to format.
    pub paths: Vec<PathBuf>,
}

pub fn run(_args: &FmtArgs) -> ExitCode {
    ExitCode::SUCCESS
}
