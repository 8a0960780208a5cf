//! The settings a configuration makes: selectors, the precedence of
//! `select`, `extend-select` and `ignore`, command-line overrides, severity
//! overrides, `--show-settings` and the warnings for selectors that match
//! nothing.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use lacuna::Severity;
use lacuna::config::*;
use miette::Diagnostic;

fn selectors(list: &[&str]) -> Vec<Selector> {
    list.iter().map(|s| Selector::parse(s).unwrap()).collect()
}

/// A configuration file at `/project/lacuna.toml` with the text `text`.
fn file(text: &str) -> ConfigFile {
    match ConfigFile::parse(
        PathBuf::from("/project/lacuna.toml"),
        "lacuna.toml".to_owned(),
        text.to_owned(),
    ) {
        Ok(file) => file,
        Err(report) => panic!("{}", render(&report)),
    }
}

fn settings(text: &str) -> Settings {
    Settings::resolve(Some(&file(text)), &Overrides::default())
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

/// The norms of `enabled` that `settings` enables, of a fixed catalogue.
fn enabled(settings: &Settings) -> Vec<&'static str> {
    NORMS
        .iter()
        .copied()
        .filter(|id| settings.is_enabled(id))
        .collect()
}

const NORMS: [&str; 9] = [
    "forum",
    "forum.inclusive",
    "forum.permanent",
    "forum.un-anchored",
    "forumx.a",
    "labour.portability",
    "protection.coverage",
    "protection.field-presence",
    "protection.field-presence.remote",
];

#[test]
fn selector_forms() {
    let all = Selector::parse("*").unwrap();
    assert!(all.is_all() && all.matches("forumx.a") && all.specificity() == 0);
    assert!(Selector::parse("all").unwrap().is_all());

    let prefix = Selector::parse("forum").unwrap();
    assert!(prefix.matches("forum"));
    assert!(prefix.matches("forum.permanent"));
    assert!(!prefix.matches("forumx.a"));
    assert!(!prefix.matches("foru"));
    assert_eq!(prefix.specificity(), 1);

    let children = Selector::parse("forum.*").unwrap();
    assert!(!children.matches("forum"));
    assert!(children.matches("forum.permanent"));
    assert!(!children.matches("forumx.a"));
    assert_eq!(children.specificity(), 1);

    let exact = Selector::parse("protection.field-presence").unwrap();
    assert!(exact.matches("protection.field-presence"));
    assert!(exact.matches("protection.field-presence.remote"));
    assert!(!exact.matches("protection.field"));
    assert_eq!(exact.specificity(), 2);
    assert_eq!(exact.to_string(), "protection.field-presence");
}

#[test]
fn invalid_selectors_explain_themselves() {
    let cases = [
        ("", "a selector cannot be empty"),
        ("Forum", "norm ids are lowercase"),
        ("forum..x", "a norm id cannot have an empty segment"),
        ("forum.", "a norm id cannot have an empty segment"),
        (".forum", "a norm id cannot have an empty segment"),
        (
            "*.coverage",
            "`*` may only stand alone or end a selector after a `.`",
        ),
        (
            "forum*",
            "`*` may only stand alone or end a selector after a `.`",
        ),
        (
            "forum.**",
            "`*` may only stand alone or end a selector after a `.`",
        ),
        (".*", "a norm id cannot have an empty segment"),
        ("forum. x", "a selector cannot contain spaces"),
        ("-forum", "a segment of a norm id cannot start with `-`"),
        (
            "forum/x",
            "norm ids use only `a`-`z`, `0`-`9`, `_`, `-` and `.`",
        ),
        (
            "forüm",
            "norm ids use only `a`-`z`, `0`-`9`, `_`, `-` and `.`",
        ),
    ];
    for (text, reason) in cases {
        let error = Selector::parse(text).unwrap_err();
        assert_eq!(error.reason(), reason, "{text:?}");
    }
    assert_eq!(
        Selector::parse("Forum.Permanent").unwrap_err().to_string(),
        "invalid selector `Forum.Permanent`: norm ids are lowercase"
    );
    assert_eq!(
        Selector::parse("Forum.Permanent").unwrap_err().help(),
        Some("write `forum.permanent`")
    );
}

#[test]
fn everything_is_enabled_by_default() {
    let settings = Settings::default();
    assert_eq!(enabled(&settings), NORMS.to_vec());
    assert_eq!(settings.fail_on, Severity::Error);
    assert!(settings.default_rules);
    assert!(settings.rule_dirs.is_empty());
    assert_eq!(settings.config_file(), None);
}

#[test]
fn select_replaces_the_default() {
    let settings = settings("select = [\"forum.*\", \"labour.portability\"]");
    assert_eq!(
        enabled(&settings),
        [
            "forum.inclusive",
            "forum.permanent",
            "forum.un-anchored",
            "labour.portability"
        ]
    );
    assert!(enabled(&self::settings("select = []")).is_empty());
}

#[test]
fn the_most_specific_selector_wins() {
    // An ignored family with one member selected back.
    let settings = self::settings("ignore = [\"forum\"]\nextend-select = [\"forum.inclusive\"]");
    assert!(settings.is_enabled("forum.inclusive"));
    assert!(!settings.is_enabled("forum.permanent"));
    assert!(!settings.is_enabled("forum"));
    assert!(settings.is_enabled("forumx.a"));

    // A selected family with one member ignored, whatever the order of keys.
    let settings = self::settings("ignore = [\"forum.un-anchored\"]\nselect = [\"forum\"]");
    assert_eq!(
        enabled(&settings),
        ["forum", "forum.inclusive", "forum.permanent"]
    );

    // Deeper prefixes beat shallower ones in both directions.
    let settings = self::settings(
        "select = [\"protection.field-presence.remote\"]\nignore = [\"protection\"]",
    );
    assert_eq!(enabled(&settings), ["protection.field-presence.remote"]);
}

#[test]
fn ignore_wins_between_equally_specific_selectors() {
    let settings = settings("select = [\"forum\"]\nignore = [\"forum.*\"]");
    // `forum.*` does not match `forum` itself, so `select` decides there.
    assert_eq!(enabled(&settings), ["forum"]);

    let settings = self::settings("select = [\"forum.inclusive\"]\nignore = [\"forum.inclusive\"]");
    assert!(enabled(&settings).is_empty());

    let settings = self::settings("select = [\"all\"]\nignore = [\"*\"]");
    assert!(enabled(&settings).is_empty());
}

#[test]
fn extend_select_adds_to_the_default_and_to_select() {
    let settings = settings("extend-select = [\"forum\"]\nignore = [\"forum.permanent\"]");
    assert_eq!(enabled(&settings).len(), NORMS.len() - 1);

    let settings = self::settings("select = [\"labour\"]\nextend-select = [\"forumx\"]");
    assert_eq!(enabled(&settings), ["forumx.a", "labour.portability"]);
}

#[test]
fn command_line_select_replaces_the_whole_file_selection() {
    let file =
        file("select = [\"forum\"]\nignore = [\"forum.inclusive\"]\nextend-select = [\"labour\"]");
    let overrides = Overrides {
        select: Some(selectors(&["forum.inclusive", "protection.coverage"])),
        ..Overrides::default()
    };
    let settings = Settings::resolve(Some(&file), &overrides);
    assert_eq!(
        enabled(&settings),
        ["forum.inclusive", "protection.coverage"]
    );
}

#[test]
fn command_line_ignore_and_extend_select_apply_on_top_of_the_file() {
    let file =
        file("select = [\"forum.inclusive\", \"protection\"]\nignore = [\"labour.portability\"]");
    let overrides = Overrides {
        // Less specific than the file's `forum.inclusive`, and still wins:
        // the command line is a later layer.
        ignore: selectors(&["forum", "protection.coverage"]),
        extend_select: selectors(&["labour"]),
        ..Overrides::default()
    };
    let settings = Settings::resolve(Some(&file), &overrides);
    assert_eq!(
        enabled(&settings),
        [
            "labour.portability",
            "protection.field-presence",
            "protection.field-presence.remote"
        ]
    );
}

#[test]
fn command_line_overrides_without_a_file() {
    let overrides = Overrides {
        select: Some(selectors(&["forum"])),
        ignore: selectors(&["forum.permanent"]),
        rule_dirs: vec![
            PathBuf::from("/rules/extra"),
            PathBuf::from("/rules/./extra"),
            PathBuf::from("local/rules"),
        ],
        no_default_rules: true,
        fail_on: Some(Severity::Info),
        ..Overrides::default()
    };
    let settings = Settings::resolve(None, &overrides);
    assert_eq!(
        enabled(&settings),
        ["forum", "forum.inclusive", "forum.un-anchored"]
    );
    assert!(!settings.default_rules);
    assert_eq!(settings.fail_on, Severity::Info);
    assert!(settings.fails(Severity::Info));
    // The same directory named twice is loaded once; relative directories
    // stay relative to the current directory.
    assert_eq!(
        settings.rule_dirs,
        [PathBuf::from("/rules/extra"), PathBuf::from("local/rules")]
    );
}

#[test]
fn file_values_and_their_overrides() {
    let file = file(
        "rules = [\"../shared\", \"mine\", \".\"]\ndefault-rules = false\nfail-on = \"warning\"",
    );
    let settings = Settings::resolve(Some(&file), &Overrides::default());
    assert_eq!(
        settings.rule_dirs,
        [
            PathBuf::from("/project/../shared"),
            PathBuf::from("/project/mine"),
            PathBuf::from("/project"),
        ]
    );
    assert!(!settings.default_rules);
    assert_eq!(settings.fail_on, Severity::Warning);
    assert!(settings.fails(Severity::Warning) && !settings.fails(Severity::Info));
    assert_eq!(
        settings.config_file(),
        Some(Path::new("/project/lacuna.toml"))
    );

    let overrides = Overrides {
        fail_on: Some(Severity::Error),
        rule_dirs: vec![PathBuf::from("/elsewhere")],
        ..Overrides::default()
    };
    let settings = Settings::resolve(Some(&file), &overrides);
    assert_eq!(settings.fail_on, Severity::Error);
    assert_eq!(
        settings.rule_dirs.last(),
        Some(&PathBuf::from("/elsewhere"))
    );
    assert_eq!(settings.rule_dirs.len(), 4);
}

#[test]
fn deny_warnings_means_fail_on_warning() {
    use clap::Parser as _;

    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        config: ConfigArgs,
    }

    let cli = Cli::try_parse_from([
        "lacuna",
        "--deny",
        "warnings",
        "--select",
        "forum,protection.coverage",
        "--ignore",
        "forum.inclusive",
        "--rules",
        "/extra",
        "--no-default-rules",
        "--config",
        "here.toml",
    ])
    .unwrap();
    let overrides = cli.config.overrides();
    assert_eq!(overrides.fail_on, Some(Severity::Warning));
    assert_eq!(
        overrides.select,
        Some(selectors(&["forum", "protection.coverage"]))
    );
    assert_eq!(overrides.ignore, selectors(&["forum.inclusive"]));
    assert_eq!(overrides.rule_dirs, [PathBuf::from("/extra")]);
    assert!(overrides.no_default_rules);
    assert_eq!(cli.config.config, Some(PathBuf::from("here.toml")));

    let error = Cli::try_parse_from(["lacuna", "--select", "Forum"])
        .err()
        .unwrap()
        .to_string();
    assert!(
        error.contains("invalid selector `Forum`: norm ids are lowercase"),
        "{error}"
    );
    assert!(Cli::try_parse_from(["lacuna", "--deny", "errors"]).is_err());
}

#[test]
fn severity_overrides_pick_the_most_specific_entry() {
    let settings = settings(
        "[severity]\n\"forum\" = \"info\"\n\"forum.inclusive\" = \"error\"\n\"protection.*\" = \"warning\"",
    );
    assert_eq!(
        settings.severity("forum.inclusive", Severity::Warning),
        Severity::Error
    );
    assert_eq!(
        settings.severity("forum.permanent", Severity::Error),
        Severity::Info
    );
    assert_eq!(settings.severity("forum", Severity::Error), Severity::Info);
    assert_eq!(
        settings.severity("protection.coverage", Severity::Error),
        Severity::Warning
    );
    assert_eq!(
        settings.severity("protection", Severity::Error),
        Severity::Error
    );
    assert_eq!(
        settings.severity("labour.portability", Severity::Info),
        Severity::Info
    );
}

#[test]
fn severity_entries_may_use_dotted_keys_and_subtables() {
    let options =
        file("[severity]\nforum.inclusive = \"error\"\n[severity.labour]\nportability = \"info\"")
            .options()
            .clone();
    let names: Vec<(&str, Severity)> = options
        .severity
        .iter()
        .map(|o| (o.selector.value.as_str(), o.severity.value))
        .collect();
    assert_eq!(
        names,
        [
            ("forum.inclusive", Severity::Error),
            ("labour.portability", Severity::Info)
        ]
    );
}

#[test]
fn equal_severities_for_the_same_norms_are_not_a_conflict() {
    let settings = settings("[severity]\n\"forum\" = \"info\"\n\"forum.*\" = \"info\"");
    assert_eq!(
        settings.severity("forum.inclusive", Severity::Error),
        Severity::Info
    );
}

#[test]
fn an_empty_file_is_the_default() {
    let settings = settings("# nothing here\n");
    assert_eq!(enabled(&settings), NORMS.to_vec());
    assert_eq!(settings.fail_on, Severity::Error);
    assert!(settings.default_rules);
}

#[test]
fn show_settings_prints_every_layer() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/config/valid.toml"),
    )
    .unwrap();
    let file = file(&text);
    let overrides = Overrides {
        ignore: selectors(&["forum.inclusive"]),
        rule_dirs: vec![PathBuf::from("/shared/rules")],
        fail_on: Some(Severity::Info),
        ..Overrides::default()
    };
    let settings = Settings::resolve(Some(&file), &overrides);
    let shown = settings.to_toml_string();
    insta::assert_snapshot!("show_settings", shown);
    // What is printed is TOML.
    let (_, errors) = toml::de::DeTable::parse_recoverable(&shown);
    assert!(errors.is_empty(), "{errors:?}");

    insta::assert_snapshot!(
        "show_settings_default",
        Settings::default().to_toml_string()
    );
}

#[test]
fn validate_warns_about_selectors_that_match_nothing() {
    let known = [
        "forum.inclusive",
        "forum.permanent",
        "labour.portability",
        "protection.coverage",
    ];
    let file = file(
        "select = [\"forum\", \"protection.coverge\", \"all\"]\n\
         ignore = [\"labor.*\", \"regime\"]\n\
         [severity]\n\"forum.permanant\" = \"info\"\n",
    );
    let overrides = Overrides {
        extend_select: selectors(&["forum.inclusiv", "labour"]),
        ..Overrides::default()
    };
    let settings = Settings::resolve(Some(&file), &overrides);
    let warnings = settings.validate(&known);
    assert_eq!(warnings.len(), 5);
    assert!(warnings.iter().all(ConfigError::is_warning));
    let report = settings.report(warnings);
    assert!(report.is_warning());
    insta::assert_snapshot!("validate", render(&report));

    assert!(Settings::default().validate(&[]).is_empty());
}
