//! One replication: the model's events handled in time order, with every flow and stock recorded by month.

use std::collections::VecDeque;

use rand::RngExt as _;
use rand::rngs::ChaCha8Rng;
use rand_distr::Exp1;

use crate::engine::{self, Process, Scheduler};
use crate::rng::{self, CaseDraws, ProcessStream, Purpose};

use super::agreement::AgreementAt;
use super::arrivals::TimesAhead;
use super::asylum_system::{AsylumSystem, Claim, Filed};
use super::event::Event;
use super::metrics::{IneligibleReason, ReceivingMetric as R, SendingMetric as S};
use super::slab::SlotRef;
use super::transfer_queue::{TransferQueue, WaitingCase};
use super::{Destination, Model};
use crate::scenario::{RoutingRule, WaitingAtSuspension};

/// How a transferee left the receiving country's asylum process.
#[derive(Debug, Clone, Copy)]
enum Leaving {
    NotFiled,
    Abandoned,
    Denied,
}

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
    /// Arrivals of the month screened so far (arrival streams; see [`Replication::next_arrival`]).
    screened: u64,
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

/// A transferee who will not file, due to leave when the filing window closes.
///
/// Such a departure needs no event of its own when it sends nobody back to the border: it changes nothing but the
/// month's counts and the filing-window stock, which nothing reads before the month closes. So it waits here, in
/// order of `due` (windows have one length per agreement and transfers come in time order), until the month's
/// close settles those due before it ([`Replication::close_windows`]). Those who come back keep their event,
/// which schedules their return at its own time.
#[derive(Debug, Clone, Copy)]
struct WindowClose {
    due: f64,
    destination: Destination,
    people: u16,
}

/// The state of a replication, reusable from one replication to the next (buffers keep their capacity).
pub struct Replication<'m> {
    model: &'m Model,
    seed: u64,
    replication: u64,
    key: u64,
    month: usize,
    /// Index of the current month's first value in `values` (`layout.sending(month, 0)`), kept so that counting
    /// a flow is one addition.
    month_base: usize,
    scheduler: Scheduler<Event>,
    arrival_rngs: Vec<ChaCha8Rng>,
    arrival_chains: Vec<Chain>,
    /// Arrival times computed ahead, by stream.
    arrival_times: Vec<TimesAhead>,
    other_rngs: Vec<ChaCha8Rng>,
    other_chains: Vec<Chain>,
    session_rngs: Vec<ChaCha8Rng>,
    queues: Vec<TransferQueue>,
    systems: Vec<AsylumSystem>,
    boarded: Vec<WaitingCase>,
    /// Each agreement's schedules as read last; every read names its own time (see [`AgreementAt::at`]).
    agreements_at: Vec<AgreementAt>,
    /// Agreements a case is eligible under, for routing rules that choose among them.
    candidates: Vec<usize>,
    /// People arrived and transferred, by month and nationality (for deterrence).
    by_nationality: Vec<[f64; 2]>,
    /// This month's probability that a would-be arrival stays away, by nationality.
    deterred: Vec<f64>,
    /// Transferees on their way back to the border.
    returning: u64,
    issued: Vec<Claim>,
    /// By agreement, transferees who will not file, waiting for their filing windows to close.
    window_closes: Vec<VecDeque<WindowClose>>,
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
            month_base: 0,
            scheduler: Scheduler::new(),
            arrival_rngs: (0..model.streams.len())
                .map(|_| rng::process_stream(0, 0, ProcessStream::Arrivals, 0))
                .collect(),
            arrival_chains: vec![Chain::default(); model.streams.len()],
            arrival_times: vec![TimesAhead::default(); model.streams.len()],
            other_rngs: (0..agreements).map(|_| rng::process_stream(0, 0, ProcessStream::OtherClaims, 0)).collect(),
            other_chains: vec![Chain::default(); agreements],
            session_rngs: (0..agreements).map(|_| rng::process_stream(0, 0, ProcessStream::Sessions, 0)).collect(),
            queues: (0..agreements).map(|_| TransferQueue::default()).collect(),
            systems: (0..agreements).map(|_| AsylumSystem::default()).collect(),
            boarded: Vec::new(),
            agreements_at: vec![AgreementAt::default(); agreements],
            candidates: Vec::new(),
            by_nationality: Vec::new(),
            deterred: vec![0.0; model.countries.len()],
            returning: 0,
            issued: Vec::new(),
            window_closes: vec![VecDeque::new(); agreements],
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
        self.month_base = 0;
        self.queues.iter_mut().for_each(TransferQueue::clear);
        self.window_closes.iter_mut().for_each(VecDeque::clear);
        self.systems.iter_mut().for_each(AsylumSystem::clear);
        self.values.clear();
        self.values.resize(model.layout.len(), 0.0);
        self.returning = 0;
        self.deterred.iter_mut().for_each(|p| *p = 0.0);
        if model.deterrence.is_some() {
            self.by_nationality.clear();
            self.by_nationality.resize(model.calendar.months() * model.countries.len(), [0.0; 2]);
        }

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
            // Daily transfer operations (or flight days), unless seats are unlimited throughout (cases then leave as
            // they arrive).
            if model.agreements[a].has_departures() {
                s.schedule(0.5, Event::Departure { agreement });
            }
            for x in &model.agreements[a].suspensions {
                if x.waiting == WaitingAtSuspension::Release && x.from < model.calendar.end() {
                    s.schedule(x.from.max(0.0), Event::SuspensionStart { agreement });
                }
            }
            for ordinal in 0..rules.initial_backlog {
                let key = CaseDraws::new(self.key, rng::initial_claim_identity(a as u64, ordinal)).key();
                self.file_claim(a, key, None, &mut s);
            }
        }
        let events = engine::run(self, &mut s, model.calendar.end());
        self.close_month(model.calendar.months() - 1, model.calendar.end());
        self.scheduler = s;
        // Accounts kept from the months' flows: the sending country's courts, then costs (which need the courts).
        super::courts::account(model, &mut self.values);
        super::costs::account(model, &mut self.values);
        model.layout.accumulate(&mut self.values);
        ReplicationOutput { values: self.values.clone(), events }
    }

    #[inline]
    fn add(&mut self, metric: S, value: f64) {
        let i = self.month_base + metric as usize;
        debug_assert_eq!(i, self.model.layout.sending(self.month, metric));
        self.values[i] += value;
    }

    #[inline]
    fn add_at(&mut self, agreement: usize, metric: R, value: f64) {
        let i = self.month_base + S::COUNT + agreement * R::COUNT + metric as usize;
        debug_assert_eq!(i, self.model.layout.receiving_at(self.month, agreement, metric));
        self.values[i] += value;
    }

    #[inline]
    fn set_at(&mut self, month: usize, agreement: usize, metric: R, value: f64) {
        let i = self.model.layout.receiving_at(month, agreement, metric);
        self.values[i] = value;
    }

    /// Records month-end stocks and the month's means.
    fn close_month(&mut self, month: usize, end: f64) {
        for a in 0..self.queues.len() {
            self.release_due(a, end, false);
            self.close_windows(a, end);
        }
        let layout = &self.model.layout;
        let begin = self.model.calendar.month_span(month).0;
        let cases: usize = self.queues.iter().map(TransferQueue::len).sum();
        let people: u64 = self.queues.iter().map(TransferQueue::people).sum();
        self.values[layout.sending(month, S::WaitingTransferCases)] = cases as f64;
        self.values[layout.sending(month, S::WaitingTransferPeople)] = people as f64;
        self.values[layout.sending(month, S::ReturningCases)] = self.returning as f64;
        for a in 0..self.systems.len() {
            let (backlog_mean, queue_mean) = self.systems[a].take_time_means(begin, end);
            let waits = std::mem::take(&mut self.systems[a].waits);
            let person_days = self.queues[a].take_person_days(end);
            let system = &self.systems[a];
            let rules = &self.model.asylum[a];
            let month_end = self.model.calendar.month_span(month).1;
            let stocks = [
                (R::HoldingPersonDays, person_days),
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
        self.month_base = month * self.model.layout.per_month();
        let begin = self.model.calendar.month_span(month).0;
        for queue in &mut self.queues {
            queue.seats_used = 0.0;
            queue.budget_from = begin;
        }
        let model = self.model;
        if let Some(deterrence) = &model.deterrence {
            let n = model.countries.len();
            for nationality in 0..n {
                let flow = |m: usize, k: usize| self.by_nationality[m * n + nationality][k];
                if let Some(p) = deterrence.probability(month, |m| flow(m, 0), |m| flow(m, 1)) {
                    self.deterred[nationality] = p;
                }
            }
        }
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
                    self.arrival_chains[i] = Chain { count, quantile: 0.0, identities, screened: 0 };
                    self.arrival_times[i].clear();
                    self.next_arrival(i, s);
                }
            }
        }
        for a in 0..model.asylum.len() {
            let mut rng =
                rng::process_stream(seed, replication, ProcessStream::OtherClaims, rng::monthly_stream(a, month));
            let count = super::MonthlyCount::Poisson.sample(model.asylum[a].other_claims[month].expected(), &mut rng);
            self.other_rngs[a] = rng;
            let identities = rng::other_claims_of_month(a as u64, month as u64);
            self.other_chains[a] = Chain { count, quantile: 0.0, identities, screened: 0 };
            self.next_other_claim(a, month, 0, s);
        }
    }

    /// Records a month of arrivals that are all ineligible for a reason known without drawing, with the same
    /// counts (family sizes and deterrence included) as handling them one by one.
    fn settle_ineligible(&mut self, stream_index: usize, month: usize, count: u64, reason: IneligibleReason) {
        let stream = &self.model.streams[stream_index];
        let deterred = self.deterred[stream.nationality];
        if stream.family_sizes.is_none() && deterred == 0.0 {
            let cases = count as f64;
            self.add(S::ArrivalsCases, cases);
            self.add(S::ArrivalsPeople, cases);
            self.add(S::IneligibleCases, cases);
            self.add(S::IneligiblePeople, cases);
            self.add(reason.metric(), cases);
            self.add(S::ToSendingProcessCases, cases);
            self.add(S::ToSendingProcessPeople, cases);
            if self.model.deterrence.is_some() {
                self.by_nationality[month * self.model.countries.len() + stream.nationality][0] += cases;
            }
            return;
        }
        let identities = rng::arrivals_of_month(stream_index as u64, month as u64);
        for k in 0..count {
            let draws = CaseDraws::new(self.key, rng::chain(identities, k));
            let people = stream.people(draws);
            if !self.stays_away(stream.nationality, draws, people) {
                self.count_arrival(stream.nationality, people);
                self.refuse(reason, people);
            }
        }
    }

    /// Screens the stream's next arrivals of the month in time order and schedules the first that some agreement
    /// may take (times are computed a batch at a time, see [`TimesAhead`]). Those deterred or refused by every
    /// agreement are counted now, without an event: their fate depends only on their own draws and on dated
    /// schedules, never on the state of the queues, so counting them ahead gives the same figures (all in the month
    /// they arrive) at a fraction of the cost. An arrival that may be transferred needs the queues as they will be
    /// at its time, so it waits for its event.
    fn next_arrival(&mut self, stream_index: usize, s: &mut Scheduler<Event>) {
        let stream = &self.model.streams[stream_index];
        loop {
            let ordinal = self.arrival_chains[stream_index].screened;
            let Some(t) = self.arrival_time(stream_index, self.month, ordinal) else { return };
            self.arrival_chains[stream_index].screened += 1;
            let t = t.max(s.now());
            let draws = CaseDraws::new(self.key, rng::chain(self.arrival_chains[stream_index].identities, ordinal));
            let people = stream.people(draws);
            if self.stays_away(stream.nationality, draws, people) {
                continue;
            }
            if let Err(reason) = self.find_candidates(stream_index, draws, t) {
                self.count_arrival(stream.nationality, people);
                self.refuse(reason, people);
                continue;
            }
            let event = Event::Arrival { stream: stream_index as u16, people: people as u16, key: draws.key() };
            s.schedule(t, event);
            return;
        }
    }

    /// The time of the stream's `ordinal`-th arrival of the month (asked for in order), or `None` past the last.
    #[inline]
    fn arrival_time(&mut self, stream: usize, month: usize, ordinal: u64) -> Option<f64> {
        let ahead = &mut self.arrival_times[stream];
        if let Some(t) = ahead.pop() {
            return Some(t);
        }
        let chain = &mut self.arrival_chains[stream];
        if ordinal >= chain.count {
            return None;
        }
        let rng = &mut self.arrival_rngs[stream];
        let profile = &self.model.streams[stream].months[month];
        ahead.refill(profile, chain.count - ordinal, |remaining| chain.advance(remaining, rng));
        ahead.pop()
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

    /// An arrival that screening found some agreement may take (see [`Replication::next_arrival`]).
    fn arrival(&mut self, stream_index: usize, people: u32, key: u64, s: &mut Scheduler<Event>) {
        self.arrive(stream_index, CaseDraws::from_key(key), people, true, s);
        self.next_arrival(stream_index, s);
    }

    /// Whether a would-be arrival is deterred (counting it, and its diversion to another route, if so).
    /// Inlined, with the counting apart: without deterrence it is a load and a comparison, cheaper than a call.
    #[inline]
    fn stays_away(&mut self, nationality: usize, draws: CaseDraws, people: u32) -> bool {
        let p = self.deterred[nationality];
        if !draws.chance(Purpose::Deterrence, 0, p) {
            return false;
        }
        self.count_deterred(draws, people);
        true
    }

    /// Counts a deterred would-be arrival, and its diversion to another route if it takes one. Kept out of line
    /// so that [`Replication::stays_away`] stays small enough to inline.
    #[inline(never)]
    fn count_deterred(&mut self, draws: CaseDraws, people: u32) {
        self.add(S::DeterredCases, 1.0);
        let diverted = self.model.deterrence.as_ref().map_or(0.0, |d| d.diverted_share);
        if draws.chance(Purpose::Diversion, 0, diverted) {
            let people = f64::from(people);
            self.add(S::DivertedCases, 1.0);
            self.add(S::DivertedPeople, people);
            self.add(S::ToSendingProcessCases, 1.0);
            self.add(S::ToSendingProcessPeople, people);
        }
    }

    fn count_arrival(&mut self, nationality: usize, people: u32) {
        self.add(S::ArrivalsPeople, f64::from(people));
        self.add(S::ArrivalsCases, 1.0);
        if self.model.deterrence.is_some() {
            self.by_nationality[self.month * self.model.countries.len() + nationality][0] += f64::from(people);
        }
    }

    #[inline(always)]
    fn refuse(&mut self, reason: IneligibleReason, people: u32) {
        let people = f64::from(people);
        self.add(S::IneligibleCases, 1.0);
        self.add(S::IneligiblePeople, people);
        self.add(reason.metric(), 1.0);
        self.add(S::ToSendingProcessCases, 1.0);
        self.add(S::ToSendingProcessPeople, people);
    }

    /// Fills `self.candidates` with the agreements a case of stream `stream_index` at the border at `t` is
    /// eligible under (the first only, under priority routing); if there is none, the reason it is refused: the
    /// first that failed, counting a nationality no agreement covers last.
    #[inline(always)]
    fn find_candidates(&mut self, stream_index: usize, draws: CaseDraws, t: f64) -> Result<(), IneligibleReason> {
        let model = self.model;
        let stream = &model.streams[stream_index];
        let mut reason = None;
        self.candidates.clear();
        for (a, (agreement, at)) in model.agreements.iter().zip(&mut self.agreements_at).enumerate() {
            match agreement.check_at(at.at(agreement, t), a, stream.nationality, stream.household, draws) {
                Ok(()) => {
                    self.candidates.push(a);
                    if model.routing.rule == RoutingRule::Priority {
                        break;
                    }
                }
                Err(IneligibleReason::Nationality) => {}
                Err(r) => {
                    reason.get_or_insert(r);
                }
            }
        }
        if self.candidates.is_empty() { Err(reason.unwrap_or(IneligibleReason::Nationality)) } else { Ok(()) }
    }

    /// A case at the border: eligible under some agreement (queued for a seat, or transferred at once) or sent to
    /// the sending country's process, with the first reason it was refused.
    #[inline(always)]
    fn arrive(&mut self, stream_index: usize, draws: CaseDraws, people: u32, screened: bool, s: &mut Scheduler<Event>) {
        let model = self.model;
        let t = s.now();
        let stream = &model.streams[stream_index];
        self.count_arrival(stream.nationality, people);
        let a = if screened && model.agreements.len() == 1 {
            // Screening found that the one agreement takes the case.
            0
        } else {
            if let Err(reason) = self.find_candidates(stream_index, draws, t) {
                self.refuse(reason, people);
                return;
            }
            if model.routing.rule == RoutingRule::ShortestQueue {
                for i in 0..self.candidates.len() {
                    self.queue_at(self.candidates[i], t);
                }
            }
            self.route(draws).expect("a case with candidates is routed")
        };
        self.add(S::EligibleCases, 1.0);
        self.add_at(a, R::EligibleCases, 1.0);
        let case = WaitingCase { key: draws.key(), people, since: t, stream: stream_index as u16 };
        let agreement = &model.agreements[a];
        if self.agreements_at[a].at(agreement, t).unlimited_seats() {
            self.transfer(a, case, s);
            return;
        }
        if (self.queue_at(a, t).people() + u64::from(people)) as f64 > agreement.holding_capacity {
            self.add_at(a, R::ReleasedHoldingFullCases, 1.0);
            self.release(a, case);
        } else {
            self.queues[a].push(case);
        }
    }

    /// The agreement that takes a case eligible under `self.candidates`, by the scenario's routing rule.
    fn route(&self, draws: CaseDraws) -> Option<usize> {
        let candidates = &self.candidates;
        match (self.model.routing.rule, candidates.len()) {
            (_, 0) => None,
            (_, 1) | (RoutingRule::Priority, _) => Some(candidates[0]),
            (RoutingRule::ShortestQueue, _) => candidates.iter().copied().min_by_key(|&a| self.queues[a].people()),
            (RoutingRule::Shares, _) => {
                let weights = &self.model.routing.weights;
                let total: f64 = candidates.iter().map(|&a| weights[a]).sum();
                if total <= 0.0 {
                    return Some(candidates[0]);
                }
                let mut u = draws.uniform(Purpose::Routing, 0) * total;
                for &a in candidates {
                    if u < weights[a] {
                        return Some(a);
                    }
                    u -= weights[a];
                }
                candidates.iter().copied().rev().find(|&a| weights[a] > 0.0)
            }
        }
    }

    /// A case that waited for a seat in vain joins the sending country's process.
    fn release(&mut self, a: usize, case: WaitingCase) {
        let people = f64::from(case.people);
        self.add(S::ReleasedCases, 1.0);
        self.add(S::ReleasedPeople, people);
        self.add(S::ToSendingProcessCases, 1.0);
        self.add(S::ToSendingProcessPeople, people);
        self.add_at(a, R::ReleasedCases, 1.0);
        self.add_at(a, R::ReleasedPeople, people);
    }

    /// Transfers under agreement `a` stop: its waiting cases are released.
    fn suspension_start(&mut self, a: usize, s: &mut Scheduler<Event>) {
        let mut released = std::mem::take(&mut self.boarded);
        self.queue_at(a, s.now()).release_all(s.now(), &mut released);
        for case in released.drain(..) {
            self.release(a, case);
        }
        self.boarded = released;
    }

    /// The day's transfer operation under agreement `a`: a flight on flight days, or the daily operation within
    /// the month's seat budget.
    fn departure(&mut self, a: usize, s: &mut Scheduler<Event>) {
        let model = self.model;
        let t = s.now();
        if t + 1.0 < model.calendar.end() {
            s.schedule(t + 1.0, Event::Departure { agreement: a as u16 });
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
        let budget = if rate.is_infinite() {
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
        self.queues[a].board(t, flight_seats.min(budget), agreement.discipline, &mut boarded);
        if agreement.flights.is_some() && !boarded.is_empty() {
            self.add_at(a, R::FlightsCount, 1.0);
        }
        for case in boarded.drain(..) {
            self.transfer(a, case, s);
        }
        self.boarded = boarded;
    }

    /// Transfer queue `a` as it stands at `t`: every event that reads or changes a queue takes it from here, so that
    /// the cases that reached the holding limit by then have been released (see [`Replication::release_due`]).
    #[inline]
    fn queue_at(&mut self, a: usize, t: f64) -> &mut TransferQueue {
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
    fn release_due(&mut self, a: usize, t: f64, at_t: bool) {
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

    // A case's path (screened at the border, transferred, filing, decided, leaving) runs through several small
    // functions once per case; those marked `#[inline(always)]` in this file are forced inline because the
    // compiler would not inline them, and inlining them cut the instructions per event by about 9% (M/M/c) and
    // 5% (the transfer pipeline of benches/peers), by callgrind.
    #[inline(always)]
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
        if self.model.deterrence.is_some() {
            let nationality = self.model.streams[usize::from(case.stream)].nationality;
            self.by_nationality[self.month * self.model.countries.len() + nationality][1] += people;
        }
        self.systems[a].filing_window += 1;
        let rules = &self.model.asylum[a];
        let draws = CaseDraws::from_key(case.key);
        let files = draws.chance(Purpose::Filing, a as u64, rules.filing_probability.at(t));
        let delay = if files && rules.filing_window_days > 0.0 {
            rules.filing_window_days * draws.uniform(Purpose::FilingDelay, a as u64)
        } else {
            rules.filing_window_days
        };
        let (stream, people) = (case.stream, case.people as u16);
        if delay > 0.0 {
            if !files {
                let destination = self.destination(a, Leaving::NotFiled, case.key);
                if destination != Destination::Back {
                    self.window_closes[a].push_back(WindowClose { due: t + delay, destination, people });
                    return;
                }
            }
            s.schedule(t + delay, Event::FilingOutcome { agreement: a as u16, files, stream, people, key: case.key });
        } else {
            // A zero-length window: the outcome is now; an event would only add a trip through the heap.
            self.filing_outcome(a, files, (stream, people), case.key, s);
        }
    }

    #[inline(always)]
    fn filing_outcome(&mut self, a: usize, files: bool, origin: (u16, u16), key: u64, s: &mut Scheduler<Event>) {
        self.systems[a].filing_window -= 1;
        if files {
            self.add_at(a, R::TransfereeClaimsFiledCases, 1.0);
            self.add_at(a, R::ClaimsFiledCases, 1.0);
            self.file_claim(a, key, Some(origin), s);
        } else {
            self.add_at(a, R::NotFiledCases, 1.0);
            self.leave(a, Leaving::NotFiled, origin, key, s);
        }
    }

    /// A transferee leaves the receiving country's asylum process: home, onward, back to the sending country's
    /// border (arriving again after a delay, as a new case of the same stream), or nowhere.
    #[inline(always)]
    fn leave(&mut self, a: usize, how: Leaving, (stream, people): (u16, u16), key: u64, s: &mut Scheduler<Event>) {
        let destination = self.destination(a, how, key);
        self.count_leaving(a, destination, people);
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
    fn destination(&self, a: usize, how: Leaving, key: u64) -> Destination {
        let rules = &self.model.asylum[a].onward;
        let shares = match how {
            Leaving::NotFiled => rules.not_filed,
            Leaving::Abandoned => rules.abandoned,
            Leaving::Denied => rules.denied,
        };
        if shares.everyone_remains() {
            Destination::Remain
        } else {
            shares.destination(CaseDraws::from_key(key).uniform(Purpose::Onward, a as u64))
        }
    }

    #[inline(always)]
    fn count_leaving(&mut self, a: usize, destination: Destination, people: u16) {
        let (cases, persons) = match destination {
            Destination::Home => (R::ReturnedHomeCases, R::ReturnedHomePeople),
            Destination::Onward => (R::MovedOnCases, R::MovedOnPeople),
            Destination::Back => (R::CameBackCases, R::CameBackPeople),
            Destination::Remain => (R::RemainedCases, R::RemainedPeople),
        };
        self.add_at(a, cases, 1.0);
        self.add_at(a, persons, f64::from(people));
    }

    /// Transferees of agreement `a` who did not file leave as their filing windows close before `end` (see
    /// [`WindowClose`]); called as the month ending at `end` closes, so each counts in the month its window closed.
    fn close_windows(&mut self, a: usize, end: f64) {
        while let Some(&WindowClose { due, destination, people }) = self.window_closes[a].front() {
            if due >= end {
                break;
            }
            self.window_closes[a].pop_front();
            self.systems[a].filing_window -= 1;
            self.add_at(a, R::NotFiledCases, 1.0);
            self.count_leaving(a, destination, people);
        }
    }

    /// A transferee who came back reaches the border again.
    fn re_arrival(&mut self, stream: usize, people: u32, key: u64, s: &mut Scheduler<Event>) {
        self.returning -= 1;
        self.add(S::ReArrivalsCases, 1.0);
        self.add(S::ReArrivalsPeople, f64::from(people));
        self.arrive(stream, CaseDraws::from_key(key), people, false, s);
    }

    fn other_claim(&mut self, a: usize, month: usize, ordinal: u64, s: &mut Scheduler<Event>) {
        let key = CaseDraws::new(self.key, rng::chain(self.other_chains[a].identities, ordinal)).key();
        self.add_at(a, R::OtherClaimsFiledCases, 1.0);
        self.add_at(a, R::ClaimsFiledCases, 1.0);
        self.file_claim(a, key, None, s);
        self.next_other_claim(a, month, ordinal + 1, s);
    }

    /// Files a claim; `transferee` gives the stream and people of a transferred case, `None` for the country's
    /// other applicants.
    #[inline(always)]
    fn file_claim(&mut self, a: usize, key: u64, transferee: Option<(u16, u16)>, s: &mut Scheduler<Event>) {
        let t = s.now();
        let (stream, people) = transferee.unwrap_or((u16::MAX, 1));
        let transferee = transferee.is_some();
        let claim = Claim { key, filed: t, started: f64::NAN, transferee, stream, people };
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

    #[inline(always)]
    fn schedule_decision(&mut self, a: usize, claim: SlotRef, key: u64, s: &mut Scheduler<Event>) {
        let mut generator = CaseDraws::from_key(key).generator(Purpose::Service, a as u64);
        let d = self.model.asylum[a].service_time.sample(&mut generator);
        s.schedule_in(d, Event::Decision { agreement: a as u16, claim });
    }

    #[inline(always)]
    fn start_waiting_claims(&mut self, a: usize, s: &mut Scheduler<Event>) {
        while let Some((r, claim)) = self.systems[a].start_next(s.now()) {
            self.schedule_decision(a, r, claim.key, s);
        }
    }

    /// An adjudicator finishes claim `r`: the decision is issued at once, or awaits the next session (or the end
    /// of a halt). Either way the adjudicator takes the next waiting claim.
    #[inline(always)]
    fn decision(&mut self, a: usize, r: SlotRef, s: &mut Scheduler<Event>) {
        let t = s.now();
        if self.model.asylum[a].decisions.issues_at_once(self.systems[a].halted) {
            if let Some(claim) = self.systems[a].decide(t, r) {
                self.record_issued(a, &claim, s);
            }
        } else {
            self.systems[a].decide_unissued(r);
        }
        self.start_waiting_claims(a, s);
    }

    /// Counts a decision issued at `t`: a grant or a denial by the case's own draw, at the grant probability then.
    #[inline(always)]
    fn record_issued(&mut self, a: usize, claim: &Claim, s: &mut Scheduler<Event>) {
        let t = s.now();
        let grant_probability = self.model.asylum[a].grant_probability.at(t);
        let grant = CaseDraws::from_key(claim.key).chance(Purpose::Grant, a as u64, grant_probability);
        self.add_at(a, R::DecisionsCases, 1.0);
        self.add_at(a, if grant { R::GrantsCases } else { R::DenialsCases }, 1.0);
        if claim.transferee {
            self.add_at(a, R::TransfereeDecisionsCases, 1.0);
            if grant {
                self.add_at(a, R::TransfereeGrantsCases, 1.0);
            } else {
                self.leave(a, Leaving::Denied, (claim.stream, claim.people), claim.key, s);
            }
        }
    }

    /// Issues every decision awaiting a session.
    fn issue_awaiting(&mut self, a: usize, s: &mut Scheduler<Event>) {
        let mut issued = std::mem::take(&mut self.issued);
        self.systems[a].issue_awaiting(s.now(), &mut issued);
        for claim in issued.drain(..) {
            self.record_issued(a, &claim, s);
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
            self.issue_awaiting(a, s);
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
                self.issue_awaiting(a, s);
            }
            self.start_waiting_claims(a, s);
        }
    }

    fn abandon(&mut self, a: usize, r: SlotRef, s: &mut Scheduler<Event>) {
        if let Some(claim) = self.systems[a].abandon(s.now(), r) {
            self.add_at(a, R::AbandonedCases, 1.0);
            if claim.transferee {
                self.add_at(a, R::TransfereeAbandonedCases, 1.0);
                self.leave(a, Leaving::Abandoned, (claim.stream, claim.people), claim.key, s);
            }
        }
    }
}

impl Process for Replication<'_> {
    type Event = Event;

    fn handle(&mut self, event: Event, s: &mut Scheduler<Event>) {
        match event {
            Event::MonthStart { month } => self.month_start(month.into(), s),
            Event::Arrival { stream, people, key } => self.arrival(stream.into(), people.into(), key, s),
            Event::Departure { agreement } => self.departure(agreement.into(), s),
            Event::FilingOutcome { agreement, files, stream, people, key } => {
                self.filing_outcome(agreement.into(), files, (stream, people), key, s)
            }
            Event::ReArrival { stream, people, key } => self.re_arrival(stream.into(), people.into(), key, s),
            Event::SuspensionStart { agreement } => self.suspension_start(agreement.into(), s),
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
