//! `lacuna fmt`: prints `.norm` files in the canonical style.
//!
//! The command is all or nothing. Every file is read, parsed and formatted
//! first; if any file cannot be read or has syntax errors, the errors are
//! reported and no file is written. Otherwise each file whose text changes
//! is replaced atomically (written to a temporary file beside it, then
//! renamed over it), and files already formatted are not touched at all.
//!
//! Before anything is written, the formatted text is parsed again and
//! compared with the original tree: a file whose meaning or comments would
//! change is reported and left as it is.
//!
//! Output is canonical: UTF-8 without a byte-order mark, lines ending in
//! `\n` (a file with `\r\n` line endings is rewritten with `\n`).

use lacuna::{SourceDb, Stage};
use lacuna_report::{Locator, RenderOptions};
use lacuna_syntax::ast::Ast;
use lacuna_syntax::{SyntaxError, format, parse, parse_bytes};
use miette::Diagnostic;
use similar::TextDiff;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use thiserror::Error;

/// Format `.norm` files in the canonical style.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Files already formatted are left untouched; the others are rewritten atomically, as UTF-8
with `\\n` line endings. If a file cannot be read or has syntax errors, nothing is written.

Exit status: 0 when done (with --check: every file is formatted), 1 with --check when some
file would change, 2 when a path cannot be read or a file has syntax errors.")]
pub struct FmtArgs {
    /// Write nothing: print a diff of every file that would change, and exit
    /// with status 1 if any would.
    #[arg(long)]
    pub check: bool,

    /// Files or directories to format. Directories are searched recursively
    /// for `*.norm` files, skipping hidden entries; files named explicitly are
    /// formatted whatever their extension.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Error, Diagnostic)]
enum FmtError {
    #[error("cannot read `{path}`")]
    Read {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("cannot write `{path}`")]
    Write {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("formatting `{path}` would change what it says")]
    #[diagnostic(help(
        "the file was left as it is; this is a bug in the formatter, \
         please report it together with the file"
    ))]
    ChangesMeaning { path: String },
}

/// A file that was read, parsed and formatted.
struct Formatted {
    path: PathBuf,
    original: String,
    formatted: String,
}

impl Formatted {
    fn changed(&self) -> bool {
        self.original != self.formatted
    }
}

pub fn run(args: &FmtArgs) -> ExitCode {
    let mut reporter = Reporter::new();
    let files = collect_files(&args.paths, &mut reporter);
    let mut done = Vec::new();
    for path in files {
        if let Some(file) = format_file(&path, &mut reporter) {
            done.push(file);
        }
    }
    let changed: Vec<&Formatted> = done.iter().filter(|f| f.changed()).collect();

    if args.check {
        let mut stdout = io::stdout().lock();
        for file in &changed {
            let name = file.path.display().to_string();
            let diff = TextDiff::from_lines(&file.original, &file.formatted);
            let _ = write!(
                stdout,
                "{}",
                diff.unified_diff()
                    .context_radius(3)
                    .header(&name, &format!("{name} (formatted)"))
            );
        }
        let _ = stdout.flush();
        if reporter.failed {
            return ExitCode::from(2);
        }
        if changed.is_empty() {
            return ExitCode::SUCCESS;
        }
        reporter.note(&format!(
            "{} would be reformatted, {} already formatted",
            count(changed.len()),
            count(done.len() - changed.len())
        ));
        return ExitCode::from(1);
    }

    if reporter.failed {
        reporter.note("no file was changed");
        return ExitCode::from(2);
    }
    for file in &changed {
        if let Err(source) = crate::commands::shared::write_atomically(&file.path, &file.formatted)
        {
            reporter.error(&FmtError::Write {
                path: file.path.display().to_string(),
                source,
            });
        }
    }
    if reporter.failed {
        return ExitCode::from(2);
    }
    if !changed.is_empty() {
        reporter.note(&format!(
            "{} reformatted, {} already formatted",
            count(changed.len()),
            count(done.len() - changed.len())
        ));
    }
    ExitCode::SUCCESS
}

fn count(files: usize) -> String {
    match files {
        1 => "1 file".to_owned(),
        n => format!("{n} files"),
    }
}

/// Reads, parses and formats one file; reports what goes wrong.
fn format_file(path: &Path, reporter: &mut Reporter) -> Option<Formatted> {
    let name = path.display().to_string();
    let bytes = match lacuna::input::read_file(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            let source = error.into_io();
            reporter.error(&FmtError::Read { path: name, source });
            return None;
        }
    };
    let original = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let (_, errors) = parse_bytes(err.as_bytes());
            let lossy = String::from_utf8_lossy(err.as_bytes()).into_owned();
            report_syntax_errors(&name, lossy, errors, reporter);
            return None;
        }
    };
    // Canonical line endings are `\n`. Strings cannot span lines, so only
    // layout and the text of block comments change.
    let text = lacuna_syntax::lone_cr_as_lf(&original.replace("\r\n", "\n"));
    let (ast, errors) = parse(&text);
    if !errors.is_empty() {
        report_syntax_errors(&name, text, errors, reporter);
        return None;
    }
    let formatted = format(&ast, &text);
    if !same_meaning(&ast, &formatted) {
        reporter.error(&FmtError::ChangesMeaning { path: name });
        return None;
    }
    Some(Formatted {
        path: path.to_owned(),
        original,
        formatted,
    })
}

fn report_syntax_errors(
    name: &str,
    source: String,
    errors: Vec<SyntaxError>,
    reporter: &mut Reporter,
) {
    // Each error is a problem as `lacuna check` reports it, drawn with an
    // excerpt of the text, which is indexed once; a file with more errors
    // than a screen can hold gets a count of the rest.
    let mut sources = SourceDb::new();
    let id = sources.add(name, source);
    let locator = Locator::new(&sources);
    let total = errors.len();
    for error in errors.iter().take(lacuna_report::MAX_PROBLEMS_PER_FILE) {
        let problem = lacuna::problem::from_miette(Stage::Syntax, id, error, error.fix().cloned());
        reporter.problem(&problem, &locator);
    }
    if let Some(more) = total.checked_sub(lacuna_report::MAX_PROBLEMS_PER_FILE)
        && more > 0
    {
        reporter.note(&format!("{name}: {}", lacuna_report::omitted_message(more)));
    }
}

/// Whether `formatted` parses without errors to the tree `ast`, comments included.
fn same_meaning(ast: &Ast, formatted: &str) -> bool {
    let (again, errors) = parse(formatted);
    errors.is_empty() && again.without_spans() == ast.without_spans()
}

/// The files named by `paths`, sorted, each once.
fn collect_files(paths: &[PathBuf], reporter: &mut Reporter) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, &mut files, reporter),
            Ok(_) => files.push(path.clone()),
            Err(source) => reporter.error(&FmtError::Read {
                path: path.display().to_string(),
                source,
            }),
        }
    }
    files.sort();
    files.dedup();
    files
}

/// Adds the `*.norm` files under `dir`. Hidden entries are skipped, and
/// symbolic links to directories are not followed, so a link cycle cannot
/// make the walk endless.
fn walk(dir: &Path, files: &mut Vec<PathBuf>, reporter: &mut Reporter) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(source) => {
            reporter.error(&FmtError::Read {
                path: dir.display().to_string(),
                source,
            });
            return;
        }
    };
    let mut entries: Vec<fs::DirEntry> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(fs::DirEntry::file_name);
    for entry in entries {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        // `./rules` reads better as `rules` in messages and diffs.
        let path = if dir == Path::new(".") {
            PathBuf::from(&name)
        } else {
            dir.join(&name)
        };
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(&path, files, reporter);
        } else if path.extension().is_some_and(|ext| ext == "norm")
            && fs::metadata(&path).is_ok_and(|meta| meta.is_file())
        {
            files.push(path);
        }
    }
}

/// Writes diagnostics and notes to standard error, drawn as every command
/// draws them for standard error.
struct Reporter {
    options: RenderOptions,
    failed: bool,
}

impl Reporter {
    fn new() -> Reporter {
        Reporter {
            options: crate::commands::shared::terminal(crate::commands::shared::Stream::Stderr),
            failed: false,
        }
    }

    fn error(&mut self, diagnostic: &dyn Diagnostic) {
        self.failed = true;
        let out = self.options.render_diagnostic(diagnostic);
        let _ = write!(io::stderr().lock(), "{}", lacuna_report::escape_bidi(&out));
    }

    fn problem(&mut self, problem: &lacuna::Diagnostic, locator: &Locator<'_>) {
        self.failed = true;
        let out = lacuna_report::render_problem(problem, locator, &self.options);
        let _ = write!(io::stderr().lock(), "{}", lacuna_report::escape_bidi(&out));
    }

    fn note(&self, message: &str) {
        let _ = writeln!(
            io::stderr().lock(),
            "{}",
            lacuna_report::escape_bidi(message)
        );
    }
}
