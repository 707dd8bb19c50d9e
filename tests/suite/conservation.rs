//! Every person is accounted for: the conservation identities of `safe_third::model` (see its module docs) hold
//! for every replication and month, on the shipped scenario and on one that exercises every mechanism.

use crate::support;

use safe_third::scenario::Scenario;
use support::check_identities;

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
        ("north", "ineligible_not_seeking_protection_cases"),
        ("north", "ineligible_wait_abroad_cases"),
        ("north", "ineligible_fast_track_cases"),
        ("north", "ineligible_expedited_removal_cases"),
        ("north", "ineligible_expelled_cases"),
        ("north", "re_arrivals_expelled_cases"),
        ("north", "credible_fear_referrals_cases"),
        ("north", "court_credible_fear_found_cases"),
        ("south", "transferred_cases"),
        ("east", "transferred_cases"),
        ("south", "abandoned_cases"),
        ("south", "transferee_abandoned_cases"),
        ("east", "decisions_cases"),
        ("south", "grants_cases"),
        ("north", "ineligible_suspended_cases"),
        ("north", "deterred_cases"),
        ("north", "diverted_cases"),
        ("north", "re_arrivals_cases"),
        ("south", "released_holding_full_cases"),
        ("south", "came_back_cases"),
        ("south", "returned_home_cases"),
        ("south", "moved_on_cases"),
        ("south", "not_followed_cases"),
        ("east", "flights_count"),
        ("east", "holding_person_days"),
        ("north", "court_claims_averted_cases"),
        ("north", "court_barred_cases"),
        ("north", "court_cost_usd"),
        ("north", "agreement_cost_usd"),
        ("south", "adjudication_cost_usd"),
        ("east", "staff_cost_usd"),
        ("south", "sessions_count"),
        ("south", "awaiting_session_cases"),
        ("south", "trainee_adjudicators_count"),
        ("south", "hired_adjudicators_count"),
        ("east", "awaiting_session_cases"),
        ("south", "late_claims_filed_cases"),
        ("south", "awaiting_late_filing_cases"),
        ("south", "left_with_protection_need_cases"),
    ] {
        assert!(total(country, metric) > 0.0, "{country}/{metric} never happened: the test scenario lost its teeth");
    }
}

#[test]
fn every_case_is_accounted_for_at_the_full_border_over_ten_years() {
    let text = std::fs::read_to_string("scenarios/full-border-2019.toml").unwrap();
    let scenario = support::scenario(&text);
    let result = support::run(&scenario, 1, 3, 0);
    check_identities(&scenario, &result);
    let last = result.layout.months.len() - 1;
    // About 8.5 million people over ten years (FY2019's 851,508 a year, §3a), and each agreement transfers.
    let arrivals = support::value(&result, 0, last, "united_states", "cumulative_arrivals_people");
    assert!((8.4e6..8.6e6).contains(&arrivals), "{arrivals}");
    for country in ["guatemala", "honduras", "el_salvador"] {
        assert!(support::value(&result, 0, last, country, "cumulative_transferred_people") > 10_000.0, "{country}");
    }
}
