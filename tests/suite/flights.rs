//! Transfers as flights: seats leave only on flight days, within the monthly budget when there is one, and the
//! sending country's holding capacity caps how many wait.

use crate::support;

use support::{pipeline, run, scenario, value};

#[test]
fn transfers_leave_only_on_flight_days() {
    // January 2024 has four Thursdays (4, 11, 18, 25); 70 eligible by the first and 140 a week after always fill
    // a 50-seat flight.
    let text = pipeline(1, "[agreement.b.flights]\nweekdays = [\"thu\"]\nseats_per_flight = 50", "", "");
    let result = run(&scenario(&text), 5, 1, 0);
    for r in 0..5 {
        assert_eq!(value(&result, r, 0, "b", "flights_count"), 4.0);
        assert_eq!(value(&result, r, 0, "b", "transferred_people"), 200.0, "four full flights");
    }
    // Adding Sundays (7, 14, 21, 28) doubles the flights and the people carried.
    let text = pipeline(1, "[agreement.b.flights]\nweekdays = [\"thu\", \"sun\"]\nseats_per_flight = 50", "", "");
    let result = run(&scenario(&text), 2, 1, 0);
    assert_eq!(value(&result, 0, 0, "b", "flights_count"), 8.0);
    assert_eq!(value(&result, 0, 0, "b", "transferred_people"), 400.0);
}

#[test]
fn a_monthly_budget_caps_what_the_flights_carry() {
    let agreement = "seats_per_month = 120\n[agreement.b.flights]\nweekdays = [\"tue\"]\nseats_per_flight = 50";
    let result = run(&scenario(&pipeline(1, agreement, "", "")), 3, 1, 0);
    for r in 0..3 {
        // The budget accrues by day: by the end of the last flight day (30 Jan) 120 × 30/31 = 116.1 seats.
        assert_eq!(value(&result, r, 0, "b", "transferred_people"), 116.0);
    }
}

#[test]
fn a_full_holding_facility_releases_new_cases_at_once() {
    let text = pipeline(2, "seats_per_month = 10\nholding_capacity_people = 30", "", "");
    let result = run(&scenario(&text), 3, 1, 0);
    for r in 0..3 {
        for m in 0..2 {
            let v = |metric| value(&result, r, m, "b", metric);
            assert!(v("waiting_transfer_people") <= 30.0);
            assert!(v("released_holding_full_cases") > 400.0, "about 600 arrive against 30 places");
            assert!(v("holding_person_days") <= 30.0 * 31.0);
        }
    }
    // Without the cap the same arrivals wait up to the 30-day limit instead.
    let result = run(&scenario(&pipeline(2, "seats_per_month = 10", "", "")), 1, 1, 0);
    assert_eq!(value(&result, 0, 1, "b", "released_holding_full_cases"), 0.0);
    assert!(value(&result, 0, 1, "b", "waiting_transfer_people") > 300.0);
}

#[test]
fn holding_person_days_add_up_the_time_each_person_waited() {
    // No seats and a 5-day limit: every case waits exactly 5 days (or until the horizon ends).
    let text = pipeline(3, "seats_per_month = 0\nmax_wait_days = 5", "", "").replace("max_wait_days = 30\n", "");
    let result = run(&scenario(&text), 2, 1, 0);
    for r in 0..2 {
        let total = |metric| (0..3).map(|m| value(&result, r, m, "b", metric)).sum::<f64>();
        let days = total("holding_person_days");
        let released = total("released_people");
        let waiting = value(&result, r, 2, "b", "waiting_transfer_people");
        // Released people waited 5 days each; those still waiting at the end waited less than 5.
        assert!(days >= 5.0 * released && days <= 5.0 * (released + waiting), "{days} vs {released} + {waiting}");
        assert!(released > 1500.0);
    }
}

#[test]
fn each_flight_and_each_holding_day_is_paid_for() {
    let agreement = "cost_per_holding_day_usd = 12.5\n[agreement.b.flights]\nweekdays = [\"thu\"]\nseats_per_flight = 50\n\
                     cost_per_flight_usd = 80000";
    let result = run(&scenario(&pipeline(2, agreement, "", "")), 3, 1, 0);
    for r in 0..3 {
        for m in 0..2 {
            let v = |metric| value(&result, r, m, "b", metric);
            assert!(v("flights_count") >= 4.0);
            assert_eq!(v("flight_cost_usd"), 80000.0 * v("flights_count"));
            assert_eq!(v("holding_cost_usd"), 12.5 * v("holding_person_days"));
        }
    }
}
