//! The sending country's courts, as a monthly stock-flow account computed from a replication's flows.
//!
//! A court of a million pending cases is a stock, not a queue of individuals: following each claim through it would
//! cost a million events and tell nothing the month's totals do not. So after the event run, month by month:
//!
//! - credible fear found = pass share × the month's credible-fear referrals (protection seekers joining the
//!   sending country's process, except those sent to wait abroad; the expelled and those not seeking protection
//!   never reach the courts);
//! - claims filed = claim share × (credible fear found + those sent to wait abroad, who go before the courts
//!   directly);
//! - decisions = min(capacity, backlog at the start of the month + claims filed), taken from the pending claims
//!   in proportion (ASSUMPTION: no docket order is modelled; every pending claim is equally likely decided);
//! - backlog at month end = backlog at the start + claims filed − decisions;
//! - the transit bar applies by entry date: a month's new claims count as entered on or after the bar's entry
//!   date for the part of the month from that date; the initial backlog never does. Of the decisions on such
//!   claims taken while the bar is in force (for the part of the month between its dates), `applies_share` are
//!   under the bar and granted at its rate; the rest at the court's grant probability;
//! - claims averted count each case once: a transfer averts the claim the case would have filed without the
//!   agreement (claim share × pass share: it would have been screened like any protection seeker); a transferee
//!   who comes back to the border (and is not expelled) takes that expected claim back, since whatever it then
//!   files is in the claims filed. Transferees back in a month take the average expected claim of the transferees
//!   still away, so the averted claims of a month may be negative, never their running total;
//! - the counterfactual without the agreements runs the same recursion with the averted claims added to the
//!   inflow.
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
    /// Share of the cases referred to the courts that file a claim, in each month.
    pub claim_share: Vec<f64>,
    /// Share of the credible-fear screenings that find a credible fear, in each month.
    pub credible_fear_pass: Vec<f64>,
    /// Share of each month's new claims from entries on or after the transit bar's entry date (0 without a bar).
    pub bar_entry_share: Vec<f64>,
    /// Grant probability of decisions not under the bar, in each month.
    pub grant_probability: Vec<f64>,
    /// Share of each month's decisions on claims entered on or after the bar's entry date that fall under it:
    /// its `applies_share` for the part of the month it is in force (0 throughout without a bar).
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
        // Share of each month inside [from, until).
        let part = |from: f64, until: f64| -> Vec<f64> {
            spans.iter().map(|&(a, b)| (until.min(b) - from.max(a)).clamp(0.0, b - a) / (b - a)).collect()
        };
        let (barred_share, bar_entry_share, barred_grant_probability) = match &spec.transit_bar {
            Some(bar) => {
                let until = bar.until.map_or(f64::INFINITY, |d| calendar.day_of(d.0));
                let in_force = part(calendar.day_of(bar.from.0), until);
                (
                    in_force.iter().map(|f| f * bar.applies_share).collect(),
                    part(calendar.day_of(bar.entries_from.0), f64::INFINITY),
                    bar.grant_probability,
                )
            }
            None => (vec![0.0; spans.len()], vec![0.0; spans.len()], 0.0),
        };
        SendingCourts {
            initial_backlog: spec.initial_backlog,
            capacity: spans.iter().map(|&(a, b)| per_day.integral(a, b)).collect(),
            claim_share: mean(step(&spec.claim_share)),
            credible_fear_pass: mean(step(&spec.credible_fear_pass_share)),
            bar_entry_share,
            grant_probability: mean(step(&spec.grant_probability)),
            barred_share,
            barred_grant_probability,
            cost_per_decision_usd: spec.cost_per_decision_usd,
        }
    }

    /// Fills the court metrics of every month from the replication's flows already in `values`.
    fn account(&self, layout: &MetricLayout, values: &mut [f64]) {
        // Pending claims that entered before the bar's entry date (the initial backlog among them), and after.
        let (mut before_bar, mut after_bar) = (self.initial_backlog, 0.0);
        let mut without = self.initial_backlog;
        // Transferees still away, and the claims they would have filed here.
        let (mut away, mut away_claims) = (0.0, 0.0);
        for m in 0..layout.months.len() {
            let get = |metric: SendingMetric| values[layout.sending(m, metric)];
            let share = self.claim_share[m];
            let found = self.credible_fear_pass[m] * get(SendingMetric::CredibleFearReferralsCases);
            let filed = share * (found + get(SendingMetric::IneligibleWaitAbroadCases));
            // Each case once: a transfer averts its expected claim; a transferee back at the border (and not
            // expelled) takes back the average expected claim of those away, since what it files now is in `filed`.
            let transferred = get(SendingMetric::TransferredCases);
            let back = get(SendingMetric::ReArrivalsCases) - get(SendingMetric::ReArrivalsExpelledCases);
            let would_file = share * self.credible_fear_pass[m];
            away += transferred;
            away_claims += would_file * transferred;
            let taken_back = if away > 0.0 { away_claims * (back / away).min(1.0) } else { 0.0 };
            away -= back;
            away_claims -= taken_back;
            let averted = would_file * transferred - taken_back;
            before_bar += filed * (1.0 - self.bar_entry_share[m]);
            after_bar += filed * self.bar_entry_share[m];
            let pending = before_bar + after_bar;
            let decisions = self.capacity[m].min(pending);
            // Written so that a court that decides everything it has ends the month with exactly 0, never −ε.
            let after_bar_decisions = if decisions >= pending {
                let all = after_bar;
                (before_bar, after_bar) = (0.0, 0.0);
                all
            } else {
                let taken = decisions * after_bar / pending;
                before_bar -= decisions - taken;
                after_bar -= taken;
                taken
            };
            let pending_without = without + filed + averted;
            without = pending_without - self.capacity[m].min(pending_without);
            let barred = after_bar_decisions * self.barred_share[m];
            let grants = (barred * self.barred_grant_probability + (decisions - barred) * self.grant_probability[m])
                .min(decisions);
            let claims = filed + averted;
            let results = [
                (SendingMetric::CourtClaimsFiledCases, filed),
                (SendingMetric::CourtDecisionsCases, decisions),
                (SendingMetric::CourtGrantsCases, grants),
                (SendingMetric::CourtDenialsCases, decisions - grants),
                (SendingMetric::CourtBarredCases, barred),
                (SendingMetric::CourtBacklogCases, before_bar + after_bar),
                (SendingMetric::CourtBacklogWithoutAgreementCases, without),
                (SendingMetric::CourtClaimsAvertedCases, averted),
                (SendingMetric::CourtClaimsAvertedShare, if claims > 0.0 { averted / claims } else { f64::NAN }),
                (SendingMetric::CourtCredibleFearFoundCases, found),
                (SendingMetric::CourtClaimsWithoutAgreementCases, claims),
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
