//! Writing results: tidy CSV for analysts and a manifest that says how to reproduce them.
//!
//! Every file is written to a temporary name in the output directory and renamed into place once complete, so a
//! file that exists under its final name is always whole.

mod destination;
mod manifest;
mod number;
mod partial;
mod tables;

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

pub use destination::{DestinationError, RESULT_FILES, check_destination};
pub use manifest::{Manifest, ManifestError, PrecisionRecord, sha256_hex};
pub use number::format_number;
pub use partial::{
    PARTIAL_FORMAT, PARTIAL_MANIFEST, PARTIAL_SCENARIO, PARTIAL_VALUES, PartialError, PartialManifest,
    read_partial_values, write_partial,
};
pub use tables::{
    PolicyTable, SUMMARY_HEADER, write_differences, write_replications, write_summary, write_summary_rows,
};

/// Why results could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}: {source}")]
pub struct OutputError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

/// Writes `path` through `write`, atomically: a temporary file in the same directory, then a rename.
pub fn write_atomically(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), OutputError> {
    let error = |source| OutputError { path: path.to_path_buf(), source };
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(error)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = dir.join(format!(".{name}.{}.partial", std::process::id()));
    let result = (|| {
        let mut file = BufWriter::new(fs::File::create(&temporary)?);
        write(&mut file)?;
        file.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        fs::rename(&temporary, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result.map_err(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_neither_the_file_nor_a_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.csv");
        let failed = write_atomically(&path, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
        write_atomically(&path, |w| w.write_all(b"whole")).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "whole");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
