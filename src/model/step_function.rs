//! Piecewise-constant functions of time: what every [`Schedule`] becomes once placed on the calendar.

use crate::scenario::Schedule;

use super::calendar::Calendar;

/// A value that changes at given times and holds in between. `breaks[0]` is 0; `values[i]` holds on
/// `[breaks[i], breaks[i + 1])`, the last one to the end of the horizon.
#[derive(Debug, Clone, PartialEq)]
pub struct StepFunction {
    breaks: Vec<f64>,
    values: Vec<f64>,
}

impl StepFunction {
    /// The same value throughout.
    pub fn constant(value: f64) -> StepFunction {
        StepFunction { breaks: vec![0.0], values: vec![value] }
    }

    /// Places a schedule on the calendar: monthly lists change at month starts, dated steps on their day
    /// (0 before the first step).
    pub fn from_schedule(schedule: &Schedule, calendar: &Calendar) -> StepFunction {
        match schedule {
            Schedule::Constant(v) => StepFunction::constant(*v),
            Schedule::PerMonth(values) => {
                let breaks = (0..values.len()).map(|m| calendar.month_span(m).0).collect();
                StepFunction { breaks, values: values.clone() }
            }
            Schedule::Steps(steps) => {
                let mut f = StepFunction::constant(0.0);
                for step in steps {
                    let t = calendar.day_of(step.from.0).max(0.0);
                    if t == 0.0 {
                        f.values[0] = step.value;
                    } else {
                        f.breaks.push(t);
                        f.values.push(step.value);
                    }
                }
                f
            }
        }
    }

    /// A count that starts at 0 and changes by `delta` at each `(time, delta)`; changes at or before time 0
    /// apply from 0.
    pub fn from_changes(changes: &[(f64, f64)]) -> StepFunction {
        let mut changes = changes.to_vec();
        changes.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut f = StepFunction::constant(0.0);
        let mut level = 0.0;
        for (t, delta) in changes {
            level += delta;
            let t = t.max(0.0);
            if *f.breaks.last().expect("never empty") == t {
                *f.values.last_mut().expect("never empty") = level;
            } else {
                f.breaks.push(t);
                f.values.push(level);
            }
        }
        f
    }

    /// The value at time `t`.
    #[inline]
    pub fn at(&self, t: f64) -> f64 {
        let after = self.breaks.partition_point(|&b| b <= t);
        self.values[after.saturating_sub(1)]
    }

    /// The first time after `t` at which the value may change (infinite if none): [`StepFunction::at`] gives the
    /// same value throughout `[t, next_change_after(t))`.
    pub fn next_change_after(&self, t: f64) -> f64 {
        self.breaks.iter().copied().filter(|&b| b > t).fold(f64::INFINITY, f64::min)
    }

    /// The value just before time `t` (at 0: the value at 0), e.g. a month-end stock before the next month's
    /// changes.
    #[inline]
    pub fn before(&self, t: f64) -> f64 {
        let after = self.breaks.partition_point(|&b| b < t);
        self.values[after.saturating_sub(1)]
    }

    /// Times after 0 at which the value changes (possibly to the same value).
    pub fn change_times(&self) -> &[f64] {
        &self.breaks[1..]
    }

    /// The smallest value taken.
    pub fn min(&self) -> f64 {
        self.values.iter().copied().fold(f64::INFINITY, f64::min)
    }

    /// The largest value taken.
    pub fn max(&self) -> f64 {
        self.values.iter().copied().fold(f64::NEG_INFINITY, f64::max)
    }

    /// Pieces overlapping `[a, b)`, clipped to it, as (start, end, value); empty pieces are skipped.
    pub fn pieces(&self, a: f64, b: f64) -> impl Iterator<Item = (f64, f64, f64)> + '_ {
        (0..self.values.len()).filter_map(move |i| {
            let start = self.breaks[i].max(a);
            let end = self.breaks.get(i + 1).copied().unwrap_or(f64::INFINITY).min(b);
            (end > start).then_some((start, end, self.values[i]))
        })
    }

    /// ∫ₐᵇ f(t) dt; infinite if an unlimited value holds for a positive time in the interval.
    pub fn integral(&self, a: f64, b: f64) -> f64 {
        self.pieces(a, b).map(|(s, e, v)| if v == 0.0 { 0.0 } else { v * (e - s) }).sum()
    }

    /// The stretch of `[a, b)` around `t` over which the function stays finite: from the end of the last
    /// unlimited (infinite) piece before `t`, or `a`, to the start of the first one after `t`, or `b`.
    pub fn finite_stretch(&self, a: f64, t: f64, b: f64) -> (f64, f64) {
        let (mut from, mut to) = (a, b);
        for (start, end, value) in self.pieces(a, b) {
            if value.is_infinite() {
                if end <= t {
                    from = from.max(end);
                } else if start > t {
                    to = to.min(start);
                }
            }
        }
        (from, to)
    }

    /// The pointwise product, changing wherever either factor changes.
    pub fn product(&self, other: &StepFunction) -> StepFunction {
        let mut breaks: Vec<f64> = self.breaks.iter().chain(&other.breaks).copied().collect();
        breaks.sort_by(f64::total_cmp);
        breaks.dedup();
        let values = breaks.iter().map(|&t| self.at(t) * other.at(t)).collect();
        StepFunction { breaks, values }
    }

    /// The pointwise sum, changing wherever either term changes.
    pub fn sum(&self, other: &StepFunction) -> StepFunction {
        let mut breaks: Vec<f64> = self.breaks.iter().chain(&other.breaks).copied().collect();
        breaks.sort_by(f64::total_cmp);
        breaks.dedup();
        let values = breaks.iter().map(|&t| self.at(t) + other.at(t)).collect();
        StepFunction { breaks, values }
    }

    /// Converts a per-month rate into a per-day rate: each value divided by the length of its calendar month.
    pub fn per_day(&self, calendar: &Calendar) -> StepFunction {
        let mut breaks: Vec<f64> = (0..calendar.months()).map(|m| calendar.month_span(m).0).collect();
        breaks.extend(&self.breaks);
        breaks.sort_by(f64::total_cmp);
        breaks.dedup();
        let values = breaks.iter().map(|&t| self.at(t) / calendar.month_length(calendar.month_of(t))).collect();
        StepFunction { breaks, values }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Date, Step};
    use chrono::NaiveDate;

    fn calendar() -> Calendar {
        Calendar::new(NaiveDate::from_ymd_opt(2019, 11, 1).unwrap(), 3)
    }

    #[test]
    fn dated_steps_are_zero_before_the_first_step() {
        let steps = Schedule::Steps(vec![
            Step { from: Date::from_ymd(2019, 11, 21).unwrap(), value: 30.0 },
            Step { from: Date::from_ymd(2020, 1, 1).unwrap(), value: 0.0 },
        ]);
        let f = StepFunction::from_schedule(&steps, &calendar());
        assert_eq!(f.at(0.0), 0.0);
        assert_eq!(f.at(19.9), 0.0);
        assert_eq!(f.at(20.0), 30.0);
        assert_eq!(f.at(61.0), 0.0);
        assert_eq!(f.change_times(), [20.0, 61.0]);
    }

    #[test]
    fn a_per_month_rate_integrates_to_its_monthly_value() {
        let cal = calendar();
        let f = StepFunction::from_schedule(&Schedule::PerMonth(vec![300.0, 310.0, 0.0]), &cal).per_day(&cal);
        assert!((f.integral(0.0, 30.0) - 300.0).abs() < 1e-9);
        assert!((f.integral(30.0, 61.0) - 310.0).abs() < 1e-9);
        assert_eq!(f.integral(61.0, 92.0), 0.0);
        // A step on the 21st of a 30-day month gives 10/30 of the monthly value.
        let steps = Schedule::Steps(vec![Step { from: Date::from_ymd(2019, 11, 21).unwrap(), value: 30.0 }]);
        let g = StepFunction::from_schedule(&steps, &cal).per_day(&cal);
        assert!((g.integral(0.0, 30.0) - 10.0).abs() < 1e-9);
    }

    #[test]
    fn finite_stretches_stop_at_unlimited_pieces() {
        let cal = calendar();
        let steps = Schedule::Steps(vec![
            Step { from: Date::from_ymd(2019, 11, 1).unwrap(), value: f64::INFINITY },
            Step { from: Date::from_ymd(2019, 11, 11).unwrap(), value: 30.0 },
            Step { from: Date::from_ymd(2019, 11, 21).unwrap(), value: f64::INFINITY },
        ]);
        let f = StepFunction::from_schedule(&steps, &cal);
        assert_eq!(f.finite_stretch(0.0, 15.5, 30.0), (10.0, 20.0));
        assert_eq!(StepFunction::constant(3.0).finite_stretch(0.0, 15.5, 30.0), (0.0, 30.0));
    }

    #[test]
    fn values_hold_until_the_next_change() {
        let f = StepFunction::from_changes(&[(10.0, 2.0), (25.0, -1.0)]);
        assert_eq!(f.next_change_after(0.0), 10.0);
        assert_eq!(f.next_change_after(9.5), 10.0);
        assert_eq!(f.next_change_after(10.0), 25.0, "a change at t itself is already in force");
        assert_eq!(f.next_change_after(25.0), f64::INFINITY);
        assert_eq!(StepFunction::constant(1.0).next_change_after(0.0), f64::INFINITY);
    }

    #[test]
    fn counts_built_from_changes_add_up_and_read_left_limits() {
        let f = StepFunction::from_changes(&[(10.0, 2.0), (0.0, 1.0), (10.0, 1.0), (25.0, -3.0)]);
        assert_eq!(f.at(0.0), 1.0);
        assert_eq!(f.at(10.0), 4.0);
        assert_eq!(f.before(10.0), 1.0, "the value just before a change");
        assert_eq!(f.before(25.0), 4.0);
        assert_eq!(f.at(25.0), 1.0);
        assert_eq!(f.change_times(), [10.0, 25.0]);
        let g = f.sum(&StepFunction::constant(2.0));
        assert_eq!((g.at(5.0), g.at(12.0), g.at(30.0)), (3.0, 6.0, 3.0));
    }

    #[test]
    fn products_change_where_either_factor_changes() {
        let cal = calendar();
        let total = StepFunction::from_schedule(&Schedule::PerMonth(vec![100.0, 200.0, 300.0]), &cal);
        let share = StepFunction::from_schedule(
            &Schedule::Steps(vec![Step { from: Date::from_ymd(2019, 11, 16).unwrap(), value: 0.5 }]),
            &cal,
        );
        let p = total.product(&share);
        assert_eq!(p.at(0.0), 0.0);
        assert_eq!(p.at(15.0), 50.0);
        assert_eq!(p.at(31.0), 100.0);
        assert!(StepFunction::constant(f64::INFINITY).integral(0.0, 0.0) == 0.0);
    }
}
