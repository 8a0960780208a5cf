//! `textDocument/completion`.
//!
//! In a TOML proposal: kind names in a header, the keys of the current
//! table (required ones first, each with its doc), the variants of an
//! enum, the ids of the right kind for a reference, and norm ids and
//! entities in `[[allow]]` entries. In a rule file: fields after a `.`,
//! and otherwise kinds, enums, variants and keywords.
//!
//! The context is read from the text around the cursor, since the line
//! being typed rarely parses; what the context names is looked up in the
//! schema and the facts of the latest check.

use std::collections::BTreeSet;

use lacuna_model::{KindId, Schema, Type};
use lacuna_syntax::ast::EntityShape;
use lsp_types::request::{Completion, Request};
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, Documentation,
    MarkupContent, MarkupKind,
};

use super::{Failure, reply, request_params};
use crate::analyzer::{Analysis, DocumentKind};
use crate::locate::{At, at};
use crate::navigate::{enum_of, ref_of, word_at};
use crate::worker::Worker;

/// The kind of suppressions, built into every rule set, and its fields that
/// name a norm and an entity.
const ALLOW_KIND: &str = "allow";
const ALLOW_NORM: &str = "norm";
const ALLOW_ENTITY: &str = "entity";

/// The keywords of the rule language.
const KEYWORDS: &[&str] = &[
    "enum", "entity", "norm", "for", "in", "where", "require", "else", "help", "let", "any", "all",
    "none", "count", "not", "and", "or", "has", "true", "false",
];

pub(crate) fn handle(
    worker: &mut Worker<'_>,
    params: serde_json::Value,
) -> Result<serde_json::Value, Failure> {
    let params: CompletionParams = request_params(Completion::METHOD, params)?;
    let Some(at) = at(worker, &params.text_document_position) else {
        return reply(None::<CompletionResponse>);
    };
    let items = match (at.snapshot.document.kind(), at.analysis()) {
        (Some(DocumentKind::Proposal(lacuna_model::Format::Toml)), Some(analysis)) => {
            in_toml(&at, analysis)
        }
        (Some(DocumentKind::Rules), Some(analysis)) => in_rules(&at, analysis),
        _ => Vec::new(),
    };
    reply(CompletionResponse::Array(items))
}

fn item(
    label: &str,
    kind: CompletionItemKind,
    detail: String,
    doc: Option<&String>,
) -> CompletionItem {
    CompletionItem {
        label: label.to_owned(),
        kind: Some(kind),
        detail: Some(detail),
        documentation: doc.map(|doc| {
            Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value: doc.clone(),
            })
        }),
        ..CompletionItem::default()
    }
}

/// The text of the cursor's line before the cursor, and the lines above.
fn line_before(text: &str, offset: usize) -> (&str, &str) {
    let before = text.get(..offset).unwrap_or("");
    match before.rfind(['\n', '\r']) {
        Some(end) => (
            before.get(end + 1..).unwrap_or(""),
            before.get(..end).unwrap_or(""),
        ),
        None => (before, ""),
    }
}

/// The kind name of a TOML header line: `[group.x]` and `[[mandate]]`.
fn header_kind(line: &str) -> Option<&str> {
    let inner = line.trim_start().strip_prefix('[')?;
    let inner = inner.strip_prefix('[').unwrap_or(inner);
    let end = inner.find(['.', ']']).unwrap_or(inner.len());
    Some(inner.get(..end)?.trim())
}

fn in_toml(at: &At, analysis: &Analysis) -> Vec<CompletionItem> {
    let schema = &analysis.rules.schema;
    let text = at.text();
    let (line, above) = line_before(text, at.offset);
    if line.trim_start().starts_with('[') {
        return schema
            .kinds()
            .map(|(_, def)| {
                let shape = match def.shape {
                    EntityShape::Keyed => format!("[{}.ID]", def.name),
                    EntityShape::List => format!("[[{}]]", def.name),
                    EntityShape::Singleton => format!("[{}]", def.name),
                };
                item(
                    &def.name,
                    CompletionItemKind::CLASS,
                    shape,
                    def.doc.as_ref(),
                )
            })
            .collect();
    }
    // The table the cursor is in: the nearest header above, and the keys
    // written under it so far.
    let mut written: BTreeSet<&str> = BTreeSet::new();
    let mut table = None;
    for above in above.lines().rev() {
        if above.trim_start().starts_with('[') {
            table = header_kind(above);
            break;
        }
        if let Some((key, _)) = above.split_once('=') {
            written.insert(key.trim());
        }
    }
    let Some(kind) = table.and_then(|name| schema.kind_id(name)) else {
        return Vec::new();
    };
    let Some(def) = schema.entity(kind) else {
        return Vec::new();
    };
    if let Some((key, value)) = line.split_once('=') {
        let Some((_, field)) = def.field(key.trim()) else {
            return Vec::new();
        };
        let quoted = value.contains(['"', '\'']);
        let quote = |s: &str| {
            if quoted {
                s.to_owned()
            } else {
                format!("\"{s}\"")
            }
        };
        return values(analysis, schema, &def.name, &field.name, &field.ty, &quote);
    }
    let mut fields: Vec<CompletionItem> = def
        .fields
        .iter()
        .filter(|field| !written.contains(field.name.as_str()))
        .map(|field| {
            let required = field.is_required();
            let detail = format!(
                "{}{}",
                schema.type_name(&field.ty),
                if required { " (required)" } else { "" }
            );
            let mut completion = item(
                &field.name,
                CompletionItemKind::FIELD,
                detail,
                field.doc.as_ref(),
            );
            completion.sort_text = Some(format!("{}{}", u8::from(!required), field.name));
            completion.insert_text = Some(format!("{} = ", field.name));
            completion
        })
        .collect();
    fields.sort_by(|a, b| a.sort_text.cmp(&b.sort_text));
    fields
}

/// What may follow `key =`.
fn values(
    analysis: &Analysis,
    schema: &Schema,
    kind: &str,
    field: &str,
    ty: &Type,
    quote: &dyn Fn(&str) -> String,
) -> Vec<CompletionItem> {
    if let Some(id) = enum_of(ty)
        && let Some(def) = schema.enum_def(id)
    {
        return def
            .variants
            .iter()
            .map(|variant| {
                let mut completion = item(
                    &variant.name,
                    CompletionItemKind::ENUM_MEMBER,
                    def.name.clone(),
                    variant.doc.as_ref(),
                );
                completion.insert_text = Some(quote(&variant.name));
                completion
            })
            .collect();
    }
    if let Some(target) = ref_of(ty) {
        return ids(analysis, target)
            .into_iter()
            .map(|(id, _)| {
                let detail = schema
                    .entity(target)
                    .map(|d| d.name.clone())
                    .unwrap_or_default();
                let mut completion = item(&id, CompletionItemKind::REFERENCE, detail, None);
                completion.insert_text = Some(quote(&id));
                completion
            })
            .collect();
    }
    if matches!(ty, Type::Bool) {
        return ["true", "false"]
            .into_iter()
            .map(|b| item(b, CompletionItemKind::VALUE, "bool".to_owned(), None))
            .collect();
    }
    if kind == ALLOW_KIND && field == ALLOW_NORM {
        return analysis
            .rules
            .program
            .norms
            .iter()
            .map(|norm| {
                let summary = norm
                    .doc
                    .as_deref()
                    .and_then(|d| d.lines().next())
                    .unwrap_or("");
                let mut completion = item(
                    &norm.id,
                    CompletionItemKind::CONSTANT,
                    summary.to_owned(),
                    None,
                );
                completion.insert_text = Some(quote(&norm.id));
                completion
            })
            .collect();
    }
    if kind == ALLOW_KIND && field == ALLOW_ENTITY {
        let mut out = Vec::new();
        for (target, def) in schema.kinds() {
            if def.shape != EntityShape::Keyed || def.name == ALLOW_KIND {
                continue;
            }
            for (id, _) in ids(analysis, target) {
                let name = format!("{}.{id}", def.name);
                let mut completion =
                    item(&name, CompletionItemKind::REFERENCE, def.name.clone(), None);
                completion.insert_text = Some(quote(&name));
                out.push(completion);
            }
        }
        return out;
    }
    Vec::new()
}

/// The ids of the entities of a keyed kind in the proposal, sorted.
fn ids(analysis: &Analysis, kind: KindId) -> Vec<(String, usize)> {
    let Some(facts) = analysis.facts.as_ref() else {
        return Vec::new();
    };
    let mut ids: Vec<(String, usize)> = facts
        .entities(kind)
        .iter()
        .enumerate()
        .filter_map(|(i, entity)| Some((facts.strings.resolve(entity.key?).to_owned(), i)))
        .collect();
    ids.sort();
    ids
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn in_rules(at: &At, analysis: &Analysis) -> Vec<CompletionItem> {
    let schema = &analysis.rules.schema;
    let text = at.text();
    let word_start = word_at(text, at.offset, is_ident)
        .map_or(at.offset, |span| (span.start as usize).min(at.offset));
    let before = text.get(..word_start).unwrap_or("");
    if let Some(base) = before.strip_suffix('.') {
        return fields_after(schema, text, base, word_start);
    }
    let mut out: Vec<CompletionItem> = Vec::new();
    for (_, def) in schema.kinds() {
        out.push(item(
            &def.name,
            CompletionItemKind::CLASS,
            "entity".to_owned(),
            def.doc.as_ref(),
        ));
    }
    for def in &schema.enums {
        out.push(item(
            &def.name,
            CompletionItemKind::ENUM,
            "enum".to_owned(),
            def.doc.as_ref(),
        ));
        for variant in &def.variants {
            out.push(item(
                &variant.name,
                CompletionItemKind::ENUM_MEMBER,
                def.name.clone(),
                variant.doc.as_ref(),
            ));
        }
    }
    for keyword in KEYWORDS {
        out.push(item(
            keyword,
            CompletionItemKind::KEYWORD,
            "keyword".to_owned(),
            None,
        ));
    }
    out.sort_by(|a, b| a.label.cmp(&b.label));
    out.dedup_by(|a, b| a.label == b.label);
    out
}

/// The fields of what `base` (the text before a `.`) is: a variable bound
/// by `VAR in KIND`, a singleton kind, or a path of reference fields from
/// one. When it cannot be told, every field of every kind.
fn fields_after(schema: &Schema, text: &str, base: &str, cursor: usize) -> Vec<CompletionItem> {
    let chain_start = base
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_ident(*c) || *c == '.')
        .last()
        .map_or(base.len(), |(i, _)| i);
    let chain: Vec<&str> = base.get(chain_start..).unwrap_or("").split('.').collect();
    let before = text.get(..cursor).unwrap_or("");
    let mut kind = chain.first().and_then(|root| {
        schema
            .kind_id(root)
            .or_else(|| bound_kind(schema, before, root))
    });
    for step in chain.iter().skip(1) {
        kind = kind
            .and_then(|k| schema.entity(k))
            .and_then(|def| def.field(step))
            .and_then(|(_, field)| ref_of(&field.ty));
    }
    let kinds: Vec<KindId> = match kind {
        Some(kind) => vec![kind],
        None => schema.kinds().map(|(id, _)| id).collect(),
    };
    let mut out: Vec<CompletionItem> = Vec::new();
    for kind in kinds {
        let Some(def) = schema.entity(kind) else {
            continue;
        };
        for field in &def.fields {
            out.push(item(
                &field.name,
                CompletionItemKind::FIELD,
                format!("{}: {}", def.name, schema.type_name(&field.ty)),
                field.doc.as_ref(),
            ));
        }
    }
    out.sort_by(|a, b| a.label.cmp(&b.label));
    out.dedup_by(|a, b| a.label == b.label);
    out
}

/// The kind of the last `VAR in KIND` before the cursor.
fn bound_kind(schema: &Schema, before: &str, var: &str) -> Option<KindId> {
    let words: Vec<&str> = before
        .split(|c: char| !is_ident(c))
        .filter(|w| !w.is_empty())
        .collect();
    words.windows(3).rev().find_map(|w| match w {
        [v, "in", kind] if *v == var => schema.kind_id(kind),
        _ => None,
    })
}
