//! lacuna as a library: load rule sets, check proposals, read the
//! findings, render them in any output format, compare proposals.
//!
//! The `lacuna` binary and the test suites call this facade; so can any
//! program that wants findings without a command line:
//!
//! ```
//! use lacuna::{Engine, Format};
//!
//! let (engine, problems) = Engine::build(lacuna::standard_rules());
//! assert!(problems.is_empty());
//! let mut sources = engine.sources().clone();
//! let text = "[proposal]\ntitle = \"An empty proposal\"\n";
//! let id = sources.add("empty.toml", text);
//! let checked = engine.check(id, text.as_bytes(), Format::Toml);
//! assert!(checked.problems.is_empty());
//! assert!(checked.findings.iter().any(|f| f.code.as_str() == "forum.exists"));
//! ```
//!
//! Nothing here touches the file system or the terminal: callers pass texts
//! in and get values and text back. [`Engine::render`] prints findings as
//! `lacuna check --format` does, and [`compare`] says what a change to a
//! proposal closes and opens. `docs/library.md` walks through a program
//! and a test that snapshots its output.

#![warn(missing_docs)]

pub mod catalogue;
pub mod compare;
pub mod config;
mod fixes;
pub mod input;
pub mod problem;
pub mod render;
mod repair;
pub mod report;
pub mod ruletest;
mod suppress;
pub mod workspace;

use lacuna_eval::program::{Template, TemplatePart};
use lacuna_eval::{Program, check_rules, evaluate_with};
use lacuna_model::{Schema, build_schema, load};
use lacuna_syntax::ast::Ast;
use rayon::prelude::*;

pub use fixes::{FixMode, apply_first};
pub use lacuna_eval::{
    Code, Detail, Diagnostic, Evidence, Norm, NormMeta, Outcome, Stage, Subject,
};
pub use lacuna_model::{Facts, Format, Origin, SourceDb, SourceId};
pub use lacuna_syntax::ast::Severity;
pub use lacuna_syntax::fix::Applied;
pub use lacuna_syntax::{Applicability, Edit, Fix};
pub use problem::INVALID_INPUT_CODE;
pub use render::{OutputFormat, RenderOptions};
pub use suppress::{Date, EXPIRED_ALLOW, UNKNOWN_ALLOW, UNUSED_ALLOW};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));
}

/// The standard rule files (`rules/*.norm`) embedded at build time, by file name.
pub use embedded::STANDARD_RULES;

/// One rule file: the name diagnostics show, and its bytes.
#[derive(Clone, Debug)]
pub struct RuleFile {
    /// How diagnostics name the file, such as `rules/protection.norm`.
    pub name: String,
    /// Its content; text that is not UTF-8 is a syntax error.
    pub bytes: Vec<u8>,
}

/// The rule file built into every engine: the `allow` kind of suppressions.
const BUILTIN_RULES: (&str, &str) = (
    "<builtin>/allow.norm",
    include_str!("../builtin/allow.norm"),
);

/// The built-in rule file: its file name and text.
pub fn builtin_rules() -> (&'static str, &'static str) {
    let name = BUILTIN_RULES.0;
    (name.rsplit('/').next().unwrap_or(name), BUILTIN_RULES.1)
}

/// The embedded standard rules, named `<standard>/FILE.norm`.
///
/// ```
/// let files = lacuna::standard_rules();
/// assert!(files.iter().any(|f| f.name == "<standard>/protection.norm"));
/// ```
pub fn standard_rules() -> Vec<RuleFile> {
    STANDARD_RULES
        .iter()
        .map(|(name, text)| RuleFile {
            name: format!("<standard>/{name}"),
            bytes: text.as_bytes().to_vec(),
        })
        .collect()
}

/// A checked rule set, ready to check proposals. Immutable once built, so
/// one engine checks many proposals in parallel.
#[derive(Debug)]
pub struct Engine {
    sources: SourceDb,
    schema: Schema,
    program: Program,
}

/// What a check applies on top of the rules: which norms run, at what
/// severity, and the date that decides whether a suppression has expired.
///
/// ```
/// use lacuna::{Engine, Format, Policy, Severity};
///
/// let (engine, _) = Engine::build(lacuna::standard_rules());
/// let mut sources = engine.sources().clone();
/// let text = "[proposal]\ntitle = \"Nothing yet\"\n";
/// let id = sources.add("draft.toml", text);
///
/// // Only the `forum` norms, and every one of them an error.
/// let strict = Policy {
///     enabled: &|norm| norm.starts_with("forum."),
///     severity: &|_, _| Severity::Error,
///     ..Policy::all()
/// };
/// let checked = engine.check_with(id, text.as_bytes(), Format::Toml, &strict);
/// let norms: Vec<&str> = checked.findings.iter().map(|f| f.code.as_str()).collect();
/// assert_eq!(norms, ["forum.exists"]);
/// assert_eq!(checked.findings[0].severity, Severity::Error);
/// ```
#[derive(Clone, Copy)]
pub struct Policy<'a> {
    /// Whether the norm with this id runs. The answer depends on the id
    /// alone: a check asks once per norm, not once per finding.
    pub enabled: &'a (dyn Fn(&str) -> bool + Sync),
    /// The severity of the norm with this id, given the one it declares;
    /// asked once per norm too.
    pub severity: &'a (dyn Fn(&str, Severity) -> Severity + Sync),
    /// `None`: suppressions never expire.
    pub today: Option<Date>,
    /// How much of each finding to build: a format that shows no evidence
    /// is spared the search for it. The repair search needs the evidence,
    /// so it builds all of it whatever this says.
    pub detail: Detail,
    /// Which fixes findings get. Fixes of input problems come with the
    /// problems whatever this says, as they cost nothing to find.
    pub finding_fixes: FindingFixes,
}

/// Which fixes a check attaches to findings. They cost time, so a plain
/// check asks for none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum FindingFixes {
    /// None: the findings as evaluated.
    #[default]
    None,
    /// An `[[allow]]` entry for each finding.
    Suppress,
    /// Verified repairs first, then the `[[allow]]` entry.
    Repair,
}

impl Policy<'_> {
    /// Every norm at its declared severity; suppressions never expire.
    pub fn all() -> Policy<'static> {
        Policy {
            enabled: &|_| true,
            severity: &|_, declared| declared,
            today: None,
            detail: Detail::Full,
            finding_fixes: FindingFixes::None,
        }
    }
}

/// The result of checking one proposal.
#[derive(Debug)]
pub struct Checked {
    /// What the proposal says, as loaded: what [`compare`] and
    /// [`Engine::outcomes`] read.
    pub facts: Facts,
    /// Sorted by position, then norm id.
    pub findings: Vec<Diagnostic>,
    /// How many findings `[[allow]]` entries suppressed.
    pub suppressed: usize,
    /// Problems with the proposal itself, sorted by position; when there is
    /// an error among them the findings describe only what could be read.
    pub problems: Vec<Diagnostic>,
}

impl Engine {
    /// Parses, resolves and type-checks `files` as one rule set.
    ///
    /// Always returns an engine: norms with errors are left out and every
    /// problem is returned, so a caller can report them all and decide
    /// whether to go on.
    ///
    /// ```
    /// use lacuna::{Engine, Format, RuleFile};
    ///
    /// let rules = r#"
    /// entity proposal (singleton) {
    ///   title: text
    /// }
    ///
    /// /// A proposal has a title of its own.
    /// norm demo.titled {
    ///   for p in proposal
    ///   require p.title != "untitled"
    /// }
    ///
    /// /// A proposal's title is not empty.
    /// norm demo.broken {
    ///   for p in proposal
    ///   require p.titel != ""
    /// }
    /// "#;
    /// let file = RuleFile { name: "demo.norm".to_owned(), bytes: rules.as_bytes().to_vec() };
    /// let (engine, problems) = Engine::build(vec![file]);
    ///
    /// // The misspelt field leaves `demo.broken` out, and says so.
    /// assert_eq!(problems.len(), 1);
    /// assert_eq!(problems[0].message, "`proposal` has no field `titel`");
    /// assert_eq!(problems[0].help.as_deref(), Some("did you mean `title`?"));
    /// let norms: Vec<&str> = engine.program().norms.iter().map(|n| n.id.as_str()).collect();
    /// assert_eq!(norms, ["demo.titled"]);
    ///
    /// let mut sources = engine.sources().clone();
    /// let text = "[proposal]\ntitle = \"untitled\"\n";
    /// let id = sources.add("draft.toml", text);
    /// let checked = engine.check(id, text.as_bytes(), Format::Toml);
    /// assert_eq!(checked.findings[0].code.as_str(), "demo.titled");
    /// ```
    pub fn build(files: Vec<RuleFile>) -> (Engine, Vec<Diagnostic>) {
        Engine::build_into(&mut SourceDb::new(), files)
    }

    /// Like [`Engine::build`], adding the rule files to `sources`, so that
    /// several engines and their proposals share one source database.
    pub fn build_into(sources: &mut SourceDb, files: Vec<RuleFile>) -> (Engine, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        let mut asts: Vec<(SourceId, Ast)> = Vec::with_capacity(files.len() + 1);
        let builtin = RuleFile {
            name: BUILTIN_RULES.0.to_owned(),
            bytes: BUILTIN_RULES.1.as_bytes().to_vec(),
        };
        for file in std::iter::once(builtin).chain(files) {
            let (ast, errors) = lacuna_syntax::parse_bytes(&file.bytes);
            let text = String::from_utf8_lossy(&file.bytes).into_owned();
            let id = sources.add(file.name, text);
            problems.extend(errors.into_iter().map(|e| {
                let fix = e.fix().cloned();
                problem::from_miette(Stage::Syntax, id, &e, fix)
            }));
            asts.push((id, ast));
        }
        let refs: Vec<(SourceId, &Ast)> = asts.iter().map(|(id, ast)| (*id, ast)).collect();
        let (schema, schema_errors) = build_schema(&refs);
        problems.extend(schema_errors.into_iter().map(|e| {
            let source = e.origin().source;
            let fix = e.fix().cloned();
            problem::from_miette(Stage::Schema, source, &e, fix)
        }));
        let (program, rule_errors) = check_rules(&schema, &refs);
        problems.extend(rule_errors.into_iter().map(|e| {
            let source = e.source_id();
            let fix = e.fix();
            problem::from_miette(Stage::Rules, source, &e, fix)
        }));
        problems.sort_by_key(problem::sort_key);
        (
            Engine {
                sources: sources.clone(),
                schema,
                program,
            },
            problems,
        )
    }

    /// The rule files. Clone it and add the proposals to get one database
    /// that every finding and problem points into.
    pub fn sources(&self) -> &SourceDb {
        &self.sources
    }

    /// The schema the rule files declare: enums and entity kinds.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The norms, resolved and type-checked, in rule-file order.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// A norm's template as written, holes included: `protect {g} ...`.
    /// Used where a norm is described without a subject, such as SARIF rules.
    pub fn template_text(&self, norm: &Norm, template: &Template) -> String {
        let text = self.sources.text(norm.origin.source);
        let mut out = String::new();
        for part in &template.parts {
            match part {
                TemplatePart::Text(t) => out.push_str(t),
                TemplatePart::Hole(expr) => {
                    out.push('{');
                    out.push_str(expr.span.text(text));
                    out.push('}');
                }
            }
        }
        out
    }

    /// For each norm with a `for` clause, each subject it examined in
    /// `facts` and whether it held: what `lacuna compare` reads to say what
    /// a change gives up. Severities and suppressions do not apply here.
    pub fn outcomes(&self, facts: &Facts) -> Vec<lacuna_eval::Outcome> {
        lacuna_eval::Evaluator::new(&self.program, &self.schema, facts).outcomes()
    }

    /// Loads and checks one proposal with every norm at its declared
    /// severity. `source` names it in findings and problems.
    ///
    /// A proposal that does not load cleanly is still checked, as far as
    /// it could be read; its problems come back with the findings.
    ///
    /// ```
    /// use lacuna::{Engine, Format};
    ///
    /// let (engine, _) = Engine::build(lacuna::standard_rules());
    /// let mut sources = engine.sources().clone();
    /// let text = r#"{"proposal": {"title": "A draft", "tittle": "typo"}}"#;
    /// let id = sources.add("draft.json", text);
    /// let checked = engine.check(id, text.as_bytes(), Format::Json);
    /// assert_eq!(checked.problems[0].message, "unknown field `tittle` in `proposal`");
    /// assert!(checked.findings.iter().any(|f| f.code.as_str() == "forum.exists"));
    /// ```
    pub fn check(&self, source: SourceId, bytes: &[u8], format: Format) -> Checked {
        self.check_with(source, bytes, format, &Policy::all())
    }

    /// Loads and checks one proposal under `policy`.
    pub fn check_with(
        &self,
        source: SourceId,
        bytes: &[u8],
        format: Format,
        policy: &Policy<'_>,
    ) -> Checked {
        match std::str::from_utf8(bytes) {
            Ok(text) => self.check_text_with(source, text, format, policy),
            Err(err) => Checked {
                facts: Facts::new(source, &self.schema),
                findings: Vec::new(),
                suppressed: 0,
                problems: vec![problem::invalid_utf8(source, bytes, &err)],
            },
        }
    }

    /// Checks a proposal that is already text under `policy`: what
    /// [`Engine::check_with`] does once the bytes are known to be UTF-8.
    pub fn check_text_with(
        &self,
        source: SourceId,
        text: &str,
        format: Format,
        policy: &Policy<'_>,
    ) -> Checked {
        let (facts, errors) = load(&self.schema, source, text, format);
        let mut problems: Vec<Diagnostic> = errors
            .into_iter()
            .map(|e| {
                let fix = e.fix().cloned();
                problem::from_miette(Stage::Proposal, source, &e, fix)
            })
            .collect();
        let detail = match policy.finding_fixes {
            FindingFixes::Repair => Detail::Full,
            FindingFixes::None | FindingFixes::Suppress => policy.detail,
        };
        let mut findings = evaluate_with(&self.program, &self.schema, &facts, detail);
        self.apply_policy(&mut findings, policy);
        let outcome = suppress::apply(
            findings,
            (text, format),
            &facts,
            &self.schema,
            &self.program,
            policy,
        );
        let mut findings = outcome.findings;
        if policy.finding_fixes == FindingFixes::Repair {
            let subject = repair::Subject {
                engine: self,
                text,
                format,
                facts: &facts,
                policy,
            };
            repair::search(&subject, &mut findings);
        }
        problems.extend(outcome.problems);
        problems.sort_by_key(problem::sort_key);
        Checked {
            facts,
            findings,
            suppressed: outcome.suppressed,
            problems,
        }
    }
}

impl Engine {
    /// Leaves out the findings of the norms `policy` does not run and gives
    /// the others the severity it says.
    ///
    /// The findings of a norm carry its id and declared severity, so the
    /// policy is asked once per norm, not once per finding; when it runs
    /// every norm at its declared severity, the findings are not looked at.
    fn apply_policy(&self, findings: &mut Vec<Diagnostic>, policy: &Policy<'_>) {
        let mut rulings: Vec<Ruling<'_>> = self
            .program
            .norms
            .iter()
            .map(|norm| Ruling {
                id: &norm.id,
                declared: norm.severity,
                enabled: (policy.enabled)(&norm.id),
                severity: (policy.severity)(&norm.id, norm.severity),
            })
            .collect();
        if rulings
            .iter()
            .all(|r| r.enabled && r.severity == r.declared)
        {
            return;
        }
        rulings.sort_by(|a, b| a.id.cmp(b.id));
        // What the policy says of one finding: from its norm's ruling, or
        // from the policy itself for a finding that does not match one.
        let rule = |finding: &Diagnostic| {
            let code = finding.code.as_str();
            match rulings.binary_search_by(|r| r.id.cmp(code)) {
                Ok(at) => match rulings.get(at) {
                    Some(r) if r.declared == finding.severity => (r.enabled, r.severity),
                    _ => (
                        (policy.enabled)(code),
                        (policy.severity)(code, finding.severity),
                    ),
                },
                Err(_) => (
                    (policy.enabled)(code),
                    (policy.severity)(code, finding.severity),
                ),
            }
        };
        if rulings.iter().all(|r| r.enabled) {
            // Only severities change: each finding on its own, on several
            // threads when there are many.
            let set = |finding: &mut Diagnostic| finding.severity = rule(finding).1;
            if lacuna_report::parallel(findings.len()) {
                findings.par_iter_mut().for_each(set);
            } else {
                findings.iter_mut().for_each(set);
            }
            return;
        }
        findings.retain_mut(|finding| {
            let (enabled, severity) = rule(finding);
            finding.severity = severity;
            enabled
        });
    }
}

/// What a policy says of one norm.
struct Ruling<'p> {
    id: &'p str,
    declared: Severity,
    enabled: bool,
    severity: Severity,
}

/// The walk-through of `docs/library.md`, whose examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/library.md")]
pub struct LibraryGuide;
