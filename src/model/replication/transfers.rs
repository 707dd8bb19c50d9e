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
        }
    }

    /// As a month begins, seats unused in the month before lapse: every agreement's budget starts again.
    pub(super) fn lapse_seat_budgets(&mut self, begin: f64) {
        self.seat_budgets.iter_mut().for_each(|budget| budget.lapse(begin));
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
    /// the month's seat budget.
    pub(super) fn transfer_run(&mut self, a: usize, s: &mut Scheduler<Event>) {
        let model = self.model;
        let t = s.now();
        if t + 1.0 < model.calendar.end() {
            s.schedule(t + 1.0, Event::TransferRun { agreement: a as u16 });
        }
        let agreement = &model.agreements[a];
        let rate = agreement.seats_per_day.at(t);
        if self.queue_at(a, t).is_empty() || rate == 0.0 || agreement.suspended_at(t) {
            return;
        }
        let flight_seats = match &agreement.flights {
            Some(plan) if !plan.flies_on(t) => return,
            Some(plan) => (plan.seats_per_flight.at(t) + 1e-9).floor() as u64,
            None => u64::MAX,
        };
        let budget = self.seat_budgets[a].available(&agreement.seats_per_day, model.calendar.month_span(self.month), t);
        let mut boarded = std::mem::take(&mut self.boarded);
        self.queues[a].board(t, flight_seats.min(budget), agreement.discipline, &mut boarded);
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
