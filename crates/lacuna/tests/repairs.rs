//! Verified repairs: every repair offered for every proposal under
//! `fixtures/` closes its finding and opens none of the same or higher
//! severity, as checking the repaired proposal again shows.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use lacuna::{Diagnostic, Engine, FindingFixes, Format, Policy, SourceId, standard_rules};

fn proposals(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            proposals(&path, found);
        } else if Format::from_path(&path).is_some()
            && path.file_name().is_some_and(|n| n != "lacuna.toml")
        {
            found.push(path);
        }
    }
}

fn key(f: &Diagnostic) -> (String, String) {
    (
        f.code.as_str().to_owned(),
        f.subject
            .as_ref()
            .map_or_else(|| "proposal".to_owned(), |s| s.path()),
    )
}

fn policy(fixes: FindingFixes) -> Policy<'static> {
    Policy {
        finding_fixes: fixes,
        ..Policy::all()
    }
}

#[test]
fn every_repair_closes_its_finding_and_opens_nothing_as_severe() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let mut files = Vec::new();
    proposals(&root, &mut files);
    files.sort();
    let (engine, problems) = Engine::build(standard_rules());
    assert!(problems.is_empty());
    let mut repairs = 0;
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let format = Format::from_path(path).unwrap();
        let checked = engine.check_with(SourceId(0), &bytes, format, &policy(FindingFixes::Repair));
        let text = String::from_utf8_lossy(&bytes);
        for finding in &checked.findings {
            for fix in finding
                .fixes
                .iter()
                .filter(|f| f.title.starts_with("repair: "))
            {
                assert_eq!(fix.applicability, lacuna::Applicability::Unsafe);
                repairs += 1;
                let repaired = lacuna_syntax::fix::apply(&text, [fix]);
                assert_eq!(repaired.applied, 1, "{}: {}", path.display(), fix.title);
                let again = engine.check_with(
                    SourceId(0),
                    repaired.text.as_bytes(),
                    format,
                    &policy(FindingFixes::None),
                );
                let what = format!(
                    "{}: {} on {:?}: {}",
                    path.display(),
                    finding.code.as_str(),
                    key(finding),
                    fix.title
                );
                assert!(again.problems.is_empty(), "{what}: {:?}", again.problems);
                assert!(
                    !again.findings.iter().any(|f| key(f) == key(finding)),
                    "{what}: the finding is still there"
                );
                let before: Vec<_> = checked.findings.iter().map(key).collect();
                for opened in again.findings.iter().filter(|f| !before.contains(&key(f))) {
                    assert!(
                        opened.severity < finding.severity,
                        "{what}: opens {} {:?}",
                        opened.severity.as_str(),
                        key(opened)
                    );
                }
            }
        }
    }
    assert!(
        repairs >= 20,
        "only {repairs} repairs in {} files",
        files.len()
    );
}

#[test]
fn the_status_quo_gets_a_repair_for_the_protection_of_survival_migrants() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/proposals/status-quo-2010.toml");
    let bytes = std::fs::read(path).unwrap();
    let (engine, _) = Engine::build(standard_rules());
    let checked = engine.check_with(
        SourceId(0),
        &bytes,
        Format::Toml,
        &policy(FindingFixes::Repair),
    );
    let finding = checked
        .findings
        .iter()
        .find(|f| f.code.as_str() == "protection.coverage" && key(f).1 == "group.survival_migrants")
        .unwrap();
    let titles: Vec<&str> = finding.fixes.iter().map(|f| f.title.as_str()).collect();
    assert_eq!(
        titles[0],
        "repair: set `field_presence = true` on `actor.OHCHR`; also closes warning \
         `protection.field-presence` on `mandate[3]`, warning `protection.field-presence` \
         on `mandate[4]`; opens nothing",
        "{titles:#?}"
    );
    // The last fix offered is the suppression, after every repair.
    assert!(
        titles.last().unwrap().starts_with("suppress "),
        "{titles:#?}"
    );

    // The same run twice gives the same repairs.
    let again = engine.check_with(
        SourceId(0),
        &bytes,
        Format::Toml,
        &policy(FindingFixes::Repair),
    );
    assert_eq!(again.findings, checked.findings);
}
