//! `check --show-fixes`: the fixes of a run listed after the report, for
//! the formats people read. The machine formats carry fixes in their data.

use std::fmt::Write as _;

use lacuna_eval::Diagnostic;
use lacuna_model::{Origin, SourceDb};
use lacuna_syntax::{Applicability, Fix};

use crate::location::Locator;
use crate::sorted_findings;

/// What the listing shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FixListing {
    /// List unsafe fixes too; otherwise only count them.
    pub unsafe_fixes: bool,
}

/// The fixes of `findings` and `problems`, one line each, in report order:
/// `file:line:column: code [applicability] title`. Empty when there is none.
pub fn render_fixes(
    findings: &[Diagnostic],
    problems: &[Diagnostic],
    sources: &SourceDb,
    listing: &FixListing,
) -> String {
    let locator = Locator::new(sources);
    let mut entries: Vec<(Origin, &str, &Fix)> = Vec::new();
    let (found, problems): (Vec<&Diagnostic>, Vec<&Diagnostic>) = findings
        .iter()
        .chain(problems)
        .partition(|d| d.is_finding());
    let problems = crate::problem::sorted_problems(problems, sources);
    for diagnostic in problems.into_iter().chain(sorted_findings(found, sources)) {
        entries.extend(
            diagnostic
                .fixes
                .iter()
                .map(|f| (diagnostic.primary, diagnostic.code.as_str(), f)),
        );
    }
    entries
        .sort_by_key(|(origin, code, _)| (sources.name(origin.source), origin.span.start, *code));
    let mut out = String::new();
    let mut hidden = 0;
    for (origin, code, fix) in entries {
        if fix.applicability == Applicability::Unsafe && !listing.unsafe_fixes {
            hidden += 1;
            continue;
        }
        if out.is_empty() {
            out.push_str("\nfixes:\n");
        }
        let at = locator.locate(origin);
        let _ = writeln!(
            out,
            "  {}:{}:{}: {code} [{}] {}",
            at.file, at.start.line, at.start.column, fix.applicability, fix.title
        );
    }
    if hidden > 0 {
        let _ = writeln!(
            out,
            "{}: show {} with `--unsafe-fixes`",
            lacuna_syntax::suggest::plural(hidden, "unsafe fix hidden", "unsafe fixes hidden"),
            if hidden == 1 { "it" } else { "them" }
        );
    }
    out
}
