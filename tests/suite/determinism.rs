//! Same seed, same bytes — at any thread count; another seed, other results; and capacities never change who
//! arrives (separate random streams per process, draws keyed to each case).

use crate::support;

use safe_third::montecarlo::RunResult;
use safe_third::output::{PolicyTable, write_summary};
use safe_third::scenario::{Scenario, Schedule};

/// Every replication's values as bit patterns (NaN marks undefined means, and NaN ≠ NaN as a float).
fn bits(replications: &[Vec<f64>]) -> Vec<Vec<u64>> {
    replications.iter().map(|r| r.iter().map(|v| v.to_bits()).collect()).collect()
}

fn summary_bytes(result: &RunResult) -> Vec<u8> {
    let mut bytes = Vec::new();
    let table = PolicyTable {
        policy: "baseline",
        layout: &result.layout,
        summary: &result.summary,
        replications: &result.replications,
    };
    write_summary(&mut bytes, &[table]).unwrap();
    bytes
}

#[test]
fn output_is_byte_identical_across_thread_counts() {
    let scenario = support::scenario(support::EVERYTHING);
    let one = support::run(&scenario, 24, 5, 1);
    let two = support::run(&scenario, 24, 5, 2);
    let four = support::run(&scenario, 24, 5, 4);
    assert!(bits(&one.replications) == bits(&two.replications), "replication values differ between 1 and 2 threads");
    assert_eq!(summary_bytes(&one), summary_bytes(&two));
    assert_eq!(summary_bytes(&one), summary_bytes(&four));
}

#[test]
fn the_same_seed_repeats_and_another_seed_differs() {
    let scenario = Scenario::builtin();
    let a = support::run(&scenario, 8, 42, 0);
    let b = support::run(&scenario, 8, 42, 0);
    let c = support::run(&scenario, 8, 43, 0);
    assert_eq!(summary_bytes(&a), summary_bytes(&b));
    assert_ne!(summary_bytes(&a), summary_bytes(&c));
    // Replications within a run differ from one another too.
    assert!(bits(&a.replications[..1]) != bits(&a.replications[1..2]));
}

#[test]
fn a_replication_depends_only_on_seed_and_index() {
    // Replication 3 of a 4-replication run equals replication 3 of a 10-replication run.
    let scenario = support::scenario(support::EVERYTHING);
    let short = support::run(&scenario, 4, 9, 0);
    let long = support::run(&scenario, 10, 9, 0);
    assert!(
        bits(&short.replications) == bits(&long.replications[..4]),
        "replications 0–3 differ between runs of 4 and 10"
    );
}

#[test]
fn changing_capacity_does_not_change_who_arrives() {
    let base = Scenario::builtin();
    let mut doubled = base.clone();
    doubled.agreement["guatemala"].seats_per_month = Some(Schedule::Constant(5000.0));
    doubled.asylum["guatemala"].adjudicators = Schedule::Constant(40.0);
    let a = support::run(&base, 6, 1, 0);
    let b = support::run(&doubled, 6, 1, 0);
    let mut differs = false;
    for r in 0..6 {
        for m in 0..a.layout.months.len() {
            // First arrivals only: transferees who come back (the scenario sends 5% of those who do not file
            // back to the border) arrive again, and more seats mean more of them.
            let first = |res: &RunResult, metric: &str| {
                let again = match metric {
                    "arrivals_cases" => support::value(res, r, m, "united_states", "re_arrivals_cases"),
                    "arrivals_people" => support::value(res, r, m, "united_states", "re_arrivals_people"),
                    _ => 0.0,
                };
                support::value(res, r, m, "united_states", metric) - again
            };
            for metric in
                ["arrivals_cases", "arrivals_people", "ineligible_nationality_cases", "ineligible_exempt_cases"]
            {
                let (x, y) = (first(&a, metric), first(&b, metric));
                assert_eq!(x, y, "replication {r} month {m}: {metric} changed with capacity");
            }
            let t = |res: &RunResult| support::value(res, r, m, "guatemala", "transferred_people");
            differs |= t(&a) != t(&b);
        }
    }
    assert!(differs, "the capacity change should have changed transfers");
}
