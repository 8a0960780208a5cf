//! The `json`, `json-lines` and `lsp` outputs of every proposal under
//! `fixtures/` validate against the schemas published in `docs/schema/`.
//!
//! The schemas are strict: an object may hold only the fields they list,
//! and every field that is always present is required. So that a field
//! added to an output without a schema change fails here, every kind of
//! object the runs print is mutated once with an extra field, and once
//! without each of its fields, and the schema must reject each mutation.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use lacuna_report::JSON_SCHEMA_VERSION;
use serde_json::Value;

use crate::{CLEAN, Run, STATUS_QUO, check, check_stdin, root};

/// The fixing flags that change what the machine formats carry: fixes of
/// problems only, safe fixes of findings too, and every fix.
const FIX_MODES: [&[&str]; 3] = [&[], &["--show-fixes"], &["--show-fixes", "--unsafe-fixes"]];

/// The one fixture directory whose proposals print no report: its
/// configuration file does not load, so the run stops before checking.
const BROKEN_CONFIG: &str = "fixtures/check/broken-config";

/// A machine format and what its schema must be shown to cover.
struct Machine {
    format: &'static str,
    /// The schema's name in `docs/schema/`, before `-vN.json`.
    schema: &'static str,
    /// Fields the output leaves out when they would be empty.
    optional: &'static [&'static str],
    /// Object shapes (pointers with `*` for array indices and file names)
    /// the runs must print at least once, so that the schema's branches
    /// for problems, evidence and fixes are exercised.
    expected: &'static [&'static str],
}

const JSON: Machine = Machine {
    format: "json",
    schema: "json",
    optional: &["fixes"],
    expected: &[
        "/findings/*/subject",
        "/findings/*/evidence/*/location/span",
        "/findings/*/fixes/*/edits/*/location/start",
        "/problems/*/related/*/location/end",
        "/problems/*/fixes/*/edits/*/location",
        "/norms/*/location",
        "/summary",
    ],
};

const JSON_LINES: Machine = Machine {
    format: "json-lines",
    schema: "json-lines",
    optional: &["fixes"],
    expected: &[
        "finding/subject",
        "finding/evidence/*/location/span",
        "finding/fixes/*/edits/*/location/start",
        "problem/related/*/location/end",
        "problem/fixes/*/edits/*/location",
    ],
};

const LSP: Machine = Machine {
    format: "lsp",
    schema: "lsp",
    optional: &["relatedInformation", "fixes"],
    expected: &[
        "/*/*/range/start",
        "/*/*/relatedInformation/*/location/range",
        "/*/*/data/fixes/*/edits/*/range/end",
    ],
};

/// The published schema `docs/schema/NAME-vN.json` for the current version.
fn schema(name: &str) -> Value {
    let path = root().join(format!("docs/schema/{name}-v{JSON_SCHEMA_VERSION}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; a new output version needs new schemas",
            path.display()
        )
    });
    let schema: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
        "{name}"
    );
    assert_eq!(
        schema["$id"],
        format!("urn:lacuna:schema:{name}-v{JSON_SCHEMA_VERSION}"),
        "{name}"
    );
    if let Err(error) = jsonschema::meta::validate(&schema) {
        panic!("{name} is not a valid schema: {error}");
    }
    schema
}

fn validator(name: &str) -> jsonschema::Validator {
    jsonschema::options().build(&schema(name)).unwrap()
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// The proposals under `fixtures/`, every `.toml` and `.json` file but the
/// configuration files, grouped by directory and sorted, so that each
/// group is one run, as `lacuna check DIR` would check it.
fn proposal_groups() -> BTreeMap<String, Vec<String>> {
    fn walk(dir: &Path, relative: &str, groups: &mut BTreeMap<String, Vec<String>>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap())
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name().into_string().unwrap();
            let path = format!("{relative}/{name}");
            if entry.file_type().unwrap().is_dir() {
                walk(&entry.path(), &path, groups);
            } else if (name.ends_with(".toml") || name.ends_with(".json")) && name != "lacuna.toml"
            {
                groups.entry(relative.to_owned()).or_default().push(path);
            }
        }
    }
    let mut groups = BTreeMap::new();
    walk(&root().join("fixtures"), "fixtures", &mut groups);
    groups
}

/// Every run whose output is validated: each group of proposals in each
/// fixing mode, then runs that reach other paths of the report: broken
/// rule files beside a proposal, a configuration that fails on warnings,
/// and a broken proposal on standard input.
fn runs(format: &str) -> Vec<(String, Run)> {
    let groups = proposal_groups();
    assert!(groups.len() > 40, "{groups:?}");
    let mut runs = Vec::new();
    for (dir, files) in &groups {
        for mode in FIX_MODES {
            let mut args: Vec<&str> = files.iter().map(String::as_str).collect();
            args.extend(["--format", format]);
            args.extend(mode);
            let run = check(&args);
            if dir == BROKEN_CONFIG {
                assert_eq!((run.code, run.stdout.as_str()), (Some(2), ""), "{run:?}");
                continue;
            }
            runs.push((args.join(" "), run));
        }
    }
    for args in [
        &[CLEAN, "--rules", "fixtures/check/broken-rules"][..],
        &[STATUS_QUO, "--config", "fixtures/check/strict/lacuna.toml"],
    ] {
        let mut args = args.to_vec();
        args.extend(["--format", format]);
        runs.push((args.join(" "), check(&args)));
    }
    let typo = b"[proposal]\ntitel = \"A typo\"\n[group.x\n";
    let stdin = check_stdin("draft.toml", typo, &["--format", format]);
    runs.push(("--stdin-filename draft.toml".to_owned(), stdin));
    runs
}

/// Every object in `value` under `pointer`, by shape: the pointer with
/// array indices, and the file names of `lsp`'s top level, written `*`,
/// after `shape`, the shape of `value`.
/// The first object of each shape is kept, as (document, pointer).
fn objects(
    value: &Value,
    pointer: &str,
    shape: &str,
    document: usize,
    files_at_top: bool,
    out: &mut BTreeMap<String, (usize, String)>,
) {
    match value {
        Value::Object(fields) => {
            out.entry(shape.to_owned())
                .or_insert_with(|| (document, pointer.to_owned()));
            for (key, field) in fields {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                let step = if files_at_top && pointer.is_empty() {
                    "*"
                } else {
                    escaped.as_str()
                };
                objects(
                    field,
                    &format!("{pointer}/{escaped}"),
                    &format!("{shape}/{step}"),
                    document,
                    false,
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                objects(
                    item,
                    &format!("{pointer}/{i}"),
                    &format!("{shape}/*"),
                    document,
                    false,
                    out,
                );
            }
        }
        _ => {}
    }
}

fn validates_every_fixture(machine: &Machine) {
    let validator = validator(machine.schema);
    let is_lsp = machine.format == "lsp";
    // The documents that showed an object shape first, and where.
    let mut documents: Vec<Value> = Vec::new();
    let mut shapes: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut with_problems = 0;
    for (args, run) in runs(machine.format) {
        assert!(matches!(run.code, Some(0..=2)), "{args}: {run:?}");
        let instances: Vec<Value> = if machine.format == "json-lines" {
            run.stdout
                .lines()
                .map(|line| serde_json::from_str(line).unwrap())
                .collect()
        } else {
            vec![serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{args}: {e}"))]
        };
        if run.code == Some(2) {
            with_problems += 1;
        }
        for instance in instances {
            let errors = errors(&validator, &instance);
            assert!(errors.is_empty(), "{args}: {errors:#?}\n{instance:#}");
            // A line of `json-lines` is a finding or a problem: each kind
            // is a shape of its own.
            let top = match machine.format {
                "json-lines" => instance["kind"].as_str().unwrap().to_owned(),
                _ => String::new(),
            };
            let before = shapes.len();
            objects(&instance, "", &top, documents.len(), is_lsp, &mut shapes);
            if shapes.len() > before {
                documents.push(instance);
            }
        }
    }
    assert!(with_problems > 10, "{with_problems} runs with problems");
    for shape in machine.expected {
        assert!(shapes.contains_key(*shape), "no run printed `{shape}`");
    }

    // Every kind of object, with a field added or one taken away, breaks
    // the schema; only the fields left out when empty may be missing.
    let mut checked = 0;
    for (shape, (document, pointer)) in &shapes {
        if is_lsp && shape.is_empty() {
            // The top level maps file names; any name is allowed.
            continue;
        }
        let original = documents.get(*document).unwrap();
        let mutate = |change: &dyn Fn(&mut serde_json::Map<String, Value>)| {
            let mut copy = original.clone();
            let object = copy.pointer_mut(pointer).unwrap().as_object_mut().unwrap();
            change(object);
            copy
        };
        let extra = mutate(&|object| {
            object.insert("unexpected".to_owned(), Value::Bool(true));
        });
        assert!(
            !validator.is_valid(&extra),
            "{}: an extra field at `{shape}` validates",
            machine.format
        );
        let keys: Vec<String> = original
            .pointer(pointer)
            .unwrap()
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        for key in keys {
            let without = mutate(&|object| {
                object.remove(&key);
            });
            let optional = machine.optional.contains(&key.as_str());
            assert_eq!(
                validator.is_valid(&without),
                optional,
                "{}: without `{key}` at `{shape}`",
                machine.format
            );
        }
        checked += 1;
    }
    assert!(
        checked >= machine.expected.len(),
        "{checked} shapes checked"
    );
}

#[test]
fn json_of_every_fixture_validates() {
    validates_every_fixture(&JSON);
}

#[test]
fn json_lines_of_every_fixture_validates() {
    validates_every_fixture(&JSON_LINES);
}

#[test]
fn lsp_of_every_fixture_validates() {
    validates_every_fixture(&LSP);
}

#[test]
fn json_lines_repeats_the_definitions_of_json() {
    let json = schema("json");
    let lines = schema("json-lines");
    let definitions = lines["$defs"].as_object().unwrap();
    assert!(definitions.contains_key("finding") && definitions.contains_key("problem"));
    for (name, definition) in definitions {
        assert_eq!(definition, &json["$defs"][name], "`{name}` differs");
    }
    // Nothing in `json-lines` goes unused.
    let text = lines.to_string();
    let unused: BTreeSet<&String> = definitions
        .keys()
        .filter(|name| !text.contains(&format!("\"#/$defs/{name}\"")))
        .collect();
    assert!(unused.is_empty(), "{unused:?}");
}
