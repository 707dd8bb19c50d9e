//! Policies compared on common random numbers: paired differences with confidence intervals.
//!
//! Replication *i* of every policy sees the same arrivals and the same draws for each case ([`crate::rng`]), so
//! the difference between two policies is estimated from the per-replication differences
//! dᵢ = xᵢ(policy) − xᵢ(reference). Their mean is the estimate; its 95% confidence interval uses Student's t with
//! the sample standard deviation of the dᵢ. The *variance-reduction factor* compares this with what independent
//! runs of the same size would give: (s²(policy) + s²(reference)) / s²(d). A factor of 4 means the paired interval
//! is half as wide as the unpaired one; 1 means pairing gained nothing.

pub use super::difference::Difference;
use super::key_figures::figure_specs;
use super::pairing::{matching_cells, matching_figures};
use super::{Column, RunResult};

/// One row of `differences.csv`: a policy against the reference in one month, country and metric.
#[derive(Debug, Clone)]
pub struct CellDifference {
    pub month: String,
    pub country: String,
    pub metric: &'static str,
    pub difference: Difference,
}

/// The paired difference of one quantity: from every value while both are kept (exactly as from a table of all
/// replications), else from the running sums the run accumulated against its reference.
fn difference(
    policy: (&RunResult, &Column, Option<&[f64]>),
    reference: (&RunResult, &Column, Option<&[f64]>),
    streamed: impl FnOnce() -> Option<Difference>,
) -> Difference {
    if let (Some(p), Some(r)) = (policy.1.exact(), reference.1.exact()) {
        return Difference::paired(p, r);
    }
    if let (Some(p), Some(r)) = (policy.2, reference.2) {
        return Difference::paired(p, r);
    }
    assert_eq!(
        policy.0.compared_with,
        Some(reference.0.index),
        "a paired difference beyond the exact range needs a run compared with that reference \
         (ReplicationRunner::compare_with) or every value kept"
    );
    streamed().expect("paired sums of a shared quantity")
}

/// Paired differences of every cell the two runs share (matched by month, country and metric), in the
/// reference's order.
pub fn cell_differences(policy: &RunResult, reference: &RunResult) -> Vec<CellDifference> {
    let (pl, rl) = (&policy.layout, &reference.layout);
    let kept = !policy.replications.is_empty() && !reference.replications.is_empty();
    let (mut p_values, mut r_values) = (Vec::new(), Vec::new());
    let labels: Vec<_> = rl.cells().collect();
    matching_cells(pl, rl)
        .into_iter()
        .enumerate()
        .map(|(k, (p_cell, r_cell))| {
            let (month, country, metric, _) = labels[r_cell];
            if kept {
                p_values.clear();
                r_values.clear();
                p_values.extend(policy.replications.iter().map(|v| v[p_cell]));
                r_values.extend(reference.replications.iter().map(|v| v[r_cell]));
            }
            let (pv, rv) = if kept { (Some(&p_values[..]), Some(&r_values[..])) } else { (None, None) };
            let difference = difference(
                (policy, &policy.aggregate.cells[p_cell], pv),
                (reference, &reference.aggregate.cells[r_cell], rv),
                || policy.aggregate.paired_cells.get(k).map(|p| p.difference()),
            );
            CellDifference {
                month: rl.months[month].clone(),
                country: rl.countries[country].clone(),
                metric,
                difference,
            }
        })
        .collect()
}

/// A key figure (total over the horizon, or peak) of a policy against the reference.
#[derive(Debug, Clone)]
pub struct KeyFigureDifference {
    pub country: String,
    pub label: &'static str,
    pub metric: &'static str,
    pub policy_mean: f64,
    pub reference_mean: f64,
    pub difference: Difference,
}

/// Paired differences of the key figures the two runs share.
pub fn key_figure_differences(policy: &RunResult, reference: &RunResult) -> Vec<KeyFigureDifference> {
    let (pa, ra) = (&policy.aggregate, &reference.aggregate);
    let kept = !policy.replications.is_empty() && !reference.replications.is_empty();
    let (p_specs, r_specs) = (figure_specs(&policy.layout), figure_specs(&reference.layout));
    matching_figures(&pa.figures, &ra.figures)
        .into_iter()
        .enumerate()
        .map(|(k, (p, r))| {
            let values = |result: &RunResult, spec: &super::key_figures::FigureSpec| -> Vec<f64> {
                result.replications.iter().map(|v| spec.value(v)).collect()
            };
            let (pv, rv) =
                if kept { (values(policy, &p_specs[p]), values(reference, &r_specs[r])) } else { Default::default() };
            let (pc, rc) = (&pa.figure_columns[p], &ra.figure_columns[r]);
            let spec = &ra.figures[r];
            KeyFigureDifference {
                country: spec.country.clone(),
                label: spec.label,
                metric: spec.metric,
                policy_mean: pc.mean(),
                reference_mean: rc.mean(),
                difference: difference(
                    (policy, pc, kept.then_some(&pv[..])),
                    (reference, rc, kept.then_some(&rv[..])),
                    || pa.paired_figures.get(k).map(|p| p.difference()),
                ),
            }
        })
        .collect()
}
