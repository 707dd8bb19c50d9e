//! Costs: each cost metric is a unit cost times the month's matching count, the accounts add up, and a scenario
//! that names no cost costs nothing.

use crate::support;

use safe_third::scenario::{Scenario, ScenarioError};
use support::{close, value};

/// Five months from `start`, 20 single adults of x a day, half of them transferable to b on 100 seats a month,
/// adjudicators 2 then 5 from 2020-03-11, and the given cost lines in the agreement, the asylum system and the
/// courts.
fn scenario(start: &str, agreement_costs: &str, asylum_costs: &str, courts: &str) -> String {
    let agreement = format!("seats_per_month = 100\nmax_wait_days = 5\n{agreement_costs}");
    let asylum = format!(
        "filing_probability = 0.6\nfiling_window_days = 3\n\
         adjudicators = [{{ from = {start}, value = 2 }}, {{ from = 2020-03-11, value = 5 }}]\n\
         service_time_days = {{ distribution = \"exponential\", mean = 10 }}\ngrant_probability = 0.5\n\
         other_claims_per_month = 30\n{asylum_costs}"
    );
    let tail = format!(
        "[sending_courts]\ninitial_backlog = 5000\ndecisions_per_month = 700\ngrant_probability = 0.3\n{courts}"
    );
    support::OneAgreement {
        start,
        months: 5,
        transit: 0.5,
        agreement: &agreement,
        asylum: &asylum,
        tail: &tail,
        ..Default::default()
    }
    .toml()
}

const MONTHS: usize = 5;

#[test]
fn each_cost_is_a_unit_cost_times_its_count() {
    let text = scenario(
        "2020-01-16",
        "cost_per_transferred_person_usd = 1250.5\ncost_per_holding_day_usd = 80",
        "cost_per_decision_usd = 310.25\ncost_per_adjudicator_month_usd = 3100",
        "cost_per_decision_usd = 1500",
    );
    let scenario = support::scenario(&text);
    let result = support::run(&scenario, 4, 1, 0);
    support::check_identities(&scenario, &result);
    // Adjudicator-months paid: January from the 16th (16 of 31 days) with 2; February 2; March 2 for 10 days and
    // 5 for 21 of its 31; then 5.
    let adjudicator_months = [2.0 * 16.0 / 31.0, 2.0, (2.0 * 10.0 + 5.0 * 21.0) / 31.0, 5.0, 5.0];
    for r in 0..4 {
        for (m, adjudicator_months) in adjudicator_months.iter().enumerate() {
            let at = format!("replication {r}, month {m}");
            let b = |metric| value(&result, r, m, "b", metric);
            let a = |metric| value(&result, r, m, "a", metric);
            assert!(b("transferred_people") > 0.0, "{at}: something to pay for");
            close(b("transfer_cost_usd"), 1250.5 * b("transferred_people"), &format!("{at}: transfers"));
            close(b("adjudication_cost_usd"), 310.25 * b("decisions_cases"), &format!("{at}: decisions"));
            close(b("staff_cost_usd"), 3100.0 * adjudicator_months, &format!("{at}: staff"));
            // Flights and holding days are not counted in this model yet: their costs stay 0.
            close(b("holding_cost_usd"), 80.0 * b("holding_person_days"), &format!("{at}: holding"));
            close(b("flight_cost_usd"), 0.0, &format!("{at}: flights"));
            close(a("court_cost_usd"), 1500.0 * a("court_decisions_cases"), &format!("{at}: courts"));
            close(a("agreement_cost_usd"), b("transfer_cost_usd") + b("holding_cost_usd"), &format!("{at}: paid"));
            close(a("cost_usd"), a("agreement_cost_usd") + a("court_cost_usd"), &format!("{at}: sending total"));
            let total =
                b("transfer_cost_usd") + b("adjudication_cost_usd") + b("staff_cost_usd") + b("holding_cost_usd");
            close(b("cost_usd"), total, &format!("{at}: receiving total"));
        }
        let decided: f64 = (0..MONTHS).map(|m| value(&result, r, m, "b", "decisions_cases")).sum();
        assert!(decided > 0.0, "replication {r}: no decision was paid for");
        let last = MONTHS - 1;
        let spent: f64 = (0..MONTHS).map(|m| value(&result, r, m, "a", "cost_usd")).sum();
        close(value(&result, r, last, "a", "cumulative_cost_usd"), spent, "cumulative sending cost");
    }
}

#[test]
fn a_scenario_without_cost_fields_costs_nothing() {
    for scenario in [Scenario::builtin(), support::scenario(&scenario("2020-01-01", "", "", ""))] {
        let result = support::run(&scenario, 3, 2, 0);
        let layout = &result.layout;
        let mut cells = 0;
        for (i, (_, _, name, _)) in layout.cells().enumerate() {
            if name.ends_with("_usd") {
                cells += 1;
                for values in &result.replications {
                    assert_eq!(values[i], 0.0, "{name}");
                }
            }
        }
        assert!(cells >= layout.months.len() * 4, "the cost metrics exist");
    }
}

#[test]
fn negative_or_missing_costs_are_located_problems() {
    let text = scenario(
        "2020-01-01",
        "cost_per_transferred_person_usd = -1\ncost_per_holding_day_usd = -0.5",
        "cost_per_decision_usd = -2\ncost_per_adjudicator_month_usd = nan",
        "cost_per_decision_usd = -3",
    );
    let Err(ScenarioError::Invalid { problems, .. }) = Scenario::from_toml(&text, "x.toml") else { panic!("accepted") };
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "agreement.b.cost_per_transferred_person_usd",
            "agreement.b.cost_per_holding_day_usd",
            "asylum.b.cost_per_decision_usd",
            "asylum.b.cost_per_adjudicator_month_usd",
            "sending_courts.cost_per_decision_usd",
        ]
    );
    for p in &problems {
        let (line, _) = p.position.expect("located");
        assert!(text.lines().nth(line - 1).unwrap().contains(p.path.rsplit('.').next().unwrap()), "{p}");
    }
}
