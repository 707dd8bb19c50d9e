//! Calibration recovers parameters from data the tool itself simulated, deterministically at any thread count;
//! the command line writes what it promises and refuses bad observed data with located errors.

use crate::support;

use std::process::Command;

use safe_third::calibration::{self, Stage, observed};
use safe_third::model::Model;
use safe_third::montecarlo::{self, RunConfig};
use safe_third::scenario::Scenario;

/// A small pipeline: 300 eligible single adults a month, unlimited seats, a filing probability and a number of
/// adjudicators to recover.
fn scenario(filing: f64, adjudicators: u32, calibrate: bool) -> String {
    let mut text = format!(
        r#"
name = "known"
start = 2020-01-01
months = 12
sending_country = "us"
[countries]
us = "US"
gt = "Guatemala"
mx = "Mexico"
[[arrivals.stream]]
nationality = "mx"
household = "single_adult"
per_month = 300
[agreement.gt]
eligible_nationalities = ["mx"]
transit_probability = {{ mx = 1 }}
screening_exempt_share = 0
seats_per_month = "unlimited"
max_wait_days = 3
[[agreement.gt.phase]]
from = 2020-01-01
households = ["single_adult"]
[asylum.gt]
filing_probability = {filing}
filing_window_days = 3
adjudicators = {adjudicators}
service_time_days = {{ distribution = "exponential", mean = 20 }}
grant_probability = 0.3
"#
    );
    if calibrate {
        text.push_str(
            r#"
[calibration]
observed = "observed.csv"
replications = 40
design_points = 16
refine_evaluations = 24
[[calibration.parameter]]
path = "asylum.gt.filing_probability"
low = 0.05
high = 0.8
[[calibration.parameter]]
path = "asylum.gt.adjudicators"
low = 1
high = 12
integer = true
"#,
        );
    }
    text
}

/// Observed data made by the tool: the mean claims filed and backlog at four month ends.
fn simulated_observations(filing: f64, adjudicators: u32) -> String {
    let truth = support::scenario(&scenario(filing, adjudicators, false));
    let result =
        montecarlo::run(&Model::new(&truth), RunConfig { replications: 200, seed: 77, threads: 2 }, &|| {}).unwrap();
    let mut csv = String::from("date_or_month,country,metric,value\n");
    for month in [2, 5, 8, 11] {
        for metric in ["cumulative_transferee_claims_filed_cases", "backlog_cases", "cumulative_decisions_cases"] {
            let cell = result.layout.find(month, "gt", metric).unwrap();
            csv.push_str(&format!("{},gt,{metric},{}\n", result.layout.months[month], result.summary[cell].mean));
        }
    }
    csv
}

#[test]
fn calibration_recovers_the_parameters_that_made_the_data() {
    let observed = observed::parse(&simulated_observations(0.3, 5), "observed.csv").unwrap();
    let text = scenario(0.5, 2, true);
    let s = Scenario::from_toml(&text, "known.toml").unwrap();
    // Another seed than the data's: the fit must not rely on reproducing the same random numbers.
    let outcome = calibration::calibrate(&s, &text, "known.toml", &observed, 3, 2, &|_, _| {}).unwrap();
    let best = outcome.best();
    assert!((best.values[0] - 0.3).abs() < 0.03, "filing probability {} (truth 0.3)", best.values[0]);
    assert_eq!(best.values[1], 5.0, "adjudicators (truth 5)");
    assert!(outcome.candidates.iter().any(|c| c.stage == Stage::Refine));
    let searched = outcome.candidates.iter().filter(|c| c.stage != Stage::Range).count();
    assert_eq!(searched, 40, "16 design points and 24 refinement steps");
    assert!(outcome.candidates.iter().any(|c| c.stage == Stage::Range));
    let (lo, hi) = outcome.plausible[0];
    assert!(lo <= 0.3 && 0.3 <= hi, "the plausible range {lo}–{hi} holds the truth");
    assert!(outcome.fit.iter().all(|p| p.inside() == Some(true)), "every observation inside the band");
}

#[test]
fn every_candidate_s_loss_is_the_same_at_any_thread_count() {
    let observed = observed::parse(&simulated_observations(0.3, 5), "observed.csv").unwrap();
    let mut text = scenario(0.5, 2, true);
    text = text
        .replace("design_points = 16", "design_points = 5")
        .replace("refine_evaluations = 24", "refine_evaluations = 4");
    let s = Scenario::from_toml(&text, "known.toml").unwrap();
    let one = calibration::calibrate(&s, &text, "known.toml", &observed, 9, 1, &|_, _| {}).unwrap();
    let two = calibration::calibrate(&s, &text, "known.toml", &observed, 9, 2, &|_, _| {}).unwrap();
    let bits = |o: &calibration::Outcome| -> Vec<(Vec<u64>, u64)> {
        o.candidates.iter().map(|c| (c.values.iter().map(|v| v.to_bits()).collect(), c.loss.to_bits())).collect()
    };
    assert_eq!(bits(&one), bits(&two));
    let other_seed = calibration::calibrate(&s, &text, "known.toml", &observed, 10, 2, &|_, _| {}).unwrap();
    assert_ne!(bits(&one), bits(&other_seed));
}

fn safe_third(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_safe-third")).args(args).output().unwrap()
}

#[test]
fn the_command_writes_the_fit_the_candidates_and_a_calibrated_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = scenario(0.5, 2, true);
    text = text
        .replace("design_points = 16", "design_points = 4")
        .replace("refine_evaluations = 24", "refine_evaluations = 3");
    std::fs::write(dir.path().join("known.toml"), &text).unwrap();
    std::fs::write(dir.path().join("observed.csv"), simulated_observations(0.3, 5)).unwrap();
    let out = dir.path().join("cal");
    let file = dir.path().join("known.toml");
    let o =
        safe_third(&["calibrate", file.to_str().unwrap(), "--cutoff", "2020-06-30", "--out", out.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout.contains("(4 design, 3 refinement, "), "{stdout}");
    assert!(stdout.contains("held out: "), "observations after the cutoff are predictions: {stdout}");
    let fit = std::fs::read_to_string(out.join("fit.csv")).unwrap();
    assert!(fit.starts_with(
        "date_or_month,country,metric,observed,low,high,simulated_mean,p05,p50,p95,inside,used_for_fit\n"
    ));
    assert_eq!(fit.lines().filter(|l| l.ends_with(",true")).count(), 6, "months 3 and 6 fitted");
    assert_eq!(fit.lines().filter(|l| l.ends_with(",false")).count(), 6, "months 9 and 12 held out");
    let candidates = std::fs::read_to_string(out.join("candidates.csv")).unwrap();
    assert!(candidates.starts_with("candidate,stage,asylum.gt.filing_probability,asylum.gt.adjudicators,loss\n"));
    assert_eq!(candidates.lines().filter(|l| l.contains(",design,")).count(), 4);
    assert_eq!(candidates.lines().filter(|l| l.contains(",refine,")).count(), 3);
    let calibrated = std::fs::read_to_string(dir.path().join("known-calibrated.toml")).unwrap();
    assert!(calibrated.starts_with("# Calibrated by `safe-third calibrate`"), "{calibrated}");
    assert!(calibrated.contains("name = \"known-calibrated\""));
    // The calibrated file is a valid scenario whose values are the fitted ones.
    let fitted = Scenario::from_toml(&calibrated, "known-calibrated.toml").unwrap();
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let settings: Vec<String> =
        manifest["calibration"]["fitted"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    let adjudicators = settings[1].split_once('=').unwrap().1;
    assert_eq!(format!("{:?}", fitted.asylum["gt"].adjudicators), format!("Constant({adjudicators}.0)"));
}

#[test]
fn bad_observed_data_is_refused_with_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("known.toml"), scenario(0.5, 2, true)).unwrap();
    std::fs::write(
        dir.path().join("observed.csv"),
        "date_or_month,country,metric,value\n2020-13,gt,backlog_cases,4\n2020-02,gt,backlogs,4\n",
    )
    .unwrap();
    let file = dir.path().join("known.toml");
    let o = safe_third(&["validate", file.to_str().unwrap(), "-n", "3"]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("observed.csv:2:1: date_or_month: expected a day YYYY-MM-DD or a month YYYY-MM"),
        "{stderr}"
    );
    std::fs::write(dir.path().join("observed.csv"), "date_or_month,country,metric,value\n2020-02,gt,backlogs,4\n")
        .unwrap();
    let o = safe_third(&["validate", file.to_str().unwrap(), "-n", "3"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("observed.csv:2:2: metric: gt has no metric \"backlogs\""));
}

#[test]
fn validate_compares_the_built_in_scenario_with_its_record() {
    let o = safe_third(&["validate", "-n", "20"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("beside 12 observations"), "{stdout}");
    assert!(stdout.contains("2020-03     guatemala  backlog_cases"), "{stdout}");
    assert!(stdout.contains("observations inside the simulated P5–P95 band"), "{stdout}");
}

#[test]
fn a_parameter_the_fitted_data_do_not_touch_gets_the_whole_searched_range() {
    // Only backlog observations up to month 3 are fitted; the grant probability changes none of them.
    let mut csv = String::from("date_or_month,country,metric,value\n");
    for line in simulated_observations(0.3, 5).lines().skip(1).filter(|l| l.contains("backlog_cases")) {
        csv.push_str(line);
        csv.push('\n');
    }
    let observed = observed::parse(&csv, "observed.csv").unwrap();
    let text = scenario(0.3, 5, true)
        .replace("design_points = 16", "design_points = 6")
        .replace("refine_evaluations = 24", "refine_evaluations = 6")
        .replace(
            "path = \"asylum.gt.filing_probability\"\nlow = 0.05\nhigh = 0.8",
            "path = \"asylum.gt.grant_probability\"\nlow = 0.1\nhigh = 0.9",
        );
    let s = Scenario::from_toml(&text, "known.toml").unwrap();
    let outcome = calibration::calibrate(&s, &text, "known.toml", &observed, 3, 2, &|_, _| {}).unwrap();
    assert_eq!(outcome.parameters[0].path, "asylum.gt.grant_probability");
    assert_eq!(outcome.plausible[0], (0.1, 0.9), "unconstrained: the whole range");
    let (lo, hi) = outcome.plausible[1];
    assert!(hi - lo < 11.0, "adjudicators are constrained by the backlog: {lo}–{hi}");
}
