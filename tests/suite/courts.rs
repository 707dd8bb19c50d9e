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
fn the_transit_bar_never_touches_the_initial_backlog() {
    let without = grants_with("");
    for grants in &without {
        close(*grants, 150.0, "without the bar: half of 300");
    }
    // In force throughout, but nobody enters: every decision is on the older, initial backlog.
    let bar = "[sending_courts.transit_bar]\nfrom = 2019-09-11\nentries_from = 2019-07-16\napplies_share = 0.6\n\
               grant_probability = 0.1";
    assert_eq!(grants_with(bar), without, "the initial backlog is outside the bar");
}

#[test]
fn the_transit_bar_applies_by_entry_date_and_only_while_in_force() {
    // A court that decides everything each month, so each month's decisions are that month's new claims.
    let bar = "[sending_courts.transit_bar]\nfrom = 2019-09-11\nentries_from = 2020-02-01\nuntil = 2020-05-17\n\
               applies_share = 0.6\ngrant_probability = 0.1";
    let courts = format!("[sending_courts]\ndecisions_per_month = 1000000\ngrant_probability = 0.5\n{bar}");
    let scenario = scenario(20.0, &courts);
    let result = support::run(&scenario, 2, 8, 0);
    support::check_identities(&scenario, &result);
    for r in 0..2 {
        let v = |m: usize, metric| value(&result, r, m, "a", metric);
        // In force, but January's claims entered before the entry date.
        assert_eq!(v(0, "court_barred_cases"), 0.0, "entries before the entry date are outside the bar");
        for m in 1..4 {
            close(v(m, "court_barred_cases"), 0.6 * v(m, "court_decisions_cases"), &format!("month {m}"));
            let grants = 0.6 * 0.1 + 0.4 * 0.5;
            close(v(m, "court_grants_cases"), grants * v(m, "court_decisions_cases"), &format!("month {m}: grants"));
        }
        // Vacated on 17 May: in force for 16 of May's 31 days.
        close(v(4, "court_barred_cases"), 0.6 * 16.0 / 31.0 * v(4, "court_decisions_cases"), "May");
        assert_eq!(v(5, "court_barred_cases"), 0.0, "vacated");
        assert!(v(5, "court_decisions_cases") > 0.0);
    }
}

#[test]
fn the_credible_fear_step_passes_its_dated_share_to_the_courts() {
    let courts = "[sending_courts]\ndecisions_per_month = 1000000\nclaim_share = 0.61\ngrant_probability = 0.5\n\
                  credible_fear_pass_share = [{ from = 2020-01-01, value = 0.82 }, { from = 2020-04-01, value = 0.44 }]";
    let scenario = scenario(20.0, courts);
    let result = support::run(&scenario, 2, 9, 0);
    support::check_identities(&scenario, &result);
    for r in 0..2 {
        for m in 0..MONTHS {
            let v = |metric| value(&result, r, m, "a", metric);
            let pass = if m < 3 { 0.82 } else { 0.44 };
            close(v("court_credible_fear_found_cases"), pass * v("credible_fear_referrals_cases"), "found");
            close(v("court_claims_filed_cases"), 0.61 * pass * v("credible_fear_referrals_cases"), "filed");
            close(v("court_claims_averted_cases"), 0.61 * pass * v("transferred_cases"), "averted");
        }
    }
}

/// Every transferee comes back 10 days after its filing window and is refused (transfers suspended from
/// 1 March), so it joins the courts after all; `agreement` says whether anyone is transferred.
fn coming_back(covered: bool) -> Scenario {
    let courts = "[sending_courts]\ninitial_backlog = 5000\ndecisions_per_month = 600\nclaim_share = 0.8\n\
                  grant_probability = 0.5\ncredible_fear_pass_share = 0.6";
    let asylum = "filing_probability = 0\nfiling_window_days = 3\nadjudicators = 1\n\
                  service_time_days = { distribution = \"exponential\", mean = 1 }\ngrant_probability = 0.5\n\
                  [asylum.b.onward]\nnot_filed = { come_back = 1 }\ncome_back_days = { distribution = \"fixed\", value = 10 }";
    let text = support::OneAgreement {
        start: "2020-01-01",
        per_day: 20.0,
        agreement: "seats_per_month = 200\nmax_wait_days = 5\n\
                    [[agreement.b.suspension]]\nfrom = 2020-03-01\nwaiting = \"release\"",
        asylum,
        tail: courts,
        ..Default::default()
    }
    .toml();
    let text = if covered { text } else { text.replace("households = [\"single_adult\"]", "households = []") };
    support::scenario(&text)
}

#[test]
fn a_transferee_who_comes_back_and_joins_the_process_is_not_averted() {
    let with = coming_back(true);
    let without = coming_back(false);
    let (a, b) = (support::run(&with, 3, 10, 0), support::run(&without, 3, 10, 0));
    support::check_identities(&with, &a);
    support::check_identities(&without, &b);
    let last = MONTHS - 1;
    for r in 0..3 {
        let v = |result, metric| value(result, r, last, "a", metric);
        let cum = |result: &safe_third::montecarlo::RunResult, metric| -> f64 {
            (0..MONTHS).map(|m| value(result, r, m, "a", metric)).sum()
        };
        assert!(v(&a, "cumulative_re_arrivals_cases") > 100.0, "transferees came back: the test has teeth");
        assert_eq!(v(&b, "cumulative_transferred_cases"), 0.0);
        assert_eq!(v(&a, "returning_cases"), 0.0, "everyone is back by the end");
        // Each case counted once: with the agreement, claims filed plus claims averted are the claims filed in the
        // same run without it (the same arrivals: the arrival draws do not depend on the agreement).
        close(
            cum(&a, "court_claims_filed_cases") + cum(&a, "court_claims_averted_cases"),
            cum(&b, "court_claims_filed_cases"),
            &format!("replication {r}: filed + averted = filed without the agreement"),
        );
        close(v(&a, "cumulative_court_claims_averted_cases"), 0.0, "everyone came back: nothing is averted");
        close(v(&a, "court_backlog_without_agreement_cases"), v(&b, "court_backlog_cases"), "the counterfactual");
    }
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

credible_fear_pass_share = -0.5

[sending_courts.transit_bar]
from = 2020-07-01
entries_from = 2019-07-16
until = 2020-06-01
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
            "sending_courts.credible_fear_pass_share",
            "sending_courts.grant_probability",
            "sending_courts.cost_per_decision_usd",
            "sending_courts.transit_bar.from",
            "sending_courts.transit_bar.until",
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
