//! Rollout phases and nationality rules: nobody is transferred before their household type is opened, and no
//! national of the receiving country is ever sent there.

use crate::support;

use safe_third::scenario::Scenario;

/// X families, opened on 16 March; B's own nationals (single adults) arrive too. Unlimited seats transfer at once.
const FAMILIES_FROM_MID_MARCH: &str = r#"
name = "families-from-mid-march"
start = 2020-01-01
months = 5
sending_country = "a"

[countries]
a = "A"
b = "B"
x = "X"

[arrivals]
family_size = { 2 = 0.5, 3 = 0.5 }

[[arrivals.stream]]
nationality = "x"
household = "family"
per_day = 100

[[arrivals.stream]]
nationality = "b"
household = "single_adult"
per_day = 50

[agreement.b]
eligible_nationalities = ["x"]
transit_probability = { x = 1 }
screening_exempt_share = 0
seats_per_month = "unlimited"
max_wait_days = "unlimited"

[[agreement.b.phase]]
from = 2020-03-16
households = ["family"]

[asylum.b]
filing_probability = 1
filing_window_days = 0
adjudicators = 1
service_time_days = { distribution = "exponential", mean = 1 }
grant_probability = 0.5
"#;

#[test]
fn no_family_is_transferred_before_the_family_phase_opens() {
    let scenario = support::scenario(FAMILIES_FROM_MID_MARCH);
    let replications = 40;
    let result = support::run(&scenario, replications, 3, 0);
    let (mut refused, mut families) = (0.0, 0.0);
    for r in 0..replications as usize {
        let v = |m, c, metric| support::value(&result, r, m, c, metric);
        for m in [0, 1] {
            assert_eq!(v(m, "b", "transferred_cases"), 0.0, "transfers in month {m}, before the phase opened");
            assert_eq!(
                v(m, "a", "ineligible_phase_closed_cases"),
                v(m, "a", "arrivals_cases") - v(m, "a", "ineligible_nationality_cases")
            );
        }
        for m in [3, 4] {
            assert_eq!(v(m, "a", "ineligible_phase_closed_cases"), 0.0, "month {m}: the phase is open");
            assert!(v(m, "b", "transferred_cases") > 0.0);
        }
        refused += v(2, "a", "ineligible_phase_closed_cases");
        families += v(2, "a", "arrivals_cases") - v(2, "a", "ineligible_nationality_cases");
    }
    // Families arriving on 1–15 March (15 of 31 days) are refused, the rest transferred: binomial share.
    let expected = 15.0 / 31.0;
    let se = (expected * (1.0 - expected) / families).sqrt();
    let share = refused / families;
    assert!((share - expected).abs() < 5.0 * se, "share refused in March {share}, expected {expected} ± {se}");
}

#[test]
fn household_types_not_opened_are_never_transferred() {
    // Single adults and families of X arrive; only families are ever opened. A transferred single adult would
    // make people < 2 × cases.
    let text = FAMILIES_FROM_MID_MARCH.replace("nationality = \"b\"", "nationality = \"x\"");
    let scenario = support::scenario(&text);
    let result = support::run(&scenario, 20, 8, 0);
    for r in 0..20 {
        for m in 2..5 {
            let cases = support::value(&result, r, m, "b", "transferred_cases");
            let people = support::value(&result, r, m, "b", "transferred_people");
            assert!(cases > 0.0 && people >= 2.0 * cases, "month {m}: {cases} cases carry only {people} people");
        }
    }
}

#[test]
fn no_national_of_the_receiving_country_is_sent_there() {
    let scenario = support::scenario(FAMILIES_FROM_MID_MARCH);
    let result = support::run(&scenario, 10, 4, 0);
    for r in 0..10 {
        for m in 0..result.layout.months.len() {
            // B's nationals arrive every month and are all refused by nationality.
            assert!(support::value(&result, r, m, "a", "ineligible_nationality_cases") > 1000.0);
        }
    }
    // And a scenario that tries to send them there is rejected, naming the field.
    let own = FAMILIES_FROM_MID_MARCH
        .replace("eligible_nationalities = [\"x\"]", "eligible_nationalities = [\"x\", \"b\"]")
        .replace("transit_probability = { x = 1 }", "transit_probability = { x = 1, b = 1 }");
    let error = Scenario::from_toml(&own, "own.toml").unwrap_err().to_string();
    assert!(error.contains("agreement.b.eligible_nationalities[1]"), "{error}");
    assert!(error.contains("cannot receive its own nationals"), "{error}");
}

#[test]
fn a_suspension_stops_transfers_on_its_date() {
    // The shipped scenario suspends on 2020-03-16: nothing is transferred in any later month.
    let scenario = Scenario::builtin();
    let result = support::run(&scenario, 10, 2, 0);
    let april = result.layout.months.iter().position(|m| m == "2020-04").unwrap();
    for r in 0..10 {
        for m in april..result.layout.months.len() {
            assert_eq!(support::value(&result, r, m, "guatemala", "transferred_cases"), 0.0);
            assert_eq!(support::value(&result, r, m, "united_states", "eligible_cases"), 0.0);
        }
        assert!(support::value(&result, r, april - 1, "guatemala", "transferred_cases") > 0.0);
    }
}
