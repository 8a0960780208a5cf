//! The line-oriented formats: `concise` and the closing summary line.

use lacuna_syntax::suggest::plural;
use std::fmt;

use lacuna_eval::Diagnostic;
pub(crate) use lacuna_model::push_decimal;
use rayon::prelude::*;

use crate::{Counts, RenderOptions, Report, RunSummary};

/// `path:line:column: severity[norm] message`, one finding a line, for
/// editors' quickfix lists and `grep`; a problem with an input is a line of
/// the same shape, with its code in place of the norm. Each line is written
/// to `out` as soon as it is made, so a long report is never held whole.
pub(crate) fn write_concise(
    report: &Report<'_>,
    options: &RenderOptions,
    out: &mut dyn fmt::Write,
) -> fmt::Result {
    let entries = report.entries();
    report.index_sources(&entries);
    write_lines(&entries, out, |line, entry| {
        let origin = entry.primary;
        let at = report.locator.start(origin);
        line.push_str(report.sources().name(origin.source));
        line.push(':');
        push_decimal(line, at.line);
        line.push(':');
        push_decimal(line, at.column);
        line.push_str(": ");
        line.push_str(entry.severity.as_str());
        line.push('[');
        line.push_str(entry.code.as_str());
        line.push_str("] ");
        push_one_line(line, &entry.message);
        line.push('\n');
    })?;
    if let Some(run) = &options.summary {
        if !entries.is_empty() {
            out.write_str("\n")?;
        }
        out.write_str(&summary_of(report.counts(), run))?;
        out.write_str("\n")?;
    }
    Ok(())
}

/// Writes the line `push` makes of each entry to `out`, in order, a piece
/// of many lines at a time, so that a long report is never held whole.
/// Past [`PARALLEL_LINES`] entries, the lines of a window are made on
/// rayon's threads and written in order.
pub(crate) fn write_lines(
    entries: &[&Diagnostic],
    out: &mut dyn fmt::Write,
    push: impl Fn(&mut String, &Diagnostic) + Sync,
) -> fmt::Result {
    // Lines are gathered into pieces of about this many bytes, fewer calls
    // of `out` than one a line.
    const PIECE: usize = 1 << 15;
    if entries.len() >= PARALLEL_LINES && rayon::current_num_threads() > 1 {
        for window in entries.chunks(WINDOW) {
            let pieces: Vec<String> = window
                .par_chunks(WINDOW / 64)
                .map(|chunk| {
                    let mut piece = String::with_capacity(PIECE);
                    for entry in chunk {
                        push(&mut piece, entry);
                    }
                    piece
                })
                .collect();
            for piece in &pieces {
                out.write_str(piece)?;
            }
        }
        return Ok(());
    }
    let mut lines = String::with_capacity(PIECE + 512);
    for entry in entries {
        if lines.len() >= PIECE {
            out.write_str(&lines)?;
            lines.clear();
        }
        push(&mut lines, entry);
    }
    out.write_str(&lines)
}

/// How many entries a report needs before its lines are made on several
/// threads.
pub(crate) const PARALLEL_LINES: usize = 16_384;
/// How many lines are made before they are written: a few MiB of text at
/// most.
const WINDOW: usize = 1 << 16;

/// The closing line of `human`, `plain` and `concise` output, such as
/// `found 3 errors and 2 warnings in 1 file (4 files checked against 12 norms)`
/// or `no findings (4 files checked against 12 norms, 2 findings suppressed)`.
pub fn summary_line(findings: &[Diagnostic], run: &RunSummary) -> String {
    summary_of(Counts::of(findings), run)
}

/// The summary line; problems with the inputs are counted after the
/// findings, as in `found 1 error in 1 file and 2 input problems (...)`.
pub(crate) fn summary_of(counts: Counts, run: &RunSummary) -> String {
    let mut scope = format!(
        "{} checked against {}",
        plural(run.files_checked, "file", "files"),
        plural(run.norms_checked, "norm", "norms"),
    );
    if run.suppressed > 0 {
        scope.push_str(", ");
        scope.push_str(&plural(
            run.suppressed,
            "finding suppressed",
            "findings suppressed",
        ));
    }
    let problems = plural(counts.problems, "input problem", "input problems");
    if counts.total() == 0 {
        if counts.problems > 0 {
            return format!("found {problems} ({scope})");
        }
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
    let files = plural(counts.files, "file", "files");
    if counts.problems > 0 {
        return format!("found {listed} in {files} and {problems} ({scope})");
    }
    format!("found {listed} in {files} ({scope})")
}

/// The widest a column of a table is padded to, in characters. A longer
/// cell (a norm id of 70,000 characters) overflows its column instead of
/// padding every row to its width, and formatting never sees a width past
/// what `{:<width$}` accepts.
pub const MAX_COLUMN_WIDTH: usize = 120;

/// The width to pad a column to: its widest cell, at most
/// [`MAX_COLUMN_WIDTH`].
pub fn column_width(cells: impl IntoIterator<Item = usize>) -> usize {
    cells.into_iter().max().unwrap_or(0).min(MAX_COLUMN_WIDTH)
}

/// A message on one line: line breaks become spaces, so that one finding
/// stays one line for tools that read line by line.
pub(crate) fn one_line(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    push_one_line(&mut out, message);
    out
}

/// Appends [`one_line`] of `message` to `out`.
pub(crate) fn push_one_line(out: &mut String, message: &str) {
    // Most messages are one line already.
    if memchr::memchr2(b'\r', b'\n', message.as_bytes()).is_none() {
        out.push_str(message);
        return;
    }
    let mut parts = message.split(['\r', '\n']).filter(|part| !part.is_empty());
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for part in parts {
        out.push(' ');
        out.push_str(part);
    }
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
            problems: 0,
        }
    }

    #[test]
    fn summary_wording() {
        let run = RunSummary {
            files_checked: 4,
            norms_checked: 12,
            suppressed: 0,
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
            suppressed: 0,
        };
        assert_eq!(
            summary_of(counts(0, 1, 0, 1), &single),
            "found 1 warning in 1 file (1 file checked against 1 norm)"
        );
    }

    #[test]
    fn summary_counts_suppressed_findings_and_problems() {
        let run = |suppressed| RunSummary {
            files_checked: 1,
            norms_checked: 29,
            suppressed,
        };
        assert_eq!(
            summary_of(counts(0, 3, 0, 1), &run(2)),
            "found 3 warnings in 1 file (1 file checked against 29 norms, 2 findings suppressed)"
        );
        assert_eq!(
            summary_of(counts(0, 0, 0, 0), &run(1)),
            "no findings (1 file checked against 29 norms, 1 finding suppressed)"
        );
        let one_problem = Counts {
            problems: 1,
            ..counts(0, 0, 0, 0)
        };
        assert_eq!(
            summary_of(one_problem, &run(0)),
            "found 1 input problem (1 file checked against 29 norms)"
        );
        let both = Counts {
            problems: 2,
            ..counts(1, 0, 0, 1)
        };
        assert_eq!(
            summary_of(both, &run(0)),
            "found 1 error in 1 file and 2 input problems (1 file checked against 29 norms)"
        );
    }

    #[test]
    fn columns_are_capped() {
        assert_eq!(column_width([3, 7]), 7);
        assert_eq!(column_width([]), 0);
        assert_eq!(column_width([70_000]), MAX_COLUMN_WIDTH);
        let width = column_width([70_000]);
        let padded = format!("{:<width$}|", "x".repeat(70_000));
        assert_eq!(padded.len(), 70_001);
    }

    #[test]
    fn messages_fold_onto_one_line() {
        assert_eq!(one_line("a\r\nb\nc"), "a b c");
        assert_eq!(one_line("plain"), "plain");
        assert_eq!(one_line("\n\na\r\r b\n"), "a  b");
        assert_eq!(one_line(""), "");
    }

    #[test]
    fn decimals() {
        for n in [0, 7, 10, 99, 100, 12_345, usize::MAX] {
            let mut out = String::from("x");
            push_decimal(&mut out, n);
            assert_eq!(out, format!("x{n}"));
        }
    }
}
