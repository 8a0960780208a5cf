//! The lacuna language server: diagnostics and formatting over the Language
//! Server Protocol, spoken on standard input and output.
//!
//! The server is a thin adapter over the library, reached through the
//! [`Analyzer`] the binary implements with its engine. It keeps the text of
//! every open document, checks a proposal (`.toml`, `.json`) against the
//! standard rules or a rule file (`.norm`) together with them whenever the
//! text changes, and pushes the findings and problems as diagnostics. It formats
//! `.norm` files with [`lacuna_syntax::format`].
//!
//! [`serve`] runs the protocol over any [`Connection`], so tests drive the
//! server through [`Connection::memory`]; [`run`] serves standard input and
//! output. Only this crate imports `lsp-types`.

mod analyzer;
mod capabilities;
mod check;
mod diagnostic;
mod document;
mod handlers;
mod locate;
mod navigate;
mod outline;
mod position;
mod server;
mod worker;

pub use analyzer::{Analysis, Analyzer, DocumentKind, Request, Rules, Settings};
pub use lsp_server::Connection;
pub use server::serve;

/// Why the server stopped before the client asked it to exit.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The client sent something the protocol does not allow here.
    #[error("the language client broke the protocol: {0}")]
    Protocol(#[from] lsp_server::ProtocolError),
    /// The client went away without `shutdown` and `exit`.
    #[error("the connection to the language client closed")]
    Disconnected,
    /// The client sent `exit` without `shutdown` first.
    #[error("the language client asked to exit before shutting the server down")]
    ExitBeforeShutdown,
    /// Standard input or output failed.
    #[error("cannot read or write the standard streams: {0}")]
    Io(#[from] std::io::Error),
}

/// Serves one client on standard input and output until it exits.
pub fn run(analyzer: &dyn Analyzer) -> Result<(), ServerError> {
    let (connection, io_threads) = Connection::stdio();
    let served = serve(&connection, analyzer);
    // Closing the connection lets the writer thread finish, so that every
    // message queued before the exit is flushed before joining it.
    drop(connection);
    served?;
    io_threads.join()?;
    Ok(())
}
