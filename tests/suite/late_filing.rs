//! Filing over time and protection needs: transferees who stay past the filing window and file months later
//! (facts.md §1b: claims kept coming after transfers stopped), and those with a protection concern who left the
//! receiving country's asylum process without a decision.

use crate::support;

use safe_third::model::ReceivingMetric;
use support::{check_identities, pipeline, run, scenario, value};

/// Seats in January only: transfers stop on 1 February 2024.
const JANUARY_ONLY: &str = "seats_per_month = [{ from = 2024-01-01, value = 300 }, { from = 2024-02-01, value = 0 }]";

fn total(result: &safe_third::montecarlo::RunResult, months: std::ops::Range<usize>, metric: &str) -> f64 {
    (0..result.replications.len())
        .flat_map(|r| months.clone().map(move |m| (r, m)))
        .map(|(r, m)| value(result, r, m, "b", metric))
        .sum()
}

#[test]
fn late_filers_file_after_transfers_stop() {
    // Nobody files within the window; half of the others file 90 days after it closes.
    let late = "[asylum.b.late_filing]\nprobability = 0.5\ndelay_days = { distribution = \"fixed\", value = 90 }";
    let text = pipeline(6, JANUARY_ONLY, late, "").replace("filing_probability = 0.5", "filing_probability = 0");
    let scenario = scenario(&text);
    let result = run(&scenario, 4, 5, 0);
    check_identities(&scenario, &result);
    let transferred = total(&result, 0..1, "transferred_cases");
    assert!(transferred > 1000.0, "300 seats in January × 4 replications: {transferred}");
    assert_eq!(total(&result, 1..6, "transferred_cases"), 0.0, "transfers stopped on 1 February");
    // Transfers of 1–31 January file on 3 April – 3 May: none before April, all by the end of May.
    assert_eq!(total(&result, 0..3, "transferee_claims_filed_cases"), 0.0);
    let late_claims = total(&result, 3..6, "late_claims_filed_cases");
    assert!((late_claims - 0.5 * transferred).abs() < 0.06 * transferred, "{late_claims} of {transferred}");
    assert_eq!(total(&result, 0..6, "transferee_claims_filed_cases"), late_claims, "every claim here is late");
    // Until they file, late filers are neither filed nor gone: a stock of their own.
    let waiting_end_of_march: f64 = (0..4).map(|r| value(&result, r, 2, "b", "awaiting_late_filing_cases")).sum();
    assert_eq!(waiting_end_of_march, late_claims, "all of them wait at the end of March");
    assert_eq!(total(&result, 0..6, "not_filed_cases"), transferred - late_claims);
}

#[test]
fn without_late_filing_no_claim_comes_after_the_window() {
    let text = pipeline(6, JANUARY_ONLY, "", "");
    let result = run(&scenario(&text), 2, 5, 0);
    assert!(total(&result, 0..1, "transferee_claims_filed_cases") > 100.0);
    // A transfer of 29–31 January may file in the first days of February, inside its 3-day window; none later.
    assert_eq!(total(&result, 2..6, "transferee_claims_filed_cases"), 0.0);
    assert_eq!(total(&result, 0..6, "late_claims_filed_cases"), 0.0);
}

#[test]
fn the_protection_need_outcome_counts_exactly_those_with_a_concern_who_left_undecided() {
    // Filing 0.5, patience short enough that some abandon, grants 0.2: denials (decided) must not count.
    let asylum = |share: f64| {
        format!(
            "patience_days = {{ distribution = \"exponential\", mean = 10 }}\n\
             [asylum.b.protection_concern]\nshare = {share}"
        )
    };
    let everyone = run(&scenario(&pipeline(3, "seats_per_month = 300", &asylum(1.0), "")), 3, 7, 0);
    assert!(total(&everyone, 0..3, "transferee_abandoned_cases") > 10.0);
    assert!(total(&everyone, 0..3, "transferee_decisions_cases") > 10.0);
    for r in 0..3 {
        for m in 0..3 {
            let b = |metric| value(&everyone, r, m, "b", metric);
            assert_eq!(
                b("left_with_protection_need_cases"),
                b("not_filed_cases") + b("transferee_abandoned_cases"),
                "replication {r}, month {m}: everyone has a concern, so every undecided leaver counts"
            );
            assert_eq!(b("left_with_protection_need_people"), b("left_with_protection_need_cases"), "single adults");
        }
    }
    let nobody = run(&scenario(&pipeline(3, "seats_per_month = 300", &asylum(0.0), "")), 3, 7, 0);
    assert_eq!(total(&nobody, 0..3, "left_with_protection_need_cases"), 0.0);
    let half = run(&scenario(&pipeline(3, "seats_per_month = 300", &asylum(0.5), "")), 3, 7, 0);
    let undecided = total(&half, 0..3, "not_filed_cases") + total(&half, 0..3, "transferee_abandoned_cases");
    let with_need = total(&half, 0..3, "left_with_protection_need_cases");
    assert!((with_need - 0.5 * undecided).abs() < 0.05 * undecided, "{with_need} of {undecided}");
}

#[test]
fn only_those_with_a_concern_file_when_the_factor_is_zero() {
    // Half have a concern; without one nobody files. So a quarter files, and every non-filer without a concern
    // leaves outside the protection-need count: with need = concerned non-filers = a quarter of transferees.
    let asylum = "[asylum.b.protection_concern]\nshare = 0.5\nfiling_factor_without_concern = 0";
    let result = run(&scenario(&pipeline(3, "seats_per_month = 300", asylum, "")), 3, 9, 0);
    let transferred = total(&result, 0..3, "transferred_cases");
    let filed = total(&result, 0..3, "transferee_claims_filed_cases");
    let with_need = total(&result, 0..3, "left_with_protection_need_cases");
    assert!((filed - 0.25 * transferred).abs() < 0.03 * transferred, "{filed} of {transferred}");
    assert!((with_need - 0.25 * transferred).abs() < 0.03 * transferred, "{with_need} of {transferred}");
}

#[test]
fn those_not_followed_are_not_called_remained() {
    let names: Vec<&str> = ReceivingMetric::ALL.iter().map(|m| m.name()).collect();
    assert!(names.contains(&"not_followed_cases") && names.contains(&"not_followed_people"));
    assert!(!names.iter().any(|n| n.starts_with("remained")), "a metric still reads as 'stayed'");
}
