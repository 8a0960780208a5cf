//! Reading and writing messages on a byte stream, with limits.
//!
//! The protocol frames each message with a `Content-Length` header. A
//! reader that trusts it allocates whatever a client claims: a length of
//! 2^63 overflows the allocation, a terabyte aborts the process, and four
//! gigabytes are zero-filled before one byte is read. This reader caps the
//! headers and the body ([`MAX_MESSAGE_BYTES`]) and reads the body as it
//! arrives, so memory follows the bytes actually sent.
//!
//! What cannot be framed (a header that is not `Name: value`, a missing or
//! malformed length, a body over the cap) ends the connection with an
//! error, since the next message cannot be found. A body that is framed but
//! is not JSON, or not a JSON-RPC message, is answered with a JSON-RPC error
//! and the server reads on.

use std::io::{self, BufRead, Read, Write};

use lsp_server::Message;

/// The largest message body the server reads, in bytes: room for a
/// document of 64 MiB, the largest file `lacuna check` reads by default,
/// with JSON escapes.
pub const MAX_MESSAGE_BYTES: usize = 96 * 1024 * 1024;

/// The most bytes of headers before a body.
pub const MAX_HEADER_BYTES: usize = 8 * 1024;

/// JSON-RPC's error codes for a body that is not JSON, and for JSON that
/// is not a request, response or notification.
const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;

/// Why the stream of messages cannot go on.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error(
        "the language client sent a message of {length} bytes; the server reads messages of at most {limit} bytes"
    )]
    TooLarge { length: u64, limit: usize },
    #[error("the language client sent a malformed header: {0}")]
    Header(String),
    #[error("the connection closed in the middle of a message")]
    Truncated,
    #[error("cannot read from the language client: {0}")]
    Io(#[from] io::Error),
}

/// One message read from the stream.
#[derive(Debug)]
pub enum Frame {
    Message(Message),
    /// A framed body that is not a message, with the error to answer.
    Invalid(InvalidMessage),
}

/// A body that is framed but not a JSON-RPC message.
#[derive(Debug, Clone, PartialEq)]
pub struct InvalidMessage {
    /// The `id` of the request, when the body had one; the error answers it.
    pub id: serde_json::Value,
    pub code: i64,
    pub message: String,
}

impl InvalidMessage {
    /// The JSON-RPC error response to the body.
    pub fn response(&self) -> String {
        serde_json::json!({
            "jsonrpc": "2.0",
            "id": self.id,
            "error": { "code": self.code, "message": self.message },
        })
        .to_string()
    }
}

/// Reads the next message; `None` at the end of the stream between two
/// messages.
pub fn read_frame(reader: &mut impl BufRead) -> Result<Option<Frame>, TransportError> {
    let Some(length) = read_headers(reader)? else {
        return Ok(None);
    };
    let body = read_body(reader, length)?;
    Ok(Some(parse(&body)))
}

/// The headers up to the blank line; the value of `Content-Length`.
fn read_headers(reader: &mut impl BufRead) -> Result<Option<u64>, TransportError> {
    let mut length = None;
    let mut total = 0;
    let mut first = true;
    loop {
        let mut line = Vec::new();
        let budget = (MAX_HEADER_BYTES - total) as u64 + 1;
        let read = reader.by_ref().take(budget).read_until(b'\n', &mut line)?;
        if read == 0 {
            if first {
                return Ok(None);
            }
            return Err(TransportError::Truncated);
        }
        first = false;
        total += read;
        if total > MAX_HEADER_BYTES {
            return Err(TransportError::Header(format!(
                "the headers are longer than {MAX_HEADER_BYTES} bytes"
            )));
        }
        let Some(line) = line.strip_suffix(b"\r\n") else {
            return Err(if line.ends_with(b"\n") {
                TransportError::Header("a header line ends without `\\r\\n`".to_owned())
            } else {
                TransportError::Truncated
            });
        };
        if line.is_empty() {
            return match length {
                Some(length) => Ok(Some(length)),
                None => Err(TransportError::Header(
                    "the message has no `Content-Length`".to_owned(),
                )),
            };
        }
        let line = String::from_utf8_lossy(line);
        let Some((name, value)) = line.split_once(':') else {
            return Err(TransportError::Header(format!(
                "`{}` is not `Name: value`",
                line.escape_debug()
            )));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            let value = value.trim();
            let parsed = value.parse::<u64>().map_err(|_| {
                TransportError::Header(format!(
                    "`Content-Length: {}` is not a number of bytes",
                    value.escape_debug()
                ))
            })?;
            length = Some(parsed);
        }
    }
}

/// The body of `length` bytes, read as it arrives rather than allocated up
/// front.
fn read_body(reader: &mut impl BufRead, length: u64) -> Result<Vec<u8>, TransportError> {
    if length > MAX_MESSAGE_BYTES as u64 {
        return Err(TransportError::TooLarge {
            length,
            limit: MAX_MESSAGE_BYTES,
        });
    }
    let mut body = Vec::with_capacity(length.min(64 * 1024) as usize);
    reader.by_ref().take(length).read_to_end(&mut body)?;
    if (body.len() as u64) < length {
        return Err(TransportError::Truncated);
    }
    Ok(body)
}

fn parse(body: &[u8]) -> Frame {
    let value: serde_json::Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(error) => {
            return Frame::Invalid(InvalidMessage {
                id: serde_json::Value::Null,
                code: PARSE_ERROR,
                message: format!("the message is not JSON: {error}"),
            });
        }
    };
    let id = value
        .get("id")
        .filter(|id| id.is_string() || id.is_number())
        .cloned()
        .unwrap_or(serde_json::Value::Null);
    match serde_json::from_value::<Message>(value) {
        Ok(message) => Frame::Message(message),
        Err(error) => Frame::Invalid(InvalidMessage {
            id,
            code: INVALID_REQUEST,
            message: format!("the message is not a request, a response or a notification: {error}"),
        }),
    }
}

/// Writes one framed message.
pub fn write_frame(writer: &mut impl Write, body: &str) -> io::Result<()> {
    write!(writer, "Content-Length: {}\r\n\r\n", body.len())?;
    writer.write_all(body.as_bytes())?;
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> (Vec<Frame>, Option<TransportError>) {
        let mut reader = io::BufReader::new(input);
        let mut frames = Vec::new();
        loop {
            match read_frame(&mut reader) {
                Ok(Some(frame)) => frames.push(frame),
                Ok(None) => return (frames, None),
                Err(error) => return (frames, Some(error)),
            }
        }
    }

    fn framed(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    #[test]
    fn messages_are_read_in_order() {
        let mut input = framed(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#);
        input.extend(framed(r#"{"jsonrpc":"2.0","method":"exit"}"#));
        let (frames, error) = frames(&input);
        assert!(error.is_none());
        assert_eq!(frames.len(), 2);
        assert!(
            matches!(&frames[0], Frame::Message(Message::Request(r)) if r.method == "shutdown")
        );
    }

    #[test]
    fn huge_lengths_are_refused_before_allocating() {
        for length in ["9223372036854775808", "1099511627776", "4294967296"] {
            let input = format!("Content-Length: {length}\r\n\r\n{{}}");
            let (frames, error) = frames(input.as_bytes());
            assert!(frames.is_empty());
            assert!(
                matches!(error, Some(TransportError::TooLarge { .. })),
                "{length}: {error:?}"
            );
        }
        let input = "Content-Length: 99999999999999999999999\r\n\r\n";
        assert!(matches!(
            frames(input.as_bytes()).1,
            Some(TransportError::Header(_))
        ));
    }

    #[test]
    fn malformed_headers_end_the_stream() {
        for input in [
            "Content-Type: x\r\n\r\n{}",
            "Content-Length 2\r\n\r\n{}",
            "Content-Length: 2\n\n{}",
            "Content-Length: -1\r\n\r\n",
        ] {
            let (frames, error) = frames(input.as_bytes());
            assert!(frames.is_empty(), "{input:?}");
            assert!(
                matches!(error, Some(TransportError::Header(_))),
                "{input:?}: {error:?}"
            );
        }
        let endless = vec![b'x'; MAX_HEADER_BYTES * 4];
        assert!(matches!(
            frames(&endless).1,
            Some(TransportError::Header(_))
        ));
    }

    #[test]
    fn a_short_body_is_truncated() {
        let (frames, error) = frames(b"Content-Length: 100\r\n\r\n{}");
        assert!(frames.is_empty());
        assert!(matches!(error, Some(TransportError::Truncated)));
    }

    #[test]
    fn bodies_that_are_not_messages_are_answered() {
        let mut input = framed("not json");
        input.extend(framed(r#"{"jsonrpc":"2.0","id":7}"#));
        input.extend(framed(r#"{"jsonrpc":"2.0","id":"x","error":5}"#));
        let (frames, error) = frames(&input);
        assert!(error.is_none(), "{error:?}");
        let invalid: Vec<&InvalidMessage> = frames
            .iter()
            .filter_map(|f| match f {
                Frame::Invalid(invalid) => Some(invalid),
                Frame::Message(_) => None,
            })
            .collect();
        assert_eq!(invalid.len(), 2, "{frames:?}");
        assert_eq!(invalid[0].code, PARSE_ERROR);
        assert_eq!(invalid[0].id, serde_json::Value::Null);
        assert_eq!(invalid[1].code, INVALID_REQUEST);
        assert_eq!(invalid[1].id, serde_json::json!("x"));
        let response: serde_json::Value = serde_json::from_str(&invalid[1].response()).unwrap();
        assert_eq!(response["error"]["code"], INVALID_REQUEST);
    }
}
