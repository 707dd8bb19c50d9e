//! A run reproduced from its manifest: the same scenario file (refused if it has changed), seed, replications,
//! policies and `--set` overrides.

use std::path::Path;

use crate::error::{Error, InvalidRequest};
use crate::output::Manifest;

use super::{LoadedScenario, RunOptions};

/// What a manifest asks to run again.
#[derive(Debug)]
pub struct Reproduction {
    pub scenario: LoadedScenario,
    pub options: RunOptions,
    /// The manifest as read (its `version` may differ from this build's, whose results may then differ).
    pub manifest: Manifest,
}

/// Reads the manifest at `path` and the scenario it names, refusing a scenario whose text has changed since.
/// A precision run is reproduced by the number of replications it reached: replication *i* never depends on how
/// many others ran.
pub fn reproduce(path: &Path) -> Result<Reproduction, Error> {
    let manifest = Manifest::read(path).map_err(|e| InvalidRequest(e.to_string()))?;
    let scenario = LoadedScenario::from_path_or_builtin(manifest.scenario_path.as_deref())?;
    let now = scenario.sha256();
    if now != manifest.scenario_sha256 {
        return Err(InvalidRequest(format!(
            "the scenario {} has changed since the run recorded in {} (SHA-256 then {}, now {}); \
             restore it, or run it afresh without --from-manifest",
            scenario.origin,
            path.display(),
            manifest.scenario_sha256,
            now
        ))
        .into());
    }
    let options = RunOptions {
        policies: manifest.policies.clone(),
        settings: manifest.settings.clone(),
        replications_csv: manifest.replications_csv,
        ..RunOptions::new(manifest.replications, manifest.seed)
    };
    Ok(Reproduction { scenario, options, manifest })
}
