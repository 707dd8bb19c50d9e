//! Mean, standard deviation and quantiles of one cell across replications.
//!
//! Quantiles are Hyndman & Fan's type 7 (linear interpolation between order statistics; the default of R and
//! NumPy), so analysts recomputing them from `replications.csv` get the same numbers. Ten lines here avoid pulling
//! a statistics crate (and its linear-algebra dependencies) into every build.

/// Summary of one (month, country, metric) across replications. Fields are NaN when no replication defined the
/// value (e.g. a mean waiting time in a month without decisions).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellSummary {
    /// Replications in which the value was defined.
    pub n: usize,
    pub mean: f64,
    /// Sample standard deviation (n − 1 denominator); NaN with fewer than two values.
    pub sd: f64,
    pub p05: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
}

impl CellSummary {
    /// Summarises `values` (in replication order; sorted in place for the quantiles).
    pub fn of(values: &mut [f64]) -> CellSummary {
        let n = values.len();
        let mean = values.iter().sum::<f64>() / n as f64;
        let sd = if n > 1 {
            (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
        } else {
            f64::NAN
        };
        values.sort_unstable_by(f64::total_cmp);
        let q = |p| quantile(values, p);
        CellSummary { n, mean, sd, p05: q(0.05), p25: q(0.25), p50: q(0.5), p75: q(0.75), p95: q(0.95) }
    }
}

/// Type-7 quantile of sorted values; NaN for an empty slice.
pub fn quantile(sorted: &[f64], p: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        n => {
            let h = (n - 1) as f64 * p;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_match_r_type_7() {
        // R: quantile(c(1, 2, 3, 4, 10), c(.05, .25, .5, .75, .95)) → 1.2 2.0 3.0 4.0 8.8
        let mut v = [10.0, 2.0, 1.0, 4.0, 3.0];
        let s = CellSummary::of(&mut v);
        for (got, want) in [(s.p05, 1.2), (s.p25, 2.0), (s.p50, 3.0), (s.p75, 4.0), (s.p95, 8.8)] {
            assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        }
        assert_eq!(s.mean, 4.0);
        assert!((s.sd - 12.5f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn empty_and_single_values_are_handled() {
        let s = CellSummary::of(&mut []);
        assert!(s.mean.is_nan() && s.p50.is_nan() && s.n == 0);
        let s = CellSummary::of(&mut [7.0]);
        assert_eq!((s.mean, s.p05, s.p95), (7.0, 7.0, 7.0));
        assert!(s.sd.is_nan());
    }
}
