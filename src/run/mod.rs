//! Running a scenario as every front end does: the command line's `run`, `sweep` and `merge`, and the Python
//! package, are thin layers over this module.
//!
//! A run is prepared from a [`LoadedScenario`] (read from a file, a TOML string, or an in-memory
//! [`Scenario`](crate::scenario::Scenario)) and [`RunOptions`]: the policies to run, `--set` overrides,
//! replications, seed, threads and an optional precision goal. [`PreparedRun::execute`] simulates the policies on
//! common random numbers, reporting to [`Sinks`] (progress, cancellation, each replication's values), and returns
//! a [`RunOutcome`]: every policy's summary, key figures and paired differences from the reference, the manifest
//! that reproduces it, and the observed record beside it. [`RunDirectory`] writes it as a run directory (the
//! manifest last, so that a directory with a manifest is always whole), and [`summary_text`] is what the command
//! line prints.

mod directory;
mod input;
mod merge;
mod record;
mod reproduce;
mod shard;
mod summary;
mod sweep;
pub mod tables;

use std::path::Path;
use std::time::Instant;

use crate::error::{Error, InvalidRequest};
use crate::model::{MetricLayout, Model};
use crate::montecarlo::comparison::{self, CellDifference, KeyFigureDifference};
use crate::montecarlo::precision::{self, Precision, PrecisionGoal};
use crate::montecarlo::{self, KeyFigure, ReplicationRunner, RunResult, Sink};
use crate::output::{Manifest, PrecisionRecord};
use crate::scenario::Policy;

pub use directory::RunDirectory;
pub use input::LoadedScenario;
pub use merge::{MergeOutcome, merge};
pub use record::{ObservedErrors, Record, observations_of, record_of};
pub use reproduce::{Reproduction, reproduce};
pub use shard::{ShardOutcome, run_shard, shard_range};
pub use summary::{signed, summary_text};
pub use sweep::{Axis, PreparedSweep, SweepOptions, SweepOutcome, sweep};

/// What to run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOptions {
    /// The policies to run, by name; empty runs every policy of the scenario.
    pub policies: Vec<String>,
    /// `PATH=VALUE` overrides applied to every policy, last (as `--set`).
    pub settings: Vec<String>,
    /// Replications, or the batch size with a precision goal.
    pub replications: u64,
    pub seed: u64,
    /// Worker threads; 0 uses one per core. Results do not depend on it.
    pub threads: usize,
    /// Add batches of `replications` until the goal is met ([`precision`]).
    pub precision: Option<PrecisionGoal>,
    /// Keep every replication's values in memory ([`RunResult::replications`]); memory grows with them.
    pub keep_replications: bool,
    /// Whether the run directory gets `replications.csv` (streamed by [`RunDirectory`], or written from the kept
    /// values); recorded in the manifest.
    pub replications_csv: bool,
    /// The command that asked for the run, recorded in the manifest (the command line's arguments).
    pub command: Vec<String>,
}

impl RunOptions {
    /// `replications` of every policy from `seed`, on one thread per core.
    pub fn new(replications: u64, seed: u64) -> RunOptions {
        RunOptions {
            policies: Vec::new(),
            settings: Vec::new(),
            replications,
            seed,
            threads: 0,
            precision: None,
            keep_replications: false,
            replications_csv: false,
            command: Vec::new(),
        }
    }
}

/// Parameter values drawn from a calibration's posterior, one set per replication. The hook is reserved for the
/// calibration work of issue 17: no implementation exists yet, and [`PreparedRun::with_posterior`] refuses one.
pub trait Posterior: Sync {
    /// The `PATH=VALUE` overrides of replication `i`.
    fn settings(&self, replication: u64) -> Vec<String>;
}

/// Where a run reports as it goes. Every sink is optional.
#[derive(Default)]
pub struct Sinks<'a> {
    /// Called once per finished replication of one policy, from worker threads.
    pub progress: Option<&'a (dyn Fn() + Sync)>,
    /// Asked before each replication starts, from worker threads: once it says true, the run stops with
    /// [`RunError::Cancelled`] (Ctrl-C in a notebook sets a flag this reads).
    pub cancelled: Option<&'a (dyn Fn() -> bool + Sync)>,
    /// Each replication's values as it is aggregated, in replication order: its index and one vector per policy
    /// (e.g. [`RunDirectory::push`], which streams `replications.csv`).
    pub on_replication: Option<Sink<'a>>,
}

/// A run ready to start: its policies resolved and their models built, nothing simulated yet.
pub struct PreparedRun<'s> {
    pub scenario: &'s LoadedScenario,
    pub options: RunOptions,
    /// The policies to run, resolved, in file order.
    pub policies: Vec<Policy>,
    /// The policy the others are compared with.
    pub reference: usize,
    models: Vec<Model>,
}

/// One policy's results.
#[derive(Debug, Clone)]
pub struct PolicyOutcome {
    pub policy: Policy,
    pub result: RunResult,
    /// Totals over the horizon and the peak backlog, with their bands.
    pub key_figures: Vec<KeyFigure>,
    /// Against the reference policy, paired on common random numbers; empty for the reference itself.
    pub key_figure_differences: Vec<KeyFigureDifference>,
    /// Every cell against the reference (the rows of `differences.csv`); empty for the reference itself.
    pub cell_differences: Vec<CellDifference>,
}

/// What a run produced.
#[derive(Debug, Clone)]
pub struct RunOutcome {
    /// The scenario's name.
    pub name: String,
    pub policies: Vec<PolicyOutcome>,
    /// Index of the reference policy in `policies`.
    pub reference: usize,
    /// With a precision goal: what was achieved.
    pub precision: Option<Precision>,
    /// What produced the results, as `manifest.json` records it.
    pub manifest: Manifest,
    /// The scenario's observed record beside the reference policy's results, if it has one.
    pub record: Option<Record>,
    /// Seconds of simulation (for a merge: of the shards together).
    pub wall_seconds: f64,
    /// Things the caller should know that did not stop the run (e.g. an observed record left out).
    pub warnings: Vec<String>,
}

impl RunOutcome {
    /// The reference policy's results.
    pub fn reference(&self) -> &PolicyOutcome {
        &self.policies[self.reference]
    }

    /// The results of the policy called `name`.
    pub fn policy(&self, name: &str) -> Option<&PolicyOutcome> {
        self.policies.iter().find(|p| p.policy.name == name)
    }
}

/// Prepares and executes a run in one call: see [`PreparedRun`].
pub fn run(scenario: &LoadedScenario, options: RunOptions, sinks: Sinks) -> Result<RunOutcome, Error> {
    PreparedRun::new(scenario, options)?.execute(sinks)
}

impl<'s> PreparedRun<'s> {
    /// Checks the options and resolves the policies (overrides applied, each validated).
    pub fn new(scenario: &'s LoadedScenario, options: RunOptions) -> Result<PreparedRun<'s>, Error> {
        if options.replications == 0 {
            return Err(InvalidRequest("--replications must be at least 1".to_string()).into());
        }
        let policies = scenario.policies(&options.settings, &options.policies)?;
        let models = policies.iter().map(|p| Model::new(&p.scenario)).collect();
        let reference = policies.iter().position(|p| p.reference).unwrap_or(0);
        Ok(PreparedRun { scenario, options, policies, reference, models })
    }

    /// Draws each replication's parameters from `posterior`. Not implemented yet (see [`Posterior`]): always
    /// refused, so that nobody mistakes a run without it for one with it.
    pub fn with_posterior(self, posterior: Option<&dyn Posterior>) -> Result<PreparedRun<'s>, Error> {
        match posterior {
            None => Ok(self),
            Some(_) => Err(InvalidRequest(
                "runs over a calibration's posterior are not implemented yet; run the calibrated scenario instead"
                    .to_string(),
            )
            .into()),
        }
    }

    /// Each policy's name and metric layout, in run order: the columns of `replications.csv`.
    pub fn layouts(&self) -> Vec<(&str, &MetricLayout)> {
        self.policies.iter().zip(&self.models).map(|(p, m)| (p.name.as_str(), &m.layout)).collect()
    }

    /// Replications that will run in all (of every policy), for a progress bar: with a precision goal, at most.
    pub fn planned_replications(&self) -> u64 {
        let per_policy = self.options.precision.map_or(self.options.replications, |g| g.max_replications);
        per_policy * self.models.len() as u64
    }

    /// Simulates the policies side by side on common random numbers and summarises them.
    pub fn execute(self, sinks: Sinks) -> Result<RunOutcome, Error> {
        let started = Instant::now();
        let started_unix = unix_now();
        let Sinks { progress, cancelled, on_replication } = sinks;
        let progress = progress.unwrap_or(&|| {});
        let refs: Vec<&Model> = self.models.iter().collect();
        let mut runner =
            ReplicationRunner::new(&refs, self.options.seed, self.options.threads)?.compare_with(self.reference);
        if self.options.keep_replications {
            runner = runner.keep_values();
        }
        if let Some(cancelled) = cancelled {
            runner = runner.cancel_when(cancelled);
        }
        if let Some(sink) = on_replication {
            runner = runner.on_replication(sink);
        }
        let (results, precision) = match self.options.precision {
            None => {
                runner.check(self.options.replications)?;
                runner.run(self.options.replications, progress)?;
                (runner.finish(), None)
            }
            Some(goal) => {
                let (results, achieved) = precision::run_to_precision(runner, goal, progress)?;
                (results, Some(achieved))
            }
        };
        let wall = started.elapsed().as_secs_f64();
        let replications = results[0].count;
        let names: Vec<String> = self.policies.iter().map(|p| p.name.clone()).collect();
        let manifest = Manifest {
            replications_csv: self.options.replications_csv,
            settings: self.options.settings.clone(),
            policies: names.clone(),
            reference: Some(names[self.reference].clone()),
            precision: precision.as_ref().map(|p| PrecisionRecord {
                goal: p.goal.relative_half_width,
                batch: p.goal.batch,
                max_replications: p.goal.max_replications,
                met: p.met,
                achieved: p.worst.as_ref().map(|w| w.3),
                least_precise: p.worst.as_ref().map(|w| format!("{} / {} / {}", names[w.0], w.1, w.2)),
            }),
            ..manifest(self.scenario, &self.options, replications, started_unix, wall, &results)
        };
        Ok(outcome(self.scenario, self.policies, results, self.reference, precision, manifest, wall))
    }
}

/// A run's outcome from its policies and results: key figures, differences from the reference, and the record.
fn outcome(
    scenario: &LoadedScenario,
    policies: Vec<Policy>,
    results: Vec<RunResult>,
    reference: usize,
    precision: Option<Precision>,
    manifest: Manifest,
    wall_seconds: f64,
) -> RunOutcome {
    let several = results.len() > 1;
    let policies: Vec<PolicyOutcome> = policies
        .into_iter()
        .zip(&results)
        .enumerate()
        .map(|(i, (policy, result))| {
            let compared = several && i != reference;
            PolicyOutcome {
                key_figures: montecarlo::key_figures(result),
                key_figure_differences: if compared {
                    comparison::key_figure_differences(result, &results[reference])
                } else {
                    Vec::new()
                },
                cell_differences: if compared {
                    comparison::cell_differences(result, &results[reference])
                } else {
                    Vec::new()
                },
                policy,
                result: result.clone(),
            }
        })
        .collect();
    let base = &policies[reference];
    let (record, warning) = record_of(&scenario.scenario, &scenario.origin, &scenario.model.layout, &base.result);
    RunOutcome {
        name: scenario.scenario.name.clone(),
        policies,
        reference,
        precision,
        manifest,
        record,
        wall_seconds,
        warnings: warning.into_iter().collect(),
    }
}

/// Seconds since 1970-01-01 UTC.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The manifest fields every kind of run shares; the caller fills in what is its own.
pub fn manifest(
    scenario: &LoadedScenario,
    options: &RunOptions,
    replications: u64,
    started_unix_seconds: u64,
    wall: f64,
    results: &[RunResult],
) -> Manifest {
    let scenario_path =
        if scenario.is_builtin() { None } else { std::fs::canonicalize(Path::new(&scenario.origin)).ok() };
    Manifest {
        tool: env!("CARGO_PKG_NAME").to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_name: scenario.scenario.name.clone(),
        scenario_file: scenario.origin.clone(),
        scenario_path,
        scenario_sha256: scenario.sha256(),
        seed: options.seed,
        replications,
        replications_csv: false,
        threads: if options.threads == 0 { rayon::current_num_threads() } else { options.threads },
        generator: crate::rng::GENERATOR.to_string(),
        command: options.command.clone(),
        started_unix_seconds,
        wall_time_seconds: (wall * 1000.0).round() / 1000.0,
        events: results.iter().map(|r| r.events).sum(),
        settings: Vec::new(),
        policies: Vec::new(),
        reference: None,
        grid: Vec::new(),
        calibration: None,
        precision: None,
    }
}
