//! What evaluation produces: findings with evidence.

use lacuna_model::{EntityRef, Origin};
use lacuna_syntax::Fix;
use lacuna_syntax::ast::Severity;

/// One norm failing for one subject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The norm's id, such as `protection.coverage`.
    pub norm: String,
    pub severity: Severity,
    /// The entity the norm failed for; `None` for a norm without `for`,
    /// which is checked once against the whole proposal.
    pub subject: Option<Subject>,
    /// The interpolated `else` template (or the norm's first doc line).
    pub message: String,
    /// The interpolated `help` template.
    pub help: Option<String>,
    /// Where the finding points in the proposal: the subject's declaration,
    /// or the start of the file for a norm without subject.
    pub primary: Origin,
    /// The label under the primary span, such as "`survival_migrants` declared here".
    pub primary_label: String,
    /// Related spans that explain the verdict, in a stable order.
    pub evidence: Vec<Evidence>,
    /// The norm's id in its `.norm` file.
    pub norm_origin: Origin,
    /// The values the norm serves (`serves:`), as written.
    pub serves: Vec<String>,
    /// The perspectives the norm takes (`perspective:`), as written.
    pub perspective: Vec<String>,
    /// Where the norm comes from (`source:`).
    pub source: Option<String>,
    pub tags: Vec<String>,
    /// Edits that would close the finding or silence it, each checked
    /// before it is offered; their edits point into the file of `primary`.
    pub fixes: Vec<Fix>,
}

impl Finding {
    /// Puts the rule author's text of each piece of evidence in place of the
    /// reader's, for output that has room for one text only.
    pub fn explain_expr(&mut self) {
        for evidence in &mut self.evidence {
            if let Some(expr) = &evidence.expr_message {
                evidence.message.clone_from(expr);
            }
        }
    }
}

/// The entity a finding is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Subject {
    pub entity: EntityRef,
    /// The entity kind's name: `group`.
    pub kind: String,
    /// The entity's display name: `survival_migrants`, `mandate[3]`, `proposal`.
    pub name: String,
}

impl Subject {
    /// A name that survives edits to the file: `group.survival_migrants`,
    /// `mandate[3]`, `proposal`. Baselines and `lacuna compare` match on it.
    pub fn path(&self) -> String {
        if self.name == self.kind || self.name.starts_with(&format!("{}[", self.kind)) {
            self.name.clone()
        } else {
            format!("{}.{}", self.kind, self.name)
        }
    }
}

/// A span of the proposal that explains a verdict, with what it shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    pub origin: Origin,
    /// What the span shows, for a reader of the proposal: it names the
    /// entities and fields of the proposal, never a norm's variables, such
    /// as "`OHCHR` (the `actor` of `mandate[3]`) has `field_presence = false`".
    pub message: String,
    /// The same, for the author of the norm: in terms of the norm's
    /// expressions, such as "`m.actor.field_presence` is `false`". `None`
    /// for evidence that comes from no expression, such as the labels of an
    /// input problem.
    pub expr_message: Option<String>,
}

impl Evidence {
    /// The message for the author of the norm when there is one, else the
    /// message for the reader.
    pub fn rule_author_message(&self) -> &str {
        self.expr_message.as_deref().unwrap_or(&self.message)
    }
}

/// How much of each finding evaluation builds.
///
/// Deciding that a subject fails a norm is cheap; explaining why is not:
/// evidence means searching near misses and writing a message for each
/// piece. A format that never shows evidence asks for less, and gets the
/// same findings in the same order with `evidence` left empty.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Detail {
    /// Message, help and evidence.
    #[default]
    Full,
    /// Message and help; no evidence.
    Messages,
}
