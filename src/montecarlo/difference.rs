//! The paired difference of one quantity between a policy and the reference, from per-replication values or
//! from running moments: the statistic both the streaming aggregation and the comparison tables report.

use super::t_975;

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
