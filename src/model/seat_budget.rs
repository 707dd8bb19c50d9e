//! The seat budget of an agreement's transfer operation.

use crate::scenario::SeatTiming;

use super::step_function::StepFunction;

/// What is left of an agreement's seat budget in a replication: the one place where seats are granted, spent and
/// lapse.
///
/// - **Period.** A budget lasts a calendar month, or a week (Monday to Monday) for
///   [`SeatTiming::StartOfWeek`]; weeks ignore month ends. The budget notices a new period itself, at its first
///   use in it.
/// - **Accrual** ([`SeatTiming::AccruedDaily`]). The month's budget (`seats_per_month`, spread over the month's
///   days as [`super::Agreement::seats_per_day`]) accrues day by day, through the end of the day of the transfer
///   operation.
/// - **Lump grants** ([`SeatTiming::StartOfMonth`], [`SeatTiming::StartOfWeek`]). The whole period's seats, the
///   integral of the daily seats over the period, are available from its first instant, whatever the daily rate at
///   the moment of use (a step to 0 later in the period takes nothing back: the seats were granted).
/// - Seats are whole, so the accrued or granted total is rounded down (with a 1e-9 tolerance for the sum of the
///   daily shares).
/// - **Spending.** Each person boarded takes one seat; seats unused earlier in the period remain until it ends.
/// - **Lapse.** Seats unused at the period's end lapse: each period starts a new budget. So does the end of a
///   stretch of unlimited seats within the period, since the seats of that stretch were never counted; a lump
///   grant then covers only the finite stretch.
///
/// Flights have their own seats per flight; the transfer run boards the smaller of the two.
#[derive(Debug, Clone, Copy, Default)]
pub struct SeatBudget {
    /// Seats spent since `from`.
    spent: f64,
    /// When the current budget began: the period's start, or the end of a stretch of unlimited seats.
    from: f64,
    /// Start of the period the budget was last used in.
    period: f64,
}

impl SeatBudget {
    /// Seats available to a transfer operation at `t`, in the budget period `period` (its begin and end, see
    /// [`super::Agreement::seat_period`]), under the daily seats `seats_per_day` and the timing rule `timing`:
    /// everything accrued (or granted) since the budget began, less the seats spent; `u64::MAX` while seats are
    /// unlimited.
    pub fn available(&mut self, seats_per_day: &StepFunction, period: (f64, f64), t: f64, timing: SeatTiming) -> u64 {
        let (begin, end) = period;
        if begin != self.period {
            // A new period: the seats left unused lapse.
            self.period = begin;
            self.from = begin;
            self.spent = 0.0;
        }
        if seats_per_day.at(t).is_infinite() {
            return u64::MAX;
        }
        let until = match timing {
            SeatTiming::AccruedDaily => (t.floor() + 1.0).min(end),
            SeatTiming::StartOfMonth | SeatTiming::StartOfWeek => end,
        };
        let (from, to) = seats_per_day.finite_stretch(begin, t, until);
        if from != self.from {
            // Seats were unlimited earlier in the period, until `from`: a new budget starts there.
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
        let daily = SeatTiming::AccruedDaily;
        assert_eq!(budget.available(&per_day, (0.0, 30.0), 0.5, daily), 2, "2.5 seats accrued by the end of day 0");
        budget.spend(1);
        assert_eq!(budget.available(&per_day, (0.0, 30.0), 1.5, daily), 4, "5 accrued, 1 spent");
        budget.spend(4);
        assert_eq!(budget.available(&per_day, (0.0, 30.0), 1.7, daily), 0);
        assert_eq!(budget.available(&per_day, (30.0, 60.0), 30.5, daily), 2, "last month's unused seats lapsed");
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
        let daily = SeatTiming::AccruedDaily;
        assert_eq!(budget.available(&per_day, (0.0, 30.0), 5.5, daily), u64::MAX);
        budget.spend(7);
        assert_eq!(
            budget.available(&per_day, (0.0, 30.0), 11.5, daily),
            6,
            "two days of 3, nothing spent since day 10"
        );
        let mut lump = SeatBudget::default();
        assert_eq!(lump.available(&per_day, (0.0, 30.0), 11.5, SeatTiming::StartOfMonth), 60, "days 10–29 at 3");
    }

    #[test]
    fn a_lump_grant_is_whole_from_the_first_instant_and_survives_a_step_to_zero() {
        // 300 seats a month over 30 days (10 a day) until day 20, then 0.
        let per_day = StepFunction::from_changes(&[(0.0, 10.0), (20.0, -10.0)]);
        let mut budget = SeatBudget::default();
        let monthly = SeatTiming::StartOfMonth;
        assert_eq!(budget.available(&per_day, (0.0, 30.0), 0.0, monthly), 200, "days 0–19 at 10, all at once");
        budget.spend(150);
        assert_eq!(budget.available(&per_day, (0.0, 30.0), 25.0, monthly), 50, "the rate is 0 but seats are left");
        assert_eq!(budget.available(&per_day, (30.0, 60.0), 30.0, monthly), 0, "unused seats lapsed");
    }
}
