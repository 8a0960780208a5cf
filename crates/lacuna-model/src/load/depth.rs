//! A cheap nesting-depth check run before the TOML parser sees the text (the
//! JSON reader checks depth as it reads).
//!
//! Parsers build their trees recursively, and so does the loader; an input of
//! a hundred thousand `[` must be rejected without descending that deep. The
//! scan skips strings and TOML comments so that brackets inside them do not
//! count.

use lacuna_syntax::Span;

use super::Format;

/// How deep arrays and tables may nest. A proposal needs four or five levels.
pub const MAX_DEPTH: usize = 64;

/// The span of the first `[` or `{` that opens a level deeper than [`MAX_DEPTH`].
pub(crate) fn too_deep(text: &str, format: Format) -> Option<Span> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    let at = u32::try_from(i).unwrap_or(u32::MAX);
                    return Some(Span::new(at, at.saturating_add(1)));
                }
                i += 1;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'#' if format == Format::Toml => i = skip_line(bytes, i),
            b'"' => i = skip_string(bytes, i, b'"', format),
            b'\'' if format == Format::Toml => i = skip_string(bytes, i, b'\'', format),
            _ => i += 1,
        }
    }
    None
}

fn skip_line(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        if b == b'\n' {
            break;
        }
        i += 1;
    }
    i
}

/// Skips a string starting at `from` and returns the index after it. An
/// unterminated string ends at its line (or, multi-line, at the end of the
/// text); the parser reports it.
fn skip_string(bytes: &[u8], from: usize, quote: u8, format: Format) -> usize {
    let escapes = quote == b'"';
    let triple = [quote; 3];
    let multiline = format == Format::Toml && bytes.get(from..from + 3) == Some(&triple[..]);
    let mut i = if multiline { from + 3 } else { from + 1 };
    while let Some(&b) = bytes.get(i) {
        if escapes && b == b'\\' {
            i += 2;
            continue;
        }
        if multiline {
            if bytes.get(i..i + 3) == Some(&triple[..]) {
                return i + 3;
            }
        } else if b == quote {
            return i + 1;
        } else if b == b'\n' {
            return i;
        }
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_brackets_outside_strings() {
        let deep = "[".repeat(100_000);
        assert_eq!(too_deep(&deep, Format::Toml), Some(Span::new(64, 65)));
        assert_eq!(too_deep(&deep, Format::Json), Some(Span::new(64, 65)));
        let quoted = format!("x = \"{deep}\"\n# {deep}\ny = '''{deep}'''");
        assert_eq!(too_deep(&quoted, Format::Toml), None);
        let json = format!("{{\"x\": \"\\\"{deep}\"}}");
        assert_eq!(too_deep(&json, Format::Json), None);
        let shallow = "[[mandate]]\nx = [[1, 2], [3]]\n[[mandate]]\n";
        assert_eq!(too_deep(shallow, Format::Toml), None);
    }
}
