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
//! The sending country's courts (a fluid account, see `courts`: expectations, not whole numbers, so these hold to
//! rounding; with no `[sending_courts]` every court metric is 0 and the averted share undefined)
//! - `Δ court_backlog_cases = court_claims_filed_cases − court_decisions_cases` (Δ from the courts' initial backlog);
//! - `court_decisions_cases = court_grants_cases + court_denials_cases`, and `court_barred_cases` is part of them;
//! - `court_backlog_without_agreement_cases ≥ court_backlog_cases` (the same initial backlog before the first month);
//! - `court_claims_averted_share = court_claims_averted_cases / (court_claims_filed_cases + court_claims_averted_cases)`.
//!
//! Costs (US dollars, to rounding; see `costs`)
//! - each receiving country: `cost_usd = transfer_cost_usd + flight_cost_usd + holding_cost_usd +
//!   adjudication_cost_usd + staff_cost_usd`;
//! - sending country: `agreement_cost_usd = Σ (transfer_cost_usd + flight_cost_usd + holding_cost_usd)` over
//!   receiving countries, and `cost_usd = agreement_cost_usd + court_cost_usd`.
//!
//! Each receiving country
//! - `eligible_cases = transferred_cases + released_cases + Δ waiting_transfer_cases`;
//! - `transferred_cases = transferee_claims_filed_cases + not_filed_cases + Δ filing_window_cases`;
//! - `claims_filed_cases = transferee_claims_filed_cases + other_claims_filed_cases`;
//! - `Δ backlog_cases = claims_filed_cases − decisions_cases − abandoned_cases`;
//! - `decisions_cases = grants_cases + denials_cases`;
//! - `Δ transferee_backlog_cases = transferee_claims_filed_cases − transferee_decisions_cases − transferee_abandoned_cases`;
//! - every `cumulative_*` metric is the running sum of its flow.
//!
//! `tests/conservation.rs` checks them all on every replication and month.

mod agreement;
mod arrivals;
mod asylum_system;
mod calendar;
mod costs;
mod courts;
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
pub use costs::{AdjudicationCosts, TransferCosts};
pub use courts::SendingCourts;
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
    /// Adjudicators over time (whole numbers).
    pub adjudicators: StepFunction,
    pub service_time: Duration,
    /// Patience of transferees' claims; `None`: they never abandon.
    pub patience: Option<Duration>,
    pub grant_probability: StepFunction,
    pub initial_backlog: u64,
    /// Other applicants' claims by month.
    pub other_claims: Vec<MonthProfile>,
    /// Patience of other claims and the initial backlog.
    pub other_patience: Option<Duration>,
    /// Unit costs of decisions and staff, and the base staff's adjudicator-days per month.
    pub costs: AdjudicationCosts,
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
    /// The sending country's courts, if the scenario models them.
    pub courts: Option<SendingCourts>,
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
                costs: TransferCosts {
                    per_person_usd: a.cost_per_transferred_person_usd,
                    per_holding_day_usd: a.cost_per_holding_day_usd,
                    // Set from `flights.cost_per_flight_usd` once flights are modelled; until then no flight is counted.
                    per_flight_usd: 0.0,
                },
            });
            let sys = &s.asylum[receiving];
            let other_rate = sys.other_claims_per_month.as_ref().map_or(StepFunction::constant(0.0), step);
            let adjudicators = step(&sys.adjudicators);
            let costs = AdjudicationCosts::new(
                sys.cost_per_decision_usd,
                sys.cost_per_adjudicator_month_usd,
                &adjudicators,
                &calendar,
            );
            asylum.push(AsylumRules {
                filing_probability: step(&sys.filing_probability),
                filing_window_days: sys.filing_window_days,
                adjudicators,
                service_time: Duration::new(&sys.service_time_days),
                patience: sys.patience_days.as_ref().map(Duration::new),
                grant_probability: step(&sys.grant_probability),
                initial_backlog: sys.initial_backlog as u64,
                other_claims: ArrivalStream::profiles(&other_rate.per_day(&calendar), &calendar),
                other_patience: sys.other_patience_days.as_ref().map(Duration::new),
                costs,
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
        let courts = s.sending_courts.as_ref().map(|c| SendingCourts::new(c, &calendar));
        Model { name: s.name.clone(), calendar, countries, sending, streams, agreements, asylum, courts, layout }
    }
}
