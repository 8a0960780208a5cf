//! Every diagnostic of an arbitrary input, rendered in every format.
//!
//! The first byte chooses what the rest is: a TOML proposal, a JSON
//! proposal, or a `.norm` rule file. Proposals are checked against the
//! standard rules and their findings and problems rendered in all eight
//! formats, `human` and `plain` at a width of 80 columns and at an
//! unbounded width; every problem, and every syntax error of a rule file,
//! is also rendered as the binary prints it on standard error, with an
//! excerpt of its text.
//!
//! Asserts that rendering never panics and that a diagnostic's snippets
//! stay bounded: rendered alone, a diagnostic takes at most a few
//! kilobytes beyond the length of its own words, however long the lines it
//! points into.

#![no_main]

use std::sync::{Arc, OnceLock};

use lacuna::{Engine, Format, SourceDb, SourceId};
use lacuna_report::{
    Excerpt, Locator, OutputFormat, RenderOptions, RunSummary, SnippetFile, render_problem,
    render_with_problems,
};
use libfuzzer_sys::fuzz_target;
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, NarratableReportHandler};

struct Setup {
    engine: Engine,
    sources: SourceDb,
    proposal: SourceId,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let (engine, problems) = Engine::build(lacuna::standard_rules());
        assert!(problems.is_empty(), "{problems:?}");
        let sources = engine.sources().clone();
        let proposal = SourceId(u32::try_from(sources.iter().count()).unwrap_or(u32::MAX));
        Setup {
            engine,
            sources,
            proposal,
        }
    })
}

/// The words of a diagnostic, which any rendering repeats: its message,
/// help and labels, and those of its related diagnostics.
fn words(diagnostic: &dyn Diagnostic) -> usize {
    let mut total = diagnostic.to_string().len();
    total += diagnostic.help().map_or(0, |h| h.to_string().len());
    total += diagnostic.labels().map_or(0, |labels| {
        labels.map(|l| l.label().map_or(0, str::len) + 64).sum()
    });
    total += diagnostic
        .related()
        .map_or(0, |related| related.map(words).sum());
    total
}

/// Renders one diagnostic as the binary does on standard error, with an
/// excerpt of `file`, graphically and narrated; asserts a bounded size.
fn render_excerpt(diagnostic: &dyn Diagnostic, file: &SnippetFile) {
    let excerpt = Excerpt::new(diagnostic, file);
    let bound = 8 * words(diagnostic) + 16 * 1024;
    for width in [80, usize::MAX] {
        let mut out = String::new();
        let handler =
            GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(width);
        if handler.render_report(&mut out, &excerpt).is_ok() {
            assert!(out.len() <= bound, "{} bytes > {bound}:\n{out}", out.len());
        }
    }
    let mut out = String::new();
    if NarratableReportHandler::new()
        .render_report(&mut out, &excerpt)
        .is_ok()
    {
        assert!(out.len() <= bound, "{} bytes > {bound}:\n{out}", out.len());
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest).into_owned();
    let file = SnippetFile::new("fuzz", Arc::new(text.clone()));
    let format = match mode % 3 {
        0 => Format::Toml,
        1 => Format::Json,
        _ => {
            let (_, errors) = lacuna_syntax::parse(&text);
            for error in &errors {
                render_excerpt(error, &file);
            }
            return;
        }
    };
    let Setup {
        engine,
        sources,
        proposal,
    } = setup();
    let mut sources = sources.clone();
    let id = sources.add("fuzz", text.as_str());
    assert_eq!(id, *proposal);
    let checked = engine.check(id, text.as_bytes(), format);
    // Each problem as the binary writes it to standard error.
    let locator = Locator::new(&sources);
    for problem in &checked.problems {
        let mut words = problem.message.len() + problem.help.as_ref().map_or(0, String::len);
        words += problem.primary_label.len() + 64;
        words += problem
            .evidence
            .iter()
            .map(|e| e.message.len() + 64)
            .sum::<usize>();
        let bound = 8 * words + 16 * 1024;
        for width in [80, usize::MAX] {
            let options = RenderOptions {
                color: false,
                width,
                summary: None,
            };
            let out = render_problem(problem, &locator, &options);
            assert!(out.len() <= bound, "{} bytes > {bound}:\n{out}", out.len());
        }
    }
    let problems = &checked.problems;
    for format in OutputFormat::ALL {
        for width in [80, usize::MAX] {
            let options = RenderOptions {
                color: false,
                width,
                summary: Some(RunSummary::default()),
            };
            let _ =
                render_with_problems(format, &checked.findings, problems, &[], &sources, &options);
            if !matches!(format, OutputFormat::Human | OutputFormat::Plain) {
                break;
            }
        }
    }
});
