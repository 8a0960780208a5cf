//! A large proposal gets the same findings, in the same order, on one
//! thread and on several: norms are evaluated, and findings built, in
//! parallel only past a size, so the proposal is generated above it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use lacuna_eval::{Detail, Diagnostic, Evaluator, check_rules};
use lacuna_model::{Format, SourceId, generate, load};

fn on_threads<T: Send>(n: usize, run: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .unwrap()
        .install(run)
}

#[test]
fn large_proposal_has_the_same_findings_on_any_number_of_threads() {
    let files = support::rule_files();
    let asts: Vec<_> = files
        .iter()
        .map(|(name, text)| support::parse(name, text))
        .collect();
    let files: Vec<_> = asts
        .iter()
        .enumerate()
        .map(|(i, a)| (SourceId(i as u32), a))
        .collect();
    let schema = support::schema(&files);
    let (program, errors) = check_rules(&schema, &files);
    assert!(errors.iter().all(|e| !e.is_error()), "{errors:?}");
    let text = generate::proposal(&schema, 20_000, 5, Format::Json);
    let (facts, errors) = load(&schema, SourceId(100), &text, Format::Json);
    assert!(errors.is_empty());
    for detail in [Detail::Messages, Detail::Full] {
        let findings = |n| -> Vec<Diagnostic> {
            on_threads(n, || {
                Evaluator::new(&program, &schema, &facts).findings_with(detail)
            })
        };
        let one = findings(1);
        // Enough for the findings to be built on several threads too.
        assert!(one.len() > 8_192, "{} findings", one.len());
        let many = findings(4);
        assert!(one == many, "{detail:?}: findings differ");
        // And once more, for runs that race differently.
        assert!(one == findings(3), "{detail:?}: findings differ");
    }
}
