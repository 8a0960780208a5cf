//! The line-oriented formats: `concise` and the closing summary line.

use std::fmt::Write as _;

use lacuna_eval::Finding;

use crate::{Counts, RenderOptions, Report, RunSummary};

/// `path:line:column: severity[norm] message`, one finding a line, for
/// editors' quickfix lists and `grep`.
pub(crate) fn render_concise(report: &Report<'_>, options: &RenderOptions) -> String {
    let mut out = String::new();
    for finding in &report.findings {
        let at = report.locator.locate(finding.primary);
        // Writing to a `String` cannot fail.
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            at.file,
            at.start.line,
            at.start.column,
            finding.severity.as_str(),
            finding.norm,
            one_line(&finding.message),
        );
    }
    if let Some(run) = &options.summary {
        if !report.findings.is_empty() {
            out.push('\n');
        }
        out.push_str(&summary_of(report.counts(), run));
        out.push('\n');
    }
    out
}

/// The closing line of `human`, `plain` and `concise` output, such as
/// `found 3 errors and 2 warnings in 1 file (4 files checked against 12 norms)`
/// or `no findings (4 files checked against 12 norms)`.
pub fn summary_line(findings: &[Finding], run: &RunSummary) -> String {
    summary_of(Counts::of(findings), run)
}

pub(crate) fn summary_of(counts: Counts, run: &RunSummary) -> String {
    let scope = format!(
        "{} checked against {}",
        plural(run.files_checked, "file", "files"),
        plural(run.norms_checked, "norm", "norms"),
    );
    if counts.total() == 0 {
        return format!("no findings ({scope})");
    }
    let mut parts = Vec::new();
    if counts.errors > 0 {
        parts.push(plural(counts.errors, "error", "errors"));
    }
    if counts.warnings > 0 {
        parts.push(plural(counts.warnings, "warning", "warnings"));
    }
    if counts.info > 0 {
        parts.push(format!("{} info", counts.info));
    }
    let listed = match parts.as_slice() {
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
        [] => String::new(),
    };
    format!(
        "found {listed} in {} ({scope})",
        plural(counts.files, "file", "files")
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A message on one line: line breaks become spaces, so that one finding
/// stays one line for tools that read line by line.
pub(crate) fn one_line(message: &str) -> String {
    message
        .split(['\r', '\n'])
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(errors: usize, warnings: usize, info: usize, files: usize) -> Counts {
        Counts {
            errors,
            warnings,
            info,
            files,
        }
    }

    #[test]
    fn summary_wording() {
        let run = RunSummary {
            files_checked: 4,
            norms_checked: 12,
        };
        assert_eq!(
            summary_of(counts(0, 0, 0, 0), &run),
            "no findings (4 files checked against 12 norms)"
        );
        assert_eq!(
            summary_of(counts(3, 2, 0, 1), &run),
            "found 3 errors and 2 warnings in 1 file (4 files checked against 12 norms)"
        );
        assert_eq!(
            summary_of(counts(1, 1, 2, 2), &run),
            "found 1 error, 1 warning and 2 info in 2 files (4 files checked against 12 norms)"
        );
        let single = RunSummary {
            files_checked: 1,
            norms_checked: 1,
        };
        assert_eq!(
            summary_of(counts(0, 1, 0, 1), &single),
            "found 1 warning in 1 file (1 file checked against 1 norm)"
        );
    }

    #[test]
    fn messages_fold_onto_one_line() {
        assert_eq!(one_line("a\r\nb\nc"), "a b c");
        assert_eq!(one_line("plain"), "plain");
    }
}
