//! The command line as a user meets it: the default run, files written, exit codes, located errors, and nothing
//! written when the input is invalid.

use std::path::Path;
use std::process::{Command, Output};

fn safe_third(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_safe-third")).args(args).output().expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn run_without_a_scenario_uses_the_built_in_one_and_writes_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let o = safe_third(&["run", "--replications", "20", "--out", out.to_str().unwrap(), "--replications-csv"]);
    assert!(o.status.success(), "stderr: {}", text(&o.stderr));
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let mut lines = summary.lines();
    assert_eq!(lines.next(), Some("policy,month,country,metric,mean,sd,p05,p25,p50,p75,p95"));
    assert!(summary.contains("baseline,2020-03,guatemala,transferred_people,"));
    assert!(summary.contains("baseline,2019-11,united_states,arrivals_cases,"));
    let replications = std::fs::read_to_string(out.join("replications.csv")).unwrap();
    assert!(replications.starts_with("policy,replication,month,country,metric,value\n"));
    assert!(replications.contains("\nbaseline,19,2021-01,guatemala,backlog_cases,"));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["replications"], 20);
    assert_eq!(manifest["seed"], 2019);
    assert_eq!(manifest["scenario_name"], "guatemala-2019");
    assert_eq!(manifest["scenario_sha256"].as_str().unwrap().len(), 64);
    assert!(manifest["generator"].as_str().unwrap().contains("ChaCha8"));
    // The summary on stdout states what was run and compares with the record.
    let stdout = text(&o.stdout);
    assert!(stdout.contains("guatemala-2019: 20 replications"), "{stdout}");
    assert!(stdout.contains("Recorded figures"), "{stdout}");
    // No temporary file is left behind.
    let names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().all(|n| !n.contains("partial")), "{names:?}");
}

#[test]
fn summary_csv_is_byte_identical_at_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let run = |threads: &str| {
        let out = dir.path().join(format!("t{threads}"));
        let o = safe_third(&["run", "-n", "30", "--seed", "77", "--threads", threads, "--out", out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        std::fs::read(out.join("summary.csv")).unwrap()
    };
    assert_eq!(run("1"), run("2"));
}

fn write_scenario(dir: &Path, name: &str, edit: impl Fn(String) -> String) -> String {
    let text = edit(std::fs::read_to_string("scenarios/guatemala-2019.toml").unwrap());
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn an_invalid_value_is_located_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_scenario(dir.path(), "bad.toml", |t| {
        t.replace("filing_probability = 0.0213", "filing_probability = 3.6")
            .replace("grant_probability = 0.5", "grant_probability = -1")
    });
    let out = dir.path().join("out");
    let o = safe_third(&["run", &file, "-n", "5", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = text(&o.stderr);
    // Both problems are reported in one pass, each with line, column, field and what was expected.
    assert!(stderr.contains("2 problems in"), "{stderr}");
    assert!(
        stderr.contains("asylum.guatemala.filing_probability: expected a probability between 0 and 1, found 3.6"),
        "{stderr}"
    );
    assert!(stderr.contains("asylum.guatemala.grant_probability"), "{stderr}");
    let line =
        text(&std::fs::read(&file).unwrap()).lines().position(|l| l.starts_with("filing_probability")).unwrap() + 1;
    assert!(stderr.contains(&format!("line {line}, column 22")), "expected line {line}: {stderr}");
    assert!(!out.exists(), "nothing may be written for invalid input");
}

#[test]
fn a_misspelt_field_is_a_syntax_error_with_the_expected_names() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_scenario(dir.path(), "typo.toml", |t| t.replace("max_wait_days = 7", "max_wait_day = 7"));
    let o = safe_third(&["check", &file]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = text(&o.stderr);
    assert!(stderr.contains("typo.toml:"), "{stderr}");
    assert!(stderr.contains("agreement.guatemala.max_wait_day: unknown field `max_wait_day`"), "{stderr}");
    assert!(stderr.contains("did you mean `max_wait_days`?"), "{stderr}");
}

#[test]
fn a_target_with_an_unknown_metric_is_rejected_before_running() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_scenario(dir.path(), "target.toml", |t| {
        t.replacen("metric = \"backlog_cases\"", "metric = \"backlog\"", 1)
    });
    let o = safe_third(&["run", &file, "-n", "2", "--out", dir.path().join("out").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = text(&o.stderr);
    assert!(stderr.contains("target[3].metric: \"backlog\" is not a metric of guatemala"), "{stderr}");
    assert!(!dir.path().join("out").exists());
}

#[test]
fn misspelt_values_and_references_get_suggestions() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_scenario(dir.path(), "variant.toml", |t| {
        t.replace("distribution = \"gamma\"", "distribution = \"gama\"")
    });
    let stderr = text(&safe_third(&["check", &file]).stderr);
    assert!(stderr.contains("asylum.guatemala.service_time_days.distribution: unknown variant `gama`"), "{stderr}");
    assert!(stderr.contains("did you mean `gamma`?"), "{stderr}");
    let file = write_scenario(dir.path(), "country.toml", |t| {
        t.replace(
            "eligible_nationalities = [\"honduras\", \"el_salvador\"]",
            "eligible_nationalities = [\"hondura\", \"el_salvador\"]",
        )
    });
    let stderr = text(&safe_third(&["check", &file]).stderr);
    assert!(stderr.contains("unknown country \"hondura\"; did you mean \"honduras\"?"), "{stderr}");
    let file = write_scenario(dir.path(), "type.toml", |t| {
        t.replace("filing_window_days = 3 ", "filing_window_days = \"3\" ")
    });
    let stderr = text(&safe_third(&["check", &file]).stderr);
    assert!(
        stderr.contains("asylum.guatemala.filing_window_days: invalid type: string \"3\", expected a number"),
        "{stderr}"
    );
}

#[test]
fn bad_arguments_and_missing_files_exit_with_2() {
    assert_eq!(safe_third(&["run", "--replications", "0"]).status.code(), Some(2));
    assert_eq!(safe_third(&["run", "--replications", "many"]).status.code(), Some(2));
    assert_eq!(safe_third(&["run", "--no-such-flag"]).status.code(), Some(2));
    let o = safe_third(&["check", "does/not/exist.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("does/not/exist.toml"));
}

#[test]
fn a_run_too_large_for_the_machine_is_refused_at_once_with_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("big");
    let o = safe_third(&["run", "-n", "100000000", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    let stderr = text(&o.stderr);
    assert!(stderr.contains("100,000,000 replications"), "{stderr}");
    assert!(stderr.contains("at most"), "{stderr}");
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn check_prints_the_resolved_scenario() {
    let o = safe_third(&["check", "scenarios/guatemala-2019.toml"]);
    assert!(o.status.success());
    let stdout = text(&o.stdout);
    for expected in [
        "Scenario guatemala-2019 is valid",
        "from 2019-12-12: single_adult, family",
        "transfers halted:       from 2020-03-16, never resumed — suspended (COVID-19)",
        "filing probability:   0.0213 within 3 days",
    ] {
        assert!(stdout.contains(expected), "missing {expected:?} in:\n{stdout}");
    }
}

#[test]
fn a_directory_of_another_run_is_refused_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    assert!(safe_third(&["run", "-n", "3", "--seed", "1", "--out", out]).status.success());
    let before = std::fs::read(Path::new(out).join("summary.csv")).unwrap();
    // The same scenario and seed may overwrite (e.g. with more replications).
    assert!(safe_third(&["run", "-n", "3", "--seed", "1", "--out", out]).status.success());
    // Another seed may not, and nothing is touched.
    let o = safe_third(&["run", "-n", "3", "--seed", "2", "--out", out]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = text(&o.stderr);
    assert!(
        stderr.contains("holds results of another run") && stderr.contains("seed 1") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(Path::new(out).join("summary.csv")).unwrap(), before);
    // Unless forced.
    assert!(safe_third(&["run", "-n", "3", "--seed", "2", "--out", out, "--force"]).status.success());
    assert_ne!(std::fs::read(Path::new(out).join("summary.csv")).unwrap(), before);
    // Results without a manifest cannot be attributed: refused too.
    std::fs::remove_file(Path::new(out).join("manifest.json")).unwrap();
    let o = safe_third(&["run", "-n", "3", "--seed", "2", "--out", out]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("no readable manifest.json"));
}

#[test]
fn a_manifest_reproduces_its_summary_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_scenario(dir.path(), "g.toml", |t| t);
    let first = dir.path().join("first");
    let o =
        safe_third(&["run", &file, "-n", "12", "--seed", "99", "--out", first.to_str().unwrap(), "--replications-csv"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    // The copy has no observed data beside it: the run goes on, says so, and draws no fit chart.
    assert!(text(&o.stderr).contains("warning: the observed record is left out of the report"), "{}", text(&o.stderr));
    assert!(!first.join("charts/fit-backlog_cases-guatemala.png").exists());
    let manifest = first.join("manifest.json");
    let again = dir.path().join("again");
    let o = safe_third(&[
        "run",
        "--from-manifest",
        manifest.to_str().unwrap(),
        "--out",
        again.to_str().unwrap(),
        "--threads",
        "1",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    for file in ["summary.csv", "replications.csv"] {
        assert_eq!(
            std::fs::read(first.join(file)).unwrap(),
            std::fs::read(again.join(file)).unwrap(),
            "{file} differs"
        );
    }
    // The built-in scenario works the same way.
    let builtin = dir.path().join("builtin");
    assert!(safe_third(&["run", "-n", "4", "--out", builtin.to_str().unwrap()]).status.success());
    let copy = dir.path().join("builtin-again");
    let m = builtin.join("manifest.json");
    assert!(
        safe_third(&["run", "--from-manifest", m.to_str().unwrap(), "--out", copy.to_str().unwrap()]).status.success()
    );
    assert_eq!(std::fs::read(builtin.join("summary.csv")).unwrap(), std::fs::read(copy.join("summary.csv")).unwrap());
    // A changed scenario file is refused.
    std::fs::write(
        &file,
        std::fs::read_to_string(&file).unwrap().replace("grant_probability = 0.5", "grant_probability = 0.6"),
    )
    .unwrap();
    let o = safe_third(&[
        "run",
        "--from-manifest",
        manifest.to_str().unwrap(),
        "--out",
        dir.path().join("x").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("has changed since the run"), "{}", text(&o.stderr));
    // And --from-manifest cannot be mixed with what it fixes.
    assert_eq!(
        safe_third(&["run", "--from-manifest", manifest.to_str().unwrap(), "--seed", "3"]).status.code(),
        Some(2)
    );
}

#[test]
fn policies_run_side_by_side_with_differences_and_one_can_be_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p");
    let o = safe_third(&["run", "scenarios/guatemala-2019-policies.toml", "-n", "8", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let stdout = text(&o.stdout);
    assert!(stdout.contains("6 policies × 8 replications"), "{stdout}");
    assert!(stdout.contains("no-agreement − historical"), "{stdout}");
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    for policy in
        ["historical", "families-first", "all-at-once", "slow-and-selective", "double-adjudicators", "no-agreement"]
    {
        assert!(summary.contains(&format!("\n{policy},2020-03,guatemala,backlog_cases,")), "{policy}");
    }
    let differences = std::fs::read_to_string(out.join("differences.csv")).unwrap();
    let mut lines = differences.lines();
    assert_eq!(
        lines.next(),
        Some(
            "policy,reference,month,country,metric,n,mean_difference,sd_difference,ci95_low,ci95_high,\
             unpaired_ci95_half_width,variance_reduction,distinguishable"
        )
    );
    assert!(
        differences.contains(
            "\nno-agreement,historical,2021-01,united_states,cumulative_transferred_people,8,-946,0,-946,-946,"
        )
    );
    assert!(!differences.contains("\nhistorical,historical,"), "the reference is not compared with itself");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["reference"], "historical");
    assert_eq!(manifest["policies"].as_array().unwrap().len(), 6);

    // One policy alone gives the same rows as in the comparison, and no differences file.
    let one = dir.path().join("one");
    let o = safe_third(&[
        "run",
        "scenarios/guatemala-2019-policies.toml",
        "-n",
        "8",
        "--policy",
        "families-first",
        "--out",
        one.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let alone = std::fs::read_to_string(one.join("summary.csv")).unwrap();
    let rows = |s: &str| s.lines().filter(|l| l.starts_with("families-first,")).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(rows(&alone), rows(&summary));
    assert!(!one.join("differences.csv").exists());
    // An unknown policy is refused with a suggestion.
    let o = safe_third(&["run", "scenarios/guatemala-2019-policies.toml", "--policy", "families_first"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("did you mean \"families-first\"?"), "{}", text(&o.stderr));
}

#[test]
fn set_overrides_apply_are_recorded_and_reproduced() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s");
    let o = safe_third(&[
        "run",
        "-n",
        "6",
        "--set",
        "agreement.guatemala.seats_per_month=0",
        "--set",
        "asylum.guatemala.adjudicators=6",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(summary.contains("\nbaseline,2021-01,guatemala,cumulative_transferred_people,0,0,0,0,0,0,0\n"));
    assert!(summary.contains("\nbaseline,2021-01,guatemala,adjudicators_count,6,0,6,6,6,6,6\n"));
    let manifest = out.join("manifest.json");
    let recorded: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&manifest).unwrap()).unwrap();
    assert_eq!(recorded["settings"][0], "agreement.guatemala.seats_per_month=0");
    let again = dir.path().join("again");
    let o = safe_third(&["run", "--from-manifest", manifest.to_str().unwrap(), "--out", again.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(std::fs::read(out.join("summary.csv")).unwrap(), std::fs::read(again.join("summary.csv")).unwrap());
    // The same directory without the overrides holds another run's results: refused.
    let o = safe_third(&["run", "-n", "6", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    // A bad override is located on the command line.
    let o = safe_third(&["run", "--set", "asylum.guatemala.grant_probability=2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("--set asylum.guatemala.grant_probability=2: "), "{}", text(&o.stderr));
}

#[test]
fn a_precision_goal_adds_batches_until_met_and_is_the_same_at_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let run = |threads: &str| {
        let out = dir.path().join(format!("t{threads}"));
        let o = safe_third(&[
            "run",
            "-n",
            "10",
            "--precision",
            "0.1",
            "--max-replications",
            "200",
            "--threads",
            threads,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert!(
            text(&o.stdout).contains("Precision goal ±10.0% of the mean (95% CI) met after"),
            "{}",
            text(&o.stdout)
        );
        let manifest: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
        assert_eq!(manifest["precision"]["met"], true);
        assert!(manifest["precision"]["achieved"].as_f64().unwrap() <= 0.1);
        let n = manifest["replications"].as_u64().unwrap();
        assert!(n > 10 && n.is_multiple_of(10), "{n}");
        std::fs::read(out.join("summary.csv")).unwrap()
    };
    assert_eq!(run("1"), run("2"));
    let o = safe_third(&["run", "--precision", "5"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_sweep_point_equals_the_matching_single_run_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = dir.path().join("sweep");
    let o = safe_third(&[
        "sweep",
        "--grid",
        "asylum.guatemala.adjudicators=4,8",
        "--grid",
        "agreement.guatemala.max_wait_days=3,7,14",
        "-n",
        "7",
        "--seed",
        "5",
        "--out",
        sweep.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("sweep of 6 grid points × 7 replications"), "{}", text(&o.stdout));
    let table = std::fs::read_to_string(sweep.join("sweep.csv")).unwrap();
    assert!(table.starts_with(
        "point,asylum.guatemala.adjudicators,agreement.guatemala.max_wait_days,month,country,metric,mean,sd,"
    ));
    let single = dir.path().join("single");
    let o = safe_third(&[
        "run",
        "-n",
        "7",
        "--seed",
        "5",
        "--set",
        "asylum.guatemala.adjudicators=8",
        "--set",
        "agreement.guatemala.max_wait_days=7",
        "--out",
        single.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    // Point 5 is (8, 7): the second adjudicator value, the second wait.
    let point: Vec<String> = table
        .lines()
        .filter(|l| l.starts_with("5,8,7,"))
        .map(|l| l.splitn(4, ',').nth(3).unwrap().to_string())
        .collect();
    let run: Vec<String> = std::fs::read_to_string(single.join("summary.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split_once(',').unwrap().1.to_string())
        .collect();
    assert!(!run.is_empty());
    assert_eq!(point, run);
    // Another point differs.
    assert!(table.lines().filter(|l| l.starts_with("1,4,3,2021-01,guatemala,backlog_cases,")).count() == 1);
    let o = safe_third(&["sweep", "--grid", "asylum.guatemala.adjudicators"]);
    assert_eq!(o.status.code(), Some(2));
}

/// Each `: `-separated part of an error line, to see that no cause is said twice.
fn repeated_causes(stderr: &str) -> Vec<String> {
    let mut repeated = Vec::new();
    for line in stderr.lines().filter(|l| l.starts_with("error:")) {
        let parts: Vec<&str> = line.split(": ").map(str::trim).collect();
        for (i, part) in parts.iter().enumerate() {
            if parts[..i].contains(part) && !repeated.contains(&part.to_string()) {
                repeated.push(part.to_string());
            }
        }
    }
    repeated
}

#[test]
fn an_error_chain_names_each_cause_once() {
    // A scenario file that does not exist: the reading error, once.
    let o = safe_third(&["check", "does/not/exist.toml"]);
    let stderr = text(&o.stderr);
    assert_eq!(stderr.matches("No such file or directory").count(), 1, "{stderr}");
    assert!(repeated_causes(&stderr).is_empty(), "{stderr}");
    // `--out` naming a regular file: whatever the message, the operating system's reason is given once.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "not a directory").unwrap();
    let o = safe_third(&["run", "-n", "1", "--out", file.to_str().unwrap()]);
    assert!(!o.status.success());
    let stderr = text(&o.stderr);
    assert!(stderr.contains("(os error"), "{stderr}");
    assert_eq!(stderr.matches("(os error").count(), 1, "{stderr}");
    assert!(repeated_causes(&stderr).is_empty(), "{stderr}");
}

#[test]
fn set_and_grid_on_a_map_entry_that_does_not_exist_name_the_entries_that_do() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let o = safe_third(&["run", "-n", "1", "--set", "agreement.c.seats_per_month=400", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = text(&o.stderr);
    assert!(stderr.contains("no agreement `c` (it has agreement `guatemala`)"), "{stderr}");
    assert!(!stderr.contains("missing field"), "{stderr}");
    assert!(!out.exists(), "nothing is written");
    // Two receiving countries are both named, and a near miss gets a suggestion.
    let o = safe_third(&[
        "run",
        "scenarios/aca-2019-three-countries.toml",
        "-n",
        "1",
        "--set",
        "asylum.hondras.adjudicators=4",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = text(&o.stderr);
    assert!(stderr.contains("no asylum `hondras`"), "{stderr}");
    assert!(stderr.contains("`guatemala`") && stderr.contains("`honduras`"), "{stderr}");
    assert!(stderr.contains("did you mean `honduras`?"), "{stderr}");
    assert!(!stderr.contains("missing field"), "{stderr}");
    // The same through a sweep's grid.
    let o = safe_third(&[
        "sweep",
        "--grid",
        "agreement.c.seats_per_month=100,200",
        "-n",
        "1",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = text(&o.stderr);
    assert!(stderr.contains("no agreement `c` (it has agreement `guatemala`)"), "{stderr}");
    assert!(!stderr.contains("missing field"), "{stderr}");
}

#[test]
fn an_empty_scenario_file_says_it_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in [("empty.toml", ""), ("comments.toml", "# nothing here yet\n\n")] {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        let o = safe_third(&["check", path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2));
        let stderr = text(&o.stderr);
        assert!(stderr.contains("the scenario is empty"), "{name}: {stderr}");
        assert!(!stderr.contains("missing field"), "{name}: {stderr}");
    }
}
