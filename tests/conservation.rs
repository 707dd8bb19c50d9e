//! Every person is accounted for: the conservation identities of `safe_third::model` (see its module docs) hold
//! for every replication and month, on the shipped scenario and on one that exercises every mechanism.

mod support;

use safe_third::montecarlo::RunResult;
use safe_third::scenario::Scenario;

fn check_identities(scenario: &Scenario, result: &RunResult) {
    let layout = &result.layout;
    let sending = layout.countries[0].as_str();
    let receiving = &layout.countries[1..];
    let reasons = ["nationality", "exempt", "phase_closed", "not_covered", "no_transit", "screened_out"];
    for r in 0..result.replications.len() {
        let v = |m: usize, country: &str, metric: &str| support::value(result, r, m, country, metric);
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
            assert_eq!(s("to_sending_process_cases"), s("ineligible_cases") + s("released_cases"), "{at}");
            assert_eq!(s("to_sending_process_people"), s("ineligible_people") + s("released_people"), "{at}");
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
                let initial = scenario.asylum[country.as_str()].initial_backlog;
                let d = |metric: &str, initial: f64| c(metric) - previous(m, country, metric, initial);
                assert_eq!(
                    c("eligible_cases"),
                    c("transferred_cases") + c("released_cases") + d("waiting_transfer_cases", 0.0),
                    "{at}: transfer queue"
                );
                assert_eq!(
                    c("transferred_cases"),
                    c("transferee_claims_filed_cases") + c("not_filed_cases") + d("filing_window_cases", 0.0),
                    "{at}: filing window"
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
                assert!(c("in_adjudication_cases") <= c("backlog_cases"), "{at}");
                assert!(c("transferee_backlog_cases") <= c("backlog_cases"), "{at}");
                assert!(c("transferred_people") >= c("transferred_cases"), "{at}: a case has at least one person");
                for (flow, total) in [
                    ("transferred_people", "cumulative_transferred_people"),
                    ("decisions_cases", "cumulative_decisions_cases"),
                    ("transferee_abandoned_cases", "cumulative_transferee_abandoned_cases"),
                ] {
                    let sum = running.entry((country.clone(), flow)).or_insert(0.0);
                    *sum += c(flow);
                    assert_eq!(c(total), *sum, "{at}: {total}");
                }
            }
        }
    }
}

#[test]
fn every_case_is_accounted_for_in_the_shipped_scenario() {
    let scenario = Scenario::builtin();
    let result = support::run(&scenario, 12, 7, 0);
    check_identities(&scenario, &result);
    // The run did something: people were transferred, some filed, the backlog moved.
    let last = result.layout.months.len() - 1;
    assert!(support::value(&result, 0, last, "guatemala", "cumulative_transferred_people") > 500.0);
}

#[test]
fn every_case_is_accounted_for_when_every_mechanism_is_on() {
    let scenario = support::scenario(support::EVERYTHING);
    let result = support::run(&scenario, 30, 11, 0);
    check_identities(&scenario, &result);
    // Make sure the mechanisms were exercised, so that the identities were tested on real traffic.
    let total = |country: &str, metric: &str| -> f64 {
        (0..result.replications.len())
            .flat_map(|r| (0..result.layout.months.len()).map(move |m| (r, m)))
            .map(|(r, m)| support::value(&result, r, m, country, metric))
            .sum()
    };
    for (country, metric) in [
        ("north", "released_cases"),
        ("north", "ineligible_exempt_cases"),
        ("north", "ineligible_phase_closed_cases"),
        ("north", "ineligible_not_covered_cases"),
        ("north", "ineligible_no_transit_cases"),
        ("north", "ineligible_screened_out_cases"),
        ("north", "ineligible_nationality_cases"),
        ("south", "transferred_cases"),
        ("east", "transferred_cases"),
        ("south", "abandoned_cases"),
        ("south", "transferee_abandoned_cases"),
        ("east", "decisions_cases"),
        ("south", "grants_cases"),
    ] {
        assert!(total(country, metric) > 0.0, "{country}/{metric} never happened: the test scenario lost its teeth");
    }
}
