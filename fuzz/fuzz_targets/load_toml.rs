//! The proposal loader on arbitrary TOML text, against `rules/schema.norm`.
//!
//! See [`lacuna_fuzz::load`] for what it asserts.

#![no_main]

use lacuna_model::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    lacuna_fuzz::load(lacuna_fuzz::utf8_prefix(data), Format::Toml);
});
