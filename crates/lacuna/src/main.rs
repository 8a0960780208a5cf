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
    /// Compare a proposal with one or more options: what each change closes, opens and gives up.
    Compare(commands::compare::CompareArgs),
    /// Write one self-contained HTML report of proposals and their options.
    Report(commands::report::ReportArgs),
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
        Command::Report(args) => commands::report::run(&args),
        Command::Norms(args) => commands::norms::run(&args),
        Command::Explain(args) => commands::norms::explain(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Lsp => commands::lsp::run(),
    }
}
