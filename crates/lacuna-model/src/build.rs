//! Resolution of `enum` and `entity` declarations into a [`Schema`].
//!
//! Two passes over every rule file: the first declares all names, so a field
//! may name an enum or entity declared later or in another file; the second
//! resolves field types and defaults. A broken declaration is reported and
//! kept as far as it makes sense (an enum without variants is still an enum,
//! a field with a bad default is still a field, now required), so later stages
//! see the rest of the schema.

use lacuna_syntax::Span;
use lacuna_syntax::ast::{
    Ast, Doc, EntityDecl, EntityShape, EnumDecl, Expr, ExprKind, FieldDecl, Item, StrLit, TypeExpr,
    TypeKind,
};
use rustc_hash::FxHashMap;

use crate::error::{
    BadDefault, BlankKindName, BuiltinRedeclared, Duplicate, EmptyEnum, NameClash, NestedOptional,
    OptionalDefault, RefToUnkeyed, SchemaError, UnknownType,
};
use crate::facts::Value;
use crate::schema::{EntityDef, EnumDef, EnumId, FieldDef, KindId, Schema, Type, VariantDef};
use crate::source::{Origin, SourceId};
use lacuna_syntax::Fix;
use lacuna_syntax::suggest::{article, closest, did_you_mean, one_of};

const BUILTINS: [&str; 3] = ["bool", "int", "text"];

/// Resolves the `enum` and `entity` items of all rule files into a schema.
///
/// Files are taken in the order given (the file-name order of a rule
/// directory); enums and entity kinds get their ids in that order. Norms are
/// ignored here. Every mistake is reported, and the schema still holds every
/// declaration that could be understood.
pub fn build_schema(files: &[(SourceId, &Ast)]) -> (Schema, Vec<SchemaError>) {
    let mut b = Builder {
        schema: Schema::default(),
        errors: Vec::new(),
        names: FxHashMap::default(),
    };
    let mut entities = Vec::new();
    for &(file, ast) in files {
        for item in &ast.items {
            match item {
                Item::Enum(decl) => b.declare_enum(file, decl),
                Item::Entity(decl) => {
                    if let Some(kind) = b.declare_entity(file, decl) {
                        entities.push((kind, file, decl));
                    }
                }
                Item::Norm(_) => {}
            }
        }
    }
    for (kind, file, decl) in entities {
        b.resolve_fields(kind, file, decl);
    }
    (b.schema, b.errors)
}

/// What a type name was first declared as.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Declared {
    Enum,
    Entity,
}

struct Builder<'a> {
    schema: Schema,
    errors: Vec<SchemaError>,
    names: FxHashMap<&'a str, (Declared, Origin)>,
}

fn doc_text(doc: Option<&Doc>) -> Option<String> {
    doc.map(|d| d.lines.join("\n"))
}

impl<'a> Builder<'a> {
    /// Checks that a new type name is free; reports the clash otherwise.
    fn claim(&mut self, name: &'a str, what: Declared, at: Origin) -> bool {
        if BUILTINS.contains(&name) {
            self.errors
                .push(SchemaError::BuiltinRedeclared(BuiltinRedeclared::new(
                    name, at.source, at.span,
                )));
            return false;
        }
        match self.names.get(name) {
            Some(&(first_what, first)) if first_what == what => {
                let label = match what {
                    Declared::Enum => "enum",
                    Declared::Entity => "entity",
                };
                self.errors.push(SchemaError::Duplicate(Duplicate::new(
                    label, name, at, first,
                )));
                false
            }
            Some(&(_, first)) => {
                self.errors
                    .push(SchemaError::NameClash(NameClash::new(name, at, first)));
                false
            }
            None => {
                self.names.insert(name, (what, at));
                true
            }
        }
    }

    fn declare_enum(&mut self, file: SourceId, decl: &'a EnumDecl) {
        let at = Origin {
            source: file,
            span: decl.name.span,
        };
        if !self.claim(&decl.name.name, Declared::Enum, at) {
            return;
        }
        if decl.variants.is_empty() {
            self.errors.push(SchemaError::EmptyEnum(EmptyEnum::new(
                &decl.name.name,
                file,
                decl.name.span,
            )));
        }
        let mut variants: Vec<VariantDef> = Vec::with_capacity(decl.variants.len());
        for v in &decl.variants {
            let origin = Origin {
                source: file,
                span: v.name.span,
            };
            if let Some(first) = variants.iter().find(|f| f.name == v.name.name) {
                self.errors.push(SchemaError::Duplicate(Duplicate::new(
                    "variant",
                    &v.name.name,
                    origin,
                    first.origin,
                )));
                continue;
            }
            variants.push(VariantDef {
                name: v.name.name.clone(),
                doc: doc_text(v.doc.as_ref()),
                origin,
            });
        }
        self.schema.push_enum(EnumDef {
            name: decl.name.name.clone(),
            doc: doc_text(decl.doc.as_ref()),
            variants,
            origin: at,
        });
    }

    fn declare_entity(&mut self, file: SourceId, decl: &'a EntityDecl) -> Option<KindId> {
        let at = Origin {
            source: file,
            span: decl.name.span,
        };
        if !self.claim(&decl.name.name, Declared::Entity, at) {
            return None;
        }
        // A blank name is reported, and the kind falls back to its own.
        let mut name = |what: &'static str, lit: Option<&StrLit>| {
            let lit = lit?;
            if lit.value.trim().is_empty() {
                self.errors
                    .push(SchemaError::BlankKindName(BlankKindName::new(
                        what,
                        &decl.name.name,
                        file,
                        lit.span,
                    )));
                return None;
            }
            Some(lit.value.clone())
        };
        let label = name("name", decl.label.as_ref());
        let plural = name("plural", decl.plural.as_ref());
        Some(self.schema.push_entity(EntityDef {
            name: decl.name.name.clone(),
            doc: doc_text(decl.doc.as_ref()),
            shape: decl.shape,
            fields: Vec::new(),
            origin: at,
            label,
            plural,
        }))
    }

    fn resolve_fields(&mut self, kind: KindId, file: SourceId, decl: &EntityDecl) {
        let mut fields: Vec<FieldDef> = Vec::with_capacity(decl.fields.len());
        for field in &decl.fields {
            let origin = Origin {
                source: file,
                span: field.name.span,
            };
            if let Some(first) = fields.iter().find(|f| f.name == field.name.name) {
                self.errors.push(SchemaError::Duplicate(Duplicate::new(
                    "field",
                    &field.name.name,
                    origin,
                    first.origin,
                )));
                continue;
            }
            // A missing type is a syntax error the parser already reported.
            let Some(ty) = &field.ty else { continue };
            let Some(ty) = self.resolve_type(file, ty, Position::Field) else {
                continue;
            };
            let default = self.resolve_default(file, field, &ty);
            fields.push(FieldDef {
                name: field.name.name.clone(),
                doc: doc_text(field.doc.as_ref()),
                ty,
                default,
                origin,
            });
        }
        if let Some(def) = self.schema.entities.get_mut(kind.0 as usize) {
            def.fields = fields;
        }
    }

    fn resolve_type(&mut self, file: SourceId, te: &TypeExpr, position: Position) -> Option<Type> {
        match &te.kind {
            TypeKind::Named(ident) => self.resolve_name(file, &ident.name, ident.span),
            TypeKind::List(inner) => self
                .resolve_type(file, inner, Position::Nested)
                .map(|t| Type::List(Box::new(t))),
            TypeKind::Optional(inner) => {
                let inner = self.resolve_type(file, inner, Position::Nested);
                if position == Position::Nested {
                    // The `?` is dropped so that the rest of the type still resolves.
                    self.errors
                        .push(SchemaError::NestedOptional(NestedOptional::new(
                            file, te.span,
                        )));
                    return inner;
                }
                inner.map(|t| Type::Optional(Box::new(t)))
            }
        }
    }

    fn resolve_name(&mut self, file: SourceId, name: &str, span: Span) -> Option<Type> {
        match name {
            "bool" => return Some(Type::Bool),
            "int" => return Some(Type::Int),
            "text" => return Some(Type::Text),
            _ => {}
        }
        if let Some(id) = self.schema.enum_id(name) {
            return Some(Type::Enum(id));
        }
        if let Some(id) = self.schema.kind_id(name) {
            let shape = self.schema.entity(id).map(|e| e.shape);
            let unkeyed = match shape {
                Some(EntityShape::List) => Some("list"),
                Some(EntityShape::Singleton) => Some("singleton"),
                Some(EntityShape::Keyed) | None => None,
            };
            if let Some(shape) = unkeyed {
                self.errors
                    .push(SchemaError::RefToUnkeyed(RefToUnkeyed::new(
                        name, shape, file, span,
                    )));
                return None;
            }
            return Some(Type::Ref(id));
        }
        let candidates = BUILTINS
            .iter()
            .copied()
            .chain(self.schema.enums.iter().map(|e| e.name.as_str()))
            .chain(self.schema.entities.iter().map(|e| e.name.as_str()));
        let guess = closest(name, candidates);
        let help = guess.map(|g| format!("did you mean `{g}`?"));
        let mut error = UnknownType::new(name, file, span, help);
        if let Some(guess) = guess {
            error = error.with_fix(Fix::rename(name, span, guess));
        }
        self.errors.push(SchemaError::UnknownType(error));
        None
    }

    fn resolve_default(&mut self, file: SourceId, field: &FieldDecl, ty: &Type) -> Option<Value> {
        let expr = field.default.as_ref()?;
        if let Type::Optional(_) = ty {
            self.errors
                .push(SchemaError::OptionalDefault(OptionalDefault::new(
                    &field.name.name,
                    file,
                    expr.span,
                )));
            return None;
        }
        self.constant(file, &field.name.name, expr, ty)
    }

    /// Converts a default to a value of `ty`, reporting every mismatch.
    fn constant(&mut self, file: SourceId, field: &str, expr: &Expr, ty: &Type) -> Option<Value> {
        let at = Origin {
            source: file,
            span: expr.span,
        };
        match (ty, &expr.kind) {
            // A hole left by the parser: the syntax error is already reported.
            (_, ExprKind::Error) => None,
            (Type::Bool, ExprKind::Bool(b)) => Some(Value::Bool(*b)),
            (Type::Int, ExprKind::Int(i)) => Some(Value::Int(*i)),
            (Type::Text, ExprKind::Str(s)) => Some(Value::Text(self.schema.strings.intern(s))),
            (Type::Enum(id), ExprKind::Name(ident)) => self.variant(field, *id, &ident.name, at),
            (Type::Enum(id), ExprKind::Field(base, ident)) if matches!(&base.kind, ExprKind::Name(b) if self.enum_name(*id) == b.name) => {
                self.variant(field, *id, &ident.name, at)
            }
            (Type::Ref(kind), _) => {
                let name = self
                    .schema
                    .entity(*kind)
                    .map_or("", |e| e.name.as_str())
                    .to_owned();
                self.errors.push(SchemaError::BadDefault(BadDefault::new(
                    field,
                    "a reference cannot have a default".to_owned(),
                    format!("a default for a reference to `{name}`"),
                    at,
                    Some(format!(
                        "a reference names an entity of the proposal; write `{name}?` to let a proposal leave it out"
                    )),
                )));
                None
            }
            (Type::List(inner), ExprKind::List(items)) => {
                let mut values = Vec::with_capacity(items.len());
                let mut ok = true;
                for item in items {
                    match self.constant(file, field, item, inner) {
                        Some(v) => values.push(v),
                        None => ok = false,
                    }
                }
                ok.then(|| Value::List(values.into_boxed_slice()))
            }
            (_, kind) => {
                let expected = self.describe(ty);
                let found = describe_expr(kind);
                let help = match (ty, kind) {
                    (Type::Enum(_), ExprKind::Str(s)) => {
                        Some(format!("write the variant without quotes: `{s}`"))
                    }
                    (Type::List(_), ExprKind::Name(n)) => {
                        Some(format!("write a list: `[{}]`", n.name))
                    }
                    (Type::List(_), _) => Some("write a list, such as `[]` for none".to_owned()),
                    _ => None,
                };
                self.errors.push(SchemaError::BadDefault(BadDefault::new(
                    field,
                    format!("expected {expected}, found {found}"),
                    format!("expected {expected}"),
                    at,
                    help,
                )));
                None
            }
        }
    }

    fn enum_name(&self, id: EnumId) -> &str {
        self.schema.enum_def(id).map_or("", |e| e.name.as_str())
    }

    fn variant(&mut self, field: &str, id: EnumId, name: &str, at: Origin) -> Option<Value> {
        let def = self.schema.enum_def(id)?;
        if let Some(index) = def.variant(name) {
            return Some(Value::Enum(index));
        }
        let guess = closest(name, def.variants.iter().map(|v| v.name.as_str()));
        let help = did_you_mean(name, def.variants.iter().map(|v| v.name.as_str()))
            .or_else(|| {
                Some(format!(
                    "the values of `{}` are {}",
                    def.name,
                    one_of(def.variants.iter().map(|v| v.name.as_str()), 12)
                ))
            })
            .filter(|_| !def.variants.is_empty());
        let problem = format!("`{name}` is not a value of `{}`", def.name);
        let label = format!("not a value of `{}`", def.name);
        let mut error = BadDefault::new(field, problem, label, at, help);
        if let Some(guess) = guess {
            error = error.with_fix(Fix::rename(name, at.span, guess));
        }
        self.errors.push(SchemaError::BadDefault(error));
        None
    }

    fn describe(&self, ty: &Type) -> String {
        match ty {
            Type::Bool => "a boolean".to_owned(),
            Type::Int => "an integer".to_owned(),
            Type::Text => "a string".to_owned(),
            Type::Enum(id) => {
                let name = self.enum_name(*id);
                format!("{} `{name}` value", article(name))
            }
            Type::Ref(_) | Type::Optional(_) => "a value".to_owned(),
            Type::List(_) => "a list".to_owned(),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Position {
    /// The whole type of a field, where `?` is allowed.
    Field,
    /// Inside a list or an optional.
    Nested,
}

fn describe_expr(kind: &ExprKind) -> &'static str {
    match kind {
        ExprKind::Bool(_) => "a boolean",
        ExprKind::Int(_) => "an integer",
        ExprKind::Str(_) => "a string",
        ExprKind::Name(_) => "a name",
        ExprKind::List(_) => "a list",
        _ => "an expression",
    }
}
