//! What the server knows of one open document.

use std::path::PathBuf;
use std::sync::Arc;

use lacuna_model::Format;
use lsp_types::Uri;

use crate::analyzer::DocumentKind;

/// The configuration file, which is TOML but not a proposal. The name is
/// the one `lacuna check` looks for beside the files it checks.
pub(crate) const CONFIG_FILE_NAME: &str = "lacuna.toml";

/// The text of an open document as the client last sent it.
#[derive(Clone, Debug)]
pub(crate) struct Document {
    pub uri: Uri,
    pub version: Option<i32>,
    pub text: Arc<str>,
}

impl Document {
    pub fn kind(&self) -> Option<DocumentKind> {
        kind_of(&self.uri)
    }

    /// The name that diagnostics and the source database use: the path of
    /// a `file:` URI, else the last segment of the URI's path.
    pub fn name(&self) -> String {
        match path_of(&self.uri) {
            Some(path) => path.display().to_string(),
            None => file_name(&self.uri),
        }
    }
}

fn file_name(uri: &Uri) -> String {
    let path = uri.path().as_str();
    let name = path.rsplit('/').next().unwrap_or(path);
    name.to_owned()
}

/// The kind of the document at `uri`, by its name; `None` for a file the
/// server does not check.
pub(crate) fn kind_of(uri: &Uri) -> Option<DocumentKind> {
    let name = file_name(uri);
    if name == CONFIG_FILE_NAME {
        return Some(DocumentKind::Config);
    }
    match name.rsplit_once('.').map(|(_, extension)| extension) {
        Some("toml") => Some(DocumentKind::Proposal(Format::Toml)),
        Some("json") => Some(DocumentKind::Proposal(Format::Json)),
        Some("norm") => Some(DocumentKind::Rules),
        _ => None,
    }
}

/// The file a `file:` URI names, decoded; `None` for other schemes.
pub(crate) fn path_of(uri: &Uri) -> Option<PathBuf> {
    let scheme = uri.scheme()?;
    if !scheme.as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    let decoded = uri.path().as_estr().decode().into_string().ok()?;
    let path = decoded.as_ref();
    // `file:///C:/dir` has the path `/C:/dir`; Windows wants `C:/dir`.
    let path = match path.as_bytes() {
        [b'/', drive, b':', ..] if drive.is_ascii_alphabetic() => path.get(1..).unwrap_or(path),
        _ => path,
    };
    Some(PathBuf::from(path))
}

/// The `file:` URI of a path on disk.
pub(crate) fn uri_of(path: &std::path::Path) -> Option<Uri> {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~')
        .remove(b'/');
    let text = path.to_str()?.replace('\\', "/");
    let text = if text.starts_with('/') {
        text
    } else {
        format!("/{text}")
    };
    let encoded = utf8_percent_encode(&text, SEGMENT).to_string();
    format!("file://{encoded}").parse().ok()
}
