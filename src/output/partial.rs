//! Partial results of a shard (`safe-third run --shard K/N`), merged by `safe-third merge`.
//!
//! # Format (version 1)
//!
//! A partial result is a directory holding three files:
//!
//! - `values.bin`: the 8 bytes `SAFE3RD` + `\x01`, then every replication's values in replication order, each
//!   replication as the values of every policy in turn (policies in the order of the run), each value an IEEE-754
//!   `f64` in little-endian byte order, in the order of the metric layout (the rows of `summary.csv`). NaN stands
//!   for an undefined value. Nothing is rounded: the merge recomputes exactly what a single run computes.
//! - `scenario.toml`: a copy of the scenario file's bytes, so that the merge needs nothing but the partials.
//! - `partial.json` (written last; its presence marks a complete partial): the format version, the shard
//!   (`K/N`), its first replication and number of replications, the number of values per replication of each
//!   policy, the events each policy handled, the SHA-256 of `values.bin`, and under `run` the manifest of the
//!   whole run as the shard knows it (`replications` is the total of the run, `events` and the timings the
//!   shard's own).
//!
//! A partial of *r* replications of *p* policies of *v* values each takes 8 + 8·r·p·v bytes: 7.8 kB per
//! replication of `guatemala-2019` (975 values).

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::manifest::Manifest;
use super::{OutputError, write_atomically};

/// The version of the partial format written by this build.
pub const PARTIAL_FORMAT: u32 = 1;
/// File names inside a partial directory.
pub const PARTIAL_MANIFEST: &str = "partial.json";
pub const PARTIAL_VALUES: &str = "values.bin";
pub const PARTIAL_SCENARIO: &str = "scenario.toml";
/// First bytes of `values.bin`.
const MAGIC: &[u8; 8] = b"SAFE3RD\x01";

/// `partial.json`: what a shard ran and how to check its values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartialManifest {
    /// [`PARTIAL_FORMAT`] of the build that wrote it.
    pub format: u32,
    /// `K/N`.
    pub shard: String,
    /// First replication of the shard.
    pub first: u64,
    /// Replications in the shard: `first .. first + replications`.
    pub replications: u64,
    /// Values per replication of each policy, in the order of `run.policies`.
    pub values_per_replication: Vec<usize>,
    /// Events handled by each policy's replications in this shard.
    pub events: Vec<u64>,
    /// Lower-case hex SHA-256 of `values.bin`.
    pub values_sha256: String,
    /// The manifest of the whole run, as written by this shard.
    pub run: Manifest,
}

/// Why a partial could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PartialError {
    #[error("{dir} is not a complete partial result: cannot read {file}: {source}")]
    Read {
        dir: PathBuf,
        file: &'static str,
        #[source]
        source: io::Error,
    },
    #[error("{dir}/{PARTIAL_MANIFEST} is not a safe-third partial manifest: {source}")]
    Parse {
        dir: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("{dir} holds a partial in format {found}; this build reads format {PARTIAL_FORMAT}")]
    Format { dir: PathBuf, found: u32 },
    #[error("{dir}/{PARTIAL_VALUES} is damaged: {problem}")]
    Damaged { dir: PathBuf, problem: String },
}

impl PartialManifest {
    /// Reads `dir/partial.json` and checks its format version.
    pub fn read(dir: &Path) -> Result<PartialManifest, PartialError> {
        let text = fs::read_to_string(dir.join(PARTIAL_MANIFEST)).map_err(|source| PartialError::Read {
            dir: dir.to_path_buf(),
            file: PARTIAL_MANIFEST,
            source,
        })?;
        let manifest: PartialManifest =
            serde_json::from_str(&text).map_err(|source| PartialError::Parse { dir: dir.to_path_buf(), source })?;
        if manifest.format != PARTIAL_FORMAT {
            return Err(PartialError::Format { dir: dir.to_path_buf(), found: manifest.format });
        }
        Ok(manifest)
    }

    /// Values per replication over all policies.
    pub fn values_per_replication_total(&self) -> usize {
        self.values_per_replication.iter().sum()
    }

    /// Pretty-printed JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a partial manifest always serialises");
        text.push('\n');
        text
    }
}

/// A writer that hashes what passes through it.
struct Hashing<'a> {
    inner: &'a mut dyn Write,
    hasher: Sha256,
}

impl Write for Hashing<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes a partial into `dir`: `values.bin` from `replications` (each yielding, per replication, one slice of
/// values per policy), the scenario's text, and `partial.json` last. `manifest.values_sha256` is filled in here.
pub fn write_partial<'v>(
    dir: &Path,
    mut manifest: PartialManifest,
    scenario_source: &str,
    replications: impl Iterator<Item = Vec<&'v [f64]>>,
) -> Result<(), OutputError> {
    let manifest_file = dir.join(PARTIAL_MANIFEST);
    if manifest_file.exists() {
        fs::remove_file(&manifest_file).map_err(|source| OutputError { path: manifest_file.clone(), source })?;
    }
    let mut sha = String::new();
    write_atomically(&dir.join(PARTIAL_VALUES), |w| {
        let mut w = Hashing { inner: w, hasher: Sha256::new() };
        w.write_all(MAGIC)?;
        let mut bytes = Vec::new();
        for policies in replications {
            bytes.clear();
            for value in policies.into_iter().flatten() {
                bytes.extend_from_slice(&value.to_le_bytes());
            }
            w.write_all(&bytes)?;
        }
        sha = w.hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
        Ok(())
    })?;
    manifest.values_sha256 = sha;
    write_atomically(&dir.join(PARTIAL_SCENARIO), |w| w.write_all(scenario_source.as_bytes()))?;
    write_atomically(&manifest_file, |w| w.write_all(manifest.to_json().as_bytes()))
}

/// Reads a partial's `values.bin` whole, checking its size and hash against `manifest`: per replication, one
/// vector of values per policy.
pub fn read_partial_values(dir: &Path, manifest: &PartialManifest) -> Result<Vec<Vec<Vec<f64>>>, PartialError> {
    let damaged = |problem: String| PartialError::Damaged { dir: dir.to_path_buf(), problem };
    let mut file = fs::File::open(dir.join(PARTIAL_VALUES)).map_err(|source| PartialError::Read {
        dir: dir.to_path_buf(),
        file: PARTIAL_VALUES,
        source,
    })?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(|source| PartialError::Read {
        dir: dir.to_path_buf(),
        file: PARTIAL_VALUES,
        source,
    })?;
    let sha: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    if sha != manifest.values_sha256 {
        return Err(damaged(format!(
            "its SHA-256 is {sha}, not {} as {PARTIAL_MANIFEST} records (truncated or altered?)",
            manifest.values_sha256
        )));
    }
    if !bytes.starts_with(MAGIC) {
        return Err(damaged("it does not start with the partial format's signature".to_string()));
    }
    let per_replication = manifest.values_per_replication_total();
    let expected = MAGIC.len() as u64 + 8 * per_replication as u64 * manifest.replications;
    if bytes.len() as u64 != expected {
        return Err(damaged(format!(
            "{} bytes, expected {expected} for {} replications of {per_replication} values",
            bytes.len(),
            manifest.replications
        )));
    }
    let mut values = bytes[MAGIC.len()..].chunks_exact(8).map(|b| f64::from_le_bytes(b.try_into().expect("8 bytes")));
    Ok((0..manifest.replications)
        .map(|_| manifest.values_per_replication.iter().map(|&n| values.by_ref().take(n).collect()).collect())
        .collect())
}
