//! What each function of the Python package does, in plain Rust.
//!
//! No Python object appears in this module, so everything here runs with
//! the GIL released. Inputs are paths and texts; outputs are the texts the
//! `lacuna` command prints, so that a program gets from the package exactly
//! what it would read from the command line. Like the binary, this is an
//! edge of the system: it reads files, finds `lacuna.toml` and looks at the
//! clock, then hands texts to the facade.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr as _;

use lacuna::compare::{self, Examined};
use lacuna::config::{ConfigFailure, ConfigFile, ConfigFinder, Overrides, Settings};
use lacuna::input::{display_path, probe};
use lacuna::render::{OutputFormat, RenderOptions};
use lacuna::{
    Checked, Date, Detail, Diagnostic, Engine, FindingFixes, Format, Policy, RuleFile, SourceDb,
    Stage, catalogue,
};

/// What went wrong, for the Python side to raise as one of its exceptions.
#[derive(Debug)]
pub struct Failure {
    pub kind: Kind,
    pub message: String,
    /// The diagnostic's code, when the failure is one diagnostic.
    pub code: Option<String>,
    pub help: Option<String>,
    /// A `json` report whose `problems` are the diagnostics and whose
    /// `findings` are what could be checked, when there are any.
    pub report: Option<String>,
}

/// Which exception a failure becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A proposal that does not load.
    Proposal,
    /// A rule file or directory that does not load.
    Rules,
    /// A configuration file that cannot be found, read or used.
    Config,
    /// A file that cannot be read.
    Read,
    /// A norm id that names no norm.
    UnknownNorm,
    /// An argument that makes no sense, such as an unknown format.
    Usage,
    /// Not a failure: problems that did not stop the work.
    Warning,
}

impl Kind {
    /// The name the Python side knows the kind by.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Proposal => "proposal",
            Kind::Rules => "rules",
            Kind::Config => "config",
            Kind::Read => "read",
            Kind::UnknownNorm => "unknown-norm",
            Kind::Usage => "usage",
            Kind::Warning => "warning",
        }
    }
}

impl Failure {
    fn new(kind: Kind, message: impl Into<String>) -> Failure {
        Failure {
            kind,
            message: message.into(),
            code: None,
            help: None,
            report: None,
        }
    }

    /// A failure that is one diagnostic without a place in a file.
    fn diagnostic(kind: Kind, diagnostic: &dyn miette::Diagnostic) -> Failure {
        Failure {
            kind,
            message: diagnostic.to_string(),
            code: diagnostic.code().map(|c| c.to_string()),
            help: diagnostic.help().map(|h| h.to_string()),
            report: None,
        }
    }

    /// A failure whose diagnostics are `problems`, pointing into `sources`.
    fn problems(
        kind: Kind,
        message: String,
        problems: &[Diagnostic],
        sources: &SourceDb,
    ) -> Failure {
        Failure {
            report: Some(problem_report(problems, sources)),
            ..Failure::new(kind, message)
        }
    }
}

/// A proposal: a file, or a text under a name.
#[derive(Debug)]
pub enum Proposal {
    Path(PathBuf),
    Text { text: String, name: String },
}

/// The rule set to load: the standard rules unless dropped, then rule
/// directories and files.
#[derive(Debug, Default)]
pub struct Rules {
    pub paths: Vec<PathBuf>,
    pub no_default_rules: bool,
}

/// What `lacuna.check` asks for.
#[derive(Debug)]
pub struct CheckRequest {
    pub proposal: Proposal,
    /// The output format; `json` when the caller wants data.
    pub format: String,
    pub rules: Rules,
    /// `lacuna.toml` to use; `None` looks for the nearest one, as the
    /// command line does.
    pub config: Option<PathBuf>,
}

/// A finished piece of work: the text, and problems that did not stop it.
#[derive(Debug)]
pub struct Output {
    pub text: String,
    pub warnings: Vec<Failure>,
}

/// A proposal read into memory.
struct Loaded {
    name: String,
    format: Format,
    bytes: Vec<u8>,
    /// Where the configuration is looked for from.
    place: PathBuf,
}

/// `lacuna.check`: the output of `lacuna check --format FORMAT` for one
/// proposal.
pub fn check(request: &CheckRequest) -> Result<Output, Failure> {
    let format = output_format(&request.format)?;
    let proposal = load_proposal(&request.proposal)?;
    let mut warnings = Vec::new();
    let settings = settings(request, &proposal.place)?;
    let mut sources = SourceDb::new();
    let files = rule_files(settings.default_rules, &settings.rule_dirs)?;
    let engine = build_engine(&mut sources, files, &mut warnings)?;
    validate(&settings, &engine, &mut warnings)?;

    let id = sources.add(
        proposal.name.clone(),
        String::from_utf8_lossy(&proposal.bytes).into_owned(),
    );
    let enabled = |norm: &str| settings.is_enabled(norm);
    let severity = |norm: &str, declared| settings.severity(norm, declared);
    let policy = Policy {
        enabled: &enabled,
        severity: &severity,
        today: Some(today()?),
        detail: if format.shows_evidence() {
            Detail::Full
        } else {
            Detail::Messages
        },
        finding_fixes: FindingFixes::None,
    };
    let checked = engine.check_with(id, &proposal.bytes, proposal.format, &policy);
    if checked.problems.iter().any(Diagnostic::is_error) {
        // The report says what could be checked, and why the rest could not.
        let message = summarise(
            &format!("`{}` does not load", proposal.name),
            &checked.problems,
        );
        let report = engine.render_with(
            &sources,
            &[checked],
            OutputFormat::Json,
            &RenderOptions::default(),
            &policy,
        );
        return Err(Failure {
            report: Some(report),
            ..Failure::new(Kind::Proposal, message)
        });
    }
    Ok(Output {
        text: engine.render_with(
            &sources,
            &[checked],
            format,
            &RenderOptions::default(),
            &policy,
        ),
        warnings,
    })
}

/// `lacuna.compare`: the output of `lacuna compare BASE OPTION...`, the
/// base first in `proposals`.
pub fn compare(proposals: &[Proposal], rules: &Rules, format: &str) -> Result<Output, Failure> {
    let json = match format {
        "json" => true,
        "human" => false,
        other => {
            return Err(Failure {
                help: Some("the formats of a comparison are `json` and `human`".to_owned()),
                code: Some("usage::format".to_owned()),
                ..Failure::new(Kind::Usage, format!("unknown comparison format `{other}`"))
            });
        }
    };
    if proposals.len() < 2 {
        return Err(Failure::new(
            Kind::Usage,
            "nothing to compare: give the base and at least one option",
        ));
    }
    let mut warnings = Vec::new();
    let engine = engine(rules, &mut warnings)?;
    let mut sources = engine.sources().clone();
    let mut checked: Vec<Checked> = Vec::with_capacity(proposals.len());
    for proposal in proposals {
        let proposal = load_proposal(proposal)?;
        let id = sources.add(
            proposal.name.clone(),
            String::from_utf8_lossy(&proposal.bytes).into_owned(),
        );
        let mut one = engine.check(id, &proposal.bytes, proposal.format);
        one.findings
            .iter_mut()
            .for_each(lacuna_report::escape_diagnostic_text);
        if one.problems.iter().any(Diagnostic::is_error) {
            // Comparing the part that could be read would report gaps as
            // closed that were only unreadable.
            return Err(Failure::problems(
                Kind::Proposal,
                summarise(&format!("`{}` does not load", proposal.name), &one.problems),
                &one.problems,
                &sources,
            ));
        }
        checked.push(one);
    }
    let examined: Vec<Examined<'_>> = checked.iter().map(|c| Examined::new(&engine, c)).collect();
    let Some((base, options)) = examined.split_first() else {
        return Err(Failure::new(Kind::Usage, "nothing to compare"));
    };
    let comparisons: Vec<compare::Comparison> = options
        .iter()
        .map(|option| compare::compare_checked(&engine, base, option))
        .collect();
    let text = compare::render_comparisons(
        base,
        options,
        comparisons,
        &sources,
        json,
        &RenderOptions::default(),
    );
    Ok(Output {
        text: lacuna_report::escape_bidi(&text).into_owned(),
        warnings,
    })
}

/// `lacuna.norms`: the output of `lacuna norms --format json`.
pub fn norms(rules: &Rules) -> Result<Output, Failure> {
    let mut warnings = Vec::new();
    let engine = engine(rules, &mut warnings)?;
    let entries = catalogue::entries(&engine);
    Ok(Output {
        text: catalogue::render_list_json(&entries),
        warnings,
    })
}

/// `lacuna.explain`: a JSON object with the fields of the norm in `lacuna
/// norms --format json`, its whole doc comment, its definition and the
/// text `lacuna explain` prints.
pub fn explain(id: &str, rules: &Rules) -> Result<Output, Failure> {
    let mut warnings = Vec::new();
    let engine = engine(rules, &mut warnings)?;
    let entry = catalogue::find(&engine, id)
        .map_err(|unknown| Failure::diagnostic(Kind::UnknownNorm, &unknown))?;
    let list: serde_json::Value =
        serde_json::from_str(&catalogue::render_list_json(std::slice::from_ref(&entry)))
            .map_err(|e| Failure::new(Kind::Usage, format!("cannot describe `{id}`: {e}")))?;
    let mut object = match list.get("norms").and_then(|n| n.get(0)) {
        Some(serde_json::Value::Object(object)) => object.clone(),
        _ => serde_json::Map::new(),
    };
    object.insert("doc".to_owned(), entry.doc.clone().into());
    object.insert(
        "definition".to_owned(),
        catalogue::definition(engine.sources(), entry.origin).into(),
    );
    object.insert(
        "text".to_owned(),
        catalogue::render_explain(&entry, engine.sources(), &RenderOptions::default()).into(),
    );
    let text = serde_json::to_string(&object)
        .map_err(|e| Failure::new(Kind::Usage, format!("cannot describe `{id}`: {e}")))?;
    Ok(Output { text, warnings })
}

fn output_format(name: &str) -> Result<OutputFormat, Failure> {
    OutputFormat::from_str(name).map_err(|unknown| Failure::diagnostic(Kind::Usage, &unknown))
}

/// Reads the proposal, or takes its text.
fn load_proposal(proposal: &Proposal) -> Result<Loaded, Failure> {
    match proposal {
        Proposal::Path(path) => {
            let name = display_path(path);
            let format = Format::from_path(path).ok_or_else(|| {
                Failure::new(
                    Kind::Usage,
                    format!(
                        "cannot tell the format of `{name}`: proposals end in `.toml` or `.json`"
                    ),
                )
            })?;
            let bytes = read_file(path)
                .map_err(|e| Failure::new(Kind::Read, format!("cannot read `{name}`: {e}")))?;
            Ok(Loaded {
                name,
                format,
                bytes,
                place: path.clone(),
            })
        }
        Proposal::Text { text, name } => {
            let format = Format::from_path(Path::new(name)).unwrap_or_else(|| sniff(text));
            Ok(Loaded {
                name: name.clone(),
                format,
                bytes: text.as_bytes().to_vec(),
                place: PathBuf::from(name),
            })
        }
    }
}

/// JSON when the text starts with `{`, TOML otherwise.
fn sniff(text: &str) -> Format {
    if text.trim_start().starts_with('{') {
        Format::Json
    } else {
        Format::Toml
    }
}

/// The settings of the check: the given `lacuna.toml`, or the nearest one
/// to the proposal, merged with the rules the caller gave.
fn settings(request: &CheckRequest, place: &Path) -> Result<Settings, Failure> {
    let config_failure = |failure: ConfigFailure| config_error(&failure);
    let config = match &request.config {
        Some(path) => Some(path.clone()),
        None => ConfigFinder::new()
            .find_for(&absolute(place)?, probe)
            .map_err(config_failure)?,
    };
    let file = match &config {
        Some(path) => Some(load_config(path)?),
        None => None,
    };
    let overrides = Overrides {
        rule_dirs: request.rules.paths.clone(),
        no_default_rules: request.rules.no_default_rules,
        ..Overrides::default()
    };
    Ok(Settings::resolve(file.as_ref(), &overrides))
}

fn load_config(path: &Path) -> Result<ConfigFile, Failure> {
    let name = display_path(path);
    let bytes = read_file(path).map_err(|source| {
        config_error(&ConfigFailure::Read {
            path: name.clone(),
            source,
        })
    })?;
    ConfigFile::from_bytes(absolute(path)?, name, bytes, probe)
        .map_err(|report| config_error(&ConfigFailure::Invalid(report)))
}

/// A configuration that cannot be used, its errors pointing into its text.
fn config_error(failure: &ConfigFailure) -> Failure {
    match failure {
        ConfigFailure::Invalid(report) => config_report(report, Kind::Config),
        other => {
            let mut message = other.to_string();
            if let Some(source) = std::error::Error::source(other) {
                message = format!("{message}: {source}");
            }
            Failure {
                message,
                ..Failure::diagnostic(Kind::Config, other)
            }
        }
    }
}

fn config_report(report: &lacuna::config::ConfigReport, kind: Kind) -> Failure {
    let mut sources = SourceDb::new();
    let problems: Vec<Diagnostic> = match report.named_source() {
        Some(named) => {
            let id = sources.add(named.name(), named.inner().to_string());
            report
                .errors()
                .iter()
                .map(|e| lacuna::problem::from_miette(Stage::Config, id, e, None))
                .collect()
        }
        None => Vec::new(),
    };
    Failure::problems(
        kind,
        summarise(&report.to_string(), &problems),
        &problems,
        &sources,
    )
}

/// Selectors of the configuration that name no norm: an error stops the
/// check, a warning goes along with the result.
fn validate(
    settings: &Settings,
    engine: &Engine,
    warnings: &mut Vec<Failure>,
) -> Result<(), Failure> {
    let known: Vec<&str> = engine
        .program()
        .norms
        .iter()
        .map(|n| n.id.as_str())
        .collect();
    let errors = settings.validate(&known);
    if errors.is_empty() {
        return Ok(());
    }
    let report = settings.report(errors);
    if report.is_warning() {
        warnings.push(config_report(&report, Kind::Warning));
        Ok(())
    } else {
        Err(config_report(&report, Kind::Config))
    }
}

/// The engine of `rules`, without a configuration file.
fn engine(rules: &Rules, warnings: &mut Vec<Failure>) -> Result<Engine, Failure> {
    let files = rule_files(!rules.no_default_rules, &rules.paths)?;
    build_engine(&mut SourceDb::new(), files, warnings)
}

/// Builds the engine; an error in a rule file stops here, a warning goes
/// along with the result.
fn build_engine(
    sources: &mut SourceDb,
    files: Vec<RuleFile>,
    warnings: &mut Vec<Failure>,
) -> Result<Engine, Failure> {
    let (engine, problems) = Engine::build_into(sources, files);
    if problems.is_empty() {
        return Ok(engine);
    }
    if problems.iter().any(Diagnostic::is_error) {
        return Err(Failure::problems(
            Kind::Rules,
            summarise("the rules do not load", &problems),
            &problems,
            sources,
        ));
    }
    warnings.push(Failure::problems(
        Kind::Warning,
        summarise("warnings in the rules", &problems),
        &problems,
        sources,
    ));
    Ok(engine)
}

/// The rule files: the standard ones unless dropped, then each `.norm` file
/// given, and every `*.norm` file of each directory in file-name order.
fn rule_files(default_rules: bool, paths: &[PathBuf]) -> Result<Vec<RuleFile>, Failure> {
    let mut files = if default_rules {
        lacuna::standard_rules()
    } else {
        Vec::new()
    };
    for path in paths {
        let shown = display_path(path);
        let unreadable = |what: &str, e: &dyn std::fmt::Display| {
            Failure::new(
                Kind::Rules,
                format!("cannot read the rule {what} `{shown}`: {e}"),
            )
        };
        let meta = fs::metadata(path).map_err(|e| unreadable("directory", &e))?;
        let found = if meta.is_dir() {
            lacuna::input::norm_files(path).map_err(|e| unreadable("directory", &e))?
        } else {
            vec![path.clone()]
        };
        for file in found {
            let bytes = read_file(&file).map_err(|e| {
                Failure::new(
                    Kind::Rules,
                    format!("cannot read the rule file `{}`: {e}", display_path(&file)),
                )
            })?;
            files.push(RuleFile {
                name: file.display().to_string(),
                bytes,
            });
        }
    }
    Ok(files)
}

/// A `json` report with `problems` only.
fn problem_report(problems: &[Diagnostic], sources: &SourceDb) -> String {
    lacuna_report::render_with_problems(
        OutputFormat::Json,
        &[],
        problems,
        &[],
        sources,
        &RenderOptions::default(),
    )
}

/// `headline: first message` and how many more there are.
fn summarise(headline: &str, problems: &[Diagnostic]) -> String {
    match problems {
        [] => headline.to_owned(),
        [one] => format!("{headline}: {}", one.message),
        [first, rest @ ..] => format!(
            "{headline}: {} (and {})",
            first.message,
            if rest.len() == 1 {
                "1 more problem".to_owned()
            } else {
                format!("{} more problems", rest.len())
            }
        ),
    }
}

/// Today's date for the expiry of suppressions; `LACUNA_TODAY=YYYY-MM-DD`
/// fixes it, as it does for the command line.
fn today() -> Result<Date, Failure> {
    lacuna::input::today().map_err(|message| Failure::new(Kind::Usage, message))
}

/// Reads a file as the command line does, within `LACUNA_MAX_FILE_SIZE`.
fn read_file(path: &Path) -> io::Result<Vec<u8>> {
    lacuna::input::read_file(path).map_err(lacuna::input::ReadError::into_io)
}

fn absolute(path: &Path) -> Result<PathBuf, Failure> {
    std::path::absolute(path).map_err(|e| {
        Failure::new(
            Kind::Read,
            format!("cannot resolve `{}`: {e}", display_path(path)),
        )
    })
}
