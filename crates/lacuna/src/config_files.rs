//! The file-system edge of `lacuna.toml`, a module of the binary only (the
//! library's `config` does no I/O).
//!
//! The library's [`lacuna::config`] does no I/O: it asks what is at a path
//! and takes the bytes of a file. This module answers from the real file
//! system, so the binary keeps the interface it had when configuration lived
//! in it: [`ConfigFinder::find_for`], [`load_settings`].

use std::path::{Path, PathBuf};

pub use lacuna::config::*;

pub use lacuna::input::probe;

/// Finds the `lacuna.toml` of checked files on disk, remembering what each
/// directory holds.
#[derive(Clone, Debug, Default)]
pub struct ConfigFinder {
    inner: lacuna::config::ConfigFinder,
}

impl ConfigFinder {
    pub fn new() -> ConfigFinder {
        ConfigFinder::default()
    }

    /// The nearest `lacuna.toml` in the directory of `file` or above, up to
    /// the root. A relative `file` is relative to the current directory.
    pub fn find_for(&mut self, file: &Path) -> Result<Option<PathBuf>, ConfigFailure> {
        self.inner.find_for(&absolute(file)?, probe)
    }

    /// The nearest `lacuna.toml` in the directory `dir` or above.
    pub fn find_from(&mut self, dir: &Path) -> Result<Option<PathBuf>, ConfigFailure> {
        self.inner.find_from(&absolute(dir)?, probe)
    }
}

/// Reads and checks the configuration file at `path`, rule directories
/// included. Errors name the file relative to the current directory when it
/// is below it.
pub fn load_config_file(path: &Path) -> Result<ConfigFile, ConfigFailure> {
    let name = display_name(path);
    let bytes = lacuna::input::read_file(path).map_err(|error| ConfigFailure::Read {
        path: name.clone(),
        source: error.into_io(),
    })?;
    ConfigFile::from_bytes(absolute(path)?, name, bytes, probe).map_err(ConfigFailure::Invalid)
}

/// Reads the configuration file `config`, if any, and merges it with the
/// command line. `None` means no file: defaults and overrides only.
pub fn load_settings(
    config: Option<&Path>,
    overrides: &Overrides,
) -> Result<Settings, ConfigFailure> {
    let file = config.map(load_config_file).transpose()?;
    Ok(Settings::resolve(file.as_ref(), overrides))
}

fn absolute(path: &Path) -> Result<PathBuf, ConfigFailure> {
    std::path::absolute(path).map_err(|source| ConfigFailure::Search {
        dir: path.display().to_string(),
        source,
    })
}

fn display_name(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf));
    relative
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use std::fs;

    use lacuna::Severity;

    use super::*;

    #[test]
    fn discovery_walks_up_through_directories_on_disk() {
        let root = tempfile::tempdir().unwrap();
        let root = root.path();
        fs::create_dir_all(root.join("a/b/c")).unwrap();
        fs::write(root.join("lacuna.toml"), "fail-on = \"info\"\n").unwrap();
        fs::write(root.join("a/lacuna.toml"), "select = [\"forum\"]\n").unwrap();
        // A directory with the name is not a configuration file.
        fs::create_dir(root.join("a/b/lacuna.toml")).unwrap();

        let mut finder = ConfigFinder::new();
        let proposal = root.join("a/b/c/proposal.toml");
        let found = finder.find_for(&proposal).unwrap();
        assert_eq!(found, Some(root.join("a/lacuna.toml")));
        assert_eq!(
            finder.find_from(root).unwrap(),
            Some(root.join("lacuna.toml"))
        );

        // The nearest file applies alone: the outer one is not merged in.
        let settings = load_settings(found.as_deref(), &Overrides::default()).unwrap();
        assert_eq!(settings.fail_on, Severity::Error);
        assert!(settings.is_enabled("forum.inclusive"));
        assert!(!settings.is_enabled("labour.portability"));
        assert_eq!(settings.config_file(), found.as_deref());
    }

    #[test]
    fn relative_paths_are_searched_from_the_current_directory() {
        // The crate directory has no `lacuna.toml`; whatever is found must be
        // in one of its ancestors.
        let found = ConfigFinder::new()
            .find_for(Path::new("Cargo.toml"))
            .unwrap();
        let here = std::env::current_dir().unwrap();
        if let Some(found) = found {
            assert!(here.starts_with(found.parent().unwrap()));
        }
    }

    #[test]
    fn an_unreadable_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let error = load_settings(Some(&dir.path().join("absent.toml")), &Overrides::default())
            .unwrap_err();
        assert!(matches!(error, ConfigFailure::Read { .. }));
        assert!(
            error
                .to_string()
                .starts_with("cannot read the configuration file `")
        );
    }

    #[test]
    fn no_file_means_defaults_and_overrides() {
        let overrides = Overrides {
            no_default_rules: true,
            ..Overrides::default()
        };
        let settings = load_settings(None, &overrides).unwrap();
        assert!(!settings.default_rules);
        assert_eq!(settings.config_file(), None);
    }
}
