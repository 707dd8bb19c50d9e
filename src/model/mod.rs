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
//! - `ineligible_cases = Σ ineligible_<reason>_cases` (`suspended` among the reasons);
//! - `eligible_cases = transferred_cases + released_cases + Δ waiting_transfer_cases`; hence
//!   `arrivals_cases = ineligible_cases + transferred_cases + released_cases + Δ waiting_transfer_cases`;
//! - `arrivals_people = ineligible_people + transferred_people + released_people + Δ waiting_transfer_people`;
//! - `to_sending_process_cases = ineligible_cases + released_cases + diverted_cases` (people likewise);
//! - `diverted_cases ≤ deterred_cases` (the deterred never arrive, so they are not in `arrivals_cases`);
//!   `re_arrivals_cases ≤ arrivals_cases`;
//! - `Σ cumulative_came_back_cases` over receiving countries `= cumulative_re_arrivals_cases + returning_cases`:
//!   everyone who set off back has arrived again or is still on the way;
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
//! - `Δ backlog_cases = claims_filed_cases − decisions_cases − abandoned_cases`, with `decisions_cases` the
//!   decisions *issued*;
//! - `backlog_cases = waiting + in_adjudication_cases + awaiting_session_cases` (waiting for an adjudicator is not
//!   a metric of its own, so the check is `in_adjudication_cases + awaiting_session_cases ≤ backlog_cases`);
//! - `decisions_cases = grants_cases + denials_cases`;
//! - `returned_home_cases + moved_on_cases + came_back_cases + remained_cases = not_filed_cases +
//!   transferee_abandoned_cases + transferee_decisions_cases − transferee_grants_cases` (people ≥ cases for each);
//! - `released_holding_full_cases ≤ released_cases`;
//! - with `[sessions]`, decisions are issued only at sessions: `sessions_count = 0 ⇒ decisions_cases = 0`;
//!   without sessions `sessions_count = 0`, and without sessions or halts `awaiting_session_cases = 0`;
//! - in a month entirely inside a halt of decisions: `decisions_cases = 0`, `sessions_count = 0`,
//!   `in_adjudication_cases` does not grow (no adjudication starts) and `awaiting_session_cases` does not shrink;
//! - `trainee_adjudicators_count ≤ hired_adjudicators_count ≤ ⌊budget / (cost per month × months)⌋` and
//!   `adjudicators_count ≥ hired_adjudicators_count − trainee_adjudicators_count` (trained hires decide);
//! - `Δ transferee_backlog_cases = transferee_claims_filed_cases − transferee_decisions_cases − transferee_abandoned_cases`;
//! - every `cumulative_*` metric is the running sum of its flow.
//!
//! `tests/suite/conservation.rs` checks them all on every replication and month.

mod agreement;
mod arrivals;
mod asylum_system;
mod calendar;
mod capacity_building;
mod costs;
mod courts;
mod decision_calendar;
mod duration;
mod event;
mod metrics;
mod replication;
mod slab;
mod step_function;
mod transfer_queue;

use chrono::Datelike as _;

use crate::scenario::{self, AgreementKind, Household, RoutingRule, Scenario};

pub use agreement::{Agreement, FlightPlan, RolloutPhase, Suspension};
pub use arrivals::{ArrivalStream, FamilySizes, MonthProfile, MonthlyCount};
pub use calendar::Calendar;
pub use capacity_building::Staffing;
pub use costs::{AdjudicationCosts, TransferCosts};
pub use courts::SendingCourts;
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
    /// Where transferees go when they leave the asylum process.
    pub onward: OnwardRules,
    /// Unit costs of decisions and staff, and the base staff's adjudicator-days per month.
    pub costs: AdjudicationCosts,
}

impl AsylumRules {
    /// A receiving country where nobody claims asylum: a stop of `stay_days` on the way home.
    pub fn transit_stop(stay_days: f64, calendar: &Calendar) -> AsylumRules {
        let nothing = StepFunction::constant(0.0);
        AsylumRules {
            filing_probability: nothing.clone(),
            filing_window_days: stay_days,
            adjudicators: nothing.clone(),
            service_time: Duration::Fixed(1.0),
            patience: None,
            grant_probability: nothing.clone(),
            initial_backlog: 0,
            other_claims: ArrivalStream::profiles(&nothing, calendar),
            other_patience: None,
            onward: OnwardRules {
                not_filed: OnwardShares { return_home: 1.0, ..OnwardShares::default() },
                ..OnwardRules::default()
            },
            costs: AdjudicationCosts::new(0.0, 0.0, &nothing, calendar),
            staffing: Staffing::new(nothing.clone(), None, calendar).1,
            decisions: DecisionCalendar::default(),
        }
    }
}

/// What transferees do after the receiving country, by how they left its asylum process.
#[derive(Debug, Clone, Default)]
pub struct OnwardRules {
    pub not_filed: OnwardShares,
    pub abandoned: OnwardShares,
    pub denied: OnwardShares,
    /// Time to reach the sending country's border again; `None` when nobody comes back.
    pub come_back: Option<Duration>,
}

/// Where a group of transferees goes; shares of cases, the rest remain.
#[derive(Debug, Clone, Copy, Default)]
pub struct OnwardShares {
    pub return_home: f64,
    pub move_on: f64,
    pub come_back: f64,
}

/// Where one transferee goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    Home,
    Onward,
    Back,
    Remain,
}

impl OnwardShares {
    /// Whether every case remains (all shares zero): the destination is then known without a draw.
    #[inline]
    pub fn everyone_remains(&self) -> bool {
        // Shares are validated non-negative, so a zero sum means no threshold a uniform in [0, 1) falls below.
        self.return_home + self.move_on + self.come_back <= 0.0
    }

    /// The destination of a case whose uniform draw is `u`.
    pub fn destination(&self, u: f64) -> Destination {
        if u < self.return_home {
            Destination::Home
        } else if u < self.return_home + self.move_on {
            Destination::Onward
        } else if u < self.return_home + self.move_on + self.come_back {
            Destination::Back
        } else {
            Destination::Remain
        }
    }
}

impl From<scenario::OnwardShares> for OnwardShares {
    fn from(s: scenario::OnwardShares) -> OnwardShares {
        OnwardShares { return_home: s.return_home, move_on: s.move_on, come_back: s.come_back }
    }
}

/// How a case eligible under several agreements is assigned one.
#[derive(Debug, Clone)]
pub struct Routing {
    pub rule: RoutingRule,
    /// Weight of each agreement, for [`RoutingRule::Shares`].
    pub weights: Vec<f64>,
}

/// Deterrence (an assumption): would-be arrivals stay away with the recent share of their nationality transferred,
/// with probability 1 − (1 − share)^elasticity: about elasticity × share while the share is small, and short of
/// certainty until everyone is transferred (a linear form would hit 1, and stop all arrivals, at share 1/elasticity).
#[derive(Debug, Clone)]
pub struct DeterrenceRules {
    pub elasticity: f64,
    pub lag_months: usize,
    pub window_months: usize,
    pub diverted_share: f64,
    pub label: String,
}

impl DeterrenceRules {
    /// Probability that a would-be arrival in month `month` stays away, given people arrived and transferred by
    /// month for its nationality; `None` when nobody arrived over the window, so that there is no new share to react
    /// to (the replication then keeps the previous month's probability: deterrence does not lapse because it worked).
    pub fn probability(
        &self,
        month: usize,
        arrived: impl Fn(usize) -> f64,
        transferred: impl Fn(usize) -> f64,
    ) -> Option<f64> {
        let Some(last) = month.checked_sub(self.lag_months) else { return Some(0.0) };
        let first = (last + 1).saturating_sub(self.window_months);
        let (mut a, mut t) = (0.0, 0.0);
        for m in first..=last.min(month.saturating_sub(1)) {
            a += arrived(m);
            t += transferred(m);
        }
        (a > 0.0).then(|| 1.0 - (1.0 - (t / a).clamp(0.0, 1.0)).powf(self.elasticity))
    }
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
    pub routing: Routing,
    pub deterrence: Option<DeterrenceRules>,
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
            let flights = a.flights.as_ref().map(|f| {
                let mut weekdays = [false; 7];
                for d in &f.weekdays {
                    weekdays[d.from_monday() as usize] = true;
                }
                FlightPlan {
                    weekdays,
                    weekday_of_day_zero: s.start.0.weekday().num_days_from_monday(),
                    seats_per_flight: step(&f.seats_per_flight),
                }
            });
            let suspensions = a
                .suspension
                .iter()
                .map(|x| Suspension {
                    from: calendar.day_of(x.from.0),
                    until: x.until.map_or(f64::INFINITY, |u| calendar.day_of(u.0)),
                    waiting: x.waiting,
                    label: x.label.clone(),
                })
                .collect();
            agreements.push(Agreement {
                kind: a.kind,
                flights,
                holding_capacity: a.holding_capacity_people,
                suspensions,
                receiving: index(receiving),
                eligible,
                transit,
                exempt,
                screening_exempt: step(&a.screening_exempt_share),
                seats_per_day: a
                    .seats_per_month
                    .as_ref()
                    .map_or(StepFunction::constant(f64::INFINITY), |seats| step(seats).per_day(&calendar)),
                discipline: a.queue_discipline,
                max_wait_days: a.max_wait_days,
                phases,
                costs: TransferCosts {
                    per_person_usd: a.cost_per_transferred_person_usd,
                    per_holding_day_usd: a.cost_per_holding_day_usd,
                    per_flight_usd: a.flights.as_ref().map_or(0.0, |f| f.cost_per_flight_usd),
                },
            });
            let Some(sys) = s.asylum.get(receiving) else {
                // Validated: only a transit-and-return agreement may have no asylum system.
                asylum.push(AsylumRules::transit_stop(a.stay_days.unwrap_or(1.0), &calendar));
                continue;
            };
            let other_rate = sys.other_claims_per_month.as_ref().map_or(StepFunction::constant(0.0), step);
            let mut onward = OnwardRules::default();
            if let Some(o) = &sys.onward {
                onward = OnwardRules {
                    not_filed: o.not_filed.into(),
                    abandoned: o.abandoned.into(),
                    denied: o.denied.into(),
                    come_back: o.come_back_days.as_ref().map(Duration::new),
                };
            } else if a.kind == AgreementKind::TransitReturn {
                onward.not_filed.return_home = 1.0;
            }
            let transit_stop = a.kind == AgreementKind::TransitReturn;
            let base = step(&sys.adjudicators);
            let mut costs =
                AdjudicationCosts::new(sys.cost_per_decision_usd, sys.cost_per_adjudicator_month_usd, &base, &calendar);
            costs.per_hired_adjudicator_month_usd =
                sys.capacity_building.as_ref().map_or(0.0, |c| c.cost_per_adjudicator_month_usd);
            let (adjudicators, staffing) = Staffing::new(base, sys.capacity_building.as_ref(), &calendar);
            asylum.push(AsylumRules {
                onward,
                filing_probability: if transit_stop {
                    StepFunction::constant(0.0)
                } else {
                    step(&sys.filing_probability)
                },
                filing_window_days: if transit_stop { a.stay_days.unwrap_or(1.0) } else { sys.filing_window_days },
                adjudicators,
                staffing,
                decisions: DecisionCalendar::new(sys, &calendar),
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
        let routing = Routing {
            rule: s.routing.rule,
            weights: s.agreement.keys().map(|k| s.routing.shares.get(k).copied().unwrap_or(0.0)).collect(),
        };
        let deterrence = s.arrivals.deterrence.as_ref().map(|d| DeterrenceRules {
            elasticity: d.elasticity,
            lag_months: d.lag_months as usize,
            window_months: d.window_months as usize,
            diverted_share: d.diverted_share,
            label: d.label.clone(),
        });
        let courts = s.sending_courts.as_ref().map(|c| SendingCourts::new(c, &calendar));
        Model {
            name: s.name.clone(),
            calendar,
            countries,
            sending,
            streams,
            agreements,
            asylum,
            routing,
            deterrence,
            courts,
            layout,
        }
    }
}
