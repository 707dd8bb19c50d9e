//! Calibration: fitting a scenario's parameters to observed series, and showing how well a run fits them.
//!
//! A scenario's `[calibration]` section names a CSV of observed values ([`observed`]), the parameters to fit
//! with their ranges, a loss ([`fit::loss`]) and an optional cutoff date. `calibrate` then:
//!
//! 1. runs a Latin-hypercube design of candidates, then refines the best with Nelder–Mead ([`search`]);
//! 2. runs **every candidate on the same replications** (same seed: common random numbers), so that two
//!    candidates differ only by their parameters and the loss surface is not blurred by Monte Carlo noise;
//! 3. finds each parameter's *plausible range*: moving that parameter alone from the best candidate (the others
//!    held), the values for which the loss stays below best + max(TOLERANCE × best, the loss of missing every
//!    observation by [`FLOOR_RELATIVE_ERROR`]) — "not much worse than the best fit, or than a fit a few percent
//!    off everywhere" — each edge found by bisection. A range as wide as the search box means the
//!    record does not constrain the parameter at all (e.g. a filing probability when no claim is observed before
//!    the cutoff). It is a guide to how well the data pin a parameter down, not a posterior interval, and it
//!    ignores trade-offs between parameters;
//! 4. compares the best run with every observation, used for fitting (up to the cutoff) or held out.
//!
//! Calibration uses the scenario's reference policy.

pub mod fit;
pub mod observed;
pub mod search;

use crate::model::Model;
use crate::montecarlo::{self, RunConfig, RunError, RunResult};
use crate::scenario::{CalibratedParameter, Calibration, Scenario, ScenarioError, Setting};

use fit::FitPoint;
use observed::Observation;

/// A parameter value is plausible while the loss exceeds the best by at most TOLERANCE × the best loss …
pub const TOLERANCE: f64 = 0.5;

/// … or by at most the loss of missing every observation by this relative error, whichever is larger.
pub const FLOOR_RELATIVE_ERROR: f64 = 0.05;

/// Bisection steps for each edge of a plausible range.
pub const RANGE_BISECTIONS: usize = 5;

/// The most candidates a calibration tries: the design, the refinement, and the plausible-range searches.
pub fn planned_evaluations(calibration: &Calibration) -> usize {
    calibration.design_points as usize
        + calibration.refine_evaluations as usize
        + calibration.parameter.len() * 2 * (1 + RANGE_BISECTIONS)
}

/// Why a calibration could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum CalibrationError {
    #[error("the scenario has no [calibration] section naming observed data and parameters")]
    NotConfigured,
    #[error("[calibration] names no parameter to fit: add [[calibration.parameter]] entries")]
    NoParameters,
    #[error("candidate {values} is not a valid scenario")]
    Candidate {
        values: String,
        #[source]
        source: ScenarioError,
    },
    #[error(transparent)]
    Run(#[from] RunError),
}

/// Which step of the search proposed a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Design,
    Refine,
    /// Probing the edges of a plausible range.
    Range,
}

impl Stage {
    pub fn name(self) -> &'static str {
        match self {
            Stage::Design => "design",
            Stage::Refine => "refine",
            Stage::Range => "range",
        }
    }
}

/// One candidate tried, with its parameter values (in their units) and loss.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub stage: Stage,
    pub values: Vec<f64>,
    pub loss: f64,
}

/// What a calibration found.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub parameters: Vec<CalibratedParameter>,
    /// Every candidate, in the order tried.
    pub candidates: Vec<Candidate>,
    /// Index of the best candidate.
    pub best: usize,
    /// Per parameter, its plausible range (see the module docs).
    pub plausible: Vec<(f64, f64)>,
    /// The best candidate's run beside every observation.
    pub fit: Vec<FitPoint>,
    /// The best candidate's run.
    pub result: RunResult,
}

impl Outcome {
    pub fn best(&self) -> &Candidate {
        &self.candidates[self.best]
    }

    /// The best values as `--set` overrides (`path=value`), integers rounded.
    pub fn settings(&self) -> Vec<String> {
        settings_text(&self.parameters, &self.best().values)
    }
}

/// `path=value` for each parameter.
fn settings_text(parameters: &[CalibratedParameter], values: &[f64]) -> Vec<String> {
    parameters
        .iter()
        .zip(values)
        .map(|(p, &v)| if p.integer { format!("{}={}", p.path, v.round() as i64) } else { format!("{}={v:?}", p.path) })
        .collect()
}

/// The scenario, with `settings` applied, as a run of its reference policy.
fn evaluate(
    scenario: &Scenario,
    source: &str,
    origin: &str,
    settings: &[String],
    config: RunConfig,
) -> Result<RunResult, CalibrationError> {
    let parsed: Vec<Setting> = settings.iter().map(|s| Setting::parse(s).expect("paths were validated")).collect();
    let policies = scenario
        .policies(source, origin, &parsed)
        .map_err(|source| CalibrationError::Candidate { values: settings.join(", "), source })?;
    let policy = policies.into_iter().find(|p| p.reference).expect("one policy is the reference");
    Ok(montecarlo::run(&Model::new(&policy.scenario), config, &|| {})?)
}

/// Compares a run of the scenario's reference policy with the observations (validation, no fitting).
pub fn validate(result: &RunResult, observations: &[Observation], calibration: Option<&Calibration>) -> Vec<FitPoint> {
    fit::compare(observations, &result.layout, &result.summary, calibration.and_then(|c| c.cutoff))
}

/// Fits the scenario's `[calibration]` parameters to `observations`; `progress` is called after each candidate
/// with the number tried so far and the total planned.
pub fn calibrate(
    scenario: &Scenario,
    source: &str,
    origin: &str,
    observations: &[Observation],
    seed: u64,
    threads: usize,
    progress: &dyn Fn(usize, usize),
) -> Result<Outcome, CalibrationError> {
    let calibration = scenario.calibration.as_ref().ok_or(CalibrationError::NotConfigured)?;
    let parameters = calibration.parameter.clone();
    if parameters.is_empty() {
        return Err(CalibrationError::NoParameters);
    }
    let config = RunConfig { replications: calibration.replications, seed, threads };
    let to_values = |unit: &[f64]| -> Vec<f64> {
        parameters
            .iter()
            .zip(unit)
            .map(|(p, &u)| {
                let v = p.low + u * (p.high - p.low);
                if p.integer { v.round() } else { v }
            })
            .collect()
    };
    let planned = planned_evaluations(calibration);
    let mut candidates: Vec<Candidate> = Vec::with_capacity(planned);
    let error: std::cell::RefCell<Option<CalibrationError>> = std::cell::RefCell::new(None);
    let loss_of = |values: &[f64], stage: Stage, candidates: &mut Vec<Candidate>| -> f64 {
        if error.borrow().is_some() {
            return f64::INFINITY;
        }
        let settings = settings_text(&parameters, values);
        let loss = match evaluate(scenario, source, origin, &settings, config) {
            Ok(result) => {
                let points = fit::compare(observations, &result.layout, &result.summary, calibration.cutoff);
                fit::loss(&points, calibration.loss)
            }
            Err(e) => {
                *error.borrow_mut() = Some(e);
                f64::INFINITY
            }
        };
        candidates.push(Candidate { stage, values: values.to_vec(), loss });
        progress(candidates.len(), planned);
        loss
    };

    let design = search::latin_hypercube(calibration.design_points as usize, parameters.len(), seed);
    for unit in &design {
        loss_of(&to_values(unit), Stage::Design, &mut candidates);
    }
    let best_design = argmin(&candidates);
    let start = &design[best_design];
    let mut refine = |unit: &[f64]| -> f64 {
        let values = to_values(unit);
        loss_of(&values, Stage::Refine, &mut candidates)
    };
    search::nelder_mead(&mut refine, start, 0.1, calibration.refine_evaluations as usize);
    if let Some(e) = error.borrow_mut().take() {
        return Err(e);
    }

    // Plausible ranges, one parameter at a time from the best candidate so far.
    let start = argmin(&candidates);
    let (centre, best_loss) = (candidates[start].values.clone(), candidates[start].loss);
    let floor = fit::loss_at_relative_error(
        &fit::unsimulated(observations, calibration.cutoff),
        calibration.loss,
        FLOOR_RELATIVE_ERROR,
    );
    let threshold = best_loss + (TOLERANCE * best_loss).max(floor);
    let mut plausible = Vec::with_capacity(parameters.len());
    for (k, p) in parameters.iter().enumerate() {
        let mut at = |v: f64| {
            let mut x = centre.clone();
            x[k] = if p.integer { v.round() } else { v };
            loss_of(&x, Stage::Range, &mut candidates)
        };
        let mut edge = |bound: f64| -> f64 {
            if at(bound) <= threshold {
                return bound;
            }
            let (mut inside, mut outside) = (centre[k], bound);
            for _ in 0..RANGE_BISECTIONS {
                let mid = (inside + outside) / 2.0;
                if at(mid) <= threshold { inside = mid } else { outside = mid }
            }
            if p.integer { inside.round() } else { inside }
        };
        let low = edge(p.low);
        let high = edge(p.high);
        plausible.push((low, high));
    }
    if let Some(e) = error.take() {
        return Err(e);
    }

    let best = argmin(&candidates);
    let result = evaluate(scenario, source, origin, &settings_text(&parameters, &candidates[best].values), config)?;
    let fit = fit::compare(observations, &result.layout, &result.summary, calibration.cutoff);
    Ok(Outcome { parameters, candidates, best, plausible, fit, result })
}

/// Index of the lowest loss; the first on ties, so the search is deterministic.
fn argmin(candidates: &[Candidate]) -> usize {
    candidates.iter().enumerate().min_by(|a, b| a.1.loss.total_cmp(&b.1.loss)).map_or(0, |(i, _)| i)
}
