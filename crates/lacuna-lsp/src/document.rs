//! What the server knows of one open document.

use lacuna_model::Format;
use lsp_types::Uri;

/// The configuration file, which is TOML but not a proposal. The name is
/// the one `lacuna check` looks for beside the files it checks.
const CONFIG_FILE_NAME: &str = "lacuna.toml";

/// What kind of file a document is, by the extension of its URI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A proposal, checked against the rules.
    Proposal(Format),
    /// A rule file, checked together with the standard rules.
    Rules,
    /// Anything else, such as `lacuna.toml`: the server leaves it alone.
    Other,
}

/// The text of an open document as the client last sent it.
#[derive(Clone, Debug)]
pub(crate) struct Document {
    pub uri: Uri,
    pub version: Option<i32>,
    pub text: String,
}

impl Document {
    pub fn kind(&self) -> Kind {
        kind_of(&self.uri)
    }

    /// The file name that diagnostics and the source database use: the last
    /// segment of the URI's path.
    pub fn file_name(&self) -> String {
        file_name(&self.uri)
    }
}

fn file_name(uri: &Uri) -> String {
    let path = uri.path().as_str();
    let name = path.rsplit('/').next().unwrap_or(path);
    name.to_owned()
}

/// The kind of the document at `uri`. The configuration file is TOML too,
/// but it is not a proposal.
pub(crate) fn kind_of(uri: &Uri) -> Kind {
    let name = file_name(uri);
    if name == CONFIG_FILE_NAME {
        return Kind::Other;
    }
    match name.rsplit_once('.').map(|(_, extension)| extension) {
        Some("toml") => Kind::Proposal(Format::Toml),
        Some("json") => Kind::Proposal(Format::Json),
        Some("norm") => Kind::Rules,
        _ => Kind::Other,
    }
}
