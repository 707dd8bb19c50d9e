//! Helpers shared by the integration tests.
#![allow(dead_code)]

use chrono::{Months, NaiveDate};
use safe_third::model::{MetricKind, Model};
use safe_third::montecarlo::{self, RunConfig, RunResult};
use safe_third::scenario::Scenario;

/// Parses a scenario, panicking with the full error if it is invalid.
pub fn scenario(text: &str) -> Scenario {
    Scenario::from_toml(text, "test").unwrap_or_else(|e| panic!("test scenario is invalid:\n{e}"))
}

/// Runs `replications` replications of a scenario.
pub fn run(scenario: &Scenario, replications: u64, seed: u64, threads: usize) -> RunResult {
    let model = Model::new(scenario);
    montecarlo::run(&model, RunConfig { replications, seed, threads }, &|| {}).expect("run")
}

/// The value of a metric in one replication and month.
pub fn value(result: &RunResult, replication: usize, month: usize, country: &str, metric: &str) -> f64 {
    let cell = result.layout.find(month, country, metric).unwrap_or_else(|| panic!("no metric {country}/{metric}"));
    result.replications[replication][cell]
}

/// Asserts every conservation identity of `safe_third::model` (see its module docs) for every replication and
/// month of a run, that every cumulative metric is the running sum of its flow, and that every flow, stock and
/// cumulative value is a non-negative whole number (means: NaN or non-negative; money and the courts' fluid
/// account: finite and non-negative).
pub fn check_identities(scenario: &Scenario, result: &RunResult) {
    let layout = &result.layout;
    let sending = layout.countries[0].as_str();
    let receiving = &layout.countries[1..];
    let reasons = [
        "nationality",
        "exempt",
        "phase_closed",
        "not_covered",
        "no_transit",
        "screened_out",
        "suspended",
        // The border's own reasons, before any agreement: not seeking protection, and the competing routes.
        "not_seeking_protection",
        "wait_abroad",
        "fast_track",
        "expedited_removal",
        "expelled",
    ];
    let cells: Vec<_> = layout.cells().collect();
    assert_eq!(cells.len(), layout.len());
    assert_eq!(result.summary.len(), layout.len(), "one summary per cell");
    for r in 0..result.replications.len() {
        assert_eq!(result.replications[r].len(), layout.len(), "replication {r} holds one value per cell");
        let v = |m: usize, country: &str, metric: &str| value(result, r, m, country, metric);
        // Month-end stock before month m (0 before the first month, or the initial backlog).
        let previous = |m: usize, country: &str, metric: &str, initial: f64| {
            if m == 0 { initial } else { v(m - 1, country, metric) }
        };
        let mut running = std::collections::HashMap::new();
        for m in 0..layout.months.len() {
            let at = format!("replication {r}, month {}", layout.months[m]);
            let s = |metric: &str| v(m, sending, metric);
            let d_waiting = s("waiting_transfer_cases") - previous(m, sending, "waiting_transfer_cases", 0.0);
            let d_waiting_people = s("waiting_transfer_people") - previous(m, sending, "waiting_transfer_people", 0.0);
            assert_eq!(s("arrivals_cases"), s("ineligible_cases") + s("eligible_cases"), "{at}: arrivals");
            assert_eq!(
                s("arrivals_cases"),
                s("ineligible_cases") + s("transferred_cases") + s("released_cases") + d_waiting,
                "{at}: arrivals = ineligible + transferred + released + change in waiting"
            );
            assert_eq!(
                s("arrivals_people"),
                s("ineligible_people") + s("transferred_people") + s("released_people") + d_waiting_people,
                "{at}: the same in people"
            );
            let by_reason: f64 = reasons.iter().map(|x| s(&format!("ineligible_{x}_cases"))).sum();
            assert_eq!(s("ineligible_cases"), by_reason, "{at}: reasons");
            assert_eq!(
                s("to_sending_process_cases"),
                s("ineligible_cases") - s("ineligible_expelled_cases") + s("released_cases") + s("diverted_cases"),
                "{at}: to the sending process = ineligible (the expelled excepted) + released + diverted"
            );
            assert_eq!(
                s("to_sending_process_people"),
                s("ineligible_people") - s("ineligible_expelled_people") + s("released_people") + s("diverted_people"),
                "{at}"
            );
            // Who of them faces a credible-fear screening: all but those not seeking protection and those sent to
            // wait abroad (before the courts directly).
            assert_eq!(
                s("to_sending_process_cases"),
                s("credible_fear_referrals_cases")
                    + s("ineligible_not_seeking_protection_cases")
                    + s("ineligible_wait_abroad_cases"),
                "{at}: to the sending process = credible-fear referrals + not seeking protection + waiting abroad"
            );
            assert!(s("ineligible_expelled_people") >= s("ineligible_expelled_cases"), "{at}");
            assert!(
                s("re_arrivals_expelled_cases") <= s("re_arrivals_cases").min(s("ineligible_expelled_cases")),
                "{at}: re-arrivals expelled are re-arrivals, and expelled"
            );
            assert!(s("diverted_cases") <= s("deterred_cases"), "{at}: the diverted are among the deterred");
            assert!(s("re_arrivals_cases") <= s("arrivals_cases"), "{at}: re-arrivals are arrivals");
            let came_back: f64 = receiving.iter().map(|c| v(m, c, "cumulative_came_back_cases")).sum();
            assert_eq!(
                came_back,
                s("cumulative_re_arrivals_cases") + s("returning_cases"),
                "{at}: everyone who set off back has arrived again or is still on the way"
            );
            for metric in [
                "eligible_cases",
                "transferred_cases",
                "transferred_people",
                "released_cases",
                "released_people",
                "waiting_transfer_cases",
                "waiting_transfer_people",
            ] {
                let total: f64 = receiving.iter().map(|c| v(m, c, metric)).sum();
                assert_eq!(s(metric), total, "{at}: {metric} is the sum over receiving countries");
            }
            for country in receiving {
                let at = format!("{at}, {country}");
                let c = |metric: &str| v(m, country, metric);
                let initial = scenario.asylum.get(country.as_str()).map_or(0.0, |a| a.initial_backlog);
                let d = |metric: &str, initial: f64| c(metric) - previous(m, country, metric, initial);
                assert_eq!(
                    c("eligible_cases"),
                    c("transferred_cases") + c("released_cases") + d("waiting_transfer_cases", 0.0),
                    "{at}: transfer queue"
                );
                assert_eq!(
                    c("transferred_cases"),
                    c("transferee_claims_filed_cases")
                        + c("not_filed_cases")
                        + d("filing_window_cases", 0.0)
                        + d("awaiting_late_filing_cases", 0.0),
                    "{at}: filing window and late filers"
                );
                assert!(
                    c("late_claims_filed_cases") <= c("transferee_claims_filed_cases"),
                    "{at}: late claims are transferees' claims"
                );
                assert!(
                    c("left_with_protection_need_cases") <= c("not_filed_cases") + c("transferee_abandoned_cases"),
                    "{at}: those who left with a protection need left undecided"
                );
                assert!(
                    c("left_with_protection_need_people") >= c("left_with_protection_need_cases"),
                    "{at}: a case has at least one person"
                );
                assert_eq!(
                    c("claims_filed_cases"),
                    c("transferee_claims_filed_cases") + c("other_claims_filed_cases"),
                    "{at}: claims"
                );
                assert_eq!(
                    d("backlog_cases", initial),
                    c("claims_filed_cases") - c("decisions_cases") - c("abandoned_cases"),
                    "{at}: backlog(m) − backlog(m−1) = filed − decided − abandoned"
                );
                assert_eq!(c("decisions_cases"), c("grants_cases") + c("denials_cases"), "{at}: decisions");
                assert_eq!(
                    d("transferee_backlog_cases", 0.0),
                    c("transferee_claims_filed_cases")
                        - c("transferee_decisions_cases")
                        - c("transferee_abandoned_cases"),
                    "{at}: transferee backlog"
                );
                assert!(
                    c("in_adjudication_cases") + c("awaiting_session_cases") <= c("backlog_cases"),
                    "{at}: backlog = waiting + in adjudication + awaiting session"
                );
                decision_calendar(scenario, country, &layout.months[m], &at, &c, &|metric| {
                    if m == 0 { 0.0 } else { v(m - 1, country, metric) }
                });
                staffing(scenario, country, &at, &c);
                assert!(c("transferee_backlog_cases") <= c("backlog_cases"), "{at}");
                assert!(c("transferred_people") >= c("transferred_cases"), "{at}: a case has at least one person");
                let left = ["returned_home", "moved_on", "came_back", "not_followed"];
                assert_eq!(
                    left.iter().map(|x| c(&format!("{x}_cases"))).sum::<f64>(),
                    c("not_filed_cases") + c("transferee_abandoned_cases") + c("transferee_decisions_cases")
                        - c("transferee_grants_cases"),
                    "{at}: every transferee who did not file, abandoned or was denied went somewhere"
                );
                for x in left {
                    assert!(c(&format!("{x}_people")) >= c(&format!("{x}_cases")), "{at}: {x}");
                }
                assert!(c("released_holding_full_cases") <= c("released_cases"), "{at}");
            }
            // The sending country's courts: a fluid account, so its identities hold to rounding.
            let court_initial = scenario.sending_courts.as_ref().map_or(0.0, |c| c.initial_backlog);
            let d_court = s("court_backlog_cases") - previous(m, sending, "court_backlog_cases", court_initial);
            close(d_court, s("court_claims_filed_cases") - s("court_decisions_cases"), &format!("{at}: court backlog"));
            close(
                s("court_decisions_cases"),
                s("court_grants_cases") + s("court_denials_cases"),
                &format!("{at}: court decisions"),
            );
            assert!(s("court_barred_cases") <= s("court_decisions_cases"), "{at}: barred decisions are decisions");
            assert!(
                s("court_backlog_without_agreement_cases") >= s("court_backlog_cases"),
                "{at}: the agreements never add to the court backlog"
            );
            assert!(
                s("court_credible_fear_found_cases") <= s("credible_fear_referrals_cases") + 1e-9,
                "{at}: credible fear is found among those screened"
            );
            assert!(
                s("court_claims_filed_cases")
                    <= s("court_credible_fear_found_cases") + s("ineligible_wait_abroad_cases") + 1e-9,
                "{at}: claims come from those with a credible fear found or waiting abroad"
            );
            assert!(
                s("cumulative_court_claims_averted_cases") >= -1e-6,
                "{at}: each case is averted once at most, so the running total never falls below 0"
            );
            let claims = s("court_claims_filed_cases") + s("court_claims_averted_cases");
            close(s("court_claims_without_agreement_cases"), claims, &format!("{at}: claims without agreement"));
            let share = s("court_claims_averted_share");
            if claims > 0.0 {
                close(share, s("court_claims_averted_cases") / claims, &format!("{at}: averted share"));
            } else {
                assert!(share.is_nan(), "{at}: the averted share of no claims is undefined, found {share}");
            }
            // Costs: each account is the sum of its parts, and the sending country pays for every agreement.
            let paid_by_sending = ["transfer_cost_usd", "flight_cost_usd", "holding_cost_usd"];
            let agreement_cost: f64 =
                receiving.iter().flat_map(|c| paid_by_sending.iter().map(move |x| v(m, c, x))).sum();
            close(s("agreement_cost_usd"), agreement_cost, &format!("{at}: agreement costs"));
            close(s("cost_usd"), s("agreement_cost_usd") + s("court_cost_usd"), &format!("{at}: sending costs"));
            for country in receiving {
                let parts: f64 = paid_by_sending
                    .iter()
                    .chain(&["adjudication_cost_usd", "staff_cost_usd"])
                    .map(|x| v(m, country, x))
                    .sum();
                close(v(m, country, "cost_usd"), parts, &format!("{at}, {country}: costs"));
            }
            // Every cumulative metric, of every country, is the running sum of the flow it is named after.
            for &(month, country, name, kind) in &cells[m * layout.per_month()..(m + 1) * layout.per_month()] {
                assert_eq!(month, m);
                let total = v(m, &layout.countries[country], name);
                if may_be_negative(name) {
                    assert!(total.is_nan() || total.is_finite(), "{at}: {name} = {total}");
                } else if kind == MetricKind::Mean {
                    assert!(total.is_nan() || (total.is_finite() && total >= 0.0), "{at}: {name} = {total}");
                } else if name.ends_with("_person_days") || name.ends_with("_usd") {
                } else if is_amount(name) {
                    assert!(total.is_finite() && total >= 0.0, "{at}: {name} = {total}");
                } else {
                    let whole = total.is_finite() && total >= 0.0 && total.fract() == 0.0;
                    assert!(whole, "{at}, {}: {name} = {total} is not a count", layout.countries[country]);
                }
                if kind != MetricKind::Cumulative {
                    continue;
                }
                let flow = name.strip_prefix("cumulative_").expect("cumulative metrics are named cumulative_<flow>");
                let sum = running.entry((country, flow)).or_insert(0.0);
                *sum += v(m, &layout.countries[country], flow);
                assert_eq!(total, *sum, "{at}, {}: {name} is the running sum of {flow}", layout.countries[country]);
            }
        }
    }
}

/// Metrics that are amounts rather than counts: money, and the courts' fluid account of expected cases.
fn is_amount(name: &str) -> bool {
    name.ends_with("_usd") || name.starts_with("court_") || name.starts_with("cumulative_court_")
}

/// Amounts that may be negative in a month: a transferee back at the border takes its averted claim back (the
/// running total is checked to stay ≥ 0 with the courts' identities).
fn may_be_negative(name: &str) -> bool {
    name == "court_claims_averted_cases" || name == "court_claims_averted_share"
}

/// Asserts that two sums of the same amounts agree to rounding.
#[track_caller]
pub fn close(a: f64, b: f64, what: &str) {
    let tolerance = 1e-9 * a.abs().max(b.abs()).max(1.0);
    assert!((a - b).abs() <= tolerance, "{what}: {a} ≠ {b}");
}

/// Decisions are issued only when they may be: at sessions if the system has them (never in a month without one),
/// at once otherwise (nothing awaits issue); never in a month entirely inside a halt, when no adjudication starts.
fn decision_calendar(
    scenario: &Scenario,
    country: &str,
    month: &str,
    at: &str,
    c: &dyn Fn(&str) -> f64,
    previous: &dyn Fn(&str) -> f64,
) {
    let Some(system) = scenario.asylum.get(country) else { return }; // a transit stop: no asylum system
    match &system.sessions {
        Some(_) if c("sessions_count") == 0.0 => {
            assert_eq!(c("decisions_cases"), 0.0, "{at}: decisions issued in a month without a session")
        }
        Some(_) => {}
        None => assert_eq!(c("sessions_count"), 0.0, "{at}: sessions without [sessions]"),
    }
    if system.sessions.is_none() && system.suspension.is_empty() {
        assert_eq!(c("awaiting_session_cases"), 0.0, "{at}: decisions are issued at once");
    }
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").expect("YYYY-MM");
    let next = first.checked_add_months(Months::new(1)).expect("in range");
    let covered = system
        .suspension
        .iter()
        .any(|h| h.from.0 <= first.max(scenario.start.0) && h.until.is_none_or(|until| until.0 >= next));
    if covered {
        assert_eq!(c("decisions_cases"), 0.0, "{at}: a decision issued during a halt");
        assert_eq!(c("sessions_count"), 0.0, "{at}: a session held during a halt");
        assert!(
            c("in_adjudication_cases") <= previous("in_adjudication_cases"),
            "{at}: adjudication started in a halt"
        );
        assert!(c("awaiting_session_cases") >= previous("awaiting_session_cases"), "{at}: issued during a halt");
    }
}

/// Hires are at most what the budget pays, trainees are among them, and trainees decide nothing.
fn staffing(scenario: &Scenario, country: &str, at: &str, c: &dyn Fn(&str) -> f64) {
    let (hired, trainees) = (c("hired_adjudicators_count"), c("trainee_adjudicators_count"));
    assert!(trainees <= hired, "{at}: trainees are hires");
    assert!(c("adjudicators_count") >= hired - trainees, "{at}: trained hires decide");
    let most = scenario
        .asylum
        .get(country)
        .and_then(|a| a.capacity_building.as_ref())
        .map_or(0.0, |b| (b.budget_usd / (b.cost_per_adjudicator_month_usd * b.months)).floor());
    assert!(hired <= most, "{at}: {hired} hired, the budget pays {most}");
}

/// A scenario exercising every mechanism at once: two agreements, a mid-month start, families, exempt children,
/// negative-binomial counts, phases opening and closing mid-month, seat steps, every queue discipline,
/// abandonment of transferee and other claims, adjudicators changing, an initial backlog; routing to the shortest
/// queue, flights, a holding capacity, a suspension that holds and one that releases, onward movement with
/// re-arrivals, and deterrence with diversion; the sending country's courts with a transit bar from mid-horizon, and
/// unit costs; decision sessions at random gaps, capacity building at a pace, halts of decisions (one lifted, one to
/// the horizon).
pub const EVERYTHING: &str = r#"
name = "everything"
start = 2020-01-15
months = 8
sending_country = "north"

[routing]
rule = "shortest_queue"

[countries]
north = "North"
south = "South"
east = "East"
xland = "X"
yland = "Y"

[arrivals]
border_total_per_month = [900, 1200, 600, 800, 1000, 700, 900, 1100]
family_size = { 2 = 0.4, 3 = 0.3, 4 = 0.2, 6 = 0.1 }
deterrence = { elasticity = 3, lag_months = 1, window_months = 2, diverted_share = 0.5 }

[[arrivals.stream]]
nationality = "xland"
household = "single_adult"
share = 0.4
count = "negative_binomial"
dispersion = 8
protection_seeking_share = [{ from = 2020-01-15, value = 0.7 }, { from = 2020-04-10, value = 0.5 }]

[[arrivals.stream]]
nationality = "xland"
household = "family"
share = 0.2

[[arrivals.stream]]
nationality = "yland"
household = "single_adult"
per_month = [100, 100, 300, 0, 50, 50, 50, 50]

[[arrivals.stream]]
nationality = "yland"
household = "unaccompanied_child"
per_day = 2

[[arrivals.stream]]
nationality = "south"
household = "family"
per_month = [{ from = 2020-02-10, value = 120 }, { from = 2020-05-01, value = 10 }]
family_size = { 2 = 0.5, 5 = 0.5 }

[[arrivals.stream]]
nationality = "east"
household = "single_adult"
per_month = 20

# Competing routes for protection seekers, tried in this order before any agreement.
[[arrivals.route]]
kind = "wait_abroad"
share = [{ from = 2020-02-01, value = 0.2 }]
nationalities = ["yland"]
[[arrivals.route]]
kind = "fast_track"
share = 0.05
households = ["single_adult", "family"]
[[arrivals.route]]
kind = "expedited_removal"
share = [{ from = 2020-01-15, value = 0.1 }, { from = 2020-06-01, value = 0 }]
nationalities = ["xland"]
[[arrivals.route]]
kind = "expulsion"
share = [{ from = 2020-01-15, value = 0 }, { from = 2020-05-20, value = 0.3 }]
households = ["single_adult", "family"]
label = "expulsions"

[agreement.south]
eligible_nationalities = ["xland", "yland"]
transit_probability = { xland = 0.8, yland = 0.5 }
exempt_households = ["unaccompanied_child"]
screening_exempt_share = [{ from = 2020-01-15, value = 0.1 }, { from = 2020-04-01, value = 0.3 }]
seats_per_month = [{ from = 2020-01-20, value = 60 }, { from = 2020-03-10, value = 250 }, { from = 2020-06-05, value = 0 }]
queue_discipline = "singles_first"
max_wait_days = 10
holding_capacity_people = 150
cost_per_transferred_person_usd = 1250.5
cost_per_holding_day_usd = 85

[[agreement.south.suspension]]
from = 2020-04-20
until = 2020-05-04
waiting = "hold"

[[agreement.south.phase]]
from = 2020-01-20
households = ["single_adult"]
coverage = 0.6
[[agreement.south.phase]]
from = 2020-02-17
households = ["single_adult", "family"]
[[agreement.south.phase]]
from = 2020-06-05
households = []

[agreement.east]
eligible_nationalities = ["xland", "south"]
requires_transit = false
screening_exempt_share = 0.05
seats_per_month = [40, 40, 80, 80, 80, "unlimited", 20, 20]
queue_discipline = "lifo"
max_wait_days = 4.5

[agreement.east.flights]
weekdays = ["mon", "thu"]
seats_per_flight = 12
cost_per_flight_usd = 40000

[[agreement.east.suspension]]
from = 2020-07-10
until = 2020-07-25

[[agreement.east.phase]]
from = 2020-02-01
households = ["family", "single_adult", "unaccompanied_child"]

[asylum.south]
filing_probability = 0.3
filing_window_days = 3
adjudicators = [{ from = 2020-01-15, value = 2 }, { from = 2020-04-12, value = 5 }, { from = 2020-07-01, value = 1 }]
service_time_days = { distribution = "gamma", mean = 20, shape = 2 }
patience_days = { distribution = "exponential", mean = 60 }
grant_probability = 0.4
initial_backlog = 40
other_claims_per_month = 15
other_patience_days = { distribution = "weibull", shape = 1.5, scale = 200 }
cost_per_decision_usd = 310.25
cost_per_adjudicator_month_usd = 2400

[asylum.south.late_filing]
probability = 0.3
delay_days = { distribution = "exponential", mean = 40 }

[asylum.south.protection_concern]
share = 0.6
filing_factor_without_concern = 0.5

[asylum.south.onward]
not_filed = { return_home = 0.5, move_on = 0.2, come_back = 0.2 }
abandoned = { come_back = 0.6 }
denied = { return_home = 0.3, come_back = 0.5 }
come_back_days = { distribution = "gamma", mean = 20, shape = 3 }

[asylum.south.sessions]
gap_days = { distribution = "exponential", mean = 25 }

[asylum.south.capacity_building]
budget_usd = 90000
from = 2020-03-20
months = 4
cost_per_adjudicator_month_usd = 7000
training_days = 20
hires_per_month = 2

[[asylum.south.suspension]]
from = 2020-05-10
until = 2020-07-03
label = "not convened"

[asylum.east]
filing_probability = [0.5, 0.5, 0.5, 0.2, 0.2, 0.2, 0.9, 0.9]
filing_window_days = 7
adjudicators = 3
service_time_days = { distribution = "lognormal", mean = 10, sd = 8 }
grant_probability = 0.7
other_claims_per_month = [{ from = 2020-03-01, value = 30 }]
cost_per_adjudicator_month_usd = 1800

[[asylum.east.suspension]]
from = 2020-04-01
until = 2020-06-01
[[asylum.east.suspension]]
from = 2020-08-20

[sending_courts]
initial_backlog = 900
decisions_per_month = [{ from = 2020-01-15, value = 400 }, { from = 2020-05-10, value = 1500 }]
claim_share = [{ from = 2020-01-15, value = 0.85 }, { from = 2020-04-01, value = 0.7 }]
grant_probability = [0.3, 0.3, 0.3, 0.25, 0.25, 0.25, 0.2, 0.2]
cost_per_decision_usd = 1500

credible_fear_pass_share = [{ from = 2020-01-15, value = 0.8 }, { from = 2020-06-01, value = 0.45 }]

[sending_courts.transit_bar]
from = 2020-03-20
entries_from = 2020-02-01
until = 2020-07-01
applies_share = 0.6
grant_probability = 0.02
label = "transit bar"
"#;

/// A scenario with one agreement, for focused tests: single adults of X arrive in A at `per_day` a day, and B
/// takes those who transited it (`transit`) from `start`. The string fields are TOML lines added at the top level
/// (before any table), to the agreement (seats and holding limit among them), to the asylum system (all of its
/// fields) and after everything (e.g. `[sending_courts]`).
pub struct OneAgreement<'a> {
    pub name: &'a str,
    pub start: &'a str,
    pub months: u32,
    pub per_day: f64,
    pub transit: f64,
    pub top: &'a str,
    pub agreement: &'a str,
    pub asylum: &'a str,
    pub tail: &'a str,
}

impl Default for OneAgreement<'_> {
    fn default() -> Self {
        OneAgreement {
            name: "one-agreement",
            start: "2024-01-01",
            months: 6,
            per_day: 20.0,
            transit: 1.0,
            top: "",
            agreement: "",
            asylum: "",
            tail: "",
        }
    }
}

impl OneAgreement<'_> {
    pub fn toml(&self) -> String {
        let OneAgreement { name, start, months, per_day, transit, top, agreement, asylum, tail } = self;
        format!(
            r#"
name = "{name}"
start = {start}
months = {months}
sending_country = "a"
{top}

[countries]
a = "A"
b = "B"
x = "X"

[[arrivals.stream]]
nationality = "x"
household = "single_adult"
per_day = {per_day}

[agreement.b]
eligible_nationalities = ["x"]
transit_probability = {{ x = {transit} }}
screening_exempt_share = 0
{agreement}

[[agreement.b.phase]]
from = {start}
households = ["single_adult"]

[asylum.b]
{asylum}

{tail}
"#
        )
    }
}

/// A one-agreement pipeline for focused tests: 20 single adults of X a day arrive in A, all eligible for transfer
/// to B from the start, waiting at most 30 days. `agreement`, `asylum` and `top` are TOML lines added to the
/// agreement, the asylum system and the top level (before any table).
pub fn pipeline(months: u32, agreement: &str, asylum: &str, top: &str) -> String {
    let agreement = format!("max_wait_days = 30\n{agreement}");
    let asylum = format!(
        "filing_probability = 0.5\nfiling_window_days = 3\nadjudicators = 2\n\
         service_time_days = {{ distribution = \"exponential\", mean = 5 }}\ngrant_probability = 0.2\n{asylum}"
    );
    OneAgreement { name: "pipeline", months, top, agreement: &agreement, asylum: &asylum, ..OneAgreement::default() }
        .toml()
}

/// A one-agreement scenario with onward movement, deterrence, flights and a small holding capacity, or without any
/// of them (`mechanisms` false): the same pipeline otherwise.
pub fn pipeline_with_mechanisms(mechanisms: bool) -> String {
    if !mechanisms {
        return pipeline(3, "seats_per_month = 300", "", "");
    }
    let agreement =
        "holding_capacity_people = 40\n[agreement.b.flights]\nweekdays = [\"tue\", \"fri\"]\nseats_per_flight = 30";
    let onward = "[asylum.b.onward]\nnot_filed = { return_home = 0.4, move_on = 0.2, come_back = 0.3 }\n\
                  come_back_days = { distribution = \"fixed\", value = 20 }";
    let deterrence =
        "[arrivals]\ndeterrence = { elasticity = 0.5, lag_months = 1, window_months = 1, diverted_share = 0.5 }";
    pipeline(3, agreement, onward, "").replace("[[arrivals.stream]]", &format!("{deterrence}\n[[arrivals.stream]]"))
}
