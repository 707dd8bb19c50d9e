//! The domain: arrivals, agreements and their rollout, transfer queues, receiving asylum systems, and the
//! sending country's process. Built once from a validated [`Scenario`] and shared, read-only, by every replication.
//!
//! # Conservation identities
//!
//! Each holds for every replication and month (Δ is the change of a month-end stock from the previous month, whose
//! value before the first month is 0, or the initial backlog for `backlog_cases`):
//!
//! Sending country
//! - `arrivals_cases = ineligible_cases + eligible_cases` (and the same in people, with `eligible` people
//!   being those transferred, released or still waiting);
//! - `ineligible_cases = Σ ineligible_<reason>_cases`;
//! - `eligible_cases = transferred_cases + released_cases + Δ waiting_transfer_cases`; hence
//!   `arrivals_cases = ineligible_cases + transferred_cases + released_cases + Δ waiting_transfer_cases`;
//! - `arrivals_people = ineligible_people + transferred_people + released_people + Δ waiting_transfer_people`;
//! - `to_sending_process_cases = ineligible_cases + released_cases` (people likewise);
//! - transfers, releases, eligible cases and waiting stocks equal the sums over receiving countries.
//!
//! Each receiving country
//! - `eligible_cases = transferred_cases + released_cases + Δ waiting_transfer_cases`;
//! - `transferred_cases = transferee_claims_filed_cases + not_filed_cases + Δ filing_window_cases`;
//! - `claims_filed_cases = transferee_claims_filed_cases + other_claims_filed_cases`;
//! - `Δ backlog_cases = claims_filed_cases − decisions_cases − abandoned_cases`, with `decisions_cases` the
//!   decisions *issued*;
//! - `backlog_cases = waiting + in_adjudication_cases + awaiting_session_cases` (waiting for an adjudicator is not
//!   a metric of its own, so the check is `in_adjudication_cases + awaiting_session_cases ≤ backlog_cases`);
//! - `decisions_cases = grants_cases + denials_cases`;
//! - with `[sessions]`, decisions are issued only at sessions: `sessions_count = 0 ⇒ decisions_cases = 0`;
//!   without sessions `sessions_count = 0`, and without sessions or halts `awaiting_session_cases = 0`;
//! - in a month entirely inside a halt of decisions: `decisions_cases = 0`, `sessions_count = 0`,
//!   `in_adjudication_cases` does not grow (no adjudication starts) and `awaiting_session_cases` does not shrink;
//! - `trainee_adjudicators_count ≤ hired_adjudicators_count ≤ ⌊budget / (cost per month × months)⌋` and
//!   `adjudicators_count ≥ hired_adjudicators_count − trainee_adjudicators_count` (trained hires decide);
//! - `Δ transferee_backlog_cases = transferee_claims_filed_cases − transferee_decisions_cases − transferee_abandoned_cases`;
//! - every `cumulative_*` metric is the running sum of its flow.
//!
//! `tests/conservation.rs` checks them all on every replication and month.

mod agreement;
mod arrivals;
mod asylum_system;
mod calendar;
mod capacity_building;
mod decision_calendar;
mod duration;
mod event;
mod metrics;
mod replication;
mod slab;
mod step_function;
mod transfer_queue;

use crate::scenario::{self, Household, Scenario};

pub use agreement::{Agreement, RolloutPhase};
pub use arrivals::{ArrivalStream, FamilySizes, MonthProfile, MonthlyCount};
pub use calendar::Calendar;
pub use capacity_building::Staffing;
pub use decision_calendar::{DecisionCalendar, DecisionHalt, Sessions};
pub use duration::Duration;
pub use event::Event;
pub use metrics::{IneligibleReason, MetricKind, MetricLayout, ReceivingMetric, SendingMetric};
pub use replication::{Replication, ReplicationOutput};
pub use step_function::StepFunction;

/// A receiving country's asylum system, ready to simulate.
#[derive(Debug, Clone)]
pub struct AsylumRules {
    /// Probability that a transferred case files, over time.
    pub filing_probability: StepFunction,
    /// Days to file.
    pub filing_window_days: f64,
    /// Adjudicators deciding claims over time (whole numbers): the scenario's `adjudicators` plus trained hires.
    pub adjudicators: StepFunction,
    /// Hires from a capacity-building budget, and the adjudicator-days paid.
    pub staffing: Staffing,
    /// When decisions are issued: sessions and halts.
    pub decisions: DecisionCalendar,
    pub service_time: Duration,
    /// Patience of transferees' claims; `None`: they never abandon.
    pub patience: Option<Duration>,
    pub grant_probability: StepFunction,
    pub initial_backlog: u64,
    /// Other applicants' claims by month.
    pub other_claims: Vec<MonthProfile>,
    /// Patience of other claims and the initial backlog.
    pub other_patience: Option<Duration>,
}

impl AsylumRules {
    /// Adjudicator-days paid in month `month` (a calendar month of the horizon, prorated when the run starts
    /// mid-month): the scenario's `adjudicators` plus capacity-building hires, trainees included.
    pub fn paid_adjudicator_days(&self, month: usize) -> f64 {
        self.staffing.paid_adjudicator_days(month)
    }
}

/// Everything a replication needs, derived from a scenario.
#[derive(Debug, Clone)]
pub struct Model {
    /// The scenario's name.
    pub name: String,
    pub calendar: Calendar,
    /// Country keys, in `[countries]` order.
    pub countries: Vec<String>,
    /// Index of the sending country.
    pub sending: usize,
    pub streams: Vec<ArrivalStream>,
    /// Agreements in file order; `asylum[i]` is the system of `agreements[i].receiving`.
    pub agreements: Vec<Agreement>,
    pub asylum: Vec<AsylumRules>,
    /// Where each metric is stored.
    pub layout: MetricLayout,
}

impl Model {
    /// Builds the model of a scenario that passed validation (as every [`Scenario`] obtained from
    /// [`Scenario::from_toml`] has).
    pub fn new(s: &Scenario) -> Model {
        let calendar = Calendar::new(s.start.0, s.months as usize);
        let countries: Vec<String> = s.countries.keys().cloned().collect();
        let index = |key: &str| countries.iter().position(|c| c == key).expect("validated country reference");
        let step = |schedule: &scenario::Schedule| StepFunction::from_schedule(schedule, &calendar);

        let border_total = s.arrivals.border_total_per_month.as_ref().map(step);
        let streams = s
            .arrivals
            .stream
            .iter()
            .map(|st| {
                let rate_per_day = match (&st.per_month, &st.per_day, &st.share) {
                    (Some(per_month), _, _) => step(per_month).per_day(&calendar),
                    (_, Some(per_day), _) => step(per_day),
                    (_, _, Some(share)) => step(share)
                        .product(border_total.as_ref().expect("validated: share needs a border total"))
                        .per_day(&calendar),
                    _ => StepFunction::constant(0.0),
                };
                let family_sizes = (st.household == Household::Family).then(|| {
                    let sizes = st.family_size.as_ref().or(s.arrivals.family_size.as_ref()).expect("validated");
                    FamilySizes::new(sizes.iter().map(|(k, p)| (k.parse().expect("validated size"), *p)))
                });
                ArrivalStream {
                    nationality: index(&st.nationality),
                    household: st.household,
                    count: MonthlyCount::new(st.count, st.dispersion),
                    family_sizes,
                    months: ArrivalStream::profiles(&rate_per_day, &calendar),
                    settled: Vec::new(),
                }
            })
            .collect::<Vec<_>>();

        let mut agreements = Vec::new();
        let mut asylum = Vec::new();
        for (receiving, a) in &s.agreement {
            let mut eligible = vec![false; countries.len()];
            let mut transit = vec![0.0; countries.len()];
            for nationality in &a.eligible_nationalities {
                let i = index(nationality);
                eligible[i] = nationality != receiving;
                transit[i] = a.transit_probability.get(nationality).copied().unwrap_or(0.0);
            }
            let mut exempt = [false; 3];
            for h in &a.exempt_households {
                exempt[*h as usize] = true;
            }
            let phases = a
                .phase
                .iter()
                .map(|p| {
                    let mut open = [false; 3];
                    for h in &p.households {
                        open[*h as usize] = true;
                    }
                    RolloutPhase { from: calendar.day_of(p.from.0), open, coverage: p.coverage, label: p.label.clone() }
                })
                .collect();
            agreements.push(Agreement {
                receiving: index(receiving),
                eligible,
                transit,
                exempt,
                screening_exempt: step(&a.screening_exempt_share),
                seats_per_day: step(&a.seats_per_month).per_day(&calendar),
                discipline: a.queue_discipline,
                max_wait_days: a.max_wait_days,
                phases,
            });
            let sys = &s.asylum[receiving];
            let other_rate = sys.other_claims_per_month.as_ref().map_or(StepFunction::constant(0.0), step);
            let (adjudicators, staffing) =
                Staffing::new(step(&sys.adjudicators), sys.capacity_building.as_ref(), &calendar);
            asylum.push(AsylumRules {
                filing_probability: step(&sys.filing_probability),
                filing_window_days: sys.filing_window_days,
                adjudicators,
                staffing,
                decisions: DecisionCalendar::new(sys, &calendar),
                service_time: Duration::new(&sys.service_time_days),
                patience: sys.patience_days.as_ref().map(Duration::new),
                grant_probability: step(&sys.grant_probability),
                initial_backlog: sys.initial_backlog as u64,
                other_claims: ArrivalStream::profiles(&other_rate.per_day(&calendar), &calendar),
                other_patience: sys.other_patience_days.as_ref().map(Duration::new),
            });
        }

        let mut streams = streams;
        for stream in &mut streams {
            stream.settled = (0..calendar.months())
                .map(|m| {
                    let (begin, end) = calendar.month_span(m);
                    let refusals: Option<Vec<IneligibleReason>> = agreements
                        .iter()
                        .map(|a| a.settled_refusal(stream.nationality, stream.household, begin, end))
                        .collect();
                    // Same attribution as case by case: the first reason other than nationality, if any.
                    refusals.map(|r| {
                        r.into_iter()
                            .find(|x| *x != IneligibleReason::Nationality)
                            .unwrap_or(IneligibleReason::Nationality)
                    })
                })
                .collect();
        }
        let sending = index(&s.sending_country);
        let layout = MetricLayout {
            months: calendar.labels().to_vec(),
            countries: std::iter::once(countries[sending].clone())
                .chain(agreements.iter().map(|a| countries[a.receiving].clone()))
                .collect(),
        };
        Model { name: s.name.clone(), calendar, countries, sending, streams, agreements, asylum, layout }
    }
}
