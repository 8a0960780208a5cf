//! GitHub Actions workflow commands: one `::error`, `::warning` or
//! `::notice` line per finding or problem with an input, which GitHub turns
//! into annotations on the pull request.

use std::fmt::Write as _;

use crate::{Report, Severity};

pub(crate) fn render_github(report: &Report<'_>) -> String {
    let mut out = String::new();
    for entry in report.entries() {
        let (origin, severity, title, message, help) = (
            entry.primary,
            entry.severity,
            entry.code.as_str(),
            &entry.message,
            &entry.help,
        );
        let at = report.locator.locate(origin);
        let command = match severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = message.clone();
        if let Some(help) = help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        // Writing to a `String` cannot fail.
        let _ = writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(at.file),
            at.start.line,
            at.start.column,
            at.end.line,
            at.end.column,
            escape_property(title),
            escape_data(&message),
        );
    }
    out
}

/// Escapes a command's message: `%`, carriage returns and line feeds, which
/// would otherwise end the command.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: what a message escapes, and the `:` and `,`
/// that separate properties.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(
            escape_data("50% done\r\nnext: a, b"),
            "50%25 done%0D%0Anext: a, b"
        );
        assert_eq!(
            escape_property("C:\\dir\\a,b%.toml"),
            "C%3A\\dir\\a%2Cb%25.toml"
        );
    }
}
