//! A check of a large proposal finds the same on one thread and on several:
//! past a number of findings, the severities a policy sets and the check of
//! their order run on several threads.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use lacuna::{Checked, Engine, Format, Policy, RuleFile, Severity, SourceId};

const RULES: &str = r#"
entity group {
  vulnerable: bool?
  sheltered: bool?
}

/// A group is not vulnerable.
norm demo.safe {
  for g in group
  require g.vulnerable != true
  else "`{g}` is vulnerable"
}

/// A group is sheltered.
norm demo.sheltered {
  for g in group
  require g.sheltered == true
  else "`{g}` is not sheltered"
}
"#;

/// A proposal of `groups` groups, most of them failing both norms, with an
/// `[[allow]]` entry ahead of them that matches no finding: its finding
/// comes first, out of the order the others arrive in.
fn proposal(groups: usize) -> String {
    let mut text = String::from(
        "[[allow]]\nnorm = \"demo.safe\"\nentity = \"group.nobody\"\nreason = \"none\"\n\n",
    );
    for i in 0..groups {
        text.push_str(&format!(
            "[group.g{i}]\nvulnerable = {}\nsheltered = {}\n\n",
            i % 7 != 0,
            i % 5 == 0
        ));
    }
    text
}

fn engine() -> Engine {
    let file = RuleFile {
        name: "demo.norm".to_owned(),
        bytes: RULES.as_bytes().to_vec(),
    };
    let (engine, problems) = Engine::build(vec![file]);
    assert!(problems.is_empty(), "{problems:?}");
    engine
}

/// The check of `text` under `policy` on `threads` threads, as comparable
/// text: every finding's id, severity, position and message.
fn check_on(threads: usize, engine: &Engine, text: &str, policy: &Policy<'_>) -> Vec<String> {
    let checked: Checked = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(|| engine.check_text_with(SourceId(0), text, Format::Toml, policy));
    assert!(checked.problems.is_empty(), "{:?}", checked.problems);
    checked
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {:?} {:?} {}",
                f.code, f.severity, f.primary.span, f.message
            )
        })
        .collect()
}

#[test]
fn large_checks_are_the_same_on_any_number_of_threads() {
    let engine = engine();
    let text = proposal(20_000);
    let errors = |norm: &str, declared| {
        if norm == "demo.sheltered" {
            Severity::Error
        } else {
            declared
        }
    };
    let severities = Policy {
        severity: &errors,
        ..Policy::all()
    };
    let only_safe = |norm: &str| norm != "demo.sheltered";
    let one_norm = Policy {
        enabled: &only_safe,
        severity: &errors,
        ..Policy::all()
    };
    for policy in [Policy::all(), severities, one_norm] {
        let one = check_on(1, &engine, &text, &policy);
        // More findings than a pass takes on one thread.
        assert!(one.len() > 16_384, "{} findings", one.len());
        // The unused suppression comes first, by its position.
        assert!(one[0].starts_with("allow.unused"), "{}", one[0]);
        assert!(
            one == check_on(3, &engine, &text, &policy),
            "differs on 3 threads"
        );
        assert!(
            one == check_on(4, &engine, &text, &policy),
            "differs on 4 threads"
        );
    }
    // What the policy says holds for every finding of a norm.
    let checked = engine.check_text_with(SourceId(0), &text, Format::Toml, &severities);
    let sheltered: Vec<_> = checked
        .findings
        .iter()
        .filter(|f| f.code.as_str() == "demo.sheltered")
        .collect();
    assert!(!sheltered.is_empty());
    assert!(sheltered.iter().all(|f| f.severity == Severity::Error));
    assert!(
        checked
            .findings
            .iter()
            .filter(|f| f.code.as_str() == "demo.safe")
            .all(|f| f.severity == Severity::Warning)
    );
    let checked = engine.check_text_with(SourceId(0), &text, Format::Toml, &one_norm);
    assert!(
        checked
            .findings
            .iter()
            .all(|f| f.code.as_str() != "demo.sheltered")
    );
}

#[test]
fn text_and_bytes_are_checked_alike() {
    let engine = engine();
    let text = proposal(50);
    let policy = Policy::all();
    let from_text = engine.check_text_with(SourceId(0), &text, Format::Toml, &policy);
    let from_bytes = engine.check_with(SourceId(0), text.as_bytes(), Format::Toml, &policy);
    assert_eq!(from_text.findings, from_bytes.findings);
    assert_eq!(from_text.problems, from_bytes.problems);
    assert_eq!(from_text.suppressed, from_bytes.suppressed);
}
