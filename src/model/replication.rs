//! One replication: the model's events handled in time order, with every flow and stock recorded by month.

use rand::RngExt as _;
use rand::rngs::ChaCha8Rng;
use rand_distr::Exp1;

use crate::engine::{self, Process, Scheduler};
use crate::rng::{self, CaseDraws, ProcessStream, Purpose};

use super::Model;
use super::asylum_system::{AsylumSystem, Claim, Filed};
use super::event::Event;
use super::metrics::{IneligibleReason, ReceivingMetric as R, SendingMetric as S};
use super::slab::SlotRef;
use super::transfer_queue::{TransferQueue, WaitingCase};

/// What one replication produced.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicationOutput {
    /// Metric values in the model's [`super::MetricLayout`].
    pub values: Vec<f64>,
    /// Events handled.
    pub events: u64,
}

/// Position in a month's sequence of arrivals: arrivals are drawn one at a time in time order, as successive
/// order statistics of the month's uniform arrival quantiles, so only one event per stream waits in the heap.
#[derive(Debug, Clone, Copy, Default)]
struct Chain {
    count: u64,
    quantile: f64,
    /// Identity shared by the month's cases of this stream (see [`rng::arrivals_of_month`]).
    identities: u64,
}

impl Chain {
    /// Quantile of the next arrival: the minimum of the `remaining` uniforms above the current one, which is
    /// `1 − U^(1/remaining)` of the way to 1, i.e. `1 − exp(−E/remaining)` with E a standard exponential.
    #[inline]
    fn advance(&mut self, remaining: u64, rng: &mut ChaCha8Rng) -> f64 {
        let e: f64 = rng.sample(Exp1);
        self.quantile += (1.0 - self.quantile) * -(-e / remaining as f64).exp_m1();
        self.quantile
    }
}

/// The state of a replication, reusable from one replication to the next (buffers keep their capacity).
pub struct Replication<'m> {
    model: &'m Model,
    seed: u64,
    replication: u64,
    key: u64,
    month: usize,
    scheduler: Scheduler<Event>,
    arrival_rngs: Vec<ChaCha8Rng>,
    arrival_chains: Vec<Chain>,
    other_rngs: Vec<ChaCha8Rng>,
    other_chains: Vec<Chain>,
    session_rngs: Vec<ChaCha8Rng>,
    queues: Vec<TransferQueue>,
    systems: Vec<AsylumSystem>,
    boarded: Vec<WaitingCase>,
    issued: Vec<Claim>,
    values: Vec<f64>,
}

impl<'m> Replication<'m> {
    /// Prepares to run replications of `model`.
    pub fn new(model: &'m Model) -> Replication<'m> {
        let agreements = model.agreements.len();
        Replication {
            model,
            seed: 0,
            replication: 0,
            key: 0,
            month: 0,
            scheduler: Scheduler::new(),
            arrival_rngs: (0..model.streams.len())
                .map(|_| rng::process_stream(0, 0, ProcessStream::Arrivals, 0))
                .collect(),
            arrival_chains: vec![Chain::default(); model.streams.len()],
            other_rngs: (0..agreements).map(|_| rng::process_stream(0, 0, ProcessStream::OtherClaims, 0)).collect(),
            other_chains: vec![Chain::default(); agreements],
            session_rngs: (0..agreements).map(|_| rng::process_stream(0, 0, ProcessStream::Sessions, 0)).collect(),
            queues: (0..agreements).map(|_| TransferQueue::default()).collect(),
            systems: (0..agreements).map(|_| AsylumSystem::default()).collect(),
            boarded: Vec::new(),
            issued: Vec::new(),
            values: Vec::new(),
        }
    }

    /// Runs replication `replication` of a run seeded with `seed`. The result depends on nothing else.
    pub fn run(&mut self, seed: u64, replication: u64) -> ReplicationOutput {
        let model = self.model;
        self.seed = seed;
        self.replication = replication;
        self.key = rng::replication_key(seed, replication);
        self.month = 0;
        self.queues.iter_mut().for_each(TransferQueue::clear);
        self.systems.iter_mut().for_each(AsylumSystem::clear);
        self.values.clear();
        self.values.resize(model.layout.len(), 0.0);

        let mut s = std::mem::take(&mut self.scheduler);
        s.clear();
        // Month starts first, so that at equal times they precede everything scheduled later.
        for m in 0..model.calendar.months() {
            s.schedule(model.calendar.month_span(m).0, Event::MonthStart { month: m as u16 });
        }
        for (a, rules) in model.asylum.iter().enumerate() {
            let agreement = a as u16;
            // Halts first, so that on the day a halt begins neither a new adjudicator nor a session acts.
            self.systems[a].halted = rules.decisions.halted_at(0.0);
            for t in rules.decisions.halt_changes() {
                s.schedule(t, Event::DecisionHaltChange { agreement });
            }
            self.systems[a].adjudicators = rules.adjudicators.at(0.0) as usize;
            for &t in rules.adjudicators.change_times() {
                s.schedule(t, Event::AdjudicatorsChange { agreement });
            }
            if let Some(sessions) = &rules.decisions.sessions {
                let rng = &mut self.session_rngs[a];
                *rng = rng::process_stream(seed, replication, ProcessStream::Sessions, a as u32);
                if let Some(t) = sessions.first(model.calendar.end(), rng) {
                    s.schedule(t, Event::Session { agreement, ordinal: 0 });
                }
            }
            // Daily transfer operations, unless seats are unlimited throughout (cases then leave as they arrive).
            if model.agreements[a].seats_per_day.min().is_finite() {
                s.schedule(0.5, Event::Departure { agreement });
            }
            for ordinal in 0..rules.initial_backlog {
                let key = CaseDraws::new(self.key, rng::initial_claim_identity(a as u64, ordinal)).key();
                self.file_claim(a, key, false, &mut s);
            }
        }
        let events = engine::run(self, &mut s, model.calendar.end());
        self.close_month(model.calendar.months() - 1, model.calendar.end());
        self.scheduler = s;
        model.layout.accumulate(&mut self.values);
        ReplicationOutput { values: self.values.clone(), events }
    }

    #[inline]
    fn add(&mut self, metric: S, value: f64) {
        let i = self.model.layout.sending(self.month, metric);
        self.values[i] += value;
    }

    #[inline]
    fn add_at(&mut self, agreement: usize, metric: R, value: f64) {
        let i = self.model.layout.receiving_at(self.month, agreement, metric);
        self.values[i] += value;
    }

    #[inline]
    fn set_at(&mut self, month: usize, agreement: usize, metric: R, value: f64) {
        let i = self.model.layout.receiving_at(month, agreement, metric);
        self.values[i] = value;
    }

    /// Records month-end stocks and the month's means.
    fn close_month(&mut self, month: usize, end: f64) {
        let layout = &self.model.layout;
        let begin = self.model.calendar.month_span(month).0;
        let cases: usize = self.queues.iter().map(TransferQueue::len).sum();
        let people: u64 = self.queues.iter().map(TransferQueue::people).sum();
        self.values[layout.sending(month, S::WaitingTransferCases)] = cases as f64;
        self.values[layout.sending(month, S::WaitingTransferPeople)] = people as f64;
        for a in 0..self.systems.len() {
            let (backlog_mean, queue_mean) = self.systems[a].take_time_means(begin, end);
            let waits = std::mem::take(&mut self.systems[a].waits);
            let system = &self.systems[a];
            let rules = &self.model.asylum[a];
            let month_end = self.model.calendar.month_span(month).1;
            let stocks = [
                (R::WaitingTransferCases, self.queues[a].len() as f64),
                (R::WaitingTransferPeople, self.queues[a].people() as f64),
                (R::FilingWindowCases, system.filing_window as f64),
                (R::BacklogCases, system.backlog() as f64),
                (R::InAdjudicationCases, system.in_adjudication() as f64),
                (R::AwaitingSessionCases, system.awaiting_issue() as f64),
                (R::TransfereeBacklogCases, system.transferee_backlog() as f64),
                (R::AdjudicatorsCount, system.adjudicators as f64),
                (R::TraineeAdjudicatorsCount, rules.staffing.trainees.before(month_end)),
                (R::HiredAdjudicatorsCount, rules.staffing.hired.before(month_end)),
                (R::BacklogTimeMeanCases, backlog_mean),
                (R::AdjudicationQueueTimeMeanCases, queue_mean),
            ];
            for (metric, value) in stocks {
                self.set_at(month, a, metric, value);
            }
            let decided = waits.decided as f64;
            let mean = |sum: f64| if waits.decided > 0 { sum / decided } else { f64::NAN };
            self.set_at(month, a, R::QueueWaitDaysMean, mean(waits.queue_wait_days));
            self.set_at(month, a, R::WaitDaysMean, mean(waits.wait_days));
            let (seated, waited) = std::mem::take(&mut self.queues[a].seated);
            self.set_at(month, a, R::SeatWaitDaysMean, if seated > 0 { waited / seated as f64 } else { f64::NAN });
        }
    }

    fn month_start(&mut self, month: usize, s: &mut Scheduler<Event>) {
        if month > 0 {
            self.close_month(month - 1, s.now());
        }
        self.month = month;
        let begin = self.model.calendar.month_span(month).0;
        for queue in &mut self.queues {
            queue.seats_used = 0.0;
            queue.budget_from = begin;
        }
        let model = self.model;
        let (seed, replication) = (self.seed, self.replication);
        for (i, stream) in model.streams.iter().enumerate() {
            let mut rng =
                rng::process_stream(seed, replication, ProcessStream::Arrivals, rng::monthly_stream(i, month));
            let count = stream.count.sample(stream.months[month].expected(), &mut rng);
            match stream.settled[month] {
                Some(reason) => self.settle_ineligible(i, month, count, reason),
                None => {
                    self.arrival_rngs[i] = rng;
                    let identities = rng::arrivals_of_month(i as u64, month as u64);
                    self.arrival_chains[i] = Chain { count, quantile: 0.0, identities };
                    self.next_arrival(i, month, 0, s);
                }
            }
        }
        for a in 0..model.asylum.len() {
            let mut rng =
                rng::process_stream(seed, replication, ProcessStream::OtherClaims, rng::monthly_stream(a, month));
            let count = super::MonthlyCount::Poisson.sample(model.asylum[a].other_claims[month].expected(), &mut rng);
            self.other_rngs[a] = rng;
            let identities = rng::other_claims_of_month(a as u64, month as u64);
            self.other_chains[a] = Chain { count, quantile: 0.0, identities };
            self.next_other_claim(a, month, 0, s);
        }
    }

    /// Records a month of arrivals that are all ineligible for a reason known without drawing, with the same
    /// counts (family sizes included) as handling them one by one.
    fn settle_ineligible(&mut self, stream_index: usize, month: usize, count: u64, reason: IneligibleReason) {
        let stream = &self.model.streams[stream_index];
        let people = if stream.family_sizes.is_some() {
            let identities = rng::arrivals_of_month(stream_index as u64, month as u64);
            (0..count)
                .map(|k| {
                    let draws = CaseDraws::new(self.key, rng::chain(identities, k));
                    u64::from(stream.people(draws))
                })
                .sum::<u64>() as f64
        } else {
            count as f64
        };
        let cases = count as f64;
        self.add(S::ArrivalsCases, cases);
        self.add(S::ArrivalsPeople, people);
        self.add(S::IneligibleCases, cases);
        self.add(S::IneligiblePeople, people);
        self.add(reason.metric(), cases);
        self.add(S::ToSendingProcessCases, cases);
        self.add(S::ToSendingProcessPeople, people);
    }

    fn next_arrival(&mut self, stream: usize, month: usize, ordinal: u64, s: &mut Scheduler<Event>) {
        let chain = &mut self.arrival_chains[stream];
        if ordinal < chain.count {
            let q = chain.advance(chain.count - ordinal, &mut self.arrival_rngs[stream]);
            let t = self.model.streams[stream].months[month].time_at(q);
            let event = Event::Arrival { stream: stream as u16, month: month as u16, ordinal: ordinal as u32 };
            s.schedule(t.max(s.now()), event);
        }
    }

    fn next_other_claim(&mut self, agreement: usize, month: usize, ordinal: u64, s: &mut Scheduler<Event>) {
        let chain = &mut self.other_chains[agreement];
        if ordinal < chain.count {
            let q = chain.advance(chain.count - ordinal, &mut self.other_rngs[agreement]);
            let t = self.model.asylum[agreement].other_claims[month].time_at(q);
            let event = Event::OtherClaim { agreement: agreement as u16, month: month as u16, ordinal: ordinal as u32 };
            s.schedule(t.max(s.now()), event);
        }
    }

    fn arrival(&mut self, stream_index: usize, month: usize, ordinal: u64, s: &mut Scheduler<Event>) {
        let model = self.model;
        let t = s.now();
        let stream = &model.streams[stream_index];
        let draws = CaseDraws::new(self.key, rng::chain(self.arrival_chains[stream_index].identities, ordinal));
        let people = stream.people(draws);
        self.add(S::ArrivalsPeople, f64::from(people));
        self.add(S::ArrivalsCases, 1.0);

        let mut reason = None;
        let mut chosen = None;
        for (a, agreement) in model.agreements.iter().enumerate() {
            match agreement.check(a, t, stream.nationality, stream.household, draws) {
                Ok(()) => {
                    chosen = Some(a);
                    break;
                }
                Err(IneligibleReason::Nationality) => {}
                Err(r) => {
                    reason.get_or_insert(r);
                }
            }
        }
        match chosen {
            Some(a) => {
                self.add(S::EligibleCases, 1.0);
                self.add_at(a, R::EligibleCases, 1.0);
                let case = WaitingCase { key: draws.key(), people, since: t };
                if model.agreements[a].unlimited_seats_at(t) {
                    self.transfer(a, case, s);
                } else {
                    if self.queues[a].is_empty() {
                        self.schedule_holding_limit(a, t, s);
                    }
                    self.queues[a].push(case);
                }
            }
            None => {
                let reason = reason.unwrap_or(IneligibleReason::Nationality);
                self.add(S::IneligibleCases, 1.0);
                self.add(S::IneligiblePeople, f64::from(people));
                self.add(reason.metric(), 1.0);
                self.add(S::ToSendingProcessCases, 1.0);
                self.add(S::ToSendingProcessPeople, f64::from(people));
            }
        }
        self.next_arrival(stream_index, month, ordinal + 1, s);
    }

    fn departure(&mut self, a: usize, s: &mut Scheduler<Event>) {
        let model = self.model;
        let t = s.now();
        if t + 1.0 < model.calendar.end() {
            s.schedule(t + 1.0, Event::Departure { agreement: a as u16 });
        }
        let agreement = &model.agreements[a];
        let rate = agreement.seats_per_day.at(t);
        if self.queues[a].is_empty() || rate == 0.0 {
            return;
        }
        let seats = if rate.is_infinite() {
            u64::MAX
        } else {
            // The month's budget accrues day by day, through the end of today; seats unused earlier in the month
            // remain until month end. A stretch of unlimited seats earlier in the month starts a new budget.
            let (begin, end) = model.calendar.month_span(self.month);
            let (from, to) = agreement.seats_per_day.finite_stretch(begin, t, (t.floor() + 1.0).min(end));
            let queue = &mut self.queues[a];
            if from != queue.budget_from {
                queue.budget_from = from;
                queue.seats_used = 0.0;
            }
            let accrued = agreement.seats_per_day.integral(from, to);
            ((accrued + 1e-9).floor() - queue.seats_used).max(0.0) as u64
        };
        let mut boarded = std::mem::take(&mut self.boarded);
        self.queues[a].board(seats, agreement.discipline, &mut boarded);
        for case in boarded.drain(..) {
            self.transfer(a, case, s);
        }
        self.boarded = boarded;
    }

    /// Schedules the holding-limit check for a case that joined at `since`, the oldest in its queue.
    fn schedule_holding_limit(&mut self, a: usize, since: f64, s: &mut Scheduler<Event>) {
        let limit = self.model.agreements[a].max_wait_days;
        if limit.is_finite() {
            s.schedule(since + limit, Event::HoldingLimit { agreement: a as u16 });
        }
    }

    /// Releases every case that has reached the holding limit, then waits for the next oldest.
    ///
    /// At most one check per queue is pending at a time: it is due when the oldest case reaches the limit, and
    /// when it finds that case already gone (transferred) it simply re-arms for the new oldest.
    fn holding_limit(&mut self, a: usize, s: &mut Scheduler<Event>) {
        let limit = self.model.agreements[a].max_wait_days;
        while let Some(case) = self.queues[a].release_oldest(s.now(), limit) {
            let people = f64::from(case.people);
            self.add(S::ReleasedCases, 1.0);
            self.add(S::ReleasedPeople, people);
            self.add(S::ToSendingProcessCases, 1.0);
            self.add(S::ToSendingProcessPeople, people);
            self.add_at(a, R::ReleasedCases, 1.0);
            self.add_at(a, R::ReleasedPeople, people);
        }
        if let Some(oldest) = self.queues[a].oldest() {
            self.schedule_holding_limit(a, oldest.since, s);
        }
    }

    fn transfer(&mut self, a: usize, case: WaitingCase, s: &mut Scheduler<Event>) {
        let t = s.now();
        let people = f64::from(case.people);
        self.add(S::TransferredCases, 1.0);
        self.add(S::TransferredPeople, people);
        self.add_at(a, R::TransferredCases, 1.0);
        self.add_at(a, R::TransferredPeople, people);
        let seated = &mut self.queues[a].seated;
        seated.0 += 1;
        seated.1 += t - case.since;
        self.systems[a].filing_window += 1;
        let rules = &self.model.asylum[a];
        let draws = CaseDraws::from_key(case.key);
        let files = draws.chance(Purpose::Filing, a as u64, rules.filing_probability.at(t));
        let delay = if files {
            rules.filing_window_days * draws.uniform(Purpose::FilingDelay, a as u64)
        } else {
            rules.filing_window_days
        };
        if delay > 0.0 {
            s.schedule(t + delay, Event::FilingOutcome { agreement: a as u16, files, key: case.key });
        } else {
            // A zero-length window: the outcome is now; an event would only add a trip through the heap.
            self.filing_outcome(a, files, case.key, s);
        }
    }

    fn filing_outcome(&mut self, a: usize, files: bool, key: u64, s: &mut Scheduler<Event>) {
        self.systems[a].filing_window -= 1;
        if files {
            self.add_at(a, R::TransfereeClaimsFiledCases, 1.0);
            self.add_at(a, R::ClaimsFiledCases, 1.0);
            self.file_claim(a, key, true, s);
        } else {
            self.add_at(a, R::NotFiledCases, 1.0);
        }
    }

    fn other_claim(&mut self, a: usize, month: usize, ordinal: u64, s: &mut Scheduler<Event>) {
        let key = CaseDraws::new(self.key, rng::chain(self.other_chains[a].identities, ordinal)).key();
        self.add_at(a, R::OtherClaimsFiledCases, 1.0);
        self.add_at(a, R::ClaimsFiledCases, 1.0);
        self.file_claim(a, key, false, s);
        self.next_other_claim(a, month, ordinal + 1, s);
    }

    fn file_claim(&mut self, a: usize, key: u64, transferee: bool, s: &mut Scheduler<Event>) {
        let t = s.now();
        let claim = Claim { key, filed: t, started: f64::NAN, transferee };
        match self.systems[a].file(t, claim) {
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

    fn schedule_decision(&mut self, a: usize, claim: SlotRef, key: u64, s: &mut Scheduler<Event>) {
        let mut generator = CaseDraws::from_key(key).generator(Purpose::Service, a as u64);
        let d = self.model.asylum[a].service_time.sample(&mut generator);
        s.schedule_in(d, Event::Decision { agreement: a as u16, claim });
    }

    fn start_waiting_claims(&mut self, a: usize, s: &mut Scheduler<Event>) {
        while let Some((r, claim)) = self.systems[a].start_next(s.now()) {
            self.schedule_decision(a, r, claim.key, s);
        }
    }

    /// An adjudicator finishes claim `r`: the decision is issued at once, or awaits the next session (or the end
    /// of a halt). Either way the adjudicator takes the next waiting claim.
    fn decision(&mut self, a: usize, r: SlotRef, s: &mut Scheduler<Event>) {
        let t = s.now();
        if self.model.asylum[a].decisions.issues_at_once(self.systems[a].halted) {
            if let Some(claim) = self.systems[a].decide(t, r) {
                self.record_issued(a, &claim, t);
            }
        } else {
            self.systems[a].decide_unissued(r);
        }
        self.start_waiting_claims(a, s);
    }

    /// Counts a decision issued at `t`: a grant or a denial by the case's own draw, at the grant probability then.
    fn record_issued(&mut self, a: usize, claim: &Claim, t: f64) {
        let grant_probability = self.model.asylum[a].grant_probability.at(t);
        let grant = CaseDraws::from_key(claim.key).chance(Purpose::Grant, a as u64, grant_probability);
        self.add_at(a, R::DecisionsCases, 1.0);
        self.add_at(a, if grant { R::GrantsCases } else { R::DenialsCases }, 1.0);
        if claim.transferee {
            self.add_at(a, R::TransfereeDecisionsCases, 1.0);
            if grant {
                self.add_at(a, R::TransfereeGrantsCases, 1.0);
            }
        }
    }

    /// Issues every decision awaiting a session.
    fn issue_awaiting(&mut self, a: usize, t: f64) {
        let mut issued = std::mem::take(&mut self.issued);
        self.systems[a].issue_awaiting(t, &mut issued);
        for claim in issued.drain(..) {
            self.record_issued(a, &claim, t);
        }
        self.issued = issued;
    }

    /// A session of the deciding body: unless decisions are halted, it issues the decisions made since the last
    /// one. The next session is scheduled now, so that one session at most waits in the heap per system.
    fn session(&mut self, a: usize, ordinal: usize, s: &mut Scheduler<Event>) {
        let (t, model) = (s.now(), self.model);
        let sessions = model.asylum[a].decisions.sessions.as_ref().expect("sessions are scheduled only if set");
        if let Some(next) = sessions.next(ordinal, t, model.calendar.end(), &mut self.session_rngs[a]) {
            s.schedule(next, Event::Session { agreement: a as u16, ordinal: ordinal as u32 + 1 });
        }
        if !self.systems[a].halted {
            self.add_at(a, R::SessionsCount, 1.0);
            self.issue_awaiting(a, t);
        }
    }

    /// A halt begins (adjudication stops starting) or ends (adjudication resumes; without sessions, the decisions
    /// made meanwhile are issued now).
    fn decision_halt_change(&mut self, a: usize, s: &mut Scheduler<Event>) {
        let (t, model) = (s.now(), self.model);
        let rules = &model.asylum[a];
        let halted = rules.decisions.halted_at(t);
        if halted == self.systems[a].halted {
            return;
        }
        self.systems[a].halted = halted;
        if !halted {
            if rules.decisions.sessions.is_none() {
                self.issue_awaiting(a, t);
            }
            self.start_waiting_claims(a, s);
        }
    }

    fn abandon(&mut self, a: usize, r: SlotRef, s: &mut Scheduler<Event>) {
        if let Some(claim) = self.systems[a].abandon(s.now(), r) {
            self.add_at(a, R::AbandonedCases, 1.0);
            if claim.transferee {
                self.add_at(a, R::TransfereeAbandonedCases, 1.0);
            }
        }
    }
}

impl Process for Replication<'_> {
    type Event = Event;

    fn handle(&mut self, event: Event, s: &mut Scheduler<Event>) {
        match event {
            Event::MonthStart { month } => self.month_start(month.into(), s),
            Event::Arrival { stream, month, ordinal } => self.arrival(stream.into(), month.into(), ordinal.into(), s),
            Event::Departure { agreement } => self.departure(agreement.into(), s),
            Event::HoldingLimit { agreement } => self.holding_limit(agreement.into(), s),
            Event::FilingOutcome { agreement, files, key } => self.filing_outcome(agreement.into(), files, key, s),
            Event::Abandon { agreement, claim } => self.abandon(agreement.into(), claim, s),
            Event::Decision { agreement, claim } => self.decision(agreement.into(), claim, s),
            Event::AdjudicatorsChange { agreement } => {
                let a = usize::from(agreement);
                self.systems[a].adjudicators = self.model.asylum[a].adjudicators.at(s.now()) as usize;
                self.start_waiting_claims(a, s);
            }
            Event::OtherClaim { agreement, month, ordinal } => {
                self.other_claim(agreement.into(), month.into(), ordinal.into(), s)
            }
            Event::Session { agreement, ordinal } => self.session(agreement.into(), ordinal as usize, s),
            Event::DecisionHaltChange { agreement } => self.decision_halt_change(agreement.into(), s),
        }
    }
}
