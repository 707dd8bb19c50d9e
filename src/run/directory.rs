//! A run directory: `summary.csv`, `differences.csv` with several policies, `replications.csv` if asked for, the
//! charts, `report.md`, `report.html`, and `manifest.json`.
//!
//! The crash-safe order: the manifest is removed first and written last. If the run is interrupted while files
//! are being replaced, the directory has no manifest, and the next run refuses it without `--force` instead of
//! trusting a mixture. Every file is written atomically ([`crate::output::write_atomically`]).

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use crate::error::{Error, InvalidRequest};
use crate::output::charts::{self, ChartContext, ChartData, ChartFormat, ObservedRecord};
use crate::output::{
    self, DifferenceTable, OutputError, PolicyComparison, PolicyFigures, ReplicationsWriter, ReportInput, SummaryTable,
};

use super::{PreparedRun, RunOutcome, tables};

/// A run directory being written: opened before the run (so that `replications.csv` can be streamed as
/// replications finish), finished from the run's outcome.
pub struct RunDirectory {
    out: PathBuf,
    replications: Option<RefCell<ReplicationsWriter>>,
}

impl RunDirectory {
    /// Opens `out` for `run`: refuses a directory holding another run's results (another scenario, seed or
    /// overrides) unless `force`, before any work; starts `replications.csv` if the run asks for it.
    pub fn open(out: &Path, run: &PreparedRun, force: bool) -> Result<RunDirectory, Error> {
        if !force {
            output::check_destination(out, &run.scenario.sha256(), run.options.seed, &run.options.settings)?;
        }
        let replications = if run.options.replications_csv {
            Some(RefCell::new(ReplicationsWriter::create(&out.join("replications.csv"), &run.layouts())?))
        } else {
            None
        };
        Ok(RunDirectory { out: out.to_path_buf(), replications })
    }

    /// Writes a finished run into `out` in one go (no streaming): `replications.csv` comes from the values the run
    /// kept ([`RunOptions::keep_replications`](super::RunOptions::keep_replications)). Refuses a directory holding
    /// another run's results unless `force`.
    pub fn write(out: &Path, outcome: &RunOutcome, force: bool) -> Result<(), Error> {
        if !force {
            let m = &outcome.manifest;
            output::check_destination(out, &m.scenario_sha256, m.seed, &m.settings)?;
        }
        RunDirectory { out: out.to_path_buf(), replications: None }.finish(outcome)
    }

    /// Opens `out` for results whose layouts are `layouts` (name and metric layout per policy), with
    /// `replications.csv` streamed if `replications_csv`: a merge, which checks the destination itself.
    pub(super) fn open_for(
        out: &Path,
        layouts: &[(&str, &crate::model::MetricLayout)],
        replications_csv: bool,
    ) -> Result<RunDirectory, Error> {
        let replications = if replications_csv {
            Some(RefCell::new(ReplicationsWriter::create(&out.join("replications.csv"), layouts)?))
        } else {
            None
        };
        Ok(RunDirectory { out: out.to_path_buf(), replications })
    }

    /// Adds replication `index` (one vector of values per policy) to `replications.csv`, if it is written.
    pub fn push(&self, index: u64, values: &[Vec<f64>]) {
        if let Some(writer) = &self.replications {
            writer.borrow_mut().push(index, values);
        }
    }

    /// Writes every file from `outcome`, the manifest last. Without a streamed `replications.csv`, it is written
    /// from the values the run kept, if the run asked for it.
    pub fn finish(self, outcome: &RunOutcome) -> Result<(), Error> {
        let out = &self.out;
        let manifest_file = out.join("manifest.json");
        remove_if_present(&manifest_file)?;
        output::write_atomically(&out.join("summary.csv"), |w| tables::write_summary(w, outcome))?;
        let replications_file = out.join("replications.csv");
        match self.replications {
            Some(writer) => writer.into_inner().finish(&replications_file)?,
            None if outcome.manifest.replications_csv => {
                if outcome.policies.iter().any(|p| p.result.replications.len() as u64 != p.result.count) {
                    return Err(InvalidRequest(
                        "replications.csv needs every replication's values: keep them (keep_replications) or \
                         stream them to the run directory"
                            .to_string(),
                    )
                    .into());
                }
                output::write_atomically(&replications_file, |w| tables::write_replications(w, outcome))?;
            }
            // Left by an earlier run of the same scenario and seed: it would not match the new summary.
            None => remove_if_present(&replications_file)?,
        }
        let differences_file = out.join("differences.csv");
        if outcome.policies.len() > 1 {
            output::write_atomically(&differences_file, |w| tables::write_differences(w, outcome))?;
        } else {
            remove_if_present(&differences_file)?;
        }
        write_charts_and_report(out, outcome)?;
        output::write_atomically(&manifest_file, |w| w.write_all(outcome.manifest.to_json().as_bytes()))?;
        Ok(())
    }
}

fn remove_if_present(path: &Path) -> Result<(), OutputError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(OutputError { path: path.to_path_buf(), source: e }),
        _ => Ok(()),
    }
}

/// Charts and the report, drawn from summary.csv as written (so that `safe-third chart` redraws the same bytes).
fn write_charts_and_report(out: &Path, outcome: &RunOutcome) -> Result<(), Error> {
    let base = outcome.reference();
    let scenario = &base.policy.scenario;
    let table = SummaryTable::read(&out.join("summary.csv"))?;
    let differences_file = out.join("differences.csv");
    let differences = if differences_file.exists() { Some(DifferenceTable::read(&differences_file)?) } else { None };
    let context = ChartContext::new(&outcome.manifest, scenario);
    let size = (charts::DEFAULT_WIDTH, charts::DEFAULT_HEIGHT);
    let observed = outcome.record.as_ref().map(|(points, cutoff)| ObservedRecord {
        points,
        policy: &base.policy.name,
        cutoff: cutoff.map(|d| d.0),
    });
    let data = ChartData { summary: &table, differences: differences.as_ref(), record: observed };
    let written = charts::write_charts(&out.join("charts"), data, &context, &ChartFormat::ALL, size)?;
    let specs: Vec<_> = written.into_iter().map(|c| c.spec).collect();
    let comparison = (outcome.policies.len() > 1).then(|| PolicyComparison {
        reference: base.policy.name.clone(),
        policies: outcome
            .policies
            .iter()
            .map(|p| PolicyFigures {
                name: p.policy.name.clone(),
                description: p.policy.description.clone(),
                key_figures: p.key_figures.clone(),
                differences: p.key_figure_differences.clone(),
            })
            .collect(),
    });
    let input = ReportInput {
        scenario,
        manifest: &outcome.manifest,
        table: &table,
        differences: differences.as_ref(),
        context: &context,
        key_figures: &base.key_figures,
        charts: &specs,
        dir: out,
        comparison: comparison.as_ref(),
        record: outcome.record.as_ref().map(|(points, _)| points.as_slice()),
    };
    output::write_report(out, &input)?;
    Ok(())
}
