//! A parameter's prior: uniform, log-uniform, normal or beta, truncated to the parameter's valid range.
//!
//! Every prior lives on a finite [low, high], so one method serves all four: the truncated CDF is the
//! untruncated CDF rescaled to the range, and draws and quantiles invert it by bisection. Draws come from a
//! uniform number the caller supplies, so the sampler controls (and keys) every random number.
//!
//! The density is needed only up to a constant (ABC-SMC importance weights are normalised), so it is returned
//! unnormalised, on log scale.

use crate::scenario::{CalibratedParameter, Prior};

/// A prior truncated to [low, high].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TruncatedPrior {
    pub prior: Prior,
    pub low: f64,
    pub high: f64,
}

/// Bisection steps of a quantile: the range halved 80 times is far below any parameter's resolution.
const BISECTIONS: usize = 80;

impl TruncatedPrior {
    pub fn of(parameter: &CalibratedParameter) -> TruncatedPrior {
        TruncatedPrior { prior: parameter.prior, low: parameter.low, high: parameter.high }
    }

    /// Whether `x` is in the support.
    pub fn contains(&self, x: f64) -> bool {
        (self.low..=self.high).contains(&x)
    }

    /// ln of the density at `x` up to a constant; −∞ outside [low, high].
    pub fn ln_density(&self, x: f64) -> f64 {
        if !self.contains(x) {
            return f64::NEG_INFINITY;
        }
        match self.prior {
            Prior::Uniform => 0.0,
            Prior::LogUniform => -x.ln(),
            Prior::Normal { mean, sd } => -0.5 * ((x - mean) / sd).powi(2),
            Prior::Beta { alpha, beta } => (alpha - 1.0) * x.ln() + (beta - 1.0) * (1.0 - x).ln(),
        }
    }

    /// The untruncated CDF (for the log-uniform, any increasing function of it: ln x).
    fn raw_cdf(&self, x: f64) -> f64 {
        match self.prior {
            Prior::Uniform => x,
            Prior::LogUniform => x.ln(),
            Prior::Normal { mean, sd } => normal_cdf((x - mean) / sd),
            Prior::Beta { alpha, beta } => regularized_beta(x.clamp(0.0, 1.0), alpha, beta),
        }
    }

    /// The truncated CDF at `x`.
    pub fn cdf(&self, x: f64) -> f64 {
        let (a, b) = (self.raw_cdf(self.low), self.raw_cdf(self.high));
        ((self.raw_cdf(x.clamp(self.low, self.high)) - a) / (b - a)).clamp(0.0, 1.0)
    }

    /// The value below which the share `p` of the truncated prior lies.
    pub fn quantile(&self, p: f64) -> f64 {
        let (mut lo, mut hi) = (self.low, self.high);
        for _ in 0..BISECTIONS {
            let mid = 0.5 * (lo + hi);
            if self.cdf(mid) < p { lo = mid } else { hi = mid }
        }
        0.5 * (lo + hi)
    }

    /// A draw from the truncated prior given a uniform number in [0, 1).
    pub fn draw(&self, u: f64) -> f64 {
        match self.prior {
            Prior::Uniform => self.low + u * (self.high - self.low),
            Prior::LogUniform => (self.low.ln() + u * (self.high.ln() - self.low.ln())).exp(),
            _ => self.quantile(u),
        }
    }

    /// The prior's mass inside [low, high] before truncation; `None` for the uniform and log-uniform, which
    /// are defined by the range.
    pub fn mass_inside(&self) -> Option<f64> {
        match self.prior {
            Prior::Uniform | Prior::LogUniform => None,
            _ => Some(self.raw_cdf(self.high) - self.raw_cdf(self.low)),
        }
    }
}

/// Φ, the standard normal CDF, from `erfc`.
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

/// Complementary error function, Numerical Recipes' Chebyshev fit (`erfcc`, fractional error < 1.2e-7):
/// ample for priors, whose quantiles are reported to 4 significant digits.
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98 + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms).
fn ln_gamma(x: f64) -> f64 {
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let t = x + 7.5;
    let sum = C.iter().enumerate().skip(1).fold(C[0], |acc, (i, c)| acc + c / (x + i as f64));
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// The regularised incomplete beta function I_x(a, b) (Numerical Recipes' continued fraction, `betai`).
pub fn regularized_beta(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front = (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(x, a, b) / a
    } else {
        1.0 - front * beta_fraction(1.0 - x, b, a) / b
    }
}

/// Lentz's evaluation of the continued fraction of I_x(a, b).
fn beta_fraction(x: f64, a: f64, b: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..300 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() < 1e-14 {
            break;
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prior(prior: Prior, low: f64, high: f64) -> TruncatedPrior {
        TruncatedPrior { prior, low, high }
    }

    #[test]
    fn the_normal_cdf_and_the_incomplete_beta_match_known_values() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.644_853_6) - 0.95).abs() < 1e-6);
        assert!((normal_cdf(-1.959_964) - 0.025).abs() < 1e-6);
        // I_x(1, 1) = x; I_x(2, 1) = x²; I_0.5(a, a) = 0.5; I_x(1, b) = 1 − (1 − x)^b.
        assert!((regularized_beta(0.3, 1.0, 1.0) - 0.3).abs() < 1e-12);
        assert!((regularized_beta(0.3, 2.0, 1.0) - 0.09).abs() < 1e-12);
        assert!((regularized_beta(0.5, 3.7, 3.7) - 0.5).abs() < 1e-10);
        assert!((regularized_beta(0.2, 1.0, 5.0) - (1.0 - 0.8f64.powi(5))).abs() < 1e-10);
    }

    #[test]
    fn quantiles_invert_the_truncated_cdf_and_stay_in_range() {
        let uniform = prior(Prior::Uniform, 2.0, 12.0);
        assert!((uniform.quantile(0.05) - 2.5).abs() < 1e-9 && (uniform.quantile(0.95) - 11.5).abs() < 1e-9);
        let log = prior(Prior::LogUniform, 1.0, 100.0);
        assert!((log.quantile(0.5) - 10.0).abs() < 1e-9);
        assert!((log.draw(0.5) - 10.0).abs() < 1e-9);
        // A standard normal truncated to [0, ∞) in effect: the half-normal's median is 0.6745.
        let half = prior(Prior::Normal { mean: 0.0, sd: 1.0 }, 0.0, 40.0);
        assert!((half.quantile(0.5) - 0.674_49).abs() < 1e-4, "{}", half.quantile(0.5));
        let beta = prior(Prior::Beta { alpha: 2.0, beta: 1.0 }, 0.0, 1.0);
        assert!((beta.quantile(0.25) - 0.5).abs() < 1e-9, "x² = 0.25 at 0.5");
        let truncated = prior(Prior::Beta { alpha: 2.0, beta: 30.0 }, 0.01, 0.08);
        for u in [0.0, 0.3, 0.999] {
            assert!(truncated.contains(truncated.draw(u)));
        }
        assert!(truncated.mass_inside().unwrap() < 1.0);
        assert_eq!(prior(Prior::Uniform, 0.0, 1.0).ln_density(1.5), f64::NEG_INFINITY);
    }
}
