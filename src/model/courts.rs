//! The sending country's courts, as a monthly stock-flow account computed from a replication's flows.
//!
//! A court of a million pending cases is a stock, not a queue of individuals: following each claim through it would
//! cost a million events and tell nothing the month's totals do not. So after the event run, month by month:
//!
//! - claims filed = claim share × cases joining the sending country's process (the diverted included);
//! - decisions = min(capacity, backlog at the start of the month + claims filed);
//! - backlog at month end = backlog at the start + claims filed − decisions;
//! - the counterfactual without the agreements runs the same recursion with the averted claims added to the
//!   inflow: averted = claim share × transferred cases (those who would have claimed here instead);
//! - of the decisions, the share taken under the third-country transit bar (its `applies_share`, for the part
//!   of the month it is in force) is granted at the bar's rate, the rest at the court's grant probability.
//!
//! The values are expectations, not whole numbers. Schedules are read as their time-average over the month (a
//! share or probability) or their integral over it (the capacity, a per-month rate, so a partial month is prorated).

use crate::scenario;

use super::metrics::{MetricLayout, SendingMetric};
use super::{Calendar, Model, StepFunction};

/// The sending country's courts, placed on the calendar: one value per month of the horizon.
#[derive(Debug, Clone)]
pub struct SendingCourts {
    /// Claims pending at the start, in cases.
    pub initial_backlog: f64,
    /// Decisions the courts can take in each month, in cases.
    pub capacity: Vec<f64>,
    /// Share of the cases joining the sending country's process that file a claim, in each month.
    pub claim_share: Vec<f64>,
    /// Grant probability of decisions not under the bar, in each month.
    pub grant_probability: Vec<f64>,
    /// Share of each month's decisions taken under the transit bar (0 throughout without one).
    pub barred_share: Vec<f64>,
    /// Grant probability of decisions under the bar.
    pub barred_grant_probability: f64,
    /// Cost of one decision, in US dollars.
    pub cost_per_decision_usd: f64,
}

impl SendingCourts {
    /// Places the courts of a validated scenario on the calendar.
    pub fn new(spec: &scenario::SendingCourts, calendar: &Calendar) -> SendingCourts {
        let step = |schedule: &scenario::Schedule| StepFunction::from_schedule(schedule, calendar);
        let spans: Vec<(f64, f64)> = (0..calendar.months()).map(|m| calendar.month_span(m)).collect();
        let mean = |f: StepFunction| -> Vec<f64> { spans.iter().map(|&(a, b)| f.integral(a, b) / (b - a)).collect() };
        let per_day = step(&spec.decisions_per_month).per_day(calendar);
        let (barred_share, barred_grant_probability) = match &spec.transit_bar {
            Some(bar) => {
                let from = calendar.day_of(bar.from.0);
                let in_force = spans.iter().map(|&(a, b)| (b - from.max(a)).clamp(0.0, b - a) / (b - a));
                (in_force.map(|f| f * bar.applies_share).collect(), bar.grant_probability)
            }
            None => (vec![0.0; spans.len()], 0.0),
        };
        SendingCourts {
            initial_backlog: spec.initial_backlog,
            capacity: spans.iter().map(|&(a, b)| per_day.integral(a, b)).collect(),
            claim_share: mean(step(&spec.claim_share)),
            grant_probability: mean(step(&spec.grant_probability)),
            barred_share,
            barred_grant_probability,
            cost_per_decision_usd: spec.cost_per_decision_usd,
        }
    }

    /// Fills the court metrics of every month from the replication's flows already in `values`.
    fn account(&self, layout: &MetricLayout, values: &mut [f64]) {
        let mut backlog = self.initial_backlog;
        let mut without = self.initial_backlog;
        for m in 0..layout.months.len() {
            let get = |metric: SendingMetric| values[layout.sending(m, metric)];
            let share = self.claim_share[m];
            let filed = share * get(SendingMetric::ToSendingProcessCases);
            let averted = share * get(SendingMetric::TransferredCases);
            // Written so that a court that decides everything it has ends the month with exactly 0, never −ε.
            let pending = backlog + filed;
            let decisions = self.capacity[m].min(pending);
            backlog = pending - decisions;
            let pending_without = without + filed + averted;
            without = pending_without - self.capacity[m].min(pending_without);
            let barred = decisions * self.barred_share[m];
            let grants = (barred * self.barred_grant_probability + (decisions - barred) * self.grant_probability[m])
                .min(decisions);
            let claims = filed + averted;
            let results = [
                (SendingMetric::CourtClaimsFiledCases, filed),
                (SendingMetric::CourtDecisionsCases, decisions),
                (SendingMetric::CourtGrantsCases, grants),
                (SendingMetric::CourtDenialsCases, decisions - grants),
                (SendingMetric::CourtBarredCases, barred),
                (SendingMetric::CourtBacklogCases, backlog),
                (SendingMetric::CourtBacklogWithoutAgreementCases, without),
                (SendingMetric::CourtClaimsAvertedCases, averted),
                (SendingMetric::CourtClaimsAvertedShare, if claims > 0.0 { averted / claims } else { f64::NAN }),
            ];
            for (metric, value) in results {
                values[layout.sending(m, metric)] = value;
            }
        }
    }
}

/// Fills the court metrics of a replication from its flows; without courts they stay 0 and the averted share,
/// a ratio of nothing to nothing, is undefined.
pub fn account(model: &Model, values: &mut [f64]) {
    match &model.courts {
        Some(courts) => courts.account(&model.layout, values),
        None => {
            for m in 0..model.layout.months.len() {
                values[model.layout.sending(m, SendingMetric::CourtClaimsAvertedShare)] = f64::NAN;
            }
        }
    }
}
