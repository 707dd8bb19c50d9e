//! Observed figures beside their simulated bands.

use crate::scenario::Target;

use super::{CellSummary, RunResult};

/// An observed value and what the run gives for the same month, country and metric.
#[derive(Debug, Clone)]
pub struct TargetCheck {
    pub target: Target,
    /// `None` when the metric name or month is not in the results.
    pub simulated: Option<CellSummary>,
}

impl TargetCheck {
    /// Whether the observed value lies within the simulated P5–P95 band.
    pub fn within_band(&self) -> Option<bool> {
        self.simulated.map(|s| s.p05 <= self.target.value && self.target.value <= s.p95)
    }
}

/// Looks up every target of a scenario in a run's summary.
pub fn check_targets(targets: &[Target], result: &RunResult) -> Vec<TargetCheck> {
    targets
        .iter()
        .map(|target| {
            let month = result.layout.months.iter().position(|m| *m == target.month);
            let cell = month.and_then(|m| result.layout.find(m, &target.country, &target.metric));
            TargetCheck { target: target.clone(), simulated: cell.map(|c| result.summary[c]) }
        })
        .collect()
}
