//! Writing results: tidy CSV for analysts, charts and a report for readers, and a manifest that says how to
//! reproduce them.
//!
//! Every file is written to a temporary name in the output directory and renamed into place once complete, so a
//! file that exists under its final name is always whole.

mod calibrated;
pub mod charts;
mod destination;
mod differences_table;
mod manifest;
mod number;
mod partial;
mod report;
mod summary_table;
mod tables;

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

pub use calibrated::{CalibratedError, calibrated_scenario};
pub use destination::{DestinationError, RESULT_FILES, check_destination};
pub use differences_table::{DifferenceCell, DifferenceTable};
pub use manifest::{CalibrationRecord, Manifest, ManifestError, PrecisionRecord, sha256_hex};
pub use number::format_number;
pub use partial::{
    PARTIAL_FORMAT, PARTIAL_MANIFEST, PARTIAL_SCENARIO, PARTIAL_VALUES, PartialError, PartialManifest, PartialValues,
    PartialWriter,
};
pub use report::{PolicyComparison, PolicyFigures, ReportError, ReportInput, write_report};
pub use summary_table::{Stats, SummaryError, SummaryTable};
pub use tables::{
    PolicyTable, ReplicationsWriter, SUMMARY_HEADER, write_differences, write_replications, write_summary,
    write_summary_rows,
};

/// Why results could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}: {source}")]
pub struct OutputError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

/// A table's text that is not the table it should be; the message says which line is wrong and why.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TableFormatError(pub String);

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

/// A file written under a temporary name in its final directory and renamed into place by [`TempFile::commit`];
/// dropped without a commit, it is removed.
pub struct TempFile {
    temporary: PathBuf,
    writer: Option<BufWriter<fs::File>>,
}

impl TempFile {
    /// Creates the temporary file for `path` (`tag` tells apart several temporaries of one final file).
    pub fn create(path: &Path, tag: &str) -> Result<TempFile, OutputError> {
        let error = |source| OutputError { path: path.to_path_buf(), source };
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(error)?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let temporary = dir.join(format!(".{name}.{}{tag}.partial", std::process::id()));
        let file = fs::File::create(&temporary).map_err(error)?;
        Ok(TempFile { temporary, writer: Some(BufWriter::new(file)) })
    }

    /// Where the bytes go.
    pub fn writer(&mut self) -> &mut BufWriter<fs::File> {
        self.writer.as_mut().expect("not yet committed")
    }

    /// Reads the whole temporary file back from its start, after flushing it.
    pub fn reopen(&mut self) -> io::Result<fs::File> {
        self.writer().flush()?;
        fs::File::open(&self.temporary)
    }

    /// Flushes, syncs and renames the file to `path`.
    pub fn commit(mut self, path: &Path) -> Result<(), OutputError> {
        let error = |source| OutputError { path: path.to_path_buf(), source };
        let writer = self.writer.take().expect("committed once");
        writer.into_inner().map_err(|e| error(e.into_error()))?.sync_all().map_err(error)?;
        fs::rename(&self.temporary, path).map_err(error)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if self.writer.is_some() {
            self.writer = None;
            let _ = fs::remove_file(&self.temporary);
        }
    }
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
