//! GitHub Actions workflow commands: one `::error`, `::warning` or
//! `::notice` line per finding or problem with an input, which GitHub turns
//! into annotations on the pull request.

use std::fmt;

use crate::text::{push_decimal, write_lines};
use crate::{Report, Severity};

/// One line per entry, written to `out` many lines at a time.
pub(crate) fn write_github(report: &Report<'_>, out: &mut dyn fmt::Write) -> fmt::Result {
    let entries = report.entries();
    report.index_sources(&entries);
    write_lines(&entries, out, |lines, entry| {
        let (start, end) = report.locator.start_end(entry.primary);
        let command = match entry.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        lines.push_str("::");
        lines.push_str(command);
        lines.push_str(" file=");
        push_property(lines, report.sources().name(entry.primary.source));
        lines.push_str(",line=");
        push_decimal(lines, start.line);
        lines.push_str(",col=");
        push_decimal(lines, start.column);
        lines.push_str(",endLine=");
        push_decimal(lines, end.line);
        lines.push_str(",endColumn=");
        push_decimal(lines, end.column);
        lines.push_str(",title=");
        push_property(lines, entry.code.as_str());
        lines.push_str("::");
        push_data(lines, &entry.message);
        if let Some(help) = &entry.help {
            lines.push_str("%0Ahelp: ");
            push_data(lines, help);
        }
        lines.push('\n');
    })
}

/// Appends a command's message with `%`, carriage returns and line feeds
/// escaped, which would otherwise end the command.
fn push_data(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(at) = memchr::memchr3(b'%', b'\r', b'\n', rest.as_bytes()) {
        out.push_str(rest.get(..at).unwrap_or_default());
        out.push_str(escape_of(rest.as_bytes().get(at).copied()));
        rest = rest.get(at + 1..).unwrap_or_default();
    }
    out.push_str(rest);
}

/// Appends a property value: escaped as a message is, and the `:` and `,`
/// that separate properties too.
fn push_property(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(at) = rest
        .bytes()
        .position(|b| matches!(b, b'%' | b'\r' | b'\n' | b':' | b','))
    {
        out.push_str(rest.get(..at).unwrap_or_default());
        out.push_str(escape_of(rest.as_bytes().get(at).copied()));
        rest = rest.get(at + 1..).unwrap_or_default();
    }
    out.push_str(rest);
}

/// The escape of one of the bytes that [`push_data`] and [`push_property`]
/// look for.
fn escape_of(byte: Option<u8>) -> &'static str {
    match byte {
        Some(b'%') => "%25",
        Some(b'\r') => "%0D",
        Some(b'\n') => "%0A",
        Some(b':') => "%3A",
        _ => "%2C",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escape_data(text: &str) -> String {
        let mut out = String::new();
        push_data(&mut out, text);
        out
    }

    fn escape_property(text: &str) -> String {
        let mut out = String::new();
        push_property(&mut out, text);
        out
    }

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
        assert_eq!(escape_data(""), "");
        assert_eq!(escape_property("%é:\n"), "%25é%3A%0A");
    }
}
