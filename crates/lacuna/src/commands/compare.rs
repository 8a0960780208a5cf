//! `lacuna compare BEFORE AFTER`: the findings a change closes, opens and
//! leaves open. See `docs/compare.md`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use lacuna::compare::{self, Sides};
use lacuna::{Format, SourceDb};

use super::norms::{
    ListFormat, RuleArgs, Stream, load_engine, print_stdout, read_error, render_options,
};
use super::shared;

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// The proposal before the change.
    #[arg(value_name = "BEFORE")]
    pub before: PathBuf,

    /// The proposal after the change.
    #[arg(value_name = "AFTER")]
    pub after: PathBuf,

    #[command(flatten)]
    pub rules: RuleArgs,

    /// How to print the comparison.
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
}

pub fn run(args: &CompareArgs) -> ExitCode {
    let Some(engine) = load_engine(&args.rules) else {
        return ExitCode::from(2);
    };
    let (Some(before), Some(after)) = (read(&args.before), read(&args.after)) else {
        return ExitCode::from(2);
    };
    let mut sources: SourceDb = engine.sources().clone();
    let before_id = sources.add(shared::display_path(&args.before), lossy(&before));
    let after_id = sources.add(shared::display_path(&args.after), lossy(&after));
    let mut checked_before = engine.check(before_id, &before, format_of(&args.before));
    let mut checked_after = engine.check(after_id, &after, format_of(&args.after));
    for checked in [&mut checked_before, &mut checked_after] {
        checked
            .findings
            .iter_mut()
            .for_each(lacuna_report::escape_finding_text);
    }

    // A proposal that does not load would be compared on the part that
    // could be read, and the difference would mislead.
    let mut diagnostics = shared::Diagnostics::default();
    let broken_before = diagnostics.problems(&checked_before.problems, &sources);
    let broken_after = diagnostics.problems(&checked_after.problems, &sources);
    if broken_before || broken_after {
        return ExitCode::from(2);
    }

    let comparison = compare::compare(engine.schema(), &checked_before, &checked_after);
    let sides = Sides {
        before: before_id,
        before_findings: checked_before.findings.len(),
        after: after_id,
        after_findings: checked_after.findings.len(),
    };
    let text = match args.format {
        ListFormat::Human => compare::render_human(
            &comparison,
            &sides,
            &sources,
            &render_options(Stream::Stdout),
        ),
        ListFormat::Json => compare::render_json(&comparison, &sides, &sources),
    };
    print_stdout(&text);
    if comparison.opens_error() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn read(path: &Path) -> Option<Vec<u8>> {
    match shared::read_file(path) {
        Ok(bytes) => Some(bytes),
        Err(error) => {
            read_error(path, &error);
            None
        }
    }
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// JSON for `.json` files, TOML for everything else.
fn format_of(path: &Path) -> Format {
    if path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"))
    {
        Format::Json
    } else {
        Format::Toml
    }
}
