//! The monthly seat budget of an agreement's daily transfer operation.

use super::step_function::StepFunction;

/// What is left of an agreement's monthly seat budget in a replication: the one place where seats accrue, are
/// spent and lapse.
///
/// - **Accrual.** The month's budget (`seats_per_month`, spread over the month's days as
///   [`super::Agreement::seats_per_day`]) accrues day by day, through the end of the day of the transfer
///   operation; seats are whole, so the accrued total is rounded down (with a 1e-9 tolerance for the sum of the
///   daily shares).
/// - **Spending.** Each person boarded takes one seat; seats unused earlier in the month remain until month end.
/// - **Lapse.** Seats unused at month end lapse: each month starts a new budget. So does the end of a stretch of
///   unlimited seats within the month, since the seats of that stretch were never counted.
///
/// Flights have their own seats per flight; the transfer run boards the smaller of the two.
#[derive(Debug, Clone, Copy, Default)]
pub struct SeatBudget {
    /// Seats spent since `from`.
    spent: f64,
    /// When the current budget began: the month's start, or the end of a stretch of unlimited seats.
    from: f64,
}

impl SeatBudget {
    /// A month begins at `begin`: the seats left unused lapse.
    pub fn lapse(&mut self, begin: f64) {
        self.spent = 0.0;
        self.from = begin;
    }

    /// Seats available to a transfer operation at `t`, in the month `month` (its begin and end), under the daily
    /// seats `seats_per_day`: everything accrued since the budget began, less the seats spent; `u64::MAX` while
    /// seats are unlimited.
    pub fn available(&mut self, seats_per_day: &StepFunction, month: (f64, f64), t: f64) -> u64 {
        if seats_per_day.at(t).is_infinite() {
            return u64::MAX;
        }
        let (begin, end) = month;
        let (from, to) = seats_per_day.finite_stretch(begin, t, (t.floor() + 1.0).min(end));
        if from != self.from {
            // Seats were unlimited earlier in the month, until `from`: a new budget starts there.
            self.from = from;
            self.spent = 0.0;
        }
        let accrued = seats_per_day.integral(from, to);
        ((accrued + 1e-9).floor() - self.spent).max(0.0) as u64
    }

    /// A case of `people` persons boards: it takes as many seats.
    pub fn spend(&mut self, people: u32) {
        self.spent += f64::from(people);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Calendar;
    use crate::scenario::{Date, Schedule, Step};
    use chrono::NaiveDate;

    #[test]
    fn seats_accrue_daily_and_unused_ones_remain_until_the_month_ends() {
        let per_day = StepFunction::constant(2.5);
        let mut budget = SeatBudget::default();
        budget.lapse(0.0);
        assert_eq!(budget.available(&per_day, (0.0, 30.0), 0.5), 2, "2.5 seats accrued by the end of day 0");
        budget.spend(1);
        assert_eq!(budget.available(&per_day, (0.0, 30.0), 1.5), 4, "5 accrued, 1 spent");
        budget.spend(4);
        assert_eq!(budget.available(&per_day, (0.0, 30.0), 1.7), 0);
        budget.lapse(30.0);
        assert_eq!(budget.available(&per_day, (30.0, 60.0), 30.5), 2, "last month's unused seats lapsed");
    }

    #[test]
    fn a_stretch_of_unlimited_seats_starts_a_new_budget_at_its_end() {
        // Unlimited seats on days [0, 10), then 3 a day.
        let calendar = Calendar::new(NaiveDate::from_ymd_opt(2019, 11, 1).unwrap(), 1);
        let steps = Schedule::Steps(vec![
            Step { from: Date::from_ymd(2019, 11, 1).unwrap(), value: f64::INFINITY },
            Step { from: Date::from_ymd(2019, 11, 11).unwrap(), value: 3.0 },
        ]);
        let per_day = StepFunction::from_schedule(&steps, &calendar);
        let mut budget = SeatBudget::default();
        budget.lapse(0.0);
        assert_eq!(budget.available(&per_day, (0.0, 30.0), 5.5), u64::MAX);
        budget.spend(7);
        assert_eq!(budget.available(&per_day, (0.0, 30.0), 11.5), 6, "two days of 3, nothing spent since day 10");
    }
}
