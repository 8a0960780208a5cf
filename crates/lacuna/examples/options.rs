//! Checks a status quo and the options that would change it, and says for
//! each option what it closes and opens, value by value: the library's
//! check, render and compare in one small program.
//!
//! ```text
//! cargo run -p lacuna --example options [DIR]
//! ```
//!
//! `DIR` holds a `status-quo*.toml` and any number of `option-*.toml`
//! proposals; it defaults to the worked proposals of `fixtures/proposals/`.
//! The example is also a test (`cargo test -p lacuna --example options`)
//! that snapshots its report, as a test suite of one's own rules would.

use std::error::Error;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use lacuna::compare::{self, Examined};
use lacuna::render::{OutputFormat, RenderOptions};
use lacuna::{Checked, Engine, Format, SourceDb};

fn main() -> Result<(), Box<dyn Error>> {
    let dir = match std::env::args_os().nth(1) {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/proposals"),
    };
    let report = report(&dir)?;
    std::io::stdout().lock().write_all(report.as_bytes())?;
    Ok(())
}

/// The proposals of `dir`, checked with the standard rules: the status quo
/// first, then the options by file name.
struct Run {
    engine: Engine,
    sources: SourceDb,
    base: Checked,
    options: Vec<(String, Checked)>,
}

fn check_dir(dir: &Path) -> Result<Run, Box<dyn Error>> {
    let (engine, problems) = Engine::build(lacuna::standard_rules());
    if let Some(problem) = problems.first() {
        return Err(format!("the standard rules do not build: {}", problem.message).into());
    }
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .map(|entry| Ok(entry?.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, std::io::Error>>()?;
    names.retain(|name| name.ends_with(".toml"));
    names.sort();
    let mut sources = engine.sources().clone();
    let mut check = |name: &str| -> Result<Checked, Box<dyn Error>> {
        let text = std::fs::read_to_string(dir.join(name))?;
        let id = sources.add(name, text.as_str());
        Ok(engine.check(id, text.as_bytes(), Format::Toml))
    };
    let base_name = names
        .iter()
        .find(|name| name.starts_with("status-quo"))
        .ok_or("no status-quo*.toml in the directory")?;
    let base = check(base_name)?;
    let options = names
        .iter()
        .filter(|name| name.starts_with("option-"))
        .map(|name| Ok((name.clone(), check(name)?)))
        .collect::<Result<_, Box<dyn Error>>>()?;
    Ok(Run {
        engine,
        sources,
        base,
        options,
    })
}

/// The findings of the status quo, one per line, then each option's
/// verdict overall and for each value it touches.
fn report(dir: &Path) -> Result<String, Box<dyn Error>> {
    let run = check_dir(dir)?;
    let options = RenderOptions {
        color: false,
        width: 100,
        summary: None,
    };
    let mut out = run.engine.render(
        &run.sources,
        std::slice::from_ref(&run.base),
        OutputFormat::Concise,
        &options,
    );
    let base = Examined::new(&run.engine, &run.base);
    for (name, checked) in &run.options {
        let option = Examined::new(&run.engine, checked);
        let comparison = compare::compare_checked(&run.engine, &base, &option);
        let total = &comparison.total;
        writeln!(
            out,
            "\n{name}: {}\n  {}",
            total.verdict().as_str(),
            total.describe()
        )?;
        for value in &comparison.values {
            if !value.tally.is_empty() {
                writeln!(
                    out,
                    "  {:<10} {}",
                    value.name,
                    value.tally.verdict().as_str()
                )?;
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn worked_proposals() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/proposals")
    }

    #[test]
    fn the_worked_options_against_the_status_quo() {
        insta::assert_snapshot!(report(&worked_proposals()).unwrap());
    }

    #[test]
    fn the_json_report_is_stable_across_releases() {
        let run = check_dir(&worked_proposals()).unwrap();
        let json = run.engine.render(
            &run.sources,
            std::slice::from_ref(&run.base),
            OutputFormat::Json,
            &RenderOptions::default(),
        );
        let mut report: serde_json::Value = serde_json::from_str(&json).unwrap();
        // The one field that changes with every release of lacuna.
        report["tool"]["version"] = "[version]".into();
        // The findings only: the norms' documentation is not this test's
        // business.
        let findings: Vec<serde_json::Value> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                serde_json::json!({
                    "norm": f["norm"],
                    "severity": f["severity"],
                    "subject": f["subject"]["path"],
                    "line": f["location"]["start"]["line"],
                })
            })
            .collect();
        let pinned = serde_json::json!({
            "tool": report["tool"],
            "findings": findings,
            "summary": report["summary"],
        });
        insta::assert_snapshot!(serde_json::to_string_pretty(&pinned).unwrap());
    }
}
