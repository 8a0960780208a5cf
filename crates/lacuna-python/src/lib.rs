//! `lacuna._lacuna`, the native half of the Python package `lacuna`.
//!
//! Each function takes paths and texts, does its work in [`run`] with the
//! GIL released, and returns the text the command line would print with
//! the problems that did not stop it. The Python half (`python/lacuna`)
//! decides what is a path and what is a text, turns JSON into dicts and
//! lists, and raises the exceptions of `lacuna._errors`, which this module
//! builds from a [`run::Failure`].

mod run;

use std::path::PathBuf;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

use run::{CheckRequest, Failure, Output, Proposal, Rules};

/// A failure or warning as the Python side takes it: kind, message, code,
/// help and a `json` report of the diagnostics.
type FailureTuple = (
    &'static str,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn tuple(failure: Failure) -> FailureTuple {
    (
        failure.kind.name(),
        failure.message,
        failure.code,
        failure.help,
        failure.report,
    )
}

/// The exception of `lacuna._errors` that `failure` stands for.
fn raise(py: Python<'_>, failure: Failure) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let errors = py.import("lacuna._errors")?;
        let error = errors.getattr("_error")?.call1(tuple(failure))?;
        Ok(PyErr::from_value(error))
    };
    // The package imports `lacuna._errors` before this module, so this
    // fails only when the module is loaded on its own.
    build().unwrap_or_else(|e| PyRuntimeError::new_err(format!("lacuna: {e}")))
}

/// The text and the warnings, or the exception.
fn finish(
    py: Python<'_>,
    result: Result<Output, Failure>,
) -> PyResult<(String, Vec<FailureTuple>)> {
    match result {
        Ok(output) => Ok((
            output.text,
            output.warnings.into_iter().map(tuple).collect(),
        )),
        Err(failure) => Err(raise(py, failure)),
    }
}

/// A proposal from the Python side: a path, or a text and its name.
fn proposal(path: Option<PathBuf>, text: Option<String>, name: String) -> Proposal {
    match (path, text) {
        (Some(path), _) => Proposal::Path(path),
        (None, text) => Proposal::Text {
            text: text.unwrap_or_default(),
            name,
        },
    }
}

#[pymodule]
#[pyo3(name = "_lacuna")]
mod native {
    use super::*;

    /// The output of `lacuna check --format FORMAT` for one proposal.
    #[pyfunction]
    #[pyo3(signature = (*, path, text, name, format, rules, no_default_rules, config))]
    #[allow(clippy::too_many_arguments)]
    fn check(
        py: Python<'_>,
        path: Option<PathBuf>,
        text: Option<String>,
        name: String,
        format: String,
        rules: Vec<PathBuf>,
        no_default_rules: bool,
        config: Option<PathBuf>,
    ) -> PyResult<(String, Vec<FailureTuple>)> {
        let request = CheckRequest {
            proposal: proposal(path, text, name),
            format,
            rules: Rules {
                paths: rules,
                no_default_rules,
            },
            config,
        };
        let result = py.detach(|| run::check(&request));
        finish(py, result)
    }

    /// The output of `lacuna compare --format FORMAT BASE OPTION...`; each
    /// proposal is `(path, text, name)`.
    #[pyfunction]
    #[pyo3(signature = (proposals, *, format, rules, no_default_rules))]
    fn compare(
        py: Python<'_>,
        proposals: Vec<(Option<PathBuf>, Option<String>, String)>,
        format: String,
        rules: Vec<PathBuf>,
        no_default_rules: bool,
    ) -> PyResult<(String, Vec<FailureTuple>)> {
        let proposals: Vec<Proposal> = proposals
            .into_iter()
            .map(|(path, text, name)| proposal(path, text, name))
            .collect();
        let rules = Rules {
            paths: rules,
            no_default_rules,
        };
        let result = py.detach(|| run::compare(&proposals, &rules, &format));
        finish(py, result)
    }

    /// The output of `lacuna norms --format json`.
    #[pyfunction]
    #[pyo3(signature = (*, rules, no_default_rules))]
    fn norms(
        py: Python<'_>,
        rules: Vec<PathBuf>,
        no_default_rules: bool,
    ) -> PyResult<(String, Vec<FailureTuple>)> {
        let rules = Rules {
            paths: rules,
            no_default_rules,
        };
        let result = py.detach(|| run::norms(&rules));
        finish(py, result)
    }

    /// The norm `id` as a JSON object (see `run::explain`).
    #[pyfunction]
    #[pyo3(signature = (id, *, rules, no_default_rules))]
    fn explain(
        py: Python<'_>,
        id: String,
        rules: Vec<PathBuf>,
        no_default_rules: bool,
    ) -> PyResult<(String, Vec<FailureTuple>)> {
        let rules = Rules {
            paths: rules,
            no_default_rules,
        };
        let result = py.detach(|| run::explain(&id, &rules));
        finish(py, result)
    }

    /// The version of lacuna the module was built from.
    #[pymodule_export]
    const VERSION: &str = env!("CARGO_PKG_VERSION");
}
