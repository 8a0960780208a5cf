//! Every format rendered over hand-built findings on the fixture texts in
//! `tests/data/`, checked by snapshot, plus the properties snapshots cannot
//! show: SARIF validity, LSP positions on CRLF and non-ASCII text, order
//! independence, colour only on request, and no panic on malformed spans.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;
use std::sync::Arc;

use lacuna_eval::{Code, Diagnostic, Evidence, NormMeta, Stage, Subject};
use lacuna_model::{EntityRef, KindId, Origin, SourceDb, SourceId};
use lacuna_report::{
    NormInfo, OutputFormat, RenderOptions, RunSummary, Severity, render, render_statistics,
    render_with_problems, statistics, summary_line,
};
use lacuna_syntax::Span;

const STATUS_QUO: &str = "proposals/status-quo-2010.toml";
const REGIONAL: &str = "proposals/méditerranée 2030.toml";
const RULES: &str = "rules/protection.norm";

struct Fixture {
    sources: SourceDb,
    status_quo: SourceId,
    regional: SourceId,
    rules: SourceId,
    findings: Vec<Diagnostic>,
    norms: Vec<NormInfo>,
}

fn data(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

impl Fixture {
    fn new() -> Fixture {
        let mut sources = SourceDb::new();
        let status_quo = sources.add(STATUS_QUO, data("status-quo-2010.toml"));
        let regional = sources.add(REGIONAL, data("regional-crlf.toml"));
        let rules = sources.add(RULES, data("protection.norm"));
        assert!(
            sources.text(regional).contains("\r\n"),
            "the regional fixture must keep its CRLF line endings"
        );
        let mut fixture = Fixture {
            sources,
            status_quo,
            regional,
            rules,
            findings: Vec::new(),
            norms: Vec::new(),
        };
        fixture.findings = fixture.build_findings();
        fixture.norms = fixture.build_norms();
        fixture
    }

    /// The origin of the `nth` (0-based) occurrence of `needle` in a source.
    fn at(&self, source: SourceId, needle: &str, nth: usize) -> Origin {
        let text = self.sources.text(source);
        let start = text
            .match_indices(needle)
            .nth(nth)
            .unwrap_or_else(|| panic!("`{needle}` #{nth} not in {}", self.sources.name(source)))
            .0;
        Origin {
            source,
            span: Span::new(start as u32, (start + needle.len()) as u32),
        }
    }

    fn protection_finding(
        &self,
        source: SourceId,
        subject: &str,
        declaration: &str,
        evidence: Vec<Evidence>,
    ) -> Diagnostic {
        Diagnostic {
            code: Code::Norm("protection.coverage".into()),
            severity: Severity::Error,
            subject: Some(Subject {
                entity: EntityRef {
                    kind: KindId(0),
                    index: 1,
                },
                kind: "group".into(),
                name: subject.into(),
            }),
            message: format!(
                "no actor with field presence holds a protection mandate for `{subject}`"
            ),
            help: Some(format!(
                "give the protection of `{subject}` to an agency with field presence"
            )),
            primary: self.at(source, declaration, 0),
            primary_label: "vulnerable group declared here".into(),
            evidence,
            meta: Some(Arc::new(NormMeta {
                origin: self.at(self.rules, "protection.coverage", 0),
                serves: vec!["rights".into()],
                perspective: vec!["migrants".into()],
                source: Some("Betts 2010, Recommendation 1".into()),
                tags: vec!["protection".into(), "field".into()],
            })),
            fixes: Vec::new(),
        }
    }

    fn build_findings(&self) -> Vec<Diagnostic> {
        let sq = self.status_quo;
        let rg = self.regional;
        vec![
            // Listed out of order on purpose: every format sorts.
            Diagnostic {
                code: Code::Norm("actor.un_system".into()),
                severity: Severity::Info,
                subject: Some(Subject {
                    entity: EntityRef {
                        kind: KindId(1),
                        index: 1,
                    },
                    kind: "actor".into(),
                    name: "IOM".into(),
                }),
                message: "`IOM` works outside the UN system".into(),
                help: None,
                primary: self.at(sq, "[actor.IOM]", 0),
                primary_label: "actor declared here".into(),
                evidence: vec![Evidence {
                    origin: self.at(sq, "un_system = false", 0),
                    message: "not part of the UN system".into(),
                    expr_message: Some("`a.un_system` is `false`".into()),
                }],
                meta: Some(Arc::new(NormMeta {
                    origin: self.at(self.rules, "norm", 0),
                    serves: vec![],
                    perspective: vec![],
                    source: None,
                    tags: vec![],
                })),
                fixes: Vec::new(),
            },
            self.protection_finding(
                sq,
                "survival_migrants",
                "[group.survival_migrants]",
                vec![
                    Evidence {
                        origin: self.at(sq, "\"refugees\"", 1),
                        message: "UNHCR's protection mandate covers `refugees` only".into(),
                        expr_message: None,
                    },
                    Evidence {
                        origin: self.at(sq, "\"service\"", 0),
                        message: "IOM's mandate for `survival_migrants` is `service`".into(),
                        expr_message: None,
                    },
                ],
            ),
            Diagnostic {
                code: Code::Norm("forum.permanent".into()),
                severity: Severity::Warning,
                subject: None,
                message: "no permanent forum discusses migration at the global level".into(),
                help: Some("add a `[forum.*]` table with `permanent = true`".into()),
                primary: Origin {
                    source: sq,
                    span: Span::empty(0),
                },
                primary_label: "checked against the whole proposal".into(),
                evidence: vec![],
                meta: Some(Arc::new(NormMeta {
                    origin: self.at(self.rules, "forum.permanent", 0),
                    serves: vec!["security".into(), "economy".into(), "rights".into()],
                    perspective: vec![],
                    source: Some("Betts 2010, section 4".into()),
                    tags: vec![],
                })),
                fixes: Vec::new(),
            },
            self.protection_finding(
                rg,
                "climate_displaced",
                "[group.climate_displaced]",
                vec![
                    Evidence {
                        origin: self.at(rg, "Sahel", 0),
                        message: "no agency holds a protection mandate in the Sahel".into(),
                        expr_message: None,
                    },
                    Evidence {
                        origin: self.at(rg, "\"coordination\"", 0),
                        message: "the Union pour la Méditerranée only coordinates".into(),
                        expr_message: None,
                    },
                ],
            ),
        ]
    }

    fn build_norms(&self) -> Vec<NormInfo> {
        // `actor.un_system` is left out: a report describes it from its
        // finding.
        vec![
            NormInfo {
                doc: Some("Global migration governance needs a standing forum.".into()),
                source: Some("Betts 2010, section 4".into()),
                serves: vec!["security".into(), "economy".into(), "rights".into()],
                origin: Some(self.at(self.rules, "forum.permanent", 0)),
                ..NormInfo::new("forum.permanent", Severity::Warning)
            },
            NormInfo {
                doc: Some(
                    "Vulnerable groups need a protector on the ground.\n\nRefugees have UNHCR \
                     and the 1951 Convention; survival migrants have no\norganization with a \
                     mandate to protect them."
                        .into(),
                ),
                help: Some("give the protection of `{g}` to an agency with field presence".into()),
                source: Some("Betts 2010, Recommendation 1".into()),
                serves: vec!["rights".into()],
                perspective: vec!["migrants".into()],
                tags: vec!["protection".into(), "field".into()],
                origin: Some(self.at(self.rules, "protection.coverage", 0)),
                ..NormInfo::new("protection.coverage", Severity::Error)
            },
            NormInfo::new("group.named", Severity::Info),
        ]
    }

    fn render(&self, format: OutputFormat, options: &RenderOptions) -> String {
        render(format, &self.findings, &self.norms, &self.sources, options)
    }
}

fn options() -> RenderOptions {
    RenderOptions {
        color: false,
        width: 100,
        summary: Some(RunSummary {
            files_checked: 3,
            norms_checked: 4,
            suppressed: 2,
        }),
    }
}

impl Fixture {
    /// Problems with the two proposals, as the facade reports them; the
    /// spans need only point at text the reporters can show, not make a
    /// coherent proposal.
    fn problems(&self) -> Vec<Diagnostic> {
        let (sq, rg) = (self.status_quo, self.regional);
        // A key given twice. The primary location is the second, as in the
        // loader's reference errors, and the first is a secondary label.
        let twice = Diagnostic {
            primary_label: "defined again here".into(),
            evidence: vec![Evidence {
                origin: self.at(sq, "vulnerable", 0),
                message: "first defined here".into(),
                expr_message: None,
            }],
            ..Diagnostic::problem(
                Stage::Proposal,
                "proposal::duplicate_key",
                Severity::Error,
                "`vulnerable` is defined twice",
                self.at(sq, "vulnerable", 1),
            )
        };
        let unknown = Diagnostic {
            primary_label: "not a value of `actor_kind`".into(),
            help: Some("the values are `agency`, `forum` and `regional`".into()),
            ..Diagnostic::problem(
                Stage::Proposal,
                "proposal::unknown_value",
                Severity::Error,
                "`regional_body` is not a value of `actor_kind`",
                self.at(rg, "\"regional_body\"", 0),
            )
        };
        // A problem with neither label nor help, at the start of the file.
        let untitled = Diagnostic::problem(
            Stage::Proposal,
            "lacuna::invalid_input",
            Severity::Warning,
            "the proposal has no title",
            Origin {
                source: sq,
                span: Span::empty(0),
            },
        );
        vec![twice, unknown, untitled]
    }

    fn render_with_problems(&self, format: OutputFormat, problems: &[Diagnostic]) -> String {
        render_with_problems(
            format,
            &self.findings,
            problems,
            &self.norms,
            &self.sources,
            &options(),
        )
    }
}

/// The version changes with every release; snapshots should not.
fn without_version(text: &str) -> String {
    text.replace(&format!("\"{}\"", lacuna_report::VERSION), "\"[VERSION]\"")
}

#[test]
fn human() {
    let fixture = Fixture::new();
    insta::assert_snapshot!(fixture.render(OutputFormat::Human, &options()));
}

#[test]
fn plain() {
    let fixture = Fixture::new();
    insta::assert_snapshot!(fixture.render(OutputFormat::Plain, &options()));
}

#[test]
fn concise() {
    let fixture = Fixture::new();
    insta::assert_snapshot!(fixture.render(OutputFormat::Concise, &options()));
}

#[test]
fn json() {
    let fixture = Fixture::new();
    let out = fixture.render(OutputFormat::Json, &options());
    serde_json::from_str::<serde_json::Value>(&out).unwrap();
    insta::assert_snapshot!(without_version(&out));
}

#[test]
fn json_lines() {
    let fixture = Fixture::new();
    let out = fixture.render(OutputFormat::JsonLines, &options());
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), fixture.findings.len());
    let document: serde_json::Value =
        serde_json::from_str(&fixture.render(OutputFormat::Json, &options())).unwrap();
    for (line, finding) in lines.iter().zip(document["findings"].as_array().unwrap()) {
        let parsed: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(&parsed, finding, "a line is the same object as in `json`");
    }
    insta::assert_snapshot!(out);
}

#[test]
fn sarif() {
    let fixture = Fixture::new();
    insta::assert_snapshot!(without_version(
        &fixture.render(OutputFormat::Sarif, &options())
    ));
}

#[test]
fn github() {
    let fixture = Fixture::new();
    insta::assert_snapshot!(fixture.render(OutputFormat::Github, &options()));
}

#[test]
fn lsp() {
    let fixture = Fixture::new();
    insta::assert_snapshot!(fixture.render(OutputFormat::Lsp, &options()));
}

#[test]
fn statistics_table_and_json() {
    let fixture = Fixture::new();
    let mut findings = fixture.findings.clone();
    findings.push(fixture.protection_finding(
        fixture.status_quo,
        "refugees",
        "[group.refugees]",
        vec![],
    ));
    let stats = statistics(&findings, &fixture.norms);
    assert_eq!(stats[0].norm, "protection.coverage");
    assert_eq!(stats[0].count, 3);
    let table = render_statistics(OutputFormat::Concise, &stats);
    let json = render_statistics(OutputFormat::Json, &stats);
    insta::assert_snapshot!(format!("{table}\n{json}"));
}

/// The ranges of the finding in the CRLF file, worked out by hand: lines
/// are 0-based, characters UTF-16 code units, and `🌊` takes two.
#[test]
fn lsp_positions_on_crlf_and_non_ascii_text() {
    let fixture = Fixture::new();
    let out = fixture.render(OutputFormat::Lsp, &options());
    let document: serde_json::Value = serde_json::from_str(&out).unwrap();
    let diagnostics = document[REGIONAL].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1);
    let diagnostic = &diagnostics[0];
    // `[group.climate_displaced]` is the fifth line, 25 characters long.
    assert_eq!(
        diagnostic["range"],
        serde_json::json!({
            "start": {"line": 4, "character": 0},
            "end": {"line": 4, "character": 25},
        })
    );
    // `name = "Déplacés climatiques 🌊 du Sahel"`: `Sahel` starts after 34
    // characters, which are 35 UTF-16 code units.
    let sahel = &diagnostic["relatedInformation"][0]["location"]["range"];
    assert_eq!(
        *sahel,
        serde_json::json!({
            "start": {"line": 5, "character": 35},
            "end": {"line": 5, "character": 40},
        })
    );
    let uri = &diagnostic["relatedInformation"][0]["location"]["uri"];
    assert_eq!(uri, "proposals/m%C3%A9diterran%C3%A9e%202030.toml");

    // The same evidence in `json` counts Unicode scalar values, 1-based.
    let json: serde_json::Value =
        serde_json::from_str(&fixture.render(OutputFormat::Json, &options())).unwrap();
    let regional = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["location"]["file"] == REGIONAL)
        .unwrap();
    assert_eq!(
        regional["evidence"][0]["location"]["start"],
        serde_json::json!({"line": 6, "column": 35})
    );
    assert_eq!(
        regional["evidence"][0]["location"]["end"],
        serde_json::json!({"line": 6, "column": 40})
    );
    let text = fixture.sources.text(fixture.regional);
    let span = &regional["evidence"][0]["location"]["span"];
    let (start, end) = (
        span["start"].as_u64().unwrap() as usize,
        span["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[start..end], "Sahel");
}

#[test]
fn sarif_validates_against_the_schema() {
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/sarif/sarif-schema-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&schema_path).unwrap()).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let fixture = Fixture::new();
    let empty: Vec<Diagnostic> = Vec::new();
    let problems = fixture.problems();
    for (findings, problems) in [
        (&fixture.findings, &[][..]),
        (&empty, &[][..]),
        (&fixture.findings, &problems[..]),
        (&empty, &problems[..]),
    ] {
        let out = render_with_problems(
            OutputFormat::Sarif,
            findings,
            problems,
            &fixture.norms,
            &fixture.sources,
            &options(),
        );
        let log: serde_json::Value = serde_json::from_str(&out).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        // Every result names a rule the log describes, at its index.
        let rules = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        for result in log["runs"][0]["results"].as_array().unwrap() {
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"]);
        }
    }
    // The validator does reject a log that breaks the schema.
    let broken = serde_json::json!({"version": "2.1.0", "runs": [{"results": []}]});
    assert!(!validator.is_valid(&broken));
}

#[test]
fn order_of_findings_does_not_matter() {
    let fixture = Fixture::new();
    let mut reversed = fixture.findings.clone();
    reversed.reverse();
    for format in OutputFormat::ALL {
        assert_eq!(
            render(
                format,
                &reversed,
                &fixture.norms,
                &fixture.sources,
                &options()
            ),
            fixture.render(format, &options()),
            "{format}"
        );
    }
}

#[test]
fn colour_only_when_asked() {
    let fixture = Fixture::new();
    let coloured = RenderOptions {
        color: true,
        ..options()
    };
    let human = fixture.render(OutputFormat::Human, &coloured);
    assert!(human.contains('\u{1b}'), "colour was asked for");
    assert_eq!(human, fixture.render(OutputFormat::Human, &coloured));
    for format in OutputFormat::ALL {
        let plain = fixture.render(format, &options());
        assert!(!plain.contains('\u{1b}'), "{format} without colour");
        if format != OutputFormat::Human {
            assert_eq!(plain, fixture.render(format, &coloured), "{format}");
        }
    }
}

#[test]
fn no_findings() {
    let fixture = Fixture::new();
    let outputs: Vec<String> = OutputFormat::ALL
        .iter()
        .map(|&format| {
            let out = without_version(&render(format, &[], &[], &fixture.sources, &options()));
            format!("--- {format}\n{out}")
        })
        .collect();
    insta::assert_snapshot!(outputs.join(""));
    assert_eq!(
        summary_line(
            &[],
            &RunSummary {
                files_checked: 1,
                norms_checked: 1,
                suppressed: 0,
            }
        ),
        "no findings (1 file checked against 1 norm)"
    );
}

/// Problems with the inputs in every format: among the findings, by file
/// and position, with their code, label, related labels and help; `human`
/// and `plain` only count them.
#[test]
fn problems_in_every_format() {
    let fixture = Fixture::new();
    let problems = fixture.problems();
    let outputs: Vec<String> = OutputFormat::ALL
        .iter()
        .map(|&format| {
            let out = without_version(&fixture.render_with_problems(format, &problems));
            format!("--- {format}\n{out}")
        })
        .collect();
    insta::assert_snapshot!(outputs.join(""));

    for format in [OutputFormat::Human, OutputFormat::Plain] {
        assert!(!format.reports_problems());
        let with = fixture.render_with_problems(format, &problems);
        let without = fixture.render(format, &options());
        assert_eq!(
            with.replace(" and 3 input problems", ""),
            without,
            "{format}: only the summary line differs"
        );
    }
    for format in OutputFormat::ALL {
        let out = fixture.render_with_problems(format, &problems);
        if format.reports_problems() {
            assert!(out.contains("is defined twice"), "{format}: {out}");
            assert!(out.contains("the proposal has no title"), "{format}: {out}");
        }
    }

    // The positions, worked out by hand: `"regional_body"` is on line 12
    // after `kind = `, on a line of ASCII text after lines that are not.
    let json: serde_json::Value =
        serde_json::from_str(&fixture.render_with_problems(OutputFormat::Json, &problems)).unwrap();
    assert_eq!(json["problems"][1]["code"], "lacuna::invalid_input");
    let unknown = &json["problems"][0];
    assert_eq!(unknown["code"], "proposal::unknown_value");
    assert_eq!(
        unknown["location"]["start"],
        serde_json::json!({"line": 12, "column": 8})
    );
    assert_eq!(json["summary"]["problems"], 3);
    assert_eq!(json["summary"]["suppressed"], 2);
    let lsp: serde_json::Value =
        serde_json::from_str(&fixture.render_with_problems(OutputFormat::Lsp, &problems)).unwrap();
    let regional = &lsp[REGIONAL][1];
    assert_eq!(regional["code"], "proposal::unknown_value");
    assert_eq!(
        regional["range"],
        serde_json::json!({
            "start": {"line": 11, "character": 7},
            "end": {"line": 11, "character": 22},
        })
    );
    // The primary label of the key given twice is its second occurrence.
    let twice = &lsp[STATUS_QUO][3];
    assert_eq!(twice["code"], "proposal::duplicate_key");
    assert_eq!(
        twice["range"]["start"],
        serde_json::json!({"line": 11, "character": 0})
    );
    assert_eq!(
        twice["relatedInformation"][0]["location"]["range"]["start"],
        serde_json::json!({"line": 7, "character": 0})
    );
}

#[test]
fn order_of_problems_does_not_matter() {
    let fixture = Fixture::new();
    let problems = fixture.problems();
    let mut reversed = problems.clone();
    reversed.reverse();
    for format in OutputFormat::ALL {
        assert_eq!(
            fixture.render_with_problems(format, &reversed),
            fixture.render_with_problems(format, &problems),
            "{format}"
        );
    }
}

/// Evidence may point into another file than the subject; the human
/// formats show it under its own file name, the others give its location.
#[test]
fn evidence_in_another_file() {
    let fixture = Fixture::new();
    let mut finding = fixture.findings[3].clone();
    assert_eq!(finding.primary.source, fixture.regional);
    finding.evidence.push(Evidence {
        origin: fixture.at(fixture.status_quo, "[actor.UNHCR]", 0),
        message: "UNHCR is declared in the status quo".into(),
        expr_message: None,
    });
    let findings = [finding];
    let outputs: Vec<String> = [
        OutputFormat::Human,
        OutputFormat::Plain,
        OutputFormat::Concise,
    ]
    .iter()
    .map(|&format| {
        let out = render(
            format,
            &findings,
            &fixture.norms,
            &fixture.sources,
            &RenderOptions::default(),
        );
        format!("--- {format}\n{out}")
    })
    .collect();
    insta::assert_snapshot!(outputs.join(""));
}

/// Spans from a stale or broken evaluator must not crash a report: every
/// format clamps them to the text.
#[test]
fn malformed_spans_render() {
    let fixture = Fixture::new();
    let mut finding = fixture.findings[1].clone();
    let text_len = fixture.sources.text(fixture.regional).len() as u32;
    // Inside `é` of the first line, reversed, past the end, and in a
    // source the database does not hold.
    finding.primary = Origin {
        source: fixture.regional,
        span: Span::new(4, 3),
    };
    finding.evidence = vec![
        Evidence {
            origin: Origin {
                source: fixture.regional,
                span: Span::new(text_len + 5, text_len + 50),
            },
            message: "past the end".into(),
            expr_message: None,
        },
        Evidence {
            origin: Origin {
                source: SourceId(99),
                span: Span::new(1, 2),
            },
            message: "nowhere".into(),
            expr_message: None,
        },
    ];
    let findings = [finding];
    for format in OutputFormat::ALL {
        let out = render(
            format,
            &findings,
            &fixture.norms,
            &fixture.sources,
            &RenderOptions::default(),
        );
        assert!(
            out.contains("no actor with field presence"),
            "{format}: {out}"
        );
        if format == OutputFormat::Human {
            insta::assert_snapshot!(out);
        }
    }
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Any span into any text, ASCII or not, with any line endings,
        /// renders in every format without panicking.
        #[test]
        fn any_span_renders(
            text in "(\\PC|\r|\n|\t){0,40}",
            start in 0u32..60,
            len in 0u32..60,
            evidence in 0u32..60,
        ) {
            let mut sources = SourceDb::new();
            let id = sources.add("p.toml", text);
            let finding = Diagnostic {
                code: Code::Norm("n.x".into()),
                severity: Severity::Warning,
                subject: None,
                message: "m".into(),
                help: Some("h".into()),
                primary: Origin { source: id, span: Span::new(start, start + len) },
                primary_label: "here".into(),
                evidence: vec![Evidence {
                    origin: Origin { source: id, span: Span::new(evidence, evidence + 1) },
                    message: "there".into(),
                    expr_message: None,
                }],
                meta: Some(Arc::new(NormMeta {
                    origin: Origin { source: id, span: Span::empty(0) },
                    serves: vec![],
                    perspective: vec![],
                    source: None,
                    tags: vec![],
                })),
                fixes: Vec::new(),
            };
            for format in OutputFormat::ALL {
                let out = render(format, std::slice::from_ref(&finding), &[], &sources, &RenderOptions::default());
                prop_assert!(!out.is_empty());
            }
        }
    }
}
