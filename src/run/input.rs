//! A scenario as a run takes it: its text (hashed into the manifest, quoted in error messages, and the base that
//! policies and `--set` overrides are applied to), where it came from, the scenario and its model.

use std::path::Path;

use crate::error::{Error, InvalidRequest};
use crate::model::Model;
use crate::output::sha256_hex;
use crate::scenario::{DEFAULT_ORIGIN, DEFAULT_SCENARIO, Policy, Scenario, ScenarioError, Setting, closest};

/// A validated scenario (targets included) with its text, origin and model.
#[derive(Debug)]
pub struct LoadedScenario {
    pub scenario: Scenario,
    pub model: Model,
    /// The TOML text the scenario was read from.
    pub source: String,
    /// Its file as given, or [`DEFAULT_ORIGIN`] for the built-in scenario; names it in messages.
    pub origin: String,
}

impl LoadedScenario {
    /// The built-in guatemala-2019 scenario.
    pub fn builtin() -> LoadedScenario {
        LoadedScenario::from_toml(DEFAULT_SCENARIO, DEFAULT_ORIGIN).expect("the built-in scenario is valid (tested)")
    }

    /// Reads and validates a scenario file.
    pub fn from_path(path: &Path) -> Result<LoadedScenario, ScenarioError> {
        let source =
            std::fs::read_to_string(path).map_err(|source| ScenarioError::Read { path: path.to_path_buf(), source })?;
        LoadedScenario::from_toml(source, path.display().to_string())
    }

    /// A scenario file, or the built-in scenario without one: what the command line's `[SCENARIO]` means.
    pub fn from_path_or_builtin(path: Option<&Path>) -> Result<LoadedScenario, ScenarioError> {
        match path {
            Some(path) => LoadedScenario::from_path(path),
            None => Ok(LoadedScenario::builtin()),
        }
    }

    /// Validates a scenario's TOML text; `origin` names it in messages (a file name, or e.g. `<string>`).
    pub fn from_toml(source: impl Into<String>, origin: impl Into<String>) -> Result<LoadedScenario, ScenarioError> {
        let (source, origin) = (source.into(), origin.into());
        let scenario = Scenario::from_toml(&source, &origin)?;
        let model = Model::new(&scenario);
        let layout = &model.layout;
        scenario.check_target_metrics(&source, &origin, |country, metric| layout.find(0, country, metric).is_some())?;
        Ok(LoadedScenario { scenario, model, source, origin })
    }

    /// An in-memory scenario, written out as TOML and validated as a file would be (its text is what the
    /// manifest's hash covers).
    pub fn from_scenario(scenario: &Scenario) -> Result<LoadedScenario, ScenarioError> {
        let origin = format!("<in-memory scenario {}>", scenario.name);
        let source = toml::to_string(scenario).map_err(|e| ScenarioError::Syntax {
            origin: origin.clone(),
            line: 1,
            column: 1,
            path: None,
            message: format!("cannot be written as TOML: {e}"),
        })?;
        LoadedScenario::from_toml(source, origin)
    }

    /// Whether this is the built-in scenario (which has no file to record in the manifest).
    pub fn is_builtin(&self) -> bool {
        self.origin == DEFAULT_ORIGIN
    }

    /// SHA-256 of the scenario's text, as the manifest records it.
    pub fn sha256(&self) -> String {
        sha256_hex(self.source.as_bytes())
    }

    /// The scenario's policies with `settings` (`--set PATH=VALUE` texts) applied, restricted to `selected`
    /// (all when empty), in file order, each validated with its targets.
    pub fn policies(&self, settings: &[String], selected: &[String]) -> Result<Vec<Policy>, Error> {
        let settings: Vec<Setting> =
            settings.iter().map(|s| Setting::parse(s).map_err(InvalidRequest)).collect::<Result<_, _>>()?;
        let all = self.scenario.policies(&self.source, &self.origin, &settings)?;
        for name in selected {
            if !all.iter().any(|p| &p.name == name) {
                let names: Vec<&str> = all.iter().map(|p| p.name.as_str()).collect();
                let hint =
                    closest(name, names.iter().copied()).map_or(String::new(), |b| format!("; did you mean \"{b}\"?"));
                return Err(InvalidRequest(format!(
                    "--policy {name}: the scenario has no such policy{hint} (it has: {})",
                    names.join(", ")
                ))
                .into());
            }
        }
        let chosen: Vec<Policy> =
            all.into_iter().filter(|p| selected.is_empty() || selected.contains(&p.name)).collect();
        for policy in &chosen {
            let layout = Model::new(&policy.scenario).layout;
            policy.scenario.check_target_metrics(&self.source, &self.origin, |country, metric| {
                layout.find(0, country, metric).is_some()
            })?;
        }
        Ok(chosen)
    }
}
