//! How a run compares with observed values: the simulated value at each observation's date.
//!
//! Results are month by month; an observation dated inside a month is compared with the value interpolated
//! linearly between the two month ends around it (for stocks and cumulative totals: `backlog_cases`,
//! `cumulative_…`). A flow or a mean is compared with its month's value. The band (P5, P50, P95) is
//! interpolated the same way, which is exact for the mean and an approximation for the quantiles.

use crate::model::{MetricKind, MetricLayout};
use crate::montecarlo::CellSummary;
use crate::scenario::Date;

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
/// marks need.
pub fn unsimulated(observations: &[Observation], cutoff: Option<Date>) -> Vec<FitPoint> {
    observations.iter().map(|o| FitPoint { observation: o.clone(), simulated: None, used: used(o, cutoff) }).collect()
}

/// Whether an observation is used for fitting: dated up to the cutoff, if there is one.
pub fn used(o: &Observation, cutoff: Option<Date>) -> bool {
    cutoff.is_none_or(|c| o.when.last_day() <= c)
}

/// The simulated band at an observation: [`value_at`] of each statistic across replications.
pub fn simulated(o: &Observation, layout: &MetricLayout, summary: &[CellSummary]) -> Option<Band> {
    let read = |stat: fn(&CellSummary) -> f64| value_at(o, layout, &|cell| stat(&summary[cell]));
    Some(Band { mean: read(|s| s.mean)?, p05: read(|s| s.p05)?, p50: read(|s| s.p50)?, p95: read(|s| s.p95)? })
}

/// The simulated value at an observation, from `cell(index)`, the value of a cell of `layout` (one replication's
/// output, or a statistic across replications). The one place where a run is read at an observation's date: see
/// the module docs for how a date inside a month is read today.
pub fn value_at(o: &Observation, layout: &MetricLayout, cell: &dyn Fn(usize) -> f64) -> Option<f64> {
    let month = layout.months.iter().position(|m| *m == o.when.month_label())?;
    let index = layout.find(month, &o.country, &o.metric)?;
    let end = cell(index);
    let fraction = o.when.month_fraction();
    let interpolated = matches!(kind(layout, index), MetricKind::Stock | MetricKind::Cumulative);
    if !interpolated || fraction >= 1.0 {
        return Some(end);
    }
    // The value at the start of the month: the previous month's end; before the first month, nothing had
    // accumulated, and a stock's opening value is not recorded, so its first month's end stands in.
    let start = match month.checked_sub(1) {
        Some(previous) => cell(layout.find(previous, &o.country, &o.metric)?),
        None if kind(layout, index) == MetricKind::Cumulative => 0.0,
        None => end,
    };
    Some(start + fraction * (end - start))
}

fn kind(layout: &MetricLayout, cell: usize) -> MetricKind {
    let within_month = cell % layout.per_month();
    layout.cells().nth(within_month).map_or(MetricKind::Flow, |(_, _, _, kind)| kind)
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
}
