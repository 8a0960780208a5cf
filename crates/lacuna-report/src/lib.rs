//! Findings rendered for people and for tools.
//!
//! The evaluator produces findings and the facade problems with the inputs,
//! both as [`Diagnostic`]s; this crate turns them into text in
//! one of the [`OutputFormat`]s: a graphical report for terminals, a
//! narratable one for screen readers and logs, one line per finding, JSON,
//! JSON lines, SARIF for code scanning, GitHub workflow commands, and
//! Language Server Protocol diagnostics. `docs/output.md` documents every
//! format field by field.
//!
//! Only this crate and the binary know how a finding looks on a terminal.
//! Rendering does no I/O and reads no environment: whether to colour is the
//! caller's decision ([`RenderOptions::color`]), and the same inputs always
//! give the same text. Findings are sorted by file, position, norm and
//! subject before rendering, whatever order they come in.
//!
//! Besides findings, a run may report problems with its inputs: a proposal
//! that does not parse, an unknown field, a dangling reference. They are
//! diagnostics too, with a problem's [`Code`]. The formats for programs
//! carry them in the same order as findings; `human` and `plain` count them
//! in the summary line and leave printing them to the caller, which writes
//! them to standard error with [`render_problem`].
//!
//! Positions: byte spans are turned into lines and columns by a
//! [`LineIndex`]. People-facing formats count columns in Unicode scalar
//! values; `lsp` and `sarif` count UTF-16 code units, as their consumers do.

use std::fmt;
use std::str::FromStr;

use lacuna_eval::{Diagnostic, Subject};
use lacuna_model::{Origin, SourceDb, SourceId};
use rayon::prelude::*;

pub mod catalogue;
pub mod compare;
pub mod coverage;
mod fixes;
mod github;
pub mod html;
mod human;
mod json;
mod line_index;
mod location;
mod lsp;
pub mod paint;
mod problem;
pub mod ruletest;
mod sarif;
mod snippet;
mod statistics;
mod terminal;
mod text;
mod uri;

pub use fixes::{FixListing, render_fixes};
pub use human::{DiagnosticReport, render_problem};
pub use lacuna_syntax::ast::Severity;
pub use line_index::{LineColumn, LineIndex, LineTable, Utf16Position};
pub use location::{Location, Locator};
pub use problem::{TOO_MANY_PROBLEMS_CODE, omitted_message, too_many_problems};
pub use snippet::{
    Excerpt, SNIPPET_LABEL_CHARS, SNIPPET_LABEL_LINES, SNIPPET_LINE_CHARS, SNIPPET_MARGIN_CHARS,
    Snippet, SnippetFile, escape_bidi, escape_diagnostic_text, escape_diagnostics_text,
    is_bidi_control,
};
pub use statistics::{Statistic, render_statistics, statistics};
pub use text::{MAX_COLUMN_WIDTH, column_width, summary_line};

/// The version of lacuna, as SARIF and JSON report it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The version of the `json` and `json-lines` schema. It changes only when a
/// field is removed or changes meaning; new fields may appear at any time.
pub const JSON_SCHEMA_VERSION: u32 = 1;

/// At most this many problems of one file are reported, in every format and
/// in the language server; the rest are counted in one closing line, as
/// compilers stop after a screenful of errors. A file this broken is
/// usually not the kind of file it claims to be, and a line of random bytes
/// can otherwise produce an error per byte.
pub const MAX_PROBLEMS_PER_FILE: usize = 100;

/// Keeps the first [`MAX_PROBLEMS_PER_FILE`] items of each file, in order,
/// and counts the others per file, sorted by file.
pub fn cap_per_file<T>(
    items: impl IntoIterator<Item = T>,
    file: impl Fn(&T) -> lacuna_model::SourceId,
) -> (Vec<T>, Vec<(lacuna_model::SourceId, usize)>) {
    let mut seen: std::collections::BTreeMap<lacuna_model::SourceId, usize> =
        std::collections::BTreeMap::new();
    let mut kept = Vec::new();
    for item in items {
        let count = seen.entry(file(&item)).or_default();
        *count += 1;
        if *count <= MAX_PROBLEMS_PER_FILE {
            kept.push(item);
        }
    }
    let dropped = seen
        .into_iter()
        .filter(|&(_, n)| n > MAX_PROBLEMS_PER_FILE)
        .map(|(id, n)| (id, n - MAX_PROBLEMS_PER_FILE))
        .collect();
    (kept, dropped)
}

/// How findings are printed: the values of `--format`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OutputFormat {
    /// Graphical reports with source snippets, for terminals.
    #[default]
    Human,
    /// The same reports as narrated text without box drawing, for screen
    /// readers and logs.
    Plain,
    /// One line per finding: `path:line:column: severity[norm] message`.
    Concise,
    /// One JSON document with every finding, the norms and a summary.
    Json,
    /// One JSON object per finding, one per line.
    JsonLines,
    /// SARIF 2.1.0, as GitHub code scanning accepts it.
    Sarif,
    /// GitHub Actions workflow commands, which annotate pull requests.
    Github,
    /// Language Server Protocol diagnostics, grouped by file.
    Lsp,
}

impl OutputFormat {
    pub const ALL: [OutputFormat; 8] = [
        OutputFormat::Human,
        OutputFormat::Plain,
        OutputFormat::Concise,
        OutputFormat::Json,
        OutputFormat::JsonLines,
        OutputFormat::Sarif,
        OutputFormat::Github,
        OutputFormat::Lsp,
    ];

    /// The name `--format` takes.
    pub fn as_str(self) -> &'static str {
        match self {
            OutputFormat::Human => "human",
            OutputFormat::Plain => "plain",
            OutputFormat::Concise => "concise",
            OutputFormat::Json => "json",
            OutputFormat::JsonLines => "json-lines",
            OutputFormat::Sarif => "sarif",
            OutputFormat::Github => "github",
            OutputFormat::Lsp => "lsp",
        }
    }

    /// Whether the output is for programs, which carry fixes in their data;
    /// the others list fixes after the report (`--show-fixes`).
    pub fn is_machine_readable(self) -> bool {
        !matches!(
            self,
            OutputFormat::Human | OutputFormat::Plain | OutputFormat::Concise
        )
    }

    /// Whether the output carries problems with the inputs. `human` and
    /// `plain` do not: their caller prints problems to standard error.
    pub fn reports_problems(self) -> bool {
        !matches!(self, OutputFormat::Human | OutputFormat::Plain)
    }

    /// Whether the output shows a finding's evidence. `concise` and
    /// `github` print one line per finding, so evaluation can skip the
    /// search for evidence when they are asked for.
    pub fn shows_evidence(self) -> bool {
        !matches!(self, OutputFormat::Concise | OutputFormat::Github)
    }
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OutputFormat {
    type Err = UnknownFormat;

    fn from_str(name: &str) -> Result<OutputFormat, UnknownFormat> {
        OutputFormat::ALL
            .into_iter()
            .find(|format| format.as_str() == name)
            .ok_or_else(|| UnknownFormat::new(name))
    }
}

/// A `--format` value that names no format.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[error("unknown output format `{name}`")]
#[diagnostic(code(usage::format), help("{help}"))]
pub struct UnknownFormat {
    name: String,
    help: String,
}

impl UnknownFormat {
    fn new(name: &str) -> UnknownFormat {
        let names: Vec<&str> = OutputFormat::ALL.iter().map(|f| f.as_str()).collect();
        let help = match lacuna_syntax::suggest::closest(name, names.iter().copied()) {
            Some(candidate) => format!("did you mean `{candidate}`?"),
            None => format!("the formats are: {}", names.join(", ")),
        };
        UnknownFormat {
            name: name.to_owned(),
            help,
        }
    }

    /// The name that was given.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// What a report says about a norm, for the formats that describe the rules
/// they apply (`json` and the `rules` of `sarif`). The binary builds these
/// from the evaluated program, one per norm checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NormInfo {
    /// The norm's id, such as `protection.coverage`.
    pub id: String,
    /// The severity the norm has in this run, after configuration.
    pub severity: Severity,
    /// The doc comment without its `///` markers; its first line is the
    /// norm's summary.
    pub doc: Option<String>,
    /// The `help` template as written, before interpolation.
    pub help: Option<String>,
    /// Where the norm comes from (`source:`).
    pub source: Option<String>,
    pub serves: Vec<String>,
    pub perspective: Vec<String>,
    pub tags: Vec<String>,
    /// Where the norm is declared in its `.norm` file.
    pub origin: Option<Origin>,
}

impl NormInfo {
    /// A norm known only by its id and severity.
    pub fn new(id: impl Into<String>, severity: Severity) -> NormInfo {
        NormInfo {
            id: id.into(),
            severity,
            doc: None,
            help: None,
            source: None,
            serves: Vec::new(),
            perspective: Vec::new(),
            tags: Vec::new(),
            origin: None,
        }
    }

    /// What a finding tells about its norm, for a norm the caller did not
    /// describe: a report never drops a finding for want of a rule.
    pub fn from_finding(finding: &Diagnostic) -> NormInfo {
        NormInfo {
            source: finding.source().map(str::to_owned),
            serves: finding.serves().to_vec(),
            perspective: finding.perspective().to_vec(),
            tags: finding.tags().to_vec(),
            origin: finding.norm_origin(),
            ..NormInfo::new(finding.code.as_str(), finding.severity)
        }
    }

    /// The first line of the doc comment, the norm's one-line description.
    pub fn summary(&self) -> Option<&str> {
        let line = self.doc.as_deref()?.lines().next()?.trim();
        (!line.is_empty()).then_some(line)
    }
}

/// How to render, beyond the format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderOptions {
    /// Colour `human` output with ANSI escapes. The binary decides from the
    /// terminal and `NO_COLOR`; no other format is ever coloured.
    pub color: bool,
    /// The width `human` output wraps at, in terminal columns.
    pub width: usize,
    /// What the run covered. When set, `human`, `plain` and `concise` end
    /// with a summary line and `json` fills in `summary.files_checked` and
    /// `summary.norms_checked`.
    pub summary: Option<RunSummary>,
}

impl Default for RenderOptions {
    fn default() -> RenderOptions {
        RenderOptions {
            color: false,
            width: 100,
            summary: None,
        }
    }
}

/// The size of a run, for summaries: counts the findings cannot tell.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunSummary {
    /// Proposals checked, with or without findings.
    pub files_checked: usize,
    /// Norms checked against each proposal.
    pub norms_checked: usize,
    /// Findings that `[[allow]]` entries suppressed.
    pub suppressed: usize,
}

/// Renders `findings` in `format`. `norms` describes the norms checked (for
/// `json` and `sarif`); `sources` holds every text the findings point into.
pub fn render(
    format: OutputFormat,
    findings: &[Diagnostic],
    norms: &[NormInfo],
    sources: &SourceDb,
    options: &RenderOptions,
) -> String {
    render_with_problems(format, findings, &[], norms, sources, options)
}

/// Renders `findings` and the `problems` of the inputs in `format`.
///
/// Every format for programs reports each problem in order among the
/// findings; `human` and `plain` only count them in the summary line (see
/// [`OutputFormat::reports_problems`]). Which is which is told by the
/// [`Code`] of each diagnostic, not by the list it comes in.
pub fn render_with_problems(
    format: OutputFormat,
    findings: &[Diagnostic],
    problems: &[Diagnostic],
    norms: &[NormInfo],
    sources: &SourceDb,
    options: &RenderOptions,
) -> String {
    let mut out = String::new();
    // Writing to a `String` cannot fail.
    let _ = write_with_problems(
        format, findings, problems, norms, sources, options, &mut out,
    );
    out
}

/// Writes what [`render_with_problems`] returns to `out`, piece by piece
/// where the format allows, so that a caller writing to a stream never holds
/// a long report whole. Every piece is whole characters. An error of `out`
/// ends the writing and is returned.
pub fn write_with_problems(
    format: OutputFormat,
    findings: &[Diagnostic],
    problems: &[Diagnostic],
    norms: &[NormInfo],
    sources: &SourceDb,
    options: &RenderOptions,
    out: &mut dyn fmt::Write,
) -> fmt::Result {
    let report = Report::new(findings, problems, norms, sources);
    let whole = match format {
        OutputFormat::Human => human::render_graphical(&report, options),
        OutputFormat::Plain => human::render_narrated(&report, options),
        OutputFormat::Concise => return text::write_concise(&report, options, out),
        OutputFormat::Json => json::render_json(&report, options),
        OutputFormat::JsonLines => json::render_json_lines(&report),
        OutputFormat::Sarif => sarif::render_sarif(&report),
        OutputFormat::Github => return github::write_github(&report, out),
        OutputFormat::Lsp => lsp::render_lsp(&report),
    };
    out.write_str(&whole)
}

/// The findings in report order: by file name, position, norm, subject and
/// message. Every format prints findings in this order.
pub fn sorted_findings<'f>(
    findings: impl IntoIterator<Item = &'f Diagnostic>,
    sources: &SourceDb,
) -> Vec<&'f Diagnostic> {
    let mut sorted: Vec<&Diagnostic> = findings.into_iter().collect();
    // The findings of one proposal arrive in position order already, so
    // this is a pass of cheap comparisons that rarely look past the
    // position.
    sort_stably(&mut sorted, |a, b| report_order(a, b, sources));
    sorted
}

/// How many findings a pass over every finding of a check or a report
/// needs before it runs on several threads: below it, starting them costs more than it
/// saves.
const PARALLEL_FINDINGS: usize = 16_384;

/// Whether a pass over `len` findings runs on several threads: when they
/// are many and rayon has more than one thread.
pub fn parallel(len: usize) -> bool {
    len >= PARALLEL_FINDINGS && rayon::current_num_threads() > 1
}

/// Sorts `items` stably by `order`, when they are not in it already, as
/// findings usually are: a sort, even of sorted items, takes a buffer of
/// half their size. Many items are checked, and sorted if need be, on
/// several threads.
pub fn sort_stably<T: Send + Sync>(
    items: &mut [T],
    order: impl Fn(&T, &T) -> std::cmp::Ordering + Sync,
) {
    if parallel(items.len()) {
        let in_order = items.par_windows(2).all(|pair| {
            pair.first()
                .zip(pair.get(1))
                .is_none_or(|(a, b)| order(a, b).is_le())
        });
        if !in_order {
            items.par_sort_by(order);
        }
    } else if !items.is_sorted_by(|a, b| order(a, b).is_le()) {
        items.sort_by(order);
    }
}

/// The order of [`sorted_findings`].
fn report_order<'f>(
    a: &'f Diagnostic,
    b: &'f Diagnostic,
    sources: &SourceDb,
) -> std::cmp::Ordering {
    let (x, y) = (&a.primary, &b.primary);
    file_order(x.source, y.source, sources)
        .then(x.span.start.cmp(&y.span.start))
        .then(x.span.end.cmp(&y.span.end))
        .then_with(|| a.code.as_str().cmp(b.code.as_str()))
        .then_with(|| {
            let path = |f: &Diagnostic| f.subject.as_ref().map(Subject::path);
            path(a).cmp(&path(b))
        })
        .then_with(|| a.message.cmp(&b.message))
        // The rest only breaks ties between near-duplicates, so that even
        // they come out in the same order whatever order they came in.
        .then(a.severity.cmp(&b.severity))
        .then_with(|| {
            // Lexicographic, as the vectors of pairs compared before.
            let evidence =
                |f: &'f Diagnostic| f.evidence.iter().map(|e| (e.origin, e.message.as_str()));
            evidence(a).cmp(evidence(b))
        })
        .then_with(|| a.help.cmp(&b.help))
}

/// Sources by file name, then by id; most comparisons are of a source with
/// itself, which need not look at the names.
fn file_order(a: SourceId, b: SourceId, sources: &SourceDb) -> std::cmp::Ordering {
    if a == b {
        return std::cmp::Ordering::Equal;
    }
    sources.name(a).cmp(sources.name(b)).then(a.cmp(&b))
}

/// Everything a format needs, prepared once: sorted findings and problems,
/// a line index per source, and the norms each finding refers to.
pub(crate) struct Report<'a> {
    pub findings: Vec<&'a Diagnostic>,
    pub problems: Vec<&'a Diagnostic>,
    pub locator: Locator<'a>,
    /// Every norm described by the caller or met in a finding, sorted by id,
    /// one entry per id.
    pub norms: Vec<NormInfo>,
    /// The counts of the findings, when the pass that prepared them made
    /// them on the way.
    counted: Option<Counts>,
}

impl<'a> Report<'a> {
    fn new(
        findings: &'a [Diagnostic],
        problems: &'a [Diagnostic],
        norms: &[NormInfo],
        sources: &'a SourceDb,
    ) -> Report<'a> {
        let mut catalog: Vec<NormInfo> = norms.to_vec();
        catalog.sort_by(|a, b| a.id.cmp(&b.id));
        catalog.dedup_by(|later, earlier| later.id == earlier.id);
        if let Some(counted) = ready(findings, problems, &catalog, sources) {
            return Report {
                findings: findings.iter().collect(),
                problems: problem::sorted_problems(problems, sources),
                locator: Locator::new(sources),
                norms: catalog,
                counted: Some(counted),
            };
        }
        let (findings, problems): (Vec<&Diagnostic>, Vec<&Diagnostic>) = findings
            .iter()
            .chain(problems)
            .partition(|d| d.is_finding());
        let findings = sorted_findings(findings, sources);
        // Neighbours often share a norm, which is then known to be listed.
        let mut listed: Option<&str> = None;
        for finding in &findings {
            let id = finding.code.as_str();
            if listed == Some(id) {
                continue;
            }
            if let Err(at) = catalog.binary_search_by(|n| n.id.as_str().cmp(id)) {
                catalog.insert(at, NormInfo::from_finding(finding));
            }
            listed = Some(id);
        }
        Report {
            findings,
            problems: problem::sorted_problems(problems, sources),
            locator: Locator::new(sources),
            norms: catalog,
            counted: None,
        }
    }

    /// Builds the line index of each file that `entries` point into, here
    /// rather than on whichever thread writing lines asks first: a large
    /// file's index is then built on every thread, not on one while the
    /// others wait for it.
    pub(crate) fn index_sources(&self, entries: &[&Diagnostic]) {
        if entries.len() < text::PARALLEL_LINES {
            return;
        }
        let mut last = None;
        for entry in entries {
            let source = entry.primary.source;
            if last != Some(source) {
                self.locator.line_index(source);
                last = Some(source);
            }
        }
    }

    pub fn sources(&self) -> &'a SourceDb {
        self.locator.sources()
    }

    /// The position of the norm `id` in [`Report::norms`].
    pub fn norm_index(&self, id: &str) -> Option<usize> {
        self.norms.binary_search_by(|n| n.id.as_str().cmp(id)).ok()
    }

    pub fn counts(&self) -> Counts {
        let findings = self
            .counted
            .unwrap_or_else(|| Counts::of(self.findings.iter().copied()));
        Counts {
            problems: self.problems.len(),
            ..findings
        }
    }

    /// Findings and problems in one sequence, by file name and position;
    /// at the same position a problem comes first, since it may explain the
    /// finding. Each keeps its own order otherwise.
    pub fn entries(&self) -> Vec<&'a Diagnostic> {
        if self.problems.is_empty() {
            return self.findings.clone();
        }
        let before = |a: Origin, b: Origin| {
            file_order(a.source, b.source, self.sources())
                .then(a.span.start.cmp(&b.span.start))
                .then(a.span.end.cmp(&b.span.end))
                .is_lt()
        };
        let mut entries = Vec::with_capacity(self.findings.len() + self.problems.len());
        let mut findings = self.findings.iter().copied().peekable();
        let mut problems = self.problems.iter().copied().peekable();
        loop {
            let entry = match (findings.peek(), problems.peek()) {
                (Some(f), Some(p)) if before(f.primary, p.primary) => findings.next(),
                (_, Some(_)) => problems.next(),
                (Some(_), None) => findings.next(),
                (None, None) => None,
            };
            match entry {
                Some(entry) => entries.push(entry),
                None => return entries,
            }
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub info: usize,
    /// Files with at least one finding.
    pub files: usize,
    /// Problems with the inputs.
    pub problems: usize,
}

impl Counts {
    /// How many findings of each severity, and in how many files.
    pub fn of<'f>(findings: impl IntoIterator<Item = &'f Diagnostic>) -> Counts {
        let mut tally = Tally::default();
        findings.into_iter().for_each(|finding| tally.add(finding));
        tally.counts()
    }

    pub fn total(self) -> usize {
        self.errors + self.warnings + self.info
    }
}

/// [`Counts`] in the making: the files met so far, each once per run of
/// findings in it.
#[derive(Default)]
struct Tally {
    counts: Counts,
    files: Vec<SourceId>,
}

impl Tally {
    fn add(&mut self, finding: &Diagnostic) {
        match finding.severity {
            Severity::Error => self.counts.errors += 1,
            Severity::Warning => self.counts.warnings += 1,
            Severity::Info => self.counts.info += 1,
        }
        let source = finding.primary.source;
        if self.files.last() != Some(&source) {
            self.files.push(source);
        }
    }

    /// Both tallies in one.
    fn merge(mut self, other: Tally) -> Tally {
        self.counts.errors += other.counts.errors;
        self.counts.warnings += other.counts.warnings;
        self.counts.info += other.counts.info;
        self.files.extend(other.files);
        self
    }

    fn counts(mut self) -> Counts {
        self.files.sort_unstable();
        self.files.dedup();
        Counts {
            files: self.files.len(),
            ..self.counts
        }
    }
}

/// The counts of `findings` when a report can show them as they come, or
/// `None`. On many findings, one pass on several threads tells whether they
/// are all findings, already in report order and of norms in `catalog`, and
/// the `problems` all problems, which is how a check hands over a large
/// proposal's findings: then the sort and the search for undescribed norms
/// have nothing to do, and the findings are counted on the way. Fewer, or
/// any other case, take the general path.
fn ready(
    findings: &[Diagnostic],
    problems: &[Diagnostic],
    catalog: &[NormInfo],
    sources: &SourceDb,
) -> Option<Counts> {
    /// How many findings one thread looks at in a row.
    const CHUNK: usize = 4_096;
    if !parallel(findings.len() + problems.len()) || problems.iter().any(Diagnostic::is_finding) {
        return None;
    }
    let described = |id: &str| catalog.binary_search_by(|n| n.id.as_str().cmp(id)).is_ok();
    findings
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(k, chunk)| {
            // The finding before the chunk, to which its first is compared.
            let mut previous = (k * CHUNK).checked_sub(1).and_then(|at| findings.get(at));
            // Neighbours often share a norm, which is then known to be listed.
            let mut listed: Option<&str> = None;
            let mut tally = Tally::default();
            for finding in chunk {
                if !finding.is_finding()
                    || previous.is_some_and(|p| report_order(p, finding, sources).is_gt())
                {
                    return None;
                }
                let id = finding.code.as_str();
                if listed != Some(id) {
                    if !described(id) {
                        return None;
                    }
                    listed = Some(id);
                }
                tally.add(finding);
                previous = Some(finding);
            }
            Some(tally)
        })
        .try_reduce(Tally::default, |a, b| Some(a.merge(b)))
        .map(Tally::counts)
}

/// The subject path a finding is keyed by: baselines, `lacuna compare` and
/// SARIF fingerprints match findings on the norm id and this path.
pub(crate) fn subject_path(finding: &Diagnostic) -> String {
    finding
        .subject
        .as_ref()
        .map_or_else(|| "proposal".to_owned(), |s| s.path())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for format in OutputFormat::ALL {
            assert_eq!(format.as_str().parse::<OutputFormat>(), Ok(format));
            assert_eq!(format.to_string(), format.as_str());
        }
    }

    #[test]
    fn unknown_format_suggests_a_near_name() {
        let err = "jsonlines".parse::<OutputFormat>().unwrap_err();
        assert_eq!(err.to_string(), "unknown output format `jsonlines`");
        assert_eq!(err.help, "did you mean `json-lines`?");
        let err = "xml".parse::<OutputFormat>().unwrap_err();
        assert_eq!(
            err.help,
            "the formats are: human, plain, concise, json, json-lines, sarif, github, lsp"
        );
    }
}
