//! Checked proposals rendered in the formats of `lacuna check --format`.
//!
//! [`Engine::render`] gives the text `lacuna check` prints for the same
//! proposals: the findings and problems of every proposal in one report,
//! the norms described, the summary counted, at most
//! [`MAX_PROBLEMS_PER_FILE`] problems a file, and bidirectional controls
//! written as escapes (`\u202E`). `docs/output.md` describes every format.

use std::collections::BTreeSet;

use lacuna_report::NormInfo;
pub use lacuna_report::{
    JSON_SCHEMA_VERSION, MAX_PROBLEMS_PER_FILE, OutputFormat, RenderOptions, RunSummary,
    UnknownFormat, VERSION,
};

use crate::{Checked, Diagnostic, Engine, Policy, SourceDb, Stage};

impl Engine {
    /// Renders `checked`, proposals this engine checked with
    /// [`Engine::check`], in `format`, as `lacuna check` prints them.
    ///
    /// `sources` holds the rule files and the proposals: the engine's
    /// [`sources`](Engine::sources) with the proposals added. The summary
    /// is counted from `checked`, whatever `options.summary` says; the
    /// norms listed (in `json` and `sarif`) are all the engine's norms at
    /// their declared severities. `human` and `plain` leave problems out,
    /// as `lacuna check` prints them to standard error.
    ///
    /// ```
    /// use lacuna::render::{OutputFormat, RenderOptions};
    /// use lacuna::{Engine, Format};
    ///
    /// let (engine, _) = Engine::build(lacuna::standard_rules());
    /// let mut sources = engine.sources().clone();
    /// let text = "[proposal]\ntitle = \"Nothing yet\"\n";
    /// let id = sources.add("draft.toml", text);
    /// let checked = engine.check(id, text.as_bytes(), Format::Toml);
    ///
    /// let concise = engine.render(&sources, &[checked], OutputFormat::Concise, &RenderOptions::default());
    /// assert!(concise.starts_with("draft.toml:1:1: warning[forum.exists]"));
    /// assert!(concise.ends_with("(1 file checked against 33 norms)\n"));
    /// ```
    pub fn render(
        &self,
        sources: &SourceDb,
        checked: &[Checked],
        format: OutputFormat,
        options: &RenderOptions,
    ) -> String {
        self.render_with(sources, checked, format, options, &Policy::all())
    }

    /// Like [`Engine::render`], for proposals checked with
    /// [`Engine::check_with`] under `policy`: the norms listed are those
    /// it enables, at the severities it gives them.
    pub fn render_with(
        &self,
        sources: &SourceDb,
        checked: &[Checked],
        format: OutputFormat,
        options: &RenderOptions,
        policy: &Policy<'_>,
    ) -> String {
        let norms = self.norm_infos(policy);
        let mut findings: Vec<Diagnostic> = checked
            .iter()
            .flat_map(|c| c.findings.iter().cloned())
            .collect();
        findings
            .iter_mut()
            .for_each(lacuna_report::escape_diagnostic_text);
        let problems = checked.iter().flat_map(|c| c.problems.iter().cloned());
        let (mut problems, omitted) = lacuna_report::cap_per_file(problems, |p| p.primary.source);
        problems.extend(omitted.into_iter().map(|(source, count)| {
            lacuna_report::too_many_problems(Stage::Proposal, source, count)
        }));
        problems
            .iter_mut()
            .for_each(lacuna_report::escape_diagnostic_text);
        let options = RenderOptions {
            summary: Some(RunSummary {
                files_checked: checked.len(),
                norms_checked: norms.len(),
                suppressed: checked.iter().map(|c| c.suppressed).sum(),
            }),
            ..options.clone()
        };
        let out = lacuna_report::render_with_problems(
            format, &findings, &problems, &norms, sources, &options,
        );
        // What remains of bidirectional controls, in ids and paths, is
        // escaped too, as `lacuna check` writes it.
        lacuna_report::escape_bidi(&out).into_owned()
    }

    /// The norms `policy` enables, described for the reporters, sorted by
    /// id; a norm id declared twice is described once.
    fn norm_infos(&self, policy: &Policy<'_>) -> Vec<NormInfo> {
        let mut seen = BTreeSet::new();
        let mut infos: Vec<NormInfo> = Vec::new();
        for norm in &self.program().norms {
            if !(policy.enabled)(&norm.id) || !seen.insert(norm.id.as_str()) {
                continue;
            }
            let mut info =
                NormInfo::new(norm.id.clone(), (policy.severity)(&norm.id, norm.severity));
            info.doc = norm.doc.clone();
            info.help = norm.help.as_ref().map(|h| self.template_text(norm, h));
            info.source = norm.source.clone();
            info.serves = norm.serves.clone();
            info.perspective = norm.perspective.clone();
            info.tags = norm.tags.clone();
            info.origin = Some(norm.origin);
            infos.push(info);
        }
        infos.sort_by(|a, b| a.id.cmp(&b.id));
        infos
    }
}
