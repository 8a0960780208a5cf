//! `lacuna check`: the main job.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::fs;
use std::io::{self, IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::str::FromStr;

use lacuna::{
    Checked, Detail, Diagnostic, Engine, FindingFixes, FixMode, Format, Policy, RuleFile, SourceDb,
    SourceId, Stage, apply_first,
};
use lacuna_report::{NormInfo, OutputFormat, RenderOptions, RunSummary};
use rayon::prelude::*;
use similar::TextDiff;

use super::shared::{self, Diagnostics, ReadError, WriteError, display_path, fail};
use crate::config_files::{ConfigArgs, ConfigFailure, ConfigFinder, Settings, load_settings};

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

    /// Apply the safe fixes to the proposals, and to the `.norm` files of
    /// `--rules` directories, repeating until nothing changes. With standard
    /// input, print the fixed text instead.
    #[arg(long)]
    pub fix: bool,

    /// With `--fix`, `--diff` or `--show-fixes`, include the unsafe fixes:
    /// those that change what the proposal says, such as verified repairs of
    /// findings and new `[[allow]]` entries.
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print the changes the fixes would make as a unified diff and write
    /// nothing; exit 1 when there is a change.
    #[arg(long)]
    pub diff: bool,

    /// List the fixes available for each finding and problem after the report.
    #[arg(long)]
    pub show_fixes: bool,

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
  1  at least one finding at the failing severity; with `--diff`, a change to show
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
    /// The bytes as read.
    bytes: Vec<u8>,
    /// The text after fixes, when `--fix` or `--diff` changed it.
    fixed: Option<String>,
    /// Read from standard input: fixes go to standard output.
    stdin: bool,
}

/// The configuration and engine shared by the files under one `lacuna.toml`.
struct Group {
    settings: Settings,
    engine: usize,
    inputs: Vec<usize>,
}

/// How many times `--fix` checks and fixes a file again: a fix may make
/// another mistake visible (a field name fixed, its value is checked).
const MAX_FIX_ROUNDS: usize = 10;

/// Why `lacuna check` stopped before reporting.
#[derive(Debug, thiserror::Error)]
enum CheckError {
    #[error("`--stdin-filename` reads standard input: give no paths with it")]
    StdinWithPaths,
    #[error(
        "no proposal to check: give files or directories, such as `lacuna check fixtures/proposals/status-quo-2010.toml`"
    )]
    NoInput,
    #[error("cannot read standard input: {0}")]
    ReadStdin(ReadError),
    #[error("cannot read `{path}`: {source}")]
    Read { path: String, source: ReadError },
    #[error("cannot tell the format of `{0}`: proposals end in `.toml` or `.json`")]
    UnknownFormat(String),
    /// A message from a shared step (rule directories, `LACUNA_TODAY`).
    #[error("{0}")]
    Setup(String),
    /// A diagnostic, already rendered with its source.
    #[error("{0}")]
    Rendered(String),
    #[error(transparent)]
    Write(#[from] WriteError),
}

impl CheckError {
    fn print(&self) {
        match self {
            CheckError::Rendered(text) => eprint!("{text}"),
            other => fail(&other.to_string()),
        }
    }
}

pub fn run(args: &CheckArgs) -> ExitCode {
    match check(args) {
        Ok(code) => code,
        Err(err) => {
            err.print();
            ExitCode::from(2)
        }
    }
}

/// Which fixes a run makes, shows or lists.
#[derive(Clone, Copy, Debug)]
struct Fixing {
    /// Apply them (`--fix` or `--diff`), in this mode.
    apply: Option<FixMode>,
    /// Which fixes findings get.
    findings: FindingFixes,
}

impl Fixing {
    fn of(args: &CheckArgs) -> Fixing {
        let mode = if args.unsafe_fixes {
            FixMode::Unsafe
        } else {
            FixMode::Safe
        };
        // Every fix of a finding is unsafe: without `--unsafe-fixes` none is
        // applied, so no repair is searched for; `--show-fixes` still counts
        // the suppressions it could list.
        let findings = if args.unsafe_fixes && (args.fix || args.diff || args.show_fixes) {
            FindingFixes::Repair
        } else if args.show_fixes {
            FindingFixes::Suppress
        } else {
            FindingFixes::None
        };
        Fixing {
            apply: (args.fix || args.diff).then_some(mode),
            findings,
        }
    }
}

fn check(args: &CheckArgs) -> Result<ExitCode, CheckError> {
    let mut inputs = collect_inputs(args)?;
    let Some(mut groups) = configure(args, &inputs)? else {
        return Ok(ExitCode::from(2));
    };
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
    let fixing = Fixing::of(args);

    let mut sources = SourceDb::new();
    let mut stderr = Diagnostics::default();
    let mut rule_changes = Vec::new();
    let (engines, mut bad_input) = build_engines(
        &mut groups,
        &mut sources,
        &mut stderr,
        fixing.apply,
        &mut rule_changes,
    )?;
    bad_input |= validate_settings(&groups, &engines, &mut stderr);
    let today = shared::today().map_err(CheckError::Setup)?;

    if let Some(mode) = fixing.apply {
        fix_inputs(&mut inputs, &groups, &engines, today, mode);
    }
    if args.diff {
        return Ok(print_diffs(&inputs, &rule_changes));
    }
    if args.fix {
        write_fixes(&inputs, &rule_changes, &mut stderr)?;
    }

    // A file in UTF-8 moves into the source database without a copy (the
    // fixed text when there is one) and is checked from there; only a file
    // that is not keeps its bytes, for the problem that says where the
    // encoding breaks.
    let ids: Vec<SourceId> = inputs
        .iter_mut()
        .map(|input| {
            if let Some(fixed) = input.fixed.take() {
                input.bytes.clear();
                return sources.add(input.name.clone(), fixed);
            }
            match String::from_utf8(std::mem::take(&mut input.bytes)) {
                Ok(text) => sources.add(input.name.clone(), text),
                Err(err) => {
                    let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
                    input.bytes = err.into_bytes();
                    sources.add(input.name.clone(), text)
                }
            }
        })
        .collect();
    // Statistics count findings and one-line formats print messages: neither
    // shows evidence, the costly part of a finding.
    let detail = if args.statistics || !format.shows_evidence() {
        Detail::Messages
    } else {
        Detail::Full
    };
    let checks = Checks {
        today,
        detail,
        finding_fixes: fixing.findings,
    };
    let results = check_inputs(&inputs, &ids, &sources, &groups, &engines, checks);

    let mut findings: Vec<Diagnostic> = Vec::new();
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut suppressed = 0;
    let mut failing = false;
    let mut all_facts = Vec::with_capacity(results.len());
    for (g, checked) in results {
        if let Some(group) = groups.get(g) {
            let fails = |f: &Diagnostic| group.settings.fails(f.severity);
            failing |= if lacuna_report::parallel(checked.findings.len()) {
                checked.findings.par_iter().any(fails)
            } else {
                checked.findings.iter().any(fails)
            };
        }
        // The first file's findings are taken, not copied: with one large
        // proposal they are most of the report.
        if findings.is_empty() {
            findings = checked.findings;
        } else {
            findings.extend(checked.findings);
        }
        problems.extend(checked.problems);
        suppressed += checked.suppressed;
        all_facts.push(checked.facts);
    }
    bad_input |= problems.iter().any(Diagnostic::is_error);
    let exit = if bad_input {
        ExitCode::from(2)
    } else if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    // With standard input, `--fix` prints the fixed text, and only that.
    if args.fix && inputs.iter().any(|i| i.stdin) {
        stderr.problems(&problems, &sources);
        for &id in &ids {
            print_stdout(sources.text(id));
        }
        return Ok(exit);
    }

    // The problems of the proposals are diagnostics of the output in the
    // formats for programs, so that an editor or a CI job sees why a file
    // fails; `human` and `plain` count them in the summary line and leave
    // the reports to standard error, as for every other problem. Statistics
    // have no place for them: they go to standard error too.
    let (proposal_problems, other_problems): (Vec<Diagnostic>, Vec<Diagnostic>) = problems
        .into_iter()
        .partition(|p| p.stage() == Some(Stage::Proposal) && !args.statistics);
    if !format.reports_problems() {
        stderr.problems(&proposal_problems, &sources);
    }
    stderr.problems(&other_problems, &sources);
    // Past the limit of problems per file, one closing problem counts the rest.
    let (mut reported, omitted) =
        lacuna_report::cap_per_file(proposal_problems, |p| p.primary.source);
    reported.extend(
        omitted.into_iter().map(|(source, count)| {
            lacuna_report::too_many_problems(Stage::Proposal, source, count)
        }),
    );

    let norms = norm_infos(&engines, &groups);
    if args.explain_expr && !matches!(format, OutputFormat::Json | OutputFormat::JsonLines) {
        for finding in &mut findings {
            finding.explain_expr();
        }
    }
    // Bidirectional controls in the words people read are shown escaped.
    lacuna_report::escape_diagnostics_text(&mut findings);
    lacuna_report::escape_diagnostics_text(&mut reported);
    let mut stdout = Stdout::new();
    if args.statistics {
        let stats = lacuna_report::statistics(&findings, &norms);
        let _ = stdout.write_str(&lacuna_report::render_statistics(format, &stats));
    } else {
        let options = RenderOptions {
            summary: Some(RunSummary {
                files_checked: inputs.len(),
                norms_checked: norms.len(),
                suppressed,
            }),
            ..shared::terminal(shared::Stream::Stdout)
        };
        // A failed write (a closed pipe) ends the output; nothing else does.
        let _ = lacuna_report::write_with_problems(
            format,
            &findings,
            &reported,
            &norms,
            &sources,
            &options,
            &mut stdout,
        );
        if args.show_fixes && !format.is_machine_readable() {
            let listing = lacuna_report::FixListing {
                unsafe_fixes: args.unsafe_fixes,
            };
            let _ = stdout.write_str(&lacuna_report::render_fixes(
                &findings, &reported, &sources, &listing,
            ));
        }
    }
    stdout.flush();
    // The process ends with this command. Handing a large proposal's facts,
    // findings and text back to the allocator piece by piece only delays the
    // exit, so they are left for the operating system to reclaim at once.
    std::mem::forget((all_facts, findings, sources));
    Ok(exit)
}

/// What every check of a run shares.
#[derive(Clone, Copy)]
struct Checks {
    today: lacuna::Date,
    detail: Detail,
    finding_fixes: FindingFixes,
}

/// Step 1: the configuration of each input. `None` when a configuration
/// file is broken; its diagnostic is then printed.
fn configure(args: &CheckArgs, inputs: &[Input]) -> Result<Option<Vec<Group>>, CheckError> {
    let overrides = args.config.overrides();
    let mut finder = ConfigFinder::new();
    let rendered = |e: &ConfigFailure| CheckError::Rendered(render_config_failure(e));
    let mut by_config: BTreeMap<Option<PathBuf>, Vec<usize>> = BTreeMap::new();
    for (i, input) in inputs.iter().enumerate() {
        let config = match &args.config.config {
            Some(path) => Some(path.clone()),
            None => finder.find_for(&input.path).map_err(|e| rendered(&e))?,
        };
        by_config.entry(config).or_default().push(i);
    }
    if by_config.is_empty() {
        // No proposal (an empty directory): still honour --show-settings.
        let config = match &args.config.config {
            Some(path) => Some(path.clone()),
            None => finder.find_from(Path::new(".")).map_err(|e| rendered(&e))?,
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
                Diagnostics::default().print(&render_config_failure(&failure));
                return Ok(None);
            }
        }
    }
    Ok(Some(groups))
}

/// A rule file that `--fix` changed.
struct RuleChange {
    path: PathBuf,
    original: Vec<u8>,
    fixed: String,
}

/// Step 2: one engine per distinct rule set, all in one source database.
/// With fixes to apply, the `.norm` files of rule directories are fixed
/// first, and the engines are built from the fixed text. Returns the engines
/// and whether a rule file has an error.
fn build_engines(
    groups: &mut [Group],
    sources: &mut SourceDb,
    stderr: &mut Diagnostics,
    fixes: Option<FixMode>,
    changes: &mut Vec<RuleChange>,
) -> Result<(Vec<Engine>, bool), CheckError> {
    let mut engines: Vec<Engine> = Vec::new();
    let mut rule_sets: BTreeMap<(bool, Vec<PathBuf>), usize> = BTreeMap::new();
    let mut bad_input = false;
    for group in groups.iter_mut() {
        let key = (
            group.settings.default_rules,
            group.settings.rule_dirs.clone(),
        );
        if let Some(&engine) = rule_sets.get(&key) {
            group.engine = engine;
            continue;
        }
        let mut files = shared::rule_files(key.0, &key.1).map_err(CheckError::Setup)?;
        if let Some(mode) = fixes {
            fix_rule_files(&mut files, mode, changes);
        }
        let (engine, problems) = Engine::build_into(sources, files);
        bad_input |= stderr.problems(&problems, sources);
        group.engine = engines.len();
        rule_sets.insert(key, engines.len());
        engines.push(engine);
    }
    Ok((engines, bad_input))
}

/// Applies the fixes of the problems in `.norm` files read from rule
/// directories (never the standard or built-in rules, whose names start
/// with `<`), round after round, and records what changed.
fn fix_rule_files(files: &mut [RuleFile], mode: FixMode, changes: &mut Vec<RuleChange>) {
    let originals: Vec<Vec<u8>> = files.iter().map(|f| f.bytes.clone()).collect();
    for _ in 0..MAX_FIX_ROUNDS {
        let (engine, problems) = Engine::build(files.to_vec());
        let mut changed = false;
        for file in files.iter_mut().filter(|f| !f.name.starts_with('<')) {
            let Ok(text) = std::str::from_utf8(&file.bytes) else {
                continue;
            };
            let fixes = problems
                .iter()
                .filter(|p| engine.sources().name(p.primary.source) == file.name)
                .map(|p| p.fixes.as_slice());
            let applied = apply_first(text, fixes, mode);
            if applied.applied > 0 && applied.text != text {
                file.bytes = applied.text.into_bytes();
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for (file, original) in files.iter().zip(originals) {
        if file.bytes != original {
            changes.push(RuleChange {
                path: PathBuf::from(&file.name),
                original,
                fixed: String::from_utf8_lossy(&file.bytes).into_owned(),
            });
        }
    }
}

/// Step 3: selectors that name no norm, reported once per configuration.
/// True when one of them is an error.
fn validate_settings(groups: &[Group], engines: &[Engine], stderr: &mut Diagnostics) -> bool {
    let mut bad_input = false;
    for group in groups {
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
            stderr.print(&shared::render_with_named(
                &report,
                report.named_source(),
                &shared::terminal(shared::Stream::Stderr),
            ));
        }
    }
    bad_input
}

/// The check of one input under its group's settings.
fn check_one(
    group: &Group,
    engine: &Engine,
    id: SourceId,
    input: &Input,
    content: Content<'_>,
    checks: Checks,
) -> Checked {
    let settings = &group.settings;
    let enabled = |norm: &str| settings.is_enabled(norm);
    let severity = |norm: &str, declared| settings.severity(norm, declared);
    let policy = Policy {
        enabled: &enabled,
        severity: &severity,
        today: Some(checks.today),
        detail: checks.detail,
        finding_fixes: checks.finding_fixes,
    };
    match content {
        Content::Text(text) => engine.check_text_with(id, text, input.format, &policy),
        Content::Bytes(bytes) => engine.check_with(id, bytes, input.format, &policy),
    }
}

/// What a check reads of a file: its text, known to be UTF-8, or the bytes
/// of a file that is not.
#[derive(Clone, Copy)]
enum Content<'a> {
    Text(&'a str),
    Bytes(&'a [u8]),
}

/// Each input with the group that governs it, in input order.
fn jobs(groups: &[Group]) -> Vec<(usize, usize)> {
    let mut jobs: Vec<(usize, usize)> = groups
        .iter()
        .enumerate()
        .flat_map(|(g, group)| group.inputs.iter().map(move |&i| (g, i)))
        .collect();
    jobs.sort_by_key(|&(_, i)| i);
    jobs
}

/// Step 4 (with `--fix` or `--diff`): applies fixes to each input, checking
/// again after each round, until a round changes nothing.
fn fix_inputs(
    inputs: &mut [Input],
    groups: &[Group],
    engines: &[Engine],
    today: lacuna::Date,
    mode: FixMode,
) {
    // The check runs on text not in the source database; spans do not
    // depend on the id.
    let id = SourceId(u32::MAX);
    let checks = Checks {
        today,
        // Only fixes are wanted from these checks, not what they say.
        detail: Detail::Messages,
        finding_fixes: if mode == FixMode::Unsafe {
            FindingFixes::Repair
        } else {
            FindingFixes::None
        },
    };
    let fixed: Vec<(usize, Option<String>)> = jobs(groups)
        .par_iter()
        .filter_map(|&(g, i)| {
            let group = groups.get(g)?;
            let engine = engines.get(group.engine)?;
            let input = inputs.get(i)?;
            let mut text = std::str::from_utf8(&input.bytes).ok()?.to_owned();
            for _ in 0..MAX_FIX_ROUNDS {
                let checked = check_one(group, engine, id, input, Content::Text(&text), checks);
                let diagnostics = checked
                    .problems
                    .iter()
                    .filter(|p| p.primary.source == id)
                    .map(|p| p.fixes.as_slice())
                    .chain(checked.findings.iter().map(|f| f.fixes.as_slice()));
                let applied = apply_first(&text, diagnostics, mode);
                if applied.applied == 0 || applied.text == text {
                    break;
                }
                text = applied.text;
            }
            let changed = text.as_bytes() != input.bytes.as_slice();
            Some((i, changed.then_some(text)))
        })
        .collect();
    for (i, text) in fixed {
        if let Some(input) = inputs.get_mut(i) {
            input.fixed = text;
        }
    }
}

/// `--diff`: the changes as unified diffs, rule files first; exit 1 when
/// there is one.
fn print_diffs(inputs: &[Input], rules: &[RuleChange]) -> ExitCode {
    let mut out = String::new();
    let mut any = false;
    let mut diff = |name: &str, before: &str, after: &str| {
        let text = TextDiff::from_lines(before, after);
        out.push_str(
            &text
                .unified_diff()
                .context_radius(3)
                .header(name, &format!("{name} (fixed)"))
                .to_string(),
        );
        any = true;
    };
    for change in rules {
        let before = String::from_utf8_lossy(&change.original);
        diff(&display_path(&change.path), &before, &change.fixed);
    }
    for input in inputs {
        if let Some(fixed) = &input.fixed {
            diff(&input.name, &String::from_utf8_lossy(&input.bytes), fixed);
        }
    }
    print_stdout(&out);
    if any {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `--fix`: writes every changed file, atomically and only when nobody
/// changed it since it was read, then says what was written.
fn write_fixes(
    inputs: &[Input],
    rules: &[RuleChange],
    stderr: &mut Diagnostics,
) -> Result<(), CheckError> {
    let mut written = 0;
    for change in rules {
        shared::write_if_unchanged(&change.path, &change.original, &change.fixed)?;
        written += 1;
    }
    for input in inputs.iter().filter(|i| !i.stdin) {
        if let Some(fixed) = &input.fixed {
            shared::write_if_unchanged(&input.path, &input.bytes, fixed)?;
            written += 1;
        }
    }
    if written > 0 {
        stderr.print(&format!(
            "fixed {}\n",
            lacuna_syntax::suggest::plural(written, "file", "files")
        ));
    }
    Ok(())
}

/// Step 5: checks every input in parallel; results come back in input order.
fn check_inputs(
    inputs: &[Input],
    ids: &[SourceId],
    sources: &SourceDb,
    groups: &[Group],
    engines: &[Engine],
    checks: Checks,
) -> Vec<(usize, Checked)> {
    jobs(groups)
        .par_iter()
        .filter_map(|&(g, i)| {
            let group = groups.get(g)?;
            let engine = engines.get(group.engine)?;
            let input = inputs.get(i)?;
            let id = *ids.get(i)?;
            // From the source database, where it was checked to be UTF-8,
            // unless it is not.
            let content = if input.bytes.is_empty() {
                Content::Text(sources.text(id))
            } else {
                Content::Bytes(&input.bytes)
            };
            let checked = check_one(group, engine, id, input, content, checks);
            Some((g, checked))
        })
        .collect()
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
fn collect_inputs(args: &CheckArgs) -> Result<Vec<Input>, CheckError> {
    if let Some(name) = &args.stdin_filename {
        if !args.paths.is_empty() {
            return Err(CheckError::StdinWithPaths);
        }
        let format = format_of(name)?;
        let bytes = shared::read_stdin().map_err(CheckError::ReadStdin)?;
        return Ok(vec![Input {
            name: display_path(name),
            path: name.clone(),
            format,
            bytes,
            fixed: None,
            stdin: true,
        }]);
    }
    if args.paths.is_empty() {
        return Err(CheckError::NoInput);
    }
    let mut paths = Vec::new();
    for path in &args.paths {
        let meta = fs::metadata(path).map_err(|source| CheckError::Read {
            path: display_path(path),
            source: ReadError::Io(source),
        })?;
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
            let bytes = shared::read_file(&path).map_err(|source| CheckError::Read {
                path: display_path(&path),
                source,
            })?;
            Ok(Input {
                name: display_path(&path),
                path,
                format,
                bytes,
                fixed: None,
                stdin: false,
            })
        })
        .collect()
}

/// Proposals under a directory: `*.toml` and `*.json` files except
/// `lacuna.toml`, skipping hidden directories and `target`.
///
/// Symbolic links to directories are not followed, as ripgrep and ruff do
/// not follow them by default: a link back up the tree would otherwise make
/// the walk endless, and a link to `.` would check every file again. A
/// link to a file is checked like the file.
fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), CheckError> {
    let entries = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            let name = entry.file_name().to_string_lossy();
            entry.depth() == 0
                || !entry.file_type().is_dir()
                || (!name.starts_with('.') && name != "target")
        });
    for entry in entries {
        let entry = entry.map_err(|e| CheckError::Read {
            path: display_path(e.path().unwrap_or(dir)),
            source: ReadError::Io(e.into()),
        })?;
        let path = entry.path();
        let is_file = entry.file_type().is_file()
            || (entry.path_is_symlink() && fs::metadata(path).is_ok_and(|m| m.is_file()));
        let name = entry.file_name().to_string_lossy();
        if is_file
            && Format::from_path(path).is_some()
            && name != crate::config_files::CONFIG_FILE_NAME
        {
            found.push(path.to_path_buf());
        }
    }
    Ok(())
}

fn format_of(path: &Path) -> Result<Format, CheckError> {
    Format::from_path(path).ok_or_else(|| CheckError::UnknownFormat(display_path(path)))
}

/// Writes to standard output, ignoring a closed pipe (`lacuna check | head`).
fn print_stdout(text: &str) {
    let mut out = io::stdout().lock();
    let _ = out.write_all(lacuna_report::escape_bidi(text).as_bytes());
    let _ = out.flush();
}

/// Standard output for a report written piece by piece, with bidirectional
/// controls escaped as [`print_stdout`] escapes them. The pieces are large
/// (whole lines, many at a time), so they go straight to the stream. The
/// first failed write (a closed pipe) fails every later one, which ends the
/// report.
struct Stdout {
    out: io::StdoutLock<'static>,
    failed: bool,
}

impl Stdout {
    fn new() -> Stdout {
        Stdout {
            out: io::stdout().lock(),
            failed: false,
        }
    }

    fn flush(&mut self) {
        if !self.failed {
            let _ = self.out.flush();
        }
    }
}

impl fmt::Write for Stdout {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        // Each piece is whole characters, so escaping the pieces one by one
        // escapes the same characters as escaping the whole.
        if self.failed
            || self
                .out
                .write_all(lacuna_report::escape_bidi(text).as_bytes())
                .is_err()
        {
            self.failed = true;
            return Err(fmt::Error);
        }
        Ok(())
    }
}

/// A configuration that cannot be found or read, or is invalid, with an
/// excerpt of the file when there is one.
fn render_config_failure(failure: &ConfigFailure) -> String {
    let source = match failure {
        ConfigFailure::Invalid(report) => report.named_source(),
        _ => None,
    };
    shared::render_with_named(failure, source, &shared::terminal(shared::Stream::Stderr))
}
