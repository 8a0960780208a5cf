//! One module per subcommand; each parses its arguments with clap and calls the library.

pub mod check;
pub mod compare;
pub mod lsp;
pub mod norms;
pub mod report;
pub mod shared;
pub mod test;
