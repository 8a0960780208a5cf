//! Mistakes in norms, found before any proposal is read.
//!
//! Every error carries the [`SourceId`] of its `.norm` file and byte spans
//! into it; the text itself is attached where the error is shown.

use std::fmt;

use lacuna_model::SourceId;
use lacuna_syntax::ast::Severity;
use lacuna_syntax::suggest::guessed;
use lacuna_syntax::{Fix, Span};
use miette::{Diagnostic, LabeledSpan};
use thiserror::Error;

/// An error or warning about a norm, located in its `.norm` file.
#[derive(Clone, Debug)]
pub struct RuleError {
    source: SourceId,
    kind: Box<Mistake>,
}

impl RuleError {
    pub(crate) fn new(source: SourceId, kind: Mistake) -> RuleError {
        RuleError {
            source,
            kind: Box::new(kind),
        }
    }

    /// The `.norm` file the spans point into.
    pub fn source_id(&self) -> SourceId {
        self.source
    }

    /// [`Severity::Error`] leaves the norm out of the program;
    /// [`Severity::Warning`] does not.
    pub fn severity(&self) -> Severity {
        Severity::of_miette(self.kind.severity())
    }

    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }

    /// The rename that goes with a "did you mean" guess: a misspelt kind,
    /// field, variant or name replaced by the one it is closest to.
    pub fn fix(&self) -> Option<Fix> {
        let (name, span, help) = match &*self.kind {
            Mistake::UnknownKind { name, span, help }
            | Mistake::UnknownName { name, span, help }
            | Mistake::UnknownVariant {
                name, span, help, ..
            }
            | Mistake::UnknownMetaValue {
                name, span, help, ..
            } => (name, *span, help),
            Mistake::UnknownField {
                field, span, help, ..
            } => (field, *span, help),
            _ => return None,
        };
        let guess = guessed(help.as_deref()?)?;
        Some(Fix::rename(name, span, guess))
    }

    /// The span of the first label: where the mistake is.
    pub fn span(&self) -> Span {
        self.kind
            .labels()
            .and_then(|mut labels| labels.next())
            .map_or(Span::default(), |l| {
                let start = u32::try_from(l.offset()).unwrap_or(u32::MAX);
                Span::new(
                    start,
                    start.saturating_add(u32::try_from(l.len()).unwrap_or(0)),
                )
            })
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.kind, f)
    }
}

impl std::error::Error for RuleError {}

impl Diagnostic for RuleError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.kind.code()
    }

    fn severity(&self) -> Option<miette::Severity> {
        self.kind.severity()
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.kind.help()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.kind.labels()
    }
}

/// The mistakes themselves. Names in messages are what the norm wrote.
#[derive(Clone, Debug, Error, Diagnostic)]
pub(crate) enum Mistake {
    #[error("unknown entity kind `{name}`")]
    #[diagnostic(code(rules::unknown_kind))]
    UnknownKind {
        name: String,
        #[label("not an entity kind of the schema")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("`{kind}` has no field `{field}`")]
    #[diagnostic(code(rules::unknown_field))]
    UnknownField {
        kind: String,
        field: String,
        #[label("unknown field")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("enum `{enum_name}` has no variant `{name}`")]
    #[diagnostic(code(rules::unknown_variant))]
    UnknownVariant {
        enum_name: String,
        name: String,
        #[label("expected a variant of `{enum_name}`")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("unknown name `{name}`")]
    #[diagnostic(code(rules::unknown_name))]
    UnknownName {
        name: String,
        #[label("not a variable, entity kind or variant here")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("cannot compare `{left}` with `{right}`")]
    #[diagnostic(code(rules::type_mismatch))]
    Mismatch {
        left: String,
        right: String,
        #[label("this is `{left}`")]
        left_span: Span,
        #[label("this is `{right}`")]
        right_span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("cannot compare an entity with text")]
    #[diagnostic(
        code(rules::entity_with_text),
        help(
            "entities compare by identity, not by id: compare with another `{kind}`, or compare one of its fields with the text"
        )
    )]
    EntityWithText {
        kind: String,
        #[label("this is `{kind}`")]
        entity_span: Span,
        #[label("this is text")]
        text_span: Span,
    },

    #[error("`{op}` compares integers, not `{found}`")]
    #[diagnostic(code(rules::not_ordered))]
    NotOrdered {
        op: String,
        found: String,
        #[label("this is `{found}`")]
        span: Span,
    },

    #[error("`in` needs a list on its right, not `{found}`")]
    #[diagnostic(
        code(rules::not_a_list),
        help("`a in b` asks whether the list `b` holds `a`; use `==` to compare single values")
    )]
    NotAList {
        found: String,
        #[label("this is `{found}`")]
        span: Span,
    },

    #[error("cannot look for `{element}` in a list of `{member}`")]
    #[diagnostic(code(rules::element_mismatch))]
    ElementMismatch {
        element: String,
        member: String,
        #[label("this is `{element}`")]
        element_span: Span,
        #[label("this holds `{member}`")]
        list_span: Span,
    },

    #[error("list members differ in type: `{first}` and `{other}`")]
    #[diagnostic(code(rules::mixed_list))]
    MixedList {
        first: String,
        other: String,
        #[label("this is `{first}`")]
        first_span: Span,
        #[label("this is `{other}`")]
        other_span: Span,
    },

    #[error("{place} needs a condition, not `{found}`")]
    #[diagnostic(code(rules::not_a_condition))]
    NotACondition {
        place: String,
        found: String,
        #[label("this is `{found}`, not `bool`")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("cannot range over `{found}`")]
    #[diagnostic(
        code(rules::not_a_collection),
        help(
            "a quantifier ranges over an entity kind, such as `mandate`, or a list, such as `c.members`"
        )
    )]
    NotACollection {
        found: String,
        #[label("this is `{found}`, not a list")]
        span: Span,
    },

    #[error("`{found}` has no fields")]
    #[diagnostic(code(rules::no_fields))]
    NoFields {
        found: String,
        field: String,
        #[label("this is `{found}`")]
        base_span: Span,
        #[label("so it has no field `{field}`")]
        field_span: Span,
    },

    #[error("`{name}` is a collection, not one entity")]
    #[diagnostic(code(rules::field_of_collection))]
    FieldOfCollection {
        name: String,
        #[label("the collection of all `{name}` entities")]
        span: Span,
        #[help]
        help: String,
    },

    #[error("`{base}` is a list of `{element}`, not one entity")]
    #[diagnostic(code(rules::field_of_list))]
    FieldOfList {
        base: String,
        element: String,
        #[label("this is a list")]
        span: Span,
        #[help]
        help: String,
    },

    #[error("`{field}` is never absent")]
    #[diagnostic(
        code(rules::has_on_required),
        help("`has` tests an optional field, declared with `?`; `{field}` {why}")
    )]
    HasOnRequired {
        field: String,
        why: String,
        #[label("not an optional field")]
        span: Span,
    },

    #[error("duplicate norm `{id}`")]
    #[diagnostic(code(rules::duplicate_norm))]
    DuplicateNorm {
        id: String,
        #[label("defined again here")]
        span: Span,
        #[label("first defined here")]
        first: Option<Span>,
        #[help]
        help: Option<String>,
    },

    #[error("`{name}` is not a variant of enum `{enum_name}`")]
    #[diagnostic(code(rules::unknown_meta_value))]
    UnknownMetaValue {
        enum_name: String,
        name: String,
        #[label("`{enum_name}` has no such variant")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("`{key}` needs an enum `{enum_name}` in the schema")]
    #[diagnostic(
        code(rules::missing_meta_enum),
        help("declare `enum {enum_name} {{ .. }}` in a rule file, or remove `{key}`")
    )]
    MissingMetaEnum {
        key: String,
        enum_name: String,
        #[label("no enum `{enum_name}` to take variants from")]
        span: Span,
    },

    #[error("`{key}` {expected}")]
    #[diagnostic(code(rules::meta_value))]
    MetaValue {
        key: String,
        expected: String,
        #[label("not accepted here")]
        span: Span,
    },

    #[error("`{key}` is given more than once")]
    #[diagnostic(code(rules::duplicate_meta))]
    DuplicateMeta {
        key: String,
        #[label("given again here")]
        span: Span,
        #[label("first given here")]
        first: Span,
    },

    #[error("`{name}` is never used")]
    #[diagnostic(
        code(rules::unused_let),
        severity(Warning),
        help("use it in `require` or a template, or remove the `let`")
    )]
    UnusedLet {
        name: String,
        #[label("bound here")]
        span: Span,
    },

    #[error("`{name}` shadows an earlier variable")]
    #[diagnostic(
        code(rules::shadowed),
        severity(Warning),
        help("inside its scope `{name}` means the new binding; a different name reads better")
    )]
    Shadowed {
        name: String,
        #[label("bound again here")]
        span: Span,
        #[label("first bound here")]
        first: Span,
    },

    #[error("variable `{name}` hides the entity kind `{name}`")]
    #[diagnostic(
        code(rules::shadowed_kind),
        severity(Warning),
        help(
            "inside its scope `{name}` means the variable, not every `{name}`; a different name reads better"
        )
    )]
    HiddenKind {
        name: String,
        #[label("bound here")]
        span: Span,
    },

    #[error("norm `{id}` has no message")]
    #[diagnostic(
        code(rules::no_message),
        severity(Warning),
        help("add `else \"...\"` or a doc comment (`///`), whose first line becomes the message")
    )]
    NoMessage {
        id: String,
        #[label("findings of this norm would only name it")]
        span: Span,
    },
}
