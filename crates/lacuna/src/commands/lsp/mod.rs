//! `lacuna lsp`: the language server, checking as `lacuna check` does.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::{fs, io};

use lacuna::workspace::{Disk, Workspace, embedded_rule_files};

pub fn run() -> ExitCode {
    let today = match super::shared::today() {
        Ok(today) => today,
        Err(message) => {
            super::shared::fail(&message);
            return ExitCode::from(2);
        }
    };
    let workspace = Workspace::new(Some(today), disk(), standard_dir());
    match lacuna_lsp::run(&workspace) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The real file system.
fn disk() -> Disk {
    Disk {
        probe: crate::config_files::probe,
        read: |path| fs::read(path),
        list,
    }
}

fn list(dir: &Path) -> io::Result<Vec<PathBuf>> {
    fs::read_dir(dir)?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect()
}

/// A directory holding copies of the embedded rule files, so that an editor
/// can open the declarations they hold; `None` when it cannot be written.
/// The directory is named by version, and a file already there with the
/// right text is left alone.
fn standard_dir() -> Option<PathBuf> {
    let dir = std::env::temp_dir().join(format!("lacuna-{}-rules", lacuna_report::VERSION));
    fs::create_dir_all(&dir).ok()?;
    for (name, text) in embedded_rule_files() {
        let path = dir.join(name);
        if fs::read(&path).ok().as_deref() != Some(text.as_bytes()) {
            fs::write(&path, text).ok()?;
        }
    }
    Some(dir)
}
