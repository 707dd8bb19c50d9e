//! Onward: where a transferee goes on leaving the receiving country's asylum process (home, onward, back to the
//! sending country's border, or nowhere), by how they left it and by the case's own draw.

use crate::engine::Scheduler;
use crate::rng::{self, CaseDraws, Purpose};

use super::Replication;
use crate::model::Destination;
use crate::model::event::Event;
use crate::model::metrics::ReceivingMetric;

/// How a transferee left the receiving country's asylum process.
#[derive(Debug, Clone, Copy)]
pub(super) enum Leaving {
    NotFiled,
    Abandoned,
    Denied,
}

/// A transferee who will not file, due to leave when the filing window closes.
///
/// Such a departure needs no event of its own when it sends nobody back to the border: it changes nothing but the
/// month's counts and the filing-window stock, which nothing reads before the month closes. So it waits here, in
/// order of `due` (windows have one length per agreement and transfers come in time order), until the month's
/// close settles those due before it ([`Replication::close_windows`]). Those who come back keep their event,
/// which schedules their return at its own time.
#[derive(Debug, Clone, Copy)]
pub(super) struct WindowClose {
    pub(super) due: f64,
    pub(super) destination: Destination,
    pub(super) people: u16,
    /// The transferee has a protection concern (leaving undecided, they count in `left_with_protection_need_*`).
    pub(super) concern: bool,
}

impl Replication<'_> {
    /// A transferee leaves the receiving country's asylum process: home, onward, back to the sending country's
    /// border (arriving again after a delay, as a new case of the same stream), or nowhere.
    #[inline(always)]
    pub(super) fn leave(
        &mut self,
        a: usize,
        how: Leaving,
        (stream, people): (u16, u16),
        key: u64,
        s: &mut Scheduler<Event>,
    ) {
        let destination = self.destination(a, how, key);
        self.count_leaving(a, destination, people);
        if !matches!(how, Leaving::Denied) && self.has_protection_concern(a, key) {
            self.count_protection_need(a, people);
        }
        if destination == Destination::Back {
            self.returning += 1;
            let rules = &self.model.asylum[a].onward;
            let draws = CaseDraws::from_key(key);
            let delay =
                rules.come_back.as_ref().map_or(0.0, |d| d.sample(&mut draws.generator(Purpose::ComeBack, a as u64)));
            let t = s.now() + delay;
            if t < self.model.calendar.end() {
                s.schedule(t, Event::ReArrival { stream, people, key: rng::re_arrival_key(key) });
            }
        }
    }

    /// Where a transferee leaving the asylum process of agreement `a` goes: a function of the case's own draw.
    #[inline(always)]
    pub(super) fn destination(&self, a: usize, how: Leaving, key: u64) -> Destination {
        let rules = &self.model.asylum[a].onward;
        let shares = match how {
            Leaving::NotFiled => rules.not_filed,
            Leaving::Abandoned => rules.abandoned,
            Leaving::Denied => rules.denied,
        };
        if shares.nobody_followed() {
            Destination::NotFollowed
        } else {
            shares.destination(CaseDraws::from_key(key).uniform(Purpose::Onward, a as u64))
        }
    }

    #[inline(always)]
    pub(super) fn count_leaving(&mut self, a: usize, destination: Destination, people: u16) {
        let (cases, persons) = match destination {
            Destination::Home => (ReceivingMetric::ReturnedHomeCases, ReceivingMetric::ReturnedHomePeople),
            Destination::Onward => (ReceivingMetric::MovedOnCases, ReceivingMetric::MovedOnPeople),
            Destination::Back => (ReceivingMetric::CameBackCases, ReceivingMetric::CameBackPeople),
            Destination::NotFollowed => (ReceivingMetric::NotFollowedCases, ReceivingMetric::NotFollowedPeople),
        };
        self.add_at(a, cases, 1.0);
        self.add_at(a, persons, f64::from(people));
    }

    /// A transferee with a protection concern leaves the asylum process without a decision.
    #[inline(always)]
    fn count_protection_need(&mut self, a: usize, people: u16) {
        self.add_at(a, ReceivingMetric::LeftWithProtectionNeedCases, 1.0);
        self.add_at(a, ReceivingMetric::LeftWithProtectionNeedPeople, f64::from(people));
    }

    /// Transferees of agreement `a` who did not file leave as their filing windows close before `end` (see
    /// [`WindowClose`]); called as the month ending at `end` closes, so each counts in the month its window closed.
    pub(super) fn close_windows(&mut self, a: usize, end: f64) {
        self.settle_late_windows(a, end, false);
        while let Some(&WindowClose { due, destination, people, concern }) = self.window_closes[a].front() {
            if due >= end {
                break;
            }
            self.window_closes[a].pop_front();
            self.claim_queues[a].filing_window -= 1;
            self.add_at(a, ReceivingMetric::NotFiledCases, 1.0);
            self.count_leaving(a, destination, people);
            if concern {
                self.count_protection_need(a, people);
            }
        }
    }
}
