//! Calibration: the posterior of a scenario's parameters given its observed record, and how a run compares
//! with that record.
//!
//! A scenario's `[calibration]` section names a CSV of observed values ([`observed`]), the parameters to
//! estimate with their valid ranges and priors ([`prior`]), a scale for errors, and an optional cutoff date.
//! `calibrate` then:
//!
//! 1. runs ABC-SMC with adaptive tolerances ([`abc`]): parameter sets drawn from the prior, then perturbed
//!    ([`kernel`]) from ever closer populations, each simulated as one record of the scenario's reference policy
//!    and accepted while its [`distance`] from the observed record is within the generation's tolerance;
//! 2. summarises the final, weighted population ([`posterior`]): each parameter's prior and posterior 90%
//!    intervals, the posterior median, and whether the record identifies it at all;
//! 3. simulates the posterior predictive (one record per parameter set resampled from the posterior) beside
//!    every observation, used for fitting (up to the cutoff) or held out.
//!
//! A posterior is a set of weighted parameter sets, not one value: nothing here picks a "best" one.

pub mod abc;
pub mod distance;
pub mod fit;
pub mod kernel;
pub mod observed;
pub mod posterior;
pub mod prior;

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rayon::prelude::*;

use crate::model::{Model, Replication};
use crate::montecarlo::CellSummary;
use crate::scenario::{CalibratedParameter, Calibration, Scenario, ScenarioError, Setting};

use abc::{Schedule, Sequence};
use distance::Distance;
use fit::FitPoint;
use observed::Observation;
use posterior::ParameterSummary;
use prior::TruncatedPrior;

/// Why a calibration could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum CalibrationError {
    #[error("the scenario has no [calibration] section naming observed data and parameters")]
    NotConfigured,
    #[error("[calibration] names no parameter to estimate: add [[calibration.parameter]] entries")]
    NoParameters,
    #[error("no observation is dated up to the cutoff: there is nothing to calibrate on")]
    NoObservations,
    #[error("parameter set {values} is not a valid scenario")]
    Candidate {
        values: String,
        #[source]
        source: ScenarioError,
    },
    #[error("cannot start {threads} worker threads")]
    Threads {
        threads: usize,
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
}

/// Parameter sets resampled from the posterior for the predictive band beside the record.
pub const PREDICTIVE_DRAWS: usize = 400;

/// What a calibration found.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub parameters: Vec<CalibratedParameter>,
    /// Every population; the last is the posterior sample.
    pub sequence: Sequence,
    /// Per parameter, its prior and posterior intervals.
    pub summaries: Vec<ParameterSummary>,
    /// The posterior predictive beside every observation.
    pub fit: Vec<FitPoint>,
}

/// `path=value` for each parameter, integers rounded.
pub fn settings_text(parameters: &[CalibratedParameter], values: &[f64]) -> Vec<String> {
    parameters
        .iter()
        .zip(values)
        .map(|(p, &v)| {
            let v = posterior::applied(p, v);
            if p.integer { format!("{}={}", p.path, v as i64) } else { format!("{}={v:?}", p.path) }
        })
        .collect()
}

/// The scenario's reference policy with `values` applied: what each parameter set is simulated as.
struct Candidates<'a> {
    scenario: &'a Scenario,
    source: &'a str,
    origin: &'a str,
    parameters: &'a [CalibratedParameter],
}

impl Candidates<'_> {
    fn model(&self, values: &[f64]) -> Result<Model, CalibrationError> {
        let settings = settings_text(self.parameters, values);
        let parsed: Vec<Setting> = settings.iter().map(|s| Setting::parse(s).expect("paths were validated")).collect();
        let policies = self
            .scenario
            .policies(self.source, self.origin, &parsed)
            .map_err(|source| CalibrationError::Candidate { values: settings.join(", "), source })?;
        let policy = policies.into_iter().find(|p| p.reference).expect("one policy is the reference");
        Ok(Model::new(&policy.scenario))
    }
}

/// Compares a run of the scenario's reference policy with the observations (validation, no fitting).
pub fn validate(
    result: &crate::montecarlo::RunResult,
    observations: &[Observation],
    calibration: Option<&Calibration>,
) -> Vec<FitPoint> {
    fit::compare(observations, &result.layout, &result.summary, calibration.and_then(|c| c.cutoff))
}

/// The ABC-SMC schedule a `[calibration]` section asks for.
pub fn schedule(calibration: &Calibration) -> Schedule {
    Schedule {
        particles: calibration.particles as usize,
        generations: calibration.generations as usize,
        budget: calibration.budget,
        quantile: calibration.quantile,
        min_tolerance_change: calibration.min_tolerance_change,
        replications: calibration.replications,
    }
}

/// Estimates the posterior of the scenario's `[calibration]` parameters given `observations`; `progress` is
/// told of every parameter set simulated. The same seed gives the same outcome at any thread count.
pub fn calibrate(
    scenario: &Scenario,
    source: &str,
    origin: &str,
    observations: &[Observation],
    seed: u64,
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Outcome, CalibrationError> {
    let calibration = scenario.calibration.as_ref().ok_or(CalibrationError::NotConfigured)?;
    let parameters = calibration.parameter.clone();
    if parameters.is_empty() {
        return Err(CalibrationError::NoParameters);
    }
    let distance = Distance::new(observations, calibration.cutoff, calibration.loss);
    if distance.is_empty() {
        return Err(CalibrationError::NoObservations);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|source| CalibrationError::Threads { threads, source })?;
    let candidates = Candidates { scenario, source, origin, parameters: &parameters };
    let replications = calibration.replications;
    let simulate = |values: &[f64], key: u64| -> Result<Vec<f64>, CalibrationError> {
        let model = candidates.model(values)?;
        let mut replication = Replication::new(&model);
        Ok((0..replications).map(|r| distance.of(&model.layout, &replication.run(key, r).values)).collect())
    };
    let priors: Vec<TruncatedPrior> = parameters.iter().map(TruncatedPrior::of).collect();
    let sequence = abc::run(&priors, schedule(calibration), seed, &pool, &simulate, progress)?;
    let summaries = posterior::summarise(&parameters, sequence.posterior());
    let fit = predictive(&candidates, observations, calibration, &sequence, seed, &pool)?;
    Ok(Outcome { parameters, sequence, summaries, fit })
}

/// Key tag of the predictive resampling.
const PREDICTIVE: u64 = 0xabc5_3c00_0000_0003;

/// The posterior predictive beside every observation: [`PREDICTIVE_DRAWS`] parameter sets resampled from the
/// posterior by weight, each simulated once, summarised at each observation.
fn predictive(
    candidates: &Candidates,
    observations: &[Observation],
    calibration: &Calibration,
    sequence: &Sequence,
    seed: u64,
    pool: &rayon::ThreadPool,
) -> Result<Vec<FitPoint>, CalibrationError> {
    let particles = &sequence.posterior().particles;
    let mut cumulative = Vec::with_capacity(particles.len());
    let mut sum = 0.0;
    for p in particles {
        sum += p.weight;
        cumulative.push(sum);
    }
    let key = crate::rng::chain(seed, PREDICTIVE);
    let records: Vec<Result<(crate::model::MetricLayout, Vec<f64>), CalibrationError>> = pool.install(|| {
        (0..PREDICTIVE_DRAWS as u64)
            .into_par_iter()
            .map(|i| {
                let mut rng = ChaCha8Rng::seed_from_u64(crate::rng::chain(key, i));
                let u = rng.random::<f64>() * sum;
                let chosen = cumulative.partition_point(|&c| c <= u).min(particles.len() - 1);
                let model = candidates.model(&particles[chosen].values)?;
                let values = Replication::new(&model).run(crate::rng::chain(key, i), 0).values;
                Ok((model.layout.clone(), values))
            })
            .collect()
    });
    let records = records.into_iter().collect::<Result<Vec<_>, _>>()?;
    let layout = &records[0].0;
    let summary: Vec<CellSummary> = (0..layout.len())
        .map(|cell| CellSummary::of(&mut records.iter().map(|(_, values)| values[cell]).collect::<Vec<f64>>()))
        .collect();
    Ok(fit::compare(observations, layout, &summary, calibration.cutoff))
}
