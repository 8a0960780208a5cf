//! What the language server asks of the engine: the server's
//! [`Analyzer`], implemented with an [`Engine`].
//!
//! The server knows nothing of the engine or of files; this module answers
//! for both. It resolves configuration exactly as `lacuna check` does (the
//! nearest `lacuna.toml`, or the file the client names), builds one engine
//! per rule set and keeps it until a rule file or a configuration file
//! changes, and prefers the text of an open buffer to the file on disk.
//!
//! Like the rest of the library it does no I/O of its own: it reads the
//! file system through the functions of a [`Disk`], which `lacuna lsp`
//! fills with the real ones, and tests with the real ones or fakes.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use crate::config::{
    CONFIG_FILE_NAME, ConfigFailure, ConfigFile, ConfigFinder, Overrides, PathKind, Settings,
};
use crate::{
    Date, Detail, Diagnostic, Engine, FindingFixes, Policy, RuleFile, SourceId, Stage, catalogue,
};
use lacuna_lsp::{Analysis, Analyzer, DocumentKind, Request, Rules};
use lacuna_report::RenderOptions;

/// A rule set: whether the standard rules are in, and the rule directories.
type RuleSetKey = (bool, Vec<PathBuf>);

/// An engine with what the server needs of it.
struct Built {
    engine: Engine,
    problems: Vec<Diagnostic>,
    rules: Arc<Rules>,
    /// The rule files by path on disk.
    files: BTreeMap<PathBuf, SourceId>,
}

#[derive(Default)]
struct Cache {
    finder: ConfigFinder,
    /// The settings of each configuration file, `None` for none.
    settings: BTreeMap<Option<PathBuf>, Settings>,
    rule_sets: BTreeMap<RuleSetKey, Arc<Built>>,
}

/// Checks documents as `lacuna check` would, with the configuration and
/// rules it would use.
pub struct Workspace {
    cache: Mutex<Cache>,
    today: Option<Date>,
    disk: Disk,
    standard_dir: Option<PathBuf>,
}

/// What is at a path on disk, as configuration discovery asks.
pub type Probe = fn(&Path) -> io::Result<PathKind>;

/// How the workspace reads the file system.
#[derive(Clone, Copy, Debug)]
pub struct Disk {
    /// What is at a path.
    pub probe: Probe,
    /// The bytes of a file.
    pub read: fn(&Path) -> io::Result<Vec<u8>>,
    /// The paths of the entries directly in a directory, in any order.
    pub list: fn(&Path) -> io::Result<Vec<PathBuf>>,
}

impl Workspace {
    /// `today` decides whether suppressions have expired; `disk` reads the
    /// file system. `standard_dir`, when given, holds copies of the
    /// embedded standard and built-in rule files (see
    /// [`embedded_rule_files`]), so that an editor can open the
    /// declarations they hold.
    pub fn new(today: Option<Date>, disk: Disk, standard_dir: Option<PathBuf>) -> Workspace {
        Workspace {
            cache: Mutex::new(Cache::default()),
            today,
            disk,
            standard_dir,
        }
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The configuration file that applies to a document.
    fn config_path(&self, request: &Request<'_>) -> Option<PathBuf> {
        if request.kind == DocumentKind::Config {
            return request.path.map(Path::to_path_buf);
        }
        if let Some(path) = &request.settings.config_path {
            return std::path::absolute(path).ok();
        }
        let path = std::path::absolute(request.path?).ok()?;
        self.cache()
            .finder
            .find_for(&path, self.disk.probe)
            .ok()
            .flatten()
    }

    /// The settings of the configuration file at `path`, from its open
    /// buffer or from disk; the defaults when it cannot be read or has
    /// errors (the file's own diagnostics show them).
    fn settings(&self, path: Option<&Path>, open: &dyn Fn(&Path) -> Option<Arc<str>>) -> Settings {
        let key = path.map(Path::to_path_buf);
        if let Some(settings) = self.cache().settings.get(&key) {
            return settings.clone();
        }
        let file = path.and_then(|path| config_file(path, open, self.disk).ok());
        let settings = Settings::resolve(file.as_ref(), &Overrides::default());
        self.cache().settings.insert(key, settings.clone());
        settings
    }

    fn rule_set(
        &self,
        settings: &Settings,
        open: &dyn Fn(&Path) -> Option<Arc<str>>,
    ) -> Arc<Built> {
        let key = (settings.default_rules, settings.rule_dirs.clone());
        if let Some(built) = self.cache().rule_sets.get(&key) {
            return Arc::clone(built);
        }
        let (files, paths) = rule_files(key.0, &key.1, open, self.disk);
        let built = Arc::new(build(files, &paths, self.standard_dir.as_deref()));
        self.cache().rule_sets.insert(key, Arc::clone(&built));
        built
    }

    fn proposal(
        &self,
        request: &Request<'_>,
        format: crate::Format,
        settings: &Settings,
        built: &Built,
    ) -> Option<Analysis> {
        if (request.cancelled)() {
            return None;
        }
        let mut sources = built.engine.sources().clone();
        let source = sources.add(request.name, request.text);
        let enabled = |norm: &str| settings.is_enabled(norm);
        let severity = |norm: &str, declared| settings.severity(norm, declared);
        let policy = Policy {
            enabled: &enabled,
            severity: &severity,
            today: self.today,
            // Diagnostics carry the evidence, as `--format lsp` does.
            detail: Detail::Full,
            // Repairs are searched for only when code actions ask for them.
            finding_fixes: if request.repairs {
                FindingFixes::Repair
            } else {
                FindingFixes::None
            },
        };
        let checked = built
            .engine
            .check_with(source, request.text.as_bytes(), format, &policy);
        Some(Analysis {
            rules: Arc::clone(&built.rules),
            sources,
            source,
            problems: checked.problems,
            findings: checked.findings,
            facts: Some(checked.facts),
        })
    }

    /// A rule file: its problems as part of the rule set its configuration
    /// loads, when it is in one of its directories; else built with the
    /// standard rules, in place of the standard file of the same name if
    /// there is one, so that its norms resolve against the standard
    /// vocabulary.
    fn rules(&self, request: &Request<'_>, built: &Built) -> Analysis {
        let path = request.path.and_then(|p| std::path::absolute(p).ok());
        if let Some(source) = path.as_ref().and_then(|p| built.files.get(p)) {
            return Analysis {
                rules: Arc::clone(&built.rules),
                sources: built.engine.sources().clone(),
                source: *source,
                problems: built.problems.clone(),
                findings: Vec::new(),
                facts: None,
            };
        }
        let file_name = Path::new(request.name).file_name().map_or_else(
            || request.name.to_owned(),
            |n| n.to_string_lossy().into_owned(),
        );
        let replaced = format!("<standard>/{file_name}");
        let mut files: Vec<RuleFile> = crate::standard_rules()
            .into_iter()
            .filter(|file| file.name != replaced)
            .collect();
        files.push(RuleFile {
            name: request.name.to_owned(),
            bytes: request.text.as_bytes().to_vec(),
        });
        let mut paths = BTreeMap::new();
        if let Some(path) = path {
            paths.insert(request.name.to_owned(), path);
        }
        let built = build(files, &paths, self.standard_dir.as_deref());
        // The document was added last.
        let source = built
            .engine
            .sources()
            .iter()
            .map(|(id, _)| id)
            .last()
            .unwrap_or(SourceId(0));
        Analysis {
            sources: built.engine.sources().clone(),
            source,
            problems: built.problems.clone(),
            findings: Vec::new(),
            facts: None,
            rules: built.rules,
        }
    }

    /// `lacuna.toml`: its own errors, and the selectors that match no norm
    /// of the rule set it loads.
    fn config(&self, request: &Request<'_>, built: &Built) -> Analysis {
        let mut sources = built.engine.sources().clone();
        let source = sources.add(request.name, request.text);
        let path = request
            .path
            .map_or_else(|| PathBuf::from(CONFIG_FILE_NAME), Path::to_path_buf);
        let mut problems = Vec::new();
        match ConfigFile::from_bytes(
            path,
            request.name.to_owned(),
            request.text.as_bytes().to_vec(),
            self.disk.probe,
        ) {
            Ok(file) => {
                let settings = Settings::resolve(Some(&file), &Overrides::default());
                let known: Vec<&str> = built
                    .engine
                    .program()
                    .norms
                    .iter()
                    .map(|norm| norm.id.as_str())
                    .collect();
                let warnings = settings.validate(&known);
                problems.extend(warnings.iter().map(|warning| {
                    crate::problem::from_miette(Stage::Config, source, warning, None)
                }));
            }
            Err(report) => problems.extend(
                report
                    .errors()
                    .iter()
                    .map(|error| crate::problem::from_miette(Stage::Config, source, error, None)),
            ),
        }
        Analysis {
            rules: Arc::clone(&built.rules),
            sources,
            source,
            problems,
            findings: Vec::new(),
            facts: None,
        }
    }
}

impl Analyzer for Workspace {
    fn analyze(&self, request: &Request<'_>) -> Option<Analysis> {
        let config = self.config_path(request);
        let settings = self.settings(config.as_deref(), request.open);
        if (request.cancelled)() {
            return None;
        }
        let built = self.rule_set(&settings, request.open);
        match request.kind {
            DocumentKind::Proposal(format) => self.proposal(request, format, &settings, &built),
            DocumentKind::Rules => Some(self.rules(request, &built)),
            DocumentKind::Config => Some(self.config(request, &built)),
        }
    }

    fn invalidate(&self) {
        let mut cache = self.cache();
        *cache = Cache::default();
    }
}

/// The bytes of a file: the open buffer's text, else the file on disk.
fn read(path: &Path, open: &dyn Fn(&Path) -> Option<Arc<str>>, disk: Disk) -> io::Result<Vec<u8>> {
    match open(path) {
        Some(text) => Ok(text.as_bytes().to_vec()),
        None => (disk.read)(path),
    }
}

/// The configuration file at `path`, from its open buffer or the disk.
fn config_file(
    path: &Path,
    open: &dyn Fn(&Path) -> Option<Arc<str>>,
    disk: Disk,
) -> Result<ConfigFile, ConfigFailure> {
    let name = path.display().to_string();
    let bytes = read(path, open, disk).map_err(|source| ConfigFailure::Read {
        path: name.clone(),
        source,
    })?;
    ConfigFile::from_bytes(path.to_path_buf(), name, bytes, disk.probe)
        .map_err(ConfigFailure::Invalid)
}

/// The rule files of a rule set, as `lacuna check` loads them, with the
/// text of open buffers; and where each is on disk, by name.
fn rule_files(
    default_rules: bool,
    dirs: &[PathBuf],
    open: &dyn Fn(&Path) -> Option<Arc<str>>,
    disk: Disk,
) -> (Vec<RuleFile>, BTreeMap<String, PathBuf>) {
    let mut files = if default_rules {
        crate::standard_rules()
    } else {
        Vec::new()
    };
    let mut paths = BTreeMap::new();
    for dir in dirs {
        let Ok(entries) = (disk.list)(dir) else {
            continue;
        };
        let mut found: Vec<PathBuf> = entries
            .into_iter()
            .filter(|p| {
                p.extension().is_some_and(|e| e == "norm")
                    && matches!((disk.probe)(p), Ok(PathKind::File))
            })
            .collect();
        found.sort();
        for path in found {
            let Ok(bytes) = read(&path, open, disk) else {
                continue;
            };
            let name = path.display().to_string();
            if let Ok(absolute) = std::path::absolute(&path) {
                paths.insert(name.clone(), absolute);
            }
            files.push(RuleFile { name, bytes });
        }
    }
    (files, paths)
}

/// Builds an engine and what the server reads of it.
fn build(
    files: Vec<RuleFile>,
    paths: &BTreeMap<String, PathBuf>,
    standard: Option<&Path>,
) -> Built {
    let (engine, problems) = Engine::build(files);
    let sources = engine.sources().clone();
    let plain = RenderOptions {
        color: false,
        width: 100,
        summary: None,
    };
    let explanations = catalogue::entries(&engine)
        .iter()
        .map(|entry| {
            (
                entry.id.clone(),
                catalogue::render_explain(entry, &sources, &plain),
            )
        })
        .collect();
    let mut source_paths = BTreeMap::new();
    let mut files = BTreeMap::new();
    for (id, file) in sources.iter() {
        if let Some(path) = paths.get(&file.name) {
            source_paths.insert(id, path.clone());
            files.insert(path.clone(), id);
        } else if let Some(dir) = standard
            && let Some(name) = file
                .name
                .strip_prefix("<standard>/")
                .or_else(|| file.name.strip_prefix("<builtin>/"))
        {
            source_paths.insert(id, dir.join(name));
        }
    }
    let rules = Rules {
        schema: engine.schema().clone(),
        program: engine.program().clone(),
        sources,
        explanations,
        paths: source_paths,
    };
    Built {
        engine,
        problems,
        rules: Arc::new(rules),
        files,
    }
}

/// The embedded standard and built-in rule files, by file name: what a
/// directory passed to [`Workspace::new`] as `standard_dir` should hold.
pub fn embedded_rule_files() -> Vec<(&'static str, &'static str)> {
    crate::STANDARD_RULES
        .iter()
        .copied()
        .chain(std::iter::once(crate::builtin_rules()))
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use lacuna_lsp::Settings as ClientSettings;

    const RULE: &str = "/// The title is `Titled`.\nnorm extra.titled {\n  severity: error\n  for p in proposal\n  require p.title == \"Titled\"\n}\n";

    /// A file system of three entries that exists only here: a
    /// configuration file, a rule directory and one rule file in it.
    fn fake() -> Disk {
        Disk {
            probe: |path| {
                Ok(match path.to_str() {
                    Some("/p/lacuna.toml" | "/p/rules/extra.norm") => PathKind::File,
                    Some("/p" | "/p/rules") => PathKind::Dir,
                    _ => PathKind::Missing,
                })
            },
            read: |path| match path.to_str() {
                Some("/p/lacuna.toml") => {
                    Ok(b"rules = [\"rules\"]\nselect = [\"extra\"]\n".to_vec())
                }
                Some("/p/rules/extra.norm") => Ok(RULE.as_bytes().to_vec()),
                _ => Err(io::ErrorKind::NotFound.into()),
            },
            list: |dir| match dir.to_str() {
                Some("/p/rules") => Ok(vec![PathBuf::from("/p/rules/extra.norm")]),
                _ => Err(io::ErrorKind::NotFound.into()),
            },
        }
    }

    #[test]
    fn configuration_and_rules_are_read_through_the_disk_it_is_given() {
        let workspace = Workspace::new(None, fake(), None);
        let settings = ClientSettings::default();
        let request = Request {
            kind: DocumentKind::Proposal(crate::Format::Toml),
            path: Some(Path::new("/p/proposal.toml")),
            name: "proposal.toml",
            text: "[proposal]\ntitle = \"Untitled\"\n",
            settings: &settings,
            open: &|_| None,
            repairs: false,
            cancelled: &|| false,
        };
        let analysis = workspace.analyze(&request).unwrap();
        let norms: Vec<&str> = analysis.findings.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(norms, ["extra.titled"]);
        assert!(analysis.problems.is_empty(), "{:?}", analysis.problems);
    }
}
