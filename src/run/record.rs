//! The observed record beside a run: the scenario's `[calibration] observed` data, read relative to the scenario
//! file (embedded for the built-in scenario), checked against the metrics the scenario has, and set beside the
//! reference policy's results for the report and the fit charts.

use std::path::Path;

use crate::calibration::{self, fit::FitPoint, observed, observed::Observation, observed::ObservedError};
use crate::error::{Error, InvalidRequest, chain};
use crate::model::MetricLayout;
use crate::montecarlo::RunResult;
use crate::scenario::{DEFAULT_OBSERVED, DEFAULT_ORIGIN, Date, Scenario};

/// Problems in an observed-data file, all of them.
#[derive(Debug, thiserror::Error)]
#[error("{} problem{} in the observed data:\n{}", .0.len(), if .0.len() == 1 { "" } else { "s" },
        .0.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"))]
pub struct ObservedErrors(pub Vec<ObservedError>);

/// The record beside a run: every observation, and the cutoff after which observations are held out.
pub type Record = (Vec<FitPoint>, Option<Date>);

/// The observed data of a scenario read from `origin` whose results have `layout`, and the name of the data's
/// file (for messages and the manifest).
pub fn observations_of(
    scenario: &Scenario,
    origin: &str,
    layout: &MetricLayout,
) -> Result<(Vec<Observation>, String), Error> {
    let calibration = scenario.calibration.as_ref().ok_or_else(|| {
        InvalidRequest(format!(
            "{origin} has no [calibration] section naming observed data (see scenarios/README.md, Calibration)"
        ))
    })?;
    let (text, observed_origin) = if origin == DEFAULT_ORIGIN {
        (DEFAULT_OBSERVED.to_string(), format!("<built-in scenarios/{}>", calibration.observed))
    } else {
        let dir = Path::new(origin).parent().unwrap_or(Path::new("."));
        let path = dir.join(&calibration.observed);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            InvalidRequest(format!(
                "cannot read the observed data {} named by [calibration] observed in {origin}: {e}",
                path.display()
            ))
        })?;
        (text, path.display().to_string())
    };
    let list = observed::parse(&text, &observed_origin).map_err(ObservedErrors)?;
    let unknown: Vec<ObservedError> = list
        .iter()
        .filter(|o| layout.find(0, &o.country, &o.metric).is_none())
        .map(|o| ObservedError {
            origin: observed_origin.clone(),
            line: o.line,
            column: 2,
            field: "metric".to_string(),
            message: format!(
                "{} has no metric \"{}\" in this scenario (countries: {}; metrics: README, Metrics)",
                o.country,
                o.metric,
                layout.countries.join(", ")
            ),
        })
        .collect();
    if !unknown.is_empty() {
        return Err(ObservedErrors(unknown).into());
    }
    Ok((list, observed_origin))
}

/// The scenario's observed record beside the reference policy's run, for the report and the fit charts; `None`
/// without a `[calibration]` section. A record that cannot be read does not stop a run (`validate` and
/// `calibrate` insist on it): it is left out, and the returned warning says why.
pub fn record_of(
    scenario: &Scenario,
    origin: &str,
    layout: &MetricLayout,
    reference: &RunResult,
) -> (Option<Record>, Option<String>) {
    let Some(calibration) = scenario.calibration.as_ref() else { return (None, None) };
    match observations_of(scenario, origin, layout) {
        Ok((observations, _)) => {
            (Some((calibration::validate(reference, &observations, Some(calibration)), calibration.cutoff)), None)
        }
        Err(e) => (None, Some(format!("the observed record is left out of the report: {}", chain(&e)))),
    }
}
