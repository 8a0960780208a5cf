//! `lacuna norms` and `lacuna explain`, and the loading of rule sets that
//! `test` and `compare` share with them.

use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use lacuna::Engine;
use lacuna::catalogue;
use miette::Diagnostic;

use super::shared;

/// The rule set to load: the standard rules, directories of `.norm` files,
/// or both.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RuleArgs {
    /// Load every `.norm` file of this directory too. Repeatable.
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,

    /// Do not load the standard rules.
    #[arg(long)]
    pub no_default_rules: bool,
}

/// The output formats of `norms` and `compare`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    /// Text for people, coloured on a terminal.
    #[default]
    Human,
    /// A versioned JSON document.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct NormsArgs {
    #[command(flatten)]
    pub rules: RuleArgs,

    /// How to print the list.
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The id of the norm, such as `protection.coverage`.
    #[arg(value_name = "NORM")]
    pub norm: String,

    #[command(flatten)]
    pub rules: RuleArgs,
}

pub fn run(args: &NormsArgs) -> ExitCode {
    let Some(engine) = load_engine(&args.rules) else {
        return ExitCode::from(2);
    };
    let entries = catalogue::entries(&engine);
    let text = match args.format {
        ListFormat::Human => catalogue::render_list(&entries, &render_options(Stream::Stdout)),
        ListFormat::Json => catalogue::render_list_json(&entries),
    };
    print_stdout(&text);
    ExitCode::SUCCESS
}

pub fn explain(args: &ExplainArgs) -> ExitCode {
    let Some(engine) = load_engine(&args.rules) else {
        return ExitCode::from(2);
    };
    match catalogue::find(&engine, &args.norm) {
        Ok(entry) => {
            let options = render_options(Stream::Stdout);
            print_stdout(&catalogue::render_explain(
                &entry,
                engine.sources(),
                &options,
            ));
            ExitCode::SUCCESS
        }
        Err(error) => {
            report_error(&error);
            ExitCode::from(2)
        }
    }
}

pub use shared::{Stream, terminal as render_options};

pub fn print_stdout(text: &str) {
    let _ = io::stdout()
        .lock()
        .write_all(lacuna_report::escape_bidi(text).as_bytes());
}

pub fn print_stderr(text: &str) {
    let _ = io::stderr()
        .lock()
        .write_all(lacuna_report::escape_bidi(text).as_bytes());
}

/// Renders one diagnostic to standard error.
pub fn report_error(diagnostic: &dyn Diagnostic) {
    print_stderr(&render_options(Stream::Stderr).render_diagnostic(diagnostic));
}

/// A path that cannot be read.
pub fn read_error(path: &Path, error: &dyn std::fmt::Display) {
    shared::fail(&format!(
        "cannot read `{}`: {error}",
        shared::display_path(path)
    ));
}

/// Loads the rule set as `lacuna check` does: the embedded standard rules
/// unless `--no-default-rules`, then every `*.norm` file of each `--rules`
/// directory in file-name order. Reports every problem; `None` when a rule
/// directory cannot be read or any problem is an error.
pub fn load_engine(args: &RuleArgs) -> Option<Engine> {
    let files = match shared::rule_files(!args.no_default_rules, &args.rule_dirs) {
        Ok(files) => files,
        Err(message) => {
            shared::fail(&message);
            return None;
        }
    };
    let (engine, problems) = Engine::build(files);
    if shared::Diagnostics::default().problems(&problems, engine.sources()) {
        return None;
    }
    Some(engine)
}
