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
    assert_eq!(facts.name(r), "refugees");
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
    let first = crate::EntityRef {
        kind: mandate,
        index: 0,
    };
    assert_eq!(facts.name(first), "mandate[0]");
    assert_eq!(m.span.text(text), "[[mandate]]");
    let actor = schema.kind_id("actor").unwrap();
    assert_eq!(
        m.fields[0].value,
        crate::Value::Ref(facts.lookup(actor, "UNHCR").unwrap())
    );
    assert_eq!(facts.lookup(actor, "refugees"), None);
    assert_eq!(facts.source, crate::SourceId(3));
    let proposal = schema.kind_id("proposal").unwrap();
    let only = crate::EntityRef {
        kind: proposal,
        index: 0,
    };
    assert_eq!(facts.name(only), "proposal");
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

/// The quick JSON parse skips entities unchecked and checks them as it reads
/// them, and most entities are read straight from their tokens; whatever
/// the text, the load must be the one of the checked parse read from nodes.
#[test]
fn quick_and_flat_json_loads_agree_with_checked_nodes() {
    let schema = crate::testing::schema();
    let deep = format!(
        r#"{{"proposal": {{"title": "x"}}, "group": {{"g": {}{}}}}}"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    let texts = [
        r#"{"proposal": {"title": "x"}, "group": {"refugees": {"area": "refugees", "vulnerable": true}}, "actor": {"UNHCR": {"kind": "agency"}}, "mandate": [{"actor": "UNHCR", "function": "protection", "group": "refugees"}]}"#,
        r#"{"proposal": {"title": "x", "priorities": ["rights", "economy"]}, "group": {"g": {"area": "survival", "vulnerable": false, "name": null, "size": 12, "examples": ["a", "b\u00e9\n"]}, "h": {}}, "actor": {"a": {"kind": "state", "lead_for": []}, "b": {"kind": "ngo", "lead_for": ["survival", "irregular"], "field_presence": true}}, "mandate": [{"actor": "b", "function": "assistance", "group": "h", "note": "n"}, {"actor": "a", "function": "protection", "group": "g", "note": null}], "forum": {"f": {"permanent": true}}}"#,
        "{\"proposal\": {\"title\": \"x\"},\r\n \"group\": {\"g\": {\"area\":\t\"refugees\" , \"examples\" : [ \"a\" , \"b\" ] }}}",
        r#"{"proposal": {"title": "x"}, "mandate": [{"actor": "later", "function": "protection", "group": "g"}], "actor": {"later": {"kind": "agency"}}, "group": {"g": {"area": "refugees"}}}"#,
        r#"{"proposal": {"title": "x"}, "group": {"g": {"area": "refugees", "size": 99999999999999999999}}}"#,
        r#"{"proposal": {"title": "x"}, "group": {"g": {"area": "refugees", "size": 1.5}}}"#,
        r#"{"proposal": {"title": "x"}, "group": {"g": {"area": "refugess"}}}"#,
        r#"{"proposal": {"title": "x"}, "group": {"g": {"area": "refugees", "examples": ["a", 3]}}}"#,
        r#"{"proposal": {"title": "x"}, "group": {"g": {"area": "refugees", "examples": "a"}}}"#,
        r#"{"proposal": {"title": "x"}, "group": {"g": {"area": "refugees", "vulnerable": null}}}"#,
        r#"{"proposal": {"title": "x"}, "group": {"g": {"vulnerable": true}}}"#,
        r#"{"proposal": {"title": "x"}, "actor": {"a": {"kind": "agency"}}, "mandate": [{"actor": "b", "function": "protection", "group": "a"}]}"#,
        r#"{"proposal": {"title": "x"}, "group": {"g": {"area": "refugees", "bogus": 1}}}"#,
        r#"{"proposal": {"title": "x"}, "group": {"g": []}, "mandate": [[], 1]}"#,
        r#"{"proposal": {"title": "x"}, "bogus": {"x": {"y": [1,}}}"#,
        r#"{"proposal": {"title": "x"}, "group": {"g": {"area": "labour", "area": "family"}}}"#,
        r#"{"proposal": {"title": "x"}, "group": {"g": {"area": "labour"}, "g": {"area": "x"]}}}"#,
        r#"{"proposal": {"title": "x", "extra": {"a": {"b": tru}}}}"#,
        r#"{"proposal": {"title": "x"}, "group": {"g": {"area": "labour" "vulnerable": true}}}"#,
        r#"{"proposal": {"title": "x"}, "group": {"g": {"area": "lab}our"}}}"#,
        r#"{"proposal": {"title": "x"}, "group": {"g": {"examples": ["a", {"b": 1,}]}}}"#,
        r#"{"proposal": {"title": "x"}, "group": {"g": {"examples": ["a",]}}}"#,
        r#"{"proposal": {"title": "x"}, "group": {"g": {"area": "refugees",}}}"#,
        "{\"proposal\": {\"title\": \"x\"}, \"mandate\": [{\"actor\": \"a\" // c\n}]}",
        r#"{"proposal": {"title": "x"}, "group": {"g": {"area": "labour"}}} trailing"#,
        r#"{"proposal": {"title": "x\u00e9\"q"}, "group": {"g\u0031": {"area": "refu\u0067ees"}}}"#,
        r#"{"proposal": {"title": "x"}, "group": {"g": {"area": "labour"}}, "group": {"h": {}}}"#,
        r#"{"proposal": {"title": "x"}, "group": {"g": {"area": "refugees"}}, "actor": {"a": {"kind": "agency", "field_presence": "yes"}}}"#,
        &deep,
    ];
    let new_facts = || crate::Facts::new(crate::SourceId(1), &schema);
    for text in texts {
        let parsed = super::json::parse_checked(text);
        let reference = super::read(&schema, text, Format::Json, new_facts(), parsed, false)
            .unwrap_or_else(|| unreachable!("a checked parse is read in one go"));
        let quick = super::load(&schema, crate::SourceId(1), text, Format::Json);
        assert_eq!(
            format!("{:?}", quick.1),
            format!("{:?}", reference.1),
            "errors of {text}"
        );
        assert_eq!(
            crate::dump(&schema, &quick.0),
            crate::dump(&schema, &reference.0),
            "facts of {text}"
        );
        assert_eq!(quick.0.kinds, reference.0.kinds, "entities of {text}");
    }
}
