//! Resolved settings: the configuration file and the command line merged,
//! answering "is this norm on, at what severity, and does it fail the run".

use std::collections::BTreeSet;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lacuna_syntax::Span;
use lacuna_syntax::ast::Severity;
use miette::NamedSource;
use toml_writer::{ToTomlKey as _, ToTomlValue as _};

use super::ConfigFile;
use super::error::{ConfigError, ConfigReport, UnknownSelector};
use super::options::Located;
use super::selector::Selector;
use lacuna_syntax::suggest::closest;

/// What the command line says about the configuration; every field
/// overrides the configuration file.
///
/// The binary fills it from its flags (see [`super::ConfigArgs`]). Paths in
/// `rule_dirs` are kept as given: relative to the current directory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `--select`: replaces the file's selection, its `ignore` and
    /// `extend-select` included.
    pub select: Option<Vec<Selector>>,
    /// `--extend-select`: adds norms on top of everything else.
    pub extend_select: Vec<Selector>,
    /// `--ignore`: removes norms on top of everything else.
    pub ignore: Vec<Selector>,
    /// `--rules DIR`: more rule directories, after the file's.
    pub rule_dirs: Vec<PathBuf>,
    /// `--no-default-rules`: drop the standard rules.
    pub no_default_rules: bool,
    /// `--deny warnings` is `Some(Severity::Warning)`.
    pub fail_on: Option<Severity>,
}

/// Where a layer of the norm selection comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Origin {
    Default,
    File,
    CommandLine,
}

/// One selector with where it was written: a span in the configuration
/// file, or the command-line flag it was given to.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    selector: Selector,
    place: Place,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Place {
    File(Span),
    Flag(&'static str),
}

/// One source of `select`, `extend-select` and `ignore`. Layers apply in
/// order; within a layer the most specific matching selector decides.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Layer {
    origin: Origin,
    select: Option<Vec<Entry>>,
    extend_select: Vec<Entry>,
    ignore: Vec<Entry>,
}

impl Layer {
    /// What this layer says about `norm_id`: `Some(true)` on, `Some(false)`
    /// off, `None` when it leaves the verdict of earlier layers alone.
    fn verdict(&self, norm_id: &str) -> Option<bool> {
        let enables = self
            .select
            .iter()
            .flatten()
            .chain(&self.extend_select)
            .map(|entry| (entry, true));
        let disables = self.ignore.iter().map(|entry| (entry, false));
        let mut best: Option<(usize, bool)> = None;
        for (entry, enable) in enables.chain(disables) {
            if !entry.selector.matches(norm_id) {
                continue;
            }
            let specificity = entry.selector.specificity();
            // The more specific selector wins; between equally specific
            // ones, `ignore` wins over `select`.
            let better = match best {
                None => true,
                Some((s, _)) if specificity > s => true,
                Some((s, on)) => specificity == s && on && !enable,
            };
            if better {
                best = Some((specificity, enable));
            }
        }
        match best {
            Some((_, enable)) => Some(enable),
            // A `select` replaces the selection: what it does not name is off.
            None if self.select.is_some() => Some(false),
            None => None,
        }
    }

    fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.select
            .iter()
            .flatten()
            .chain(&self.extend_select)
            .chain(&self.ignore)
    }

    fn is_empty(&self) -> bool {
        self.select.is_none() && self.extend_select.is_empty() && self.ignore.is_empty()
    }
}

/// A `[severity]` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
struct SeverityEntry {
    selector: Selector,
    span: Span,
    severity: Severity,
}

/// The configuration in force for a set of checked files.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The lowest severity that makes `lacuna check` exit with status 1.
    pub fail_on: Severity,
    /// Extra rule directories: the file's first, in file order, resolved
    /// against the file's directory, then those of the command line as given
    /// (relative to the current directory).
    pub rule_dirs: Vec<PathBuf>,
    /// Whether the standard rules embedded in the binary are loaded.
    pub default_rules: bool,
    config_file: Option<PathBuf>,
    source: Option<NamedSource<Arc<str>>>,
    layers: Vec<Layer>,
    severities: Vec<SeverityEntry>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings::resolve(None, &Overrides::default())
    }
}

impl Settings {
    /// Merges the configuration file, if any, with the command line.
    ///
    /// Relative rule directories of the file are taken relative to the
    /// file's directory; those of the command line are kept as given.
    pub fn resolve(file: Option<&ConfigFile>, overrides: &Overrides) -> Settings {
        let mut layers = vec![Layer {
            origin: Origin::Default,
            select: Some(vec![Entry {
                selector: Selector::all(),
                place: Place::Flag("default"),
            }]),
            extend_select: Vec::new(),
            ignore: Vec::new(),
        }];
        let mut rule_dirs = Vec::new();
        let mut fail_on = Severity::Error;
        let mut default_rules = true;
        let mut severities = Vec::new();

        if let Some(file) = file {
            let options = file.options();
            let entries = |list: &[Located<Selector>]| -> Vec<Entry> {
                list.iter()
                    .map(|s| Entry {
                        selector: s.value.clone(),
                        place: Place::File(s.span),
                    })
                    .collect()
            };
            layers.push(Layer {
                origin: Origin::File,
                select: options.select.as_deref().map(entries),
                extend_select: entries(&options.extend_select),
                ignore: entries(&options.ignore),
            });
            let dir = file.path().parent().unwrap_or(Path::new(""));
            rule_dirs.extend(options.rules.iter().map(|r| tidy(&dir.join(&r.value))));
            if let Some(severity) = &options.fail_on {
                fail_on = severity.value;
            }
            if let Some(flag) = &options.default_rules {
                default_rules = flag.value;
            }
            severities = options
                .severity
                .iter()
                .map(|o| SeverityEntry {
                    selector: o.selector.value.clone(),
                    span: o.selector.span,
                    severity: o.severity.value,
                })
                .collect();
        }

        let flag = |name: &'static str, list: &[Selector]| -> Vec<Entry> {
            list.iter()
                .map(|s| Entry {
                    selector: s.clone(),
                    place: Place::Flag(name),
                })
                .collect()
        };
        layers.push(Layer {
            origin: Origin::CommandLine,
            select: overrides.select.as_deref().map(|s| flag("--select", s)),
            extend_select: flag("--extend-select", &overrides.extend_select),
            ignore: flag("--ignore", &overrides.ignore),
        });
        layers.retain(|layer| !layer.is_empty());

        rule_dirs.extend(overrides.rule_dirs.iter().map(|dir| tidy(dir)));
        // A directory named twice is loaded once, where it first appears.
        let mut seen = BTreeSet::new();
        rule_dirs.retain(|dir| seen.insert(dir.clone()));
        if overrides.no_default_rules {
            default_rules = false;
        }
        if let Some(severity) = overrides.fail_on {
            fail_on = severity;
        }

        Settings {
            fail_on,
            rule_dirs,
            default_rules,
            config_file: file.map(|f| f.path().to_path_buf()),
            source: file.map(ConfigFile::named_source),
            layers,
            severities,
        }
    }

    /// The configuration file these settings were read from, if any.
    pub fn config_file(&self) -> Option<&Path> {
        self.config_file.as_deref()
    }

    /// Whether the norm `norm_id` is checked.
    pub fn is_enabled(&self, norm_id: &str) -> bool {
        // The last layer with something to say decides.
        self.layers
            .iter()
            .rev()
            .find_map(|layer| layer.verdict(norm_id))
            .unwrap_or(true)
    }

    /// The severity of the norm `norm_id`, which declares `declared`: the
    /// most specific matching `[severity]` entry, or `declared`.
    pub fn severity(&self, norm_id: &str, declared: Severity) -> Severity {
        let mut best: Option<&SeverityEntry> = None;
        for entry in &self.severities {
            if entry.selector.matches(norm_id)
                && best.is_none_or(|b| entry.selector.specificity() >= b.selector.specificity())
            {
                best = Some(entry);
            }
        }
        best.map_or(declared, |entry| entry.severity)
    }

    /// Whether a finding of `severity` makes the run fail.
    pub fn fails(&self, severity: Severity) -> bool {
        severity >= self.fail_on
    }

    /// Warnings for selectors, in the file and on the command line, that
    /// match none of `known_norm_ids`: most likely typos. `*` and `all`
    /// always match.
    pub fn validate(&self, known_norm_ids: &[&str]) -> Vec<ConfigError> {
        let mut warnings = Vec::new();
        let mut check = |selector: &Selector, place: &Place| {
            if selector.is_all() || known_norm_ids.iter().any(|id| selector.matches(id)) {
                return;
            }
            let candidates = selector.candidates(known_norm_ids);
            let help = closest(selector.stem(), candidates.iter().copied())
                .map(|stem| format!("did you mean `{}`?", selector.with_stem(stem)));
            let warning = match place {
                Place::File(span) => UnknownSelector::in_file(selector.as_str(), *span, help),
                Place::Flag(flag) => {
                    UnknownSelector::on_command_line(flag, selector.as_str(), help)
                }
            };
            warnings.push(ConfigError::UnknownSelector(warning));
        };
        for layer in self.layers.iter().filter(|l| l.origin != Origin::Default) {
            for entry in layer.entries() {
                check(&entry.selector, &entry.place);
            }
        }
        for entry in &self.severities {
            check(&entry.selector, &Place::File(entry.span));
        }
        warnings
    }

    /// Attaches the configuration file's text to `errors` (typically those
    /// of [`Settings::validate`]) for rendering.
    pub fn report(&self, errors: Vec<ConfigError>) -> ConfigReport {
        ConfigReport::new(self.source.clone(), errors)
    }

    /// The settings as TOML, for `--show-settings`: the file used, the
    /// rule directories, and the selection layers in the order they apply.
    /// The output is deterministic.
    pub fn to_toml_string(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        out.push_str("# Resolved settings.\n");
        match &self.config_file {
            Some(path) => {
                let _ = writeln!(out, "config-file = {}", display_path(path).to_toml_value());
            }
            None => out.push_str("# No configuration file: defaults and the command line apply.\n"),
        }
        let _ = writeln!(out, "fail-on = {}", self.fail_on.as_str().to_toml_value());
        let _ = writeln!(out, "default-rules = {}", self.default_rules);
        let dirs: Vec<String> = self.rule_dirs.iter().map(|d| display_path(d)).collect();
        let _ = writeln!(out, "rules = {}", dirs.to_toml_value());

        out.push_str("\n# Norm selection: each layer applies on top of the ones before it.\n");
        for layer in &self.layers {
            let from = match layer.origin {
                Origin::Default => "default".to_owned(),
                Origin::File => self
                    .config_file
                    .as_deref()
                    .map_or_else(|| "file".to_owned(), display_path),
                Origin::CommandLine => "command line".to_owned(),
            };
            out.push_str("[[selection]]\n");
            let _ = writeln!(out, "from = {}", from.to_toml_value());
            let list = |entries: &[Entry]| -> String {
                let names: Vec<&str> = entries.iter().map(|e| e.selector.as_str()).collect();
                names.to_toml_value()
            };
            if let Some(select) = &layer.select {
                let _ = writeln!(out, "select = {}", list(select));
            }
            if !layer.extend_select.is_empty() {
                let _ = writeln!(out, "extend-select = {}", list(&layer.extend_select));
            }
            if !layer.ignore.is_empty() {
                let _ = writeln!(out, "ignore = {}", list(&layer.ignore));
            }
            out.push('\n');
        }

        out.push_str("[severity]\n");
        for entry in &self.severities {
            let _ = writeln!(
                out,
                "{} = {}",
                entry.selector.as_str().to_toml_key(),
                entry.severity.as_str().to_toml_value()
            );
        }
        f.write_str(&out)
    }
}

fn display_path(path: &Path) -> String {
    path.display().to_string()
}

/// Drops `.` components and doubled separators, so that `rules = ["."]`
/// prints as the directory itself. `..` is kept: removing it lexically would
/// be wrong across symbolic links.
fn tidy(path: &Path) -> PathBuf {
    path.components().collect()
}
