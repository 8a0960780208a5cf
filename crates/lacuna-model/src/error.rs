//! Errors of schema resolution and of proposal loading.
//!
//! Every error carries byte spans only; the text they point into is attached
//! where the error is shown (with `miette::Report::with_source_code` or a
//! wrapper holding `#[source_code]`). A [`SchemaError`] also knows which rule
//! file it belongs to ([`SchemaError::origin`]); a [`LoadError`] always points
//! into the proposal passed to [`crate::load`].

use lacuna_syntax::{Fix, Span};
use miette::Diagnostic;
use thiserror::Error;

use crate::source::{Origin, SourceId};

/// A mistake in the `enum` and `entity` declarations of a rule set.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchemaError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    UnknownType(UnknownType),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Duplicate(Duplicate),
    #[error(transparent)]
    #[diagnostic(transparent)]
    NameClash(NameClash),
    #[error(transparent)]
    #[diagnostic(transparent)]
    BuiltinRedeclared(BuiltinRedeclared),
    #[error(transparent)]
    #[diagnostic(transparent)]
    RefToUnkeyed(RefToUnkeyed),
    #[error(transparent)]
    #[diagnostic(transparent)]
    BadDefault(BadDefault),
    #[error(transparent)]
    #[diagnostic(transparent)]
    OptionalDefault(OptionalDefault),
    #[error(transparent)]
    #[diagnostic(transparent)]
    EmptyEnum(EmptyEnum),
    #[error(transparent)]
    #[diagnostic(transparent)]
    NestedOptional(NestedOptional),
    #[error(transparent)]
    #[diagnostic(transparent)]
    BlankKindName(BlankKindName),
}

impl SchemaError {
    /// The edit that repairs the mistake in its rule file, when there is one.
    pub fn fix(&self) -> Option<&Fix> {
        match self {
            SchemaError::UnknownType(e) => e.fix.as_ref(),
            SchemaError::BadDefault(e) => e.fix.as_ref(),
            _ => None,
        }
    }

    /// The rule file and span the error points at.
    pub fn origin(&self) -> Origin {
        let (file, span) = match self {
            SchemaError::UnknownType(e) => (e.file, e.span),
            SchemaError::Duplicate(e) => (e.file, e.span),
            SchemaError::NameClash(e) => (e.file, e.span),
            SchemaError::BuiltinRedeclared(e) => (e.file, e.span),
            SchemaError::RefToUnkeyed(e) => (e.file, e.span),
            SchemaError::BadDefault(e) => (e.file, e.span),
            SchemaError::OptionalDefault(e) => (e.file, e.span),
            SchemaError::EmptyEnum(e) => (e.file, e.span),
            SchemaError::NestedOptional(e) => (e.file, e.span),
            SchemaError::BlankKindName(e) => (e.file, e.span),
        };
        Origin { source: file, span }
    }

    /// The earlier declaration a duplicate clashes with, which may be in
    /// another rule file. When it is in the same file it is also a label.
    pub fn related_origin(&self) -> Option<Origin> {
        match self {
            SchemaError::Duplicate(e) => Some(e.first_origin),
            SchemaError::NameClash(e) => Some(e.first_origin),
            _ => None,
        }
    }
}

/// Splits the first declaration into a label when it is in the same file as
/// the error, and a help line otherwise.
fn first_in(file: SourceId, first: Origin) -> (Option<Span>, Option<String>) {
    if first.source == file {
        (Some(first.span), None)
    } else {
        (None, Some("first declared in another rule file".to_owned()))
    }
}

#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("unknown type `{name}`")]
#[diagnostic(code(schema::unknown_type))]
pub struct UnknownType {
    name: String,
    file: SourceId,
    #[label("not `bool`, `int`, `text`, an enum or an entity")]
    span: Span,
    #[help]
    help: Option<String>,
    fix: Option<Fix>,
}

impl UnknownType {
    pub(crate) fn new(name: &str, file: SourceId, span: Span, help: Option<String>) -> Self {
        UnknownType {
            name: name.to_owned(),
            file,
            span,
            help,
            fix: None,
        }
    }

    #[must_use]
    pub(crate) fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
}

#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("duplicate {what} `{name}`")]
#[diagnostic(code(schema::duplicate))]
pub struct Duplicate {
    what: &'static str,
    name: String,
    file: SourceId,
    #[label("declared again here")]
    span: Span,
    #[label("first declared here")]
    first: Option<Span>,
    first_origin: Origin,
    #[help]
    help: Option<String>,
}

impl Duplicate {
    /// `what` is `enum`, `entity`, `field` or `variant`.
    pub(crate) fn new(what: &'static str, name: &str, at: Origin, first: Origin) -> Self {
        let (first_span, help) = first_in(at.source, first);
        Duplicate {
            what,
            name: name.to_owned(),
            file: at.source,
            span: at.span,
            first: first_span,
            first_origin: first,
            help,
        }
    }
}

#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("`{name}` is declared both as an enum and as an entity")]
#[diagnostic(
    code(schema::name_clash),
    help("a type name means one thing: rename the enum or the entity")
)]
pub struct NameClash {
    name: String,
    file: SourceId,
    #[label("declared again here")]
    span: Span,
    #[label("first declared here")]
    first: Option<Span>,
    first_origin: Origin,
}

impl NameClash {
    pub(crate) fn new(name: &str, at: Origin, first: Origin) -> Self {
        let (first_span, _) = first_in(at.source, first);
        NameClash {
            name: name.to_owned(),
            file: at.source,
            span: at.span,
            first: first_span,
            first_origin: first,
        }
    }
}

#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("`{name}` is a builtin type")]
#[diagnostic(
    code(schema::builtin_redeclared),
    help("`bool`, `int` and `text` cannot be redeclared: choose another name")
)]
pub struct BuiltinRedeclared {
    name: String,
    file: SourceId,
    #[label("redeclared here")]
    span: Span,
}

impl BuiltinRedeclared {
    pub(crate) fn new(name: &str, file: SourceId, span: Span) -> Self {
        BuiltinRedeclared {
            name: name.to_owned(),
            file,
            span,
        }
    }
}

#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("a field cannot refer to `{name}`, a {shape} kind")]
#[diagnostic(code(schema::ref_to_unkeyed))]
pub struct RefToUnkeyed {
    name: String,
    shape: &'static str,
    file: SourceId,
    #[label("`{name}` entities have no id")]
    span: Span,
    #[help]
    help: String,
}

impl RefToUnkeyed {
    pub(crate) fn new(name: &str, shape: &'static str, file: SourceId, span: Span) -> Self {
        RefToUnkeyed {
            name: name.to_owned(),
            shape,
            file,
            span,
            help: format!(
                "only keyed kinds have ids to refer to: drop `({shape})` from `entity {name}`, or refer to another kind"
            ),
        }
    }
}

#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("invalid default for `{field}`: {problem}")]
#[diagnostic(code(schema::bad_default))]
pub struct BadDefault {
    field: String,
    problem: String,
    file: SourceId,
    #[label("{label}")]
    span: Span,
    label: String,
    #[help]
    help: Option<String>,
    fix: Option<Fix>,
}

impl BadDefault {
    pub(crate) fn new(
        field: &str,
        problem: String,
        label: String,
        at: Origin,
        help: Option<String>,
    ) -> Self {
        BadDefault {
            field: field.to_owned(),
            problem,
            file: at.source,
            span: at.span,
            label,
            help,
            fix: None,
        }
    }

    #[must_use]
    pub(crate) fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
}

#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("optional field `{field}` cannot have a default")]
#[diagnostic(
    code(schema::optional_default),
    help(
        "remove `?` so that the default applies when the field is left out, or remove the default so that the field is absent"
    )
)]
pub struct OptionalDefault {
    field: String,
    file: SourceId,
    #[label("default given here")]
    span: Span,
}

impl OptionalDefault {
    pub(crate) fn new(field: &str, file: SourceId, span: Span) -> Self {
        OptionalDefault {
            field: field.to_owned(),
            file,
            span,
        }
    }
}

#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("enum `{name}` has no variants")]
#[diagnostic(
    code(schema::empty_enum),
    help("an enum needs at least one variant, such as `enum {name} {{ a, b }}`")
)]
pub struct EmptyEnum {
    name: String,
    file: SourceId,
    #[label("declared here")]
    span: Span,
}

impl EmptyEnum {
    pub(crate) fn new(name: &str, file: SourceId, span: Span) -> Self {
        EmptyEnum {
            name: name.to_owned(),
            file,
            span,
        }
    }
}

#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("only a field's own type can be optional")]
#[diagnostic(
    code(schema::nested_optional),
    help("a list is never absent, only empty: write `[T]` without `?` inside")
)]
pub struct NestedOptional {
    file: SourceId,
    #[label("optional inside another type")]
    span: Span,
}

impl NestedOptional {
    pub(crate) fn new(file: SourceId, span: Span) -> Self {
        NestedOptional { file, span }
    }
}

#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("the {what} of kind `{kind}` is blank")]
#[diagnostic(
    code(schema::blank_kind_name),
    help(
        "evidence calls the kind's entities by its name and plural: write words in both \
         strings, or leave both out to call them `{kind}`"
    )
)]
pub struct BlankKindName {
    what: &'static str,
    kind: String,
    file: SourceId,
    #[label("a name with no words")]
    span: Span,
}

impl BlankKindName {
    pub(crate) fn new(what: &'static str, kind: &str, file: SourceId, span: Span) -> Self {
        BlankKindName {
            what,
            kind: kind.to_owned(),
            file,
            span,
        }
    }
}

/// A problem in a proposal: broken syntax, or text that does not fit the schema.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoadError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Syntax(SyntaxError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    TooLarge(TooLarge),
    #[error(transparent)]
    #[diagnostic(transparent)]
    TooDeep(TooDeep),
    #[error(transparent)]
    #[diagnostic(transparent)]
    UnknownKind(UnknownKind),
    #[error(transparent)]
    #[diagnostic(transparent)]
    WrongShape(WrongShape),
    #[error(transparent)]
    #[diagnostic(transparent)]
    WrongType(WrongType),
    #[error(transparent)]
    #[diagnostic(transparent)]
    UnknownVariant(UnknownVariant),
    #[error(transparent)]
    #[diagnostic(transparent)]
    UnknownField(UnknownField),
    #[error(transparent)]
    #[diagnostic(transparent)]
    MissingField(MissingField),
    #[error(transparent)]
    #[diagnostic(transparent)]
    MissingSingleton(MissingSingleton),
    #[error(transparent)]
    #[diagnostic(transparent)]
    DuplicateKey(DuplicateKey),
    #[error(transparent)]
    #[diagnostic(transparent)]
    DanglingRef(DanglingRef),
    #[error(transparent)]
    #[diagnostic(transparent)]
    WrongKindRef(WrongKindRef),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Datetime(Datetime),
    #[error(transparent)]
    #[diagnostic(transparent)]
    IntOverflow(IntOverflow),
    #[error(transparent)]
    #[diagnostic(transparent)]
    EmptyId(EmptyId),
}

impl LoadError {
    /// The edit that repairs the mistake, when the loader can tell.
    pub fn fix(&self) -> Option<&Fix> {
        match self {
            LoadError::Syntax(e) => e.fix.as_ref(),
            LoadError::UnknownKind(e) => e.fix.as_ref(),
            LoadError::UnknownVariant(e) => e.fix.as_ref(),
            LoadError::UnknownField(e) => e.fix.as_ref(),
            LoadError::MissingField(e) => e.fix.as_ref(),
            LoadError::DuplicateKey(e) => e.fix.as_ref(),
            LoadError::DanglingRef(e) => e.fix.as_ref(),
            _ => None,
        }
    }

    /// The primary span, a byte range into the loaded text.
    pub fn span(&self) -> Span {
        match self {
            LoadError::Syntax(e) => e.span,
            LoadError::TooLarge(e) => e.span,
            LoadError::TooDeep(e) => e.span,
            LoadError::UnknownKind(e) => e.span,
            LoadError::WrongShape(e) => e.span,
            LoadError::WrongType(e) => e.span,
            LoadError::UnknownVariant(e) => e.span,
            LoadError::UnknownField(e) => e.span,
            LoadError::MissingField(e) => e.span,
            LoadError::MissingSingleton(e) => e.span,
            LoadError::DuplicateKey(e) => e.span,
            LoadError::DanglingRef(e) => e.span,
            LoadError::WrongKindRef(e) => e.span,
            LoadError::Datetime(e) => e.span,
            LoadError::IntOverflow(e) => e.span,
            LoadError::EmptyId(e) => e.span,
        }
    }
}

#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("invalid {format}: {message}")]
#[diagnostic(code(proposal::syntax))]
pub struct SyntaxError {
    format: &'static str,
    message: String,
    #[label("{label}")]
    span: Span,
    label: String,
    #[help]
    help: Option<String>,
    fix: Option<Fix>,
}

impl SyntaxError {
    pub(crate) fn new(
        format: &'static str,
        message: String,
        label: String,
        span: Span,
        help: Option<String>,
    ) -> Self {
        SyntaxError {
            format,
            message,
            span,
            label,
            help,
            fix: None,
        }
    }

    #[must_use]
    pub(crate) fn with_fix(mut self, fix: Option<Fix>) -> Self {
        self.fix = fix;
        self
    }
}

#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("the proposal is larger than 4 GiB")]
#[diagnostic(code(proposal::too_large))]
pub struct TooLarge {
    #[label("file starts here")]
    span: Span,
}

impl TooLarge {
    pub(crate) fn new() -> Self {
        TooLarge {
            span: Span::empty(0),
        }
    }
}

#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("nesting deeper than {limit} levels")]
#[diagnostic(
    code(proposal::too_deep),
    help(
        "a proposal nests a few levels at most (entity kind, entity, field, list); the file was not read further"
    )
)]
pub struct TooDeep {
    limit: usize,
    level: usize,
    #[label("this opens level {level}")]
    span: Span,
}

impl TooDeep {
    pub(crate) fn new(limit: usize, span: Span) -> Self {
        TooDeep {
            limit,
            level: limit.saturating_add(1),
            span,
        }
    }
}

#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("unknown entity kind `{name}`")]
#[diagnostic(code(proposal::unknown_kind))]
pub struct UnknownKind {
    name: String,
    #[label("not an entity kind of the schema")]
    span: Span,
    #[help]
    help: Option<String>,
    fix: Option<Fix>,
}

impl UnknownKind {
    pub(crate) fn new(name: &str, span: Span, help: Option<String>) -> Self {
        UnknownKind {
            name: name.to_owned(),
            span,
            help,
            fix: None,
        }
    }

    #[must_use]
    pub(crate) fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
}

#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("{message}")]
#[diagnostic(code(proposal::wrong_shape))]
pub struct WrongShape {
    message: String,
    #[label("{label}")]
    span: Span,
    label: String,
    #[help]
    help: String,
}

impl WrongShape {
    pub(crate) fn new(message: String, label: String, span: Span, help: String) -> Self {
        WrongShape {
            message,
            span,
            label,
            help,
        }
    }
}

#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("expected {expected}, found {found}")]
#[diagnostic(code(proposal::wrong_type))]
pub struct WrongType {
    expected: String,
    found: String,
    #[label("{label}")]
    span: Span,
    label: String,
    #[help]
    help: Option<String>,
}

impl WrongType {
    pub(crate) fn new(
        expected: String,
        found: String,
        label: String,
        span: Span,
        help: Option<String>,
    ) -> Self {
        WrongType {
            expected,
            found,
            span,
            label,
            help,
        }
    }
}

#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("unknown {enum_name} `{value}`")]
#[diagnostic(code(proposal::unknown_value))]
pub struct UnknownVariant {
    value: String,
    enum_name: String,
    #[label("not a value of `{enum_name}`")]
    span: Span,
    #[help]
    help: Option<String>,
    fix: Option<Fix>,
}

impl UnknownVariant {
    pub(crate) fn new(value: &str, enum_name: &str, span: Span, help: Option<String>) -> Self {
        UnknownVariant {
            value: value.to_owned(),
            enum_name: enum_name.to_owned(),
            span,
            help,
            fix: None,
        }
    }

    #[must_use]
    pub(crate) fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
}

#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("unknown field `{name}` in {entity}")]
#[diagnostic(code(proposal::unknown_field))]
pub struct UnknownField {
    name: String,
    entity: String,
    #[label("`{kind}` has no such field")]
    span: Span,
    kind: String,
    #[help]
    help: Option<String>,
    fix: Option<Fix>,
}

impl UnknownField {
    pub(crate) fn new(
        name: &str,
        entity: String,
        kind: &str,
        span: Span,
        help: Option<String>,
    ) -> Self {
        UnknownField {
            name: name.to_owned(),
            entity,
            span,
            kind: kind.to_owned(),
            help,
            fix: None,
        }
    }

    #[must_use]
    pub(crate) fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
}

#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("missing field `{field}` in {entity}")]
#[diagnostic(code(proposal::missing_field))]
pub struct MissingField {
    field: String,
    entity: String,
    #[label("`{field}` is required")]
    span: Span,
    #[help]
    help: String,
    fix: Option<Fix>,
}

impl MissingField {
    pub(crate) fn new(field: &str, entity: String, span: Span, help: String) -> Self {
        MissingField {
            field: field.to_owned(),
            entity,
            span,
            help,
            fix: None,
        }
    }

    #[must_use]
    pub(crate) fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
}

#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("missing {written}")]
#[diagnostic(code(proposal::missing_singleton))]
pub struct MissingSingleton {
    written: String,
    #[label("expected in this file")]
    span: Span,
    #[help]
    help: String,
}

impl MissingSingleton {
    pub(crate) fn new(written: String, span: Span, help: String) -> Self {
        MissingSingleton {
            written,
            span,
            help,
        }
    }
}

#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("`{name}` is defined twice")]
#[diagnostic(
    code(proposal::duplicate_key),
    help("each key appears once in an object; merge the two or rename one")
)]
pub struct DuplicateKey {
    name: String,
    #[label("defined again here")]
    span: Span,
    #[label("first defined here")]
    first: Span,
    fix: Option<Fix>,
}

impl DuplicateKey {
    pub(crate) fn new(name: &str, span: Span, first: Span) -> Self {
        DuplicateKey {
            name: name.to_owned(),
            span,
            first,
            fix: None,
        }
    }

    #[must_use]
    pub(crate) fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
}

#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("no {kind} named `{name}`")]
#[diagnostic(code(proposal::dangling_reference))]
pub struct DanglingRef {
    name: String,
    kind: String,
    #[label("not the id of any `{kind}`")]
    span: Span,
    #[help]
    help: Option<String>,
    fix: Option<Fix>,
}

impl DanglingRef {
    pub(crate) fn new(name: &str, kind: &str, span: Span, help: Option<String>) -> Self {
        DanglingRef {
            name: name.to_owned(),
            kind: kind.to_owned(),
            span,
            help,
            fix: None,
        }
    }

    #[must_use]
    pub(crate) fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
}

#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("`{name}` is {found_article} {found}, not {expected_article} {expected}")]
#[diagnostic(code(proposal::wrong_kind))]
pub struct WrongKindRef {
    name: String,
    found: String,
    found_article: &'static str,
    expected: String,
    expected_article: &'static str,
    #[label(primary, "expected the id of {expected_article} `{expected}`")]
    span: Span,
    #[label("`{name}` is declared here as {found_article} `{found}`")]
    declared: Span,
}

impl WrongKindRef {
    pub(crate) fn new(name: &str, found: &str, expected: &str, span: Span, declared: Span) -> Self {
        WrongKindRef {
            name: name.to_owned(),
            found: found.to_owned(),
            found_article: lacuna_syntax::suggest::article(found),
            expected: expected.to_owned(),
            expected_article: lacuna_syntax::suggest::article(expected),
            span,
            declared,
        }
    }
}

#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("dates and times are not supported")]
#[diagnostic(
    code(proposal::datetime),
    help(
        "the schema has no date type; to keep the date as text, write it in quotes: `\"{text}\"`"
    )
)]
pub struct Datetime {
    text: String,
    #[label("a TOML date-time")]
    span: Span,
}

impl Datetime {
    pub(crate) fn new(text: &str, span: Span) -> Self {
        Datetime {
            text: text.to_owned(),
            span,
        }
    }
}

#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("integer `{text}` is out of range")]
#[diagnostic(
    code(proposal::int_overflow),
    help("integers are 64-bit: from -9223372036854775808 to 9223372036854775807")
)]
pub struct IntOverflow {
    text: String,
    #[label("does not fit in 64 bits")]
    span: Span,
}

impl IntOverflow {
    pub(crate) fn new(text: &str, span: Span) -> Self {
        IntOverflow {
            text: text.to_owned(),
            span,
        }
    }
}

#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("empty id for a `{kind}`")]
#[diagnostic(
    code(proposal::empty_id),
    help("an id names the entity in references and diagnostics: give it at least one character")
)]
pub struct EmptyId {
    kind: String,
    #[label("empty id")]
    span: Span,
}

impl EmptyId {
    pub(crate) fn new(kind: &str, span: Span) -> Self {
        EmptyId {
            kind: kind.to_owned(),
            span,
        }
    }
}
