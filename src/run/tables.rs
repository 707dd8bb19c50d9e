//! The CSV tables of a run's outcome, byte for byte as its run directory holds them: [`super::RunDirectory`] writes
//! them to files, and a front end that keeps results in memory (the Python package's DataFrames) reads the same
//! bytes.

use std::io::{self, Write};

use crate::montecarlo::comparison::CellDifference;
use crate::output::{self, PolicyTable};

use super::RunOutcome;

/// Each policy's results as the table writers take them, in run order.
fn policy_tables(outcome: &RunOutcome) -> Vec<PolicyTable<'_>> {
    outcome
        .policies
        .iter()
        .map(|p| PolicyTable {
            policy: &p.policy.name,
            layout: &p.result.layout,
            summary: &p.result.summary,
            replications: &p.result.replications,
        })
        .collect()
}

/// `summary.csv`.
pub fn write_summary(w: &mut dyn Write, outcome: &RunOutcome) -> io::Result<()> {
    output::write_summary(w, &policy_tables(outcome))
}

/// `replications.csv` from the values the run kept ([`super::RunOptions::keep_replications`]).
pub fn write_replications(w: &mut dyn Write, outcome: &RunOutcome) -> io::Result<()> {
    output::write_replications(w, &policy_tables(outcome))
}

/// `differences.csv`: every policy but the reference against the reference (only a header with one policy; the
/// run directory then has no such file).
pub fn write_differences(w: &mut dyn Write, outcome: &RunOutcome) -> io::Result<()> {
    let rows: Vec<(&str, &[CellDifference])> = outcome
        .policies
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != outcome.reference)
        .map(|(_, p)| (p.policy.name.as_str(), p.cell_differences.as_slice()))
        .collect();
    output::write_differences(w, &outcome.reference().policy.name, &rows)
}
