//! Helpers shared by the integration tests.
#![allow(dead_code)]

use safe_third::model::Model;
use safe_third::montecarlo::{self, RunConfig, RunResult};
use safe_third::scenario::Scenario;

/// Parses a scenario, panicking with the full error if it is invalid.
pub fn scenario(text: &str) -> Scenario {
    Scenario::from_toml(text, "test").unwrap_or_else(|e| panic!("test scenario is invalid:\n{e}"))
}

/// Runs `replications` replications of a scenario.
pub fn run(scenario: &Scenario, replications: u64, seed: u64, threads: usize) -> RunResult {
    let model = Model::new(scenario);
    montecarlo::run(&model, RunConfig { replications, seed, threads }, &|| {}).expect("run")
}

/// The value of a metric in one replication and month.
pub fn value(result: &RunResult, replication: usize, month: usize, country: &str, metric: &str) -> f64 {
    let cell = result.layout.find(month, country, metric).unwrap_or_else(|| panic!("no metric {country}/{metric}"));
    result.replications[replication][cell]
}

/// A scenario exercising every mechanism at once: two agreements, a mid-month start, families, exempt children,
/// negative-binomial counts, phases opening and closing mid-month, seat steps, every queue discipline,
/// abandonment of transferee and other claims, adjudicators changing, an initial backlog.
pub const EVERYTHING: &str = r#"
name = "everything"
start = 2020-01-15
months = 8
sending_country = "north"

[countries]
north = "North"
south = "South"
east = "East"
xland = "X"
yland = "Y"

[arrivals]
border_total_per_month = [900, 1200, 600, 800, 1000, 700, 900, 1100]
family_size = { 2 = 0.4, 3 = 0.3, 4 = 0.2, 6 = 0.1 }

[[arrivals.stream]]
nationality = "xland"
household = "single_adult"
share = 0.4
count = "negative_binomial"
dispersion = 8

[[arrivals.stream]]
nationality = "xland"
household = "family"
share = 0.2

[[arrivals.stream]]
nationality = "yland"
household = "single_adult"
per_month = [100, 100, 300, 0, 50, 50, 50, 50]

[[arrivals.stream]]
nationality = "yland"
household = "unaccompanied_child"
per_day = 2

[[arrivals.stream]]
nationality = "south"
household = "family"
per_month = [{ from = 2020-02-10, value = 120 }, { from = 2020-05-01, value = 10 }]
family_size = { 2 = 0.5, 5 = 0.5 }

[[arrivals.stream]]
nationality = "east"
household = "single_adult"
per_month = 20

[agreement.south]
eligible_nationalities = ["xland", "yland"]
transit_probability = { xland = 0.8, yland = 0.5 }
exempt_households = ["unaccompanied_child"]
screening_exempt_share = [{ from = 2020-01-15, value = 0.1 }, { from = 2020-04-01, value = 0.3 }]
seats_per_month = [{ from = 2020-01-20, value = 60 }, { from = 2020-03-10, value = 250 }, { from = 2020-06-05, value = 0 }]
queue_discipline = "singles_first"
max_wait_days = 10

[[agreement.south.phase]]
from = 2020-01-20
households = ["single_adult"]
coverage = 0.6
[[agreement.south.phase]]
from = 2020-02-17
households = ["single_adult", "family"]
[[agreement.south.phase]]
from = 2020-06-05
households = []

[agreement.east]
eligible_nationalities = ["xland", "south"]
transit_probability = { xland = 0.3, south = 0.9 }
screening_exempt_share = 0.05
seats_per_month = [40, 40, 80, 80, 80, "unlimited", 20, 20]
queue_discipline = "lifo"
max_wait_days = 4.5

[[agreement.east.phase]]
from = 2020-02-01
households = ["family", "single_adult", "unaccompanied_child"]

[asylum.south]
filing_probability = 0.3
filing_window_days = 3
adjudicators = [{ from = 2020-01-15, value = 2 }, { from = 2020-04-12, value = 5 }, { from = 2020-07-01, value = 1 }]
service_time_days = { distribution = "gamma", mean = 20, shape = 2 }
patience_days = { distribution = "exponential", mean = 60 }
grant_probability = 0.4
initial_backlog = 40
other_claims_per_month = 15
other_patience_days = { distribution = "weibull", shape = 1.5, scale = 200 }

[asylum.east]
filing_probability = [0.5, 0.5, 0.5, 0.2, 0.2, 0.2, 0.9, 0.9]
filing_window_days = 7
adjudicators = 3
service_time_days = { distribution = "lognormal", mean = 10, sd = 8 }
grant_probability = 0.7
other_claims_per_month = [{ from = 2020-03-01, value = 30 }]
"#;
