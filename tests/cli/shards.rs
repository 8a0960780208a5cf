//! `--shard I/N` splits the files of a run into N disjoint parts whose union
//! is the whole run.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::{check, check_json};

const CORPUS: &str = "fixtures/proposals";

/// The files a `json` report has findings for.
fn files_of(json: &Value) -> BTreeSet<String> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["location"]["file"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_shards_of_a_directory_add_up_to_the_whole_run() {
    let (whole_run, whole) = check_json(&[CORPUS]);
    assert_eq!(whole_run.code, Some(1), "{whole_run:?}");
    let files_checked = whole["summary"]["files_checked"].as_u64().unwrap();
    assert_eq!(files_checked, 6);
    // Every worked proposal has findings, so the files with findings are
    // the files checked.
    assert_eq!(files_of(&whole).len(), 6);

    for count in 1..=4 {
        let mut findings: Vec<Value> = Vec::new();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut checked = 0;
        for index in 1..=count {
            let shard = format!("{index}/{count}");
            let (run, part) = check_json(&[CORPUS, "--shard", &shard]);
            assert_ne!(run.code, Some(2), "{shard}: {run:?}");
            checked += part["summary"]["files_checked"].as_u64().unwrap();
            let files = files_of(&part);
            assert!(
                seen.is_disjoint(&files),
                "{shard} repeats files of an earlier shard: {files:?}"
            );
            seen.extend(files);
            findings.extend(part["findings"].as_array().unwrap().iter().cloned());
        }
        assert_eq!(checked, files_checked, "{count} shards");
        // Each file's findings come from one shard, in order: sorting by file
        // alone restores the order of the whole run.
        findings.sort_by(|a, b| {
            a["location"]["file"]
                .as_str()
                .cmp(&b["location"]["file"].as_str())
        });
        assert_eq!(Value::from(findings), whole["findings"], "{count} shards");
    }
}

#[test]
fn shards_are_deterministic_and_do_not_depend_on_how_files_are_given() {
    let listed: Vec<String> = std::fs::read_dir(crate::root().join(CORPUS))
        .unwrap()
        .map(|e| format!("{CORPUS}/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    for index in 1..=3 {
        let shard = format!("{index}/3");
        let first = check(&[CORPUS, "--shard", &shard, "--format", "json"]);
        let again = check(&[CORPUS, "--shard", &shard, "--format", "json"]);
        assert_eq!(first.stdout, again.stdout, "{shard}");
        // The same files, named one by one in whatever order the directory
        // lists them.
        let mut args: Vec<&str> = listed.iter().map(String::as_str).collect();
        args.extend(["--shard", &shard, "--format", "json"]);
        let named = check(&args);
        assert_eq!(first.stdout, named.stdout, "{shard}");
    }
}

#[test]
fn an_empty_shard_checks_nothing() {
    // One file in three shards: two of them are empty, and succeed.
    let mut empty = 0;
    for index in 1..=3 {
        let shard = format!("{index}/3");
        let (run, json) = check_json(&[crate::CLEAN, "--shard", &shard]);
        assert_eq!(run.code, Some(0), "{run:?}");
        if json["summary"]["files_checked"] == 0 {
            empty += 1;
        }
    }
    assert_eq!(empty, 2);
}
