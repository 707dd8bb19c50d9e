//! Policies compared on common random numbers: paired differences with confidence intervals.
//!
//! Replication *i* of every policy sees the same arrivals and the same draws for each case ([`crate::rng`]), so
//! the difference between two policies is estimated from the per-replication differences
//! dᵢ = xᵢ(policy) − xᵢ(reference). Their mean is the estimate; its 95% confidence interval uses Student's t with
//! the sample standard deviation of the dᵢ. The *variance-reduction factor* compares this with what independent
//! runs of the same size would give: (s²(policy) + s²(reference)) / s²(d). A factor of 4 means the paired interval
//! is half as wide as the unpaired one; 1 means pairing gained nothing.

use super::aggregate::{matching_cells, matching_figures};
use super::key_figures::figure_specs;
use super::{Column, RunResult, t_975};

/// The difference of one quantity between a policy and the reference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Difference {
    /// Replications in which the quantity was defined under both policies.
    pub n: usize,
    /// Mean of the paired differences (policy − reference).
    pub mean: f64,
    /// Sample standard deviation of the paired differences.
    pub sd: f64,
    /// 95% confidence interval of the mean difference.
    pub ci_low: f64,
    pub ci_high: f64,
    /// Half-width the interval would have from independent runs of the same size (Welch, with t at n − 1).
    pub unpaired_half_width: f64,
    /// (s²(policy) + s²(reference)) / s²(d); infinite when the differences do not vary but the values do.
    pub variance_reduction: f64,
}

impl Difference {
    /// Paired difference of `policy` against `reference`, replication by replication; pairs with a NaN are
    /// skipped (e.g. a mean wait in a month with no decision).
    pub fn paired(policy: &[f64], reference: &[f64]) -> Difference {
        let pairs: Vec<(f64, f64)> =
            policy.iter().zip(reference).map(|(&p, &r)| (p, r)).filter(|(p, r)| !p.is_nan() && !r.is_nan()).collect();
        let n = pairs.len();
        let nf = n as f64;
        let mean_of = |f: &dyn Fn(&(f64, f64)) -> f64| pairs.iter().map(f).sum::<f64>() / nf;
        let var_of =
            |f: &dyn Fn(&(f64, f64)) -> f64, m: f64| pairs.iter().map(|x| (f(x) - m).powi(2)).sum::<f64>() / (nf - 1.0);
        let mean = mean_of(&|(p, r)| p - r);
        if n < 2 {
            return Difference::from_moments(n, mean, f64::NAN, f64::NAN, f64::NAN);
        }
        let var_d = var_of(&|(p, r)| p - r, mean);
        let var_p = var_of(&|(p, _)| *p, mean_of(&|(p, _)| *p));
        let var_r = var_of(&|(_, r)| *r, mean_of(&|(_, r)| *r));
        Difference::from_moments(n, mean, var_d, var_p, var_r)
    }

    /// The difference from its moments: `n` pairs, the mean difference, and the sample variances of the
    /// differences, the policy's values and the reference's values.
    pub fn from_moments(n: usize, mean: f64, var_d: f64, var_p: f64, var_r: f64) -> Difference {
        let nf = n as f64;
        if n < 2 {
            return Difference {
                n,
                mean,
                sd: f64::NAN,
                ci_low: f64::NAN,
                ci_high: f64::NAN,
                unpaired_half_width: f64::NAN,
                variance_reduction: f64::NAN,
            };
        }
        let t = t_975(nf - 1.0);
        let half = t * (var_d / nf).sqrt();
        let variance_reduction = if var_d > 0.0 {
            (var_p + var_r) / var_d
        } else if var_p + var_r > 0.0 {
            f64::INFINITY
        } else {
            f64::NAN
        };
        Difference {
            n,
            mean,
            sd: var_d.sqrt(),
            ci_low: mean - half,
            ci_high: mean + half,
            unpaired_half_width: t * ((var_p + var_r) / nf).sqrt(),
            variance_reduction,
        }
    }

    /// Whether the 95% interval excludes zero: the policies differ by more than the noise of the run.
    pub fn distinguishable(&self) -> bool {
        self.ci_low > 0.0 || self.ci_high < 0.0
    }
}

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
         (Batches::compare_with) or every value kept"
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairing_removes_the_shared_noise() {
        // Each replication shares a large common component; the policy adds exactly 2.
        let reference: Vec<f64> = (0..50).map(|i| ((i * 37) % 101) as f64).collect();
        let policy: Vec<f64> = reference.iter().enumerate().map(|(i, r)| r + 2.0 + (i % 2) as f64 * 0.1).collect();
        let d = Difference::paired(&policy, &reference);
        assert_eq!(d.n, 50);
        assert!((d.mean - 2.05).abs() < 1e-12);
        assert!(d.ci_low > 2.0 && d.ci_high < 2.1, "{d:?}");
        assert!(d.distinguishable());
        assert!(d.variance_reduction > 1000.0, "{d:?}");
        assert!(d.unpaired_half_width > 10.0 * (d.ci_high - d.mean), "{d:?}");
    }

    #[test]
    fn independent_noise_gains_nothing_and_zero_is_inside() {
        let a = [1.0, 5.0, 2.0, 8.0, 3.0, 7.0, 4.0, 6.0];
        let b = [6.0, 2.0, 7.0, 3.0, 5.0, 4.0, 8.0, 1.0];
        let d = Difference::paired(&a, &b);
        assert_eq!(d.mean, 0.0);
        assert!(!d.distinguishable());
        assert!(d.variance_reduction < 1.0, "anti-correlated pairs: {d:?}");
    }

    #[test]
    fn identical_policies_differ_by_exactly_nothing() {
        let a = [3.0, 4.0, 5.0];
        let d = Difference::paired(&a, &a);
        assert_eq!((d.mean, d.ci_low, d.ci_high), (0.0, 0.0, 0.0));
        assert!(d.variance_reduction.is_infinite());
        assert!(!d.distinguishable());
        let constant = Difference::paired(&[1.0, 1.0], &[1.0, 1.0]);
        assert!(constant.variance_reduction.is_nan());
    }

    #[test]
    fn undefined_pairs_are_skipped() {
        let d = Difference::paired(&[1.0, f64::NAN, 3.0], &[0.0, 1.0, f64::NAN]);
        assert_eq!(d.n, 1);
        assert_eq!(d.mean, 1.0);
        assert!(d.ci_low.is_nan());
    }
}
