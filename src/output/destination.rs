//! Where results go: a directory that holds another scenario's or seed's results is not overwritten by accident.

use std::path::{Path, PathBuf};

use super::manifest::Manifest;

/// Files (and the `charts` directory) a run writes; anything else in the directory is left alone.
pub const RESULT_FILES: [&str; 7] =
    ["summary.csv", "replications.csv", "differences.csv", "manifest.json", "report.md", "report.html", "charts"];

/// Why results may not be written into a directory.
#[derive(Debug, thiserror::Error)]
pub enum DestinationError {
    #[error(
        "{dir} holds results of another run (scenario {scenario} with SHA-256 {sha_short}…, seed {seed}{settings}); \
         pass --force to overwrite them, or choose another directory with --out"
    )]
    OtherRun { dir: PathBuf, scenario: String, sha_short: String, seed: u64, settings: String },
    #[error(
        "{dir} holds {file} but no readable manifest.json, so it cannot tell whose results they are; \
         pass --force to overwrite them, or choose another directory with --out"
    )]
    Unknown { dir: PathBuf, file: String },
}

/// Checks that `dir` is empty of results, or holds results of the same scenario (by hash), seed and `--set`
/// overrides.
pub fn check_destination(
    dir: &Path,
    scenario_sha256: &str,
    seed: u64,
    settings: &[String],
) -> Result<(), DestinationError> {
    match Manifest::read(&dir.join("manifest.json")) {
        Ok(previous)
            if previous.scenario_sha256 == scenario_sha256
                && previous.seed == seed
                && previous.settings == settings =>
        {
            Ok(())
        }
        Ok(previous) => Err(DestinationError::OtherRun {
            dir: dir.to_path_buf(),
            scenario: previous.scenario_name,
            sha_short: previous.scenario_sha256.chars().take(12).collect(),
            seed: previous.seed,
            settings: if previous.settings.is_empty() {
                String::new()
            } else {
                format!(", --set {}", previous.settings.join(" --set "))
            },
        }),
        Err(_) => match RESULT_FILES.iter().find(|f| dir.join(f).exists()) {
            Some(file) => Err(DestinationError::Unknown { dir: dir.to_path_buf(), file: file.to_string() }),
            None => Ok(()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(sha: &str, seed: u64) -> String {
        format!(
            r#"{{"tool":"safe-third","version":"0","scenario_name":"s","scenario_file":"s.toml","scenario_sha256":"{sha}",
               "seed":{seed},"replications":1,"threads":1,"generator":"g","command":[],"started_unix_seconds":0,
               "wall_time_seconds":0.0,"events":0}}"#
        )
    }

    #[test]
    fn same_scenario_seed_and_settings_may_overwrite_others_may_not() {
        let dir = tempfile::tempdir().unwrap();
        let none: &[String] = &[];
        assert!(check_destination(dir.path(), "abc", 1, none).is_ok(), "an empty directory is fine");
        std::fs::write(dir.path().join("manifest.json"), manifest("abc", 1)).unwrap();
        assert!(check_destination(dir.path(), "abc", 1, none).is_ok());
        assert!(matches!(
            check_destination(dir.path(), "abc", 2, none),
            Err(DestinationError::OtherRun { seed: 1, .. })
        ));
        assert!(matches!(check_destination(dir.path(), "abd", 1, none), Err(DestinationError::OtherRun { .. })));
        let set = ["a.b=1".to_string()];
        assert!(matches!(check_destination(dir.path(), "abc", 1, &set), Err(DestinationError::OtherRun { .. })));
        std::fs::remove_file(dir.path().join("manifest.json")).unwrap();
        std::fs::write(dir.path().join("summary.csv"), "x").unwrap();
        assert!(matches!(check_destination(dir.path(), "abc", 1, none), Err(DestinationError::Unknown { .. })));
    }
}
