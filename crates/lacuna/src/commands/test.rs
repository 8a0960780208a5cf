//! `lacuna test`. (Being written.)

use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct TestArgs {}

pub fn run(_args: &TestArgs) -> ExitCode {
    ExitCode::from(2)
}
