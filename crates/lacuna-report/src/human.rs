//! The formats for people: miette's graphical report (`human`) and its
//! narrated form without box drawing (`plain`), for findings and for the
//! problems the caller prints to standard error ([`render_problem`]).

use std::fmt::{self, Write as _};
use std::sync::Arc;

use lacuna_eval::{Code, Diagnostic};
use lacuna_model::{SourceDb, SourceId};
use miette::{GraphicalReportHandler, LabeledSpan, NarratableReportHandler, SourceCode};

use crate::location::{Locator, clamp_span};
use crate::snippet::{Snippet, SnippetFile};
use crate::text::summary_of;
use crate::{RenderOptions, Report, Severity};

/// A finding or a problem as a miette [`miette::Diagnostic`], holding
/// excerpts of the texts it points into.
///
/// A finding's heading reads `error[protection.coverage]: message`; a
/// problem's is its message, under its code, as miette shows any
/// diagnostic. The primary location carries the primary label and each
/// piece of evidence a further label. Evidence in another file than the
/// primary location's becomes a related diagnostic with that file's text,
/// so no evidence is lost. Miette has no place for a note, so
/// [`DiagnosticReport::note`] gives the line (source, serves, perspective)
/// for the caller to print after the report, as `human` and `plain` output
/// do.
#[derive(Debug)]
pub struct DiagnosticReport {
    main: Part,
    /// Evidence in other files than the subject's, one part per file.
    related: Vec<Part>,
    note: Vec<String>,
}

/// One diagnostic as miette sees it: a heading, and labels in one text.
///
/// While a report is put together the labels point into the whole text;
/// [`Part::excerpt`] then moves them into an excerpt of it.
#[derive(Debug, Clone)]
struct Part {
    /// The code miette prints above the heading: a problem's.
    code: Option<String>,
    heading: String,
    severity: miette::Severity,
    help: Option<String>,
    source_id: SourceId,
    file: Option<SnippetFile>,
    source: Option<Snippet>,
    labels: Vec<LabeledSpan>,
}

impl DiagnosticReport {
    /// The report of `diagnostic`, indexing each text it points into. To
    /// render many diagnostics, [`DiagnosticReport::with_locator`] indexes
    /// each text once.
    pub fn new(diagnostic: &Diagnostic, sources: &SourceDb) -> DiagnosticReport {
        DiagnosticReport::with_locator(diagnostic, &Locator::new(sources))
    }

    /// The report of `diagnostic`, a diagnostic or a problem, with the line
    /// tables of `locator`.
    pub fn with_locator(diagnostic: &Diagnostic, locator: &Locator<'_>) -> DiagnosticReport {
        let sources = locator.sources();
        let named_source = |id: SourceId| -> Option<SnippetFile> {
            let file = sources.get(id)?;
            Some(SnippetFile::with_table(
                file.name.clone(),
                Arc::clone(&file.text),
                Arc::clone(locator.line_index(id).table()),
            ))
        };
        let home = diagnostic.primary.source;
        let (code, heading) = match &diagnostic.code {
            Code::Norm(norm) => (
                None,
                format!(
                    "{}[{norm}]: {}",
                    diagnostic.severity.as_str(),
                    diagnostic.message
                ),
            ),
            Code::Problem(_, code) => (Some(code.to_string()), diagnostic.message.clone()),
        };
        let mut main = Part {
            code,
            heading,
            severity: miette_severity(diagnostic.severity),
            help: diagnostic.help.clone(),
            source_id: home,
            file: named_source(home),
            source: None,
            labels: vec![labeled_span(
                sources,
                home,
                diagnostic.primary.span,
                &diagnostic.primary_label,
                LabelKind::Primary,
            )],
        };
        let mut related: Vec<Part> = Vec::new();
        for evidence in &diagnostic.evidence {
            let source = evidence.origin.source;
            let label = labeled_span(
                sources,
                source,
                evidence.origin.span,
                &evidence.message,
                LabelKind::Secondary,
            );
            if sources.get(source).is_none() {
                // Without its text the evidence has no snippet to sit in;
                // its message still shows, as a heading of its own.
                related.push(Part::advice(
                    format!("{} (in an unknown file)", evidence.message),
                    source,
                    None,
                ));
            } else if source == home {
                main.labels.push(label);
            } else if let Some(part) = related
                .iter_mut()
                .find(|r| r.source_id == source && r.file.is_some())
            {
                part.labels.push(label);
            } else {
                let mut part = Part::advice(
                    format!("evidence in `{}`", sources.name(source)),
                    source,
                    named_source(source),
                );
                part.labels.push(label);
                related.push(part);
            }
        }
        let mut note = Vec::new();
        if let Some(source) = diagnostic.source() {
            note.push(source.to_owned());
        }
        if !diagnostic.serves().is_empty() {
            note.push(format!("serves: {}", diagnostic.serves().join(", ")));
        }
        if !diagnostic.perspective().is_empty() {
            note.push(format!(
                "perspective: {}",
                diagnostic.perspective().join(", ")
            ));
        }
        DiagnosticReport {
            main: main.excerpt(),
            related: related.into_iter().map(Part::excerpt).collect(),
            note,
        }
    }

    /// Where the norm comes from and what it serves, such as
    /// `Betts 2010, Recommendation 1 · serves: rights`; `None` when the norm
    /// says neither.
    pub fn note(&self) -> Option<String> {
        (!self.note.is_empty()).then(|| self.note.join(" · "))
    }
}

impl Part {
    fn advice(heading: String, source_id: SourceId, file: Option<SnippetFile>) -> Part {
        Part {
            code: None,
            heading,
            severity: miette::Severity::Advice,
            help: None,
            source_id,
            file,
            source: None,
            labels: Vec::new(),
        }
    }

    /// The part with its labels moved into an excerpt of its text.
    fn excerpt(self) -> Part {
        let Some(file) = &self.file else {
            return self;
        };
        let (snippet, labels) = Snippet::build(file, &self.labels);
        Part {
            source: Some(snippet),
            labels,
            ..self
        }
    }

    /// The same part with other labels and no help.
    fn with_labels(&self, labels: Vec<LabeledSpan>) -> Part {
        Part {
            labels,
            help: None,
            ..self.clone()
        }
    }
}

impl fmt::Display for DiagnosticReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.main.heading)
    }
}

impl std::error::Error for DiagnosticReport {}

impl miette::Diagnostic for DiagnosticReport {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.main.code()
    }

    fn severity(&self) -> Option<miette::Severity> {
        self.main.severity()
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.main.help()
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.main.source_code()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.main.labels()
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.heading)
    }
}

impl std::error::Error for Part {}

impl miette::Diagnostic for Part {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }
}

#[derive(Clone, Copy)]
enum LabelKind {
    Primary,
    Secondary,
}

/// A label on a span clamped to its text, so that miette never reads past
/// the end of a text or splits a character.
fn labeled_span(
    sources: &SourceDb,
    source: SourceId,
    span: lacuna_syntax::Span,
    label: &str,
    kind: LabelKind,
) -> LabeledSpan {
    let text = sources.text(source);
    let (mut start, mut end) = clamp_span(text, span);
    if start == text.len() {
        // Miette shows no line after a final line break, so a point at the
        // very end of the text moves to the end of its last line of text.
        start = text.trim_end_matches(['\r', '\n']).len();
        end = start;
    }
    let label = (!label.is_empty()).then(|| label.to_owned());
    let span = miette::SourceSpan::new(start.into(), end - start);
    match kind {
        LabelKind::Primary => LabeledSpan::new_primary_with_span(label, span),
        LabelKind::Secondary => LabeledSpan::new_with_span(label, span),
    }
}

fn miette_severity(severity: Severity) -> miette::Severity {
    match severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

/// One report drawn by miette's graphical handler, then its note and the
/// evidence in other files.
fn graphical(
    handler: &GraphicalReportHandler,
    out: &mut String,
    diagnostic: &DiagnosticReport,
) -> fmt::Result {
    handler.render_report(out, &diagnostic.main)?;
    if let Some(note) = diagnostic.note() {
        writeln!(out, "  note: {note}")?;
    }
    // Evidence in other files follows the note rather than coming between
    // the help and the note, where miette would put it.
    for part in &diagnostic.related {
        handler.render_report(out, part)?;
    }
    Ok(())
}

pub(crate) fn render_graphical(report: &Report<'_>, options: &RenderOptions) -> String {
    let handler = options.graphical_handler();
    render_reports(report, options, |out, finding| {
        graphical(&handler, out, finding)
    })
}

/// One problem with an input (or any diagnostic) as `human` output draws
/// a finding: the way problems are written to standard error. `locator`
/// holds the texts it points into; the summary of `options` is not used.
pub fn render_problem(
    problem: &Diagnostic,
    locator: &Locator<'_>,
    options: &RenderOptions,
) -> String {
    let report = DiagnosticReport::with_locator(problem, locator);
    let mut out = String::new();
    if graphical(&options.graphical_handler(), &mut out, &report).is_err() {
        out = fallback(&report);
    }
    out
}

pub(crate) fn render_narrated(report: &Report<'_>, options: &RenderOptions) -> String {
    let handler = NarratableReportHandler::new();
    render_reports(report, options, |out, finding| {
        narrate(&handler, out, &finding.main)?;
        if !finding.note.is_empty() {
            writeln!(out, "diagnostic note: {}", finding.note.join("; "))?;
        }
        for part in &finding.related {
            narrate(&handler, out, part)?;
        }
        Ok(())
    })
}

/// Narrates one part, giving each label a snippet of its own.
///
/// Miette's narrator attaches every later label to the last line of a
/// snippet that ends in a line break (miette issue #220), which would read
/// out evidence on the wrong line. One label per snippet keeps each on its
/// own line, and the narration stays in miette's words.
fn narrate(handler: &NarratableReportHandler, out: &mut String, part: &Part) -> fmt::Result {
    let mut header = String::new();
    handler.render_report(&mut header, &part.with_labels(Vec::new()))?;
    out.push_str(&header);
    let mut labels = part.labels.clone();
    labels.sort_by_key(|l| (l.offset(), l.len()));
    for label in labels {
        let mut one = String::new();
        handler.render_report(&mut one, &part.with_labels(vec![label]))?;
        out.push_str(one.strip_prefix(header.as_str()).unwrap_or(&one));
    }
    if let Some(help) = &part.help {
        writeln!(out, "diagnostic help: {help}")?;
    }
    Ok(())
}

/// Renders each finding with `render_one`, a blank line between two, then
/// the summary line when the caller asked for one.
fn render_reports(
    report: &Report<'_>,
    options: &RenderOptions,
    render_one: impl Fn(&mut String, &DiagnosticReport) -> fmt::Result,
) -> String {
    let mut out = String::new();
    // Findings of norms tagged `process` (how the proposal is presented)
    // come after the substantive ones, each part in report order.
    let (substantive, process): (Vec<&Diagnostic>, Vec<&Diagnostic>) = report
        .findings
        .iter()
        .copied()
        .partition(|f| !lacuna_eval::is_process(f.tags()));
    for (i, finding) in substantive.iter().chain(&process).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let diagnostic = DiagnosticReport::with_locator(finding, &report.locator);
        let mut one = String::new();
        if render_one(&mut one, &diagnostic).is_err() {
            // Miette refuses a report only when it cannot read a span; the
            // spans are clamped to their texts, but should it happen anyway
            // the finding is still printed, without its snippets.
            one = fallback(&diagnostic);
        }
        out.push_str(&one);
    }
    if let Some(run) = &options.summary {
        if !report.findings.is_empty() {
            out.push('\n');
        }
        out.push_str(&summary_of(report.counts(), run));
        out.push('\n');
    }
    out
}

fn fallback(finding: &DiagnosticReport) -> String {
    let mut out = format!("{finding}\n");
    let parts = std::iter::once(&finding.main).chain(&finding.related);
    let labels = parts.flat_map(|p| p.labels.iter());
    for label in labels.filter_map(LabeledSpan::label) {
        let _ = writeln!(out, "  label: {label}");
    }
    if let Some(help) = &finding.main.help {
        let _ = writeln!(out, "  help: {help}");
    }
    if let Some(note) = finding.note() {
        let _ = writeln!(out, "  note: {note}");
    }
    out
}
