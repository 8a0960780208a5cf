//! `textDocument/codeAction`: the fixes the diagnostics at a range carry,
//! and `source.fixAll.lacuna`, every safe fix of the document at once.
//!
//! Each fix of a diagnostic that can be applied (safe or unsafe; a
//! display-only fix needs a value only a person can give) is a `quickfix`,
//! marked preferred when it is the diagnostic's only safe fix. Findings
//! carry the `[[allow]]` entry that suppresses them among their fixes.
//! Repairs are searched only when code actions are asked for, once per
//! version of the document.

use std::collections::HashMap;

use lacuna_report::LineIndex;
use lacuna_syntax::{Applicability, Fix};
use lsp_types::request::{CodeActionRequest, Request};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Range, TextEdit, Uri,
    WorkspaceEdit,
};

use super::{Failure, reply, request_params};
use crate::check::with_fixes;
use crate::position::{Encoding, span_range};
use crate::worker::Worker;

/// The kind of the action that applies every safe fix.
pub(crate) const FIX_ALL: &str = "source.fixAll.lacuna";

pub(crate) fn handle(
    worker: &mut Worker<'_>,
    params: serde_json::Value,
) -> Result<serde_json::Value, Failure> {
    let params: CodeActionParams = request_params(CodeActionRequest::METHOD, params)?;
    let uri = params.text_document.uri.clone();
    let Some(snapshot) = worker.repaired(&uri) else {
        return reply(None::<Vec<CodeActionOrCommand>>);
    };
    // The repaired analysis has every fix; when its search failed, the
    // published one still has those of problems.
    let Some(analysis) = snapshot.repaired().or(snapshot.analysis.as_ref()) else {
        return reply(None::<Vec<CodeActionOrCommand>>);
    };
    let text = &snapshot.document.text;
    let encoding = worker.encoding();
    let wanted = |kind: &CodeActionKind| {
        params.context.only.as_ref().is_none_or(|only| {
            only.iter().any(|o| {
                kind.as_str() == o.as_str()
                    || kind.as_str().starts_with(&format!("{}.", o.as_str()))
            })
        })
    };
    let mut actions: Vec<CodeActionOrCommand> = Vec::new();
    let index = LineIndex::new(text);
    let diagnosed = with_fixes(&snapshot.document, analysis, encoding);
    if wanted(&CodeActionKind::QUICKFIX) {
        for (diagnostic, fixes) in &diagnosed {
            if !overlaps(diagnostic.range, params.range) {
                continue;
            }
            let safe = fixes
                .iter()
                .filter(|f| f.applicability == Applicability::Safe)
                .count();
            for fix in fixes {
                if fix.applicability == Applicability::DisplayOnly {
                    continue;
                }
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit: Some(edit(&uri, &index, fix, encoding)),
                    is_preferred: Some(fix.applicability == Applicability::Safe && safe == 1),
                    ..CodeAction::default()
                }));
            }
        }
    }
    let fix_all = CodeActionKind::from(FIX_ALL);
    if wanted(&fix_all) {
        let chosen = diagnosed.iter().filter_map(|(_, fixes)| {
            fixes
                .iter()
                .find(|f| f.applicability == Applicability::Safe)
        });
        let applied = lacuna_syntax::fix::apply(text, chosen);
        if applied.applied > 0 && applied.text != **text {
            let whole = span_range(
                &index,
                lacuna_syntax::Span::new(0, u32::try_from(text.len()).unwrap_or(u32::MAX)),
                encoding,
            );
            let edit = changes(
                &uri,
                vec![TextEdit {
                    range: whole,
                    new_text: applied.text,
                }],
            );
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: match applied.applied {
                    1 => "apply lacuna's safe fix".to_owned(),
                    n => format!("apply lacuna's {n} safe fixes"),
                },
                kind: Some(fix_all),
                edit: Some(edit),
                ..CodeAction::default()
            }));
        }
    }
    reply(actions)
}

fn overlaps(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

fn edit(uri: &Uri, index: &LineIndex<'_>, fix: &Fix, encoding: Encoding) -> WorkspaceEdit {
    let edits = fix
        .edits
        .iter()
        .map(|edit| TextEdit {
            range: span_range(index, edit.span, encoding),
            new_text: edit.content.clone(),
        })
        .collect();
    changes(uri, edits)
}

/// Edits of the one document. The protocol's map is keyed by URI, which
/// clippy counts as mutable; one entry has no order to lose.
#[allow(clippy::mutable_key_type)]
fn changes(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    let mut changes = HashMap::new();
    changes.insert(uri.clone(), edits);
    WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    }
}
