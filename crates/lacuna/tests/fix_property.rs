//! Applying fixes never loses a byte outside their edits: whichever safe
//! fixes of a real proposal are applied, in whatever order, every stretch of
//! text between two edits (comments, spacing, key order) is kept as it was.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use lacuna::{Applicability, Engine, Fix, Format, SourceId, standard_rules};
use proptest::prelude::*;

/// The safe fixes `lacuna check` offers for `text`.
fn safe_fixes(text: &str, format: Format) -> Vec<Fix> {
    let (engine, problems) = Engine::build(standard_rules());
    assert!(problems.is_empty(), "{problems:?}");
    let checked = engine.check(SourceId(0), text.as_bytes(), format);
    checked
        .problems
        .iter()
        .flat_map(|p| p.fixes.iter())
        .chain(checked.findings.iter().flat_map(|f| f.fixes.iter()))
        .filter(|f| f.applicability == Applicability::Safe)
        .cloned()
        .collect()
}

fn typos() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/fix/typos.toml");
    std::fs::read_to_string(path).unwrap()
}

/// Checks that `fixed` is `text` with exactly the edits of `fixes` made:
/// the text between edits is copied byte for byte.
fn keeps_everything_else(text: &str, fixes: &[&Fix], fixed: &str) {
    let mut edits: Vec<_> = fixes.iter().flat_map(|f| f.edits.iter()).collect();
    edits.sort_by_key(|e| e.span.start);
    let mut expected = String::new();
    let mut at = 0;
    for edit in edits {
        expected.push_str(&text[at..edit.span.start as usize]);
        expected.push_str(&edit.content);
        at = edit.span.end as usize;
    }
    expected.push_str(&text[at..]);
    assert_eq!(fixed, expected);
}

#[test]
fn the_typos_have_a_safe_fix_for_each_mistake() {
    assert!(safe_fixes(&typos(), Format::Toml).len() >= 13);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_safe_fixes_keep_every_other_byte(
        picks in proptest::collection::vec(any::<bool>(), 16),
        rotate in 0usize..16,
    ) {
        let text = typos();
        let mut fixes = safe_fixes(&text, Format::Toml);
        let len = fixes.len();
        fixes.rotate_left(rotate % len);
        let chosen: Vec<&Fix> = fixes
            .iter()
            .zip(picks.iter().cycle())
            .filter(|(_, pick)| **pick)
            .map(|(fix, _)| fix)
            .collect();
        let applied = lacuna_syntax::fix::apply(&text, chosen.iter().copied());
        // The typos' fixes never overlap, so every chosen one is applied.
        prop_assert_eq!(applied.applied, chosen.len());
        keeps_everything_else(&text, &chosen, &applied.text);
        // Every comment line of the original is still there.
        for line in text.lines().filter(|l| l.trim_start().starts_with('#')) {
            prop_assert!(applied.text.contains(line));
        }
    }

    #[test]
    fn random_edits_keep_every_other_byte(
        text in "[a-z #=\"\\n]{0,200}",
        raw in proptest::collection::vec((0usize..220, 0usize..8, "[a-z]{0,4}"), 0..8),
    ) {
        let fixes: Vec<Fix> = raw
            .into_iter()
            .map(|(start, len, content)| {
                let start = start.min(text.len()) as u32;
                let end = (start as usize + len).min(text.len()) as u32;
                Fix::safe("edit", vec![lacuna::Edit::replace(lacuna_syntax::Span::new(start, end), content)])
            })
            .collect();
        let applied = lacuna_syntax::fix::apply(&text, &fixes);
        // Which fixes were taken: replay the choice the same way.
        let mut taken: Vec<&Fix> = Vec::new();
        for fix in &fixes {
            let e = &fix.edits[0];
            let clashes = taken.iter().any(|t| {
                let t = t.edits[0].span;
                let s = e.span;
                (t.start < s.end && s.start < t.end)
                    || t.start == s.start
                    || ((t.is_empty() || s.is_empty()) && t.start.max(s.start) <= t.end.min(s.end))
            });
            if !clashes {
                taken.push(fix);
            }
        }
        prop_assert_eq!(applied.applied, taken.len());
        keeps_everything_else(&text, &taken, &applied.text);
    }
}
