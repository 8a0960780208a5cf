//! `lacuna compare BASE OPTION...`: what each change closes, opens, leaves
//! open and gives up. With one option, the full comparison; with several, a
//! matrix of the options, best first. See `docs/compare.md`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use lacuna::compare::{self, Examined};
use lacuna::{Checked, Engine, Format, SourceDb, SourceId};

use super::norms::{
    ListFormat, RuleArgs, Stream, load_engine, print_stdout, read_error, render_options,
};
use super::shared;

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// The proposal before the change: the status quo the options are
    /// measured against.
    #[arg(value_name = "BASE")]
    pub before: PathBuf,

    /// The proposal after the change. Give several to compare options side
    /// by side.
    #[arg(value_name = "OPTION", required = true)]
    pub after: Vec<PathBuf>,

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
    let paths: Vec<&Path> = std::iter::once(args.before.as_path())
        .chain(args.after.iter().map(PathBuf::as_path))
        .collect();
    let Some((sources, checked)) = load_proposals(&engine, &paths) else {
        return ExitCode::from(2);
    };
    let examined: Vec<Examined<'_>> = checked
        .iter()
        .map(|(_, c)| Examined::new(&engine, c))
        .collect();
    let Some((base, options)) = examined.split_first() else {
        return ExitCode::from(2);
    };
    let comparisons: Vec<compare::Comparison> = options
        .iter()
        .map(|option| compare::compare_checked(&engine, base, option))
        .collect();
    let opens_error = comparisons.iter().any(compare::Comparison::opens_error);

    let text = compare::render_comparisons(
        base,
        options,
        comparisons,
        &sources,
        args.format == ListFormat::Json,
        &render_options(Stream::Stdout),
    );
    print_stdout(&text);
    if opens_error {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Reads and checks each proposal with `engine`. Prints every problem of
/// every proposal and returns `None` when a file cannot be read or a
/// proposal does not load: comparing the part that could be read would
/// report gaps as closed that were only unreadable.
pub fn load_proposals(
    engine: &Engine,
    paths: &[&Path],
) -> Option<(SourceDb, Vec<(SourceId, Checked)>)> {
    let mut texts = Vec::with_capacity(paths.len());
    let mut unreadable = false;
    for path in paths {
        match shared::read_file(path) {
            Ok(bytes) => texts.push((*path, bytes)),
            Err(error) => {
                read_error(path, &error);
                unreadable = true;
            }
        }
    }
    if unreadable {
        return None;
    }
    let mut sources: SourceDb = engine.sources().clone();
    let mut checked = Vec::with_capacity(texts.len());
    for (path, bytes) in &texts {
        let id = sources.add(
            shared::display_path(path),
            String::from_utf8_lossy(bytes).into_owned(),
        );
        let mut one = engine.check(id, bytes, format_of(path));
        one.findings
            .iter_mut()
            .for_each(lacuna_report::escape_diagnostic_text);
        checked.push((id, one));
    }
    let mut diagnostics = shared::Diagnostics::default();
    let mut broken = false;
    for (_, c) in &checked {
        broken |= diagnostics.problems(&c.problems, &sources);
    }
    if broken {
        return None;
    }
    Some((sources, checked))
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
