//! The `lacuna` command line: a thin shell over the library.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod fmt;

/// Checks governance proposals against norms.
#[derive(Debug, Parser)]
#[command(name = "lacuna", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Format `.norm` files in the canonical style.
    Fmt(fmt::FmtArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Fmt(args) => fmt::run(&args),
    }
}
