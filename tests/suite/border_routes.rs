//! The border before any agreement: only protection seekers are transfer candidates, and the sending country's
//! competing routes (wait abroad, fast track, expedited removal, expulsion) take their share of them first, each
//! with its own count and its own way to the courts.

use crate::support;

use safe_third::scenario::Scenario;
use support::{close, value};

const COURTS: &str = "[sending_courts]\ndecisions_per_month = 1000000\nclaim_share = 0.8\ngrant_probability = 0.5";

/// Six months from 1 January 2024 of 20 single adults of X a day, all transferable to B at once (unlimited seats),
/// the stream's `stream` lines added, `routes` and the courts after everything.
fn scenario(stream: &str, routes: &str, courts: &str) -> Scenario {
    let asylum = "filing_probability = 0\nfiling_window_days = 3\nadjudicators = 1\n\
                  service_time_days = { distribution = \"exponential\", mean = 1 }\ngrant_probability = 0.5";
    let tail = format!("{routes}\n{courts}");
    let text = support::OneAgreement {
        agreement: "seats_per_month = \"unlimited\"\nmax_wait_days = 5",
        asylum,
        tail: &tail,
        ..Default::default()
    }
    .toml()
    .replace("per_day = 20\n", &format!("per_day = 20\n{stream}\n"));
    support::scenario(&text)
}

/// The total of a sending-country metric over every replication and month.
fn total(result: &safe_third::montecarlo::RunResult, metric: &str) -> f64 {
    (0..result.replications.len())
        .flat_map(|r| (0..result.layout.months.len()).map(move |m| (r, m)))
        .map(|(r, m)| value(result, r, m, "a", metric))
        .sum()
}

#[test]
fn those_not_seeking_protection_are_never_transferred_and_file_no_claim() {
    let s = scenario("protection_seeking_share = 0", "", COURTS);
    let result = support::run(&s, 3, 1, 0);
    support::check_identities(&s, &result);
    assert!(total(&result, "arrivals_cases") > 1000.0);
    assert_eq!(total(&result, "ineligible_not_seeking_protection_cases"), total(&result, "arrivals_cases"));
    assert_eq!(total(&result, "transferred_cases"), 0.0);
    assert_eq!(total(&result, "court_claims_filed_cases"), 0.0, "no protection seeker, no claim");
    // They still join the sending country's process.
    assert_eq!(total(&result, "to_sending_process_cases"), total(&result, "arrivals_cases"));
}

#[test]
fn the_protection_seeking_share_sets_the_candidates_by_date() {
    let s = scenario(
        "protection_seeking_share = [{ from = 2024-01-01, value = 1 }, { from = 2024-04-01, value = 0.3 }]",
        "",
        COURTS,
    );
    let result = support::run(&s, 20, 2, 0);
    support::check_identities(&s, &result);
    let month = |m: usize, metric: &str| -> f64 { (0..20).map(|r| value(&result, r, m, "a", metric)).sum() };
    for m in 0..3 {
        assert_eq!(month(m, "ineligible_not_seeking_protection_cases"), 0.0, "month {m}: everyone seeks protection");
        assert_eq!(month(m, "transferred_cases"), month(m, "arrivals_cases"), "month {m}");
    }
    for m in 3..6 {
        let share = month(m, "transferred_cases") / month(m, "arrivals_cases");
        assert!((share - 0.3).abs() < 0.02, "month {m}: {share} of arrivals transferred, expected 0.3");
    }
}

#[test]
fn a_route_takes_its_share_of_protection_seekers_before_the_agreement_screens_them() {
    let routes = "[[arrivals.route]]\nkind = \"fast_track\"\nshare = [{ from = 2024-01-01, value = 0 }, { from = 2024-03-01, value = 0.4 }]";
    let s = scenario("protection_seeking_share = 0.5", routes, COURTS);
    let result = support::run(&s, 20, 3, 0);
    support::check_identities(&s, &result);
    let month = |m: usize, metric: &str| -> f64 { (0..20).map(|r| value(&result, r, m, "a", metric)).sum() };
    for m in 0..2 {
        assert_eq!(month(m, "ineligible_fast_track_cases"), 0.0, "month {m}: the route has not started");
    }
    for m in 2..6 {
        let seekers = month(m, "arrivals_cases") - month(m, "ineligible_not_seeking_protection_cases");
        let routed = month(m, "ineligible_fast_track_cases") / seekers;
        assert!((routed - 0.4).abs() < 0.03, "month {m}: the route took {routed} of protection seekers, expected 0.4");
        // Everyone else seeking protection is transferred: the route came first.
        assert_eq!(month(m, "transferred_cases"), seekers - month(m, "ineligible_fast_track_cases"), "month {m}");
    }
}

#[test]
fn expulsions_raise_no_court_claim_and_never_join_the_sending_process() {
    let routes = "[[arrivals.route]]\nkind = \"expulsion\"\nshare = 1";
    let s = scenario("", routes, COURTS);
    let result = support::run(&s, 3, 4, 0);
    support::check_identities(&s, &result);
    assert!(total(&result, "arrivals_cases") > 1000.0);
    assert_eq!(total(&result, "ineligible_expelled_cases"), total(&result, "arrivals_cases"));
    assert_eq!(total(&result, "ineligible_expelled_people"), total(&result, "arrivals_people"));
    for metric in ["transferred_cases", "to_sending_process_cases", "credible_fear_referrals_cases"] {
        assert_eq!(total(&result, metric), 0.0, "{metric}");
    }
    assert_eq!(total(&result, "court_claims_filed_cases"), 0.0);
}

#[test]
fn those_sent_to_wait_abroad_go_before_the_courts_without_credible_fear_screening() {
    let routes = "[[arrivals.route]]\nkind = \"wait_abroad\"\nshare = 1";
    let courts = format!("{COURTS}\ncredible_fear_pass_share = 0");
    let s = scenario("", routes, &courts);
    let result = support::run(&s, 2, 5, 0);
    support::check_identities(&s, &result);
    close(total(&result, "court_claims_filed_cases"), 0.8 * total(&result, "ineligible_wait_abroad_cases"), "filed");
    assert_eq!(total(&result, "credible_fear_referrals_cases"), 0.0);
    assert!(total(&result, "court_claims_filed_cases") > 1000.0);
}

#[test]
fn routes_apply_only_to_their_nationalities_and_households() {
    let routes = "[[arrivals.route]]\nkind = \"expedited_removal\"\nshare = 1\nhouseholds = [\"family\"]\n\
                  [[arrivals.route]]\nkind = \"expulsion\"\nshare = 1\nnationalities = [\"b\"]";
    let s = scenario("", routes, COURTS);
    let result = support::run(&s, 2, 6, 0);
    for metric in ["ineligible_expedited_removal_cases", "ineligible_expelled_cases"] {
        assert_eq!(total(&result, metric), 0.0, "{metric}: single adults of X are outside both routes");
    }
    assert_eq!(total(&result, "transferred_cases"), total(&result, "arrivals_cases"));
}

#[test]
fn an_agreement_without_a_transit_requirement_takes_those_who_never_set_foot_there() {
    let with = support::OneAgreement {
        transit: 0.0,
        agreement: "seats_per_month = \"unlimited\"\nmax_wait_days = 5",
        asylum: "filing_probability = 0\nfiling_window_days = 3\nadjudicators = 1\n\
                 service_time_days = { distribution = \"exponential\", mean = 1 }\ngrant_probability = 0.5",
        ..Default::default()
    }
    .toml();
    let required = support::scenario(&with);
    let result = support::run(&required, 2, 7, 0);
    assert_eq!(total(&result, "transferred_cases"), 0.0, "nobody transited");
    let not_required = support::scenario(&with.replace("transit_probability = { x = 0 }", "requires_transit = false"));
    let result = support::run(&not_required, 2, 7, 0);
    assert_eq!(total(&result, "ineligible_no_transit_cases"), 0.0);
    assert_eq!(total(&result, "transferred_cases"), total(&result, "arrivals_cases"));
    // A transit probability without the requirement would be silently ignored: it is refused instead.
    let both =
        with.replace("transit_probability = { x = 0 }", "transit_probability = { x = 0 }\nrequires_transit = false");
    assert!(Scenario::from_toml(&both, "x.toml").is_err());
}
