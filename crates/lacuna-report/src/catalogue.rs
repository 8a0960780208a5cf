//! The norms of a rule set, described for people: `lacuna norms`,
//! `lacuna explain` and the generated catalogue `docs/norms.md`.
//!
//! The facade (`lacuna::catalogue`) reads a rule set into [`NormEntry`]s
//! and the texts they come from; this module only lays them out. The order
//! is the caller's: norms sorted by id in lists, and by file then
//! declaration order in the catalogue.

use std::fmt::Write as _;

use lacuna_model::Origin;
use lacuna_syntax::ast::Severity;
use lacuna_syntax::suggest::plural;
use serde::Serialize;

use crate::RenderOptions;
use crate::paint::Paint;

/// The version of the JSON that `lacuna norms --format json` prints. It
/// changes only when a field is removed or changes meaning.
pub const NORMS_JSON_VERSION: u32 = 1;

/// The prefix of the names of the embedded standard rule files.
const STANDARD_PREFIX: &str = "<standard>/";

/// What a list or an explanation says about one norm.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NormEntry {
    /// `protection.coverage`.
    pub id: String,
    /// The severity the norm declares.
    pub severity: Severity,
    /// Variants of the schema's enum `value`, as the norm writes them.
    pub serves: Vec<String>,
    /// Variants of the schema's enum `perspective`, as the norm writes them.
    pub perspective: Vec<String>,
    /// Where the norm comes from (`source:`).
    pub source: Option<String>,
    /// The norm's `tags:`.
    pub tags: Vec<String>,
    /// The doc comment, lines joined with `\n`.
    pub doc: Option<String>,
    /// Where the norm's id is written.
    pub origin: Origin,
    /// The name of the rule file, as the engine holds it.
    pub file: String,
    /// 1-based line of the norm's id in its file.
    pub line: usize,
    /// 1-based column of the norm's id, in characters.
    pub column: usize,
}

impl NormEntry {
    /// The first line of the doc comment.
    pub fn summary(&self) -> Option<&str> {
        self.doc
            .as_deref()
            .and_then(|d| d.lines().map(str::trim).find(|l| !l.is_empty()))
    }
}

/// One rule file of the catalogue: its name, the comment at its top and
/// its norms in declaration order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogueFile {
    /// The name of the rule file, as the engine holds it.
    pub name: String,
    /// The `//` comment lines before the file's first item, without their
    /// markers; empty when there are none.
    pub header: String,
    pub norms: Vec<NormEntry>,
}

/// `lacuna norms`: one norm a line, sorted by id, with a second line for its
/// metadata.
pub fn render_list(entries: &[NormEntry], options: &RenderOptions) -> String {
    let width = crate::column_width(entries.iter().map(|e| e.id.chars().count()));
    let paint = Paint::new(options);
    let mut out = String::new();
    for entry in entries {
        let severity = format!("{:<7}", entry.severity.as_str());
        let _ = writeln!(
            out,
            "{}  {}  {}",
            paint.bold(&format!("{:<width$}", entry.id)),
            paint.severity(entry.severity, &severity),
            entry.summary().unwrap_or("(no description)"),
        );
        let meta = metadata_line(entry);
        if !meta.is_empty() {
            let _ = writeln!(out, "{:<width$}           {}", "", paint.dim(&meta));
        }
    }
    let _ = writeln!(out, "\n{}", plural(entries.len(), "norm", "norms"));
    out
}

fn metadata_line(entry: &NormEntry) -> String {
    let mut parts = Vec::new();
    if !entry.serves.is_empty() {
        parts.push(format!("serves {}", entry.serves.join(", ")));
    }
    if !entry.perspective.is_empty() {
        parts.push(format!("perspective {}", entry.perspective.join(", ")));
    }
    if let Some(source) = &entry.source {
        parts.push(source.clone());
    }
    parts.join(" · ")
}

/// `lacuna norms --format json`: `{"version": 1, "norms": [...]}`, sorted
/// by id. `docs/norms.md` describes the fields.
pub fn render_list_json(entries: &[NormEntry]) -> String {
    #[derive(Serialize)]
    struct Document<'a> {
        version: u32,
        norms: Vec<JsonNorm<'a>>,
    }
    #[derive(Serialize)]
    struct JsonNorm<'a> {
        id: &'a str,
        severity: &'static str,
        serves: &'a [String],
        perspective: &'a [String],
        source: Option<&'a str>,
        tags: &'a [String],
        summary: Option<&'a str>,
        file: &'a str,
        line: usize,
        column: usize,
    }
    let document = Document {
        version: NORMS_JSON_VERSION,
        norms: entries
            .iter()
            .map(|e| JsonNorm {
                id: &e.id,
                severity: e.severity.as_str(),
                serves: &e.serves,
                perspective: &e.perspective,
                source: e.source.as_deref(),
                tags: &e.tags,
                summary: e.summary(),
                file: &e.file,
                line: e.line,
                column: e.column,
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&document).unwrap_or_default();
    out.push('\n');
    out
}

/// `lacuna explain`: the doc comment, the metadata, where the norm is
/// declared, and its definition (the text of its declaration, which the
/// caller reads from the rule file).
pub fn render_explain(
    entry: &NormEntry,
    definition: Option<&str>,
    options: &RenderOptions,
) -> String {
    let paint = Paint::new(options);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {}",
        paint.bold(&entry.id),
        entry.summary().unwrap_or("(no description)")
    );
    out.push('\n');
    let mut fields: Vec<(&str, String)> = vec![(
        "severity",
        paint.severity(entry.severity, entry.severity.as_str()),
    )];
    let join = |list: &[String]| {
        if list.is_empty() {
            "-".to_owned()
        } else {
            list.join(", ")
        }
    };
    fields.push(("serves", join(&entry.serves)));
    fields.push(("perspective", join(&entry.perspective)));
    fields.push((
        "source",
        entry.source.clone().unwrap_or_else(|| "-".to_owned()),
    ));
    fields.push(("tags", join(&entry.tags)));
    fields.push((
        "defined at",
        format!("{}:{}:{}", entry.file, entry.line, entry.column),
    ));
    for (name, value) in fields {
        let _ = writeln!(out, "  {:<12} {value}", paint.dim(name));
    }
    if let Some(doc) = &entry.doc {
        let body = doc_after_summary(doc);
        if !body.is_empty() {
            out.push('\n');
            write_doc_for_terminal(&mut out, body, &paint);
        }
    }
    if let Some(definition) = definition {
        let _ = writeln!(out, "\n{}\n", paint.bold("Definition"));
        for line in definition.lines() {
            if line.is_empty() {
                out.push('\n');
            } else {
                let _ = writeln!(out, "    {line}");
            }
        }
    }
    out
}

/// The doc comment without its first paragraph, which the heading shows.
fn doc_after_summary(doc: &str) -> &str {
    let trimmed = doc.trim_start_matches('\n');
    match trimmed.find("\n\n") {
        Some(at) => trimmed.get(at..).unwrap_or("").trim_matches('\n'),
        None => "",
    }
}

/// Markdown made readable on a terminal: headings lose their `#` marks and
/// turn bold, and code blocks lose their fences and are indented.
fn write_doc_for_terminal(out: &mut String, doc: &str, paint: &Paint) {
    let mut in_code = false;
    for line in doc.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code && line.is_empty() {
            out.push('\n');
        } else if in_code {
            let _ = writeln!(out, "    {line}");
        } else if let Some(title) = heading_text(line) {
            let _ = writeln!(out, "{}", paint.bold(title));
        } else {
            let _ = writeln!(out, "{line}");
        }
    }
}

/// The text of a Markdown heading line (`## Why it matters`).
fn heading_text(line: &str) -> Option<&str> {
    let hashes = line.len() - line.trim_start_matches('#').len();
    if (1..=6).contains(&hashes) {
        line.get(hashes..)
            .and_then(|rest| rest.strip_prefix(' '))
            .map(str::trim)
    } else {
        None
    }
}

/// The catalogue in Markdown, as `docs/norms.md` holds it for the standard
/// rules: an index table of `index` (sorted by id), then one section per
/// rule file of `files` (introduced by its header comment) with its norms.
pub fn render_markdown(index: &[NormEntry], files: &[CatalogueFile]) -> String {
    let mut out = String::new();
    out.push_str("# Norm catalogue\n\n");
    out.push_str(
        "<!-- Generated from the rule files by `catalogue::markdown`. Do not edit: \
         regenerate with `UPDATE_DOCS=1 cargo test -p lacuna --test docs_norms`. -->\n\n",
    );
    out.push_str(
        "Every standard norm of lacuna, file by file. `lacuna norms` lists them, \
         `lacuna explain ID` prints one with its definition, and \
         [`docs/language.md`](language.md) describes the language they are written in.\n\n",
    );
    out.push_str(
        "`lacuna norms --format json` prints `{\"version\": 1, \"norms\": [...]}`, the \
         norms sorted by id, each with its `id`, `severity`, `serves`, `perspective`, \
         `source` (or `null`), `tags`, `summary` (the first line of its doc comment, or \
         `null`), and the `file`, `line` and `column` of its id. The version changes \
         only when a field is removed or changes meaning.\n\n",
    );

    out.push_str("| norm | severity | serves | perspective | file |\n");
    out.push_str("|---|---|---|---|---|\n");
    for entry in index {
        let _ = writeln!(
            out,
            "| [`{}`](#{}) | {} | {} | {} | `{}` |",
            entry.id,
            anchor(&format!("`{}`", entry.id)),
            entry.severity.as_str(),
            cell(&entry.serves.join(", ")),
            cell(&entry.perspective.join(", ")),
            display_file(&entry.file),
        );
    }

    for file in files {
        let _ = writeln!(out, "\n## `{}`\n", display_file(&file.name));
        if !file.header.is_empty() {
            let _ = writeln!(out, "{}\n", file.header);
        }
        for entry in &file.norms {
            write_markdown_norm(&mut out, entry);
        }
    }
    out
}

fn write_markdown_norm(out: &mut String, entry: &NormEntry) {
    let _ = writeln!(out, "### `{}`\n", entry.id);
    let _ = writeln!(out, "| severity | serves | perspective | source |");
    let _ = writeln!(out, "|---|---|---|---|");
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} |\n",
        entry.severity.as_str(),
        cell(&entry.serves.join(", ")),
        cell(&entry.perspective.join(", ")),
        cell(entry.source.as_deref().unwrap_or("")),
    );
    if !entry.tags.is_empty() {
        let tags: Vec<String> = entry.tags.iter().map(|t| format!("`{t}`")).collect();
        let _ = writeln!(out, "Tags: {}.\n", tags.join(", "));
    }
    if let Some(doc) = &entry.doc {
        let _ = writeln!(out, "{}\n", demote_headings(doc.trim(), 2));
    }
}

/// The name a catalogue gives a rule file: the embedded standard files are
/// `rules/FILE.norm` in the repository.
fn display_file(name: &str) -> String {
    match name.strip_prefix(STANDARD_PREFIX) {
        Some(rest) => format!("rules/{rest}"),
        None => name.to_owned(),
    }
}

/// A table cell: pipes escaped, `-` for nothing.
fn cell(text: &str) -> String {
    if text.is_empty() {
        "-".to_owned()
    } else {
        text.replace('|', "\\|")
    }
}

/// The anchor GitHub gives a heading: lowercase, punctuation other than `-`
/// and `_` dropped, spaces turned into `-`.
fn anchor(heading: &str) -> String {
    heading
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// Markdown headings made `levels` deeper, outside code blocks, so that a
/// doc comment's `##` sections sit under the norm's own heading.
fn demote_headings(doc: &str, levels: usize) -> String {
    let mut in_code = false;
    let mut lines = Vec::new();
    for line in doc.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            lines.push(line.to_owned());
        } else if !in_code && heading_text(line).is_some() {
            lines.push(format!("{}{line}", "#".repeat(levels)));
        } else {
            lines.push(line.to_owned());
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_follow_github() {
        assert_eq!(anchor("`protection.coverage`"), "protectioncoverage");
        assert_eq!(anchor("`forum.un-anchored`"), "forumun-anchored");
        assert_eq!(anchor("Why it matters"), "why-it-matters");
    }

    #[test]
    fn headings_are_demoted_outside_code() {
        let doc = "Summary.\n\n## What\n\n```toml\n# a comment\n```\n";
        assert_eq!(
            demote_headings(doc, 2),
            "Summary.\n\n#### What\n\n```toml\n# a comment\n```"
        );
    }

    #[test]
    fn doc_after_summary_drops_the_first_paragraph() {
        assert_eq!(doc_after_summary("One.\n\nTwo.\nThree."), "Two.\nThree.");
        assert_eq!(doc_after_summary("Only."), "");
    }
}
