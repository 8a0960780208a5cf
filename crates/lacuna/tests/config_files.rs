//! Configuration files on disk: the rendered errors of every broken file in
//! `fixtures/config/`, discovery walking up through directories, and rule
//! directories that do not exist.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::{fs, io};

use lacuna::Severity;
use lacuna::config::*;
use lacuna::input::probe;
use miette::Diagnostic;

/// Reads and checks the configuration file at `path`, as the binary does.
fn load(path: &Path) -> Result<ConfigFile, ConfigFailure> {
    let bytes = fs::read(path).map_err(|source| ConfigFailure::Read {
        path: path.display().to_string(),
        source,
    })?;
    ConfigFile::from_bytes(path.to_path_buf(), path.display().to_string(), bytes, probe)
        .map_err(ConfigFailure::Invalid)
}

/// Drawn as the binary draws it, without colour, at 100 columns.
fn render(diagnostic: &dyn Diagnostic) -> String {
    let mut out = String::new();
    lacuna_report::RenderOptions::default()
        .graphical_handler()
        .render_report(&mut out, diagnostic)
        .unwrap();
    out
}

/// Every file in `fixtures/config/` is checked as it is when loaded, and the
/// rendered errors are snapshotted; the valid file has none.
#[test]
fn fixture_errors() {
    insta::glob!("../../../fixtures/config", "*.toml", |path| {
        let name = format!(
            "fixtures/config/{}",
            path.file_name().unwrap().to_string_lossy()
        );
        let bytes = fs::read(path).unwrap();
        let rendered = match ConfigFile::from_bytes(path.to_path_buf(), name, bytes, probe) {
            Ok(_) => "no errors\n".to_owned(),
            Err(report) => {
                assert!(!report.is_warning());
                render(&report)
            }
        };
        insta::assert_snapshot!(rendered);
    });
}

#[test]
fn read_failures_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let error = load(&dir.path().join("absent.toml")).unwrap_err();
    assert!(matches!(error, ConfigFailure::Read { .. }));
    assert!(render(&error).contains("cannot read the configuration file `"));
}

#[test]
fn discovery_walks_up_to_the_nearest_file() {
    let root = tempfile::tempdir().unwrap();
    let root = root.path();
    let deep = root.join("a/b/c");
    fs::create_dir_all(&deep).unwrap();
    fs::create_dir_all(root.join("a/other")).unwrap();
    fs::write(root.join("lacuna.toml"), "fail-on = \"info\"\n").unwrap();
    fs::write(root.join("a/b/lacuna.toml"), "select = [\"forum\"]\n").unwrap();
    // A directory with the name is not a configuration file.
    fs::create_dir_all(root.join("a/b/c/lacuna.toml")).unwrap();

    let mut finder = ConfigFinder::new();
    let proposal = deep.join("proposal.toml");
    assert_eq!(
        finder.find_for(&proposal, probe).unwrap(),
        Some(root.join("a/b/lacuna.toml"))
    );
    // Siblings higher up see the outer file.
    assert_eq!(
        finder
            .find_for(&root.join("a/other/p.toml"), probe)
            .unwrap(),
        Some(root.join("lacuna.toml"))
    );
    assert_eq!(
        finder.find_for(&root.join("a/b/p.json"), probe).unwrap(),
        Some(root.join("a/b/lacuna.toml"))
    );
    assert_eq!(
        ConfigFinder::new()
            .find_from(&root.join("a"), probe)
            .unwrap(),
        Some(root.join("lacuna.toml"))
    );

    // The settings of the nearest file apply; the outer file is not merged.
    let found = finder.find_for(&proposal, probe).unwrap().unwrap();
    let settings = Settings::resolve(Some(&load(&found).unwrap()), &Overrides::default());
    assert_eq!(settings.fail_on, Severity::Error);
    assert!(settings.is_enabled("forum.inclusive"));
    assert!(!settings.is_enabled("labour.portability"));
    assert_eq!(settings.config_file(), Some(found.as_path()));

    // Without the inner file, the search climbs to the outer one; nothing
    // is found inside `root` once that is gone too.
    fs::remove_file(root.join("a/b/lacuna.toml")).unwrap();
    assert_eq!(
        ConfigFinder::new().find_for(&proposal, probe).unwrap(),
        Some(root.join("lacuna.toml"))
    );
    fs::remove_file(root.join("lacuna.toml")).unwrap();
    let outside = ConfigFinder::new().find_for(&proposal, probe).unwrap();
    assert!(outside.is_none_or(|p| !p.starts_with(root)));
}

#[test]
fn discovery_asks_each_directory_once() {
    let asked = std::cell::RefCell::new(Vec::new());
    let counting = |path: &Path| {
        asked.borrow_mut().push(path.to_path_buf());
        Ok(if path == Path::new("/p/lacuna.toml") {
            PathKind::File
        } else {
            PathKind::Missing
        })
    };
    let mut finder = ConfigFinder::new();
    for file in ["/p/a/b/x.toml", "/p/a/b/y.toml", "/p/a/z.toml", "/q/w.toml"] {
        let found = finder.find_for(Path::new(file), counting).unwrap();
        let expected = file
            .starts_with("/p/")
            .then(|| PathBuf::from("/p/lacuna.toml"));
        assert_eq!(found, expected, "{file}");
    }
    assert_eq!(
        asked.into_inner(),
        [
            "/p/a/b/lacuna.toml",
            "/p/a/lacuna.toml",
            "/p/lacuna.toml",
            "/q/lacuna.toml",
            "/lacuna.toml",
        ]
        .map(PathBuf::from)
    );
}

#[test]
fn discovery_reports_a_directory_it_cannot_read() {
    let failing = |path: &Path| {
        if path == Path::new("/locked/lacuna.toml") {
            Err(io::Error::from(io::ErrorKind::PermissionDenied))
        } else {
            Ok(PathKind::Missing)
        }
    };
    let error = ConfigFinder::new()
        .find_for(Path::new("/locked/in/x.toml"), failing)
        .unwrap_err();
    assert!(matches!(error, ConfigFailure::Search { .. }));
    assert!(render(&error).contains("cannot look for a configuration file in `/locked`"));
}

#[test]
fn rule_directories_are_checked_against_the_files_directory() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("rules")).unwrap();
    fs::write(
        dir.path().join("lacuna.toml"),
        "rules = [\"rules\", \"gone\"]\n",
    )
    .unwrap();
    let error = load(&dir.path().join("lacuna.toml")).unwrap_err();
    let ConfigFailure::Invalid(report) = error else {
        panic!("expected an invalid file, got {error:?}");
    };
    assert_eq!(report.errors().len(), 1);
    assert_eq!(
        report.errors()[0].to_string(),
        "rule directory `gone` does not exist"
    );

    fs::create_dir(dir.path().join("gone")).unwrap();
    let file = load(&dir.path().join("lacuna.toml")).unwrap();
    let settings = Settings::resolve(Some(&file), &Overrides::default());
    assert_eq!(
        settings.rule_dirs,
        [dir.path().join("rules"), dir.path().join("gone")]
    );
}

#[test]
fn hostile_input_is_reported_not_fatal() {
    let deep = format!("select = {}", "[".repeat(100_000));
    let (_, errors) = parse_options(&deep);
    assert!(!errors.is_empty());

    let dotted = format!("[severity]\n{} = \"error\"\n", vec!["a"; 10_000].join("."));
    let (_, errors) = parse_options(&dotted);
    assert!(!errors.is_empty());

    let (options, errors) = parse_options("\u{feff}select = [\"forum\"]\r\n");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(options.select.unwrap().len(), 1);
}
