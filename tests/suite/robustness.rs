//! No input panics. Generated scenarios (random edits of a scenario that uses every mechanism, and arbitrary
//! bytes) either fail with a located error or run with every conservation identity holding; extreme but valid
//! inputs either run or are refused up front with a message naming the resource.

use crate::support;

use proptest::prelude::*;

use safe_third::model::Model;
use safe_third::montecarlo::{self, Resource, RunConfig, RunError};
use safe_third::scenario::{Scenario, ScenarioError};

/// Asserts that an error is of the promised kind: located (line and column) where the file was at fault.
fn assert_located(error: &ScenarioError, source: &str) {
    let message = error.to_string();
    match error {
        ScenarioError::Read { .. } => panic!("reading from memory cannot fail: {message}"),
        ScenarioError::Syntax { line, column, .. } => {
            assert!(*line >= 1 && *column >= 1, "{message}");
            assert!(*line <= source.lines().count().max(1) + 1, "line {line} is past the end: {message}");
        }
        ScenarioError::Invalid { problems, .. } => {
            assert!(!problems.is_empty(), "an invalid scenario names at least one problem");
            for p in problems {
                assert!(!p.path.is_empty() && !p.message.is_empty(), "{message}");
            }
        }
    }
}

/// Loads `source`; a valid scenario is run (two replications) and every identity checked, or refused with a
/// resource message.
fn load_and_run(source: &str) -> Result<(), TestCaseError> {
    let scenario = match Scenario::from_toml(source, "generated.toml") {
        Ok(s) => s,
        Err(e) => {
            assert_located(&e, source);
            return Ok(());
        }
    };
    let model = Model::new(&scenario);
    match montecarlo::run(&model, RunConfig { replications: 2, seed: 5, threads: 1 }, &|| {}) {
        Ok(result) => support::check_identities(&scenario, &result),
        Err(RunError::TooLarge { message, .. }) => prop_assert!(message.contains("at most"), "{message}"),
        Err(other) => return Err(TestCaseError::fail(format!("unexpected failure: {other}"))),
    }
    Ok(())
}

/// Byte ranges of the numeric literals in a TOML text (outside comments), the targets of mutation.
fn numbers(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'#' {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
        } else if c.is_ascii_digit() && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_')) {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_digit() || matches!(bytes[i], b'.' | b'-' | b'e')) {
                i += 1;
            }
            out.push(start..i);
        } else {
            i += 1;
        }
    }
    out
}

/// Replacements for a number: out of range, on the boundary, huge, tiny, non-finite, or a date.
fn replacement() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("0".to_string()),
        Just("-1".to_string()),
        Just("1".to_string()),
        Just("1.5".to_string()),
        Just("20".to_string()),
        Just("1e308".to_string()),
        Just("1e-300".to_string()),
        Just("inf".to_string()),
        Just("nan".to_string()),
        Just("-0.0".to_string()),
        Just("2019-02-30".to_string()),
        Just("1999-01-01".to_string()),
        Just("2020-06-30".to_string()),
        Just("\"x\"".to_string()),
        (0u32..100_000).prop_map(|n| n.to_string()),
        (0.0f64..1.0).prop_map(|p| format!("{p}")),
    ]
}

/// One random edit of a scenario text.
#[derive(Debug, Clone)]
enum Edit {
    /// Replace the k-th number (modulo their count).
    Number(usize, String),
    /// Delete the k-th line.
    DeleteLine(usize),
    /// Duplicate the k-th line.
    DuplicateLine(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        6 => (any::<usize>(), replacement()).prop_map(|(k, v)| Edit::Number(k, v)),
        2 => any::<usize>().prop_map(Edit::DeleteLine),
        1 => any::<usize>().prop_map(Edit::DuplicateLine),
    ]
}

fn apply(text: &str, edit: &Edit) -> String {
    match edit {
        Edit::Number(k, value) => {
            let spans = numbers(text);
            let span = spans[k % spans.len()].clone();
            format!("{}{}{}", &text[..span.start], value, &text[span.end..])
        }
        Edit::DeleteLine(k) | Edit::DuplicateLine(k) => {
            let lines: Vec<&str> = text.lines().collect();
            let k = k % lines.len();
            let mut out = Vec::with_capacity(lines.len() + 1);
            for (i, line) in lines.iter().enumerate() {
                if i != k || matches!(edit, Edit::DuplicateLine(_)) {
                    out.push(*line);
                }
                if i == k && matches!(edit, Edit::DuplicateLine(_)) {
                    out.push(*line);
                }
            }
            out.join("\n")
        }
    }
}

/// 300 cases from a fixed seed, so that CI is repeatable; set `PROPTEST_RNG_SEED` (and `PROPTEST_CASES`) to explore
/// further, e.g. `PROPTEST_RNG_SEED=7 PROPTEST_CASES=5000 cargo test --test robustness`.
fn config() -> ProptestConfig {
    let default = ProptestConfig::default();
    let explore = std::env::var_os("PROPTEST_RNG_SEED").is_some();
    ProptestConfig {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() { default.cases } else { 300 },
        failure_persistence: None,
        rng_seed: if explore { default.rng_seed } else { proptest::test_runner::RngSeed::Fixed(2019) },
        ..default
    }
}

proptest! {
    #![proptest_config(config())]

    /// Up to three random edits of the scenario that uses every mechanism.
    #[test]
    fn edited_scenarios_fail_with_a_located_error_or_run_with_every_identity(
        edits in prop::collection::vec(edit(), 1..=3)
    ) {
        let mut text = support::EVERYTHING.to_string();
        for e in &edits {
            text = apply(&text, e);
        }
        load_and_run(&text)?;
    }

    /// Arbitrary bytes, read as the CLI reads a file (lossily, so that invalid UTF-8 still reaches the parser).
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let text = String::from_utf8_lossy(&bytes);
        if let Err(e) = Scenario::from_toml(&text, "bytes.toml") {
            assert_located(&e, &text);
        }
    }

    /// Arbitrary text built from TOML's own punctuation and the format's keys, which reaches deeper than bytes.
    #[test]
    fn toml_like_text_never_panics(
        pieces in prop::collection::vec(
            prop::sample::select(vec![
                "[", "]", "[[", "]]", "=", "\"", "{", "}", ",", ".", "\n", " ", "name", "start", "months",
                "sending_country", "countries", "arrivals", "stream", "agreement", "asylum", "phase", "from",
                "value", "2020-01-01", "1", "0", "-3", "1e400", "\"us\"", "\"unlimited\"", "true",
            ]),
            0..80,
        )
    ) {
        let text: String = pieces.concat();
        if let Err(e) = Scenario::from_toml(&text, "pieces.toml") {
            assert_located(&e, &text);
        }
    }
}

/// One stream of Mexican single adults, all eligible for an agreement with Guatemala with `seats` seats a month.
fn extreme(months: u32, per_month: &str, seats: &str) -> Scenario {
    support::scenario(&format!(
        r#"
name = "extreme"
start = 2020-01-01
months = {months}
sending_country = "us"
[countries]
us = "US"
gt = "Guatemala"
mx = "Mexico"
[[arrivals.stream]]
nationality = "mx"
household = "single_adult"
per_month = {per_month}
[agreement.gt]
eligible_nationalities = ["mx"]
transit_probability = {{ mx = 1 }}
screening_exempt_share = 0
seats_per_month = {seats}
max_wait_days = 3
[[agreement.gt.phase]]
from = 2020-01-01
households = ["single_adult"]
[asylum.gt]
filing_probability = 0.5
filing_window_days = 3
adjudicators = 2
service_time_days = {{ distribution = "exponential", mean = 5 }}
grant_probability = 0.2
"#
    ))
}

fn run(scenario: &Scenario, replications: u64) -> Result<montecarlo::RunResult, RunError> {
    montecarlo::run(&Model::new(scenario), RunConfig { replications, seed: 1, threads: 2 }, &|| {})
}

#[test]
fn zero_capacity_releases_everyone_and_transfers_nobody() {
    let s = extreme(3, "500", "0");
    let result = run(&s, 3).expect("runs");
    support::check_identities(&s, &result);
    for r in 0..3 {
        for m in 0..3 {
            assert_eq!(support::value(&result, r, m, "gt", "transferred_cases"), 0.0);
        }
        let released: f64 = (0..3).map(|m| support::value(&result, r, m, "us", "released_cases")).sum();
        let waiting = support::value(&result, r, 2, "us", "waiting_transfer_cases");
        let arrived: f64 = (0..3).map(|m| support::value(&result, r, m, "us", "arrivals_cases")).sum();
        assert_eq!(released + waiting, arrived);
    }
}

#[test]
fn ten_million_arrivals_a_month_run_for_one_replication_and_are_refused_for_thousands() {
    let s = extreme(1, "10_000_000", "\"unlimited\"");
    // Ten million eligible cases handled one by one: about 2 × 10⁷ events, a few seconds.
    let result = run(&s, 1).expect("one replication runs");
    support::check_identities(&s, &result);
    let arrivals = support::value(&result, 0, 0, "us", "arrivals_cases");
    assert!((9.99e6..1.001e7).contains(&arrivals), "{arrivals}");
    match run(&s, 10_000) {
        Err(RunError::TooLarge { resource: Resource::Events, message, .. }) => {
            assert!(message.contains("10,000 replications"), "{message}");
            assert!(message.contains("use fewer replications"), "{message}");
        }
        other => panic!("expected a refusal naming the work, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn a_600_month_horizon_runs() {
    let s = extreme(600, "20", "10");
    let result = run(&s, 2).expect("runs");
    assert_eq!(result.layout.months.len(), 600);
    assert_eq!(result.layout.months[599], "2069-12");
    support::check_identities(&s, &result);
}

#[test]
fn a_single_replication_has_zero_spread_and_100_000_replications_run() {
    let s = extreme(1, "3", "\"unlimited\"");
    let one = run(&s, 1).expect("runs");
    for cell in &one.summary {
        assert!(cell.sd.is_nan() || cell.sd == 0.0, "one replication has no spread: {cell:?}");
        assert!(cell.p05.is_nan() || cell.p05 == cell.p95);
    }
    let many = run(&s, 100_000).expect("100,000 small replications fit the limits");
    assert_eq!(many.replications.len(), 100_000);
    let cell = many.layout.find(0, "us", "arrivals_cases").unwrap();
    assert!((many.summary[cell].mean - 3.0).abs() < 0.05, "{}", many.summary[cell].mean);
}
