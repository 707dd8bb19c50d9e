//! Durations drawn at random: service times, patience.
//!
//! Parameterised the way analysts think (a mean and a spread, in days) rather than the way textbooks write the
//! densities; the model converts to textbook parameters once, when it is built.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A probability distribution of a duration in days.
///
/// In TOML: `{ distribution = "gamma", mean = 61, shape = 2 }`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(tag = "distribution", rename_all = "snake_case", deny_unknown_fields)]
pub enum DurationSpec {
    /// Memoryless; the M in M/M/c.
    Exponential { mean: f64 },
    /// Gamma with the given mean and shape (shape 1 is exponential; larger shapes are less variable).
    Gamma { mean: f64, shape: f64 },
    /// Log-normal with the given mean and standard deviation of the duration itself (not of its logarithm).
    Lognormal { mean: f64, sd: f64 },
    /// Weibull with shape k and scale λ (shape < 1: many quick, a long tail; shape > 1: wear-out).
    Weibull { shape: f64, scale: f64 },
    /// Uniform between `min` and `max`.
    Uniform { min: f64, max: f64 },
    /// Always the same duration.
    Fixed { value: f64 },
}

impl DurationSpec {
    /// The mean duration in days.
    pub fn mean(&self) -> f64 {
        match *self {
            DurationSpec::Exponential { mean }
            | DurationSpec::Gamma { mean, .. }
            | DurationSpec::Lognormal { mean, .. } => mean,
            DurationSpec::Weibull { shape, scale } => scale * gamma_fn(1.0 + 1.0 / shape),
            DurationSpec::Uniform { min, max } => (min + max) / 2.0,
            DurationSpec::Fixed { value } => value,
        }
    }

    /// Problems with the parameters, as (field, message) pairs; empty when valid.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let positive = |field: &'static str, v: f64| -> Option<(&'static str, String)> {
            (!(v.is_finite() && v > 0.0)).then(|| (field, format!("expected a positive number of days, found {v}")))
        };
        let mut out = Vec::new();
        match *self {
            DurationSpec::Exponential { mean } => out.extend(positive("mean", mean)),
            DurationSpec::Gamma { mean, shape } => {
                out.extend(positive("mean", mean));
                if !(shape.is_finite() && shape > 0.0) {
                    out.push(("shape", format!("expected a positive shape, found {shape}")));
                }
            }
            DurationSpec::Lognormal { mean, sd } => {
                out.extend(positive("mean", mean));
                if !(sd.is_finite() && sd >= 0.0) {
                    out.push(("sd", format!("expected a non-negative standard deviation, found {sd}")));
                }
            }
            DurationSpec::Weibull { shape, scale } => {
                out.extend(positive("scale", scale));
                if !(shape.is_finite() && shape > 0.0) {
                    out.push(("shape", format!("expected a positive shape, found {shape}")));
                }
            }
            DurationSpec::Uniform { min, max } => {
                if !(min.is_finite() && min >= 0.0) {
                    out.push(("min", format!("expected a non-negative number of days, found {min}")));
                }
                if !(max.is_finite() && max >= min) {
                    out.push(("max", format!("expected a number of days at least min ({min}), found {max}")));
                }
            }
            DurationSpec::Fixed { value } => {
                if !(value.is_finite() && value >= 0.0) {
                    out.push(("value", format!("expected a non-negative number of days, found {value}")));
                }
            }
        }
        if out.is_empty() {
            out.extend(self.numerical_problem());
        }
        out
    }

    /// Parameters each in range can still be beyond what floating point can sample together (a mean of 1e-300
    /// days with an sd of 8 has a coefficient of variation of 8e300): the textbook parameters the model derives
    /// must be finite and positive.
    fn numerical_problem(&self) -> Option<(&'static str, String)> {
        let usable = |v: f64| v.is_finite() && v > 0.0;
        let (field, ok) = match *self {
            DurationSpec::Exponential { mean } => ("mean", usable(1.0 / mean)),
            DurationSpec::Gamma { mean, shape } => ("mean", usable(mean / shape)),
            DurationSpec::Lognormal { mean, sd } => ("sd", (sd / mean).powi(2).ln_1p().is_finite()),
            DurationSpec::Weibull { shape, .. } => ("shape", usable(1.0 / shape)),
            DurationSpec::Uniform { .. } | DurationSpec::Fixed { .. } => return None,
        };
        (!ok)
            .then(|| (field, format!("parameters too extreme to sample ({}): use values nearer to 1", self.describe())))
    }

    /// A short human description, for `safe-third check`.
    pub fn describe(&self) -> String {
        match *self {
            DurationSpec::Exponential { mean } => format!("exponential, mean {mean} days"),
            DurationSpec::Gamma { mean, shape } => format!("gamma, mean {mean} days, shape {shape}"),
            DurationSpec::Lognormal { mean, sd } => format!("log-normal, mean {mean} days, sd {sd} days"),
            DurationSpec::Weibull { shape, scale } => format!("Weibull, shape {shape}, scale {scale} days"),
            DurationSpec::Uniform { min, max } => format!("uniform, {min}–{max} days"),
            DurationSpec::Fixed { value } => format!("fixed, {value} days"),
        }
    }
}

/// The gamma function, for the Weibull mean (Lanczos approximation, g = 7, n = 9; relative error < 1e-13).
fn gamma_fn(x: f64) -> f64 {
    const G: f64 = 7.0;
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
        std::f64::consts::PI / ((std::f64::consts::PI * x).sin() * gamma_fn(1.0 - x))
    } else {
        let x = x - 1.0;
        let t = x + G + 0.5;
        let sum = C.iter().enumerate().skip(1).fold(C[0], |acc, (i, c)| acc + c / (x + i as f64));
        (2.0 * std::f64::consts::PI).sqrt() * t.powf(x + 0.5) * (-t).exp() * sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weibull_mean_uses_the_gamma_function() {
        // Shape 1 is exponential with mean = scale; shape 2 has mean scale·√π/2.
        let exp = DurationSpec::Weibull { shape: 1.0, scale: 10.0 }.mean();
        assert!((exp - 10.0).abs() < 1e-9);
        let rayleigh = DurationSpec::Weibull { shape: 2.0, scale: 1.0 }.mean();
        assert!((rayleigh - std::f64::consts::PI.sqrt() / 2.0).abs() < 1e-12);
    }

    #[test]
    fn parameters_beyond_floating_point_are_problems_not_panics() {
        let extreme = DurationSpec::Lognormal { mean: 1e-300, sd: 8.0 };
        let problems = extreme.problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].0, "sd");
        assert!(problems[0].1.contains("too extreme to sample"), "{problems:?}");
        assert!(DurationSpec::Exponential { mean: 1e-320 }.problems()[0].1.contains("too extreme"));
        assert!(DurationSpec::Lognormal { mean: 10.0, sd: 8.0 }.problems().is_empty());
    }

    #[test]
    fn invalid_parameters_are_reported_per_field() {
        let bad = DurationSpec::Gamma { mean: -1.0, shape: 0.0 };
        let fields: Vec<_> = bad.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["mean", "shape"]);
        assert!(DurationSpec::Uniform { min: 1.0, max: 2.0 }.problems().is_empty());
    }
}
