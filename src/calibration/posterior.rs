//! What the posterior says about each parameter, beside what the prior said.
//!
//! For each parameter: the prior's and the posterior's central 90% intervals (P5–P95, the posterior's from the
//! weighted final population), the posterior median, and whether the record identifies the parameter at all.
//! A parameter whose posterior 90% interval is more than [`NOT_IDENTIFIED_RATIO`] of its prior's width is
//! reported as **not identified by the record**: the record barely narrowed what was assumed.

use super::abc::{Population, weighted_quantile};
use super::prior::TruncatedPrior;
use crate::scenario::CalibratedParameter;

/// A posterior 90% interval wider than this share of the prior's means the record does not identify the parameter.
pub const NOT_IDENTIFIED_RATIO: f64 = 0.8;

/// The central interval reported: P5–P95.
pub const LOWER: f64 = 0.05;
pub const UPPER: f64 = 0.95;

/// One parameter's prior and posterior, as applied to the scenario (integers rounded).
#[derive(Debug, Clone, PartialEq)]
pub struct ParameterSummary {
    pub prior: (f64, f64),
    pub posterior: (f64, f64),
    pub median: f64,
}

impl ParameterSummary {
    /// The posterior 90% interval's width over the prior's.
    pub fn width_ratio(&self) -> f64 {
        let prior = self.prior.1 - self.prior.0;
        if prior > 0.0 { (self.posterior.1 - self.posterior.0) / prior } else { 0.0 }
    }

    /// Whether the record narrowed the prior enough to say something (see the module docs).
    pub fn identified(&self) -> bool {
        self.width_ratio() <= NOT_IDENTIFIED_RATIO
    }
}

/// The value of a parameter as the scenario receives it.
pub fn applied(parameter: &CalibratedParameter, value: f64) -> f64 {
    if parameter.integer { value.round() } else { value }
}

/// Each parameter's summary from the final population.
pub fn summarise(parameters: &[CalibratedParameter], population: &Population) -> Vec<ParameterSummary> {
    parameters
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let prior = TruncatedPrior::of(p);
            let weighted = || population.particles.iter().map(move |q| (applied(p, q.values[k]), q.weight));
            ParameterSummary {
                prior: (applied(p, prior.quantile(LOWER)), applied(p, prior.quantile(UPPER))),
                posterior: (weighted_quantile(weighted(), LOWER), weighted_quantile(weighted(), UPPER)),
                median: weighted_quantile(weighted(), 0.5),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_posterior_nearly_as_wide_as_its_prior_is_not_identified() {
        let s = |posterior| ParameterSummary { prior: (0.0, 10.0), posterior, median: 5.0 };
        assert!(s((4.0, 6.0)).identified());
        assert!(s((1.0, 9.0)).identified(), "0.8 of the prior's width is the edge");
        assert!(!s((0.5, 9.5)).identified());
    }
}
