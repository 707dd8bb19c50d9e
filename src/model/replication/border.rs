//! The border: the month's arrivals drawn and screened, deterrence, who seeks protection, the sending country's
//! competing routes, eligibility under each agreement, routing among the agreements that take a case, and
//! transferees who come back and arrive again.
//!
//! A case is tested in that order: a would-be arrival may stay away (deterrence); an arrival who does not seek
//! protection is refused first; a protection seeker may be taken by a competing route (waiting abroad,
//! fast-track screening, expedited removal, expulsion) before any agreement screens it; only the protection
//! seekers left are candidates. A case found eligible leaves this stage for its agreement's transfer queue
//! (`transfers`); one refused goes to the sending country's process (the expelled excepted), counted under the
//! first reason it was refused.

use crate::engine::Scheduler;
use crate::rng::{self, CaseDraws, ProcessStream, Purpose};

use super::Replication;
use super::chain::Chain;
use crate::model::competing_routes::route_taking;
use crate::model::event::Event;
use crate::model::metrics::{IneligibleReason, ReceivingMetric, SendingMetric};
use crate::model::transfer_queue::WaitingCase;
use crate::scenario::{RouteKind, RoutingRule};

impl Replication<'_> {
    /// Deterrence reacts, as month `month` begins, to the share of each nationality transferred in the months
    /// before.
    pub(super) fn update_deterrence(&mut self, month: usize) {
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
    }

    /// Draws each stream's arrivals of month `month`: a month all refused for a reason known without drawing is
    /// settled at once, the others' arrivals are screened in time order from the first.
    pub(super) fn draw_arrivals(&mut self, month: usize, s: &mut Scheduler<Event>) {
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
                    self.arrival_chains[i] = Chain { count, quantile: 0.0, identities, screened: 0 };
                    self.arrival_times[i].clear();
                    self.next_arrival(i, s);
                }
            }
        }
    }

    /// Records a month of arrivals that are all ineligible for a reason known without drawing, with the same
    /// counts (family sizes and deterrence included) as handling them one by one.
    pub(super) fn settle_ineligible(
        &mut self,
        stream_index: usize,
        month: usize,
        count: u64,
        reason: IneligibleReason,
    ) {
        let stream = &self.model.streams[stream_index];
        let deterred = self.deterred[stream.nationality];
        if stream.family_sizes.is_none() && deterred == 0.0 {
            let cases = count as f64;
            self.add(SendingMetric::ArrivalsCases, cases);
            self.add(SendingMetric::ArrivalsPeople, cases);
            self.add(SendingMetric::IneligibleCases, cases);
            self.add(SendingMetric::IneligiblePeople, cases);
            self.add(reason.metric(), cases);
            self.add(SendingMetric::ToSendingProcessCases, cases);
            self.add(SendingMetric::ToSendingProcessPeople, cases);
            // A settled month has every arrival seeking protection and no route (see `Model::new`).
            self.add(SendingMetric::CredibleFearReferralsCases, cases);
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
    /// may take (times are computed a batch at a time, see [`crate::model::arrivals::TimesAhead`]). Those deterred or refused by every
    /// agreement are counted now, without an event: their fate depends only on their own draws and on dated
    /// schedules, never on the state of the queues, so counting them ahead gives the same figures (all in the month
    /// they arrive) at a fraction of the cost. An arrival that may be transferred needs the queues as they will be
    /// at its time, so it waits for its event.
    pub(super) fn next_arrival(&mut self, stream_index: usize, s: &mut Scheduler<Event>) {
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
            if let Some(reason) = self.border_refusal(stream_index, draws, t, false) {
                self.count_arrival(stream.nationality, people);
                self.refuse(reason, people);
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
    pub(super) fn arrival_time(&mut self, stream: usize, month: usize, ordinal: u64) -> Option<f64> {
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

    /// An arrival that screening found some agreement may take (see [`Replication::next_arrival`]).
    pub(super) fn arrival(&mut self, stream_index: usize, people: u32, key: u64, s: &mut Scheduler<Event>) {
        self.arrive(stream_index, CaseDraws::from_key(key), people, true, s);
        self.next_arrival(stream_index, s);
    }

    /// Whether a would-be arrival is deterred (counting it, and its diversion to another route, if so).
    /// Inlined, with the counting apart: without deterrence it is a load and a comparison, cheaper than a call.
    #[inline]
    pub(super) fn stays_away(&mut self, nationality: usize, draws: CaseDraws, people: u32) -> bool {
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
    pub(super) fn count_deterred(&mut self, draws: CaseDraws, people: u32) {
        self.add(SendingMetric::DeterredCases, 1.0);
        let diverted = self.model.deterrence.as_ref().map_or(0.0, |d| d.diverted_share);
        if draws.chance(Purpose::Diversion, 0, diverted) {
            let people = f64::from(people);
            self.add(SendingMetric::DivertedCases, 1.0);
            self.add(SendingMetric::DivertedPeople, people);
            self.add(SendingMetric::ToSendingProcessCases, 1.0);
            self.add(SendingMetric::ToSendingProcessPeople, people);
            // ASSUMPTION: the diverted seek protection (deterrence reacts to the risk of transfer, which only
            // protection seekers run), so they face a credible-fear screening like other protection seekers.
            self.add(SendingMetric::CredibleFearReferralsCases, 1.0);
        }
    }

    pub(super) fn count_arrival(&mut self, nationality: usize, people: u32) {
        self.add(SendingMetric::ArrivalsPeople, f64::from(people));
        self.add(SendingMetric::ArrivalsCases, 1.0);
        if self.model.deterrence.is_some() {
            self.by_nationality[self.month * self.model.countries.len() + nationality][0] += f64::from(people);
        }
    }

    /// Counts a refused case. The expelled never join the sending country's process; of those who do, all but
    /// the ones not seeking protection and those sent to wait abroad (placed before the courts directly) face a
    /// credible-fear screening.
    #[inline(always)]
    pub(super) fn refuse(&mut self, reason: IneligibleReason, people: u32) {
        let people = f64::from(people);
        self.add(SendingMetric::IneligibleCases, 1.0);
        self.add(SendingMetric::IneligiblePeople, people);
        self.add(reason.metric(), 1.0);
        match reason {
            IneligibleReason::Route(RouteKind::Expulsion) => {
                self.add(SendingMetric::IneligibleExpelledPeople, people);
                return;
            }
            IneligibleReason::NotSeekingProtection | IneligibleReason::Route(RouteKind::WaitAbroad) => {}
            _ => self.add(SendingMetric::CredibleFearReferralsCases, 1.0),
        }
        self.add(SendingMetric::ToSendingProcessCases, 1.0);
        self.add(SendingMetric::ToSendingProcessPeople, people);
    }

    /// The border's own reason to refuse a case of stream `stream_index` at `t` before any agreement looks at it:
    /// it does not seek protection (not asked of a transferee arriving again, who sought it before), or a
    /// competing route takes it. Both are decided from the case's own uniforms.
    #[inline(always)]
    pub(super) fn border_refusal(
        &self,
        stream_index: usize,
        draws: CaseDraws,
        t: f64,
        re_arrival: bool,
    ) -> Option<IneligibleReason> {
        let model = self.model;
        let stream = &model.streams[stream_index];
        if !re_arrival && !stream.seeks_protection(draws, t) {
            return Some(IneligibleReason::NotSeekingProtection);
        }
        if model.routes.is_empty() {
            return None;
        }
        route_taking(&model.routes, stream.nationality, stream.household, draws, t).map(IneligibleReason::Route)
    }

    /// Fills `self.candidates` with the agreements a case of stream `stream_index` at the border at `t` is
    /// eligible under (the first only, under priority routing); if there is none, the reason it is refused: the
    /// first that failed, counting a nationality no agreement covers last.
    #[inline(always)]
    pub(super) fn find_candidates(
        &mut self,
        stream_index: usize,
        draws: CaseDraws,
        t: f64,
    ) -> Result<(), IneligibleReason> {
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
    pub(super) fn arrive(
        &mut self,
        stream_index: usize,
        draws: CaseDraws,
        people: u32,
        screened: bool,
        s: &mut Scheduler<Event>,
    ) {
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
        self.add(SendingMetric::EligibleCases, 1.0);
        self.add_at(a, ReceivingMetric::EligibleCases, 1.0);
        let case = WaitingCase { key: draws.key(), people, since: t, stream: stream_index as u16 };
        self.join_queue(a, case, s);
    }

    /// The agreement that takes a case eligible under `self.candidates`, by the scenario's routing rule.
    pub(super) fn route(&self, draws: CaseDraws) -> Option<usize> {
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

    /// A transferee who came back reaches the border again.
    pub(super) fn re_arrival(&mut self, stream: usize, people: u32, key: u64, s: &mut Scheduler<Event>) {
        self.returning -= 1;
        self.add(SendingMetric::ReArrivalsCases, 1.0);
        self.add(SendingMetric::ReArrivalsPeople, f64::from(people));
        let draws = CaseDraws::from_key(key);
        if let Some(reason) = self.border_refusal(stream, draws, s.now(), true) {
            self.count_arrival(self.model.streams[stream].nationality, people);
            if reason == IneligibleReason::Route(RouteKind::Expulsion) {
                self.add(SendingMetric::ReArrivalsExpelledCases, 1.0);
            }
            self.refuse(reason, people);
            return;
        }
        self.arrive(stream, draws, people, false, s);
    }
}
