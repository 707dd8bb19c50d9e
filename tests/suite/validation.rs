//! Range and consistency checks: each invalid scenario is rejected with the field path and the reason.

use safe_third::scenario::{Scenario, ScenarioError};

const BASE: &str = include_str!("../../scenarios/guatemala-2019.toml");

/// The problems reported for the shipped scenario with `from` replaced by `to` (exactly once).
fn problems(from: &str, to: &str) -> Vec<String> {
    assert_eq!(BASE.matches(from).count(), 1, "{from:?} must occur once in the scenario");
    match Scenario::from_toml(&BASE.replace(from, to), "edited.toml") {
        Err(ScenarioError::Invalid { problems, .. }) => problems.iter().map(|p| p.to_string()).collect(),
        Err(other) => vec![other.to_string()],
        Ok(_) => Vec::new(),
    }
}

fn assert_rejected(from: &str, to: &str, expected: &[&str]) {
    let found = problems(from, to);
    assert!(!found.is_empty(), "replacing {from:?} by {to:?} was accepted");
    for e in expected {
        assert!(found.iter().any(|p| p.contains(e)), "expected {e:?} among {found:#?}");
    }
}

#[test]
fn the_shipped_scenario_is_valid() {
    assert!(problems("months = 15", "months = 15").is_empty());
}

#[test]
fn probabilities_rates_and_counts_are_range_checked() {
    assert_rejected(
        "screening_exempt_share = 0.02",
        "screening_exempt_share = 20",
        &["agreement.guatemala.screening_exempt_share: expected a probability between 0 and 1, found 20"],
    );
    assert_rejected(
        "adjudicators = 4 ",
        "adjudicators = 4.5 ",
        &["asylum.guatemala.adjudicators: expected a non-negative whole number, found 4.5"],
    );
    assert_rejected(
        "initial_backlog = 503",
        "initial_backlog = -3",
        &["asylum.guatemala.initial_backlog: expected a whole number of claims"],
    );
    assert_rejected(
        "max_wait_days = 7",
        "max_wait_days = 0",
        &["agreement.guatemala.max_wait_days: expected a positive number"],
    );
    assert_rejected(
        "service_time_days = { distribution = \"gamma\", mean = 61, shape = 2 }",
        "service_time_days = { distribution = \"gamma\", mean = 61, shape = -2 }",
        &["asylum.guatemala.service_time_days.shape: expected a positive shape, found -2"],
    );
    assert_rejected(
        "family_size = { 2 = 0.35,",
        "family_size = { 1 = 0.35,",
        &["arrivals.family_size.1: expected a family size from 2 to 100"],
    );
    assert_rejected(
        "4 = 0.20, 5 = 0.10 }",
        "4 = 0.20, 5 = 0.20 }",
        &["arrivals.family_size: expected probabilities summing to 1"],
    );
}

#[test]
fn dates_must_lie_inside_the_horizon_and_in_order() {
    assert_rejected(
        "from = 2020-03-16\nwaiting",
        "from = 2021-03-16\nwaiting",
        &[
            "agreement.guatemala.suspension[0].from: expected a date inside the horizon 2019-11-01 to 2021-01-31, found 2021-03-16",
        ],
    );
    assert_rejected(
        "{ from = 2020-01-07, value = 376.624 },",
        "{ from = 2019-11-07, value = 376.624 },",
        &["agreement.guatemala.seats_per_month[2].from: steps must be in date order"],
    );
    assert_rejected(
        "from = 2019-12-12\nhouseholds",
        "from = 2019-11-02\nhouseholds",
        &["agreement.guatemala.phase[1].from: phases must be in date order"],
    );
}

#[test]
fn monthly_lists_must_cover_the_horizon() {
    assert_rejected(
        "months = 15 ",
        "months = 16 ",
        &["arrivals.border_total_per_month: expected one value per month of the horizon (16), found 15 values"],
    );
}

#[test]
fn references_must_name_countries_that_exist() {
    assert_rejected(
        "eligible_nationalities = [\"honduras\", \"el_salvador\"]",
        "eligible_nationalities = [\"honduras\", \"el_salvdor\"]",
        &["agreement.guatemala.eligible_nationalities[1]: unknown country \"el_salvdor\""],
    );
    assert_rejected(
        "sending_country = \"united_states\"",
        "sending_country = \"usa\"",
        &["sending_country: unknown country \"usa\""],
    );
}

#[test]
fn shares_of_the_border_total_may_not_exceed_one_on_any_day() {
    assert_rejected("share = 0.22183 ", "share = 0.9 ", &["the streams' shares of the border total sum to"]);
    // A dated step that pushes the sum over 1 only from March 2020 is caught on its date.
    assert_rejected(
        "share = 0.22183 ",
        "share = [{ from = 2019-11-01, value = 0.22183 }, { from = 2020-03-01, value = 0.8 }] ",
        &["on 2020-03-01, more than 1"],
    );
}

#[test]
fn target_months_are_strictly_year_dash_month_inside_the_horizon() {
    assert_rejected(
        "month = \"2019-12\"",
        "month = \"2019-12-31\"",
        &["target[0].month: expected a month YYYY-MM inside the horizon"],
    );
    assert_rejected("month = \"2019-12\"", "month = \"2019-9\"", &["target[0].month"]);
    assert_rejected("month = \"2019-12\"", "month = \"2022-01\"", &["target[0].month"]);
}

#[test]
fn every_problem_is_reported_in_one_pass_with_its_position() {
    let edited = BASE
        .replace("filing_probability = 0.0213", "filing_probability = 1.5")
        .replace("grant_probability = 0.5", "grant_probability = 2");
    let Err(ScenarioError::Invalid { problems, .. }) = Scenario::from_toml(&edited, "x.toml") else {
        panic!("accepted")
    };
    assert_eq!(problems.len(), 2);
    for p in problems {
        let (line, _) = p.position.expect("located");
        assert!(edited.lines().nth(line - 1).unwrap().contains(p.path.rsplit('.').next().unwrap()), "{p}");
    }
}

/// Rejects the shipped scenario with `section` added to its Guatemalan asylum system.
/// The shipped scenario without its decision sessions and halts, so that a test can add its own.
fn without_decision_calendar() -> String {
    let sessions = "[asylum.guatemala.sessions]\ngap_days = { distribution = \"gamma\", mean = 120, shape = 3 }\n";
    let halt = "[[asylum.guatemala.suspension]]\nfrom = 2020-03-16\nuntil = 2020-04-27\nlabel = \"AMN not convened (COVID-19)\"\n";
    assert!(BASE.contains(sessions) && BASE.contains(halt), "the shipped scenario's sessions or halt changed");
    BASE.replace(sessions, "").replace(halt, "")
}

fn assert_section_rejected(section: &str, expected: &[&str]) {
    let text = without_decision_calendar().replace("[calibration]", &format!("{section}\n[calibration]"));
    let found = match Scenario::from_toml(&text, "edited.toml") {
        Err(ScenarioError::Invalid { problems, .. }) => problems.iter().map(|p| p.to_string()).collect(),
        Err(other) => vec![other.to_string()],
        Ok(_) => Vec::new(),
    };
    assert!(!found.is_empty(), "adding {section:?} was accepted");
    for e in expected {
        assert!(found.iter().any(|p| p.contains(e)), "expected {e:?} among {found:#?}");
    }
}

#[test]
fn sessions_need_dates_or_gaps_inside_the_horizon() {
    assert_section_rejected(
        "[asylum.guatemala.sessions]",
        &["asylum.guatemala.sessions: expected session `dates` or a random `gap_days`"],
    );
    assert_section_rejected(
        "[asylum.guatemala.sessions]\ndates = [2020-01-10]\ngap_days = { distribution = \"fixed\", value = 30 }",
        &["asylum.guatemala.sessions: expected either `dates` or `gap_days`, found both"],
    );
    assert_section_rejected(
        "[asylum.guatemala.sessions]\ndates = [2020-01-10, 2020-01-09, 2022-01-01]",
        &[
            "asylum.guatemala.sessions.dates[1]: session dates must be in date order",
            "asylum.guatemala.sessions.dates[2]: expected a date inside the horizon 2019-11-01 to 2021-01-31",
        ],
    );
    assert_section_rejected(
        "[asylum.guatemala.sessions]\ngap_days = { distribution = \"fixed\", value = 0 }\nfirst = 2019-10-01",
        &[
            "asylum.guatemala.sessions.gap_days: expected gaps with a positive mean",
            "asylum.guatemala.sessions.first: expected a date inside the horizon",
        ],
    );
    assert_section_rejected(
        "[asylum.guatemala.sessions]\ndates = [2020-01-10]\nfirst = 2020-01-10",
        &["asylum.guatemala.sessions.first: `first` applies only with `gap_days`"],
    );
}

#[test]
fn capacity_building_needs_money_months_and_a_positive_cost() {
    assert_section_rejected(
        "[asylum.guatemala.capacity_building]\nbudget_usd = -1\nfrom = 2021-02-10\nmonths = 0.5\n\
         cost_per_adjudicator_month_usd = 0\ntraining_days = -3\nhires_per_month = 0",
        &[
            "asylum.guatemala.capacity_building.budget_usd: expected a non-negative amount of US dollars, found -1",
            "asylum.guatemala.capacity_building.months: expected a whole number of months from 1 to 1200",
            "asylum.guatemala.capacity_building.cost_per_adjudicator_month_usd: expected a positive amount",
            "asylum.guatemala.capacity_building.training_days: expected a non-negative number of days",
            "asylum.guatemala.capacity_building.hires_per_month: expected a positive number of hires",
        ],
    );
    assert_section_rejected(
        "[asylum.guatemala.capacity_building]\nbudget_usd = 1e12\nfrom = 2022-02-10\nmonths = 1\n\
         cost_per_adjudicator_month_usd = 1\ntraining_days = 0",
        &[
            "asylum.guatemala.capacity_building.from: expected a date inside the horizon",
            "asylum.guatemala.capacity_building.budget_usd: the budget pays 1000000000000 adjudicators",
        ],
    );
}

#[test]
fn decision_suspensions_end_after_they_begin_and_do_not_overlap() {
    assert_section_rejected(
        "[[asylum.guatemala.suspension]]\nfrom = 2020-03-16\nuntil = 2020-03-01\n\
         [[asylum.guatemala.suspension]]\nfrom = 2020-03-10\nuntil = 2020-05-01\n\
         [[asylum.guatemala.suspension]]\nfrom = 2020-06-01\n\
         [[asylum.guatemala.suspension]]\nfrom = 2020-07-01",
        &[
            "asylum.guatemala.suspension[0].until: expected a date after from (2020-03-16), found 2020-03-01",
            "asylum.guatemala.suspension[1].from: suspensions must be in date order without overlap",
            "asylum.guatemala.suspension[3].from: suspension 2 never ends (no `until`)",
        ],
    );
    // A halt may last past the horizon.
    let valid = without_decision_calendar().replace(
        "[calibration]",
        "[[asylum.guatemala.suspension]]\nfrom = 2020-03-16\nuntil = 2030-01-01\nlabel = \"x\"\n[calibration]",
    );
    assert!(Scenario::from_toml(&valid, "x.toml").is_ok());
}
