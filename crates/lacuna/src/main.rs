//! The `lacuna` command line: a thin shell over the library.

// The binary is the one place that prints; the libraries only return text.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod commands;
mod config_files;
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
    /// Check proposals against the norms.
    Check(commands::check::CheckArgs),
    /// Run the rule tests: fixture proposals annotated with `# expect:` and `# ok:`.
    Test(commands::test::TestArgs),
    /// Compare two proposals: the findings a change closes and the ones it opens.
    Compare(commands::compare::CompareArgs),
    /// List the norms.
    Norms(commands::norms::NormsArgs),
    /// Explain a norm: what it checks, why, and an example.
    Explain(commands::norms::ExplainArgs),
    /// Format `.norm` files in the canonical style.
    Fmt(fmt::FmtArgs),
    /// Run the language server over standard input and output.
    Lsp,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => commands::check::run(&args),
        Command::Test(args) => commands::test::run(&args),
        Command::Compare(args) => commands::compare::run(&args),
        Command::Norms(args) => commands::norms::run(&args),
        Command::Explain(args) => commands::norms::explain(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Lsp => commands::lsp::run(),
    }
}
