//! A receiving country's claims as a replication runs: claims waiting for an adjudicator, claims being decided,
//! claims decided but awaiting the deciding body's session, and the bookkeeping behind the backlog metrics. The
//! rules of the system are [`super::AsylumRules`]; scheduling is left to the replication; this file only keeps
//! count.

use std::collections::VecDeque;

use super::slab::{Slab, SlotRef};

/// A filed claim.
#[derive(Debug, Clone, Copy)]
pub struct Claim {
    /// Draw key of the case that filed it.
    pub key: u64,
    /// When it was filed.
    pub filed: f64,
    /// When adjudication started; NaN while waiting.
    pub started: f64,
    /// Filed by a transferred case (rather than one of the country's other applicants).
    pub transferee: bool,
    /// For a transferee, the arrival stream the case came from and its people (followed after it leaves).
    pub stream: u16,
    pub people: u16,
}

/// What happened to a newly filed claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filed {
    /// An adjudicator was free and took it at once.
    Started(SlotRef),
    /// It joined the queue.
    Waiting(SlotRef),
}

/// Month-level sums for the waiting-time means.
#[derive(Debug, Clone, Copy, Default)]
pub struct DecidedWaits {
    pub decided: u64,
    pub queue_wait_days: f64,
    pub wait_days: f64,
}

/// The claims of one receiving country, from filing to the decision issued (or abandonment), in a replication.
#[derive(Debug, Default)]
pub struct ClaimQueue {
    claims: Slab<Claim>,
    queue: VecDeque<SlotRef>,
    waiting: usize,
    in_adjudication: usize,
    transferee_backlog: usize,
    /// Adjudicators currently deciding claims.
    pub adjudicators: usize,
    /// Transferred cases still inside their filing window.
    pub filing_window: usize,
    /// Transferred cases past their filing window who will file late.
    pub awaiting_late_filing: usize,
    /// Decisions are halted: no adjudication starts.
    pub halted: bool,
    /// Claims decided by an adjudicator, their decision not yet issued (in decision order).
    awaiting: Vec<Claim>,
    last_change: f64,
    backlog_area: f64,
    queue_area: f64,
    /// Waits of the claims decided this month.
    pub waits: DecidedWaits,
}

impl ClaimQueue {
    /// Claims filed and neither issued a decision nor abandoned.
    pub fn backlog(&self) -> usize {
        self.waiting + self.in_adjudication + self.awaiting.len()
    }

    /// Claims decided whose decision awaits a session (or the end of a halt).
    pub fn awaiting_issue(&self) -> usize {
        self.awaiting.len()
    }

    /// Claims being decided.
    pub fn in_adjudication(&self) -> usize {
        self.in_adjudication
    }

    /// Backlog claims filed by transferred cases.
    pub fn transferee_backlog(&self) -> usize {
        self.transferee_backlog
    }

    /// Accumulates the time-averages up to `t`; call before every change of the counts.
    fn advance(&mut self, t: f64) {
        let dt = t - self.last_change;
        if dt > 0.0 {
            self.backlog_area += self.backlog() as f64 * dt;
            self.queue_area += self.waiting as f64 * dt;
            self.last_change = t;
        }
    }

    /// Files a claim at time `t`: it starts at once if an adjudicator is free (and decisions are not halted),
    /// otherwise it waits.
    pub fn file(&mut self, t: f64, claim: Claim) -> Filed {
        self.advance(t);
        self.transferee_backlog += usize::from(claim.transferee);
        let free = !self.halted && self.in_adjudication < self.adjudicators && self.waiting == 0;
        let r = self.claims.insert(Claim { started: if free { t } else { f64::NAN }, ..claim });
        if free {
            self.in_adjudication += 1;
            Filed::Started(r)
        } else {
            self.waiting += 1;
            self.queue.push_back(r);
            Filed::Waiting(r)
        }
    }

    /// Starts the next waiting claim if an adjudicator is free and decisions are not halted.
    pub fn start_next(&mut self, t: f64) -> Option<(SlotRef, Claim)> {
        if self.halted || self.in_adjudication >= self.adjudicators {
            return None;
        }
        while let Some(r) = self.queue.pop_front() {
            if self.claims.get(r).is_some() {
                self.advance(t);
                let claim = self.claims.get_mut(r).expect("checked above");
                claim.started = t;
                self.waiting -= 1;
                self.in_adjudication += 1;
                return Some((r, *claim));
            }
        }
        None
    }

    /// Records the decision of claim `r`, issued at once, at time `t`.
    pub fn decide(&mut self, t: f64, r: SlotRef) -> Option<Claim> {
        self.advance(t);
        let claim = self.claims.remove(r)?;
        self.in_adjudication -= 1;
        self.issued(t, &claim);
        Some(claim)
    }

    /// Records that an adjudicator finished claim `r`, whose decision awaits the next session: the adjudicator
    /// is free, the claim stays in the backlog.
    pub fn decide_unissued(&mut self, r: SlotRef) {
        // The backlog and the queue keep their sizes, so the time-averages need no update here.
        if let Some(claim) = self.claims.remove(r) {
            self.in_adjudication -= 1;
            self.awaiting.push(claim);
        }
    }

    /// Issues every decision awaiting a session at time `t`, moving the claims to `issued`.
    pub fn issue_awaiting(&mut self, t: f64, issued: &mut Vec<Claim>) {
        if self.awaiting.is_empty() {
            return;
        }
        self.advance(t);
        let mut awaiting = std::mem::take(&mut self.awaiting);
        for claim in &awaiting {
            self.issued(t, claim);
        }
        issued.append(&mut awaiting);
        self.awaiting = awaiting;
    }

    /// Bookkeeping of a decision issued at `t`: it leaves the transferee backlog and enters the month's waits.
    fn issued(&mut self, t: f64, claim: &Claim) {
        self.transferee_backlog -= usize::from(claim.transferee);
        self.waits.decided += 1;
        self.waits.queue_wait_days += claim.started - claim.filed;
        self.waits.wait_days += t - claim.filed;
    }

    /// Withdraws claim `r` at time `t` if it is still waiting for an adjudicator.
    pub fn abandon(&mut self, t: f64, r: SlotRef) -> Option<Claim> {
        if !self.claims.get(r)?.started.is_nan() {
            return None;
        }
        self.advance(t);
        let claim = self.claims.remove(r)?;
        self.waiting -= 1;
        self.transferee_backlog -= usize::from(claim.transferee);
        // Its queue entry is now stale and is skipped by `start_next`; drop stale entries at the front now.
        while self.queue.front().is_some_and(|q| self.claims.get(*q).is_none()) {
            self.queue.pop_front();
        }
        Some(claim)
    }

    /// Time-averages of the backlog and of the queue over `[begin, end)`, then restarts them.
    pub fn take_time_means(&mut self, begin: f64, end: f64) -> (f64, f64) {
        self.advance(end);
        let span = end - begin;
        let means = if span > 0.0 { (self.backlog_area / span, self.queue_area / span) } else { (f64::NAN, f64::NAN) };
        self.backlog_area = 0.0;
        self.queue_area = 0.0;
        means
    }

    /// Empties the system for a new replication, keeping capacity.
    pub fn clear(&mut self) {
        let (claims, queue) = (std::mem::take(&mut self.claims), std::mem::take(&mut self.queue));
        let awaiting = std::mem::take(&mut self.awaiting);
        *self = ClaimQueue { claims, queue, awaiting, ..ClaimQueue::default() };
        self.claims.clear();
        self.queue.clear();
        self.awaiting.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(t: f64) -> Claim {
        Claim { key: 0, filed: t, started: f64::NAN, transferee: true, stream: 0, people: 1 }
    }

    #[test]
    fn claims_wait_for_free_adjudicators_in_filing_order() {
        let mut s = ClaimQueue { adjudicators: 1, ..ClaimQueue::default() };
        let Filed::Started(a) = s.file(0.0, claim(0.0)) else { panic!("should start") };
        let Filed::Waiting(b) = s.file(1.0, claim(1.0)) else { panic!("should wait") };
        let Filed::Waiting(c) = s.file(2.0, claim(2.0)) else { panic!("should wait") };
        assert_eq!(s.backlog(), 3);
        assert!(s.abandon(3.0, a).is_none(), "a claim in adjudication cannot be abandoned");
        assert!(s.abandon(3.0, b).is_some());
        assert!(s.decide(4.0, a).is_some());
        let (next, started) = s.start_next(4.0).unwrap();
        assert_eq!(next, c);
        assert_eq!(started.started, 4.0);
        assert_eq!(s.backlog(), 1);
        assert_eq!(s.waits.decided, 1);
        assert_eq!(s.waits.wait_days, 4.0);
    }

    #[test]
    fn decisions_awaiting_a_session_free_the_adjudicator_and_stay_in_the_backlog() {
        let mut s = ClaimQueue { adjudicators: 1, ..ClaimQueue::default() };
        let Filed::Started(a) = s.file(0.0, claim(0.0)) else { panic!("should start") };
        let Filed::Waiting(_) = s.file(1.0, claim(1.0)) else { panic!("should wait") };
        s.decide_unissued(a);
        assert_eq!((s.backlog(), s.in_adjudication(), s.awaiting_issue()), (2, 0, 1));
        assert!(s.abandon(2.0, a).is_none(), "a decided claim cannot be abandoned");
        let (b, _) = s.start_next(2.0).expect("the adjudicator is free");
        s.halted = true;
        s.decide_unissued(b);
        assert!(matches!(s.file(3.0, claim(3.0)), Filed::Waiting(_)), "halted: a new claim waits");
        assert!(s.start_next(3.0).is_none(), "halted: no start");
        let mut issued = Vec::new();
        s.issue_awaiting(10.0, &mut issued);
        assert_eq!(issued.len(), 2);
        assert_eq!((s.backlog(), s.awaiting_issue(), s.transferee_backlog()), (1, 0, 1));
        assert_eq!(s.waits.decided, 2);
        assert_eq!(s.waits.wait_days, 10.0 + 9.0, "waits run to the issue");
        assert_eq!(s.waits.queue_wait_days, 1.0);
    }

    #[test]
    fn time_means_weight_counts_by_duration() {
        let mut s = ClaimQueue { adjudicators: 0, ..ClaimQueue::default() };
        s.file(5.0, claim(5.0));
        let (backlog, queue) = s.take_time_means(0.0, 10.0);
        assert_eq!(backlog, 0.5);
        assert_eq!(queue, 0.5);
        let (backlog, _) = s.take_time_means(10.0, 20.0);
        assert_eq!(backlog, 1.0);
    }
}
