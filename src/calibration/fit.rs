//! How a run compares with observed values: the simulated value at each observation's date, and the loss.
//!
//! Results are month by month; an observation dated inside a month is compared with the value interpolated
//! linearly between the two month ends around it (for stocks and cumulative totals: `backlog_cases`,
//! `cumulative_…`). A flow or a mean is compared with its month's value. The band (P5, P50, P95) is
//! interpolated the same way, which is exact for the mean and an approximation for the quantiles.

use crate::model::{MetricKind, MetricLayout};
use crate::montecarlo::CellSummary;
use crate::scenario::{Date, Loss};

use super::observed::Observation;

/// A simulated value with its band across replications.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    pub mean: f64,
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
}

/// One observation beside the run.
#[derive(Debug, Clone)]
pub struct FitPoint {
    pub observation: Observation,
    /// `None` when the month, country or metric is not in the results.
    pub simulated: Option<Band>,
    /// Whether the observation is used for fitting (dated up to the cutoff), or held out.
    pub used: bool,
}

impl FitPoint {
    /// Whether the observed value (or interval) meets the simulated P5–P95 band.
    pub fn inside(&self) -> Option<bool> {
        let o = &self.observation;
        let (low, high) = if o.is_interval() { (o.low, o.high) } else { (o.value, o.value) };
        self.simulated.map(|s| low <= s.p95 && high >= s.p05)
    }
}

/// Every observation beside the run (one policy's layout and summary); those after `cutoff` are marked held out.
pub fn compare(
    observations: &[Observation],
    layout: &MetricLayout,
    summary: &[CellSummary],
    cutoff: Option<Date>,
) -> Vec<FitPoint> {
    observations
        .iter()
        .map(|o| FitPoint { observation: o.clone(), simulated: simulated(o, layout, summary), used: used(o, cutoff) })
        .collect()
}

/// The observations alone, marked used or held out, with nothing simulated beside them: what a fit chart's
/// marks and [`loss_at_relative_error`] need.
pub fn unsimulated(observations: &[Observation], cutoff: Option<Date>) -> Vec<FitPoint> {
    observations.iter().map(|o| FitPoint { observation: o.clone(), simulated: None, used: used(o, cutoff) }).collect()
}

/// Whether an observation is used for fitting: dated up to the cutoff, if there is one.
fn used(o: &Observation, cutoff: Option<Date>) -> bool {
    cutoff.is_none_or(|c| o.when.last_day() <= c)
}

/// The simulated value at an observation; see the module docs.
pub fn simulated(o: &Observation, layout: &MetricLayout, summary: &[CellSummary]) -> Option<Band> {
    let month = layout.months.iter().position(|m| *m == o.when.month_label())?;
    let cell = layout.find(month, &o.country, &o.metric)?;
    let band = |s: &CellSummary| Band { mean: s.mean, p05: s.p05, p50: s.p50, p95: s.p95 };
    let end = band(&summary[cell]);
    let fraction = o.when.month_fraction();
    let interpolated = matches!(kind(layout, cell), MetricKind::Stock | MetricKind::Cumulative);
    if !interpolated || fraction >= 1.0 {
        return Some(end);
    }
    // The value at the start of the month: the previous month's end; before the first month, nothing had
    // accumulated, and a stock's opening value is not recorded, so its first month's end stands in.
    let start = match month.checked_sub(1) {
        Some(previous) => band(&summary[layout.find(previous, &o.country, &o.metric)?]),
        None if kind(layout, cell) == MetricKind::Cumulative => Band { mean: 0.0, p05: 0.0, p50: 0.0, p95: 0.0 },
        None => end,
    };
    let at = |a: f64, b: f64| a + fraction * (b - a);
    Some(Band {
        mean: at(start.mean, end.mean),
        p05: at(start.p05, end.p05),
        p50: at(start.p50, end.p50),
        p95: at(start.p95, end.p95),
    })
}

fn kind(layout: &MetricLayout, cell: usize) -> MetricKind {
    let within_month = cell % layout.per_month();
    layout.cells().nth(within_month).map_or(MetricKind::Flow, |(_, _, _, kind)| kind)
}

/// The loss of a run against the observations used for fitting: the mean squared error of the simulated mean,
/// on log scale (`ln(1 + x)`) or as is; an interval observation costs only its distance outside the interval.
/// Infinite when an observation used for fitting has no simulated counterpart.
pub fn loss(points: &[FitPoint], loss: Loss) -> f64 {
    let scale = |x: f64| match loss {
        Loss::LogSquared => x.max(0.0).ln_1p(),
        Loss::Squared => x,
    };
    let used: Vec<&FitPoint> = points.iter().filter(|p| p.used).collect();
    if used.is_empty() {
        return f64::INFINITY;
    }
    let mut total = 0.0;
    for p in &used {
        let Some(s) = p.simulated else { return f64::INFINITY };
        let o = &p.observation;
        let x = scale(s.mean);
        let error = if o.is_interval() {
            let (low, high) = (scale(o.low.max(0.0)), if o.high.is_finite() { scale(o.high) } else { f64::INFINITY });
            if x < low {
                low - x
            } else if x > high {
                x - high
            } else {
                0.0
            }
        } else {
            x - scale(o.value)
        };
        total += error * error;
    }
    total / used.len() as f64
}

/// The loss a run would have if every observation used for fitting were missed by the same relative error
/// (e.g. 0.05: every simulated mean 5% above the observed value; intervals missed by nothing). A yardstick for
/// how much loss is "a little": it gives the plausible ranges a floor when the best fit is nearly perfect.
pub fn loss_at_relative_error(points: &[FitPoint], kind: Loss, relative: f64) -> f64 {
    let shifted: Vec<FitPoint> = points
        .iter()
        .filter(|p| p.used)
        .map(|p| {
            let o = &p.observation;
            let v = if o.is_interval() {
                if o.low.is_finite() { o.low } else { o.high }
            } else {
                o.value * (1.0 + relative)
            };
            FitPoint { observation: o.clone(), simulated: Some(Band { mean: v, p05: v, p50: v, p95: v }), used: true }
        })
        .collect();
    loss(&shifted, kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calibration::observed::When;

    fn layout() -> MetricLayout {
        MetricLayout { months: vec!["2020-01".into(), "2020-02".into()], countries: vec!["us".into(), "gt".into()] }
    }

    fn summary_with(layout: &MetricLayout, metric: &str, values: [f64; 2]) -> Vec<CellSummary> {
        let mut summary = vec![CellSummary::of(&mut [0.0]); layout.len()];
        for (m, v) in values.into_iter().enumerate() {
            summary[layout.find(m, "gt", metric).unwrap()] = CellSummary::of(&mut [v]);
        }
        summary
    }

    fn observation(when: When, metric: &str, value: f64) -> Observation {
        Observation {
            when,
            country: "gt".into(),
            metric: metric.into(),
            value,
            low: f64::NEG_INFINITY,
            high: f64::INFINITY,
            source: String::new(),
            line: 2,
        }
    }

    #[test]
    fn cumulative_values_are_interpolated_within_the_month_and_flows_are_not() {
        let l = layout();
        let s = summary_with(&l, "cumulative_transferred_people", [100.0, 300.0]);
        let mid_feb =
            observation(When::Day(Date::from_ymd(2020, 2, 15).unwrap()), "cumulative_transferred_people", 0.0);
        let v = simulated(&mid_feb, &l, &s).unwrap();
        assert!((v.mean - (100.0 + 15.0 / 29.0 * 200.0)).abs() < 1e-9, "{v:?}");
        let jan_10 = observation(When::Day(Date::from_ymd(2020, 1, 10).unwrap()), "cumulative_transferred_people", 0.0);
        assert!((simulated(&jan_10, &l, &s).unwrap().mean - 100.0 * 10.0 / 31.0).abs() < 1e-9);
        let s = summary_with(&l, "transferred_people", [100.0, 200.0]);
        let flow = observation(When::Day(Date::from_ymd(2020, 2, 15).unwrap()), "transferred_people", 0.0);
        assert_eq!(simulated(&flow, &l, &s).unwrap().mean, 200.0);
        let outside = observation(When::Month(2021, 1), "transferred_people", 0.0);
        assert!(simulated(&outside, &l, &s).is_none());
    }

    #[test]
    fn the_loss_is_relative_on_log_scale_and_intervals_cost_only_outside() {
        let point = |value: f64, sim: f64, interval: Option<(f64, f64)>| {
            let mut o = observation(When::Month(2020, 1), "x", value);
            if let Some((low, high)) = interval {
                (o.low, o.high) = (low, high);
            }
            FitPoint { observation: o, simulated: Some(Band { mean: sim, p05: sim, p50: sim, p95: sim }), used: true }
        };
        let exact = loss(&[point(99.0, 99.0, None)], Loss::LogSquared);
        assert_eq!(exact, 0.0);
        let double = loss(&[point(99.0, 199.0, None)], Loss::LogSquared);
        assert!((double - 2f64.ln().powi(2)).abs() < 1e-12);
        assert_eq!(loss(&[point(230.0, 400.0, Some((230.0, f64::INFINITY)))], Loss::LogSquared), 0.0);
        assert!(loss(&[point(230.0, 100.0, Some((230.0, f64::INFINITY)))], Loss::LogSquared) > 0.0);
        assert_eq!(loss(&[point(3.0, 5.0, None)], Loss::Squared), 4.0);
        let yardstick =
            loss_at_relative_error(&[point(99.0, 0.0, None), point(9.0, 0.0, None)], Loss::LogSquared, 0.05);
        let expected =
            ((100.0f64 + 4.95).ln() - 100f64.ln()).powi(2) / 2.0 + ((10.0f64 + 0.45).ln() - 10f64.ln()).powi(2) / 2.0;
        assert!((yardstick - expected).abs() < 1e-12, "{yardstick} vs {expected}");
        let mut held_out = point(3.0, 5.0, None);
        held_out.used = false;
        assert!(loss(&[held_out], Loss::Squared).is_infinite(), "nothing to fit on");
    }
}
