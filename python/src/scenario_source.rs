//! Where a scenario given from Python comes from, and its loading by the library.

use std::path::PathBuf;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;

use safe_third::run::LoadedScenario;
use safe_third::scenario::ScenarioError;

/// The origin named in messages about a scenario given as a TOML string.
pub const TOML_ORIGIN: &str = "<TOML string>";
/// The origin named in messages about a scenario given as a dict.
pub const DICT_ORIGIN: &str = "<scenario dict>";

/// A scenario as given from Python.
pub enum ScenarioSource {
    Builtin,
    File(PathBuf),
    Toml(String),
    /// A dict, written as TOML so that it goes through the library's parser and validation like a file.
    Dict(String),
}

impl ScenarioSource {
    /// `kind` is decided by the Python wrapper: "builtin", "path", "toml" or "dict".
    pub fn from_python(kind: &str, scenario: &Bound<'_, PyAny>) -> PyResult<ScenarioSource> {
        Ok(match kind {
            "builtin" => ScenarioSource::Builtin,
            "path" => ScenarioSource::File(scenario.extract()?),
            "toml" => ScenarioSource::Toml(scenario.extract()?),
            "dict" => {
                let table: toml::Table = pythonize::depythonize(scenario)
                    .map_err(|e| PyTypeError::new_err(format!("the scenario dict cannot be written as TOML: {e}")))?;
                let text = toml::to_string(&table)
                    .map_err(|e| PyValueError::new_err(format!("the scenario dict cannot be written as TOML: {e}")))?;
                ScenarioSource::Dict(text)
            }
            other => return Err(PyValueError::new_err(format!("unknown scenario kind {other:?}"))),
        })
    }

    /// Loads and validates it, targets included, as the command line does.
    pub fn load(&self) -> Result<LoadedScenario, ScenarioError> {
        match self {
            ScenarioSource::Builtin => Ok(LoadedScenario::builtin()),
            ScenarioSource::File(path) => LoadedScenario::from_path(path),
            ScenarioSource::Toml(text) => LoadedScenario::from_toml(text.as_str(), TOML_ORIGIN),
            ScenarioSource::Dict(text) => LoadedScenario::from_toml(text.as_str(), DICT_ORIGIN),
        }
    }

    /// Whether line and column would point into text the user never saw (the TOML written from a dict).
    pub fn is_dict(&self) -> bool {
        matches!(self, ScenarioSource::Dict(_))
    }
}

/// An override `path = value` as the command line's `--set path=value` takes it: the value written as TOML.
pub fn setting(path: &str, value: &Bound<'_, PyAny>) -> PyResult<String> {
    let value: toml::Value = pythonize::depythonize(value)
        .map_err(|e| PyTypeError::new_err(format!("override {path}: the value cannot be written as TOML: {e}")))?;
    Ok(format!("{path}={value}"))
}
