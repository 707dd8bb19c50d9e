//! The library's errors as Python exceptions, carrying the command line's message, and the line, column and
//! field path of a scenario error.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use safe_third::Error;
use safe_third::scenario::{Problem, ScenarioError as LibraryScenarioError};

use crate::library;

create_exception!(
    safe_third,
    SafeThirdError,
    PyException,
    "An error of safe-third, with the command line's message (`message`) and exit code (`exit_code`: 2 when the \
     input must change, 1 otherwise)."
);
create_exception!(
    safe_third,
    ScenarioError,
    SafeThirdError,
    "A scenario that cannot be loaded: `line` and `column` (1-based, None when unknown or when the scenario was a \
     dict), `path` (the field path, e.g. `agreement.guatemala.seats_per_month`) and `problems` (a list of dicts \
     with path, message, line and column, one per problem found)."
);

/// Any error of a run: a scenario error becomes [`ScenarioError`], everything else [`SafeThirdError`].
pub fn to_python(py: Python<'_>, error: &Error) -> PyErr {
    if let Error::Scenario(scenario) = error {
        // Policies and `--set` overrides are validated against the scenario's own text: positions are real.
        return scenario_to_python(py, scenario, false);
    }
    // With its sources, as the command line prints it.
    let message = safe_third::error::chain(error);
    let err = SafeThirdError::new_err(message.clone());
    set(py, &err, message, library::exit_code(error), None, None, Vec::new());
    err
}

/// A scenario error; `from_dict` drops positions, which would point into TOML written from the dict.
pub fn scenario_to_python(py: Python<'_>, error: &LibraryScenarioError, from_dict: bool) -> PyErr {
    if from_dict && let Some(located) = without_position(error) {
        return scenario_to_python(py, &located, false);
    }
    let (at, path, problems) = match error {
        LibraryScenarioError::Read { .. } => (None, None, Vec::new()),
        LibraryScenarioError::Syntax { line, column, path, .. } => (Some((*line, *column)), path.clone(), Vec::new()),
        LibraryScenarioError::Invalid { problems, .. } => {
            let first = problems.iter().find(|p| p.position.is_some()).or(problems.first());
            let rows = problems.iter().map(|p| (p.path.clone(), p.message.clone(), p.position)).collect();
            (first.and_then(|p| p.position), first.map(|p| p.path.clone()), rows)
        }
    };
    let message = error.to_string();
    let err = ScenarioError::new_err(message.clone());
    set(py, &err, message, 2, at, path, problems);
    err
}

/// The error with no line or column, told by field path alone (a syntax or type error becomes the one problem
/// found), so that the library's message says nothing of text the user never wrote; `None` if it has no position.
fn without_position(error: &LibraryScenarioError) -> Option<LibraryScenarioError> {
    match error {
        LibraryScenarioError::Read { .. } => None,
        LibraryScenarioError::Syntax { origin, path, message, .. } => Some(LibraryScenarioError::Invalid {
            origin: origin.clone(),
            problems: vec![Problem::new(path.clone().unwrap_or_default(), message.clone())],
        }),
        LibraryScenarioError::Invalid { problems, .. } if problems.iter().all(|p| p.position.is_none()) => None,
        LibraryScenarioError::Invalid { origin, problems } => Some(LibraryScenarioError::Invalid {
            origin: origin.clone(),
            problems: problems.iter().map(|p| Problem { position: None, ..p.clone() }).collect(),
        }),
    }
}

type ProblemRow = (String, String, Option<(usize, usize)>);

fn set(
    py: Python<'_>,
    err: &PyErr,
    message: String,
    exit_code: u8,
    at: Option<(usize, usize)>,
    path: Option<String>,
    problems: Vec<ProblemRow>,
) {
    let value = err.value(py);
    let rows: Vec<Bound<'_, PyDict>> = problems
        .into_iter()
        .map(|(path, message, at)| {
            let row = PyDict::new(py);
            let _ = row.set_item("path", path);
            let _ = row.set_item("message", message);
            let _ = row.set_item("line", at.map(|a| a.0));
            let _ = row.set_item("column", at.map(|a| a.1));
            row
        })
        .collect();
    // Setting attributes on a fresh exception instance cannot fail.
    let _ = value.setattr("message", message);
    let _ = value.setattr("exit_code", exit_code);
    let _ = value.setattr("line", at.map(|a| a.0));
    let _ = value.setattr("column", at.map(|a| a.1));
    let _ = value.setattr("path", path);
    let _ = value.setattr("problems", rows);
}
