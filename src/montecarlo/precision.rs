//! Precision on demand: add replications in fixed batches until the headline figures are known well enough.
//!
//! The headline figures are the key figures ([`super::key_figures`]: totals over the horizon and the peak
//! backlog) of every policy whose mean is at least [`MIN_MEAN`]. After each batch, the half-width of each one's
//! 95% confidence interval is compared with its mean; the run stops when every ratio is within the goal, or at
//! the maximum number of replications. ReplicationRunner have a fixed size and replication *i* does not depend on the
//! batches, so the number of replications reached, and every result, is the same at any thread count.

use super::{ReplicationRunner, RunError, RunResult};
use crate::error::InvalidRequest;

/// Key figures with a smaller mean (fewer than one case or person on average) are left out of the stopping
/// rule: a relative precision of something that almost never happens is neither reachable nor useful.
pub const MIN_MEAN: f64 = 1.0;

/// When to stop adding replications.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrecisionGoal {
    /// Largest accepted ratio of the 95% CI half-width to the mean, e.g. 0.05.
    pub relative_half_width: f64,
    /// Replications added at a time (the first batch included).
    pub batch: u64,
    /// Stop here even if the goal is not met.
    pub max_replications: u64,
}

impl PrecisionGoal {
    /// A goal of `relative_half_width` (a share strictly between 0 and 1), adding `batch` replications at a time
    /// up to `max_replications` (at least one batch).
    pub fn new(relative_half_width: f64, batch: u64, max_replications: u64) -> Result<PrecisionGoal, InvalidRequest> {
        if !(relative_half_width > 0.0 && relative_half_width < 1.0) {
            return Err(InvalidRequest(format!(
                "--precision must be a share between 0 and 1 (e.g. 0.05 for ±5%), found {relative_half_width}"
            )));
        }
        Ok(PrecisionGoal { relative_half_width, batch, max_replications: max_replications.max(batch) })
    }
}

/// What a run to a precision goal achieved.
#[derive(Debug, Clone, PartialEq)]
pub struct Precision {
    pub goal: PrecisionGoal,
    pub replications: u64,
    /// Whether every headline figure met the goal.
    pub met: bool,
    /// The least precise headline figure, as (policy index, country, label, relative half-width).
    pub worst: Option<(usize, String, String, f64)>,
}

/// Runs the models of `batches` side by side in batches of replications until `goal` is met.
pub fn run_to_precision(
    mut batches: ReplicationRunner,
    goal: PrecisionGoal,
    progress: &(dyn Fn() + Sync),
) -> Result<(Vec<RunResult>, Precision), RunError> {
    if goal.max_replications == 0 || goal.batch == 0 {
        return Err(RunError::NoReplications);
    }
    batches.check(goal.max_replications)?;
    loop {
        let count = goal.batch.min(goal.max_replications - batches.done());
        batches.run(count, progress)?;
        let worst = least_precise(&batches);
        let met = worst.as_ref().is_none_or(|w| w.3 <= goal.relative_half_width);
        if met || batches.done() >= goal.max_replications {
            let precision = Precision { goal, replications: batches.done(), met, worst };
            return Ok((batches.finish(), precision));
        }
    }
}

/// The headline figure with the widest relative interval so far (NaN counts as widest).
fn least_precise(batches: &ReplicationRunner) -> Option<(usize, String, String, f64)> {
    let mut worst: Option<(usize, String, String, f64)> = None;
    for m in 0..batches.models.len() {
        let aggregate = batches.aggregator().aggregate(m);
        for (spec, column) in aggregate.figures.iter().zip(&aggregate.figure_columns) {
            let (mean, half) = column.mean_ci95();
            if mean.is_nan() || mean.abs() < MIN_MEAN {
                continue;
            }
            let relative = half / mean.abs();
            let wider = |w: &(usize, String, String, f64)| relative.is_nan() || relative > w.3;
            if worst.as_ref().is_none_or(wider) {
                worst = Some((m, spec.country.clone(), spec.label.to_string(), relative));
            }
        }
    }
    worst
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use crate::scenario::Scenario;

    fn batches<'a>(models: &'a [&'a Model], seed: u64, threads: usize) -> ReplicationRunner<'a> {
        ReplicationRunner::new(models, seed, threads).unwrap()
    }

    #[test]
    fn stops_at_the_first_batch_meeting_the_goal_and_is_independent_of_threads() {
        let model = Model::new(&Scenario::builtin());
        let goal = PrecisionGoal { relative_half_width: 0.05, batch: 20, max_replications: 400 };
        let models = [&model];
        let (one, p1) = run_to_precision(batches(&models, 9, 1), goal, &|| {}).unwrap();
        let (two, p2) = run_to_precision(batches(&models, 9, 2), goal, &|| {}).unwrap();
        assert_eq!(p1, p2);
        assert_eq!(one[0].count, two[0].count);
        assert_eq!(format!("{:?}", one[0].summary), format!("{:?}", two[0].summary));
        assert!(p1.met, "{p1:?}");
        assert!(p1.worst.as_ref().unwrap().3 <= 0.05);
        assert_eq!(p1.replications % 20, 0);
        // One batch fewer would not have met the goal.
        if p1.replications > 20 {
            let mut b = batches(&models, 9, 1);
            b.run(p1.replications - 20, &|| {}).unwrap();
            assert!(least_precise(&b).unwrap().3 > 0.05);
        }
    }

    #[test]
    fn an_unreachable_goal_stops_at_the_maximum_and_says_so() {
        let model = Model::new(&Scenario::builtin());
        let goal = PrecisionGoal { relative_half_width: 1e-6, batch: 7, max_replications: 10 };
        let models = [&model];
        let (results, p) = run_to_precision(batches(&models, 1, 2), goal, &|| {}).unwrap();
        assert_eq!(results[0].count, 10, "the last batch is cut to the maximum");
        assert!(!p.met);
        assert!(p.worst.unwrap().3 > 1e-6);
    }
}
