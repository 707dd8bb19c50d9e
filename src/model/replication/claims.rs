//! Claims: a transferee handed over to the receiving country files within the window or not; claims (transferees'
//! and the country's other applicants') wait for an adjudicator, are decided, and the decisions are issued at
//! once, at the next session, or when a halt ends; a claim whose patience runs out is abandoned.
//!
//! A transferee denied, or who abandons or never files, leaves this stage for `onward`.

use crate::engine::Scheduler;
use crate::rng::{self, CaseDraws, Purpose};

use super::Replication;
use super::chain::Chain;
use super::onward::{Leaving, WindowClose};
use crate::model::claim_queue::{Claim, Filed};
use crate::model::event::Event;
use crate::model::metrics::ReceivingMetric;
use crate::model::slab::SlotRef;
use crate::model::transfer_queue::WaitingCase;
use crate::model::{Destination, MonthlyCount};
use crate::rng::ProcessStream;

impl Replication<'_> {
    /// A transferee reaches the receiving country of agreement `a` and its filing window opens: by the case's own
    /// draws it files (at a uniform time within the window) or lets the window close.
    #[inline(always)]
    pub(super) fn hand_over(&mut self, a: usize, case: WaitingCase, s: &mut Scheduler<Event>) {
        let t = s.now();
        self.claim_queues[a].filing_window += 1;
        let rules = &self.model.asylum[a];
        let draws = CaseDraws::from_key(case.key);
        let factor = self.filing_factor(a, case.key);
        let files = draws.chance(Purpose::Filing, a as u64, rules.filing_probability.at(t) * factor);
        let (stream, people) = (case.stream, case.people as u16);
        if let Some(late) = rules.late_filing.as_ref().filter(|_| !files)
            && draws.chance(Purpose::LateFiling, a as u64, late.probability * factor)
        {
            // Stays past the window and files later: in the window's stock until it closes, then the late
            // filers' (settled lazily, see `settle_late_windows`), until the late claim.
            let window_closes = t + rules.filing_window_days;
            self.late_windows[a].push_back(window_closes);
            let filed = window_closes + late.delay.sample(&mut draws.generator(Purpose::LateFilingDelay, a as u64));
            if filed < self.model.calendar.end() {
                s.schedule(filed, Event::LateClaim { agreement: a as u16, stream, people, key: case.key });
            }
            return;
        }
        let delay = if files && rules.filing_window_days > 0.0 {
            rules.filing_window_days * draws.uniform(Purpose::FilingDelay, a as u64)
        } else {
            rules.filing_window_days
        };
        if delay > 0.0 {
            if !files {
                let destination = self.destination(a, Leaving::NotFiled, case.key);
                if destination != Destination::Back {
                    let concern = self.has_protection_concern(a, case.key);
                    self.window_closes[a].push_back(WindowClose { due: t + delay, destination, people, concern });
                    return;
                }
            }
            s.schedule(t + delay, Event::FilingOutcome { agreement: a as u16, files, stream, people, key: case.key });
        } else {
            // A zero-length window: the outcome is now; an event would only add a trip through the heap.
            self.filing_outcome(a, files, (stream, people), case.key, s);
        }
    }

    /// Draws the other applicants' claims of month `month` for each receiving country, filed in time order from
    /// the first.
    pub(super) fn draw_other_claims(&mut self, month: usize, s: &mut Scheduler<Event>) {
        let model = self.model;
        let (seed, replication) = (self.seed, self.replication);
        for a in 0..model.asylum.len() {
            let mut rng =
                rng::process_stream(seed, replication, ProcessStream::OtherClaims, rng::monthly_stream(a, month));
            let count = MonthlyCount::Poisson.sample(model.asylum[a].other_claims[month].expected(), &mut rng);
            self.other_rngs[a] = rng;
            let identities = rng::other_claims_of_month(a as u64, month as u64);
            self.other_chains[a] = Chain { count, quantile: 0.0, identities, screened: 0 };
            self.next_other_claim(a, month, 0, s);
        }
    }

    /// The number of adjudicators changes; new ones take waiting claims at once.
    pub(super) fn adjudicators_change(&mut self, a: usize, s: &mut Scheduler<Event>) {
        self.claim_queues[a].adjudicators = self.model.asylum[a].adjudicators.at(s.now()) as usize;
        self.start_waiting_claims(a, s);
    }

    pub(super) fn next_other_claim(&mut self, agreement: usize, month: usize, ordinal: u64, s: &mut Scheduler<Event>) {
        let chain = &mut self.other_chains[agreement];
        if ordinal < chain.count {
            let q = chain.advance(chain.count - ordinal, &mut self.other_rngs[agreement]);
            let t = self.model.asylum[agreement].other_claims[month].time_at(q);
            let event = Event::OtherClaim { agreement: agreement as u16, month: month as u16, ordinal: ordinal as u32 };
            s.schedule(t.max(s.now()), event);
        }
    }

    #[inline(always)]
    pub(super) fn filing_outcome(
        &mut self,
        a: usize,
        files: bool,
        origin: (u16, u16),
        key: u64,
        s: &mut Scheduler<Event>,
    ) {
        self.claim_queues[a].filing_window -= 1;
        if files {
            self.add_at(a, ReceivingMetric::TransfereeClaimsFiledCases, 1.0);
            self.add_at(a, ReceivingMetric::ClaimsFiledCases, 1.0);
            self.file_claim(a, key, Some(origin), s);
        } else {
            self.add_at(a, ReceivingMetric::NotFiledCases, 1.0);
            self.leave(a, Leaving::NotFiled, origin, key, s);
        }
    }

    /// Whether the transferee whose draw key is `key` has a protection concern: a function of the case's own draw.
    #[inline(always)]
    pub(super) fn has_protection_concern(&self, a: usize, key: u64) -> bool {
        let share = self.model.asylum[a].protection_concern_share;
        share > 0.0 && CaseDraws::from_key(key).chance(Purpose::ProtectionConcern, a as u64, share)
    }

    /// What multiplies the transferee's filing probabilities: 1 with a protection concern (or when concerns are not
    /// modelled), the scenario's factor without one.
    #[inline(always)]
    fn filing_factor(&self, a: usize, key: u64) -> f64 {
        let rules = &self.model.asylum[a];
        if rules.filing_factor_without_concern == 1.0 || self.has_protection_concern(a, key) {
            1.0
        } else {
            rules.filing_factor_without_concern
        }
    }

    /// Filing windows of late filers of agreement `a` that closed at or before `t` (before `t` if not `inclusive`)
    /// pass them from the window's stock to the late filers'. Called as a month closes (windows closing at the
    /// instant the next month begins count in it, like the non-filers', `close_windows`) and before a late claim.
    pub(super) fn settle_late_windows(&mut self, a: usize, t: f64, inclusive: bool) {
        while let Some(&due) = self.late_windows[a].front() {
            if due > t || (due == t && !inclusive) {
                break;
            }
            self.late_windows[a].pop_front();
            self.claim_queues[a].filing_window -= 1;
            self.claim_queues[a].awaiting_late_filing += 1;
        }
    }

    /// A transferee who stayed past the filing window files a late claim.
    pub(super) fn late_claim(&mut self, a: usize, origin: (u16, u16), key: u64, s: &mut Scheduler<Event>) {
        self.settle_late_windows(a, s.now(), true);
        self.claim_queues[a].awaiting_late_filing -= 1;
        self.add_at(a, ReceivingMetric::TransfereeClaimsFiledCases, 1.0);
        self.add_at(a, ReceivingMetric::ClaimsFiledCases, 1.0);
        self.add_at(a, ReceivingMetric::LateClaimsFiledCases, 1.0);
        self.file_claim(a, key, Some(origin), s);
    }

    pub(super) fn other_claim(&mut self, a: usize, month: usize, ordinal: u64, s: &mut Scheduler<Event>) {
        let key = CaseDraws::new(self.key, rng::chain(self.other_chains[a].identities, ordinal)).key();
        self.add_at(a, ReceivingMetric::OtherClaimsFiledCases, 1.0);
        self.add_at(a, ReceivingMetric::ClaimsFiledCases, 1.0);
        self.file_claim(a, key, None, s);
        self.next_other_claim(a, month, ordinal + 1, s);
    }

    /// Files a claim; `transferee` gives the stream and people of a transferred case, `None` for the country's
    /// other applicants.
    #[inline(always)]
    pub(super) fn file_claim(&mut self, a: usize, key: u64, transferee: Option<(u16, u16)>, s: &mut Scheduler<Event>) {
        let t = s.now();
        let (stream, people) = transferee.unwrap_or((u16::MAX, 1));
        let transferee = transferee.is_some();
        let claim = Claim { key, filed: t, started: f64::NAN, transferee, stream, people };
        match self.claim_queues[a].file(t, claim) {
            Filed::Started(r) => self.schedule_decision(a, r, key, s),
            Filed::Waiting(r) => {
                let rules = &self.model.asylum[a];
                let patience = if transferee { rules.patience.as_ref() } else { rules.other_patience.as_ref() };
                if let Some(patience) = patience {
                    let d = patience.sample(&mut CaseDraws::from_key(key).generator(Purpose::Patience, a as u64));
                    s.schedule(t + d, Event::Abandon { agreement: a as u16, claim: r });
                }
            }
        }
        self.start_waiting_claims(a, s);
    }

    #[inline(always)]
    pub(super) fn schedule_decision(&mut self, a: usize, claim: SlotRef, key: u64, s: &mut Scheduler<Event>) {
        let mut generator = CaseDraws::from_key(key).generator(Purpose::Service, a as u64);
        let d = self.model.asylum[a].service_time.sample(&mut generator);
        s.schedule_in(d, Event::Decision { agreement: a as u16, claim });
    }

    #[inline(always)]
    pub(super) fn start_waiting_claims(&mut self, a: usize, s: &mut Scheduler<Event>) {
        while let Some((r, claim)) = self.claim_queues[a].start_next(s.now()) {
            self.schedule_decision(a, r, claim.key, s);
        }
    }

    /// An adjudicator finishes claim `r`: the decision is issued at once, or awaits the next session (or the end
    /// of a halt). Either way the adjudicator takes the next waiting claim.
    #[inline(always)]
    pub(super) fn decision(&mut self, a: usize, r: SlotRef, s: &mut Scheduler<Event>) {
        let t = s.now();
        if self.model.asylum[a].decisions.issues_at_once(self.claim_queues[a].halted) {
            if let Some(claim) = self.claim_queues[a].decide(t, r) {
                self.record_issued(a, &claim, s);
            }
        } else {
            self.claim_queues[a].decide_unissued(r);
        }
        self.start_waiting_claims(a, s);
    }

    /// Counts a decision issued at `t`: a grant or a denial by the case's own draw, at the grant probability then.
    #[inline(always)]
    pub(super) fn record_issued(&mut self, a: usize, claim: &Claim, s: &mut Scheduler<Event>) {
        let t = s.now();
        let grant_probability = self.model.asylum[a].grant_probability.at(t);
        let grant = CaseDraws::from_key(claim.key).chance(Purpose::Grant, a as u64, grant_probability);
        self.add_at(a, ReceivingMetric::DecisionsCases, 1.0);
        self.add_at(a, if grant { ReceivingMetric::GrantsCases } else { ReceivingMetric::DenialsCases }, 1.0);
        if claim.transferee {
            self.add_at(a, ReceivingMetric::TransfereeDecisionsCases, 1.0);
            if grant {
                self.add_at(a, ReceivingMetric::TransfereeGrantsCases, 1.0);
            } else {
                self.leave(a, Leaving::Denied, (claim.stream, claim.people), claim.key, s);
            }
        }
    }

    /// Issues every decision awaiting a session.
    pub(super) fn issue_awaiting(&mut self, a: usize, s: &mut Scheduler<Event>) {
        let mut issued = std::mem::take(&mut self.issued);
        self.claim_queues[a].issue_awaiting(s.now(), &mut issued);
        for claim in issued.drain(..) {
            self.record_issued(a, &claim, s);
        }
        self.issued = issued;
    }

    /// A session of the deciding body: unless decisions are halted, it issues the decisions made since the last
    /// one. The next session is scheduled now, so that one session at most waits in the heap per system.
    pub(super) fn session(&mut self, a: usize, ordinal: usize, s: &mut Scheduler<Event>) {
        let (t, model) = (s.now(), self.model);
        let sessions = model.asylum[a].decisions.sessions.as_ref().expect("sessions are scheduled only if set");
        if let Some(next) = sessions.next(ordinal, t, model.calendar.end(), &mut self.session_rngs[a]) {
            s.schedule(next, Event::Session { agreement: a as u16, ordinal: ordinal as u32 + 1 });
        }
        if !self.claim_queues[a].halted {
            self.add_at(a, ReceivingMetric::SessionsCount, 1.0);
            self.issue_awaiting(a, s);
        }
    }

    /// A halt begins (adjudication stops starting) or ends (adjudication resumes; without sessions, the decisions
    /// made meanwhile are issued now).
    pub(super) fn decision_halt_change(&mut self, a: usize, s: &mut Scheduler<Event>) {
        let (t, model) = (s.now(), self.model);
        let rules = &model.asylum[a];
        let halted = rules.decisions.halted_at(t);
        if halted == self.claim_queues[a].halted {
            return;
        }
        self.claim_queues[a].halted = halted;
        if !halted {
            if rules.decisions.sessions.is_none() {
                self.issue_awaiting(a, s);
            }
            self.start_waiting_claims(a, s);
        }
    }

    pub(super) fn abandon(&mut self, a: usize, r: SlotRef, s: &mut Scheduler<Event>) {
        if let Some(claim) = self.claim_queues[a].abandon(s.now(), r) {
            self.add_at(a, ReceivingMetric::AbandonedCases, 1.0);
            if claim.transferee {
                self.add_at(a, ReceivingMetric::TransfereeAbandonedCases, 1.0);
                self.leave(a, Leaving::Abandoned, (claim.stream, claim.people), claim.key, s);
            }
        }
    }
}
