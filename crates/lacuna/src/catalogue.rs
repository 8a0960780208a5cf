//! The norms of a rule set, described for people: `lacuna norms`, `lacuna
//! explain` and the generated catalogue `docs/norms.md`.
//!
//! Everything here reads a built [`Engine`] into [`NormEntry`]s and the
//! texts they come from; `lacuna_report::catalogue` lays them out, and the
//! binary prints the result. The order is always the same: norms sorted by
//! id in lists, and by file then declaration order in the catalogue, so the
//! generated page changes only when the rules do.

use lacuna_eval::Norm;
pub use lacuna_report::catalogue::{
    CatalogueFile, NORMS_JSON_VERSION, NormEntry, render_list, render_list_json,
};
use lacuna_report::{Locator, RenderOptions};
use lacuna_syntax::ast::Item;
use miette::Diagnostic;

use crate::{Engine, Origin, SourceDb};

/// Every norm of the engine, sorted by id (and by file for equal ids).
pub fn entries(engine: &Engine) -> Vec<NormEntry> {
    let locator = Locator::new(engine.sources());
    let mut entries: Vec<NormEntry> = engine
        .program()
        .norms
        .iter()
        .map(|norm| entry_of(norm, &locator))
        .collect();
    entries.sort_by(|a, b| (&a.id, &a.file, a.line).cmp(&(&b.id, &b.file, b.line)));
    entries
}

fn entry_of(norm: &Norm, locator: &Locator<'_>) -> NormEntry {
    let at = locator.locate(norm.origin);
    NormEntry {
        id: norm.id.clone(),
        severity: norm.severity,
        serves: norm.serves.clone(),
        perspective: norm.perspective.clone(),
        source: norm.source.clone(),
        tags: norm.tags.clone(),
        doc: norm.doc.clone(),
        origin: norm.origin,
        file: at.file.to_owned(),
        line: at.start.line,
        column: at.start.column,
    }
}

/// The norm `id`, or an error saying which norm was probably meant.
pub fn find(engine: &Engine, id: &str) -> Result<NormEntry, UnknownNorm> {
    let locator = Locator::new(engine.sources());
    match engine.program().norm(id) {
        Some(norm) => Ok(entry_of(norm, &locator)),
        None => Err(UnknownNorm::new(id, engine)),
    }
}

/// A norm id that names no norm of the rule set.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Diagnostic)]
#[error("unknown norm `{id}`")]
#[diagnostic(code(usage::unknown_norm), help("{help}"))]
pub struct UnknownNorm {
    id: String,
    help: String,
}

impl UnknownNorm {
    fn new(id: &str, engine: &Engine) -> UnknownNorm {
        let ids: Vec<&str> = engine
            .program()
            .norms
            .iter()
            .map(|n| n.id.as_str())
            .collect();
        let mut within: Vec<&str> = ids
            .iter()
            .copied()
            .filter(|candidate| {
                candidate
                    .strip_prefix(id)
                    .is_some_and(|rest| rest.starts_with('.'))
            })
            .collect();
        within.sort_unstable();
        let help = if let Some(closest) = closest_norm(id, ids.iter().copied()) {
            format!("did you mean `{closest}`?")
        } else if !within.is_empty() {
            format!(
                "`{id}` is an area; its norms are {}",
                within
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        } else {
            "`lacuna norms` lists the norms".to_owned()
        };
        UnknownNorm {
            id: id.to_owned(),
            help,
        }
    }

    /// The id that was given.
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// The norm id closest to `id`, when it is close enough to be a likely
/// typo, by the measure every "did you mean" uses.
pub fn closest_norm<'a>(
    id: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    lacuna_syntax::suggest::closest(id, candidates)
}

/// The text of the norm declared at `origin` (its id), from the `norm`
/// keyword to its closing brace, as written in its file.
pub fn definition(sources: &SourceDb, origin: Origin) -> Option<String> {
    let text = sources.text(origin.source);
    let (ast, _) = lacuna_syntax::parse(text);
    let decl = ast.items.iter().find_map(|item| match item {
        Item::Norm(n) if n.id.span == origin.span => Some(n),
        _ => None,
    })?;
    // The declaration's span may include its doc comment; the definition
    // starts at the `norm` keyword before the id.
    let before_id = text.get(..decl.id.span.start as usize)?;
    let start = before_id.rfind("norm")?.max(decl.span.start as usize);
    let block = text.get(start..decl.span.end as usize)?;
    // The norm may be indented; every line but the first keeps the
    // indentation of the file, so remove that of the keyword's line.
    let line_start = before_id.rfind('\n').map_or(0, |i| i + 1);
    let indent = text.get(line_start..start).unwrap_or("");
    let indent = if indent.trim().is_empty() { indent } else { "" };
    let lines: Vec<&str> = block
        .lines()
        .map(|line| line.strip_prefix(indent).unwrap_or(line))
        .collect();
    Some(lines.join("\n"))
}

/// `lacuna explain`: the doc comment, the metadata, where the norm is
/// declared, and its definition as written in its file.
pub fn render_explain(entry: &NormEntry, sources: &SourceDb, options: &RenderOptions) -> String {
    let definition = definition(sources, entry.origin);
    lacuna_report::catalogue::render_explain(entry, definition.as_deref(), options)
}

/// The catalogue of the norms of `engine` in Markdown, as `docs/norms.md`
/// holds it for the standard rules: an index table, then one section per
/// rule file (introduced by the file's header comment) with every norm in
/// declaration order.
pub fn markdown(engine: &Engine) -> String {
    let sources = engine.sources();
    let mut index = entries(engine);
    index.sort_by(|a, b| a.id.cmp(&b.id));
    let locator = Locator::new(sources);
    let files: Vec<CatalogueFile> = sources
        .iter()
        .filter_map(|(source, file)| {
            let norms: Vec<NormEntry> = engine
                .program()
                .norms
                .iter()
                .filter(|n| n.origin.source == source)
                .map(|norm| entry_of(norm, &locator))
                .collect();
            (!norms.is_empty()).then(|| CatalogueFile {
                name: file.name.clone(),
                header: header_comment(&file.text),
                norms,
            })
        })
        .collect();
    lacuna_report::catalogue::render_markdown(&index, &files)
}

/// The `//` comment lines at the top of a rule file, before its first item,
/// without their markers: the file's summary of the argument its norms encode.
fn header_comment(text: &str) -> String {
    let mut lines = Vec::new();
    for line in text.trim_start_matches('\u{feff}').lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if lines.is_empty() {
                continue;
            }
            break;
        }
        match trimmed.strip_prefix("//") {
            Some(rest) if !rest.starts_with('/') => {
                lines.push(rest.strip_prefix(' ').unwrap_or(rest).trim_end().to_owned());
            }
            _ => break,
        }
    }
    lines.join("\n").trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_comment_stops_at_the_first_gap() {
        let text = "// One.\n// Two.\n//\n// Three.\n\n// Not this.\nnorm a {}\n";
        assert_eq!(header_comment(text), "One.\nTwo.\n\nThree.");
        assert_eq!(header_comment("/// Doc.\nnorm a {}\n"), "");
    }

    #[test]
    fn closest_norm_allows_one_edit_in_three() {
        let ids = ["protection.coverage", "forum.permanent"];
        assert_eq!(
            closest_norm("protection.coverag", ids),
            Some("protection.coverage")
        );
        assert_eq!(closest_norm("forum", ids), None);
    }
}
