//! What several commands share: terminals, rule loading, rendering problems.

use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::{env, fs, io};

use lacuna::{Date, Problem, RuleFile, SourceDb};
use lacuna_report::SnippetSource;
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, NamedSource};

/// Whether to colour what goes to standard output: only on a terminal, and
/// never when `NO_COLOR` is set to anything but the empty string.
pub fn stdout_color() -> bool {
    io::stdout().is_terminal() && !no_color()
}

/// Whether to colour what goes to standard error.
pub fn stderr_color() -> bool {
    io::stderr().is_terminal() && !no_color()
}

fn no_color() -> bool {
    env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// The width to wrap diagnostics at: `COLUMNS` when set, else 100.
pub fn width() -> usize {
    env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&c: &usize| c >= 40)
        .unwrap_or(100)
}

/// Renders any diagnostic whose source is already attached.
pub fn render_diagnostic(diagnostic: &dyn Diagnostic, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(width());
    let mut out = String::new();
    if handler.render_report(&mut out, diagnostic).is_err() {
        out = format!("{diagnostic}\n");
    }
    out
}

/// Renders a problem with the text of the file it points into.
pub fn render_problem(problem: &Problem, sources: &SourceDb, color: bool) -> String {
    let named = SnippetSource(NamedSource::new(
        sources.name(problem.source),
        sources.text(problem.source).to_owned(),
    ));
    render_diagnostic(&problem.with_source(&named), color)
}

/// Diagnostics written to standard error, a blank line between two, however
/// many steps of the run print them.
#[derive(Default)]
pub struct Diagnostics {
    printed: bool,
}

impl Diagnostics {
    /// Prints one rendered diagnostic.
    pub fn print(&mut self, rendered: &str) {
        if self.printed {
            eprintln!();
        }
        eprint!("{rendered}");
        self.printed = true;
    }

    /// Prints problems with the text they point into; true when any of
    /// them is an error.
    pub fn problems(&mut self, problems: &[Problem], sources: &SourceDb) -> bool {
        let color = stderr_color();
        for problem in problems {
            self.print(&render_problem(problem, sources, color));
        }
        problems.iter().any(Problem::is_error)
    }
}

/// The rule files of a run: the standard ones unless dropped, then every
/// `*.norm` file of each directory, in file-name order.
pub fn rule_files(default_rules: bool, dirs: &[PathBuf]) -> Result<Vec<RuleFile>, String> {
    let mut files = if default_rules {
        lacuna::standard_rules()
    } else {
        Vec::new()
    };
    for dir in dirs {
        let entries = fs::read_dir(dir)
            .map_err(|e| format!("cannot read the rule directory `{}`: {e}", dir.display()))?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "norm") && p.is_file())
            .collect();
        paths.sort();
        for path in paths {
            let bytes = fs::read(&path)
                .map_err(|e| format!("cannot read the rule file `{}`: {e}", path.display()))?;
            files.push(RuleFile {
                name: path.display().to_string(),
                bytes,
            });
        }
    }
    Ok(files)
}

/// Today's date, for the expiry of suppressions. `LACUNA_TODAY=YYYY-MM-DD`
/// fixes it, so that test suites stay reproducible.
pub fn today() -> Result<Date, String> {
    if let Ok(text) = env::var("LACUNA_TODAY") {
        return Date::parse(&text)
            .ok_or_else(|| format!("`LACUNA_TODAY={text}` is not a date: write YYYY-MM-DD"));
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Ok(Date::from_days_since_epoch((secs / 86_400) as i64))
}

/// Prints a usage or I/O error the way every command does.
pub fn fail(message: &str) {
    eprintln!("error: {message}");
}

/// A path as users wrote it, with `./` dropped for readability.
pub fn display_path(path: &Path) -> String {
    let shown = path.display().to_string();
    shown.strip_prefix("./").map(str::to_owned).unwrap_or(shown)
}

/// Replaces the file at `path` (the target, when it is a symbolic link) by
/// writing a temporary file in the same directory and renaming it over the
/// original, which keeps its permissions.
pub fn write_atomically(path: &Path, contents: &str) -> io::Result<()> {
    let target = fs::canonicalize(path)?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(contents.as_bytes())?;
    temp.as_file()
        .set_permissions(fs::metadata(&target)?.permissions())?;
    temp.as_file().sync_all()?;
    temp.persist(&target).map_err(|err| err.error)?;
    Ok(())
}

/// Why a fixed file was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("`{path}` changed on disk since it was read; it was not overwritten: run again")]
    Changed { path: String },
    #[error("cannot write `{path}`: {source}")]
    Io { path: String, source: io::Error },
}

/// Writes `contents` over `path` atomically, unless the file no longer holds
/// `original`, the bytes the fixes were computed from: someone else's edit
/// is never lost.
pub fn write_if_unchanged(path: &Path, original: &[u8], contents: &str) -> Result<(), WriteError> {
    let shown = display_path(path);
    let io = |source| WriteError::Io {
        path: shown.clone(),
        source,
    };
    let now = fs::read(path).map_err(io)?;
    if now != original {
        return Err(WriteError::Changed { path: shown });
    }
    write_atomically(path, contents).map_err(io)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_file_changed_since_it_was_read_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        fs::write(&path, "edited by someone else\n").unwrap();
        let err = write_if_unchanged(&path, b"as read\n", "fixed\n").unwrap_err();
        assert!(matches!(err, WriteError::Changed { .. }), "{err}");
        assert!(
            err.to_string()
                .contains("changed on disk since it was read")
        );
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "edited by someone else\n"
        );

        write_if_unchanged(&path, b"edited by someone else\n", "fixed\n").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "fixed\n");
    }
}
