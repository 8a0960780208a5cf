//! One handler a file; [`crate::server`] holds the table that routes each
//! method to its handler.

pub(crate) mod did_change;
pub(crate) mod did_close;
pub(crate) mod did_open;
pub(crate) mod did_save;
pub(crate) mod formatting;

use serde::de::DeserializeOwned;

/// The parameters of a message, or why they do not fit its method.
pub(crate) fn params<P: DeserializeOwned>(
    method: &str,
    value: serde_json::Value,
) -> Result<P, String> {
    serde_json::from_value(value)
        .map_err(|error| format!("invalid parameters for `{method}`: {error}"))
}
