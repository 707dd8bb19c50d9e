//! What the agreements cost, month by month: unit costs times the month's counts, computed after the event run.
//!
//! Each receiving country's account holds the costs of its agreement, paid by the sending country (transfers,
//! flights, holding), and those of its own asylum system (decisions and the adjudicators' pay). The sending
//! country's account sums what it pays for every agreement and adds its courts' decisions.

use super::metrics::{MetricLayout, ReceivingMetric, SendingMetric};
use super::{Calendar, Model, StepFunction};

/// What an agreement's transfer operation costs the sending country, in US dollars.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TransferCosts {
    /// Per person transferred.
    pub per_person_usd: f64,
    /// Per person-day in holding, waiting for a seat.
    pub per_holding_day_usd: f64,
    /// Per flight.
    pub per_flight_usd: f64,
}

/// What a receiving country's asylum system costs, in US dollars.
#[derive(Debug, Clone, PartialEq)]
pub struct AdjudicationCosts {
    /// Per decision.
    pub per_decision_usd: f64,
    /// Pay of one adjudicator of the base staff (the `adjudicators` schedule) for a month.
    pub per_adjudicator_month_usd: f64,
    /// Adjudicator-days of the base staff in each month of the horizon.
    pub base_adjudicator_days: Vec<f64>,
    /// Pay of one capacity-building hire for a month (trainees are paid too).
    pub per_hired_adjudicator_month_usd: f64,
}

impl AdjudicationCosts {
    /// The costs of a system whose base staff is `adjudicators`.
    pub fn new(
        per_decision_usd: f64,
        per_adjudicator_month_usd: f64,
        adjudicators: &StepFunction,
        calendar: &Calendar,
    ) -> AdjudicationCosts {
        let base_adjudicator_days = (0..calendar.months())
            .map(|m| {
                let (begin, end) = calendar.month_span(m);
                adjudicators.integral(begin, end)
            })
            .collect();
        AdjudicationCosts {
            per_decision_usd,
            per_adjudicator_month_usd,
            base_adjudicator_days,
            per_hired_adjudicator_month_usd: 0.0,
        }
    }
}

/// Fills every cost metric of a replication from its counts (the courts' included, so after [`super::courts`]).
pub fn account(model: &Model, values: &mut [f64]) {
    let layout: &MetricLayout = &model.layout;
    for m in 0..layout.months.len() {
        let mut agreement_cost = 0.0;
        for (r, (agreement, rules)) in model.agreements.iter().zip(&model.asylum).enumerate() {
            let get = |metric: ReceivingMetric| values[layout.receiving_at(m, r, metric)];
            let unit = &agreement.costs;
            let transfer = get(ReceivingMetric::TransferredPeople) * unit.per_person_usd;
            let flight = get(ReceivingMetric::FlightsCount) * unit.per_flight_usd;
            let holding = get(ReceivingMetric::HoldingPersonDays) * unit.per_holding_day_usd;
            let adjudication = get(ReceivingMetric::DecisionsCases) * rules.costs.per_decision_usd;
            let staff = rules.staff_cost_usd(m, model.calendar.month_length(m));
            agreement_cost += transfer + flight + holding;
            let costs = [
                (ReceivingMetric::TransferCostUsd, transfer),
                (ReceivingMetric::FlightCostUsd, flight),
                (ReceivingMetric::HoldingCostUsd, holding),
                (ReceivingMetric::AdjudicationCostUsd, adjudication),
                (ReceivingMetric::StaffCostUsd, staff),
                (ReceivingMetric::CostUsd, transfer + flight + holding + adjudication + staff),
            ];
            for (metric, value) in costs {
                values[layout.receiving_at(m, r, metric)] = value;
            }
        }
        let per_decision = model.courts.as_ref().map_or(0.0, |c| c.cost_per_decision_usd);
        let court_cost = values[layout.sending(m, SendingMetric::CourtDecisionsCases)] * per_decision;
        values[layout.sending(m, SendingMetric::AgreementCostUsd)] = agreement_cost;
        values[layout.sending(m, SendingMetric::CourtCostUsd)] = court_cost;
        values[layout.sending(m, SendingMetric::CostUsd)] = agreement_cost + court_cost;
    }
}
