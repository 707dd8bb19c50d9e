//! Transfers: each agreement's queue of cases waiting for a seat, the daily transfer run (a flight on flight days,
//! or the daily operation within the month's seat budget), the holding limit and holding capacity, and
//! suspensions.
//!
//! A case leaves this stage transferred (to `claims`, where the receiving country takes it over) or released to
//! the sending country's process.

use crate::engine::Scheduler;

use super::Replication;
use crate::model::event::Event;
use crate::model::metrics::{ReceivingMetric, SendingMetric};
use crate::model::transfer_queue::{TransferQueue, WaitingCase};

impl Replication<'_> {
    /// An eligible case assigned agreement `a`: transferred at once while seats are unlimited, released if the
    /// holding capacity is full, or queued for a seat.
    #[inline(always)]
    pub(super) fn join_queue(&mut self, a: usize, case: WaitingCase, s: &mut Scheduler<Event>) {
        let t = s.now();
        let people = case.people;
        let agreement = &self.model.agreements[a];
        if self.agreements_at[a].at(agreement, t).unlimited_seats() {
            self.transfer(a, case, s);
            return;
        }
        if (self.queue_at(a, t).people() + u64::from(people)) as f64 > agreement.holding_capacity {
            self.add_at(a, ReceivingMetric::ReleasedHoldingFullCases, 1.0);
            self.release(a, case);
        } else {
            self.queues[a].push(case);
            if agreement.run_at.is_none() {
                // Continuous operation: the case boards now if a seat is free.
                self.operate(a, s);
            }
        }
    }

    /// A case that waited for a seat in vain joins the sending country's process.
    pub(super) fn release(&mut self, a: usize, case: WaitingCase) {
        let people = f64::from(case.people);
        self.add(SendingMetric::ReleasedCases, 1.0);
        self.add(SendingMetric::ReleasedPeople, people);
        self.add(SendingMetric::ToSendingProcessCases, 1.0);
        self.add(SendingMetric::ToSendingProcessPeople, people);
        // A released case is a protection seeker (a transfer candidate): it faces a credible-fear screening.
        self.add(SendingMetric::CredibleFearReferralsCases, 1.0);
        self.add_at(a, ReceivingMetric::ReleasedCases, 1.0);
        self.add_at(a, ReceivingMetric::ReleasedPeople, people);
    }

    /// Transfers under agreement `a` stop: its waiting cases are released.
    pub(super) fn suspension_start(&mut self, a: usize, s: &mut Scheduler<Event>) {
        let mut released = std::mem::take(&mut self.boarded);
        self.queue_at(a, s.now()).release_all(s.now(), &mut released);
        for case in released.drain(..) {
            self.release(a, case);
        }
        self.boarded = released;
    }

    /// The day's transfer operation under agreement `a`: a flight on flight days, or the daily operation within
    /// the seat budget, at its time of day; under continuous operation, the start of each day (when seats accrue, a
    /// grant begins, or a suspension ends).
    pub(super) fn transfer_run(&mut self, a: usize, s: &mut Scheduler<Event>) {
        let t = s.now();
        if t + 1.0 < self.model.calendar.end() {
            s.schedule(t + 1.0, Event::TransferRun { agreement: a as u16 });
        }
        self.operate(a, s);
    }

    /// Boards the waiting cases of agreement `a` that the seats free now allow, in the queue discipline's order,
    /// after the seats each household type has reserved in the phase in force (see `RolloutPhase::seat_shares`).
    ///
    /// A daily seat rate of 0 does not stop the run: seats accrued or granted earlier in the period may be left.
    pub(super) fn operate(&mut self, a: usize, s: &mut Scheduler<Event>) {
        let model = self.model;
        let t = s.now();
        let agreement = &model.agreements[a];
        if self.queue_at(a, t).is_empty() || agreement.suspended_at(t) {
            return;
        }
        let flight_seats = match &agreement.flights {
            Some(plan) if !plan.flies_on(t) => return,
            Some(plan) => (plan.seats_per_flight.at(t) + 1e-9).floor() as u64,
            None => u64::MAX,
        };
        let end = model.calendar.end();
        let period = agreement.seat_period(model.calendar.month_span(self.month), t, end);
        let budget = self.seat_budgets[a].available(&agreement.seats_per_day, period, t, agreement.seat_timing);
        let mut seats = flight_seats.min(budget);
        if seats == 0 && agreement.seats_per_day.at(t) == 0.0 {
            // Nothing to board. (A run with no seat left at a positive rate still goes through `board`, which
            // brings the queue's person-days up to date: kept so that the sums' rounding is as before.)
            return;
        }
        let mut boarded = std::mem::take(&mut self.boarded);
        if let Some(phase) = agreement.phase_at(t).filter(|p| p.seat_shares.iter().any(|&x| x > 0.0)) {
            for (h, &share) in phase.seat_shares.iter().enumerate() {
                let reserved = (share * seats as f64 + 1e-9).floor() as u64;
                if reserved > 0 {
                    let household = |c: &WaitingCase| model.streams[usize::from(c.stream)].household as usize == h;
                    seats -= self.queues[a].board_among(t, reserved, agreement.discipline, household, &mut boarded);
                }
            }
        }
        self.queues[a].board(t, seats, agreement.discipline, &mut boarded);
        if agreement.flights.is_some() && !boarded.is_empty() {
            self.add_at(a, ReceivingMetric::FlightsCount, 1.0);
        }
        for case in &boarded {
            self.seat_budgets[a].spend(case.people);
        }
        for case in boarded.drain(..) {
            self.transfer(a, case, s);
        }
        self.boarded = boarded;
    }

    /// Transfer queue `a` as it stands at `t`: every event that reads or changes a queue takes it from here, so that
    /// the cases that reached the holding limit by then have been released (see [`Replication::release_due`]).
    #[inline]
    pub(super) fn queue_at(&mut self, a: usize, t: f64) -> &mut TransferQueue {
        self.release_due(a, t, true);
        &mut self.queues[a]
    }

    /// Releases the cases of queue `a` that reached the holding limit before `t` (and those reaching it at `t`
    /// itself if `at_t`), each at the instant it reached the limit.
    ///
    /// Releases need no events of their own. A release depends only on when its case joined, and cases reach the
    /// limit in the order they joined, from the front of the queue; so every event that reads or changes queue
    /// `a` calls this first (through [`Replication::queue_at`], or before closing the month), and the queue's
    /// person-days and the month's counts come out exactly as if each release had been an event at its due time.
    /// In `guatemala-2019` these releases were 43% of all events.
    ///
    /// At a tie, a release comes first: a case that reaches the limit at the very instant a transfer operation
    /// runs, or a case arrives, is released before that event, as it would be with a limit a hair shorter (ties
    /// need fixed delays, e.g. a fixed come-back delay). When releases were events the order at such a tie
    /// depended on when each event had been scheduled. The one exception is a month start, which calls this with
    /// `at_t` false before closing the month: a release due at the instant a month begins counts in the new month.
    pub(super) fn release_due(&mut self, a: usize, t: f64, at_t: bool) {
        let limit = self.model.agreements[a].max_wait_days;
        if !limit.is_finite() {
            return;
        }
        while let Some(oldest) = self.queues[a].oldest() {
            // Computed as `release_oldest` computes it, so that the case due is found.
            let due = oldest.since + limit;
            if due > t || (due == t && !at_t) {
                break;
            }
            let case = self.queues[a].release_oldest(due, limit).expect("the oldest case is due");
            self.release(a, case);
        }
    }

    /// A case boarded under agreement `a`: counted as transferred, then handed over to the receiving country.
    #[inline(always)]
    pub(super) fn transfer(&mut self, a: usize, case: WaitingCase, s: &mut Scheduler<Event>) {
        let t = s.now();
        let people = f64::from(case.people);
        self.add(SendingMetric::TransferredCases, 1.0);
        self.add(SendingMetric::TransferredPeople, people);
        self.add_at(a, ReceivingMetric::TransferredCases, 1.0);
        self.add_at(a, ReceivingMetric::TransferredPeople, people);
        let seated = &mut self.queues[a].seated;
        seated.0 += 1;
        seated.1 += t - case.since;
        if self.model.deterrence.is_some() {
            let nationality = self.model.streams[usize::from(case.stream)].nationality;
            self.by_nationality[self.month * self.model.countries.len() + nationality][1] += people;
        }
        self.hand_over(a, case, s);
    }
}
