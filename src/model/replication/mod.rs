//! One replication: the model's events handled in time order, with every flow and stock recorded by month.
//!
//! One struct, [`Replication`], holds the state; its methods live in one file per stage of a case's path:
//! - `border`: arrivals drawn and screened, deterrence, eligibility, routing among agreements, re-arrivals;
//! - `transfers`: the transfer queues, the daily transfer run and its seat budget, the holding limit, suspensions;
//! - `claims`: the hand-over to the receiving country, filing, adjudication, sessions and halts of decisions;
//! - `onward`: where transferees go when they leave the receiving country's asylum process;
//! - `books`: the month's turn (close and start) and the accounting of every metric.
//!
//! This file keeps the state, the start of a run (the events scheduled before time 0) and the dispatch of
//! events to the stages.
//!
//! A case's path runs through several small functions once per case; those marked `#[inline(always)]` in these
//! files are forced inline because the compiler would not inline them, and inlining them cut the instructions per
//! event by about 9% (M/M/c) and 5% (the transfer pipeline of benches/peers), by callgrind.

mod books;
mod border;
mod chain;
mod claims;
mod onward;
mod transfers;

use std::collections::VecDeque;

use rand::rngs::ChaCha8Rng;

use crate::engine::{self, Process, Scheduler};
use crate::rng::{self, CaseDraws, ProcessStream};

use super::agreement::AgreementAt;
use super::arrivals::TimesAhead;
use super::claim_queue::{Claim, ClaimQueue};
use super::event::Event;
use super::transfer_queue::{TransferQueue, WaitingCase};
use super::{Model, SeatBudget};
use crate::scenario::WaitingAtSuspension;
use chain::Chain;
use onward::WindowClose;

/// What one replication produced.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicationOutput {
    /// Metric values in the model's [`super::MetricLayout`].
    pub values: Vec<f64>,
    /// Events handled.
    pub events: u64,
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
    /// What is left of each agreement's monthly seat budget.
    seat_budgets: Vec<SeatBudget>,
    claim_queues: Vec<ClaimQueue>,
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
    /// By agreement, when the filing windows of transferees who will file late close (in time order), until they
    /// pass from the window's stock to the late filers' (see `claims::settle_late_windows`).
    late_windows: Vec<VecDeque<f64>>,
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
            seat_budgets: vec![SeatBudget::default(); agreements],
            claim_queues: (0..agreements).map(|_| ClaimQueue::default()).collect(),
            boarded: Vec::new(),
            agreements_at: vec![AgreementAt::default(); agreements],
            candidates: Vec::new(),
            by_nationality: Vec::new(),
            deterred: vec![0.0; model.countries.len()],
            returning: 0,
            issued: Vec::new(),
            window_closes: vec![VecDeque::new(); agreements],
            late_windows: vec![VecDeque::new(); agreements],
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
        self.seat_budgets.fill(SeatBudget::default());
        self.window_closes.iter_mut().for_each(VecDeque::clear);
        self.late_windows.iter_mut().for_each(VecDeque::clear);
        self.claim_queues.iter_mut().for_each(ClaimQueue::clear);
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
            self.claim_queues[a].halted = rules.decisions.halted_at(0.0);
            for t in rules.decisions.halt_changes() {
                s.schedule(t, Event::DecisionHaltChange { agreement });
            }
            self.claim_queues[a].adjudicators = rules.adjudicators.at(0.0) as usize;
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
            if model.agreements[a].has_transfer_runs() {
                s.schedule(model.agreements[a].run_at.unwrap_or(0.0), Event::TransferRun { agreement });
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
}

impl Process for Replication<'_> {
    type Event = Event;

    fn handle(&mut self, event: Event, s: &mut Scheduler<Event>) {
        match event {
            Event::MonthStart { month } => self.month_start(month.into(), s),
            Event::Arrival { stream, people, key } => self.arrival(stream.into(), people.into(), key, s),
            Event::TransferRun { agreement } => self.transfer_run(agreement.into(), s),
            Event::FilingOutcome { agreement, files, stream, people, key } => {
                self.filing_outcome(agreement.into(), files, (stream, people), key, s)
            }
            Event::LateClaim { agreement, stream, people, key } => {
                self.late_claim(agreement.into(), (stream, people), key, s)
            }
            Event::ReArrival { stream, people, key } => self.re_arrival(stream.into(), people.into(), key, s),
            Event::SuspensionStart { agreement } => self.suspension_start(agreement.into(), s),
            Event::Abandon { agreement, claim } => self.abandon(agreement.into(), claim, s),
            Event::Decision { agreement, claim } => self.decision(agreement.into(), claim, s),
            Event::AdjudicatorsChange { agreement } => self.adjudicators_change(agreement.into(), s),
            Event::OtherClaim { agreement, month, ordinal } => {
                self.other_claim(agreement.into(), month.into(), ordinal.into(), s)
            }
            Event::Session { agreement, ordinal } => self.session(agreement.into(), ordinal as usize, s),
            Event::DecisionHaltChange { agreement } => self.decision_halt_change(agreement.into(), s),
        }
    }
}
