//! The outline of a document: its entities by kind, or its declarations,
//! each with the span it covers. Document symbols and folding ranges are
//! both read from it.

use lacuna_syntax::Span;
use lacuna_syntax::ast::Item;
use lsp_types::SymbolKind;

use crate::analyzer::{Analysis, DocumentKind};

pub(crate) struct Node {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// All the node covers.
    pub span: Span,
    /// What names it.
    pub name_span: Span,
    pub children: Vec<Node>,
}

pub(crate) fn outline(kind: DocumentKind, text: &str, analysis: Option<&Analysis>) -> Vec<Node> {
    match kind {
        DocumentKind::Proposal(_) => analysis.map(proposal).unwrap_or_default(),
        DocumentKind::Rules => rules(text),
        DocumentKind::Config => Vec::new(),
    }
}

fn union(a: Span, b: Span) -> Span {
    Span::new(a.start.min(b.start), a.end.max(b.end))
}

/// One node a kind the proposal writes, its entities inside: each from its
/// header to its last value.
fn proposal(analysis: &Analysis) -> Vec<Node> {
    let Some(facts) = analysis.facts.as_ref() else {
        return Vec::new();
    };
    let schema = &analysis.rules.schema;
    let mut out = Vec::new();
    for (k, entities) in facts.kinds.iter().enumerate() {
        if entities.is_empty() {
            continue;
        }
        let Some(def) = schema.entities.get(k) else {
            continue;
        };
        let children: Vec<Node> = entities
            .iter()
            .enumerate()
            .map(|(index, entity)| {
                let r = lacuna_model::EntityRef {
                    kind: lacuna_model::KindId(k as u32),
                    index: index as u32,
                };
                let span = entity
                    .fields
                    .iter()
                    .flat_map(|field| field.key_span.into_iter().chain(field.span))
                    .fold(entity.span, union);
                Node {
                    name: facts.name(r).into_owned(),
                    detail: Some(def.name.clone()),
                    kind: SymbolKind::OBJECT,
                    span,
                    name_span: entity.span,
                    children: Vec::new(),
                }
            })
            .collect();
        let Some(span) = children.iter().map(|c| c.span).reduce(union) else {
            continue;
        };
        let name_span = children.first().map_or(span, |c| c.name_span);
        out.push(Node {
            name: def.name.clone(),
            detail: Some(format!("{} entities", children.len())),
            kind: SymbolKind::CLASS,
            span,
            name_span,
            children,
        });
    }
    out.sort_by_key(|node| node.span.start);
    out
}

/// Enums with their variants, entities with their fields, and norms.
fn rules(text: &str) -> Vec<Node> {
    let (ast, _) = lacuna_syntax::parse(text);
    ast.items
        .iter()
        .map(|item| match item {
            Item::Enum(decl) => Node {
                name: decl.name.name.clone(),
                detail: Some("enum".to_owned()),
                kind: SymbolKind::ENUM,
                span: decl.span,
                name_span: decl.name.span,
                children: decl
                    .variants
                    .iter()
                    .map(|variant| Node {
                        name: variant.name.name.clone(),
                        detail: None,
                        kind: SymbolKind::ENUM_MEMBER,
                        span: variant.span,
                        name_span: variant.name.span,
                        children: Vec::new(),
                    })
                    .collect(),
            },
            Item::Entity(decl) => Node {
                name: decl.name.name.clone(),
                detail: Some("entity".to_owned()),
                kind: SymbolKind::STRUCT,
                span: decl.span,
                name_span: decl.name.span,
                children: decl
                    .fields
                    .iter()
                    .map(|field| Node {
                        name: field.name.name.clone(),
                        detail: field.ty.as_ref().map(|ty| ty.span.text(text).to_owned()),
                        kind: SymbolKind::FIELD,
                        span: field.span,
                        name_span: field.name.span,
                        children: Vec::new(),
                    })
                    .collect(),
            },
            Item::Norm(decl) => Node {
                name: decl.id.text.clone(),
                detail: Some("norm".to_owned()),
                kind: SymbolKind::FUNCTION,
                span: decl.span,
                name_span: decl.id.span,
                children: Vec::new(),
            },
        })
        .collect()
}
