//! The command-line flags of the configuration, for clap.

use std::path::PathBuf;

use lacuna_syntax::ast::Severity;

use super::selector::Selector;
use super::settings::Overrides;

/// Flags that choose the configuration and override it. Flatten into a
/// command with `#[command(flatten)]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, clap::Args)]
pub struct ConfigArgs {
    /// Use this configuration file instead of the nearest `lacuna.toml`.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Check only these norms: ids, prefixes (`forum`, `forum.*`) or `all`.
    /// Replaces the selection of the configuration file.
    #[arg(long, value_name = "SELECTORS", value_delimiter = ',')]
    pub select: Option<Vec<Selector>>,

    /// Check these norms too, on top of the selection.
    #[arg(long, value_name = "SELECTORS", value_delimiter = ',')]
    pub extend_select: Vec<Selector>,

    /// Do not check these norms.
    #[arg(long, value_name = "SELECTORS", value_delimiter = ',')]
    pub ignore: Vec<Selector>,

    /// Load the rule files of this directory too. Repeatable.
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,

    /// Do not load the standard rules.
    #[arg(long)]
    pub no_default_rules: bool,

    /// Fail (exit status 1) on findings of this severity too.
    #[arg(long, value_name = "SEVERITY")]
    pub deny: Option<Deny>,
}

/// The values of `--deny`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Deny {
    /// Warnings fail the run, as errors do.
    #[value(alias = "warning")]
    Warnings,
    /// Every finding fails the run.
    #[value(alias = "infos")]
    Info,
}

impl ConfigArgs {
    /// What the flags override in the configuration file.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            select: self.select.clone(),
            extend_select: self.extend_select.clone(),
            ignore: self.ignore.clone(),
            rule_dirs: self.rule_dirs.clone(),
            no_default_rules: self.no_default_rules,
            fail_on: self.deny.map(|deny| match deny {
                Deny::Warnings => Severity::Warning,
                Deny::Info => Severity::Info,
            }),
        }
    }
}
