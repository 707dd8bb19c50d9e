//! Scenario files: the format, loading with located errors, and validation.
//!
//! A scenario is read in two stages. Parsing (serde over TOML) rejects wrong types and unknown field names, with
//! the line and column from the TOML parser. Validation then checks ranges and cross-references and reports every
//! problem at once, each located by looking its field path up in the same source.

mod border;
mod date;
mod distribution;
mod error;
mod format;
mod operations;
mod overrides;
mod policy;
mod schedule;
mod validate;

use std::path::Path;

pub use border::{CompetingRoute, RouteKind};
pub use date::Date;
pub use distribution::DurationSpec;
pub use error::{Problem, ScenarioError, closest};
pub use format::{
    Agreement, ArrivalStream, Arrivals, AsylumSystem, CalibratedParameter, Calibration, CapacityBuilding, CountModel,
    DecisionSessions, DecisionSuspension, FamilySize, Household, LateFiling, Loss, Prior, ProtectionConcern,
    QueueDiscipline, RolloutPhase, Scenario, SendingCourts, Target, TransitBar,
};
pub use operations::{
    AgreementKind, Deterrence, Flights, Onward, OnwardShares, Routing, RoutingRule, TransferSuspension,
    WaitingAtSuspension, Weekday,
};
pub use operations::{OperationTime, SeatShares, SeatTiming};
pub use overrides::{PolicySpec, Setting};
pub use policy::{BASELINE, Policy};
pub use schedule::{Schedule, Step};
pub use validate::MAX_MONTHS;

/// The scenario shipped inside the binary: the 2019–2020 US–Guatemala Asylum Cooperative Agreement.
pub const DEFAULT_SCENARIO: &str = include_str!("../../scenarios/guatemala-2019.toml");

/// The observed data of the built-in scenario (its `[calibration] observed` file), embedded with it.
pub const DEFAULT_OBSERVED: &str = include_str!("../../scenarios/data/guatemala-2019-observed.csv");

/// Name under which errors in the built-in scenario are reported.
pub const DEFAULT_ORIGIN: &str = "<built-in scenarios/guatemala-2019.toml>";

impl Scenario {
    /// Parses and validates scenario text. `origin` names the source in error messages (usually the file path).
    pub fn from_toml(source: &str, origin: &str) -> Result<Scenario, ScenarioError> {
        // A file with nothing in it (or only comments) is said to be empty, not to lack its first field.
        if toml::from_str::<toml::Table>(source).is_ok_and(|t| t.is_empty()) {
            return Err(ScenarioError::Syntax {
                origin: origin.to_string(),
                line: 1,
                column: 1,
                path: None,
                message: "the scenario is empty: it needs at least `name`, `start`, `months`, `sending_country`, \
                          `countries` and `[arrivals]` (start from one of the files in scenarios/)"
                    .to_string(),
            });
        }
        let scenario: Scenario = toml::from_str(source).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            let (line, column) = error::line_column(source, offset);
            ScenarioError::Syntax {
                origin: origin.to_string(),
                line,
                column,
                path: e.span().and_then(|_| error::path_at(source, offset)),
                message: error::readable(e.message().trim()),
            }
        })?;
        let mut problems = validate::validate(&scenario);
        if problems.is_empty() {
            return Ok(scenario);
        }
        for problem in &mut problems {
            problem.position = error::locate(source, &problem.path);
        }
        Err(ScenarioError::Invalid { origin: origin.to_string(), problems })
    }

    /// Reads, parses and validates a scenario file.
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        let source =
            std::fs::read_to_string(path).map_err(|source| ScenarioError::Read { path: path.to_path_buf(), source })?;
        Scenario::from_toml(&source, &path.display().to_string())
    }

    /// Checks that every `[[target]]` names a metric that exists for its country, as told by `known(country,
    /// metric)`. The scenario layer does not know the model's metric names, so the caller passes them in.
    pub fn check_target_metrics(
        &self,
        source: &str,
        origin: &str,
        known: impl Fn(&str, &str) -> bool,
    ) -> Result<(), ScenarioError> {
        let problems: Vec<Problem> = self
            .target
            .iter()
            .enumerate()
            .filter(|(_, t)| !known(&t.country, &t.metric))
            .map(|(i, t)| {
                let path = format!("target[{i}].metric");
                let mut p = Problem::new(
                    &path,
                    format!("\"{}\" is not a metric of {} (see the README's metric tables)", t.metric, t.country),
                );
                p.position = error::locate(source, &path);
                p
            })
            .collect();
        if problems.is_empty() { Ok(()) } else { Err(ScenarioError::Invalid { origin: origin.to_string(), problems }) }
    }

    /// The JSON Schema of the scenario format, for editors' validation and completion. Draft-07, which TOML
    /// editor tooling (Taplo, behind the "Even Better TOML" extension) supports.
    pub fn json_schema() -> String {
        let schema = schemars::generate::SchemaSettings::draft07().into_generator().into_root_schema_for::<Scenario>();
        let mut text = serde_json::to_string_pretty(&schema).expect("a schema always serialises");
        text.push('\n');
        text
    }

    /// The built-in default scenario.
    pub fn builtin() -> Scenario {
        Scenario::from_toml(DEFAULT_SCENARIO, DEFAULT_ORIGIN).expect("the built-in scenario is valid (tested)")
    }
}
