//! Who an agreement applies to, and when: nationality, household type, rollout phase, coverage, transit and the
//! fear screening.

use crate::rng::{CaseDraws, Purpose};
use crate::scenario::{AgreementKind, Household, QueueDiscipline, SeatTiming, WaitingAtSuspension};

use super::costs::TransferCosts;
use super::metrics::IneligibleReason;
use super::step_function::StepFunction;

/// One rollout phase, placed on the clock.
#[derive(Debug, Clone)]
pub struct RolloutPhase {
    /// Day the phase starts.
    pub from: f64,
    /// Which household types are open, indexed like [`Household::ALL`].
    pub open: [bool; 3],
    /// Share of eligible arrivals processed where the agreement operates.
    pub coverage: f64,
    /// Label for reports.
    pub label: String,
    /// Shares of each transfer run's seats reserved for each household type, indexed like [`Household::ALL`]
    /// (all zero: no reservation).
    pub seat_shares: [f64; 3],
}

/// A dated halt of transfers, placed on the clock.
#[derive(Debug, Clone)]
pub struct Suspension {
    /// First day without transfers.
    pub from: f64,
    /// First day transfers resume; infinite for a termination.
    pub until: f64,
    /// What happens at `from` to the cases waiting for a seat.
    pub waiting: WaitingAtSuspension,
    /// Label for reports.
    pub label: String,
}

/// A weekly flight schedule, placed on the clock.
#[derive(Debug, Clone)]
pub struct FlightPlan {
    /// Whether a flight leaves on each weekday, Monday first.
    pub weekdays: [bool; 7],
    /// Weekday of day 0 of the clock (days after Monday).
    pub weekday_of_day_zero: u32,
    /// Seats (people) per flight, over time.
    pub seats_per_flight: StepFunction,
}

impl FlightPlan {
    /// Whether a flight is scheduled on the day containing `t`.
    pub fn flies_on(&self, t: f64) -> bool {
        let day = t.floor() as i64 + i64::from(self.weekday_of_day_zero);
        self.weekdays[day.rem_euclid(7) as usize]
    }
}

/// A transfer agreement with one receiving country, ready to apply to arriving cases.
#[derive(Debug, Clone)]
pub struct Agreement {
    /// What happens to the people it transfers.
    pub kind: AgreementKind,
    /// Index of the receiving country in the model's country list.
    pub receiving: usize,
    /// Eligibility by nationality index (false for the receiving country's own nationals).
    pub eligible: Vec<bool>,
    /// Probability of having transited the receiving country, by nationality index.
    pub transit: Vec<f64>,
    /// Exempt household types, indexed like [`Household::ALL`].
    pub exempt: [bool; 3],
    /// Share exempted by the fear screening, over time.
    pub screening_exempt: StepFunction,
    /// Transfer seats per day (the monthly budget spread over the month's days); infinite when there is no
    /// monthly budget (seats unlimited, or flights alone).
    pub seats_per_day: StepFunction,
    /// Transfers by flight; `None`: a daily operation within the monthly budget.
    pub flights: Option<FlightPlan>,
    /// People the sending country can hold waiting for a seat (infinite: no limit).
    pub holding_capacity: f64,
    /// Halts of transfers in date order.
    pub suspensions: Vec<Suspension>,
    pub discipline: QueueDiscipline,
    /// Longest wait for a seat, in days (infinite: no limit).
    pub max_wait_days: f64,
    /// Phases in date order.
    pub phases: Vec<RolloutPhase>,
    /// Unit costs of the transfer operation, paid by the sending country.
    pub costs: TransferCosts,
    /// When the seats of the budget can be used (see [`super::SeatBudget`]).
    pub seat_timing: SeatTiming,
    /// Time of day of the daily transfer run as a fraction of the day; `None`: continuous operation (a case
    /// boards as soon as a seat and the case meet).
    pub run_at: Option<f64>,
    /// Weekday of day 0 of the clock (days after Monday), for weekly seat grants.
    pub weekday_of_day_zero: u32,
}

/// What [`Agreement::check`] and [`Agreement::unlimited_seats_at`] read from an agreement's dated schedules at one
/// time, with the stretch of time over which it holds.
///
/// The schedules change only at known times (phase starts, halts' ends, steps of the screening share and of the
/// seats), so a value read once holds until the next such time; arrivals in between reuse it instead of searching
/// the schedules again, with the same answers.
#[derive(Debug, Clone, Copy)]
pub struct AgreementAt {
    /// Holds on `[from, until)`.
    from: f64,
    until: f64,
    suspended: bool,
    /// Household types open in the phase in force (none before the first phase).
    open: [bool; 3],
    /// Coverage of the phase in force (unused before the first phase: every case is then refused).
    coverage: f64,
    screening_exempt: f64,
    unlimited_seats: bool,
}

impl Default for AgreementAt {
    /// Holds at no time: the first [`AgreementAt::at`] reads the schedules.
    fn default() -> AgreementAt {
        AgreementAt {
            from: f64::INFINITY,
            until: f64::NEG_INFINITY,
            suspended: false,
            open: [false; 3],
            coverage: 0.0,
            screening_exempt: 0.0,
            unlimited_seats: false,
        }
    }
}

impl AgreementAt {
    /// What `agreement`'s schedules say at time `t`, reading them again only if `t` is outside the stretch read
    /// last. Every read goes through here with its own time: arrivals are screened ahead, so the stretch read last
    /// may lie after the time of the case at hand. A stretch read at `t0` runs from `t0` (not from the previous
    /// change) so that a replication starting again from time 0 reads the schedules afresh.
    #[inline]
    pub fn at(&mut self, agreement: &Agreement, t: f64) -> &AgreementAt {
        if !(self.from <= t && t < self.until) {
            *self = agreement.at(t);
        }
        self
    }

    /// [`Agreement::unlimited_seats_at`] at a time this holds at.
    #[inline]
    pub fn unlimited_seats(&self) -> bool {
        self.unlimited_seats
    }
}

impl Agreement {
    /// The schedules read at time `t`, and until when they hold.
    pub fn at(&self, t: f64) -> AgreementAt {
        let phase = self.phase_at(t);
        let phase_change = self.phases.iter().map(|p| p.from).filter(|&from| from > t).fold(f64::INFINITY, f64::min);
        let suspension_change =
            self.suspensions.iter().flat_map(|x| [x.from, x.until]).filter(|&c| c > t).fold(f64::INFINITY, f64::min);
        let until = phase_change
            .min(suspension_change)
            .min(self.screening_exempt.next_change_after(t))
            .min(self.seats_per_day.next_change_after(t));
        AgreementAt {
            from: t,
            until,
            suspended: self.suspended_at(t),
            open: phase.map_or([false; 3], |p| p.open),
            coverage: phase.map_or(0.0, |p| p.coverage),
            screening_exempt: self.screening_exempt.at(t),
            unlimited_seats: self.unlimited_seats_at(t),
        }
    }

    /// The phase in force at time `t`, if the agreement has started.
    pub fn phase_at(&self, t: f64) -> Option<&RolloutPhase> {
        let after = self.phases.partition_point(|p| p.from <= t);
        after.checked_sub(1).map(|i| &self.phases[i])
    }

    /// Whether a case may be transferred under this agreement (the `index`-th of the scenario) at time `t`.
    ///
    /// The order of the tests fixes which reason an ineligible case is counted under: the first that fails.
    /// Random tests draw from the case's own uniforms, so the answer for a given case never depends on other cases.
    pub fn check(
        &self,
        index: usize,
        t: f64,
        nationality: usize,
        household: Household,
        draws: CaseDraws,
    ) -> Result<(), IneligibleReason> {
        self.check_at(&self.at(t), index, nationality, household, draws)
    }

    /// [`Agreement::check`] at a time `at` holds at.
    #[inline]
    pub fn check_at(
        &self,
        at: &AgreementAt,
        index: usize,
        nationality: usize,
        household: Household,
        draws: CaseDraws,
    ) -> Result<(), IneligibleReason> {
        if !self.eligible[nationality] {
            return Err(IneligibleReason::Nationality);
        }
        if self.exempt[household as usize] {
            return Err(IneligibleReason::Exempt);
        }
        if at.suspended {
            return Err(IneligibleReason::Suspended);
        }
        if !at.open[household as usize] {
            return Err(IneligibleReason::PhaseClosed);
        }
        let index = index as u64;
        if !draws.chance(Purpose::Coverage, index, at.coverage) {
            return Err(IneligibleReason::NotCovered);
        }
        if !draws.chance(Purpose::Transit, index, self.transit[nationality]) {
            return Err(IneligibleReason::NoTransit);
        }
        if draws.chance(Purpose::Screening, index, at.screening_exempt) {
            return Err(IneligibleReason::ScreenedOut);
        }
        Ok(())
    }

    /// The reason every case of this nationality and household is refused throughout `[begin, end)`, if one
    /// holds without any random draw: nationality, exemption, or no phase open to the household in that span.
    pub fn settled_refusal(
        &self,
        nationality: usize,
        household: Household,
        begin: f64,
        end: f64,
    ) -> Option<IneligibleReason> {
        if !self.eligible[nationality] {
            return Some(IneligibleReason::Nationality);
        }
        if self.exempt[household as usize] {
            return Some(IneligibleReason::Exempt);
        }
        if self.suspensions.iter().any(|x| x.from <= begin && x.until >= end) {
            return Some(IneligibleReason::Suspended);
        }
        if self.suspensions.iter().any(|x| x.from < end && x.until > begin) {
            // Part of the span is suspended: cases then are refused for that reason, the rest maybe not.
            return None;
        }
        let open_at_begin = self.phase_at(begin).is_some_and(|p| p.open[household as usize]);
        let opens_later = self.phases.iter().any(|p| p.from > begin && p.from < end && p.open[household as usize]);
        (!open_at_begin && !opens_later).then_some(IneligibleReason::PhaseClosed)
    }

    /// Whether seats are unlimited at time `t` (cases are then transferred as soon as they are found eligible).
    pub fn unlimited_seats_at(&self, t: f64) -> bool {
        self.flights.is_none() && self.seats_per_day.at(t).is_infinite()
    }

    /// Whether transfers are halted at time `t`.
    pub fn suspended_at(&self, t: f64) -> bool {
        self.suspensions.iter().any(|x| x.from <= t && t < x.until)
    }

    /// The span of the seat budget in force at `t`: the month `month` (its begin and end), or, for weekly grants,
    /// the week (Monday to Monday) containing `t`, clipped to the run `[0, end)`.
    pub fn seat_period(&self, month: (f64, f64), t: f64, end: f64) -> (f64, f64) {
        if self.seat_timing != SeatTiming::StartOfWeek {
            return month;
        }
        let day = t.floor();
        let since_monday = (day as i64 + i64::from(self.weekday_of_day_zero)).rem_euclid(7) as f64;
        let monday = day - since_monday;
        (monday.max(0.0), (monday + 7.0).min(end))
    }

    /// Whether transfers ever wait for a transfer run (a flight, or the daily operation within a budget).
    pub fn has_transfer_runs(&self) -> bool {
        self.flights.is_some() || self.seats_per_day.min().is_finite()
    }
}
