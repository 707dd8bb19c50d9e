//! `manifest.json`: what produced a result, so that anyone can reproduce it.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Everything needed to reproduce a run, saved beside its results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub tool: String,
    pub version: String,
    pub scenario_name: String,
    /// The scenario file as given on the command line, or the built-in scenario's name.
    pub scenario_file: String,
    /// The scenario file's absolute path, to find it again from another directory; absent for the built-in one.
    #[serde(default)]
    pub scenario_path: Option<std::path::PathBuf>,
    /// SHA-256 of the scenario file's bytes.
    pub scenario_sha256: String,
    pub seed: u64,
    pub replications: u64,
    /// Whether replications.csv was written too.
    #[serde(default)]
    pub replications_csv: bool,
    /// Worker threads used; results do not depend on it.
    pub threads: usize,
    pub generator: String,
    /// The command line that produced the result.
    pub command: Vec<String>,
    /// Seconds since 1970-01-01 UTC when the run started.
    pub started_unix_seconds: u64,
    pub wall_time_seconds: f64,
    /// Events handled over all replications.
    pub events: u64,
    /// `--set PATH=VALUE` overrides, as given, in order.
    #[serde(default)]
    pub settings: Vec<String>,
    /// The policies run, in order (`baseline` for a scenario that declares none).
    #[serde(default)]
    pub policies: Vec<String>,
    /// The policy the others were compared with.
    #[serde(default)]
    pub reference: Option<String>,
    /// For `safe-third sweep`: each `--grid PATH=V1,V2,…` as given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grid: Vec<String>,
    /// For `safe-third calibrate`: what was estimated from what, and how.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration: Option<CalibrationRecord>,
    /// With `--precision`: the goal and what was achieved (`replications` is then the number reached).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<PrecisionRecord>,
}

/// What a calibration estimated from which data, and how far its ABC-SMC sequence went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationRecord {
    /// The observed-data file.
    pub observed: String,
    /// Observations after this day were held out.
    pub cutoff: Option<String>,
    pub loss: String,
    /// Particles per population.
    pub particles: usize,
    /// Populations made, the prior sample included.
    pub generations: usize,
    /// Parameter sets simulated over all generations.
    pub simulated: u64,
    /// The final population's tolerance and effective sample size.
    pub tolerance: f64,
    pub ess: f64,
    /// Why the sequence ended.
    pub stop: String,
}

/// What a run to a precision goal asked for and achieved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrecisionRecord {
    /// Largest accepted ratio of a headline figure's 95% CI half-width to its mean.
    pub goal: f64,
    pub batch: u64,
    pub max_replications: u64,
    /// Whether every headline figure met the goal.
    pub met: bool,
    /// The widest ratio reached, and the figure it belongs to (`policy / country / figure`).
    pub achieved: Option<f64>,
    pub least_precise: Option<String>,
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Why a manifest could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("cannot read manifest {path}")]
    Read {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not a safe-third manifest")]
    Parse {
        path: std::path::PathBuf,
        #[source]
        source: serde_json::Error,
    },
}

impl Manifest {
    /// Reads a manifest written by a run.
    pub fn read(path: &std::path::Path) -> Result<Manifest, ManifestError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| ManifestError::Read { path: path.to_path_buf(), source })?;
        serde_json::from_str(&text).map_err(|source| ManifestError::Parse { path: path.to_path_buf(), source })
    }

    /// Pretty-printed JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a manifest always serialises");
        text.push('\n');
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_like_sha256sum() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
