//! File names written as URI references, for SARIF and LSP.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Characters kept as they are in a path segment: RFC 3986's unreserved
/// characters and the `/` between segments. Everything else, spaces and
/// non-ASCII text included, is percent-encoded as UTF-8.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// A file name as a URI reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FileUri {
    pub uri: String,
    /// Whether the reference is relative (to the directory lacuna ran in).
    pub relative: bool,
}

/// The URI reference for a file name as given: a relative reference for a
/// relative path, a `file:` URI for an absolute one. Backslashes count as
/// separators, so Windows paths give the same URIs as on other systems.
pub(crate) fn file_uri(name: &str) -> FileUri {
    let path = name.replace('\\', "/");
    if let Some(rest) = path.strip_prefix('/') {
        return FileUri {
            uri: format!("file:///{}", encode(rest)),
            relative: false,
        };
    }
    if let Some((drive, rest)) = windows_drive(&path) {
        return FileUri {
            uri: format!("file:///{drive}:{}", encode(rest)),
            relative: false,
        };
    }
    let path = path.strip_prefix("./").unwrap_or(&path);
    FileUri {
        uri: encode(path),
        relative: true,
    }
}

/// `C:/dir/file` split into the drive letter and `/dir/file`.
fn windows_drive(path: &str) -> Option<(char, &str)> {
    let mut chars = path.chars();
    let drive = chars.next().filter(char::is_ascii_alphabetic)?;
    let rest = chars.as_str().strip_prefix(':')?;
    rest.starts_with('/').then_some((drive, rest))
}

fn encode(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, uri: &str, relative: bool) {
        assert_eq!(
            file_uri(name),
            FileUri {
                uri: uri.to_owned(),
                relative
            },
            "{name}"
        );
    }

    #[test]
    fn relative_paths_stay_relative() {
        check("fixtures/a.toml", "fixtures/a.toml", true);
        check("./a.toml", "a.toml", true);
        check("my proposals/é.toml", "my%20proposals/%C3%A9.toml", true);
        check("dir\\a.toml", "dir/a.toml", true);
        check("a#b?.toml", "a%23b%3F.toml", true);
        check(
            "<embedded>/protection.norm",
            "%3Cembedded%3E/protection.norm",
            true,
        );
    }

    #[test]
    fn absolute_paths_become_file_uris() {
        check("/home/x/a b.toml", "file:///home/x/a%20b.toml", false);
        check("C:\\work\\a.toml", "file:///C:/work/a.toml", false);
    }
}
