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

/// The 97.5% quantile of Student's t distribution with `df` degrees of freedom: the multiplier of a two-sided
/// 95% confidence interval from `df + 1` values. Table values (R's `qt`) up to 7 degrees of freedom, then the
/// Cornish–Fisher expansion (Abramowitz & Stegun 26.7.5) to the 1/df⁴ term, within 10⁻⁴ from df = 8 on.
pub fn t_975(df: f64) -> f64 {
    const EXACT: [f64; 7] =
        [12.706_204_736, 4.302_652_730, 3.182_446_305, 2.776_445_105, 2.570_581_836, 2.446_911_851, 2.364_624_252];
    if df.is_nan() || df < 1.0 {
        return f64::NAN;
    }
    if df < 8.0 {
        return EXACT[df as usize - 1];
    }
    let z: f64 = 1.959_963_984_540_054;
    let (z3, z5, z7, z9) = (z.powi(3), z.powi(5), z.powi(7), z.powi(9));
    z + (z3 + z) / (4.0 * df)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * df.powi(2))
        + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * df.powi(3))
        + (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z) / (92_160.0 * df.powi(4))
}

/// Mean and half-width of the two-sided 95% confidence interval of the mean of `values`; the half-width is NaN
/// with fewer than two values.
pub fn mean_ci95(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    if values.len() < 2 {
        return (mean, f64::NAN);
    }
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, t_975(n - 1.0) * (var / n).sqrt())
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
    fn t_quantiles_match_r() {
        // R: qt(0.975, c(1, 4, 5, 9, 29, 99, 999))
        for (df, want) in [
            (1.0, 12.706205),
            (4.0, 2.776445),
            (5.0, 2.570582),
            (7.0, 2.364624),
            (8.0, 2.306004),
            (9.0, 2.262157),
            (29.0, 2.045230),
            (99.0, 1.984217),
            (999.0, 1.962341),
        ] {
            assert!((t_975(df) - want).abs() < 1e-4, "df {df}: {} vs {want}", t_975(df));
        }
        assert!(t_975(0.0).is_nan());
    }

    #[test]
    fn a_confidence_interval_uses_the_sample_sd_and_t() {
        let (mean, half) = mean_ci95(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(mean, 3.0);
        // sd = sqrt(2.5); t(0.975, 4) = 2.776445
        assert!((half - 2.776445 * (2.5f64 / 5.0).sqrt()).abs() < 1e-5, "{half}");
        assert!(mean_ci95(&[1.0]).1.is_nan());
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
