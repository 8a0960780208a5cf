//! What lacuna reports: one [`Diagnostic`] type for the findings of norms
//! and for the problems of the inputs.
//!
//! A finding is a norm failing for a subject; a problem is a rule file that
//! does not parse or check, a proposal that does not load, or a
//! configuration that does not hold together. Both are shown the same way:
//! a code, a severity and a message at a primary location, with secondary
//! locations, help and fixes. Every format and the language server read
//! this one type, and tell the two apart by the [`Code`].

use std::fmt;
use std::sync::Arc;

use lacuna_model::{EntityRef, Origin};
use lacuna_syntax::Fix;
use lacuna_syntax::ast::Severity;

/// Where in the pipeline a problem with an input was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// A `.norm` file does not parse.
    Syntax,
    /// An `enum` or `entity` declaration is wrong.
    Schema,
    /// A norm does not resolve or type-check.
    Rules,
    /// A proposal does not load.
    Proposal,
    /// A configuration file or a selection on the command line is wrong.
    Config,
}

/// What a diagnostic reports, as tools match on it: the id of a norm for a
/// finding, or the kind of a problem with an input.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// A norm failed: its id, such as `protection.coverage`, shared by the
    /// findings of the norm.
    Norm(Arc<str>),
    /// An input is wrong: the kind of mistake, such as
    /// `proposal::unknown_field` or `syntax::unknown-keyword`, and the stage
    /// that found it.
    Problem(Stage, Box<str>),
}

impl Code {
    /// The code as written in every format: the norm's id or the problem's
    /// code.
    pub fn as_str(&self) -> &str {
        match self {
            Code::Norm(id) => id,
            Code::Problem(_, code) => code,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing to report: a norm failing for one subject, or a problem with
/// an input.
///
/// What a finding takes from its norm (where it is defined, `serves`,
/// `perspective`, `source`, `tags`) is one [`NormMeta`] shared by all the
/// findings of the norm, read through [`Diagnostic::serves`] and the other
/// accessors; a problem has none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// For a finding, the interpolated `else` template (or the norm's first
    /// doc line); for a problem, what is wrong.
    pub message: String,
    /// For a finding, the interpolated `help` template.
    pub help: Option<String>,
    /// Where the diagnostic points: a finding's subject declaration (the
    /// start of the file for a norm without subject), a problem's primary
    /// span (the start of the file when it has none).
    pub primary: Origin,
    /// The label under the primary span, such as "`survival_migrants`
    /// declared here"; empty when there is none.
    pub primary_label: String,
    /// Secondary locations, each with its label, in a stable order: the
    /// evidence that explains a finding, the other labels of a problem.
    pub evidence: Vec<Evidence>,
    /// Edits that repair the input, close the finding or silence it, each
    /// checked before it is offered; their edits point into the file of
    /// `primary`.
    pub fixes: Vec<Fix>,
    /// The entity a finding failed for; `None` for a problem and for a norm
    /// without `for`, which is checked once against the whole proposal.
    pub subject: Option<Subject>,
    /// The metadata of a finding's norm; `None` for a problem.
    pub meta: Option<Arc<NormMeta>>,
}

/// What the findings of one norm say about it, besides its id: written
/// once per norm and shared by its findings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NormMeta {
    /// The norm's id in its `.norm` file.
    pub origin: Origin,
    /// The values the norm serves (`serves:`), as written.
    pub serves: Vec<String>,
    /// The perspectives the norm takes (`perspective:`), as written.
    pub perspective: Vec<String>,
    /// Where the norm comes from (`source:`).
    pub source: Option<String>,
    pub tags: Vec<String>,
}

impl Diagnostic {
    /// A problem with an input at `primary`, with nothing more to say than
    /// its message: labels, help and fixes are added by the caller.
    pub fn problem(
        stage: Stage,
        code: impl Into<Box<str>>,
        severity: Severity,
        message: impl Into<String>,
        primary: Origin,
    ) -> Diagnostic {
        Diagnostic {
            code: Code::Problem(stage, code.into()),
            severity,
            message: message.into(),
            help: None,
            primary,
            primary_label: String::new(),
            evidence: Vec::new(),
            fixes: Vec::new(),
            subject: None,
            meta: None,
        }
    }

    /// The id of the norm of a finding; `None` for a problem.
    pub fn norm(&self) -> Option<&str> {
        match &self.code {
            Code::Norm(id) => Some(id),
            Code::Problem(..) => None,
        }
    }

    /// Whether the diagnostic is a finding, not a problem with an input.
    pub fn is_finding(&self) -> bool {
        matches!(self.code, Code::Norm(_))
    }

    /// The stage that found a problem; `None` for a finding.
    pub fn stage(&self) -> Option<Stage> {
        match self.code {
            Code::Norm(_) => None,
            Code::Problem(stage, _) => Some(stage),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The norm's id in its `.norm` file; `None` for a problem.
    pub fn norm_origin(&self) -> Option<Origin> {
        self.meta.as_ref().map(|m| m.origin)
    }

    /// The values the norm serves (`serves:`), as written; empty for a
    /// problem.
    pub fn serves(&self) -> &[String] {
        self.meta.as_ref().map_or(&[], |m| &m.serves)
    }

    /// The perspectives the norm takes (`perspective:`), as written; empty
    /// for a problem.
    pub fn perspective(&self) -> &[String] {
        self.meta.as_ref().map_or(&[], |m| &m.perspective)
    }

    /// Where the norm comes from (`source:`).
    pub fn source(&self) -> Option<&str> {
        self.meta.as_ref().and_then(|m| m.source.as_deref())
    }

    /// The norm's tags; empty for a problem.
    pub fn tags(&self) -> &[String] {
        self.meta.as_ref().map_or(&[], |m| &m.tags)
    }

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
    /// The entity kind's name: `group`, shared by the findings about
    /// entities of the kind.
    pub kind: Arc<str>,
    /// The entity's display name: `survival_migrants`, `mandate[3]`, `proposal`.
    pub name: String,
}

impl Subject {
    /// A name that survives edits to the file: `group.survival_migrants`,
    /// `mandate[3]`, `proposal`. Baselines and `lacuna compare` match on it.
    pub fn path(&self) -> String {
        if self.path_is_name() {
            self.name.clone()
        } else {
            format!("{}.{}", self.kind, self.name)
        }
    }

    /// Whether [`Subject::path`] is `path`, without writing the path.
    pub fn has_path(&self, path: &str) -> bool {
        if self.path_is_name() {
            self.name == path
        } else {
            path.strip_prefix(&*self.kind)
                .and_then(|rest| rest.strip_prefix('.'))
                .is_some_and(|name| name == self.name)
        }
    }

    /// Whether the name alone is the path: a singleton's or a listed
    /// entity's, which names its kind.
    fn path_is_name(&self) -> bool {
        self.name
            .strip_prefix(&*self.kind)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('['))
    }
}

/// A secondary location of a diagnostic, with what it shows: a span of the
/// proposal that explains a finding, or another label of a problem.
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

#[cfg(test)]
mod tests {
    use super::{Code, Diagnostic, Subject};
    use lacuna_model::{EntityRef, KindId};

    /// A large report holds tens of thousands of diagnostics: what a finding
    /// takes from its norm is shared, not copied into each.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_diagnostic_stays_small() {
        assert!(std::mem::size_of::<Code>() <= 24);
        assert!(std::mem::size_of::<Diagnostic>() <= 216);
    }

    #[test]
    fn a_path_is_matched_as_written() {
        let subject = |kind: &str, name: &str| Subject {
            entity: EntityRef {
                kind: KindId(0),
                index: 0,
            },
            kind: kind.into(),
            name: name.to_owned(),
        };
        for (s, other) in [
            (subject("group", "survival_migrants"), "group.survival"),
            (subject("mandate", "mandate[3]"), "mandate[3]."),
            (subject("proposal", "proposal"), "proposal.proposal"),
            (subject("group", "groupie"), "groupie"),
            (subject("group", "group[x"), "group.group[x."),
        ] {
            let path = s.path();
            assert!(s.has_path(&path), "{path}");
            assert!(!s.has_path(other), "{path} is not {other}");
        }
        assert_eq!(subject("group", "groupie").path(), "group.groupie");
        assert_eq!(subject("mandate", "mandate[3]").path(), "mandate[3]");
    }
}
