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
use super::{OutputError, TempFile, write_atomically};

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
    #[error("{dir} is not a complete partial result: cannot read {file}")]
    Read {
        dir: PathBuf,
        file: &'static str,
        #[source]
        source: io::Error,
    },
    #[error("{dir}/{PARTIAL_MANIFEST} is not a safe-third partial manifest")]
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

/// Writes a partial into a directory as replications finish: `values.bin` under a temporary name, then, on
/// [`PartialWriter::finish`], the scenario's text and `partial.json` (last: its presence marks a complete partial).
pub struct PartialWriter {
    dir: PathBuf,
    values: TempFile,
    hasher: Sha256,
    bytes: Vec<u8>,
    replications: u64,
    error: Option<io::Error>,
}

impl PartialWriter {
    /// Starts a partial in `dir`, removing the `partial.json` of an earlier one first.
    pub fn create(dir: &Path) -> Result<PartialWriter, OutputError> {
        let manifest_file = dir.join(PARTIAL_MANIFEST);
        if manifest_file.exists() {
            fs::remove_file(&manifest_file).map_err(|source| OutputError { path: manifest_file.clone(), source })?;
        }
        let mut writer = PartialWriter {
            dir: dir.to_path_buf(),
            values: TempFile::create(&dir.join(PARTIAL_VALUES))?,
            hasher: Sha256::new(),
            bytes: Vec::new(),
            replications: 0,
            error: None,
        };
        writer.write(MAGIC);
        Ok(writer)
    }

    fn write(&mut self, bytes: &[u8]) {
        if self.error.is_none() {
            self.hasher.update(bytes);
            if let Err(e) = self.values.writer().write_all(bytes) {
                self.error = Some(e);
            }
        }
    }

    /// Adds the next replication: one vector of values per policy. The first error is kept for
    /// [`PartialWriter::finish`].
    pub fn push(&mut self, values: &[Vec<f64>]) {
        let mut bytes = std::mem::take(&mut self.bytes);
        bytes.clear();
        for value in values.iter().flatten() {
            bytes.extend_from_slice(&value.to_le_bytes());
        }
        self.write(&bytes);
        self.bytes = bytes;
        self.replications += 1;
    }

    /// Completes the partial: `manifest.values_sha256` is filled in here.
    pub fn finish(self, mut manifest: PartialManifest, scenario_source: &str) -> Result<(), OutputError> {
        let values_file = self.dir.join(PARTIAL_VALUES);
        if let Some(source) = self.error {
            return Err(OutputError { path: values_file, source });
        }
        debug_assert_eq!(self.replications, manifest.replications);
        manifest.values_sha256 = hex(&self.hasher.finalize());
        self.values.commit(&values_file)?;
        write_atomically(&self.dir.join(PARTIAL_SCENARIO), |w| w.write_all(scenario_source.as_bytes()))?;
        write_atomically(&self.dir.join(PARTIAL_MANIFEST), |w| w.write_all(manifest.to_json().as_bytes()))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reading a partial's `values.bin` one replication at a time.
pub struct PartialValues {
    dir: PathBuf,
    reader: io::BufReader<fs::File>,
    per_policy: Vec<usize>,
    remaining: u64,
    buffer: Vec<u8>,
}

impl PartialValues {
    /// Opens `dir/values.bin` after checking its size and its SHA-256 against `manifest` (one pass over the file,
    /// so that a damaged partial is refused before any result is computed from it).
    pub fn open(dir: &Path, manifest: &PartialManifest) -> Result<PartialValues, PartialError> {
        let read_error = |source| PartialError::Read { dir: dir.to_path_buf(), file: PARTIAL_VALUES, source };
        let damaged = |problem: String| PartialError::Damaged { dir: dir.to_path_buf(), problem };
        let path = dir.join(PARTIAL_VALUES);
        let per_replication = manifest.values_per_replication_total();
        let expected = MAGIC.len() as u64 + 8 * per_replication as u64 * manifest.replications;
        let size = fs::metadata(&path).map_err(read_error)?.len();
        if size != expected {
            return Err(damaged(format!(
                "{size} bytes, expected {expected} for {} replications of {per_replication} values",
                manifest.replications
            )));
        }
        let mut hasher = Sha256::new();
        io::copy(&mut fs::File::open(&path).map_err(read_error)?, &mut HashWriter(&mut hasher)).map_err(read_error)?;
        let sha = hex(&hasher.finalize());
        if sha != manifest.values_sha256 {
            return Err(damaged(format!(
                "its SHA-256 is {sha}, not {} as {PARTIAL_MANIFEST} records (truncated or altered?)",
                manifest.values_sha256
            )));
        }
        let mut reader = io::BufReader::new(fs::File::open(&path).map_err(read_error)?);
        let mut magic = [0u8; 8];
        reader.read_exact(&mut magic).map_err(read_error)?;
        if &magic != MAGIC {
            return Err(damaged("it does not start with the partial format's signature".to_string()));
        }
        Ok(PartialValues {
            dir: dir.to_path_buf(),
            reader,
            per_policy: manifest.values_per_replication.clone(),
            remaining: manifest.replications,
            buffer: Vec::new(),
        })
    }

    /// Reads the next replication into `values` (one vector per policy); false when there is none left.
    pub fn next_into(&mut self, values: &mut Vec<Vec<f64>>) -> Result<bool, PartialError> {
        if self.remaining == 0 {
            return Ok(false);
        }
        values.resize_with(self.per_policy.len(), Vec::new);
        for (policy, &n) in values.iter_mut().zip(&self.per_policy) {
            self.buffer.resize(8 * n, 0);
            self.reader.read_exact(&mut self.buffer).map_err(|source| PartialError::Read {
                dir: self.dir.clone(),
                file: PARTIAL_VALUES,
                source,
            })?;
            policy.clear();
            policy.extend(self.buffer.chunks_exact(8).map(|b| f64::from_le_bytes(b.try_into().expect("8 bytes"))));
        }
        self.remaining -= 1;
        Ok(true)
    }
}

/// Feeds bytes copied into it to a hasher.
struct HashWriter<'a>(&'a mut Sha256);

impl Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
