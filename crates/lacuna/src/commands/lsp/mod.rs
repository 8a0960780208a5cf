//! `lacuna lsp`: the language server, checking as `lacuna check` does.

mod workspace;

use std::process::ExitCode;

use workspace::Workspace;

pub fn run() -> ExitCode {
    let today = match super::shared::today() {
        Ok(today) => today,
        Err(message) => {
            super::shared::fail(&message);
            return ExitCode::from(2);
        }
    };
    match lacuna_lsp::run(&Workspace::new(Some(today), crate::config_files::probe)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
