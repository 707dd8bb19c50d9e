//! Writing results: tidy CSV for analysts, charts and a report for readers, and a manifest that says how to
//! reproduce them.
//!
//! Every file is written to a temporary name in the output directory and renamed into place once complete, so a
//! file that exists under its final name is always whole.

pub mod charts;
mod destination;
mod differences_table;
mod manifest;
pub mod number;
mod partial;
mod report;
mod summary_table;
mod tables;

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

pub use destination::{DestinationError, RESULT_FILES, check_destination};
pub use differences_table::{DifferenceCell, DifferenceTable};
pub use manifest::{CalibrationRecord, Manifest, ManifestError, PrecisionRecord, sha256_hex};
pub use number::{format_number, signed, thousands, thousands_with};
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
#[error("cannot write {path}")]
pub struct OutputError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

/// A table's text that is not the table it should be; the message says which line is wrong and why.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TableFormatError(pub String);

/// Writes `path` through `write`, atomically: a [`TempFile`] in the same directory, persisted in place.
pub fn write_atomically(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), OutputError> {
    let mut file = TempFile::create(path)?;
    write(file.writer()).map_err(|source| OutputError { path: path.to_path_buf(), source })?;
    file.commit(path)
}

/// A file written under a temporary name in its final directory and moved into place by [`TempFile::commit`].
///
/// The temporary is created by `tempfile`: a random name, opened exclusively (a planted file or symlink is never
/// written through), and removed when dropped without a commit (an error, a panic). The commit syncs the file,
/// renames it over `path`, and syncs the directory, so that after a crash the directory holds the old file or
/// the whole new one.
pub struct TempFile {
    writer: BufWriter<tempfile::NamedTempFile>,
}

/// The directory a file goes into (`.` for a bare name).
fn parent(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

impl TempFile {
    /// Creates a temporary file for `path` in its directory (created if need be).
    pub fn create(path: &Path) -> Result<TempFile, OutputError> {
        let error = |source| OutputError { path: path.to_path_buf(), source };
        let dir = parent(path);
        fs::create_dir_all(dir).map_err(error)?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let file =
            tempfile::Builder::new().prefix(&format!(".{name}.")).suffix(".partial").tempfile_in(dir).map_err(error)?;
        Ok(TempFile { writer: BufWriter::new(file) })
    }

    /// Where the bytes go.
    pub fn writer(&mut self) -> &mut BufWriter<tempfile::NamedTempFile> {
        &mut self.writer
    }

    /// Reads the whole temporary file back from its start, after flushing it.
    pub fn reopen(&mut self) -> io::Result<fs::File> {
        self.writer.flush()?;
        self.writer.get_ref().reopen()
    }

    /// Flushes and syncs the file, renames it to `path`, and syncs the directory.
    pub fn commit(self, path: &Path) -> Result<(), OutputError> {
        let error = |source| OutputError { path: path.to_path_buf(), source };
        let file = self.writer.into_inner().map_err(|e| error(e.into_error()))?;
        file.as_file().sync_all().map_err(error)?;
        file.persist(path).map_err(|e| error(e.error))?;
        sync_directory(parent(path)).map_err(error)
    }
}

/// Makes a rename in `dir` durable. Only Unix can open a directory to sync it; elsewhere the rename stands alone.
fn sync_directory(dir: &Path) -> io::Result<()> {
    if cfg!(unix) { fs::File::open(dir)?.sync_all() } else { Ok(()) }
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

    #[test]
    fn a_temporary_dropped_without_a_commit_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("replications.csv");
        let mut file = TempFile::create(&path).unwrap();
        file.writer().write_all(b"rows").unwrap();
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "the temporary exists while written");
        drop(file);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_symlink_is_replaced_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "keep").unwrap();
        let path = dir.path().join("summary.csv");
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        write_atomically(&path, |w| w.write_all(b"new")).unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");
        assert!(!fs::symlink_metadata(&path).unwrap().file_type().is_symlink());
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
    }
}
