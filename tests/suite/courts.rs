//! The sending country's courts: a monthly stock-flow account of claims filed, decided and pending, with and
//! without the agreement, and the third-country transit bar.

use crate::support;

use safe_third::scenario::{Scenario, ScenarioError};
use support::{close, value};

/// Six calendar months from 1 January 2020, `per_day` single adults of x arriving, an agreement with b taking
/// some of them (100 seats a month), and the given `[sending_courts]` section.
fn scenario(per_day: f64, courts: &str) -> Scenario {
    let asylum = "filing_probability = 0\nfiling_window_days = 3\nadjudicators = 1\n\
                  service_time_days = { distribution = \"exponential\", mean = 1 }\ngrant_probability = 0.5";
    support::scenario(
        &support::OneAgreement {
            start: "2020-01-01",
            per_day,
            transit: 0.5,
            agreement: "seats_per_month = 100\nmax_wait_days = 5",
            asylum,
            tail: courts,
            ..Default::default()
        }
        .toml(),
    )
}

const MONTHS: usize = 6;

#[test]
fn with_nobody_arriving_the_court_works_off_its_backlog_at_capacity() {
    let courts = "[sending_courts]\ninitial_backlog = 1000\ndecisions_per_month = 300\ngrant_probability = 0.5";
    let result = support::run(&scenario(0.0, courts), 2, 1, 0);
    let backlog = [700.0, 400.0, 100.0, 0.0, 0.0, 0.0];
    let decisions = [300.0, 300.0, 300.0, 100.0, 0.0, 0.0];
    for r in 0..2 {
        for m in 0..MONTHS {
            let v = |metric| value(&result, r, m, "a", metric);
            let at = format!("month {m}");
            assert_eq!(v("court_claims_filed_cases"), 0.0, "{at}");
            close(v("court_decisions_cases"), decisions[m], &format!("{at}: decisions"));
            close(v("court_backlog_cases"), backlog[m], &format!("{at}: backlog"));
            close(v("court_grants_cases"), decisions[m] / 2.0, &format!("{at}: grants"));
            assert_eq!(
                v("court_backlog_without_agreement_cases"),
                v("court_backlog_cases"),
                "{at}: nobody transferred"
            );
            assert!(v("court_claims_averted_share").is_nan(), "{at}: no claims, no share");
        }
    }
}

#[test]
fn the_backlog_follows_the_stock_flow_recursion_from_the_months_flows() {
    let courts = r#"
[sending_courts]
initial_backlog = 400
decisions_per_month = [200, 900, 900, 50, 2000, 400]
claim_share = [{ from = 2020-01-01, value = 0.8 }, { from = 2020-03-16, value = 0.6 }]
grant_probability = 0.25
"#;
    let result = support::run(&scenario(20.0, courts), 4, 2, 0);
    let capacity = [200.0, 900.0, 900.0, 50.0, 2000.0, 400.0];
    // March has 31 days: 15 at 0.8, 16 at 0.6.
    let share = [0.8, 0.8, (15.0 * 0.8 + 16.0 * 0.6) / 31.0, 0.6, 0.6, 0.6];
    let mut drained = false;
    for r in 0..4 {
        let (mut backlog, mut without) = (400.0, 400.0);
        for m in 0..MONTHS {
            let v = |metric| value(&result, r, m, "a", metric);
            let at = format!("replication {r}, month {m}");
            let filed = share[m] * v("to_sending_process_cases");
            let averted = share[m] * v("transferred_cases");
            assert!(v("to_sending_process_cases") > 0.0 && averted > 0.0, "{at}: the flows feed the court");
            let decisions = f64::min(capacity[m], backlog + filed);
            drained |= decisions < capacity[m];
            backlog += filed - decisions;
            without += filed + averted - f64::min(capacity[m], without + filed + averted);
            close(v("court_claims_filed_cases"), filed, &format!("{at}: filed"));
            close(v("court_claims_averted_cases"), averted, &format!("{at}: averted"));
            close(v("court_decisions_cases"), decisions, &format!("{at}: decisions"));
            close(v("court_grants_cases"), 0.25 * decisions, &format!("{at}: grants"));
            close(v("court_backlog_cases"), backlog, &format!("{at}: backlog"));
            close(v("court_backlog_without_agreement_cases"), without, &format!("{at}: counterfactual"));
            close(v("court_claims_averted_share"), averted / (filed + averted), &format!("{at}: share"));
        }
    }
    assert!(drained, "the court never ran out of work: the test lost its teeth");
}

#[test]
fn a_court_without_capacity_grows_by_exactly_its_inflow() {
    let courts = "[sending_courts]\ninitial_backlog = 50\ndecisions_per_month = 0\ngrant_probability = 0.5";
    let scenario = scenario(20.0, courts);
    let result = support::run(&scenario, 4, 3, 0);
    support::check_identities(&scenario, &result);
    for r in 0..4 {
        let mut previous = 50.0;
        for m in 0..MONTHS {
            let v = |metric| value(&result, r, m, "a", metric);
            // A claim share of 1 and whole counts: the account is exact.
            assert_eq!(v("court_claims_filed_cases"), v("to_sending_process_cases"));
            assert_eq!(v("court_decisions_cases"), 0.0);
            assert_eq!(v("court_backlog_cases") - previous, v("court_claims_filed_cases"), "month {m}");
            assert_eq!(
                v("court_backlog_without_agreement_cases") - v("court_backlog_cases"),
                value(&result, r, m, "a", "cumulative_transferred_cases"),
                "month {m}: every transfer is a claim kept off the docket"
            );
            previous = v("court_backlog_cases");
        }
    }
}

#[test]
fn while_the_court_is_capacity_bound_the_agreement_takes_off_exactly_the_averted_claims() {
    let courts = r#"
[sending_courts]
initial_backlog = 1000000
decisions_per_month = 20000
claim_share = 0.9
grant_probability = 0.3
"#;
    let result = support::run(&scenario(20.0, courts), 4, 4, 0);
    for r in 0..4 {
        let mut averted = 0.0;
        for m in 0..MONTHS {
            let v = |metric| value(&result, r, m, "a", metric);
            let at = format!("replication {r}, month {m}");
            averted += v("court_claims_averted_cases");
            close(averted, 0.9 * value(&result, r, m, "a", "cumulative_transferred_cases"), &at);
            close(v("court_decisions_cases"), 20_000.0, &format!("{at}: capacity-bound"));
            close(
                v("court_backlog_without_agreement_cases") - v("court_backlog_cases"),
                averted,
                &format!("{at}: the difference is the claims averted so far"),
            );
            assert!(v("court_claims_averted_cases") > 0.0, "{at}");
        }
    }
}

/// Grants in each month of a run whose court decides 300 claims a month from a large backlog, nobody arriving.
fn grants_with(bar: &str) -> Vec<f64> {
    let courts = format!(
        "[sending_courts]\ninitial_backlog = 100000\ndecisions_per_month = 300\ngrant_probability = 0.5\n{bar}"
    );
    let scenario = scenario(0.0, &courts);
    let result = support::run(&scenario, 1, 5, 0);
    support::check_identities(&scenario, &result);
    (0..MONTHS).map(|m| value(&result, 0, m, "a", "court_grants_cases")).collect()
}

#[test]
fn the_transit_bar_lowers_grants_from_its_date_and_not_before() {
    let without = grants_with("");
    let bar = "[sending_courts.transit_bar]\nfrom = 2020-04-16\napplies_share = 0.6\ngrant_probability = 0.1";
    let with = grants_with(bar);
    for grants in &without {
        close(*grants, 150.0, "without the bar: half of 300");
    }
    assert_eq!(with[..3], without[..3], "before the bar, grants are unchanged");
    // April has 30 days, the bar holds for 15 of them: 90 of 300 decisions are barred.
    close(with[3], 90.0 * 0.1 + 210.0 * 0.5, "April: half the month under the bar");
    for (m, grants) in with.iter().enumerate().skip(4) {
        close(*grants, 180.0 * 0.1 + 120.0 * 0.5, &format!("month {m}: the bar in force all month"));
    }
    // A bar from before the horizon is in force from the first day.
    let early =
        grants_with("[sending_courts.transit_bar]\nfrom = 2019-07-16\napplies_share = 0.6\ngrant_probability = 0.1");
    close(early[0], 78.0, "a bar in force before the start applies in the first month");
}

#[test]
fn without_courts_the_court_metrics_are_zero_and_the_share_undefined() {
    let result = support::run(&scenario(20.0, ""), 2, 6, 0);
    for m in 0..MONTHS {
        for metric in ["court_claims_filed_cases", "court_decisions_cases", "court_backlog_cases", "court_cost_usd"] {
            assert_eq!(value(&result, 0, m, "a", metric), 0.0, "{metric}");
        }
        assert!(value(&result, 0, m, "a", "court_claims_averted_share").is_nan());
    }
}

#[test]
fn court_fields_out_of_range_are_located_problems() {
    let courts = r#"
[sending_courts]
initial_backlog = -1
decisions_per_month = -5
claim_share = 1.5
grant_probability = [0.5, 0.5]
cost_per_decision_usd = -3

[sending_courts.transit_bar]
from = 2020-07-01
applies_share = 2
grant_probability = -0.1
"#;
    let Err(ScenarioError::Invalid { problems, .. }) = Scenario::from_toml(&raw(courts), "x.toml") else {
        panic!("accepted")
    };
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "sending_courts.initial_backlog",
            "sending_courts.decisions_per_month",
            "sending_courts.claim_share",
            "sending_courts.grant_probability",
            "sending_courts.cost_per_decision_usd",
            "sending_courts.transit_bar.from",
            "sending_courts.transit_bar.applies_share",
            "sending_courts.transit_bar.grant_probability",
        ]
    );
    assert!(problems.iter().all(|p| p.position.is_some()), "every problem is located in the file");
}

/// The scenario text with a courts section, unvalidated.
fn raw(courts: &str) -> String {
    format!(
        r#"
name = "courts"
start = 2020-01-01
months = 6
sending_country = "a"

[countries]
a = "A"
x = "X"

[[arrivals.stream]]
nationality = "x"
household = "single_adult"
per_day = 1
{courts}
"#
    )
}
