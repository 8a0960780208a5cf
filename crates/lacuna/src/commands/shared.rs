//! What several commands share: terminals, rule loading, rendering problems.

use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::{env, fs, io};

pub use lacuna::input::{ReadError, display_path, read_file, read_stdin, today};
use lacuna::{RuleFile, SourceDb};
use lacuna_report::{Excerpt, Locator, RenderOptions, SnippetFile};
use miette::{Diagnostic, NamedSource};

/// Which stream a text goes to, to decide on colour.
#[derive(Debug, Clone, Copy)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// How to draw text for `stream`: the only place the binary decides about
/// the terminal. Colour only on a terminal, and never when `NO_COLOR` is
/// set to anything but the empty string; the width `COLUMNS` gives (40 or
/// more), else 100.
pub fn terminal(stream: Stream) -> RenderOptions {
    let is_terminal = match stream {
        Stream::Stdout => io::stdout().is_terminal(),
        Stream::Stderr => io::stderr().is_terminal(),
    };
    let no_color = env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let width = env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&c: &usize| c >= 40)
        .unwrap_or(100);
    RenderOptions::terminal(is_terminal && !no_color, width)
}

/// Renders a diagnostic whose labels point into `file`, with an excerpt of
/// it: the lines around the labels, long ones cut around them.
pub fn render_excerpt(
    diagnostic: &dyn Diagnostic,
    file: &SnippetFile,
    options: &RenderOptions,
) -> String {
    options.render_diagnostic(&Excerpt::new(diagnostic, file))
}

/// Renders a diagnostic that holds the text it points into, as the
/// configuration's reports do, with an excerpt of that text.
pub fn render_with_named(
    diagnostic: &dyn Diagnostic,
    source: Option<&NamedSource<Arc<str>>>,
    options: &RenderOptions,
) -> String {
    match source {
        Some(named) => render_excerpt(
            diagnostic,
            &SnippetFile::new(named.name(), Arc::new(named.inner().to_string())),
            options,
        ),
        None => options.render_diagnostic(diagnostic),
    }
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
        eprint!("{}", lacuna_report::escape_bidi(rendered));
        self.printed = true;
    }

    /// Prints problems with excerpts of the texts they point into, at most
    /// [`lacuna_report::MAX_PROBLEMS_PER_FILE`] a file and then how many
    /// more there are; true when any of them is an error.
    pub fn problems(&mut self, problems: &[lacuna::Diagnostic], sources: &SourceDb) -> bool {
        let options = terminal(Stream::Stderr);
        let (shown, omitted) = lacuna_report::cap_per_file(problems, |p| p.primary.source);
        // Each text is indexed once, however many problems point into it.
        let locator = Locator::new(sources);
        for problem in shown {
            self.print(&lacuna_report::render_problem(problem, &locator, &options));
        }
        for (source, count) in omitted {
            self.print(&format!(
                "{}: {}\n",
                sources.name(source),
                lacuna_report::omitted_message(count)
            ));
        }
        problems.iter().any(lacuna::Diagnostic::is_error)
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
        let paths = lacuna::input::norm_files(dir)
            .map_err(|e| format!("cannot read the rule directory `{}`: {e}", dir.display()))?;
        for path in paths {
            let bytes = read_file(&path)
                .map_err(|e| format!("cannot read the rule file `{}`: {e}", path.display()))?;
            files.push(RuleFile {
                name: path.display().to_string(),
                bytes,
            });
        }
    }
    Ok(files)
}

/// Prints a usage or I/O error the way every command does.
pub fn fail(message: &str) {
    eprintln!("error: {}", lacuna_report::escape_bidi(message));
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
