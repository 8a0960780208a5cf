//! `lacuna check`: the main job.

use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::str::FromStr;
use std::{fmt, fs};

use lacuna::{
    Checked, Detail, Engine, Finding, Format, Policy, Problem, SourceDb, SourceId, Stage,
};
use lacuna_report::{InputProblem, NormInfo, OutputFormat, RenderOptions, RunSummary};
use rayon::prelude::*;

use super::shared::{self, Diagnostics, display_path, fail};
use crate::config::{ConfigArgs, ConfigFinder, Settings, load_settings};

/// Check proposals against the norms.
///
/// The exit status is in `--help` (see [`EXIT_STATUS`]): the variant of the
/// command enum gives the summary, so this comment would not reach users.
#[derive(Debug, clap::Args)]
#[command(after_help = EXIT_STATUS)]
pub struct CheckArgs {
    /// Proposals (`.toml`, `.json`) or directories to search for them.
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,

    /// Output format: human, plain, concise, json, json-lines, sarif, github
    /// or lsp. Default: human on a terminal, plain otherwise.
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<OutputFormat>,

    #[command(flatten)]
    pub config: ConfigArgs,

    /// Read the proposal from standard input and report it as this file.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,

    /// Check only the I-th of N deterministic parts of the files (1-based),
    /// to split a corpus across CI runners.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,

    /// Print the number of findings per norm instead of the findings.
    #[arg(long)]
    pub statistics: bool,

    /// Print the resolved configuration and exit.
    #[arg(long)]
    pub show_settings: bool,

    /// Write evidence in terms of the norms' expressions, for rule authors
    /// (`m.actor.field_presence` is `false`), rather than of the proposal's
    /// entities. `json` and `json-lines` always carry both.
    #[arg(long)]
    pub explain_expr: bool,
}

/// The exit status of `lacuna check`, as `docs/output.md` lists it.
const EXIT_STATUS: &str = "\
Exit status:
  0  no finding at the failing severity (`error`, unless `--deny` or `fail-on` lowers it)
  1  at least one finding at the failing severity
  2  bad input or usage: a proposal, rule file or configuration file that does not load,
     or a wrong flag or value";

/// `--shard I/N`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    index: u64,
    count: u64,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let usage = || format!("`{text}` is not a shard: write I/N with 1 <= I <= N, such as 2/4");
        let (i, n) = text.split_once('/').ok_or_else(usage)?;
        let index: u64 = i.trim().parse().map_err(|_| usage())?;
        let count: u64 = n.trim().parse().map_err(|_| usage())?;
        if index == 0 || count == 0 || index > count {
            return Err(usage());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Whether `name` falls in this shard. The part depends on the name only
    /// (FNV-1a), so adding a file never moves the others between shards.
    fn contains(self, name: &str) -> bool {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in name.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        hash % self.count == self.index - 1
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// One proposal to check.
struct Input {
    /// The name findings show: the path as given, or `--stdin-filename`.
    name: String,
    /// Where the configuration is looked for.
    path: PathBuf,
    format: Format,
    bytes: Vec<u8>,
}

/// The configuration and engine shared by the files under one `lacuna.toml`.
struct Group {
    settings: Settings,
    engine: usize,
    inputs: Vec<usize>,
}

pub fn run(args: &CheckArgs) -> ExitCode {
    match check(args) {
        Ok(code) => code,
        Err(message) => {
            fail(&message);
            ExitCode::from(2)
        }
    }
}

fn check(args: &CheckArgs) -> Result<ExitCode, String> {
    let mut inputs = collect_inputs(args)?;
    let overrides = args.config.overrides();

    // Group files by the configuration that governs them.
    let mut finder = ConfigFinder::new();
    let mut by_config: BTreeMap<Option<PathBuf>, Vec<usize>> = BTreeMap::new();
    for (i, input) in inputs.iter().enumerate() {
        let config = match &args.config.config {
            Some(path) => Some(path.clone()),
            None => finder
                .find_for(&input.path)
                .map_err(|e| shared::render_diagnostic(&e, shared::stderr_color()))?,
        };
        by_config.entry(config).or_default().push(i);
    }
    if by_config.is_empty() {
        // No proposal (an empty directory): still honour --show-settings.
        let config = match &args.config.config {
            Some(path) => Some(path.clone()),
            None => finder
                .find_from(Path::new("."))
                .map_err(|e| shared::render_diagnostic(&e, shared::stderr_color()))?,
        };
        by_config.insert(config, Vec::new());
    }

    let mut groups = Vec::new();
    for (config, members) in by_config {
        match load_settings(config.as_deref(), &overrides) {
            Ok(settings) => groups.push(Group {
                settings,
                engine: 0,
                inputs: members,
            }),
            Err(failure) => {
                eprint!(
                    "{}",
                    shared::render_diagnostic(&failure, shared::stderr_color())
                );
                return Ok(ExitCode::from(2));
            }
        }
    }

    if args.show_settings {
        let mut out = String::new();
        for group in &groups {
            out.push_str(&group.settings.to_toml_string());
        }
        print_stdout(&out);
        return Ok(ExitCode::SUCCESS);
    }

    let format = args.format.unwrap_or(if io::stdout().is_terminal() {
        OutputFormat::Human
    } else {
        OutputFormat::Plain
    });

    // One engine per distinct rule set, all in one source database.
    let mut sources = SourceDb::new();
    let mut engines: Vec<Engine> = Vec::new();
    let mut rule_sets: BTreeMap<(bool, Vec<PathBuf>), usize> = BTreeMap::new();
    let mut bad_input = false;
    let mut stderr = Diagnostics::default();
    for group in &mut groups {
        let key = (
            group.settings.default_rules,
            group.settings.rule_dirs.clone(),
        );
        if let Some(&engine) = rule_sets.get(&key) {
            group.engine = engine;
            continue;
        }
        let files = shared::rule_files(key.0, &key.1)?;
        let (engine, problems) = Engine::build_into(&mut sources, files);
        bad_input |= stderr.problems(&problems, &sources);
        group.engine = engines.len();
        rule_sets.insert(key, engines.len());
        engines.push(engine);
    }
    for group in &groups {
        let Some(engine) = engines.get(group.engine) else {
            continue;
        };
        let known: Vec<&str> = engine
            .program()
            .norms
            .iter()
            .map(|n| n.id.as_str())
            .collect();
        let warnings = group.settings.validate(&known);
        if !warnings.is_empty() {
            let report = group.settings.report(warnings);
            bad_input |= !report.is_warning();
            stderr.print(&shared::render_diagnostic(&report, shared::stderr_color()));
        }
    }

    // A file in UTF-8 moves into the source database without a copy and is
    // checked from there; only a file that is not keeps its bytes, for the
    // problem that says where the encoding breaks.
    let ids: Vec<SourceId> = inputs
        .iter_mut()
        .map(
            |input| match String::from_utf8(std::mem::take(&mut input.bytes)) {
                Ok(text) => sources.add(input.name.clone(), text),
                Err(err) => {
                    let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
                    input.bytes = err.into_bytes();
                    sources.add(input.name.clone(), text)
                }
            },
        )
        .collect();
    let today = shared::today()?;
    // Statistics count findings and one-line formats print messages: neither
    // shows evidence, the costly part of a finding.
    let detail = if args.statistics || !format.shows_evidence() {
        Detail::Messages
    } else {
        Detail::Full
    };

    // Check every file in parallel; results come back in input order.
    let mut jobs: Vec<(usize, usize)> = groups
        .iter()
        .enumerate()
        .flat_map(|(g, group)| group.inputs.iter().map(move |&i| (g, i)))
        .collect();
    jobs.sort_by_key(|&(_, i)| i);
    let results: Vec<(usize, Checked)> = jobs
        .par_iter()
        .filter_map(|&(g, i)| {
            let group = groups.get(g)?;
            let engine = engines.get(group.engine)?;
            let input = inputs.get(i)?;
            let id = *ids.get(i)?;
            let bytes = if input.bytes.is_empty() {
                sources.text(id).as_bytes()
            } else {
                &input.bytes
            };
            let settings = &group.settings;
            let enabled = |norm: &str| settings.is_enabled(norm);
            let severity = |norm: &str, declared| settings.severity(norm, declared);
            let policy = Policy {
                enabled: &enabled,
                severity: &severity,
                today: Some(today),
                detail,
            };
            Some((g, engine.check_with(id, bytes, input.format, &policy)))
        })
        .collect();

    let mut findings: Vec<Finding> = Vec::new();
    let mut problems: Vec<Problem> = Vec::new();
    let mut suppressed = 0;
    let mut failing = false;
    let mut all_facts = Vec::with_capacity(results.len());
    for (g, checked) in results {
        if let Some(group) = groups.get(g) {
            failing |= checked
                .findings
                .iter()
                .any(|f| group.settings.fails(f.severity));
        }
        findings.extend(checked.findings);
        problems.extend(checked.problems);
        suppressed += checked.suppressed;
        all_facts.push(checked.facts);
    }
    bad_input |= problems.iter().any(Problem::is_error);
    // The problems of the proposals are diagnostics of the output in the
    // formats for programs, so that an editor or a CI job sees why a file
    // fails; `human` and `plain` count them in the summary line and leave
    // the reports to standard error, as for every other problem. Statistics
    // have no place for them: they go to standard error too.
    let (proposal_problems, other_problems): (Vec<Problem>, Vec<Problem>) = problems
        .into_iter()
        .partition(|p| p.stage == Stage::Proposal && !args.statistics);
    if !format.reports_problems() {
        stderr.problems(&proposal_problems, &sources);
    }
    stderr.problems(&other_problems, &sources);
    let reported: Vec<InputProblem> = proposal_problems
        .iter()
        .map(Problem::to_input_problem)
        .collect();

    let norms = norm_infos(&engines, &groups);
    let enabled_norms = norms.len();
    if args.explain_expr && !matches!(format, OutputFormat::Json | OutputFormat::JsonLines) {
        for finding in &mut findings {
            finding.explain_expr();
        }
    }
    let out = if args.statistics {
        let stats = lacuna_report::statistics(&findings, &norms);
        lacuna_report::render_statistics(format, &stats)
    } else {
        let options = RenderOptions {
            color: shared::stdout_color(),
            width: shared::width(),
            summary: Some(RunSummary {
                files_checked: inputs.len(),
                norms_checked: enabled_norms,
                suppressed,
            }),
        };
        lacuna_report::render_with_problems(
            format, &findings, &reported, &norms, &sources, &options,
        )
    };
    print_stdout(&out);
    // The process ends with this command. Handing a large proposal's facts,
    // findings and text back to the allocator piece by piece only delays the
    // exit, so they are left for the operating system to reclaim at once.
    std::mem::forget((all_facts, findings, sources, out));

    Ok(if bad_input {
        ExitCode::from(2)
    } else if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The norms that run for at least one file, described for the reporters,
/// sorted by id.
fn norm_infos(engines: &[Engine], groups: &[Group]) -> Vec<NormInfo> {
    let mut infos: BTreeMap<String, NormInfo> = BTreeMap::new();
    for group in groups {
        let Some(engine) = engines.get(group.engine) else {
            continue;
        };
        for norm in &engine.program().norms {
            if !group.settings.is_enabled(&norm.id) || infos.contains_key(&norm.id) {
                continue;
            }
            let mut info = NormInfo::new(
                norm.id.clone(),
                group.settings.severity(&norm.id, norm.severity),
            );
            info.doc = norm.doc.clone();
            info.help = norm.help.as_ref().map(|h| engine.template_text(norm, h));
            info.source = norm.source.clone();
            info.serves = norm.serves.clone();
            info.perspective = norm.perspective.clone();
            info.tags = norm.tags.clone();
            info.origin = Some(norm.origin);
            infos.insert(norm.id.clone(), info);
        }
    }
    infos.into_values().collect()
}

/// The proposals named on the command line, or standard input.
fn collect_inputs(args: &CheckArgs) -> Result<Vec<Input>, String> {
    if let Some(name) = &args.stdin_filename {
        if !args.paths.is_empty() {
            return Err("`--stdin-filename` reads standard input: give no paths with it".into());
        }
        let format = format_of(name)?;
        let mut bytes = Vec::new();
        io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        return Ok(vec![Input {
            name: display_path(name),
            path: name.clone(),
            format,
            bytes,
        }]);
    }
    if args.paths.is_empty() {
        return Err(
            "no proposal to check: give files or directories, such as `lacuna check fixtures/proposals/status-quo-2010.toml`".into(),
        );
    }
    let mut paths = Vec::new();
    for path in &args.paths {
        let meta =
            fs::metadata(path).map_err(|e| format!("cannot read `{}`: {e}", display_path(path)))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found)?;
            found.sort();
            paths.extend(found);
        } else {
            paths.push(path.clone());
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    paths.retain(|p| seen.insert(p.clone()));
    if let Some(shard) = args.shard {
        paths.retain(|p| shard.contains(&display_path(p)));
    }
    paths
        .into_iter()
        .map(|path| {
            let format = format_of(&path)?;
            let bytes = fs::read(&path)
                .map_err(|e| format!("cannot read `{}`: {e}", display_path(&path)))?;
            Ok(Input {
                name: display_path(&path),
                path,
                format,
                bytes,
            })
        })
        .collect()
}

/// Proposals under a directory: `*.toml` and `*.json` files except
/// `lacuna.toml`, skipping hidden directories and `target`.
fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        fs::read_dir(dir).map_err(|e| format!("cannot read `{}`: {e}", display_path(dir)))?;
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if !name.starts_with('.') && name != "target" {
                walk(&path, found)?;
            }
        } else if Format::from_path(&path).is_some() && name != crate::config::CONFIG_FILE_NAME {
            found.push(path);
        }
    }
    Ok(())
}

fn format_of(path: &Path) -> Result<Format, String> {
    Format::from_path(path).ok_or_else(|| {
        format!(
            "cannot tell the format of `{}`: proposals end in `.toml` or `.json`",
            display_path(path)
        )
    })
}

/// Writes to standard output, ignoring a closed pipe (`lacuna check | head`).
fn print_stdout(text: &str) {
    let mut out = io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
