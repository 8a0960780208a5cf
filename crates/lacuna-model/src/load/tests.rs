use insta::assert_snapshot;

use super::Format;
use crate::testing::check;

fn toml(name: &str, text: &str) -> String {
    check(name, text, Format::Toml)
}

fn json(name: &str, text: &str) -> String {
    check(name, text, Format::Json)
}

#[test]
fn valid_toml() {
    assert_snapshot!(toml(
        "ok.toml",
        r#"
[proposal]
title = "Status quo"
priorities = ["security", "rights"]

[group.refugees]
area = "refugees"
vulnerable = true
examples = ["Syrians in Turkey"]

[actor.UNHCR]
kind = "agency"
field_presence = true

[[mandate]]
actor = "UNHCR"
function = "protection"
group = "refugees"
"#
    ));
}

#[test]
fn every_mistake_at_once() {
    assert_snapshot!(toml(
        "bad.toml",
        r#"
[proposal]
title = 3

[group.refugees]
area = "refugess"
vulnerable = "true"
size = "12"
examples = "one"

[group.survival]
vulnerabel = true

[actor.UNHCR]
kind = "agency"

[forum.GFMD]

[[mandate]]
actor = "UNHRC"
function = "protection"
group = "refugees"

[[mandate]]
actor = "GFMD"
function = "protection"
group = "nobody"

[grop.x]
"#
    ));
}

#[test]
fn wrong_shapes() {
    assert_snapshot!(toml(
        "shapes.toml",
        r#"
[[group]]
area = "refugees"

[mandate.first]
actor = "x"

[[proposal]]
title = "x"

[actor]
kind = "agency"
"#
    ));
}

#[test]
fn json_mistakes() {
    assert_snapshot!(json(
        "bad.json",
        r#"{
  "proposal": {"title": "x", "title": "y"},
  "group": {
    "refugees": {"area": "refugees", "vulnerable": null, "name": null},
    "refugees": {"area": "survival"}
  },
  "mandate": {"a": {}},
  "actor": [{"kind": "state"}]
}"#
    ));
}

#[test]
fn json_syntax() {
    assert_snapshot!(json("comma.json", "{\"proposal\": {\"title\": \"x\",}}"));
}

#[test]
fn empty_files() {
    assert_snapshot!(toml("empty.toml", ""));
    assert_snapshot!("empty_json", json("empty.json", ""));
    assert_snapshot!(
        "comments_only",
        toml("comments.toml", "# nothing\n# here\n")
    );
}

#[test]
fn toml_syntax_errors_are_all_reported() {
    assert_snapshot!(toml(
        "syntax.toml",
        "[proposal]\ntitle = \"x\n\n[group.a]\narea = refugees\n\n[group.a]\narea = \"survival\"\nwhen = 2010-05-01\n"
    ));
}

#[test]
fn deep_nesting() {
    let deep = format!("[proposal]\ntitle = {}", "[\n".repeat(100_000));
    assert_snapshot!(toml("deep.toml", &deep));
    let deep = format!("{{\"proposal\": {}", "{\"a\":\n".repeat(100_000));
    assert_snapshot!("deep_json", json("deep.json", &deep));
}

#[test]
fn bom_crlf_and_unicode() {
    assert_snapshot!(toml(
        "bom.toml",
        "\u{feff}[proposal]\r\ntitle = \"Genève\"\r\n\r\n[group.\"réfugiés\"]\r\narea = \"réfugiés\"\r\n"
    ));
    assert_snapshot!(
        "bom_json",
        json(
            "bom.json",
            "\u{feff}{\"proposal\": {\"title\": \"Genève\"}, \"group\": {\"é\": {\"area\": \"x\"}}}"
        )
    );
}

#[test]
fn integers() {
    assert_snapshot!(toml(
        "ints.toml",
        "[proposal]\ntitle = \"x\"\n\n[group.a]\narea = \"refugees\"\nsize = 99999999999999999999\n\n[group.b]\narea = \"refugees\"\nsize = 2.5\n\n[group.c]\narea = \"refugees\"\nsize = -0x10\n\n[group.d]\narea = \"refugees\"\nsize = 0x7fffffffffffffff\n\n[group.e]\narea = \"refugees\"\nsize = 1_000\n\n[group.\"\"]\narea = \"refugees\"\n"
    ));
}

#[test]
fn spans_and_lookups() {
    let schema = crate::testing::schema();
    let text = "[proposal]\ntitle = \"x\"\n\n[group.refugees]\narea = \"refugees\"\nexamples = [\"a\", \"bc\"]\n\n[actor.UNHCR]\nkind = \"agency\"\n\n[[mandate]]\nactor = \"UNHCR\"\nfunction = \"protection\"\ngroup = \"refugees\"\n";
    let (facts, errors) = super::load(&schema, crate::SourceId(3), text, Format::Toml);
    assert!(errors.is_empty(), "{errors:?}");
    let group = schema.kind_id("group").unwrap();
    let r = facts.lookup(group, "refugees").unwrap();
    let entity = facts.entity(r).unwrap();
    assert_eq!(entity.span.text(text), "[group.refugees]");
    assert_eq!(entity.display, "refugees");
    let (examples, _) = schema.entity(group).unwrap().field("examples").unwrap();
    let fact = entity.field(examples).unwrap();
    assert_eq!(fact.key_span.unwrap().text(text), "examples");
    assert_eq!(fact.span.unwrap().text(text), "[\"a\", \"bc\"]");
    let items: Vec<&str> = fact.item_spans.iter().map(|s| s.text(text)).collect();
    assert_eq!(items, ["\"a\"", "\"bc\""]);
    let (vulnerable, _) = schema.entity(group).unwrap().field("vulnerable").unwrap();
    assert_eq!(
        entity.field(vulnerable).unwrap().span,
        None,
        "a default has no span"
    );
    let mandate = schema.kind_id("mandate").unwrap();
    let m = &facts.entities(mandate)[0];
    assert_eq!(m.display, "mandate[0]");
    assert_eq!(m.span.text(text), "[[mandate]]");
    let actor = schema.kind_id("actor").unwrap();
    assert_eq!(
        m.fields[0].value,
        crate::Value::Ref(facts.lookup(actor, "UNHCR").unwrap())
    );
    assert_eq!(facts.lookup(actor, "refugees"), None);
    assert_eq!(facts.source, crate::SourceId(3));
    let proposal = schema.kind_id("proposal").unwrap();
    assert_eq!(facts.entities(proposal)[0].display, "proposal");
}

#[test]
fn json_spans_and_nulls() {
    let schema = crate::testing::schema();
    let text = "{\"proposal\": {\"title\": \"x\"}, \"group\": {\"refugees\": {\"area\": \"refugees\", \"name\": null}}, \"mandate\": [{\"actor\": \"UNHCR\", \"function\": \"protection\", \"group\": \"refugees\"}], \"actor\": {\"UNHCR\": {\"kind\": \"state\"}}}";
    let (facts, errors) = super::load(&schema, crate::SourceId(0), text, Format::Json);
    assert!(errors.is_empty(), "{errors:?}");
    let group = schema.kind_id("group").unwrap();
    let entity = &facts.entities(group)[0];
    assert_eq!(entity.span.text(text), "\"refugees\"");
    let (name, _) = schema.entity(group).unwrap().field("name").unwrap();
    assert_eq!(entity.value(name), &crate::Value::Absent);
    let mandate = &facts.entities(schema.kind_id("mandate").unwrap())[0];
    assert!(
        mandate.span.text(text).starts_with("{\"actor\""),
        "a one-line object is its own header"
    );
}

#[test]
fn inline_tables_point_at_keys() {
    assert_snapshot!(toml(
        "inline.toml",
        "proposal = { title = \"x\" }\ngroup.refugees = { area = \"refugess\" }\ngroup.survival.vulnerable = true\nmandate = [\n  { actor = \"nobody\", function = \"protection\", group = \"refugees\" },\n]\n"
    ));
}
