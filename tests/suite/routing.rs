//! Several receiving countries: a case eligible under more than one agreement goes to one of them, by priority
//! (file order), by shares, or to the shortest queue.

use crate::support;

use support::{run, scenario, value};

/// Nationals of X are eligible under both agreements; nationals of B (`b_nationals` a day) only under C's.
fn two_countries(routing: &str, seats_b: &str, seats_c: &str, b_nationals: u32) -> String {
    format!(
        r#"
name = "routing"
start = 2024-01-01
months = 3
sending_country = "a"
{routing}

[countries]
a = "A"
b = "B"
c = "C"
x = "X"

[[arrivals.stream]]
nationality = "x"
household = "single_adult"
per_day = 40

[[arrivals.stream]]
nationality = "b"
household = "single_adult"
per_day = {b_nationals}

[agreement.b]
eligible_nationalities = ["x"]
transit_probability = {{ x = 1 }}
screening_exempt_share = 0
seats_per_month = {seats_b}
max_wait_days = 10
[[agreement.b.phase]]
from = 2024-01-01
households = ["single_adult"]

[agreement.c]
eligible_nationalities = ["x", "b"]
transit_probability = {{ x = 1, b = 1 }}
screening_exempt_share = 0
seats_per_month = {seats_c}
max_wait_days = 10
[[agreement.c.phase]]
from = 2024-01-01
households = ["single_adult"]

[asylum.b]
filing_probability = 0
filing_window_days = 1
adjudicators = 1
service_time_days = {{ distribution = "exponential", mean = 1 }}
grant_probability = 0

[asylum.c]
filing_probability = 0
filing_window_days = 1
adjudicators = 1
service_time_days = {{ distribution = "exponential", mean = 1 }}
grant_probability = 0
"#
    )
}

fn total(result: &safe_third::montecarlo::RunResult, country: &str, metric: &str) -> f64 {
    (0..result.replications.len())
        .flat_map(|r| (0..3).map(move |m| (r, m)))
        .map(|(r, m)| value(result, r, m, country, metric))
        .sum()
}

#[test]
fn priority_sends_every_case_to_the_first_eligible_agreement() {
    let result = run(&scenario(&two_countries("", "\"unlimited\"", "\"unlimited\"", 10)), 3, 1, 0);
    let to_c = total(&result, "c", "eligible_cases");
    let nationals_of_b = total(&result, "a", "arrivals_cases") - total(&result, "b", "eligible_cases");
    assert!(total(&result, "b", "eligible_cases") > 10_000.0);
    // C takes only B's nationals, whom B may never receive.
    assert_eq!(to_c, nationals_of_b);
}

#[test]
fn shares_split_cases_in_proportion_to_the_weights() {
    let routing = "[routing]\nrule = \"shares\"\nshares = { b = 3, c = 1 }";
    let result = run(&scenario(&two_countries(routing, "\"unlimited\"", "\"unlimited\"", 0)), 5, 2, 0);
    let to_b = total(&result, "b", "eligible_cases");
    let to_c = total(&result, "c", "eligible_cases");
    assert_eq!(to_b + to_c, total(&result, "a", "arrivals_cases"));
    // About 18,200 cases: the share's standard error is 0.003.
    let share_b = to_b / (to_b + to_c);
    assert!((share_b - 0.75).abs() < 0.015, "B's share: {share_b}");
}

#[test]
fn the_shortest_queue_takes_cases_when_the_other_is_blocked() {
    // B transfers nobody (no seats), so its queue grows; the shortest-queue rule then sends X's cases to C.
    let shortest = "[routing]\nrule = \"shortest_queue\"";
    let result = run(&scenario(&two_countries(shortest, "0", "2000", 0)), 3, 3, 0);
    let b = total(&result, "b", "eligible_cases");
    let c = total(&result, "c", "eligible_cases");
    // B takes a case only when C's queue (refilled through each day, emptied by its daily operation) is at least
    // as long as B's, so B's queue stays near a day of arrivals and C takes the rest.
    assert!(c > 5.0 * b, "C should take most: B {b}, C {c}");
    for m in 0..3 {
        assert!(value(&result, 0, m, "b", "waiting_transfer_people") <= 60.0);
    }
    // By priority, B would have taken every X case and released them all.
    let result = run(&scenario(&two_countries("", "0", "2000", 0)), 3, 3, 0);
    assert_eq!(total(&result, "b", "eligible_cases"), total(&result, "a", "arrivals_cases"));
    assert_eq!(total(&result, "c", "transferred_cases"), 0.0);
}

#[test]
fn shares_naming_an_unknown_agreement_are_refused() {
    let routing = "[routing]\nrule = \"shares\"\nshares = { b = 1, d = 1 }";
    let err = safe_third::scenario::Scenario::from_toml(&two_countries(routing, "1", "1", 0), "t.toml").unwrap_err();
    assert!(err.to_string().contains("routing.shares.d"), "{err}");
}

/// The shortest-queue rule must compare the queues as they are at the case's arrival, with the cases that reached
/// the holding limit since either queue was last touched already released. Both agreements here have no seats and
/// a half-day limit, so each queue holds the arrivals of the last half day routed to it, and routing keeps the two
/// within a few people of each other. Comparing a queue still holding overdue cases sends arrivals to the other
/// one, and month-end queues then differ by 7 people on average (up to 17), against about 1 when compared right.
#[test]
fn the_shortest_queue_is_judged_after_the_releases_due() {
    let shortest = "[routing]\nrule = \"shortest_queue\"";
    let text = two_countries(shortest, "0", "0", 0).replace("max_wait_days = 10", "max_wait_days = 0.5");
    let result = run(&scenario(&text), 20, 3, 0);
    let mut differences = Vec::new();
    for r in 0..20 {
        for m in 0..3 {
            let waiting = |country| value(&result, r, m, country, "waiting_transfer_people");
            assert!(waiting("b") + waiting("c") > 5.0, "half a day of arrivals wait");
            differences.push((waiting("b") - waiting("c")).abs());
        }
    }
    let mean = differences.iter().sum::<f64>() / differences.len() as f64;
    assert!(mean < 2.0, "month-end queues differ by {mean} people on average: {differences:?}");
}
