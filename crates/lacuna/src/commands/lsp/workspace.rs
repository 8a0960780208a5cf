//! What the language server asks of the engine and the file system.
//!
//! The server knows nothing of either; this module answers for them. It resolves configuration exactly as `lacuna
//! check` does (the nearest `lacuna.toml`, or the file the client names),
//! builds one engine per rule set and keeps it until a rule file or a
//! configuration file changes, and prefers the text of an open buffer to
//! the file on disk. The server's tests include this module too, so they
//! drive the same checks.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::{fs, io};

use lacuna::config::{CONFIG_FILE_NAME, ConfigFile, ConfigFinder, Overrides, PathKind, Settings};
use lacuna::{
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
    probe: Probe,
}

/// What is at a path on disk, as configuration discovery asks.
pub type Probe = fn(&Path) -> io::Result<PathKind>;

impl Workspace {
    /// `today` decides whether suppressions have expired; `probe` looks
    /// at the file system.
    pub fn new(today: Option<Date>, probe: Probe) -> Workspace {
        Workspace {
            cache: Mutex::new(Cache::default()),
            today,
            probe,
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
            .find_for(&path, self.probe)
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
        let file = path.and_then(|path| config_file(path, open, self.probe).ok());
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
        let (files, paths) = rule_files(key.0, &key.1, open);
        let built = Arc::new(build(files, &paths));
        self.cache().rule_sets.insert(key, Arc::clone(&built));
        built
    }

    fn proposal(
        &self,
        request: &Request<'_>,
        format: lacuna::Format,
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
        let mut files: Vec<RuleFile> = lacuna::standard_rules()
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
        let built = build(files, &paths);
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
            self.probe,
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
                    lacuna::problem::from_miette(Stage::Config, source, warning, None)
                }));
            }
            Err(report) => problems.extend(
                report
                    .errors()
                    .iter()
                    .map(|error| lacuna::problem::from_miette(Stage::Config, source, error, None)),
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
fn read(path: &Path, open: &dyn Fn(&Path) -> Option<Arc<str>>) -> io::Result<Vec<u8>> {
    match open(path) {
        Some(text) => Ok(text.as_bytes().to_vec()),
        None => fs::read(path),
    }
}

fn config_file(
    path: &Path,
    open: &dyn Fn(&Path) -> Option<Arc<str>>,
    probe: Probe,
) -> Result<ConfigFile, String> {
    let bytes = read(path, open).map_err(|error| error.to_string())?;
    let name = path.display().to_string();
    ConfigFile::from_bytes(path.to_path_buf(), name, bytes, probe).map_err(|e| e.to_string())
}

/// The rule files of a rule set, as `lacuna check` loads them, with the
/// text of open buffers; and where each is on disk, by name.
fn rule_files(
    default_rules: bool,
    dirs: &[PathBuf],
    open: &dyn Fn(&Path) -> Option<Arc<str>>,
) -> (Vec<RuleFile>, BTreeMap<String, PathBuf>) {
    let mut files = if default_rules {
        lacuna::standard_rules()
    } else {
        Vec::new()
    };
    let mut paths = BTreeMap::new();
    for dir in dirs {
        let Ok(entries) = fs::read_dir(dir) else {
            continue;
        };
        let mut found: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "norm") && p.is_file())
            .collect();
        found.sort();
        for path in found {
            let Ok(bytes) = read(&path, open) else {
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
fn build(files: Vec<RuleFile>, paths: &BTreeMap<String, PathBuf>) -> Built {
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
    let standard = standard_dir();
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

/// A directory holding the embedded standard and built-in rule files, so
/// that an editor can open the declarations they hold. Written once per
/// process; `None` when it cannot be written.
fn standard_dir() -> Option<&'static Path> {
    static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("lacuna-{}-rules", lacuna_report::VERSION));
        fs::create_dir_all(&dir).ok()?;
        let builtin = lacuna::builtin_rules();
        for (name, text) in lacuna::STANDARD_RULES
            .iter()
            .chain(std::iter::once(&builtin))
        {
            let path = dir.join(name);
            if fs::read(&path).ok().as_deref() != Some(text.as_bytes()) {
                fs::write(&path, text).ok()?;
            }
        }
        Some(dir)
    })
    .as_deref()
}
