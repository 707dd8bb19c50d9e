//! Transfer seats: the monthly budget in people is respected, spent when demand exceeds it, and a switch from
//! unlimited to limited seats mid-month starts a fresh budget.

use crate::support;

fn scenario(seats: &str) -> String {
    format!(
        r#"
name = "seats"
start = 2024-01-01
months = 5
sending_country = "a"

[countries]
a = "A"
b = "B"
x = "X"

[[arrivals.stream]]
nationality = "x"
household = "single_adult"
per_day = 20

[agreement.b]
eligible_nationalities = ["x"]
transit_probability = {{ x = 1 }}
screening_exempt_share = 0
seats_per_month = {seats}
max_wait_days = 5

[[agreement.b.phase]]
from = 2024-01-01
households = ["single_adult"]

[asylum.b]
filing_probability = 0
filing_window_days = 3
adjudicators = 1
service_time_days = {{ distribution = "exponential", mean = 1 }}
grant_probability = 0.5
"#
    )
}

#[test]
fn a_binding_budget_is_spent_exactly_every_month() {
    let result = support::run(&support::scenario(&scenario("100")), 10, 1, 0);
    for r in 0..10 {
        for m in 0..5 {
            // About 600 eligible a month against 100 seats: every seat is used, none more.
            assert_eq!(support::value(&result, r, m, "b", "transferred_people"), 100.0, "replication {r} month {m}");
            assert!(support::value(&result, r, m, "b", "released_cases") > 300.0, "demand exceeds the seats");
        }
    }
}

#[test]
fn limited_seats_after_an_unlimited_stretch_start_a_new_budget() {
    let seats = r#"[{ from = 2024-01-01, value = "unlimited" }, { from = 2024-04-11, value = 30 }]"#;
    let result = support::run(&support::scenario(&scenario(seats)), 10, 2, 0);
    let april = 3;
    for r in 0..10 {
        let v = |m, metric| support::value(&result, r, m, "b", metric);
        for m in 0..april {
            assert_eq!(v(m, "released_cases"), 0.0, "unlimited seats: nobody waits");
            assert_eq!(v(m, "transferred_cases"), v(m, "eligible_cases"));
        }
        // From 11 April, 30 seats a month accrue by day: 20 of 30 days give 20 seats. Before the 11th everyone
        // eligible was transferred at once; afterwards at most 20 more.
        let transferred = v(april, "transferred_people");
        let unlimited_part = transferred - 20.0;
        assert!(unlimited_part > 100.0 && unlimited_part < 300.0, "April: {transferred} transferred");
        assert!(v(april, "released_cases") > 200.0, "April's later arrivals must wait and be released");
        assert_eq!(v(april + 1, "transferred_people"), 30.0, "May has the full budget of 30");
    }
}

/// Arrivals that no agreement takes are counted when screened, without an event each: with a transit probability
/// of 0 the run handles nothing but its month starts, yet every arrival is counted, refused for want of transit.
#[test]
fn arrivals_refused_by_their_own_draws_need_no_event() {
    let asylum = "filing_probability = 1\nfiling_window_days = 0\nadjudicators = 1\n\
                  service_time_days = { distribution = \"fixed\", value = 1 }\ngrant_probability = 0.5";
    let agreement = "seats_per_month = \"unlimited\"\nmax_wait_days = \"unlimited\"";
    let text =
        support::OneAgreement { transit: 0.0, months: 3, agreement, asylum, ..support::OneAgreement::default() }.toml();
    let model = safe_third::model::Model::new(&support::scenario(&text));
    let output = safe_third::model::Replication::new(&model).run(7, 0);
    let layout = &model.layout;
    let total = |metric: &str| -> f64 { (0..3).map(|m| output.values[layout.find(m, "a", metric).unwrap()]).sum() };
    assert!(total("arrivals_cases") > 1000.0, "about 20 a day arrive over 3 months");
    assert_eq!(total("ineligible_no_transit_cases"), total("arrivals_cases"));
    assert_eq!(output.events, 3, "only the three month starts are events");
}

/// Screening reads an agreement's schedules ahead of time, for arrivals of other streams: an eligible arrival must
/// still meet the seats in force at its own time. Here seats are unlimited until 16 January and then there are
/// none, and a second stream (of another nationality, never transited, so never eligible) is screened in bulk
/// at the month's start, reading the schedules at the end of the month. Adding that stream must change nothing
/// for the receiving country: its arrivals are all refused, and the first stream's cases keep their own draws.
#[test]
fn a_stream_never_eligible_changes_nothing_for_the_receiving_country() {
    let with_second_stream = |second: bool| {
        let stream = "[[arrivals.stream]]\nnationality = \"y\"\nhousehold = \"single_adult\"\nper_day = 20\n";
        let text = scenario(r#"[{ from = 2024-01-01, value = "unlimited" }, { from = 2024-01-16, value = 0 }]"#)
            .replace("months = 5", "months = 1")
            .replace("x = \"X\"", "x = \"X\"\ny = \"Y\"")
            .replace("eligible_nationalities = [\"x\"]", "eligible_nationalities = [\"x\", \"y\"]")
            .replace("transit_probability = { x = 1 }", "transit_probability = { x = 1, y = 0 }");
        let text = if second { text.replace("[agreement.b]", &format!("{stream}\n[agreement.b]")) } else { text };
        support::run(&support::scenario(&text), 4, 11, 1)
    };
    let (alone, together) = (with_second_stream(false), with_second_stream(true));
    assert!(support::value(&together, 0, 0, "a", "ineligible_no_transit_cases") > 300.0, "the second stream arrives");
    for r in 0..4 {
        for metric in ["transferred_cases", "waiting_transfer_cases", "eligible_cases", "seat_wait_days_mean"] {
            let (a, b) = (support::value(&alone, r, 0, "b", metric), support::value(&together, r, 0, "b", metric));
            assert!(
                a == b || (a.is_nan() && b.is_nan()),
                "replication {r}, {metric}: {a} alone, {b} with the second stream"
            );
        }
        assert!(support::value(&alone, r, 0, "b", "transferred_cases") > 0.0);
        assert!(support::value(&alone, r, 0, "b", "waiting_transfer_cases") > 0.0);
    }
}

/// Releases at the holding limit take no event: each is settled, at the instant it fell due, by the next event
/// that touches its queue (an arrival, the daily transfer operation, a suspension) or by the month's close. With
/// no seats at all, every eligible person is released after waiting exactly the holding limit, so the person-days
/// held add up to 5 days per person released; and a release falling due in the half day between a month's last
/// transfer operation and its end must count in that month, with no one held past the limit.
#[test]
fn everyone_released_waited_exactly_the_holding_limit() {
    let text = scenario("0")
        .replace("months = 5", "months = 2")
        .replace("per_day = 20", "per_day = [{ from = 2024-01-01, value = 20 }, { from = 2024-02-01, value = 0 }]");
    let result = support::run(&support::scenario(&text), 10, 2, 0);
    for r in 0..10 {
        let v = |m, metric| support::value(&result, r, m, "b", metric);
        let released = v(0, "released_people") + v(1, "released_people");
        assert_eq!(released, v(0, "eligible_cases"), "replication {r}: every January arrival is released");
        assert_eq!(v(1, "waiting_transfer_cases"), 0.0, "all released by 5 February");
        let held = v(0, "holding_person_days") + v(1, "holding_person_days");
        assert!((held - 5.0 * released).abs() < 1e-6 * held, "replication {r}: {held} person-days for {released}");
        assert_eq!(v(1, "released_people"), v(0, "waiting_transfer_people"), "replication {r}");
    }
}

/// A release due at the very instant of another event of its queue comes first: a case that reaches the holding
/// limit as a transfer operation runs is released, not seated, as it would be with a limit a hair shorter.
/// Such ties need fixed delays: here transfers run at midday, nobody files in the 3-day window and everyone
/// comes back 7 days later, so returning cases join the queue at midday and, with a 10-day limit, fall due at
/// midday too, on the day seats return (15 February). Before releases were settled without events, the order at
/// such a tie depended on when each event happened to be scheduled.
#[test]
fn a_release_due_as_a_transfer_runs_comes_first() {
    let text = |limit: &str| {
        scenario(
            r#"[{ from = 2024-01-01, value = 100000 }, { from = 2024-02-01, value = 0 }, { from = 2024-02-15, value = 100000 }]"#,
        )
        .replace("months = 5", "months = 3")
        .replace("max_wait_days = 5", &format!("max_wait_days = {limit}"))
            + "\n[asylum.b.onward]\nnot_filed = { come_back = 1 }\ncome_back_days = { distribution = \"fixed\", value = 7 }\n"
    };
    let at_the_limit = support::run(&support::scenario(&text("10")), 4, 2, 1);
    let just_before = support::run(&support::scenario(&text("9.999999")), 4, 2, 1);
    for r in 0..4 {
        for m in 0..3 {
            for metric in ["re_arrivals_cases", "eligible_cases", "transferred_cases", "released_cases"] {
                let (tie, before) =
                    (support::value(&at_the_limit, r, m, "a", metric), support::value(&just_before, r, m, "a", metric));
                assert_eq!(tie, before, "replication {r}, month {m}, {metric}");
            }
        }
        assert!(support::value(&at_the_limit, r, 1, "a", "re_arrivals_cases") > 100.0, "cases come back in February");
    }
}

/// A transfer operation seats only cases still within the holding limit: those that reached it since the queue
/// was last touched are released first, at their due time. Arrivals come in January only, with no seats; from 1
/// February seats are plentiful. Cases that reach the 10-day limit between February's start and its first
/// transfer run at midday (those who arrived around midday on 22 January) must be released, not seated; all the
/// others left waiting are seated by that run.
#[test]
fn a_transfer_run_seats_no_case_past_the_holding_limit() {
    let text = scenario(r#"[{ from = 2024-01-01, value = 0 }, { from = 2024-02-01, value = 100000 }]"#)
        .replace("months = 5", "months = 2")
        .replace("max_wait_days = 5", "max_wait_days = 10")
        .replace("per_day = 20", "per_day = [{ from = 2024-01-01, value = 20 }, { from = 2024-02-01, value = 0 }]");
    let result = support::run(&support::scenario(&text), 10, 2, 0);
    for r in 0..10 {
        let v = |m, metric| support::value(&result, r, m, "b", metric);
        let (released, transferred) = (v(1, "released_cases"), v(1, "transferred_cases"));
        assert!(released > 0.0, "replication {r}: half a day of arrivals falls due before the first run");
        assert!(released < 30.0, "replication {r}: {released} released in February");
        assert_eq!(released + transferred, v(0, "waiting_transfer_cases"), "replication {r}");
    }
}
