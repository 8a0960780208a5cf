//! `lacuna report`: the HTML page of the 2010 status quo and its five
//! options, parsed with an HTML parser. Every finding and every matrix cell
//! must be there, every link must lead somewhere on the page, and nothing
//! may be loaded from elsewhere.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use lacuna::compare::{self, Examined, OptionColumn};
use lacuna::report::{self, HtmlReport, ReportProposal};
use lacuna::{Checked, Engine, Format};
use scraper::{Html, Selector};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const PROPOSALS: [&str; 6] = [
    "fixtures/proposals/status-quo-2010.toml",
    "fixtures/proposals/option-cluster.toml",
    "fixtures/proposals/option-mandate-expansion.toml",
    "fixtures/proposals/option-new-agency.toml",
    "fixtures/proposals/option-srsg.toml",
    "fixtures/proposals/option-consultative-process.toml",
];

struct Built {
    html: String,
    checked: Vec<Checked>,
    options: usize,
    values: Vec<String>,
    perspectives: Vec<String>,
    differing_gaps: usize,
    vulnerable_groups: usize,
}

fn build() -> Built {
    let (engine, problems) = Engine::build(lacuna::standard_rules());
    assert!(problems.is_empty(), "{problems:?}");
    let mut sources = engine.sources().clone();
    let checked: Vec<Checked> = PROPOSALS
        .iter()
        .map(|name| {
            let text = fs::read_to_string(root().join(name)).unwrap();
            let id = sources.add(*name, text.clone());
            engine.check(id, text.as_bytes(), Format::Toml)
        })
        .collect();
    let examined: Vec<Examined<'_>> = checked.iter().map(|c| Examined::new(&engine, c)).collect();
    let (base, options) = examined.split_first().unwrap();
    let columns = options
        .iter()
        .map(|o| OptionColumn {
            source: o.checked.facts.source,
            findings: o.checked.findings.len(),
            comparison: compare::compare_checked(&engine, base, o),
        })
        .collect();
    let matrix = compare::matrix(
        base.checked.facts.source,
        base.checked.findings.len(),
        columns,
    );
    let view = report::load_view(
        engine.schema(),
        report::STANDARD_VIEW.0,
        report::STANDARD_VIEW.1,
    )
    .unwrap();
    let spec = view.coverage.as_ref().unwrap();
    let variants = |name: &str| -> Vec<String> {
        let schema = engine.schema();
        let def = schema.enum_def(schema.enum_id(name).unwrap()).unwrap();
        def.variants.iter().map(|v| v.name.clone()).collect()
    };
    let values = variants("value");
    let perspectives = variants("perspective");
    let page = HtmlReport {
        proposals: checked
            .iter()
            .map(|c| ReportProposal {
                source: c.facts.source,
                findings: &c.findings,
                coverage: Some(lacuna_report::coverage::coverage(
                    engine.schema(),
                    &c.facts,
                    spec,
                )),
            })
            .collect(),
        matrix: Some(&matrix),
        values: values.clone(),
        perspectives: perspectives.clone(),
    };
    let html = report::render_html(&page, &sources);
    let vulnerable_groups = page.proposals[0].coverage.as_ref().unwrap().rows.len();
    let differing_gaps = matrix.gaps.len();
    drop(page);
    Built {
        html,
        options: matrix.options.len(),
        checked,
        values,
        perspectives,
        differing_gaps,
        vulnerable_groups,
    }
}

fn select(doc: &Html, css: &str) -> Vec<String> {
    let selector = Selector::parse(css).unwrap();
    doc.select(&selector)
        .map(|e| e.text().collect::<String>())
        .collect()
}

#[test]
fn every_finding_is_on_the_page_with_its_message() {
    let built = build();
    let doc = Html::parse_document(&built.html);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let total: usize = built.checked.iter().map(|c| c.findings.len()).sum();
    let articles = Selector::parse("article.finding").unwrap();
    assert_eq!(doc.select(&articles).count(), total);
    let headings = select(&doc, "article.finding h4");
    for (p, checked) in built.checked.iter().enumerate() {
        for finding in &checked.findings {
            let wanted = format!(
                "{}[{}] {}",
                finding.severity.as_str(),
                finding.code,
                finding.message
            );
            assert!(headings.contains(&wanted), "proposal {p}: {wanted}");
        }
        // Each proposal's findings are numbered from 0 without a gap.
        for j in 0..checked.findings.len() {
            let id = Selector::parse(&format!("article#p{p}-f{j}")).unwrap();
            assert_eq!(doc.select(&id).count(), 1, "p{p}-f{j}");
        }
    }
    // Snippets show the proposal's own text.
    assert!(
        select(&doc, "article.finding pre")
            .iter()
            .any(|s| s.contains("[group.survival_migrants]"))
    );
}

#[test]
fn every_matrix_cell_is_there() {
    let built = build();
    let doc = Html::parse_document(&built.html);
    let columns = built.values.len() + built.perspectives.len();

    // Summary: a row per proposal, a cell per value and perspective, and
    // one for the process findings.
    let rows = Selector::parse("table.summary tr").unwrap();
    let cells = Selector::parse("td.cell").unwrap();
    let summary: Vec<_> = doc.select(&rows).skip(1).collect();
    assert_eq!(summary.len(), PROPOSALS.len());
    for row in &summary {
        assert_eq!(row.select(&cells).count(), columns + 1);
    }

    // Options: a row per option, the overall verdict and one per column.
    let options: Vec<_> = doc
        .select(&Selector::parse("table.options tr").unwrap())
        .skip(1)
        .collect();
    assert_eq!(options.len(), built.options);
    for row in &options {
        assert_eq!(row.select(&cells).count(), columns + 1);
    }

    // Gaps: a row per gap on which the options differ, a cell per option.
    let gaps: Vec<_> = doc
        .select(&Selector::parse("table.gaps tr").unwrap())
        .skip(1)
        .collect();
    assert_eq!(gaps.len(), built.differing_gaps);
    assert!(!gaps.is_empty());
    for row in &gaps {
        assert_eq!(row.select(&cells).count(), built.options);
    }
    let protection = gaps
        .iter()
        .find(|r| r.text().collect::<String>().contains("protection.coverage"))
        .unwrap();
    let words: Vec<String> = protection
        .select(&cells)
        .map(|c| c.text().collect::<String>())
        .collect();
    assert_eq!(words, ["closed", "closed", "closed", "open", "open"]);

    // Coverage: one table per proposal, a row per vulnerable group and a
    // cell per function.
    let tables: Vec<_> = doc
        .select(&Selector::parse("table.coverage").unwrap())
        .collect();
    assert_eq!(tables.len(), PROPOSALS.len());
    assert_eq!(built.vulnerable_groups, 3);
    let tr = Selector::parse("tr").unwrap();
    for table in &tables {
        let rows: Vec<_> = table.select(&tr).skip(1).collect();
        assert_eq!(rows.len(), built.vulnerable_groups);
        for row in rows {
            assert_eq!(row.select(&cells).count(), 3);
        }
    }
    // In the status quo, OHCHR's protection of survival migrants is held
    // without field presence; in the cluster option UNHCR holds it too.
    let coverage = |table: usize| -> String { tables[table].text().collect() };
    assert!(coverage(0).contains("○ OHCHR"));
    assert!(coverage(1).contains("● UNHCR"));
}

#[test]
fn links_stay_on_the_page_and_nothing_is_fetched() {
    let built = build();
    let doc = Html::parse_document(&built.html);
    let ids: HashSet<String> = doc
        .select(&Selector::parse("[id]").unwrap())
        .filter_map(|e| e.value().attr("id").map(str::to_owned))
        .collect();
    let links = Selector::parse("a[href]").unwrap();
    let mut count = 0;
    for link in doc.select(&links) {
        let href = link.value().attr("href").unwrap();
        let target = href
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("external link {href}"));
        assert!(ids.contains(target), "dangling link {href}");
        count += 1;
    }
    assert!(count > 100, "only {count} links");
    // Nothing that loads a resource: no scripts, frames, images, external
    // styles or fonts, and no address in any attribute.
    for tag in [
        "script", "link", "img", "iframe", "object", "embed", "source", "video", "audio", "base",
    ] {
        let selector = Selector::parse(tag).unwrap();
        assert_eq!(doc.select(&selector).count(), 0, "<{tag}>");
    }
    let all = Selector::parse("*").unwrap();
    for element in doc.select(&all) {
        for (name, value) in element.value().attrs() {
            assert!(
                !value.contains("://") && !value.starts_with("//"),
                "{name}={value}"
            );
        }
    }
    for style in select(&doc, "style") {
        assert!(
            !style.contains("url(") && !style.contains("@import"),
            "{style}"
        );
    }
}

#[test]
fn the_page_is_the_same_on_every_run() {
    assert_eq!(build().html, build().html);
}

/// The command writes the same page to a file, and refuses a view that
/// names a field the schema lacks with a pointed error and status 2.
#[test]
fn the_command_writes_the_page_and_rejects_a_bad_view() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let status = Command::new(env!("CARGO_BIN_EXE_lacuna"))
        .current_dir(root())
        .args(["report", PROPOSALS[0], PROPOSALS[1], "-o"])
        .arg(&out)
        .env("NO_COLOR", "1")
        .status()
        .unwrap();
    assert!(status.success());
    let doc = Html::parse_document(&fs::read_to_string(&out).unwrap());
    assert_eq!(select(&doc, "table.options tr").len(), 2);

    let view = dir.path().join("view.toml");
    fs::write(
        &view,
        "[coverage]\ntitle = \"x\"\nrows = \"group\"\ncells = \"mandate\"\nrow_field = \"group\"\ncolumn_field = \"function\"\ncolumns = [\"protection\"]\nholder_field = \"owner\"\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_lacuna"))
        .current_dir(root())
        .args(["report", PROPOSALS[0], "--view"])
        .arg(&view)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("`mandate` has no field `owner`"),
        "{stderr}"
    );
    assert!(stderr.contains("[coverage]"), "{stderr}");
    assert!(output.stdout.is_empty());
}
