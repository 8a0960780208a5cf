//! `lacuna report`: one self-contained HTML page for analysts.
//!
//! The page holds a summary per value and per perspective, the options
//! matrix when there are options, a coverage matrix per proposal, and every
//! finding with its snippet and evidence. Matrix cells link to the findings
//! they count. Styles are inline in the page; it loads nothing, runs no
//! script and names no external address, so it opens the same offline,
//! from an archive or as an e-mail attachment. `docs/report.md` describes
//! it.

use std::collections::HashMap;
use std::fmt::Write as _;

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use lacuna_eval::{Diagnostic, is_process};
use lacuna_model::{Origin, SourceDb, SourceId};

use crate::compare::{Change, Matrix, SEVERITIES, Tally, Verdict, severity_count};
use crate::coverage::CoverageTable;
use crate::{Locator, Severity, sorted_findings};

/// One proposal of the report.
#[derive(Clone, Debug)]
pub struct ReportProposal<'a> {
    pub source: SourceId,
    pub findings: &'a [Diagnostic],
    /// The coverage matrix, when the report has a coverage spec.
    pub coverage: Option<CoverageTable>,
}

/// Everything the page shows.
#[derive(Clone, Debug)]
pub struct HtmlReport<'a> {
    /// The first is the base the others are compared with.
    pub proposals: Vec<ReportProposal<'a>>,
    /// The options compared with the base; `None` for a single proposal.
    pub matrix: Option<&'a Matrix>,
    /// The values and perspectives the schema declares, in order.
    pub values: Vec<String>,
    pub perspectives: Vec<String>,
}

const STYLE: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0 auto;max-width:1200px;padding:1.5rem;color:#1b1f24;background:#fff;line-height:1.4}
h1{font-size:1.6rem;margin:.2rem 0 1rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:2px solid #d0d7de;padding-bottom:.2rem}h3{font-size:1.05rem;margin-top:1.5rem}
table{border-collapse:collapse;margin:.6rem 0 1rem;font-size:.9rem}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f6f8fa}
a{color:#0550ae;text-decoration:none}a:hover{text-decoration:underline}
.error{color:#b42318;font-weight:600}.warning{color:#9a6700;font-weight:600}.info{color:#0969da;font-weight:600}
.better{background:#dafbe1}.partial{background:#fff8c5}.mixed{background:#fff1e5}.worse{background:#ffebe9}.unchanged{background:#f6f8fa;color:#57606a}
.closed{background:#dafbe1}.opened{background:#ffebe9}.open{background:#fff8c5}.none{color:#8c959f}
.finding{border:1px solid #d0d7de;border-left:4px solid #8c959f;border-radius:4px;padding:.5rem .8rem;margin:.7rem 0}
.finding.sev-error{border-left-color:#b42318}.finding.sev-warning{border-left-color:#d4a72c}.finding.sev-info{border-left-color:#0969da}
.finding.process{opacity:.85}.finding h4{margin:.1rem 0 .3rem;font-size:.95rem}
.meta{color:#57606a;font-size:.85rem}.help{font-size:.9rem}
pre{background:#f6f8fa;padding:.4rem .6rem;overflow-x:auto;font-size:.82rem;margin:.3rem 0}
.hl{background:#ffebe9;display:inline-block;width:100%}
.mark{color:#1a7f37;font-weight:700}.nomark{color:#b42318}
ul.evidence{margin:.2rem 0;padding-left:1.2rem;font-size:.88rem}
details{margin:.3rem 0}summary{cursor:pointer}
";

/// The page, as one string.
pub fn render_html(report: &HtmlReport<'_>, sources: &SourceDb) -> String {
    let locator = Locator::new(sources);
    let sorted: Vec<Vec<&Diagnostic>> = report
        .proposals
        .iter()
        .map(|p| {
            let (substantive, process): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
                sorted_findings(p.findings, sources)
                    .into_iter()
                    .partition(|f| !is_process(f.tags()));
            substantive.into_iter().chain(process).collect()
        })
        .collect();
    let ids = FindingIds::new(&report.proposals, &sorted);

    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let title = match report.proposals.first() {
        Some(p) => format!("lacuna report: {}", sources.name(p.source)),
        None => "lacuna report".to_owned(),
    };
    let _ = writeln!(out, "<title>{}</title>", text(&title));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");
    let _ = writeln!(out, "<h1>{}</h1>", text(&title));
    out.push_str("<p class=\"meta\">Findings of norms tagged <code>process</code> (how a proposal is presented) are counted apart from the substantive ones and listed last.</p>\n");

    write_summary(&mut out, report, &sorted, sources);
    if let Some(matrix) = report.matrix {
        write_matrix(&mut out, matrix, report, &ids, sources);
    }
    for (i, proposal) in report.proposals.iter().enumerate() {
        if let Some(table) = &proposal.coverage {
            write_coverage(&mut out, i, proposal, table, sorted.get(i), sources);
        }
    }
    for (i, proposal) in report.proposals.iter().enumerate() {
        let findings = sorted.get(i).map_or(&[][..], Vec::as_slice);
        write_findings(&mut out, i, proposal.source, findings, report, &locator);
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// The anchor of each finding: `p{proposal}-f{index}` in the page's order.
struct FindingIds {
    by_key: Vec<HashMap<FindingKey, usize>>,
}

type FindingKey = (String, u32, u32, String);

fn finding_key(f: &Diagnostic) -> FindingKey {
    (
        f.code.as_str().to_owned(),
        f.primary.span.start,
        f.primary.span.end,
        f.message.clone(),
    )
}

impl FindingIds {
    fn new(proposals: &[ReportProposal<'_>], sorted: &[Vec<&Diagnostic>]) -> FindingIds {
        let by_key = proposals
            .iter()
            .enumerate()
            .map(|(i, _)| {
                let mut map = HashMap::new();
                for (j, f) in sorted.get(i).into_iter().flatten().enumerate() {
                    map.entry(finding_key(f)).or_insert(j);
                }
                map
            })
            .collect();
        FindingIds { by_key }
    }

    fn anchor(&self, proposal: usize, finding: &Diagnostic) -> Option<String> {
        let index = self.by_key.get(proposal)?.get(&finding_key(finding))?;
        Some(format!("p{proposal}-f{index}"))
    }
}

fn group_anchor(proposal: usize, group: &str) -> String {
    format!("p{proposal}-g-{}", slug(group))
}

fn slug(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

fn counts_text(findings: &[&Diagnostic]) -> String {
    let mut parts = Vec::new();
    for severity in SEVERITIES {
        let n = findings.iter().filter(|f| f.severity == severity).count();
        if n > 0 {
            parts.push(severity_count(n, severity));
        }
    }
    if parts.is_empty() {
        "none".to_owned()
    } else {
        parts.join(", ")
    }
}

/// The substantive findings of one proposal that serve `name` or take it
/// as perspective; `None` is the findings of norms that name none.
fn members<'f>(findings: &[&'f Diagnostic], name: &str, of_value: bool) -> Vec<&'f Diagnostic> {
    findings
        .iter()
        .copied()
        .filter(|f| !is_process(f.tags()))
        .filter(|f| {
            let names = if of_value {
                f.serves()
            } else {
                f.perspective()
            };
            names.iter().any(|n| n == name)
        })
        .collect()
}

fn write_summary(
    out: &mut String,
    report: &HtmlReport<'_>,
    sorted: &[Vec<&Diagnostic>],
    sources: &SourceDb,
) {
    out.push_str("<h2 id=\"summary\">Open gaps by value and perspective</h2>\n");
    out.push_str("<p class=\"meta\">Each cell counts the substantive findings of a proposal that serve the value or take the perspective; it links to them.</p>\n");
    out.push_str("<table class=\"summary\">\n<tr><th>proposal</th>");
    for name in report.values.iter().chain(&report.perspectives) {
        let _ = write!(out, "<th>{}</th>", text(name));
    }
    out.push_str("<th>process</th></tr>\n");
    for (i, proposal) in report.proposals.iter().enumerate() {
        let findings = sorted.get(i).map_or(&[][..], Vec::as_slice);
        let _ = write!(
            out,
            "<tr><th><a href=\"#p{i}\">{}</a></th>",
            text(sources.name(proposal.source))
        );
        let groups = report
            .values
            .iter()
            .map(|v| (v, true))
            .chain(report.perspectives.iter().map(|p| (p, false)));
        for (name, of_value) in groups {
            let list = members(findings, name, of_value);
            let class = worst_class(&list);
            let _ = write!(
                out,
                "<td class=\"cell {class}\"><a href=\"#{}\">{}</a></td>",
                attr(&group_anchor(i, name)),
                text(&counts_text(&list))
            );
        }
        let process: Vec<&Diagnostic> = findings
            .iter()
            .copied()
            .filter(|f| is_process(f.tags()))
            .collect();
        let _ = writeln!(
            out,
            "<td class=\"cell\"><a href=\"#{}\">{}</a></td></tr>",
            attr(&group_anchor(i, "process")),
            text(&counts_text(&process))
        );
    }
    out.push_str("</table>\n");
}

fn worst_class(findings: &[&Diagnostic]) -> &'static str {
    match findings.iter().map(|f| f.severity).max() {
        Some(Severity::Error) => "error",
        Some(Severity::Warning) => "warning",
        Some(Severity::Info) => "info",
        None => "none",
    }
}

fn verdict_cell(out: &mut String, tally: &Tally) {
    let verdict = tally.verdict();
    let _ = write!(
        out,
        "<td class=\"cell {}\" title=\"{}\">{}</td>",
        verdict_class(verdict),
        attr(&tally.describe()),
        text(verdict.as_str())
    );
}

fn verdict_class(verdict: Verdict) -> &'static str {
    verdict.as_str()
}

fn write_matrix(
    out: &mut String,
    matrix: &Matrix,
    report: &HtmlReport<'_>,
    ids: &FindingIds,
    sources: &SourceDb,
) {
    // The proposal index of each option, by source.
    let position = |source: SourceId| report.proposals.iter().position(|p| p.source == source);
    let base = position(matrix.base).unwrap_or(0);
    out.push_str("<h2 id=\"options\">Options compared with the base</h2>\n");
    let _ = writeln!(
        out,
        "<p class=\"meta\">Base: <a href=\"#p{base}\">{}</a>. Options best first: substantive gaps closed minus opened and given up, errors first. A verdict is decided at the heaviest severity that changed; <em>partial</em> means gaps closed while an error is still open.</p>",
        text(sources.name(matrix.base))
    );
    out.push_str(
        "<table class=\"options\">\n<tr><th>#</th><th>option</th><th>score</th><th>overall</th>",
    );
    for name in matrix.values.iter().chain(&matrix.perspectives) {
        let _ = write!(out, "<th>{}</th>", text(name));
    }
    out.push_str("</tr>\n");
    for (rank, option) in matrix.options.iter().enumerate() {
        let p = position(option.source).unwrap_or(0);
        let _ = write!(
            out,
            "<tr><td>{}</td><th><a href=\"#p{p}\">{}</a></th><td>{}</td>",
            rank + 1,
            text(sources.name(option.source)),
            text(&option.score().describe())
        );
        verdict_cell(out, &option.comparison.total);
        for name in matrix.values.iter().chain(&matrix.perspectives) {
            verdict_cell(out, &option.tally(name));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");

    out.push_str("<h3 id=\"gaps\">Gaps on which the options differ</h3>\n");
    if matrix.gaps.is_empty() {
        out.push_str("<p>Every option treats every gap alike.</p>\n");
        return;
    }
    out.push_str("<table class=\"gaps\">\n<tr><th>gap</th>");
    for (rank, _) in matrix.options.iter().enumerate() {
        let _ = write!(out, "<th>{}</th>", rank + 1);
    }
    out.push_str("</tr>\n");
    for gap in &matrix.gaps {
        let subject = gap
            .subject
            .as_deref()
            .map_or_else(String::new, |s| format!(" {s}"));
        let _ = write!(
            out,
            "<tr><th><span class=\"{}\">{}[{}]</span>{}<br><span class=\"meta\">{}</span></th>",
            gap.severity.as_str(),
            gap.severity.as_str(),
            text(&gap.norm),
            text(&subject),
            text(&gap.message)
        );
        for (column, option) in matrix.options.iter().enumerate() {
            let change = gap.changes.get(column).copied().flatten();
            let entry = gap
                .entries
                .get(column)
                .copied()
                .flatten()
                .and_then(|i| option.comparison.entries.get(i));
            // A closed finding is shown in the base, the others in the option.
            let target = entry.and_then(|e| {
                let p = if e.change == Change::Closed {
                    Some(base)
                } else {
                    position(option.source)
                };
                p.and_then(|p| ids.anchor(p, &e.finding))
            });
            let (class, word) = match change {
                Some(Change::Closed) => ("closed", "closed"),
                Some(Change::Opened) => ("opened", "opened"),
                Some(Change::StillOpen) => ("open", "open"),
                None => ("none", "-"),
            };
            match target {
                Some(anchor) => {
                    let _ = write!(
                        out,
                        "<td class=\"cell {class}\"><a href=\"#{}\">{word}</a></td>",
                        attr(&anchor)
                    );
                }
                None => {
                    let _ = write!(out, "<td class=\"cell {class}\">{word}</td>");
                }
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
}

fn write_coverage(
    out: &mut String,
    index: usize,
    proposal: &ReportProposal<'_>,
    table: &CoverageTable,
    findings: Option<&Vec<&Diagnostic>>,
    sources: &SourceDb,
) {
    let _ = writeln!(
        out,
        "<h2 id=\"p{index}-coverage\">{}: {}</h2>",
        text(&table.title),
        text(sources.name(proposal.source))
    );
    if let Some(label) = &table.mark_label {
        let _ = writeln!(
            out,
            "<p class=\"meta\"><span class=\"mark\">●</span> with {0}, <span class=\"nomark\">○</span> without {0}. A row links to the findings about its subject.</p>",
            text(label)
        );
    }
    out.push_str("<table class=\"coverage\">\n<tr><th></th>");
    for column in &table.columns {
        let _ = write!(out, "<th>{}</th>", text(column));
    }
    out.push_str("</tr>\n");
    for row in &table.rows {
        let about: Vec<&&Diagnostic> = findings
            .into_iter()
            .flatten()
            .filter(|f| f.subject.as_ref().is_some_and(|s| s.entity == row.entity))
            .collect();
        let _ = write!(out, "<tr><th>{}", text(&row.name));
        if !about.is_empty() {
            let _ = write!(
                out,
                " <a class=\"meta\" href=\"#{}\">({} finding{})</a>",
                attr(&format!("p{index}-s-{}", slug(&row.path))),
                about.len(),
                if about.len() == 1 { "" } else { "s" }
            );
        }
        out.push_str("</th>");
        for cell in &row.cells {
            if cell.is_empty() {
                out.push_str("<td class=\"cell opened\">nobody</td>");
                continue;
            }
            out.push_str("<td class=\"cell\">");
            for (i, holder) in cell.iter().enumerate() {
                if i > 0 {
                    out.push_str("<br>");
                }
                let mark = if table.mark_label.is_some() {
                    if holder.marked {
                        "<span class=\"mark\">●</span> "
                    } else {
                        "<span class=\"nomark\">○</span> "
                    }
                } else {
                    ""
                };
                let _ = write!(out, "{mark}{}", text(&holder.name));
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
}

fn write_findings(
    out: &mut String,
    index: usize,
    source: SourceId,
    findings: &[&Diagnostic],
    report: &HtmlReport<'_>,
    locator: &Locator<'_>,
) {
    let sources = locator.sources();
    let _ = writeln!(
        out,
        "<h2 id=\"p{index}\">Findings: {} ({})</h2>",
        text(sources.name(source)),
        text(&counts_text(findings))
    );
    // The lists the summary cells link to.
    let groups = report
        .values
        .iter()
        .map(|v| (v, true))
        .chain(report.perspectives.iter().map(|p| (p, false)));
    for (name, of_value) in groups {
        let list = members(findings, name, of_value);
        write_index(
            out,
            &group_anchor(index, name),
            name,
            &list,
            index,
            findings,
        );
    }
    let process: Vec<&Diagnostic> = findings
        .iter()
        .copied()
        .filter(|f| is_process(f.tags()))
        .collect();
    write_index(
        out,
        &group_anchor(index, "process"),
        "process",
        &process,
        index,
        findings,
    );

    // The lists the coverage rows link to.
    let mut subjects: Vec<String> = findings
        .iter()
        .filter_map(|f| f.subject.as_ref().map(|s| s.path()))
        .collect();
    subjects.sort();
    subjects.dedup();
    for subject in subjects {
        let list: Vec<&Diagnostic> = findings
            .iter()
            .copied()
            .filter(|f| f.subject.as_ref().is_some_and(|s| s.path() == subject))
            .collect();
        write_index(
            out,
            &format!("p{index}-s-{}", slug(&subject)),
            &subject,
            &list,
            index,
            findings,
        );
    }

    for (j, finding) in findings.iter().enumerate() {
        write_finding(out, &format!("p{index}-f{j}"), finding, locator);
    }
}

/// A collapsed list of links to some of a proposal's findings.
fn write_index(
    out: &mut String,
    anchor: &str,
    name: &str,
    list: &[&Diagnostic],
    proposal: usize,
    all: &[&Diagnostic],
) {
    // The anchor is on the list inside: browsers open a closed `<details>`
    // when a link leads into it.
    let _ = write!(
        out,
        "<details class=\"index\"><summary>{}: {}</summary><ul id=\"{}\">",
        text(name),
        text(&counts_text(list)),
        attr(anchor)
    );
    for finding in list {
        let Some(j) = all.iter().position(|f| std::ptr::eq(*f, *finding)) else {
            continue;
        };
        let _ = write!(
            out,
            "<li><a href=\"#p{proposal}-f{j}\"><span class=\"{}\">{}</span>[{}]</a> {}</li>",
            finding.severity.as_str(),
            finding.severity.as_str(),
            text(finding.code.as_str()),
            text(&finding.message)
        );
    }
    out.push_str("</ul></details>\n");
}

fn write_finding(out: &mut String, anchor: &str, finding: &Diagnostic, locator: &Locator<'_>) {
    let severity = finding.severity.as_str();
    let process = if is_process(finding.tags()) {
        " process"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "<article class=\"finding sev-{severity}{process}\" id=\"{}\">",
        attr(anchor)
    );
    let _ = writeln!(
        out,
        "<h4><span class=\"{severity}\">{severity}[{}]</span> {}</h4>",
        text(finding.code.as_str()),
        text(&finding.message)
    );
    let at = locator.locate(finding.primary);
    let subject = finding
        .subject
        .as_ref()
        .map_or_else(|| "the whole proposal".to_owned(), |s| s.path());
    let _ = writeln!(
        out,
        "<div class=\"meta\">{} · {}:{}:{}</div>",
        text(&subject),
        text(at.file),
        at.start.line,
        at.start.column
    );
    write_snippet(out, locator, finding.primary);
    if !finding.evidence.is_empty() {
        out.push_str("<ul class=\"evidence\">");
        for evidence in &finding.evidence {
            let at = locator.locate(evidence.origin);
            let _ = write!(
                out,
                "<li>{} <span class=\"meta\">{}:{}</span>",
                text(&evidence.message),
                text(at.file),
                at.start.line
            );
            write_snippet(out, locator, evidence.origin);
            out.push_str("</li>");
        }
        out.push_str("</ul>\n");
    }
    if let Some(help) = &finding.help {
        let _ = writeln!(out, "<div class=\"help\">help: {}</div>", text(help));
    }
    let mut note = Vec::new();
    if let Some(source) = finding.source() {
        note.push(source.to_owned());
    }
    if !finding.serves().is_empty() {
        note.push(format!("serves: {}", finding.serves().join(", ")));
    }
    if !finding.perspective().is_empty() {
        note.push(format!("perspective: {}", finding.perspective().join(", ")));
    }
    if !finding.tags().is_empty() {
        note.push(format!("tags: {}", finding.tags().join(", ")));
    }
    if !note.is_empty() {
        let _ = writeln!(out, "<div class=\"meta\">{}</div>", text(&note.join(" · ")));
    }
    out.push_str("</article>\n");
}

/// The line an origin starts on, with its number.
fn write_snippet(out: &mut String, locator: &Locator<'_>, origin: Origin) {
    let at = locator.locate(origin);
    let index = locator.line_index(origin.source);
    let line = at.start.line;
    // `line` is 1-based; the index counts from 0.
    let Some(start) = index.line_start(line.saturating_sub(1)) else {
        return;
    };
    let full = index.text();
    let end = index.line_start(line).unwrap_or(full.len());
    let Some(content) = full.get(start..end) else {
        return;
    };
    let content = content.trim_end_matches(['\r', '\n']);
    let _ = write!(
        out,
        "<pre><span class=\"hl\">{line:>4} │ {}</span></pre>",
        text(content)
    );
}
