//! Capacity building: adjudicators paid from a budget, who decide claims only after a training lag.
//!
//! What a budget buys: `floor(budget_usd / (cost_per_adjudicator_month_usd × months))` adjudicator positions, each
//! funded for `months` calendar months from `from`. They are hired from `from`, all at once or `hires_per_month` at
//! the start of each month; each is paid from hire to the end of the funded period (`from` + `months`) and decides
//! claims from hire + `training_days` until that end. Positions still unfilled when the funding ends are never
//! filled, and a paced hire is paid for fewer months than the budget assumed: the rest of the budget is unspent.
//! Everything here is fixed when the model is built: a replication only sees step functions.

use chrono::Months;

use super::calendar::Calendar;
use super::step_function::StepFunction;
use crate::scenario;

/// Hired adjudicators and the adjudicator-days paid, over time.
#[derive(Debug, Clone)]
pub struct Staffing {
    /// Hired adjudicators, trainees included.
    pub hired: StepFunction,
    /// Hired adjudicators still in training (paid, deciding nothing).
    pub trainees: StepFunction,
    /// Adjudicator-days paid in each month: base staff plus hires (trainees included).
    paid_days: Vec<f64>,
    /// Adjudicator-days of hires (trainees included) in each month.
    hired_days: Vec<f64>,
}

/// A group of adjudicators hired on the same day.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Hiring {
    day: f64,
    count: f64,
}

/// The hiring days and group sizes of a plan, all within the funded period.
fn hirings(plan: &scenario::CapacityBuilding, calendar: &Calendar) -> Vec<Hiring> {
    let headcount = (plan.budget_usd / (plan.cost_per_adjudicator_month_usd * plan.months)).floor();
    if headcount < 1.0 {
        return Vec::new();
    }
    let Some(pace) = plan.hires_per_month else {
        return vec![Hiring { day: calendar.day_of(plan.from.0), count: headcount }];
    };
    let mut out = Vec::new();
    let mut hired = 0.0;
    for k in 0..plan.months as u32 {
        // Hired by the end of month k: the pace rounded up, so that a pace below 1 hires on `from` first.
        let target = (((k + 1) as f64 * pace) - 1e-9).ceil().min(headcount);
        if target > hired {
            let date = plan.from.0.checked_add_months(Months::new(k)).expect("validated horizon");
            out.push(Hiring { day: calendar.day_of(date), count: target - hired });
            hired = target;
        }
        if hired >= headcount {
            break;
        }
    }
    out
}

impl Staffing {
    /// No hires: only the base staff is paid.
    fn base(base: &StepFunction, calendar: &Calendar) -> Staffing {
        Staffing::with_hires(base, StepFunction::constant(0.0), StepFunction::constant(0.0), calendar)
    }

    fn with_hires(base: &StepFunction, hired: StepFunction, trainees: StepFunction, calendar: &Calendar) -> Staffing {
        let days = |f: &StepFunction| -> Vec<f64> {
            (0..calendar.months())
                .map(|m| {
                    let (begin, end) = calendar.month_span(m);
                    f.integral(begin, end)
                })
                .collect()
        };
        let hired_days = days(&hired);
        let paid_days = days(&base.sum(&hired));
        Staffing { hired, trainees, paid_days, hired_days }
    }

    /// The deciding adjudicators (the scenario's `adjudicators` plus trained hires) and the staffing behind them.
    /// Without a plan the deciding adjudicators are `base` itself.
    pub fn new(
        base: StepFunction,
        plan: Option<&scenario::CapacityBuilding>,
        calendar: &Calendar,
    ) -> (StepFunction, Staffing) {
        let Some(plan) = plan else {
            let staffing = Staffing::base(&base, calendar);
            return (base, staffing);
        };
        let paid_until =
            calendar.day_of(plan.from.0.checked_add_months(Months::new(plan.months as u32)).expect("validated"));
        let (mut deciding, mut trainees, mut hired) = (Vec::new(), Vec::new(), Vec::new());
        for Hiring { day, count } in hirings(plan, calendar) {
            let trained = (day + plan.training_days).min(paid_until);
            hired.extend([(day, count), (paid_until, -count)]);
            trainees.extend([(day, count), (trained, -count)]);
            if trained < paid_until {
                deciding.extend([(trained, count), (paid_until, -count)]);
            }
        }
        let deciding = base.sum(&StepFunction::from_changes(&deciding));
        let staffing = Staffing::with_hires(
            &base,
            StepFunction::from_changes(&hired),
            StepFunction::from_changes(&trainees),
            calendar,
        );
        (deciding, staffing)
    }

    /// Adjudicator-days paid in month `month`: base staff plus hires, trainees included.
    pub fn paid_adjudicator_days(&self, month: usize) -> f64 {
        self.paid_days[month]
    }

    /// Adjudicator-days of hires (trainees included) in month `month`.
    pub fn hired_adjudicator_days(&self, month: usize) -> f64 {
        self.hired_days[month]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Date;
    use chrono::NaiveDate;

    fn plan(budget: f64, pace: Option<f64>) -> scenario::CapacityBuilding {
        scenario::CapacityBuilding {
            budget_usd: budget,
            from: Date::from_ymd(2021, 2, 1).unwrap(),
            months: 12.0,
            cost_per_adjudicator_month_usd: 1000.0,
            training_days: 30.0,
            hires_per_month: pace,
        }
    }

    fn calendar() -> Calendar {
        Calendar::new(NaiveDate::from_ymd_opt(2021, 1, 1).unwrap(), 24)
    }

    #[test]
    fn a_budget_buys_whole_positions_for_the_funded_months() {
        let cal = calendar();
        let (deciding, staff) = Staffing::new(StepFunction::constant(4.0), Some(&plan(100_000.0, None)), &cal);
        // 100,000 / (1,000 × 12) = 8.33: eight adjudicators, hired on 1 February 2021 (day 31).
        assert_eq!(staff.hired.at(31.0), 8.0);
        assert_eq!(staff.trainees.at(31.0), 8.0);
        assert_eq!(deciding.at(60.0), 4.0, "still training on day 60");
        assert_eq!(deciding.at(61.0), 12.0);
        assert_eq!(staff.trainees.at(61.0), 0.0);
        // Funded until 1 February 2022 (day 396).
        assert_eq!(deciding.before(396.0), 12.0);
        assert_eq!(deciding.at(396.0), 4.0);
        assert_eq!(staff.hired.at(396.0), 0.0);
        // January 2021: base staff only; February: 4 + 8 adjudicators for 28 days.
        assert_eq!(staff.paid_adjudicator_days(0), 4.0 * 31.0);
        assert_eq!(staff.paid_adjudicator_days(1), 12.0 * 28.0);
        assert_eq!(staff.hired_adjudicator_days(1), 8.0 * 28.0);
    }

    #[test]
    fn a_pace_hires_month_by_month_and_never_past_the_funding() {
        let cal = calendar();
        let at_pace = |pace| hirings(&plan(100_000.0, Some(pace)), &cal).iter().map(|h| h.count).collect::<Vec<_>>();
        assert_eq!(at_pace(3.0), [3.0, 3.0, 2.0]);
        assert_eq!(at_pace(0.5), [1.0, 1.0, 1.0, 1.0, 1.0, 1.0], "one every two months until the funding ends");
        let days: Vec<f64> = hirings(&plan(100_000.0, Some(0.5)), &cal).iter().map(|h| h.day).collect();
        assert_eq!(days[0], 31.0, "the first hire on `from`");
        assert_eq!(days[1], 31.0 + 28.0 + 31.0, "the second two months later");
    }

    #[test]
    fn without_a_plan_the_base_staff_is_unchanged() {
        let base = StepFunction::constant(3.0);
        let (deciding, staff) = Staffing::new(base.clone(), None, &calendar());
        assert_eq!(deciding, base);
        assert_eq!(staff.paid_adjudicator_days(0), 93.0);
        assert_eq!(staff.hired.max(), 0.0);
    }
}
