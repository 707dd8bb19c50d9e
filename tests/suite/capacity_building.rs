//! Capacity building: a budget pays whole adjudicator positions for a funded period; hires decide nothing while
//! they train, then add to the adjudicators deciding claims.

use crate::support;

use safe_third::model::Model;

/// A year from January 2024 with a queue that never empties (a large initial backlog) for two adjudicators.
fn scenario(building: &str) -> String {
    let asylum = format!(
        "filing_probability = 1\nfiling_window_days = 0\nadjudicators = 2\n\
         service_time_days = {{ distribution = \"exponential\", mean = 3 }}\ngrant_probability = 0.5\n\
         initial_backlog = 5000\n{building}"
    );
    let agreement = "seats_per_month = \"unlimited\"\nmax_wait_days = 5";
    support::OneAgreement { months: 12, per_day: 1.0, agreement, asylum: &asylum, ..Default::default() }.toml()
}

/// Hiring on 1 March 2024, paid for six months (to 1 September), deciding 45 days after hire (15 April).
fn plan(budget: u32, pace: &str) -> String {
    format!(
        "[asylum.b.capacity_building]\nbudget_usd = {budget}\nfrom = 2024-03-01\nmonths = 6\n\
         cost_per_adjudicator_month_usd = 5000\ntraining_days = 45\n{pace}"
    )
}

#[test]
fn hires_decide_nothing_while_they_train_and_more_afterwards() {
    let base = support::scenario(&scenario(""));
    // 130,000 / (5,000 × 6) = 4.33: four adjudicators.
    let funded = support::scenario(&scenario(&plan(130_000, "")));
    let (without, with) = (support::run(&base, 6, 2, 0), support::run(&funded, 6, 2, 0));
    support::check_identities(&funded, &with);
    for r in 0..6 {
        let d = |result, m| support::value(result, r, m, "b", "decisions_cases");
        let v = |m, metric| support::value(&with, r, m, "b", metric);
        // January to March: identical, trainees included; April (trained from the 15th) onwards: more.
        for m in 0..3 {
            assert_eq!(d(&with, m), d(&without, m), "replication {r}, month {m}: trainees decided something");
        }
        for m in 4..8 {
            assert!(d(&with, m) > d(&without, m) * 2.0, "replication {r}, month {m}: six adjudicators, not two");
        }
        assert_eq!((v(2, "hired_adjudicators_count"), v(2, "trainee_adjudicators_count")), (4.0, 4.0));
        assert_eq!(v(2, "adjudicators_count"), 2.0, "trainees are not deciding adjudicators");
        assert_eq!((v(3, "trainee_adjudicators_count"), v(3, "adjudicators_count")), (0.0, 6.0));
        // The funding ends on 1 September: back to the base staff, decisions as before.
        assert_eq!((v(8, "hired_adjudicators_count"), v(8, "adjudicators_count")), (0.0, 2.0));
        assert_eq!(v(1, "hired_adjudicators_count"), 0.0);
    }
}

#[test]
fn twice_the_budget_hires_twice_the_adjudicators() {
    let hired = |budget| {
        let s = support::scenario(&scenario(&plan(budget, "")));
        let result = support::run(&s, 1, 1, 0);
        let model = Model::new(&s);
        let paid: f64 = (0..12).map(|m| model.asylum[0].paid_adjudicator_days(m)).sum();
        (support::value(&result, 0, 4, "b", "hired_adjudicators_count"), paid)
    };
    let (base_days, year) = (2.0 * 366.0, 184.0); // 2024 is a leap year; 1 March to 1 September is 184 days
    let (one, one_paid) = hired(130_000);
    let (two, two_paid) = hired(260_000);
    assert_eq!((one, two), (4.0, 8.0));
    assert_eq!(one_paid, base_days + 4.0 * year, "paid days: base staff all year, hires over the funded period");
    assert_eq!(two_paid, base_days + 8.0 * year);
    assert_eq!(hired(29_999).0, 0.0, "less than one position's cost hires nobody");
}

#[test]
fn a_pace_hires_month_by_month() {
    let s = support::scenario(&scenario(&plan(130_000, "hires_per_month = 1")));
    let result = support::run(&s, 1, 1, 0);
    let hired: Vec<f64> = (0..12).map(|m| support::value(&result, 0, m, "b", "hired_adjudicators_count")).collect();
    assert_eq!(hired, [0.0, 0.0, 1.0, 2.0, 3.0, 4.0, 4.0, 4.0, 0.0, 0.0, 0.0, 0.0]);
    let trainees: Vec<f64> =
        (0..12).map(|m| support::value(&result, 0, m, "b", "trainee_adjudicators_count")).collect();
    // Each trains 45 days, so at each month end only that month's hire is still training (the one hired on
    // 1 June until 16 July).
    assert_eq!(trainees, [0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
    let deciding: Vec<f64> = (0..12).map(|m| support::value(&result, 0, m, "b", "adjudicators_count")).collect();
    assert_eq!(deciding, [2.0, 2.0, 2.0, 3.0, 4.0, 5.0, 6.0, 6.0, 2.0, 2.0, 2.0, 2.0]);
}
