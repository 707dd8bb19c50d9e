//! Policies compared on common random numbers: paired replications, the shipped comparison, and its tables.

use crate::support;

use safe_third::model::Model;
use safe_third::montecarlo::comparison::{self, Difference};
use safe_third::montecarlo::{self, RunConfig, RunResult};
use safe_third::scenario::{Policy, Scenario, Setting};

const POLICIES: &str = "scenarios/guatemala-2019-policies.toml";

fn policies(path: &str, settings: &[&str]) -> Vec<Policy> {
    let text = std::fs::read_to_string(path).unwrap();
    let scenario = Scenario::from_toml(&text, path).unwrap();
    let settings: Vec<Setting> = settings.iter().map(|s| Setting::parse(s).unwrap()).collect();
    scenario.policies(&text, path, &settings).unwrap()
}

fn run_all(policies: &[Policy], replications: u64, threads: usize) -> Vec<RunResult> {
    let models: Vec<Model> = policies.iter().map(|p| Model::new(&p.scenario)).collect();
    let refs: Vec<&Model> = models.iter().collect();
    montecarlo::run_policies(&refs, RunConfig { replications, seed: 11, threads }, &|| {}).unwrap()
}

fn by_name<'a>(policies: &[Policy], results: &'a [RunResult], name: &str) -> &'a RunResult {
    &results[policies.iter().position(|p| p.name == name).unwrap_or_else(|| panic!("no policy {name}"))]
}

fn column(result: &RunResult, month: usize, country: &str, metric: &str) -> Vec<f64> {
    (0..result.replications.len()).map(|r| support::value(result, r, month, country, metric)).collect()
}

#[test]
fn the_policies_file_is_the_historical_scenario_plus_policies() {
    let historical =
        Scenario::from_toml(&std::fs::read_to_string("scenarios/guatemala-2019.toml").unwrap(), "h").unwrap();
    let policies = policies(POLICIES, &[]);
    let reference = policies.iter().find(|p| p.reference).unwrap();
    assert_eq!(reference.name, "historical");
    let mut copy = reference.scenario.clone();
    copy.name = historical.name.clone();
    copy.description = historical.description.clone();
    assert_eq!(format!("{copy:?}"), format!("{historical:?}"), "the base of the policies file has drifted");
}

#[test]
fn policies_that_differ_only_in_asylum_capacity_see_the_same_arrivals_and_transfers() {
    let all = policies(POLICIES, &[]);
    let chosen: Vec<Policy> =
        all.into_iter().filter(|p| p.name == "historical" || p.name == "double-adjudicators").collect();
    let results = run_all(&chosen, 20, 2);
    let (a, b) = (&results[0], &results[1]);
    let months = a.layout.months.len();
    for r in 0..20 {
        for m in 0..months {
            for (country, metric) in [
                ("united_states", "arrivals_people"),
                ("united_states", "arrivals_cases"),
                ("united_states", "released_cases"),
                ("guatemala", "transferred_people"),
                ("guatemala", "transferred_cases"),
                ("guatemala", "transferee_claims_filed_cases"),
                ("guatemala", "other_claims_filed_cases"),
            ] {
                assert_eq!(
                    support::value(a, r, m, country, metric),
                    support::value(b, r, m, country, metric),
                    "replication {r}, month {m}: {country} {metric}"
                );
            }
        }
    }
    // … and the capacity does change what it should.
    let last = months - 1;
    let backlog = Difference::paired(
        &column(b, last, "guatemala", "backlog_cases"),
        &column(a, last, "guatemala", "backlog_cases"),
    );
    assert!(backlog.ci_high < 0.0, "twice the adjudicators shrink the backlog: {backlog:?}");
}

#[test]
fn pairing_makes_the_backlog_interval_at_least_twice_as_narrow() {
    let all = policies(POLICIES, &[]);
    let results = run_all(&all, 100, 2);
    let reference = by_name(&all, &results, "historical");
    let last = reference.layout.months.len() - 1;
    for name in ["double-adjudicators", "families-first", "slow-and-selective"] {
        let policy = by_name(&all, &results, name);
        let d = Difference::paired(
            &column(policy, last, "guatemala", "backlog_cases"),
            &column(reference, last, "guatemala", "backlog_cases"),
        );
        let paired_half = (d.ci_high - d.ci_low) / 2.0;
        assert!(
            d.unpaired_half_width >= 2.0 * paired_half,
            "{name}: paired ±{paired_half:.2} vs unpaired ±{:.2} (variance reduction {:.1})",
            d.unpaired_half_width,
            d.variance_reduction
        );
        assert!(d.variance_reduction >= 4.0, "{name}: {d:?}");
    }
}

#[test]
fn the_no_agreement_policy_transfers_nobody_and_the_identities_hold_for_every_policy() {
    let all = policies(POLICIES, &[]);
    let results = run_all(&all, 5, 1);
    let none = by_name(&all, &results, "no-agreement");
    let last = none.layout.months.len() - 1;
    for r in 0..5 {
        assert_eq!(support::value(none, r, last, "united_states", "cumulative_transferred_people"), 0.0);
        assert_eq!(support::value(none, r, last, "guatemala", "cumulative_transferee_claims_filed_cases"), 0.0);
        assert_eq!(support::value(none, r, last, "united_states", "cumulative_released_cases"), 0.0);
    }
    for (policy, result) in all.iter().zip(&results) {
        support::check_identities(&policy.scenario, result);
    }
}

#[test]
fn every_difference_row_is_the_mean_of_paired_differences() {
    let all = policies(POLICIES, &[]);
    let results = run_all(&all, 12, 2);
    let reference = by_name(&all, &results, "historical");
    let policy = by_name(&all, &results, "all-at-once");
    let rows = comparison::cell_differences(policy, reference);
    assert_eq!(rows.len(), reference.layout.len());
    let row =
        rows.iter().find(|r| r.month == "2019-12" && r.country == "guatemala" && r.metric == "transferred_people");
    let row = row.unwrap();
    let m = reference.layout.months.iter().position(|x| x == "2019-12").unwrap();
    let expected: f64 = (0..12)
        .map(|r| {
            support::value(policy, r, m, "guatemala", "transferred_people")
                - support::value(reference, r, m, "guatemala", "transferred_people")
        })
        .sum::<f64>()
        / 12.0;
    assert!((row.difference.mean - expected).abs() < 1e-9, "{} vs {expected}", row.difference.mean);
    assert!(row.difference.mean > 0.0, "all at once transfers more in December 2019");
}

#[test]
fn results_do_not_depend_on_the_thread_count_or_on_which_policies_run_together() {
    let all = policies(POLICIES, &[]);
    let together = run_all(&all, 6, 2);
    let alone = run_all(&all[2..3], 6, 1);
    assert_eq!(format!("{:?}", together[2].summary), format!("{:?}", alone[0].summary));
}
