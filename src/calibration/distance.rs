//! The ABC distance between one simulated record and the observed one.
//!
//! The root mean square, over the observations used for fitting, of the error between the simulated value at
//! the observation's date ([`fit::value_at`]) and the observed value, on the scale the scenario's [`Loss`] names
//! (`ln(1 + x)`: relative errors; or as is). An observation known only by bounds ("more than 230") costs its
//! distance outside them, nothing when they hold. A record lacking a simulated counterpart of an observation is
//! infinitely far.

use crate::model::MetricLayout;
use crate::scenario::{Date, Loss};

use super::fit;
use super::observed::Observation;

/// The observations a record is measured against, and on which scale.
#[derive(Debug, Clone)]
pub struct Distance {
    observations: Vec<Observation>,
    loss: Loss,
}

impl Distance {
    /// Against the observations dated up to `cutoff` (all without one).
    pub fn new(observations: &[Observation], cutoff: Option<Date>, loss: Loss) -> Distance {
        Distance { observations: observations.iter().filter(|o| fit::used(o, cutoff)).cloned().collect(), loss }
    }

    /// How many observations it measures.
    pub fn len(&self) -> usize {
        self.observations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.observations.is_empty()
    }

    /// The distance of one replication's output `values` (in `layout`).
    pub fn of(&self, layout: &MetricLayout, values: &[f64]) -> f64 {
        if self.observations.is_empty() {
            return f64::INFINITY;
        }
        let mut total = 0.0;
        for o in &self.observations {
            let Some(x) = fit::value_at(o, layout, &|cell| values[cell]) else { return f64::INFINITY };
            total += error(o, x, self.loss).powi(2);
        }
        (total / self.observations.len() as f64).sqrt()
    }
}

/// The error of simulated `x` at observation `o`, on the loss's scale: 0 inside an interval observation.
pub fn error(o: &Observation, x: f64, loss: Loss) -> f64 {
    let scale = |v: f64| match loss {
        Loss::LogSquared => v.max(0.0).ln_1p(),
        Loss::Squared => v,
    };
    let x = scale(x);
    if o.is_interval() {
        let low = if o.low.is_finite() { scale(o.low.max(0.0)) } else { f64::NEG_INFINITY };
        let high = if o.high.is_finite() { scale(o.high) } else { f64::INFINITY };
        if x < low {
            low - x
        } else if x > high {
            x - high
        } else {
            0.0
        }
    } else {
        x - scale(o.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calibration::observed::When;

    fn observation(when: When, value: f64, interval: Option<(f64, f64)>) -> Observation {
        let (low, high) = interval.unwrap_or((f64::NEG_INFINITY, f64::INFINITY));
        Observation {
            when,
            country: "gt".into(),
            metric: "cumulative_transferred_people".into(),
            value,
            low,
            high,
            source: String::new(),
            line: 2,
        }
    }

    #[test]
    fn errors_are_relative_on_log_scale_and_bounds_cost_only_outside() {
        let jan = When::Month(2020, 1);
        assert_eq!(error(&observation(jan, 99.0, None), 99.0, Loss::LogSquared), 0.0);
        assert!((error(&observation(jan, 99.0, None), 199.0, Loss::LogSquared) - 2f64.ln()).abs() < 1e-12);
        let more_than_230 = observation(jan, 230.0, Some((230.0, f64::INFINITY)));
        assert_eq!(error(&more_than_230, 400.0, Loss::LogSquared), 0.0, "a bound that holds costs nothing");
        assert!(error(&more_than_230, 100.0, Loss::LogSquared) > 0.0, "a bound missed costs its distance below it");
        let less_than_10 = observation(jan, 10.0, Some((f64::NEG_INFINITY, 10.0)));
        assert_eq!(error(&less_than_10, 3.0, Loss::Squared), 0.0);
        assert_eq!(error(&less_than_10, 13.0, Loss::Squared), 3.0);
        assert_eq!(error(&observation(jan, 3.0, None), 5.0, Loss::Squared), 2.0);
    }

    #[test]
    fn the_distance_reads_each_observation_on_its_date_and_skips_held_out_ones() {
        let layout = MetricLayout { months: vec!["2020-01".into(), "2020-02".into()], countries: vec!["gt".into()] };
        let mut values = vec![0.0; layout.len()];
        values[layout.find(0, "gt", "cumulative_transferred_people").unwrap()] = 100.0;
        values[layout.find(1, "gt", "cumulative_transferred_people").unwrap()] = 300.0;
        let mid_feb = When::Day(Date::from_ymd(2020, 2, 15).unwrap());
        let on_the_line = 100.0 + 15.0 / 29.0 * 200.0;
        let observations = [observation(When::Month(2020, 1), 100.0, None), observation(mid_feb, on_the_line, None)];
        let d = Distance::new(&observations, None, Loss::Squared);
        assert!(d.of(&layout, &values) < 1e-9, "both read exactly");
        let wrong = [observation(When::Month(2020, 1), 104.0, None), observations[1].clone()];
        let d = Distance::new(&wrong, None, Loss::Squared);
        assert!((d.of(&layout, &values) - (16.0f64 / 2.0).sqrt()).abs() < 1e-9, "root mean square");
        let d = Distance::new(&wrong, Some(Date::from_ymd(2020, 1, 31).unwrap()), Loss::Squared);
        assert_eq!(d.len(), 1);
        assert!((d.of(&layout, &values) - 4.0).abs() < 1e-9);
    }
}
