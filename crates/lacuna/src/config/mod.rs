//! `lacuna.toml`: which norms run, at what severity, from which rule
//! directories, and which findings fail the run.
//!
//! Like the rest of the library, this module does no I/O: the caller reads
//! files and answers "what is at this path" with a [`PathKind`] probe, so
//! that the library stays free of the file system and tests can answer from
//! a map. The flow, for the command line:
//!
//! 1. [`ConfigArgs`] (flattened into a clap command) gives the [`Overrides`]
//!    and an explicit `--config PATH`, if any.
//! 2. Without `--config`, a [`ConfigFinder`] finds the configuration file of
//!    each checked file: the nearest `lacuna.toml` in its directory or above.
//!    Files are grouped by the file found (different files may load different
//!    rule directories).
//! 3. The caller reads the file, and [`ConfigFile::from_bytes`] checks it;
//!    [`Settings::resolve`] merges it with the overrides.
//! 4. Once rules are loaded, [`Settings::validate`] warns about selectors that
//!    match no norm, and [`Settings::report`] attaches the file's text for
//!    rendering.
//!
//! `docs/configuration.md` describes the file for users.

mod args;
mod error;
mod options;
mod selector;
mod settings;

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lacuna_syntax::Span;
use miette::NamedSource;

pub use args::{ConfigArgs, Deny};
pub use error::{ConfigError, ConfigFailure, ConfigReport};
pub use options::{KEYS, Located, Options, SeverityOption, parse_options};
pub use selector::{Selector, SelectorError};
pub use settings::{Overrides, Settings};

use error::{MissingRuleDir, NotUtf8};

/// The name of the configuration file looked for beside checked files.
pub const CONFIG_FILE_NAME: &str = "lacuna.toml";

/// A configuration file read and checked.
#[derive(Clone, Debug)]
pub struct ConfigFile {
    path: PathBuf,
    name: String,
    text: Arc<str>,
    options: Options,
}

impl ConfigFile {
    /// Checks the bytes of the configuration file at `path`, which errors
    /// call `name` (typically the path relative to the current directory).
    ///
    /// Relative rule directories are taken relative to the directory of
    /// `path`, and `probe` is asked whether each exists; every problem of the
    /// file is reported at once. A file that is not UTF-8 is reported at its
    /// first bad byte.
    pub fn from_bytes<P>(
        path: PathBuf,
        name: String,
        bytes: Vec<u8>,
        probe: P,
    ) -> Result<ConfigFile, ConfigReport>
    where
        P: Fn(&Path) -> io::Result<PathKind>,
    {
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => {
                let at = error.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
                // In the lossy text the bad byte became U+FFFD, three bytes long.
                let start = u32::try_from(at).unwrap_or(u32::MAX);
                let span = Span::new(start, start.saturating_add(3));
                let source = NamedSource::new(&name, Arc::from(text));
                let errors = vec![ConfigError::NotUtf8(NotUtf8::new(span))];
                return Err(ConfigReport::new(Some(source), errors));
            }
        };
        ConfigFile::check(path, name, text, |path, options| {
            missing_rule_dirs(path, options, probe)
        })
    }

    /// Checks the text of a configuration file, without checking that its
    /// rule directories exist. `path` is where the file is (rule directories
    /// are relative to its directory); `name` is how errors call it.
    pub fn parse(path: PathBuf, name: String, text: String) -> Result<ConfigFile, ConfigReport> {
        ConfigFile::check(path, name, text, |_, _| Vec::new())
    }

    /// Parses `text` and adds the errors `more` finds in the options read,
    /// so that every problem of the file is reported at once.
    fn check<F>(
        path: PathBuf,
        name: String,
        text: String,
        more: F,
    ) -> Result<ConfigFile, ConfigReport>
    where
        F: FnOnce(&Path, &Options) -> Vec<ConfigError>,
    {
        let (options, mut errors) = parse_options(&text);
        errors.extend(more(&path, &options));
        let text: Arc<str> = Arc::from(text);
        if !errors.is_empty() {
            let source = NamedSource::new(&name, text);
            return Err(ConfigReport::new(Some(source), errors));
        }
        Ok(ConfigFile {
            path,
            name,
            text,
            options,
        })
    }

    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the file says.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The file's text under its display name, to attach to errors.
    pub fn named_source(&self) -> NamedSource<Arc<str>> {
        NamedSource::new(&self.name, Arc::clone(&self.text))
    }
}

/// What is at a path, as the caller's file system answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathKind {
    /// A file, or a link to one.
    File,
    /// A directory, or a link to one.
    Dir,
    /// Nothing, or a path through a file (`NotFound`, `NotADirectory`).
    Missing,
}

/// The directories of `rules` that are missing, relative to the directory
/// of the configuration file at `path`.
fn missing_rule_dirs<P>(path: &Path, options: &Options, probe: P) -> Vec<ConfigError>
where
    P: Fn(&Path) -> io::Result<PathKind>,
{
    let dir = path.parent().unwrap_or(Path::new(""));
    let mut errors = Vec::new();
    for rules in &options.rules {
        let (written, span) = (&rules.value, rules.span);
        let problem = match probe(&dir.join(written)) {
            Ok(PathKind::Dir) => None,
            Ok(PathKind::File) => Some(MissingRuleDir::not_a_directory(written, span)),
            Ok(PathKind::Missing) => Some(MissingRuleDir::not_found(written, span)),
            Err(error) => Some(MissingRuleDir::unreadable(written, span, &error)),
        };
        errors.extend(problem.map(ConfigError::MissingRuleDir));
    }
    errors
}

/// Finds the configuration file of many checked files, remembering the
/// answer for every directory it has looked at, so each directory is looked
/// at once.
#[derive(Clone, Debug, Default)]
pub struct ConfigFinder {
    found: BTreeMap<PathBuf, Option<PathBuf>>,
}

impl ConfigFinder {
    /// A finder that has looked at no directory yet.
    pub fn new() -> ConfigFinder {
        ConfigFinder::default()
    }

    /// The configuration file of the checked file `file`: the nearest
    /// `lacuna.toml` in the file's directory or above, up to the root.
    ///
    /// `file` should be absolute (`std::path::absolute`): the search climbs
    /// the path as written, so a relative path stops at the current
    /// directory.
    pub fn find_for<P>(&mut self, file: &Path, probe: P) -> Result<Option<PathBuf>, ConfigFailure>
    where
        P: Fn(&Path) -> io::Result<PathKind>,
    {
        let dir = file.parent().unwrap_or(Path::new(""));
        self.find_from(dir, probe)
    }

    /// The nearest `lacuna.toml` in the directory `dir` or above.
    pub fn find_from<P>(&mut self, dir: &Path, probe: P) -> Result<Option<PathBuf>, ConfigFailure>
    where
        P: Fn(&Path) -> io::Result<PathKind>,
    {
        let mut visited = Vec::new();
        let mut found = None;
        for ancestor in dir.ancestors() {
            if let Some(known) = self.found.get(ancestor) {
                found = known.clone();
                break;
            }
            visited.push(ancestor.to_path_buf());
            let candidate = ancestor.join(CONFIG_FILE_NAME);
            match probe(&candidate) {
                Ok(PathKind::File) => {
                    found = Some(candidate);
                    break;
                }
                // A directory called `lacuna.toml` is not a configuration file.
                Ok(PathKind::Dir | PathKind::Missing) => {}
                Err(source) => {
                    return Err(ConfigFailure::Search {
                        dir: ancestor.display().to_string(),
                        source,
                    });
                }
            }
        }
        for dir in visited {
            self.found.insert(dir, found.clone());
        }
        Ok(found)
    }
}
