//! `lacuna lsp`: the language server, checking with the standard rules.
//!
//! The server knows nothing of the engine; this file is what it asks of it.
//! The server's tests include this file too, so they drive the same checks.

use std::process::ExitCode;

use lacuna::{Engine, Format, Problem, RuleFile, SourceDb, standard_rules};
use lacuna_lsp::{Analysis, Analyzer};

/// Checks documents against the standard rules, built once.
pub struct Standard {
    engine: Engine,
}

impl Standard {
    pub fn build() -> Standard {
        // Broken standard rules are caught by the test suite; the norms that
        // do build still check every document.
        let (engine, _) = Engine::build(standard_rules());
        Standard { engine }
    }
}

impl Analyzer for Standard {
    fn proposal(&self, name: &str, text: &str, format: Format) -> Analysis {
        let mut sources = self.engine.sources().clone();
        let source = sources.add(name, text);
        let checked = self.engine.check(source, text.as_bytes(), format);
        Analysis {
            sources,
            source,
            problems: checked
                .problems
                .iter()
                .map(Problem::to_input_problem)
                .collect(),
            findings: checked.findings,
        }
    }

    /// Builds the file with the standard rules, in place of the standard
    /// file of the same name if there is one, so that its norms resolve
    /// against the standard vocabulary.
    fn rules(&self, name: &str, text: &str) -> Analysis {
        let replaced = format!("<standard>/{name}");
        let mut files: Vec<RuleFile> = standard_rules()
            .into_iter()
            .filter(|file| file.name != replaced)
            .collect();
        files.push(RuleFile {
            name: name.to_owned(),
            bytes: text.as_bytes().to_vec(),
        });
        let mut sources = SourceDb::new();
        let (_, problems) = Engine::build_into(&mut sources, files);
        // The document was added last.
        let source = sources
            .iter()
            .map(|(id, _)| id)
            .last()
            .unwrap_or(lacuna::SourceId(0));
        Analysis {
            sources,
            source,
            problems: problems.iter().map(Problem::to_input_problem).collect(),
            findings: Vec::new(),
        }
    }
}

pub fn run() -> ExitCode {
    match lacuna_lsp::run(&Standard::build()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
