//! A report section per mechanism the run uses (after the receiving country, deterrence, the sending country's
//! courts, costs, transfer operations, decision sessions and staff): its key totals and its charts.
//!
//! A section is written when the run drew a chart of its mechanism (charts are drawn only for metrics the summary
//! table has with some value other than zero), so that the report and the charts agree; deterrence gets its
//! section whenever the scenario assumes it. The figures are read from the summary table by metric name: running
//! totals and month-end stocks at the end of the horizon with their band across replications, and totals of flows
//! the table keeps only month by month as their mean (the sum of the monthly means: a mean adds up over months,
//! quantiles do not).

use super::{Block, ReportInput, figure_number};
use crate::output::SummaryTable;
use crate::output::charts::{ChartSpec, Mechanism, thousands};

/// How a figure is read from a metric's months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// The last month's value: a running total, or a stock at the end of the horizon.
    AtEnd,
    /// The sum over months of a flow's monthly mean: the mean total across replications, without a band.
    MeanTotal,
}

use Reading::{AtEnd, MeanTotal};

/// Whose figure it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Whose {
    Sending,
    /// Each receiving country the mechanism's charts were drawn for (every receiving country for costs).
    Receiving,
}

/// One row of a section's table: whose, what (with its unit), the metric, and how it is read.
type Row = (Whose, &'static str, &'static str, Reading);

const AFTER_RECEIVING: [Row; 6] = [
    (Whose::Receiving, "returned home (cases, running total)", "cumulative_returned_home_cases", AtEnd),
    (Whose::Receiving, "moved on elsewhere (cases)", "moved_on_cases", MeanTotal),
    (
        Whose::Receiving,
        "set off back to the sending country (cases, running total)",
        "cumulative_came_back_cases",
        AtEnd,
    ),
    (Whose::Receiving, "not followed: stayed or went anywhere (cases)", "not_followed_cases", MeanTotal),
    (Whose::Sending, "arrived again at the border (cases, running total)", "cumulative_re_arrivals_cases", AtEnd),
    (Whose::Sending, "on the way back at the end (cases)", "returning_cases", AtEnd),
];

const DETERRENCE: [Row; 3] = [
    (Whose::Sending, "deterred: stayed away (cases, running total)", "cumulative_deterred_cases", AtEnd),
    (Whose::Sending, "diverted: came by another route (cases)", "diverted_cases", MeanTotal),
    (Whose::Sending, "diverted: came by another route (people)", "diverted_people", MeanTotal),
];

const COURTS: [Row; 7] = [
    (Whose::Sending, "claims pending in the courts at the end (cases)", "court_backlog_cases", AtEnd),
    (
        Whose::Sending,
        "claims pending at the end without the agreement (cases)",
        "court_backlog_without_agreement_cases",
        AtEnd,
    ),
    (Whose::Sending, "claims filed in the courts (cases)", "court_claims_filed_cases", MeanTotal),
    (Whose::Sending, "claims averted by the agreement (cases)", "court_claims_averted_cases", MeanTotal),
    (Whose::Sending, "court decisions (cases)", "court_decisions_cases", MeanTotal),
    (Whose::Sending, "court grants (cases)", "court_grants_cases", MeanTotal),
    (Whose::Sending, "decisions under the transit bar (cases)", "court_barred_cases", MeanTotal),
];

const COSTS: [Row; 9] = [
    (Whose::Sending, "cost, running total (US dollars)", "cumulative_cost_usd", AtEnd),
    (Whose::Sending, "transfers, flights and holding, every agreement (US dollars)", "agreement_cost_usd", MeanTotal),
    (Whose::Sending, "courts (US dollars)", "court_cost_usd", MeanTotal),
    (Whose::Receiving, "cost, running total (US dollars)", "cumulative_cost_usd", AtEnd),
    (Whose::Receiving, "transfers, paid by the sending country (US dollars)", "transfer_cost_usd", MeanTotal),
    (Whose::Receiving, "flights, paid by the sending country (US dollars)", "flight_cost_usd", MeanTotal),
    (Whose::Receiving, "holding, paid by the sending country (US dollars)", "holding_cost_usd", MeanTotal),
    (Whose::Receiving, "decisions (US dollars)", "adjudication_cost_usd", MeanTotal),
    (Whose::Receiving, "adjudicators' pay (US dollars)", "staff_cost_usd", MeanTotal),
];

const OPERATIONS: [Row; 3] = [
    (Whose::Receiving, "flights", "flights_count", MeanTotal),
    (Whose::Receiving, "person-days waiting for a seat", "holding_person_days", MeanTotal),
    (Whose::Receiving, "released because holding was full (cases)", "released_holding_full_cases", MeanTotal),
];

const SESSIONS: [Row; 4] = [
    (Whose::Receiving, "decision sessions held", "sessions_count", MeanTotal),
    (Whose::Receiving, "decided, awaiting a session at the end (cases)", "awaiting_session_cases", AtEnd),
    (Whose::Receiving, "adjudicators hired, at the end (trainees included)", "hired_adjudicators_count", AtEnd),
    (Whose::Receiving, "adjudicators in training at the end", "trainee_adjudicators_count", AtEnd),
];

impl Mechanism {
    fn rows(self) -> &'static [Row] {
        match self {
            Mechanism::AfterReceiving => &AFTER_RECEIVING,
            Mechanism::Deterrence => &DETERRENCE,
            Mechanism::Courts => &COURTS,
            Mechanism::Costs => &COSTS,
            Mechanism::Operations => &OPERATIONS,
            Mechanism::Sessions => &SESSIONS,
        }
    }

    /// What the section is about, before its figures.
    fn introduction(self, sending: &str) -> String {
        match self {
            Mechanism::AfterReceiving => format!(
                "Transferees who left without filing a claim, abandoned it or were denied went home, moved on, came \
                 back to {sending}'s border or were not followed (they may have stayed or gone anywhere), as the scenario's
                 onward shares say. Those who came back \
                 arrived again after the journey and count among the arrivals."
            ),
            Mechanism::Deterrence => format!(
                "Deterrence is an assumption of the scenario, not an estimate: would-be arrivals stay away with the \
                 recent share of their nationality transferred. The deterred are not among the arrivals; the \
                 diverted among them come by another route and join {sending}'s own process."
            ),
            Mechanism::Courts => format!(
                "{sending}'s courts as a stock of claims, with the agreement and, as a counterfactual, without it \
                 (the transferred filing there too). The share averted is the claims the agreement took off the \
                 courts over those they would have had without it."
            ),
            Mechanism::Costs => format!(
                "Costs the scenario prices, in US dollars. {sending} pays every agreement's transfers, flights and \
                 holding, and its courts; a receiving country's account holds its agreement's transfers, flights and \
                 holding (also in {sending}'s) and its asylum system's decisions and staff. The accounts overlap: do \
                 not add them."
            ),
            Mechanism::Operations => format!(
                "Transfers as flights, and the people {sending} holds while they wait for a seat: person-days \
                 waiting, and cases released at once because holding was full."
            ),
            Mechanism::Sessions => "Decisions issued only at the deciding body's sessions, and adjudicators hired \
                                    with a capacity-building budget, who decide nothing while in training."
                .to_string(),
        }
    }
}

/// The sections of the mechanisms the run uses, for the policy the report describes.
pub(super) fn sections(input: &ReportInput, policy: &str) -> Vec<Block> {
    let t = input.table;
    let ctx = input.context;
    let sending = ctx.sending.as_str();
    let mut out = Vec::new();
    for mechanism in Mechanism::ALL {
        let charts: Vec<&ChartSpec> =
            input.charts.iter().filter(|c| c.mechanism == Some(mechanism) && c.policy == policy).collect();
        let assumed = mechanism == Mechanism::Deterrence && input.scenario.arrivals.deterrence.is_some();
        if charts.is_empty() && !assumed {
            continue;
        }
        // The receiving countries the mechanism's charts were drawn for; every one for costs (one chart for all).
        let receiving: Vec<&str> = t
            .countries
            .iter()
            .map(String::as_str)
            .filter(|c| *c != sending)
            .filter(|c| mechanism == Mechanism::Costs || charts.iter().any(|chart| chart.country == *c))
            .collect();
        out.push(Block::Heading(2, mechanism.heading().to_string()));
        let introduction = mechanism.introduction(ctx.name(sending));
        out.push(Block::Paragraph(match (mechanism, &input.scenario.arrivals.deterrence) {
            (Mechanism::Deterrence, Some(d)) => format!("**{}.** {introduction}", d.label.trim_end_matches('.')),
            _ => introduction,
        }));
        let mut rows = Vec::new();
        let mut totals = false;
        // The sending country's figures first, then each receiving country's.
        let countries =
            std::iter::once((Whose::Sending, sending)).chain(receiving.iter().map(|c| (Whose::Receiving, *c)));
        for (role, country) in countries {
            for &(whose, label, metric, reading) in mechanism.rows() {
                if whose != role || !t.nonzero(policy, country, metric) {
                    continue;
                }
                let Some(cells) = figure(t, policy, country, metric, reading) else { continue };
                totals |= reading == MeanTotal;
                rows.push([vec![ctx.name(country).to_string(), label.to_string()], cells].concat());
            }
        }
        if mechanism == Mechanism::Courts
            && let Some(share) = averted_share(t, policy, sending)
        {
            totals = true;
            rows.push(vec![
                ctx.name(sending).to_string(),
                "share of claims averted by the agreement (ratio of mean totals)".to_string(),
                "–".to_string(),
                "–".to_string(),
                "–".to_string(),
                format!("{}%", crate::output::charts::thousands_with(100.0 * share, 1)),
            ]);
        }
        if rows.is_empty() {
            out.push(Block::Paragraph("Nothing to report: every figure of it is zero in this run.".to_string()));
        } else {
            out.push(Block::Table(
                ["Country", "Over the whole horizon", "P5", "Median", "P95", "Mean"].map(String::from).to_vec(),
                rows,
                2..6,
            ));
            if totals {
                out.push(Block::Paragraph(
                    "Totals without a band (–) are means across replications, the sum of the monthly means: \
                     `summary.csv` keeps those flows month by month only."
                        .to_string(),
                ));
            }
        }
        out.extend(charts.into_iter().map(|c| Block::Chart(c.clone())));
    }
    out
}

/// P5, median, P95 and mean of a figure, as table cells.
fn figure(t: &SummaryTable, policy: &str, country: &str, metric: &str, reading: Reading) -> Option<Vec<String>> {
    let series = t.series(policy, country, metric)?;
    let n = |v: f64| if v.is_finite() { thousands(v.round()) } else { "–".to_string() };
    match reading {
        AtEnd => {
            let s = series.last()?;
            Some(vec![n(s.p05), n(s.p50), n(s.p95), figure_number(s.mean)])
        }
        MeanTotal => Some(vec!["–".to_string(), "–".to_string(), "–".to_string(), figure_number(mean_total(series))]),
    }
}

/// The mean total of a flow over the horizon: the sum of its monthly means (months without a value add nothing).
fn mean_total(series: &[crate::output::Stats]) -> f64 {
    series.iter().map(|s| s.mean).filter(|v| v.is_finite()).sum()
}

/// Claims averted over claims filed plus averted, from the mean totals; `None` without court claims.
fn averted_share(t: &SummaryTable, policy: &str, sending: &str) -> Option<f64> {
    let averted = mean_total(t.series(policy, sending, "court_claims_averted_cases")?);
    let filed = mean_total(t.series(policy, sending, "court_claims_filed_cases")?);
    (averted + filed > 0.0).then(|| averted / (averted + filed))
}
