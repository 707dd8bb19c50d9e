//! Suspensions and terminations of transfers: no eligibility and no transfer while halted, waiting cases released
//! or held as the scenario says, transfers resuming after `until` and never after a termination.

use crate::support;

use support::{pipeline, run, scenario, value};

#[test]
fn nobody_is_transferred_during_a_suspension() {
    let halt = "seats_per_month = \"unlimited\"\n[[agreement.b.suspension]]\nfrom = 2024-02-01\nuntil = 2024-04-01";
    let result = run(&scenario(&pipeline(5, halt, "", "")), 3, 1, 0);
    for r in 0..3 {
        let v = |m, metric| value(&result, r, m, "b", metric);
        let a = |m, metric| value(&result, r, m, "a", metric);
        for m in [1, 2] {
            assert_eq!(v(m, "transferred_cases"), 0.0, "month {m} is suspended");
            assert_eq!(a(m, "ineligible_suspended_cases"), a(m, "arrivals_cases"));
        }
        for m in [0, 3, 4] {
            assert_eq!(v(m, "transferred_cases"), a(m, "arrivals_cases"), "month {m}: unlimited seats");
            assert_eq!(a(m, "ineligible_suspended_cases"), 0.0);
        }
    }
}

#[test]
fn waiting_cases_are_released_or_held_at_the_start_of_a_suspension() {
    // 10 seats a month against about 600 arrivals: a long queue (the limit is 30 days) when transfers stop.
    let halt = |waiting: &str| {
        format!(
            "seats_per_month = 10\n[[agreement.b.suspension]]\nfrom = 2024-01-25\nuntil = 2024-02-20\nwaiting = \"{waiting}\""
        )
    };
    let released = run(&scenario(&pipeline(2, &halt("release"), "", "")), 2, 1, 0);
    let held = run(&scenario(&pipeline(2, &halt("hold"), "", "")), 2, 1, 0);
    for r in 0..2 {
        assert_eq!(value(&released, r, 0, "b", "waiting_transfer_cases"), 0.0, "everyone released on 25 Jan");
        assert!(value(&held, r, 0, "b", "waiting_transfer_cases") > 400.0, "the queue is kept");
        // The same people arrived and were eligible up to the suspension in both runs.
        assert_eq!(value(&released, r, 0, "a", "eligible_cases"), value(&held, r, 0, "a", "eligible_cases"));
        assert!(value(&released, r, 0, "b", "released_cases") > value(&held, r, 0, "b", "released_cases"));
        // Transfers resume on 20 Feb in both.
        assert!(value(&held, r, 1, "b", "transferred_people") > 0.0);
        assert!(value(&released, r, 1, "b", "transferred_people") > 0.0);
    }
}

#[test]
fn a_termination_stops_transfers_to_the_horizon() {
    let end = "seats_per_month = \"unlimited\"\n[[agreement.b.suspension]]\nfrom = 2024-02-15\nlabel = \"terminated\"";
    let result = run(&scenario(&pipeline(6, end, "", "")), 2, 1, 0);
    for r in 0..2 {
        assert!(value(&result, r, 1, "b", "transferred_cases") > 200.0, "the first half of February");
        for m in 2..6 {
            assert_eq!(value(&result, r, m, "b", "transferred_cases"), 0.0, "month {m}");
            assert_eq!(value(&result, r, m, "a", "eligible_cases"), 0.0);
        }
    }
}

#[test]
fn overlapping_suspensions_are_refused() {
    let halts = "seats_per_month = 1\n[[agreement.b.suspension]]\nfrom = 2024-02-01\n\
                 [[agreement.b.suspension]]\nfrom = 2024-03-01\nuntil = 2024-02-15";
    let err = safe_third::scenario::Scenario::from_toml(&pipeline(6, halts, "", ""), "t.toml").unwrap_err().to_string();
    assert!(err.contains("agreement.b.suspension[1].until"), "{err}");
    assert!(err.contains("agreement.b.suspension[1].from"), "a termination cannot be followed: {err}");
}
