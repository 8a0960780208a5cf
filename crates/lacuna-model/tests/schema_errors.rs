//! `build_schema` on small rule files: every mistake it reports, rendered,
//! and the schema it builds from a sound file.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use insta::assert_snapshot;
use lacuna_model::{Schema, SchemaError, SourceId, Type, Value, build_schema};

fn build(files: &[&str]) -> (Schema, Vec<SchemaError>) {
    let asts: Vec<_> = files
        .iter()
        .map(|text| {
            let (ast, syntax) = lacuna_syntax::parse(text);
            assert!(syntax.is_empty(), "{syntax:?}");
            ast
        })
        .collect();
    let files: Vec<_> = asts
        .iter()
        .enumerate()
        .map(|(i, ast)| (SourceId(i as u32), ast))
        .collect();
    build_schema(&files)
}

/// Builds one file and renders its errors; panics when there are none.
fn check(text: &str) -> String {
    let (_, errors) = build(&[text]);
    assert!(!errors.is_empty(), "no error in\n{text}");
    for e in &errors {
        assert_eq!(e.origin().source, SourceId(0));
    }
    support::render(errors, "schema.norm", text)
}

#[test]
fn unknown_type() {
    assert_snapshot!(check(
        "enum area { refugees, survival }\n\nentity group {\n  area: aera\n  size: integer\n  name: text?\n}\n"
    ));
}

#[test]
fn duplicates() {
    assert_snapshot!(check(
        "enum area { refugees, survival, refugees }\n\nenum area { labour }\n\nentity group {\n  area: area\n  name: text?\n  area: area\n}\n\nentity group { name: text }\n"
    ));
}

#[test]
fn enum_and_entity_share_a_name() {
    assert_snapshot!(check(
        "enum actor { state, agency }\n\nentity actor {\n  kind: actor\n}\n"
    ));
}

#[test]
fn builtin_redeclared() {
    assert_snapshot!(check("enum text { short, long }\n\nentity bool { }\n"));
}

#[test]
fn reference_to_unkeyed_kind() {
    assert_snapshot!(check(
        "entity proposal (singleton) { title: text }\n\nentity mandate (list) { note: text? }\n\nentity actor {\n  proposal: proposal\n  mandates: [mandate]\n}\n"
    ));
}

#[test]
fn bad_defaults() {
    assert_snapshot!(check(
        "enum agenda { thematic, continuous }\n\nentity actor { }\n\nentity forum {\n  permanent: bool = \"yes\"\n  agenda: agenda = thematc\n  quoted: agenda = \"thematic\"\n  topics: [agenda] = thematic\n  meetings: int = true\n  host: actor = \"UNHCR\"\n  list: [int] = [1, false]\n}\n"
    ));
}

#[test]
fn blank_kind_names() {
    assert_snapshot!(check(
        "entity coordination \"\" \"  \" {\n  permanent: bool = false\n}\n"
    ));
}

#[test]
fn optional_with_default() {
    assert_snapshot!(check("entity group {\n  name: text? = \"unnamed\"\n}\n"));
}

#[test]
fn enum_without_variants() {
    // The parser rejects `enum skill { }`; a tree built otherwise may still lack variants.
    let text = "enum skill { low }\n\nentity group {\n  skill: skill?\n}\n";
    let (mut ast, _) = lacuna_syntax::parse(text);
    let lacuna_syntax::ast::Item::Enum(decl) = &mut ast.items[0] else {
        panic!()
    };
    decl.variants.clear();
    let (schema, errors) = build_schema(&[(SourceId(0), &ast)]);
    assert!(schema.enum_id("skill").is_some(), "the enum is kept");
    assert_snapshot!(support::render(errors, "schema.norm", text));
}

#[test]
fn nested_optional() {
    assert_snapshot!(check("entity group {\n  names: [text?] = []\n}\n"));
}

#[test]
fn duplicate_across_files_names_the_other_file() {
    let (_, errors) = build(&["enum area { refugees }\n", "enum area { labour }\n"]);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].origin().source, SourceId(1));
    assert_eq!(errors[0].related_origin().unwrap().source, SourceId(0));
    assert_snapshot!(support::render(
        errors,
        "second.norm",
        "enum area { labour }\n"
    ));
}

#[test]
fn sound_schema_resolves_types_defaults_and_docs() {
    let (schema, errors) = build(&[
        "entity mandate (list) {\n  actor: actor\n  basis: instrument?\n}\n",
        "/// What an actor is.\n///\n/// Second paragraph.\nenum kind {\n  /// A state.\n  state,\n  agency\n}\n\nentity actor {\n  kind: kind = agency\n  /// Where it leads.\n  lead: [kind] = [state, kind.agency]\n  name: text = \"unnamed\"\n  size: int = -3\n}\n\nentity instrument { binding: bool = false }\n",
    ]);
    assert!(errors.is_empty(), "{errors:?}");
    let kind = schema.enum_id("kind").unwrap();
    let def = schema.enum_def(kind).unwrap();
    assert_eq!(
        def.doc.as_deref(),
        Some("What an actor is.\n\nSecond paragraph.")
    );
    assert_eq!(def.variants[0].doc.as_deref(), Some("A state."));
    let actor = schema.entity(schema.kind_id("actor").unwrap()).unwrap();
    let fields: Vec<_> = actor
        .fields
        .iter()
        .map(|f| format!("{}: {} = {:?}", f.name, schema.type_name(&f.ty), f.default))
        .collect();
    assert_eq!(
        fields,
        [
            "kind: kind = Some(Enum(1))",
            "lead: [kind] = Some(List([Enum(0), Enum(1)]))",
            "name: text = Some(Text(Sym(0)))",
            "size: int = Some(Int(-3))",
        ]
    );
    assert_eq!(actor.fields[1].doc.as_deref(), Some("Where it leads."));
    let Some(Value::Text(sym)) = &actor.fields[2].default else {
        panic!()
    };
    assert_eq!(schema.strings.resolve(*sym), "unnamed");
    let mandate = schema.entity(schema.kind_id("mandate").unwrap()).unwrap();
    assert_eq!(
        mandate.fields[0].ty,
        Type::Ref(schema.kind_id("actor").unwrap())
    );
    assert_eq!(
        mandate.fields[1].ty,
        Type::Optional(Box::new(Type::Ref(schema.kind_id("instrument").unwrap())))
    );
    assert!(mandate.fields[0].is_required() && !mandate.fields[1].is_required());
}

#[test]
fn project_schema_has_no_errors() {
    let schema = support::project_schema();
    assert!(schema.kind_id("proposal").is_some());
    assert!(schema.entities.len() >= 5);
}
