//! `textDocument/hover`: the doc of what is under the cursor, from the
//! schema and the norms, and the explanation of the norms whose findings
//! cover the position.

use std::fmt::Write as _;

use lacuna_syntax::ast::EntityShape;
use lsp_types::request::{HoverRequest, Request};
use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use super::{Failure, reply, request_params};
use crate::analyzer::Analysis;
use crate::locate::{At, at};
use crate::navigate::{Symbol, symbol_at};
use crate::position::span_range;
use crate::worker::Worker;

/// The most lines of an entity a hover on a reference shows.
const ENTITY_LINES: usize = 6;

pub(crate) fn handle(
    worker: &mut Worker<'_>,
    params: serde_json::Value,
) -> Result<serde_json::Value, Failure> {
    let params: HoverParams = request_params(HoverRequest::METHOD, params)?;
    let Some(at) = at(worker, &params.text_document_position_params) else {
        return reply(None::<Hover>);
    };
    reply(hover(&at))
}

fn hover(at: &At) -> Option<Hover> {
    let analysis = at.analysis()?;
    let kind = at.snapshot.document.kind()?;
    let text = at.text();
    let found = symbol_at(kind, text, analysis, at.offset);
    let mut sections: Vec<String> = Vec::new();
    if let Some(found) = &found
        && let Some(section) = describe(text, analysis, &found.symbol)
    {
        sections.push(section);
    }
    // The findings that cover the position, each norm once.
    let offset = u32::try_from(at.offset).ok()?;
    let mut norms: Vec<&str> = Vec::new();
    for finding in &analysis.findings {
        let span = finding.primary.span;
        if finding.primary.source == analysis.source
            && span.start <= offset
            && offset <= span.end
            && !norms.contains(&finding.code.as_str())
            && found
                .as_ref()
                .is_none_or(|f| f.symbol != Symbol::Norm(finding.code.as_str().to_owned()))
        {
            norms.push(finding.code.as_str());
        }
    }
    for norm in norms {
        if let Some(explanation) = analysis.rules.explanations.get(norm) {
            sections.push(fenced(explanation));
        }
    }
    if sections.is_empty() {
        return None;
    }
    let index = lacuna_report::LineIndex::new(text);
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: sections.join("\n\n---\n\n"),
        }),
        range: found.map(|found| span_range(&index, found.span, at.encoding)),
    })
}

/// Plain text in a code block, so that no character of it is read as
/// Markdown.
fn fenced(text: &str) -> String {
    let fence = if text.contains("```") { "````" } else { "```" };
    format!("{fence}text\n{}\n{fence}", text.trim_end())
}

fn doc(out: &mut String, doc: Option<&String>) {
    if let Some(doc) = doc {
        let _ = write!(out, "\n\n{}", doc.trim_end());
    }
}

/// The Markdown that describes a symbol.
pub(crate) fn describe(text: &str, analysis: &Analysis, symbol: &Symbol) -> Option<String> {
    let schema = &analysis.rules.schema;
    let mut out = String::new();
    match symbol {
        Symbol::Kind(kind) => {
            let def = schema.entity(*kind)?;
            let shape = match def.shape {
                EntityShape::Keyed => "keyed: `[NAME.ID]`",
                EntityShape::List => "list: `[[NAME]]`",
                EntityShape::Singleton => "singleton: `[NAME]`",
            };
            let _ = write!(
                out,
                "**entity** `{}` ({})",
                def.name,
                shape.replace("NAME", &def.name)
            );
            doc(&mut out, def.doc.as_ref());
            if !def.fields.is_empty() {
                out.push_str("\n\nFields:");
                for field in &def.fields {
                    let _ = write!(
                        out,
                        "\n- `{}`: `{}`",
                        field.name,
                        schema.type_name(&field.ty)
                    );
                }
            }
        }
        Symbol::Field(kind, field) => {
            let owner = schema.entity(*kind)?;
            let def = owner.field_def(*field)?;
            let need = if def.is_required() {
                "required"
            } else if def.default.is_some() {
                "has a default"
            } else {
                "optional"
            };
            let _ = write!(
                out,
                "**field** `{}.{}`: `{}` ({need})",
                owner.name,
                def.name,
                schema.type_name(&def.ty)
            );
            doc(&mut out, def.doc.as_ref());
        }
        Symbol::Enum(id) => {
            let def = schema.enum_def(*id)?;
            let _ = write!(out, "**enum** `{}`", def.name);
            doc(&mut out, def.doc.as_ref());
            out.push_str("\n\nVariants:");
            for variant in &def.variants {
                let _ = write!(out, " `{}`", variant.name);
            }
        }
        Symbol::Variant(id, index) => {
            let def = schema.enum_def(*id)?;
            let variant = def.variants.get(*index as usize)?;
            let _ = write!(out, "**variant** `{}` of `{}`", variant.name, def.name);
            doc(&mut out, variant.doc.as_ref());
        }
        Symbol::Entity(entity) => {
            let facts = analysis.facts.as_ref()?;
            let found = facts.entity(*entity)?;
            let kind = schema.entity(entity.kind)?;
            let _ = write!(out, "**{}** `{}`", kind.name, facts.name(*entity));
            let start = found.span.start as usize;
            let lines: Vec<&str> = text
                .get(start..)
                .unwrap_or("")
                .lines()
                .take(ENTITY_LINES)
                .collect();
            let _ = write!(out, "\n\n{}", fenced(&lines.join("\n")));
        }
        Symbol::Norm(id) => {
            return analysis.rules.explanations.get(id).map(|e| fenced(e));
        }
    }
    Some(out)
}
