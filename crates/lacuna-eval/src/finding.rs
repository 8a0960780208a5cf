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
    /// Such as "UNHCR's protection mandate covers `refugees`, not `survival_migrants`".
    pub message: String,
}
