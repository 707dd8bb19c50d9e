//! Replications in parallel, aggregated in replication order so that results never depend on thread count.

pub mod comparison;
mod key_figures;
pub mod precision;
pub mod resources;
mod shard;
pub mod sketch;
mod statistics;
mod targets;

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use crate::model::{MetricLayout, Model, Replication};

pub use key_figures::{KeyFigure, KeyFigureSample, key_figure_samples, key_figures};
pub use resources::{Estimate, Resource};
pub use shard::Shard;
pub use statistics::{CellSummary, mean_ci95, quantile, t_975};
pub use targets::{TargetCheck, check_targets};

/// How many replications to run, from which seed, on how many threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunConfig {
    pub replications: u64,
    pub seed: u64,
    /// Worker threads; 0 uses one per available core.
    pub threads: usize,
}

/// Why a run could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("at least one replication is needed")]
    NoReplications,
    /// The run would need more memory or time than [`resources`] allows; refused before simulating anything.
    #[error("{message}")]
    TooLarge {
        /// The limit exceeded.
        resource: Resource,
        /// How much the run would need (bytes, events or cases, as the resource counts).
        needed: f64,
        /// The limit, in the same unit.
        limit: f64,
        /// What would be needed, what is allowed, and what to change.
        message: String,
    },
    #[error("cannot start {threads} worker threads: {source}")]
    Threads {
        threads: usize,
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
}

/// The result of a run: every replication's values, and their summary per cell.
#[derive(Debug, Clone)]
pub struct RunResult {
    pub layout: MetricLayout,
    /// One summary per cell of the layout.
    pub summary: Vec<CellSummary>,
    /// Every replication's values, in replication order.
    pub replications: Vec<Vec<f64>>,
    /// Events handled over all replications.
    pub events: u64,
}

/// Runs `config.replications` replications of `model` in parallel; `progress` is called once per finished
/// replication (from worker threads).
///
/// A run that would exceed the memory or work limits of [`resources`] is refused at once with
/// [`RunError::TooLarge`], before any replication starts.
pub fn run(model: &Model, config: RunConfig, progress: &(dyn Fn() + Sync)) -> Result<RunResult, RunError> {
    Ok(run_policies(&[model], config, progress)?.pop().expect("one result per model"))
}

/// Runs the same replications of several models (one per policy) on common random numbers: replication *i* of
/// every model uses the streams and case draws of (seed, *i*), so the models differ only by what they change.
/// Results come back in the order of `models`. `progress` is called once per replication of one model.
pub fn run_policies(
    models: &[&Model],
    config: RunConfig,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<RunResult>, RunError> {
    if config.replications == 0 {
        return Err(RunError::NoReplications);
    }
    resources::check_all(models, &config)?;
    let mut batches = Batches::new(models, config.seed, config.threads)?;
    batches.run(config.replications, progress);
    Ok(batches.finish())
}

/// Replications of several models accumulated in batches, on one pool of worker threads, so that a caller can
/// decide after each batch whether to go on ([`precision`]). Replication *i* is the same whatever the batches.
pub struct Batches<'a> {
    models: &'a [&'a Model],
    seed: u64,
    /// Index of the first replication (0 unless a shard runs a later range).
    first: u64,
    pool: rayon::ThreadPool,
    /// Per model, every replication's values so far, in replication order.
    values: Vec<Vec<Vec<f64>>>,
    /// Per model, events handled so far.
    events: Vec<u64>,
}

impl<'a> Batches<'a> {
    pub fn new(models: &'a [&'a Model], seed: u64, threads: usize) -> Result<Batches<'a>, RunError> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|source| RunError::Threads { threads, source })?;
        Ok(Batches {
            models,
            seed,
            first: 0,
            pool,
            values: vec![Vec::new(); models.len()],
            events: vec![0; models.len()],
        })
    }

    /// Batches whose first replication is `first` rather than 0: a shard's share of a run ([`Shard`]).
    pub fn starting_at(
        models: &'a [&'a Model],
        seed: u64,
        threads: usize,
        first: u64,
    ) -> Result<Batches<'a>, RunError> {
        Ok(Batches { first, ..Batches::new(models, seed, threads)? })
    }

    /// Replications run so far.
    pub fn done(&self) -> u64 {
        self.values.first().map_or(0, |v| v.len() as u64)
    }

    /// Runs the next `count` replications of every model.
    pub fn run(&mut self, count: u64, progress: &(dyn Fn() + Sync)) {
        let (models, seed) = (self.models, self.seed);
        let first = self.first + self.done();
        let events: Vec<AtomicU64> = models.iter().map(|_| AtomicU64::new(0)).collect();
        let batch: Vec<Vec<Vec<f64>>> = self.pool.install(|| {
            (first..first + count)
                .into_par_iter()
                .map_init(
                    || models.iter().map(|m| Replication::new(m)).collect::<Vec<_>>(),
                    |replications, i| {
                        replications
                            .iter_mut()
                            .zip(&events)
                            .map(|(replication, events)| {
                                let output = replication.run(seed, i);
                                events.fetch_add(output.events, Ordering::Relaxed);
                                progress();
                                output.values
                            })
                            .collect()
                    },
                )
                .collect()
        });
        for per_model in batch {
            for (m, values) in per_model.into_iter().enumerate() {
                self.values[m].push(values);
            }
        }
        for (total, e) in self.events.iter_mut().zip(events) {
            *total += e.into_inner();
        }
    }

    /// Every replication's values so far for model `m`, in replication order.
    pub fn values(&self, m: usize) -> &[Vec<f64>] {
        &self.values[m]
    }

    /// The results, consuming the batches.
    pub fn finish(self) -> Vec<RunResult> {
        self.models
            .iter()
            .zip(self.values)
            .zip(self.events)
            .map(|((model, values), events)| {
                let layout = model.layout.clone();
                let summary = summarise(&layout, &values);
                RunResult { layout, summary, replications: values, events }
            })
            .collect()
    }
}

/// Runs replications `range` of several models (as [`run_policies`]): a shard's share of a run. Replication *i*
/// is the same as in a run of all of them, so the values of consecutive ranges, concatenated, are those of the
/// whole run.
pub fn run_range(
    models: &[&Model],
    seed: u64,
    threads: usize,
    range: std::ops::Range<u64>,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<RunResult>, RunError> {
    if range.is_empty() {
        return Err(RunError::NoReplications);
    }
    let count = range.end - range.start;
    resources::check_all(models, &RunConfig { replications: count, seed, threads })?;
    let mut batches = Batches::starting_at(models, seed, threads, range.start)?;
    batches.run(count, progress);
    Ok(batches.finish())
}

/// The results of replications whose values were computed elsewhere (e.g. by shards), in replication order.
pub fn results_from_values(layout: MetricLayout, replications: Vec<Vec<f64>>, events: u64) -> RunResult {
    let summary = summarise(&layout, &replications);
    RunResult { layout, summary, replications, events }
}

/// Summarises each cell over replications, in replication order.
pub fn summarise(layout: &MetricLayout, replications: &[Vec<f64>]) -> Vec<CellSummary> {
    let mut column = Vec::with_capacity(replications.len());
    (0..layout.len())
        .map(|cell| {
            column.clear();
            column.extend(replications.iter().map(|r| r[cell]).filter(|v| !v.is_nan()));
            CellSummary::of(&mut column)
        })
        .collect()
}
