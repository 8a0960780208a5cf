//! `lacuna test`: runs the rule tests, fixture proposals annotated with
//! `# expect:` and `# ok:`. See `docs/testing-rules.md`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use lacuna::ruletest::{self, Summary, TestFile};

use super::norms::{
    RuleArgs, Stream, load_engine, print_stderr, print_stdout, read_error, render_options,
};
use super::shared;

#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// Fixture files or directories, searched recursively for `.toml` files.
    #[arg(value_name = "PATHS", default_value = "fixtures/")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub rules: RuleArgs,
}

pub fn run(args: &TestArgs) -> ExitCode {
    let Some(engine) = load_engine(&args.rules) else {
        return ExitCode::from(2);
    };
    let mut candidates = Vec::new();
    let mut unreadable = false;
    for path in &args.paths {
        if let Err(error) = collect(path, &mut candidates) {
            read_error(path, &error);
            unreadable = true;
        }
    }
    candidates.sort();
    candidates.dedup();

    let stdout_options = render_options(Stream::Stdout);
    let stderr_options = render_options(Stream::Stderr);
    let mut files: Vec<TestFile> = Vec::new();
    for path in &candidates {
        let bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(error) => {
                read_error(path, &error);
                unreadable = true;
                continue;
            }
        };
        let name = shared::display_path(path);
        let Some(file) = ruletest::run(&engine, &name, &bytes) else {
            continue;
        };
        let rendered = ruletest::render(&file, &stdout_options);
        print_stdout(&rendered.stdout);
        if !rendered.stderr.is_empty() {
            // The errors are rendered for standard error, which may differ
            // from standard output in whether it is a terminal.
            print_stderr(&ruletest::render(&file, &stderr_options).stderr);
        }
        files.push(file);
    }

    let summary = Summary::of(files.iter().map(TestFile::status));
    print_stdout(&format!("\n{summary}\n"));
    if unreadable || summary.broken > 0 {
        ExitCode::from(2)
    } else if summary.failed > 0 {
        ExitCode::from(1)
    } else if files.is_empty() {
        shared::fail(
            "no rule tests found: no `.toml` file has an `# expect:` or `# ok:` annotation \
             or is in a directory named after a norm",
        );
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// Every candidate fixture at `path`: the file itself when named, or the
/// `.toml` files found recursively in a directory, skipping directories
/// whose names start with `.` or `_`.
fn collect(path: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    let meta = fs::metadata(path)?;
    if meta.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<(PathBuf, bool)> = fs::read_dir(path)?
        .filter_map(Result::ok)
        .map(|entry| {
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            (entry.path(), is_dir)
        })
        .collect();
    entries.sort();
    for (child, is_dir) in entries {
        let name = child
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if is_dir {
            if ruletest::walks_into(&name) {
                collect(&child, out)?;
            }
        } else if ruletest::is_fixture_name(&name) {
            out.push(child);
        }
    }
    Ok(())
}
