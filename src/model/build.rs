//! Scenario → model: a validated scenario's dates placed on the model's clock, its schedules turned into step
//! functions, its references resolved to indices. Everything the model reads from a scenario is read here.

use chrono::Datelike as _;

use crate::scenario::{self, AgreementKind, Household, Scenario};

use super::{
    AdjudicationCosts, Agreement, ArrivalStream, AsylumRules, Calendar, CompetingRoute, DecisionCalendar,
    DeterrenceRules, DurationDist, FamilySizes, FlightPlan, IneligibleReason, LateFilingRules, MetricLayout, Model,
    MonthlyCount, OnwardRules, RolloutPhase, Routing, SendingCourts, Staffing, StepFunction, Suspension, TransferCosts,
};

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
                    protection_seeking: st.protection_seeking_share.as_ref().map_or(StepFunction::constant(1.0), step),
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
                // Without a transit requirement everyone of the nationality passes the transit test.
                transit[i] = if a.requires_transit {
                    a.transit_probability.get(nationality).copied().unwrap_or(0.0)
                } else {
                    1.0
                };
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
                    let seat_shares =
                        p.seat_shares.map_or([0.0; 3], |x| [x.single_adult, x.family, x.unaccompanied_child]);
                    RolloutPhase {
                        from: calendar.day_of(p.from.0),
                        open,
                        coverage: p.coverage,
                        label: p.label.clone(),
                        seat_shares,
                    }
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
                seat_timing: a.seat_timing,
                run_at: a.operation_time.day_fraction(),
                weekday_of_day_zero: s.start.0.weekday().num_days_from_monday(),
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
                    come_back: o.come_back_days.as_ref().map(DurationDist::new),
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
                late_filing: sys
                    .late_filing
                    .as_ref()
                    .filter(|_| !transit_stop)
                    .map(|l| LateFilingRules { probability: l.probability, delay: DurationDist::new(&l.delay_days) }),
                protection_concern_share: sys.protection_concern.as_ref().map_or(0.0, |c| c.share),
                filing_factor_without_concern: sys
                    .protection_concern
                    .as_ref()
                    .map_or(1.0, |c| c.filing_factor_without_concern),
                adjudicators,
                staffing,
                decisions: DecisionCalendar::new(sys, &calendar),
                service_time: DurationDist::new(&sys.service_time_days),
                patience: sys.patience_days.as_ref().map(DurationDist::new),
                grant_probability: step(&sys.grant_probability),
                initial_backlog: sys.initial_backlog as u64,
                other_claims: ArrivalStream::profiles(&other_rate.per_day(&calendar), &calendar),
                other_patience: sys.other_patience_days.as_ref().map(DurationDist::new),
                costs,
            });
        }

        let routes: Vec<CompetingRoute> = s
            .arrivals
            .route
            .iter()
            .map(|r| CompetingRoute {
                kind: r.kind,
                share: step(&r.share),
                nationalities: countries
                    .iter()
                    .map(|c| r.nationalities.is_empty() || r.nationalities.contains(c))
                    .collect(),
                households: Household::ALL.map(|h| r.households.is_empty() || r.households.contains(&h)),
            })
            .collect();
        let mut streams = streams;
        for stream in &mut streams {
            stream.settled = (0..calendar.months())
                .map(|m| {
                    let (begin, end) = calendar.month_span(m);
                    // A month in which some arrivals may not seek protection, or may be taken by a route, needs
                    // each case's own draws at its own time: it is not settled in aggregate.
                    let protection_varies = stream.protection_seeking.pieces(begin, end).any(|(_, _, v)| v < 1.0);
                    if protection_varies
                        || routes.iter().any(|r| r.may_apply(stream.nationality, stream.household, begin, end))
                    {
                        return None;
                    }
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
            routes,
            layout,
        }
    }
}
