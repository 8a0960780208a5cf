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
pub mod transport;
mod worker;

use std::io::{self, BufReader};
use std::thread;

pub use analyzer::{Analysis, Analyzer, DocumentKind, Request, Rules, Settings};
pub use lsp_server::Connection;
pub use server::serve;
use transport::{Frame, TransportError};

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
    /// The client sent bytes that are not a stream of messages.
    #[error(transparent)]
    Transport(#[from] TransportError),
}

/// Serves one client on standard input and output until it exits.
///
/// A reader thread frames the messages of standard input with the limits of
/// [`transport`], and a writer thread writes the server's messages to
/// standard output; both talk to the server through an in-memory
/// connection.
pub fn run(analyzer: &dyn Analyzer) -> Result<(), ServerError> {
    let (connection, client) = Connection::memory();
    let Connection {
        sender: to_server,
        receiver: from_server,
    } = client;
    // The reader reports why it stopped before it drops its end of the
    // connection, so the error is there when the server sees it closed.
    let (stopped, why) = std::sync::mpsc::channel::<TransportError>();
    thread::Builder::new()
        .name("lacuna-lsp-reader".to_owned())
        .spawn(move || {
            let mut stdin = BufReader::new(io::stdin().lock());
            if let Err(error) = forward(&mut stdin, |message| to_server.send(message).is_ok()) {
                let _ = stopped.send(error);
            }
            drop(to_server);
        })?;
    let writer = thread::Builder::new()
        .name("lacuna-lsp-writer".to_owned())
        .spawn(move || -> io::Result<()> {
            for message in from_server {
                message.write(&mut io::stdout().lock())?;
            }
            Ok(())
        })?;
    let served = serve(&connection, analyzer);
    // Closing the connection lets the writer thread finish, so that every
    // message queued before the exit is flushed before joining it.
    drop(connection);
    let written = writer.join();
    if let Err(error) = served {
        // The client went away or broke the protocol: a malformed stream
        // is the better explanation, when there is one.
        return Err(why.try_recv().map_or(error, ServerError::from));
    }
    match written {
        Ok(result) => Ok(result?),
        Err(_) => Err(ServerError::Disconnected),
    }
}

/// Passes the messages of `input` to the server until the client's `exit`,
/// the end of the stream or a stream that cannot be framed; answers bodies
/// that are not messages with an error.
fn forward(
    input: &mut impl io::BufRead,
    send: impl Fn(lsp_server::Message) -> bool,
) -> Result<(), TransportError> {
    while let Some(frame) = transport::read_frame(input)? {
        match frame {
            Frame::Message(message) => {
                let exit = matches!(&message,
                    lsp_server::Message::Notification(n) if n.method == "exit");
                if !send(message) || exit {
                    break;
                }
            }
            Frame::Invalid(invalid) => {
                transport::write_frame(&mut io::stdout().lock(), &invalid.response())?;
            }
        }
    }
    Ok(())
}
