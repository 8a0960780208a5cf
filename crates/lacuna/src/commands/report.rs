//! `lacuna report PROPOSAL... -o report.html`: one self-contained HTML page
//! with the summary by value and perspective, the options matrix, the
//! coverage matrix and every finding. See `docs/report.md`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use lacuna::compare::{self, Examined, OptionColumn};
use lacuna::report::{self, HtmlReport, ReportProposal};

use super::compare::load_proposals;
use super::norms::{RuleArgs, load_engine, print_stdout, read_error, report_error};
use super::shared;

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The proposals to report on. The first is the base; each other one
    /// is an option compared with it.
    #[arg(value_name = "PROPOSAL", required = true)]
    pub proposals: Vec<PathBuf>,

    /// Write the page to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// The report view: what the coverage matrix shows, in the schema's
    /// words. The standard rules bring their own; see docs/report.md.
    #[arg(long, value_name = "FILE")]
    pub view: Option<PathBuf>,

    #[command(flatten)]
    pub rules: RuleArgs,
}

pub fn run(args: &ReportArgs) -> ExitCode {
    let Some(engine) = load_engine(&args.rules) else {
        return ExitCode::from(2);
    };
    let view_text = match &args.view {
        Some(path) => match fs::read_to_string(path) {
            Ok(text) => Some((shared::display_path(path), text)),
            Err(error) => {
                read_error(path, &error);
                return ExitCode::from(2);
            }
        },
        None if args.rules.no_default_rules => None,
        None => Some((
            report::STANDARD_VIEW.0.to_owned(),
            report::STANDARD_VIEW.1.to_owned(),
        )),
    };
    let view = match view_text {
        Some((name, text)) => match report::load_view(engine.schema(), &name, &text) {
            Ok(view) => Some(view),
            Err(error) => {
                report_error(error.as_ref());
                return ExitCode::from(2);
            }
        },
        None => None,
    };

    let paths: Vec<&Path> = args.proposals.iter().map(PathBuf::as_path).collect();
    let Some((sources, checked)) = load_proposals(&engine, &paths) else {
        return ExitCode::from(2);
    };
    let examined: Vec<Examined<'_>> = checked
        .iter()
        .map(|(_, c)| Examined::new(&engine, c))
        .collect();
    let matrix = match examined.split_first() {
        Some((base, options)) if !options.is_empty() => {
            let columns = options
                .iter()
                .map(|option| OptionColumn {
                    source: option.checked.facts.source,
                    findings: option.checked.findings.len(),
                    comparison: compare::compare_checked(&engine, base, option),
                })
                .collect();
            Some(compare::matrix(
                base.checked.facts.source,
                base.checked.findings.len(),
                columns,
            ))
        }
        _ => None,
    };
    let variants = |name: &str| -> Vec<String> {
        let schema = engine.schema();
        schema
            .enum_id(name)
            .and_then(|id| schema.enum_def(id))
            .map(|def| def.variants.iter().map(|v| v.name.clone()).collect())
            .unwrap_or_default()
    };
    let page = HtmlReport {
        proposals: checked
            .iter()
            .map(|(id, c)| ReportProposal {
                source: *id,
                findings: &c.findings,
                coverage: view
                    .as_ref()
                    .and_then(|v| v.coverage.as_ref())
                    .map(|spec| lacuna_report::coverage::coverage(engine.schema(), &c.facts, spec)),
            })
            .collect(),
        matrix: matrix.as_ref(),
        values: variants(compare::VALUE_ENUM),
        perspectives: variants(compare::PERSPECTIVE_ENUM),
    };
    let html = report::render_html(&page, &sources);
    match &args.output {
        Some(path) => match write_file(path, &html) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                shared::fail(&format!(
                    "cannot write `{}`: {error}",
                    shared::display_path(path)
                ));
                ExitCode::from(2)
            }
        },
        None => {
            print_stdout(&html);
            ExitCode::SUCCESS
        }
    }
}

/// Writes the page, with the permissions a new file gets by default.
fn write_file(path: &Path, contents: &str) -> std::io::Result<()> {
    fs::write(path, contents)
}
