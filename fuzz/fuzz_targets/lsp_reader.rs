//! The language server's message reader on arbitrary bytes.
//!
//! Asserts that framing never panics or allocates more than the bytes
//! given allow (libFuzzer's `-rss_limit_mb` catches an allocation taken on
//! a client's word), that it ends on every input, and that every answer to
//! a body that is not a message is a JSON-RPC error response.

#![no_main]

use std::io::BufReader;

use lacuna_lsp::transport::{Frame, read_frame};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut reader = BufReader::new(data);
    // Each frame consumes at least one byte, so the loop ends.
    for _ in 0..=data.len() {
        match read_frame(&mut reader) {
            Ok(Some(Frame::Message(_))) => {}
            Ok(Some(Frame::Invalid(invalid))) => {
                let response: serde_json::Value =
                    serde_json::from_str(&invalid.response()).unwrap_or_default();
                assert_eq!(response["jsonrpc"], "2.0");
                assert!(response["error"]["code"].is_i64());
            }
            Ok(None) | Err(_) => return,
        }
    }
    panic!("the reader did not end");
});
